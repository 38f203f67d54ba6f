//! The delivery loop: claim due messages, open them, hand each to the [`Router`], and
//! record the outcome in the outbox.
//!
//! - Sent: `mark_sent`.
//! - Failed: attempt `n` (counting this one) is retried after [`retry_delay`]`(n)`
//!   (5 s × 2^(n−1), at most 1 h) with `mark_retry`, until `n` reaches `max_attempts`;
//!   then, or at once for a permanent failure (a payload that cannot be opened, a
//!   recipient that cannot be addressed), `mark_dead`.
//!
//! `OutboxItem::attempts` is read as the number of attempts *including the one being
//! made*: `claim_due` counts each claim (as `sa-store` does), so a message that crashes
//! the worker still runs out of attempts.
//!
//! A message whose outcome cannot be recorded (a crash after the send) is handed to its
//! sender again when its claim runs out, with the same message id: the development file
//! skips ids it already holds, the SMS webhook gets the id as `Idempotency-Key` and
//! email keeps it as `Message-ID`, so the repeat is dropped rather than delivered twice
//! wherever the receiving side honours those. A pass stops starting new sends when the claim might
//! run out before the send's time limit (or on shutdown), so claimed messages are not
//! sent twice by two workers; the messages left over are claimed again when their claim
//! lapses, which the store counts as one more attempt.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use sa_domain::DomainError;
use sa_domain::clock::Clock;
use sa_domain::keys::Keyring;
use sa_domain::model::{Message, OutboxItem};
use sa_domain::store::{OutboxStore, StoreError};
use time::Duration;
use tokio::sync::{Notify, watch};

use crate::config::{DeliveryConfig, MAX_CLAIM_SECS, MAX_TIMEOUT_SECS};
use crate::senders::{Router, SendError, Sender};

/// The sealing purpose of outbox payloads: they are the JSON of [`Message`].
pub const PAYLOAD_PURPOSE: &str = sa_domain::journeys::OUTBOX_PURPOSE;

/// First retry delay; each further failure doubles it.
const FIRST_RETRY: Duration = Duration::seconds(5);
/// The longest wait between two attempts.
const MAX_RETRY: Duration = Duration::hours(1);

/// How long to wait before attempt `attempt + 1`, after attempt `attempt` (1-based)
/// failed: 5 s × 2^(attempt−1), at most one hour.
pub fn retry_delay(attempt: i64) -> Duration {
    let doublings = attempt.saturating_sub(1).clamp(0, 30);
    let factor = 1_i64 << doublings;
    let delay = FIRST_RETRY.saturating_mul(i32::try_from(factor).unwrap_or(i32::MAX));
    delay.min(MAX_RETRY)
}

/// Delivers the outbox. One per process is enough; several (on several machines) share
/// the work through claims.
pub struct Worker {
    store: Arc<dyn OutboxStore>,
    keys: Arc<Keyring>,
    clock: Arc<dyn Clock>,
    router: Router,
    config: DeliveryConfig,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("router", &self.router)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// How one claimed message ended.
enum Outcome {
    Sent,
    Failed(SendError),
}

impl Worker {
    pub fn new(
        store: Arc<dyn OutboxStore>,
        keys: Arc<Keyring>,
        clock: Arc<dyn Clock>,
        router: Router,
        config: DeliveryConfig,
    ) -> Self {
        Self {
            store,
            keys,
            clock,
            router,
            config,
        }
    }

    /// One pass: claim up to `batch_size` due messages and deliver them. Returns how
    /// many were claimed (sent, rescheduled or given up); 0 means nothing was due.
    ///
    /// A store error ends the pass: the messages not yet recorded are claimed again
    /// once their claim runs out.
    pub async fn deliver_due(&self) -> Result<usize, StoreError> {
        self.pass(None).await
    }

