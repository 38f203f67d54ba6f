//! Identity proofing online: personal information matched against the two most recent
//! tax returns, one financial account, and a mobile phone in the applicant's own name
//! confirmed by a texted code. Passing all three verifies the identity and makes the
//! phone the account's first second factor.
//!
//! Every step checks the case's step first (nothing can be skipped or replayed out of
//! order), counts an attempt against its limit (the SSN limit counts across accounts),
//! and records its decision with machine-readable reason codes. The applicant is told
//! what to do next and how long that path takes, never which field failed.
//! Letters (the mail path) live in `letters.rs`, the limits in `proofing_limits.rs`, the
//! identity step's typed input in `identity_input.rs`.

use super::proofing_case::EXCEPTION_MESSAGE;
use super::proofing_case::ProofingOutcome;
use super::proofing_case::ProofingResult;
use super::proofing_case::step_message;
use super::proofing_case::{ProofingCases, lookup_fingerprint};
use super::proofing_limits::{StepLimit, letters_in_last_30_days};
use super::proofing_velocity::Velocity;
use super::sessions::Sessions;
use super::{core::Core, core::purpose, sessions::AuthSession};
use crate::codes::CodePurpose;
use crate::limits::IpAction;
use crate::model::{Factor, FactorKind, Next};
use crate::proofing::case::{
    AttemptResult, MatchedIdentity, ProofingStep, attempt_step, flow_reason,
};
use crate::proofing::matching::{
    IdentityClaim, match_financial, match_identity, match_phone_with_tenure,
};
use crate::proofing::records::{AccountKind, normalise_account_number};
use crate::proofing::sources::Lookup;
use crate::proofing::steps::ProofingAction;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};
use sa_i18n::Text;

/// Tries left per step in the current windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptsRemaining {
    pub identity: i64,
    pub financial_account: i64,
    pub phone: i64,
    pub mail_code: i64,
    /// Letters that may still be requested in the 30-day window.
    pub letters: i64,
}

/// Where an account's proofing stands.
#[derive(Debug, Clone)]
pub struct ProofingStatus {
    pub step: ProofingStep,
    pub next: Next,
    pub attempts_remaining: AttemptsRemaining,
    pub verified_by: Option<String>,
    /// When the newest usable letter's code expires, if a letter is out.
    pub letter_expires_at: Option<time::OffsetDateTime>,
    pub message: Text,
}

/// Identity proofing online.
#[derive(Clone, Copy)]
pub struct Proofing<'a> {
    core: &'a Core,
}

impl<'a> Proofing<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl Proofing<'_> {
    /// Where the account stands in proofing, and how many tries each step has left.
    pub async fn proofing_status(&self, auth: &AuthSession) -> DomainResult<ProofingStatus> {
        let account = &auth.account;
        let factors = self.core.store.factors(&account.id).await?;
        let next = self
            .core
            .next_step(account, &factors, auth.session.stage)
            .await?;
        let case = ProofingCases::new(self.core)
            .current_case(&account.id)
            .await?;
        let step = if account.identity_verified_at.is_some() {
            ProofingStep::Verified
        } else {
            case.step
        };
        let letters = self.core.store.letters_of(&account.id).await?;
        let now = self.core.now();
        let letter_expires_at = letters
            .iter()
            .filter(|l| l.is_usable(now))
            .map(|l| l.expires_at)
            .max();
        let limits = self.core.limits();
        let attempts_remaining = AttemptsRemaining {
            identity: ProofingCases::new(self.core)
                .remaining(&StepLimit::identity(limits, &account.id))
                .await?,
            financial_account: ProofingCases::new(self.core)
                .remaining(&StepLimit::financial(limits, &account.id))
                .await?,
            phone: ProofingCases::new(self.core)
                .remaining(&StepLimit::phone(limits, &account.id))
                .await?,
            mail_code: ProofingCases::new(self.core)
                .remaining(&StepLimit::mail_code(limits, &account.id))
                .await?,
            letters: (limits.letters_per_30_days
                - letters_in_last_30_days(&letters, now).len() as i64)
                .max(0),
        };
        Ok(ProofingStatus {
            step,
            next,
            attempts_remaining,
            verified_by: account.identity_verified_by.clone(),
            letter_expires_at,
            message: Text::new(step_message(step)),
        })
    }

