//! Pages: identity proofing (`/verify/...`), the page face of the proofing and letter
//! journeys in `sa_domain::journeys` (the JSON twin is [`crate::api::proofing`]).
//!
//! Every GET first asks where the account stands and, if that is not a step this page
//! serves, redirects to the page that is: no page can be used out of order, and a
//! verified person goes onward. Every POST calls its journey, then redirects along the
//! outcome's `next` (updating the session cookie when the session was replaced), or
//! shows the same page again:
//!
//! ```text
//!  /verify/identity ──matched──▶ /verify/financial-account ──matched──▶ /verify/phone ◀─┐
//!    │   ▲ not matched:              │   ▲ not matched:            code sent │        │ │ "mail me a code"
//!    │   └─ 200 + alert              │   └─ 200 + alert                      ▼        │ ▼
//!    │                                            /verify/phone/confirm    POST /verify/mail
//!    │ SSN verified on another account                  │ verified           │ queued
//!    ▼                                                  │                    ▼
//!  /verify/help (help desk, assistance center)          │        /verify/mail/confirm?sent=1
//!                                                       ▼                    │ verified
//!                                 next step (add a second factor, or the account) ◀─┘
//! ```
//!
//! How a failure is shown:
//! - a step that did not match: 200, the journey's message in an alert that names no
//!   field (the applicant is never told which detail failed);
//! - input that cannot be checked, or a wrong or expired code: 400, listed at the top
//!   and tied to its field with `aria-describedby`;
//! - a limit: 429 with `Retry-After`, the wait at the top;
//! - a step out of order or signed out: a redirect (see [`super::error_page`]).
//!
//! The SSN and the account number are never written back into a page.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use sa_domain::DomainError;
use sa_domain::journeys::{
    AuthSession, IdentityInput, ProofingOutcome, ProofingResult, ProofingStatus, parse_account_kind,
};
use sa_domain::model::Next;
use sa_domain::proofing::records::AccountKind;
use serde::Deserialize;
use time::OffsetDateTime;

use super::form::FormErrors;
use super::form::{FormError, is_form_error};
use super::layout::{CsrfToken, Layout, next_url, render};
use super::session::{PageAuth, error_page, redirect_with_session};
use crate::error::ApiError;
use crate::extract::Client;
use crate::state::AppState;

// ---------------------------------------------------------------------------------------
// Shared: the step check, what a re-shown form says, select options
// ---------------------------------------------------------------------------------------

/// The account's proofing status when its next step is one of `serves`; otherwise the
/// redirect to the page of the step it is at (or an error page).
async fn at_step(
    app: &AppState,
    auth: &AuthSession,
    serves: &[Next],
) -> Result<ProofingStatus, Response> {
    match app.services.proofing().proofing_status(auth).await {
        Ok(status) if serves.contains(&status.next) => Ok(status),
        Ok(status) => Err(Redirect::to(next_url(status.next)).into_response()),
        Err(error) => Err(error_page(app, error)),
    }
}

/// The status for the notes of a page shown again after a POST (tries left, a letter
/// out); without it the page simply leaves those notes out.
async fn status_for_notes(app: &AppState, auth: &AuthSession) -> Option<ProofingStatus> {
    app.services.proofing().proofing_status(auth).await.ok()
}

/// What a page shown again after a POST tells the person.
struct Feedback {
    status: StatusCode,
    errors: FormErrors,
    /// The journey's "not matched" message: page-level, tied to no field.
    alert: Option<String>,
    retry_after: Option<u64>,
}

impl Feedback {
    fn fresh() -> Self {
        Self {
            status: StatusCode::OK,
            errors: FormErrors::none(),
            alert: None,
            retry_after: None,
        }
    }

    fn not_matched(message: String) -> Self {
        Self {
            alert: Some(message),
            ..Self::fresh()
        }
    }

    /// An error the form shows itself (see [`shown_on_form`]).
    fn from_error(error: DomainError) -> Self {
        let code_error = matches!(
            error,
            DomainError::InvalidCode
                | DomainError::CodeExpired
                | DomainError::CodeAlreadyUsed { .. }
                | DomainError::CodeAttemptsExhausted
        );
        let api = ApiError::from(error);
        Self {
            // The person is signed in: a wrong code is bad input here, not a 401.
            status: if code_error {
                StatusCode::BAD_REQUEST
            } else {
                api.status
            },
            errors: FormErrors {
                items: vec![FormError {
                    field: api.field,
                    message: api.message,
                }],
            },
            alert: None,
            retry_after: api.retry_after,
        }
    }

