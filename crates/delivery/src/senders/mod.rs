//! The [`Sender`] trait, how a send fails ([`SendError`]) and the [`Router`] that picks a
//! sender for each message by its channel.
//!
//! | channel  | configured                | otherwise            |
//! | -------- | ------------------------- | -------------------- |
//! | `email`  | [`SmtpSender`]            | [`DevFileSender`]    |
//! | `sms`    | [`SmsWebhookSender`]      | [`DevFileSender`]    |
//! | `letter` | always [`DevFileSender`] (printed batches come later) | |
//! | `app`    | always [`AppPushSender`] (to the URI the app registered) | |

pub mod app_push;
pub mod dev_file;
mod sender;
pub mod sms_webhook;
pub mod smtp;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sa_domain::model::{Channel, Message};
use time::OffsetDateTime;

use crate::config::{ConfigError, DeliveryConfig};
pub use app_push::AppPushSender;
pub use dev_file::DevFileSender;
pub use sender::{SendError, Sender};
pub use sms_webhook::SmsWebhookSender;
pub use smtp::SmtpSender;

/// Picks the sender for each message by its channel.
#[derive(Clone)]
pub struct Router {
    email: Arc<dyn Sender>,
    sms: Arc<dyn Sender>,
    letter: Arc<dyn Sender>,
    app: Arc<dyn Sender>,
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Router")
            .field("email", &self.email.kind())
            .field("sms", &self.sms.kind())
            .field("letter", &self.letter.kind())
            .field("app", &self.app.kind())
            .finish()
    }
}

impl Router {
    /// A router with explicit senders per channel (tests, or a custom channel); apps'
    /// tokens go to `letter`'s sender too.
    pub fn new(email: Arc<dyn Sender>, sms: Arc<dyn Sender>, letter: Arc<dyn Sender>) -> Self {
        Self {
            email,
            sms,
            app: Arc::clone(&letter),
            letter,
        }
    }

    /// The router the configuration asks for. Whatever is not configured goes to
    /// `<data_dir>/outbox.jsonl` (see [`DevFileSender`]); letters always do.
    pub fn from_config(config: &DeliveryConfig, data_dir: &Path) -> Result<Self, ConfigError> {
        config.validate()?;
        let timeout = Duration::from_secs(config.request_timeout_secs);
        let dev: Arc<dyn Sender> = Arc::new(DevFileSender::in_data_dir(data_dir));
        let email: Arc<dyn Sender> = match &config.smtp_url {
            Some(url) => Arc::new(SmtpSender::new(url, &config.email_from, timeout)?),
            None => Arc::clone(&dev),
        };
        let sms: Arc<dyn Sender> = match &config.sms_webhook_url {
            Some(url) => Arc::new(SmsWebhookSender::new(
                url,
                config.sms_webhook_token.as_deref(),
                timeout,
            )?),
            None => {
                if config.sms_webhook_token.is_some() {
                    return Err(ConfigError::new(
                        "sms_webhook_token",
                        "is set but sms_webhook_url is not",
                    ));
                }
                Arc::clone(&dev)
            }
        };
        Ok(Self {
            email,
            sms,
            letter: dev,
            app: Arc::new(AppPushSender::new(timeout)?),
        })
    }

    /// The sender for messages of `channel`.
    pub fn sender_for(&self, channel: Channel) -> &Arc<dyn Sender> {
        match channel {
            Channel::Email => &self.email,
            Channel::Sms => &self.sms,
            Channel::Letter => &self.letter,
            Channel::App => &self.app,
        }
    }

    /// One line for start-up logs, for example
    /// `email: smtp, sms: development file, letter: development file`.
    pub fn describe(&self) -> String {
        format!(
            "email: {}, sms: {}, letter: {}, app: {}",
            self.email.kind(),
            self.sms.kind(),
            self.letter.kind(),
            self.app.kind()
        )
    }
}

#[async_trait]
impl Sender for Router {
    async fn send(
        &self,
        message_id: &str,
        message: &Message,
        at: OffsetDateTime,
    ) -> Result<(), SendError> {
        self.sender_for(message.channel)
            .send(message_id, message, at)
            .await
    }

    fn kind(&self) -> &'static str {
        "router"
    }
}
