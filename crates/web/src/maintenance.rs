//! Planned maintenance as people meet it: one layer over the whole router that closes
//! sign-in and sign-up during a window with an honest 503 (the banner, the message and
//! the time format are in [`crate::maintenance_notice`]).
//!
//! ```text
//!  request ─► enforce ─► Admin::maintenance_status(now)      (cached a few seconds)
//!               │ Active + sign-in/sign-up (page or API) ─► 503, Retry-After, says when
//!               │                                          service returns
//!               └ otherwise ─► the router (pages read the same status for their banner)
//! ```
//!
//! Staff and admin pages, the rest of the API and the health endpoints stay reachable
//! during a window, so an admin can cancel it; `/readyz` reports it itself (`health.rs`).

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sa_domain::journeys::MaintenanceStatus;
use sa_domain::model::MaintenanceWindow;
use time::OffsetDateTime;

use crate::error::ApiError;
use crate::maintenance_notice::{CODE, down_message};
use crate::pages::layout::{Layout, render};
use crate::state::AppState;

/// Where sign-in and sign-up happen: closed during a window.
fn is_closed(method: &Method, path: &str) -> bool {
    let path = path.trim_end_matches('/');
    match path {
        "/sign-in" | "/sign-up" => method == Method::GET || method == Method::POST,
        "/api/v1/sessions" | "/api/v1/accounts" => method == Method::POST,
        _ => false,
    }
}

/// The layer: refresh the status (so pages can show their banner), and answer 503 for
/// sign-in and sign-up while a window is in progress.
pub async fn enforce(State(app): State<AppState>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/assets/") || req.uri().path() == "/healthz" {
        return next.run(req).await;
    }
    let now = app.services.core().now();
    let status = match app.services.admin().maintenance_status(now).await {
        Ok(status) => status,
        Err(error) => {
            tracing::warn!(%error, "maintenance status unavailable");
            MaintenanceStatus::None
        }
    };
    match status.active() {
        Some(window) if is_closed(req.method(), req.uri().path()) => {
            if req.uri().path().starts_with("/api/") {
                ApiError {
                    retry_after: Some(window.seconds_left(now)),
                    ..ApiError::new(StatusCode::SERVICE_UNAVAILABLE, CODE, down_message(window))
                }
                .into_response()
            } else {
                down_page(&app, window, now)
            }
        }
        _ => next.run(req).await,
    }
}

#[derive(Template)]
#[template(path = "maintenance.html")]
struct DownPage {
    layout: Layout,
    text: String,
    message: String,
}

fn down_page(app: &AppState, window: &MaintenanceWindow, now: OffsetDateTime) -> Response {
    let mut layout = Layout::plain(app);
    // The page says it all; no banner repeating it.
    layout.maintenance = None;
    let mut response = render(
        StatusCode::SERVICE_UNAVAILABLE,
        &DownPage {
            layout,
            text: down_message(window),
            message: window.message.clone(),
        },
    );
    if let Ok(value) = HeaderValue::from_str(&window.seconds_left(now).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sign_in_and_sign_up_close() {
        assert!(is_closed(&Method::POST, "/api/v1/sessions"));
        assert!(!is_closed(&Method::DELETE, "/api/v1/sessions"));
        assert!(is_closed(&Method::GET, "/sign-in"));
        assert!(is_closed(&Method::POST, "/sign-up/"));
        assert!(!is_closed(&Method::GET, "/admin/maintenance"));
        assert!(!is_closed(&Method::GET, "/readyz"));
    }
}
