//! The authorization request waiting while a person signs in, proofs or consents: its
//! id rides in a short-lived cookie, and pages that finish a journey resume it.

use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::cookies;
use crate::state::AppState;

/// The cookie holding a pending authorization request id.
pub const PENDING: &str = "sa_oidc_request";

/// The pending request id from the cookie.
pub fn pending_request(app: &AppState, headers: &HeaderMap) -> Option<String> {
    let name = cookies::name(PENDING, app.config.secure_cookies);
    cookies::read(headers, &name)
}

/// If an app's sign-in is pending in this browser, where to continue it.
pub fn resume_pending(app: &AppState, headers: &HeaderMap) -> Option<Response> {
    pending_request(app, headers).map(|id| {
        Redirect::to(&format!(
            "/oidc/authorize/resume?request={}",
            sa_domain::oidc::authorize::urlencode(&id)
        ))
        .into_response()
    })
}

pub(super) fn set_pending(app: &AppState, response: &mut Response, request_id: Option<&str>) {
    let name = cookies::name(PENDING, app.config.secure_cookies);
    let value = match request_id {
        Some(id) => cookies::set(&name, id, app.config.secure_cookies, Some(3600)),
        None => cookies::clear(&name, app.config.secure_cookies),
    };
    if let Some(value) = value {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
