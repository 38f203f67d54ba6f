//! # sa-delivery: hands the outbox's messages to the world
//!
//! Every message Secure Access sends (email, SMS, letter, a token for an app) is first
//! sealed into the outbox, in the same transaction as the change that causes it. This
//! crate owns what happens next:
//!
//! ```text
//!   OutboxStore::claim_due ──► Worker opens the sealed Message ──► Router ──► Sender
//!            ▲                                                              │
//!            └──── mark_sent / mark_retry (backoff) / mark_dead ◄───────────┘
//! ```
//!
//! - [`config`]: [`DeliveryConfig`], what an operator sets (SMTP, SMS webhook, cadence).
//! - [`senders`]: the [`Sender`] trait, its implementations ([`DevFileSender`],
//!   [`SmtpSender`], [`SmsWebhookSender`], [`AppPushSender`]) and the [`Router`] that
//!   picks one per message.
//! - [`worker`]: the [`Worker`] loop: claim, deliver, record, back off, wait.
//!
//! Nothing here reads the wall clock: time comes from the injected
//! [`sa_domain::clock::Clock`]. Recipients, bodies and codes never appear in logs or in
//! the error text stored with a failed message.
#![forbid(unsafe_code)]

pub mod config;
pub mod senders;
pub mod worker;

pub use config::{ConfigError, DeliveryConfig};
pub use senders::app_push::AppPushSender;
pub use senders::dev_file::{DEV_OUTBOX_FILE, DevFileSender};
pub use senders::sms_webhook::SmsWebhookSender;
pub use senders::smtp::SmtpSender;
pub use senders::{Router, SendError, Sender};
pub use worker::{PAYLOAD_PURPOSE, Worker, retry_delay};
