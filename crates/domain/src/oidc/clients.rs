//! Registering apps (`secure-access apps add` and the `[[apps]]` of the configuration),
//! and looking after them at the console (`apps list`, `apps show`, `apps remove`;
//! adding and removing are in the audit log):
//! redirect URIs must be absolute `https://` (or `http://` on loopback) with no
//! fragment, scopes known, the authentication method consistent with what was given.
//! Secrets are stored as SHA-256 hashes (they are 256-bit random values, so a fast hash
//! is enough) and shown once.

use super::claims::SCOPES;
use super::records::{Client, ClientAuth, SamlServiceProvider};
use super::{OAuthError, OAuthResult, Provider, hash_secret, new_secret};

/// What an app registration asks for.
#[derive(Debug, Clone, Default)]
pub struct NewClient {
    /// Chosen by the caller (configuration) or generated.
    pub client_id: Option<String>,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    /// `private_key_jwt`, `client_secret_basic` or `none`.
    pub auth_method: String,
    /// For `private_key_jwt`: the app's public JWKS (JSON).
    pub jwks: Option<serde_json::Value>,
    /// For `client_secret_basic` from configuration: the secret (else one is generated).
    pub secret: Option<String>,
    pub scopes: Vec<String>,
    pub required_ial: u8,
    /// `ES256` (default) or `RS256`.
    pub id_token_alg: Option<String>,
    pub can_receive_ssn: bool,
    /// For `client_credentials`: the username of the verified account the app acts for.
    pub machine_username: Option<String>,
    /// Where Security Event Tokens are pushed (RFC 8935).
    pub events_uri: Option<String>,
    /// Where logout tokens are posted (OpenID Connect Back-Channel Logout 1.0).
    pub backchannel_logout_uri: Option<String>,
    /// A SAML service provider's metadata (XML): its entity id becomes the client id
    /// and its HTTP-POST consumers the redirect URIs.
    pub saml_metadata: Option<String>,
}

/// A registered app, with its secret if one was generated (shown once).
#[derive(Debug)]
pub struct Registered {
    pub client_id: String,
    pub secret: Option<String>,
}

fn redirect_ok(uri: &str) -> bool {
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| uri.starts_with(p));
    (uri.starts_with("https://") || loopback)
        && !uri.contains('#')
        && !uri.contains(char::is_whitespace)
}

/// Fill a registration from a SAML service provider's metadata.
fn saml_registration(new: &mut NewClient, xml: &str) -> OAuthResult<SamlServiceProvider> {
    let invalid = |m: String| OAuthError::new("invalid_client_metadata", m);
    let sp = sa_saml::metadata::parse_service_provider(xml).map_err(|e| invalid(e.to_string()))?;
    if new.client_id.as_ref().is_some_and(|id| *id != sp.entity_id) {
        return Err(invalid(format!(
            "a SAML app's client id is its entity id, {:?}",
            sp.entity_id
        )));
    }
    if !new.redirect_uris.is_empty() || new.backchannel_logout_uri.is_some() {
        return Err(invalid(
            "a SAML app takes its consumer URLs from its metadata, and has no redirect or logout URIs".into(),
        ));
    }
    for consumer in &sp.consumers {
        // The consumer goes into the answer page's Content-Security-Policy.
        if !redirect_ok(&consumer.url)
            || !consumer.url.is_ascii()
            || consumer.url.contains([';', ',', '\'', '"'])
        {
            return Err(invalid(format!(
                "AssertionConsumerService {:?} must be an absolute https:// URL (http:// only on loopback) in ASCII without a fragment, quotes, commas or semicolons",
                consumer.url
            )));
        }
    }
    new.client_id = Some(sp.entity_id.clone());
    new.redirect_uris = sp.consumers.iter().map(|c| c.url.clone()).collect();
    new.auth_method = "none".to_owned();
    Ok(SamlServiceProvider::from(&sp))
}

