//! `/healthz` (the process answers) and `/readyz` (it can reach its database and its
//! shared limit counters when Redis is configured, and is not in a planned maintenance
//! window: then 503 `{"status": "maintenance", "until"}`).

use crate::state::AppState;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

async fn readyz(State(app): State<AppState>) -> Response {
    let now = app.services.core().now();
    if let Ok(status) = app.services.admin().maintenance_status(now).await
        && let Some(window) = status.active()
    {
        let mut response = (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "maintenance",
                "until": sa_domain::clock::rfc3339(window.ends_at),
                "message": crate::maintenance_notice::down_message(window)})),
        )
            .into_response();
        if let Ok(value) = HeaderValue::from_str(&window.seconds_left(now).to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    readiness(&app).await.into_response()
}

async fn readiness(app: &AppState) -> (StatusCode, Json<serde_json::Value>) {
    let core = app.services.core();
    let database = core.store.ping().await;
    let (kind, counters) = core.check_limit_counters().await;
    if let Err(error) = &database {
        tracing::warn!(%error, "readiness: database unreachable");
    }
    if let Err(error) = &counters {
        tracing::warn!(%error, "readiness: limit counters unreachable");
    }
    let status = if counters.is_ok() {
        "ok"
    } else {
        "unreachable"
    };
    let limits = json!({"counters": kind, "status": status});
    match (database, counters) {
        (Ok(()), Ok(())) => (
            StatusCode::OK,
            Json(json!({"status": "ready", "database": "ok", "limits": limits})),
        ),
        (Err(_), _) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({"status": "unavailable", "database": "unreachable", "limits": limits,
                "message": "The service cannot reach its database right now; it will recover by itself when the database is back."}),
            ),
        ),
        (Ok(()), Err(_)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({"status": "unavailable", "database": "ok", "limits": limits,
                "message": "The service cannot reach Redis, where its attempt limits are shared: sign-in and account recovery are refused until it is back; other requests are served."}),
            ),
        ),
    }
}