    /// Deliver until `shutdown` turns `true` (or its sender is dropped).
    ///
    /// After a pass the worker waits for `wake` (call [`Notify::notify_one`] after
    /// committing a message, so a wake during a pass is not lost), for
    /// `poll_interval_ms`, or for shutdown, whichever comes first. A full batch is
    /// followed at once by another pass. A shutdown during a pass stops it after the
    /// message in hand.
    pub async fn run(self, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
        let poll = StdDuration::from_millis(self.config.poll_interval_ms.max(1));
        tracing::info!(senders = %self.router.describe(), "delivery worker started");
        loop {
            if *shutdown.borrow_and_update() {
                break;
            }
            let full_batch = match self.pass(Some(&shutdown)).await {
                Ok(claimed) => i64::try_from(claimed).unwrap_or(i64::MAX) >= self.config.batch_size,
                Err(error) => {
                    tracing::warn!(%error, "delivery pass failed; retrying after the poll interval");
                    false
                }
            };
            if full_batch {
                continue;
            }
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(poll) => {}
                changed = shutdown.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
        tracing::info!("delivery worker stopped");
    }

    async fn pass(&self, stop: Option<&watch::Receiver<bool>>) -> Result<usize, StoreError> {
        let now = self.clock.now();
        // Clamped so that a configuration that skipped validation cannot overflow.
        let claim_until = now + Duration::seconds(self.config.claim_secs.clamp(1, MAX_CLAIM_SECS));
        let items = self
            .store
            .claim_due(now, claim_until, self.config.batch_size.max(1))
            .await?;
        let send_limit =
            StdDuration::from_secs(self.config.request_timeout_secs.clamp(1, MAX_TIMEOUT_SECS));
        let latest_start =
            claim_until - Duration::try_from(send_limit).unwrap_or(Duration::seconds(10));
        for (index, item) in items.iter().enumerate() {
            if index > 0 {
                if stop.is_some_and(|stop| *stop.borrow()) {
                    tracing::info!(
                        left = items.len() - index,
                        "shutting down; the rest of the batch will be claimed again"
                    );
                    break;
                }
                if self.clock.now() >= latest_start {
                    tracing::warn!(
                        left = items.len() - index,
                        "claim running out; the rest of the batch will be claimed again"
                    );
                    break;
                }
            }
            self.deliver(item, send_limit).await?;
        }
        Ok(items.len())
    }

    /// Deliver one claimed message and record the outcome.
    async fn deliver(&self, item: &OutboxItem, send_limit: StdDuration) -> Result<(), StoreError> {
        let message = match self.open(item) {
            Ok(message) => message,
            Err(error) => return self.record(item, None, Outcome::Failed(error)).await,
        };
        let at = self.clock.now();
        let outcome = match tokio::time::timeout(
            send_limit,
            self.router.send(&item.id, &message, at),
        )
        .await
        {
            Ok(Ok(())) => Outcome::Sent,
            Ok(Err(error)) => Outcome::Failed(error),
            Err(_) => Outcome::Failed(SendError::Transient(format!(
                "{} did not finish within {} s",
                self.router.sender_for(message.channel).kind(),
                send_limit.as_secs()
            ))),
        };
        self.record(item, Some(&message), outcome).await
    }

    /// The message inside a claimed item; any failure here is permanent.
    fn open(&self, item: &OutboxItem) -> Result<Message, SendError> {
        let json = self
            .keys
            .open_string(PAYLOAD_PURPOSE, &item.payload_sealed)
            .map_err(|e| {
                let detail = match e {
                    DomainError::Unavailable { detail } => detail,
                    other => other.to_string(),
                };
                SendError::Permanent(format!("payload cannot be opened: {detail}"))
            })?;
        let message: Message = serde_json::from_str(&json).map_err(|e| {
            // Position only: serde's text could quote part of the payload.
            SendError::Permanent(format!(
                "payload is not a message (JSON error at line {} column {})",
                e.line(),
                e.column()
            ))
        })?;
        if message.channel != item.channel {
            return Err(SendError::Permanent(format!(
                "payload channel {} does not match the outbox channel {}",
                message.channel.as_str(),
                item.channel.as_str()
            )));
        }
        Ok(message)
    }

    async fn record(
        &self,
        item: &OutboxItem,
        message: Option<&Message>,
        outcome: Outcome,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        let channel = item.channel.as_str();
        let template = message.map_or("?", |m| m.template.as_str());
        let error = match outcome {
            Outcome::Sent => {
                tracing::debug!(id = %item.id, channel, template, "message delivered");
                return self.store.mark_sent(&item.id, now).await;
            }
            Outcome::Failed(error) => error,
        };
        // claim_due counted this attempt; never read less than one.
        let attempt = item.attempts.max(1);
        let text = error.to_string();
        if error.is_permanent() || attempt >= self.config.max_attempts {
            tracing::warn!(
                id = %item.id, channel, template, attempt, error = %text,
                "message given up"
            );
            self.store.mark_dead(&item.id, now, &text).await
        } else {
            let next = now + retry_delay(attempt);
            tracing::warn!(
                id = %item.id, channel, template, attempt, error = %text,
                retry_at = %sa_domain::clock::rfc3339(next),
                "message not delivered; will retry"
            );
            self.store.mark_retry(&item.id, next, &text).await
        }
    }
}
