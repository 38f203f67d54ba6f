//! The pages. Handlers are thin: they read cookies and forms, ask [`RelyingParty`],
//! [`Sessions`] or [`Records`], and render an askama template.
//!
//! | route | what |
//! | --- | --- |
//! | `GET /` | home: what the portal is, a sign-in button |
//! | `GET /sign-in` | start the code flow (redirect to Secure Access) |
//! | `GET /callback` | back from Secure Access: check `state`, exchange the code, verify the ID token |
//! | `GET /transcripts` | the taxpayers the signed-in professional represents |
//! | `GET /transcripts/{id}` | one taxpayer's transcripts, or `403` without a power of attorney |
//! | `POST /sign-out` | end the session here, then at Secure Access (RP-initiated logout) |
//! | `GET /signed-out` | where Secure Access sends the browser back |

use std::path::PathBuf;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Router, middleware};
use serde::Deserialize;

use crate::records::{Records, dollars};
use crate::rp::{IAL2, RelyingParty};
use crate::session::{
    LOGIN_COOKIE, LOGIN_TTL, SESSION_COOKIE, SESSION_TTL, Session, Sessions, read_cookie,
    set_cookie,
};

/// What every handler shares.
pub struct App {
    pub rp: RelyingParty,
    pub sessions: Sessions,
    pub data_dir: PathBuf,
    /// `Secure` cookies (the public URL is https).
    pub secure_cookies: bool,
    /// The provider's origin, allowed as a form target in the CSP (sign-out redirects there).
    pub issuer_origin: String,
}

type AppState = Arc<App>;

pub fn router(app: AppState) -> Router {
    let issuer_origin = app.issuer_origin.clone();
    Router::new()
        .route("/", get(home))
        .route("/sign-in", get(sign_in))
        .route("/callback", get(callback))
        .route("/transcripts", get(transcripts))
        .route("/transcripts/{taxpayer_id}", get(taxpayer))
        .route("/sign-out", post(sign_out))
        .route("/signed-out", get(signed_out))
        .route("/assets/site.css", get(stylesheet))
        .layer(middleware::map_response(move |response: Response| {
            let issuer_origin = issuer_origin.clone();
            async move { security_headers(response, &issuer_origin) }
        }))
        .with_state(app)
}

fn security_headers(mut response: Response, issuer_origin: &str) -> Response {
    let headers = response.headers_mut();
    let csp = format!(
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' {issuer_origin}; \
         frame-ancestors 'none'; base-uri 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The callback URL carries a code: never leak it in a Referer.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../assets/site.css"),
    )
        .into_response()
}

/// The header's state: signed in (with the sign-out form's token) or not.
struct Layout {
    csrf: Option<String>,
}

impl Layout {
    fn of(session: Option<&Session>) -> Self {
        Self {
            csrf: session.map(|s| s.csrf.clone()),
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    layout: Layout,
    title: String,
    text: String,
    link: Option<(&'static str, &'static str)>,
}

struct TaxpayerRow {
    id: String,
    name: String,
    masked_ssn: String,
    form: String,
    years: String,
}

#[derive(Template)]
#[template(path = "transcripts.html")]
struct TranscriptsPage {
    layout: Layout,
    who: String,
    assurance: String,
    sub: String,
    rows: Vec<TaxpayerRow>,
}

struct EntryRow {
    date: String,
    code: String,
    description: String,
    amount: String,
}

struct TranscriptView {
    tax_year: i32,
    title: String,
    filing_status: String,
    agi: String,
    taxable: String,
    tax: String,
    payments: String,
    balance_label: &'static str,
    balance: String,
    entries: Vec<EntryRow>,
}

#[derive(Template)]
#[template(path = "taxpayer.html")]
struct TaxpayerPage {
    layout: Layout,
    name: String,
    masked_ssn: String,
    form: String,
    years: String,
    transcripts: Vec<TranscriptView>,
}

fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.").into_response()
        }
    }
}

fn message(
    status: StatusCode,
    session: Option<&Session>,
    title: &str,
    text: &str,
    link: Option<(&'static str, &'static str)>,
) -> Response {
    render(
        status,
        &MessagePage {
            layout: Layout::of(session),
            title: title.to_owned(),
            text: text.to_owned(),
            link,
        },
    )
}

fn current_session(app: &App, headers: &HeaderMap) -> Option<(String, Session)> {
    let id = read_cookie(headers, SESSION_COOKIE)?;
    let session = app.sessions.get(&id)?;
    Some((id, session))
}

