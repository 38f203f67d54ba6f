//! Admins helping a person with their account: lift a sign-in lock (too many wrong
//! codes), end every session (a device lost or shared), and turn the account off (every
//! session ended, no sign-in of any kind) and on again. Each is done by an admin
//! (through `Roles::require_staff`: a fresh staff session, a passkey or an authenticator
//! app, never one's own account) or at the console (`secure-access accounts …`), with a
//! reason, and is written in the same change to the person's history and the audit log
//! (who, whom, what, when, why, and whether by the admin console or the console).

use serde_json::json;

use super::core::Core;
use super::roles::{RoleAdmin, Roles, checked_reason};
use super::staff::Staff;
use crate::staff::ADMIN;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

#[derive(Clone, Copy)]
pub struct AccountHelp<'a> {
    core: &'a Core,
}

impl<'a> AccountHelp<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl AccountHelp<'_> {
    /// The account named `username` (for the console, which is given names).
    pub async fn account_id_of(&self, username: &str) -> DomainResult<String> {
        let username = super::core::normalise_username(username);
        self.core
            .store
            .account_by_username(&username)
            .await?
            .map(|account| account.id)
            .ok_or(DomainError::NotFound("error-no-account-username"))
    }

    /// The admin gate for `account_id` (an admin's; the console has none), the reason
    /// (required), and the account.
    async fn prepare(
        &self,
        by: RoleAdmin<'_>,
        account_id: &str,
        reason: Option<&str>,
    ) -> DomainResult<(crate::model::Account, String)> {
        if let RoleAdmin::Admin(auth) = by {
            Roles::new(self.core)
                .require_staff(auth, ADMIN, Some(account_id))
                .await?;
        }
        let reason = checked_reason(reason)?.ok_or_else(|| {
            DomainError::invalid("reason", "Say why (one line, no personal data).")
        })?;
        let account = Staff::new(self.core).subject_account(account_id).await?;
        Ok((account, reason))
    }

    /// Lift the lock that wrong second-factor codes put on sign-in. `false` when the
    /// account was not locked (nothing is written).
    pub async fn unlock(
        &self,
        by: RoleAdmin<'_>,
        account_id: &str,
        reason: Option<&str>,
    ) -> DomainResult<bool> {
        let (account, reason) = self.prepare(by, account_id, reason).await?;
        let now = self.core.now();
        let Some(until) = account.code_locked_until.filter(|until| *until > now) else {
            return Ok(false);
        };
        let change = Change::new()
            .with(Write::ResetCodeFailures {
                account_id: account.id.clone(),
                clear_lock_until: Some(until),
            })
            .with(self.core.event(
                &account.id,
                "unlocked_by_staff",
                "A staff member lifted the lock on your sign-in",
            ))
            .with(self.audit(by, "staff.account_unlocked", &account.id, reason));
        self.core.commit(change).await?;
        Ok(true)
    }

    /// Turn the account off: every session ends and no sign-in works (password,
    /// passkey, temporary password, recovery) until it is turned on again. The person
    /// is told by email.
    pub async fn disable(
        &self,
        by: RoleAdmin<'_>,
        account_id: &str,
        reason: Option<&str>,
    ) -> DomainResult<()> {
        let (account, reason) = self.prepare(by, account_id, reason).await?;
        if account.disabled_at.is_some() {
            return Err(DomainError::Conflict("error-account-already-turned-off"));
        }
        let mut change = Change::new()
            .with(Write::SetAccountDisabled {
                account_id: account.id.clone(),
                disabled_at: Some(self.core.now()),
            })
            .with(Write::EndAllSessions {
                account_id: account.id.clone(),
            })
            .with(self.core.event(
                &account.id,
                "disabled_by_staff",
                "A staff member turned your account off and signed you out everywhere",
            ))
            .with(self.audit(by, "staff.account_disabled", &account.id, reason));
        if let Ok(email) = self.core.account_email(&account) {
            self.core.enqueue(
                &mut change,
                &crate::messages::account_disabled(account.language, &email),
            )?;
        }
        self.core.commit(change).await
    }

    /// Turn a turned-off account on again.
    pub async fn enable(
        &self,
        by: RoleAdmin<'_>,
        account_id: &str,
        reason: Option<&str>,
    ) -> DomainResult<()> {
        let (account, reason) = self.prepare(by, account_id, reason).await?;
        if account.disabled_at.is_none() {
            return Err(DomainError::Conflict("error-account-not-turned-off"));
        }
        let mut change = Change::new()
            .with(Write::SetAccountDisabled {
                account_id: account.id.clone(),
                disabled_at: None,
            })
            .with(self.core.event(
                &account.id,
                "enabled_by_staff",
                "A staff member turned your account on again",
            ))
            .with(self.audit(by, "staff.account_enabled", &account.id, reason));
        if let Ok(email) = self.core.account_email(&account) {
            self.core.enqueue(
                &mut change,
                &crate::messages::account_enabled(account.language, &email),
            )?;
        }
        self.core.commit(change).await
    }

    /// End every session of the account (it signs in again everywhere), and every
    /// token an app holds for it (a caller reporting a stolen device wants apps cut off
    /// too; they ask the person to sign in again).
    pub async fn end_sessions(
        &self,
        by: RoleAdmin<'_>,
        account_id: &str,
        reason: Option<&str>,
    ) -> DomainResult<()> {
        let (account, reason) = self.prepare(by, account_id, reason).await?;
        let change = Change::new()
            .with(Write::EndAllSessions {
                account_id: account.id.clone(),
            })
            .with(self.core.event(
                &account.id,
                "sessions_ended_by_staff",
                "A staff member signed you out everywhere",
            ))
            .with(self.audit(by, "staff.sessions_ended", &account.id, reason));
        self.core.commit(change).await
    }
}

impl AccountHelp<'_> {
    /// The audit entry of a help given: the admin (or `system` at the console), the
    /// account, the reason, and by which console.
    fn audit(&self, by: RoleAdmin<'_>, action: &str, subject: &str, reason: String) -> Write {
        let (actor, via) = by.actor_and_via();
        self.core.audit(
            actor,
            action,
            Some(subject),
            json!({"reason": reason, "via": via}),
        )
    }
}
