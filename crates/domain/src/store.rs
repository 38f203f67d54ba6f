//! The storage interface the journeys need, implemented by `sa-store` for SQLite and
//! PostgreSQL.
//!
//! Reads are plain queries. Writes are described as a [`Change`]: a list of [`Write`]s
//! that the store applies in **one transaction**, so a new row, the history entry that
//! records it and the outbox message that announces it are committed together or not at
//! all. Guarded writes (marked *guarded* below) must affect exactly one row; if one does
//! not (a code already used, a TOTP step already accepted by a concurrent request), the
//! whole change is rolled back and [`StoreError::GuardFailed`] is returned.

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::model::{Account, Factor, LoginRecord, OneTimeCode, OutboxItem, SecurityEvent, Session};
use crate::proofing::case::{Letter, ProofingAttempt, ProofingCase};
use crate::staff::{InPersonRecord, KnowledgeCheck, TemporaryPassword};

pub use crate::error::{StoreError, StoreResult};

/// The answer to [`Store::claim_code_try`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeTry {
    /// The try is counted and the code may be checked. `set_lock` is true when this
    /// try was the last one allowed, so the claim itself locked the account's codes.
    Claimed { set_lock: bool },
    /// Codes are locked until then (or the account is gone: `until` is `None`).
    Locked { until: Option<OffsetDateTime> },
}

/// One write inside a [`Change`].
#[derive(Debug, Clone)]
pub enum Write {
    /// Fails the change with [`StoreError::UsernameTaken`] if the username exists.
    InsertAccount(Account),
    ConfirmEmail {
        account_id: String,
        at: OffsetDateTime,
    },
    /// A correct second-factor code: `code_failures = 0`; when `clear_lock_until` is
    /// given (the lock this request's own [`Store::claim_code_try`] set), a lock still
    /// ending then is lifted.
    ResetCodeFailures {
        account_id: String,
        clear_lock_until: Option<OffsetDateTime>,
    },

    /// *Guarded*: turn the account off (`disabled_at: Some`, it must be on) or on again
    /// (`None`, it must be off).
    /// The language the person chose for messages and letters.
    SetAccountLanguage {
        account_id: String,
        language: sa_i18n::Lang,
    },
    SetAccountDisabled {
        account_id: String,
        disabled_at: Option<OffsetDateTime>,
    },
    InsertCode(OneTimeCode),
    /// *Guarded*: `used_at` must be unset.
    ConsumeCode {
        code_id: String,
        at: OffsetDateTime,
    },
    CountCodeAttempt {
        code_id: String,
    },
    /// Mark every unused code of this account and purpose used (a new code replaces them).
    RetireCodes {
        account_id: String,
        purpose: String,
        at: OffsetDateTime,
    },

    InsertFactor(Factor),
    ConfirmFactor {
        factor_id: String,
        at: OffsetDateTime,
    },
    /// A successful use: `last_used_at = at`, `consecutive_failures = 0`.
    FactorUsed {
        factor_id: String,
        at: OffsetDateTime,
    },
    /// *Guarded*: `last_totp_step` must be unset or lower than `step`. With `used_at`,
    /// also a successful use (as [`Write::FactorUsed`]) in the same statement.
    AdvanceTotpStep {
        factor_id: String,
        step: i64,
        used_at: Option<OffsetDateTime>,
    },
    /// `consecutive_failures += 1`; at `disable_at`, `disabled_at = at`.
    CountFactorFailure {
        factor_id: String,
        disable_at: i64,
        at: OffsetDateTime,
    },
    /// Removes the factor and its backup codes and codes.
    DeleteFactor {
        factor_id: String,
    },
    InsertBackupCodes {
        factor_id: String,
        code_hashes: Vec<String>,
    },
    /// *Guarded*: that code of that factor must exist unused.
    UseBackupCode {
        factor_id: String,
        code_hash: String,
        at: OffsetDateTime,
    },

