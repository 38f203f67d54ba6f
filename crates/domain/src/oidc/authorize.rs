//! The authorization endpoint's decisions. A request is checked in this order, as
//! OpenID Connect Core §3.1.2 asks: a bad `client_id` or `redirect_uri` is shown as an
//! error page and never redirected (no open redirects); anything else wrong goes back to
//! the app as an OAuth error with its `state`. A valid request is kept while the person
//! signs in, verifies their identity when the app needs it (step-up), and consents on
//! first use; then a single-use code goes back to the app.

use std::collections::HashMap;

use time::{Duration, OffsetDateTime};

use super::claims::{SCOPES, acr_met, amr_of, ial_of, ial_requested};
use super::records::{AuthorizationCode, AuthorizationRequest, ClientAuth, Consent};
use super::{OAuthError, Provider, hash_secret, new_secret};
use crate::journeys::AuthSession;
use crate::model::SessionStage;

/// What the authorization endpoint does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizeOutcome {
    /// The client or redirect URI is not valid: show this message; never redirect.
    ErrorPage(String),
    /// Back to the app with an error.
    Redirect(String),
    /// The person must sign in (again, when `fresh` is asked by `prompt=login` or
    /// `max_age`); then continue with the request.
    SignIn {
        request_id: String,
        login_hint: Option<String>,
        fresh: bool,
    },
    /// The app needs a verified identity the account does not have yet: proof, then
    /// continue with the request.
    Proofing { request_id: String },
    /// The app asked for phishing-resistant authentication and this session was not
    /// raised with a passkey: sign in with one (adding one first if the account has
    /// none), then continue with the request.
    PasskeyStepUp { request_id: String },
    /// First use of this app (or `prompt=consent`): ask.
    Consent {
        request_id: String,
        client_name: String,
        scopes: Vec<String>,
    },
    /// Back to a SAML service provider: post this Response (base64) and the relay
    /// state to its consumer by a form.
    SamlPost {
        /// The app's registered name, to say where the person is going.
        app_name: String,
        acs_url: String,
        saml_response: String,
        relay_state: Option<String>,
        /// The Response signs the person in (else it says why not).
        granted: bool,
    },
}

fn param<'a>(params: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// The app's redirect URI with query parameters added.
fn redirect_to(base: &str, pairs: &[(&str, Option<&str>)]) -> String {
    let mut url = base.to_owned();
    let mut separator = if base.contains('?') { '&' } else { '?' };
    for (name, value) in pairs {
        if let Some(value) = value {
            url.push(separator);
            url.push_str(name);
            url.push('=');
            url.push_str(&urlencode(value));
            separator = '&';
        }
    }
    url
}

/// Percent-encode for a query component.
pub fn urlencode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

pub(super) fn error_redirect(
    request: &AuthorizationRequest,
    error: &str,
    description: &str,
) -> AuthorizeOutcome {
    AuthorizeOutcome::Redirect(redirect_to(
        &request.redirect_uri,
        &[
            ("error", Some(error)),
            ("error_description", Some(description)),
            ("state", request.state.as_deref()),
        ],
    ))
}

