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
    /// `hours` and `visit` in other languages, by language code (`[help_desk.translations.es]`).
    /// A language without them shows the English. Empty unless configured, except in the
    /// built-in default, which has Spanish for its own words.
    #[serde(default)]
    pub translations: std::collections::BTreeMap<String, HelpDeskWords>,
}

/// The help desk's hours and visit instructions in one language.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpDeskWords {
    pub hours: String,
    pub visit: String,
}

impl HelpDesk {
    /// The same help desk with its words in `lang` (where they are configured).
    pub fn in_language(&self, lang: sa_i18n::Lang) -> Self {
        let mut words = self.clone();
        if let Some(translated) = self.translations.get(lang.code()) {
            words.hours = translated.hours.clone();
            words.visit = translated.visit.clone();
        }
        words
    }
}

impl Default for HelpDesk {
    fn default() -> Self {
        Self {
            phone: "800-555-0199".to_owned(),
            hours: "Monday to Friday, 7 a.m. to 7 p.m. local time".to_owned(),
            visit: "Call the help desk to book an appointment at an assistance center; bring a photo ID and your most recent tax return.".to_owned(),
            translations: [(
                "es".to_owned(),
                HelpDeskWords {
                    hours: "de lunes a viernes, de 7 a. m. a 7 p. m., hora local".to_owned(),
                    visit: "Llame a la mesa de ayuda para pedir una cita en un centro de asistencia; traiga una identificación con foto y su declaración de impuestos más reciente.".to_owned(),
                },
            )]
            .into(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use sa_i18n::Lang;

    #[test]
    fn the_help_desk_speaks_the_pages_language_where_it_is_configured() {
        let default = HelpDesk::default();
        assert!(
            default
                .in_language(Lang::Es)
                .hours
                .starts_with("de lunes a viernes")
        );
        assert_eq!(default.in_language(Lang::En).hours, default.hours);
        // An agency's own help desk has no translation it did not write.
        let agency: HelpDesk = serde_json::from_value(serde_json::json!({
            "phone": "800-555-0100",
            "hours": "Weekdays 8 to 8 Eastern",
            "visit": "Book online."
        }))
        .expect("a help desk");
        assert!(agency.translations.is_empty());
        assert_eq!(
            agency.in_language(Lang::Es).hours,
            "Weekdays 8 to 8 Eastern"
        );
    }
}
