//! Static assets compiled into the binary: the U.S. Web Design System stylesheet (v3.14,
//! public domain, vendored from the `@uswds/uswds` npm package: only the files the pages
//! use), the service's own small stylesheet, and its two scripts (password fields: a
//! "Show password" button and a strength meter; passkeys: WebAuthn on ordinary forms).
//! Both are progressive enhancement: every page works without them, and a page that
//! offers a passkey says what else works.

use crate::state::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

macro_rules! assets {
    ($($path:literal => $mime:literal),* $(,)?) => {
        const ASSETS: &[(&str, &str, &[u8])] = &[
            $(($path, $mime, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/", $path)))),*
        ];
    };
}

assets! {
    "uswds/css/uswds.min.css" => "text/css; charset=utf-8",
    "uswds/fonts/source-sans-pro/sourcesanspro-regular-webfont.woff2" => "font/woff2",
    "uswds/fonts/source-sans-pro/sourcesanspro-bold-webfont.woff2" => "font/woff2",
    "uswds/fonts/source-sans-pro/sourcesanspro-italic-webfont.woff2" => "font/woff2",
    "uswds/fonts/source-sans-pro/sourcesanspro-semibold-webfont.woff2" => "font/woff2",
    "uswds/fonts/merriweather/Latin-Merriweather-Regular.woff2" => "font/woff2",
    "uswds/fonts/merriweather/Latin-Merriweather-Bold.woff2" => "font/woff2",
    "uswds/fonts/roboto-mono/roboto-mono-v5-latin-regular.woff2" => "font/woff2",
    "uswds/fonts/roboto-mono/roboto-mono-v5-latin-700.woff2" => "font/woff2",
    "uswds/img/usa-icons/error.svg" => "image/svg+xml",
    "uswds/img/usa-icons/check_circle.svg" => "image/svg+xml",
    "uswds/img/usa-icons/info.svg" => "image/svg+xml",
    "uswds/img/usa-icons/warning.svg" => "image/svg+xml",
    "uswds/img/usa-icons/close.svg" => "image/svg+xml",
    "uswds/img/usa-icons/expand_more.svg" => "image/svg+xml",
    "uswds/img/usa-icons/navigate_next.svg" => "image/svg+xml",
    "uswds/img/usa-icons-bg/error--white.svg" => "image/svg+xml",
    "uswds/img/usa-icons-bg/check--blue-60v.svg" => "image/svg+xml",
    "site.css" => "text/css; charset=utf-8",
    "js/password-fields.js" => "text/javascript; charset=utf-8",
    "js/passkeys.js" => "text/javascript; charset=utf-8",
}

pub fn router() -> Router<AppState> {
    Router::new().route("/assets/{*path}", get(asset))
}

async fn asset(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == path) {
        Some((_, mime, bytes)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=86400"),
                ),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
