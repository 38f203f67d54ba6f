//! The OpenID Provider Configuration document (OpenID Connect Discovery 1.0 §3),
//! served at `{issuer}/.well-known/openid-configuration`. Endpoints are derived from
//! the issuer in one place ([`Endpoints`]) so the document, the router and the
//! client-assertion audience check cannot disagree.
//!
//! What it advertises is what the service does: the authorization code flow only,
//! refresh tokens (with `offline_access`), pairwise subjects, PKCE S256 only, ID tokens
//! in ES256 (default) or RS256, client authentication by `private_key_jwt` or
//! `client_secret_basic`, token revocation (RFC 7009) and introspection (RFC 7662), no
//! request objects.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::SigningAlg;

/// What differs between deployments; the rest of the document is fixed by the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderMetadata {
    /// The issuer identifier: `https` URL, no query or fragment, exactly the `iss` of
    /// every ID token.
    pub issuer: String,
    /// `scopes_supported`; `openid` is added if missing.
    pub scopes: Vec<String>,
    /// `claims_supported`; `sub` is added if missing.
    pub claims: Vec<String>,
    /// `acr_values_supported`.
    pub acr_values: Vec<String>,
}

impl ProviderMetadata {
    pub fn endpoints(&self) -> Endpoints {
        Endpoints::from_issuer(&self.issuer)
    }
}

/// The provider's endpoint URLs, all under `{issuer}/oidc/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub authorization: String,
    pub token: String,
    pub userinfo: String,
    pub jwks: String,
    pub end_session: String,
    pub revocation: String,
    pub introspection: String,
}

impl Endpoints {
    /// A trailing `/` on the issuer is not doubled.
    pub fn from_issuer(issuer: &str) -> Self {
        let base = issuer.trim_end_matches('/');
        let at = |path: &str| format!("{base}/oidc/{path}");
        Self {
            authorization: at("authorize"),
            token: at("token"),
            userinfo: at("userinfo"),
            jwks: at("jwks"),
            end_session: at("logout"),
            revocation: at("revoke"),
            introspection: at("introspect"),
        }
    }
}

/// The discovery document as JSON.
pub fn discovery_document(meta: &ProviderMetadata) -> Value {
    let endpoints = meta.endpoints();
    let algs: Vec<&str> = SigningAlg::ALL.iter().map(|alg| alg.as_str()).collect();
    json!({
        "issuer": meta.issuer,
        "authorization_endpoint": endpoints.authorization,
        "token_endpoint": endpoints.token,
        "userinfo_endpoint": endpoints.userinfo,
        "jwks_uri": endpoints.jwks,
        "end_session_endpoint": endpoints.end_session,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": algs,
        "token_endpoint_auth_methods_supported": ["private_key_jwt", "client_secret_basic"],
        "token_endpoint_auth_signing_alg_values_supported": algs,
        "revocation_endpoint": endpoints.revocation,
        "revocation_endpoint_auth_methods_supported": ["private_key_jwt", "client_secret_basic", "none"],
        "revocation_endpoint_auth_signing_alg_values_supported": algs,
        "introspection_endpoint": endpoints.introspection,
        "introspection_endpoint_auth_methods_supported": ["private_key_jwt", "client_secret_basic"],
        "introspection_endpoint_auth_signing_alg_values_supported": algs,
        "backchannel_logout_supported": true,
        "backchannel_logout_session_supported": false,
        "code_challenge_methods_supported": [crate::pkce::METHOD_S256],
        "scopes_supported": with_first("openid", &meta.scopes),
        "claims_supported": with_first("sub", &meta.claims),
        "claim_types_supported": ["normal"],
        "acr_values_supported": dedup(&meta.acr_values),
        "claims_parameter_supported": false,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
    })
}

/// `values` without duplicates, with `required` first if it was missing.
fn with_first(required: &str, values: &[String]) -> Vec<String> {
    let mut out = dedup(values);
    if !out.iter().any(|v| v == required) {
        out.insert(0, required.to_owned());
    }
    out
}

fn dedup(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        if !out.contains(value) {
            out.push(value.clone());
        }
    }
    out
}
