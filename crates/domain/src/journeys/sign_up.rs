//! Sign-up: username, email and password create an account and an enrolling session;
//! a 6-digit code sent by email (24 hours, single use, attempt-limited) confirms the
//! address.

use time::Duration;

use super::{RequestContext, Services, normalise_username, purpose, seconds_until};
use crate::codes::{self, CodePurpose};
use crate::limits::IpAction;
use crate::messages;
use crate::model::{Account, Next, OneTimeCode, SessionStage, new_id};
use crate::password::check_new_password;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

use super::AuthSession;

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 64;
pub const EMAIL_MAX: usize = 254;

#[derive(Debug)]
pub struct SignedUp {
    pub account_id: String,
    pub session_token: String,
    pub next: Next,
}

fn check_username(input: &str) -> DomainResult<String> {
    let username = normalise_username(input);
    let chars = username.chars().count();
    if !(USERNAME_MIN..=USERNAME_MAX).contains(&chars) {
        return Err(DomainError::invalid(
            "username",
            format!("Your username must be {USERNAME_MIN} to {USERNAME_MAX} characters long."),
        ));
    }
    if !username
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+'))
    {
        return Err(DomainError::invalid(
            "username",
            "Your username may use letters, numbers and . _ - @ + only.",
        ));
    }
    Ok(username)
}

fn check_email(input: &str) -> DomainResult<String> {
    let email = input.trim();
    let valid = email.len() <= EMAIL_MAX
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(email.to_owned())
    } else {
        Err(DomainError::invalid(
            "email",
            "Enter an email address like name@example.com.",
        ))
    }
}

impl Services {
    /// Create an account. The email gets a confirmation code; the returned session may
    /// confirm the email and set up a second factor, nothing else.
    pub async fn sign_up(
        &self,
        username: &str,
        email: &str,
        password: &str,
        ctx: &RequestContext,
    ) -> DomainResult<SignedUp> {
        self.limit_ip(ctx.ip, IpAction::SignIn)?;
        let username = check_username(username)?;
        let email = check_email(email)?;
        let password = check_new_password(password, &username, &email)?;
        if self.store.account_by_username(&username).await?.is_some() {
            return Err(DomainError::UsernameTaken);
        }
        let password_hash = self.hasher.hash(password).await?;
        let now = self.now();
        let account = Account {
            id: new_id(now),
            username,
            email_sealed: self.keys.seal_str(purpose::EMAIL, &email)?,
            password_hash,
            created_at: now,
            email_confirmed_at: None,
            code_failures: 0,
            code_locked_until: None,
            identity_verified_at: None,
            identity_verified_by: None,
            password_change_required: false,
        };
        let account_id = account.id.clone();
        let mut change = Change::new().with(Write::InsertAccount(account));
        self.push_email_code(&mut change, &account_id, &email)?;
        let (session_token, session) =
            self.new_session(&account_id, SessionStage::Enrolling, None, ctx);
        change.push(session);
        change.push(Write::RememberDevice {
            account_id: account_id.clone(),
            device_hash: self
                .keys
                .fingerprint(purpose::DEVICE, ctx.device_key().as_bytes()),
            at: now,
        });
        change.push(self.event(&account_id, "account_created", "Account created"));
        self.commit(change).await?;
        Ok(SignedUp {
            account_id,
            session_token,
            next: Next::ConfirmEmail,
        })
    }

    fn push_email_code(
        &self,
        change: &mut Change,
        account_id: &str,
        email: &str,
    ) -> DomainResult<()> {
        let now = self.now();
        let code = codes::numeric_code();
        let purpose = CodePurpose::EmailConfirmation.as_str();
        change.push(Write::RetireCodes {
            account_id: account_id.to_owned(),
            purpose: purpose.to_owned(),
            at: now,
        });
        change.push(Write::InsertCode(OneTimeCode {
            id: new_id(now),
            account_id: account_id.to_owned(),
            purpose: purpose.to_owned(),
            factor_id: None,
            code_hash: self.code_fingerprint(purpose, account_id, &code),
            created_at: now,
            expires_at: now + Duration::seconds(self.limits().email_code_ttl_secs),
            used_at: None,
            attempts: 0,
        }));
        let hours = self.limits().email_code_ttl_secs / 3600;
        self.enqueue(change, &messages::email_confirmation(email, &code, hours))
    }

    /// Fingerprint of a one-time code, bound to its purpose and account.
    pub(super) fn code_fingerprint(&self, purpose: &str, account_id: &str, code: &str) -> String {
        codes::fingerprint(&self.keys, &format!("code.{purpose}.{account_id}"), code)
    }

    /// Confirm the email address with the emailed code.
    pub async fn confirm_email(&self, auth: &AuthSession, code: &str) -> DomainResult<Next> {
        let account = &auth.account;
        let factors = self.store.factors(&account.id).await?;
        if account.email_confirmed_at.is_some() {
            return self.next_step(account, &factors, auth.session.stage).await;
        }
        let purpose = CodePurpose::EmailConfirmation.as_str();
        let stored = self
            .check_one_time_code(
                &account.id,
                purpose,
                None,
                code,
                self.limits().email_code_attempts,
            )
            .await?;
        let now = self.now();
        let change = Change::new()
            .with(Write::ConsumeCode {
                code_id: stored.id,
                at: now,
            })
            .with(Write::ConfirmEmail {
                account_id: account.id.clone(),
                at: now,
            })
            .with(self.event(&account.id, "email_confirmed", "Email address confirmed"));
        self.commit(change).await?;
        let confirmed = crate::model::Account {
            email_confirmed_at: Some(now),
            ..account.clone()
        };
        self.next_step(&confirmed, &factors, auth.session.stage)
            .await
    }

    /// Send a new email confirmation code (the old one stops working).
    pub async fn resend_email_code(
        &self,
        auth: &AuthSession,
        ctx: &RequestContext,
    ) -> DomainResult<()> {
        let account = &auth.account;
        if account.email_confirmed_at.is_some() {
            return Err(DomainError::Conflict(
                "Your email address is already confirmed.",
            ));
        }
        self.limit_ip(ctx.ip, IpAction::CodeSend)?;
        self.limit_code_sends(&account.id, CodePurpose::EmailConfirmation.as_str())
            .await?;
        let email = self.account_email(account)?;
        let mut change = Change::new();
        self.push_email_code(&mut change, &account.id, &email)?;
        self.commit(change).await
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
                hint: "Ask for a new code.",
            });
        }
        if stored.expires_at <= now {
            return Err(DomainError::CodeExpired);
        }
        Ok(stored)
    }
}
