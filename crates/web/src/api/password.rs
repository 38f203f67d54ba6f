//! Changing the password (forced after a help-desk temporary password, or by choice),
//! and rating a password while it is typed (the strength meter of the password forms).

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::bodies::NextResponse;
use super::bodies::next_str;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiAuth, ApiJson, Client};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    /// Not needed right after signing in with a temporary password.
    pub current_password: Option<String>,
    pub new_password: String,
    /// Sign out of every other session too (default `true`).
    pub end_other_sessions: Option<bool>,
}

/// Choose a new password (`next: change_password` leads here).
#[utoipa::path(post, path = "/api/v1/account/password", tag = "accounts", request_body = ChangePasswordRequest,
    security(("session_token" = [])),
    responses((status = 200, body = NextResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn change(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> ApiResult<Json<NextResponse>> {
    let next = app
        .services
        .security()
        .change_password(
            &auth,
            body.current_password.as_deref(),
            &body.new_password,
            body.end_other_sessions.unwrap_or(true),
        )
        .await?;
    Ok(Json(NextResponse {
        next: next_str(next),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct RatePasswordRequest {
    pub password: String,
    /// The username being chosen or held (a password must not contain it).
    #[serde(default)]
    pub username: String,
    /// The email being given or held (a password must not contain it).
    #[serde(default)]
    pub email: String,
}

#[derive(Serialize, ToSchema)]
pub struct RatePasswordResponse {
    /// 0 (weakest) to 4.
    pub score: u8,
    /// Whether sign-up or a password change would take it.
    pub acceptable: bool,
    /// Why not, in words for the person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// How strong a password is, with the same checks the forms apply (nothing is stored
/// or logged). No sign-in needed; limited per client IP.
#[utoipa::path(post, path = "/api/v1/passwords/strength", tag = "accounts", request_body = RatePasswordRequest,
    responses((status = 200, body = RatePasswordResponse), (status = 400, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn rate(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiJson(body): ApiJson<RatePasswordRequest>,
) -> ApiResult<Json<RatePasswordResponse>> {
    let rating = app
        .services
        .security()
        .rate_password(ctx.ip, &body.password, &body.username, &body.email)
        .await?;
    Ok(Json(RatePasswordResponse {
        score: rating.score,
        acceptable: rating.acceptable,
        message: rating
            .message
            .map(|text| text.render(crate::locale::current())),
    }))
}
