//! Pages: the staff console (`/staff/...`), the page face of the staff journeys in
//! `sa_domain::journeys::staff` (the JSON twin is [`crate::api::staff`]). This file owns
//! finding an account, the account page, completing registration from an in-person
//! record and the result page a staff member reads to the person; the forms with many
//! fields (the phone check's questions, the in-person record) are in
//! [`super::staff_forms`].
//!
//! ```text
//!  /staff ──search──▶ /staff/accounts/{id} ──"Start phone check"──▶ questions ──▶ result
//!                        │  ▲                                        (temporary password
//!                        │  └─ ?recorded=1 ◀── /staff/accounts/{id}/in-person   once, letter)
//!                        └──"Complete registration"──▶ result (temporary password if asked)
//! ```
//!
//! Every page needs a fully signed-in staff session; the journeys check the role of each
//! action (and refuse one's own account), and a refusal is a 403 page from
//! [`super::session::error_page`]. The console shows every form to every staff member: the server,
//! not the page, decides who may use which. No SSN is ever written back into a page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use sa_domain::journeys::{AccountOverview, AuthSession, StaffOutcome};
use sa_domain::staff::{ADMIN, ASSISTANCE_CENTER, HELP_DESK};
use sa_domain::{DomainError, DomainResult};
use serde::Deserialize;
use time::OffsetDateTime;

use super::form::FormError;
use super::form::FormErrors;
use super::layout::{CsrfToken, Layout, render};
use super::session::{PageAuth, error_page};
use crate::state::AppState;

// ---------------------------------------------------------------------------------------
// Shared: the staff check, dates, words
// ---------------------------------------------------------------------------------------

/// A fully signed-in staff session holding any staff role (for pages that only show).
pub(super) async fn any_staff(app: &AppState, auth: &AuthSession) -> DomainResult<()> {
    let mut refusal = None;
    for role in [HELP_DESK, ASSISTANCE_CENTER, ADMIN] {
        match app.services.roles().require_staff(auth, role, None).await {
            Ok(()) => return Ok(()),
            Err(error) => refusal = Some(error),
        }
    }
    Err(refusal.unwrap_or(DomainError::Forbidden("error-your-account-does-not-have")))
}

/// "Mar 2, 2026 15:04 UTC".
fn when(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[month repr:short] [day padding:none], [year] [hour]:[minute] UTC"
    );
    at.format(&format)
        .unwrap_or_else(|_| sa_domain::clock::rfc3339(at))
}

/// "March 23, 2026" (the staff pages are in English).
pub(super) fn human_date(at: OffsetDateTime) -> String {
    sa_i18n::long_date(sa_i18n::Lang::En, at.date())
}

/// `in_person_required` → `in person required`.
fn words(code: &str) -> String {
    code.replace('_', " ")
}

/// One line on where the account stands.
fn status_line(o: &AccountOverview) -> String {
    let mut line = if let Some(by) = &o.identity_verified_by {
        format!("Identity verified ({})", words(by))
    } else if let Some(step) = o.proofing_step {
        format!("Proofing step: {}", words(step.as_str()))
    } else if o.email_confirmed {
        "Proofing not started".to_owned()
    } else {
        "Email not confirmed".to_owned()
    };
    if let Some(method) = &o.staff_method {
        line.push_str(&format!("; staff: {}", words(method)));
    }
    if o.disabled {
        line.push_str("; turned off by an admin (nobody can sign in)");
    }
    line
}

fn factors_line(o: &AccountOverview) -> String {
    match o.disabled_factors {
        0 => format!("{} active", o.active_factors),
        disabled => format!("{} active, {disabled} turned off", o.active_factors),
    }
}

fn locked_line(o: &AccountOverview) -> String {
    o.locked_until
        .map_or_else(|| "No".to_owned(), |until| format!("Until {}", when(until)))
}

// ---------------------------------------------------------------------------------------
// Finding an account
// ---------------------------------------------------------------------------------------

/// One row of the search results.
pub(super) struct ResultRow {
    account_id: String,
    username: String,
    status: String,
    factors: String,
    locked: String,
}

