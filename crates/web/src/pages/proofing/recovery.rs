//! `/account-reset/verify`: a verified person who lost every sign-in method proves
//! their identity again (the page face of the online recovery in
//! `sa_domain::journeys::recovery_proofing`; the JSON twin is
//! [`crate::api::recovery_proofing`]). One page shows the form of the step the recovery
//! is at; each step posts to its own address and comes back here, or shows the page
//! again with the journey's message. The proofing pages' fields and feedback are reused.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use sa_domain::DomainError;
use sa_domain::journeys::{AuthSession, RecoveryStepOutcome, parse_account_kind};
use sa_domain::model::{Next, SessionStage};
use serde::Deserialize;

use super::common::{Feedback, respond, shown_on_form};
use super::financial::account_kinds;
use super::identity::{
    FILING_STATUSES, IdentityForm, IdentityValues, month_options, state_options,
};
use crate::extract::Client;
use crate::pages::form::{FormErrors, SelectOption, translated_options};
use crate::pages::layout::{CsrfToken, Layout};
use crate::pages::session::{PageAuth, error_page, redirect_with_session};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "recovery_verify.html")]
struct RecoveryPage {
    layout: Layout,
    errors: FormErrors,
    alert: Option<String>,
    step: &'static str,
    v: IdentityValues,
    filing_statuses: Vec<SelectOption>,
    states: Vec<SelectOption>,
    months: Vec<SelectOption>,
    kinds: Vec<SelectOption>,
}

/// Only after the password, on a verified account; anyone else goes to `/account-reset`.
fn eligible(auth: &AuthSession) -> bool {
    auth.session.stage == SessionStage::PasswordVerified
        && auth.account.identity_verified_at.is_some()
}

async fn page(
    app: &AppState,
    csrf: &CsrfToken,
    auth: &AuthSession,
    feedback: Feedback,
    values: IdentityValues,
) -> Response {
    let step = match app.services.recovery().identity_recovery_step(auth).await {
        Ok(step) => step,
        Err(error) => return error_page(app, error),
    };
    let page = RecoveryPage {
        layout: Layout::new(app, csrf, true),
        errors: feedback.errors,
        alert: feedback.alert,
        step,
        filing_statuses: translated_options(&FILING_STATUSES, &values.filing_status),
        states: state_options(&values.state),
        months: month_options(&values.dob_month),
        v: values,
        kinds: translated_options(&account_kinds(), ""),
    };
    respond(feedback.status, feedback.retry_after, &page)
}

pub async fn show(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    if !eligible(&auth) {
        return Redirect::to("/account-reset").into_response();
    }
    page(
        &app,
        &csrf,
        &auth,
        Feedback::fresh(),
        IdentityValues::default(),
    )
    .await
}

/// Onward to the next step, or the same page with the journey's message.
async fn after(
    app: &AppState,
    csrf: &CsrfToken,
    auth: &AuthSession,
    result: Result<RecoveryStepOutcome, DomainError>,
    values: IdentityValues,
) -> Response {
    let feedback = match result {
        Ok(outcome) if outcome.result == "not_matched" => {
            Feedback::not_matched(outcome.message.render(crate::locale::current()))
        }
        Ok(_) => return Redirect::to("/account-reset/verify").into_response(),
        Err(error) if shown_on_form(&error) => Feedback::from_error(error),
        Err(error) => return error_page(app, error),
    };
    page(app, csrf, auth, feedback, values).await
}

pub async fn identity(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<IdentityForm>,
) -> Response {
    let (values, input) = form.split();
    let result = match input.into_claim(app.services.core().now().date()) {
        Ok(claim) => {
            app.services
                .recovery()
                .recover_identity(&auth, &claim)
                .await
        }
        Err(error) => Err(error),
    };
    after(&app, &csrf, &auth, result, values).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FinancialForm {
    kind: String,
    account_number: String,
}

pub async fn financial_account(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<FinancialForm>,
) -> Response {
    let result = match parse_account_kind(&form.kind) {
        Ok(kind) => {
            app.services
                .recovery()
                .recover_financial_account(&auth, kind, &form.account_number)
                .await
        }
        Err(error) => Err(error),
    };
    after(&app, &csrf, &auth, result, IdentityValues::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PhoneForm {
    phone: String,
    code: String,
}

pub async fn phone(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(ctx): Client,
    PageAuth(auth): PageAuth,
    Form(form): Form<PhoneForm>,
) -> Response {
    let result = app
        .services
        .recovery()
        .recover_phone(&auth, &form.phone, &ctx)
        .await;
    after(&app, &csrf, &auth, result, IdentityValues::default()).await
}

pub async fn confirm_phone(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(ctx): Client,
    PageAuth(auth): PageAuth,
    Form(form): Form<PhoneForm>,
) -> Response {
    match app
        .services
        .recovery()
        .confirm_recovery_phone(&auth, &form.code, &ctx)
        .await
    {
        Ok(done) => redirect_with_session(&app, Next::Done, Some(&done.session_token), None),
        Err(error) if shown_on_form(&error) => {
            page(
                &app,
                &csrf,
                &auth,
                Feedback::from_error(error),
                IdentityValues::default(),
            )
            .await
        }
        Err(error) => error_page(&app, error),
    }
}
