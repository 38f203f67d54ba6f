//! # sa-store: the SQL implementation of the domain's storage traits
//!
//! [`SqlStore`] implements [`sa_domain::store::Store`] and
//! [`sa_domain::store::OutboxStore`] with sqlx's `Any` driver, so one set of portable SQL
//! (placeholders `$1, $2, ...`, TEXT and BIGINT columns, `ON CONFLICT ... DO UPDATE`)
//! serves both SQLite and PostgreSQL. Times are kept as epoch milliseconds, booleans as
//! 0/1, and rows are mapped by hand.
//!
//! Modules by responsibility:
//! - `connect`: URLs, pool options, SQLite pragmas, the [`Backend`].
//! - `migrate`: the `migrations/` directory (portable DDL), embedded at compile time and
//!   run by sqlx's own `Migrator` through an embedded `MigrationSource` (not the
//!   `migrate!()` macro, which needs sqlx's `macros` feature).
//! - `apply`: one [`Change`] = one transaction; guarded writes.
//! - `accounts`, `codes`, `factors`, `sessions`, `history`, `counters`, `outbox`: the
//!   queries of each table family.
//! - `oidc`: the OpenID Connect provider's tables (`OidcStore`); `app_events`: what
//!   apps must hear about an account, queued with the change.
//! - `staff`: temporary passwords, knowledge checks, in-person records.
//! - `admin`: maintenance windows and the admin dashboard's counts.
//! - `operations`: leases (a scheduled job runs once across instances) and the gauges
//!   `/metrics` reads (outbox depth and age, pool use).
//! - `audit`: the hash-chained audit log and its head (appends are serialised).
//! - `proofing`: proofing cases, attempts, verified SSNs, letters and staff roles.
//! - `reference` (reads) and `reference_batch` (batch upserts, a few statements per
//!   batch): the identity-proofing reference tables (sealed rows by fingerprint),
//!   [`sa_domain::proofing::sources::ReferenceStore`] for `SqlStore`.
//! - `rows`, `error`: row decoding and sqlx error mapping (no row values in error text).
#![forbid(unsafe_code)]

mod accounts;
mod admin;
mod app_events;
mod apply;
mod audit;
mod codes;
mod connect;
mod counters;
mod deletion;
mod error;
mod factors;
mod history;
mod migrate;
mod oidc;
mod operations;
mod outbox;
mod passkeys;
mod proofing;
mod recovery;
mod reference;
mod reference_batch;
pub mod reseal;
mod rows;
mod sessions;
mod staff;

use async_trait::async_trait;
use time::OffsetDateTime;

use sa_domain::model::{
    Account, AccountReset, DisavowToken, Factor, IdentityRecovery, LoginRecord, OneTimeCode,
    PasskeyCredential, SecurityEvent, Session, WebauthnChallenge,
};
use sa_domain::proofing::case::{Letter, ProofingAttempt, ProofingCase};
use sa_domain::store::{Change, CodeTry, FunnelRow, Store, StoreResult};

pub use connect::{Backend, SqlStore};
pub use sa_domain::store::StoreError;

#[async_trait]
impl Store for SqlStore {
    async fn apply(&self, change: Change) -> StoreResult<()> {
        apply::apply(&self.pool, self.backend, change).await
    }

    async fn account_by_username(&self, username: &str) -> StoreResult<Option<Account>> {
        accounts::by_username(&self.pool, username).await
    }

    async fn account_by_id(&self, account_id: &str) -> StoreResult<Option<Account>> {
        accounts::by_id(&self.pool, account_id).await
    }

    async fn disavow_token(&self, token_hash: &str) -> StoreResult<Option<DisavowToken>> {
        recovery::disavow_token(&self.pool, token_hash).await
    }

    async fn identity_recovery(&self, account_id: &str) -> StoreResult<Option<IdentityRecovery>> {
        recovery::identity_recovery(&self.pool, account_id).await
    }

    async fn pending_email(
        &self,
        account_id: &str,
    ) -> StoreResult<Option<(String, OffsetDateTime)>> {
        recovery::pending_email(&self.pool, account_id).await
    }

    async fn latest_account_reset(&self, account_id: &str) -> StoreResult<Option<AccountReset>> {
        recovery::latest_account_reset(&self.pool, account_id).await
    }

    async fn claim_code_try(
        &self,
        account_id: &str,
        lock_at: i64,
        now: OffsetDateTime,
        lock_until: OffsetDateTime,
    ) -> StoreResult<CodeTry> {
        accounts::claim_code_try(&self.pool, account_id, lock_at, now, lock_until).await
    }

