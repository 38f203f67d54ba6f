//! The second half of sign-in: a code sent by text message, then the second factor
//! (authenticator app, text-message code or backup code) checked against the account's
//! lock and failure counts. A correct one raises the session (a new token) and a
//! sign-in from a new device is announced by email.

use sa_i18n::Text;
use time::Duration;

use super::sessions::Sessions;
use super::sign_in::SignIn;
use super::{core::RequestContext, core::purpose, sessions::AuthSession};
use crate::clock::seconds_until;
use crate::codes::{self, CodePurpose};
use crate::limits::IpAction;
use crate::messages;
use crate::model::{Factor, FactorKind, Next, SessionStage};
use crate::proofing::case::ProofingCase;
use crate::store::{Change, CodeTry, Write};
use crate::totp::{self, TotpCheck};
use crate::{DomainError, DomainResult};

/// Identity and authentication assurance levels (NIST SP 800-63-4), and whether the
/// authentication was phishing-resistant (a passkey).
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Assurance {
    pub ial: u8,
    pub aal: u8,
    pub phishing_resistant: bool,
}

impl Assurance {
    /// What a session of this account raised by sign-in method `method` has.
    pub fn of(account: &crate::model::Account, method: &str) -> Self {
        Self {
            ial: account.identity_level(),
            aal: 2,
            phishing_resistant: FactorKind::phishing_resistant_method(method),
        }
    }
}

#[derive(Debug)]
pub struct SecondFactorVerified {
    pub session_token: String,
    pub next: Next,
    pub assurance: Assurance,
}

/// The security-history kind of a refused, reused authenticator code.
const APP_CODE_REPLAYED: &str = "app_code_replayed";

/// A session at the second-factor step: the account's factors and the proofing case
/// read to decide it (reused for the answer's `next`).
pub(super) struct SecondFactorStage {
    pub(super) factors: Vec<Factor>,
    pub(super) case: Option<ProofingCase>,
}

/// Why a code failed, as recorded in the login history.
struct CodeFailure {
    reason: &'static str,
    error: DomainError,
    /// Factors the failure counts against.
    factors: Vec<Factor>,
}

