//! Page: deleting one's own account (`/account/delete`), the page face of
//! `Security::delete_account` (the JSON twin is [`crate::api::deletion`]). The page says
//! what is erased and what is kept before the one button.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use sa_domain::DomainError;

use super::form::{FormErrors, is_form_error};
use super::layout::{CsrfToken, Layout, message_page, render};
use super::session::{PageAuth, error_page, redirect_next};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "delete_account.html")]
struct DeletePage {
    layout: Layout,
    errors: FormErrors,
    reauth_needed: bool,
    hold_days: i64,
}

fn page(app: &AppState, csrf: &CsrfToken, error: Option<DomainError>) -> Response {
    let reauth_needed = matches!(error, Some(DomainError::ReauthenticationRequired));
    let (status, errors) = match error {
        Some(error) => FormErrors::from_domain(error),
        None => (StatusCode::OK, FormErrors::none()),
    };
    render(
        status,
        &DeletePage {
            layout: Layout::new(app, csrf, true),
            errors,
            reauth_needed,
            hold_days: app.services.core().config.limits.deleted_identity_hold_secs / 86_400,
        },
    )
}

pub async fn show(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    if auth.session.stage != sa_domain::model::SessionStage::Authenticated {
        return redirect_next(&app, &auth).await;
    }
    page(&app, &csrf, None)
}

pub async fn delete(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    match app.services.security().delete_account(&auth).await {
        Ok(()) => message_page(
            &app,
            StatusCode::OK,
            &crate::locale::words("page-deleted-heading"),
            &crate::locale::words("page-deleted-text"),
        ),
        Err(error) if is_form_error(&error) => page(&app, &csrf, Some(error)),
        Err(error) => error_page(&app, error),
    }
}
