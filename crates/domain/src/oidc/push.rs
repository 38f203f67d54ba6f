//! Telling apps: each pending [`AppEvent`] becomes one signed token per app that
//! should hear it, in the outbox, and is marked dispatched, in one transaction (so a
//! crash or a second instance sends nothing twice, and nothing is lost).
//!
//! - A RISC event becomes a Security Event Token (RFC 8417, `typ: secevent+jwt`) for
//!   each app with an `events_uri`: one event per token, the app's pairwise subject
//!   both as `sub_id` (RFC 9493 `iss_sub`) and as the event's `subject` (as Login.gov
//!   sends it), `txn` the same for every app.
//! - A logout becomes a logout token (Back-Channel Logout 1.0 §2.4, `typ: logout+jwt`,
//!   `sub` and no `sid`) for each app with a `backchannel_logout_uri`.
//!
//! The apps are the account's connected apps (consent not withdrawn) that were
//! connected when the event happened, or the audience fixed when the account was
//! deleted. The delivery worker
//! posts the tokens with retries (`sa-delivery`'s `app_push`); each token is recorded
//! against its app, so `apps show` tells an operator whether the app is hearing.

use serde_json::{Value, json};

use super::records::Client;
use super::{OAuthResult, Provider};
use crate::DomainError;
use crate::app_events::{AppEvent, BACKCHANNEL_LOGOUT, LOGOUT_TEMPLATE, SECURITY_EVENT_TEMPLATE};
use crate::model::{Channel, Message};
use crate::store::{Change, Write};

/// Events dispatched per pass.
const BATCH: i64 = 100;
/// How long a logout token is valid (Back-Channel Logout 1.0 suggests minutes).
const LOGOUT_TOKEN_SECS: i64 = 120;

impl Provider {
    /// Dispatch pending app events; returns how many this call dispatched.
    pub async fn dispatch_app_events(&self) -> OAuthResult<usize> {
        let core = self.services.core();
        let mut dispatched = 0;
        for event in core.store.pending_app_events(BATCH).await? {
            let audience = match &event.audience {
                Some(apps) => apps.clone(),
                // Apps connected when it happened: one connected since (before the
                // dispatcher came round) has no business hearing of it.
                None => self
                    .store
                    .consents(&event.account_id)
                    .await?
                    .into_iter()
                    .filter(|c| c.revoked_at.is_none() && c.granted_at <= event.created_at)
                    .map(|c| c.client_id)
                    .collect(),
            };
            let mut change = Change::new().with(Write::MarkAppEventDispatched {
                id: event.id.clone(),
                at: core.now(),
            });
            for client_id in audience {
                let Some(client) = self.store.client(&client_id).await? else {
                    continue;
                };
                let Some(message) = self.token_for(&client, &event).await? else {
                    continue;
                };
                let message_id = core.enqueue_with_id(&mut change, &message)?;
                change.push(Write::RecordAppDelivery {
                    message_id,
                    client_id: client.client_id.clone(),
                    kind: event.kind.clone(),
                    at: core.now(),
                });
            }
            match core.commit(change).await {
                Ok(()) => dispatched += 1,
                // Another instance dispatched it first.
                Err(DomainError::Conflict(_)) => {}
                Err(error) => return Err(error.into()),
            }
        }
        Ok(dispatched)
    }

    /// The message that tells `client` about `event`, if it registered where to hear.
    async fn token_for(&self, client: &Client, event: &AppEvent) -> OAuthResult<Option<Message>> {
        let now = self.now().unix_timestamp();
        let sub = self.subject(&client.client_id, &event.account_id);
        let (to, template, typ, claims) = match event.risc_type() {
            Some(event_type) => {
                let Some(uri) = &client.events_uri else {
                    return Ok(None);
                };
                let subject = json!({"format": "iss_sub", "iss": self.config.issuer, "sub": sub});
                let mut members = match &event.detail {
                    Value::Object(members) => members.clone(),
                    _ => serde_json::Map::new(),
                };
                members.insert(
                    "subject".into(),
                    json!({"subject_type": "iss-sub", "iss": self.config.issuer, "sub": sub}),
                );
                let claims = json!({
                    "iss": self.config.issuer,
                    "jti": super::new_secret(),
                    "iat": now,
                    "aud": client.client_id,
                    "txn": event.id,
                    "toe": event.created_at.unix_timestamp(),
                    "sub_id": subject,
                    "events": { event_type: members },
                });
                (uri, SECURITY_EVENT_TEMPLATE, "secevent+jwt", claims)
            }
            None => {
                let Some(uri) = &client.backchannel_logout_uri else {
                    return Ok(None);
                };
                let claims = json!({
                    "iss": self.config.issuer,
                    "sub": sub,
                    "aud": client.client_id,
                    "iat": now,
                    "exp": now + LOGOUT_TOKEN_SECS,
                    "jti": super::new_secret(),
                    "events": { BACKCHANNEL_LOGOUT: {} },
                });
                (uri, LOGOUT_TEMPLATE, "logout+jwt", claims)
            }
        };
        let token = self.sign_typed(&client.id_token_alg, &claims, typ).await?;
        Ok(Some(Message {
            channel: Channel::App,
            to: to.clone(),
            template: template.to_owned(),
            subject: client.client_id.clone(),
            body: token,
            code: None,
            language: sa_i18n::Lang::En,
        }))
    }
}