    /// The tries note, unless the alert already says how many are left.
    fn tries_note(&self, remaining: Option<i64>, max: i64) -> Option<String> {
        if self.alert.is_some() {
            return None;
        }
        remaining.and_then(|left| tries_note(left, max))
    }
}

/// Errors a proofing form shows itself (input, codes, limits); any other (wrong step,
/// signed out, an account needing recovery, service trouble) becomes a page or a
/// redirect through [`error_page`].
fn shown_on_form(error: &DomainError) -> bool {
    is_form_error(error) && !matches!(error, DomainError::RecoveryRequired)
}

/// Where a step's outcome leads: onward (a redirect, with the new session cookie when
/// the session was replaced), or, when it did not match and stays on `this_step`, the
/// message to show on the same page.
fn onward(app: &AppState, outcome: ProofingOutcome, this_step: Next) -> Result<Response, String> {
    if outcome.result == ProofingResult::NotMatched && outcome.next == this_step {
        return Err(outcome.message);
    }
    Ok(redirect_with_session(
        app,
        outcome.next,
        outcome.session_token.as_deref(),
        None,
    ))
}

/// Render, adding `Retry-After` when the person must wait.
fn respond<T: Template>(status: StatusCode, retry_after: Option<u64>, page: &T) -> Response {
    let mut response = render(status, page);
    if let Some(secs) = retry_after
        && let Ok(value) = HeaderValue::from_str(&secs.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// "You have 3 tries left for now.", shown once a try has been used.
fn tries_note(remaining: i64, max: i64) -> Option<String> {
    match remaining {
        left if left >= max => None,
        left if left <= 0 => Some(
            "You have used all your tries for now. You can try again in a few hours, or get help another way."
                .to_owned(),
        ),
        1 => Some("You have 1 try left for now.".to_owned()),
        left => Some(format!("You have {left} tries left for now.")),
    }
}

/// "March 23, 2026".
fn human_date(at: OffsetDateTime) -> String {
    let date = at.date();
    format!("{} {}, {}", date.month(), date.day(), date.year())
}

/// One `<option>` of a select.
pub struct SelectOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

fn options(all: &[(&'static str, &'static str)], chosen: &str) -> Vec<SelectOption> {
    all.iter()
        .map(|&(value, label)| SelectOption {
            value,
            label,
            selected: value == chosen,
        })
        .collect()
}

const FILING_STATUSES: [(&str, &str); 5] = [
    ("single", "Single"),
    ("married_filing_jointly", "Married filing jointly"),
    ("married_filing_separately", "Married filing separately"),
    ("head_of_household", "Head of household"),
    ("qualifying_surviving_spouse", "Qualifying surviving spouse"),
];

fn account_kinds() -> Vec<(&'static str, &'static str)> {
    AccountKind::ALL
        .into_iter()
        .map(|kind| {
            let label = match kind {
                AccountKind::CreditCard => "Credit card (last 8 digits)",
                AccountKind::Mortgage => "Mortgage",
                AccountKind::HomeEquityLoan => "Home equity loan",
                AccountKind::HomeEquityLineOfCredit => "Home equity line of credit",
                AccountKind::AutoLoan => "Auto loan",
                AccountKind::StudentLoan => "Student loan",
            };
            (kind.as_str(), label)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Step 1: personal information
// ---------------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct IdentityForm {
    first_name: String,
    middle_name: String,
    last_name: String,
    suffix: String,
    date_of_birth: String,
    ssn: String,
    filing_status: String,
    street: String,
    unit: String,
    city: String,
    state: String,
    zip: String,
}

/// What the identity page writes back into its fields: everything typed but the SSN.
#[derive(Default)]
pub struct IdentityValues {
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
    pub suffix: String,
    pub date_of_birth: String,
    pub filing_status: String,
    pub street: String,
    pub unit: String,
    pub city: String,
    pub state: String,
    pub zip: String,
}

impl IdentityForm {
    /// The values to show again, and the input for the journey (the only holder of the SSN).
    fn split(self) -> (IdentityValues, IdentityInput) {
        let values = IdentityValues {
            first_name: self.first_name.clone(),
            middle_name: self.middle_name.clone(),
            last_name: self.last_name.clone(),
            suffix: self.suffix.clone(),
            date_of_birth: self.date_of_birth.clone(),
            filing_status: self.filing_status.clone(),
            street: self.street.clone(),
            unit: self.unit.clone(),
            city: self.city.clone(),
            state: self.state.clone(),
            zip: self.zip.clone(),
        };
        let input = IdentityInput {
            first_name: self.first_name,
            middle_name: Some(self.middle_name),
            last_name: self.last_name,
            suffix: Some(self.suffix),
            date_of_birth: self.date_of_birth,
            ssn: self.ssn,
            filing_status: self.filing_status,
            street: self.street,
            unit: Some(self.unit),
            city: self.city,
            state: self.state,
            zip: self.zip,
        };
        (values, input)
    }
}

#[derive(Template)]
#[template(path = "proofing_identity.html")]
struct IdentityPage {
    layout: Layout,
    errors: FormErrors,
    alert: Option<String>,
    tries_note: Option<String>,
    v: IdentityValues,
    filing_statuses: Vec<SelectOption>,
}

fn identity_page(
    app: &AppState,
    csrf: &CsrfToken,
    status: Option<&ProofingStatus>,
    feedback: Feedback,
    values: IdentityValues,
) -> Response {
    let tries_note = feedback.tries_note(
        status.map(|s| s.attempts_remaining.identity),
        app.services.core().config.limits.proofing_identity_attempts,
    );
    let page = IdentityPage {
        layout: Layout::new(app, csrf, true),
        errors: feedback.errors,
        alert: feedback.alert,
        tries_note,
        filing_statuses: options(&FILING_STATUSES, &values.filing_status),
        v: values,
    };
    respond(feedback.status, feedback.retry_after, &page)
}

pub async fn show_identity(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    match at_step(&app, &auth, &[Next::ProofingIdentity]).await {
        Ok(status) => identity_page(
            &app,
            &csrf,
            Some(&status),
            Feedback::fresh(),
            IdentityValues::default(),
        ),
        Err(response) => response,
    }
}

pub async fn submit_identity(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<IdentityForm>,
) -> Response {
    let (values, input) = form.split();
    let result = match input.into_claim(app.services.core().now().date()) {
        Ok(claim) => app.services.proofing().submit_identity(&auth, &claim).await,
        Err(error) => Err(error),
    };
    let feedback = match result {
        Ok(outcome) => match onward(&app, outcome, Next::ProofingIdentity) {
            Ok(redirect) => return redirect,
            Err(message) => Feedback::not_matched(message),
        },
        Err(error) if shown_on_form(&error) => Feedback::from_error(error),
        Err(error) => return error_page(&app, error),
    };
    let status = status_for_notes(&app, &auth).await;
    identity_page(&app, &csrf, status.as_ref(), feedback, values)
}

// ---------------------------------------------------------------------------------------
// Step 2: one financial account
// ---------------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FinancialForm {
    kind: String,
    account_number: String,
}

#[derive(Template)]
#[template(path = "proofing_financial.html")]
struct FinancialPage {
    layout: Layout,
    errors: FormErrors,
    alert: Option<String>,
    tries_note: Option<String>,
    kinds: Vec<SelectOption>,
}

fn financial_page(
    app: &AppState,
    csrf: &CsrfToken,
    status: Option<&ProofingStatus>,
    feedback: Feedback,
    kind: &str,
) -> Response {
    let tries_note = feedback.tries_note(
        status.map(|s| s.attempts_remaining.financial_account),
        app.services
            .core()
            .config
            .limits
            .proofing_financial_attempts,
    );
    let page = FinancialPage {
        layout: Layout::new(app, csrf, true),
        errors: feedback.errors,
        alert: feedback.alert,
        tries_note,
        kinds: options(&account_kinds(), kind),
    };
    respond(feedback.status, feedback.retry_after, &page)
}

pub async fn show_financial(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    match at_step(&app, &auth, &[Next::ProofingFinancialAccount]).await {
        Ok(status) => financial_page(&app, &csrf, Some(&status), Feedback::fresh(), ""),
        Err(response) => response,
    }
}

pub async fn submit_financial(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<FinancialForm>,
) -> Response {
    let result = match parse_account_kind(&form.kind) {
        Ok(kind) => {
            app.services
                .proofing()
                .submit_financial_account(&auth, kind, &form.account_number)
                .await
        }
        Err(error) => Err(error),
    };
    let feedback = match result {
        Ok(outcome) => match onward(&app, outcome, Next::ProofingFinancialAccount) {
            Ok(redirect) => return redirect,
            Err(message) => Feedback::not_matched(message),
        },
        Err(error) if shown_on_form(&error) => Feedback::from_error(error),
        Err(error) => return error_page(&app, error),
    };
    let status = status_for_notes(&app, &auth).await;
    financial_page(&app, &csrf, status.as_ref(), feedback, &form.kind)
}

// ---------------------------------------------------------------------------------------
// Step 3: a phone in the applicant's name, or a letter
// ---------------------------------------------------------------------------------------

/// The phone page also serves a person waiting for a texted code ("use another phone")
/// or for a letter (a phone is still the faster way).
const PHONE_STEPS: [Next; 3] = [
    Next::ProofingPhone,
    Next::ProofingPhoneCode,
    Next::ProofingMailCode,
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PhoneForm {
    phone: String,
}

#[derive(Template)]
#[template(path = "proofing_phone.html")]
struct PhonePage {
    layout: Layout,
    errors: FormErrors,
    alert: Option<String>,
    tries_note: Option<String>,
    phone: String,
    letter_out: bool,
}

fn phone_page(
    app: &AppState,
    csrf: &CsrfToken,
    status: Option<&ProofingStatus>,
    feedback: Feedback,
    phone: String,
) -> Response {
    let tries_note = feedback.tries_note(
        status.map(|s| s.attempts_remaining.phone),
        app.services.core().config.limits.proofing_phone_attempts,
    );
    let page = PhonePage {
        layout: Layout::new(app, csrf, true),
        errors: feedback.errors,
        alert: feedback.alert,
        tries_note,
        phone,
        letter_out: status.is_some_and(|s| s.letter_expires_at.is_some()),
    };
    respond(feedback.status, feedback.retry_after, &page)
}

pub async fn show_phone(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    match at_step(&app, &auth, &PHONE_STEPS).await {
        Ok(status) => phone_page(&app, &csrf, Some(&status), Feedback::fresh(), String::new()),
        Err(response) => response,
    }
}

pub async fn submit_phone(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Client(ctx): Client,
    PageAuth(auth): PageAuth,
    Form(form): Form<PhoneForm>,
) -> Response {
    let result = app
        .services
        .proofing()
        .submit_proofing_phone(&auth, &form.phone, &ctx)
        .await;
    let feedback = match result {
        Ok(outcome) => match onward(&app, outcome, Next::ProofingPhone) {
            Ok(redirect) => return redirect,
            Err(message) => Feedback::not_matched(message),
        },
        Err(error) if shown_on_form(&error) => Feedback::from_error(error),
        Err(error) => return error_page(&app, error),
    };
    let status = status_for_notes(&app, &auth).await;
    phone_page(&app, &csrf, status.as_ref(), feedback, form.phone)
}

#[derive(Template)]
#[template(path = "proofing_phone_confirm.html")]
struct PhoneConfirmPage {
    layout: Layout,
    errors: FormErrors,
    ttl_minutes: i64,
}

fn phone_confirm_page(app: &AppState, csrf: &CsrfToken, feedback: Feedback) -> Response {
    let page = PhoneConfirmPage {
        layout: Layout::new(app, csrf, true),
        errors: feedback.errors,
        ttl_minutes: app.services.core().config.limits.sms_code_ttl_secs / 60,
    };
    respond(feedback.status, feedback.retry_after, &page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    code: String,
}

pub async fn show_phone_confirm(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    match at_step(&app, &auth, &[Next::ProofingPhoneCode]).await {
        Ok(_) => phone_confirm_page(&app, &csrf, Feedback::fresh()),
        Err(response) => response,
    }
}

pub async fn confirm_phone(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<CodeForm>,
) -> Response {
    match app
        .services
        .proofing()
        .confirm_proofing_phone(&auth, &form.code)
        .await
    {
        Ok(outcome) => {
            redirect_with_session(&app, outcome.next, outcome.session_token.as_deref(), None)
        }
        Err(error) if shown_on_form(&error) => {
            phone_confirm_page(&app, &csrf, Feedback::from_error(error))
        }
        Err(error) => error_page(&app, error),
    }
}

// ---------------------------------------------------------------------------------------
// The mail path
// ---------------------------------------------------------------------------------------

/// Which page asked for the letter (so a refusal is shown there).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MailForm {
    from: String,
}

pub async fn request_letter(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<MailForm>,
) -> Response {
    let feedback = match app.services.letters().request_letter(&auth).await {
        Ok(_) => return Redirect::to("/verify/mail/confirm?sent=1").into_response(),
        Err(error) if shown_on_form(&error) => Feedback::from_error(error),
        Err(error) => return error_page(&app, error),
    };
    let status = status_for_notes(&app, &auth).await;
    if form.from == "mail_confirm" {
        mail_confirm_page(&app, &csrf, status.as_ref(), feedback, false)
    } else {
        phone_page(&app, &csrf, status.as_ref(), feedback, String::new())
    }
}

#[derive(Template)]
#[template(path = "proofing_mail_confirm.html")]
struct MailConfirmPage {
    layout: Layout,
    errors: FormErrors,
    sent_notice: Option<String>,
    expires_on: Option<String>,
    tries_note: Option<String>,
    letters_left: i64,
}

fn mail_confirm_page(
    app: &AppState,
    csrf: &CsrfToken,
    status: Option<&ProofingStatus>,
    feedback: Feedback,
    just_sent: bool,
) -> Response {
    let expires_on = status.and_then(|s| s.letter_expires_at).map(human_date);
    let sent_notice = just_sent.then(|| match &expires_on {
        Some(date) => format!(
            "We mailed your letter. It should arrive in 5 to 10 days; the code expires on {date}."
        ),
        None => "We mailed your letter. It should arrive in 5 to 10 days.".to_owned(),
    });
    let tries_note = feedback.tries_note(
        status.map(|s| s.attempts_remaining.mail_code),
        app.services.core().config.limits.letter_code_attempts,
    );
    let page = MailConfirmPage {
        layout: Layout::new(app, csrf, true),
        errors: feedback.errors,
        // The notice already gives the date.
        expires_on: if just_sent { None } else { expires_on },
        sent_notice,
        tries_note,
        letters_left: status.map_or(0, |s| s.attempts_remaining.letters),
    };
    respond(feedback.status, feedback.retry_after, &page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SentQuery {
    sent: String,
}

pub async fn show_mail_confirm(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Query(query): Query<SentQuery>,
) -> Response {
    match at_step(&app, &auth, &[Next::ProofingMailCode]).await {
        Ok(status) => mail_confirm_page(
            &app,
            &csrf,
            Some(&status),
            Feedback::fresh(),
            query.sent == "1",
        ),
        Err(response) => response,
    }
}

pub async fn confirm_letter(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<CodeForm>,
) -> Response {
    match app
        .services
        .letters()
        .confirm_letter(&auth, &form.code)
        .await
    {
        Ok(outcome) => {
            redirect_with_session(&app, outcome.next, outcome.session_token.as_deref(), None)
        }
        Err(error) if shown_on_form(&error) => {
            let status = status_for_notes(&app, &auth).await;
            mail_confirm_page(
                &app,
                &csrf,
                status.as_ref(),
                Feedback::from_error(error),
                false,
            )
        }
        Err(error) => error_page(&app, error),
    }
}

// ---------------------------------------------------------------------------------------
// Exception processing
// ---------------------------------------------------------------------------------------

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tries_note_appears_once_a_try_is_used() {
        assert_eq!(tries_note(5, 5), None);
        assert_eq!(
            tries_note(4, 5).as_deref(),
            Some("You have 4 tries left for now.")
        );
        assert_eq!(
            tries_note(1, 5).as_deref(),
            Some("You have 1 try left for now.")
        );
        assert!(tries_note(0, 5).is_some_and(|t| t.contains("used all your tries")));
    }

    #[test]
    fn dates_read_like_a_letter() {
        let at = time::macros::datetime!(2026-03-23 10:00 UTC);
        assert_eq!(human_date(at), "March 23, 2026");
    }

    #[test]
    fn every_account_kind_has_a_label() {
        let kinds = account_kinds();
        assert_eq!(kinds.len(), 6);
        assert_eq!(kinds[0], ("credit_card", "Credit card (last 8 digits)"));
        assert!(
            kinds
                .iter()
                .all(|&(value, _)| parse_account_kind(value).is_ok())
        );
    }
}
