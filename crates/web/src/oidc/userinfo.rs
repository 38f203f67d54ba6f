//! The userinfo endpoint (`/oidc/userinfo`, GET and POST).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use sa_domain::oidc::OAuthError;

use super::answers::oauth_error;
use crate::state::AppState;

pub(super) async fn userinfo(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = token else {
        return oauth_error(OAuthError::new(
            "invalid_token",
            "a bearer access token is required",
        ));
    };
    match app.oidc.userinfo(token).await {
        Ok(claims) => Json(claims).into_response(),
        Err(error) => oauth_error(error),
    }
}
