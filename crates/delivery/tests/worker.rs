//! The worker against an in-memory outbox and a manual clock: outcomes, backoff, dead
//! letters, unreadable payloads, and the run loop's wake-up and shutdown.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

mod common;

use std::sync::Arc;
use std::time::Duration as StdDuration;

use common::*;
use sa_delivery::{DeliveryConfig, Router, SendError, Sender, Worker, retry_delay};
use sa_domain::clock::ManualClock;
use sa_domain::keys::{KeyMaterial, Keyring};
use sa_domain::model::{Channel, Message};
use time::Duration;
use tokio::sync::{Notify, watch};

struct Setup {
    store: Arc<FakeOutbox>,
    keys: Arc<Keyring>,
    clock: ManualClock,
    dir: tempfile::TempDir,
    worker: Worker,
}

fn setup(config: DeliveryConfig) -> Setup {
    let store = Arc::new(FakeOutbox::default());
    let keys = keyring();
    let clock = ManualClock::new(START);
    let dir = tempfile::tempdir().unwrap();
    let router = Router::from_config(&config, dir.path()).unwrap();
    let worker = Worker::new(
        Arc::clone(&store) as _,
        Arc::clone(&keys),
        Arc::new(clock.clone()),
        router,
        config,
    );
    Setup {
        store,
        keys,
        clock,
        dir,
        worker,
    }
}

#[tokio::test]
async fn one_pass_delivers_every_due_message_to_the_dev_file() {
    let s = setup(DeliveryConfig::default());
    s.store.enqueue(&s.keys, "m1", &email(), START);
    s.store.enqueue(&s.keys, "m2", &sms(), START);
    s.store.enqueue(&s.keys, "m3", &letter(), START);
    s.store
        .enqueue(&s.keys, "later", &email(), START + Duration::minutes(1));

    assert_eq!(s.worker.deliver_due().await.unwrap(), 3);

    let calls = s.store.calls();
    assert_eq!(
        calls[0],
        Call::Claim {
            now: START,
            claim_until: START + Duration::seconds(60),
            limit: 50
        }
    );
    assert_eq!(
        s.store.outcomes(),
        ["m1", "m2", "m3"].map(|id| Call::Sent {
            id: id.into(),
            at: START
        })
    );
    let lines = read_lines(&s.dir.path().join("outbox.jsonl"));
    let channels: Vec<_> = lines
        .iter()
        .map(|l| l["channel"].as_str().unwrap())
        .collect();
    assert_eq!(channels, ["email", "sms", "letter"]);
    assert_eq!(lines[0]["at"], "2030-01-02T03:04:05Z");

    // Nothing more is due until the clock reaches the last one.
    assert_eq!(s.worker.deliver_due().await.unwrap(), 0);
    s.clock.advance(Duration::minutes(1));
    assert_eq!(s.worker.deliver_due().await.unwrap(), 1);
    assert_eq!(read_lines(&s.dir.path().join("outbox.jsonl")).len(), 4);
}

#[tokio::test]
async fn batch_size_limits_a_pass() {
    let s = setup(DeliveryConfig {
        batch_size: 2,
        ..DeliveryConfig::default()
    });
    for i in 0..5 {
        s.store.enqueue(&s.keys, &format!("m{i}"), &email(), START);
    }
    assert_eq!(s.worker.deliver_due().await.unwrap(), 2);
    assert_eq!(s.worker.deliver_due().await.unwrap(), 2);
    assert_eq!(s.worker.deliver_due().await.unwrap(), 1);
    assert_eq!(s.worker.deliver_due().await.unwrap(), 0);
}