    /// Step 1: personal information against the two most recent tax returns.
    pub async fn submit_identity(
        &self,
        auth: &AuthSession,
        claim: &IdentityClaim,
        ctx: &super::core::RequestContext,
    ) -> DomainResult<ProofingOutcome> {
        let mut case = ProofingCases::new(self.core)
            .require_proofing(auth, ProofingAction::Identity)
            .await?;
        let account_id = auth.account.id.clone();
        let limits = self.core.limits().clone();
        let remaining = ProofingCases::new(self.core)
            .consume_attempt(&account_id, &StepLimit::identity(&limits, &account_id))
            .await?;
        let ssn = Lookup::ssn(&self.core.keys, &claim.ssn);
        let ssn_fp = ssn.fingerprint().to_owned();
        case.lookup_fp = Some(lookup_fingerprint(
            &self.core.keys,
            &claim.last_name,
            claim.date_of_birth,
        ));
        ProofingCases::new(self.core)
            .consume_attempt(&account_id, &StepLimit::ssn(&limits, &ssn_fp))
            .await?;

        let found = self
            .core
            .sources
            .tax_returns
            .returns_for(&ssn, crate::proofing::matching::MOST_RECENT_RETURNS as i64)
            .await;
        let returns = ProofingCases::new(self.core)
            .source_answer(
                found,
                &[
                    &StepLimit::identity(&limits, &account_id),
                    &StepLimit::ssn(&limits, &ssn_fp),
                ],
            )
            .await?;
        let decision = match_identity(claim, &returns);
        let mut reasons: Vec<String> = decision
            .reasons
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect();
        let now = self.core.now();
        let mut change = Change::new();

        if !decision.matched {
            case.updated_at = now;
            change.push(Write::SaveProofingCase(case));
            change.push(ProofingCases::new(self.core).attempt(
                &account_id,
                attempt_step::IDENTITY,
                AttemptResult::Failed,
                reasons,
            ));
            self.core.commit(change).await?;
            return Ok(ProofingOutcome {
                result: ProofingResult::NotMatched,
                next: Next::ProofingIdentity,
                message: identity_retry_message(remaining),
                attempts_remaining: Some(remaining),
                session_token: None,
            });
        }

        if let Some(holder) = self.core.store.verified_ssn_holder(&ssn_fp, now).await?
            && holder != account_id
        {
            reasons.insert(0, flow_reason::SSN_VERIFIED_ELSEWHERE.to_owned());
            case.step = ProofingStep::Exception;
            case.updated_at = now;
            case.ssn_fp = Some(ssn_fp);
            change.push(Write::SaveProofingCase(case));
            change.push(ProofingCases::new(self.core).attempt(
                &account_id,
                attempt_step::IDENTITY,
                AttemptResult::Failed,
                reasons,
            ));
            ProofingCases::new(self.core)
                .warn_ssn_holder(&mut change, &holder)
                .await?;
            self.core.commit(change).await?;
            return Ok(ProofingOutcome {
                result: ProofingResult::NotMatched,
                next: Next::ExceptionProcessing,
                message: Text::new(EXCEPTION_MESSAGE),
                attempts_remaining: Some(remaining),
                session_token: None,
            });
        }

        // Counted now so that a batch of identities tried from one place is known by the
        // time any of them reaches the phone step.
        Velocity::new(self.core).note_identity(&ssn_fp, ctx).await?;
        let matched = MatchedIdentity::from_match(claim, &returns);
        let sealed = serde_json::to_vec(&matched).map_err(DomainError::unavailable)?;
        case.step = ProofingStep::FinancialAccount;
        case.updated_at = now;
        case.ssn_fp = Some(ssn_fp);
        case.claim_sealed = Some(self.core.keys.seal(purpose::PROOFING_CLAIM, &sealed)?);
        change.push(Write::SaveProofingCase(case));
        change.push(ProofingCases::new(self.core).attempt(
            &account_id,
            attempt_step::IDENTITY,
            AttemptResult::Passed,
            reasons,
        ));
        self.core.commit(change).await?;
        Ok(ProofingOutcome {
            result: ProofingResult::Matched,
            next: Next::ProofingFinancialAccount,
            message: Text::new("proofing-identity-matched"),
            attempts_remaining: Some(remaining),
            session_token: None,
        })
    }

