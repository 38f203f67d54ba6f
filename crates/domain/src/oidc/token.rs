//! The token endpoint and userinfo. Clients authenticate with `private_key_jwt` (an
//! assertion signed with a key of their registered JWKS; each assertion id once) or
//! `client_secret_basic`; public clients only by PKCE. A code works once, within 5
//! minutes, for the client and redirect URI it was issued to, with the PKCE verifier
//! that matches its challenge; presenting a used code again revokes the tokens it
//! issued. With `offline_access` the exchange also gives a refresh token (`refresh.rs`).
//! `client_credentials` gives an app registered to a verified account an access
//! token for that account (tax-professional automation without screen-scraping).

use serde_json::{Value, json};
use time::Duration;

use super::claims::{OFFLINE_ACCESS, acr_for, ial_of};
use super::records::{AccessToken, Client, ClientAuth, RefreshToken};
use super::{OAuthError, OAuthResult, Provider, hash_secret, new_secret};
use crate::model::Account;

/// `urn:ietf:params:oauth:client-assertion-type:jwt-bearer`
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A request to the token, revocation or introspection endpoint as received (form
/// fields and HTTP Basic credentials).
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub client_id: Option<String>,
    pub client_assertion_type: Option<String>,
    pub client_assertion: Option<String>,
    pub scope: Option<String>,
    /// For `grant_type=refresh_token`.
    pub refresh_token: Option<String>,
    /// The token to revoke or introspect, and what the client says it is.
    pub token: Option<String>,
    pub token_type_hint: Option<String>,
    /// From `Authorization: Basic`, already decoded.
    pub basic: Option<(String, String)>,
}

/// What the token endpoint answers.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    pub scope: String,
}

/// The sign-in an ID token speaks for: from the code, or kept with a refresh token.
pub(super) struct SignedIn<'a> {
    pub auth_time: time::OffsetDateTime,
    pub acr: &'a str,
    pub amr: &'a [String],
    /// Only in the ID token of the code exchange (OIDC Core §12.2).
    pub nonce: Option<&'a str>,
    pub scope: &'a [String],
}

impl Provider {
    /// Authenticate the client of a token, revocation or introspection request.
    pub(super) async fn authenticate_client(&self, request: &TokenRequest) -> OAuthResult<Client> {
        let invalid = |m: &str| OAuthError::new("invalid_client", m.to_owned());
        let claimed = request
            .basic
            .as_ref()
            .map(|(id, _)| id.clone())
            .or_else(|| request.client_id.clone());
        // With private_key_jwt the client id may come only from the assertion.
        let assertion = match (&request.client_assertion_type, &request.client_assertion) {
            (Some(kind), Some(assertion)) if kind == JWT_BEARER => Some(assertion.clone()),
            (Some(_), _) | (None, Some(_)) => {
                return Err(invalid(
                    "client_assertion_type must be jwt-bearer with a client_assertion",
                ));
            }
            _ => None,
        };
        let client_id = match (&claimed, &assertion) {
            (Some(id), _) => id.clone(),
            (None, Some(jwt)) => {
                unverified_issuer(jwt).ok_or_else(|| invalid("client_assertion is malformed"))?
            }
            (None, None) => return Err(invalid("client authentication is required")),
        };
        let client = self
            .store
            .client(&client_id)
            .await?
            .ok_or_else(|| invalid("unknown client"))?;
        match client.auth_method {
            ClientAuth::ClientSecretBasic => {
                let Some((_, secret)) = &request.basic else {
                    return Err(invalid("this client authenticates with HTTP Basic"));
                };
                let expected = client.secret_hash.clone().unwrap_or_default();
                if !crate::keys::constant_time_eq(
                    hash_secret(secret).as_bytes(),
                    expected.as_bytes(),
                ) {
                    return Err(invalid("client authentication failed"));
                }
            }
            ClientAuth::PrivateKeyJwt => {
                let Some(jwt) = assertion else {
                    return Err(invalid("this client authenticates with private_key_jwt"));
                };
                let jwks = client.jwks.clone().unwrap_or_else(|| json!({"keys": []}));
                let verified = sa_oidc::verify_jwt(&jwt, &jwks)
                    .map_err(|_| invalid("client assertion signature is not valid"))?;
                let token_endpoint = self.config.token_endpoint();
                let audience = sa_oidc::AudienceRule {
                    issuer: &self.config.issuer,
                    legacy_token_endpoint: self
                        .config
                        .assertion_audience_token_endpoint
                        .then_some(token_endpoint.as_str()),
                };
                let now = self.now();
                let jti = sa_oidc::check_client_assertion(
                    &verified.claims,
                    &client.client_id,
                    &audience,
                    now.unix_timestamp(),
                )
                .map_err(|e| invalid(&e.to_string()))?;
                let expires = verified
                    .claims
                    .get("exp")
                    .and_then(Value::as_i64)
                    .and_then(|exp| time::OffsetDateTime::from_unix_timestamp(exp).ok())
                    .unwrap_or(now + Duration::hours(1));
                let seen_key = hash_secret(&format!("{}\u{0}{jti}", client.client_id));
                if !self
                    .store
                    .remember_assertion(&seen_key, expires, now)
                    .await?
                {
                    return Err(invalid("client assertion was already used"));
                }
            }
            ClientAuth::None => {
                if request.basic.is_some() || assertion.is_some() {
                    return Err(invalid("this public client has no credentials"));
                }
            }
        }
        Ok(client)
    }

