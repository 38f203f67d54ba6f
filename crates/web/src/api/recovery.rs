//! Recovery: password resets (no session), the "this wasn't me" link (no session), and
//! the account reset for someone who signed in with the password but can use no
//! sign-in method.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sa_domain::clock::rfc3339;
use sa_domain::model::AccountReset;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::bodies::{CodeRequest, next_str};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiAuth, ApiJson, Client};
use crate::state::AppState;

/// What a password-reset request answers, whether or not the username exists.
pub fn reset_requested(app: &AppState) -> String {
    let minutes = app
        .services
        .core()
        .config
        .limits
        .password_reset_code_ttl_secs
        / 60;
    sa_i18n::Text::new("password-reset-requested")
        .with("minutes", minutes)
        .render(crate::locale::current())
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordResetRequest {
    pub username: String,
}

#[derive(Serialize, ToSchema)]
pub struct ResultResponse {
    pub result: String,
    pub message: String,
}

/// Ask for a password-reset code by email. The answer is the same whether or not the
/// username exists.
#[utoipa::path(post, path = "/api/v1/password-resets", tag = "recovery", request_body = PasswordResetRequest,
    responses((status = 202, body = ResultResponse), (status = 400, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn request(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiJson(body): ApiJson<PasswordResetRequest>,
) -> ApiResult<(StatusCode, Json<ResultResponse>)> {
    app.services
        .recovery()
        .request_password_reset(&body.username, &ctx)
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ResultResponse {
            result: "requested".into(),
            message: reset_requested(&app),
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ConfirmPasswordResetRequest {
    pub username: String,
    pub code: String,
    pub password: String,
}

/// Set a new password with the emailed code. Every session ends; the next sign-in
/// still asks for the second factor.
#[utoipa::path(post, path = "/api/v1/password-resets/confirm", tag = "recovery", request_body = ConfirmPasswordResetRequest,
    responses((status = 200, body = ResultResponse), (status = 400, description = "a weak password (`field: password`) or a refused code (`invalid_code`)", body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn confirm(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiJson(body): ApiJson<ConfirmPasswordResetRequest>,
) -> ApiResult<Json<ResultResponse>> {
    app.services
        .recovery()
        .confirm_password_reset(&body.username, &body.code, &body.password, &ctx)
        .await?;
    Ok(Json(ResultResponse {
        result: "password_reset".into(),
        message: "Your password was changed and every device was signed out. Sign in with the new password and your second factor.".into(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct DisavowRequest {
    /// The `token` of the link in a security email.
    pub token: String,
}

/// "This wasn't me": end every session, cancel recovery in progress, and require a
/// password reset before the next sign-in. Each link works once.
#[utoipa::path(post, path = "/api/v1/account/disavow", tag = "recovery", request_body = DisavowRequest,
    responses((status = 200, body = ResultResponse), (status = 400, description = "unknown or expired link (`invalid_token`)", body = ErrorBody), (status = 409, description = "already used (`token_already_used`)", body = ErrorBody)))]
pub async fn disavow(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiJson(body): ApiJson<DisavowRequest>,
) -> ApiResult<Json<ResultResponse>> {
    app.services.recovery().disavow(&body.token, &ctx).await?;
    Ok(Json(ResultResponse {
        result: "protected".into(),
        message: crate::locale::words(DISAVOWED),
    }))
}

/// What a followed "this wasn't me" link says.
/// The catalogue id of what a person who used "this wasn't me" is told.
pub const DISAVOWED: &str = "disavow-done";

#[derive(Serialize, ToSchema)]
pub struct AccountResetResponse {
    /// `none`, `waiting` or `ready`.
    pub state: String,
    /// When the sign-in methods may be cleared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready_at: Option<String>,
}

fn reset_body(app: &AppState, reset: Option<AccountReset>) -> AccountResetResponse {
    let now = app.services.core().now();
    match reset {
        None => AccountResetResponse {
            state: "none".into(),
            ready_at: None,
        },
        Some(reset) => AccountResetResponse {
            state: if now >= reset.ready_at {
                "ready"
            } else {
                "waiting"
            }
            .into(),
            ready_at: Some(rfc3339(reset.ready_at)),
        },
    }
}

/// The account reset in progress (after the password, before a second factor).
#[utoipa::path(get, path = "/api/v1/account-resets", tag = "recovery",
    security(("session_token" = [])),
    responses((status = 200, body = AccountResetResponse)))]
pub async fn reset_state(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<Json<AccountResetResponse>> {
    let reset = app.services.recovery().account_reset(&auth).await?;
    Ok(Json(reset_body(&app, reset)))
}

/// "I can't use my sign-in methods", on an account without a verified identity: start
/// the waiting period (24 hours by default), telling the email address and every phone.
#[utoipa::path(post, path = "/api/v1/account-resets", tag = "recovery",
    security(("session_token" = [])),
    responses((status = 202, body = AccountResetResponse), (status = 409, description = "not available (a verified identity, or already signed in)", body = ErrorBody)))]
pub async fn start_reset(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<(StatusCode, Json<AccountResetResponse>)> {
    let reset = app
        .services
        .recovery()
        .start_account_reset(&auth, &ctx)
        .await?;
    Ok((StatusCode::ACCEPTED, Json(reset_body(&app, Some(reset)))))
}

#[derive(Serialize, ToSchema)]
pub struct AccountResetDoneResponse {
    pub session_token: String,
    pub next: String,
}

/// Finish an account reset whose wait is over: every sign-in method is removed, and the
/// new session sets up one (`next: setup_second_factor`).
#[utoipa::path(post, path = "/api/v1/account-resets/complete", tag = "recovery",
    security(("session_token" = [])),
    responses((status = 200, body = AccountResetDoneResponse), (status = 409, description = "still waiting (`not_ready`, with Retry-After)", body = ErrorBody)))]
pub async fn complete_reset(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<Json<AccountResetDoneResponse>> {
    let done = app
        .services
        .recovery()
        .complete_account_reset(&auth, &ctx)
        .await?;
    Ok(Json(AccountResetDoneResponse {
        session_token: done.session_token,
        next: next_str(done.next),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct RecoveryLetterResponse {
    /// `letter_queued`
    pub result: String,
    pub letter_id: String,
    pub code_expires_at: String,
    /// Business days a letter usually takes, low and high.
    pub expected_delivery_days: [u8; 2],
}

/// A verified account whose sign-in methods are all lost (after the password): mail a
/// recovery code to the address of record. The email address and every phone on the
/// account are told at once, with a link that cancels it.
#[utoipa::path(post, path = "/api/v1/account-resets/letter", tag = "recovery",
    security(("session_token" = [])),
    responses((status = 202, body = RecoveryLetterResponse), (status = 409, description = "not a verified account, or already signed in", body = ErrorBody), (status = 429, description = "the letter limits (one a day, four in 30 days)", body = ErrorBody)))]
pub async fn request_letter(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<(StatusCode, Json<RecoveryLetterResponse>)> {
    let queued = app
        .services
        .recovery()
        .request_recovery_letter(&auth, &ctx)
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(RecoveryLetterResponse {
            result: "letter_queued".into(),
            letter_id: queued.letter_id,
            code_expires_at: rfc3339(queued.code_expires_at),
            expected_delivery_days: queued.expected_delivery_days,
        }),
    ))
}

/// Enter the mailed recovery code: every old sign-in method is removed, every session
/// ends, and the new session sets up one (`next: setup_second_factor`).
#[utoipa::path(post, path = "/api/v1/account-resets/letter/confirm", tag = "recovery", request_body = CodeRequest,
    security(("session_token" = [])),
    responses((status = 200, body = AccountResetDoneResponse), (status = 401, description = "a wrong (`invalid_code`) or expired (`code_expired`) code", body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn confirm_letter(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<CodeRequest>,
) -> ApiResult<Json<AccountResetDoneResponse>> {
    let done = app
        .services
        .recovery()
        .confirm_recovery_letter(&auth, &body.code, &ctx)
        .await?;
    Ok(Json(AccountResetDoneResponse {
        session_token: done.session_token,
        next: next_str(done.next),
    }))
}
