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
use crate::pages::form::FormErrors;
use crate::pages::form::{SelectOption, options};
use crate::pages::layout::{CsrfToken, Layout};
use crate::pages::session::{PageAuth, error_page};
use crate::state::AppState;

pub(super) const FILING_STATUSES: [(&str, &str); 5] = [
    ("single", "Single"),
    ("married_filing_jointly", "Married filing jointly"),
    ("married_filing_separately", "Married filing separately"),
    ("head_of_household", "Head of household"),
    ("qualifying_surviving_spouse", "Qualifying surviving spouse"),
];

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
    pub(super) fn split(self) -> (IdentityValues, IdentityInput) {
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
