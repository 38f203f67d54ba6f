//! Pages: create an account, confirm the email address.

use askama::Template;
use axum::Extension;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::form::FormErrors;
use super::form::is_form_error;
use super::layout::{CsrfToken, Layout, next_url, render};
use super::session::{PageAuth, ensure_device, error_page, redirect_with_session};
use crate::extract::Client;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "sign_up.html")]
struct SignUpPage {
    layout: Layout,
    errors: FormErrors,
    username: String,
    email: String,
}

pub async fn show(State(app): State<AppState>, Extension(csrf): Extension<CsrfToken>) -> Response {
    let layout = Layout::new(&app, &csrf, false);
    render(
        StatusCode::OK,
        &SignUpPage {
            layout,
            errors: FormErrors::none(),
            username: String::new(),
            email: String::new(),
        },
    )
}

#[derive(Deserialize)]
pub struct SignUpForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn submit(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(mut ctx): Client,
    Form(form): Form<SignUpForm>,
) -> Response {
    let device_cookie = ensure_device(&app, &mut ctx);
    match app
        .services
        .sign_up()
        .create_account(&form.username, &form.email, &form.password, &ctx)
        .await
    {
        Ok(done) => {
            redirect_with_session(&app, done.next, Some(&done.session_token), device_cookie)
        }
        Err(error) if is_form_error(&error) => {
            let (status, errors) = FormErrors::from_domain(error);
            let page = SignUpPage {
                layout: Layout::new(&app, &csrf, false),
                errors,
                username: form.username,
                email: form.email,
            };
            render(status, &page)
        }
        Err(error) => error_page(&app, error),
    }
}

#[derive(Template)]
#[template(path = "confirm_email.html")]
struct ConfirmEmailPage {
    layout: Layout,
    errors: FormErrors,
    /// The catalogue id of a notice to show above the form.
    notice: Option<&'static str>,
}

pub async fn show_confirm(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    _auth: PageAuth,
) -> Response {
    let page = ConfirmEmailPage {
        layout: Layout::new(&app, &csrf, true),
        errors: FormErrors::none(),
        notice: None,
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    pub code: String,
}

pub async fn confirm(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<CodeForm>,
) -> Response {
    match app
        .services
        .sign_up()
        .confirm_email(&auth, &form.code)
        .await
    {
        Ok(next) => Redirect::to(next_url(next)).into_response(),
        Err(error) if is_form_error(&error) => {
            let (status, errors) = FormErrors::from_domain(error);
            render(
                status,
                &ConfirmEmailPage {
                    layout: Layout::new(&app, &csrf, true),
                    errors,
                    notice: None,
                },
            )
        }
        Err(error) => error_page(&app, error),
    }
}

pub async fn resend(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(ctx): Client,
    PageAuth(auth): PageAuth,
) -> Response {
    let layout = Layout::new(&app, &csrf, true);
    match app.services.sign_up().resend_email_code(&auth, &ctx).await {
        Ok(()) => render(
            StatusCode::OK,
            &ConfirmEmailPage {
                layout,
                errors: FormErrors::none(),
                notice: Some("confirm-email-resent"),
            },
        ),
        Err(error) if is_form_error(&error) => {
            let (status, errors) = FormErrors::from_domain(error);
            render(
                status,
                &ConfirmEmailPage {
                    layout,
                    errors,
                    notice: None,
                },
            )
        }
        Err(error) => error_page(&app, error),
    }
}
