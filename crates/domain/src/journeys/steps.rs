//! The step graph over the store: gathers an account's [`Facts`] (its proofing case read,
//! an abandoned one taken as started over) and asks the declarations of
//! [`crate::proofing::steps`] what comes next. Every journey answers `next` from here,
//! and the proofing gate (`ProofingCases::require_proofing`) reads the same facts.

use super::core::Core;
use crate::DomainResult;
use crate::model::{Account, Factor, Next, SessionStage};
use crate::proofing::case::{ProofingCase, ProofingStep};
use crate::proofing::steps::{self, Facts};

impl Core {
    /// What this account, in a session at `stage`, must do next.
    ///
    /// Email first; then, where the deployment requires a verified identity, the
    /// proofing case's step (an account that already has a second factor signs in with
    /// it before proofing); then a second factor is set up and entered.
    pub async fn next_step(
        &self,
        account: &Account,
        factors: &[Factor],
        stage: SessionStage,
    ) -> DomainResult<Next> {
        let case = self.step_case(account).await?;
        Ok(self.next_step_with(account, factors, stage, case.as_ref()))
    }

    /// The proofing case [`Core::next_step`] reads: none while an account gate is unmet
    /// (the gates come first and need no case).
    pub(super) async fn step_case(&self, account: &Account) -> DomainResult<Option<ProofingCase>> {
        if account.email_confirmed_at.is_none() || account.password_change_required {
            return Ok(None);
        }
        Ok(self.store.proofing_case(&account.id).await?)
    }

    /// [`Core::next_step`] with the case already read by [`Core::step_case`] (a journey
    /// that asks twice, before and after a change that leaves the case alone, reads it
    /// once).
    pub(super) fn next_step_with(
        &self,
        account: &Account,
        factors: &[Factor],
        stage: SessionStage,
        case: Option<&ProofingCase>,
    ) -> Next {
        steps::next_step(&self.facts(account, factors, stage, case))
    }

    /// The facts the graph reads, from the account, its factors, the session's stage and
    /// the stored case (none yet, or abandoned, is a case at the identity step).
    pub(super) fn facts(
        &self,
        account: &Account,
        factors: &[Factor],
        stage: SessionStage,
        case: Option<&ProofingCase>,
    ) -> Facts {
        let now = self.now();
        let resume_secs = self.limits().proofing_resume_secs;
        Facts {
            email_confirmed: account.email_confirmed_at.is_some(),
            password_change_required: account.password_change_required,
            identity_verified: account.identity_verified_at.is_some(),
            verification_required: self.config.require_identity_verification,
            has_active_factor: factors.iter().any(Factor::is_active),
            second_factor_entered: stage == SessionStage::Authenticated,
            staff_letter_due: case.is_some_and(|case| {
                case.step == ProofingStep::MailCode && case.is_staff_assisted()
            }),
            case_step: match case {
                Some(case) if !case.abandoned(now, resume_secs) => case.step,
                _ => ProofingStep::Identity,
            },
        }
    }
}
