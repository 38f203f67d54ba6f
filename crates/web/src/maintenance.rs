//! Planned maintenance as people see it: one layer over the whole router, the banner
//! every page shows beforehand, and the time format both use.
//!
//! ```text
//!  request ─► enforce ─► Services::maintenance_status(now)   (cached a few seconds)
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
use sa_domain::DomainError;
use sa_domain::journeys::MaintenanceStatus;
use sa_domain::model::MaintenanceWindow;
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::AppState;
use crate::error::ApiError;
use crate::pages::{Layout, render};

/// The stable error code of requests refused during a window.
pub const CODE: &str = "maintenance";

/// `2026-03-02 16:00 UTC`.
pub fn utc(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    at.format(&format)
        .unwrap_or_else(|_| sa_domain::clock::rfc3339(at))
}

/// What a person is told while a window is in progress.
pub fn down_message(window: &MaintenanceWindow) -> String {
    format!(
        "Secure Access is down for planned maintenance until {}. Nothing is wrong with your account; please come back then.",
        utc(window.ends_at)
    )
}

/// The banner shown on every page while a window is upcoming or in progress.
pub struct Banner {
    /// In progress (a warning) rather than upcoming (information).
    pub active: bool,
    pub text: String,
}

impl Banner {
    pub fn from_status(status: &MaintenanceStatus) -> Option<Self> {
        let with_message = |text: String, window: &MaintenanceWindow| {
            if window.message.is_empty() {
                text
            } else {
                format!("{text} {}", window.message)
            }
        };
        match status {
            MaintenanceStatus::Upcoming { window } => {
                let date_format = time::macros::format_description!("[year]-[month]-[day] ");
                let start = utc(window.starts_at);
                let start = start.trim_end_matches(" UTC");
                let end = utc(window.ends_at);
                // "… 16:00 to 18:00 UTC" on one day; both dates when it spans two.
                let same_day = window.starts_at.date() == window.ends_at.date();
                let end = match (same_day, window.ends_at.format(&date_format)) {
                    (true, Ok(date)) => end.trim_start_matches(date.as_str()).to_owned(),
                    _ => end,
                };
                Some(Self {
                    active: false,
                    text: with_message(format!("Planned maintenance: {start} to {end}."), window),
                })
            }
            MaintenanceStatus::Active { window } => Some(Self {
                active: true,
                text: with_message(down_message(window), window),
            }),
            MaintenanceStatus::None => None,
        }
    }
}

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

/// A time typed by an admin, in UTC: `2026-03-02T16:00` (what a `datetime-local` field
/// sends), with a space instead of `T`, seconds, or a trailing `Z`/`UTC`; or RFC 3339
/// with any offset.
pub fn parse_utc(field: &'static str, text: &str) -> Result<OffsetDateTime, DomainError> {
    let text = text.trim();
    let invalid = || DomainError::invalid(field, "Enter a time in UTC like 2026-03-02T16:00.");
    if text.is_empty() {
        return Err(DomainError::invalid(field, "Enter a time in UTC."));
    }
    if let Ok(at) = OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339) {
        return Ok(at.to_offset(time::UtcOffset::UTC));
    }
    let bare = text
        .strip_suffix("UTC")
        .or_else(|| text.strip_suffix('Z'))
        .unwrap_or(text)
        .trim()
        .replacen(' ', "T", 1);
    let minutes = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let seconds =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    PrimitiveDateTime::parse(&bare, &minutes)
        .or_else(|_| PrimitiveDateTime::parse(&bare, &seconds))
        .map(PrimitiveDateTime::assume_utc)
        .map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn window(message: &str) -> MaintenanceWindow {
        MaintenanceWindow {
            id: "w".into(),
            starts_at: datetime!(2026-03-02 16:00 UTC),
            ends_at: datetime!(2026-03-02 18:30 UTC),
            message: message.into(),
            created_by: "a".into(),
            created_at: datetime!(2026-03-01 10:00 UTC),
            cancelled_at: None,
        }
    }

    #[test]
    fn admin_times_are_read_as_utc() {
        let at = datetime!(2026-03-02 16:00 UTC);
        for text in [
            "2026-03-02T16:00",
            "2026-03-02 16:00",
            "2026-03-02T16:00:00Z",
            "2026-03-02 16:00 UTC",
            "2026-03-02T17:00:00+01:00",
        ] {
            assert_eq!(parse_utc("starts_at", text).unwrap(), at, "{text}");
        }
        assert!(parse_utc("starts_at", "tomorrow").is_err());
        assert!(parse_utc("starts_at", "").is_err());
    }

    #[test]
    fn banners_say_when_and_what() {
        let upcoming = Banner::from_status(&MaintenanceStatus::Upcoming {
            window: window("Database upgrade."),
        })
        .unwrap();
        assert!(!upcoming.active);
        assert_eq!(
            upcoming.text,
            "Planned maintenance: 2026-03-02 16:00 to 18:30 UTC. Database upgrade."
        );
        let active =
            Banner::from_status(&MaintenanceStatus::Active { window: window("") }).unwrap();
        assert!(active.active);
        assert!(active.text.contains("until 2026-03-02 18:30 UTC."));
        assert!(Banner::from_status(&MaintenanceStatus::None).is_none());
    }

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
