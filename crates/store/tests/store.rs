//! Behaviour of `SqlStore` against SQLite (a temporary file) and, when
//! `SA_TEST_POSTGRES_URL` is set, PostgreSQL (a fresh database per test, dropped after).
//! Every test below runs once per backend: `sqlite::<name>` and `postgres::<name>`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

use sa_domain::clock::from_millis;
use sa_domain::model::{
    Account, Channel, Factor, FactorKind, LoginRecord, OneTimeCode, SecurityEvent, Session,
    SessionStage,
};
use sa_domain::store::{Change, CodeTry, OutboxStore, Store, StoreError, StoreResult, Write};
use sa_store::SqlStore;
use sqlx::{AnyPool, Row};
use time::{Duration, OffsetDateTime};

use sa_test_support::on_both_backends;
use sa_test_support::store::Db;

on_both_backends!(
    migrate_twice_is_idempotent,
    dollar_placeholders_bind_by_number,
    account_round_trips,
    duplicate_username_is_taken_and_rolls_back_the_change,
    consume_code_twice_fails_the_second_time,
    latest_code_is_the_newest_of_purpose_and_factor,
    totp_step_must_increase,
    backup_code_can_be_used_once,
    code_failures_lock_at_threshold_and_reset,
    factor_failures_disable_at_threshold,
    count_in_window_restarts_after_the_window,
    counters_are_swept_once_their_window_is_over,
    logins_and_events_are_newest_first_with_limit,
    session_insert_touch_delete,
    devices_are_remembered,
    outbox_claim_retry_and_sent,
    outbox_dead_and_claim_order,
    outbox_finished_records_are_purged_after_their_time,
    outbox_concurrent_claims_never_overlap,
    writes_for_an_unknown_account_are_rejected,
    a_lease_has_one_holder_until_it_expires_or_is_given_up,
);

// ---------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------

/// A fixed instant plus `ms` milliseconds (whole milliseconds round-trip exactly).
fn t(ms: i64) -> OffsetDateTime {
    from_millis(1_700_000_000_000 + ms)
}

fn account(id: &str, username: &str) -> Account {
    Account {
        id: id.to_owned(),
        username: username.to_owned(),
        email_sealed: format!("sealed-email-{id}"),
        password_hash: "$argon2id$v=19$...".to_owned(),
        created_at: t(0),
        email_confirmed_at: None,
        code_failures: 0,
        code_locked_until: None,
        identity_verified_at: None,
        identity_verified_by: None,
        password_change_required: false,
        password_reset_required: false,
        deleted_at: None,
        disabled_at: None,
        language: sa_i18n::Lang::Es,
    }
}

fn factor(id: &str, account_id: &str, kind: FactorKind, created_at: OffsetDateTime) -> Factor {
    Factor {
        id: id.to_owned(),
        account_id: account_id.to_owned(),
        kind,
        label: format!("label {id}"),
        secret_sealed: Some(format!("sealed-secret-{id}")),
        created_at,
        confirmed_at: None,
        last_used_at: None,
        last_totp_step: None,
        consecutive_failures: 0,
        disabled_at: None,
    }
}

fn code(
    id: &str,
    account_id: &str,
    purpose: &str,
    factor_id: Option<&str>,
    created_at: OffsetDateTime,
) -> OneTimeCode {
    OneTimeCode {
        id: id.to_owned(),
        account_id: account_id.to_owned(),
        purpose: purpose.to_owned(),
        factor_id: factor_id.map(str::to_owned),
        code_hash: format!("hash-{id}"),
        created_at,
        expires_at: created_at + Duration::minutes(10),
        used_at: None,
        attempts: 0,
    }
}

fn login(id: &str, account_id: &str, at: OffsetDateTime, success: bool) -> LoginRecord {
    LoginRecord {
        id: id.to_owned(),
        account_id: account_id.to_owned(),
        at,
        ip: "192.0.2.1".to_owned(),
        user_agent: "test agent".to_owned(),
        method: "password".to_owned(),
        success,
        reason: (!success).then(|| "wrong_password".to_owned()),
    }
}

