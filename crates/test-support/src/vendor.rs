//! A records vendor for the tests: the JSON API of `docs/records.md` ("Live sources")
//! on a free port, serving the records it was given. A test tells it how to behave
//! ([`Behaviour`]) and counts the requests it saw.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sa_domain::proofing::records::RecordKind;
use serde_json::{Value, json};

/// How the vendor answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behaviour {
    /// The records asked for.
    Healthy,
    /// Every request answered with this status.
    Failing(u16),
    /// The right answer, after this long.
    Slow(Duration),
    /// 200 with a body that is not the format.
    Malformed,
    /// 200 with a record about another SSN or number.
    SomeoneElse,
}

struct Shared {
    records: Vec<(RecordKind, Vec<Value>)>,
    behaviour: Mutex<Behaviour>,
    requests: AtomicUsize,
    bearer: Option<String>,
}

pub struct FakeVendor {
    pub url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeVendor {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Whether `record` answers the search `body` for `kind`.
fn answers(kind: RecordKind, record: &Value, body: &Value) -> bool {
    let field = |v: &Value, k: &str| digits(v[k].as_str().unwrap_or_default());
    match kind {
        RecordKind::TaxReturns => field(record, "ssn") == field(body, "ssn"),
        RecordKind::FinancialAccounts => {
            field(record, "ssn") == field(body, "ssn") && record["kind"] == body["kind"]
        }
        RecordKind::PhoneRecords => field(record, "phone") == field(body, "phone"),
    }
}

async fn search(
    State(shared): State<Arc<Shared>>,
    Path(kind): Path<String>,
    headers: axum::http::HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    shared.requests.fetch_add(1, Ordering::SeqCst);
    if let Some(bearer) = &shared.bearer {
        let sent = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if sent != format!("Bearer {bearer}") {
            return StatusCode::UNAUTHORIZED.into_response();
        }
    }
    let Some(kind) = RecordKind::parse(&kind) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let behaviour = shared.behaviour.lock().unwrap().clone();
    let all = shared
        .records
        .iter()
        .filter(|(k, _)| *k == kind)
        .flat_map(|(_, lines)| lines.iter());
    match behaviour {
        Behaviour::Failing(status) => {
            return StatusCode::from_u16(status)
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
                .into_response();
        }
        Behaviour::Malformed => return (StatusCode::OK, "{\"rows\": oops").into_response(),
        Behaviour::SomeoneElse => {
            let other = all.clone().find(|r| !answers(kind, r, &body)).cloned();
            let other = other.or_else(|| {
                all.clone().next().cloned().map(|mut r| {
                    r["ssn"] = json!("900-99-9999");
                    r["phone"] = json!("+12025550199");
                    r
                })
            });
            return Json(json!({ "records": other.into_iter().collect::<Vec<_>>() }))
                .into_response();
        }
        Behaviour::Slow(wait) => tokio::time::sleep(wait).await,
        Behaviour::Healthy => {}
    }
    let found: Vec<Value> = all.filter(|r| answers(kind, r, &body)).cloned().collect();
    Json(json!({ "records": found })).into_response()
}

impl FakeVendor {
    /// Serve `records` (of any kinds) on a free port, healthy at first.
    pub async fn start(records: Vec<(RecordKind, Vec<Value>)>, bearer: Option<&str>) -> Self {
        let shared = Arc::new(Shared {
            records,
            behaviour: Mutex::new(Behaviour::Healthy),
            requests: AtomicUsize::new(0),
            bearer: bearer.map(str::to_owned),
        });
        let app = axum::Router::new()
            .route("/{kind}/search", axum::routing::post(search))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { url, shared, task }
    }

    pub fn behave(&self, behaviour: Behaviour) {
        *self.shared.behaviour.lock().unwrap() = behaviour;
    }

    /// Requests seen so far.
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }
}
