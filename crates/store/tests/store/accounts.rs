//! Accounts: round trips, unique usernames, the second-factor try counter and lock, and
//! writes that name no account.

use sa_domain::store::{CodeTry, OutboxStore, Store, StoreError, Write};

use crate::fixtures::*;
use sa_test_support::store::Db;

sa_test_support::on_both_backends!(
    account_round_trips,
    duplicate_username_is_taken_and_rolls_back_the_change,
    code_failures_lock_at_threshold_and_reset,
    writes_for_an_unknown_account_are_rejected,
);

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
