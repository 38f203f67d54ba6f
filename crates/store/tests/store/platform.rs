//! Connecting, migrations, placeholders and leases (and the SQLite-only connection
//! details).

use sa_domain::store::Store;
use sa_store::SqlStore;
use sqlx::{AnyPool, Row};
use time::{Duration, OffsetDateTime};

use crate::fixtures::*;
use sa_test_support::store::Db;

sa_test_support::on_both_backends!(
    migrate_twice_is_idempotent,
    dollar_placeholders_bind_by_number,
    a_lease_has_one_holder_until_it_expires_or_is_given_up,
);

async fn migrate_twice_is_idempotent(db: Db) {
    db.store.migrate().await.expect("second migrate");
    db.store.migrate().await.expect("third migrate");
    db.store.ping().await.expect("ping");
    with_account(&db.store, "a1").await;
    assert!(db.store.account_by_id("a1").await.unwrap().is_some());
}

async fn dollar_placeholders_bind_by_number(db: Db) {
    let raw = db.raw().await;
    let row = sqlx::query("SELECT $2 AS second, $1 AS first, $2 AS again")
        .bind(7_i64)
        .bind("two")
        .fetch_one(&raw)
        .await
        .expect("query with $N placeholders");
    assert_eq!(row.try_get::<String, _>("second").unwrap(), "two");
    assert_eq!(row.try_get::<i64, _>("first").unwrap(), 7);
    assert_eq!(row.try_get::<String, _>("again").unwrap(), "two");
    raw.close().await;
}

async fn a_lease_has_one_holder_until_it_expires_or_is_given_up(db: Db) {
    let store = &db.store;
    let lease = Duration::seconds(7);
    let take = |holder: &'static str, now: OffsetDateTime| {
        store.take_lease("scheduled_jobs", holder, now, now + lease)
    };
    assert!(take("a", t(0)).await.unwrap(), "a free lease is taken");
    assert!(!take("b", t(1_000)).await.unwrap(), "held by another");
    assert!(take("a", t(2_000)).await.unwrap(), "its holder renews it");
    assert!(!take("b", t(8_999)).await.unwrap(), "renewed until 9 s");
    assert!(
        take("b", t(9_000)).await.unwrap(),
        "expired: another takes it"
    );
    assert!(!take("a", t(9_500)).await.unwrap());
    // Giving up a lease one does not hold changes nothing; the holder's frees it.
    store.release_lease("scheduled_jobs", "a").await.unwrap();
    assert!(!take("a", t(9_600)).await.unwrap());
    store.release_lease("scheduled_jobs", "b").await.unwrap();
    assert!(
        take("a", t(9_700)).await.unwrap(),
        "given up: taken at once"
    );
    // Another name is another lease.
    assert!(
        store
            .take_lease("other_job", "b", t(9_700), t(9_700) + lease)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn sqlite_in_memory_url_works() {
    let store = SqlStore::connect("sqlite::memory:", 8)
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    with_account(&store, "a1").await;
    assert!(store.account_by_id("a1").await.unwrap().is_some());
    store.close().await;
}

#[tokio::test]
async fn sqlite_file_is_created_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let store = SqlStore::connect(&format!("sqlite://{}", path.display()), 2)
        .await
        .expect("connect");
    assert!(path.exists());
    store.migrate().await.unwrap();
    let raw = AnyPool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let mode = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(mode.try_get::<String, _>(0).unwrap().to_lowercase(), "wal");
    raw.close().await;
    store.close().await;
}

#[tokio::test]
async fn unsupported_url_is_rejected_without_echoing_it() {
    let error = SqlStore::connect("mysql://root:hunter2@db/app", 1)
        .await
        .expect_err("rejected");
    assert!(!error.to_string().contains("hunter2"));
}
