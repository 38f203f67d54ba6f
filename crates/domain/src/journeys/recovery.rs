//! Account recovery without a session: a forgotten password (an emailed code, then a
//! new password). The "this wasn't me" link is in `disavow.rs`; the account reset for
//! someone who lost every sign-in method is in `account_reset.rs`.
//!
//! ```text
//!  request_password_reset(username) ── counted per IP and per username (existing or
//!     │  not); the same answer either way, the code written after the answer ──►
//!     │  code (15 min, 5 tries) emailed if the account exists and its email is confirmed
//!  confirm_password_reset(username, code, password) ── one refusal for every bad case
//!     └──► new Argon2id hash, code used, every session ended, history + email (with a
//!          "this wasn't me" link). The second factor is untouched: the next sign-in
//!          still asks for it, so the mailbox alone opens nothing.
//! ```

use sa_i18n::Text;
use time::Duration;

use super::core::{Core, RequestContext, normalise_username, purpose};
use crate::clock::seconds_until;
use crate::limits::IpAction;
use crate::messages;
use crate::password::check_new_password;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

/// The purpose of password-reset codes (part of their fingerprint).
pub(super) const PASSWORD_RESET: &str = "password_reset";

/// Recovery journeys: password reset, "this wasn't me", account reset.
#[derive(Clone, Copy)]
pub struct Recovery<'a> {
    pub(super) core: &'a Core,
}

impl<'a> Recovery<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl Recovery<'_> {
    /// Count one reset request or confirmation for `username` (whether or not it
    /// exists, so the limit itself reveals nothing).
    async fn limit_username(&self, kind: &str, username: &str, limit: i64) -> DomainResult<()> {
        let now = self.core.now();
        let key = format!(
            "reset:{kind}:{}",
            self.core
                .keys
                .fingerprint(purpose::USERNAME_COUNTER, username.as_bytes())
        );
        let window = Duration::seconds(self.core.limits().password_reset_window_secs);
        let (started, count) = self.core.count_in_window(&key, window, now).await?;
        if started > now - window && count > limit {
            return Err(DomainError::RateLimited {
                retry_after_secs: seconds_until(now, started + window),
            });
        }
        Ok(())
    }

    /// Email a password-reset code to the account's confirmed address. Answers the same
    /// whether or not the username exists.
    pub async fn request_password_reset(
        &self,
        username: &str,
        ctx: &RequestContext,
    ) -> DomainResult<()> {
        self.core.limit_ip(ctx.ip, IpAction::Recovery).await?;
        let username = normalise_username(username);
        if username.is_empty() {
            return Err(DomainError::invalid(
                "username",
                Text::new("error-enter-username"),
            ));
        }
        self.limit_username(
            "request",
            &username,
            self.core.limits().password_resets_per_window,
        )
        .await?;
        let Some(account) = self.core.store.account_by_username(&username).await? else {
            return Ok(());
        };
        if account.email_confirmed_at.is_none() {
            // The address was never confirmed: a code there could reach a stranger.
            return Ok(());
        }
        let email = self.core.account_email(&account)?;
        let ttl = self.core.limits().password_reset_code_ttl_secs;
        let mut change = Change::new();
        let code = self
            .core
            .issue_code(&mut change, &account.id, PASSWORD_RESET, None, ttl);
        self.core.enqueue_security_email(
            &mut change,
            &account.id,
            messages::password_reset_code(account.language, &email, &code, ttl / 60),
        )?;
        change.push(self.core.event(
            &account.id,
            "password_reset_requested",
            "A password reset code was emailed",
        ));
        // Written after the answer, so an existing username answers as fast as an
        // unknown one.
        self.core.commit_in_background(change);
        Ok(())
    }

    /// Set a new password with an emailed reset code. Every session ends; the second
    /// factor stays. Any refused code, or an unknown username, gets one answer.
    pub async fn confirm_password_reset(
        &self,
        username: &str,
        code: &str,
        new_password: &str,
        ctx: &RequestContext,
    ) -> DomainResult<()> {
        self.core.limit_ip(ctx.ip, IpAction::Recovery).await?;
        let username = normalise_username(username);
        self.limit_username(
            "confirm",
            &username,
            self.core.limits().password_reset_confirms_per_window,
        )
        .await?;
        let Some(account) = self.core.store.account_by_username(&username).await? else {
            return Err(DomainError::ResetCodeRefused);
        };
        let stored = match self
            .core
            .check_one_time_code(
                &account.id,
                PASSWORD_RESET,
                None,
                code,
                self.core.limits().password_reset_code_attempts,
            )
            .await
        {
            Ok(stored) => stored,
            Err(DomainError::Unavailable { detail }) => {
                return Err(DomainError::Unavailable { detail });
            }
            Err(_) => return Err(DomainError::ResetCodeRefused),
        };
        // The code is right: the password rules come next, and a refused password
        // leaves the code usable for a better one.
        let email = self.core.account_email(&account)?;
        let password = check_new_password(new_password, &account.username, &email)?;
        let hash = self.core.hasher.hash(password).await?;
        let now = self.core.now();
        let mut change = Change::new()
            .with(Write::ConsumeCode {
                code_id: stored.id,
                at: now,
            })
            .with(Write::ChangePassword {
                account_id: account.id.clone(),
                password_hash: hash,
            })
            .with(Write::EndAllSessions {
                account_id: account.id.clone(),
            })
            .with(self.core.event(
                &account.id,
                "password_reset",
                "Password reset with a code sent by email; every device was signed out",
            ))
            .with(self.core.audit(
                crate::audit::applicant_actor(&account.id),
                "account.password_reset",
                Some(&account.id),
                serde_json::json!({}),
            ));
        self.core.enqueue_security_email(
            &mut change,
            &account.id,
            messages::password_reset_done(account.language, &email),
        )?;
        self.core.commit(change).await
    }
}
