//! The admin dashboard and planned maintenance over the API: `GET
//! /api/v1/admin/dashboard`, `GET`/`POST /api/v1/admin/maintenance` and `DELETE
//! /api/v1/admin/maintenance/{id}`. Twins of the `/admin` pages (`pages/admin.rs`);
//! role `admin` with an authenticator app, checked by the domain on every request;
//! planning and cancelling are recorded in the audit log.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sa_domain::clock::rfc3339;
use sa_domain::journeys::{Dashboard, FunnelReport, MaintenanceStatus};
use sa_domain::model::MaintenanceWindow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiAuth, ApiJson};
use crate::maintenance_notice::parse_utc;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct LettersBody {
    /// Not printed yet.
    pub pending: i64,
    /// Printed, neither activated nor expired.
    pub printed: i64,
    pub activated: i64,
    pub expired: i64,
}

#[derive(Serialize, ToSchema)]
pub struct LockoutsBody {
    /// Accounts whose second factors are locked right now.
    pub accounts_locked: i64,
    /// Sign-in methods turned off after too many failures.
    pub factors_disabled: i64,
}

#[derive(Serialize, ToSchema)]
pub struct StaffActivityBody {
    pub seq: i64,
    pub at: String,
    /// `staff:<account_id>`.
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DashboardBody {
    /// The last 30 days (see `GET /api/v1/admin/reports/funnel`).
    #[schema(value_type = Object)]
    pub funnel: FunnelReport,
    pub letters: LettersBody,
    pub lockouts: LockoutsBody,
    /// The newest 50 staff entries of the audit log, newest first.
    pub staff_activity: Vec<StaffActivityBody>,
}

impl From<Dashboard> for DashboardBody {
    fn from(board: Dashboard) -> Self {
        Self {
            funnel: board.funnel,
            letters: LettersBody {
                pending: board.letters.pending,
                printed: board.letters.printed,
                activated: board.letters.activated,
                expired: board.letters.expired,
            },
            lockouts: LockoutsBody {
                accounts_locked: board.lockouts.accounts_locked,
                factors_disabled: board.lockouts.factors_disabled,
            },
            staff_activity: board
                .staff_activity
                .into_iter()
                .map(|a| StaffActivityBody {
                    seq: a.seq,
                    at: rfc3339(a.at),
                    actor: a.actor,
                    action: a.action,
                    subject: a.subject,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct WindowBody {
    pub id: String,
    pub starts_at: String,
    pub ends_at: String,
    pub message: String,
    /// The admin's account id.
    pub created_by: String,
    pub created_at: String,
    pub cancelled_at: Option<String>,
    /// `upcoming`, `active`, `ended` or `cancelled`.
    pub state: String,
}

fn window_body(window: MaintenanceWindow, now: time::OffsetDateTime) -> WindowBody {
    WindowBody {
        state: window.state(now).to_owned(),
        id: window.id,
        starts_at: rfc3339(window.starts_at),
        ends_at: rfc3339(window.ends_at),
        message: window.message,
        created_by: window.created_by,
        created_at: rfc3339(window.created_at),
        cancelled_at: window.cancelled_at.map(rfc3339),
    }
}

#[derive(Serialize, ToSchema)]
pub struct WindowsBody {
    /// `none`, `upcoming` (starts within 7 days) or `active`.
    pub status: String,
    /// Windows ending in the last 30 days or later, by start.
    pub windows: Vec<WindowBody>,
}

#[derive(Deserialize, ToSchema)]
pub struct ScheduleRequest {
    /// UTC: `2026-03-02T16:00`, or RFC 3339 with any offset.
    pub starts_at: String,
    pub ends_at: String,
    /// Plain text, at most 300 characters.
    #[serde(default)]
    pub message: String,
}

/// The admin dashboard: the funnel of the last 30 days, letters by state, lockouts
/// and the newest staff activity.
#[utoipa::path(get, path = "/api/v1/admin/dashboard", tag = "admin",
    security(("session_token" = [])),
    responses((status = 200, body = DashboardBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn dashboard(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<Json<DashboardBody>> {
    Ok(Json(app.services.admin().dashboard(&auth).await?.into()))
}

/// Maintenance windows and the current status.
#[utoipa::path(get, path = "/api/v1/admin/maintenance", tag = "admin",
    security(("session_token" = [])),
    responses((status = 200, body = WindowsBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<Json<WindowsBody>> {
    let windows = app.services.admin().maintenance_windows(&auth).await?;
    let now = app.services.core().now();
    let status = match MaintenanceStatus::at(&windows, now) {
        MaintenanceStatus::Active { .. } => "active",
        MaintenanceStatus::Upcoming { .. } => "upcoming",
        MaintenanceStatus::None => "none",
    };
    Ok(Json(WindowsBody {
        status: status.to_owned(),
        windows: windows.into_iter().map(|w| window_body(w, now)).collect(),
    }))
}

/// Plan a maintenance window: announced on every page from a week before; while it
/// runs, sign-in and sign-up answer `503 maintenance` with `Retry-After`.
#[utoipa::path(post, path = "/api/v1/admin/maintenance", tag = "admin",
    request_body = ScheduleRequest, security(("session_token" = [])),
    responses((status = 201, body = WindowBody),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn schedule(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<ScheduleRequest>,
) -> ApiResult<(StatusCode, Json<WindowBody>)> {
    // The role first: someone without it learns nothing from input errors.
    app.services
        .roles()
        .require_staff(&auth, "admin", None)
        .await?;
    let starts_at = parse_utc("starts_at", &body.starts_at)?;
    let ends_at = parse_utc("ends_at", &body.ends_at)?;
    let window = app
        .services
        .admin()
        .schedule_maintenance(&auth, starts_at, ends_at, &body.message)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(window_body(window, app.services.core().now())),
    ))
}

/// Cancel a window that has not ended (an active one ends now).
#[utoipa::path(delete, path = "/api/v1/admin/maintenance/{id}", tag = "admin",
    params(("id" = String, Path, description = "the window's id")),
    security(("session_token" = [])),
    responses((status = 200, body = WindowBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<WindowBody>> {
    let window = app.services.admin().cancel_maintenance(&auth, &id).await?;
    Ok(Json(window_body(window, app.services.core().now())))
}
