//! Passwords after sign-up: the help desk's temporary password (single use, 24 hours,
//! a new password is chosen at once), and changing a password (forced after a
//! temporary one, or by choice with the current password and a fresh second factor).

use super::security::Security;
use super::sessions::AuthSession;
use crate::messages;
use crate::model::{Account, Next, SessionStage};
use crate::password::check_new_password;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};
use sa_i18n::Text;

impl Security<'_> {
    /// Rate a password being typed (the strength meter), limited per client IP.
    pub async fn rate_password(
        &self,
        ip: std::net::IpAddr,
        password: &str,
        username: &str,
        email: &str,
    ) -> DomainResult<crate::password::PasswordRating> {
        self.core
            .limit_ip(ip, crate::limits::IpAction::PasswordRating)
            .await?;
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
                    message_id: "step-second-factor-first",
                });
            }
            let fresh = auth.session.factor_verified_at.is_some_and(|at| {
                (self.core.now() - at).whole_seconds() < self.core.limits().reauthentication_secs
            });
            if !fresh {
                return Err(DomainError::ReauthenticationRequired);
            }
            let current = current.unwrap_or_default();
            if !self
                .core
                .hasher
                .verify(current, Some(account.password_hash.clone()))
                .await?
            {
                return Err(DomainError::invalid(
                    "current_password",
                    Text::new("error-current-password"),
                ));
            }
        }
        let email = self.core.account_email(account)?;
        let password = check_new_password(new_password, &account.username, &email)?;
        let hash = self.core.hasher.hash(password).await?;
        let mut change = Change::new()
            .with(Write::ChangePassword {
                account_id: account.id.clone(),
                password_hash: hash,
            })
            .with(
                self.core
                    .event(&account.id, "password_changed", "Password changed"),
            );
        self.core.enqueue_security_email(
            &mut change,
            &account.id,
            messages::factor_changed(
                account.language,
                &email,
                &messages::FactorChange::new("factor-password-changed", ""),
            ),
        )?;
        if end_other_sessions {
            // ASVS 3.3.3: offered with every password change (checked by default).
            self.push_end_other_sessions(&mut change, auth);
        }
        self.core.commit(change).await?;
        let changed = Account {
            password_change_required: false,
            ..account.clone()
        };
        let factors = self.core.store.factors(&account.id).await?;
        self.core
            .next_step(&changed, &factors, auth.session.stage)
            .await
    }
}
