//! `/verify/identity`: personal information as on the latest tax return.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Form};
use sa_domain::journeys::{IdentityInput, ProofingStatus};
use sa_domain::model::Next;
use sa_domain::proofing::steps::ProofingAction;
use serde::Deserialize;

use super::common::{
    Feedback, at_step, onward, respond, shown_on_form, status_for_notes, steps_of,
};
use crate::extract::Client;
use crate::pages::form::FormErrors;
use crate::pages::form::{SelectOption, options, translated_options};
use crate::pages::layout::{CsrfToken, Layout};
use crate::pages::session::{PageAuth, error_page};
use crate::state::AppState;

/// Filing statuses and the catalogue ids of their names.
pub(super) const FILING_STATUSES: [(&str, &str); 5] = [
    ("single", "filing-single"),
    ("married_filing_jointly", "filing-married-jointly"),
    ("married_filing_separately", "filing-married-separately"),
    ("head_of_household", "filing-head-of-household"),
    ("qualifying_surviving_spouse", "filing-surviving-spouse"),
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct IdentityForm {
    first_name: String,
    middle_name: String,
    last_name: String,
    suffix: String,
    /// Older forms (and scripts) send the date as one field; the page sends three.
    date_of_birth: String,
    dob_month: String,
    dob_day: String,
    dob_year: String,
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
    pub dob_month: String,
    pub dob_day: String,
    pub dob_year: String,
    pub filing_status: String,
    pub street: String,
    pub unit: String,
    pub city: String,
    pub state: String,
    pub zip: String,
}

/// The months of the date-of-birth select, and the catalogue ids of their labels.
pub(super) const MONTHS: [(&str, &str); 12] = [
    ("1", "dob-month-1"),
    ("2", "dob-month-2"),
    ("3", "dob-month-3"),
    ("4", "dob-month-4"),
    ("5", "dob-month-5"),
    ("6", "dob-month-6"),
    ("7", "dob-month-7"),
    ("8", "dob-month-8"),
    ("9", "dob-month-9"),
    ("10", "dob-month-10"),
    ("11", "dob-month-11"),
    ("12", "dob-month-12"),
];

/// The state select's options, the typed or chosen state selected.
pub(super) fn state_options(chosen: &str) -> Vec<SelectOption> {
    let chosen = sa_domain::proofing::typed::parse_state(chosen).unwrap_or_default();
    options(&sa_domain::proofing::typed::STATES, chosen)
}

/// The month select's options.
pub(super) fn month_options(chosen: &str) -> Vec<SelectOption> {
    translated_options(&MONTHS, chosen.trim().trim_start_matches('0'))
}

impl IdentityForm {
    /// The date as the journey reads it: the single field when sent, else the three
    /// fields of the memorable-date pattern (month, day, year).
    fn typed_date_of_birth(&self) -> String {
        if !self.date_of_birth.trim().is_empty() {
            return self.date_of_birth.clone();
        }
        let parts = [&self.dob_month, &self.dob_day, &self.dob_year];
        if parts.iter().all(|p| p.trim().is_empty()) {
            return String::new();
        }
        format!(
            "{}/{}/{}",
            self.dob_month.trim(),
            self.dob_day.trim(),
            self.dob_year.trim()
        )
    }

    /// The values to show again, and the input for the journey (the only holder of the SSN).
    pub(super) fn split(self) -> (IdentityValues, IdentityInput) {
        let values = IdentityValues {
            first_name: self.first_name.clone(),
            middle_name: self.middle_name.clone(),
            last_name: self.last_name.clone(),
            suffix: self.suffix.clone(),
            dob_month: self.dob_month.clone(),
            dob_day: self.dob_day.clone(),
            dob_year: self.dob_year.clone(),
            filing_status: self.filing_status.clone(),
            street: self.street.clone(),
            unit: self.unit.clone(),
            city: self.city.clone(),
            state: self.state.clone(),
            zip: self.zip.clone(),
        };
        let date_of_birth = self.typed_date_of_birth();
        let input = IdentityInput {
            first_name: self.first_name,
            middle_name: Some(self.middle_name),
            last_name: self.last_name,
            suffix: Some(self.suffix),
            date_of_birth,
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
    states: Vec<SelectOption>,
    months: Vec<SelectOption>,
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
        filing_statuses: translated_options(&FILING_STATUSES, &values.filing_status),
        states: state_options(&values.state),
        months: month_options(&values.dob_month),
        v: values,
    };
    respond(feedback.status, feedback.retry_after, &page)
}

pub async fn show_identity(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    match at_step(&app, &auth, &steps_of(ProofingAction::Identity)).await {
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
    Client(ctx): Client,
    Form(form): Form<IdentityForm>,
) -> Response {
    let (values, input) = form.split();
    let result = match input.into_claim(app.services.core().now().date()) {
        Ok(claim) => {
            app.services
                .proofing()
                .submit_identity(&auth, &claim, &ctx)
                .await
        }
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
