//! The JSON API (`/api/v1`), as specified in `docs/api.md`, and its OpenAPI 3
//! document at `/api/openapi.json`, generated from the handler annotations so the
//! published contract cannot drift from the code.

pub mod admin;
pub mod admin_dashboard;
pub mod audit;
mod bodies;
pub mod caller_accounts;
pub mod deletion;
pub mod email;
pub mod factors;
pub mod passkeys;
pub mod password;
pub mod proofing;
pub mod recovery;
pub mod recovery_proofing;
pub mod security;
pub mod sign_in;
pub mod sign_up;
pub mod staff;
pub mod staff_admin;

use crate::state::AppState;
use axum::Json;
use axum::Router;
use axum::routing::{delete, get, post};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/v1/accounts", post(sign_up::sign_up))
        .route(
            "/api/v1/accounts/email/confirm",
            post(sign_up::confirm_email),
        )
        .route(
            "/api/v1/accounts/email/resend",
            post(sign_up::resend_email_code),
        )
        .route(
            "/api/v1/sessions",
            post(sign_in::sign_in).delete(sign_in::sign_out),
        )
        .route("/api/v1/sessions/sms", post(sign_in::send_sms))
        .route(
            "/api/v1/sessions/passkey",
            post(passkeys::second_factor_options),
        )
        .route(
            "/api/v1/sessions/passwordless",
            post(passkeys::passwordless_options),
        )
        .route(
            "/api/v1/sessions/passwordless/confirm",
            post(passkeys::passwordless),
        )
        .route("/api/v1/factors/passkeys", post(passkeys::begin))
        .route(
            "/api/v1/factors/passkeys/{id}/confirm",
            post(passkeys::confirm),
        )
        .route(
            "/api/v1/sessions/second-factor",
            post(sign_in::second_factor),
        )
        .route("/api/v1/factors", get(factors::list))
        .route("/api/v1/factors/totp", post(factors::begin_totp))
        .route(
            "/api/v1/factors/totp/{id}/confirm",
            post(factors::confirm_totp),
        )
        .route("/api/v1/factors/phones", post(factors::add_phone))
        .route(
            "/api/v1/factors/phones/{id}/confirm",
            post(factors::confirm_phone),
        )
        .route("/api/v1/factors/backup-codes", post(factors::backup_codes))
        .route("/api/v1/factors/{id}", delete(factors::remove))
        .route("/api/v1/account/security", get(security::overview))
        .route("/api/v1/account/sessions", get(security::sessions))
        .route("/api/v1/account/export", get(security::export))
        .route(
            "/api/v1/account/sessions/sign-out-others",
            post(security::end_other_sessions),
        )
        .route(
            "/api/v1/account/sessions/{handle}",
            delete(security::end_session),
        )
        .route("/api/v1/account/password", post(password::change))
        .route("/api/v1/account", delete(deletion::delete))
        .route("/api/v1/account/email", post(email::start))
        .route("/api/v1/account/email/confirm", post(email::confirm))
        .route("/api/v1/passwords/strength", post(password::rate))
        .route("/api/v1/account/apps", get(security::apps))
        .route(
            "/api/v1/account/apps/{client_id}",
            delete(security::revoke_app),
        )
        .route(
            "/api/v1/staff/accounts",
            get(staff::search).post(caller_accounts::create),
        )
        .route("/api/v1/staff/accounts/search", post(staff::search_by_body))
        .route("/api/v1/staff/accounts/{id}", get(staff::account))
        .route(
            "/api/v1/staff/accounts/{id}/knowledge-checks",
            post(staff::start_check),
        )
        .route(
            "/api/v1/staff/knowledge-checks/{id}/answers",
            post(staff::answer_check),
        )
        .route(
            "/api/v1/staff/accounts/{id}/in-person",
            post(staff::in_person),
        )
        .route(
            "/api/v1/staff/accounts/{id}/complete-in-person",
            post(staff::complete_in_person),
        )
        .route("/api/v1/proofing", get(proofing::state))
        .route("/api/v1/proofing/identity", post(proofing::identity))
        .route(
            "/api/v1/proofing/financial-account",
            post(proofing::financial_account),
        )
        .route("/api/v1/proofing/phone", post(proofing::phone))
        .route(
            "/api/v1/proofing/phone/confirm",
            post(proofing::confirm_phone),
        )
        .route("/api/v1/proofing/mail", post(proofing::mail))
        .route(
            "/api/v1/proofing/mail/confirm",
            post(proofing::confirm_mail),
        )
        .route("/api/v1/admin/reports/funnel", get(admin::funnel))
        .route("/api/v1/admin/dashboard", get(admin_dashboard::dashboard))
        .route(
            "/api/v1/admin/maintenance",
            get(admin_dashboard::list).post(admin_dashboard::schedule),
        )
        .route(
            "/api/v1/admin/maintenance/{id}",
            delete(admin_dashboard::cancel),
        )
        .route("/api/v1/password-resets", post(recovery::request))
        .route("/api/v1/password-resets/confirm", post(recovery::confirm))
        .route("/api/v1/account/disavow", post(recovery::disavow))
        .route(
            "/api/v1/account-resets",
            get(recovery::reset_state).post(recovery::start_reset),
        )
        .route(
            "/api/v1/account-resets/complete",
            post(recovery::complete_reset),
        )
        .route(
            "/api/v1/account-resets/identity",
            post(recovery_proofing::identity),
        )
        .route(
            "/api/v1/account-resets/financial-account",
            post(recovery_proofing::financial_account),
        )
        .route(
            "/api/v1/account-resets/phone",
            post(recovery_proofing::phone),
        )
        .route(
            "/api/v1/account-resets/phone/confirm",
            post(recovery_proofing::confirm_phone),
        )
        .route(
            "/api/v1/account-resets/letter",
            post(recovery::request_letter),
        )
        .route(
            "/api/v1/account-resets/letter/confirm",
            post(recovery::confirm_letter),
        )
        .route("/api/v1/staff/audit", get(audit::search))
        .route("/api/v1/admin/audit/export", get(audit::export))
        .route("/api/v1/admin/staff", get(staff_admin::list))
        .route("/api/v1/admin/staff/roles", post(staff_admin::grant))
        .route(
            "/api/v1/admin/staff/roles/revoke",
            post(staff_admin::revoke),
        )
        .route(
            "/api/v1/admin/accounts/{id}/unlock",
            post(staff_admin::unlock),
        )
        .route(
            "/api/v1/admin/accounts/{id}/end-sessions",
            post(staff_admin::end_sessions),
        )
        .route(
            "/api/v1/admin/accounts/{id}/disable",
            post(staff_admin::disable),
        )
        .route(
            "/api/v1/admin/accounts/{id}/enable",
            post(staff_admin::enable),
        )
        .fallback(api_not_found)
}

