//! The Redis counters against a real Redis (`SA_TEST_REDIS_URL`; without it the tests
//! that need one print a notice and pass), each test under its own key prefix.

use sa_domain::limiter::{Hit, LimitCounters};
use sa_redis::RedisCounters;
use time::{Duration, OffsetDateTime};

fn redis_url() -> Option<String> {
    match std::env::var("SA_TEST_REDIS_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!("redis tests skipped: set SA_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379)");
            None
        }
    }
}

fn fresh_prefix() -> String {
    let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
    format!("sa-test:{nanos}:{}:", std::process::id())
}

#[tokio::test]
async fn two_handles_share_one_window_and_the_refusal_says_when_it_ends() {
    let Some(url) = redis_url() else { return };
    let prefix = fresh_prefix();
    // Two handles, as two instances would hold.
    let first = RedisCounters::new(&url, &prefix).unwrap();
    let second = RedisCounters::new(&url, &prefix).unwrap();
    first.check().await.unwrap();
    let now = OffsetDateTime::now_utc();
    let window = Duration::minutes(10);
    for turn in 0..4 {
        let counters = if turn % 2 == 0 { &first } else { &second };
        assert_eq!(
            counters.hit("ip_sign_in:a", 4, window, now).await.unwrap(),
            Hit::Allowed
        );
    }
    match second.hit("ip_sign_in:a", 4, window, now).await.unwrap() {
        Hit::Refused { retry_after_secs } => {
            assert!((1..=600).contains(&retry_after_secs), "{retry_after_secs}");
        }
        Hit::Allowed => panic!("the fifth hit across two handles must be refused"),
    }
    // Another key, another window.
    assert_eq!(
        first.hit("ip_sign_in:b", 4, window, now).await.unwrap(),
        Hit::Allowed
    );
    assert_eq!(first.kind(), "redis");
}

#[tokio::test]
async fn an_unreachable_redis_is_reported_not_waited_for() {
    // A port nothing listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let counters = RedisCounters::new(&format!("redis://127.0.0.1:{port}"), "x:").unwrap();
    let now = OffsetDateTime::now_utc();
    assert!(counters.check().await.is_err());
    assert!(
        counters
            .hit("ip_sign_in:a", 4, Duration::minutes(1), now)
            .await
            .is_err()
    );
}

#[test]
fn a_malformed_url_is_named() {
    let error = RedisCounters::new("not a url", "x:").err().unwrap();
    assert!(error.contains("redis_url"), "{error}");
}
