//! What the delivery code logs: channel, template, outbox id and error, never a
//! recipient, a body or a code.
//!
//! Alone in its own test binary: a thread-local log subscriber is only reliable when no
//! other test reaches the same log call sites first.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use sa_delivery::{DeliveryConfig, Router, Worker};
use sa_domain::clock::ManualClock;
use sa_domain::model::Channel;
use time::Duration;

/// Collects formatted log output.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn logs_name_channel_and_template_but_never_recipient_body_or_code() {
    let logs = LogBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_env_filter("sa_delivery=trace")
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let hook = FakeWebhook::start(500).await;
    let config = DeliveryConfig {
        sms_webhook_url: Some(hook.url.clone()),
        max_attempts: 2,
        ..DeliveryConfig::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(FakeOutbox::default());
    let keys = keyring();
    let clock = ManualClock::new(START);
    let router = Router::from_config(&config, dir.path()).unwrap();
    let worker = Worker::new(
        Arc::clone(&store) as _,
        Arc::clone(&keys),
        Arc::new(clock.clone()),
        router,
        config,
    );
    store.enqueue(&keys, "m1", &email(), START);
    store.enqueue(&keys, "m2", &sms(), START);
    store.enqueue_sealed("m3", Channel::Sms, "k7:AAAA".into(), START);
    worker.deliver_due().await.unwrap();
    clock.advance(Duration::seconds(5));
    worker.deliver_due().await.unwrap();

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "message written to the development outbox",
        "message delivered",
        "confirm_email",
        "sign_in_code",
        "will retry",
        "given up",
        "answered 500",
        "k7",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from logs:\n{text}"
        );
    }
    assert!(!leaks(&text, &email()), "{text}");
    assert!(!leaks(&text, &sms()), "{text}");
}
