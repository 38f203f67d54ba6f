//! Sessions and logins in progress, kept in memory (an example: a restart signs
//! everyone out). The browser holds only random identifiers in `HttpOnly`,
//! `SameSite=Lax` cookies.
//!
//! ```text
//!  /sign-in:  new PendingLogin {state, nonce, PKCE verifier} ─► cookie eservices_login (10 min)
//!  /callback: take it (once, whatever happens) ─► state must match ─► token exchange
//!             ─► new Session (fresh id: no fixation) ─► cookie eservices_session (30 min)
//!  /sign-out: Session's own CSRF token must come back in the form
//! ```
//!
//! The `state` a browser brings back is checked against the one stored for *that
//! browser's* login cookie, so a code injected from another browser's login is refused.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;

use crate::rp::{PendingLogin, SignedIn};

pub const SESSION_COOKIE: &str = "eservices_session";
pub const LOGIN_COOKIE: &str = "eservices_login";
pub const SESSION_TTL: Duration = Duration::from_secs(30 * 60);
pub const LOGIN_TTL: Duration = Duration::from_secs(10 * 60);
/// Logins in progress kept at most (more are refused until some expire).
const MAX_PENDING: usize = 10_000;

/// A signed-in professional.
#[derive(Debug, Clone)]
pub struct Session {
    pub person: SignedIn,
    /// Must accompany the sign-out form.
    pub csrf: String,
    started: Instant,
}

#[derive(Default)]
struct Inner {
    sessions: HashMap<String, Session>,
    logins: HashMap<String, (PendingLogin, Instant)>,
}

/// Everything in memory, behind one lock (held only for map operations).
#[derive(Default)]
pub struct Sessions {
    inner: Mutex<Inner>,
}

/// 256 random bits, base64url.
pub fn random_id() -> String {
    let mut bytes = [0u8; 32];
    rand::rand_core::UnwrapErr(rand::rngs::SysRng).fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

impl Sessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain maps behind: still usable.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keep a login in progress; returns its cookie value, or `None` when too many
    /// are pending.
    pub fn begin_login(&self, pending: PendingLogin) -> Option<String> {
        let mut inner = self.lock();
        inner.logins.retain(|_, (_, at)| at.elapsed() < LOGIN_TTL);
        if inner.logins.len() >= MAX_PENDING {
            return None;
        }
        let id = random_id();
        inner.logins.insert(id.clone(), (pending, Instant::now()));
        Some(id)
    }

    /// Take (and forget) the login of this cookie, if it has not expired.
    pub fn take_login(&self, id: &str) -> Option<PendingLogin> {
        let (pending, at) = self.lock().logins.remove(id)?;
        (at.elapsed() < LOGIN_TTL).then_some(pending)
    }

    /// A new session for a verified sign-in; returns its cookie value.
    pub fn create(&self, person: SignedIn) -> String {
        let mut inner = self.lock();
        inner
            .sessions
            .retain(|_, s| s.started.elapsed() < SESSION_TTL);
        let id = random_id();
        inner.sessions.insert(
            id.clone(),
            Session {
                person,
                csrf: random_id(),
                started: Instant::now(),
            },
        );
        id
    }

    pub fn get(&self, id: &str) -> Option<Session> {
        let inner = self.lock();
        inner
            .sessions
            .get(id)
            .filter(|s| s.started.elapsed() < SESSION_TTL)
            .cloned()
    }

    pub fn end(&self, id: &str) -> Option<Session> {
        self.lock().sessions.remove(id)
    }
}

/// A cookie's value from the request's `Cookie` headers.
pub fn read_cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

/// `Set-Cookie` for a value (`max_age` seconds; 0 clears it).
pub fn set_cookie(name: &str, value: &str, max_age: u64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue, header};
    use openidconnect::{CsrfToken, Nonce, PkceCodeVerifier};

    fn pending() -> PendingLogin {
        PendingLogin {
            state: CsrfToken::new("s".into()),
            nonce: Nonce::new("n".into()),
            pkce_verifier: PkceCodeVerifier::new("v".repeat(43)),
        }
    }

    #[test]
    fn a_login_can_be_taken_once() {
        let sessions = Sessions::default();
        let id = sessions.begin_login(pending()).unwrap();
        assert!(sessions.take_login(&id).is_some());
        assert!(sessions.take_login(&id).is_none(), "single use");
        assert!(sessions.take_login("made-up").is_none());
    }

    #[test]
    fn cookies_are_read_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("sa_csrf=x; eservices_session=abc; other=1"),
        );
        assert_eq!(
            read_cookie(&headers, SESSION_COOKIE).as_deref(),
            Some("abc")
        );
        assert_eq!(read_cookie(&headers, LOGIN_COOKIE), None);
        assert!(set_cookie("a", "b", 60, true).ends_with("SameSite=Lax; Secure"));
    }
}
