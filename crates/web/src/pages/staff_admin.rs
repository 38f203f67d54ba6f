//! Admin pages for people: the staff list with roles and last sign-in (`/admin/staff`),
//! giving and taking away a role (with a reason), and helping one person from their
//! staff account page (lift a lock, sign out everywhere, turn the account off or on,
//! with a reason). The domain checks the admin gate and writes the audit log; JSON
//! twins: `api/staff_admin.rs`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use sa_domain::DomainError;
use sa_domain::journeys::{AuthSession, RoleAdmin};
use serde::Deserialize;

use super::form::{FormErrors, SelectOption, is_form_error, options};
use super::layout::{CsrfToken, Layout, render};
use super::session::{PageAuth, error_page};
use crate::state::AppState;

pub struct MemberRow {
    pub username: String,
    pub roles: String,
    pub last: String,
    pub method: String,
}

#[derive(Template)]
#[template(path = "admin_staff.html")]
struct StaffPage {
    layout: Layout,
    errors: FormErrors,
    notice: Option<&'static str>,
    members: Vec<MemberRow>,
    username: String,
    roles: Vec<SelectOption>,
}

/// The roles of `sa_domain::journeys::STAFF_ROLES`, as the form names them.
const ROLE_LABELS: [(&str, &str); 3] = [
    ("help_desk", "Help desk"),
    ("assistance_center", "Assistance center"),
    ("admin", "Admin"),
];

/// `YYYY-MM-DD`.
fn day(at: time::OffsetDateTime) -> String {
    at.date().to_string()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

pub async fn list(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Query(query): Query<DoneQuery>,
) -> Response {
    let notice = match query.done.as_str() {
        "granted" => Some("The role was given. It is in the audit log."),
        "revoked" => Some("The role was taken away. It is in the audit log."),
        _ => None,
    };
    staff_page(
        &app,
        &csrf,
        &auth,
        StatusCode::OK,
        FormErrors::none(),
        notice,
        "",
        "",
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn staff_page(
    app: &AppState,
    csrf: &CsrfToken,
    auth: &AuthSession,
    status: StatusCode,
    errors: FormErrors,
    notice: Option<&'static str>,
    username: &str,
    role: &str,
) -> Response {
    let members = match app
        .services
        .roles()
        .staff_members(RoleAdmin::Admin(auth))
        .await
    {
        Ok(members) => members,
        Err(error) => return error_page(app, error),
    };
    let members = members
        .into_iter()
        .map(|m| MemberRow {
            roles: m
                .roles
                .iter()
                .map(|(role, at)| format!("{role} ({})", day(*at)))
                .collect::<Vec<_>>()
                .join(", "),
            last: m.last_sign_in.map_or("Never".to_owned(), day),
            method: m.last_method.unwrap_or_else(|| "-".to_owned()),
            username: m.username,
        })
        .collect();
    render(
        status,
        &StaffPage {
            layout: Layout::new(app, csrf, true),
            errors,
            notice,
            members,
            username: username.to_owned(),
            roles: options(&ROLE_LABELS, role),
        },
    )
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    change: String,
    #[serde(default)]
    reason: String,
}

pub async fn change_role(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<RoleForm>,
) -> Response {
    let roles = app.services.roles();
    let by = RoleAdmin::Admin(&auth);
    let reason = Some(form.reason.as_str()).filter(|r| !r.trim().is_empty());
    let (result, done) = if form.change == "revoke" {
        (
            roles
                .revoke_staff_role(by, &form.username, &form.role, reason)
                .await,
            "revoked",
        )
    } else {
        (
            roles
                .grant_staff_role(by, &form.username, &form.role, reason)
                .await,
            "granted",
        )
    };
    match result {
        Ok(()) => Redirect::to(&format!("/admin/staff?done={done}")).into_response(),
        Err(error) if shown_on_the_form(&error) => {
            let (status, errors) = FormErrors::from_domain(error);
            staff_page(
                &app,
                &csrf,
                &auth,
                status,
                errors,
                None,
                &form.username,
                &form.role,
            )
            .await
        }
        Err(error) => error_page(&app, error),
    }
}

/// Errors the admin can mend on the form (not a refused gate).
fn shown_on_the_form(error: &DomainError) -> bool {
    is_form_error(error)
        && !matches!(
            error,
            DomainError::Forbidden(_) | DomainError::PasskeyRequired
        )
}

#[derive(Deserialize)]
pub struct HelpForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
}

pub async fn help(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Path(id): Path<String>,
    Form(form): Form<HelpForm>,
) -> Response {
    let help = app.services.account_help();
    let reason = Some(form.reason.as_str()).filter(|r| !r.trim().is_empty());
    let result = match form.action.as_str() {
        "unlock" => help
            .unlock(RoleAdmin::Admin(&auth), &id, reason)
            .await
            .map(|_| ()),
        "end_sessions" => {
            help.end_sessions(RoleAdmin::Admin(&auth), &id, reason)
                .await
        }
        "disable" => help.disable(RoleAdmin::Admin(&auth), &id, reason).await,
        "enable" => help.enable(RoleAdmin::Admin(&auth), &id, reason).await,
        _ => Err(DomainError::invalid("action", "Choose what to do.")),
    };
    match result {
        Ok(()) => {
            Redirect::to(&format!("/staff/accounts/{id}?helped={}", form.action)).into_response()
        }
        Err(error) if shown_on_the_form(&error) && !matches!(error, DomainError::NotFound(_)) => {
            let (status, errors) = FormErrors::from_domain(error);
            super::staff::account_page(&app, &csrf, &auth, &id, status, errors, None).await
        }
        Err(error) => error_page(&app, error),
    }
}
