//! Lost every sign-in method, on an account with a verified identity: a recovery code
//! mailed to the address of record (the latest return of the SSN the account was
//! verified with, never an address typed now). Entering it removes every old sign-in
//! method, ends every session and lets the person set up a new one. Asking for it is
//! told at once to the email address and every phone on the account, with the "this
//! wasn't me" link, which cancels the code.
//!
//! Someone with only the password gets a letter sent to the owner's house; someone
//! with breach data but not the password cannot ask at all.

use time::Duration;

use super::account_reset::AccountResetDone;
use super::core::RequestContext;
use super::letters::{LetterQueued, Letters};
use super::recovery::Recovery;
use super::sessions::AuthSession;
use crate::clock::seconds_until;
use crate::limits::IpAction;
use crate::messages;
use crate::model::SessionStage;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

impl Recovery<'_> {
    /// Only after the password, with no second factor yet, on a verified account.
    pub(super) fn require_verified_password_only(&self, auth: &AuthSession) -> DomainResult<()> {
        if auth.session.stage != SessionStage::PasswordVerified {
            return Err(DomainError::Conflict(
                "error-recovery-mail-someone-who-entered",
            ));
        }
        if auth.account.identity_verified_at.is_none() {
            return Err(DomainError::Conflict(
                "error-your-identity-isnt-verified-so",
            ));
        }
        Ok(())
    }

    /// Mail a recovery code to the address of record.
    pub async fn request_recovery_letter(
        &self,
        auth: &AuthSession,
        ctx: &RequestContext,
    ) -> DomainResult<LetterQueued> {
        self.require_verified_password_only(auth)?;
        self.core.limit_ip(ctx.ip, IpAction::Recovery).await?;
        let account_id = &auth.account.id;
        let ssn = self
            .core
            .store
            .proofing_case(account_id)
            .await?
            .and_then(|case| self.core.case_ssn(&case))
            .ok_or(DomainError::Conflict("error-we-have-no-address-record"))?;
        let now = self.core.now();
        let letters = Letters::new(self.core);
        let window = match letters.claim_letter_window(account_id).await? {
            Ok(key) => key,
            Err(until) => {
                return Err(DomainError::RateLimited {
                    retry_after_secs: seconds_until(now, until),
                });
            }
        };
        let mut change = Change::new();
        let result = async {
            let queued = letters
                .push_letter(&mut change, &auth.account, &ssn)
                .await?;
            self.core
                .announce_recovery(
                    &mut change,
                    account_id,
                    messages::recovery_letter_requested(
                        auth.account.language,
                        &self.core.account_email(&auth.account)?,
                    ),
                    |phone| messages::recovery_started_sms(auth.account.language, phone),
                )
                .await?;
            change.push(self.core.event(
                account_id,
                "recovery_letter_requested",
                "Recovery code mailed to the address on your latest tax return",
            ));
            change.push(self.core.audit(
                crate::audit::applicant_actor(account_id),
                "account.recovery_letter_requested",
                Some(account_id),
                serde_json::json!({ "letter_id": queued.letter_id }),
            ));
            self.core.commit(change).await?;
            Ok(queued)
        }
        .await;
        if result.is_err() {
            // Nothing was mailed: the letter window is free again (best effort).
            let _ = self.core.uncount_in_window(&window).await;
        }
        result
    }

    /// Enter the mailed recovery code: every old sign-in method goes, every session
    /// ends, and a new session sets up a method.
    pub async fn confirm_recovery_letter(
        &self,
        auth: &AuthSession,
        code: &str,
        ctx: &RequestContext,
    ) -> DomainResult<AccountResetDone> {
        self.require_verified_password_only(auth)?;
        let account_id = &auth.account.id;
        let now = self.core.now();
        let limits = self.core.limits();
        let window = Duration::seconds(limits.letter_code_window_secs);
        let (started, tries) = self
            .core
            .count_in_window(&format!("recovery_letter:{account_id}"), window, now)
            .await?;
        if started > now - window && tries > limits.letter_code_attempts {
            return Err(DomainError::RateLimited {
                retry_after_secs: seconds_until(now, started + window),
            });
        }
        let verified_at = auth.account.identity_verified_at.unwrap_or(now);
        let letters: Vec<_> = self
            .core
            .store
            .letters_of(account_id)
            .await?
            .into_iter()
            .filter(|l| l.created_at >= verified_at)
            .collect();
        let letter = match Letters::new(self.core).letter_with_code(&letters, account_id, code) {
            Some(letter) if letter.is_usable(now) => letter.clone(),
            Some(_) => return Err(DomainError::CodeExpired),
            None => return Err(DomainError::InvalidCode),
        };
        let change = Change::new()
            .with(Write::MarkLetterActivated {
                letter_id: letter.id,
                at: now,
            })
            .with(Write::CancelAccountResets {
                account_id: account_id.clone(),
                at: now,
            })
            .with(self.core.event(
                account_id,
                "recovered_by_letter",
                "Recovered with the code mailed to your address of record: every earlier sign-in method was removed and every device signed out",
            ))
            .with(self.core.audit(
                crate::audit::applicant_actor(account_id),
                "account.recovered_by_letter",
                Some(account_id),
                serde_json::json!({}),
            ));
        let told = messages::account_recovered(
            auth.account.language,
            &self.core.account_email(&auth.account)?,
        );
        self.start_over(change, auth, ctx, told).await
    }

    /// The recovery letter waiting for its code, if any: when its code expires.
    pub async fn recovery_letter_expires(
        &self,
        auth: &AuthSession,
    ) -> DomainResult<Option<time::OffsetDateTime>> {
        let Some(verified_at) = auth.account.identity_verified_at else {
            return Ok(None);
        };
        let now = self.core.now();
        Ok(self
            .core
            .store
            .letters_of(&auth.account.id)
            .await?
            .into_iter()
            .find(|l| l.created_at >= verified_at && l.is_usable(now))
            .map(|l| l.expires_at))
    }
}
