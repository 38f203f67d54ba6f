//! A person's own data, on demand (ASVS 8.3.2): everything the service keeps about the
//! account, as one JSON document, opened for them. Secrets are never in it (password
//! hash, authenticator secrets, backup and mailed codes, session tokens); the SSN is
//! kept only as a keyed fingerprint, which says nothing, so it is named but not given.

use serde_json::{Value, json};

use super::security::Security;
use super::{core::purpose, sessions::AuthSession};
use crate::clock::rfc3339;
use crate::model::{FactorKind, Next, SessionStage};
use crate::proofing::case::MatchedIdentity;
use crate::{DomainError, DomainResult};

/// How many history entries of each kind the export holds (more than the service
/// keeps for any one account in practice).
const EXPORT_HISTORY_LIMIT: i64 = 10_000;

fn optional_time(at: Option<time::OffsetDateTime>) -> Option<String> {
    at.map(rfc3339)
}

impl Security<'_> {
    /// The account's data as JSON (signed in with a second factor).
    pub async fn export_my_data(&self, auth: &AuthSession) -> DomainResult<Value> {
        if auth.session.stage != SessionStage::Authenticated {
            return Err(DomainError::WrongStep {
                next: Next::SecondFactor,
                message_id: "step-second-factor-first",
            });
        }
        let account = &auth.account;
        let id = &account.id;
        let mut factors = Vec::new();
        for factor in self.core.store.factors(id).await? {
            let phone = match (factor.kind, factor.secret_sealed.as_deref()) {
                (FactorKind::Sms, Some(sealed)) => {
                    Some(self.core.keys.open_string(purpose::PHONE, sealed)?)
                }
                _ => None,
            };
            factors.push(json!({
                "kind": factor.kind.method(),
                "label": factor.label,
                "phone": phone,
                "added_at": rfc3339(factor.created_at),
                "confirmed_at": optional_time(factor.confirmed_at),
                "last_used_at": optional_time(factor.last_used_at),
                "disabled_at": optional_time(factor.disabled_at),
            }));
        }
        let logins: Vec<Value> = self
            .core
            .store
            .recent_logins(id, EXPORT_HISTORY_LIMIT)
            .await?
            .into_iter()
            .map(|l| {
                json!({"at": rfc3339(l.at), "ip": l.ip, "browser": l.user_agent,
                    "method": l.method, "success": l.success, "reason": l.reason})
            })
            .collect();
        let events: Vec<Value> = self
            .core
            .store
            .security_events(id, EXPORT_HISTORY_LIMIT)
            .await?
            .into_iter()
            .map(|e| json!({"at": rfc3339(e.at), "kind": e.kind, "detail": e.detail}))
            .collect();
        let sessions: Vec<Value> = self
            .active_sessions(auth)
            .await?
            .into_iter()
            .map(|s| {
                json!({"signed_in_at": rfc3339(s.signed_in_at), "last_seen_at": rfc3339(s.last_seen_at),
                    "ip": s.ip, "browser": s.browser, "current": s.current})
            })
            .collect();
        Ok(json!({
            "account": {
                "username": account.username,
                "email": self.core.account_email(account)?,
                "created_at": rfc3339(account.created_at),
                "email_confirmed_at": optional_time(account.email_confirmed_at),
                "identity_verified_at": optional_time(account.identity_verified_at),
                "identity_verified_by": account.identity_verified_by,
            },
            "sign_in_methods": factors,
            "signed_in_sessions": sessions,
            "sign_in_history": logins,
            "account_events": events,
            "identity_proofing": self.export_proofing(id).await?,
        }))
    }

    async fn export_proofing(&self, account_id: &str) -> DomainResult<Value> {
        let case = self.core.store.proofing_case(account_id).await?;
        let matched = match case.as_ref().and_then(|c| c.claim_sealed.as_deref()) {
            Some(sealed) => {
                let json = self.core.keys.open(purpose::PROOFING_CLAIM, sealed)?;
                let identity: MatchedIdentity =
                    serde_json::from_slice(&json).map_err(DomainError::unavailable)?;
                Some(json!({"first_name": identity.first_name, "last_name": identity.last_name}))
            }
            None => None,
        };
        let attempts: Vec<Value> = self
            .core
            .store
            .proofing_attempts(account_id, EXPORT_HISTORY_LIMIT)
            .await?
            .into_iter()
            .map(|a| {
                json!({"at": rfc3339(a.at), "step": a.step, "result": a.result.as_str(),
                    "reasons": a.reasons})
            })
            .collect();
        let letters: Vec<Value> = self
            .core.store
            .letters_of(account_id)
            .await?
            .into_iter()
            .map(|l| {
                json!({"requested_at": rfc3339(l.created_at), "expires_at": rfc3339(l.expires_at),
                    "printed_at": optional_time(l.printed_at), "reminder_sent_at": optional_time(l.reminder_sent_at),
                    "activated_at": optional_time(l.activated_at), "expired_at": optional_time(l.expired_at)})
            })
            .collect();
        Ok(json!({
            "step": case.as_ref().map(|c| c.step.as_str()),
            "started_at": case.as_ref().map(|c| rfc3339(c.started_at)),
            "matched_name": matched,
            "ssn": "kept only as a keyed fingerprint, which cannot be turned back into the number",
            "attempts": attempts,
            "letters": letters,
        }))
    }
}
