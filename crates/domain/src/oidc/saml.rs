//! SAML 2.0 single sign-on for service providers that do not speak OpenID Connect.
//! A SAML service provider is a registered app whose `client_id` is its entity id and
//! whose redirect URIs are its HTTP-POST consumers; an AuthnRequest becomes a kept
//! authorization request with a [`SamlContext`], so sign-in, the second factor,
//! identity proofing (step-up for IAL2), the passkey step-up and consent are the same
//! journeys as for OpenID Connect apps. Only the last hop differs: a signed Response
//! posted to the consumer instead of a code.
//!
//! ```text
//!  SP ─► /saml/sso (Redirect or POST) ─► saml_sso: registered SP, registered ACS,
//!        signature where required, IssueInstant window, ID never seen ─► decide()
//!        ─► … sign-in, proofing, consent … ─► saml_success ─► form posts Response ─► SP
//! ```
//!
//! Problems a person cannot fix (an unknown SP, an unregistered ACS, a bad signature,
//! a replay) end on an error page and are never posted anywhere; problems the SP
//! should hear (a NameID format we do not issue, a passive request for someone not
//! signed in, a refusal to share) go back to its consumer as a failure Response.
//!
//! This file reads and checks what arrives; `saml_answer.rs` signs what goes back.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sa_saml::request::{AuthnRequest, Refusal};
use sa_saml::response::status;
use time::Duration;

use super::authorize::AuthorizeOutcome;
use super::claims::ial_requested;
use super::records::{AuthorizationRequest, SamlContext, SamlServiceProvider};
use super::{OAuthError, OAuthResult, Provider, ProviderConfig, hash_secret};
use crate::journeys::AuthSession;

/// A request issued longer ago than this is refused (SPs send it at once).
const REQUEST_MAX_AGE: Duration = Duration::minutes(10);
/// Clock skew allowed for a request issued "in the future".
const REQUEST_SKEW: Duration = Duration::minutes(3);
/// Request IDs are remembered past the window, so a replay is always caught.
const REQUEST_ID_MEMORY: Duration = Duration::minutes(15);
/// The longest RelayState carried (the profile says 80 bytes; some SPs send more).
const MAX_RELAY_STATE: usize = 1024;

/// How the AuthnRequest arrived.
#[derive(Debug, Clone, Copy)]
pub enum SamlBinding<'a> {
    /// HTTP-Redirect: the query string as received (its signature covers it).
    Redirect { raw_query: &'a str },
    /// HTTP-POST: form fields.
    Post,
}

/// An AuthnRequest as the web layer received it.
#[derive(Debug, Clone, Copy)]
pub struct SamlInbound<'a> {
    pub binding: SamlBinding<'a>,
    /// The `SAMLRequest` parameter, percent-decoded (still base64).
    pub saml_request: &'a str,
    pub relay_state: Option<&'a str>,
}

/// What became of an arriving AuthnRequest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SamlStart {
    /// Accepted and kept under this id: continue with [`Provider::saml_begin`] in a
    /// request that carries the browser's session (a cross-site POST does not).
    Kept(String),
    /// Answered already: an error page, or a failure Response for the SP.
    Answered(AuthorizeOutcome),
}

impl ProviderConfig {
    /// Our entity id: the metadata's own URL.
    pub fn saml_entity_id(&self) -> String {
        format!("{}/saml/metadata", self.issuer)
    }

    /// The SingleSignOnService, for both bindings.
    pub fn saml_sso_url(&self) -> String {
        format!("{}/saml/sso", self.issuer)
    }
}

impl From<&sa_saml::metadata::ServiceProvider> for SamlServiceProvider {
    fn from(sp: &sa_saml::metadata::ServiceProvider) -> Self {
        Self {
            consumers: sp.consumers.clone(),
            signing_certificates: sp
                .signing_certificates
                .iter()
                .map(|c| STANDARD.encode(c))
                .collect(),
            authn_requests_signed: sp.authn_requests_signed,
            want_assertions_signed: sp.want_assertions_signed,
        }
    }
}

impl SamlServiceProvider {
    fn consumer(&self, url: Option<&str>, index: Option<u16>) -> Option<String> {
        sa_saml::metadata::choose_consumer(&self.consumers, url, index).map(|c| c.url.clone())
    }

    fn verifying_keys(&self) -> Vec<graviola::signing::rsa::VerifyingKey> {
        self.signing_certificates
            .iter()
            .filter_map(|c| STANDARD.decode(c).ok())
            .filter_map(|der| sa_saml::certificate::rsa_public_key(&der).ok())
            .collect()
    }
}

fn page(message: &str) -> OAuthResult<AuthorizeOutcome> {
    Ok(AuthorizeOutcome::ErrorPage(message.to_owned()))
}

