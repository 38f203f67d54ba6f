//! What every sender is: the [`Sender`] trait, and how a send fails ([`SendError`]:
//! worth retrying or not).

use async_trait::async_trait;
use sa_domain::model::Message;
use time::OffsetDateTime;

/// Why a message could not be handed over.
///
/// The text is stored with the message and logged, so it never contains a recipient, a
/// body or a code; it may name the server.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth another try later: network trouble, a timeout, a server saying no for now.
    #[error("{0}")]
    Transient(String),
    /// Retrying cannot help (for example a recipient that is not an email address): the
    /// message is given up at once.
    #[error("{0}")]
    Permanent(String),
}

impl SendError {
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Permanent(_))
    }
}

/// Something that delivers messages of one or more channels.
#[async_trait]
pub trait Sender: Send + Sync + 'static {
    /// Hand `message` over. `message_id` is the outbox message's id: the same id is
    /// handed over again only when an earlier send's outcome was not recorded (a crash),
    /// so a sender should use it to make a repeat harmless (skip it, or pass it on as an
    /// idempotency key). `at` is the time of sending, from the injected clock.
    async fn send(
        &self,
        message_id: &str,
        message: &Message,
        at: OffsetDateTime,
    ) -> Result<(), SendError>;

    /// A short name for start-up logs (`smtp`, `sms webhook`, `development file`, ...).
    fn kind(&self) -> &'static str {
        "custom"
    }
}

/// An error and its sources as one line (`a: b: c`), skipping a source whose text the
/// line already holds.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = cause.source();
    }
    line
}
