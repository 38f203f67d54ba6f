//! The help desk creates an account for a caller who has none ("an assistor will
//! create a Secure Access account and issue a temporary password and an activation code
//! by mail"): the assistor enters the username and email the caller chooses and the
//! caller's SSN, then runs the usual knowledge check on the new account. A pass issues
//! the temporary password (shown once) and the letter to the address of record; the
//! person signs in, chooses a password, confirms the email, enters the code and sets up
//! a sign-in method. Every step is in the audit log.

use sa_i18n::Lang;
use serde_json::json;

use super::core::purpose;
use super::roles::Roles;
use super::sessions::AuthSession;
use super::sign_up::{check_email, check_username};
use super::staff::Staff;
use crate::model::{Account, new_id};
use crate::proofing::case::ProofingCase;
use crate::staff::HELP_DESK;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

impl Staff<'_> {
    /// Create an account for a caller, ready for a knowledge check (its SSN on file).
    /// Returns the new account's id.
    pub async fn create_account_for_caller(
        &self,
        auth: &AuthSession,
        username: &str,
        email: &str,
        ssn: &str,
    ) -> DomainResult<String> {
        Roles::new(self.core)
            .require_staff(auth, HELP_DESK, None)
            .await?;
        let username = check_username(username)?;
        let email = check_email(email)?;
        let ssn = self.subject_ssn(None, Some(ssn))?;
        let ssn_fp = ssn.fingerprint().to_owned();
        let now = self.core.now();
        if self
            .core
            .store
            .verified_ssn_holder(&ssn_fp, now)
            .await?
            .is_some()
        {
            return Err(DomainError::Conflict(
                "error-ssn-already-verified-account-find",
            ));
        }
        if self
            .core
            .sources
            .tax_returns
            .returns_for(&ssn, 1)
            .await?
            .is_empty()
        {
            return Err(DomainError::Conflict("error-no-tax-return-file-ssn"));
        }
        if self
            .core
            .store
            .account_by_username(&username)
            .await?
            .is_some()
        {
            return Err(DomainError::UsernameTaken);
        }
        // Nobody knows this password: the caller signs in with the temporary one.
        let unusable = crate::keys::hex(&crate::keys::random_bytes::<32>()[..]);
        let password_hash = self
            .core
            .hasher
            .hash(zeroize::Zeroizing::new(unusable))
            .await?;
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
            language: sa_i18n::Lang::En,
        };
        let account_id = account.id.clone();
        let mut case = ProofingCase::new(&account_id, now);
        case.ssn_fp = Some(ssn_fp);
        let mut change = Change::new()
            .with(Write::InsertAccount(account))
            .with(Write::SaveProofingCase(case));
        self.core
            .push_email_code(&mut change, &account_id, &email, Lang::En)?;
        change.push(self.core.event(
            &account_id,
            "account_created_by_help_desk",
            "The help desk created this account for you by phone",
        ));
        change.push(self.audit_write(
            auth,
            "help_desk.account_created",
            Some(&account_id),
            json!({}),
        ));
        self.core.commit(change).await?;
        Ok(account_id)
    }
}
