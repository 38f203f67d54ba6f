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
    /// How to reach people, shown wherever a page sends someone to them.
    pub help_desk: HelpDesk,
    /// Client networks that may read `/metrics`.
    pub metrics_allowed: Vec<IpNet>,
}

/// The help desk and the assistance centers, as the agency runs them (`[help_desk]` in
/// the configuration). Pages that send someone there say how, from here.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HelpDesk {
    /// The phone number, as people dial it.
    pub phone: String,
    /// When it answers, in words.
    pub hours: String,
    /// How to book an in-person visit at an assistance center.
    pub visit: String,
}

impl Default for HelpDesk {
    fn default() -> Self {
        Self {
            phone: "800-555-0199".to_owned(),
            hours: "Monday to Friday, 7 a.m. to 7 p.m. local time".to_owned(),
            visit: "Call the help desk to book an appointment at an assistance center; bring a photo ID and your most recent tax return.".to_owned(),
        }
    }
}

/// Shared state of every handler.
pub struct App {
    pub services: Arc<Services>,
    /// The OpenID Connect provider (single sign-on for the apps).
    pub oidc: Arc<sa_domain::oidc::Provider>,
    pub config: WebConfig,
    /// The HTTP metrics and scrape-time gauges (`/metrics`).
    pub metrics: crate::metric_families::WebMetrics,
}

pub type AppState = Arc<App>;
