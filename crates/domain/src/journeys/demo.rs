//! The demonstration account `secure-access demo` creates, so a newcomer can sign in at
//! once: email confirmed and an authenticator app set up. Everything about it is
//! synthetic (an `example.test` address, a random TOTP secret printed on start).

use super::{core::Core, core::normalise_username, core::purpose};
use crate::model::{Account, Factor, FactorKind, new_id};
use crate::password::normalise;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult, totp};

#[derive(Debug)]
pub struct DemoAccount {
    pub username: String,
    /// Base32 TOTP secret, for an authenticator app.
    pub totp_secret: String,
    pub otpauth_uri: String,
    /// `false` if it already existed.
    pub created: bool,
}

/// The demo account.
#[derive(Clone, Copy)]
pub struct Demo<'a> {
    core: &'a Core,
}

impl<'a> Demo<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl Demo<'_> {
    /// Create the demo account if it does not exist; either way return how to sign in.
    pub async fn ensure_demo_account(
        &self,
        username: &str,
        email: &str,
        password: &str,
    ) -> DomainResult<DemoAccount> {
        let username = normalise_username(username);
        if let Some(account) = self.core.store.account_by_username(&username).await? {
            let factors = self.core.store.factors(&account.id).await?;
            let factor = factors
                .iter()
                .find(|f| f.kind == FactorKind::Totp && f.is_active())
                .ok_or(DomainError::Conflict("error-demo-account-exists-but-has"))?;
            let secret = self.core.totp_secret(factor)?;
            return self.demo_account(&username, &secret, false);
        }
        let now = self.core.now();
        let account = Account {
            id: new_id(now),
            username: username.clone(),
            email_sealed: self.core.keys.seal_str(purpose::EMAIL, email)?,
            password_hash: self.core.hasher.hash(normalise(password)).await?,
            created_at: now,
            email_confirmed_at: Some(now),
            code_failures: 0,
            code_locked_until: None,
            identity_verified_at: Some(now),
            identity_verified_by: Some("demo".to_owned()),
            password_change_required: false,
            password_reset_required: false,
            deleted_at: None,
            disabled_at: None,
            language: sa_i18n::Lang::En,
        };
        let secret = totp::new_secret();
        let factor = Factor::new(
            &account.id,
            FactorKind::Totp,
            "Authenticator app".to_owned(),
            Some(self.core.keys.seal(purpose::TOTP_SECRET, &secret)?),
            now,
            true,
        );
        let account_id = account.id.clone();
        let change = Change::new()
            .with(Write::InsertAccount(account))
            .with(Write::InsertFactor(factor))
            .with(self.core.event(
                &account_id,
                "account_created",
                "Demonstration account created",
            ));
        self.core.commit(change).await?;
        self.demo_account(&username, &secret, true)
    }

    fn demo_account(
        &self,
        username: &str,
        secret: &[u8],
        created: bool,
    ) -> DomainResult<DemoAccount> {
        Ok(DemoAccount {
            username: username.to_owned(),
            totp_secret: totp::secret_base32(secret),
            otpauth_uri: totp::otpauth_uri(secret, &self.core.config.issuer, username)?,
            created,
        })
    }
}
