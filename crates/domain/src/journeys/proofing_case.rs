//! The proofing case, shared by every path to a verified identity (online, by mail,
//! through staff): the gate a step passes before it runs (`require_proofing`, which asks
//! the step graph), the case itself (started, resumed or restarted), the attempts it
//! records with reason codes, and the writes that mark an identity verified, with the
//! one-verified-account-per-SSN rule.

use super::core::{Core, needs_recovery};
use super::sessions::AuthSession;
use crate::keys::Keyring;
use crate::messages;
use crate::model::{Next, new_id};
use crate::proofing::case::{
    AttemptResult, MatchedIdentity, ProofingAttempt, ProofingCase, ProofingStep, attempt_step,
    flow_reason,
};
use crate::proofing::matching::normalise_name;
use crate::proofing::steps::{self, Facts, ProofingAction, Refusal};
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};
use sa_i18n::Text;

/// The proofing case: reading, gating, recording and verifying it.
#[derive(Clone, Copy)]
pub struct ProofingCases<'a> {
    pub(super) core: &'a Core,
}

impl<'a> ProofingCases<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl ProofingCases<'_> {
    /// The account's case, started (and saved) if it has none, and started over if it
    /// was abandoned.
    pub(super) async fn current_case(&self, account_id: &str) -> DomainResult<ProofingCase> {
        let stored = self.core.store.proofing_case(account_id).await?;
        self.resume_or_start(account_id, stored).await
    }

    /// The `stored` case if it may go on; otherwise a new one, saved (and an abandoned
    /// one's restart recorded).
    async fn resume_or_start(
        &self,
        account_id: &str,
        stored: Option<ProofingCase>,
    ) -> DomainResult<ProofingCase> {
        let now = self.core.now();
        match stored {
            Some(case) if !case.abandoned(now, self.core.limits().proofing_resume_secs) => Ok(case),
            abandoned => {
                let case = ProofingCase::new(account_id, now);
                let mut change = Change::new().with(Write::SaveProofingCase(case.clone()));
                if abandoned.is_some() {
                    change.push(self.attempt(
                        account_id,
                        attempt_step::IDENTITY,
                        AttemptResult::Failed,
                        vec![flow_reason::RESTARTED.to_owned()],
                    ));
                }
                self.core.commit(change).await?;
                Ok(case)
            }
        }
    }

    /// The session may take `action` now (the step graph's gates, then the case's step:
    /// see [`crate::proofing::steps::refusal`]); returns the case, started or restarted
    /// if it has to be.
    pub(super) async fn require_proofing(
        &self,
        auth: &AuthSession,
        action: ProofingAction,
    ) -> DomainResult<ProofingCase> {
        let account = &auth.account;
        let stored = self.core.store.proofing_case(&account.id).await?;
        let factors = self.core.store.factors(&account.id).await?;
        let facts = self
            .core
            .facts(account, &factors, auth.session.stage, stored.as_ref());
        match (
            steps::refusal(&facts, needs_recovery(&factors), action),
            stored,
        ) {
            (None, Some(case)) if facts.staff_letter_due => Ok(case),
            (None, stored) => self.resume_or_start(&account.id, stored).await,
            (Some(refusal), _) => Err(refused(refusal, &facts)),
        }
    }

    /// The matched identity sealed in the case.
    pub(super) fn matched_identity(&self, case: &ProofingCase) -> DomainResult<MatchedIdentity> {
        let sealed = case.claim_sealed.as_deref().ok_or(DomainError::WrongStep {
            next: Next::ProofingIdentity,
            message_id: "step-personal-information-first",
        })?;
        self.core.open_claim(sealed)
    }

    pub(super) fn attempt(
        &self,
        account_id: &str,
        step: &str,
        result: AttemptResult,
        reasons: Vec<String>,
    ) -> Write {
        let at = self.core.now();
        Write::RecordProofingAttempt(ProofingAttempt {
            id: new_id(at),
            account_id: account_id.to_owned(),
            at,
            step: step.to_owned(),
            result,
            reasons,
        })
    }

    /// The writes that mark the identity verified (one verified account per SSN is
    /// guarded by the store), plus the history entry and the email.
    pub(super) fn push_verification(
        &self,
        change: &mut Change,
        auth: &AuthSession,
        case: ProofingCase,
        ssn_fp: &str,
        by: &str,
        step: &str,
    ) -> DomainResult<()> {
        let now = self.core.now();
        let account_id = &auth.account.id;
        change.push(Write::RegisterVerifiedSsn {
            ssn_fp: ssn_fp.to_owned(),
            account_id: account_id.clone(),
            at: now,
        });
        change.push(Write::MarkIdentityVerified {
            account_id: account_id.clone(),
            at: now,
            by: by.to_owned(),
        });
        change.push(Write::SaveProofingCase(case));
        change.push(self.attempt(account_id, step, AttemptResult::Passed, Vec::new()));
        let how = match by {
            "mail" => "with the activation code mailed to you",
            "help_desk" => "by the help desk, with the activation code mailed to you",
            "in_person" => "in person, with the activation code mailed to you",
            _ => "online",
        };
        change.push(self.core.event(
            account_id,
            "identity_verified",
            format!("Identity verified {how}"),
        ));
        self.core.enqueue(
            change,
            &messages::identity_verified(
                auth.account.language,
                &self.core.account_email(&auth.account)?,
                by,
            ),
        )
    }

