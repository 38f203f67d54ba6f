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
        if account.email_confirmed_at.is_none() || account.password_change_required {
            // The gates come first and need no case.
            let facts = self.facts(account, factors, stage, None);
            return Ok(steps::next_step(&facts));
        }
        let case = self.store.proofing_case(&account.id).await?;
        Ok(steps::next_step(&self.facts(
            account,
            factors,
            stage,
            case.as_ref(),
        )))
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
