//! WebAuthn ceremonies kept between their two requests: the `webauthn-rs` state (which
//! holds the challenge) sealed in `webauthn_challenges` under an id, for one account or
//! session, for [`CEREMONY_SECS`]. Opening one checks purpose, owner and expiry;
//! finishing one adds the guarded delete to the change, so an answer replayed (or two
//! sent at once) cannot finish the same ceremony twice.

use serde::Serialize;
use serde::de::DeserializeOwned;
use time::Duration;
use webauthn_rs::prelude::Uuid;

use super::core::{Core, purpose};
use crate::model::WebauthnChallenge;
use crate::passkey::{CEREMONY_SECS, EXPIRED, RelyingParty};
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

/// What a ceremony is for.
pub(super) mod ceremony {
    pub const REGISTER: &str = "register";
    pub const SECOND_FACTOR: &str = "second_factor";
    pub const PASSWORDLESS: &str = "passwordless";
}

/// A ceremony to start: where it is kept and for whom.
pub(super) struct NewCeremony<'a> {
    pub id: String,
    pub purpose: &'static str,
    pub account_id: Option<&'a str>,
    pub session_id: Option<&'a str>,
    pub factor_id: Option<&'a str>,
}

impl Core {
    /// The relying party, or a refusal saying passkeys are off here.
    pub(super) fn relying_party(&self) -> DomainResult<&RelyingParty> {
        self.passkeys
            .as_ref()
            .ok_or(DomainError::PasskeysUnavailable)
    }

    /// The account's WebAuthn user handle: a keyed fingerprint of its id.
    pub(super) fn passkey_user_handle(&self, account_id: &str) -> Uuid {
        let mac = self
            .keys
            .mac(purpose::PASSKEY_USER_HANDLE, account_id.as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&mac[..16]);
        Uuid::from_bytes(bytes)
    }

    /// Keep a ceremony's state (sealed) in `change`, replacing one under the same id.
    pub(super) fn keep_ceremony(
        &self,
        change: &mut Change,
        new: NewCeremony<'_>,
        state: &impl Serialize,
    ) -> DomainResult<()> {
        let json = serde_json::to_vec(state).map_err(DomainError::unavailable)?;
        let now = self.now();
        change.push(Write::InsertWebauthnChallenge(WebauthnChallenge {
            state_sealed: self.keys.seal(purpose::WEBAUTHN_STATE, &json)?,
            id: new.id,
            purpose: new.purpose.to_owned(),
            account_id: new.account_id.map(str::to_owned),
            session_id: new.session_id.map(str::to_owned),
            factor_id: new.factor_id.map(str::to_owned),
            created_at: now,
            expires_at: now + Duration::seconds(CEREMONY_SECS),
        }));
        Ok(())
    }

    /// The state of a kept ceremony of this purpose (and account, when given),
    /// unexpired; and the guarded write that finishes it, for the change that records
    /// the outcome.
    pub(super) async fn open_ceremony<T: DeserializeOwned>(
        &self,
        id: &str,
        purpose_of: &str,
        account_id: Option<&str>,
    ) -> DomainResult<(T, Write)> {
        let now = self.now();
        let kept = self
            .store
            .webauthn_challenge(id)
            .await?
            .filter(|c| c.purpose == purpose_of && c.expires_at > now)
            .filter(|c| account_id.is_none_or(|a| c.account_id.as_deref() == Some(a)))
            .ok_or(DomainError::from(EXPIRED))?;
        let json = self
            .keys
            .open(purpose::WEBAUTHN_STATE, &kept.state_sealed)?;
        let state = serde_json::from_slice(&json).map_err(DomainError::unavailable)?;
        let finish = Write::ConsumeWebauthnChallenge {
            id: kept.id.clone(),
            at: now,
        };
        Ok((state, finish))
    }
}
