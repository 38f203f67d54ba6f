//! The OpenID Connect endpoints: discovery, JWKS, authorization (with the consent
//! page), token, userinfo, revocation, introspection and RP-initiated logout. Handlers translate HTTP to the
//! provider's decisions (`sa_domain::oidc`) and back. While a person signs in or
//! verifies their identity for an app, the pending request's id rides in a short-lived
//! cookie; pages that finish a journey (`/account/security`) call [`resume_pending`].
//!
//! One file per endpoint (`discovery.rs`, `authorize.rs`, `token.rs`, `userinfo.rs`,
//! `logout.rs`; `lifecycle.rs` for revocation and introspection), over the pending-request cookie (`pending.rs`) and the shared answers
//! (`answers.rs`).

mod answers;
mod authorize;
mod discovery;
mod lifecycle;
mod logout;
mod pending;
mod token;
mod userinfo;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub(crate) use answers::{browser_session, error_page, public_for_five_minutes};
pub(crate) use authorize::{Return, respond};
pub use pending::{PENDING, pending_request, resume_pending};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(discovery::discovery),
        )
        .route("/oidc/jwks", get(discovery::jwks))
        .route("/oidc/token", axum::routing::post(token::token))
        .route("/oidc/revoke", axum::routing::post(lifecycle::revoke))
        .route(
            "/oidc/introspect",
            axum::routing::post(lifecycle::introspect),
        )
        .route(
            "/oidc/userinfo",
            get(userinfo::userinfo).post(userinfo::userinfo),
        )
}

/// The browser-facing endpoints (they need the CSRF layer of the pages).
pub fn page_router() -> Router<AppState> {
    Router::new()
        .route("/oidc/authorize", get(authorize::authorize))
        .route("/oidc/authorize/resume", get(authorize::resume))
        .route("/oidc/consent", axum::routing::post(authorize::consent))
        .route(
            "/oidc/logout",
            get(logout::logout).post(logout::logout_form),
        )
}
