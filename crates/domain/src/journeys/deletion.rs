//! Deleting one's own account: a second factor within the re-authentication window,
//! then everything `docs/retention.md` lists is erased in one change, a confirmation
//! email goes to the address the account had, and the audit log records it. Staff
//! accounts are not deleted this way (an admin removes their roles first).

use time::Duration;

use super::security::Security;
use super::sessions::AuthSession;
use crate::messages;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

impl Security<'_> {
    /// Delete the signed-in account.
    pub async fn delete_account(&self, auth: &AuthSession) -> DomainResult<()> {
        self.require_signed_in(auth)?;
        let account_id = &auth.account.id;
        if !self.core.store.staff_roles(account_id).await?.is_empty() {
            return Err(DomainError::Conflict("error-account-has-staff-role-ask"));
        }
        let now = self.core.now();
        let hold = self.core.limits().deleted_identity_hold_secs;
        let email = self.core.account_email(&auth.account)?;
        let mut change = Change::new();
        // Queued before the erasure, in the same transaction: the address is read now.
        self.core.enqueue(
            &mut change,
            &messages::account_deleted(auth.account.language, &email, hold / 86_400),
        )?;
        change.push(self.core.audit(
            crate::audit::applicant_actor(account_id),
            "account.deleted",
            Some(account_id),
            serde_json::json!({ "identity_verified": auth.account.identity_verified_at.is_some() }),
        ));
        change.push(Write::DeleteAccount {
            account_id: account_id.clone(),
            at: now,
            ssn_released_at: now + Duration::seconds(hold),
        });
        self.core.commit(change).await
    }
}
