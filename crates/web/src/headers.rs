//! Security headers on every response: a Content-Security-Policy without
//! `unsafe-inline`, framing denied, no referrer, no MIME sniffing, HSTS when served over
//! HTTPS, and `no-store` on everything except the static assets (pages and API answers
//! can hold personal data).

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub async fn security_headers(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/assets/");
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    // A page that posts to another site (a SAML consumer) set its own policy.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if app.config.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if !is_asset {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The policy with one more form target (a registered SAML consumer URL, which
/// registration keeps to ASCII without quotes, commas, semicolons or spaces). `None`
/// if it cannot be a header value, so the page keeps the default policy.
pub(crate) fn csp_with_form_action(url: &str) -> Option<HeaderValue> {
    if url.contains([';', ',', '\'', '"', ' ']) {
        return None;
    }
    HeaderValue::from_str(&CSP.replace("form-action 'self'", &format!("form-action 'self' {url}")))
        .ok()
}
