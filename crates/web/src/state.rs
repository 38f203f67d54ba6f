//! What every handler shares: the journeys, the OpenID Connect provider and the web
//! settings. At the bottom of the crate: every other module may use it.

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
