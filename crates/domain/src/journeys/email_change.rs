//! Changing the account's email address: the new address is confirmed by a code sent
//! to it (the account keeps the old one until then), and the old address is told, with
//! a "this wasn't me" link. Needs a second factor entered within the
//! re-authentication window.

use super::core::{RequestContext, purpose};
use super::security::Security;
use super::sessions::{AuthSession, Sessions};
use super::sign_up::check_email;
use crate::limits::IpAction;
use crate::messages;
use crate::model::SessionStage;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};
use sa_i18n::Text;

/// The purpose of codes that confirm a new email address.
const EMAIL_CHANGE: &str = "email_change";

impl Security<'_> {
    /// Signed in with a second factor entered within the re-authentication window.
    pub(super) fn require_signed_in(&self, auth: &AuthSession) -> DomainResult<()> {
        if auth.session.stage != SessionStage::Authenticated {
            return Err(DomainError::WrongStep {
                next: crate::model::Next::SecondFactor,
                message_id: "step-second-factor-first",
            });
        }
        Sessions::new(self.core).require_fresh_factor(auth)
    }

    /// Send a code to the new address; it becomes the account's once confirmed.
    pub async fn start_email_change(
        &self,
        auth: &AuthSession,
        new_email: &str,
        ctx: &RequestContext,
    ) -> DomainResult<()> {
        self.require_signed_in(auth)?;
        let new_email = check_email(new_email)?;
        let account_id = &auth.account.id;
        if new_email == self.core.account_email(&auth.account)? {
            return Err(DomainError::invalid("email", Text::new("error-same-email")));
        }
        self.core.limit_ip(ctx.ip, IpAction::CodeSend).await?;
        self.core.limit_code_sends(account_id, EMAIL_CHANGE).await?;
        let ttl = self.core.limits().email_code_ttl_secs;
        let mut change = Change::new().with(Write::SetPendingEmail {
            account_id: account_id.clone(),
            email_sealed: self.core.keys.seal_str(purpose::EMAIL, &new_email)?,
            at: self.core.now(),
        });
        let code = self
            .core
            .issue_code(&mut change, account_id, EMAIL_CHANGE, None, ttl);
        self.core.enqueue(
            &mut change,
            &messages::email_change_code(auth.account.language, &new_email, &code, ttl / 3600),
        )?;
        self.core.commit(change).await
    }

    /// Confirm the new address with its code.
    pub async fn confirm_email_change(&self, auth: &AuthSession, code: &str) -> DomainResult<()> {
        self.require_signed_in(auth)?;
        let account_id = &auth.account.id;
        let Some((pending_sealed, _)) = self.core.store.pending_email(account_id).await? else {
            return Err(DomainError::NotFound("error-no-new-email-address-waiting"));
        };
        let new_email = self
            .core
            .keys
            .open_string(purpose::EMAIL, &pending_sealed)?;
        let stored = self
            .core
            .check_one_time_code(
                account_id,
                EMAIL_CHANGE,
                None,
                code,
                self.core.limits().email_code_attempts,
            )
            .await?;
        let old_email = self.core.account_email(&auth.account)?;
        let now = self.core.now();
        let mut change = Change::new()
            .with(Write::ConsumeCode {
                code_id: stored.id,
                at: now,
            })
            .with(Write::ChangeEmail {
                account_id: account_id.clone(),
                at: now,
            })
            .with(self.core.event(
                account_id,
                "email_changed",
                "Email address changed; the old address was told",
            ))
            .with(self.core.audit(
                crate::audit::applicant_actor(account_id),
                "account.email_changed",
                Some(account_id),
                serde_json::json!({}),
            ));
        self.core.enqueue_security_email(
            &mut change,
            account_id,
            messages::email_changed(auth.account.language, &old_email, &mask_email(&new_email)),
        )?;
        self.core.commit(change).await
    }
}

/// `n***@example.com`: enough for the owner to recognise, little for anyone else.
fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::mask_email;

    #[test]
    fn masked_addresses_keep_the_first_letter_and_the_domain() {
        assert_eq!(mask_email("roberta@example.test"), "r***@example.test");
        assert_eq!(mask_email("nonsense"), "***");
    }
}