    /// *Guarded*: a credential id registered to any account fails the change.
    InsertPasskey(crate::model::PasskeyCredential),
    /// A passkey was used: its credential, counter and flags as now known.
    RecordPasskeyUse(crate::model::PasskeyCredential),
    /// A WebAuthn ceremony starts (ceremonies already expired are swept).
    InsertWebauthnChallenge(crate::model::WebauthnChallenge),
    /// *Guarded*: the ceremony exists and has not expired at `at`; it is deleted, so
    /// one challenge is answered once.
    ConsumeWebauthnChallenge {
        id: String,
        at: OffsetDateTime,
    },
    InsertSession(Session),
    DeleteSession {
        session_id: String,
    },
    /// Delete every session of the account except `keep_session_id` (sign out
    /// everywhere else).
    DeleteOtherSessions {
        account_id: String,
        keep_session_id: String,
    },
    TouchSession {
        session_id: String,
        at: OffsetDateTime,
    },

    RecordLogin(LoginRecord),
    RecordEvent(SecurityEvent),
    /// Insert or refresh a device this account has signed in from.
    RememberDevice {
        account_id: String,
        device_hash: String,
        at: OffsetDateTime,
    },
    /// Append a sealed message to the outbox, due now.
    Enqueue {
        id: String,
        at: OffsetDateTime,
        channel: crate::model::Channel,
        payload_sealed: String,
    },

    /// Take back one count of the window (an attempt counted up front that turned out
    /// to succeed): `hit_count - 1`, never below 0.
    UncountInWindow {
        key: String,
    },

    /// Insert or replace the help desk's temporary password of the account.
    SetTemporaryPassword(TemporaryPassword),
    /// *Guarded*: the temporary password is unused. Also sets the account's
    /// `password_change_required`.
    UseTemporaryPassword {
        account_id: String,
        at: OffsetDateTime,
    },
    /// A new password hash; clears `password_change_required` and
    /// `password_reset_required`.
    ChangePassword {
        account_id: String,
        password_hash: String,
    },
    /// *Guarded*: the stored hash is still `old_hash`. Replaces a legacy (bcrypt,
    /// PBKDF2) or outdated hash with a current Argon2id one, nothing else.
    UpgradePasswordHash {
        account_id: String,
        old_hash: String,
        new_hash: String,
    },
    /// The owner disavowed a security email: the next sign-in must reset the password.
    RequirePasswordReset {
        account_id: String,
    },
    /// End every session of the account, and every access and refresh token an app
    /// holds for it (recovery, a disavowed change, an admin's "sign out everywhere" or
    /// turning the account off: whoever had it may have connected an app).
    EndAllSessions {
        account_id: String,
    },
    InsertDisavowToken(crate::model::DisavowToken),
    /// *Guarded*: the token is unused.
    UseDisavowToken {
        token_hash: String,
        at: OffsetDateTime,
    },
    InsertAccountReset(crate::model::AccountReset),
    /// Cancel every open account reset of the account (no-op if none).
    CancelAccountResets {
        account_id: String,
        at: OffsetDateTime,
    },
    /// *Guarded*: the reset is open.
    CompleteAccountReset {
        reset_id: String,
        at: OffsetDateTime,
    },
    /// Remove every factor of the account (with their codes and backup codes).
    DeleteAllFactors {
        account_id: String,
    },
    /// Insert or replace the account's online identity recovery.
    SaveIdentityRecovery(crate::model::IdentityRecovery),
    /// Forget the account's online identity recovery (no-op if none).
    DeleteIdentityRecovery {
        account_id: String,
    },
    /// Insert or replace the account's email address waiting for confirmation.
    SetPendingEmail {
        account_id: String,
        email_sealed: String,
        at: OffsetDateTime,
    },
    /// *Guarded*: a pending address exists. It becomes the account's (confirmed at
    /// `at`) and the pending row goes.
    ChangeEmail {
        account_id: String,
        at: OffsetDateTime,
    },
    /// Forget the account's pending email address (no-op if none).
    ClearPendingEmail {
        account_id: String,
    },
    /// Delete the account by its owner, as `docs/retention.md` says: personal data and
    /// sign-in material erased, a tombstone left (`deleted_at`, username freed), staff
    /// evidence kept sealed, proofing decisions (reason codes) and the audit log kept,
    /// and a verified SSN held until `ssn_released_at`.
    DeleteAccount {
        account_id: String,
        at: OffsetDateTime,
        ssn_released_at: OffsetDateTime,
    },
    InsertKnowledgeCheck(KnowledgeCheck),
    /// *Guarded*: not answered yet.
    FinishKnowledgeCheck {
        check_id: String,
        at: OffsetDateTime,
        result: String,
    },
    InsertInPersonRecord(InPersonRecord),
    /// *Guarded*: not completed yet.
    CompleteInPersonRecord {
        record_id: String,
        at: OffsetDateTime,
        by: String,
    },

