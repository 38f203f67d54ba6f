//! `/verify/help`: what to do when online proofing cannot finish (the help desk, an
//! assistance center).

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use sa_domain::model::Next;

use super::common::at_step;
use crate::pages::layout::{CsrfToken, Layout, render};
use crate::pages::session::PageAuth;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "proofing_help.html")]
struct HelpPage {
    layout: Layout,
}

pub async fn show_help(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    match at_step(&app, &auth, &[Next::ExceptionProcessing]).await {
        Ok(_) => render(
            StatusCode::OK,
            &HelpPage {
                layout: Layout::new(&app, &csrf, true),
            },
        ),
        Err(response) => response,
    }
}
