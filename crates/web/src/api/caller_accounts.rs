//! The help desk creates an account for a caller who has none, then checks them with
//! the usual knowledge check (`/api/v1/staff/accounts/{id}/knowledge-checks`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiAuth, ApiJson};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct CallerAccountRequest {
    /// The username the caller chooses.
    pub username: String,
    pub email: String,
    /// The caller's SSN (9 digits, dashes and spaces allowed): it must have a return on
    /// file and no verified account.
    pub ssn: String,
}

#[derive(Serialize, ToSchema)]
pub struct CallerAccountResponse {
    pub account_id: String,
    /// What to do now: `knowledge_check`.
    pub next: String,
}

/// Help desk: create an account for a caller without one (audited). Nobody knows its
/// password; a passed knowledge check issues the temporary password and the letter.
#[utoipa::path(post, path = "/api/v1/staff/accounts", tag = "staff", request_body = CallerAccountRequest,
    security(("session_token" = [])),
    responses((status = 201, body = CallerAccountResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, description = "username taken, SSN already verified, or no return on file", body = ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<CallerAccountRequest>,
) -> ApiResult<(StatusCode, Json<CallerAccountResponse>)> {
    let account_id = app
        .services
        .staff()
        .create_account_for_caller(&auth, &body.username, &body.email, &body.ssn)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CallerAccountResponse {
            account_id,
            next: "knowledge_check".into(),
        }),
    ))
}
