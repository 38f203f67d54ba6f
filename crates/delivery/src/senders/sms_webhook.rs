//! Text messages through an HTTP webhook: `POST` of the JSON `{"to", "body"}` with an
//! optional `Authorization: Bearer` token; any 2xx answer means sent.
//!
//! Redirects are not followed (a redirect is a misconfiguration, and following one could
//! carry the token elsewhere). Errors name the webhook's host, never its path or query,
//! and never repeat the answer's body (it may echo the number).

use std::time::Duration;

use async_trait::async_trait;
use reqwest::Url;
use sa_domain::model::Message;
use serde::Serialize;
use time::OffsetDateTime;

use super::sender::{SendError, Sender, error_chain};
use crate::config::{ConfigError, endpoint, is_loopback};

/// Posts text messages to one webhook.
pub struct SmsWebhookSender {
    client: reqwest::Client,
    url: Url,
    token: Option<String>,
    /// `host:port`, for error text.
    endpoint: String,
}

impl std::fmt::Debug for SmsWebhookSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsWebhookSender")
            .field("endpoint", &self.endpoint)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct Payload<'a> {
    to: &'a str,
    body: &'a str,
}

impl SmsWebhookSender {
    /// `url` must be `https://`, or `http://` to a loopback host. `timeout` bounds the
    /// whole call.
    pub fn new(url: &str, token: Option<&str>, timeout: Duration) -> Result<Self, ConfigError> {
        let url = Url::parse(url)
            .map_err(|e| ConfigError::new("sms_webhook_url", format!("is not a URL ({e})")))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(ConfigError::new(
                    "sms_webhook_url",
                    "must use https:// (http:// only to a loopback host)",
                ));
            }
            _ => {
                return Err(ConfigError::new(
                    "sms_webhook_url",
                    "must be an https:// URL",
                ));
            }
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(ConfigError::new("sms_webhook_url", "has no host"));
        }
        if token.is_some_and(|t| t.trim().is_empty()) {
            return Err(ConfigError::new("sms_webhook_token", "is empty"));
        }
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ConfigError::new("sms_webhook_url", error_chain(&e.without_url())))?;
        let endpoint = endpoint(&url);
        Ok(Self {
            client,
            url,
            token: token.map(str::to_owned),
            endpoint,
        })
    }
}

#[async_trait]
impl Sender for SmsWebhookSender {
    async fn send(
        &self,
        message_id: &str,
        message: &Message,
        _at: OffsetDateTime,
    ) -> Result<(), SendError> {
        // A repeat after a crash carries the same key, so the provider can drop it.
        let mut request = self
            .client
            .post(self.url.clone())
            .header("Idempotency-Key", message_id)
            .json(&Payload {
                to: &message.to,
                body: &message.body,
            });
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(|e| {
            let what = if e.is_timeout() {
                "timed out"
            } else {
                "failed"
            };
            SendError::Transient(format!(
                "sms webhook {} {what}: {}",
                self.endpoint,
                error_chain(&e.without_url())
            ))
        })?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(SendError::Transient(format!(
                "sms webhook {} answered {}",
                self.endpoint,
                status.as_u16()
            )))
        }
    }

    fn kind(&self) -> &'static str {
        "sms webhook"
    }
}