    async fn latest_code(
        &self,
        account_id: &str,
        purpose: &str,
        factor_id: Option<&str>,
    ) -> StoreResult<Option<OneTimeCode>> {
        codes::latest(&self.pool, account_id, purpose, factor_id).await
    }

    async fn codes_created_since(
        &self,
        account_id: &str,
        purpose: &str,
        since: OffsetDateTime,
    ) -> StoreResult<i64> {
        codes::created_since(&self.pool, account_id, purpose, since).await
    }

    async fn factors(&self, account_id: &str) -> StoreResult<Vec<Factor>> {
        factors::of_account(&self.pool, account_id).await
    }

    async fn passkeys(&self, account_id: &str) -> StoreResult<Vec<PasskeyCredential>> {
        passkeys::of_account(&self.pool, account_id).await
    }

    async fn passkey_by_credential_id(
        &self,
        credential_id: &str,
    ) -> StoreResult<Option<PasskeyCredential>> {
        passkeys::by_credential_id(&self.pool, credential_id).await
    }

    async fn webauthn_challenge(&self, id: &str) -> StoreResult<Option<WebauthnChallenge>> {
        passkeys::challenge(&self.pool, id).await
    }

    async fn backup_code_used_at(
        &self,
        factor_id: &str,
        code_hash: &str,
    ) -> StoreResult<Option<Option<OffsetDateTime>>> {
        factors::backup_code_used_at(&self.pool, factor_id, code_hash).await
    }

    async fn backup_codes_left(&self, factor_id: &str) -> StoreResult<i64> {
        factors::backup_codes_left(&self.pool, factor_id).await
    }

    async fn session_with_account(
        &self,
        session_id: &str,
    ) -> StoreResult<Option<(Session, Account)>> {
        sessions::with_account(&self.pool, session_id).await
    }

    async fn sessions_of(&self, account_id: &str) -> StoreResult<Vec<Session>> {
        sessions::of_account(&self.pool, account_id).await
    }

    async fn recent_logins(&self, account_id: &str, limit: i64) -> StoreResult<Vec<LoginRecord>> {
        history::recent_logins(&self.pool, account_id, limit).await
    }

    async fn security_events(
        &self,
        account_id: &str,
        limit: i64,
    ) -> StoreResult<Vec<SecurityEvent>> {
        history::security_events(&self.pool, account_id, limit).await
    }

    async fn device_known(&self, account_id: &str, device_hash: &str) -> StoreResult<bool> {
        history::device_known(&self.pool, account_id, device_hash).await
    }

    async fn counter(&self, key: &str) -> StoreResult<Option<(OffsetDateTime, i64)>> {
        counters::get(&self.pool, key).await
    }