fn event(id: &str, account_id: &str, at: OffsetDateTime) -> SecurityEvent {
    SecurityEvent {
        id: id.to_owned(),
        account_id: account_id.to_owned(),
        at,
        kind: "factor_added".to_owned(),
        detail: format!("event {id}"),
    }
}

fn enqueue(id: &str, at: OffsetDateTime) -> Write {
    Write::Enqueue {
        id: id.to_owned(),
        at,
        channel: Channel::Email,
        payload_sealed: format!("sealed-{id}"),
    }
}

async fn apply(store: &SqlStore, writes: Vec<Write>) -> StoreResult<()> {
    store.apply(Change { writes }).await
}

async fn with_account(store: &SqlStore, id: &str) {
    apply(
        store,
        vec![Write::InsertAccount(account(id, &format!("user-{id}")))],
    )
    .await
    .expect("insert account");
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

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

async fn account_round_trips(db: Db) {
    let mut alice = account("a1", "alice");
    alice.email_confirmed_at = Some(t(5));
    alice.code_locked_until = Some(t(9));
    alice.code_failures = 2;
    apply(&db.store, vec![Write::InsertAccount(alice.clone())])
        .await
        .unwrap();

    let by_name = db
        .store
        .account_by_username("alice")
        .await
        .unwrap()
        .expect("by username");
    let by_id = db.store.account_by_id("a1").await.unwrap().expect("by id");
    for read in [by_name, by_id] {
        assert_eq!(read.id, "a1");
        assert_eq!(read.username, "alice");
        assert_eq!(read.email_sealed, alice.email_sealed);
        assert_eq!(read.password_hash, alice.password_hash);
        assert_eq!(read.created_at, t(0));
        assert_eq!(read.email_confirmed_at, Some(t(5)));
        assert_eq!(read.code_failures, 2);
        assert_eq!(read.code_locked_until, Some(t(9)));
    }
    assert!(db.store.account_by_username("bob").await.unwrap().is_none());
    assert!(db.store.account_by_id("nope").await.unwrap().is_none());

    apply(&db.store, vec![Write::InsertAccount(account("a2", "bob"))])
        .await
        .unwrap();
    apply(
        &db.store,
        vec![Write::ConfirmEmail {
            account_id: "a2".into(),
            at: t(42),
        }],
    )
    .await
    .unwrap();
    let bob = db.store.account_by_id("a2").await.unwrap().unwrap();
    assert_eq!(bob.email_confirmed_at, Some(t(42)));
    assert_eq!(bob.code_locked_until, None);
}

async fn duplicate_username_is_taken_and_rolls_back_the_change(db: Db) {
    apply(
        &db.store,
        vec![Write::InsertAccount(account("a1", "alice"))],
    )
    .await
    .unwrap();

    let result = apply(
        &db.store,
        vec![
            Write::InsertAccount(account("b1", "bob")),
            Write::RecordEvent(event("e1", "a1", t(1))),
            enqueue("m1", t(1)),
            Write::InsertAccount(account("a2", "alice")),
        ],
    )
    .await;
    assert!(
        matches!(result, Err(StoreError::UsernameTaken)),
        "got {result:?}"
    );

    assert!(
        db.store.account_by_username("bob").await.unwrap().is_none(),
        "bob was rolled back"
    );
    assert!(db.store.account_by_id("a2").await.unwrap().is_none());
    assert!(
        db.store.security_events("a1", 10).await.unwrap().is_empty(),
        "event rolled back"
    );
    assert_eq!(
        db.store.pending_count().await.unwrap(),
        0,
        "outbox rolled back"
    );
    assert_eq!(
        db.store
            .account_by_username("alice")
            .await
            .unwrap()
            .unwrap()
            .id,
        "a1"
    );
}

async fn consume_code_twice_fails_the_second_time(db: Db) {
    with_account(&db.store, "a1").await;
    apply(
        &db.store,
        vec![Write::InsertCode(code("c1", "a1", "email", None, t(0)))],
    )
    .await
    .unwrap();

    apply(
        &db.store,
        vec![Write::ConsumeCode {
            code_id: "c1".into(),
            at: t(10),
        }],
    )
    .await
    .unwrap();
    let second = apply(
        &db.store,
        vec![
            Write::RecordEvent(event("e1", "a1", t(11))),
            Write::ConsumeCode {
                code_id: "c1".into(),
                at: t(11),
            },
        ],
    )
    .await;
    assert!(
        matches!(second, Err(StoreError::GuardFailed(_))),
        "got {second:?}"
    );
    assert!(
        db.store.security_events("a1", 10).await.unwrap().is_empty(),
        "rolled back"
    );

    let missing = apply(
        &db.store,
        vec![Write::ConsumeCode {
            code_id: "nope".into(),
            at: t(12),
        }],
    )
    .await;
    assert!(matches!(missing, Err(StoreError::GuardFailed(_))));

    // latest_code returns used codes too, with their use time.
    let latest = db
        .store
        .latest_code("a1", "email", None)
        .await
        .unwrap()
        .expect("latest");
    assert_eq!(latest.id, "c1");
    assert_eq!(latest.used_at, Some(t(10)));
}

async fn latest_code_is_the_newest_of_purpose_and_factor(db: Db) {
    with_account(&db.store, "a1").await;
    with_account(&db.store, "a2").await;
    apply(
        &db.store,
        vec![
            Write::InsertFactor(factor("f1", "a1", FactorKind::Sms, t(0))),
            Write::InsertCode(code("c1", "a1", "sms_sign_in", None, t(100))),
            Write::InsertCode(code("c3", "a1", "sms_sign_in", Some("f1"), t(200))),
            // Same millisecond as c3: the id breaks the tie.
            Write::InsertCode(code("c2", "a1", "sms_sign_in", Some("f1"), t(200))),
            Write::InsertCode(code("c4", "a1", "email", None, t(300))),
            Write::InsertCode(code("c5", "a2", "sms_sign_in", None, t(400))),
        ],
    )
    .await
    .unwrap();

    let newest = db
        .store
        .latest_code("a1", "sms_sign_in", None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(newest.id, "c3");
    assert_eq!(newest.factor_id.as_deref(), Some("f1"));
    assert_eq!(newest.code_hash, "hash-c3");
    assert_eq!(newest.created_at, t(200));
    assert_eq!(newest.expires_at, t(200) + Duration::minutes(10));
    assert_eq!(newest.used_at, None);
    assert_eq!(
        db.store
            .latest_code("a1", "sms_sign_in", Some("f1"))
            .await
            .unwrap()
            .unwrap()
            .id,
        "c3"
    );
    assert!(
        db.store
            .latest_code("a1", "sms_sign_in", Some("f9"))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.store
            .latest_code("a1", "phone_enrol", None)
            .await
            .unwrap()
            .is_none()
    );

    assert_eq!(
        db.store
            .codes_created_since("a1", "sms_sign_in", t(0))
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        db.store
            .codes_created_since("a1", "sms_sign_in", t(200))
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        db.store
            .codes_created_since("a1", "sms_sign_in", t(201))
            .await
            .unwrap(),
        0
    );

    apply(
        &db.store,
        vec![
            Write::CountCodeAttempt {
                code_id: "c3".into(),
            },
            Write::CountCodeAttempt {
                code_id: "c3".into(),
            },
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        db.store
            .latest_code("a1", "sms_sign_in", None)
            .await
            .unwrap()
            .unwrap()
            .attempts,
        2
    );

    apply(
        &db.store,
        vec![Write::RetireCodes {
            account_id: "a1".into(),
            purpose: "sms_sign_in".into(),
            at: t(500),
        }],
    )
    .await
    .unwrap();
    let retired = db
        .store
        .latest_code("a1", "sms_sign_in", None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(retired.used_at, Some(t(500)));
    assert_eq!(
        db.store
            .latest_code("a1", "email", None)
            .await
            .unwrap()
            .unwrap()
            .used_at,
        None,
        "other purpose"
    );
    assert_eq!(
        db.store
            .latest_code("a2", "sms_sign_in", None)
            .await
            .unwrap()
            .unwrap()
            .used_at,
        None,
        "other account"
    );
}

async fn totp_step_must_increase(db: Db) {
    with_account(&db.store, "a1").await;
    apply(
        &db.store,
        vec![Write::InsertFactor(factor(
            "f1",
            "a1",
            FactorKind::Totp,
            t(0),
        ))],
    )
    .await
    .unwrap();
    let advance = |step: i64, _at: OffsetDateTime| Write::AdvanceTotpStep {
        factor_id: "f1".into(),
        step,
    };

    apply(&db.store, vec![advance(100, t(1))])
        .await
        .expect("first step");
    let replay = apply(&db.store, vec![advance(100, t(2))]).await;
    assert!(
        matches!(replay, Err(StoreError::GuardFailed(_))),
        "got {replay:?}"
    );
    let older = apply(&db.store, vec![advance(99, t(2))]).await;
    assert!(
        matches!(older, Err(StoreError::GuardFailed(_))),
        "got {older:?}"
    );
    apply(&db.store, vec![advance(101, t(3))])
        .await
        .expect("higher step");

    let factors = db.store.factors("a1").await.unwrap();
    assert_eq!(factors.len(), 1);
    assert_eq!(factors[0].last_totp_step, Some(101));
    assert_eq!(
        factors[0].last_used_at, None,
        "a step alone is not a use (FactorUsed records that)"
    );
}

async fn backup_code_can_be_used_once(db: Db) {
    with_account(&db.store, "a1").await;
    apply(
        &db.store,
        vec![
            Write::InsertFactor(factor("f1", "a1", FactorKind::BackupCodes, t(0))),
            Write::InsertBackupCodes {
                factor_id: "f1".into(),
                code_hashes: vec!["h1".into(), "h2".into()],
            },
        ],
    )
    .await
    .unwrap();
    assert_eq!(db.store.backup_codes_left("f1").await.unwrap(), 2);
    assert_eq!(
        db.store.backup_code_used_at("f1", "h1").await.unwrap(),
        Some(None)
    );
    assert_eq!(
        db.store.backup_code_used_at("f1", "zz").await.unwrap(),
        None
    );

    let use_h1 = |at| Write::UseBackupCode {
        factor_id: "f1".into(),
        code_hash: "h1".into(),
        at,
    };
    apply(&db.store, vec![use_h1(t(10))])
        .await
        .expect("first use");
    let again = apply(&db.store, vec![use_h1(t(11))]).await;
    assert!(
        matches!(again, Err(StoreError::GuardFailed(_))),
        "got {again:?}"
    );
    let unknown = apply(
        &db.store,
        vec![Write::UseBackupCode {
            factor_id: "f1".into(),
            code_hash: "zz".into(),
            at: t(12),
        }],
    )
    .await;
    assert!(
        matches!(unknown, Err(StoreError::GuardFailed(_))),
        "got {unknown:?}"
    );

    assert_eq!(
        db.store.backup_code_used_at("f1", "h1").await.unwrap(),
        Some(Some(t(10)))
    );
    assert_eq!(db.store.backup_codes_left("f1").await.unwrap(), 1);

    apply(
        &db.store,
        vec![Write::DeleteFactor {
            factor_id: "f1".into(),
        }],
    )
    .await
    .unwrap();
    assert!(db.store.factors("a1").await.unwrap().is_empty());
    assert_eq!(db.store.backup_codes_left("f1").await.unwrap(), 0);
    assert_eq!(
        db.store.backup_code_used_at("f1", "h2").await.unwrap(),
        None
    );
}

async fn code_failures_lock_at_threshold_and_reset(db: Db) {
    with_account(&db.store, "a1").await;
    let claim = |at_ms: i64| {
        let store = db.store.clone();
        async move {
            store
                .claim_code_try("a1", 3, t(at_ms), t(at_ms + 900_000))
                .await
                .unwrap()
        }
    };
    let unlocked = CodeTry::Claimed { set_lock: false };

    assert_eq!(claim(1).await, unlocked);
    assert_eq!(claim(2).await, unlocked);
    let before = db.store.account_by_id("a1").await.unwrap().unwrap();
    assert_eq!(before.code_failures, 2);
    assert_eq!(before.code_locked_until, None);

    assert_eq!(claim(3).await, CodeTry::Claimed { set_lock: true });
    let locked = db.store.account_by_id("a1").await.unwrap().unwrap();
    assert_eq!(locked.code_failures, 0, "reset when locking");
    assert_eq!(locked.code_locked_until, Some(t(900_003)));

    assert_eq!(
        claim(900_002).await,
        CodeTry::Locked {
            until: Some(t(900_003))
        },
        "no try is counted while locked"
    );
    assert_eq!(claim(900_003).await, unlocked, "the lock ends at its time");
    let after = db.store.account_by_id("a1").await.unwrap().unwrap();
    assert_eq!(after.code_failures, 1);

    apply(
        &db.store,
        vec![Write::ResetCodeFailures {
            account_id: "a1".into(),
            clear_lock_until: None,
        }],
    )
    .await
    .unwrap();
    let reset = db.store.account_by_id("a1").await.unwrap().unwrap();
    assert_eq!(reset.code_failures, 0);

    // A correct code whose own claim set the lock lifts it; another lock stays.
    claim(1_000_000).await;
    claim(1_000_001).await;
    assert_eq!(claim(1_000_002).await, CodeTry::Claimed { set_lock: true });
    let reset_other = |until_ms: i64| Write::ResetCodeFailures {
        account_id: "a1".into(),
        clear_lock_until: Some(t(until_ms)),
    };
    apply(&db.store, vec![reset_other(5)]).await.unwrap();
    let kept = db.store.account_by_id("a1").await.unwrap().unwrap();
    assert_eq!(kept.code_locked_until, Some(t(1_900_002)));
    apply(&db.store, vec![reset_other(1_900_002)])
        .await
        .unwrap();
    let lifted = db.store.account_by_id("a1").await.unwrap().unwrap();
    assert_eq!(lifted.code_locked_until, None);
    assert_eq!(
        claim(1_000_003).await,
        unlocked,
        "tries are checked again at once"
    );
    assert_eq!(
        db.store
            .claim_code_try("nobody", 3, t(0), t(1))
            .await
            .unwrap(),
        CodeTry::Locked { until: None },
        "an unknown account is never claimed"
    );
}

async fn factor_failures_disable_at_threshold(db: Db) {
    with_account(&db.store, "a1").await;
    let mut f1 = factor("f1", "a1", FactorKind::Totp, t(0));
    f1.confirmed_at = Some(t(1));
    apply(&db.store, vec![Write::InsertFactor(f1)])
        .await
        .unwrap();
    let fail = |at| Write::CountFactorFailure {
        factor_id: "f1".into(),
        disable_at: 3,
        at,
    };

    apply(&db.store, vec![fail(t(10)), fail(t(11))])
        .await
        .unwrap();
    let f = &db.store.factors("a1").await.unwrap()[0];
    assert_eq!(f.consecutive_failures, 2);
    assert!(f.is_active());

    apply(
        &db.store,
        vec![Write::FactorUsed {
            factor_id: "f1".into(),
            at: t(12),
        }],
    )
    .await
    .unwrap();
    let f = &db.store.factors("a1").await.unwrap()[0];
    assert_eq!(f.consecutive_failures, 0);
    assert_eq!(f.last_used_at, Some(t(12)));

    apply(&db.store, vec![fail(t(20)), fail(t(21)), fail(t(22))])
        .await
        .unwrap();
    let f = &db.store.factors("a1").await.unwrap()[0];
    assert_eq!(f.consecutive_failures, 3);
    assert_eq!(f.disabled_at, Some(t(22)));
    assert!(!f.is_active());

    apply(&db.store, vec![fail(t(30))]).await.unwrap();
    let f = &db.store.factors("a1").await.unwrap()[0];
    assert_eq!(f.consecutive_failures, 4);
    assert_eq!(f.disabled_at, Some(t(22)), "first disable time kept");
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

async fn session_insert_touch_delete(db: Db) {
    with_account(&db.store, "a1").await;
    let session = Session {
        id: "sha256-of-token".into(),
        account_id: "a1".into(),
        stage: SessionStage::PasswordVerified,
        created_at: t(0),
        last_seen_at: t(0),
        factor_verified_at: None,
        auth_method: None,
        ip: std::net::IpAddr::from([198, 51, 100, 7]),
        user_agent: "agent".into(),
    };
    apply(&db.store, vec![Write::InsertSession(session)])
        .await
        .unwrap();
    let read = db
        .store
        .session("sha256-of-token")
        .await
        .unwrap()
        .expect("session");
    assert_eq!(read.account_id, "a1");
    assert_eq!(read.stage, SessionStage::PasswordVerified);
    assert_eq!(read.created_at, t(0));
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
    let touched = db.store.session("sha256-of-token").await.unwrap().unwrap();
    assert_eq!(touched.last_seen_at, t(5_000));
    assert_eq!(touched.created_at, t(0));

    apply(
        &db.store,
        vec![Write::DeleteSession {
            session_id: "sha256-of-token".into(),
        }],
    )
    .await
    .unwrap();
    assert!(db.store.session("sha256-of-token").await.unwrap().is_none());
    assert!(db.store.session("other").await.unwrap().is_none());
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

async fn outbox_claim_retry_and_sent(db: Db) {
    apply(&db.store, vec![enqueue("m1", t(0)), enqueue("m2", t(1))])
        .await
        .unwrap();
    assert_eq!(db.store.pending_count().await.unwrap(), 2);

    assert!(
        db.store
            .claim_due(t(-1), t(30_000), 10)
            .await
            .unwrap()
            .is_empty(),
        "not due yet"
    );
    let claimed = db.store.claim_due(t(1), t(30_000), 10).await.unwrap();
    let ids: Vec<&str> = claimed.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["m1", "m2"], "oldest first");
    assert_eq!(claimed[0].attempts, 1);
    assert_eq!(claimed[0].channel, Channel::Email);
    assert_eq!(claimed[0].payload_sealed, "sealed-m1");
    assert_eq!(claimed[0].created_at, t(0));

    assert!(
        db.store
            .claim_due(t(10_000), t(40_000), 10)
            .await
            .unwrap()
            .is_empty(),
        "claimed until t(30_000)"
    );

    db.store
        .mark_retry("m1", t(120_000), &"x".repeat(2_000))
        .await
        .unwrap();
    db.store.mark_sent("m2", t(2_000)).await.unwrap();
    assert_eq!(db.store.pending_count().await.unwrap(), 1);
    assert!(
        db.store
            .claim_due(t(60_000), t(90_000), 10)
            .await
            .unwrap()
            .is_empty(),
        "m1 waits for its retry time"
    );

    let retried = db
        .store
        .claim_due(t(120_000), t(150_000), 10)
        .await
        .unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].id, "m1");
    assert_eq!(retried[0].attempts, 2);

    let raw = db.raw().await;
    let sent = sqlx::query(
        "SELECT status, payload_sealed, sent_at, claimed_until FROM outbox WHERE id = $1",
    )
    .bind("m2")
    .fetch_one(&raw)
    .await
    .unwrap();
    assert_eq!(sent.try_get::<String, _>("status").unwrap(), "sent");
    assert_eq!(
        sent.try_get::<Option<String>, _>("payload_sealed").unwrap(),
        None,
        "payload erased"
    );
    assert_eq!(
        sent.try_get::<Option<i64>, _>("sent_at").unwrap(),
        Some(1_700_000_002_000)
    );
    assert_eq!(
        sent.try_get::<Option<i64>, _>("claimed_until").unwrap(),
        None
    );
    let retry = sqlx::query("SELECT last_error FROM outbox WHERE id = $1")
        .bind("m1")
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(
        retry
            .try_get::<Option<String>, _>("last_error")
            .unwrap()
            .unwrap()
            .chars()
            .count(),
        500
    );
    raw.close().await;
}

async fn outbox_finished_records_are_purged_after_their_time(db: Db) {
    apply(
        &db.store,
        vec![
            enqueue("sent", t(0)),
            enqueue("dead", t(0)),
            enqueue("waiting", t(0)),
        ],
    )
    .await
    .unwrap();
    db.store.mark_sent("sent", t(1_000)).await.unwrap();
    db.store
        .mark_dead("dead", t(2_000), "refused")
        .await
        .unwrap();
    assert_eq!(db.store.purge_finished(t(999)).await.unwrap(), 0);
    assert_eq!(db.store.purge_finished(t(1_000)).await.unwrap(), 1);
    assert_eq!(db.store.purge_finished(t(5_000)).await.unwrap(), 1);
    assert_eq!(db.store.purge_finished(t(10_000_000)).await.unwrap(), 0);
    let raw = db.raw().await;
    let left = sqlx::query("SELECT id FROM outbox")
        .fetch_all(&raw)
        .await
        .unwrap();
    let left: Vec<String> = left.iter().map(|r| r.try_get("id").unwrap()).collect();
    assert_eq!(left, ["waiting"], "a pending message is never purged");
    raw.close().await;
}

async fn outbox_dead_and_claim_order(db: Db) {
    apply(
        &db.store,
        vec![
            enqueue("m3", t(3)),
            enqueue("m1", t(1)),
            enqueue("m2", t(1)),
        ],
    )
    .await
    .unwrap();
    let first = db.store.claim_due(t(10), t(1_000), 2).await.unwrap();
    let ids: Vec<&str> = first.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["m1", "m2"], "by created_at, then id; limited");
    let rest = db.store.claim_due(t(10), t(1_000), 2).await.unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].id, "m3");
    assert!(
        db.store
            .claim_due(t(10), t(1_000), 0)
            .await
            .unwrap()
            .is_empty()
    );

    db.store
        .mark_dead("m3", t(20), "mailbox does not exist")
        .await
        .unwrap();
    assert_eq!(db.store.pending_count().await.unwrap(), 2);
    // A lapsed claim makes m1 and m2 claimable again; m3 never.
    let again = db.store.claim_due(t(1_000), t(2_000), 10).await.unwrap();
    let ids: Vec<&str> = again.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["m1", "m2"]);
    assert!(again.iter().all(|m| m.attempts == 2));

    let raw = db.raw().await;
    let dead = sqlx::query("SELECT status, payload_sealed, last_error FROM outbox WHERE id = $1")
        .bind("m3")
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(dead.try_get::<String, _>("status").unwrap(), "dead");
    assert_eq!(
        dead.try_get::<Option<String>, _>("payload_sealed").unwrap(),
        None
    );
    assert_eq!(
        dead.try_get::<Option<String>, _>("last_error")
            .unwrap()
            .as_deref(),
        Some("mailbox does not exist")
    );
    raw.close().await;
}

