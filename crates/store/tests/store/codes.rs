//! One-time codes and backup codes: single use, and which code is the latest.

use sa_domain::model::FactorKind;
use sa_domain::store::{Store, StoreError, Write};
use time::Duration;

use crate::fixtures::*;
use sa_test_support::store::Db;

sa_test_support::on_both_backends!(
    consume_code_twice_fails_the_second_time,
    latest_code_is_the_newest_of_purpose_and_factor,
    backup_code_can_be_used_once,
);

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
