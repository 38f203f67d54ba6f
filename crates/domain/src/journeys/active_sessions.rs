//! The person's active sessions (ASVS 3.3.4): where they are signed in, and signing
//! out of one or of all the others. Ending sessions needs a second factor entered within
//! the re-authentication window, as removing a sign-in method does.
//!
//! A session is named to the person by a handle: a keyed fingerprint of its id (the
//! id is the token's hash; the handle reveals neither and only matches within the
//! person's own sessions, so another account's handle finds nothing).

use time::OffsetDateTime;

use super::security::Security;
use super::sessions::AuthSession;
use super::sessions::Sessions;
use crate::model::{Next, Session, SessionStage};
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

const HANDLE_PURPOSE: &str = "session.handle";

/// One place the person is signed in.
#[derive(Debug, Clone)]
pub struct ActiveSession {
    pub handle: String,
    pub signed_in_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub ip: String,
    pub browser: String,
    /// The session asking.
    pub current: bool,
    /// The second factor it was raised with (`passkey`, `totp`, ...), if any.
    pub method: Option<String>,
    /// Raised with a passkey.
    pub phishing_resistant: bool,
}

impl Security<'_> {
    /// Live sessions of the account, most recently used first (expired ones are left
    /// out; they end at their next use anyway).
    pub async fn active_sessions(&self, auth: &AuthSession) -> DomainResult<Vec<ActiveSession>> {
        require_signed_in(auth)?;
        let now = self.core.now();
        let limits = self.core.limits();
        Ok(self
            .core
            .store
            .sessions_of(&auth.account.id)
            .await?
            .into_iter()
            .filter(|s| {
                (now - s.last_seen_at).whole_seconds() < limits.session_idle_secs
                    && (now - s.created_at).whole_seconds() < limits.session_absolute_secs
            })
            .map(|s| ActiveSession {
                phishing_resistant: s.phishing_resistant(),
                handle: self.session_handle(&s),
                signed_in_at: s.created_at,
                last_seen_at: s.last_seen_at,
                ip: s.ip.to_string(),
                browser: s.user_agent,
                current: s.id == auth.session.id,
                method: s.auth_method,
            })
            .collect())
    }

    /// Sign out of one session (by its handle); the current one included. Returns
    /// whether the session ended was the one asking.
    pub async fn end_session(&self, auth: &AuthSession, handle: &str) -> DomainResult<bool> {
        require_signed_in(auth)?;
        Sessions::new(self.core).require_fresh_factor(auth)?;
        let session = self
            .core
            .store
            .sessions_of(&auth.account.id)
            .await?
            .into_iter()
            .find(|s| {
                crate::keys::constant_time_eq(self.session_handle(s).as_bytes(), handle.as_bytes())
            })
            .ok_or(DomainError::NotFound("error-session-has-already-ended-not"))?;
        let was_current = session.id == auth.session.id;
        let change = Change::new()
            .with(Write::DeleteSession {
                session_id: session.id,
            })
            .with(self.core.event(
                &auth.account.id,
                "session_ended",
                format!("Signed out of a session from {}", session.ip),
            ));
        self.core.commit(change).await?;
        Ok(was_current)
    }

    /// Sign out everywhere but here; returns how many sessions ended.
    pub async fn end_other_sessions(&self, auth: &AuthSession) -> DomainResult<usize> {
        require_signed_in(auth)?;
        Sessions::new(self.core).require_fresh_factor(auth)?;
        let others = self
            .core
            .store
            .sessions_of(&auth.account.id)
            .await?
            .iter()
            .filter(|s| s.id != auth.session.id)
            .count();
        let mut change = Change::new();
        self.push_end_other_sessions(&mut change, auth);
        self.core.commit(change).await?;
        Ok(others)
    }

    /// The writes that end every other session of the account (also used by a
    /// password change that asks for it).
    pub(super) fn push_end_other_sessions(&self, change: &mut Change, auth: &AuthSession) {
        change.push(Write::DeleteOtherSessions {
            account_id: auth.account.id.clone(),
            keep_session_id: auth.session.id.clone(),
        });
        change.push(self.core.event(
            &auth.account.id,
            "other_sessions_ended",
            "Signed out of every other session",
        ));
    }

    fn session_handle(&self, session: &Session) -> String {
        self.core
            .keys
            .fingerprint(HANDLE_PURPOSE, session.id.as_bytes())
    }
}

fn require_signed_in(auth: &AuthSession) -> DomainResult<()> {
    if auth.session.stage == SessionStage::Authenticated {
        Ok(())
    } else {
        Err(DomainError::WrongStep {
            next: Next::SecondFactor,
            message_id: "step-second-factor-first",
        })
    }
}
