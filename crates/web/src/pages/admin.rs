//! Admin pages: the dashboard (`/admin`: the verification funnel of the last 30 days as
//! a server-drawn chart and a table, letters, lockouts, staff activity) and planned
//! maintenance (`/admin/maintenance`: plan a window, list them, cancel one). Role
//! `admin` with an authenticator app, checked by the domain on every request; signed
//! out, `PageAuth` sends the person to sign in. JSON twins: `api/admin_dashboard.rs`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use sa_domain::journeys::{AuthSession, Dashboard};
use sa_domain::model::{LetterCounts, LockoutCounts};
use serde::Deserialize;

use super::chart::{BarChart, Group, Series, bar_chart};
use super::form::FormErrors;
use super::layout::{CsrfToken, Layout, render};
use super::session::{PageAuth, error_page};
use crate::maintenance_notice::{parse_utc, utc};
use crate::state::AppState;

/// The funnel's bars: started, verified online, verified by mail.
const FUNNEL_SERIES: [Series<'static>; 3] = [
    Series {
        name: "Started",
        fill: "#005ea2",
    },
    Series {
        name: "Verified online",
        fill: "#00a91c",
    },
    Series {
        name: "Verified by mail",
        fill: "#936f38",
    },
];

pub struct DayRow {
    pub date: String,
    pub started: i64,
    pub online: i64,
    pub mail: i64,
}

pub struct ActivityRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
}

#[derive(Template)]
#[template(path = "admin_dashboard.html")]
struct DashboardPage {
    layout: Layout,
    /// Inline SVG built by [`bar_chart`] (every text in it escaped).
    chart: String,
    from: String,
    to: String,
    days: Vec<DayRow>,
    total: DayRow,
    letters: LetterCounts,
    lockouts: LockoutCounts,
    activity: Vec<ActivityRow>,
}

/// The admin check, as a page: 403 page (or sign-in) when it fails.
async fn admin_only(app: &AppState, auth: &AuthSession) -> Result<(), Response> {
    app.services
        .roles()
        .require_staff(auth, "admin", None)
        .await
        .map_err(|error| error_page(app, error))
}

pub async fn dashboard(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    let board = match app.services.admin().dashboard(&auth).await {
        Ok(board) => board,
        Err(error) => return error_page(&app, error),
    };
    render(
        StatusCode::OK,
        &dashboard_page(Layout::new(&app, &csrf, true), board),
    )
}

fn dashboard_page(layout: Layout, board: Dashboard) -> DashboardPage {
    let row = |day: &sa_domain::journeys::FunnelDay| DayRow {
        date: day.date.clone(),
        started: day.started,
        online: day.verified_online,
        mail: day.verified_by_mail,
    };
    let groups: Vec<Group> = board
        .funnel
        .days
        .iter()
        .map(|day| Group {
            // `MM-DD`: the year is in the caption.
            label: day.date.get(5..).unwrap_or(&day.date).to_owned(),
            values: vec![day.started, day.verified_online, day.verified_by_mail],
        })
        .collect();
    let title = format!(
        "Identity verification per day, {} to {} (UTC)",
        board.funnel.from, board.funnel.to
    );
    let chart = bar_chart(&BarChart {
        id: "funnel-chart",
        title: &title,
        description: "Bars per day: people who started, verified online and verified by mail. The same numbers are in the table below the chart.",
        x_label: "Day (UTC)",
        y_label: "People",
        series: &FUNNEL_SERIES,
        groups: &groups,
    });
    DashboardPage {
        layout,
        chart,
        from: board.funnel.from.clone(),
        to: board.funnel.to.clone(),
        days: board.funnel.days.iter().map(row).collect(),
        total: row(&board.funnel.total),
        letters: board.letters,
        lockouts: board.lockouts,
        activity: board
            .staff_activity
            .into_iter()
            .map(|a| ActivityRow {
                at: utc(a.at),
                actor: a.actor,
                action: a.action,
                subject: a.subject.unwrap_or_default(),
            })
            .collect(),
    }
}

pub struct WindowRow {
    pub id: String,
    pub starts: String,
    pub ends: String,
    pub message: String,
    /// `upcoming`, `active`, `ended`, `cancelled`.
    pub state: &'static str,
}

impl WindowRow {
    pub fn cancellable(&self) -> bool {
        matches!(self.state, "upcoming" | "active")
    }
}

#[derive(Template)]
#[template(path = "admin_maintenance.html")]
struct MaintenancePage {
    layout: Layout,
    errors: FormErrors,
    starts_at: String,
    ends_at: String,
    message: String,
    windows: Vec<WindowRow>,
}

#[derive(Deserialize, Default)]
pub struct MaintenanceForm {
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    message: String,
}

pub async fn maintenance(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
) -> Response {
    if let Err(response) = admin_only(&app, &auth).await {
        return response;
    }
    maintenance_page(
        &app,
        &csrf,
        &auth,
        StatusCode::OK,
        FormErrors::none(),
        MaintenanceForm::default(),
    )
    .await
}

pub async fn schedule(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Form(form): Form<MaintenanceForm>,
) -> Response {
    if let Err(response) = admin_only(&app, &auth).await {
        return response;
    }
    let result = async {
        let starts_at = parse_utc("starts_at", &form.starts_at)?;
        let ends_at = parse_utc("ends_at", &form.ends_at)?;
        app.services
            .admin()
            .schedule_maintenance(&auth, starts_at, ends_at, &form.message)
            .await
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/admin/maintenance").into_response(),
        Err(error) if super::form::is_form_error(&error) => {
            let (status, errors) = FormErrors::from_domain(error);
            maintenance_page(&app, &csrf, &auth, status, errors, form).await
        }
        Err(error) => error_page(&app, error),
    }
}

pub async fn cancel(
    State(app): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageAuth(auth): PageAuth,
    Path(id): Path<String>,
) -> Response {
    if let Err(response) = admin_only(&app, &auth).await {
        return response;
    }
    match app.services.admin().cancel_maintenance(&auth, &id).await {
        Ok(_) => Redirect::to("/admin/maintenance").into_response(),
        Err(error) if super::form::is_form_error(&error) => {
            let (status, errors) = FormErrors::from_domain(error);
            maintenance_page(
                &app,
                &csrf,
                &auth,
                status,
                errors,
                MaintenanceForm::default(),
            )
            .await
        }
        Err(error) => error_page(&app, error),
    }
}

async fn maintenance_page(
    app: &AppState,
    csrf: &CsrfToken,
    auth: &AuthSession,
    status: StatusCode,
    errors: FormErrors,
    form: MaintenanceForm,
) -> Response {
    let windows = match app.services.admin().maintenance_windows(auth).await {
        Ok(windows) => windows,
        Err(error) => return error_page(app, error),
    };
    let now = app.services.core().now();
    render(
        status,
        &MaintenancePage {
            layout: Layout::new(app, csrf, true),
            errors,
            starts_at: form.starts_at,
            ends_at: form.ends_at,
            message: form.message,
            windows: windows
                .into_iter()
                .map(|w| WindowRow {
                    state: w.state(now),
                    starts: utc(w.starts_at),
                    ends: utc(w.ends_at),
                    message: w.message,
                    id: w.id,
                })
                .collect(),
        },
    )
}