    /// Commit a verification. If the SSN was verified on another account meanwhile, the
    /// case goes to exception processing instead and that outcome is returned.
    pub(super) async fn commit_verification(
        &self,
        auth: &AuthSession,
        change: Change,
        ssn_fp: &str,
    ) -> DomainResult<Option<ProofingOutcome>> {
        match self.core.commit(change).await {
            Ok(()) => Ok(None),
            Err(DomainError::Conflict(_))
                if self
                    .core
                    .store
                    .verified_ssn_holder(ssn_fp, self.core.now())
                    .await?
                    .is_some_and(|holder| holder != auth.account.id) =>
            {
                let holder = self
                    .core
                    .store
                    .verified_ssn_holder(ssn_fp, self.core.now())
                    .await?
                    .unwrap_or_default();
                let mut case = self.current_case(&auth.account.id).await?;
                case.step = ProofingStep::Exception;
                case.updated_at = self.core.now();
                let mut change =
                    Change::new()
                        .with(Write::SaveProofingCase(case))
                        .with(self.attempt(
                            &auth.account.id,
                            attempt_step::IDENTITY,
                            AttemptResult::Failed,
                            vec![flow_reason::SSN_VERIFIED_ELSEWHERE.to_owned()],
                        ));
                self.warn_ssn_holder(&mut change, &holder).await?;
                self.core.commit(change).await?;
                Ok(Some(ProofingOutcome {
                    result: ProofingResult::NotMatched,
                    next: Next::ExceptionProcessing,
                    message: Text::new(EXCEPTION_MESSAGE),
                    attempts_remaining: None,
                    session_token: None,
                }))
            }
            Err(other) => Err(other),
        }
    }

    /// Tell the holder of a verified SSN that another account tried to verify with it.
    pub(super) async fn warn_ssn_holder(
        &self,
        change: &mut Change,
        holder_id: &str,
    ) -> DomainResult<()> {
        let Some(holder) = self.core.store.account_by_id(holder_id).await? else {
            return Ok(());
        };
        if holder.deleted_at.is_some() {
            // Deleted, its SSN still held (docs/retention.md): nobody to tell.
            return Ok(());
        }
        change.push(self.core.event(
            holder_id,
            "identity_used_elsewhere",
            "Someone tried to verify their identity on another account with your Social Security number",
        ));
        self.core.enqueue(
            change,
            &messages::identity_used_elsewhere(holder.language, &self.core.account_email(&holder)?),
        )
    }
}

/// The fingerprint the help desk finds an account by: last name and date of birth.
pub(super) fn lookup_fingerprint(
    keys: &Keyring,
    last_name: &str,
    date_of_birth: time::Date,
) -> String {
    let key = format!("{}|{}", normalise_name(last_name), date_of_birth);
    keys.fingerprint(LOOKUP_PURPOSE, key.as_bytes())
}

const LOOKUP_PURPOSE: &str = "lookup.name_dob";

/// What a proofing step answered (`result` in the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofingResult {
    Matched,
    NotMatched,
    CodeSent,
    Verified,
}

impl ProofingResult {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Matched => "matched",
            Self::NotMatched => "not_matched",
            Self::CodeSent => "code_sent",
            Self::Verified => "verified",
        }
    }
}

/// The answer to one proofing step.
#[derive(Debug, Clone)]
pub struct ProofingOutcome {
    pub result: ProofingResult,
    pub next: Next,
    /// What the person can do now, in plain words (never which field failed).
    pub message: Text,
    /// Tries left at this step in the current window, where the step is limited.
    pub attempts_remaining: Option<i64>,
    /// Set when the session gained privilege and was replaced.
    pub session_token: Option<String>,
}

/// The catalogue id of "we can't finish online: the help desk or a visit".
pub(super) const EXCEPTION_MESSAGE: &str = "proofing-exception";

/// The catalogue id of what a person at `step` should do.
pub(super) fn step_message(step: ProofingStep) -> &'static str {
    match step {
        ProofingStep::Identity => "proofing-step-identity",
        ProofingStep::FinancialAccount => "proofing-step-financial",
        ProofingStep::Phone => "proofing-step-phone",
        ProofingStep::PhoneCode => "proofing-step-phone-code",
        ProofingStep::MailCode => "proofing-step-mail-code",
        ProofingStep::Exception => EXCEPTION_MESSAGE,
        ProofingStep::Verified => "proofing-step-verified",
    }
}

/// The error a refused proofing action answers: the step to take, in plain words.
fn refused(refusal: Refusal, facts: &Facts) -> DomainError {
    match refusal {
        Refusal::Gate(gate) => DomainError::WrongStep {
            next: gate.next(),
            message_id: gate.message_id(),
        },
        Refusal::RecoveryRequired => DomainError::RecoveryRequired,
        Refusal::AlreadyVerified => DomainError::WrongStep {
            next: steps::next_step(facts),
            message_id: "step-already-verified",
        },
        Refusal::SecondFactorFirst => DomainError::WrongStep {
            next: Next::SecondFactor,
            message_id: "step-second-factor-first",
        },
        Refusal::WrongStep(step) => DomainError::WrongStep {
            next: step.next().unwrap_or(Next::Done),
            message_id: step_message(step),
        },
    }
}
