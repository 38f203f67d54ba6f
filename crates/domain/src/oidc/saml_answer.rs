//! The SAML answers: our metadata and its certificates, the key that signs, and the
//! Response posted back to a service provider, signed, with an assertion (the person
//! signed in) or a status saying why not (`refuse`, which also answers OpenID Connect
//! requests with their error redirect). What arrives is checked in `saml.rs`.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sa_oidc::{SigningAlg, SigningKey};
use sa_saml::response::{Addressing, Statement, status};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::authorize::{AuthorizeOutcome, error_redirect};
use super::claims::{acr_met, ial_of};
use super::records::{AuthorizationRequest, Client, SamlContext};
use super::{OAuthError, OAuthResult, Provider, hash_secret};
use crate::journeys::AuthSession;

/// One of the opened current keys (they are shared, not cloned).
struct KeyRef {
    keys: Arc<Vec<super::key_cache::OpenedKey>>,
    index: usize,
}

impl std::ops::Deref for KeyRef {
    type Target = SigningKey;
    fn deref(&self) -> &SigningKey {
        &self.keys[self.index].key
    }
}

/// A fresh XML ID: `_` and 32 hex digits.
fn new_xml_id() -> String {
    let bytes = crate::keys::random_bytes::<16>();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("_{hex}")
}

/// The released claims as SAML attributes: one attribute per claim (the address's
/// members each as their own), values as text, `verified_at` as a date-time.
fn attributes(claims: Map<String, Value>) -> Vec<(String, Vec<String>)> {
    let text = |value: &Value| match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let mut out = Vec::new();
    for (name, value) in claims {
        match (&*name, &value) {
            ("verified_at", Value::Number(n)) => {
                let at = n
                    .as_i64()
                    .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
                    .and_then(|at| at.format(&Rfc3339).ok());
                if let Some(at) = at {
                    out.push((name, vec![at]));
                }
            }
            (_, Value::Object(members)) => {
                for (member, value) in members {
                    if let Some(value) = text(value) {
                        out.push((member.clone(), vec![value]));
                    }
                }
            }
            _ => {
                if let Some(value) = text(&value) {
                    out.push((name, vec![value]));
                }
            }
        }
    }
    out
}

impl Provider {
    /// Our metadata document: every published RS256 key's certificate (the signing
    /// one, and one still published after a rotation).
    pub async fn saml_metadata(&self) -> OAuthResult<String> {
        let now = self.now();
        let mut certificates = Vec::new();
        for stored in self.store.signing_keys().await? {
            let published = stored.publish_until.is_none_or(|until| until > now);
            if stored.alg != SigningAlg::Rs256.as_str() || !published {
                continue;
            }
            if let Some(cached) = self.cached_certificate(&stored.kid) {
                certificates.push(cached);
                continue;
            }
            if let Some(key) = self.open_key(&stored)? {
                certificates.push(self.certificate(&key, stored.created_at)?);
            }
        }
        Ok(sa_saml::metadata::identity_provider(
            &self.config.saml_entity_id(),
            &self.config.saml_sso_url(),
            &certificates,
        ))
    }

    fn cached_certificate(&self, kid: &str) -> Option<Vec<u8>> {
        self.certificates
            .0
            .lock()
            .ok()
            .and_then(|cache| cache.get(kid).cloned())
    }