    async fn count_in_window(
        &self,
        key: &str,
        expired_before: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<(OffsetDateTime, i64)> {
        counters::count_and_read(&self.pool, key, expired_before, now).await
    }

    async fn sweep_counters(&self, now: OffsetDateTime) -> StoreResult<u64> {
        counters::sweep(&self.pool, now).await
    }

    async fn proofing_case(&self, account_id: &str) -> StoreResult<Option<ProofingCase>> {
        proofing::case(&self.pool, account_id).await
    }

    async fn proofing_attempts(
        &self,
        account_id: &str,
        limit: i64,
    ) -> StoreResult<Vec<ProofingAttempt>> {
        proofing::attempts(&self.pool, account_id, limit).await
    }

    async fn verified_ssn_holder(
        &self,
        ssn_fp: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<String>> {
        proofing::verified_ssn_holder(&self.pool, ssn_fp, now).await
    }

    async fn letters_of(&self, account_id: &str) -> StoreResult<Vec<Letter>> {
        proofing::letters_of(&self.pool, account_id).await
    }

    async fn letters_needing_reminder(
        &self,
        mailed_before: OffsetDateTime,
        now: OffsetDateTime,
        limit: i64,
    ) -> StoreResult<Vec<Letter>> {
        proofing::needing_reminder(&self.pool, mailed_before, now, limit).await
    }

    async fn letters_past_expiry(
        &self,
        now: OffsetDateTime,
        limit: i64,
    ) -> StoreResult<Vec<Letter>> {
        proofing::past_expiry(&self.pool, now, limit).await
    }

    async fn unprinted_letters(&self, limit: i64) -> StoreResult<Vec<Letter>> {
        proofing::unprinted(&self.pool, limit).await
    }

    async fn funnel_rows(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> StoreResult<Vec<FunnelRow>> {
        proofing::funnel_rows(&self.pool, from, to).await
    }

    async fn cases_started_per_day(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> StoreResult<Vec<(i64, i64)>> {
        proofing::cases_started_per_day(&self.pool, from, to).await
    }

    async fn staff_roles(&self, account_id: &str) -> StoreResult<Vec<String>> {
        proofing::staff_roles(&self.pool, account_id).await
    }

    async fn staff_members(&self) -> StoreResult<Vec<sa_domain::staff::StaffMember>> {
        proofing::staff_members(&self.pool).await
    }

    async fn temporary_password(
        &self,
        account_id: &str,
    ) -> StoreResult<Option<sa_domain::staff::TemporaryPassword>> {
        staff::temporary_password(&self.pool, account_id).await
    }

    async fn knowledge_checks(
        &self,
        account_id: &str,
        since: OffsetDateTime,
    ) -> StoreResult<Vec<sa_domain::staff::KnowledgeCheck>> {
        staff::knowledge_checks(&self.pool, account_id, since).await
    }

    async fn knowledge_check(
        &self,
        check_id: &str,
    ) -> StoreResult<Option<sa_domain::staff::KnowledgeCheck>> {
        staff::knowledge_check(&self.pool, check_id).await
    }

    async fn in_person_records(
        &self,
        account_id: &str,
    ) -> StoreResult<Vec<sa_domain::staff::InPersonRecord>> {
        staff::in_person_records(&self.pool, account_id).await
    }

    async fn accounts_by_lookup(&self, lookup_fp: &str) -> StoreResult<Vec<String>> {
        staff::accounts_by_lookup(&self.pool, lookup_fp).await
    }

    async fn audit_entries(
        &self,
        subject: Option<&str>,
        after_seq: i64,
        limit: i64,
    ) -> StoreResult<Vec<sa_domain::audit::AuditEntry>> {
        audit::entries(&self.pool, subject, after_seq, limit).await
    }

    async fn audit_head(&self) -> StoreResult<Option<(i64, String)>> {
        audit::head(&self.pool).await
    }

    async fn ping(&self) -> StoreResult<()> {
        match self.backend {
            Backend::Postgres => sqlx::query("SELECT 1")
                .execute(&self.pool)
                .await
                .map(|_| ())
                .map_err(error::db("ping")),
            Backend::Sqlite => connect::sqlite_write_probe(&self.pool).await,
        }
    }

    async fn maintenance_windows(
        &self,
        ends_after: OffsetDateTime,
        limit: i64,
    ) -> StoreResult<Vec<sa_domain::model::MaintenanceWindow>> {
        admin::windows(&self.pool, ends_after, limit).await
    }

    async fn maintenance_window(
        &self,
        id: &str,
    ) -> StoreResult<Option<sa_domain::model::MaintenanceWindow>> {
        admin::window(&self.pool, id).await
    }

    async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now: OffsetDateTime,
        until: OffsetDateTime,
    ) -> StoreResult<bool> {
        operations::take_lease(&self.pool, name, holder, now, until).await
    }

    async fn release_lease(&self, name: &str, holder: &str) -> StoreResult<()> {
        operations::release_lease(&self.pool, name, holder).await
    }

    async fn connected_app_ids(&self, account_id: &str) -> StoreResult<Vec<String>> {
        app_events::connected_app_ids(&self.pool, account_id).await
    }

    async fn app_deliveries(
        &self,
        client_id: &str,
        limit: i64,
    ) -> StoreResult<Vec<sa_domain::app_events::AppDelivery>> {
        app_events::deliveries(&self.pool, client_id, limit).await
    }

    async fn pending_app_events(
        &self,
        limit: i64,
    ) -> StoreResult<Vec<sa_domain::app_events::AppEvent>> {
        app_events::pending(&self.pool, limit).await
    }

    async fn gauges(&self) -> StoreResult<sa_domain::model::StoreGauges> {
        operations::gauges(&self.pool).await
    }

    async fn letter_counts(&self) -> StoreResult<sa_domain::model::LetterCounts> {
        admin::letter_counts(&self.pool).await
    }

    async fn lockout_counts(
        &self,
        now: OffsetDateTime,
    ) -> StoreResult<sa_domain::model::LockoutCounts> {
        admin::lockout_counts(&self.pool, now).await
    }

    async fn staff_activity(
        &self,
        limit: i64,
    ) -> StoreResult<Vec<sa_domain::model::StaffActivity>> {
        admin::staff_activity(&self.pool, limit).await
    }
}
