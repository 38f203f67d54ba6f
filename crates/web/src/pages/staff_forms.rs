//! Pages: the staff console's two larger forms, the help desk's phone check (questions
//! drawn from the caller's returns, answers scored by the journey) and the assistance
//! center's in-person record. The rest of the console is in [`super::staff`].
//!
//! ```text
//!  POST /staff/accounts/{id}/knowledge-checks ─▶ 200 questions (answer.<question id>)
//!     └ 400 (SSN needed or malformed): the account page again, tied to the SSN field
//!  POST /staff/knowledge-checks/{check}/answers ─▶ 200 result (passed: temporary
//!     └ 400 (an answer missing): the questions again   password once; failed: in person)
//!  GET/POST /staff/accounts/{id}/in-person ─▶ 303 /staff/accounts/{id}?recorded=1
//!     └ 400: the form again, values kept (never the SSN), the error tied to its field
//! ```
//!
//! Both forms are read as a list of fields, because their names are built from the
//! questions and the document rows. A field left out is tied to its field here; what the
//! rules say about the answers and documents is the journey's to decide.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use sa_domain::DomainError;
use sa_domain::journeys::{AuthSession, InPersonInput};
use sa_domain::staff::{
    ASSISTANCE_CENTER, Answer, Document, DocumentType, Question, QuestionKind, VisitKind,
};
use serde::Deserialize;

use super::form::FormError;
use super::form::FormErrors;
use super::form::SelectOption;
use super::layout::{CsrfToken, Layout, render};
use super::session::{PageAuth, error_page};
use super::staff::{OutcomePage, account_page};
use crate::state::AppState;

/// The form's fields by name (the last value of a repeated name wins).
type Fields = HashMap<String, String>;

fn typed<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.get(name).map_or("", |value| value.trim())
}

fn error(field: String, message: impl Into<String>) -> FormError {
    FormError {
        field: Some(field),
        message: message.into(),
    }
}

/// An id from a hidden field, used only to build a link: letters and digits only.
fn link_id(text: &str) -> String {
    if !text.is_empty() && text.len() <= 64 && text.chars().all(|c| c.is_ascii_alphanumeric()) {
        text.to_owned()
    } else {
        String::new()
    }
}

// ---------------------------------------------------------------------------------------
// The help desk's phone check
// ---------------------------------------------------------------------------------------

/// The filing statuses, as on the identity page.
const FILING_STATUSES: [(&str, &str); 5] = [
    ("single", "Single"),
    ("married_filing_jointly", "Married filing jointly"),
    ("married_filing_separately", "Married filing separately"),
    ("head_of_household", "Head of household"),
    ("qualifying_surviving_spouse", "Qualifying surviving spouse"),
];

/// One question as the form shows it.
struct QuestionField {
    prompt: String,
    /// `amount`, `count`, `filing_status` or `address`.
    kind: &'static str,
    /// `answer.<id>`; an address has `answer.<id>.street` and `answer.<id>.zip`.
    name: String,
    street_name: String,
    zip_name: String,
    value: String,
    street: String,
    zip: String,
    hint: &'static str,
    inputmode: &'static str,
    options: Vec<SelectOption>,
}

impl QuestionField {
    fn new(question: &Question, fields: &Fields) -> Self {
        let name = format!("answer.{}", question.id());
        let street_name = format!("{name}.street");
        let zip_name = format!("{name}.zip");
        let value = typed(fields, &name).to_owned();
        let (hint, inputmode) = match question.kind {
            QuestionKind::RefundOrBalanceDue => (
                "Whole dollars, like 1,250; a balance due is negative, like -300",
                "",
            ),
            QuestionKind::Dependents => ("A number, like 2", "numeric"),
            _ => ("Whole dollars, like 55,000", ""),
        };
        Self {
            prompt: question.prompt(),
            kind: question.answer_kind(),
            options: FILING_STATUSES
                .iter()
                .map(|&(option, label)| SelectOption {
                    value: option,
                    label: label.to_owned(),
                    selected: option == value,
                })
                .collect(),
            street: typed(fields, &street_name).to_owned(),
            zip: typed(fields, &zip_name).to_owned(),
            name,
            street_name,
            zip_name,
            value,
            hint,
            inputmode,
        }
    }
}

#[derive(Template)]
#[template(path = "staff_check.html")]
struct CheckPage {
    layout: Layout,
    errors: FormErrors,
    check_id: String,
    account_id: String,
    /// The question ids, comma-separated (to show the form again after an error).
    question_ids: String,
    questions: Vec<QuestionField>,
}

