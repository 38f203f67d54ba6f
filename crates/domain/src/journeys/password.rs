//! Passwords after sign-up: the help desk's temporary password (single use, 24 hours,
//! a new password is chosen at once), and changing a password (forced after a
//! temporary one, or by choice with the current password and a fresh second factor).

use time::Duration;

use super::sign_in::SignInStarted;
use super::{AuthSession, RequestContext, Services};
use crate::codes;
use crate::messages;
use crate::model::{Account, Next, SessionStage};
use crate::password::{check_new_password, normalise};
use crate::staff::TemporaryPassword;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

/// How long a temporary password works.
pub const TEMPORARY_PASSWORD_HOURS: i64 = 24;

impl Services {
    /// A new temporary password for `account` (its hash written to `change`); the clear
    /// value is returned once, for the staff member to read to the caller.
    pub(super) async fn push_temporary_password(
        &self,
        change: &mut Change,
        account: &Account,
        issued_by: &str,
    ) -> DomainResult<String> {
        let shown = codes::crockford_code();
        let canonical = codes::normalise_activation_code(&shown).unwrap_or_default();
        let now = self.now();
        change.push(Write::SetTemporaryPassword(TemporaryPassword {
            account_id: account.id.clone(),
            password_hash: self.hasher.hash(normalise(&canonical)).await?,
            issued_by: issued_by.to_owned(),
            created_at: now,
            expires_at: now + Duration::hours(TEMPORARY_PASSWORD_HOURS),
            used_at: None,
        }));
        Ok(shown)
    }

    /// Whether `typed` is the account's usable temporary password.
    pub(super) async fn temporary_password_matches(
        &self,
        account: &Account,
        typed: &str,
    ) -> DomainResult<bool> {
        let Some(temp) = self.store.temporary_password(&account.id).await? else {
            return Ok(false);
        };
        if !temp.is_usable(self.now()) {
            return Ok(false);
        }
        let Some(canonical) = codes::normalise_activation_code(typed) else {
            return Ok(false);
        };
        self.hasher
            .verify(&canonical, Some(temp.password_hash))
            .await
    }

    /// Sign in with the temporary password: it is used up, and the session may only
    /// choose a new password (then continue where the account stands).
    pub(super) async fn sign_in_with_temporary_password(
        &self,
        account: &Account,
        ctx: &RequestContext,
    ) -> DomainResult<SignInStarted> {
        let now = self.now();
        let (session_token, session) =
            self.new_session(&account.id, SessionStage::Enrolling, None, ctx);
        let change = Change::new()
            .with(Write::UseTemporaryPassword {
                account_id: account.id.clone(),
                at: now,
            })
            .with(session)
            .with(self.login_record(&account.id, ctx, "temporary_password", true, None))
            .with(self.event(
                &account.id,
                "temporary_password_used",
                "Signed in with the temporary password from the help desk",
            ));
        self.commit(change).await?;
        Ok(SignInStarted {
            session_token,
            next: Next::ChangePassword,
            methods: Vec::new(),
        })
    }

    /// Rate a password being typed (the strength meter), limited per client IP.
    pub fn rate_password(
        &self,
        ip: std::net::IpAddr,
        password: &str,
        username: &str,
        email: &str,
    ) -> DomainResult<crate::password::PasswordRating> {
        self.limit_ip(ip, crate::limits::IpAction::PasswordRating)?;
        Ok(crate::password::rate_new_password(
            password, username, email,
        ))
    }

    /// Choose a new password. After a temporary password, no current password is
    /// asked; otherwise the current password and a second factor within the
    /// re-authentication window are.
    pub async fn change_password(
        &self,
        auth: &AuthSession,
        current: Option<&str>,
        new_password: &str,
        end_other_sessions: bool,
    ) -> DomainResult<Next> {
        let account = &auth.account;
        if !account.password_change_required {
            if auth.session.stage != SessionStage::Authenticated {
                return Err(DomainError::WrongStep {
                    next: Next::SecondFactor,
                    message: "Sign in with your second factor first.",
                });
            }
            let fresh = auth.session.factor_verified_at.is_some_and(|at| {
                (self.now() - at).whole_seconds() < self.limits().reauthentication_secs
            });
            if !fresh {
                return Err(DomainError::ReauthenticationRequired);
            }
            let current = current.unwrap_or_default();
            if !self
                .hasher
                .verify(current, Some(account.password_hash.clone()))
                .await?
            {
                return Err(DomainError::invalid(
                    "current_password",
                    "Your current password is not correct.",
                ));
            }
        }
        let email = self.account_email(account)?;
        let password = check_new_password(new_password, &account.username, &email)?;
        let hash = self.hasher.hash(password).await?;
        let mut change = Change::new()
            .with(Write::ChangePassword {
                account_id: account.id.clone(),
                password_hash: hash,
            })
            .with(self.event(&account.id, "password_changed", "Password changed"));
        self.enqueue(
            &mut change,
            &messages::factor_changed(&email, "Your password was changed."),
        )?;
        if end_other_sessions {
            // ASVS 3.3.3: offered with every password change (checked by default).
            self.push_end_other_sessions(&mut change, auth);
        }
        self.commit(change).await?;
        let changed = Account {
            password_change_required: false,
            ..account.clone()
        };
        let factors = self.store.factors(&account.id).await?;
        self.next_step(&changed, &factors, auth.session.stage).await
    }
}
