//! `/metrics` in the Prometheus text format, and the HTTP metrics behind it.
//!
//! One registry holds everything: the journeys' counters (`sa_domain::metrics`: sign-in
//! and proofing outcomes by reason, limit refusals), the HTTP families counted here by
//! the [`record`] layer into [`crate::metric_families`] (requests and latency by method, route template and status),
//! the scheduled jobs' runs, and gauges read at each scrape (hashing queue, outbox
//! depth and age, database pool, whether the limit counters answer).
//!
//! Labels never hold personal data: the route is the router's template
//! (`/api/v1/factors/{id}/confirm`, never the id), unmatched paths are `unmatched`,
//! and methods outside the standard set are `other`. Only clients in
//! `metrics_allowed` (loopback by default) may read it; others get 404.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus::{Encoder, TextEncoder};
use std::time::Instant;

use crate::error::ApiError;
use crate::extract::request_context;
use crate::state::AppState;

/// The layer that counts every request by its route template.
pub async fn record(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let method = method_label(req.method());
    // A clone of the router's shared template (no allocation).
    let route = req.extensions().get::<MatchedPath>().cloned();
    // Measures latency for operators; no rule depends on it, so the injected clock is not needed.
    let started = Instant::now();
    let response = next.run(req).await;
    app.metrics.observe(
        method,
        route.as_ref().map_or("unmatched", MatchedPath::as_str),
        response.status().as_str(),
        started.elapsed().as_secs_f64(),
    );
    response
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// `GET /metrics`: the registry in the Prometheus text format, for allowed clients.
pub async fn serve(State(app): State<AppState>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let client = request_context(&parts, &app).ip;
    if !app
        .config
        .metrics_allowed
        .iter()
        .any(|net| net.contains(&client))
    {
        return ApiError::not_found().into_response();
    }
    app.metrics.refresh(app.services.core()).await;
    let families = app.services.core().metrics.registry().gather();
    let encoder = TextEncoder::new();
    let mut body = Vec::new();
    if let Err(error) = encoder.encode(&families, &mut body) {
        tracing::error!(%error, "metrics: encoding failed");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let mut response = body.into_response();
    if let Ok(value) = HeaderValue::from_str(encoder.format_type()) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}
