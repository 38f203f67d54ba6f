//! Second factors: enrol an authenticator app (QR + confirm), a phone (SMS code), or a
//! set of backup codes; list them; remove one.
//!
//! Who may change factors: an account with no active factor yet (setting up), or an
//! authenticated session whose second factor was entered within the re-authentication
//! window. The last active factor cannot be removed. Every change is recorded in the
//! security history and announced by email.

use super::sessions::Sessions;
use super::{core::Core, core::purpose, sessions::AuthSession};
use crate::codes::{self, CodePurpose};
use crate::limits::IpAction;
use crate::messages::{self, FactorChange};
use crate::model::{Factor, FactorKind, Next, SessionStage};
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult, totp};
use sa_i18n::{Lang, Text};

/// At most this many factors (pending included) per account.
pub const MAX_FACTORS: usize = 10;

#[derive(Debug)]
pub struct TotpEnrolment {
    pub factor_id: String,
    /// Base32 secret, for typing into an app by hand.
    pub secret_base32: String,
    pub otpauth_uri: String,
}

/// A factor confirmed. If the session gained privilege (first factor set up), it was
/// replaced and `session_token` holds the new token.
#[derive(Debug)]
pub struct ConfirmedFactor {
    pub factor_id: String,
    pub next: Next,
    pub session_token: Option<String>,
}

#[derive(Debug)]
pub struct NewBackupCodes {
    pub factor_id: String,
    /// Shown once, never stored in clear.
    pub codes: Vec<String>,
    pub next: Next,
    pub session_token: Option<String>,
}

#[derive(Debug, Clone)]
pub struct FactorSummary {
    pub id: String,
    pub kind: FactorKind,
    pub label: String,
    pub created_at: time::OffsetDateTime,
    pub last_used_at: Option<time::OffsetDateTime>,
    /// `active` or `disabled`.
    pub status: &'static str,
    /// Backup codes left, for a backup-code factor.
    pub codes_left: Option<i64>,
}

/// Setting up, listing and removing second factors.
#[derive(Clone, Copy)]
pub struct Factors<'a> {
    pub(super) core: &'a Core,
}

impl<'a> Factors<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl Factors<'_> {
    /// May this session add or remove factors? Returns the account's factors.
    pub(super) async fn require_factor_management(
        &self,
        auth: &AuthSession,
    ) -> DomainResult<Vec<Factor>> {
        if auth.account.email_confirmed_at.is_none() {
            return Err(DomainError::WrongStep {
                next: Next::ConfirmEmail,
                message_id: "step-confirm-email-first",
            });
        }
        let factors = self.core.store.factors(&auth.account.id).await?;
        if super::core::needs_recovery(&factors) {
            return Err(DomainError::RecoveryRequired);
        }
        if !factors.iter().any(Factor::is_active) {
            // Where a verified identity is required, the first factor comes after
            // proofing (a phone confirmed there becomes the first factor).
            if self.core.config.require_identity_verification
                && auth.account.identity_verified_at.is_none()
            {
                return Err(DomainError::WrongStep {
                    next: self
                        .core
                        .next_step(&auth.account, &factors, auth.session.stage)
                        .await?,
                    message_id: "step-verify-identity-first",
                });
            }
            return Ok(factors);
        }
        if auth.session.stage != SessionStage::Authenticated {
            return Err(DomainError::WrongStep {
                next: Next::SecondFactor,
                message_id: "step-second-factor-first",
            });
        }
        Sessions::new(self.core).require_fresh_factor(auth)?;
        Ok(factors)
    }

    pub(super) fn check_factor_room(factors: &[Factor]) -> DomainResult<()> {
        if factors.len() >= MAX_FACTORS {
            return Err(DomainError::Conflict("error-account-has-as-many-signin"));
        }
        Ok(())
    }

    /// Start enrolling an authenticator app: a new secret, not active until confirmed.
    pub async fn begin_totp(
        &self,
        auth: &AuthSession,
        label: Option<&str>,
    ) -> DomainResult<TotpEnrolment> {
        let factors = self.require_factor_management(auth).await?;
        Self::check_factor_room(&factors)?;
        let label = clean_label(label, "Authenticator app")?;
        let now = self.core.now();
        let secret = totp::new_secret();
        let factor = Factor::new(
            &auth.account.id,
            FactorKind::Totp,
            label,
            Some(self.core.keys.seal(purpose::TOTP_SECRET, &secret)?),
            now,
            false,
        );
        let factor_id = factor.id.clone();
        self.core
            .commit(Change::new().with(Write::InsertFactor(factor)))
            .await?;
        self.totp_enrolment(factor_id, &secret, &auth.account.username)
    }

