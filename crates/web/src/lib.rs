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
//! - [`assets`]: the vendored U.S. Web Design System stylesheet, fonts and icons.
//! - [`oidc`]: the OpenID Connect provider's endpoints (discovery, JWKS, authorize,
//!   token, userinfo, logout).
//! - [`maintenance`]: planned maintenance: banners, and sign-in closed during a window.
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
pub mod maintenance;
pub mod oidc;
pub mod pages;
pub mod panics;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use ipnet::IpNet;
use sa_domain::Services;
use std::sync::Arc;

/// Web-facing settings (a slice of the service configuration).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The URL people use to reach the service.
    pub public_url: String,
    /// Mark cookies `Secure` and use `__Host-` names. Off only for plain HTTP on loopback.
    pub secure_cookies: bool,
    /// Send `Strict-Transport-Security` (when served over HTTPS).
    pub hsts: bool,
    /// Peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Shown on pages so a newcomer knows it is a demonstration.
    pub demo: bool,
}

/// Shared state of every handler.
pub struct App {
    pub services: Arc<Services>,
    /// The OpenID Connect provider (single sign-on for the apps).
    pub oidc: Arc<sa_domain::oidc::Provider>,
    pub config: WebConfig,
}

pub type AppState = Arc<App>;

/// The whole HTTP surface.
pub fn router(app: AppState) -> Router {
    let max_body = app.config.max_body_bytes;
    Router::new()
        .merge(pages::router(app.clone()))
        .merge(api::router())
        .merge(oidc::router())
        .merge(health::router())
        .merge(assets::router())
        .fallback(pages::not_found)
        .layer(panics::catch_panics())
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            maintenance::enforce,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            headers::security_headers,
        ))
        .layer(axum::middleware::from_fn(access_log::log_request))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(app)
}
