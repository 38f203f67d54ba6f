//! One-time codes for every journey (email confirmation, text messages at sign-in,
//! phone enrolment and proofing): issuing one (the old ones retired, only a keyed
//! fingerprint stored, the message queued in the same change), limiting how many are
//! sent, and checking a typed code (each try counted before it is checked).

use sa_i18n::Lang;
use time::Duration;

use super::core::Core;
use crate::clock::seconds_until;
use crate::codes::{self, CodePurpose};
use crate::messages;
use crate::model::OneTimeCode;
use crate::model::new_id;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

impl Core {
    /// Fingerprint of a one-time code, bound to its purpose and account.
    pub(super) fn code_fingerprint(&self, purpose: &str, account_id: &str, code: &str) -> String {
        codes::fingerprint(&self.keys, &format!("code.{purpose}.{account_id}"), code)
    }

    /// A new 6-digit code of `purpose` for the account, valid `ttl_secs`: earlier unused
    /// ones of the same purpose are retired and only its fingerprint is written. Returns
    /// the clear code, for the message that carries it.
    pub(super) fn issue_code(
        &self,
        change: &mut Change,
        account_id: &str,
        purpose: &str,
        factor_id: Option<&str>,
        ttl_secs: i64,
    ) -> String {
        let now = self.now();
        let code = codes::numeric_code();
        change.push(Write::RetireCodes {
            account_id: account_id.to_owned(),
            purpose: purpose.to_owned(),
            at: now,
        });
        change.push(Write::InsertCode(OneTimeCode {
            id: new_id(now),
            account_id: account_id.to_owned(),
            purpose: purpose.to_owned(),
            factor_id: factor_id.map(str::to_owned),
            code_hash: self.code_fingerprint(purpose, account_id, &code),
            created_at: now,
            expires_at: now + Duration::seconds(ttl_secs),
            used_at: None,
            attempts: 0,
        }));
        code
    }

    /// A new email-confirmation code, emailed to `email` in `language`.
    pub(super) fn push_email_code(
        &self,
        change: &mut Change,
        account_id: &str,
        email: &str,
        language: Lang,
    ) -> DomainResult<()> {
        let ttl = self.limits().email_code_ttl_secs;
        let purpose = CodePurpose::EmailConfirmation.as_str();
        let code = self.issue_code(change, account_id, purpose, None, ttl);
        self.enqueue(
            change,
            &messages::email_confirmation(language, email, &code, ttl / 3600),
        )
    }

    /// A new code of `code_purpose` for the phone factor `factor_id`, texted to `phone`.
    pub(super) fn push_sms_code(
        &self,
        change: &mut Change,
        account_id: &str,
        factor_id: &str,
        phone: &str,
        code_purpose: CodePurpose,
        language: Lang,
    ) -> DomainResult<()> {
        let ttl = self.limits().sms_code_ttl_secs;
        let purpose = code_purpose.as_str();
        let code = self.issue_code(change, account_id, purpose, Some(factor_id), ttl);
        self.enqueue(
            change,
            &messages::sms_code(language, phone, &code, ttl / 60, purpose),
        )
    }

    /// Refuse a new code when the account asked for too many in the send window.
    pub(super) async fn limit_code_sends(
        &self,
        account_id: &str,
        purpose: &str,
    ) -> DomainResult<()> {
        let now = self.now();
        let window = Duration::seconds(self.limits().sms_send_window_secs);
        let sent = self
            .store
            .codes_created_since(account_id, purpose, now - window)
            .await?;
        if sent >= self.limits().sms_sends_per_window {
            return Err(DomainError::RateLimited {
                retry_after_secs: seconds_until(now, now + window),
            });
        }
        Ok(())
    }

    /// Check a typed one-time code against the newest code of `purpose`. A wrong code
    /// counts an attempt (and the change is committed here); the caller consumes a
    /// correct one in its own change.
    pub(super) async fn check_one_time_code(
        &self,
        account_id: &str,
        purpose: &str,
        factor_id: Option<&str>,
        typed: &str,
        max_attempts: i64,
    ) -> DomainResult<crate::model::OneTimeCode> {
        let now = self.now();
        let stored = self
            .store
            .latest_code(account_id, purpose, factor_id)
            .await?
            .ok_or(DomainError::CodeExpired)?;
        if stored.attempts >= max_attempts {
            return Err(DomainError::CodeAttemptsExhausted);
        }
        // Count the try before checking it, then read the count back: parallel guesses
        // can never get more than `max_attempts` checked.
        if stored.used_at.is_none() {
            self.store
                .apply(Change::new().with(Write::CountCodeAttempt {
                    code_id: stored.id.clone(),
                }))
                .await?;
            let counted = self
                .store
                .latest_code(account_id, purpose, factor_id)
                .await?
                .filter(|c| c.id == stored.id)
                .map_or(i64::MAX, |c| c.attempts);
            if counted > max_attempts {
                return Err(DomainError::CodeAttemptsExhausted);
            }
        }
        let matches = codes::normalise_numeric(typed).is_some_and(|digits| {
            let typed_hash = self.code_fingerprint(purpose, account_id, &digits);
            crate::keys::constant_time_eq(typed_hash.as_bytes(), stored.code_hash.as_bytes())
        });
        if !matches {
            return Err(DomainError::InvalidCode);
        }
        if stored.used_at.is_some() {
            return Err(DomainError::CodeAlreadyUsed {
                message_id: "error-code-used-ask-new",
            });
        }
        if stored.expires_at <= now {
            return Err(DomainError::CodeExpired);
        }
        Ok(stored)
    }
}
