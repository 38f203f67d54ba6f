//! Online security information: recent sign-ins and account events.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiAuth;

#[derive(Serialize, ToSchema)]
pub struct LoginBody {
    pub at: String,
    pub ip: String,
    pub user_agent: String,
    /// `password`, `totp`, `sms`, `backup_code`.
    pub method: String,
    /// `success` or `failure`.
    pub result: String,
    /// Why a failure failed: `wrong_password`, `wrong_code`, `code_replayed`,
    /// `code_expired`, `code_already_used`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EventBody {
    pub at: String,
    /// `account_created`, `email_confirmed`, `factor_added`, `factor_removed`,
    /// `factor_disabled`, `new_device_sign_in`, ...
    pub kind: String,
    pub detail: String,
}

#[derive(Serialize, ToSchema)]
pub struct SecurityResponse {
    /// Newest first.
    pub recent_logins: Vec<LoginBody>,
    /// Newest first.
    pub events: Vec<EventBody>,
}

/// Recent sign-ins and account events, newest first.
#[utoipa::path(get, path = "/api/v1/account/security", tag = "account", security(("session_token" = [])),
    responses((status = 200, body = SecurityResponse), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn overview(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<Json<SecurityResponse>> {
    let overview = app.services.security_overview(&auth).await?;
    Ok(Json(SecurityResponse {
        recent_logins: overview
            .recent_logins
            .into_iter()
            .map(|l| LoginBody {
                at: sa_domain::clock::rfc3339(l.at),
                ip: l.ip,
                user_agent: l.user_agent,
                method: l.method,
                result: if l.success { "success" } else { "failure" }.to_owned(),
                reason: l.reason,
            })
            .collect(),
        events: overview
            .events
            .into_iter()
            .map(|e| EventBody {
                at: sa_domain::clock::rfc3339(e.at),
                kind: e.kind,
                detail: e.detail,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct AppBody {
    pub client_id: String,
    pub name: String,
    pub allowed_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct AppsResponse {
    pub apps: Vec<AppBody>,
}

/// The apps this account signs in to (single sign-on).
#[utoipa::path(get, path = "/api/v1/account/apps", tag = "account",
    security(("session_token" = [])),
    responses((status = 200, body = AppsResponse), (status = 401, body = ErrorBody)))]
pub async fn apps(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<Json<AppsResponse>> {
    let apps = app
        .oidc
        .connected_apps(&auth.account.id)
        .await
        .map_err(|e| {
            crate::error::ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "service_unavailable",
                e.description,
            )
        })?;
    Ok(Json(AppsResponse {
        apps: apps
            .into_iter()
            .map(|(client_id, name, at)| AppBody {
                client_id,
                name,
                allowed_at: sa_domain::clock::rfc3339(at),
            })
            .collect(),
    }))
}

/// Remove an app's access: its tokens stop working and the next sign-in asks again.
#[utoipa::path(delete, path = "/api/v1/account/apps/{client_id}", tag = "account",
    security(("session_token" = [])),
    responses((status = 204), (status = 400, body = ErrorBody)))]
pub async fn revoke_app(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    axum::extract::Path(client_id): axum::extract::Path<String>,
) -> ApiResult<axum::http::StatusCode> {
    app.oidc
        .revoke_app(&auth.account.id, &client_id)
        .await
        .map_err(|e| crate::error::ApiError::invalid("client_id", e.description))?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
