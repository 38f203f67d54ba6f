//! Email over SMTP with `lettre`: a text/plain message with the subject and body of the
//! [`Message`], `From` set by configuration, `Date` from the injected clock.
//!
//! TLS follows the URL (see [`crate::DeliveryConfig::smtp_url`]): unlike `lettre`'s own
//! reading, a plain `smtp://` URL to a remote host requires STARTTLS, so credentials and
//! codes never cross a network in the clear unless `?tls=none` says so.
//!
//! Errors keep the server's reply code but never its text, which may quote the recipient.

use std::time::Duration;

use async_trait::async_trait;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use reqwest::Url;
use sa_domain::model::Message;
use time::OffsetDateTime;

use super::sender::{SendError, Sender};
use crate::config::{ConfigError, endpoint, is_loopback};

/// Sends email through one SMTP server.
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// `host:port`, for error text.
    endpoint: String,
    security: Security,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSender")
            .field("endpoint", &self.endpoint)
            .field("security", &self.security)
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    /// `smtps://`: TLS from the first byte.
    Implicit,
    /// STARTTLS, or fail.
    Required,
    /// STARTTLS when the server offers it.
    Opportunistic,
    /// Never encrypted.
    None,
}

impl SmtpSender {
    /// Build the sender from an SMTP URL (see [`crate::DeliveryConfig::smtp_url`]).
    /// `timeout` bounds each SMTP command.
    pub fn new(smtp_url: &str, email_from: &str, timeout: Duration) -> Result<Self, ConfigError> {
        let from: Mailbox = email_from
            .parse()
            .map_err(|_| ConfigError::new("email_from", "is not an email address"))?;
        let (lettre_url, security, endpoint) = lettre_url(smtp_url)?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&lettre_url)
            .map_err(|e| ConfigError::new("smtp_url", e.to_string()))?
            .timeout(Some(timeout))
            .build();
        Ok(Self {
            transport,
            from,
            endpoint,
            security,
        })
    }
}

/// The URL in the form `lettre` reads, the protection it gives, and `host:port`.
fn lettre_url(text: &str) -> Result<(String, Security, String), ConfigError> {
    let mut url = Url::parse(text)
        .map_err(|e| ConfigError::new("smtp_url", format!("is not a URL ({e})")))?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ConfigError::new("smtp_url", "has no host"));
    }
    let tls: Option<String> = url
        .query_pairs()
        .find(|(key, _)| key == "tls")
        .map(|(_, value)| value.into_owned());
    let security = match (url.scheme(), tls.as_deref()) {
        ("smtps", None) => Security::Implicit,
        ("smtps", Some(_)) => {
            return Err(ConfigError::new(
                "smtp_url",
                "smtps:// is always TLS; drop the tls parameter",
            ));
        }
        ("smtp", None) if is_loopback(&url) => Security::None,
        ("smtp", None) => {
            set_tls(&mut url, Some("required"));
            Security::Required
        }
        ("smtp", Some("required")) => Security::Required,
        ("smtp", Some("opportunistic")) => Security::Opportunistic,
        ("smtp", Some("none")) => {
            // lettre's reading of a plain smtp:// URL without `tls` is "no TLS".
            set_tls(&mut url, None);
            Security::None
        }
        ("smtp", Some(_)) => {
            return Err(ConfigError::new(
                "smtp_url",
                "tls must be required, opportunistic or none",
            ));
        }
        _ => {
            return Err(ConfigError::new(
                "smtp_url",
                "must start with smtp:// or smtps://",
            ));
        }
    };
    let endpoint = endpoint(&url);
    Ok((url.to_string(), security, endpoint))
}

/// Replace (or remove) the `tls` query parameter, keeping any others.
fn set_tls(url: &mut Url, tls: Option<&str>) {
    let others: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != "tls")
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    url.set_query(None);
    if others.is_empty() && tls.is_none() {
        return;
    }
    let mut pairs = url.query_pairs_mut();
    for (key, value) in &others {
        pairs.append_pair(key, value);
    }
    if let Some(tls) = tls {
        pairs.append_pair("tls", tls);
    }
}

#[async_trait]
impl Sender for SmtpSender {
    async fn send(
        &self,
        message_id: &str,
        message: &Message,
        at: OffsetDateTime,
    ) -> Result<(), SendError> {
        let to: Mailbox = message.to.parse().map_err(|_| {
            SendError::Permanent("recipient is not a valid email address".to_owned())
        })?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.as_str())
            .date(at.into())
            // The same Message-ID on a repeat after a crash lets mail systems drop it.
            .message_id(Some(format!("<{message_id}@{}>", self.from.email.domain())))
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone())
            .map_err(|e| SendError::Permanent(format!("email cannot be built: {e}")))?;
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| SendError::Transient(describe(&e, &self.endpoint)))
    }

    fn kind(&self) -> &'static str {
        "smtp"
    }
}

/// What went wrong, without the server's reply text (it may quote the recipient).
fn describe(error: &lettre::transport::smtp::Error, endpoint: &str) -> String {
    if let Some(code) = error.status() {
        format!("smtp server {endpoint} refused the message (reply {code})")
    } else if error.is_timeout() {
        format!("smtp server {endpoint} timed out")
    } else if error.is_response() {
        format!("smtp server {endpoint} sent a reply that could not be read")
    } else {
        // Network, connection, TLS and client errors: io and TLS texts, no message data.
        format!("smtp server {endpoint}: {error}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_plain_smtp_requires_starttls() {
        let (url, security, endpoint) = lettre_url("smtp://u:p@mail.example.org:587").unwrap();
        assert_eq!(security, Security::Required);
        assert_eq!(url, "smtp://u:p@mail.example.org:587?tls=required");
        assert_eq!(endpoint, "mail.example.org:587");
    }

    #[test]
    fn loopback_plain_smtp_is_unencrypted() {
        for text in [
            "smtp://127.0.0.1:2525",
            "smtp://localhost",
            "smtp://[::1]:25",
        ] {
            let (url, security, _) = lettre_url(text).unwrap();
            assert_eq!(security, Security::None, "{text}");
            assert!(!url.contains("tls="), "{url}");
        }
    }

    #[test]
    fn explicit_tls_choices_are_kept_or_translated() {
        let (url, security, _) = lettre_url("smtp://relay.internal:25?tls=none").unwrap();
        assert_eq!(security, Security::None);
        assert_eq!(url, "smtp://relay.internal:25");
        let (url, security, _) = lettre_url("smtp://relay.internal?tls=opportunistic").unwrap();
        assert_eq!(security, Security::Opportunistic);
        assert!(url.ends_with("?tls=opportunistic"));
        let (_, security, endpoint) = lettre_url("smtps://u:p@smtp.example.org").unwrap();
        assert_eq!(security, Security::Implicit);
        assert_eq!(endpoint, "smtp.example.org");
    }

    #[test]
    fn bad_urls_are_refused_without_echoing_the_password() {
        for text in [
            "http://u:secret@host",
            "smtp://u:secret@host?tls=maybe",
            "smtps://u:secret@host?tls=none",
            "not a url secret",
        ] {
            let error = lettre_url(text).unwrap_err();
            assert_eq!(error.field, "smtp_url");
            assert!(!error.to_string().contains("secret"), "{error}");
        }
        assert_eq!(
            SmtpSender::new("smtp://127.0.0.1", "not an address", Duration::from_secs(1))
                .unwrap_err()
                .field,
            "email_from"
        );
    }
}