    /// Step 2: one financial account of the chosen kind held under the matched SSN.
    pub async fn submit_financial_account(
        &self,
        auth: &AuthSession,
        kind: AccountKind,
        account_number: &str,
    ) -> DomainResult<ProofingOutcome> {
        let digits = normalise_account_number(account_number).ok_or_else(|| {
            DomainError::invalid("account_number", Text::new("error-account-number"))
        })?;
        if kind == AccountKind::CreditCard && digits.len() < 8 {
            return Err(DomainError::invalid(
                "account_number",
                Text::new("error-card-digits"),
            ));
        }
        let mut case = ProofingCases::new(self.core)
            .require_proofing(auth, ProofingAction::FinancialAccount)
            .await?;
        let account_id = auth.account.id.clone();
        let limits = self.core.limits().clone();
        let remaining = ProofingCases::new(self.core)
            .consume_attempt(&account_id, &StepLimit::financial(&limits, &account_id))
            .await?;
        let ssn = self.core.case_ssn(&case).ok_or(DomainError::WrongStep {
            next: Next::ProofingIdentity,
            message_id: "step-personal-information-first",
        })?;
        let found = self
            .core
            .sources
            .financial_accounts
            .accounts_for(&ssn, kind)
            .await;
        let accounts = ProofingCases::new(self.core)
            .source_answer(found, &[&StepLimit::financial(&limits, &account_id)])
            .await?;
        let decision = match_financial(kind, &digits, &accounts);
        let reasons = decision
            .reasons
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect();
        let now = self.core.now();
        case.updated_at = now;
        let result = if decision.matched {
            case.step = ProofingStep::Phone;
            AttemptResult::Passed
        } else {
            AttemptResult::Failed
        };
        let change = Change::new().with(Write::SaveProofingCase(case)).with(
            ProofingCases::new(self.core).attempt(
                &account_id,
                attempt_step::FINANCIAL_ACCOUNT,
                result,
                reasons,
            ),
        );
        self.core.commit(change).await?;
        Ok(if decision.matched {
            ProofingOutcome {
                result: ProofingResult::Matched,
                next: Next::ProofingPhone,
                message: Text::new("proofing-financial-matched"),
                attempts_remaining: Some(remaining),
                session_token: None,
            }
        } else {
            ProofingOutcome {
                result: ProofingResult::NotMatched,
                next: Next::ProofingFinancialAccount,
                message: financial_retry_message(remaining),
                attempts_remaining: Some(remaining),
                session_token: None,
            }
        })
    }

    /// Step 3: a mobile, personal line in the applicant's name; a code is texted to it.
    pub async fn submit_proofing_phone(
        &self,
        auth: &AuthSession,
        phone: &str,
        ctx: &super::core::RequestContext,
    ) -> DomainResult<ProofingOutcome> {
        let phone = super::factors::normalise_phone(phone)?;
        let mut case = ProofingCases::new(self.core)
            .require_proofing(auth, ProofingAction::Phone)
            .await?;
        let account_id = auth.account.id.clone();
        let limits = self.core.limits().clone();
        let remaining = ProofingCases::new(self.core)
            .consume_attempt(&account_id, &StepLimit::phone(&limits, &account_id))
            .await?;
        let matched = ProofingCases::new(self.core).matched_identity(&case)?;
        let found = self
            .core
            .sources
            .phones
            .phone_record(&Lookup::phone(&self.core.keys, &phone))
            .await;
        let record = ProofingCases::new(self.core)
            .source_answer(found, &[&StepLimit::phone(&limits, &account_id)])
            .await?;
        let spouse = matched
            .spouse
            .as_ref()
            .map(|(first, last)| (first.as_str(), last.as_str()));
        let decision = match_phone_with_tenure(
            &matched.names(),
            spouse,
            record.as_ref(),
            self.core.now().date(),
            limits.proofing_phone_min_tenure_days,
        );
        let ssn_fp = case.ssn_fp.clone().unwrap_or_default();
        let (passed, reasons) = Velocity::new(self.core)
            .phone_verdict(&decision, &ssn_fp, &phone, ctx)
            .await?;
        let now = self.core.now();
        if !passed {
            case.updated_at = now;
            let change = Change::new().with(Write::SaveProofingCase(case)).with(
                ProofingCases::new(self.core).attempt(
                    &account_id,
                    attempt_step::PHONE,
                    AttemptResult::Failed,
                    reasons,
                ),
            );
            self.core.commit(change).await?;
            return Ok(ProofingOutcome {
                result: ProofingResult::NotMatched,
                next: Next::ProofingPhone,
                message: Text::new("proofing-phone-not-matched"),
                attempts_remaining: Some(remaining),
                session_token: None,
            });
        }

        self.core.limit_ip(ctx.ip, IpAction::CodeSend).await?;
        let code_purpose = CodePurpose::ProofingPhone;
        // Texted codes follow the sign-in SMS limit. It is counted in its own window
        // (not from the code rows, which go when a phone is replaced).
        ProofingCases::new(self.core)
            .consume_attempt(&account_id, &StepLimit::sms(&limits, &account_id))
            .await?;

        let mut change = Change::new();
        // A phone tried earlier in this case (never confirmed) is replaced.
        if let Some(earlier) = self
            .core
            .store
            .latest_code(&account_id, code_purpose.as_str(), None)
            .await?
            .and_then(|code| code.factor_id)
        {
            let factors = self.core.store.factors(&account_id).await?;
            if factors
                .iter()
                .any(|f| f.id == earlier && f.confirmed_at.is_none())
            {
                change.push(Write::DeleteFactor { factor_id: earlier });
            }
        }
        let factor = Factor::new(
            &account_id,
            FactorKind::Sms,
            format!("Phone ending in {}", &phone[phone.len() - 4..]),
            Some(self.core.keys.seal_str(purpose::PHONE, &phone)?),
            now,
            false,
        );
        let factor_id = factor.id.clone();
        change.push(Write::InsertFactor(factor));
        self.core.push_sms_code(
            &mut change,
            &account_id,
            &factor_id,
            &phone,
            code_purpose,
            auth.account.language,
        )?;
        case.step = ProofingStep::PhoneCode;
        case.updated_at = now;
        case.phone_sealed = Some(self.core.keys.seal_str(purpose::PROOFING_PHONE, &phone)?);
        change.push(Write::SaveProofingCase(case));
        change.push(ProofingCases::new(self.core).attempt(
            &account_id,
            attempt_step::PHONE,
            AttemptResult::Passed,
            reasons,
        ));
        self.core.commit(change).await?;
        Ok(ProofingOutcome {
            result: ProofingResult::CodeSent,
            next: Next::ProofingPhoneCode,
            message: Text::new("proofing-phone-code-sent")
                .with("last_digits", &phone[phone.len() - 4..])
                .with("minutes", limits.sms_code_ttl_secs / 60),
            attempts_remaining: Some(remaining),
            session_token: None,
        })
    }