impl SignIn<'_> {
    /// Refuse code checks while the account's codes are locked.
    pub(super) fn check_code_lock(&self, auth: &AuthSession) -> DomainResult<()> {
        let now = self.core.now();
        match auth.account.code_locked_until {
            Some(until) if until > now => Err(DomainError::Locked {
                retry_after_secs: seconds_until(now, until),
            }),
            _ => Ok(()),
        }
    }

    /// Send a sign-in code by text message to the named phone factor, or the first one.
    pub async fn send_sms_code(
        &self,
        auth: &AuthSession,
        factor_id: Option<&str>,
        ctx: &RequestContext,
    ) -> DomainResult<()> {
        let factors = self.require_second_factor_stage(auth).await?.factors;
        self.check_code_lock(auth)?;
        let factor = factors
            .iter()
            .filter(|f| f.kind == FactorKind::Sms && f.is_active())
            .find(|f| factor_id.is_none_or(|id| id == f.id))
            .ok_or(DomainError::NotFound("error-no-phone-set-up-text"))?;
        self.core.limit_ip(ctx.ip, IpAction::CodeSend).await?;
        let purpose = CodePurpose::SmsSignIn.as_str();
        self.core
            .limit_code_sends(&auth.account.id, purpose)
            .await?;
        let phone = self.core.keys.open_string(
            purpose::PHONE,
            factor.secret_sealed.as_deref().unwrap_or_default(),
        )?;
        let mut change = Change::new();
        self.core.push_sms_code(
            &mut change,
            &auth.account.id,
            &factor.id,
            &phone,
            CodePurpose::SmsSignIn,
            auth.account.language,
        )?;
        self.core.commit(change).await
    }

    /// The session must be one that may enter a second factor; returns the factors and
    /// the proofing case the step graph read.
    pub(super) async fn require_second_factor_stage(
        &self,
        auth: &AuthSession,
    ) -> DomainResult<SecondFactorStage> {
        let factors = self.core.store.factors(&auth.account.id).await?;
        let case = self.core.step_case(&auth.account).await?;
        match self
            .core
            .next_step_with(&auth.account, &factors, auth.session.stage, case.as_ref())
        {
            Next::SecondFactor | Next::Done => Ok(SecondFactorStage { factors, case }),
            next => Err(DomainError::WrongStep {
                next,
                message_id: "step-finish-setup-first",
            }),
        }
    }

    /// Check a second-factor code. On success the session is replaced by a new
    /// authenticated one whose token is returned.
    pub async fn verify_second_factor(
        &self,
        auth: &AuthSession,
        method: &str,
        code: &str,
        ctx: &RequestContext,
    ) -> DomainResult<SecondFactorVerified> {
        let SecondFactorStage { factors, case } = self.require_second_factor_stage(auth).await?;
        self.check_code_lock(auth)?;
        let kind = match method {
            "totp" => FactorKind::Totp,
            "sms" => FactorKind::Sms,
            "backup_code" => FactorKind::BackupCodes,
            "passkey" => {
                return Err(DomainError::invalid(
                    "credential",
                    Text::new("error-passkey-not-code"),
                ));
            }
            _ => {
                return Err(DomainError::invalid("method", Text::new("error-method")));
            }
        };
        let candidates: Vec<Factor> = factors
            .iter()
            .filter(|f| f.kind == kind && f.is_active())
            .cloned()
            .collect();
        if candidates.is_empty() {
            return Err(DomainError::invalid(
                "method",
                Text::new("error-method-not-set-up"),
            ));
        }
        let account_id = auth.account.id.clone();
        let now = self.core.now();
        let limits = self.core.limits();
        let lock_until = now + Duration::seconds(limits.code_lock_secs);
        let set_lock = match self
            .core
            .store
            .claim_code_try(
                &account_id,
                limits.code_failures_before_lock,
                now,
                lock_until,
            )
            .await?
        {
            CodeTry::Claimed { set_lock } => set_lock,
            CodeTry::Locked { until } => {
                return Err(DomainError::Locked {
                    retry_after_secs: seconds_until(now, until.unwrap_or(lock_until)),
                });
            }
        };
        let outcome = match kind {
            FactorKind::Totp => self.check_totp(&candidates, code, now)?,
            FactorKind::Sms => self.check_sms(&account_id, &candidates, code).await?,
            FactorKind::BackupCodes => self.check_backup_code(&candidates, code, now).await?,
            FactorKind::Passkey => return Err(DomainError::unavailable("passkey as a code")),
        };
        let mut change = match outcome {
            Ok(change) => change,
            Err(failure) => return Err(self.record_code_failure(auth, kind, failure, ctx).await),
        };
        let used = change.writes.iter().find_map(|w| match w {
            Write::FactorUsed { factor_id, .. }
            | Write::AdvanceTotpStep {
                factor_id,
                used_at: Some(_),
                ..
            } => Some(factor_id.clone()),
            _ => None,
        });
        change.push(Write::ResetCodeFailures {
            account_id: account_id.clone(),
            clear_lock_until: set_lock.then_some(lock_until),
        });
        change.push(Sessions::new(self.core).login_record(
            &account_id,
            ctx,
            kind.method(),
            true,
            None,
        ));
        self.note_device(&mut change, &auth.account, ctx).await?;
        let session_token =
            Sessions::new(self.core).elevate(&mut change, &auth.session, ctx, kind.method());
        match self.core.commit(change).await {
            Ok(()) => {}
            // A concurrent request used the same code or step first: that is a replay.
            Err(DomainError::Conflict(_)) if used.is_some() => {
                let failure = CodeFailure {
                    reason: "code_replayed",
                    error: DomainError::CodeAlreadyUsed {
                        message_id: "error-code-used-wait",
                    },
                    factors: candidates,
                };
                return Err(self.record_code_failure(auth, kind, failure, ctx).await);
            }
            Err(other) => return Err(other),
        }
        Ok(SecondFactorVerified {
            session_token,
            next: self.core.next_step_with(
                &auth.account,
                &factors,
                SessionStage::Authenticated,
                case.as_ref(),
            ),
            assurance: Assurance::of(&auth.account, kind.method()),
        })
    }

    fn check_totp(
        &self,
        candidates: &[Factor],
        code: &str,
        now: time::OffsetDateTime,
    ) -> DomainResult<Result<Change, CodeFailure>> {
        let mut replayed = false;
        for factor in candidates {
            let secret = self.core.totp_secret(factor)?;
            match totp::check(&secret, code, now.unix_timestamp(), factor.last_totp_step) {
                TotpCheck::Accepted { step } => {
                    return Ok(Ok(Change::new().with(Write::AdvanceTotpStep {
                        factor_id: factor.id.clone(),
                        step,
                        used_at: Some(now),
                    })));
                }
                TotpCheck::Replayed => replayed = true,
                TotpCheck::Wrong => {}
            }
        }
        let failure = if replayed {
            CodeFailure {
                reason: "code_replayed",
                error: DomainError::CodeAlreadyUsed {
                    message_id: "error-code-used-app",
                },
                factors: candidates.to_vec(),
            }
        } else {
            CodeFailure {
                reason: "wrong_code",
                error: DomainError::InvalidCode,
                factors: candidates.to_vec(),
            }
        };
        Ok(Err(failure))
    }

    async fn check_sms(
        &self,
        account_id: &str,
        candidates: &[Factor],
        code: &str,
    ) -> DomainResult<Result<Change, CodeFailure>> {
        let purpose = CodePurpose::SmsSignIn.as_str();
        let now = self.core.now();
        let result = self
            .core
            .check_one_time_code(account_id, purpose, None, code, i64::MAX)
            .await;
        let failure = |reason, error| {
            Ok(Err(CodeFailure {
                reason,
                error,
                factors: candidates.to_vec(),
            }))
        };
        match result {
            Ok(stored) => {
                let factor_id = stored.factor_id.clone().unwrap_or_default();
                Ok(Ok(Change::new()
                    .with(Write::ConsumeCode {
                        code_id: stored.id,
                        at: now,
                    })
                    .with(Write::FactorUsed { factor_id, at: now })))
            }
            Err(DomainError::CodeExpired) => failure("code_expired", DomainError::CodeExpired),
            Err(DomainError::CodeAlreadyUsed { message_id }) => failure(
                "code_already_used",
                DomainError::CodeAlreadyUsed { message_id },
            ),
            Err(DomainError::InvalidCode) => failure("wrong_code", DomainError::InvalidCode),
            Err(other) => Err(other),
        }
    }

    async fn check_backup_code(
        &self,
        candidates: &[Factor],
        code: &str,
        now: time::OffsetDateTime,
    ) -> DomainResult<Result<Change, CodeFailure>> {
        if let Some(normalised) = codes::normalise_backup_code(code) {
            for factor in candidates {
                let hash = self.core.keys.fingerprint(
                    &format!("{}.{}", purpose::BACKUP_CODE, factor.id),
                    normalised.as_bytes(),
                );
                match self
                    .core
                    .store
                    .backup_code_used_at(&factor.id, &hash)
                    .await?
                {
                    Some(None) => {
                        return Ok(Ok(Change::new()
                            .with(Write::UseBackupCode {
                                factor_id: factor.id.clone(),
                                code_hash: hash,
                                at: now,
                            })
                            .with(Write::FactorUsed {
                                factor_id: factor.id.clone(),
                                at: now,
                            })));
                    }
                    Some(Some(_)) => {
                        return Ok(Err(CodeFailure {
                            reason: "code_already_used",
                            error: DomainError::CodeAlreadyUsed {
                                message_id: "error-code-used-backup",
                            },
                            factors: vec![factor.clone()],
                        }));
                    }
                    None => {}
                }
            }
        }
        Ok(Err(CodeFailure {
            reason: "wrong_code",
            error: DomainError::InvalidCode,
            factors: candidates.to_vec(),
        }))
    }

    /// Record a failed code (its try was counted by the claim); returns the error to show.
    async fn record_code_failure(
        &self,
        auth: &AuthSession,
        kind: FactorKind,
        failure: CodeFailure,
        ctx: &RequestContext,
    ) -> DomainError {
        let now = self.core.now();
        let limits = self.core.limits();
        let account_id = &auth.account.id;
        let mut change = Change::new().with(Sessions::new(self.core).login_record(
            account_id,
            ctx,
            kind.method(),
            false,
            Some(failure.reason),
        ));
        let mut disabled = Vec::new();
        for factor in &failure.factors {
            change.push(Write::CountFactorFailure {
                factor_id: factor.id.clone(),
                disable_at: limits.factor_failures_before_disable,
                at: now,
            });
            if factor.consecutive_failures + 1 >= limits.factor_failures_before_disable {
                disabled.push(factor.label.clone());
            }
        }
        if kind == FactorKind::Totp && failure.reason == "code_replayed" {
            // ASVS 2.8.5: a reused app code is refused, recorded and told to its holder
            // (at most once per lock period, so replays cannot flood the inbox).
            let since = now - Duration::seconds(limits.code_lock_secs);
            let told_recently = self
                .core
                .store
                .security_events(account_id, 50)
                .await
                .map(|events| {
                    events
                        .iter()
                        .any(|e| e.kind == APP_CODE_REPLAYED && e.at > since)
                })
                .unwrap_or(false);
            if !told_recently {
                change.push(self.core.event(
                    account_id,
                    APP_CODE_REPLAYED,
                    "A code from your authenticator app was used again and refused",
                ));
                let notice = self
                    .core
                    .account_email(&auth.account)
                    .map(|email| messages::app_code_replayed(auth.account.language, &email));
                if let Ok(message) = notice
                    && let Err(error) =
                        self.core
                            .enqueue_security_email(&mut change, account_id, message)
                {
                    return error;
                }
            }
        }
        for label in &disabled {
            change.push(self.core.event(
                account_id,
                "factor_disabled",
                format!("{label} was turned off after too many incorrect codes"),
            ));
        }
        if !disabled.is_empty() {
            let notice = self.core.account_email(&auth.account).map(|email| {
                messages::factor_changed(
                    auth.account.language,
                    &email,
                    &messages::FactorChange::new("factor-turned-off", disabled.join(", ")),
                )
            });
            if let Ok(message) = notice
                && let Err(error) =
                    self.core
                        .enqueue_security_email(&mut change, account_id, message)
            {
                return error;
            }
        }
        if let Err(error) = self.core.commit(change).await {
            return error;
        }
        failure.error
    }

    /// Remember this device; a first sign-in from an unknown one emails the owner.
    pub(super) async fn note_device(
        &self,
        change: &mut Change,
        account: &crate::model::Account,
        ctx: &RequestContext,
    ) -> DomainResult<()> {
        let account_id = &account.id;
        let device_hash = self
            .core
            .keys
            .fingerprint(purpose::DEVICE, ctx.device_key().as_bytes());
        let now = self.core.now();
        if !self
            .core
            .store
            .device_known(account_id, &device_hash)
            .await?
        {
            let email = self.core.account_email(account)?;
            let browser = super::core::truncate(&ctx.user_agent, 120);
            self.core.enqueue_security_email(
                change,
                account_id,
                messages::new_device_sign_in(
                    account.language,
                    &email,
                    now,
                    &ctx.ip.to_string(),
                    &browser,
                ),
            )?;
            change.push(self.core.event(
                account_id,
                "new_device_sign_in",
                format!("Signed in from a new device ({browser})"),
            ));
        }
        change.push(Write::RememberDevice {
            account_id: account_id.clone(),
            device_hash,
            at: now,
        });
        Ok(())
    }
}
