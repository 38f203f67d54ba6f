//! The HTML pages: server-rendered (askama), styled with the U.S. Web Design System,
//! complete without JavaScript. Each handler calls the same journey as its JSON twin in
//! [`crate::api`]; the page face adds cookies, redirects along the step graph, and forms
//! whose errors are listed at the top and tied to their fields.

mod admin;
pub mod chart;
mod deletion;
mod email;
mod factors;
mod form;
mod home;
pub mod layout;
mod passkeys;
mod password;
mod proofing;
mod recovery;
mod security;
pub mod session;
mod sign_in;
mod sign_up;
mod staff;
mod staff_admin;
mod staff_forms;
mod staff_new_account;

pub use form::FormErrors;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/sign-up", get(sign_up::show).post(sign_up::submit))
        .route(
            "/sign-up/confirm-email",
            get(sign_up::show_confirm).post(sign_up::confirm),
        )
        .route("/sign-up/confirm-email/resend", post(sign_up::resend))
        .route("/sign-in", get(sign_in::show).post(sign_in::submit))
        .route(
            "/sign-in/second-factor",
            get(sign_in::show_factor).post(sign_in::submit_factor),
        )
        .route("/sign-in/second-factor/sms", post(sign_in::send_sms))
        .route("/sign-in/passkey", post(sign_in::submit_passkey))
        .route("/sign-in/passkey-only", post(sign_in::submit_passwordless))
        .route("/second-factor/setup/passkey", post(passkeys::begin))
        .route("/second-factor/setup/passkey/{id}", post(passkeys::confirm))
        .route("/security/passkey-check", get(passkeys::check))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/second-factor/setup", get(factors::choose))
        .route("/second-factor/setup/totp", post(factors::begin_totp))
        .route(
            "/second-factor/setup/totp/{id}",
            get(factors::show_totp).post(factors::confirm_totp),
        )
        .route(
            "/second-factor/setup/phone",
            get(factors::show_phone).post(factors::add_phone),
        )
        .route(
            "/second-factor/setup/phone/{id}",
            get(factors::show_phone_confirm).post(factors::confirm_phone),
        )
        .route(
            "/second-factor/setup/backup-codes",
            post(factors::backup_codes),
        )
        .route(
            "/verify/identity",
            get(proofing::show_identity).post(proofing::submit_identity),
        )
        .route(
            "/verify/financial-account",
            get(proofing::show_financial).post(proofing::submit_financial),
        )
        .route(
            "/verify/phone",
            get(proofing::show_phone).post(proofing::submit_phone),
        )
        .route(
            "/verify/phone/confirm",
            get(proofing::show_phone_confirm).post(proofing::confirm_phone),
        )
        .route("/verify/mail", post(proofing::request_letter))
        .route(
            "/verify/mail/confirm",
            get(proofing::show_mail_confirm).post(proofing::confirm_letter),
        )
        .route("/verify/help", get(proofing::show_help))
        .route("/account/security", get(security::show))
        .route(
            "/account/sessions/{handle}/end",
            post(security::end_session),
        )
        .route(
            "/account/sessions/end-others",
            post(security::end_other_sessions),
        )
        .route("/account/email", get(email::show).post(email::start))
        .route(
            "/account/delete",
            get(deletion::show).post(deletion::delete),
        )
        .route("/account/email/confirm", post(email::confirm))
        .route(
            "/account/password",
            get(password::show).post(password::submit),
        )
        .route(
            "/password-reset",
            get(recovery::show_reset).post(recovery::request_reset),
        )
        .route("/password-reset/confirm", post(recovery::confirm_reset))
        .route(
            "/account/disavow",
            get(recovery::show_disavow).post(recovery::disavow),
        )
        .route(
            "/account-reset",
            get(recovery::show_account_reset).post(recovery::start_account_reset),
        )
        .route(
            "/account-reset/complete",
            post(recovery::complete_account_reset),
        )
        .route("/account-reset/verify", get(proofing::recovery::show))
        .route(
            "/account-reset/verify/identity",
            post(proofing::recovery::identity),
        )
        .route(
            "/account-reset/verify/financial-account",
            post(proofing::recovery::financial_account),
        )
        .route(
            "/account-reset/verify/phone",
            post(proofing::recovery::phone),
        )
        .route(
            "/account-reset/verify/phone/confirm",
            post(proofing::recovery::confirm_phone),
        )
        .route(
            "/account-reset/letter",
            post(recovery::request_recovery_letter),
        )
        .route(
            "/account-reset/letter/confirm",
            post(recovery::confirm_recovery_letter),
        )
        .route("/staff", get(staff::search_form).post(staff::search))
        .route("/staff/accounts/new", post(staff_new_account::create))
        .route("/staff/accounts/{id}", get(staff::account))
        .route(
            "/staff/accounts/{id}/knowledge-checks",
            post(staff_forms::start_check),
        )
        .route(
            "/staff/knowledge-checks/{id}/answers",
            post(staff_forms::answer_check),
        )
        .route(
            "/staff/accounts/{id}/in-person",
            get(staff_forms::show_in_person).post(staff_forms::record_in_person),
        )
        .route(
            "/staff/accounts/{id}/complete-in-person",
            post(staff::complete_in_person),
        )
        .route("/admin", get(admin::dashboard))
        .route("/admin/staff", get(staff_admin::list))
        .route("/admin/staff/roles", post(staff_admin::change_role))
        .route("/admin/accounts/{id}/help", post(staff_admin::help))
        .route(
            "/admin/maintenance",
            get(admin::maintenance).post(admin::schedule),
        )
        .route("/admin/maintenance/{id}/cancel", post(admin::cancel))
        .route(
            "/account/factors/{id}/remove",
            post(security::remove_factor),
        )
        .route(
            "/account/apps/{client_id}/revoke",
            post(security::revoke_app),
        )
}