async fn outbox_concurrent_claims_never_overlap(db: Db) {
    let writes = (0..24)
        .map(|i| enqueue(&format!("m{i:02}"), t(i)))
        .collect();
    apply(&db.store, writes).await.unwrap();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let store = db.store.clone();
            tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let batch = store.claim_due(t(100), t(60_000), 5).await.expect("claim");
                    if batch.is_empty() {
                        break mine;
                    }
                    mine.extend(batch.into_iter().map(|m| m.id));
                }
            })
        })
        .collect();
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.unwrap());
    }
    all.sort();
    let before = all.len();
    all.dedup();
    assert_eq!(before, all.len(), "a message was claimed twice");
    assert_eq!(all.len(), 24);
}

async fn writes_for_an_unknown_account_are_rejected(db: Db) {
    let result = apply(
        &db.store,
        vec![
            enqueue("m1", t(0)),
            Write::RecordEvent(event("e1", "ghost", t(0))),
        ],
    )
    .await;
    assert!(
        matches!(result, Err(StoreError::Unavailable(_))),
        "got {result:?}"
    );
    assert_eq!(db.store.pending_count().await.unwrap(), 0, "rolled back");

    // Order inside a change does not matter: foreign keys are checked at commit.
    apply(
        &db.store,
        vec![
            Write::RecordEvent(event("e1", "a1", t(0))),
            Write::InsertAccount(account("a1", "alice")),
        ],
    )
    .await
    .expect("child before parent in one change");
    assert_eq!(db.store.security_events("a1", 10).await.unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------
// SQLite only
// ---------------------------------------------------------------------------------------

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
