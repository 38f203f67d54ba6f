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

use std::collections::HashMap;

use serde_json::json;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use super::letters::LetterQueued;
use super::letters::Letters;
use super::proofing_case::{ProofingCases, lookup_fingerprint};
use super::roles::Roles;
use super::temporary_passwords::TemporaryPasswords;
use super::{core::Core, core::purpose, sessions::AuthSession};
use crate::model::{Account, new_id};
use crate::proofing::case::{
    AttemptResult, ProofingAttempt, ProofingCase, ProofingStep, staff_method,
};
use crate::proofing::records::normalise_ssn;
use crate::proofing::sources::ssn_fingerprint;
use crate::staff::{
    ASSISTANCE_CENTER, Answer, Document, HELP_DESK, InPersonRecord, KnowledgeCheck, Question,
    VisitKind, answer_is_correct, available_questions, check_documents, draw_questions,
};
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

/// Knowledge checks one account may have per 24 hours.
pub const KNOWLEDGE_CHECKS_PER_DAY: usize = 3;

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
}

#[derive(Debug, Clone)]
pub struct InPersonSummary {
    pub id: String,
    pub kind: VisitKind,
    pub office: String,
    pub created_at: OffsetDateTime,
    pub completed: bool,
}

/// A knowledge check started: what the assistor asks.
#[derive(Debug, Clone)]
pub struct KnowledgeCheckStarted {
    pub check_id: String,
    pub questions: Vec<Question>,
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

/// What assistance-center staff record.
#[derive(Debug, Clone)]
pub struct InPersonInput {
    pub kind: VisitKind,
    pub office: String,
    pub documents: Vec<Document>,
    /// Typed from the Social Security card when the account has none on file.
    pub ssn: Option<String>,
    /// Staff confirm the person in front of them matches the photo ID.
    pub person_matches: bool,
}

/// Exception processing by the help desk and assistance centers.
#[derive(Clone, Copy)]
pub struct Staff<'a> {
    core: &'a Core,
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
            return Err(DomainError::Forbidden(
                "Staff cannot act on their own account.",
            ));
        }
        let overview = self
            .overview(account_id)
            .await?
            .ok_or(DomainError::NotFound("There is no account with that id."))?;
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

    /// Help desk: draw questions from the caller's current and prior-year returns (at
    /// least 4, never the same set twice in a row; at most 3 checks per 24 hours).
    /// `ssn` is needed when the account has none on file (it never matched online).
    pub async fn start_knowledge_check(
        &self,
        auth: &AuthSession,
        account_id: &str,
        ssn: Option<&str>,
    ) -> DomainResult<KnowledgeCheckStarted> {
        Roles::new(self.core)
            .require_staff(auth, HELP_DESK, Some(account_id))
            .await?;
        let account = self.subject_account(account_id).await?;
        let now = self.core.now();
        let today = self
            .core
            .store
            .knowledge_checks(account_id, now - Duration::hours(24))
            .await?;
        if today.len() >= KNOWLEDGE_CHECKS_PER_DAY {
            let oldest = today.iter().map(|c| c.created_at).min().unwrap_or(now);
            return Err(DomainError::RateLimited {
                retry_after_secs: super::core::seconds_until(now, oldest + Duration::hours(24)),
            });
        }
        let case = self.core.store.proofing_case(account_id).await?;
        let ssn_fp = self.subject_ssn_fp(case.as_ref(), ssn)?;
        let returns = self
            .core
            .sources
            .tax_returns
            .returns_for(&ssn_fp, 2)
            .await?;
        let previous = self
            .core
            .store
            .knowledge_checks(account_id, OffsetDateTime::UNIX_EPOCH)
            .await?
            .into_iter()
            .next()
            .map(|c| c.questions);
        let questions = draw_questions(
            &available_questions(&returns),
            previous.as_deref(),
            &mut rand::rngs::OsRng,
        )
        .ok_or(DomainError::Conflict(
            "There are not enough tax records on file to check this caller by phone. Refer them to a Taxpayer Assistance Center.",
        ))?;
        let check = KnowledgeCheck {
            id: new_id(now),
            account_id: account.id.clone(),
            staff_id: auth.account.id.clone(),
            ssn_fp,
            questions: questions.clone(),
            created_at: now,
            answered_at: None,
            result: None,
        };
        let check_id = check.id.clone();
        let ids: Vec<String> = questions.iter().map(Question::id).collect();
        let change = Change::new()
            .with(Write::InsertKnowledgeCheck(check))
            .with(self.core.event(
                &account.id,
                "help_desk_check_started",
                "The help desk started checking your identity by phone",
            ))
            .with(self.audit_write(
                auth,
                "help_desk.check_started",
                Some(&account.id),
                json!({"check_id": check_id, "questions": ids}),
            ));
        self.core.commit(change).await?;
        Ok(KnowledgeCheckStarted {
            check_id,
            questions,
        })
    }

    /// Help desk: score the caller's answers. Pass: a temporary password (shown once)
    /// and a letter to the address of record; the person completes with its code.
    /// Fail: referred to an assistance center.
    pub async fn answer_knowledge_check(
        &self,
        auth: &AuthSession,
        check_id: &str,
        answers: &HashMap<String, Answer>,
    ) -> DomainResult<StaffOutcome> {
        let check = self
            .core
            .store
            .knowledge_check(check_id)
            .await?
            .ok_or(DomainError::NotFound("There is no such check."))?;
        Roles::new(self.core)
            .require_staff(auth, HELP_DESK, Some(&check.account_id))
            .await?;
        if check.answered_at.is_some() {
            return Err(DomainError::Conflict(
                "This check was already answered. Start a new one.",
            ));
        }
        for question in &check.questions {
            if !answers.contains_key(&question.id()) {
                return Err(DomainError::invalid(
                    "answers",
                    format!(
                        "Enter an answer to every question (missing: {}).",
                        question.id()
                    ),
                ));
            }
        }
        let account = self.subject_account(&check.account_id).await?;
        let returns = self
            .core
            .sources
            .tax_returns
            .returns_for(&check.ssn_fp, 2)
            .await?;
        let wrong: Vec<String> = check
            .questions
            .iter()
            .filter(|q| {
                answers
                    .get(&q.id())
                    .is_none_or(|a| !answer_is_correct(q, a, &returns))
            })
            .map(Question::id)
            .collect();
        let passed = wrong.is_empty();
        let now = self.core.now();
        let mut case = self
            .core
            .store
            .proofing_case(&account.id)
            .await?
            .unwrap_or_else(|| ProofingCase::new(&account.id, now));
        case.updated_at = now;
        let mut change = Change::new().with(Write::FinishKnowledgeCheck {
            check_id: check.id.clone(),
            at: now,
            result: if passed { "passed" } else { "failed" }.to_owned(),
        });
        let outcome = if passed {
            case.ssn_fp = Some(check.ssn_fp.clone());
            case.step = ProofingStep::MailCode;
            case.staff_method = Some(staff_method::HELP_DESK.to_owned());
            let letter = Letters::new(self.core)
                .push_letter(&mut change, &account, &check.ssn_fp)
                .await?;
            let temporary = TemporaryPasswords::new(self.core)
                .push_temporary_password(&mut change, &account, &auth.account.id)
                .await?;
            change.push(self.core.event(
                &account.id,
                "help_desk_verified",
                "The help desk verified your identity by phone. A temporary password was issued, and an activation code was mailed to the address on your latest tax return.",
            ));
            StaffOutcome {
                passed: true,
                temporary_password: Some(temporary),
                letter: Some(letter),
                message: "Verified. Read the temporary password to the caller: it works once, within 24 hours, and they choose a new password right away. Their activation code arrives by mail in 5 to 10 days; entering it completes their account.".to_owned(),
            }
        } else {
            case.step = ProofingStep::Exception;
            case.staff_method = Some(staff_method::IN_PERSON_REQUIRED.to_owned());
            change.push(self.core.event(
                &account.id,
                "help_desk_not_verified",
                "The help desk could not verify your identity by phone. Please visit a Taxpayer Assistance Center with your photo ID.",
            ));
            StaffOutcome {
                passed: false,
                temporary_password: None,
                letter: None,
                message: "Not verified. Tell the caller to make an appointment at a Taxpayer Assistance Center and bring two government-issued photo IDs.".to_owned(),
            }
        };
        change.push(Write::SaveProofingCase(case));
        change.push(ProofingCases::new(self.core).attempt(
            &account.id,
            "help_desk",
            if passed {
                AttemptResult::Passed
            } else {
                AttemptResult::Failed
            },
            if passed {
                Vec::new()
            } else {
                vec!["knowledge_check_failed".to_owned()]
            },
        ));
        change.push(self.audit_write(
            auth,
            if passed {
                "help_desk.check_passed"
            } else {
                "help_desk.check_failed"
            },
            Some(&account.id),
            json!({"check_id": check.id, "wrong": wrong, "letter_id": outcome.letter.as_ref().map(|l| l.letter_id.clone()), "temporary_password_issued": passed}),
        ));
        self.core.commit(change).await?;
        Ok(outcome)
    }

    /// Assistance center: record the documents seen and that the person matches them.
    /// The record is sealed (read-only); the help desk completes registration from it.
    pub async fn record_in_person(
        &self,
        auth: &AuthSession,
        account_id: &str,
        input: InPersonInput,
    ) -> DomainResult<String> {
        Roles::new(self.core)
            .require_staff(auth, ASSISTANCE_CENTER, Some(account_id))
            .await?;
        let account = self.subject_account(account_id).await?;
        if !input.person_matches {
            return Err(DomainError::invalid(
                "person_matches",
                "Confirm that the person in front of you matches the photo ID before saving.",
            ));
        }
        let office = input.office.trim();
        if office.is_empty() || office.chars().count() > 100 {
            return Err(DomainError::invalid(
                "office",
                "Enter the assistance center's name or code.",
            ));
        }
        let now = self.core.now();
        check_documents(input.kind, &input.documents, now.date())
            .map_err(|message| DomainError::invalid("documents", message))?;
        let case = self.core.store.proofing_case(account_id).await?;
        let ssn_fp = match input.ssn.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(ssn) => Some(ssn_fingerprint(
                &self.core.keys,
                &normalise_ssn(ssn.trim()).ok_or_else(|| {
                    DomainError::invalid("ssn", "Enter the SSN as 9 digits, like 123-45-6789.")
                })?,
            )),
            None => case.as_ref().and_then(|c| c.ssn_fp.clone()),
        };
        if ssn_fp.is_none() {
            return Err(DomainError::invalid(
                "ssn",
                "This account has no SSN on file: enter the one on the Social Security card or other document.",
            ));
        }
        let documents_json =
            serde_json::to_vec(&input.documents).map_err(DomainError::unavailable)?;
        let id = new_id(now);
        let mut hasher = Sha256::new();
        for part in [
            id.as_bytes(),
            account.id.as_bytes(),
            input.kind.as_str().as_bytes(),
            office.as_bytes(),
            auth.account.id.as_bytes(),
            &documents_json,
        ] {
            hasher.update((part.len() as u64).to_be_bytes());
            hasher.update(part);
        }
        let content_hash = crate::keys::hex(&hasher.finalize());
        let record = InPersonRecord {
            id: id.clone(),
            account_id: account.id.clone(),
            kind: input.kind,
            office: office.to_owned(),
            staff_id: auth.account.id.clone(),
            ssn_fp: ssn_fp.clone(),
            documents_sealed: self
                .core
                .keys
                .seal(purpose::IN_PERSON_DOCUMENTS, &documents_json)?,
            content_hash: content_hash.clone(),
            created_at: now,
            completed_at: None,
            completed_by: None,
        };
        let mut case = case.unwrap_or_else(|| ProofingCase::new(&account.id, now));
        case.step = ProofingStep::Exception;
        case.staff_method = Some(staff_method::DOCUMENTS_CHECKED.to_owned());
        case.ssn_fp = ssn_fp;
        case.updated_at = now;
        let kinds: Vec<&str> = input.documents.iter().map(|d| d.kind.as_str()).collect();
        let change = Change::new()
            .with(Write::InsertInPersonRecord(record))
            .with(Write::SaveProofingCase(case))
            .with(ProofingCases::new(self.core).attempt(&account.id, "in_person", AttemptResult::Passed, Vec::new()))
            .with(self.core.event(
                &account.id,
                "in_person_documents_checked",
                format!("Your identity documents were checked in person at {office}"),
            ))
            .with(self.audit_write(
                auth,
                "assistance_center.record_sealed",
                Some(&account.id),
                json!({"record_id": id, "kind": input.kind.as_str(), "office": office, "documents": kinds, "content_hash": content_hash}),
            ));
        self.core.commit(change).await?;
        Ok(id)
    }

    /// Help desk: complete registration from a sealed in-person record: a letter to the
    /// address of record and, when asked (an existing user who cannot sign in), a
    /// temporary password.
    pub async fn complete_in_person(
        &self,
        auth: &AuthSession,
        account_id: &str,
        issue_temporary_password: bool,
    ) -> DomainResult<StaffOutcome> {
        Roles::new(self.core)
            .require_staff(auth, HELP_DESK, Some(account_id))
            .await?;
        let account = self.subject_account(account_id).await?;
        let record = self
            .core
            .store
            .in_person_records(account_id)
            .await?
            .into_iter()
            .find(|r| r.completed_at.is_none())
            .ok_or(DomainError::Conflict(
                "There is no in-person record waiting to be completed for this account.",
            ))?;
        let now = self.core.now();
        let mut case = self
            .core
            .store
            .proofing_case(account_id)
            .await?
            .unwrap_or_else(|| ProofingCase::new(account_id, now));
        let ssn_fp = record
            .ssn_fp
            .clone()
            .or_else(|| case.ssn_fp.clone())
            .unwrap_or_default();
        let mut change = Change::new().with(Write::CompleteInPersonRecord {
            record_id: record.id.clone(),
            at: now,
            by: auth.account.id.clone(),
        });
        let letter = Letters::new(self.core)
            .push_letter(&mut change, &account, &ssn_fp)
            .await?;
        let temporary_password = if issue_temporary_password {
            Some(
                TemporaryPasswords::new(self.core)
                    .push_temporary_password(&mut change, &account, &auth.account.id)
                    .await?,
            )
        } else {
            None
        };
        case.ssn_fp = Some(ssn_fp);
        case.step = ProofingStep::MailCode;
        case.staff_method = Some(staff_method::IN_PERSON.to_owned());
        case.updated_at = now;
        change.push(Write::SaveProofingCase(case));
        change.push(self.core.event(
            &account.id,
            "in_person_completed",
            if temporary_password.is_some() {
                "The help desk completed your in-person verification: a temporary password was issued and an activation code mailed to the address on your latest tax return."
            } else {
                "The help desk completed your in-person verification: an activation code was mailed to the address on your latest tax return."
            },
        ));
        change.push(self.audit_write(
            auth,
            "help_desk.in_person_completed",
            Some(&account.id),
            json!({"record_id": record.id, "letter_id": letter.letter_id, "temporary_password_issued": temporary_password.is_some()}),
        ));
        self.core.commit(change).await?;
        Ok(StaffOutcome {
            passed: true,
            message: "Registration completed. The activation code arrives by mail in 5 to 10 days; entering it finishes the account.".to_owned(),
            temporary_password,
            letter: Some(letter),
        })
    }

    async fn subject_account(&self, account_id: &str) -> DomainResult<Account> {
        self.core
            .store
            .account_by_id(account_id)
            .await?
            .ok_or(DomainError::NotFound("There is no account with that id."))
    }

    fn subject_ssn_fp(
        &self,
        case: Option<&ProofingCase>,
        ssn: Option<&str>,
    ) -> DomainResult<String> {
        if let Some(ssn) = ssn.filter(|s| !s.trim().is_empty()) {
            let normalised = normalise_ssn(ssn.trim()).ok_or_else(|| {
                DomainError::invalid("ssn", "Enter the SSN as 9 digits, like 123-45-6789.")
            })?;
            return Ok(ssn_fingerprint(&self.core.keys, &normalised));
        }
        case.and_then(|c| c.ssn_fp.clone()).ok_or_else(|| {
            DomainError::invalid(
                "ssn",
                "This account has no SSN on file: ask the caller for it and enter it.",
            )
        })
    }

    /// An audit entry for a staff action.
    fn audit_write(
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
