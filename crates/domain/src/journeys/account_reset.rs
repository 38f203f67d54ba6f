//! Lost every sign-in method, on an account without a verified identity: an account
//! reset that waits (24 hours by default) while the email address and every phone on the
//! account are told and can cancel it with the "this wasn't me" link. Once it is ready,
//! the person (password again, then this) clears the old methods and sets up new ones.
//!
//! An account with a verified identity never gets this path: a password thief could
//! wait out an owner who is away. It keeps its backup codes, other factors and the help
//! desk (which verifies the person before restoring access).

use sa_i18n::Text;
use time::Duration;

use super::core::RequestContext;
use super::recovery::Recovery;
use super::sessions::{AuthSession, Sessions};
use crate::clock::{rfc3339, seconds_until};
use crate::limits::IpAction;
use crate::messages;
use crate::model::{AccountReset, Next, SessionStage, new_id};
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

/// A finished account reset: a new session that sets up a sign-in method.
#[derive(Debug)]
pub struct AccountResetDone {
    pub session_token: String,
    pub next: Next,
}

impl Recovery<'_> {
    /// Only a session that has entered the password and not yet a second factor.
    fn require_password_only(&self, auth: &AuthSession) -> DomainResult<()> {
        if auth.session.stage != SessionStage::PasswordVerified {
            return Err(DomainError::Conflict(
                "error-account-reset-someone-who-entered",
            ));
        }
        if auth.account.identity_verified_at.is_some() {
            return Err(DomainError::Conflict(
                "error-your-identity-verified-so-your",
            ));
        }
        Ok(())
    }

    /// The account's reset in progress, if any.
    pub async fn account_reset(&self, auth: &AuthSession) -> DomainResult<Option<AccountReset>> {
        Ok(self
            .core
            .store
            .latest_account_reset(&auth.account.id)
            .await?
            .filter(AccountReset::is_open))
    }

    /// Start an account reset (or answer the one already waiting). The email address
    /// and every phone on the account are told at once, with a link that cancels it.
    pub async fn start_account_reset(
        &self,
        auth: &AuthSession,
        ctx: &RequestContext,
    ) -> DomainResult<AccountReset> {
        self.require_password_only(auth)?;
        if let Some(open) = self.account_reset(auth).await? {
            return Ok(open);
        }
        self.core.limit_ip(ctx.ip, IpAction::Recovery).await?;
        let now = self.core.now();
        let account_id = &auth.account.id;
        let reset = AccountReset {
            id: new_id(now),
            account_id: account_id.clone(),
            started_at: now,
            ready_at: now + Duration::seconds(self.core.limits().account_reset_delay_secs),
            cancelled_at: None,
            completed_at: None,
        };
        let ready_at = reset.ready_at;
        let ready_on = rfc3339(ready_at);
        let lang = auth.account.language;
        let mut change = Change::new().with(Write::InsertAccountReset(reset.clone()));
        let email = self.core.account_email(&auth.account)?;
        self.core
            .announce_recovery(
                &mut change,
                account_id,
                messages::account_reset_started(lang, &email, ready_at),
                |phone| messages::account_reset_started_sms(lang, phone, ready_at),
            )
            .await?;
        change.push(self.core.event(
            account_id,
            "account_reset_started",
            format!("Account reset started: sign-in methods will be removed after {ready_on} unless cancelled"),
        ));
        change.push(self.core.audit(
            crate::audit::applicant_actor(account_id),
            "account.reset_started",
            Some(account_id),
            serde_json::json!({ "ready_at": ready_on }),
        ));
        self.core.commit(change).await?;
        Ok(reset)
    }

    /// Finish a reset whose wait is over: every old sign-in method is removed, every
    /// session ends, and a new session sets up a method.
    pub async fn complete_account_reset(
        &self,
        auth: &AuthSession,
        ctx: &RequestContext,
    ) -> DomainResult<AccountResetDone> {
        self.require_password_only(auth)?;
        let Some(reset) = self.account_reset(auth).await? else {
            return Err(DomainError::NotFound("error-no-account-reset-in-progress"));
        };
        let now = self.core.now();
        if now < reset.ready_at {
            return Err(DomainError::NotYet {
                retry_after_secs: seconds_until(now, reset.ready_at),
                message: Text::new("error-reset-waiting").with("when", rfc3339(reset.ready_at)),
            });
        }
        let account_id = &auth.account.id;
        let change = Change::new()
            .with(Write::CompleteAccountReset {
                reset_id: reset.id,
                at: now,
            })
            .with(self.core.event(
                account_id,
                "account_reset_completed",
                "Account reset: every sign-in method was removed and every device signed out",
            ))
            .with(self.core.audit(
                crate::audit::applicant_actor(account_id),
                "account.reset_completed",
                Some(account_id),
                serde_json::json!({}),
            ));
        let told = messages::account_reset_done(
            auth.account.language,
            &self.core.account_email(&auth.account)?,
        );
        self.start_over(change, auth, ctx, told).await
    }

    /// Finish a recovery whose own writes are in `change`: every old sign-in method is
    /// removed and every session ends (in the same commit), `told` goes out as a
    /// security email, and a new session sets up a method.
    pub(super) async fn start_over(
        &self,
        mut change: Change,
        auth: &AuthSession,
        ctx: &RequestContext,
        told: crate::model::Message,
    ) -> DomainResult<AccountResetDone> {
        let account_id = &auth.account.id;
        let (session_token, session) =
            Sessions::new(self.core).new_session(account_id, SessionStage::Enrolling, None, ctx);
        change.push(Write::DeleteAllFactors {
            account_id: account_id.clone(),
        });
        change.push(Write::EndAllSessions {
            account_id: account_id.clone(),
        });
        change.push(session);
        self.core
            .enqueue_security_email(&mut change, account_id, told)?;
        self.core.commit(change).await?;
        let next = self
            .core
            .next_step(&auth.account, &[], SessionStage::Enrolling)
            .await?;
        Ok(AccountResetDone {
            session_token,
            next,
        })
    }
}