#[tokio::test]
async fn a_failing_webhook_backs_off_then_gives_up() {
    let hook = FakeWebhook::start(500).await;
    let s = setup(DeliveryConfig {
        sms_webhook_url: Some(hook.url.clone()),
        max_attempts: 3,
        ..DeliveryConfig::default()
    });
    s.store.enqueue(&s.keys, "m1", &sms(), START);

    // Attempt 1 fails: retry in 5 s.
    assert_eq!(s.worker.deliver_due().await.unwrap(), 1);
    let Call::Retry {
        id,
        next_attempt_at,
        error,
    } = s.store.outcomes()[0].clone()
    else {
        panic!("expected a retry: {:?}", s.store.outcomes());
    };
    assert_eq!(id, "m1");
    assert_eq!(next_attempt_at, START + Duration::seconds(5));
    assert!(error.contains("answered 500"), "{error}");
    assert!(!leaks(&error, &sms()), "{error}");

    // Not due before then.
    s.clock.advance(Duration::seconds(4));
    assert_eq!(s.worker.deliver_due().await.unwrap(), 0);
    assert_eq!(hook.received().len(), 1);

    // Attempt 2 fails: retry in 10 s.
    s.clock.advance(Duration::seconds(1));
    assert_eq!(s.worker.deliver_due().await.unwrap(), 1);
    assert!(matches!(
        &s.store.outcomes()[1],
        Call::Retry { next_attempt_at, .. } if *next_attempt_at == START + Duration::seconds(15)
    ));

    s.clock.advance(Duration::seconds(9));
    assert_eq!(s.worker.deliver_due().await.unwrap(), 0);

    // Attempt 3 is the last: dead.
    s.clock.advance(Duration::seconds(1));
    assert_eq!(s.worker.deliver_due().await.unwrap(), 1);
    let outcomes = s.store.outcomes();
    assert_eq!(outcomes.len(), 3);
    let Call::Dead { id, at, error } = outcomes[2].clone() else {
        panic!("expected dead: {outcomes:?}");
    };
    assert_eq!((id.as_str(), at), ("m1", START + Duration::seconds(15)));
    assert!(error.contains("answered 500"), "{error}");
    assert_eq!(s.store.row("m1").state, RowState::Dead);
    assert_eq!(hook.received().len(), 3);

    // Dead stays dead.
    s.clock.advance(Duration::hours(2));
    assert_eq!(s.worker.deliver_due().await.unwrap(), 0);
}

#[tokio::test]
async fn a_webhook_that_recovers_gets_the_message_on_retry() {
    let hook = FakeWebhook::start(503).await;
    let s = setup(DeliveryConfig {
        sms_webhook_url: Some(hook.url.clone()),
        ..DeliveryConfig::default()
    });
    s.store.enqueue(&s.keys, "m1", &sms(), START);
    s.worker.deliver_due().await.unwrap();
    hook.status.store(204, std::sync::atomic::Ordering::SeqCst);
    s.clock.advance(Duration::seconds(5));
    assert_eq!(s.worker.deliver_due().await.unwrap(), 1);
    assert_eq!(
        s.store.outcomes()[1],
        Call::Sent {
            id: "m1".into(),
            at: START + Duration::seconds(5)
        }
    );
    assert_eq!(s.store.row("m1").state, RowState::Sent);
}

#[test]
fn retry_delay_doubles_from_five_seconds_up_to_an_hour() {
    let secs = |n| retry_delay(n).whole_seconds();
    assert_eq!([1, 2, 3, 4, 10].map(secs), [5, 10, 20, 40, 2560]);
    assert_eq!(secs(11), 3600);
    assert_eq!(secs(i64::MAX), 3600);
    assert_eq!(secs(0), 5);
    assert_eq!(secs(-3), 5);
}

