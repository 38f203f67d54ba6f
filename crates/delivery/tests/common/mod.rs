//! Test doubles shared by the integration tests: an in-memory outbox, messages, a
//! keyring, a fixed start time, and a fake webhook server.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use sa_delivery::PAYLOAD_PURPOSE;
use sa_domain::keys::{KeyMaterial, Keyring};
use sa_domain::model::{Channel, Message, OutboxItem};
use sa_domain::store::{OutboxStore, StoreResult};
use time::OffsetDateTime;
use time::macros::datetime;

pub const START: OffsetDateTime = datetime!(2030-01-02 03:04:05 UTC);

pub fn keyring() -> Arc<Keyring> {
    Arc::new(Keyring::new(&KeyMaterial::generate()).unwrap())
}

pub fn email() -> Message {
    Message {
        channel: Channel::Email,
        to: "alice@example.test".into(),
        template: "confirm_email".into(),
        subject: "Confirm your email".into(),
        body: "Your code is 482913. It expires in 15 minutes.".into(),
        code: Some("482913".into()),
        language: Default::default(),
    }
}

pub fn sms() -> Message {
    Message {
        channel: Channel::Sms,
        to: "+12025550143".into(),
        template: "sign_in_code".into(),
        subject: "Sign-in code".into(),
        body: "Secure Access code: 771204".into(),
        code: Some("771204".into()),
        language: Default::default(),
    }
}

pub fn letter() -> Message {
    Message {
        channel: Channel::Letter,
        to: "ALICE EXAMPLE\n12 MAIN ST APT 4\nSPRINGFIELD IL 62704".into(),
        template: "activation_letter".into(),
        subject: "Your activation letter".into(),
        body: "Dear Alice,\nyour account was verified.".into(),
        code: None,
        language: Default::default(),
    }
}

/// What the worker asked of the store, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    Claim {
        now: OffsetDateTime,
        claim_until: OffsetDateTime,
        limit: i64,
    },
    Sent {
        id: String,
        at: OffsetDateTime,
    },
    Retry {
        id: String,
        next_attempt_at: OffsetDateTime,
        error: String,
    },
    Dead {
        id: String,
        at: OffsetDateTime,
        error: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum RowState {
    Pending,
    Sent,
    Dead,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub item: OutboxItem,
    pub due: OffsetDateTime,
    pub claimed_until: Option<OffsetDateTime>,
    pub state: RowState,
    /// When it was sent or given up.
    pub finished_at: Option<OffsetDateTime>,
}

/// An outbox in memory, with `sa-store`'s semantics: `claim_due` counts an attempt
/// (`attempts += 1`) on every row it claims, and returns the rows counted.
#[derive(Default)]
pub struct FakeOutbox {
    pub rows: Mutex<Vec<Row>>,
    pub calls: Mutex<Vec<Call>>,
}

impl FakeOutbox {
    pub fn enqueue_sealed(
        &self,
        id: &str,
        channel: Channel,
        payload_sealed: String,
        at: OffsetDateTime,
    ) {
        self.rows.lock().unwrap().push(Row {
            item: OutboxItem {
                id: id.into(),
                created_at: at,
                channel,
                payload_sealed,
                attempts: 0,
            },
            due: at,
            finished_at: None,
            claimed_until: None,
            state: RowState::Pending,
        });
    }

    pub fn enqueue(&self, keys: &Keyring, id: &str, message: &Message, at: OffsetDateTime) {
        let json = serde_json::to_vec(message).unwrap();
        let sealed = keys.seal(PAYLOAD_PURPOSE, &json).unwrap();
        self.enqueue_sealed(id, message.channel, sealed, at);
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    /// The calls other than claims.
    pub fn outcomes(&self) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| !matches!(c, Call::Claim { .. }))
            .collect()
    }

    pub fn row(&self, id: &str) -> Row {
        self.rows
            .lock()
            .unwrap()
            .iter()
            .find(|r| r.item.id == id)
            .unwrap()
            .clone()
    }

    fn update(&self, id: &str, f: impl FnOnce(&mut Row)) {
        let mut rows = self.rows.lock().unwrap();
        f(rows.iter_mut().find(|r| r.item.id == id).unwrap());
    }
}

