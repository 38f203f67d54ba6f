//! The small core every journey stands on: the store, the clock, the keys, the password
//! hasher, the record sources, and the plumbing of a change (enqueue a message, record a
//! history or audit entry, commit in one transaction and wake the delivery worker).
//!
//! A journey service (`SignIn`, `Proofing`, `Staff`, ...) borrows the [`Core`] and uses
//! only what it needs from it. Helpers written once for several journeys live beside
//! this file as further `impl Core` blocks: one-time codes (`one_time_codes.rs`) and the
//! step graph (`steps.rs`).

use std::net::IpAddr;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};
use tokio::sync::Notify;

use crate::audit::AuditEvent;
use crate::clock::Clock;
use crate::keys::Keyring;
use crate::limiter::{Hit, LimitCounters, MemoryCounters};
use crate::limits::{IpAction, Limits, WhenCountersDown};
use crate::metrics::Metrics;
use crate::model::{Account, Factor, Message, new_id};
use crate::password::PasswordHasher;
use crate::proofing::sources::{Lookup, Sources};
use crate::store::{Change, Store, Write};
use crate::{DomainError, DomainResult};

/// Settings the journeys need (a slice of the service configuration).
#[derive(Debug, Clone)]
pub struct ServicesConfig {
    /// Name shown in authenticator apps and messages.
    pub issuer: String,
    pub limits: Limits,
    /// Whether an account must verify its identity before it is complete
    /// (`SA_REQUIRE_IDENTITY_VERIFICATION`).
    pub require_identity_verification: bool,
    /// The service's public address, for links in messages (`https://...`, no slash at
    /// the end).
    pub public_url: String,
}

/// Who is asking: taken from the request by the web layer.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub ip: IpAddr,
    pub user_agent: String,
    /// A device identifier (the browser's device cookie), if the client has one.
    pub device: Option<String>,
    /// The language the request is answered in (an account made by it keeps it).
    pub language: sa_i18n::Lang,
}

impl RequestContext {
    /// What identifies "this device" for new-device notices: the device cookie, or
    /// failing that the user agent (API clients have no cookie).
    pub(crate) fn device_key(&self) -> String {
        match &self.device {
            Some(device) => format!("cookie:{device}"),
            None => format!("ua:{}", self.user_agent),
        }
    }
}

/// What every journey depends on.
pub struct Core {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub keys: Arc<Keyring>,
    pub hasher: PasswordHasher,
    pub config: ServicesConfig,
    /// Where proofing looks records up.
    pub sources: Sources,
    /// The WebAuthn relying party; `None` when the public URL's host cannot be an RP id
    /// (an IP address other than loopback), and then passkeys are off.
    pub passkeys: Option<crate::passkey::RelyingParty>,
    /// What the journeys count for operators (`/metrics`).
    pub metrics: Arc<Metrics>,
    /// The per-IP window counters: shared (Redis) or this instance's memory.
    limit_counters: Arc<dyn LimitCounters>,
    /// This instance's own counters, used when the shared ones are down and the limit's
    /// rule says to count locally.
    local_counters: MemoryCounters,
    outbox_wake: Arc<Notify>,
    /// Notified when a committed change queued app events, so the provider dispatches
    /// them at once (it also looks every few seconds).
    pub app_events_wake: Arc<Notify>,
}

/// What the core is built from besides the store, the clock, the keys, the hasher and
/// the sources: the per-IP counters, the metrics registry (shared with the web layer)
/// and the delivery worker's wake-up.
pub struct CoreParts {
    pub limit_counters: Arc<dyn LimitCounters>,
    pub metrics: Arc<Metrics>,
    pub outbox_wake: Arc<Notify>,
}

/// Purposes used to seal and fingerprint values (see [`Keyring`]).
pub(crate) mod purpose {
    pub const EMAIL: &str = "account.email";
    pub const TOTP_SECRET: &str = "factor.totp_secret";
    pub const PHONE: &str = "factor.phone";
    pub const OUTBOX: &str = "outbox.payload";
    pub const USERNAME_COUNTER: &str = "counter.password_failures";
    pub const DEVICE: &str = "device";
    pub const BACKUP_CODE: &str = "backup_code";
    pub const PROOFING_CLAIM: &str = "proofing.claim";
    pub const PROOFING_PHONE: &str = "proofing.phone";
    pub const LETTER_PRINT: &str = "letter.print";
    pub const IN_PERSON_DOCUMENTS: &str = "in_person.documents";
    pub const VELOCITY: &str = "proofing.velocity";
    pub const WEBAUTHN_STATE: &str = "webauthn.state";
    pub const PASSKEY_USER_HANDLE: &str = "passkey.user_handle";
    pub const IP_LIMIT: &str = "limit.ip";
}