    fn certificate(&self, key: &SigningKey, created_at: OffsetDateTime) -> OAuthResult<Vec<u8>> {
        if let Some(cached) = self.cached_certificate(&key.kid) {
            return Ok(cached);
        }
        let host = url::Url::parse(&self.config.issuer)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "secure-access".to_owned());
        let der = sa_saml::certificate::self_signed(key, &host, created_at)
            .map_err(|e| OAuthError::new("server_error", e.to_string()))?;
        if let Ok(mut cache) = self.certificates.0.lock() {
            cache.insert(key.kid.clone(), der.clone());
        }
        Ok(der)
    }

    /// The key SAML answers are signed with (the current RS256 key) and its
    /// certificate.
    async fn saml_signing_key(&self) -> OAuthResult<(KeyRef, Vec<u8>)> {
        let keys = self.current_keys().await?;
        let now = self.now();
        let index = keys
            .iter()
            .rposition(|k| k.key.alg == SigningAlg::Rs256 && k.signs_at(now))
            .ok_or_else(|| OAuthError::new("server_error", "no current RS256 key"))?;
        let created_at = keys[index].created_at;
        let key = KeyRef { keys, index };
        let certificate = self.certificate(&key, created_at)?;
        Ok((key, certificate))
    }

    /// A refusal: back to an OpenID Connect app as an error redirect, to a SAML
    /// service provider as a failure Response.
    pub(super) async fn refuse(
        &self,
        request: &AuthorizationRequest,
        error: &str,
        description: &str,
    ) -> OAuthResult<AuthorizeOutcome> {
        if request.saml.is_none() {
            return Ok(error_redirect(request, error, description));
        }
        let (top, second) = match error {
            "login_required" | "interaction_required" | "consent_required" => {
                (status::RESPONDER, Some(status::NO_PASSIVE))
            }
            "access_denied" => (status::RESPONDER, Some(status::REQUEST_DENIED)),
            _ => (status::REQUESTER, None),
        };
        self.saml_failure(request, top, second, description).await
    }

    pub(super) async fn saml_failure(
        &self,
        request: &AuthorizationRequest,
        top: &'static str,
        second: Option<&'static str>,
        message: &str,
    ) -> OAuthResult<AuthorizeOutcome> {
        let Some(saml) = &request.saml else {
            return Err(OAuthError::new("server_error", "not a SAML request"));
        };
        let entity_id = self.config.saml_entity_id();
        let response_id = new_xml_id();
        let to = Addressing {
            idp_entity_id: &entity_id,
            sp_entity_id: &request.client_id,
            acs_url: &request.redirect_uri,
            in_response_to: &saml.request_id,
            response_id: &response_id,
            now: self.now(),
        };
        let (key, certificate) = self.saml_signing_key().await?;
        let xml =
            sa_saml::response::failure_response(&to, top, second, message, &key, &certificate)
                .map_err(|e| OAuthError::new("server_error", e.to_string()))?;
        let app_name = self
            .store
            .client(&request.client_id)
            .await?
            .map_or_else(|| "the app".to_owned(), |c| c.name);
        Ok(AuthorizeOutcome::SamlPost {
            app_name,
            acs_url: request.redirect_uri.clone(),
            saml_response: STANDARD.encode(xml),
            relay_state: saml.relay_state.clone(),
            granted: false,
        })
    }

    /// The person is signed in, verified as needed and has agreed: the signed answer.
    pub(super) async fn saml_success(
        &self,
        request_id: &str,
        request: &AuthorizationRequest,
        saml: &SamlContext,
        auth: &AuthSession,
        client: &Client,
    ) -> OAuthResult<AuthorizeOutcome> {
        let account = &auth.account;
        let claims = self.claims(client, account, &request.scope).await?;
        let attributes = attributes(claims);
        let (key, certificate) = self.saml_signing_key().await?;
        let entity_id = self.config.saml_entity_id();
        let response_id = new_xml_id();
        let assertion_id = new_xml_id();
        let name_id = self.subject(&client.client_id, &account.id);
        if saml.subject.as_ref().is_some_and(|asked| *asked != name_id) {
            return self
                .saml_failure(
                    request,
                    status::RESPONDER,
                    Some(status::UNKNOWN_PRINCIPAL),
                    "The person signed in is not the one the app asked about.",
                )
                .await;
        }
        let session_index = format!("_{}", &hash_secret(&auth.session.id)[..32]);
        let to = Addressing {
            idp_entity_id: &entity_id,
            sp_entity_id: &client.client_id,
            acs_url: &request.redirect_uri,
            in_response_to: &saml.request_id,
            response_id: &response_id,
            now: self.now(),
        };
        let statement = Statement {
            assertion_id: &assertion_id,
            name_id: &name_id,
            authn_instant: auth
                .session
                .factor_verified_at
                .unwrap_or(auth.session.created_at),
            session_index: &session_index,
            authn_context: acr_met(request, ial_of(account), auth.session.phishing_resistant()),
            attributes: &attributes,
        };
        let xml = sa_saml::response::signed_response(&to, &statement, &key, &certificate)
            .map_err(|e| OAuthError::new("server_error", e.to_string()))?;
        self.store.delete_request(request_id).await?;
        Ok(AuthorizeOutcome::SamlPost {
            app_name: client.name.clone(),
            acs_url: request.redirect_uri.clone(),
            saml_response: STANDARD.encode(xml),
            relay_state: saml.relay_state.clone(),
            granted: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn claims_become_flat_text_attributes() {
        let claims = json!({
            "email": "pat@example.com",
            "email_verified": true,
            "verified_at": 1_764_844_800,
            "address": {"street_address": "1 Main St", "postal_code": "20001"},
        });
        let Value::Object(claims) = claims else {
            unreachable!()
        };
        let out = attributes(claims);
        let find = |name: &str| {
            out.iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v[0].clone())
        };
        assert_eq!(find("email").as_deref(), Some("pat@example.com"));
        assert_eq!(find("email_verified").as_deref(), Some("true"));
        assert_eq!(find("verified_at").as_deref(), Some("2025-12-04T10:40:00Z"));
        assert_eq!(find("street_address").as_deref(), Some("1 Main St"));
        assert_eq!(find("postal_code").as_deref(), Some("20001"));
        assert!(find("address").is_none());
    }
}
