//! The last-resort answer (ASVS 7.4.3): a handler that panics still gets a generic
//! `500` with the usual error body, instead of a dropped connection. The panic's
//! message is never sent or logged here (it may quote input); the process-wide hook
//! set by [`quiet_panic_hook`] logs only where the panic happened.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::ApiError;

/// What a panicking handler answers.
fn answer(_payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked; answered 500");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error",
        "Something went wrong on our side and nothing was changed by this request. \
         Try again; if it keeps happening, call the help desk.",
    )
    .into_response()
}

/// The layer that turns a panic into [`answer`].
pub fn catch_panics() -> CatchPanicLayer<fn(Box<dyn std::any::Any + Send + 'static>) -> Response> {
    CatchPanicLayer::custom(answer as fn(_) -> Response)
}

/// Replace the default panic hook (which prints the panic message, possibly quoting
/// personal data) with one that logs only the source location.
pub fn quiet_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "unknown".to_owned());
        tracing::error!(%location, "panic (message withheld: it may quote input)");
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::get;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panicking_handler_answers_500_without_its_message() {
        let app: Router = Router::new()
            .route(
                "/boom",
                get(|| async {
                    let typed = "900-00-0001";
                    if !typed.is_empty() {
                        panic!("bad input {typed}");
                    }
                    "unreachable"
                }),
            )
            .layer(catch_panics());
        let response = app
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("internal_error"), "{text}");
        assert!(!text.contains("900-00-0001"), "{text}");
    }
}