impl From<&AccountOverview> for ResultRow {
    fn from(o: &AccountOverview) -> Self {
        Self {
            account_id: o.account_id.clone(),
            username: o.username.clone(),
            status: status_line(o),
            factors: factors_line(o),
            locked: locked_line(o),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SearchQuery {
    username: String,
    last_name: String,
    date_of_birth: String,
}

#[derive(Template)]
#[template(path = "staff_search.html")]
struct SearchPage {
    layout: Layout,
    errors: FormErrors,
    query: SearchQuery,
    /// `None` until a search ran.
    results: Option<Vec<ResultRow>>,
}

/// What the search form asks the journey: a username, or a last name and birth date.
type Criteria<'a> = (Option<&'a str>, Option<(&'a str, time::Date)>);

fn criteria(query: &SearchQuery) -> Result<Option<Criteria<'_>>, FormErrors> {
    let username = query.username.trim();
    let last_name = query.last_name.trim();
    let dob = query.date_of_birth.trim();
    if !username.is_empty() {
        return Ok(Some((Some(username), None)));
    }
    let invalid = |field: &str, message: &str| FormErrors {
        items: vec![FormError {
            field: Some(field.to_owned()),
            message: message.to_owned(),
        }],
    };
    match (last_name.is_empty(), dob.is_empty()) {
        (true, true) => Ok(None),
        (false, true) => Err(invalid(
            "date_of_birth",
            "Enter the date of birth with the last name, like 1980-04-15.",
        )),
        (true, false) => Err(invalid(
            "last_name",
            "Enter the last name with the date of birth.",
        )),
        (false, false) => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            match time::Date::parse(dob, &format) {
                Ok(date) => Ok(Some((None, Some((last_name, date))))),
                Err(_) => Err(invalid(
                    "date_of_birth",
                    "Enter the date of birth as year, month and day, like 1980-04-15.",
                )),
            }
        }
    }
}

/// The empty search form. Searches are posted: a name and birth date never go in a
/// URL (browser history, proxy and server logs keep URLs).
pub async fn search_form(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    if let Err(error) = any_staff(&app, &auth).await {
        return error_page(&app, error);
    }
    let query = SearchQuery::default();
    search_page(&app, &csrf, StatusCode::OK, FormErrors::none(), query, None)
}

pub async fn search(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(query): Form<SearchQuery>,
) -> Response {
    if let Err(error) = any_staff(&app, &auth).await {
        return error_page(&app, error);
    }
    let found = match criteria(&query) {
        Ok(None) => Ok(None),
        Ok(Some((username, by_name))) => app
            .services
            .staff()
            .find_accounts(&auth, username, by_name)
            .await
            .map(Some),
        Err(errors) => {
            return search_page(&app, &csrf, StatusCode::BAD_REQUEST, errors, query, None);
        }
    };
    match found {
        Ok(found) => {
            let rows = found.map(|accounts| accounts.iter().map(ResultRow::from).collect());
            search_page(&app, &csrf, StatusCode::OK, FormErrors::none(), query, rows)
        }
        Err(error @ DomainError::Invalid { .. }) => {
            let (status, errors) = FormErrors::from_domain(error);
            search_page(&app, &csrf, status, errors, query, None)
        }
        Err(error) => error_page(&app, error),
    }
}

pub(super) fn search_page(
    app: &AppState,
    csrf: &CsrfToken,
    status: StatusCode,
    errors: FormErrors,
    query: SearchQuery,
    results: Option<Vec<ResultRow>>,
) -> Response {
    render(
        status,
        &SearchPage {
            layout: Layout::new(app, csrf, true),
            errors,
            query,
            results,
        },
    )
}

// ---------------------------------------------------------------------------------------
// One account
// ---------------------------------------------------------------------------------------

struct AttemptRow {
    at: String,
    step: String,
    result: &'static str,
    reasons: Vec<String>,
}

struct RecordRow {
    at: String,
    kind: &'static str,
    office: String,
    completed: bool,
}

#[derive(Template)]
#[template(path = "staff_account.html")]
struct AccountPage {
    layout: Layout,
    errors: FormErrors,
    notice: Option<&'static str>,
    account_id: String,
    username: String,
    created_at: String,
    email_confirmed: bool,
    status: String,
    factors: String,
    locked: String,
    checks_today: usize,
    attempts: Vec<AttemptRow>,
    records: Vec<RecordRow>,
    record_waiting: bool,
    password_reset_required: bool,
    /// Newest first: when, and what happened.
    recovery: Vec<(String, String)>,
    /// The viewer is an admin (may lift a lock, sign out, turn off or on).
    admin: bool,
    disabled: bool,
}

impl AccountPage {
    fn new(
        layout: Layout,
        errors: FormErrors,
        notice: Option<&'static str>,
        o: AccountOverview,
    ) -> Self {
        Self {
            layout,
            errors,
            notice,
            status: status_line(&o),
            factors: factors_line(&o),
            locked: locked_line(&o),
            created_at: when(o.created_at),
            email_confirmed: o.email_confirmed,
            checks_today: o.knowledge_checks_today,
            attempts: o
                .attempts
                .into_iter()
                .map(|a| AttemptRow {
                    at: when(a.at),
                    step: words(&a.step),
                    result: a.result.as_str(),
                    reasons: a.reasons,
                })
                .collect(),
            record_waiting: o.in_person_records.iter().any(|r| !r.completed),
            password_reset_required: o.password_reset_required,
            admin: false,
            disabled: o.disabled,
            recovery: o
                .recovery_events
                .into_iter()
                .map(|e| (when(e.at), e.detail))
                .collect(),
            records: o
                .in_person_records
                .into_iter()
                .map(|r| RecordRow {
                    at: when(r.created_at),
                    kind: match r.kind {
                        sa_domain::staff::VisitKind::NewUser => "New user",
                        sa_domain::staff::VisitKind::ExistingUser => "Existing user",
                    },
                    office: r.office,
                    completed: r.completed,
                })
                .collect(),
            account_id: o.account_id,
            username: o.username,
        }
    }
}

/// The notice the staff account page shows after an admin's help.
pub fn help_notice(done: &str) -> Option<&'static str> {
    match done {
        "unlock" => Some("The sign-in lock was lifted (if there was one). It is in the audit log."),
        "end_sessions" => Some("They were signed out everywhere. It is in the audit log."),
        "disable" => {
            Some("The account is turned off and they were told by email. It is in the audit log.")
        }
        "enable" => Some(
            "The account is turned on again and they were told by email. It is in the audit log.",
        ),
        _ => None,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AccountQuery {
    recorded: String,
    created: String,
    /// An admin's help just done (`unlock`, `end_sessions`, `disable`, `enable`).
    helped: String,
}

pub async fn account(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Path(id): Path<String>,
    Query(query): Query<AccountQuery>,
) -> Response {
    let notice = if let Some(done) = help_notice(&query.helped) {
        Some(done)
    } else if query.created == "1" {
        Some(
            "The account was created. Now run the phone check below: if the caller passes, read them the temporary password; the activation code goes by mail.",
        )
    } else {
        (query.recorded == "1").then_some(
            "The in-person record was saved and sealed. The help desk can now complete registration from it.",
        )
    };
    account_page(
        &app,
        &csrf,
        &auth,
        &id,
        StatusCode::OK,
        FormErrors::none(),
        notice,
    )
    .await
}

/// The account page, with errors of the phone-check form when it is shown again.
pub(super) async fn account_page(
    app: &AppState,
    csrf: &CsrfToken,
    auth: &AuthSession,
    account_id: &str,
    status: StatusCode,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> Response {
    match app
        .services
        .staff()
        .account_overview(auth, account_id)
        .await
    {
        Ok(overview) => {
            let mut page = AccountPage::new(Layout::new(app, csrf, true), errors, notice, overview);
            page.admin = app
                .services
                .roles()
                .require_staff(auth, "admin", Some(account_id))
                .await
                .is_ok();
            render(status, &page)
        }
        Err(error) => error_page(app, error),
    }
}

// ---------------------------------------------------------------------------------------
// Completing registration, and the result page
// ---------------------------------------------------------------------------------------

/// What a staff member reads to the person after a phone check or a completion.
#[derive(Template)]
#[template(path = "staff_outcome.html")]
pub(super) struct OutcomePage {
    pub layout: Layout,
    pub heading: &'static str,
    pub passed: bool,
    pub message: String,
    /// Shown this once.
    pub temporary_password: Option<String>,
    pub code_expires_on: Option<String>,
    /// For the link back (empty: no link).
    pub account_id: String,
}

impl OutcomePage {
    pub fn new(
        layout: Layout,
        heading: &'static str,
        outcome: StaffOutcome,
        account_id: String,
    ) -> Self {
        Self {
            layout,
            heading,
            passed: outcome.passed,
            message: outcome.message,
            temporary_password: outcome.temporary_password,
            code_expires_on: outcome.letter.map(|l| human_date(l.code_expires_at)),
            account_id,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CompleteForm {
    temporary_password: String,
}

pub async fn complete_in_person(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Path(id): Path<String>,
    Form(form): Form<CompleteForm>,
) -> Response {
    let issue = !form.temporary_password.is_empty();
    match app
        .services
        .staff()
        .complete_in_person(&auth, &id, issue)
        .await
    {
        Ok(outcome) => render(
            StatusCode::OK,
            &OutcomePage::new(
                Layout::new(&app, &csrf, true),
                "Registration completed",
                outcome,
                id,
            ),
        ),
        Err(error) => error_page(&app, error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(username: &str, last_name: &str, dob: &str) -> SearchQuery {
        SearchQuery {
            username: username.into(),
            last_name: last_name.into(),
            date_of_birth: dob.into(),
        }
    }

    #[test]
    fn search_needs_a_username_or_a_name_with_a_birth_date() {
        assert!(matches!(criteria(&query("", "", "")), Ok(None)));
        assert!(matches!(
            criteria(&query(" caller ", "", "")),
            Ok(Some((Some("caller"), None)))
        ));
        let by_name = query("", "Testperson", "1980-05-15");
        assert!(matches!(
            criteria(&by_name),
            Ok(Some((None, Some(("Testperson", _)))))
        ));
        for (q, field) in [
            (query("", "Testperson", ""), "date_of_birth"),
            (query("", "", "1980-05-15"), "last_name"),
            (query("", "Testperson", "15/05/1980"), "date_of_birth"),
        ] {
            match criteria(&q) {
                Err(errors) => assert!(errors.has(field), "{field}"),
                Ok(_) => panic!("{field} should be refused"),
            }
        }
    }

    #[test]
    fn codes_read_as_words() {
        assert_eq!(words("in_person_required"), "in person required");
        let at = time::macros::datetime!(2026-03-23 10:00 UTC);
        assert_eq!(human_date(at), "March 23, 2026");
        assert_eq!(when(at), "Mar 23, 2026 10:00 UTC");
    }
}
