//! What an operator configures about delivery: [`DeliveryConfig`] and its checks.
//!
//! Every field has a default, so an empty configuration is valid and means
//! "development delivery": all messages go to `<data dir>/outbox.jsonl`.
//! `Debug` never shows the SMTP password, the webhook's credentials or its token.

use std::fmt;

use reqwest::Url;
use serde::{Deserialize, Serialize};

/// The longest claim accepted, in seconds (a day).
pub(crate) const MAX_CLAIM_SECS: i64 = 86_400;
/// The longest send time limit accepted, in seconds (an hour).
pub(crate) const MAX_TIMEOUT_SECS: u64 = 3_600;

/// A configuration value that cannot work, found at start-up.
///
/// The reason never repeats a password or token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("delivery configuration: {field}: {reason}")]
pub struct ConfigError {
    /// The offending key, as written in the configuration.
    pub field: &'static str,
    pub reason: String,
}

impl ConfigError {
    pub(crate) fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }
}

/// How messages leave the service.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeliveryConfig {
    /// SMTP server for email. Default: none (email goes to the development outbox file).
    ///
    /// `smtps://user:pass@host:465` uses implicit TLS; `smtp://user:pass@host:587` uses
    /// STARTTLS and refuses to continue without it. Plain `smtp://` to a loopback host
    /// (`localhost`, `127.0.0.1`, `::1`) is not encrypted. Add `?tls=opportunistic`
    /// (STARTTLS when offered) or `?tls=none` (never encrypted: only for a relay on a
    /// trusted network) to override. Escape special characters of user and password
    /// (`%40` for `@`). A path (`smtp://host/mail.example.org`) sets the EHLO name.
    pub smtp_url: Option<String>,
    /// The `From` of every email. Default: `Secure Access <no-reply@secure-access.invalid>`.
    pub email_from: String,
    /// HTTP endpoint that sends text messages. Default: none (SMS go to the development
    /// outbox file). Each message is a `POST` of the JSON `{"to", "body"}`; any 2xx answer
    /// means sent. Must be `https://`, except for a loopback host.
    pub sms_webhook_url: Option<String>,
    /// Bearer token sent to the SMS webhook as `Authorization: Bearer <token>`.
    /// Default: none (no `Authorization` header).
    pub sms_webhook_token: Option<String>,
    /// How often the worker looks for due messages when nothing wakes it, in
    /// milliseconds. Default: `1000`.
    pub poll_interval_ms: u64,
    /// Most messages claimed per pass. Default: `50`.
    pub batch_size: i64,
    /// Delivery attempts before a message is given up as dead. Default: `10` (the retries
    /// wait 5 s, 10 s, 20 s, ... capped at 1 h: about 43 minutes in all for 10 attempts).
    pub max_attempts: i64,
    /// How long claimed messages stay invisible to other workers, in seconds; must be
    /// longer than `request_timeout_secs`, at most 86400. Default: `60`.
    pub claim_secs: i64,
    /// The longest one message may take to hand over (SMTP exchange or webhook call), in
    /// seconds, 1 to 3600. Default: `10`.
    pub request_timeout_secs: u64,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            smtp_url: None,
            email_from: "Secure Access <no-reply@secure-access.invalid>".to_owned(),
            sms_webhook_url: None,
            sms_webhook_token: None,
            poll_interval_ms: 1000,
            batch_size: 50,
            max_attempts: 10,
            claim_secs: 60,
            request_timeout_secs: 10,
        }
    }
}

impl DeliveryConfig {
    /// Check the numbers (the URLs are checked when their sender is built).
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.poll_interval_ms == 0 {
            return Err(ConfigError::new("poll_interval_ms", "must be at least 1"));
        }
        if self.batch_size < 1 {
            return Err(ConfigError::new("batch_size", "must be at least 1"));
        }
        if self.max_attempts < 1 {
            return Err(ConfigError::new("max_attempts", "must be at least 1"));
        }
        if !(1..=MAX_TIMEOUT_SECS).contains(&self.request_timeout_secs) {
            return Err(ConfigError::new(
                "request_timeout_secs",
                format!("must be between 1 and {MAX_TIMEOUT_SECS}"),
            ));
        }
        if self.claim_secs > MAX_CLAIM_SECS {
            return Err(ConfigError::new(
                "claim_secs",
                format!("must be at most {MAX_CLAIM_SECS}"),
            ));
        }
        let timeout = i64::try_from(self.request_timeout_secs).unwrap_or(i64::MAX);
        if self.claim_secs <= timeout {
            return Err(ConfigError::new(
                "claim_secs",
                format!("must be longer than request_timeout_secs ({timeout})"),
            ));
        }
        Ok(())
    }
}

impl fmt::Debug for DeliveryConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeliveryConfig")
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_smtp_url))
            .field("email_from", &self.email_from)
            .field(
                "sms_webhook_url",
                &self.sms_webhook_url.as_deref().map(redact_webhook_url),
            )
            .field(
                "sms_webhook_token",
                &self.sms_webhook_token.as_ref().map(|_| "<redacted>"),
            )
            .field("poll_interval_ms", &self.poll_interval_ms)
            .field("batch_size", &self.batch_size)
            .field("max_attempts", &self.max_attempts)
            .field("claim_secs", &self.claim_secs)
            .field("request_timeout_secs", &self.request_timeout_secs)
            .finish()
    }
}