#[tokio::test]
async fn payloads_that_cannot_be_opened_are_dead_at_once() {
    let s = setup(DeliveryConfig::default());

    // Sealed under a key this ring does not hold.
    let mut material = KeyMaterial::generate();
    let key = material.data_keys.remove("k1").unwrap();
    material.data_keys.insert("k9".into(), key);
    material.current_data_key = "k9".into();
    let other = Keyring::new(&material).unwrap();
    let json = serde_json::to_vec(&email()).unwrap();
    s.store.enqueue_sealed(
        "foreign-key",
        Channel::Email,
        other.seal(sa_delivery::PAYLOAD_PURPOSE, &json).unwrap(),
        START,
    );
    // Sealed under a key id we hold, but with another key: fails authentication.
    let stranger = keyring();
    s.store.enqueue_sealed(
        "tampered",
        Channel::Email,
        stranger.seal(sa_delivery::PAYLOAD_PURPOSE, &json).unwrap(),
        START,
    );
    // Not sealed at all.
    s.store
        .enqueue_sealed("garbage", Channel::Sms, "no colon here".into(), START);
    // Opens, but is not a message.
    s.store.enqueue_sealed(
        "not-json",
        Channel::Email,
        s.keys
            .seal_str(
                sa_delivery::PAYLOAD_PURPOSE,
                "{\"to\": \"alice@example.test\"",
            )
            .unwrap(),
        START,
    );
    // Opens, but claims another channel than the outbox row.
    s.store.enqueue_sealed(
        "wrong-channel",
        Channel::Sms,
        s.keys.seal(sa_delivery::PAYLOAD_PURPOSE, &json).unwrap(),
        START,
    );
    // And a good one after them still goes out.
    s.store.enqueue(&s.keys, "good", &letter(), START);

    assert_eq!(s.worker.deliver_due().await.unwrap(), 6);

    let outcomes = s.store.outcomes();
    let dead: Vec<(String, String)> = outcomes
        .iter()
        .filter_map(|c| match c {
            Call::Dead { id, at, error } => {
                assert_eq!(*at, START);
                Some((id.clone(), error.clone()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(dead.len(), 5, "{outcomes:?}");
    assert_eq!(dead[0].0, "foreign-key");
    assert!(
        dead[0].1.contains("payload cannot be opened"),
        "{}",
        dead[0].1
    );
    assert!(dead[0].1.contains("k9"), "{}", dead[0].1);
    assert!(
        dead[1].1.contains("payload cannot be opened"),
        "{}",
        dead[1].1
    );
    assert!(dead[2].1.contains("malformed"), "{}", dead[2].1);
    assert!(dead[3].1.contains("not a message"), "{}", dead[3].1);
    assert!(!dead[3].1.contains("alice"), "{}", dead[3].1);
    assert!(dead[4].1.contains("does not match"), "{}", dead[4].1);
    assert_eq!(
        outcomes.last(),
        Some(&Call::Sent {
            id: "good".into(),
            at: START
        })
    );
    let lines = read_lines(&s.dir.path().join("outbox.jsonl"));
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["channel"], "letter");
}

#[tokio::test]
async fn a_single_attempt_budget_goes_straight_to_dead() {
    let hook = FakeWebhook::start(500).await;
    let s = setup(DeliveryConfig {
        sms_webhook_url: Some(hook.url.clone()),
        max_attempts: 1,
        ..DeliveryConfig::default()
    });
    s.store.enqueue(&s.keys, "m1", &sms(), START);
    s.worker.deliver_due().await.unwrap();
    assert!(matches!(&s.store.outcomes()[0], Call::Dead { id, .. } if id == "m1"));
}

/// Wait (in real time) for a condition the worker task will make true.
async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..500 {
        if check() {
            return;
        }
        tokio::time::sleep(StdDuration::from_millis(10)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test]
async fn run_wakes_on_notify_and_stops_on_shutdown() {
    // A long poll interval, so only the wake-up can explain a prompt delivery.
    let s = setup(DeliveryConfig {
        poll_interval_ms: 3_600_000,
        ..DeliveryConfig::default()
    });
    let Setup {
        store,
        keys,
        dir,
        worker,
        ..
    } = s;
    let wake = Arc::new(Notify::new());
    let (stop, shutdown) = watch::channel(false);
    let task = tokio::spawn(worker.run(Arc::clone(&wake), shutdown));

    eventually("the first pass", || !store.calls().is_empty()).await;
    store.enqueue(&keys, "m1", &email(), START);
    wake.notify_one();
    eventually("delivery after the wake-up", || {
        store.outcomes()
            == [Call::Sent {
                id: "m1".into(),
                at: START,
            }]
    })
    .await;
    assert_eq!(read_lines(&dir.path().join("outbox.jsonl")).len(), 1);

    stop.send(true).unwrap();
    tokio::time::timeout(StdDuration::from_secs(5), task)
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn run_stops_when_the_shutdown_sender_is_dropped() {
    let s = setup(DeliveryConfig {
        poll_interval_ms: 3_600_000,
        ..DeliveryConfig::default()
    });
    let (stop, shutdown) = watch::channel(false);
    let task = tokio::spawn(s.worker.run(Arc::new(Notify::new()), shutdown));
    eventually("the first pass", || !s.store.calls().is_empty()).await;
    drop(stop);
    tokio::time::timeout(StdDuration::from_secs(5), task)
        .await
        .unwrap()
        .unwrap();
}

/// A sender that takes `advance` of (manual) clock time per message, or never finishes.
struct SlowSender {
    clock: ManualClock,
    advance: Duration,
    hang: bool,
    sent: std::sync::Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl Sender for SlowSender {
    async fn send(
        &self,
        _message_id: &str,
        message: &Message,
        _at: time::OffsetDateTime,
    ) -> Result<(), SendError> {
        if self.hang {
            std::future::pending::<()>().await;
        }
        self.clock.advance(self.advance);
        self.sent.lock().unwrap().push(message.template.clone());
        Ok(())
    }
}

fn slow_worker(
    config: DeliveryConfig,
    advance: Duration,
    hang: bool,
) -> (Arc<FakeOutbox>, Arc<Keyring>, Arc<SlowSender>, Worker) {
    let store = Arc::new(FakeOutbox::default());
    let keys = keyring();
    let clock = ManualClock::new(START);
    let sender = Arc::new(SlowSender {
        clock: clock.clone(),
        advance,
        hang,
        sent: Default::default(),
    });
    let router = Router::new(sender.clone(), sender.clone(), sender.clone());
    let worker = Worker::new(
        Arc::clone(&store) as _,
        Arc::clone(&keys),
        Arc::new(clock),
        router,
        config,
    );
    (store, keys, sender, worker)
}

#[tokio::test]
async fn a_pass_stops_before_its_claim_could_run_out() {
    // Claims last 60 s and a send may take 10 s: no send starts after 50 s.
    let (store, keys, sender, worker) =
        slow_worker(DeliveryConfig::default(), Duration::seconds(30), false);
    for i in 0..4 {
        store.enqueue(&keys, &format!("m{i}"), &email(), START);
    }
    assert_eq!(worker.deliver_due().await.unwrap(), 4);
    assert_eq!(
        sender.sent.lock().unwrap().len(),
        2,
        "sent at 0 s and 30 s, not at 60 s"
    );
    assert_eq!(
        store.outcomes(),
        [
            Call::Sent {
                id: "m0".into(),
                at: START + Duration::seconds(30)
            },
            Call::Sent {
                id: "m1".into(),
                at: START + Duration::seconds(60)
            },
        ]
    );
    // The rest is claimed again once the claim lapses (the clock is at 60 s now).
    assert_eq!(worker.deliver_due().await.unwrap(), 2);
    assert_eq!(sender.sent.lock().unwrap().len(), 4);
}

#[tokio::test]
async fn a_send_that_hangs_is_cut_off_and_retried() {
    let config = DeliveryConfig {
        request_timeout_secs: 1,
        ..DeliveryConfig::default()
    };
    let (store, keys, _sender, worker) = slow_worker(config, Duration::ZERO, true);
    store.enqueue(&keys, "m1", &email(), START);
    assert_eq!(worker.deliver_due().await.unwrap(), 1);
    let outcomes = store.outcomes();
    assert!(
        matches!(&outcomes[0], Call::Retry { error, next_attempt_at, .. }
            if error.contains("did not finish within 1 s")
                && *next_attempt_at == START + Duration::seconds(5)),
        "{outcomes:?}"
    );
}
