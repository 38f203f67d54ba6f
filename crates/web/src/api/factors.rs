//! Second factors: authenticator app, phone, backup codes; list and remove.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sa_domain::journeys::ConfirmedFactor;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::bodies::next_str;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiAuth, ApiJson, Client, OptionalJson};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct FactorBody {
    pub id: String,
    /// `totp`, `sms` or `backup_codes`.
    pub kind: String,
    pub label: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    /// `active`, or `disabled` after too many wrong codes.
    pub status: String,
    /// Unused backup codes left (backup codes only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codes_left: Option<i64>,
}

/// The account's second factors.
#[utoipa::path(get, path = "/api/v1/factors", tag = "factors", security(("session_token" = [])),
    responses((status = 200, body = Vec<FactorBody>), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<Json<Vec<FactorBody>>> {
    let factors = app.services.factors().list_factors(&auth).await?;
    Ok(Json(
        factors
            .into_iter()
            .map(|f| FactorBody {
                id: f.id,
                kind: f.kind.as_str().to_owned(),
                label: f.label,
                created_at: sa_domain::clock::rfc3339(f.created_at),
                last_used_at: f.last_used_at.map(sa_domain::clock::rfc3339),
                status: f.status.to_owned(),
                codes_left: f.codes_left,
            })
            .collect(),
    ))
}

#[derive(Deserialize, Default, ToSchema)]
pub struct TotpRequest {
    /// A name for the app, e.g. "Phone authenticator".
    pub label: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TotpResponse {
    pub factor_id: String,
    /// Base32, for typing into the app by hand.
    pub secret: String,
    pub otpauth_uri: String,
    /// The `otpauth_uri` as a QR code (SVG).
    pub qr_svg: String,
}

/// Start adding an authenticator app (inactive until confirmed with a code).
#[utoipa::path(post, path = "/api/v1/factors/totp", tag = "factors", request_body(content = TotpRequest, description = "optional"),
    security(("session_token" = [])),
    responses((status = 201, body = TotpResponse), (status = 403, description = "reauthentication_required", body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn begin_totp(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    OptionalJson(body): OptionalJson<TotpRequest>,
) -> ApiResult<(StatusCode, Json<TotpResponse>)> {
    let enrolment = app
        .services
        .factors()
        .begin_totp(&auth, body.label.as_deref())
        .await?;
    let qr_svg = crate::qr::qr_svg(&enrolment.otpauth_uri);
    Ok((
        StatusCode::CREATED,
        Json(TotpResponse {
            factor_id: enrolment.factor_id,
            secret: enrolment.secret_base32,
            otpauth_uri: enrolment.otpauth_uri,
            qr_svg,
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct CodeRequest {
    pub code: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConfirmedResponse {
    pub factor_id: String,
    pub next: String,
    /// Present when this was the first factor: the session is now fully signed in under
    /// this new token, and the old one stops working.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
}

impl From<ConfirmedFactor> for ConfirmedResponse {
    fn from(done: ConfirmedFactor) -> Self {
        Self {
            factor_id: done.factor_id,
            next: next_str(done.next),
            session_token: done.session_token,
        }
    }
}

/// Confirm an authenticator app with a code it shows.
#[utoipa::path(post, path = "/api/v1/factors/totp/{id}/confirm", tag = "factors", request_body = CodeRequest,
    params(("id" = String, Path, description = "factor id")), security(("session_token" = [])),
    responses((status = 200, body = ConfirmedResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn confirm_totp(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CodeRequest>,
) -> ApiResult<Json<ConfirmedResponse>> {
    Ok(Json(
        app.services
            .factors()
            .confirm_totp(&auth, &id, &body.code)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct PhoneRequest {
    /// A number that can receive text messages: E.164, or 10 digits for the US.
    pub phone: String,
}

#[derive(Serialize, ToSchema)]
pub struct PhoneResponse {
    pub factor_id: String,
    /// `code_sent`
    pub result: String,
}

/// Add a phone for text-message codes; a code is texted to confirm it.
#[utoipa::path(post, path = "/api/v1/factors/phones", tag = "factors", request_body = PhoneRequest,
    security(("session_token" = [])),
    responses((status = 201, body = PhoneResponse), (status = 400, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn add_phone(
    State(app): State<AppState>,
    Client(ctx): Client,
    ApiAuth(auth): ApiAuth,
    ApiJson(body): ApiJson<PhoneRequest>,
) -> ApiResult<(StatusCode, Json<PhoneResponse>)> {
    let factor_id = app
        .services
        .factors()
        .add_phone(&auth, &body.phone, &ctx)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(PhoneResponse {
            factor_id,
            result: "code_sent".into(),
        }),
    ))
}

/// Confirm a phone with the code texted to it.
#[utoipa::path(post, path = "/api/v1/factors/phones/{id}/confirm", tag = "factors", request_body = CodeRequest,
    params(("id" = String, Path, description = "factor id")), security(("session_token" = [])),
    responses((status = 200, body = ConfirmedResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn confirm_phone(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CodeRequest>,
) -> ApiResult<Json<ConfirmedResponse>> {
    Ok(Json(
        app.services
            .factors()
            .confirm_phone(&auth, &id, &body.code)
            .await?
            .into(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct BackupCodesResponse {
    pub factor_id: String,
    /// Ten single-use codes, shown this once.
    pub codes: Vec<String>,
    pub next: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
}

/// Create backup codes (replacing any earlier set).
#[utoipa::path(post, path = "/api/v1/factors/backup-codes", tag = "factors", security(("session_token" = [])),
    responses((status = 201, body = BackupCodesResponse), (status = 403, body = ErrorBody)))]
pub async fn backup_codes(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> ApiResult<(StatusCode, Json<BackupCodesResponse>)> {
    let created = app.services.factors().create_backup_codes(&auth).await?;
    Ok((
        StatusCode::CREATED,
        Json(BackupCodesResponse {
            factor_id: created.factor_id,
            codes: created.codes,
            next: next_str(created.next),
            session_token: created.session_token,
        }),
    ))
}

/// Remove a second factor. Needs a second factor entered in the last 15 minutes
/// (`403 reauthentication_required` otherwise); the last one cannot be removed (`409`).
#[utoipa::path(delete, path = "/api/v1/factors/{id}", tag = "factors",
    params(("id" = String, Path, description = "factor id")), security(("session_token" = [])),
    responses((status = 204, description = "removed"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remove(
    State(app): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.services.factors().delete_factor(&auth, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
