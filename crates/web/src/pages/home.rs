//! The home page: a signed-in person goes on to their next step; anyone else sees what
//! the service is and the way in.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::layout::{CsrfToken, Layout, render};
use super::session::{redirect_next, require_auth};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
}

pub(super) async fn home(
    State(app): State<AppState>,
    headers: HeaderMap,
    axum::Extension(token): axum::Extension<CsrfToken>,
) -> Response {
    if let Ok(auth) = require_auth(&app, &headers).await {
        return redirect_next(&app, &auth).await;
    }
    render(
        StatusCode::OK,
        &HomePage {
            layout: Layout::new(&app, &token, false),
        },
    )
}