    /// An authenticator app still being set up, shown again (for example after a wrong
    /// code). Only possible while the factor is unconfirmed.
    pub async fn pending_totp(
        &self,
        auth: &AuthSession,
        factor_id: &str,
    ) -> DomainResult<TotpEnrolment> {
        let factors = self.require_factor_management(auth).await?;
        let factor = pending_factor(&factors, factor_id, FactorKind::Totp)?;
        let secret = self.core.totp_secret(factor)?;
        self.totp_enrolment(factor.id.clone(), &secret, &auth.account.username)
    }

    fn totp_enrolment(
        &self,
        factor_id: String,
        secret: &[u8],
        username: &str,
    ) -> DomainResult<TotpEnrolment> {
        Ok(TotpEnrolment {
            factor_id,
            secret_base32: totp::secret_base32(secret),
            otpauth_uri: totp::otpauth_uri(secret, &self.core.config.issuer, username)?,
        })
    }

    /// Confirm an authenticator app with a code it shows.
    pub async fn confirm_totp(
        &self,
        auth: &AuthSession,
        factor_id: &str,
        code: &str,
    ) -> DomainResult<ConfirmedFactor> {
        let factors = self.require_factor_management(auth).await?;
        let factor = pending_factor(&factors, factor_id, FactorKind::Totp)?;
        let secret = self.core.totp_secret(factor)?;
        let now = self.core.now();
        let totp::TotpCheck::Accepted { step } =
            totp::check(&secret, code, now.unix_timestamp(), None)
        else {
            return Err(DomainError::InvalidCode);
        };
        let change = Change::new().with(Write::AdvanceTotpStep {
            factor_id: factor.id.clone(),
            step,
            used_at: None,
        });
        self.confirm_pending(
            auth,
            &factors,
            factor,
            change,
            FactorChange::new("factor-added", factor.label.clone()),
            FactorKind::Totp.method(),
        )
        .await
    }

    /// Add a phone for text-message codes; a code is sent to confirm it.
    pub async fn add_phone(
        &self,
        auth: &AuthSession,
        phone: &str,
        ctx: &super::core::RequestContext,
    ) -> DomainResult<String> {
        let factors = self.require_factor_management(auth).await?;
        Self::check_factor_room(&factors)?;
        let phone = normalise_phone(phone)?;
        self.core.limit_ip(ctx.ip, IpAction::CodeSend).await?;
        self.core
            .limit_code_sends(&auth.account.id, CodePurpose::PhoneEnrolment.as_str())
            .await?;
        let now = self.core.now();
        let factor = Factor::new(
            &auth.account.id,
            FactorKind::Sms,
            format!("Phone ending in {}", &phone[phone.len() - 4..]),
            Some(self.core.keys.seal_str(purpose::PHONE, &phone)?),
            now,
            false,
        );
        let factor_id = factor.id.clone();
        let mut change = Change::new().with(Write::InsertFactor(factor));
        self.core.push_sms_code(
            &mut change,
            &auth.account.id,
            &factor_id,
            &phone,
            CodePurpose::PhoneEnrolment,
            auth.account.language,
        )?;
        self.core.commit(change).await?;
        Ok(factor_id)
    }

    /// Confirm a phone with the code texted to it.
    pub async fn confirm_phone(
        &self,
        auth: &AuthSession,
        factor_id: &str,
        code: &str,
    ) -> DomainResult<ConfirmedFactor> {
        let factors = self.require_factor_management(auth).await?;
        let factor = pending_factor(&factors, factor_id, FactorKind::Sms)?;
        let purpose = CodePurpose::PhoneEnrolment.as_str();
        let stored = self
            .core
            .check_one_time_code(
                &auth.account.id,
                purpose,
                Some(factor_id),
                code,
                self.core.limits().email_code_attempts,
            )
            .await?;
        let change = Change::new().with(Write::ConsumeCode {
            code_id: stored.id,
            at: self.core.now(),
        });
        let what = FactorChange::new("factor-added-sms", factor.label.clone());
        self.confirm_pending(
            auth,
            &factors,
            factor,
            change,
            what,
            FactorKind::Sms.method(),
        )
        .await
    }

