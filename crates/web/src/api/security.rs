//! Online security information: recent sign-ins and account events, where the person
//! is signed in (and signing out of those sessions), connected apps.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiAuth;
use crate::state::AppState;

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
    /// The session making this request: how it was signed in.
    pub current_session: CurrentSessionBody,
}

#[derive(Serialize, ToSchema)]
pub struct CurrentSessionBody {
    /// The second factor it was raised with (absent before one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    pub ial: u8,
    pub aal: u8,
    /// Raised with a passkey.
    pub phishing_resistant: bool,
}

/// Recent sign-ins and account events, newest first.
#[utoipa::path(get, path = "/api/v1/account/security", tag = "account", security(("session_token" = [])),
    responses((status = 200, body = SecurityResponse), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn overview(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<Json<SecurityResponse>> {
    let overview = app.services.security().security_overview(&auth).await?;
    let method = auth.session.auth_method.clone();
    let assurance =
        sa_domain::journeys::Assurance::of(&auth.account, method.as_deref().unwrap_or_default());
    Ok(Json(SecurityResponse {
        current_session: CurrentSessionBody {
            method,
            ial: assurance.ial,
            aal: if auth.session.stage == sa_domain::model::SessionStage::Authenticated {
                2
            } else {
                1
            },
            phishing_resistant: assurance.phishing_resistant,
        },
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
                detail: crate::history::entry(&e.detail, crate::locale::current()),
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

#[derive(Serialize, ToSchema)]
pub struct SessionBody {
    /// Names the session in `DELETE /api/v1/account/sessions/{handle}`.
    pub handle: String,
    pub signed_in_at: String,
    pub last_seen_at: String,
    pub ip: String,
    pub user_agent: String,
    /// The session making this request.
    pub current: bool,
    /// The second factor it was raised with: `passkey`, `passwordless_passkey`, `totp`,
    /// `sms`, `backup_code` (absent before one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Raised with a passkey.
    pub phishing_resistant: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SessionsResponse {
    /// Most recently used first.
    pub sessions: Vec<SessionBody>,
}

/// Where the account is signed in (live sessions).
#[utoipa::path(get, path = "/api/v1/account/sessions", tag = "account", security(("session_token" = [])),
    responses((status = 200, body = SessionsResponse), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn sessions(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<Json<SessionsResponse>> {
    let sessions = app.services.security().active_sessions(&auth).await?;
    Ok(Json(SessionsResponse {
        sessions: sessions
            .into_iter()
            .map(|s| SessionBody {
                handle: s.handle,
                signed_in_at: sa_domain::clock::rfc3339(s.signed_in_at),
                last_seen_at: sa_domain::clock::rfc3339(s.last_seen_at),
                ip: s.ip,
                user_agent: s.browser,
                current: s.current,
                method: s.method,
                phishing_resistant: s.phishing_resistant,
            })
            .collect(),
    }))
}

/// Sign out of one session (needs a second factor within the re-authentication window).
#[utoipa::path(delete, path = "/api/v1/account/sessions/{handle}", tag = "account", security(("session_token" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn end_session(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(handle): Path<String>,
) -> ApiResult<StatusCode> {
    app.services.security().end_session(&auth, &handle).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct EndedResponse {
    /// How many sessions ended.
    pub ended: usize,
}

/// Sign out of every session but this one (needs a second factor within the
/// re-authentication window).
#[utoipa::path(post, path = "/api/v1/account/sessions/sign-out-others", tag = "account", security(("session_token" = [])),
    responses((status = 200, body = EndedResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn end_other_sessions(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<Json<EndedResponse>> {
    let ended = app.services.security().end_other_sessions(&auth).await?;
    Ok(Json(EndedResponse { ended }))
}

/// Everything kept about the account, as a JSON download (signed in with a second
/// factor): account, sign-in methods (never their secrets), sessions, sign-in history,
/// account events, identity proofing decisions and letters, connected apps.
#[utoipa::path(get, path = "/api/v1/account/export", tag = "account", security(("session_token" = [])),
    responses((status = 200, description = "The account's data (JSON, as a download)"), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn export(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let mut data = app.services.security().export_my_data(&auth).await?;
    let apps = app
        .oidc
        .connected_apps(&auth.account.id)
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "service_unavailable",
                e.description,
            )
        })?;
    data["connected_apps"] = serde_json::Value::Array(
        apps.into_iter()
            .map(|(client_id, name, since)| {
                serde_json::json!({"client_id": client_id, "name": name,
                    "allowed_at": sa_domain::clock::rfc3339(since)})
            })
            .collect(),
    );
    let mut response = Json(data).into_response();
    response.headers_mut().insert(
        axum::http::header::CONTENT_DISPOSITION,
        axum::http::HeaderValue::from_static("attachment; filename=\"secure-access-my-data.json\""),
    );
    Ok(response)
}
