//! # sa-web: the two faces of Secure Access
//!
//! Axum handlers for the HTML pages ([`pages`]), the JSON API ([`api`]) and the health
//! endpoints ([`health`]). Handlers are thin: parse input, call one journey on
//! [`sa_domain::Services`], render the result as HTML or JSON. A page and its API
//! endpoint call the same journey, so the two faces cannot drift apart.
//!
//! Cross-cutting pieces, each in one place:
//! - [`error`]: every domain error mapped once to a status, a stable code and a message.
//! - [`extract`]: JSON bodies with clear 4xx errors, client IP (trusted proxies), auth.
//! - [`csrf`]: signed double-submit tokens on every form.
//! - [`headers`]: security headers and caching rules on every response.
//! - [`access_log`]: one line per request (method, path, status, duration; nothing else).
//! - [`metrics`]: `/metrics` (Prometheus text format) and the per-route HTTP counters.
//! - [`assets`]: the vendored U.S. Web Design System stylesheet, fonts and icons.
//! - [`oidc`]: the OpenID Connect provider's endpoints (discovery, JWKS, authorize,
//!   token, userinfo, logout).
//! - `saml`: the SAML 2.0 identity provider's endpoints (metadata, single sign-on by
//!   both bindings); the journey then runs on the OpenID Connect provider's pages.
//! - [`maintenance`]: sign-in closed during a planned window; [`maintenance_notice`]: the
//!   banners and messages about it.
//! - [`state`]: what every handler shares ([`AppState`]); [`qr`]: QR codes for set-up.
//! - [`panics`]: the last-resort `500` for a handler that panics.
#![forbid(unsafe_code)]

pub mod access_log;
pub mod api;
pub mod assets;
pub mod cookies;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod headers;
pub mod health;
pub mod history;
pub mod language;
pub mod locale;
pub mod maintenance;
pub mod maintenance_notice;
pub mod metric_families;
pub mod metrics;
pub mod oidc;
pub mod pages;
pub mod panics;
pub mod qr;
mod saml;
pub mod state;

pub use state::{App, AppState, HelpDesk, WebConfig};

use axum::Router;
use axum::extract::DefaultBodyLimit;

/// The whole HTTP surface. Every page form, the OpenID Connect ones included, passes
/// the CSRF check first.
pub fn router(app: AppState) -> Router {
    let max_body = app.config.max_body_bytes;
    let pages = pages::router()
        .merge(oidc::page_router())
        .merge(saml::page_router())
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            csrf::protect,
        ));
    Router::new()
        .merge(pages)
        .merge(api::router())
        .merge(oidc::router())
        .merge(saml::router())
        .merge(health::router())
        .route("/metrics", axum::routing::get(metrics::serve))
        .merge(assets::router())
        .fallback(pages::layout::not_found)
        .layer(panics::catch_panics())
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            maintenance::enforce,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            headers::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            language::choose,
        ))
        .layer(axum::middleware::from_fn(access_log::log_request))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            metrics::record,
        ))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(app)
}