    /// Step 3b: the texted code. A correct code verifies the identity online and makes
    /// the phone the account's second factor.
    pub async fn confirm_proofing_phone(
        &self,
        auth: &AuthSession,
        code: &str,
    ) -> DomainResult<ProofingOutcome> {
        let mut case = ProofingCases::new(self.core)
            .require_proofing(auth, ProofingAction::PhoneCode)
            .await?;
        let account_id = auth.account.id.clone();
        let code_purpose = CodePurpose::ProofingPhone.as_str();
        let checked = self
            .core
            .check_one_time_code(
                &account_id,
                code_purpose,
                None,
                code,
                self.core.limits().email_code_attempts,
            )
            .await;
        let stored = match checked {
            Ok(stored) => stored,
            Err(error) => {
                let reason = match error {
                    DomainError::CodeExpired => flow_reason::CODE_EXPIRED,
                    _ => flow_reason::WRONG_CODE,
                };
                self.core
                    .commit(Change::new().with(ProofingCases::new(self.core).attempt(
                        &account_id,
                        attempt_step::PHONE_CODE,
                        AttemptResult::Failed,
                        vec![reason.to_owned()],
                    )))
                    .await?;
                return Err(error);
            }
        };
        let factor_id = stored.factor_id.clone().ok_or(DomainError::WrongStep {
            next: Next::ProofingPhone,
            message_id: "step-phone-again",
        })?;
        let now = self.core.now();
        let ssn_fp = case.ssn_fp.clone().unwrap_or_default();
        case.step = ProofingStep::Verified;
        case.updated_at = now;
        case.verified_at = Some(now);
        case.phone_sealed = None;
        let mut change = Change::new()
            .with(Write::ConsumeCode {
                code_id: stored.id,
                at: now,
            })
            .with(Write::ConfirmFactor { factor_id, at: now })
            .with(self.core.event(
                &account_id,
                "factor_added",
                "Phone confirmed during identity verification, added for text-message codes",
            ));
        ProofingCases::new(self.core).push_verification(
            &mut change,
            auth,
            case,
            &ssn_fp,
            "online",
            attempt_step::PHONE_CODE,
        )?;
        let session_token = Sessions::new(self.core).elevate_after_enrolment(
            &mut change,
            auth,
            crate::model::FactorKind::Sms.method(),
        );
        if let Some(outcome) = ProofingCases::new(self.core)
            .commit_verification(auth, change, &ssn_fp)
            .await?
        {
            return Ok(outcome);
        }
        Ok(ProofingOutcome {
            result: ProofingResult::Verified,
            next: Next::Done,
            message: Text::new("proofing-verified-by-phone"),
            attempts_remaining: None,
            session_token,
        })
    }
}

fn identity_retry_message(remaining: i64) -> Text {
    if remaining > 0 {
        Text::new("proofing-identity-not-matched").with("tries", remaining)
    } else {
        Text::new("proofing-identity-not-matched-last")
    }
}

fn financial_retry_message(remaining: i64) -> Text {
    if remaining > 0 {
        Text::new("proofing-financial-not-matched").with("tries", remaining)
    } else {
        Text::new("proofing-financial-not-matched-last")
    }
}
