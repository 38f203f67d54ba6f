//! Admin endpoints (`/api/v1/admin/...`): signed in with a second factor and holding
//! the `admin` role, checked on the server for every request.

use axum::Json;
use axum::extract::{Query, State};
use sa_domain::journeys::FunnelReport;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiAuth;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
pub struct FunnelQuery {
    /// First day, `YYYY-MM-DD` (UTC). Default: 29 days before `to`.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (UTC). Default: today.
    pub to: Option<String>,
}

/// The most days one report may span.
const MAX_DAYS: i64 = 366;

/// The verification funnel per day: started, passed and failed at each step and why,
/// letters sent and activated, verification rate.
#[utoipa::path(get, path = "/api/v1/admin/reports/funnel", tag = "admin", params(FunnelQuery),
    security(("session_token" = [])),
    responses((status = 200, description = "the funnel report (see `FunnelReport`)"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn funnel(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Query(query): Query<FunnelQuery>,
) -> ApiResult<Json<FunnelReport>> {
    app.services.roles().require_role(&auth, "admin").await?;
    let (from, to) = report_range(
        query.from.as_deref(),
        query.to.as_deref(),
        app.services.core().now().date(),
    )?;
    Ok(Json(app.services.reports().funnel_report(from, to).await?))
}

/// Parse `from`/`to` (defaults: the 30 days up to today), at most a year apart.
pub fn report_range(
    from: Option<&str>,
    to: Option<&str>,
    today: time::Date,
) -> Result<(time::Date, time::Date), ApiError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let parse = |field: &'static str, text: &str| {
        time::Date::parse(text, &format).map_err(|_| {
            ApiError::invalid(field, format!("{field} must be a date like 2026-03-01"))
        })
    };
    let to = match to {
        Some(text) => parse("to", text)?,
        None => today,
    };
    let from = match from {
        Some(text) => parse("from", text)?,
        None => to - time::Duration::days(29),
    };
    if from > to || (to - from).whole_days() >= MAX_DAYS {
        return Err(ApiError::invalid(
            "from",
            "from must be on or before to, and the range at most 366 days",
        ));
    }
    Ok((from, to))
}
