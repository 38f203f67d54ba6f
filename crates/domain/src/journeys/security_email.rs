//! Security emails: a message about a change to the account (a new-device sign-in, a
//! sign-in method or the password changed, a recovery started), queued with a fresh
//! single-use "this wasn't me" link (see `disavow.rs`) that works for 7 days.

use time::Duration;

use super::core::Core;
use crate::DomainResult;
use crate::keys::new_token;
use crate::messages;
use crate::model::{DisavowToken, Message};
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