impl Provider {
    /// An AuthnRequest arrives: check it and keep it.
    pub async fn saml_accept(&self, inbound: SamlInbound<'_>) -> OAuthResult<SamlStart> {
        let page = |message: &str| {
            Ok(SamlStart::Answered(AuthorizeOutcome::ErrorPage(
                message.to_owned(),
            )))
        };
        let decoded = match inbound.binding {
            SamlBinding::Redirect { .. } => sa_saml::binding::decode_redirect(inbound.saml_request),
            SamlBinding::Post => sa_saml::binding::decode_post(inbound.saml_request),
        };
        let parsed = decoded.and_then(|xml| {
            sa_saml::request::parse_authn_request(&xml).map(|parsed| (parsed, xml))
        });
        let ((request, refusal), xml) = match parsed {
            Ok(parsed) => parsed,
            Err(error) => return page(&format!("{error} Go back to the app and start again.")),
        };
        let Some(client) = self.store.client(&request.issuer).await? else {
            return page("This service provider is not registered with Secure Access.");
        };
        let Some(sp) = client.saml.clone() else {
            return page("This app signs in with OpenID Connect, not SAML.");
        };
        let Some(acs_url) = sp.consumer(request.acs_url.as_deref(), request.acs_index) else {
            return page(
                "The app asked to return to an address it has not registered, so we stopped here to protect you.",
            );
        };
        if let Some(problem) = self
            .saml_request_problem(&inbound, &xml, &request, &sp)
            .await?
        {
            return page(problem);
        }
        if inbound
            .relay_state
            .is_some_and(|r| r.len() > MAX_RELAY_STATE)
        {
            return page("The app's RelayState is too long (at most 1,024 bytes).");
        }
        let context = SamlContext {
            request_id: request.id.clone(),
            relay_state: inbound.relay_state.map(str::to_owned),
            subject: request.subject.clone(),
        };
        let contexts = request.authn_contexts.join(" ");
        let acr_values: Vec<String> = sa_oidc::assurance::requested(&contexts)
            .into_iter()
            .map(str::to_owned)
            .collect();
        let kept = AuthorizationRequest {
            client_id: client.client_id.clone(),
            redirect_uri: acs_url,
            scope: client.scopes.clone(),
            state: None,
            nonce: None,
            code_challenge: None,
            prompt: if request.is_passive {
                vec!["none".to_owned()]
            } else if request.force_authn {
                vec!["login".to_owned()]
            } else {
                Vec::new()
            },
            max_age: None,
            login_hint: None,
            ial: client
                .required_ial
                .max(ial_requested(&contexts).unwrap_or(1)),
            acr_values,
            saml: Some(context),
        };
        if refusal == Some(Refusal::NameIdPolicy) {
            return self
                .saml_failure(
                    &kept,
                    status::REQUESTER,
                    Some(status::INVALID_NAME_ID_POLICY),
                    "Only persistent NameIDs are issued.",
                )
                .await
                .map(SamlStart::Answered);
        }
        if !request.authn_contexts.is_empty() && kept.acr_values.is_empty() {
            return self
                .saml_failure(
                    &kept,
                    status::REQUESTER,
                    Some(status::NO_AUTHN_CONTEXT),
                    "None of the requested authentication contexts is supported.",
                )
                .await
                .map(SamlStart::Answered);
        }
        let request_id = super::new_secret();
        let now = self.now();
        let json = serde_json::to_string(&kept)
            .map_err(|_| OAuthError::new("server_error", "request could not be kept"))?;
        self.store
            .insert_request(
                &request_id,
                &kept.client_id,
                &json,
                now,
                now + Duration::seconds(self.config.request_ttl_secs),
            )
            .await?;
        Ok(SamlStart::Kept(request_id))
    }

    /// The first decision on a kept AuthnRequest (`ForceAuthn` applies here, as
    /// `prompt=login` does on an authorization request's first pass).
    pub async fn saml_begin(
        &self,
        request_id: &str,
        auth: Option<&AuthSession>,
    ) -> OAuthResult<AuthorizeOutcome> {
        let kept = self
            .store
            .request(request_id, self.now())
            .await?
            .and_then(|json| serde_json::from_str::<AuthorizationRequest>(&json).ok())
            .filter(|request| request.saml.is_some());
        let Some(kept) = kept else {
            return page("This sign-in request has expired. Go back to the app and start again.");
        };
        self.decide(request_id, &kept, auth, None, true).await
    }

    /// What is wrong with a readable request from a registered SP, if anything: where
    /// it was sent, its signature, its age, and whether its ID was seen before.
    async fn saml_request_problem(
        &self,
        inbound: &SamlInbound<'_>,
        xml: &str,
        request: &AuthnRequest,
        sp: &SamlServiceProvider,
    ) -> OAuthResult<Option<&'static str>> {
        if request
            .destination
            .as_deref()
            .is_some_and(|d| d != self.config.saml_sso_url())
        {
            return Ok(Some(
                "The sign-in request was addressed to another service. Go back to the app and start again.",
            ));
        }
        // A signature present is checked even where none is required.
        let checked = match inbound.binding {
            SamlBinding::Redirect { raw_query } => {
                sa_saml::signature::redirect_is_signed(raw_query)
                    .then(|| sa_saml::signature::verify_redirect(raw_query, &sp.verifying_keys()))
            }
            SamlBinding::Post => request
                .has_xml_signature
                .then(|| sa_saml::signature::verify_post(xml, &sp.verifying_keys())),
        };
        match checked {
            Some(Err(error)) => {
                tracing::warn!(%error, "saml request signature refused");
                return Ok(Some(
                    "The sign-in request's signature is not valid, so we stopped here to protect you.",
                ));
            }
            None if sp.authn_requests_signed => {
                return Ok(Some(
                    "This app must sign its sign-in requests and this one is not signed, so we stopped here to protect you.",
                ));
            }
            _ => {}
        }
        let now = self.now();
        if request.issue_instant < now - REQUEST_MAX_AGE
            || request.issue_instant > now + REQUEST_SKEW
        {
            return Ok(Some(
                "This sign-in request is too old (or its clock is wrong). Go back to the app and start again.",
            ));
        }
        let seen_key = hash_secret(&format!(
            "saml-authn-request\n{}\n{}",
            request.issuer, request.id
        ));
        if !self
            .store
            .remember_assertion(&seen_key, now + REQUEST_ID_MEMORY, now)
            .await?
        {
            return Ok(Some(
                "This sign-in request was already used. Go back to the app and start again.",
            ));
        }
        Ok(None)
    }
}