impl Provider {
    /// A new authorization request from the app's query parameters.
    pub async fn authorize(
        &self,
        params: &HashMap<String, String>,
        auth: Option<&AuthSession>,
    ) -> Result<AuthorizeOutcome, OAuthError> {
        let Some(client_id) = param(params, "client_id") else {
            return Ok(AuthorizeOutcome::ErrorPage(
                "The app did not say who it is (client_id is missing).".into(),
            ));
        };
        let Some(client) = self.store.client(client_id).await? else {
            return Ok(AuthorizeOutcome::ErrorPage(
                "This app is not registered with Secure Access.".into(),
            ));
        };
        let Some(redirect_uri) = param(params, "redirect_uri") else {
            return Ok(AuthorizeOutcome::ErrorPage(
                "The app did not say where to return (redirect_uri is missing).".into(),
            ));
        };
        if client.saml.is_some() {
            return Ok(AuthorizeOutcome::ErrorPage(
                "This app signs in with SAML, not OpenID Connect; start again from the app.".into(),
            ));
        }
        if !client.redirect_uris.iter().any(|r| r == redirect_uri) {
            return Ok(AuthorizeOutcome::ErrorPage(
                "The app asked to return to an address it has not registered, so we stopped here to protect you.".into(),
            ));
        }
        let mut request = AuthorizationRequest {
            client_id: client.client_id.clone(),
            redirect_uri: redirect_uri.to_owned(),
            scope: Vec::new(),
            state: param(params, "state").map(str::to_owned),
            nonce: param(params, "nonce").map(str::to_owned),
            code_challenge: None,
            prompt: param(params, "prompt")
                .map(|p| p.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default(),
            max_age: None,
            login_hint: param(params, "login_hint").map(|h| h.chars().take(100).collect()),
            ial: client.required_ial,
            acr_values: Vec::new(),
            saml: None,
        };
        if param(params, "request").is_some() || param(params, "request_uri").is_some() {
            return Ok(error_redirect(
                &request,
                "request_not_supported",
                "request objects are not supported",
            ));
        }
        if param(params, "response_type") != Some("code") {
            return Ok(error_redirect(
                &request,
                "unsupported_response_type",
                "only the authorization code flow (response_type=code) is supported",
            ));
        }
        let scope: Vec<String> = param(params, "scope")
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        if !scope.iter().any(|s| s == "openid") {
            return Ok(error_redirect(
                &request,
                "invalid_scope",
                "the openid scope is required",
            ));
        }
        if let Some(bad) = scope
            .iter()
            .find(|s| !SCOPES.contains(&s.as_str()) || !client.scopes.contains(s))
        {
            return Ok(error_redirect(
                &request,
                "invalid_scope",
                &format!("scope {bad} is not allowed for this app"),
            ));
        }
        request.scope = scope;
        match (
            param(params, "code_challenge"),
            param(params, "code_challenge_method"),
        ) {
            (Some(challenge), Some("S256")) if sa_oidc::is_valid_challenge(challenge) => {
                request.code_challenge = Some(challenge.to_owned());
            }
            (Some(_), _) => {
                return Ok(error_redirect(
                    &request,
                    "invalid_request",
                    "PKCE must use code_challenge_method=S256 with a valid challenge",
                ));
            }
            (None, _) if client.auth_method == ClientAuth::None => {
                return Ok(error_redirect(
                    &request,
                    "invalid_request",
                    "public clients must use PKCE (code_challenge with S256)",
                ));
            }
            (None, _) => {}
        }
        if let Some(max_age) = param(params, "max_age") {
            match max_age.parse::<i64>() {
                Ok(v) if v >= 0 => request.max_age = Some(v),
                _ => {
                    return Ok(error_redirect(
                        &request,
                        "invalid_request",
                        "max_age must be a whole number of seconds",
                    ));
                }
            }
        }
        if request
            .prompt
            .iter()
            .any(|p| !["none", "login", "consent", "select_account"].contains(&p.as_str()))
            || (request.prompt.iter().any(|p| p == "none") && request.prompt.len() > 1)
        {
            return Ok(error_redirect(
                &request,
                "invalid_request",
                "prompt is not valid",
            ));
        }
        if let Some(acr_values) = param(params, "acr_values") {
            if let Some(asked) = ial_requested(acr_values) {
                request.ial = request.ial.max(asked);
            }
            request.acr_values = sa_oidc::assurance::requested(acr_values)
                .into_iter()
                .map(str::to_owned)
                .collect();
        }
        let request_id = new_secret();
        let now = self.now();
        let json = serde_json::to_string(&request)
            .map_err(|_| OAuthError::new("server_error", "request could not be kept"))?;
        self.store
            .insert_request(
                &request_id,
                &request.client_id,
                &json,
                now,
                now + Duration::seconds(self.config.request_ttl_secs),
            )
            .await?;
        self.decide(&request_id, &request, auth, None, true).await
    }

    /// Continue a kept request after sign-in, proofing or the consent page
    /// (`consent`: `Some(true)` granted, `Some(false)` refused).
    pub async fn resume(
        &self,
        request_id: &str,
        auth: Option<&AuthSession>,
        consent: Option<bool>,
    ) -> Result<AuthorizeOutcome, OAuthError> {
        let Some(json) = self.store.request(request_id, self.now()).await? else {
            return Ok(AuthorizeOutcome::ErrorPage(
                "This sign-in request has expired. Go back to the app and start again.".into(),
            ));
        };
        let request: AuthorizationRequest = serde_json::from_str(&json)
            .map_err(|_| OAuthError::new("server_error", "request could not be read"))?;
        self.decide(request_id, &request, auth, consent, false)
            .await
    }

    pub(super) async fn decide(
        &self,
        request_id: &str,
        request: &AuthorizationRequest,
        auth: Option<&AuthSession>,
        consent: Option<bool>,
        first_pass: bool,
    ) -> Result<AuthorizeOutcome, OAuthError> {
        let prompt_none = request.prompt.iter().any(|p| p == "none");
        let now = self.now();
        let signed_in = auth.filter(|a| a.session.stage == SessionStage::Authenticated);
        // prompt=login and max_age ask for a sign-in that happened after the request.
        let needs_fresh = first_pass && request.prompt.iter().any(|p| p == "login");
        let too_old = |a: &AuthSession| {
            request.max_age.is_some_and(|max| {
                a.session
                    .factor_verified_at
                    .is_none_or(|at| (now - at).whole_seconds() > max)
            })
        };
        let Some(auth) = signed_in.filter(|a| !needs_fresh && !too_old(a)) else {
            if prompt_none {
                return self
                    .refuse(request, "login_required", "the person is not signed in")
                    .await;
            }
            return Ok(AuthorizeOutcome::SignIn {
                request_id: request_id.to_owned(),
                login_hint: request.login_hint.clone(),
                fresh: signed_in.is_some(),
            });
        };
        let account = &auth.account;
        if ial_of(account) < request.ial {
            if prompt_none {
                return self
                    .refuse(
                        request,
                        "interaction_required",
                        "the app needs a verified identity and this account has not verified one",
                    )
                    .await;
            }
            return Ok(AuthorizeOutcome::Proofing {
                request_id: request_id.to_owned(),
            });
        }
        if request.wants_phishing_resistance() && !auth.session.phishing_resistant() {
            if prompt_none {
                return self
                    .refuse(
                        request,
                        "interaction_required",
                        "the app needs a sign-in with a passkey and this session did not use one",
                    )
                    .await;
            }
            return Ok(AuthorizeOutcome::PasskeyStepUp {
                request_id: request_id.to_owned(),
            });
        }
        let client = self
            .store
            .client(&request.client_id)
            .await?
            .ok_or_else(|| OAuthError::new("invalid_client", "unknown client"))?;
        match consent {
            Some(false) => {
                self.store.delete_request(request_id).await?;
                return self
                    .refuse(request, "access_denied", "the person declined to share")
                    .await;
            }
            Some(true) => {
                self.store
                    .save_consent(&Consent {
                        account_id: account.id.clone(),
                        client_id: client.client_id.clone(),
                        scope: request.scope.clone(),
                        granted_at: now,
                        revoked_at: None,
                    })
                    .await?;
                self.services
                    .security()
                    .record_app_consent(&account.id, &client.name)
                    .await?;
            }
            None => {
                let existing = self.store.consent(&account.id, &client.client_id).await?;
                let covered = existing.is_some_and(|c| {
                    c.revoked_at.is_none() && request.scope.iter().all(|s| c.scope.contains(s))
                });
                let forced = first_pass && request.prompt.iter().any(|p| p == "consent");
                if !covered || forced {
                    if prompt_none {
                        return self
                            .refuse(
                                request,
                                "consent_required",
                                "the person has not agreed to share with this app",
                            )
                            .await;
                    }
                    return Ok(AuthorizeOutcome::Consent {
                        request_id: request_id.to_owned(),
                        client_name: client.name.clone(),
                        scopes: request.scope.clone(),
                    });
                }
            }
        }
        if let Some(saml) = &request.saml {
            return self
                .saml_success(request_id, request, saml, auth, &client)
                .await;
        }
        let code = new_secret();
        let amr: Vec<String> = amr_of(auth.session.auth_method.as_deref())
            .into_iter()
            .map(str::to_owned)
            .collect();
        self.store
            .insert_code(&AuthorizationCode {
                code_hash: hash_secret(&code),
                client_id: client.client_id.clone(),
                account_id: account.id.clone(),
                redirect_uri: request.redirect_uri.clone(),
                scope: request.scope.clone(),
                nonce: request.nonce.clone(),
                code_challenge: request.code_challenge.clone(),
                auth_time: auth
                    .session
                    .factor_verified_at
                    .unwrap_or(auth.session.created_at),
                acr: acr_met(request, ial_of(account), auth.session.phishing_resistant())
                    .to_owned(),
                amr,
                created_at: now,
                expires_at: now + Duration::seconds(self.config.code_ttl_secs),
                used_at: None,
            })
            .await?;
        self.store.delete_request(request_id).await?;
        Ok(AuthorizeOutcome::Redirect(redirect_to(
            &request.redirect_uri,
            &[("code", Some(&code)), ("state", request.state.as_deref())],
        )))
    }

    /// The apps an account has agreed to share with (for the security page).
    pub async fn connected_apps(
        &self,
        account_id: &str,
    ) -> Result<Vec<(String, String, OffsetDateTime)>, OAuthError> {
        let mut apps = Vec::new();
        for consent in self.store.consents(account_id).await? {
            if consent.revoked_at.is_some() {
                continue;
            }
            let name = self
                .store
                .client(&consent.client_id)
                .await?
                .map(|c| c.name)
                .unwrap_or_else(|| consent.client_id.clone());
            apps.push((consent.client_id, name, consent.granted_at));
        }
        Ok(apps)
    }

    /// Withdraw consent for an app: its tokens stop working and the next sign-in asks
    /// again.
    pub async fn revoke_app(&self, account_id: &str, client_id: &str) -> Result<(), OAuthError> {
        let Some(mut consent) = self.store.consent(account_id, client_id).await? else {
            return Err(OAuthError::new(
                "invalid_request",
                "that app is not connected",
            ));
        };
        let now = self.now();
        consent.revoked_at = Some(now);
        self.store.save_consent(&consent).await?;
        self.store
            .revoke_tokens_of_client(account_id, client_id, now)
            .await?;
        let name = self
            .store
            .client(client_id)
            .await?
            .map(|c| c.name)
            .unwrap_or_else(|| client_id.to_owned());
        self.services
            .security()
            .record_app_revoked(account_id, &name)
            .await?;
        Ok(())
    }
}