/// The sealing purpose of outbox payloads (the delivery worker opens them with it).
pub const OUTBOX_PURPOSE: &str = purpose::OUTBOX;

impl Core {
    /// What an identity step kept, sealed in a proofing case or a recovery.
    pub(crate) fn open_claim(
        &self,
        sealed: &str,
    ) -> DomainResult<crate::proofing::case::MatchedIdentity> {
        let json = self.keys.open(purpose::PROOFING_CLAIM, sealed)?;
        serde_json::from_slice(&json).map_err(DomainError::unavailable)
    }

    /// The SSN a proofing case matched, as a source lookup: its fingerprint, and the
    /// clear SSN when the case's sealed claim kept it (cases older than live sources
    /// did not).
    pub(crate) fn case_ssn(&self, case: &crate::proofing::case::ProofingCase) -> Option<Lookup> {
        let fingerprint = case.ssn_fp.as_deref()?;
        let clear = case
            .claim_sealed
            .as_deref()
            .and_then(|sealed| self.open_claim(sealed).ok())
            .and_then(|matched| matched.ssn);
        Some(Lookup::ssn_of_case(
            &self.keys,
            fingerprint,
            clear.as_deref(),
        ))
    }

    /// The SSN whose fingerprint a staff record kept: clear when `case` matched that
    /// same SSN and kept it, else the fingerprint alone.
    pub(crate) fn ssn_lookup_for(
        &self,
        case: Option<&crate::proofing::case::ProofingCase>,
        fingerprint: &str,
    ) -> Lookup {
        case.and_then(|case| self.case_ssn(case))
            .filter(|lookup| lookup.fingerprint() == fingerprint)
            .unwrap_or_else(|| Lookup::fingerprint_only(fingerprint))
    }

    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        keys: Arc<Keyring>,
        hasher: PasswordHasher,
        config: ServicesConfig,
        sources: Sources,
        parts: CoreParts,
    ) -> Self {
        Self {
            store,
            clock,
            keys,
            hasher,
            passkeys: crate::passkey::RelyingParty::for_public_url(
                &config.public_url,
                &config.issuer,
            ),
            config,
            sources,
            metrics: parts.metrics,
            limit_counters: parts.limit_counters,
            local_counters: MemoryCounters::default(),
            outbox_wake: parts.outbox_wake,
            app_events_wake: Arc::new(Notify::new()),
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    pub(crate) fn limits(&self) -> &Limits {
        &self.config.limits
    }

    /// Count one attempt under `key` in a fixed window of `window` at `now` (the window
    /// restarts once it has run out) and read, in the same statement, the window's start
    /// and the count including this attempt. Counting before checking means requests in
    /// flight together can never all see room under a limit, and each sees its own
    /// number, so exactly as many as the limit allows get through.
    pub(crate) async fn count_in_window(
        &self,
        key: &str,
        window: Duration,
        now: OffsetDateTime,
    ) -> DomainResult<(OffsetDateTime, i64)> {
        Ok(self.store.count_in_window(key, now - window, now).await?)
    }

    /// Take back one count of `key`: an attempt counted up front that, in the end,
    /// does not count (refused before its check, or it succeeded).
    pub(crate) async fn uncount_in_window(&self, key: &str) -> DomainResult<()> {
        self.store
            .apply(Change::new().with(Write::UncountInWindow {
                key: key.to_owned(),
            }))
            .await?;
        Ok(())
    }

    /// Count a request against the per-IP limit for `action`: in the shared counters,
    /// or, when they cannot be reached, as the limit's rule says
    /// ([`IpAction::when_counters_down`]).
    pub(crate) async fn limit_ip(&self, ip: IpAddr, action: IpAction) -> DomainResult<()> {
        let (limit, window) = match action {
            IpAction::SignIn => (self.limits().ip_sign_in_per_minute, Duration::minutes(1)),
            IpAction::CodeSend => (
                self.limits().ip_code_sends_per_10_minutes,
                Duration::minutes(10),
            ),
            IpAction::PasswordRating => (
                self.limits().ip_password_ratings_per_minute,
                Duration::minutes(1),
            ),
            IpAction::Recovery => (
                self.limits().ip_recovery_per_10_minutes,
                Duration::minutes(10),
            ),
        };
        // A keyed fingerprint: the counters never hold a clear address.
        let key = format!(
            "{}:{}",
            action.name(),
            self.keys
                .fingerprint(purpose::IP_LIMIT, ip.to_string().as_bytes())
        );
        let now = self.now();
        let hit = match self.limit_counters.hit(&key, limit, window, now).await {
            Ok(hit) => hit,
            Err(down) => match action.when_counters_down() {
                WhenCountersDown::Refuse => {
                    self.metrics.counters_down(action.name(), "refused");
                    return Err(DomainError::unavailable(down.to_string()));
                }
                WhenCountersDown::CountLocally => {
                    self.metrics.counters_down(action.name(), "counted_locally");
                    tracing::warn!(error = %down, limit = action.name(), "counting locally");
                    self.local_counters.count(&key, limit, window, now)
                }
            },
        };
        match hit {
            Hit::Allowed => Ok(()),
            Hit::Refused { retry_after_secs } => {
                self.metrics.limit_refused(action.name());
                Err(DomainError::RateLimited { retry_after_secs })
            }
        }
    }

    /// Where the per-IP counters live (`memory` or `redis`), and whether they answer
    /// (for `/readyz` and `/metrics`).
    pub async fn check_limit_counters(&self) -> (&'static str, Result<(), String>) {
        let answer = self.limit_counters.check().await;
        (
            self.limit_counters.kind(),
            answer.map_err(|down| down.to_string()),
        )
    }

    /// Seal a message and add it to the change's outbox writes.
    pub(crate) fn enqueue(&self, change: &mut Change, message: &Message) -> DomainResult<()> {
        self.enqueue_with_id(change, message).map(|_| ())
    }

    /// [`Core::enqueue`], returning the message's outbox id.
    pub(crate) fn enqueue_with_id(
        &self,
        change: &mut Change,
        message: &Message,
    ) -> DomainResult<String> {
        let payload = serde_json::to_vec(message).map_err(DomainError::unavailable)?;
        let at = self.now();
        let id = new_id(at);
        change.push(Write::Enqueue {
            id: id.clone(),
            at,
            channel: message.channel,
            payload_sealed: self.keys.seal(purpose::OUTBOX, &payload)?,
        });
        Ok(id)
    }

    /// Commit a change and wake the delivery worker if it carried messages.
    ///
    /// Every identity decision is also audited: each proofing attempt the applicant
    /// made gets an audit entry in the same transaction (staff decisions write their own,
    /// with the staff member as actor).
    pub(crate) async fn commit(&self, mut change: Change) -> DomainResult<()> {
        let audits: Vec<Write> = change
            .writes
            .iter()
            .filter_map(|write| match write {
                Write::RecordProofingAttempt(attempt)
                    if !matches!(attempt.step.as_str(), "help_desk" | "in_person") =>
                {
                    Some(self.audit(
                        crate::audit::applicant_actor(&attempt.account_id),
                        &format!("proofing.{}.{}", attempt.step, attempt.result.as_str()),
                        Some(&attempt.account_id),
                        serde_json::json!({ "reasons": attempt.reasons }),
                    ))
                }
                _ => None,
            })
            .collect();
        change.writes.extend(audits);
        let app_events = self.app_events_of(&change).await?;
        let has_app_events = !app_events.is_empty();
        change.writes.extend(app_events);
        let has_messages = change
            .writes
            .iter()
            .any(|w| matches!(w, Write::Enqueue { .. }));
        let counted = self.countable(&change);
        self.store.apply(change).await?;
        self.count_committed(counted);
        if has_messages {
            self.outbox_wake.notify_one();
        }
        if has_app_events {
            self.app_events_wake.notify_one();
        }
        Ok(())
    }

    /// What the account's apps must hear about a change (see [`crate::app_events`]),
    /// to be written in its transaction: the RISC event of each security-history
    /// entry, a logout when every session ends, and the purge of a deleted account
    /// (to the apps it shares with now, as its consents go with it).
    async fn app_events_of(&self, change: &Change) -> DomainResult<Vec<Write>> {
        use crate::app_events::{AppEvent, LOGOUT, risc_event_for};
        let now = self.now();
        let mut events = Vec::new();
        for write in &change.writes {
            match write {
                Write::RecordEvent(entry) => {
                    if let Some((kind, detail)) = risc_event_for(&entry.kind) {
                        events.push(AppEvent::new(&entry.account_id, kind, detail, now));
                    }
                }
                Write::EndAllSessions { account_id } => {
                    events.push(AppEvent::logout(account_id, now));
                }
                Write::DeleteAccount { account_id, .. } => {
                    let audience = self.store.connected_app_ids(account_id).await?;
                    for kind in ["account-purged", LOGOUT] {
                        let mut event = AppEvent::new(account_id, kind, serde_json::json!({}), now);
                        event.audience = Some(audience.clone());
                        events.push(event);
                    }
                }
                _ => {}
            }
        }
        Ok(events.into_iter().map(Write::QueueAppEvent).collect())
    }

    /// A back-channel logout for the account's apps: the person signed out.
    pub(crate) fn app_logout(&self, account_id: &str) -> Write {
        Write::QueueAppEvent(crate::app_events::AppEvent::logout(account_id, self.now()))
    }

    /// The sign-in records and proofing attempts of a change, kept to be counted once
    /// it commits.
    fn countable(&self, change: &Change) -> Vec<Write> {
        change
            .writes
            .iter()
            .filter(|write| {
                matches!(
                    write,
                    Write::RecordLogin(_) | Write::RecordProofingAttempt(_)
                )
            })
            .cloned()
            .collect()
    }

    fn count_committed(&self, writes: Vec<Write>) {
        for write in &writes {
            match write {
                Write::RecordLogin(record) => self.metrics.sign_in(record),
                Write::RecordProofingAttempt(attempt) => self.metrics.proofing_attempt(attempt),
                _ => {}
            }
        }
    }

    /// Commit a change after the answer has gone: for a request whose answer must not
    /// reveal, by its timing, whether there was anything to write (a password reset for
    /// a username that may not exist). A failure is logged; the person can ask again.
    pub(crate) fn commit_in_background(&self, change: Change) {
        let store = self.store.clone();
        let wake = self.outbox_wake.clone();
        tokio::spawn(async move {
            match store.apply(change).await {
                Ok(()) => wake.notify_one(),
                Err(error) => tracing::error!(%error, "background change failed"),
            }
        });
    }

    pub(crate) fn event(&self, account_id: &str, kind: &str, detail: impl Into<String>) -> Write {
        let at = self.now();
        Write::RecordEvent(crate::model::SecurityEvent {
            id: new_id(at),
            account_id: account_id.to_owned(),
            at,
            kind: kind.to_owned(),
            detail: detail.into(),
        })
    }

    /// An audit entry for a change, stamped now. `actor` is `staff:<id>`,
    /// `applicant:<id>` or `system` (see [`crate::audit::staff_actor`]); `detail` must
    /// hold no clear personal data.
    pub(crate) fn audit(
        &self,
        actor: String,
        action: &str,
        subject: Option<&str>,
        detail: serde_json::Value,
    ) -> Write {
        Write::AppendAudit(AuditEvent {
            at: self.now(),
            actor,
            action: action.to_owned(),
            subject: subject.map(str::to_owned),
            detail,
        })
    }

    /// Open a TOTP factor's sealed secret.
    pub(crate) fn totp_secret(&self, factor: &Factor) -> DomainResult<zeroize::Zeroizing<Vec<u8>>> {
        self.keys.open(
            purpose::TOTP_SECRET,
            factor.secret_sealed.as_deref().unwrap_or_default(),
        )
    }

    pub(crate) fn account_email(&self, account: &Account) -> DomainResult<String> {
        self.keys.open_string(purpose::EMAIL, &account.email_sealed)
    }
}

/// All confirmed factors are disabled and none is active: the account needs recovery.
pub(crate) fn needs_recovery(factors: &[Factor]) -> bool {
    !factors.iter().any(Factor::is_active)
        && factors
            .iter()
            .any(|f| f.confirmed_at.is_some() && f.disabled_at.is_some())
}

/// Lower-case, NFC, trimmed: the form usernames are stored and compared in.
pub fn normalise_username(input: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    input.trim().nfc().collect::<String>().to_lowercase()
}

/// At most `max_chars` characters of `text`.
pub(crate) fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}
