//! Lost every sign-in method, on an account with a verified identity: prove the
//! identity again online, as at sign-up but bound to the account. The identity step
//! must match the very SSN the account was verified with; then one financial account;
//! then a mobile phone in the person's name, confirmed by a texted code, which becomes
//! the account's only sign-in method (every old one is removed, every session ends).
//!
//! Starting is told at once to the email address and every phone on the account, with
//! the "this wasn't me" link (which stops it). The tries count against the same limits
//! as proofing (per account, and per SSN across accounts); each decision is audited.
//! Progress lives in `identity_recoveries` and starts over after an hour idle.

use sa_i18n::Text;
use time::Duration;

use super::core::{RequestContext, purpose};
use super::proofing_case::ProofingCases;
use super::proofing_limits::StepLimit;
use super::proofing_velocity::Velocity;
use super::recovery::Recovery;
use super::sessions::{AuthSession, Sessions};
use crate::codes::CodePurpose;
use crate::limits::IpAction;
use crate::messages;
use crate::model::{Factor, FactorKind, IdentityRecovery, Next, SessionStage};
use crate::proofing::case::MatchedIdentity;
use crate::proofing::matching::{
    IdentityClaim, MOST_RECENT_RETURNS, match_financial, match_identity, match_phone_with_tenure,
};
use crate::proofing::records::{AccountKind, normalise_account_number};
use crate::proofing::sources::Lookup;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

/// Steps of an online identity recovery, as stored and answered.
pub mod recovery_step {
    pub const IDENTITY: &str = "identity";
    pub const FINANCIAL_ACCOUNT: &str = "financial_account";
    pub const PHONE: &str = "phone";
    pub const PHONE_CODE: &str = "phone_code";
}

/// How long a recovery may sit idle before it starts over.
const IDLE_SECS: i64 = 3600;

/// The answer to a recovery step.
#[derive(Debug, Clone)]
pub struct RecoveryStepOutcome {
    /// `matched`, `not_matched` or `code_sent`.
    pub result: &'static str,
    /// The recovery step to take now (see [`recovery_step`]).
    pub step: &'static str,
    pub message: Text,
}

/// A finished online recovery: a signed-in session with the new phone.
#[derive(Debug)]
pub struct IdentityRecovered {
    pub session_token: String,
    pub next: Next,
}

