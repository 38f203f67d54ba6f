//! Fixed-window counters: counting, windows that restart, and the sweep.

use sa_domain::store::Store;
use time::{Duration, OffsetDateTime};

use crate::fixtures::*;
use sa_test_support::store::Db;

sa_test_support::on_both_backends!(
    count_in_window_restarts_after_the_window,
    counters_are_swept_once_their_window_is_over,
);

async fn count_in_window_restarts_after_the_window(db: Db) {
    let window = Duration::seconds(60);
    let count = |now: OffsetDateTime| db.store.count_in_window("ip:192.0.2.1", now - window, now);
    assert_eq!(db.store.counter("ip:192.0.2.1").await.unwrap(), None);

    assert_eq!(count(t(0)).await.unwrap(), (t(0), 1));
    assert_eq!(
        db.store.counter("ip:192.0.2.1").await.unwrap(),
        Some((t(0), 1))
    );
    assert_eq!(count(t(10_000)).await.unwrap(), (t(0), 2));
    assert_eq!(count(t(30_000)).await.unwrap(), (t(0), 3));
    assert_eq!(
        db.store.counter("ip:192.0.2.1").await.unwrap(),
        Some((t(0), 3))
    );
    count(t(60_000)).await.unwrap();
    assert_eq!(
        db.store.counter("ip:192.0.2.1").await.unwrap(),
        Some((t(0), 4)),
        "window still open at its end"
    );

    count(t(60_001)).await.unwrap();
    assert_eq!(
        db.store.counter("ip:192.0.2.1").await.unwrap(),
        Some((t(60_001), 1)),
        "restarted"
    );
    assert_eq!(count(t(61_000)).await.unwrap(), (t(60_001), 2));
    assert_eq!(
        db.store.counter("ip:192.0.2.1").await.unwrap(),
        Some((t(60_001), 2))
    );
    assert_eq!(db.store.counter("other").await.unwrap(), None);
}

async fn counters_are_swept_once_their_window_is_over(db: Db) {
    let minute = time::Duration::minutes(1);
    let hour = time::Duration::hours(1);
    let count = |key: &'static str, window: time::Duration, now: OffsetDateTime| {
        db.store.count_in_window(key, now - window, now)
    };
    count("short", minute, t(0)).await.unwrap();
    count("long", hour, t(0)).await.unwrap();
    // A later count in the same window keeps the window's end.
    count("long", hour, t(30 * 60_000)).await.unwrap();
    assert_eq!(
        db.store.sweep_counters(t(60_000)).await.unwrap(),
        0,
        "still open at its end"
    );
    assert_eq!(db.store.sweep_counters(t(60_001)).await.unwrap(), 1);
    assert_eq!(db.store.counter("short").await.unwrap(), None);
    assert_eq!(
        db.store.counter("long").await.unwrap(),
        Some((t(0), 2)),
        "an open window is never swept"
    );
    assert_eq!(db.store.sweep_counters(t(3_600_000)).await.unwrap(), 0);
    assert_eq!(db.store.sweep_counters(t(3_600_001)).await.unwrap(), 1);
    // A swept counter starts again at one.
    assert_eq!(
        count("short", minute, t(90_000)).await.unwrap(),
        (t(90_000), 1)
    );
}
