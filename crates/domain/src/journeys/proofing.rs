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

use super::proofing_limits::{StepLimit, letters_in_last_30_days};
use super::{AuthSession, Services, purpose};
use crate::codes::CodePurpose;
use crate::limits::IpAction;
use crate::messages;
use crate::model::{Factor, FactorKind, Next, SessionStage, new_id};
use crate::proofing::case::{
    AttemptResult, MatchedIdentity, ProofingAttempt, ProofingCase, ProofingStep, attempt_step,
    flow_reason,
};
use crate::proofing::matching::{IdentityClaim, match_financial, match_identity, match_phone};
use crate::proofing::records::{AccountKind, normalise_account_number};
use crate::proofing::sources::{phone_fingerprint, ssn_fingerprint};
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

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
    pub message: String,
    /// Tries left at this step in the current window, where the step is limited.
    pub attempts_remaining: Option<i64>,
    /// Set when the session gained privilege and was replaced.
    pub session_token: Option<String>,
}

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
    pub message: String,
}

pub(super) const HELP_DESK: &str = "If you can't finish online, call the help desk (a call takes about 20 minutes) or visit a Taxpayer Assistance Center with your photo ID (by appointment).";

impl Services {
    /// Where the account stands in proofing, and how many tries each step has left.
    pub async fn proofing_status(&self, auth: &AuthSession) -> DomainResult<ProofingStatus> {
        let account = &auth.account;
        let factors = self.store.factors(&account.id).await?;
        let next = self
            .next_step(account, &factors, auth.session.stage)
            .await?;
        let case = self.current_case(&account.id).await?;
        let step = if account.identity_verified_at.is_some() {
            ProofingStep::Verified
        } else {
            case.step
        };
        let letters = self.store.letters_of(&account.id).await?;
        let now = self.now();
        let letter_expires_at = letters
            .iter()
            .filter(|l| l.is_usable(now))
            .map(|l| l.expires_at)
            .max();
        let limits = self.limits();
        let attempts_remaining = AttemptsRemaining {
            identity: self
                .remaining(&StepLimit::identity(limits, &account.id))
                .await?,
            financial_account: self
                .remaining(&StepLimit::financial(limits, &account.id))
                .await?,
            phone: self
                .remaining(&StepLimit::phone(limits, &account.id))
                .await?,
            mail_code: self
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
            message: step_message(step).to_owned(),
        })
    }

    /// Step 1: personal information against the two most recent tax returns.
    pub async fn submit_identity(
        &self,
        auth: &AuthSession,
        claim: &IdentityClaim,
    ) -> DomainResult<ProofingOutcome> {
        let mut case = self
            .require_proofing(auth, &[ProofingStep::Identity])
            .await?;
        let account_id = auth.account.id.clone();
        let limits = self.limits().clone();
        let remaining = self
            .consume_attempt(&account_id, &StepLimit::identity(&limits, &account_id))
            .await?;
        let ssn_fp = ssn_fingerprint(&self.keys, &claim.ssn);
        case.lookup_fp = Some(self.lookup_fingerprint(&claim.last_name, claim.date_of_birth));
        self.consume_attempt(&account_id, &StepLimit::ssn(&limits, &ssn_fp))
            .await?;

        let returns = self
            .sources
            .tax_returns
            .returns_for(
                &ssn_fp,
                crate::proofing::matching::MOST_RECENT_RETURNS as i64,
            )
            .await?;
        let decision = match_identity(claim, &returns);
        let mut reasons: Vec<String> = decision
            .reasons
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect();
        let now = self.now();
        let mut change = Change::new();

        if !decision.matched {
            case.updated_at = now;
            change.push(Write::SaveProofingCase(case));
            change.push(self.attempt(
                &account_id,
                attempt_step::IDENTITY,
                AttemptResult::Failed,
                reasons,
            ));
            self.commit(change).await?;
            return Ok(ProofingOutcome {
                result: ProofingResult::NotMatched,
                next: Next::ProofingIdentity,
                message: identity_retry_message(remaining),
                attempts_remaining: Some(remaining),
                session_token: None,
            });
        }

        if let Some(holder) = self.store.verified_ssn_holder(&ssn_fp).await?
            && holder != account_id
        {
            reasons.insert(0, flow_reason::SSN_VERIFIED_ELSEWHERE.to_owned());
            case.step = ProofingStep::Exception;
            case.updated_at = now;
            case.ssn_fp = Some(ssn_fp);
            change.push(Write::SaveProofingCase(case));
            change.push(self.attempt(
                &account_id,
                attempt_step::IDENTITY,
                AttemptResult::Failed,
                reasons,
            ));
            self.warn_ssn_holder(&mut change, &holder).await?;
            self.commit(change).await?;
            return Ok(ProofingOutcome {
                result: ProofingResult::NotMatched,
                next: Next::ExceptionProcessing,
                message: EXCEPTION_MESSAGE.to_owned(),
                attempts_remaining: Some(remaining),
                session_token: None,
            });
        }

        let spouse = returns
            .iter()
            .max_by_key(|r| r.tax_year)
            .and_then(|r| r.spouse.as_ref())
            .map(|s| (s.first_name.clone(), s.last_name.clone()));
        let matched = MatchedIdentity {
            first_name: claim.first_name.clone(),
            last_name: claim.last_name.clone(),
            spouse,
        };
        let sealed = serde_json::to_vec(&matched).map_err(DomainError::unavailable)?;
        case.step = ProofingStep::FinancialAccount;
        case.updated_at = now;
        case.ssn_fp = Some(ssn_fp);
        case.claim_sealed = Some(self.keys.seal(purpose::PROOFING_CLAIM, &sealed)?);
        change.push(Write::SaveProofingCase(case));
        change.push(self.attempt(
            &account_id,
            attempt_step::IDENTITY,
            AttemptResult::Passed,
            reasons,
        ));
        self.commit(change).await?;
        Ok(ProofingOutcome {
            result: ProofingResult::Matched,
            next: Next::ProofingFinancialAccount,
            message: "We found your tax records. Next, enter one financial account in your name: a credit card, mortgage, home equity loan or line of credit, auto loan or student loan.".to_owned(),
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
            DomainError::invalid(
                "account_number",
                "Enter the account number using digits (spaces and dashes are fine).",
            )
        })?;
        if kind == AccountKind::CreditCard && digits.len() < 8 {
            return Err(DomainError::invalid(
                "account_number",
                "For a credit card, enter at least the last 8 digits of the card number.",
            ));
        }
        let mut case = self
            .require_proofing(auth, &[ProofingStep::FinancialAccount])
            .await?;
        let account_id = auth.account.id.clone();
        let limits = self.limits().clone();
        let remaining = self
            .consume_attempt(&account_id, &StepLimit::financial(&limits, &account_id))
            .await?;
        let ssn_fp = case.ssn_fp.clone().ok_or(DomainError::WrongStep {
            next: Next::ProofingIdentity,
            message: "Enter your personal information first.",
        })?;
        let accounts = self
            .sources
            .financial_accounts
            .accounts_for(&ssn_fp, kind)
            .await?;
        let decision = match_financial(kind, &digits, &accounts);
        let reasons = decision
            .reasons
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect();
        let now = self.now();
        case.updated_at = now;
        let result = if decision.matched {
            case.step = ProofingStep::Phone;
            AttemptResult::Passed
        } else {
            AttemptResult::Failed
        };
        let change = Change::new()
            .with(Write::SaveProofingCase(case))
            .with(self.attempt(
                &account_id,
                attempt_step::FINANCIAL_ACCOUNT,
                result,
                reasons,
            ));
        self.commit(change).await?;
        Ok(if decision.matched {
            ProofingOutcome {
                result: ProofingResult::Matched,
                next: Next::ProofingPhone,
                message: "Thank you. Last step: enter a mobile phone number in your name; we will text it a code. If you don't have one, we can mail an activation code to the address on your latest tax return instead.".to_owned(),
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
        ctx: &super::RequestContext,
    ) -> DomainResult<ProofingOutcome> {
        let phone = super::factors::normalise_phone(phone)?;
        let mut case = self
            .require_proofing(
                auth,
                &[
                    ProofingStep::Phone,
                    ProofingStep::PhoneCode,
                    ProofingStep::MailCode,
                ],
            )
            .await?;
        let account_id = auth.account.id.clone();
        let limits = self.limits().clone();
        let remaining = self
            .consume_attempt(&account_id, &StepLimit::phone(&limits, &account_id))
            .await?;
        let matched = self.matched_identity(&case)?;
        let record = self
            .sources
            .phones
            .phone_record(&phone_fingerprint(&self.keys, &phone))
            .await?;
        let spouse = matched
            .spouse
            .as_ref()
            .map(|(first, last)| (first.as_str(), last.as_str()));
        let decision = match_phone(
            &matched.first_name,
            &matched.last_name,
            spouse,
            record.as_ref(),
        );
        let reasons = decision
            .reasons
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect();
        let now = self.now();
        if !decision.matched {
            case.updated_at = now;
            let change = Change::new()
                .with(Write::SaveProofingCase(case))
                .with(self.attempt(
                    &account_id,
                    attempt_step::PHONE,
                    AttemptResult::Failed,
                    reasons,
                ));
            self.commit(change).await?;
            return Ok(ProofingOutcome {
                result: ProofingResult::NotMatched,
                next: Next::ProofingPhone,
                message: PHONE_RETRY_MESSAGE.to_owned(),
                attempts_remaining: Some(remaining),
                session_token: None,
            });
        }

        self.limit_ip(ctx.ip, IpAction::CodeSend)?;
        let code_purpose = CodePurpose::ProofingPhone;
        // Texted codes follow the sign-in SMS limit. It is counted in its own window
        // (not from the code rows, which go when a phone is replaced).
        self.consume_attempt(&account_id, &StepLimit::sms(&limits, &account_id))
            .await?;

        let mut change = Change::new();
        // A phone tried earlier in this case (never confirmed) is replaced.
        if let Some(earlier) = self
            .store
            .latest_code(&account_id, code_purpose.as_str(), None)
            .await?
            .and_then(|code| code.factor_id)
        {
            let factors = self.store.factors(&account_id).await?;
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
            Some(self.keys.seal_str(purpose::PHONE, &phone)?),
            now,
            false,
        );
        let factor_id = factor.id.clone();
        change.push(Write::InsertFactor(factor));
        self.push_sms_code(&mut change, &account_id, &factor_id, &phone, code_purpose)?;
        case.step = ProofingStep::PhoneCode;
        case.updated_at = now;
        case.phone_sealed = Some(self.keys.seal_str(purpose::PROOFING_PHONE, &phone)?);
        change.push(Write::SaveProofingCase(case));
        change.push(self.attempt(
            &account_id,
            attempt_step::PHONE,
            AttemptResult::Passed,
            reasons,
        ));
        self.commit(change).await?;
        Ok(ProofingOutcome {
            result: ProofingResult::CodeSent,
            next: Next::ProofingPhoneCode,
            message: format!(
                "We texted a 6-digit code to the phone ending in {}. Enter it within {} minutes.",
                &phone[phone.len() - 4..],
                limits.sms_code_ttl_secs / 60
            ),
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
        let mut case = self
            .require_proofing(auth, &[ProofingStep::PhoneCode])
            .await?;
        let account_id = auth.account.id.clone();
        let code_purpose = CodePurpose::ProofingPhone.as_str();
        let checked = self
            .check_one_time_code(
                &account_id,
                code_purpose,
                None,
                code,
                self.limits().email_code_attempts,
            )
            .await;
        let stored = match checked {
            Ok(stored) => stored,
            Err(error) => {
                let reason = match error {
                    DomainError::CodeExpired => flow_reason::CODE_EXPIRED,
                    _ => flow_reason::WRONG_CODE,
                };
                self.commit(Change::new().with(self.attempt(
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
            message: "Enter your phone number again.",
        })?;
        let now = self.now();
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
            .with(self.event(
                &account_id,
                "factor_added",
                "Phone confirmed during identity verification, added for text-message codes",
            ));
        self.push_verification(
            &mut change,
            auth,
            case,
            &ssn_fp,
            "online",
            attempt_step::PHONE_CODE,
        )?;
        let session_token = (auth.session.stage != SessionStage::Authenticated).then(|| {
            let ctx = super::RequestContext {
                ip: auth
                    .session
                    .ip
                    .parse()
                    .unwrap_or(std::net::IpAddr::from([0, 0, 0, 0])),
                user_agent: auth.session.user_agent.clone(),
                device: None,
            };
            self.elevate(&mut change, &auth.session, &ctx)
        });
        if let Some(outcome) = self.commit_verification(auth, change, &ssn_fp).await? {
            return Ok(outcome);
        }
        Ok(ProofingOutcome {
            result: ProofingResult::Verified,
            next: Next::Done,
            message: "Your identity is verified. This phone is now a sign-in method for text-message codes.".to_owned(),
            attempts_remaining: None,
            session_token,
        })
    }

    // -----------------------------------------------------------------------------------
    // Shared by the online steps and the mail path
    // -----------------------------------------------------------------------------------

    /// The account's case, started (and saved) if it has none, and started over if it
    /// was abandoned.
    pub(super) async fn current_case(&self, account_id: &str) -> DomainResult<ProofingCase> {
        let now = self.now();
        match self.store.proofing_case(account_id).await? {
            Some(case) if !case.abandoned(now, self.limits().proofing_resume_secs) => Ok(case),
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
                self.commit(change).await?;
                Ok(case)
            }
        }
    }

    /// The session may proof (email confirmed, not yet verified, signed in with a second
    /// factor if it has one) and the case is at one of `allowed`; returns the case.
    pub(super) async fn require_proofing(
        &self,
        auth: &AuthSession,
        allowed: &[ProofingStep],
    ) -> DomainResult<ProofingCase> {
        let account = &auth.account;
        if account.email_confirmed_at.is_none() {
            return Err(DomainError::WrongStep {
                next: Next::ConfirmEmail,
                message: "Confirm your email address first.",
            });
        }
        if account.password_change_required {
            return Err(DomainError::WrongStep {
                next: Next::ChangePassword,
                message: "Choose a new password first.",
            });
        }
        // A letter staff sent after verifying the person (help desk or in person) is
        // entered whatever else the account has: it is how they get back in.
        if let Some(case) = self.store.proofing_case(&account.id).await?
            && case.step == ProofingStep::MailCode
            && case.is_staff_assisted()
            && allowed.contains(&ProofingStep::MailCode)
        {
            return Ok(case);
        }
        let factors = self.store.factors(&account.id).await?;
        if super::needs_recovery(&factors) {
            return Err(DomainError::RecoveryRequired);
        }
        if account.identity_verified_at.is_some() {
            return Err(DomainError::WrongStep {
                next: self
                    .next_step(account, &factors, auth.session.stage)
                    .await?,
                message: "Your identity is already verified.",
            });
        }
        if factors.iter().any(Factor::is_active)
            && auth.session.stage != SessionStage::Authenticated
        {
            return Err(DomainError::WrongStep {
                next: Next::SecondFactor,
                message: "Sign in with your second factor first.",
            });
        }
        let case = self.current_case(&account.id).await?;
        if !allowed.contains(&case.step) {
            return Err(DomainError::WrongStep {
                next: case.step.next().unwrap_or(Next::Done),
                message: step_message(case.step),
            });
        }
        Ok(case)
    }

    /// The matched identity sealed in the case.
    pub(super) fn matched_identity(&self, case: &ProofingCase) -> DomainResult<MatchedIdentity> {
        let sealed = case.claim_sealed.as_deref().ok_or(DomainError::WrongStep {
            next: Next::ProofingIdentity,
            message: "Enter your personal information first.",
        })?;
        let json = self.keys.open(purpose::PROOFING_CLAIM, sealed)?;
        serde_json::from_slice(&json).map_err(DomainError::unavailable)
    }

    pub(super) fn attempt(
        &self,
        account_id: &str,
        step: &str,
        result: AttemptResult,
        reasons: Vec<String>,
    ) -> Write {
        let at = self.now();
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
        let now = self.now();
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
        change.push(self.event(
            account_id,
            "identity_verified",
            format!("Identity verified {how}"),
        ));
        self.enqueue(
            change,
            &messages::identity_verified(&self.account_email(&auth.account)?, how),
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
        match self.commit(change).await {
            Ok(()) => Ok(None),
            Err(DomainError::Conflict(_))
                if self
                    .store
                    .verified_ssn_holder(ssn_fp)
                    .await?
                    .is_some_and(|holder| holder != auth.account.id) =>
            {
                let holder = self
                    .store
                    .verified_ssn_holder(ssn_fp)
                    .await?
                    .unwrap_or_default();
                let mut case = self.current_case(&auth.account.id).await?;
                case.step = ProofingStep::Exception;
                case.updated_at = self.now();
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
                self.commit(change).await?;
                Ok(Some(ProofingOutcome {
                    result: ProofingResult::NotMatched,
                    next: Next::ExceptionProcessing,
                    message: EXCEPTION_MESSAGE.to_owned(),
                    attempts_remaining: None,
                    session_token: None,
                }))
            }
            Err(other) => Err(other),
        }
    }

    /// Tell the holder of a verified SSN that another account tried to verify with it.
    async fn warn_ssn_holder(&self, change: &mut Change, holder_id: &str) -> DomainResult<()> {
        let Some(holder) = self.store.account_by_id(holder_id).await? else {
            return Ok(());
        };
        change.push(self.event(
            holder_id,
            "identity_used_elsewhere",
            "Someone tried to verify their identity on another account with your Social Security number",
        ));
        self.enqueue(
            change,
            &messages::identity_used_elsewhere(&self.account_email(&holder)?),
        )
    }
}

const EXCEPTION_MESSAGE: &str = "We can't finish verifying your identity online. Please call the help desk (a call takes about 20 minutes) or visit a Taxpayer Assistance Center with your photo ID and Social Security card (by appointment); they will complete it with you.";

const PHONE_RETRY_MESSAGE: &str = "We couldn't confirm that phone. Use a mobile phone on a personal plan in your own name, or choose to get an activation code by mail at the address on your latest tax return (it arrives in 5 to 10 days).";

fn identity_retry_message(remaining: i64) -> String {
    if remaining > 0 {
        format!(
            "We couldn't match your information with our records. Check it against your most recent tax return (name, date of birth, filing status and mailing address as filed) and try again. You have {remaining} {} left for now. {HELP_DESK}",
            tries(remaining)
        )
    } else {
        format!(
            "We couldn't match your information with our records, and you have used all your tries for now. You can try again in 6 hours. {HELP_DESK}"
        )
    }
}

fn financial_retry_message(remaining: i64) -> String {
    if remaining > 0 {
        format!(
            "We couldn't confirm that account. Try another account type (for example a mortgage, auto loan or student loan instead of a card), or check the number. You have {remaining} {} left for now. {HELP_DESK}",
            tries(remaining)
        )
    } else {
        format!(
            "We couldn't confirm that account, and you have used all your tries for now. You can try again in 6 hours. {HELP_DESK}"
        )
    }
}

fn tries(n: i64) -> &'static str {
    if n == 1 { "try" } else { "tries" }
}

/// What a person at `step` should do.
pub(super) fn step_message(step: ProofingStep) -> &'static str {
    match step {
        ProofingStep::Identity => {
            "Enter your personal information as it appears on your most recent tax return."
        }
        ProofingStep::FinancialAccount => "Enter one financial account in your name.",
        ProofingStep::Phone => {
            "Enter a mobile phone number in your name, or ask for an activation code by mail."
        }
        ProofingStep::PhoneCode => "Enter the code we texted to your phone, or try another phone.",
        ProofingStep::MailCode => {
            "Enter the activation code from the letter we mailed to the address on your latest tax return. Letters arrive in 5 to 10 days."
        }
        ProofingStep::Exception => EXCEPTION_MESSAGE,
        ProofingStep::Verified => "Your identity is verified.",
    }
}
