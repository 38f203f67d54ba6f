//! Changing the account's email address: a code to the new address, then the change
//! (the old address is told, with a "this wasn't me" link).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::bodies::CodeRequest;
use super::recovery::ResultResponse;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiAuth, ApiJson, Client};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct EmailChangeRequest {
    pub email: String,
}

/// Send a confirmation code to a new email address (a second factor within 15 minutes
/// first). The account keeps its address until the code is entered.
#[utoipa::path(post, path = "/api/v1/account/email", tag = "accounts", request_body = EmailChangeRequest,
    security(("session_token" = [])),
    responses((status = 202, body = ResultResponse), (status = 400, body = ErrorBody), (status = 403, description = "`reauthentication_required`", body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn start(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<EmailChangeRequest>,
) -> ApiResult<(StatusCode, Json<ResultResponse>)> {
    app.services
        .security()
        .start_email_change(&auth, &body.email, &ctx)
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ResultResponse {
            result: "code_sent".into(),
            message: "We emailed a code to the new address. Enter it to make the change.".into(),
        }),
    ))
}

/// Confirm the new address with its code: it becomes the account's, and the old
/// address is told.
#[utoipa::path(post, path = "/api/v1/account/email/confirm", tag = "accounts", request_body = CodeRequest,
    security(("session_token" = [])),
    responses((status = 200, body = ResultResponse), (status = 401, body = ErrorBody), (status = 404, description = "no new address waiting", body = ErrorBody)))]
pub async fn confirm(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<CodeRequest>,
) -> ApiResult<Json<ResultResponse>> {
    app.services
        .security()
        .confirm_email_change(&auth, &body.code)
        .await?;
    Ok(Json(ResultResponse {
        result: "email_changed".into(),
        message: "Your email address was changed. We told the old address.".into(),
    }))
}
