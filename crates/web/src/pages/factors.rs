//! Pages: set up a second factor (authenticator app first, then text message, then
//! backup codes), confirm it, and show backup codes once.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use sa_domain::DomainError;
use sa_domain::journeys::AuthSession;
use serde::Deserialize;

use super::form::FormErrors;
use super::form::is_form_error;
use super::layout::{CsrfToken, Layout, next_url, render};
use super::session::{PageAuth, error_page, redirect_with_session, set_session_cookie};
use super::sign_up::CodeForm;
use crate::extract::Client;
use crate::qr::qr_svg;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "setup_factor.html")]
struct ChoosePage {
    layout: Layout,
}

pub async fn choose(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    _auth: PageAuth,
) -> Response {
    render(
        StatusCode::OK,
        &ChoosePage {
            layout: Layout::new(&app, &csrf, true),
        },
    )
}

#[derive(Template)]
#[template(path = "setup_totp.html")]
struct TotpPage {
    layout: Layout,
    errors: FormErrors,
    factor_id: String,
    secret: String,
    qr_svg: String,
}

#[derive(Deserialize)]
pub struct LabelForm {
    #[serde(default)]
    label: Option<String>,
}

pub async fn begin_totp(
    State(app): State<AppState>,
    PageAuth(auth): PageAuth,
    Form(form): Form<LabelForm>,
) -> Response {
    match app
        .services
        .factors()
        .begin_totp(&auth, form.label.as_deref())
        .await
    {
        Ok(enrolment) => Redirect::to(&format!(
            "/second-factor/setup/totp/{}",
            enrolment.factor_id
        ))
        .into_response(),
        Err(error) => error_page(&app, error),
    }
}

pub async fn show_totp(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Path(id): Path<String>,
) -> Response {
    totp_page(&app, &csrf, &auth, &id, StatusCode::OK, FormErrors::none()).await
}

async fn totp_page(
    app: &AppState,
    csrf: &CsrfToken,
    auth: &AuthSession,
    id: &str,
    status: StatusCode,
    errors: FormErrors,
) -> Response {
    match app.services.factors().pending_totp(auth, id).await {
        Ok(enrolment) => render(
            status,
            &TotpPage {
                layout: Layout::new(app, csrf, true),
                errors,
                qr_svg: qr_svg(&enrolment.otpauth_uri),
                factor_id: enrolment.factor_id,
                secret: enrolment.secret_base32,
            },
        ),
        Err(error) => error_page(app, error),
    }
}

pub async fn confirm_totp(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Path(id): Path<String>,
    Form(form): Form<CodeForm>,
) -> Response {
    match app
        .services
        .factors()
        .confirm_totp(&auth, &id, &form.code)
        .await
    {
        Ok(done) => redirect_with_session(&app, done.next, done.session_token.as_deref(), None),
        Err(error)
            if is_form_error(&error)
                && !matches!(error, DomainError::NotFound(_) | DomainError::Conflict(_)) =>
        {
            let (status, errors) = FormErrors::from_domain(error);
            totp_page(&app, &csrf, &auth, &id, status, errors).await
        }
        Err(error) => error_page(&app, error),
    }
}

#[derive(Template)]
#[template(path = "setup_phone.html")]
struct PhonePage {
    layout: Layout,
    errors: FormErrors,
    phone: String,
}

pub async fn show_phone(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    _auth: PageAuth,
) -> Response {
    render(
        StatusCode::OK,
        &PhonePage {
            layout: Layout::new(&app, &csrf, true),
            errors: FormErrors::none(),
            phone: String::new(),
        },
    )
}

#[derive(Deserialize)]
pub struct PhoneForm {
    #[serde(default)]
    phone: String,
}

pub async fn add_phone(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(ctx): Client,
    PageAuth(auth): PageAuth,
    Form(form): Form<PhoneForm>,
) -> Response {
    match app
        .services
        .factors()
        .add_phone(&auth, &form.phone, &ctx)
        .await
    {
        Ok(factor_id) => {
            Redirect::to(&format!("/second-factor/setup/phone/{factor_id}")).into_response()
        }
        Err(error) if is_form_error(&error) => {
            let (status, errors) = FormErrors::from_domain(error);
            render(
                status,
                &PhonePage {
                    layout: Layout::new(&app, &csrf, true),
                    errors,
                    phone: form.phone,
                },
            )
        }
        Err(error) => error_page(&app, error),
    }
}

#[derive(Template)]
#[template(path = "confirm_phone.html")]
struct ConfirmPhonePage {
    layout: Layout,
    errors: FormErrors,
    factor_id: String,
}

pub async fn show_phone_confirm(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    _auth: PageAuth,
    Path(id): Path<String>,
) -> Response {
    render(
        StatusCode::OK,
        &ConfirmPhonePage {
            layout: Layout::new(&app, &csrf, true),
            errors: FormErrors::none(),
            factor_id: id,
        },
    )
}

pub async fn confirm_phone(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Path(id): Path<String>,
    Form(form): Form<CodeForm>,
) -> Response {
    match app
        .services
        .factors()
        .confirm_phone(&auth, &id, &form.code)
        .await
    {
        Ok(done) => redirect_with_session(&app, done.next, done.session_token.as_deref(), None),
        Err(error) if is_form_error(&error) => {
            let (status, errors) = FormErrors::from_domain(error);
            render(
                status,
                &ConfirmPhonePage {
                    layout: Layout::new(&app, &csrf, true),
                    errors,
                    factor_id: id,
                },
            )
        }
        Err(error) => error_page(&app, error),
    }
}

#[derive(Template)]
#[template(path = "backup_codes.html")]
struct BackupCodesPage {
    layout: Layout,
    codes: Vec<String>,
    next_url: &'static str,
}

pub async fn backup_codes(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    match app.services.factors().create_backup_codes(&auth).await {
        Ok(created) => {
            let page = BackupCodesPage {
                layout: Layout::new(&app, &csrf, true),
                codes: created.codes,
                next_url: next_url(created.next),
            };
            let mut response = render(StatusCode::OK, &page);
            if let Some(token) = created.session_token {
                set_session_cookie(&app, &mut response, &token);
            }
            response
        }
        Err(error) => error_page(&app, error),
    }
}
