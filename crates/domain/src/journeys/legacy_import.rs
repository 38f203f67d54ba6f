//! Moving existing users over from the older tools: one account per line of a legacy
//! export (`secure-access accounts import-legacy`), with the old password hash kept as
//! it is (see `password::legacy`). The email is not confirmed and no identity is
//! verified: at the first sign-in with the old password the hash becomes Argon2id, a
//! confirmation code goes to the email, and the step graph then takes the person
//! through identity proofing and second-factor setup before any app accepts them.

use serde::Deserialize;

use super::core::purpose;
use super::sign_up::{SignUp, check_email, check_username};
use crate::model::{Account, new_id};
use crate::password::legacy::{LEGACY_PREFIX, check_import};
use crate::store::{Change, StoreError, Write};
use crate::{DomainError, DomainResult};

/// One line of a legacy export.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegacyAccount {
    pub username: String,
    pub email: String,
    /// PHC string (`$pbkdf2-sha256$…`, `$argon2id$…`) or bcrypt (`$2b$…`).
    pub password_hash: String,
    /// The older tools the person used (shown in their history).
    #[serde(default)]
    pub tools: Vec<String>,
}

/// What importing one line did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyImported {
    Created,
    /// The username already has an account (a re-run, or a person who already moved).
    AlreadyPresent,
}

impl SignUp<'_> {
    /// Create the account of one legacy line, or leave an existing one untouched.
    pub async fn import_legacy_account(
        &self,
        record: &LegacyAccount,
    ) -> DomainResult<LegacyImported> {
        let username = check_username(&record.username)?;
        let email = check_email(&record.email)?;
        check_import(record.password_hash.trim())
            .map_err(|reason| DomainError::invalid("password_hash", reason))?;
        if record.tools.len() > 20 || record.tools.iter().any(|t| t.chars().count() > 60) {
            return Err(DomainError::invalid(
                "tools",
                "at most 20 tool names of at most 60 characters",
            ));
        }
        if self
            .core
            .store
            .account_by_username(&username)
            .await?
            .is_some()
        {
            return Ok(LegacyImported::AlreadyPresent);
        }
        let now = self.core.now();
        let account = Account {
            id: new_id(now),
            username,
            email_sealed: self.core.keys.seal_str(purpose::EMAIL, &email)?,
            password_hash: format!("{LEGACY_PREFIX}{}", record.password_hash.trim()),
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
            language: sa_i18n::Lang::En,
        };
        let tools = if record.tools.is_empty() {
            "an older tool".to_owned()
        } else {
            record.tools.join(", ")
        };
        let account_id = account.id.clone();
        let change = Change::new()
            .with(Write::InsertAccount(account))
            .with(self.core.event(
                &account_id,
                "legacy_import",
                format!("Account moved over from {tools}"),
            ))
            .with(self.core.audit(
                "system".to_owned(),
                "account.legacy_import",
                Some(&account_id),
                serde_json::json!({ "tools": record.tools }),
            ));
        match self.core.store.apply(change).await {
            Ok(()) => Ok(LegacyImported::Created),
            // Imported by a concurrent run between the read and the write.
            Err(StoreError::UsernameTaken) => Ok(LegacyImported::AlreadyPresent),
            Err(other) => Err(other.into()),
        }
    }
}
