//! The staff console's journeys: find an account, see why proofing failed, run the help
//! desk's knowledge check by phone, record documents seen in person, and complete
//! registration after an in-person visit.
//!
//! ```text
//!  help desk: find ─► questions ─► answers ─ pass ─► temporary password + letter ─► user enters code
//!                                          └ fail ─► referred in person
//!  assistance center: documents (sealed record) ─► help desk completes ─► letter ─► user enters code
//! ```
//!
//! Every action needs a fully signed-in staff session (second factor entered, an
//! authenticator app on the account: no SMS-only staff) holding the role, is refused on
//! the staff member's own account, appears in the person's security history in plain
//! words, and is written to the audit log.

use serde_json::json;
use time::{Duration, OffsetDateTime};

use super::letters::LetterQueued;
use super::proofing_case::lookup_fingerprint;
use super::roles::Roles;
use super::{core::Core, sessions::AuthSession};
use crate::model::Account;
use crate::proofing::case::{ProofingAttempt, ProofingCase, ProofingStep};
use crate::proofing::sources::Lookup;
use crate::staff::{ASSISTANCE_CENTER, HELP_DESK, VisitKind};
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

/// What the help desk sees about an account.
#[derive(Debug, Clone)]
pub struct AccountOverview {
    pub account_id: String,
    pub username: String,
    pub created_at: OffsetDateTime,
    pub email_confirmed: bool,
    pub identity_verified_by: Option<String>,
    pub proofing_step: Option<ProofingStep>,
    pub staff_method: Option<String>,
    pub active_factors: usize,
    pub disabled_factors: usize,
    pub locked_until: Option<OffsetDateTime>,
    /// Newest first: step, result, reason codes.
    pub attempts: Vec<ProofingAttempt>,
    pub knowledge_checks_today: usize,
    pub in_person_records: Vec<InPersonSummary>,
    /// The owner said "this wasn't me": sign-in waits for a password reset.
    pub password_reset_required: bool,
    /// An admin turned the account off.
    pub disabled: bool,
    /// Newest first: password resets, "this wasn't me" reports and account resets.
    pub recovery_events: Vec<crate::model::SecurityEvent>,
}

/// Security-history kinds that staff see as the account's recovery history.
pub const RECOVERY_EVENT_KINDS: &[&str] = &[
    "password_reset_requested",
    "password_reset",
    "disavowed",
    "account_reset_started",
    "account_reset_completed",
];

#[derive(Debug, Clone)]
pub struct InPersonSummary {
    pub id: String,
    pub kind: VisitKind,
    pub office: String,
    pub created_at: OffsetDateTime,
    pub completed: bool,
}

/// How a knowledge check or an in-person completion ended.
#[derive(Debug, Clone)]
pub struct StaffOutcome {
    pub passed: bool,
    /// Shown once to the staff member, to read to the person.
    pub temporary_password: Option<String>,
    pub letter: Option<LetterQueued>,
    /// What to tell the person.
    pub message: String,
}

/// Exception processing by the help desk and assistance centers.
#[derive(Clone, Copy)]
pub struct Staff<'a> {
    pub(super) core: &'a Core,
}

impl<'a> Staff<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl Staff<'_> {
    /// Find accounts by username, or by last name and date of birth (as typed at the
    /// identity step). Any staff role.
    pub async fn find_accounts(
        &self,
        auth: &AuthSession,
        username: Option<&str>,
        last_name_and_dob: Option<(&str, time::Date)>,
    ) -> DomainResult<Vec<AccountOverview>> {
        self.require_any_staff(auth).await?;
        let mut ids = Vec::new();
        if let Some(username) = username.filter(|u| !u.trim().is_empty()) {
            if let Some(account) = self
                .core
                .store
                .account_by_username(&super::core::normalise_username(username))
                .await?
            {
                ids.push(account.id);
            }
        } else if let Some((last, dob)) = last_name_and_dob {
            ids = self
                .core
                .store
                .accounts_by_lookup(&lookup_fingerprint(&self.core.keys, last, dob))
                .await?;
        } else {
            return Err(DomainError::invalid(
                "username",
                "Search by username, or by last name and date of birth.",
            ));
        }
        let mut found = Vec::new();
        for id in ids {
            if id == auth.account.id {
                continue;
            }
            if let Some(overview) = self.overview(&id).await? {
                found.push(overview);
            }
        }
        self.core.commit(Change::new().with(self.audit_write(
            auth,
            "staff.accounts_searched",
            None,
            json!({"results": found.len(), "by": if username.is_some() { "username" } else { "name_and_birth_date" }}),
        )))
        .await?;
        Ok(found)
    }

