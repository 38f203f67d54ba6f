//! The signing keys cached in memory: the current keys opened, and the published list,
//! each with when it was read (a minute at most; see `keys.rs`).

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
    pub(super) loaded: Mutex<Option<(OffsetDateTime, Arc<Vec<SigningKey>>)>>,
    pub(super) published: Mutex<Option<(OffsetDateTime, Arc<Vec<PublishedKey>>)>>,
}

pub(super) fn is_fresh(at: OffsetDateTime, now: OffsetDateTime) -> bool {
    at <= now && (now - at).whole_seconds() < CACHE_SECS
}
