//! Deleting one's own account (`docs/retention.md` says what is erased and kept).

use axum::extract::State;
use axum::http::StatusCode;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiAuth;
use crate::state::AppState;

/// Delete the signed-in account (a second factor within 15 minutes first). A
/// confirmation email goes to the account's address.
#[utoipa::path(delete, path = "/api/v1/account", tag = "accounts",
    security(("session_token" = [])),
    responses((status = 204, description = "deleted"), (status = 403, description = "`reauthentication_required`", body = ErrorBody), (status = 409, description = "a staff account", body = ErrorBody)))]
pub async fn delete(State(app): State<AppState>, ApiAuth(auth): ApiAuth) -> ApiResult<StatusCode> {
    app.services.security().delete_account(&auth).await?;
    Ok(StatusCode::NO_CONTENT)
}
