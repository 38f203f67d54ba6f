//! What every page is drawn in: the [`Layout`] (form token, signed in or not, demo
//! notice, maintenance banner), rendering, the plain message page, and where the page
//! face shows each step of the graph ([`next_url`]). At the bottom of the page modules:
//! the middleware, the OpenID Connect pages and every page handler use it.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use sa_domain::model::Next;
use sa_i18n::{Arg, Lang, Text};

use crate::maintenance_notice::Banner;
use crate::state::AppState;

/// The form token of this browser, which the CSRF middleware ([`crate::csrf`]) puts in
/// the request extensions for the handlers to put in their forms.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// What every page's layout needs.
pub struct Layout {
    pub csrf: String,
    pub signed_in: bool,
    pub demo: bool,
    /// Planned maintenance, upcoming or in progress (see [`crate::maintenance_notice`]).
    pub maintenance: Option<Banner>,
    /// How to reach the help desk and book a visit (configured, never written in a
    /// template).
    pub help_desk: crate::state::HelpDesk,
    /// Waits the pages state, computed from the configured limits.
    pub waits: Waits,
    /// The origin passkeys answer for (empty when passkeys are off), for the script's
    /// "wrong address" message.
    pub passkey_origin: String,
    /// The language of the page (see [`crate::language`]).
    pub lang: Lang,
    /// This page in each other language.
    pub other_languages: Vec<LanguageLink>,
}

/// A link to the same page in another language.
pub struct LanguageLink {
    pub href: String,
    pub code: &'static str,
    pub name: &'static str,
}

/// How long codes live, as the pages say it, from the configured limits.
pub struct Waits {
    pub sms_code_minutes: i64,
    pub email_code_hours: i64,
    pub reset_code_minutes: i64,
}

impl Waits {
    fn of(app: &AppState) -> Self {
        let limits = &app.services.core().config.limits;
        Self {
            sms_code_minutes: limits.sms_code_ttl_secs / 60,
            email_code_hours: limits.email_code_ttl_secs / 3600,
            reset_code_minutes: limits.password_reset_code_ttl_secs / 60,
        }
    }
}

impl Layout {
    pub fn new(app: &AppState, csrf: &CsrfToken, signed_in: bool) -> Self {
        Self {
            csrf: csrf.0.clone(),
            signed_in,
            ..Self::plain(app)
        }
    }

    /// For pages without forms, signed out.
    pub fn plain(app: &AppState) -> Self {
        let request = crate::locale::request();
        Self {
            csrf: String::new(),
            signed_in: false,
            demo: app.config.demo,
            maintenance: Banner::from_status(&app.services.admin().maintenance_status_cached()),
            help_desk: app.config.help_desk.in_language(request.lang),
            waits: Waits::of(app),
            passkey_origin: app
                .services
                .core()
                .passkeys
                .as_ref()
                .map(|rp| rp.origin.clone())
                .unwrap_or_default(),
            lang: request.lang,
            other_languages: Lang::ALL
                .into_iter()
                .filter(|lang| *lang != request.lang)
                .map(|lang| LanguageLink {
                    href: crate::locale::link_in(&request.here, lang),
                    code: lang.code(),
                    name: lang.native_name(),
                })
                .collect(),
        }
    }

    /// A message of the catalogues in the page's language.
    pub fn t(&self, id: &str) -> String {
        sa_i18n::text(self.lang, id)
    }

    /// A message with one argument.
    pub fn t1(&self, id: &'static str, name: &'static str, value: impl Into<Arg>) -> String {
        Text::new(id).with(name, value).render(self.lang)
    }

    /// A message with two arguments.
    pub fn t2(
        &self,
        id: &'static str,
        name: &'static str,
        value: impl Into<Arg>,
        other_name: &'static str,
        other_value: impl Into<Arg>,
    ) -> String {
        Text::new(id)
            .with(name, value)
            .with(other_name, other_value)
            .render(self.lang)
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    layout: Layout,
    heading: &'a str,
    text: &'a str,
}

/// A page that only says something (errors, expired forms, not found).
pub fn message_page(app: &AppState, status: StatusCode, heading: &str, text: &str) -> Response {
    let layout = Layout::plain(app);
    render(
        status,
        &MessagePage {
            layout,
            heading,
            text,
        },
    )
}

/// 404 for pages; JSON 404 under `/api/`.
pub async fn not_found(State(app): State<AppState>, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::ApiError::not_found().into_response();
    }
    let lang = crate::locale::current();
    message_page(
        &app,
        StatusCode::NOT_FOUND,
        &sa_i18n::text(lang, "page-not-found-heading"),
        &sa_i18n::text(lang, "page-not-found-text"),
    )
}

pub fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be shown. Please try again.",
            )
                .into_response()
        }
    }
}

/// "March 23, 2026", in the request's language.
pub fn human_date(at: time::OffsetDateTime) -> String {
    sa_i18n::long_date(crate::locale::current(), at.date())
}

/// Where the page face shows each step.
pub fn next_url(next: Next) -> &'static str {
    match next {
        Next::ConfirmEmail => "/sign-up/confirm-email",
        Next::ProofingIdentity => "/verify/identity",
        Next::ProofingFinancialAccount => "/verify/financial-account",
        Next::ProofingPhone => "/verify/phone",
        Next::ProofingPhoneCode => "/verify/phone/confirm",
        Next::ProofingMailCode => "/verify/mail/confirm",
        Next::ExceptionProcessing => "/verify/help",
        Next::ChangePassword => "/account/password",
        Next::SetupSecondFactor => "/second-factor/setup",
        Next::SecondFactor => "/sign-in/second-factor",
        Next::Done => "/account/security",
    }
}
