//! Staff roles: the one gate every staff and admin action passes (`require_staff`: a
//! session that entered its second factor within 15 idle minutes, holding the role,
//! with an authenticator app, never on the staff member's own account), and their
//! administration (`secure-access staff add|remove|list`, over the same code an admin
//! console will call): granting and revoking (never the last admin), each in the audit
//! log and the person's history, and the list of staff.

use serde_json::json;

use super::core::Core;
use super::sessions::AuthSession;
use crate::audit::{SYSTEM_ACTOR, staff_actor};
use crate::model::{FactorKind, SessionStage};
use crate::staff::StaffMember;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

/// The staff-role gate and role grants.
#[derive(Clone, Copy)]
pub struct Roles<'a> {
    core: &'a Core,
}

impl<'a> Roles<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl Roles<'_> {
    /// The session is fully signed in (second factor entered) and the account holds
    /// `role`; staff act only through such sessions.
    pub async fn require_role(&self, auth: &AuthSession, role: &str) -> DomainResult<()> {
        self.require_any_role(auth, &[role]).await
    }

    /// The session is fully signed in (second factor entered) and the account holds at
    /// least one of `roles`.
    pub async fn require_any_role(&self, auth: &AuthSession, roles: &[&str]) -> DomainResult<()> {
        if auth.session.stage != SessionStage::Authenticated {
            return Err(DomainError::Forbidden("error-sign-in-your-second-factor"));
        }
        let held = self.core.store.staff_roles(&auth.account.id).await?;
        if held.iter().any(|r| roles.contains(&r.as_str())) {
            Ok(())
        } else {
            Err(DomainError::Forbidden("error-your-account-does-not-have"))
        }
    }

    /// A fully signed-in staff session holding `role`, with a passkey or an
    /// authenticator app (no SMS-only staff), acting on someone else's account. An admin
    /// who has a passkey must have signed in with it (`passkey_required` otherwise).
    pub async fn require_staff(
        &self,
        auth: &AuthSession,
        role: &str,
        subject: Option<&str>,
    ) -> DomainResult<()> {
        if auth.idle_secs >= STAFF_IDLE_SECS {
            return Err(DomainError::Unauthenticated);
        }
        self.require_role(auth, role).await?;
        let factors = self.core.store.factors(&auth.account.id).await?;
        let has = |kind| factors.iter().any(|f| f.is_active() && f.kind == kind);
        if !has(FactorKind::Totp) && !has(FactorKind::Passkey) {
            return Err(DomainError::Forbidden("error-staff-must-set-up-passkey"));
        }
        // An admin with a passkey uses it: a relayed code must not reach admin tools.
        if role == crate::staff::ADMIN
            && has(FactorKind::Passkey)
            && !auth.session.phishing_resistant()
        {
            return Err(DomainError::PasskeyRequired);
        }
        if subject == Some(auth.account.id.as_str()) {
            return Err(DomainError::Forbidden("error-staff-cannot-act-their-own"));
        }
        Ok(())
    }

    /// Give `role` to the account named `username` (`secure-access staff add`, or an
    /// admin). Recorded in the audit log (who, whom, what, when, why) and in the
    /// person's history. Roles: `help_desk`, `assistance_center`, `admin`.
    pub async fn grant_staff_role(
        &self,
        by: RoleAdmin<'_>,
        username: &str,
        role: &str,
        reason: Option<&str>,
    ) -> DomainResult<()> {
        let RoleChange {
            role,
            reason,
            account,
        } = self.role_change(by, username, role, reason).await?;
        let now = self.core.now();
        let change = Change::new()
            .with(Write::GrantStaffRole {
                account_id: account.id.clone(),
                role: role.to_owned(),
                at: now,
            })
            .with(self.core.event(
                &account.id,
                "staff_role_granted",
                format!("Staff role {role} granted"),
            ))
            .with(self.audit(by, "staff.role_granted", &account.id, role, reason));
        self.core.commit(change).await
    }

    /// Take `role` away from the account named `username` (`secure-access staff
    /// remove`, or an admin): never an admin's own, never the last admin. Audited like
    /// a grant.
    pub async fn revoke_staff_role(
        &self,
        by: RoleAdmin<'_>,
        username: &str,
        role: &str,
        reason: Option<&str>,
    ) -> DomainResult<()> {
        let RoleChange {
            role,
            reason,
            account,
        } = self.role_change(by, username, role, reason).await?;
        let held = self.core.store.staff_roles(&account.id).await?;
        if !held.iter().any(|r| r == role) {
            return Err(DomainError::NotFound("error-account-does-not-have-role"));
        }
        if role == crate::staff::ADMIN {
            let admins = self
                .core
                .store
                .staff_members()
                .await?
                .iter()
                .filter(|m| m.roles.iter().any(|(r, _)| r == crate::staff::ADMIN))
                .count();
            if admins <= 1 {
                return Err(DomainError::Conflict("error-last-admin-give-admin-role"));
            }
        }
        let change = Change::new()
            .with(Write::RevokeStaffRole {
                account_id: account.id.clone(),
                role: role.to_owned(),
            })
            .with(self.core.event(
                &account.id,
                "staff_role_revoked",
                format!("Staff role {role} removed"),
            ))
            .with(self.audit(by, "staff.role_revoked", &account.id, role, reason));
        self.core.commit(change).await
    }

