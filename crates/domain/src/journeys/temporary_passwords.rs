//! Help-desk temporary passwords: 12 Crockford characters, shown once to the staff
//! member, stored as an Argon2id hash, single use, valid for
//! [`TEMPORARY_PASSWORD_HOURS`]. Signing in with one is part of sign-in (`sign_in.rs`).

use time::Duration;

use super::core::Core;
use crate::DomainResult;
use crate::codes;
use crate::model::Account;
use crate::password::normalise;
use crate::staff::TemporaryPassword;
use crate::store::{Change, Write};

/// Temporary passwords issued by the help desk.
#[derive(Clone, Copy)]
pub struct TemporaryPasswords<'a> {
    core: &'a Core,
}

impl<'a> TemporaryPasswords<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl TemporaryPasswords<'_> {
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
        let now = self.core.now();
        change.push(Write::SetTemporaryPassword(TemporaryPassword {
            account_id: account.id.clone(),
            password_hash: self.core.hasher.hash(normalise(&canonical)).await?,
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
        let Some(temp) = self.core.store.temporary_password(&account.id).await? else {
            return Ok(false);
        };
        if !temp.is_usable(self.core.now()) {
            return Ok(false);
        }
        let Some(canonical) = codes::normalise_activation_code(typed) else {
            return Ok(false);
        };
        self.core
            .hasher
            .verify(&canonical, Some(temp.password_hash))
            .await
    }
}

/// How long a temporary password works.
pub const TEMPORARY_PASSWORD_HOURS: i64 = 24;