impl Recovery<'_> {
    /// The recovery in progress (started over when idle too long), and whether it is new.
    async fn current_recovery(&self, auth: &AuthSession) -> DomainResult<(IdentityRecovery, bool)> {
        let now = self.core.now();
        match self.core.store.identity_recovery(&auth.account.id).await? {
            Some(recovery) if now - recovery.updated_at < Duration::seconds(IDLE_SECS) => {
                Ok((recovery, false))
            }
            _ => Ok((
                IdentityRecovery {
                    account_id: auth.account.id.clone(),
                    step: recovery_step::IDENTITY.to_owned(),
                    started_at: now,
                    updated_at: now,
                    claim_sealed: None,
                },
                true,
            )),
        }
    }

    /// The step the person's online recovery is at (`identity` when none is going).
    pub async fn identity_recovery_step(&self, auth: &AuthSession) -> DomainResult<&'static str> {
        let (recovery, _) = self.current_recovery(auth).await?;
        Ok(match recovery.step.as_str() {
            recovery_step::FINANCIAL_ACCOUNT => recovery_step::FINANCIAL_ACCOUNT,
            recovery_step::PHONE => recovery_step::PHONE,
            recovery_step::PHONE_CODE => recovery_step::PHONE_CODE,
            _ => recovery_step::IDENTITY,
        })
    }

    /// The SSN fingerprint the recovery's identity step matched (kept on the proofing
    /// case); empty if there is none, which no record holds.
    async fn matched_ssn(&self, account_id: &str) -> DomainResult<String> {
        Ok(self
            .core
            .store
            .proofing_case(account_id)
            .await?
            .and_then(|case| case.ssn_fp)
            .unwrap_or_default())
    }

    /// What the recovery's identity step kept (sealed on the recovery).
    fn matched_identity(&self, recovery: &IdentityRecovery) -> DomainResult<MatchedIdentity> {
        self.core
            .open_claim(recovery.claim_sealed.as_deref().unwrap_or_default())
    }

    /// Refuse a step taken out of order.
    fn require_step(recovery: &IdentityRecovery, step: &str) -> DomainResult<()> {
        if recovery.step == step {
            Ok(())
        } else {
            Err(DomainError::Conflict("error-step-isnt-next-in-your"))
        }
    }

    /// Tell the email address and every phone that a recovery started.
    async fn announce_recovery(&self, change: &mut Change, auth: &AuthSession) -> DomainResult<()> {
        let account_id = &auth.account.id;
        self.core
            .announce_recovery(
                change,
                account_id,
                messages::identity_recovery_started(
                    auth.account.language,
                    &self.core.account_email(&auth.account)?,
                ),
                |phone| messages::recovery_started_sms(auth.account.language, phone),
            )
            .await?;
        change.push(self.core.event(
            account_id,
            "identity_recovery_started",
            "Started verifying your identity again to replace your sign-in methods",
        ));
        Ok(())
    }

    fn audit_decision(
        &self,
        auth: &AuthSession,
        step: &str,
        passed: bool,
        reasons: &[String],
    ) -> Write {
        self.core.audit(
            crate::audit::applicant_actor(&auth.account.id),
            &format!(
                "recovery.{step}.{}",
                if passed { "passed" } else { "failed" }
            ),
            Some(&auth.account.id),
            serde_json::json!({ "reasons": reasons }),
        )
    }

    /// Step 1: the identity, which must be the one the account was verified with.
    pub async fn recover_identity(
        &self,
        auth: &AuthSession,
        claim: &IdentityClaim,
    ) -> DomainResult<RecoveryStepOutcome> {
        self.require_verified_password_only(auth)?;
        let account_id = &auth.account.id;
        let verified_ssn = self
            .core
            .store
            .proofing_case(account_id)
            .await?
            .and_then(|case| case.ssn_fp)
            .ok_or(DomainError::Conflict("error-we-cant-check-your-identity"))?;
        let (mut recovery, new) = self.current_recovery(auth).await?;
        let mut change = Change::new();
        if new {
            self.announce_recovery(&mut change, auth).await?;
        } else {
            Self::require_step(&recovery, recovery_step::IDENTITY)?;
        }
        let cases = ProofingCases::new(self.core);
        let limits = self.core.limits().clone();
        // The announcement is written even when a limit refuses this try.
        let counted = async {
            cases
                .consume_attempt(account_id, &StepLimit::identity(&limits, account_id))
                .await?;
            let ssn = Lookup::ssn(&self.core.keys, &claim.ssn);
            cases
                .consume_attempt(account_id, &StepLimit::ssn(&limits, ssn.fingerprint()))
                .await
                .map(|_| ssn)
        }
        .await;
        let ssn = match counted {
            Ok(ssn) => ssn,
            Err(error) => {
                recovery.updated_at = self.core.now();
                change.push(Write::SaveIdentityRecovery(recovery));
                self.core.commit(change).await?;
                return Err(error);
            }
        };
        let found = self
            .core
            .sources
            .tax_returns
            .returns_for(&ssn, MOST_RECENT_RETURNS as i64)
            .await;
        let returns = cases
            .source_answer(
                found,
                &[
                    &StepLimit::identity(&limits, account_id),
                    &StepLimit::ssn(&limits, ssn.fingerprint()),
                ],
            )
            .await?;
        let ssn_fp = ssn.fingerprint();
        let decision = match_identity(claim, &returns);
        let mut reasons: Vec<String> = decision
            .reasons
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect();
        let same_person = crate::keys::constant_time_eq(ssn_fp.as_bytes(), verified_ssn.as_bytes());
        if decision.matched && !same_person {
            reasons.insert(0, "ssn_not_this_account".to_owned());
        }
        let passed = decision.matched && same_person;
        recovery.updated_at = self.core.now();
        if passed {
            let matched = MatchedIdentity::from_match(claim, &returns);
            let sealed = serde_json::to_vec(&matched).map_err(DomainError::unavailable)?;
            recovery.claim_sealed = Some(self.core.keys.seal(purpose::PROOFING_CLAIM, &sealed)?);
            recovery.step = recovery_step::FINANCIAL_ACCOUNT.to_owned();
        }
        change.push(Write::SaveIdentityRecovery(recovery));
        change.push(self.audit_decision(auth, recovery_step::IDENTITY, passed, &reasons));
        self.core.commit(change).await?;
        Ok(if passed {
            RecoveryStepOutcome {
                result: "matched",
                step: recovery_step::FINANCIAL_ACCOUNT,
                message: Text::new("recovery-identity-matched"),
            }
        } else {
            RecoveryStepOutcome {
                result: "not_matched",
                step: recovery_step::IDENTITY,
                message: Text::new("recovery-identity-not-matched"),
            }
        })
    }

    /// Step 2: one financial account under the account's SSN.
    pub async fn recover_financial_account(
        &self,
        auth: &AuthSession,
        kind: AccountKind,
        account_number: &str,
    ) -> DomainResult<RecoveryStepOutcome> {
        self.require_verified_password_only(auth)?;
        let digits = normalise_account_number(account_number).ok_or_else(|| {
            DomainError::invalid(
                "account_number",
                "Enter the account number using digits (spaces and dashes are fine).",
            )
        })?;
        let (mut recovery, _) = self.current_recovery(auth).await?;
        Self::require_step(&recovery, recovery_step::FINANCIAL_ACCOUNT)?;
        let account_id = &auth.account.id;
        let limits = self.core.limits().clone();
        ProofingCases::new(self.core)
            .consume_attempt(account_id, &StepLimit::financial(&limits, account_id))
            .await?;
        let ssn_fp = self.matched_ssn(account_id).await?;
        let matched = self.matched_identity(&recovery)?;
        let ssn = Lookup::ssn_of_case(&self.core.keys, &ssn_fp, matched.ssn.as_deref());
        let found = self
            .core
            .sources
            .financial_accounts
            .accounts_for(&ssn, kind)
            .await;
        let accounts = ProofingCases::new(self.core)
            .source_answer(found, &[&StepLimit::financial(&limits, account_id)])
            .await?;
        let decision = match_financial(kind, &digits, &accounts);
        let reasons: Vec<String> = decision
            .reasons
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect();
        recovery.updated_at = self.core.now();
        if decision.matched {
            recovery.step = recovery_step::PHONE.to_owned();
        }
        let change = Change::new()
            .with(Write::SaveIdentityRecovery(recovery))
            .with(self.audit_decision(
                auth,
                recovery_step::FINANCIAL_ACCOUNT,
                decision.matched,
                &reasons,
            ));
        self.core.commit(change).await?;
        Ok(if decision.matched {
            RecoveryStepOutcome {
                result: "matched",
                step: recovery_step::PHONE,
                message: Text::new("recovery-financial-matched"),
            }
        } else {
            RecoveryStepOutcome {
                result: "not_matched",
                step: recovery_step::FINANCIAL_ACCOUNT,
                message: Text::new("recovery-financial-not-matched"),
            }
        })
    }

    /// Step 3: a mobile phone in the person's name; a code is texted to it.
    pub async fn recover_phone(
        &self,
        auth: &AuthSession,
        phone: &str,
        ctx: &RequestContext,
    ) -> DomainResult<RecoveryStepOutcome> {
        self.require_verified_password_only(auth)?;
        let phone = super::factors::normalise_phone(phone)?;
        let (mut recovery, _) = self.current_recovery(auth).await?;
        if recovery.step != recovery_step::PHONE_CODE {
            Self::require_step(&recovery, recovery_step::PHONE)?;
        }
        let account_id = &auth.account.id;
        let limits = self.core.limits().clone();
        let cases = ProofingCases::new(self.core);
        cases
            .consume_attempt(account_id, &StepLimit::phone(&limits, account_id))
            .await?;
        let matched = self.matched_identity(&recovery)?;
        let found = self
            .core
            .sources
            .phones
            .phone_record(&Lookup::phone(&self.core.keys, &phone))
            .await;
        let record = cases
            .source_answer(found, &[&StepLimit::phone(&limits, account_id)])
            .await?;
        let spouse = matched
            .spouse
            .as_ref()
            .map(|(f, l)| (f.as_str(), l.as_str()));
        let decision = match_phone_with_tenure(
            &matched.names(),
            spouse,
            record.as_ref(),
            self.core.now().date(),
            limits.proofing_phone_min_tenure_days,
        );
        let ssn_fp = self.matched_ssn(account_id).await?;
        let (passed, reasons) = Velocity::new(self.core)
            .phone_verdict(&decision, &ssn_fp, &phone, ctx)
            .await?;
        let now = self.core.now();
        recovery.updated_at = now;
        if !passed {
            recovery.step = recovery_step::PHONE.to_owned();
            let change = Change::new()
                .with(Write::SaveIdentityRecovery(recovery))
                .with(self.audit_decision(auth, recovery_step::PHONE, false, &reasons));
            self.core.commit(change).await?;
            return Ok(RecoveryStepOutcome {
                result: "not_matched",
                step: recovery_step::PHONE,
                message: Text::new("recovery-phone-not-matched"),
            });
        }
        self.core.limit_ip(ctx.ip, IpAction::CodeSend).await?;
        cases
            .consume_attempt(account_id, &StepLimit::sms(&limits, account_id))
            .await?;
        let factor = Factor::new(
            account_id,
            FactorKind::Sms,
            format!("Phone ending in {}", &phone[phone.len() - 4..]),
            Some(self.core.keys.seal_str(purpose::PHONE, &phone)?),
            now,
            false,
        );
        let factor_id = factor.id.clone();
        let mut change = Change::new();
        // A phone tried earlier in this recovery (never confirmed) is replaced.
        if let Some(earlier) = self
            .core
            .store
            .latest_code(account_id, CodePurpose::RecoveryPhone.as_str(), None)
            .await?
            .and_then(|code| code.factor_id)
            && self
                .core
                .store
                .factors(account_id)
                .await?
                .iter()
                .any(|f| f.id == earlier && f.confirmed_at.is_none())
        {
            change.push(Write::DeleteFactor { factor_id: earlier });
        }
        change.push(Write::InsertFactor(factor));
        self.core.push_sms_code(
            &mut change,
            account_id,
            &factor_id,
            &phone,
            CodePurpose::RecoveryPhone,
            auth.account.language,
        )?;
        recovery.step = recovery_step::PHONE_CODE.to_owned();
        change.push(Write::SaveIdentityRecovery(recovery));
        change.push(self.audit_decision(auth, recovery_step::PHONE, true, &reasons));
        self.core.commit(change).await?;
        Ok(RecoveryStepOutcome {
            result: "code_sent",
            step: recovery_step::PHONE_CODE,
            message: Text::new("proofing-phone-code-sent")
                .with("last_digits", &phone[phone.len() - 4..])
                .with("minutes", limits.sms_code_ttl_secs / 60),
        })
    }

    /// Step 3b: the texted code. The phone becomes the only sign-in method; every old
    /// one is removed and every other session ends.
    pub async fn confirm_recovery_phone(
        &self,
        auth: &AuthSession,
        code: &str,
        ctx: &RequestContext,
    ) -> DomainResult<IdentityRecovered> {
        self.require_verified_password_only(auth)?;
        let (recovery, _) = self.current_recovery(auth).await?;
        Self::require_step(&recovery, recovery_step::PHONE_CODE)?;
        let account_id = &auth.account.id;
        let stored = self
            .core
            .check_one_time_code(
                account_id,
                CodePurpose::RecoveryPhone.as_str(),
                None,
                code,
                self.core.limits().email_code_attempts,
            )
            .await?;
        let new_factor = stored
            .factor_id
            .clone()
            .ok_or(DomainError::Conflict("error-enter-your-phone-number-again"))?;
        let now = self.core.now();
        let mut change = Change::new().with(Write::ConsumeCode {
            code_id: stored.id,
            at: now,
        });
        for factor in self.core.store.factors(account_id).await? {
            if factor.id != new_factor {
                change.push(Write::DeleteFactor {
                    factor_id: factor.id,
                });
            }
        }
        let (session_token, session) = Sessions::new(self.core).new_session(
            account_id,
            SessionStage::Authenticated,
            Some(now),
            ctx,
        );
        change.push(Write::ConfirmFactor {
            factor_id: new_factor,
            at: now,
        });
        change.push(Write::EndAllSessions {
            account_id: account_id.clone(),
        });
        change.push(session);
        change.push(Write::DeleteIdentityRecovery {
            account_id: account_id.clone(),
        });
        change.push(Write::CancelAccountResets {
            account_id: account_id.clone(),
            at: now,
        });
        change.push(self.core.event(
            account_id,
            "recovered_online",
            "Identity verified again: every earlier sign-in method was removed, every device signed out, and this phone is your sign-in method",
        ));
        change.push(self.audit_decision(auth, recovery_step::PHONE_CODE, true, &[]));
        self.core.enqueue_security_email(
            &mut change,
            account_id,
            messages::account_recovered(
                auth.account.language,
                &self.core.account_email(&auth.account)?,
            ),
        )?;
        self.core.commit(change).await?;
        Ok(IdentityRecovered {
            session_token,
            next: Next::Done,
        })
    }
}
