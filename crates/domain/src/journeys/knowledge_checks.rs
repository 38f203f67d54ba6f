//! The help desk's knowledge check by phone: at least four questions from the two newest
//! returns (never the same set twice in a row, a few checks a day), scored with the
//! tolerances of `crate::staff`; a pass gives a temporary password and a letter to the
//! address of record, a fail refers the person to an assistance center.

use std::collections::HashMap;

use serde_json::json;
use time::{Duration, OffsetDateTime};

use super::letters::Letters;
use super::proofing_case::ProofingCases;
use super::roles::Roles;
use super::sessions::AuthSession;
use super::staff::{Staff, StaffOutcome};
use super::temporary_passwords::TemporaryPasswords;
use crate::model::new_id;
use crate::proofing::case::{AttemptResult, ProofingCase, ProofingStep, staff_method};
use crate::staff::{
    Answer, HELP_DESK, KnowledgeCheck, Question, answer_is_correct, available_questions,
    draw_questions,
};
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

/// Knowledge checks one account may have per 24 hours.
pub const KNOWLEDGE_CHECKS_PER_DAY: usize = 3;

/// A knowledge check started: what the assistor asks.
#[derive(Debug, Clone)]
pub struct KnowledgeCheckStarted {
    pub check_id: String,
    pub questions: Vec<Question>,
}

impl Staff<'_> {
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
                retry_after_secs: crate::clock::seconds_until(now, oldest + Duration::hours(24)),
            });
        }
        let case = self.core.store.proofing_case(account_id).await?;
        let ssn = self.subject_ssn(case.as_ref(), ssn)?;
        let ssn_fp = ssn.fingerprint().to_owned();
        let returns = self.core.sources.tax_returns.returns_for(&ssn, 2).await?;
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
            &mut crate::keys::os_rng(),
        )
        .ok_or(DomainError::Conflict("error-are-not-enough-tax-records"))?;
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
            .ok_or(DomainError::NotFound("error-no-such-check"))?;
        Roles::new(self.core)
            .require_staff(auth, HELP_DESK, Some(&check.account_id))
            .await?;
        if check.answered_at.is_some() {
            return Err(DomainError::Conflict(
                "error-check-was-already-answered-start",
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
        let case = self.core.store.proofing_case(&account.id).await?;
        let ssn = self.core.ssn_lookup_for(case.as_ref(), &check.ssn_fp);
        let returns = self.core.sources.tax_returns.returns_for(&ssn, 2).await?;
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
        let mut case = case.unwrap_or_else(|| ProofingCase::new(&account.id, now));
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
                .push_letter(&mut change, &account, &ssn)
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
}