    /// Confirm a pending factor (its own writes already in `change`) and finish.
    /// `method` is recorded on the session when this is its first factor.
    pub(super) async fn confirm_pending(
        &self,
        auth: &AuthSession,
        factors: &[Factor],
        factor: &Factor,
        mut change: Change,
        what: FactorChange,
        method: &str,
    ) -> DomainResult<ConfirmedFactor> {
        let now = self.core.now();
        change.push(Write::ConfirmFactor {
            factor_id: factor.id.clone(),
            at: now,
        });
        let mut active_after = factors.to_vec();
        if let Some(f) = active_after.iter_mut().find(|f| f.id == factor.id) {
            f.confirmed_at = Some(now);
        }
        self.finish_enrolment(auth, active_after, factor.id.clone(), change, what, method)
            .await
    }

    /// Finish setting up a factor whose writes are in `change`: the history entry and the
    /// email, a new token when it was the first factor, one commit, and the step that
    /// follows once `active_after` are the account's factors.
    async fn finish_enrolment(
        &self,
        auth: &AuthSession,
        active_after: Vec<Factor>,
        factor_id: String,
        mut change: Change,
        what: FactorChange,
        method: &str,
    ) -> DomainResult<ConfirmedFactor> {
        change.push(
            self.core
                .event(&auth.account.id, "factor_added", what.words(Lang::En)),
        );
        self.core.enqueue_security_email(
            &mut change,
            &auth.account.id,
            messages::factor_changed(
                auth.account.language,
                &self.core.account_email(&auth.account)?,
                &what,
            ),
        )?;
        let session_token =
            Sessions::new(self.core).elevate_after_enrolment(&mut change, auth, method);
        self.core.commit(change).await?;
        Ok(ConfirmedFactor {
            factor_id,
            next: self
                .core
                .next_step(&auth.account, &active_after, SessionStage::Authenticated)
                .await?,
            session_token,
        })
    }

    /// Create (or replace) the account's backup codes; they are shown once.
    pub async fn create_backup_codes(&self, auth: &AuthSession) -> DomainResult<NewBackupCodes> {
        let factors = self.require_factor_management(auth).await?;
        let now = self.core.now();
        let existing = factors
            .iter()
            .find(|f| f.kind == FactorKind::BackupCodes)
            .cloned();
        if existing.is_none() {
            Self::check_factor_room(&factors)?;
        }
        let factor = Factor::new(
            &auth.account.id,
            FactorKind::BackupCodes,
            "Backup codes".to_owned(),
            None,
            now,
            true,
        );
        let codes = codes::backup_codes();
        let hashes = codes
            .iter()
            .filter_map(|shown| codes::normalise_backup_code(shown))
            .map(|c| {
                self.core.keys.fingerprint(
                    &format!("{}.{}", purpose::BACKUP_CODE, factor.id),
                    c.as_bytes(),
                )
            })
            .collect();
        let mut change = Change::new();
        let what = if let Some(old) = &existing {
            change.push(Write::DeleteFactor {
                factor_id: old.id.clone(),
            });
            FactorChange::new("factor-backup-replaced", "")
        } else {
            FactorChange::new("factor-backup-created", "")
        };
        let factor_id = factor.id.clone();
        change.push(Write::InsertFactor(factor.clone()));
        change.push(Write::InsertBackupCodes {
            factor_id: factor_id.clone(),
            code_hashes: hashes,
        });
        let mut active_after: Vec<Factor> = factors
            .into_iter()
            .filter(|f| Some(&f.id) != existing.as_ref().map(|e| &e.id))
            .collect();
        active_after.push(factor);
        let finished = self
            .finish_enrolment(
                auth,
                active_after,
                factor_id,
                change,
                what,
                FactorKind::BackupCodes.method(),
            )
            .await?;
        Ok(NewBackupCodes {
            factor_id: finished.factor_id,
            codes,
            next: finished.next,
            session_token: finished.session_token,
        })
    }