#[async_trait]
impl OutboxStore for FakeOutbox {
    async fn claim_due(
        &self,
        now: OffsetDateTime,
        claim_until: OffsetDateTime,
        limit: i64,
    ) -> StoreResult<Vec<OutboxItem>> {
        self.calls.lock().unwrap().push(Call::Claim {
            now,
            claim_until,
            limit,
        });
        let mut rows = self.rows.lock().unwrap();
        let mut claimed = Vec::new();
        for row in rows.iter_mut() {
            if claimed.len() as i64 >= limit {
                break;
            }
            let free = row.claimed_until.is_none_or(|until| until <= now);
            if row.state == RowState::Pending && row.due <= now && free {
                row.claimed_until = Some(claim_until);
                row.item.attempts += 1;
                claimed.push(row.item.clone());
            }
        }
        Ok(claimed)
    }

    async fn mark_sent(&self, id: &str, at: OffsetDateTime) -> StoreResult<()> {
        self.calls
            .lock()
            .unwrap()
            .push(Call::Sent { id: id.into(), at });
        self.update(id, |row| {
            row.state = RowState::Sent;
            row.finished_at = Some(at);
            row.item.payload_sealed.clear();
        });
        Ok(())
    }

    async fn mark_retry(
        &self,
        id: &str,
        next_attempt_at: OffsetDateTime,
        error: &str,
    ) -> StoreResult<()> {
        self.calls.lock().unwrap().push(Call::Retry {
            id: id.into(),
            next_attempt_at,
            error: error.into(),
        });
        self.update(id, |row| {
            row.due = next_attempt_at;
            row.claimed_until = None;
        });
        Ok(())
    }

    async fn mark_dead(&self, id: &str, at: OffsetDateTime, error: &str) -> StoreResult<()> {
        self.calls.lock().unwrap().push(Call::Dead {
            id: id.into(),
            at,
            error: error.into(),
        });
        self.update(id, |row| {
            row.state = RowState::Dead;
            row.finished_at = Some(at);
            row.item.payload_sealed.clear();
        });
        Ok(())
    }

    async fn pending_count(&self) -> StoreResult<i64> {
        Ok(self
            .rows
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.state == RowState::Pending)
            .count() as i64)
    }

    async fn purge_finished(&self, before: OffsetDateTime) -> StoreResult<u64> {
        let mut rows = self.rows.lock().unwrap();
        let had = rows.len();
        rows.retain(|r| r.finished_at.is_none_or(|at| at > before));
        Ok((had - rows.len()) as u64)
    }
}

/// One request the fake webhook received.
#[derive(Debug, Clone)]
pub struct Hook {
    pub authorization: Option<String>,
    pub idempotency_key: Option<String>,
    pub content_type: Option<String>,
    pub json: serde_json::Value,
}

/// A webhook on 127.0.0.1 that records requests and answers with `status`.
#[derive(Clone)]
pub struct FakeWebhook {
    pub url: String,
    pub received: Arc<Mutex<Vec<Hook>>>,
    pub status: Arc<AtomicU16>,
}

#[derive(Clone)]
struct HookState {
    received: Arc<Mutex<Vec<Hook>>>,
    status: Arc<AtomicU16>,
}

async fn hook(
    State(state): State<HookState>,
    headers: HeaderMap,
    Json(json): Json<serde_json::Value>,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    state.received.lock().unwrap().push(Hook {
        authorization: header("authorization"),
        idempotency_key: header("idempotency-key"),
        content_type: header("content-type"),
        json,
    });
    StatusCode::from_u16(state.status.load(Ordering::SeqCst)).unwrap()
}

impl FakeWebhook {
    pub async fn start(status: u16) -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(AtomicU16::new(status));
        let state = HookState {
            received: Arc::clone(&received),
            status: Arc::clone(&status),
        };
        let app = axum::Router::new()
            .route("/sms", axum::routing::post(hook))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/sms", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            url,
            received,
            status,
        }
    }

    pub fn received(&self) -> Vec<Hook> {
        self.received.lock().unwrap().clone()
    }
}

/// Read the development outbox as parsed JSON lines.
pub fn read_lines(path: &std::path::Path) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.ends_with('\n'), "every line ends with a newline");
    text.lines()
        .map(|line| match serde_json::from_str(line).unwrap() {
            serde_json::Value::Object(map) => map,
            other => panic!("not an object: {other}"),
        })
        .collect()
}

/// True if no stored error or log-bound text mentions the message's private parts.
pub fn leaks(text: &str, message: &Message) -> bool {
    text.contains(&message.to)
        || text.contains(&message.body)
        || message.code.as_deref().is_some_and(|c| text.contains(c))
}
