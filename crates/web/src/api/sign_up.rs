//! Sign-up and email confirmation.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::bodies::{CodeRequest, NextResponse, next_str};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiAuth, ApiJson, Client};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct SignUpRequest {
    /// 3 to 64 letters, numbers or `. _ - @ +`; not case-sensitive.
    pub username: String,
    pub email: String,
    /// 12 to 128 characters; not easy to guess; not containing the username or email.
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SignUpResponse {
    pub account_id: String,
    pub session_token: String,
    /// `confirm_email`
    pub next: String,
}

/// Create an account; a confirmation code goes to the email address.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = SignUpRequest,
    responses((status = 201, body = SignUpResponse), (status = 400, body = ErrorBody), (status = 409, description = "username taken", body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn sign_up(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiJson(body): ApiJson<SignUpRequest>,
) -> ApiResult<(StatusCode, Json<SignUpResponse>)> {
    let done = app
        .services
        .sign_up()
        .create_account(&body.username, &body.email, &body.password, &ctx)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(SignUpResponse {
            account_id: done.account_id,
            session_token: done.session_token,
            next: next_str(done.next),
        }),
    ))
}

/// Confirm the email address with the emailed code.
#[utoipa::path(post, path = "/api/v1/accounts/email/confirm", tag = "accounts", request_body = CodeRequest,
    security(("session_token" = [])),
    responses((status = 200, body = NextResponse), (status = 401, body = ErrorBody)))]
pub async fn confirm_email(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<CodeRequest>,
) -> ApiResult<Json<NextResponse>> {
    let next = app
        .services
        .sign_up()
        .confirm_email(&auth, &body.code)
        .await?;
    Ok(Json(NextResponse {
        next: next_str(next),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ResultResponse {
    pub result: String,
}

/// Send a new email confirmation code (the previous one stops working).
#[utoipa::path(post, path = "/api/v1/accounts/email/resend", tag = "accounts",
    security(("session_token" = [])),
    responses((status = 202, body = ResultResponse), (status = 429, body = ErrorBody)))]
pub async fn resend_email_code(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<(StatusCode, Json<ResultResponse>)> {
    app.services
        .sign_up()
        .resend_email_code(&auth, &ctx)
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ResultResponse {
            result: "code_sent".into(),
        }),
    ))
}