    /// One account's status for staff (any staff role).
    pub async fn account_overview(
        &self,
        auth: &AuthSession,
        account_id: &str,
    ) -> DomainResult<AccountOverview> {
        self.require_any_staff(auth).await?;
        if account_id == auth.account.id {
            return Err(DomainError::Forbidden("error-staff-cannot-act-their-own"));
        }
        let overview = self
            .overview(account_id)
            .await?
            .ok_or(DomainError::NotFound("error-no-account-id"))?;
        // Looking at someone's account is a staff action too: they see it.
        self.core
            .commit(
                Change::new()
                    .with(self.core.event(
                        account_id,
                        "staff_viewed",
                        "Secure Access staff looked at your account's status to help you",
                    ))
                    .with(self.audit_write(
                        auth,
                        "staff.account_viewed",
                        Some(account_id),
                        json!({}),
                    )),
            )
            .await?;
        Ok(overview)
    }

    async fn require_any_staff(&self, auth: &AuthSession) -> DomainResult<()> {
        for role in [HELP_DESK, ASSISTANCE_CENTER, crate::staff::ADMIN] {
            if Roles::new(self.core)
                .require_staff(auth, role, None)
                .await
                .is_ok()
            {
                return Ok(());
            }
        }
        Roles::new(self.core)
            .require_staff(auth, HELP_DESK, None)
            .await
    }

    async fn overview(&self, account_id: &str) -> DomainResult<Option<AccountOverview>> {
        let Some(account) = self.core.store.account_by_id(account_id).await? else {
            return Ok(None);
        };
        let now = self.core.now();
        let factors = self.core.store.factors(account_id).await?;
        let case = self.core.store.proofing_case(account_id).await?;
        let checks = self
            .core
            .store
            .knowledge_checks(account_id, now - Duration::hours(24))
            .await?;
        let records = self.core.store.in_person_records(account_id).await?;
        Ok(Some(AccountOverview {
            account_id: account.id.clone(),
            username: account.username.clone(),
            created_at: account.created_at,
            email_confirmed: account.email_confirmed_at.is_some(),
            identity_verified_by: account.identity_verified_by.clone(),
            proofing_step: case.as_ref().map(|c| c.step),
            staff_method: case.and_then(|c| c.staff_method),
            active_factors: factors.iter().filter(|f| f.is_active()).count(),
            disabled_factors: factors.iter().filter(|f| f.disabled_at.is_some()).count(),
            locked_until: account.code_locked_until.filter(|until| *until > now),
            attempts: self.core.store.proofing_attempts(account_id, 20).await?,
            knowledge_checks_today: checks.len(),
            password_reset_required: account.password_reset_required,
            disabled: account.disabled_at.is_some(),
            recovery_events: self
                .core
                .store
                .security_events(account_id, 200)
                .await?
                .into_iter()
                .filter(|e| RECOVERY_EVENT_KINDS.contains(&e.kind.as_str()))
                .take(20)
                .collect(),
            in_person_records: records
                .into_iter()
                .map(|r| InPersonSummary {
                    id: r.id,
                    kind: r.kind,
                    office: r.office,
                    created_at: r.created_at,
                    completed: r.completed_at.is_some(),
                })
                .collect(),
        }))
    }

    pub(super) async fn subject_account(&self, account_id: &str) -> DomainResult<Account> {
        self.core
            .store
            .account_by_id(account_id)
            .await?
            .ok_or(DomainError::NotFound("error-no-account-id"))
    }

    /// The SSN a staff action is about: the one the staff member typed, else the one on
    /// the account's proofing case.
    pub(super) fn subject_ssn(
        &self,
        case: Option<&ProofingCase>,
        ssn: Option<&str>,
    ) -> DomainResult<Lookup> {
        if let Some(ssn) = ssn.filter(|s| !s.trim().is_empty()) {
            let normalised = crate::proofing::typed::parse_ssn(ssn).ok_or_else(|| {
                DomainError::invalid("ssn", "Enter the SSN as 9 digits, like 123-45-6789.")
            })?;
            return Ok(Lookup::ssn(&self.core.keys, &normalised));
        }
        case.and_then(|c| self.core.case_ssn(c)).ok_or_else(|| {
            DomainError::invalid(
                "ssn",
                "This account has no SSN on file: ask the caller for it and enter it.",
            )
        })
    }

    /// An audit entry for a staff action.
    pub(super) fn audit_write(
        &self,
        auth: &AuthSession,
        action: &str,
        subject: Option<&str>,
        detail: serde_json::Value,
    ) -> Write {
        self.core.audit(
            format!("staff:{}", auth.account.id),
            action,
            subject,
            detail,
        )
    }
}