    /// Insert or replace the account's proofing case.
    SaveProofingCase(ProofingCase),
    RecordProofingAttempt(ProofingAttempt),
    /// *Guarded*: no account may already hold this SSN as verified (one verified
    /// account per SSN); fails with [`StoreError::GuardFailed`] if one does.
    RegisterVerifiedSsn {
        ssn_fp: String,
        account_id: String,
        at: OffsetDateTime,
    },
    MarkIdentityVerified {
        account_id: String,
        at: OffsetDateTime,
        by: String,
    },
    InsertLetter(Letter),
    /// *Guarded*: the letter is unprinted and not claimed by a batch.
    ClaimLetterForBatch {
        letter_id: String,
        batch: String,
    },
    /// *Guarded*: not printed yet. Erases the sealed print content.
    MarkLetterPrinted {
        letter_id: String,
        at: OffsetDateTime,
        batch: String,
    },
    /// *Guarded*: no reminder sent yet.
    MarkLetterReminded {
        letter_id: String,
        at: OffsetDateTime,
    },
    /// *Guarded*: neither activated nor expired yet. Erases the sealed print content.
    MarkLetterExpired {
        letter_id: String,
        at: OffsetDateTime,
    },
    /// *Guarded*: neither activated nor expired yet.
    MarkLetterActivated {
        letter_id: String,
        at: OffsetDateTime,
    },
    /// Give a staff role (no-op if held).
    GrantStaffRole {
        account_id: String,
        role: String,
        at: OffsetDateTime,
    },
    /// Take a staff role away. Guarded: fails (the change rolls back) when the account
    /// does not hold it, or when it is the last `admin` role anywhere.
    RevokeStaffRole {
        account_id: String,
        role: String,
    },
    /// Remove an app's registration with its pending requests, codes, tokens and
    /// consents. Guarded: fails when no such app is registered.
    DeleteOidcClient {
        client_id: String,
    },
    /// Append to the audit log, in the change's transaction (so the entry is committed
    /// with what it records, or not at all). The store assigns `seq`, `prev_hash` and
    /// `hash` (see [`crate::audit`]); appends are serialised by the one-row audit head,
    /// so concurrent changes never fork the chain.
    AppendAudit(crate::audit::AuditEvent),
    /// Something the account's apps must hear (see [`crate::app_events`]).
    QueueAppEvent(crate::app_events::AppEvent),
    /// *Guarded*: the event is not dispatched yet. Marks it dispatched (its tokens are
    /// in the same change's outbox messages).
    MarkAppEventDispatched {
        id: String,
        at: OffsetDateTime,
    },
    /// Remember that outbox message `message_id` tells app `client_id` of an event of
    /// `kind` (for `apps show`).
    RecordAppDelivery {
        message_id: String,
        client_id: String,
        kind: String,
        at: OffsetDateTime,
    },
    InsertMaintenanceWindow(crate::model::MaintenanceWindow),
    /// *Guarded*: not cancelled yet.
    CancelMaintenanceWindow {
        id: String,
        at: OffsetDateTime,
    },
}

/// One row of the funnel: attempts at a step on a day with one result and one set of
/// reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunnelRow {
    /// Days since 1970-01-01 (UTC).
    pub day: i64,
    pub step: String,
    pub result: String,
    /// Space-separated reason codes.
    pub reasons: String,
    pub attempts: i64,
    /// Distinct accounts among those attempts.
    pub accounts: i64,
}

/// Writes applied atomically, in order (unless marked [`Change::independent`]).
#[derive(Debug, Default, Clone)]
pub struct Change {
    pub writes: Vec<Write>,
    /// The writes need not stand or fall together (see [`Change::independent`]).
    pub independent: bool,
}

