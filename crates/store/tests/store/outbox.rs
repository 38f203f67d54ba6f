//! The outbox: claims, retries, dead messages, purging, and claims that never overlap.

use sa_domain::model::Channel;
use sa_domain::store::OutboxStore;
use sqlx::Row;

use crate::fixtures::*;
use sa_test_support::store::Db;

sa_test_support::on_both_backends!(
    outbox_claim_retry_and_sent,
    outbox_dead_and_claim_order,
    outbox_finished_records_are_purged_after_their_time,
    outbox_concurrent_claims_never_overlap,
);

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