fn with_cookie(mut response: Response, cookie: String) -> Response {
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

async fn home(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let session = current_session(&app, &headers).map(|(_, s)| s);
    render(
        StatusCode::OK,
        &HomePage {
            layout: Layout::of(session.as_ref()),
        },
    )
}

async fn sign_in(State(app): State<AppState>) -> Response {
    let (url, pending) = match app.rp.start_login().await {
        Ok(started) => started,
        Err(error) => {
            return message(
                StatusCode::SERVICE_UNAVAILABLE,
                None,
                "Sign-in is not available",
                &error.0,
                Some(("/", "Back to e-Services")),
            );
        }
    };
    let Some(login_id) = app.sessions.begin_login(pending) else {
        return message(
            StatusCode::SERVICE_UNAVAILABLE,
            None,
            "Sign-in is busy",
            "Too many sign-ins are in progress. Try again in a few minutes.",
            Some(("/", "Back to e-Services")),
        );
    };
    with_cookie(
        Redirect::to(&url).into_response(),
        set_cookie(
            LOGIN_COOKIE,
            &login_id,
            LOGIN_TTL.as_secs(),
            app.secure_cookies,
        ),
    )
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

async fn callback(
    State(app): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let clear_login = set_cookie(LOGIN_COOKIE, "", 0, app.secure_cookies);
    let refuse = |text: &str| {
        with_cookie(
            message(
                StatusCode::BAD_REQUEST,
                None,
                "You are not signed in",
                text,
                Some(("/sign-in", "Sign in again")),
            ),
            clear_login.clone(),
        )
    };
    // The pending login of *this* browser, used once whatever happens next.
    let pending = read_cookie(&headers, LOGIN_COOKIE).and_then(|id| app.sessions.take_login(&id));
    let Some(pending) = pending else {
        return refuse(
            "This sign-in was not started from this browser, or it took longer than 10 minutes.",
        );
    };
    let state_matches = query.state.as_deref().is_some_and(|state| {
        use subtle::ConstantTimeEq;
        let expected = pending.state.secret().as_bytes();
        state.len() == expected.len() && bool::from(state.as_bytes().ct_eq(expected))
    });
    if !state_matches {
        tracing::warn!("callback state does not match this browser's sign-in");
        return refuse("This sign-in answer does not belong to the sign-in this browser started.");
    }
    if let Some(error) = query.error.as_deref() {
        return refuse(match error {
            "access_denied" => {
                "You chose not to share your information with e-Services, so you are not signed in."
            }
            "login_required" | "interaction_required" | "consent_required" => {
                "Secure Access needs you to sign in or agree before continuing."
            }
            _ => "Secure Access could not sign you in to e-Services.",
        });
    }
    let Some(code) = query.code.as_deref().filter(|c| !c.is_empty()) else {
        return refuse("The answer from Secure Access had no sign-in code.");
    };
    let person = match app.rp.finish_login(code, pending).await {
        Ok(person) => person,
        Err(error) => return refuse(&error.0),
    };
    tracing::info!(sub = %person.sub, "professional signed in");
    let session_id = app.sessions.create(person);
    let response = with_cookie(
        Redirect::to("/transcripts").into_response(),
        clear_login.clone(),
    );
    with_cookie(
        response,
        set_cookie(
            SESSION_COOKIE,
            &session_id,
            SESSION_TTL.as_secs(),
            app.secure_cookies,
        ),
    )
}

fn assurance_text(session: &Session) -> String {
    let person = &session.person;
    let identity = if person.acr == IAL2 {
        "identity verified (IAL2)"
    } else {
        "identity not verified"
    };
    let factor = match person.aal.as_deref() {
        Some(aal) if aal.contains("/aal/2") => ", signed in with two factors (AAL2)",
        _ => "",
    };
    format!("Secure Access: {identity}{factor}.")
}

async fn transcripts(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let Some((_, session)) = current_session(&app, &headers) else {
        return Redirect::to("/").into_response();
    };
    let records = match Records::load(&app.data_dir) {
        Ok(records) => records,
        Err(error) => return records_unavailable(&session, &error),
    };
    let rows = records
        .represented(&session.person.sub)
        .into_iter()
        .map(|r| TaxpayerRow {
            id: r.taxpayer.id.clone(),
            name: r.taxpayer.name.clone(),
            masked_ssn: r.taxpayer.masked_ssn(),
            form: r.form.to_owned(),
            years: years_text(&r.tax_years),
        })
        .collect();
    let person = &session.person;
    let who = match (&person.name, &person.email) {
        (Some(name), Some(email)) => format!("{name} ({email})"),
        (Some(name), None) => name.clone(),
        (None, Some(email)) => email.clone(),
        (None, None) => "a verified professional".to_owned(),
    };
    render(
        StatusCode::OK,
        &TranscriptsPage {
            layout: Layout::of(Some(&session)),
            who,
            assurance: assurance_text(&session),
            sub: person.sub.clone(),
            rows,
        },
    )
}

fn years_text(years: &[i32]) -> String {
    years
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn records_unavailable(session: &Session, error: &anyhow::Error) -> Response {
    tracing::error!(error = %format!("{error:#}"), "records cannot be read");
    message(
        StatusCode::SERVICE_UNAVAILABLE,
        Some(session),
        "Transcripts are not available",
        "The portal cannot read its records right now. Try again later.",
        None,
    )
}

async fn taxpayer(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(taxpayer_id): Path<String>,
) -> Response {
    let Some((_, session)) = current_session(&app, &headers) else {
        return Redirect::to("/").into_response();
    };
    let records = match Records::load(&app.data_dir) {
        Ok(records) => records,
        Err(error) => return records_unavailable(&session, &error),
    };
    let Ok((representation, transcripts)) =
        records.transcripts_for(&session.person.sub, &taxpayer_id)
    else {
        tracing::info!(sub = %session.person.sub, "transcripts refused: no power of attorney on file");
        return message(
            StatusCode::FORBIDDEN,
            Some(&session),
            "No power of attorney on file",
            "You do not have a power of attorney (Form 2848) or tax information authorization \
             (Form 8821) on file for this taxpayer, so e-Services cannot show their transcripts. \
             Secure Access confirmed who you are; it does not say whom you represent. Once the \
             taxpayer's authorization is recorded for you, their transcripts appear on your list.",
            Some(("/transcripts", "Back to your taxpayers")),
        );
    };
    let view = transcripts
        .into_iter()
        .map(|t| {
            let balance = t.balance();
            TranscriptView {
                tax_year: t.tax_year,
                title: format!("{} — Form {}", t.kind, t.form),
                filing_status: t.filing_status.clone(),
                agi: dollars(t.adjusted_gross_income),
                taxable: dollars(t.taxable_income),
                tax: dollars(t.total_tax),
                payments: dollars(t.payments),
                balance_label: if balance > 0 {
                    "Balance due"
                } else {
                    "Overpaid (refund)"
                },
                balance: dollars(balance.abs()),
                entries: t
                    .entries
                    .iter()
                    .map(|e| EntryRow {
                        date: e.date.clone(),
                        code: e.code.clone(),
                        description: e.description.clone(),
                        amount: dollars(e.amount),
                    })
                    .collect(),
            }
        })
        .collect();
    render(
        StatusCode::OK,
        &TaxpayerPage {
            layout: Layout::of(Some(&session)),
            name: representation.taxpayer.name.clone(),
            masked_ssn: representation.taxpayer.masked_ssn(),
            form: representation.form.to_owned(),
            years: years_text(&representation.tax_years),
            transcripts: view,
        },
    )
}

#[derive(Deserialize)]
struct SignOutForm {
    csrf_token: String,
}

async fn sign_out(
    State(app): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<SignOutForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let clear = set_cookie(SESSION_COOKIE, "", 0, app.secure_cookies);
    let Some((id, session)) = current_session(&app, &headers) else {
        return with_cookie(Redirect::to("/").into_response(), clear);
    };
    let token_ok = form.is_ok_and(|Form(form)| {
        use subtle::ConstantTimeEq;
        let expected = session.csrf.as_bytes();
        form.csrf_token.len() == expected.len()
            && bool::from(form.csrf_token.as_bytes().ct_eq(expected))
    });
    if !token_ok {
        return message(
            StatusCode::FORBIDDEN,
            Some(&session),
            "You are still signed in",
            "That sign-out request did not come from this portal's page. Use the Sign out button.",
            Some(("/transcripts", "Back to your taxpayers")),
        );
    }
    app.sessions.end(&id);
    let target = app
        .rp
        .logout_url(&session.person.id_token)
        .await
        .unwrap_or_else(|| "/signed-out".to_owned());
    with_cookie(Redirect::to(&target).into_response(), clear)
}

async fn signed_out(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let session = current_session(&app, &headers).map(|(_, s)| s);
    message(
        StatusCode::OK,
        session.as_ref(),
        "You are signed out",
        "You are signed out of e-Services and of Secure Access.",
        Some(("/", "Back to e-Services")),
    )
}
