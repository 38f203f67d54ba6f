//! Sign-up: username, email and password create an account and an enrolling session;
//! a 6-digit code sent by email (24 hours, single use, attempt-limited) confirms the
//! address.

use super::{core::Core, core::RequestContext, core::normalise_username, core::purpose};
use crate::codes::CodePurpose;
use crate::limits::IpAction;
use crate::model::{Account, Next, SessionStage, new_id};
use crate::password::check_new_password;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};
use sa_i18n::Text;

use super::sessions::{AuthSession, Sessions};

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 64;
pub const EMAIL_MAX: usize = 254;

#[derive(Debug)]
pub struct SignedUp {
    pub account_id: String,
    pub session_token: String,
    pub next: Next,
}

pub(super) fn check_username(input: &str) -> DomainResult<String> {
    let username = normalise_username(input);
    let chars = username.chars().count();
    if !(USERNAME_MIN..=USERNAME_MAX).contains(&chars) {
        return Err(DomainError::invalid(
            "username",
            Text::new("error-username-length")
                .with("min", USERNAME_MIN)
                .with("max", USERNAME_MAX),
        ));
    }
    if !username
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+'))
    {
        return Err(DomainError::invalid(
            "username",
            Text::new("error-username-characters"),
        ));
    }
    Ok(username)
}

pub(super) fn check_email(input: &str) -> DomainResult<String> {
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
        Err(DomainError::invalid("email", Text::new("error-email")))
    }
}

/// The sign-up journey.
#[derive(Clone, Copy)]
pub struct SignUp<'a> {
    pub(super) core: &'a Core,
}

impl<'a> SignUp<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl SignUp<'_> {
    /// Create an account. The email gets a confirmation code; the returned session may
    /// confirm the email and set up a second factor, nothing else.
    pub async fn create_account(
        &self,
        username: &str,
        email: &str,
        password: &str,
        ctx: &RequestContext,
    ) -> DomainResult<SignedUp> {
        self.core.limit_ip(ctx.ip, IpAction::SignIn).await?;
        let username = check_username(username)?;
        let email = check_email(email)?;
        let password = check_new_password(password, &username, &email)?;
        if self
            .core
            .store
            .account_by_username(&username)
            .await?
            .is_some()
        {
            return Err(DomainError::UsernameTaken);
        }
        let password_hash = self.core.hasher.hash(password).await?;
        let now = self.core.now();
        let account = Account {
            id: new_id(now),
            username,
            email_sealed: self.core.keys.seal_str(purpose::EMAIL, &email)?,
            password_hash,
            created_at: now,
            email_confirmed_at: None,
            code_failures: 0,
            code_locked_until: None,
            identity_verified_at: None,
            identity_verified_by: None,
            password_change_required: false,
            password_reset_required: false,
            deleted_at: None,
            disabled_at: None,
            language: ctx.language,
        };
        let account_id = account.id.clone();
        let mut change = Change::new().with(Write::InsertAccount(account));
        self.core
            .push_email_code(&mut change, &account_id, &email, ctx.language)?;
        let (session_token, session) =
            Sessions::new(self.core).new_session(&account_id, SessionStage::Enrolling, None, ctx);
        change.push(session);
        change.push(Write::RememberDevice {
            account_id: account_id.clone(),
            device_hash: self
                .core
                .keys
                .fingerprint(purpose::DEVICE, ctx.device_key().as_bytes()),
            at: now,
        });
        change.push(
            self.core
                .event(&account_id, "account_created", "Account created"),
        );
        self.core.commit(change).await?;
        Ok(SignedUp {
            account_id,
            session_token,
            next: Next::ConfirmEmail,
        })
    }

    /// Confirm the email address with the emailed code.
    pub async fn confirm_email(&self, auth: &AuthSession, code: &str) -> DomainResult<Next> {
        let account = &auth.account;
        let factors = self.core.store.factors(&account.id).await?;
        if account.email_confirmed_at.is_some() {
            return self
                .core
                .next_step(account, &factors, auth.session.stage)
                .await;
        }
        let purpose = CodePurpose::EmailConfirmation.as_str();
        let stored = self
            .core
            .check_one_time_code(
                &account.id,
                purpose,
                None,
                code,
                self.core.limits().email_code_attempts,
            )
            .await?;
        let now = self.core.now();
        let change = Change::new()
            .with(Write::ConsumeCode {
                code_id: stored.id,
                at: now,
            })
            .with(Write::ConfirmEmail {
                account_id: account.id.clone(),
                at: now,
            })
            .with(
                self.core
                    .event(&account.id, "email_confirmed", "Email address confirmed"),
            );
        self.core.commit(change).await?;
        let confirmed = crate::model::Account {
            email_confirmed_at: Some(now),
            ..account.clone()
        };
        self.core
            .next_step(&confirmed, &factors, auth.session.stage)
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
                "error-your-email-address-already-confirmed",
            ));
        }
        self.core.limit_ip(ctx.ip, IpAction::CodeSend).await?;
        self.core
            .limit_code_sends(&account.id, CodePurpose::EmailConfirmation.as_str())
            .await?;
        let email = self.core.account_email(account)?;
        let mut change = Change::new();
        self.core
            .push_email_code(&mut change, &account.id, &email, account.language)?;
        self.core.commit(change).await
    }
}