#[allow(clippy::too_many_arguments)]
fn check_page(
    app: &AppState,
    csrf: &CsrfToken,
    status: StatusCode,
    errors: FormErrors,
    check_id: String,
    account_id: String,
    questions: &[Question],
    fields: &Fields,
) -> Response {
    render(
        status,
        &CheckPage {
            layout: Layout::new(app, csrf, true),
            errors,
            check_id,
            account_id,
            question_ids: questions
                .iter()
                .map(Question::id)
                .collect::<Vec<_>>()
                .join(","),
            questions: questions
                .iter()
                .map(|q| QuestionField::new(q, fields))
                .collect(),
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StartForm {
    ssn: String,
}

pub async fn start_check(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Path(account_id): Path<String>,
    Form(form): Form<StartForm>,
) -> Response {
    let ssn = Some(form.ssn.as_str()).filter(|s| !s.trim().is_empty());
    match app
        .services
        .staff()
        .start_knowledge_check(&auth, &account_id, ssn)
        .await
    {
        Ok(started) => check_page(
            &app,
            &csrf,
            StatusCode::OK,
            FormErrors::none(),
            started.check_id,
            link_id(&account_id),
            &started.questions,
            &Fields::new(),
        ),
        Err(error @ DomainError::Invalid { .. }) => {
            let (status, errors) = FormErrors::from_domain(error);
            account_page(&app, &csrf, &auth, &account_id, status, errors, None).await
        }
        Err(error) => error_page(&app, error),
    }
}

/// The answers to `questions`, or an error tied to each field left empty.
fn answers(questions: &[Question], fields: &Fields) -> Result<HashMap<String, Answer>, FormErrors> {
    let mut answers = HashMap::new();
    let mut errors = FormErrors::none();
    for question in questions {
        let name = format!("answer.{}", question.id());
        if question.answer_kind() == "address" {
            let (street_name, zip_name) = (format!("{name}.street"), format!("{name}.zip"));
            let (street, zip) = (typed(fields, &street_name), typed(fields, &zip_name));
            if street.is_empty() {
                errors.items.push(error(
                    street_name,
                    "Enter the street address the caller gives.",
                ));
            }
            if zip.is_empty() {
                errors
                    .items
                    .push(error(zip_name, "Enter the ZIP code the caller gives."));
            }
            answers.insert(
                question.id(),
                Answer::Address {
                    street: street.to_owned(),
                    zip: zip.to_owned(),
                },
            );
        } else {
            let value = typed(fields, &name);
            if value.is_empty() {
                let message = if question.answer_kind() == "filing_status" {
                    "Choose the filing status the caller gives."
                } else {
                    "Enter the caller's answer."
                };
                errors.items.push(error(name, message));
            }
            answers.insert(question.id(), Answer::Text(value.to_owned()));
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

pub async fn answer_check(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Path(check_id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields: Fields = fields.into_iter().collect();
    let account_id = link_id(typed(&fields, "account_id"));
    let questions: Vec<Question> = typed(&fields, "questions")
        .split(',')
        .filter_map(Question::parse)
        .collect();
    let shown_again = |status, errors| {
        check_page(
            &app,
            &csrf,
            status,
            errors,
            check_id.clone(),
            account_id.clone(),
            &questions,
            &fields,
        )
    };
    let answers = match answers(&questions, &fields) {
        Ok(answers) => answers,
        Err(errors) => return shown_again(StatusCode::BAD_REQUEST, errors),
    };
    match app
        .services
        .staff()
        .answer_knowledge_check(&auth, &check_id, &answers)
        .await
    {
        Ok(outcome) => {
            let heading = if outcome.passed {
                "Caller verified"
            } else {
                "Caller not verified"
            };
            let layout = Layout::new(&app, &csrf, true);
            render(
                StatusCode::OK,
                &OutcomePage::new(layout, heading, outcome, account_id),
            )
        }
        Err(error @ DomainError::Invalid { .. }) => {
            let (status, errors) = FormErrors::from_domain(error);
            shown_again(status, errors)
        }
        Err(error) => error_page(&app, error),
    }
}

// ---------------------------------------------------------------------------------------
// The assistance center's in-person record
// ---------------------------------------------------------------------------------------

/// Document rows on the form; rows left blank are ignored.
const DOCUMENT_ROWS: usize = 3;

struct DocumentRow {
    number: usize,
    type_name: String,
    issuer_name: String,
    last4_name: String,
    expires_name: String,
    types: Vec<SelectOption>,
    issuer: String,
    last4: String,
    expires_on: String,
}

impl DocumentRow {
    fn new(number: usize, fields: &Fields) -> Self {
        let name = |part: &str| format!("document_{number}_{part}");
        let chosen = typed(fields, &name("type"));
        Self {
            number,
            types: DocumentType::ALL
                .iter()
                .map(|kind| SelectOption {
                    value: kind.as_str(),
                    label: kind.label().to_owned(),
                    selected: kind.as_str() == chosen,
                })
                .collect(),
            issuer: typed(fields, &name("issuer")).to_owned(),
            last4: typed(fields, &name("number_last4")).to_owned(),
            expires_on: typed(fields, &name("expires_on")).to_owned(),
            type_name: name("type"),
            issuer_name: name("issuer"),
            last4_name: name("number_last4"),
            expires_name: name("expires_on"),
        }
    }

    fn is_blank(&self) -> bool {
        !self.types.iter().any(|t| t.selected)
            && self.issuer.is_empty()
            && self.last4.is_empty()
            && self.expires_on.is_empty()
    }
}

#[derive(Template)]
#[template(path = "staff_in_person.html")]
struct InPersonPage {
    layout: Layout,
    errors: FormErrors,
    account_id: String,
    username: String,
    kind: String,
    office: String,
    person_matches: bool,
    rows: Vec<DocumentRow>,
}

/// The form, after checking the role and that the account exists (and whose it is).
async fn in_person_page(
    app: &AppState,
    csrf: &CsrfToken,
    auth: &AuthSession,
    account_id: &str,
    status: StatusCode,
    errors: FormErrors,
    fields: &Fields,
) -> Response {
    let overview = match app
        .services
        .staff()
        .account_overview(auth, account_id)
        .await
    {
        Ok(overview) => overview,
        Err(error) => return error_page(app, error),
    };
    render(
        status,
        &InPersonPage {
            layout: Layout::new(app, csrf, true),
            errors,
            account_id: overview.account_id,
            username: overview.username,
            kind: typed(fields, "kind").to_owned(),
            office: typed(fields, "office").to_owned(),
            person_matches: !typed(fields, "person_matches").is_empty(),
            rows: (1..=DOCUMENT_ROWS)
                .map(|n| DocumentRow::new(n, fields))
                .collect(),
        },
    )
}

pub async fn show_in_person(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Path(account_id): Path<String>,
) -> Response {
    if let Err(error) = app
        .services
        .roles()
        .require_staff(&auth, ASSISTANCE_CENTER, Some(&account_id))
        .await
    {
        return error_page(&app, error);
    }
    in_person_page(
        &app,
        &csrf,
        &auth,
        &account_id,
        StatusCode::OK,
        FormErrors::none(),
        &Fields::new(),
    )
    .await
}

/// The journey's input from the form, or an error tied to each field that cannot be read.
fn in_person_input(fields: &Fields) -> Result<InPersonInput, FormErrors> {
    let mut errors = FormErrors::none();
    let kind = VisitKind::parse(typed(fields, "kind"));
    if kind.is_none() {
        errors.items.push(error(
            "kind".into(),
            "Choose whether a new user or an existing user came in.",
        ));
    }
    let mut documents = Vec::new();
    for row in (1..=DOCUMENT_ROWS).map(|n| DocumentRow::new(n, fields)) {
        if row.is_blank() {
            continue;
        }
        let kind = DocumentType::parse(typed(fields, &row.type_name));
        if kind.is_none() {
            errors.items.push(error(
                row.type_name.clone(),
                format!("Choose the type of document {}.", row.number),
            ));
        }
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let expires_on = match row.expires_on.as_str() {
            "" => None,
            text => match time::Date::parse(text, &format) {
                Ok(date) => Some(date),
                Err(_) => {
                    errors.items.push(error(
                        row.expires_name.clone(),
                        format!(
                            "Enter the expiry date of document {} as year, month and day, like 2030-01-31.",
                            row.number
                        ),
                    ));
                    None
                }
            },
        };
        if let Some(kind) = kind {
            documents.push(Document {
                kind,
                issuer: row.issuer,
                number_last4: row.last4,
                expires_on,
            });
        }
    }
    match kind {
        Some(kind) if errors.is_empty() => Ok(InPersonInput {
            kind,
            office: typed(fields, "office").to_owned(),
            documents,
            ssn: Some(typed(fields, "ssn").to_owned()).filter(|s| !s.is_empty()),
            person_matches: !typed(fields, "person_matches").is_empty(),
        }),
        _ => Err(errors),
    }
}

pub async fn record_in_person(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Path(account_id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    if let Err(error) = app
        .services
        .roles()
        .require_staff(&auth, ASSISTANCE_CENTER, Some(&account_id))
        .await
    {
        return error_page(&app, error);
    }
    let fields: Fields = fields.into_iter().collect();
    let input = match in_person_input(&fields) {
        Ok(input) => input,
        Err(errors) => {
            let status = StatusCode::BAD_REQUEST;
            return in_person_page(&app, &csrf, &auth, &account_id, status, errors, &fields).await;
        }
    };
    match app
        .services
        .staff()
        .record_in_person(&auth, &account_id, input)
        .await
    {
        Ok(_) => Redirect::to(&format!(
            "/staff/accounts/{}?recorded=1",
            link_id(&account_id)
        ))
        .into_response(),
        Err(error @ DomainError::Invalid { .. }) => {
            let (status, errors) = FormErrors::from_domain(error);
            in_person_page(&app, &csrf, &auth, &account_id, status, errors, &fields).await
        }
        Err(error) => error_page(&app, error),
    }
}

#[cfg(test)]
#[path = "staff_forms_tests.rs"]
mod tests;