impl Provider {
    /// Register (or, with a fixed client id, update) an app.
    pub async fn register_client(&self, mut new: NewClient) -> OAuthResult<Registered> {
        let invalid = |m: &str| OAuthError::new("invalid_client_metadata", m.to_owned());
        let saml = match new.saml_metadata.take() {
            Some(xml) => Some(saml_registration(&mut new, &xml)?),
            None => None,
        };
        if new.name.trim().is_empty() {
            return Err(invalid("the app needs a name"));
        }
        if new.redirect_uris.is_empty() {
            return Err(invalid("at least one redirect URI is needed"));
        }
        for uri in new
            .redirect_uris
            .iter()
            .chain(&new.post_logout_redirect_uris)
        {
            if !redirect_ok(uri) {
                return Err(invalid(&format!(
                    "redirect URI {uri:?} must be an absolute https:// URI (http:// only on loopback) without a fragment"
                )));
            }
        }
        for uri in new.events_uri.iter().chain(&new.backchannel_logout_uri) {
            if !redirect_ok(uri) {
                return Err(invalid(&format!(
                    "events and logout URI {uri:?} must be an absolute https:// URI (http:// only on loopback) without a fragment"
                )));
            }
        }
        let mut scopes = new.scopes.clone();
        if !scopes.iter().any(|s| s == "openid") {
            scopes.insert(0, "openid".to_owned());
        }
        if let Some(unknown) = scopes.iter().find(|s| !SCOPES.contains(&s.as_str())) {
            return Err(invalid(&format!("unknown scope {unknown:?}")));
        }
        let auth_method = ClientAuth::parse(&new.auth_method).ok_or_else(|| {
            invalid("auth method must be private_key_jwt, client_secret_basic or none")
        })?;
        let alg = new
            .id_token_alg
            .clone()
            .unwrap_or_else(|| "ES256".to_owned());
        if alg != "ES256" && alg != "RS256" {
            return Err(invalid("ID token algorithm must be ES256 or RS256"));
        }
        if !(1..=2).contains(&new.required_ial) {
            return Err(invalid("identity level must be 1 or 2"));
        }
        let mut shown_secret = None;
        let secret_hash = match auth_method {
            ClientAuth::ClientSecretBasic => {
                let secret = match new.secret.clone() {
                    Some(secret) if secret.len() >= 32 => secret,
                    Some(_) => {
                        return Err(invalid("a client secret must be at least 32 characters"));
                    }
                    None => {
                        let secret = new_secret();
                        shown_secret = Some(secret.clone());
                        secret
                    }
                };
                Some(hash_secret(&secret))
            }
            _ => None,
        };
        if auth_method == ClientAuth::PrivateKeyJwt {
            let keys = new
                .jwks
                .as_ref()
                .and_then(|j| j.get("keys"))
                .and_then(|k| k.as_array())
                .filter(|k| !k.is_empty())
                .ok_or_else(|| invalid("private_key_jwt needs the app's public keys (a JWKS)"))?;
            if keys
                .iter()
                .any(|k| k.get("d").is_some() || k.get("kty") == Some(&serde_json::json!("oct")))
            {
                return Err(invalid("the JWKS must hold public keys only"));
            }
        }
        let machine_account_id = match new.machine_username.as_deref() {
            Some(username) => {
                let account = self
                    .services
                    .core()
                    .store
                    .account_by_username(&crate::journeys::normalise_username(username))
                    .await?
                    .ok_or_else(|| {
                        invalid("no account with that username for client_credentials")
                    })?;
                if account.identity_verified_at.is_none() {
                    return Err(invalid(
                        "client_credentials needs an account whose identity is verified",
                    ));
                }
                Some(account.id)
            }
            None => None,
        };
        let client_id = new
            .client_id
            .clone()
            .unwrap_or_else(|| format!("app-{}", &new_secret()[..16]));
        let client = Client {
            client_id: client_id.clone(),
            name: new.name.trim().to_owned(),
            redirect_uris: new.redirect_uris,
            post_logout_redirect_uris: new.post_logout_redirect_uris,
            auth_method,
            secret_hash,
            jwks: new.jwks,
            scopes,
            required_ial: new.required_ial,
            id_token_alg: alg,
            can_receive_ssn: new.can_receive_ssn,
            machine_account_id,
            events_uri: new.events_uri,
            backchannel_logout_uri: new.backchannel_logout_uri,
            saml,
            created_at: self.now(),
        };
        self.store.upsert_client(&client).await?;
        Ok(Registered {
            client_id,
            secret: shown_secret,
        })
    }
}

impl Provider {
    /// Every registered app, by client id (`apps list`).
    pub async fn clients(&self) -> crate::DomainResult<Vec<Client>> {
        Ok(self.store.clients().await?)
    }

    /// The latest tokens sent to an app and how their delivery stands (`apps show`).
    pub async fn deliveries(
        &self,
        client_id: &str,
    ) -> crate::DomainResult<Vec<crate::app_events::AppDelivery>> {
        Ok(self
            .services
            .core()
            .store
            .app_deliveries(client_id, 20)
            .await?)
    }

    /// One registered app (`apps show`).
    pub async fn client_named(&self, client_id: &str) -> crate::DomainResult<Client> {
        self.store
            .client(client_id)
            .await?
            .ok_or(crate::DomainError::NotFound("error-no-app-client-id"))
    }

    /// Record an app registered at the console (`apps add`); `[[apps]]` registrations
    /// repeat at every start and are not recorded.
    pub async fn record_console_registration(&self, client_id: &str) -> crate::DomainResult<()> {
        let core = self.services.core();
        core.commit(crate::store::Change::new().with(core.audit(
            crate::audit::SYSTEM_ACTOR.to_owned(),
            "app.registered",
            None,
            serde_json::json!({"client_id": client_id, "via": "console"}),
        )))
        .await
    }

    /// Remove an app (`apps remove`): its registration, pending requests, codes, tokens
    /// and consents go at once, with the audit entry, in one transaction. People who
    /// used it keep their accounts; the app can no longer sign anyone in. An app of the
    /// configuration's `[[apps]]` comes back at the next start unless removed there too.
    pub async fn remove_client(
        &self,
        client_id: &str,
        reason: Option<&str>,
    ) -> crate::DomainResult<()> {
        let reason = crate::journeys::checked_reason(reason)?;
        self.client_named(client_id).await?;
        let core = self.services.core();
        let change = crate::store::Change::new()
            .with(crate::store::Write::DeleteOidcClient {
                client_id: client_id.to_owned(),
            })
            .with(core.audit(
                crate::audit::SYSTEM_ACTOR.to_owned(),
                "app.removed",
                None,
                serde_json::json!({"client_id": client_id, "via": "console", "reason": reason}),
            ));
        core.commit(change).await
    }
}