    /// The token endpoint.
    pub async fn token(&self, request: &TokenRequest) -> OAuthResult<TokenResponse> {
        let grant = request.grant_type.clone().unwrap_or_default();
        if !["authorization_code", "refresh_token", "client_credentials"].contains(&grant.as_str())
        {
            return Err(OAuthError::new(
                "unsupported_grant_type",
                "grant_type must be authorization_code, refresh_token or client_credentials",
            ));
        }
        let client = self.authenticate_client(request).await?;
        if grant == "client_credentials" {
            return self.client_credentials(&client, request).await;
        }
        if grant == "refresh_token" {
            return self.refresh(&client, request).await;
        }
        let invalid_grant = |m: &str| OAuthError::new("invalid_grant", m.to_owned());
        let code = request
            .code
            .as_deref()
            .ok_or_else(|| OAuthError::new("invalid_request", "code is required"))?;
        let code_hash = hash_secret(code);
        let stored = self
            .store
            .code(&code_hash)
            .await?
            .ok_or_else(|| invalid_grant("the code is not valid"))?;
        if stored.client_id != client.client_id {
            return Err(invalid_grant("the code was issued to another client"));
        }
        let now = self.now();
        if !self.store.use_code(&code_hash, now).await? {
            // A used code presented again: whatever it issued is revoked.
            self.store.revoke_tokens_of_code(&code_hash, now).await?;
            return Err(invalid_grant(
                "the code was already used; the tokens it issued are revoked",
            ));
        }
        if stored.expires_at <= now {
            return Err(invalid_grant("the code has expired"));
        }
        if request.redirect_uri.as_deref() != Some(stored.redirect_uri.as_str()) {
            return Err(invalid_grant(
                "redirect_uri does not match the authorization request",
            ));
        }
        match (&stored.code_challenge, request.code_verifier.as_deref()) {
            (Some(challenge), Some(verifier)) if sa_oidc::verify_pkce_s256(verifier, challenge) => {
            }
            (Some(_), _) => return Err(invalid_grant("the PKCE code verifier does not match")),
            (None, Some(_)) => {
                return Err(invalid_grant("no PKCE challenge was sent for this code"));
            }
            (None, None) => {}
        }
        let account = self.grant_account(&stored.account_id).await?;
        let access_token = new_secret();
        self.store
            .insert_token(&AccessToken {
                token_hash: hash_secret(&access_token),
                client_id: client.client_id.clone(),
                account_id: account.id.clone(),
                scope: stored.scope.clone(),
                acr: stored.acr.clone(),
                code_hash: Some(code_hash.clone()),
                created_at: now,
                expires_at: now + Duration::seconds(self.config.access_token_ttl_secs),
                revoked_at: None,
            })
            .await?;
        let refresh_token = if stored.scope.iter().any(|s| s == OFFLINE_ACCESS) {
            let refresh_token = new_secret();
            let grant_expires_at =
                stored.auth_time + Duration::seconds(self.config.refresh_token_max_secs);
            self.store
                .insert_refresh_token(&RefreshToken {
                    token_hash: hash_secret(&refresh_token),
                    code_hash,
                    client_id: client.client_id.clone(),
                    account_id: account.id.clone(),
                    scope: stored.scope.clone(),
                    acr: stored.acr.clone(),
                    amr: stored.amr.clone(),
                    auth_time: stored.auth_time,
                    created_at: now,
                    expires_at: self.refresh_expiry(now, grant_expires_at),
                    grant_expires_at,
                    used_at: None,
                    revoked_at: None,
                })
                .await?;
            Some(refresh_token)
        } else {
            None
        };
        let signed_in = SignedIn {
            auth_time: stored.auth_time,
            acr: &stored.acr,
            amr: &stored.amr,
            nonce: stored.nonce.as_deref(),
            scope: &stored.scope,
        };
        let id_token = self.id_token(&client, &account, &signed_in).await?;
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: self.config.access_token_ttl_secs,
            refresh_token,
            id_token: Some(id_token),
            scope: stored.scope.join(" "),
        })
    }

    /// The account a code or refresh token speaks for, if it still exists and is on.
    pub(super) async fn grant_account(&self, account_id: &str) -> OAuthResult<Account> {
        let invalid_grant = |m: &str| OAuthError::new("invalid_grant", m.to_owned());
        let account = self
            .services
            .core()
            .store
            .account_by_id(account_id)
            .await?
            .ok_or_else(|| invalid_grant("the account no longer exists"))?;
        if account.disabled_at.is_some() {
            return Err(invalid_grant("the account has been turned off"));
        }
        Ok(account)
    }

    /// When a refresh token issued `now` expires: after the idle lifetime, or at the
    /// grant's end if that is sooner.
    pub(super) fn refresh_expiry(
        &self,
        now: time::OffsetDateTime,
        grant_expires_at: time::OffsetDateTime,
    ) -> time::OffsetDateTime {
        (now + Duration::seconds(self.config.refresh_token_idle_secs)).min(grant_expires_at)
    }

    /// A signed ID token for `account` at `client`, about `signed_in`.
    pub(super) async fn id_token(
        &self,
        client: &Client,
        account: &Account,
        signed_in: &SignedIn<'_>,
    ) -> OAuthResult<String> {
        let now = self.now();
        let mut claims = serde_json::Map::new();
        claims.insert("iss".into(), json!(self.config.issuer));
        claims.insert(
            "sub".into(),
            json!(self.subject(&client.client_id, &account.id)),
        );
        claims.insert("aud".into(), json!(client.client_id));
        claims.insert("iat".into(), json!(now.unix_timestamp()));
        claims.insert(
            "exp".into(),
            json!((now + Duration::seconds(self.config.id_token_ttl_secs)).unix_timestamp()),
        );
        claims.insert(
            "auth_time".into(),
            json!(signed_in.auth_time.unix_timestamp()),
        );
        claims.insert("acr".into(), json!(signed_in.acr));
        let aal = if super::claims::phishing_resistant_amr(signed_in.amr) {
            sa_oidc::AAL2_PHISHING_RESISTANT
        } else {
            sa_oidc::AAL2
        };
        claims.insert("aal".into(), json!(aal));
        claims.insert("amr".into(), json!(signed_in.amr));
        if let Some(nonce) = signed_in.nonce {
            claims.insert("nonce".into(), json!(nonce));
        }
        for (name, value) in self.claims(client, account, signed_in.scope).await? {
            claims.insert(name, value);
        }
        self.sign(&client.id_token_alg, &Value::Object(claims))
            .await
    }

    async fn client_credentials(
        &self,
        client: &Client,
        request: &TokenRequest,
    ) -> OAuthResult<TokenResponse> {
        if client.auth_method == ClientAuth::None {
            return Err(OAuthError::new(
                "unauthorized_client",
                "public clients cannot use client_credentials",
            ));
        }
        let account_id = client.machine_account_id.clone().ok_or_else(|| {
            OAuthError::new(
                "unauthorized_client",
                "this app is not registered for machine access",
            )
        })?;
        let account = self
            .services
            .core()
            .store
            .account_by_id(&account_id)
            .await?
            .filter(|a| a.identity_verified_at.is_some() && a.disabled_at.is_none())
            .ok_or_else(|| {
                OAuthError::new(
                    "unauthorized_client",
                    "the app's account is not verified, or is turned off",
                )
            })?;
        let scope: Vec<String> = match request.scope.as_deref() {
            Some(asked) => asked.split_whitespace().map(str::to_owned).collect(),
            None => client.scopes.clone(),
        };
        if let Some(bad) = scope.iter().find(|s| !client.scopes.contains(s)) {
            return Err(OAuthError::new(
                "invalid_scope",
                format!("scope {bad} is not allowed for this app"),
            ));
        }
        let now = self.now();
        let access_token = new_secret();
        self.store
            .insert_token(&AccessToken {
                token_hash: hash_secret(&access_token),
                client_id: client.client_id.clone(),
                account_id: account.id.clone(),
                scope: scope.clone(),
                acr: acr_for(ial_of(&account)).to_owned(),
                code_hash: None,
                created_at: now,
                expires_at: now + Duration::seconds(self.config.access_token_ttl_secs),
                revoked_at: None,
            })
            .await?;
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: self.config.access_token_ttl_secs,
            refresh_token: None,
            id_token: None,
            scope: scope.join(" "),
        })
    }

    /// Userinfo: the claims the access token's scopes release.
    pub async fn userinfo(&self, access_token: &str) -> OAuthResult<Value> {
        let invalid = || OAuthError::new("invalid_token", "the access token is not valid");
        let token = self
            .store
            .token(&hash_secret(access_token))
            .await?
            .ok_or_else(invalid)?;
        if token.revoked_at.is_some() || token.expires_at <= self.now() {
            return Err(invalid());
        }
        let client = self
            .store
            .client(&token.client_id)
            .await?
            .ok_or_else(invalid)?;
        let account = self
            .services
            .core()
            .store
            .account_by_id(&token.account_id)
            .await?
            // An account an admin turned off answers no app.
            .filter(|a| a.disabled_at.is_none())
            .ok_or_else(invalid)?;
        let mut claims = self.claims(&client, &account, &token.scope).await?;
        claims.insert(
            "sub".into(),
            json!(self.subject(&client.client_id, &account.id)),
        );
        claims.insert("acr".into(), json!(token.acr));
        Ok(Value::Object(claims))
    }

    /// Whether `hint` is an ID token this provider signed for `account_id` (its `sub`
    /// is the account's pairwise subject for the token's app). Expired tokens count,
    /// as RP-initiated logout allows. Without such a hint, logout asks the person first
    /// (anyone can link to the logout endpoint, or pass their own ID token).
    pub async fn id_token_hint_names(&self, hint: &str, account_id: &str) -> bool {
        let Ok(jwks) = self.jwks().await else {
            return false;
        };
        let Ok(verified) = sa_oidc::verify_jwt(hint, &jwks) else {
            return false;
        };
        let claim = |name: &str| verified.claims.get(name).and_then(Value::as_str);
        match (claim("aud"), claim("sub"), claim("iss")) {
            (Some(aud), Some(sub), Some(iss)) => {
                iss == self.config.issuer && sub == self.subject(aud, account_id)
            }
            _ => false,
        }
    }

    /// RP-initiated logout: where to send the browser afterwards, if the app asked for a
    /// registered `post_logout_redirect_uri` (identified by `client_id` or the
    /// `id_token_hint` this provider signed).
    pub async fn logout_redirect(
        &self,
        id_token_hint: Option<&str>,
        client_id: Option<&str>,
        post_logout_redirect_uri: Option<&str>,
        state: Option<&str>,
    ) -> OAuthResult<Option<String>> {
        let Some(target) = post_logout_redirect_uri.filter(|u| !u.is_empty()) else {
            return Ok(None);
        };
        let hinted_client = match id_token_hint.filter(|h| !h.is_empty()) {
            Some(hint) => {
                let jwks = self.jwks().await?;
                let verified = sa_oidc::verify_jwt(hint, &jwks).map_err(|_| {
                    OAuthError::new("invalid_request", "id_token_hint is not valid")
                })?;
                verified
                    .claims
                    .get("aud")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            }
            None => None,
        };
        let Some(client_id) = hinted_client.or_else(|| client_id.map(str::to_owned)) else {
            return Err(OAuthError::new(
                "invalid_request",
                "post_logout_redirect_uri needs id_token_hint or client_id",
            ));
        };
        let client = self
            .store
            .client(&client_id)
            .await?
            .ok_or_else(|| OAuthError::new("invalid_request", "unknown client"))?;
        if !client.post_logout_redirect_uris.iter().any(|u| u == target) {
            return Err(OAuthError::new(
                "invalid_request",
                "post_logout_redirect_uri is not registered for this app",
            ));
        }
        Ok(Some(match state {
            Some(state) => format!(
                "{target}{}state={}",
                if target.contains('?') { '&' } else { '?' },
                super::authorize::urlencode(state)
            ),
            None => target.to_owned(),
        }))
    }
}

/// The `iss` of a JWT before verification (only to find the client; the signature is
/// checked against that client's keys afterwards).
fn unverified_issuer(jwt: &str) -> Option<String> {
    use base64::Engine;
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("iss")?.as_str().map(str::to_owned)
}