    /// Everyone holding a staff role, with roles and last sign-in (`staff list`, or an
    /// admin).
    pub async fn staff_members(&self, by: RoleAdmin<'_>) -> DomainResult<Vec<StaffMember>> {
        if let RoleAdmin::Admin(auth) = by {
            self.require_staff(auth, crate::staff::ADMIN, None).await?;
        }
        Ok(self.core.store.staff_members().await?)
    }

    /// What a grant or removal is about, checked: first the actor (an admin learns
    /// nothing from input errors before the role is checked), then a known role, a
    /// reason of one line, an existing account, never an admin's own.
    async fn role_change(
        &self,
        by: RoleAdmin<'_>,
        username: &str,
        role: &str,
        reason: Option<&str>,
    ) -> DomainResult<RoleChange> {
        self.require_admin(by, None).await?;
        let role = known_role(role)?;
        let reason = checked_reason(reason)?;
        let account = self.account_named(username).await?;
        self.require_admin(by, Some(&account.id)).await?;
        Ok(RoleChange {
            role,
            reason,
            account,
        })
    }

    async fn account_named(&self, username: &str) -> DomainResult<crate::model::Account> {
        self.core
            .store
            .account_by_username(&super::core::normalise_username(username))
            .await?
            .ok_or(DomainError::NotFound("error-no-account-username"))
    }

    /// The console may always. An admin: the staff gate with the admin role, a second
    /// factor entered within `limits.reauthentication_secs` (15 minutes), and never
    /// their own account (`subject`).
    async fn require_admin(&self, by: RoleAdmin<'_>, subject: Option<&str>) -> DomainResult<()> {
        match by {
            RoleAdmin::Console => Ok(()),
            RoleAdmin::Admin(auth) => {
                self.require_staff(auth, crate::staff::ADMIN, subject)
                    .await?;
                super::sessions::Sessions::new(self.core).require_fresh_factor(auth)
            }
        }
    }

    fn audit(
        &self,
        by: RoleAdmin<'_>,
        action: &str,
        subject: &str,
        role: &str,
        reason: Option<String>,
    ) -> Write {
        let (actor, via) = by.actor_and_via();
        self.core.audit(
            actor,
            action,
            Some(subject),
            json!({"role": role, "via": via, "reason": reason}),
        )
    }
}

/// A checked grant or removal.
struct RoleChange {
    role: &'static str,
    reason: Option<String>,
    account: crate::model::Account,
}

/// Who administers staff roles: the console (whoever runs a command there holds the
/// database and the keys) or an admin signed in.
#[derive(Clone, Copy)]
pub enum RoleAdmin<'s> {
    Console,
    Admin(&'s AuthSession),
}

impl RoleAdmin<'_> {
    /// The audit log's actor (`system` at the console) and `via`.
    pub(super) fn actor_and_via(self) -> (String, &'static str) {
        match self {
            RoleAdmin::Console => (SYSTEM_ACTOR.to_owned(), "console"),
            RoleAdmin::Admin(auth) => (staff_actor(&auth.account.id), "admin_console"),
        }
    }
}

fn known_role(role: &str) -> DomainResult<&'static str> {
    STAFF_ROLES
        .iter()
        .find(|r| **r == role.trim())
        .copied()
        .ok_or_else(|| {
            DomainError::invalid(
                "role",
                "Role must be help_desk, assistance_center or admin.",
            )
        })
}

/// The longest reason kept with a staff-administration entry.
pub const REASON_MAX_CHARS: usize = 200;

/// A reason as typed: trimmed, at most [`REASON_MAX_CHARS`], no control characters.
pub(crate) fn checked_reason(reason: Option<&str>) -> DomainResult<Option<String>> {
    let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    if reason.chars().count() > REASON_MAX_CHARS || reason.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            "reason",
            format!(
                "Give the reason in one line of at most {REASON_MAX_CHARS} characters (no personal data)."
            ),
        ));
    }
    Ok(Some(reason.to_owned()))
}

/// The staff roles.
pub const STAFF_ROLES: [&str; 3] = ["help_desk", "assistance_center", "admin"];

/// Staff sessions end after this many idle seconds, whatever `session_idle_secs` says.
pub const STAFF_IDLE_SECS: i64 = 15 * 60;
