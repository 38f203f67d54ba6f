//! Factors: the authenticator step that only goes up, and failures that turn a factor off.

use sa_domain::model::FactorKind;
use sa_domain::store::{Store, StoreError, Write};
use time::OffsetDateTime;

use crate::fixtures::*;
use sa_test_support::store::Db;

sa_test_support::on_both_backends!(
    totp_step_must_increase,
    factor_failures_disable_at_threshold,
);

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
    let advance = |step: i64, used_at: Option<OffsetDateTime>| Write::AdvanceTotpStep {
        factor_id: "f1".into(),
        step,
        used_at,
    };

    apply(&db.store, vec![advance(100, None)])
        .await
        .expect("first step");
    let factors = db.store.factors("a1").await.unwrap();
    assert_eq!(factors[0].last_totp_step, Some(100));
    assert_eq!(
        factors[0].last_used_at, None,
        "a step alone (an app being confirmed) is not a use"
    );
    let replay = apply(&db.store, vec![advance(100, Some(t(2)))]).await;
    assert!(
        matches!(replay, Err(StoreError::GuardFailed(_))),
        "got {replay:?}"
    );
    let older = apply(&db.store, vec![advance(99, Some(t(2)))]).await;
    assert!(
        matches!(older, Err(StoreError::GuardFailed(_))),
        "got {older:?}"
    );
    let factors = db.store.factors("a1").await.unwrap();
    assert_eq!(
        factors[0].last_used_at, None,
        "a refused step records no use"
    );
    apply(
        &db.store,
        vec![Write::CountFactorFailure {
            factor_id: "f1".into(),
            disable_at: 100,
            at: t(3),
        }],
    )
    .await
    .unwrap();
    apply(&db.store, vec![advance(101, Some(t(3)))])
        .await
        .expect("higher step");

    let factors = db.store.factors("a1").await.unwrap();
    assert_eq!(factors.len(), 1);
    assert_eq!(factors[0].last_totp_step, Some(101));
    assert_eq!(
        factors[0].last_used_at,
        Some(t(3)),
        "a sign-in's step is also a use"
    );
    assert_eq!(
        factors[0].consecutive_failures, 0,
        "a use clears the failures"
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
