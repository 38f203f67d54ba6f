//! One vendor's HTTP client. A search is a `POST` of a small JSON body (the SSN or phone
//! never goes in a URL) answered by `{"records": [...]}`. Each try has its own timeout;
//! a failed try (no answer in time, no connection, 5xx, 429, a body that is not the
//! format) is retried after a random wait up to a doubling back-off (full jitter), and
//! a lookup that fails every try counts against the circuit breaker. Other 4xx answers
//! (our request or key is wrong) are not retried. Failures are logged with the vendor
//! and the kind of failure, never with the body sent.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use rand::RngExt;
use sa_domain::clock::Clock;
use sa_domain::error::{StoreError, StoreResult};
use sa_domain::keys::os_rng;
use sa_domain::proofing::records::RecordKind;
use serde::Deserialize;

use crate::breaker::{CircuitBreaker, Permit};
use crate::settings::VendorSettings;

/// The body of every search answer.
#[derive(Deserialize)]
struct Answer {
    records: Vec<serde_json::Value>,
}

/// Why one try failed, and whether another may help.
struct TryFailure {
    detail: String,
    retry: bool,
}

pub struct VendorClient {
    kind: RecordKind,
    http: reqwest::Client,
    settings: VendorSettings,
    breaker: CircuitBreaker,
}

impl VendorClient {
    pub fn new(
        kind: RecordKind,
        settings: VendorSettings,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, String> {
        if let Some(problem) = settings.problem("sources") {
            return Err(problem);
        }
        let http = reqwest::Client::builder()
            .timeout(StdDuration::from_millis(settings.timeout_ms))
            .connect_timeout(StdDuration::from_millis(settings.timeout_ms))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("secure-access/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("sources: HTTP client: {e}"))?;
        let breaker = CircuitBreaker::new(
            clock,
            settings.breaker_failures,
            time::Duration::seconds(i64::try_from(settings.breaker_cooldown_secs).unwrap_or(60)),
        );
        Ok(Self {
            kind,
            http,
            settings,
            breaker,
        })
    }

    fn unavailable(&self, detail: impl Into<String>) -> StoreError {
        StoreError::SourceUnavailable {
            kind: self.kind,
            detail: detail.into(),
        }
    }

    /// Whether the breaker is refusing lookups now.
    pub fn breaker_open(&self) -> bool {
        self.breaker.is_open()
    }

    /// `POST {url}/{kind}/search` with `body`; the records of a good answer (each still
    /// to be checked by the caller).
    pub async fn search(&self, body: &serde_json::Value) -> StoreResult<Vec<serde_json::Value>> {
        if self.breaker.permit() == Permit::Refused {
            return Err(self.unavailable("circuit breaker open"));
        }
        let url = format!(
            "{}/{}/search",
            self.settings.url.trim().trim_end_matches('/'),
            self.kind.as_str()
        );
        let mut backoff = StdDuration::from_millis(self.settings.backoff_ms);
        let mut tries_left = self.settings.retries;
        loop {
            match self.try_once(&url, body).await {
                Ok(records) => {
                    self.breaker.succeeded();
                    return Ok(records);
                }
                Err(failure) if failure.retry && tries_left > 0 => {
                    tracing::info!(source = self.kind.as_str(), detail = %failure.detail, "vendor try failed; retrying");
                    tries_left -= 1;
                    let ceiling = u64::try_from(backoff.as_millis()).unwrap_or(u64::MAX);
                    let wait = os_rng().random_range(0..=ceiling);
                    tokio::time::sleep(StdDuration::from_millis(wait)).await;
                    backoff = backoff.saturating_mul(2);
                }
                Err(failure) => {
                    self.breaker.failed();
                    return Err(self.unavailable(failure.detail));
                }
            }
        }
    }

    async fn try_once(
        &self,
        url: &str,
        body: &serde_json::Value,
    ) -> Result<Vec<serde_json::Value>, TryFailure> {
        let mut request = self.http.post(url).json(body);
        if let Some(bearer) = self.settings.bearer() {
            request = request.header(reqwest::header::AUTHORIZATION, bearer.as_str());
        }
        let response = request.send().await.map_err(|e| TryFailure {
            detail: if e.is_timeout() {
                "no answer in time".to_owned()
            } else {
                "no connection".to_owned()
            },
            retry: true,
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(TryFailure {
                detail: format!("answered HTTP {}", status.as_u16()),
                retry: status.is_server_error() || status.as_u16() == 429,
            });
        }
        let bytes = response.bytes().await.map_err(|e| TryFailure {
            detail: if e.is_timeout() {
                "answer not finished in time".to_owned()
            } else {
                "answer cut off".to_owned()
            },
            retry: true,
        })?;
        serde_json::from_slice::<Answer>(&bytes)
            .map(|answer| answer.records)
            .map_err(|_| TryFailure {
                detail: "answer is not {\"records\": [...]}".to_owned(),
                retry: true,
            })
    }
}
