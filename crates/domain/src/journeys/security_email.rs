//! Security emails: a message about a change to the account (a new-device sign-in, a
//! sign-in method or the password changed, a recovery started), queued with a fresh
//! single-use "this wasn't me" link (see `disavow.rs`) that works for 7 days; and the
//! announcement of a recovery, to the email address and every phone on the account.

use time::Duration;

use super::core::{Core, purpose};
use crate::DomainResult;
use crate::keys::new_token;
use crate::messages;
use crate::model::{DisavowToken, FactorKind, Message};
use crate::store::{Change, Write};

impl Core {
    /// A new "this wasn't me" link for the account, its token stored (as a hash) in
    /// `change`.
    pub(super) fn new_disavow_link(&self, change: &mut Change, account_id: &str) -> String {
        let now = self.now();
        let (token, token_hash) = new_token();
        change.push(Write::InsertDisavowToken(DisavowToken {
            token_hash,
            account_id: account_id.to_owned(),
            created_at: now,
            expires_at: now + Duration::seconds(self.limits().disavow_link_ttl_secs),
            used_at: None,
        }));
        format!(
            "{}/account/disavow?token={token}",
            self.config.public_url.trim_end_matches('/')
        )
    }

    /// Queue `message` (to the account's email) with a new "this wasn't me" link.
    pub(super) fn enqueue_security_email(
        &self,
        change: &mut Change,
        account_id: &str,
        message: Message,
    ) -> DomainResult<()> {
        let link = self.new_disavow_link(change, account_id);
        self.enqueue_with_link(change, message, &link)
    }

    /// Announce a recovery that has started: `email` to the account's address and
    /// `text(phone)` to every confirmed phone, all carrying one new "this wasn't me"
    /// link, which cancels it.
    pub(super) async fn announce_recovery(
        &self,
        change: &mut Change,
        account_id: &str,
        email: Message,
        text: impl Fn(&str) -> Message,
    ) -> DomainResult<()> {
        let link = self.new_disavow_link(change, account_id);
        self.enqueue_with_link(change, email, &link)?;
        for factor in self.store.factors(account_id).await? {
            if factor.kind != FactorKind::Sms || factor.confirmed_at.is_none() {
                continue;
            }
            let phone = self.keys.open_string(
                purpose::PHONE,
                factor.secret_sealed.as_deref().unwrap_or_default(),
            )?;
            self.enqueue_with_link(change, text(&phone), &link)?;
        }
        Ok(())
    }

    /// Queue `message` carrying an existing "this wasn't me" link (one link for the
    /// email and the text messages of the same event).
    pub(super) fn enqueue_with_link(
        &self,
        change: &mut Change,
        message: Message,
        link: &str,
    ) -> DomainResult<()> {
        let days = self.limits().disavow_link_ttl_secs / 86_400;
        self.enqueue(change, &messages::with_disavow_link(message, link, days))
    }
}
