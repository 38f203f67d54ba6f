//! The server side of the browser tests: the real server started in-process on a free
//! port with a manual clock and a temporary SQLite data directory, the dev outbox read
//! the way a person reads their email and texts, and accounts made through the JSON API
//! when a journey needs one that already exists.
//!
//! The server and the outbox come from the shared harness (`sa-test-support`); the
//! browser journeys run on SQLite.
#![allow(dead_code)]

use serde_json::json;

pub use sa_test_support::api::{Person, call};
pub use sa_test_support::server::{Backend, TestServer};

pub mod app;
pub mod applicant;

/// An HTTP client for the JSON API and the token endpoint (no redirects followed).
pub fn api_client() -> reqwest::Client {
    sa_test_support::api::client("sa-browser-tests/1.0 (api)")
}

/// Sign up through the API and confirm the email; returns the enrolling session token.
pub async fn api_sign_up_confirmed(server: &TestServer, person: &Person) -> String {
    let client = api_client();
    let mark = server.outbox_mark();
    let created = call(
        &client,
        reqwest::Method::POST,
        server.url("/api/v1/accounts"),
        None,
        Some(json!({"username": person.username, "email": person.email, "password": person.password})),
        201,
    )
    .await;
    let token = created["session_token"].as_str().expect("token").to_owned();
    let code = server.code_after(mark, &person.email).await;
    let confirmed = call(
        &client,
        reqwest::Method::POST,
        server.url("/api/v1/accounts/email/confirm"),
        Some(&token),
        Some(json!({"code": code})),
        200,
    )
    .await;
    assert_eq!(confirmed["next"], "setup_second_factor");
    token
}

/// An account whose ways in are a phone for texts and ten backup codes, made through
/// the API; returns the backup codes.
pub async fn api_account_with_phone_and_backup_codes(
    server: &TestServer,
    person: &Person,
    phone: &str,
) -> Vec<String> {
    let client = api_client();
    let token = api_sign_up_confirmed(server, person).await;
    let mark = server.outbox_mark();
    let added = call(
        &client,
        reqwest::Method::POST,
        server.url("/api/v1/factors/phones"),
        Some(&token),
        Some(json!({"phone": phone})),
        201,
    )
    .await;
    let code = server.code_after(mark, phone).await;
    let id = added["factor_id"].as_str().expect("factor id");
    let confirmed = call(
        &client,
        reqwest::Method::POST,
        server.url(&format!("/api/v1/factors/phones/{id}/confirm")),
        Some(&token),
        Some(json!({"code": code})),
        200,
    )
    .await;
    let token = confirmed["session_token"]
        .as_str()
        .expect("signed in by the first factor");
    let backup = call(
        &client,
        reqwest::Method::POST,
        server.url("/api/v1/factors/backup-codes"),
        Some(token),
        None,
        201,
    )
    .await;
    backup["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect()
}

/// An account with an authenticator app, made through the API; returns its secret.
pub async fn api_account_with_totp(server: &TestServer, person: &Person) -> String {
    let client = api_client();
    let token = api_sign_up_confirmed(server, person).await;
    let begun = call(
        &client,
        reqwest::Method::POST,
        server.url("/api/v1/factors/totp"),
        Some(&token),
        None,
        201,
    )
    .await;
    let secret = begun["secret"].as_str().expect("secret").to_owned();
    let factor_id = begun["factor_id"].as_str().expect("id");
    call(
        &client,
        reqwest::Method::POST,
        server.url(&format!("/api/v1/factors/totp/{factor_id}/confirm")),
        Some(&token),
        Some(json!({"code": server.totp_now(&secret)})),
        200,
    )
    .await;
    server.next_totp_step();
    secret
}
