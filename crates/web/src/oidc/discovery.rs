//! Discovery (`/.well-known/openid-configuration`) and the signing keys (`/oidc/jwks`).

use axum::extract::State;
use axum::response::Response;

use super::answers::{oauth_error, public_json};
use crate::state::AppState;

pub(super) async fn discovery(State(app): State<AppState>) -> Response {
    let meta = sa_oidc::ProviderMetadata {
        issuer: app.oidc.config.issuer.clone(),
        scopes: sa_domain::oidc::claims::SCOPES
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        claims: sa_domain::oidc::claims::CLAIMS
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        acr_values: sa_oidc::assurance::SUPPORTED
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
    };
    public_json(sa_oidc::discovery_document(&meta))
}

pub(super) async fn jwks(State(app): State<AppState>) -> Response {
    match app.oidc.jwks().await {
        Ok(keys) => public_json(keys),
        Err(error) => oauth_error(error),
    }
}
