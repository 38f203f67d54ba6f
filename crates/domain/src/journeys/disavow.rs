//! "This wasn't me": the single-use link in every security email (see
//! `security_email.rs`). It can only protect the account, so it works without signing
//! in: every session ends, any recovery in progress is cancelled (account resets,
//! password-reset codes, mailed codes not yet used), and the next sign-in must first
//! reset the password.

use super::core::RequestContext;
use super::recovery::{PASSWORD_RESET, Recovery};
use crate::keys::hash_token;
use crate::limits::IpAction;
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

impl Recovery<'_> {
    /// Follow a "this wasn't me" link.
    pub async fn disavow(&self, token: &str, ctx: &RequestContext) -> DomainResult<()> {
        self.core.limit_ip(ctx.ip, IpAction::Recovery).await?;
        let token = token.trim();
        if token.is_empty() || token.len() > 100 {
            return Err(DomainError::DisavowLinkInvalid);
        }
        let now = self.core.now();
        let Some(stored) = self.core.store.disavow_token(&hash_token(token)).await? else {
            return Err(DomainError::DisavowLinkInvalid);
        };
        if stored.used_at.is_some() {
            return Err(DomainError::DisavowLinkUsed);
        }
        if stored.expires_at <= now {
            return Err(DomainError::DisavowLinkInvalid);
        }
        let account_id = stored.account_id.clone();
        let mut change = Change::new()
            .with(Write::UseDisavowToken {
                token_hash: stored.token_hash,
                at: now,
            })
            .with(Write::EndAllSessions {
                account_id: account_id.clone(),
            })
            .with(Write::RequirePasswordReset {
                account_id: account_id.clone(),
            })
            .with(Write::CancelAccountResets {
                account_id: account_id.clone(),
                at: now,
            })
            .with(Write::RetireCodes {
                account_id: account_id.clone(),
                purpose: PASSWORD_RESET.to_owned(),
                at: now,
            })
            .with(Write::ClearPendingEmail {
                account_id: account_id.clone(),
            })
            .with(Write::DeleteIdentityRecovery {
                account_id: account_id.clone(),
            })
            .with(self.core.event(
                &account_id,
                "disavowed",
                "You reported a change that wasn't you: every device was signed out, recovery in progress was cancelled, and a new password is required",
            ))
            .with(self.core.audit(
                crate::audit::applicant_actor(&account_id),
                "account.disavowed",
                Some(&account_id),
                serde_json::json!({ "via": "security_email_link" }),
            ));
        // Codes already mailed (a recovery letter) stop working too.
        for letter in self.core.store.letters_of(&account_id).await? {
            if letter.is_usable(now) {
                change.push(Write::MarkLetterExpired {
                    letter_id: letter.id,
                    at: now,
                });
            }
        }
        match self.core.commit(change).await {
            Err(DomainError::Conflict(_)) => Err(DomainError::DisavowLinkUsed),
            other => other,
        }
    }
}
