//! Token revocation (`/oidc/revoke`, RFC 7009) and introspection (`/oidc/introspect`,
//! RFC 7662): client-authenticated form posts, answered as the RFCs say (an empty 200
//! for a revocation, a JSON object for introspection, OAuth errors otherwise).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::answers::oauth_error;
use super::token::{FormResult, read_request};
use crate::state::AppState;

pub(super) async fn revoke(
    State(app): State<AppState>,
    headers: HeaderMap,
    form: FormResult,
) -> Response {
    let request = match read_request(&headers, form) {
        Ok(request) => request,
        Err(error) => return oauth_error(error),
    };
    match app.oidc.revoke(&request).await {
        Ok(()) => StatusCode::OK.into_response(),
        Err(error) => oauth_error(error),
    }
}

pub(super) async fn introspect(
    State(app): State<AppState>,
    headers: HeaderMap,
    form: FormResult,
) -> Response {
    let request = match read_request(&headers, form) {
        Ok(request) => request,
        Err(error) => return oauth_error(error),
    };
    match app.oidc.introspect(&request).await {
        Ok(answer) => {
            let mut response = Json(answer).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(error) => oauth_error(error),
    }
}