/// Stands in for a secret inside a URL (characters that need no escaping there).
const REDACTED: &str = "***";

/// The SMTP URL with its password replaced (user, host, port and `?tls=` stay visible).
fn redact_smtp_url(text: &str) -> String {
    match Url::parse(text) {
        Ok(mut url) => {
            if url.password().is_some() && url.set_password(Some(REDACTED)).is_err() {
                return "<unparsable URL, hidden>".to_owned();
            }
            url.to_string()
        }
        Err(_) => "<unparsable URL, hidden>".to_owned(),
    }
}

/// The webhook URL without credentials or query (which may carry an API key).
fn redact_webhook_url(text: &str) -> String {
    match Url::parse(text) {
        Ok(mut url) => {
            let hidden = url.password().is_some() && url.set_password(Some(REDACTED)).is_err();
            if hidden {
                return "<unparsable URL, hidden>".to_owned();
            }
            if url.query().is_some() {
                url.set_query(Some(REDACTED));
            }
            url.to_string()
        }
        Err(_) => "<unparsable URL, hidden>".to_owned(),
    }
}

/// Whether the URL's host is this machine (`localhost` or a loopback address).
pub(crate) fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

/// `host[:port]` of a URL, for error text (never credentials, path or query).
pub(crate) fn endpoint(url: &Url) -> String {
    let host = url.host_str().unwrap_or("?");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_configuration_is_the_documented_defaults() {
        let config: DeliveryConfig = serde_json::from_str("{}").unwrap();
        assert_eq!(config, DeliveryConfig::default());
        assert_eq!(config.smtp_url, None);
        assert_eq!(
            config.email_from,
            "Secure Access <no-reply@secure-access.invalid>"
        );
        assert_eq!(config.sms_webhook_url, None);
        assert_eq!(config.sms_webhook_token, None);
        assert_eq!(config.poll_interval_ms, 1000);
        assert_eq!(config.batch_size, 50);
        assert_eq!(config.max_attempts, 10);
        assert_eq!(config.claim_secs, 60);
        assert_eq!(config.request_timeout_secs, 10);
        config.validate().unwrap();
    }

    #[test]
    fn unknown_keys_are_refused() {
        let error = serde_json::from_str::<DeliveryConfig>(r#"{"smtp_host": "x"}"#).unwrap_err();
        assert!(error.to_string().contains("smtp_host"), "{error}");
    }

    #[test]
    fn debug_hides_passwords_and_tokens() {
        let config = DeliveryConfig {
            smtp_url: Some("smtp://mailer:pa55word@mail.example.org:587".into()),
            sms_webhook_url: Some("https://sid:hunter2@sms.example.org/send?api_key=k3y".into()),
            sms_webhook_token: Some("t0ken".into()),
            ..DeliveryConfig::default()
        };
        let text = format!("{config:?}");
        for secret in ["pa55word", "hunter2", "k3y", "t0ken"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(
            text.contains("\"smtp://mailer:***@mail.example.org:587\""),
            "{text}"
        );
        assert!(
            text.contains("\"https://sid:***@sms.example.org/send?***\""),
            "{text}"
        );
        assert!(
            text.contains("sms_webhook_token: Some(\"<redacted>\")"),
            "{text}"
        );
        assert!(text.contains("sms.example.org/send"), "{text}");
        let unparsable = DeliveryConfig {
            smtp_url: Some("smtp//mailer:pa55word@oops".into()),
            ..DeliveryConfig::default()
        };
        assert!(!format!("{unparsable:?}").contains("pa55word"));
    }

    #[test]
    fn impossible_numbers_are_refused() {
        let bad = |config: DeliveryConfig| config.validate().unwrap_err().field;
        let base = DeliveryConfig::default;
        assert_eq!(
            bad(DeliveryConfig {
                batch_size: 0,
                ..base()
            }),
            "batch_size"
        );
        assert_eq!(
            bad(DeliveryConfig {
                max_attempts: 0,
                ..base()
            }),
            "max_attempts"
        );
        assert_eq!(
            bad(DeliveryConfig {
                poll_interval_ms: 0,
                ..base()
            }),
            "poll_interval_ms"
        );
        assert_eq!(
            bad(DeliveryConfig {
                request_timeout_secs: 0,
                ..base()
            }),
            "request_timeout_secs"
        );
        assert_eq!(
            bad(DeliveryConfig {
                claim_secs: 10,
                ..base()
            }),
            "claim_secs"
        );
        assert_eq!(
            bad(DeliveryConfig {
                claim_secs: i64::MAX,
                ..base()
            }),
            "claim_secs"
        );
        assert_eq!(
            bad(DeliveryConfig {
                request_timeout_secs: u64::MAX,
                ..base()
            }),
            "request_timeout_secs"
        );
    }
}
