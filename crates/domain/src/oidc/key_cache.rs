//! The signing keys cached in memory: the current and next keys opened and the
//! published list, each with when it was read (a minute at most; see `keys.rs`), and
//! the SAML certificate of each RSA key (it never changes).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sa_oidc::SigningKey;
use time::OffsetDateTime;

const CACHE_SECS: i64 = 60;

/// A published key: its public JWK and until when it stays published (if retired).
pub(super) type PublishedKey = (serde_json::Value, Option<OffsetDateTime>);

/// The current keys, opened, and the published ones, each with when it was loaded.
/// Whenever the current keys are loaded the published list is refreshed from the same
/// read, so the JWKS never lags behind the keys that sign.
#[derive(Default)]
pub(super) struct KeyCache {
    pub(super) loaded: Mutex<Option<(OffsetDateTime, Arc<Vec<OpenedKey>>)>>,
    pub(super) published: Mutex<Option<(OffsetDateTime, Arc<Vec<PublishedKey>>)>>,
}

/// A key not retired when it was loaded, opened, with when it signs.
pub(super) struct OpenedKey {
    pub(super) key: SigningKey,
    /// When it was made (its SAML certificate is valid from then).
    pub(super) created_at: OffsetDateTime,
    pub(super) activates_at: Option<OffsetDateTime>,
    pub(super) retired_at: Option<OffsetDateTime>,
}

impl OpenedKey {
    /// Activated and not yet retired at `now` (checked at each use, so a scheduled
    /// switch happens on time whatever the cache holds).
    pub(super) fn signs_at(&self, now: OffsetDateTime) -> bool {
        self.activates_at.is_none_or(|at| at <= now) && self.retired_at.is_none_or(|at| at > now)
    }
}

/// Certificates made for our RS256 keys (SAML), by key id (they never change for a key).
#[derive(Default)]
pub(super) struct CertificateCache(pub(super) Mutex<HashMap<String, Vec<u8>>>);

pub(super) fn is_fresh(at: OffsetDateTime, now: OffsetDateTime) -> bool {
    at <= now && (now - at).whole_seconds() < CACHE_SECS
}
