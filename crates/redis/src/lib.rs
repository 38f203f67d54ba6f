//! # sa-redis: limit counters shared by every instance
//!
//! [`RedisCounters`] implements the domain's [`LimitCounters`] over Redis, so that
//! several instances behind a load balancer count the same per-IP windows. Each hit is
//! one Lua script (atomic in Redis): count the key, give it the window as its expiry on
//! the first count (Redis's own clock, so instances whose clocks differ still agree),
//! and answer the count and the time left. A refused attempt is counted too but cannot
//! extend the window, which was fixed by the first count.
//!
//! The connection is made lazily and re-made after a failure, so the service starts
//! while Redis is down; each call waits at most [`CALL_TIMEOUT`]. When Redis does not
//! answer, the caller applies the limit's own rule (`IpAction::when_counters_down`:
//! guessing limits refuse, the others count locally) and `/readyz` says so.
#![forbid(unsafe_code)]

use std::time::Duration as StdDuration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use sa_domain::limiter::{CountersDown, Hit, LimitCounters};
use time::{Duration, OffsetDateTime};

/// The longest a limit check waits for Redis before the limit's outage rule applies.
pub const CALL_TIMEOUT: StdDuration = StdDuration::from_millis(500);

/// `KEYS[1]` the counter, `ARGV[1]` the window in milliseconds.
/// Answers `{count, milliseconds left in the window}`.
const HIT_SCRIPT: &str = r"
local count = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {count, left}
";

/// Per-IP limit counters in one Redis database.
pub struct RedisCounters {
    connection: ConnectionManager,
    script: redis::Script,
    prefix: String,
}

impl RedisCounters {
    /// Counters at `url` (`redis://host:port/db`), every key under `prefix` (so several
    /// deployments may share one Redis). Does not connect yet: the first check does.
    pub fn new(url: &str, prefix: &str) -> Result<Self, String> {
        let client = redis::Client::open(url).map_err(|e| format!("redis_url: {e}"))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CALL_TIMEOUT))
            .set_response_timeout(Some(CALL_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(StdDuration::from_secs(2));
        let connection = ConnectionManager::new_lazy_with_config(client, config)
            .map_err(|e| format!("redis_url: {e}"))?;
        Ok(Self {
            connection,
            script: redis::Script::new(HIT_SCRIPT),
            prefix: prefix.to_owned(),
        })
    }
}

fn down(error: impl std::fmt::Display) -> CountersDown {
    CountersDown(format!("redis: {error}"))
}

#[async_trait::async_trait]
impl LimitCounters for RedisCounters {
    async fn hit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
        _now: OffsetDateTime,
    ) -> Result<Hit, CountersDown> {
        let window_ms = window.whole_milliseconds().max(1) as i64;
        let mut connection = self.connection.clone();
        let mut invocation = self.script.key(format!("{}{key}", self.prefix));
        invocation.arg(window_ms);
        let answer = tokio::time::timeout(
            CALL_TIMEOUT,
            invocation.invoke_async::<(i64, i64)>(&mut connection),
        )
        .await
        .map_err(|_| down("no answer in time"))?
        .map_err(down)?;
        let (count, left_ms) = answer;
        if count <= i64::from(limit) {
            return Ok(Hit::Allowed);
        }
        Ok(Hit::Refused {
            retry_after_secs: (left_ms.max(1) as u64).div_ceil(1000),
        })
    }

    async fn check(&self) -> Result<(), CountersDown> {
        let mut connection = self.connection.clone();
        tokio::time::timeout(
            CALL_TIMEOUT,
            redis::cmd("PING").query_async::<String>(&mut connection),
        )
        .await
        .map_err(|_| down("no answer in time"))?
        .map(|_| ())
        .map_err(down)
    }

    fn kind(&self) -> &'static str {
        "redis"
    }
}
