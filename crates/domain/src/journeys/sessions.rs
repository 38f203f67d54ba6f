//! Sessions: random 256-bit bearer tokens stored as SHA-256 hashes, expiring after
//! 15 idle minutes or 12 hours in all, and replaced by a new token whenever the
//! session gains privilege (second factor entered, first factor set up).

use time::OffsetDateTime;

use super::{core::Core, core::RequestContext};
use crate::keys::{hash_token, new_token};
use crate::model::Factor;
use crate::model::FactorKind;
use crate::model::LoginRecord;
use crate::model::new_id;
use crate::model::{Account, Session, SessionStage};
use crate::store::{Change, Write};
use crate::{DomainError, DomainResult};

/// How stale a session's recorded activity may get before a request writes it again
/// (or a quarter of the idle limit, when that is shorter).
pub const TOUCH_EVERY_SECS: i64 = 60;

/// Where a session stands: its next step and the second-factor methods it can use.
#[derive(Debug, Clone)]
pub struct SessionStatus {
    pub next: crate::model::Next,
    pub methods: Vec<&'static str>,
}

/// A valid session and its account, as resolved from a bearer token or cookie.
#[derive(Debug, Clone)]
pub struct AuthSession {
    pub session: Session,
    pub account: Account,
    /// Seconds between this request and the session's previous one (staff sessions
    /// allow at most 15 idle minutes whatever the general setting).
    pub idle_secs: i64,
}

/// Sessions: resolving a token, the step a session is at, new and raised sessions.
#[derive(Clone, Copy)]
pub struct Sessions<'a> {
    core: &'a Core,
}

impl<'a> Sessions<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl Sessions<'_> {
    /// A second factor entered within the re-authentication window.
    pub(super) fn require_fresh_factor(&self, auth: &AuthSession) -> DomainResult<()> {
        let window = self.core.limits().reauthentication_secs;
        match auth.session.factor_verified_at {
            Some(at) if (self.core.now() - at).whole_seconds() < window => Ok(()),
            _ => Err(DomainError::ReauthenticationRequired),
        }
    }

    pub(super) fn login_record(
        &self,
        account_id: &str,
        ctx: &RequestContext,
        method: &str,
        success: bool,
        reason: Option<&str>,
    ) -> Write {
        let at = self.core.now();
        Write::RecordLogin(LoginRecord {
            id: new_id(at),
            account_id: account_id.to_owned(),
            at,
            ip: ctx.ip.to_string(),
            user_agent: super::core::truncate(&ctx.user_agent, 300),
            method: method.to_owned(),
            success,
            reason: reason.map(str::to_owned),
        })
    }

    /// Setting up the first factor proves possession: the session becomes authenticated
    /// (with a new token). Returns that token, if any.
    pub(super) fn elevate_after_enrolment(
        &self,
        change: &mut Change,
        auth: &AuthSession,
        method: &str,
    ) -> Option<String> {
        if auth.session.stage == SessionStage::Authenticated {
            return None;
        }
        let ctx = super::core::RequestContext {
            ip: auth.session.ip,
            user_agent: auth.session.user_agent.clone(),
            device: None,
            language: sa_i18n::Lang::En,
        };
        Some(self.elevate(change, &auth.session, &ctx, method))
    }

    /// Resolve a token to its session, enforcing idle and absolute timeouts, and record
    /// the activity. An expired session is deleted.
    ///
    /// The activity is written at most once a [`TOUCH_EVERY_SECS`], or a quarter of the
    /// idle limit when that is shorter: a request within that time of the last recorded
    /// one leaves the row alone (one write fewer for most requests). The stored time is
    /// then at most that much older than the last request, so an idle timeout can only
    /// come that much early, never late, and a session used more often than its idle
    /// limit never ends for being idle.
    pub async fn authenticate(&self, token: &str) -> DomainResult<AuthSession> {
        let now = self.core.now();
        let id = hash_token(token);
        let (session, account) = self
            .core
            .store
            .session_with_account(&id)
            .await?
            .ok_or(DomainError::Unauthenticated)?;
        let limits = self.core.limits();
        let idle = now - session.last_seen_at;
        let age = now - session.created_at;
        if idle.whole_seconds() >= limits.session_idle_secs
            || age.whole_seconds() >= limits.session_absolute_secs
        {
            self.core
                .store
                .apply(Change::new().with(Write::DeleteSession { session_id: id }))
                .await?;
            return Err(DomainError::Unauthenticated);
        }
        if account.disabled_at.is_some() {
            return Err(DomainError::AccountDisabled);
        }
        let touch_every = TOUCH_EVERY_SECS.min(limits.session_idle_secs / 4);
        let touched = idle.whole_seconds() >= touch_every;
        if touched {
            self.core
                .store
                .apply(Change::new().with(Write::TouchSession {
                    session_id: id,
                    at: now,
                }))
                .await?;
        }
        Ok(AuthSession {
            idle_secs: idle.whole_seconds(),
            session: Session {
                last_seen_at: if touched { now } else { session.last_seen_at },
                ..session
            },
            account,
        })
    }

