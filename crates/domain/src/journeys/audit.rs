//! The audit log as the journeys use it: building entries ([`Core::audit`], added to
//! a journey's change so the entry commits with what it records), staff search by
//! account, admin export, and verification of the whole chain.
//!
//! ```text
//!  journey ──► change.push(self.core.audit(actor, "proofing.identity.failed", subject, detail))
//!                 └─► Store::apply: one transaction, the store links the entry into the chain
//!  staff  ──► audit_for_account ─┐  role checked, then the search is itself
//!  admin  ──► audit_export ──────┘  recorded ("audit.searched" / "audit.exported")
//!  console ─► verify_audit: head first, then every entry up to it, 1,000 at a time
//! ```
//!
//! Reading the log is access-controlled: any staff role may search one account's
//! entries, only `admin` may read the whole log, and each read leaves an entry behind.

use serde_json::json;

use super::roles::Roles;
use super::{core::Core, sessions::AuthSession};
use crate::audit::{AuditEntry, Broken, ChainVerifier, SYSTEM_ACTOR, staff_actor};
use crate::store::Change;
use crate::{DomainError, DomainResult};

/// Entries read per query when verifying (memory stays flat whatever the log's length).
const VERIFY_PAGE: i64 = 1000;

/// The most entries one search or export call may return.
const AUDIT_MAX_PAGE: i64 = 5000;

/// Reading, exporting and verifying the audit log.
#[derive(Clone, Copy)]
pub struct AuditLog<'a> {
    core: &'a Core,
}

impl<'a> AuditLog<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl AuditLog<'_> {
    /// One account's audit entries with `seq > after_seq`, oldest first (any staff
    /// role). The search is recorded as `audit.searched` with the account as subject,
    /// after the read, so it appears in later searches but not in this one.
    pub async fn audit_for_account(
        &self,
        auth: &AuthSession,
        subject: &str,
        after_seq: i64,
        limit: i64,
    ) -> DomainResult<Vec<AuditEntry>> {
        Roles::new(self.core)
            .require_any_role(auth, &super::roles::STAFF_ROLES)
            .await?;
        check_page(after_seq, limit)?;
        let entries = self
            .core
            .store
            .audit_entries(Some(subject), after_seq, limit)
            .await?;
        self.core
            .commit(Change::new().with(self.core.audit(
                staff_actor(&auth.account.id),
                "audit.searched",
                Some(subject),
                json!({"after": after_seq, "limit": limit, "returned": entries.len()}),
            )))
            .await?;
        Ok(entries)
    }

    /// The whole log with `seq > after_seq`, oldest first (role `admin`). Recorded as
    /// `audit.exported` after the read.
    pub async fn audit_export(
        &self,
        auth: &AuthSession,
        after_seq: i64,
        limit: i64,
    ) -> DomainResult<Vec<AuditEntry>> {
        Roles::new(self.core).require_role(auth, "admin").await?;
        check_page(after_seq, limit)?;
        let entries = self
            .core
            .store
            .audit_entries(None, after_seq, limit)
            .await?;
        self.core.commit(Change::new().with(self.core.audit(
            staff_actor(&auth.account.id),
            "audit.exported",
            None,
            json!({"via": "api", "after": after_seq, "limit": limit, "returned": entries.len()}),
        )))
        .await?;
        Ok(entries)
    }

    /// Record an export made at the console (`secure-access audit export`), before it
    /// reads anything; `actor` is `system` (whoever runs it holds the database).
    pub async fn record_console_export(&self) -> DomainResult<()> {
        self.core
            .commit(Change::new().with(self.core.audit(
                SYSTEM_ACTOR.to_owned(),
                "audit.exported",
                None,
                json!({"via": "console"}),
            )))
            .await
    }

    /// Check the whole chain: `Ok(Ok(entries checked))`, or `Ok(Err(first broken
    /// entry))`. Reads the head first and then only entries up to it, so appends made
    /// while it runs are not mistaken for breakage.
    pub async fn verify_audit(&self) -> DomainResult<Result<u64, Broken>> {
        let Some(head) = self.core.store.audit_head().await? else {
            return Ok(Err(Broken {
                seq: 0,
                reason: "the audit head record is missing".to_owned(),
            }));
        };
        let mut verifier = ChainVerifier::new();
        let mut after = 0;
        'pages: loop {
            let page = self
                .core
                .store
                .audit_entries(None, after, VERIFY_PAGE)
                .await?;
            let full = page.len() as i64 == VERIFY_PAGE;
            for entry in page {
                if entry.seq > head.0 {
                    break 'pages;
                }
                after = entry.seq;
                if let Err(broken) = verifier.push(entry) {
                    return Ok(Err(broken));
                }
            }
            if !full {
                break;
            }
        }
        Ok(verifier.finish(Some(head)))
    }
}

fn check_page(after_seq: i64, limit: i64) -> DomainResult<()> {
    if after_seq < 0 {
        return Err(DomainError::invalid("after", "after must be 0 or more."));
    }
    if !(1..=AUDIT_MAX_PAGE).contains(&limit) {
        return Err(DomainError::invalid(
            "limit",
            format!("limit must be between 1 and {AUDIT_MAX_PAGE}."),
        ));
    }
    Ok(())
}