impl Change {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, write: Write) -> &mut Self {
        self.writes.push(write);
        self
    }

    pub fn with(mut self, write: Write) -> Self {
        self.writes.push(write);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }

    /// Say that these writes need not stand or fall together: the store may run each
    /// on its own, in order, without a transaction (two round trips fewer), stopping at
    /// the first that fails and keeping those before it. Only for writes where a
    /// partial result is harmless, such as a count taken back and a new session.
    pub fn independent(mut self) -> Self {
        self.independent = true;
        self
    }
}

/// Everything the journeys read, plus [`Store::apply`] for writes.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Apply a change in one transaction.
    async fn apply(&self, change: Change) -> StoreResult<()>;

    async fn account_by_username(&self, username: &str) -> StoreResult<Option<Account>>;
    /// Claim one second-factor try **before** its code is checked, in one atomic
    /// statement, so tries sent in parallel cannot exceed the lock: unless the account's
    /// codes are locked at `now`, `code_failures += 1`; the try that reaches `lock_at`
    /// sets `code_locked_until = lock_until` and resets `code_failures` to 0.
    async fn claim_code_try(
        &self,
        account_id: &str,
        lock_at: i64,
        now: OffsetDateTime,
        lock_until: OffsetDateTime,
    ) -> StoreResult<CodeTry>;
    async fn account_by_id(&self, account_id: &str) -> StoreResult<Option<Account>>;
    /// The "this wasn't me" token with this fingerprint, used or not.
    async fn disavow_token(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<crate::model::DisavowToken>>;
    /// The account's online identity recovery in progress, if any.
    async fn identity_recovery(
        &self,
        account_id: &str,
    ) -> StoreResult<Option<crate::model::IdentityRecovery>>;
    /// The account's email address waiting for confirmation: sealed, and when asked.
    async fn pending_email(
        &self,
        account_id: &str,
    ) -> StoreResult<Option<(String, OffsetDateTime)>>;
    /// The account's newest account reset, open or not.
    async fn latest_account_reset(
        &self,
        account_id: &str,
    ) -> StoreResult<Option<crate::model::AccountReset>>;

    /// The newest code of this purpose (and factor, when given) for the account, **used
    /// or not** (so a reused code can be told apart from a wrong one); `None` if none.
    async fn latest_code(
        &self,
        account_id: &str,
        purpose: &str,
        factor_id: Option<&str>,
    ) -> StoreResult<Option<OneTimeCode>>;
    /// How many codes of this purpose were created for the account since `since`.
    async fn codes_created_since(
        &self,
        account_id: &str,
        purpose: &str,
        since: OffsetDateTime,
    ) -> StoreResult<i64>;

    /// All factors of the account, oldest first (including unconfirmed and disabled).
    async fn factors(&self, account_id: &str) -> StoreResult<Vec<Factor>>;
    /// The account's passkey credentials (confirmed passkey factors).
    async fn passkeys(&self, account_id: &str)
    -> StoreResult<Vec<crate::model::PasskeyCredential>>;
    /// The passkey with this credential id (base64url), whichever account holds it.
    async fn passkey_by_credential_id(
        &self,
        credential_id: &str,
    ) -> StoreResult<Option<crate::model::PasskeyCredential>>;
    /// A WebAuthn ceremony still waiting (expired or not).
    async fn webauthn_challenge(
        &self,
        id: &str,
    ) -> StoreResult<Option<crate::model::WebauthnChallenge>>;
    /// The backup code `code_hash` of the factor: `None` if there is no such code,
    /// `Some(None)` if unused, `Some(Some(at))` if used at `at`.
    async fn backup_code_used_at(
        &self,
        factor_id: &str,
        code_hash: &str,
    ) -> StoreResult<Option<Option<OffsetDateTime>>>;
    /// Backup codes of the factor not used yet.
    async fn backup_codes_left(&self, factor_id: &str) -> StoreResult<i64>;

    /// The session and the account it belongs to, in one read.
    async fn session_with_account(
        &self,
        session_id: &str,
    ) -> StoreResult<Option<(Session, Account)>>;
    /// The account's sessions, most recently used first.
    async fn sessions_of(&self, account_id: &str) -> StoreResult<Vec<Session>>;

    /// Newest first.
    async fn recent_logins(&self, account_id: &str, limit: i64) -> StoreResult<Vec<LoginRecord>>;
    /// Newest first.
    async fn security_events(
        &self,
        account_id: &str,
        limit: i64,
    ) -> StoreResult<Vec<SecurityEvent>>;
    async fn device_known(&self, account_id: &str, device_hash: &str) -> StoreResult<bool>;

    /// The counter's window start and count, if any.
    async fn counter(&self, key: &str) -> StoreResult<Option<(OffsetDateTime, i64)>>;
    /// Count one hit under `key` in a fixed window and answer, in the same statement, the
    /// window start and the count including this hit. `expired_before` is `now - window
    /// length`: with no row, or a window that started before it, the window restarts at
    /// `now` with count 1; otherwise the count goes up by one. Hits counted at the same
    /// moment each see their own number.
    async fn count_in_window(
        &self,
        key: &str,
        expired_before: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<(OffsetDateTime, i64)>;
    /// Remove the window counters whose window ended before `now` (the scheduled jobs).
    async fn sweep_counters(&self, now: OffsetDateTime) -> StoreResult<u64>;

    async fn proofing_case(&self, account_id: &str) -> StoreResult<Option<ProofingCase>>;
    /// Newest first.
    async fn proofing_attempts(
        &self,
        account_id: &str,
        limit: i64,
    ) -> StoreResult<Vec<ProofingAttempt>>;
    /// The account holding this SSN as verified at `now`, if any (a deleted account's
    /// hold ends at its `released_at`).
    async fn verified_ssn_holder(
        &self,
        ssn_fp: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<String>>;
    /// The account's letters, newest first.
    async fn letters_of(&self, account_id: &str) -> StoreResult<Vec<Letter>>;
    /// Usable letters mailed at or before `mailed_before` with no reminder yet.
    async fn letters_needing_reminder(
        &self,
        mailed_before: OffsetDateTime,
        now: OffsetDateTime,
        limit: i64,
    ) -> StoreResult<Vec<Letter>>;
    /// Letters past their expiry, neither activated nor marked expired.
    async fn letters_past_expiry(
        &self,
        now: OffsetDateTime,
        limit: i64,
    ) -> StoreResult<Vec<Letter>>;
    /// Letters waiting to be printed (oldest first), excluding expired ones.
    async fn unprinted_letters(&self, limit: i64) -> StoreResult<Vec<Letter>>;
    /// Attempts grouped by day, step, result and reasons, for `from <= at < to`.
    async fn funnel_rows(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> StoreResult<Vec<FunnelRow>>;
    /// Proofing cases started per day (days since 1970-01-01 UTC), for `from <= at < to`.
    async fn cases_started_per_day(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> StoreResult<Vec<(i64, i64)>>;
    async fn staff_roles(&self, account_id: &str) -> StoreResult<Vec<String>>;
    /// Every account holding a staff role, by username, with its roles and its last
    /// successful sign-in.
    async fn staff_members(&self) -> StoreResult<Vec<crate::staff::StaffMember>>;
    async fn temporary_password(&self, account_id: &str) -> StoreResult<Option<TemporaryPassword>>;
    /// The account's knowledge checks created at or after `since`, newest first.
    async fn knowledge_checks(
        &self,
        account_id: &str,
        since: OffsetDateTime,
    ) -> StoreResult<Vec<KnowledgeCheck>>;
    async fn knowledge_check(&self, check_id: &str) -> StoreResult<Option<KnowledgeCheck>>;
    /// The account's in-person records, newest first.
    async fn in_person_records(&self, account_id: &str) -> StoreResult<Vec<InPersonRecord>>;
    /// Accounts whose proofing case has this name-and-birth-date fingerprint.
    async fn accounts_by_lookup(&self, lookup_fp: &str) -> StoreResult<Vec<String>>;

    /// Audit entries with `seq > after_seq`, ascending, at most `limit`; only those
    /// whose subject is `subject` when given.
    async fn audit_entries(
        &self,
        subject: Option<&str>,
        after_seq: i64,
        limit: i64,
    ) -> StoreResult<Vec<crate::audit::AuditEntry>>;
    /// The audit head: `seq` and `hash` of the last append (`(0, GENESIS_HASH)` while
    /// the log is empty); `None` only if the head row is missing.
    async fn audit_head(&self) -> StoreResult<Option<(i64, String)>>;

    /// A cheap check, for readiness, that the database can take writes now (on SQLite
    /// a read alone would succeed while another process holds the write lock).
    async fn ping(&self) -> StoreResult<()>;

    /// Maintenance windows ending after `ends_after` (cancelled ones included), by
    /// start, at most `limit`.
    async fn maintenance_windows(
        &self,
        ends_after: OffsetDateTime,
        limit: i64,
    ) -> StoreResult<Vec<crate::model::MaintenanceWindow>>;
    async fn maintenance_window(
        &self,
        id: &str,
    ) -> StoreResult<Option<crate::model::MaintenanceWindow>>;
    /// Take the lease `name` for `holder` until `until`, or renew it if `holder` has
    /// it; true when `holder` holds it now (it was free, expired at `now`, or its own).
    async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now: OffsetDateTime,
        until: OffsetDateTime,
    ) -> StoreResult<bool>;
    /// Give up a lease `holder` holds (nothing happens if it does not).
    async fn release_lease(&self, name: &str, holder: &str) -> StoreResult<()>;
    /// The client ids of the apps the account shares with now (consent not withdrawn).
    async fn connected_app_ids(&self, account_id: &str) -> StoreResult<Vec<String>>;
    /// The latest `limit` tokens sent to an app, newest first, with their delivery.
    async fn app_deliveries(
        &self,
        client_id: &str,
        limit: i64,
    ) -> StoreResult<Vec<crate::app_events::AppDelivery>>;
    /// Up to `limit` app events not yet dispatched, oldest first.
    async fn pending_app_events(&self, limit: i64)
    -> StoreResult<Vec<crate::app_events::AppEvent>>;
    /// The outbox's depth and age and the connection pool's use, for `/metrics`.
    async fn gauges(&self) -> StoreResult<crate::model::StoreGauges>;

    /// Letters by state, counted in SQL.
    async fn letter_counts(&self) -> StoreResult<crate::model::LetterCounts>;
    /// Accounts locked at `now` and disabled factors, counted in SQL.
    async fn lockout_counts(&self, now: OffsetDateTime)
    -> StoreResult<crate::model::LockoutCounts>;
    /// The newest `limit` audit entries whose actor is staff (`staff:...`), newest first.
    async fn staff_activity(&self, limit: i64) -> StoreResult<Vec<crate::model::StaffActivity>>;
}

/// The outbox as the delivery worker sees it.
#[async_trait]
pub trait OutboxStore: Send + Sync + 'static {
    /// Claim up to `limit` pending messages due at `now`, invisible to other workers
    /// until `claim_until`. Oldest first. Claiming counts an attempt: the returned
    /// `attempts` includes the one about to be made.
    async fn claim_due(
        &self,
        now: OffsetDateTime,
        claim_until: OffsetDateTime,
        limit: i64,
    ) -> StoreResult<Vec<OutboxItem>>;
    /// Delivered: the sealed payload is erased and the row kept as a record.
    async fn mark_sent(&self, id: &str, at: OffsetDateTime) -> StoreResult<()>;
    /// Failed this time; try again at `next_attempt_at`.
    async fn mark_retry(
        &self,
        id: &str,
        next_attempt_at: OffsetDateTime,
        error: &str,
    ) -> StoreResult<()>;
    /// Failed for good after the last retry; payload erased.
    async fn mark_dead(&self, id: &str, at: OffsetDateTime, error: &str) -> StoreResult<()>;
    /// Messages neither sent nor dead.
    async fn pending_count(&self) -> StoreResult<i64>;
    /// Remove the records of messages sent or given up before `before` (their payloads
    /// were erased then); pending messages stay. Returns how many went.
    async fn purge_finished(&self, before: OffsetDateTime) -> StoreResult<u64>;
}