    /// The session's next step and available second-factor methods.
    pub async fn session_status(&self, auth: &AuthSession) -> DomainResult<SessionStatus> {
        let factors = self.core.store.factors(&auth.account.id).await?;
        Ok(SessionStatus {
            next: self
                .core
                .next_step(&auth.account, &factors, auth.session.stage)
                .await?,
            methods: methods_of(&factors),
        })
    }

    /// Build a new session (its token and the write that stores it).
    pub(super) fn new_session(
        &self,
        account_id: &str,
        stage: SessionStage,
        factor_verified_at: Option<OffsetDateTime>,
        ctx: &RequestContext,
    ) -> (String, Write) {
        let (token, session) = self.build_session(account_id, stage, factor_verified_at, ctx);
        (token, Write::InsertSession(session))
    }

    fn build_session(
        &self,
        account_id: &str,
        stage: SessionStage,
        factor_verified_at: Option<OffsetDateTime>,
        ctx: &RequestContext,
    ) -> (String, Session) {
        let now = self.core.now();
        let (token, id) = new_token();
        let session = Session {
            id,
            account_id: account_id.to_owned(),
            stage,
            created_at: now,
            last_seen_at: now,
            factor_verified_at,
            auth_method: None,
            ip: ctx.ip,
            user_agent: truncate(&ctx.user_agent, 300),
        };
        (token, session)
    }

    /// Replace `old` with a new authenticated session raised by a second factor of
    /// sign-in method `method`; returns the new token.
    pub(super) fn elevate(
        &self,
        change: &mut Change,
        old: &Session,
        ctx: &RequestContext,
        method: &str,
    ) -> String {
        change.push(Write::DeleteSession {
            session_id: old.id.clone(),
        });
        self.open_authenticated(change, &old.account_id, ctx, method)
    }

    /// A new authenticated session (no session before it: a sign-in with a passkey
    /// alone); returns its token.
    pub(super) fn open_authenticated(
        &self,
        change: &mut Change,
        account_id: &str,
        ctx: &RequestContext,
        method: &str,
    ) -> String {
        let (token, mut session) = self.build_session(
            account_id,
            SessionStage::Authenticated,
            Some(self.core.now()),
            ctx,
        );
        session.auth_method = Some(method.to_owned());
        change.push(Write::InsertSession(session));
        token
    }

    /// Sign out: the session is deleted. After a full sign-in, the apps with a
    /// back-channel logout URI are told (for the person, not one session: logout
    /// tokens carry no `sid`, so an app ends every session it has for them).
    pub async fn sign_out(&self, auth: &AuthSession) -> DomainResult<()> {
        let mut change = Change::new().with(Write::DeleteSession {
            session_id: auth.session.id.clone(),
        });
        if auth.session.factor_verified_at.is_some() {
            change.push(self.core.app_logout(&auth.account.id));
        }
        self.core.commit(change).await
    }
}

pub(crate) fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// The second-factor methods of these factors, in display order.
pub fn methods_of(factors: &[Factor]) -> Vec<&'static str> {
    [
        FactorKind::Passkey,
        FactorKind::Totp,
        FactorKind::Sms,
        FactorKind::BackupCodes,
    ]
    .into_iter()
    .filter(|kind| factors.iter().any(|f| f.is_active() && f.kind == *kind))
    .map(FactorKind::method)
    .collect()
}
