//! Fixed-window counters for the per-IP limits, behind one interface so that several
//! instances can share them.
//!
//! [`LimitCounters`] is what a limit counts with. [`MemoryCounters`] keeps the windows
//! in this process (driven by the injected clock); the binary plugs in a Redis-backed
//! implementation when `redis_url` is set, so every instance counts the same windows
//! (with Redis's own clock). Keys are built by the core from a keyed fingerprint of the
//! address, so no counter store ever holds a clear IP address.
//!
//! ```text
//!  limit_ip(ip, action) ─► counters.hit(key, limit, window)
//!        Ok(Allowed) / Ok(Refused(retry)) ─► answer
//!        Err(down) ─► action.when_counters_down(): Refuse (503) | CountLocally (memory)
//! ```

use std::collections::HashMap;
use std::sync::Mutex;
use time::{Duration, OffsetDateTime};

/// The answer of one counted attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Allowed,
    /// Over the limit; the window ends in this many seconds.
    Refused {
        retry_after_secs: u64,
    },
}

/// The shared counters could not be reached (the text is for logs: it names no person).
#[derive(Debug, Clone, thiserror::Error)]
#[error("limit counters unavailable: {0}")]
pub struct CountersDown(pub String);

/// Where fixed-window counts are kept.
#[async_trait::async_trait]
pub trait LimitCounters: Send + Sync {
    /// Count one attempt under `key` and say whether it is within `limit` attempts per
    /// `window`. A refused attempt does not extend the window. `now` is the injected
    /// clock; an implementation with its own clock (Redis) may ignore it.
    async fn hit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
        now: OffsetDateTime,
    ) -> Result<Hit, CountersDown>;

    /// Whether the counters answer now (for `/readyz`).
    async fn check(&self) -> Result<(), CountersDown>;

    /// `memory` or `redis`, for `/readyz` and the logs.
    fn kind(&self) -> &'static str;
}

/// Counters in this process's memory. Bounded: when it holds too many keys, expired
/// windows are swept, and if it is still full a new key is refused rather than growing
/// without limit. A key is kept as 16 bytes of its SHA-256, not as its text: a flood
/// from many addresses fills the table with one small entry per address.
#[derive(Debug, Default)]
pub struct MemoryCounters {
    windows: Mutex<HashMap<[u8; 16], (OffsetDateTime, u32)>>,
}

fn compact(key: &str) -> [u8; 16] {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(key.as_bytes());
    let mut short = [0u8; 16];
    short.copy_from_slice(&digest[..16]);
    short
}

const MAX_TRACKED: usize = 100_000;

impl MemoryCounters {
    /// Count one attempt (the synchronous heart of [`LimitCounters::hit`]).
    pub fn count(&self, key: &str, limit: u32, window: Duration, now: OffsetDateTime) -> Hit {
        let key = compact(key);
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() >= MAX_TRACKED {
            windows.retain(|_, (start, _)| now - *start < window);
            if windows.len() >= MAX_TRACKED && !windows.contains_key(&key) {
                return Hit::Refused {
                    retry_after_secs: window.whole_seconds().max(1) as u64,
                };
            }
        }
        let entry = windows.entry(key).or_insert((now, 0));
        if now - entry.0 >= window {
            *entry = (now, 0);
        }
        if entry.1 >= limit {
            let retry = (entry.0 + window - now).whole_seconds().max(1);
            return Hit::Refused {
                retry_after_secs: retry as u64,
            };
        }
        entry.1 += 1;
        Hit::Allowed
    }
}

#[async_trait::async_trait]
impl LimitCounters for MemoryCounters {
    async fn hit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
        now: OffsetDateTime,
    ) -> Result<Hit, CountersDown> {
        Ok(self.count(key, limit, window, now))
    }

    async fn check(&self) -> Result<(), CountersDown> {
        Ok(())
    }

    fn kind(&self) -> &'static str {
        "memory"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_allows_exactly_the_limit_then_resets() {
        let counters = MemoryCounters::default();
        let t0 = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let minute = Duration::minutes(1);
        for _ in 0..3 {
            assert_eq!(counters.count("ip_sign_in:a", 3, minute, t0), Hit::Allowed);
        }
        assert_eq!(
            counters.count("ip_sign_in:a", 3, minute, t0 + Duration::seconds(20)),
            Hit::Refused {
                retry_after_secs: 40
            }
        );
        assert_eq!(counters.count("ip_sign_in:b", 3, minute, t0), Hit::Allowed);
        assert_eq!(
            counters.count("ip_sign_in:a", 3, minute, t0 + minute),
            Hit::Allowed
        );
    }
}