async fn api_not_found() -> crate::error::ApiError {
    crate::error::ApiError::not_found()
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Secure Access API", version = "1", description = "Accounts, identity proofing, two-factor sign-in and security history. Errors: `{\"error\": {\"code\", \"message\", \"field\"?}}`."),
    paths(
        sign_up::sign_up, sign_up::confirm_email, sign_up::resend_email_code,
        sign_in::sign_in, sign_in::sign_out, sign_in::send_sms, sign_in::second_factor,
        factors::list, factors::begin_totp, factors::confirm_totp, factors::add_phone,
        factors::confirm_phone, factors::backup_codes, factors::remove,
        security::overview, security::export, security::sessions, security::end_session, security::end_other_sessions,
        proofing::state, proofing::identity, proofing::financial_account, proofing::phone,
        proofing::confirm_phone, proofing::mail, proofing::confirm_mail,
        admin::funnel, password::change, password::rate, security::apps, security::revoke_app,
        admin_dashboard::dashboard, admin_dashboard::list, admin_dashboard::schedule,
        admin_dashboard::cancel,
        staff::search, staff::search_by_body, staff::account, staff::start_check, staff::answer_check,
        staff::in_person, staff::complete_in_person,
        audit::search, audit::export,
        recovery::request, recovery::confirm, recovery::disavow, recovery::reset_state,
        recovery::start_reset, recovery::complete_reset, recovery::request_letter,
        recovery::confirm_letter, email::start, email::confirm,
        deletion::delete, caller_accounts::create, recovery_proofing::identity,
        recovery_proofing::financial_account, recovery_proofing::phone,
        recovery_proofing::confirm_phone, staff_admin::list, staff_admin::grant,
        staff_admin::revoke, staff_admin::unlock, staff_admin::end_sessions,
        staff_admin::disable, staff_admin::enable,
        passkeys::begin, passkeys::confirm, passkeys::second_factor_options,
        passkeys::passwordless_options, passkeys::passwordless,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