    /// The account's confirmed factors.
    pub async fn list_factors(&self, auth: &AuthSession) -> DomainResult<Vec<FactorSummary>> {
        let factors = self.core.store.factors(&auth.account.id).await?;
        let mut out = Vec::new();
        for factor in factors.into_iter().filter(|f| f.confirmed_at.is_some()) {
            let codes_left = match factor.kind {
                FactorKind::BackupCodes => {
                    Some(self.core.store.backup_codes_left(&factor.id).await?)
                }
                _ => None,
            };
            out.push(FactorSummary {
                id: factor.id,
                kind: factor.kind,
                label: factor.label,
                created_at: factor.created_at,
                last_used_at: factor.last_used_at,
                status: if factor.disabled_at.is_some() {
                    "disabled"
                } else {
                    "active"
                },
                codes_left,
            });
        }
        Ok(out)
    }

    /// Remove a factor. Needs a second factor entered recently; the last active factor stays.
    pub async fn delete_factor(&self, auth: &AuthSession, factor_id: &str) -> DomainResult<()> {
        if auth.session.stage != SessionStage::Authenticated {
            return Err(DomainError::WrongStep {
                next: Next::SecondFactor,
                message_id: "step-second-factor-first",
            });
        }
        Sessions::new(self.core).require_fresh_factor(auth)?;
        let factors = self.core.store.factors(&auth.account.id).await?;
        let factor = factors
            .iter()
            .find(|f| f.id == factor_id)
            .ok_or(DomainError::NotFound("error-no-signin-method-id-your"))?;
        let others_active = factors
            .iter()
            .filter(|f| f.id != factor.id && f.is_active())
            .count();
        if factor.is_active() && others_active == 0 {
            return Err(DomainError::Conflict("error-your-only-signin-method-so"));
        }
        let what = FactorChange::new("factor-removed", factor.label.clone());
        let mut change = Change::new().with(Write::DeleteFactor {
            factor_id: factor.id.clone(),
        });
        if factor.confirmed_at.is_some() {
            change.push(
                self.core
                    .event(&auth.account.id, "factor_removed", what.words(Lang::En)),
            );
            self.core.enqueue_security_email(
                &mut change,
                &auth.account.id,
                messages::factor_changed(
                    auth.account.language,
                    &self.core.account_email(&auth.account)?,
                    &what,
                ),
            )?;
        }
        self.core.commit(change).await
    }
}

pub(super) fn pending_factor<'a>(
    factors: &'a [Factor],
    factor_id: &str,
    kind: FactorKind,
) -> DomainResult<&'a Factor> {
    let factor = factors
        .iter()
        .find(|f| f.id == factor_id && f.kind == kind)
        .ok_or(DomainError::NotFound("error-no-signin-method-being-set"))?;
    if factor.confirmed_at.is_some() {
        return Err(DomainError::Conflict("error-signin-method-already-set-up"));
    }
    Ok(factor)
}

pub(super) fn clean_label(label: Option<&str>, default: &str) -> DomainResult<String> {
    let label = label
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .unwrap_or(default);
    if label.chars().count() > 40 || label.chars().any(char::is_control) {
        return Err(DomainError::invalid("label", Text::new("error-label")));
    }
    Ok(label.to_owned())
}

/// E.164: `+` and 8 to 15 digits; US numbers may be typed as 10 digits (or 11 with a 1).
pub fn normalise_phone(input: &str) -> DomainResult<String> {
    let digits: String = input.chars().filter(char::is_ascii_digit).collect();
    let allowed = input
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let e164 = if !allowed {
        None
    } else if input.trim_start().starts_with('+') {
        (8..=15)
            .contains(&digits.len())
            .then(|| format!("+{digits}"))
    } else if digits.len() == 10 {
        Some(format!("+1{digits}"))
    } else if digits.len() == 11 && digits.starts_with('1') {
        Some(format!("+{digits}"))
    } else {
        None
    };
    e164.ok_or_else(|| DomainError::invalid("phone", Text::new("error-phone")))
}

#[cfg(test)]
mod tests {
    use super::normalise_phone;

    #[test]
    fn phones_normalise_to_e164() {
        assert_eq!(normalise_phone("(202) 555-0143").unwrap(), "+12025550143");
        assert_eq!(normalise_phone("1 202 555 0143").unwrap(), "+12025550143");
        assert_eq!(
            normalise_phone("+44 20 7946 0958").unwrap(),
            "+442079460958"
        );
        assert!(normalise_phone("555-0143").is_err());
        assert!(normalise_phone("202555014x").is_err());
    }
}
