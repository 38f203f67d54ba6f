//! Changing the password: forced after a help-desk temporary password, or by choice.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;

use super::accounts::NextResponse;
use super::next_str;
use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiAuth, ApiJson};

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
