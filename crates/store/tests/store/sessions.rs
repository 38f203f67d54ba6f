//! Sessions (read with their account), independent changes, sign-in and security
//! history, and known devices.

use sa_domain::model::SessionStage;
use sa_domain::store::{Change, Store, Write};
use sqlx::Row;
use time::Duration;

use crate::fixtures::*;
use sa_test_support::store::Db;

sa_test_support::on_both_backends!(
    session_insert_touch_delete,
    an_independent_change_keeps_the_writes_before_a_failure,
    logins_and_events_are_newest_first_with_limit,
    devices_are_remembered,
);

async fn session_insert_touch_delete(db: Db) {
    with_account(&db.store, "a1").await;
    let session = session("sha256-of-token", "a1", t(10));
    apply(&db.store, vec![Write::InsertSession(session)])
        .await
        .unwrap();
    let (read, account) = db
        .store
        .session_with_account("sha256-of-token")
        .await
        .unwrap()
        .expect("session");
    assert_eq!(read.id, "sha256-of-token");
    assert_eq!(account.id, "a1", "the session's account, read with it");
    assert_eq!(account.username, "user-a1");
    assert_eq!(account.created_at, t(0), "not the session's");
    assert_eq!(read.account_id, "a1");
    assert_eq!(read.stage, SessionStage::PasswordVerified);
    assert_eq!(read.created_at, t(10));
    assert_eq!(read.factor_verified_at, None);
    assert_eq!(read.ip.to_string(), "198.51.100.7");
    assert_eq!(read.user_agent, "agent");

    apply(
        &db.store,
        vec![Write::TouchSession {
            session_id: "sha256-of-token".into(),
            at: t(5_000),
        }],
    )
    .await
    .unwrap();
    let (touched, _) = db
        .store
        .session_with_account("sha256-of-token")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(touched.last_seen_at, t(5_000));
    assert_eq!(touched.created_at, t(10));

    apply(
        &db.store,
        vec![Write::DeleteSession {
            session_id: "sha256-of-token".into(),
        }],
    )
    .await
    .unwrap();
    let gone = db.store.session_with_account("sha256-of-token").await;
    assert!(gone.unwrap().is_none());
    let unknown = db.store.session_with_account("other").await;
    assert!(unknown.unwrap().is_none());
}

async fn an_independent_change_keeps_the_writes_before_a_failure(db: Db) {
    with_account(&db.store, "a1").await;
    let session = session("s1", "a1", t(0));
    let key = "pw:user";
    let now = t(0);
    let window = Duration::minutes(15);
    db.store
        .count_in_window(key, now - window, now)
        .await
        .unwrap();
    db.store
        .count_in_window(key, now - window, now)
        .await
        .unwrap();
    apply(&db.store, vec![Write::InsertSession(session.clone())])
        .await
        .unwrap();
    let count_back_then_same_session = || {
        Change::new()
            .with(Write::UncountInWindow { key: key.into() })
            .with(Write::InsertSession(session.clone()))
    };

    let atomic = db.store.apply(count_back_then_same_session()).await;
    assert!(atomic.is_err(), "the session id is taken");
    let (_, count) = db
        .store
        .count_in_window(key, now - window, now)
        .await
        .unwrap();
    assert_eq!(count, 3, "a transaction rolled the count back too");

    let independent = db
        .store
        .apply(count_back_then_same_session().independent())
        .await;
    assert!(independent.is_err(), "the failure is still reported");
    let (_, count) = db
        .store
        .count_in_window(key, now - window, now)
        .await
        .unwrap();
    assert_eq!(count, 3, "the count taken back stayed back (4 - 1)");
}

async fn logins_and_events_are_newest_first_with_limit(db: Db) {
    with_account(&db.store, "a1").await;
    with_account(&db.store, "a2").await;
    apply(
        &db.store,
        vec![
            Write::RecordLogin(login("l1", "a1", t(100), true)),
            Write::RecordLogin(login("l3", "a1", t(300), false)),
            Write::RecordLogin(login("l2", "a1", t(200), true)),
            Write::RecordLogin(login("l4", "a1", t(300), true)),
            Write::RecordLogin(login("x1", "a2", t(999), true)),
            Write::RecordEvent(event("e2", "a1", t(200))),
            Write::RecordEvent(event("e1", "a1", t(100))),
            Write::RecordEvent(event("e3", "a1", t(200))),
            Write::RecordEvent(event("y1", "a2", t(999))),
        ],
    )
    .await
    .unwrap();

    let logins = db.store.recent_logins("a1", 3).await.unwrap();
    let ids: Vec<&str> = logins.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["l4", "l3", "l2"]);
    assert!(logins[0].success);
    assert_eq!(logins[0].reason, None);
    assert!(!logins[1].success);
    assert_eq!(logins[1].reason.as_deref(), Some("wrong_password"));
    assert_eq!(logins[1].at, t(300));
    assert_eq!(logins[1].method, "password");
    assert_eq!(logins[1].ip, "192.0.2.1");
    assert_eq!(logins[1].user_agent, "test agent");
    assert_eq!(db.store.recent_logins("a1", 10).await.unwrap().len(), 4);
    assert!(db.store.recent_logins("a1", 0).await.unwrap().is_empty());

    let events = db.store.security_events("a1", 2).await.unwrap();
    let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["e3", "e2"]);
    assert_eq!(events[0].kind, "factor_added");
    assert_eq!(events[0].detail, "event e3");
    assert_eq!(events[0].account_id, "a1");
    assert_eq!(db.store.security_events("a1", 10).await.unwrap().len(), 3);
}

async fn devices_are_remembered(db: Db) {
    with_account(&db.store, "a1").await;
    assert!(!db.store.device_known("a1", "d1").await.unwrap());
    let remember = |at| Write::RememberDevice {
        account_id: "a1".into(),
        device_hash: "d1".into(),
        at,
    };
    apply(&db.store, vec![remember(t(1))]).await.unwrap();
    apply(&db.store, vec![remember(t(2))])
        .await
        .expect("refresh is an upsert");
    assert!(db.store.device_known("a1", "d1").await.unwrap());
    assert!(!db.store.device_known("a1", "d2").await.unwrap());

    let raw = db.raw().await;
    let row = sqlx::query("SELECT first_seen, last_seen FROM known_devices WHERE account_id = $1")
        .bind("a1")
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(
        row.try_get::<i64, _>("first_seen").unwrap(),
        1_700_000_000_001
    );
    assert_eq!(
        row.try_get::<i64, _>("last_seen").unwrap(),
        1_700_000_000_002
    );
    raw.close().await;
}
