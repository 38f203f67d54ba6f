//! Tokens posted to apps: Security Event Tokens by push (RFC 8935: the token as the
//! body, `Content-Type: application/secevent+jwt`) and logout tokens (OpenID Connect
//! Back-Channel Logout 1.0: the form field `logout_token`). The message's `to` is the
//! app's registered URI, `template` says which kind, `body` is the signed token.
//!
//! Any 2xx is delivered. A 400 is permanent (RFC 8935 §2.3: the receiver refused this
//! token, and sending it again cannot change that); any other answer, a timeout or a
//! network failure is tried again. Redirects are not followed. Errors name the app's
//! host, never its path or the token.

use std::time::Duration;

use async_trait::async_trait;
use reqwest::Url;
use sa_domain::model::Message;
use time::OffsetDateTime;

use super::sender::{SendError, Sender, error_chain};
use crate::config::{endpoint, is_loopback};

use sa_domain::app_events::{LOGOUT_TEMPLATE, SECURITY_EVENT_TEMPLATE};

/// Posts tokens to the URIs apps registered.
#[derive(Debug)]
pub struct AppPushSender {
    client: reqwest::Client,
}

impl AppPushSender {
    /// `timeout` bounds each call.
    pub fn new(timeout: Duration) -> Result<Self, crate::config::ConfigError> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| crate::config::ConfigError::new("app push", error_chain(&e)))?;
        Ok(Self { client })
    }
}

#[async_trait]
impl Sender for AppPushSender {
    async fn send(
        &self,
        _message_id: &str,
        message: &Message,
        _at: OffsetDateTime,
    ) -> Result<(), SendError> {
        let url = Url::parse(&message.to)
            .map_err(|_| SendError::Permanent("the app's URI is not a URL".to_owned()))?;
        if !(url.scheme() == "https" || (url.scheme() == "http" && is_loopback(&url))) {
            return Err(SendError::Permanent(format!(
                "the app's URI at {} is not https://",
                endpoint(&url)
            )));
        }
        let request = self.client.post(url.clone());
        let request = match message.template.as_str() {
            SECURITY_EVENT_TEMPLATE => request
                .header(reqwest::header::CONTENT_TYPE, "application/secevent+jwt")
                .header(reqwest::header::ACCEPT, "application/json")
                .body(message.body.clone()),
            LOGOUT_TEMPLATE => request.form(&[("logout_token", message.body.as_str())]),
            _ => {
                return Err(SendError::Permanent(
                    "not a token this sender posts".to_owned(),
                ));
            }
        };
        let response = request.send().await.map_err(|e| {
            SendError::Transient(format!(
                "app {} {}: {}",
                endpoint(&url),
                if e.is_timeout() {
                    "timed out"
                } else {
                    "failed"
                },
                error_chain(&e.without_url())
            ))
        })?;
        let status = response.status();
        let text = format!("app {} answered {}", endpoint(&url), status.as_u16());
        if status.is_success() {
            Ok(())
        } else if status == reqwest::StatusCode::BAD_REQUEST {
            Err(SendError::Permanent(text))
        } else {
            Err(SendError::Transient(text))
        }
    }

    fn kind(&self) -> &'static str {
        "app push"
    }
}
