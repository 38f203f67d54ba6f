//! Staff roles: the one gate every staff and admin action passes (`require_staff`: a
//! session that entered its second factor within 15 idle minutes, holding the role,
//! with an authenticator app, never on the staff member's own account), and granting a
//! role (`secure-access staff add`).

use super::core::Core;
use super::sessions::AuthSession;
use crate::model::{FactorKind, SessionStage};
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
            return Err(DomainError::Forbidden(
                "Sign in with your second factor to use staff tools.",
            ));
        }
        let held = self.core.store.staff_roles(&auth.account.id).await?;
        if held.iter().any(|r| roles.contains(&r.as_str())) {
            Ok(())
        } else {
            Err(DomainError::Forbidden(
                "Your account does not have the role this needs.",
            ))
        }
    }

    /// A fully signed-in staff session holding `role`, with an authenticator app (no
    /// SMS-only staff), acting on someone else's account.
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
        if !factors
            .iter()
            .any(|f| f.is_active() && f.kind == FactorKind::Totp)
        {
            return Err(DomainError::Forbidden(
                "Staff must set up an authenticator app; text-message codes alone are not enough for staff tools.",
            ));
        }
        if subject == Some(auth.account.id.as_str()) {
            return Err(DomainError::Forbidden(
                "Staff cannot act on their own account.",
            ));
        }
        Ok(())
    }

    /// Give `role` to the account named `username` (the `secure-access staff add`
    /// command). Roles: `help_desk`, `assistance_center`, `admin`.
    pub async fn grant_staff_role(&self, username: &str, role: &str) -> DomainResult<()> {
        if !STAFF_ROLES.contains(&role) {
            return Err(crate::DomainError::invalid(
                "role",
                "Role must be help_desk, assistance_center or admin.",
            ));
        }
        let account = self
            .core
            .store
            .account_by_username(&super::core::normalise_username(username))
            .await?
            .ok_or(crate::DomainError::NotFound(
                "There is no account with that username.",
            ))?;
        let now = self.core.now();
        let change = crate::store::Change::new()
            .with(crate::store::Write::GrantStaffRole {
                account_id: account.id.clone(),
                role: role.to_owned(),
                at: now,
            })
            .with(self.core.event(
                &account.id,
                "staff_role_granted",
                format!("Staff role {role} granted"),
            ));
        self.core.commit(change).await
    }
}

/// The staff roles.
pub const STAFF_ROLES: [&str; 3] = ["help_desk", "assistance_center", "admin"];

/// Staff sessions end after this many idle seconds, whatever `session_idle_secs` says.
pub const STAFF_IDLE_SECS: i64 = 15 * 60;
