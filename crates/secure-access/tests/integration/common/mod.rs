//! The integration target's harness: the shared one (`sa-test-support`: the real server
//! on a free port with a manual clock, SQLite or a fresh PostgreSQL database, the dev
//! outbox, API calls), plus the account set-ups these suites repeat.
#![allow(dead_code)]

use serde_json::{Value, json};

pub use sa_test_support::api::{Person, browser, call};
pub use sa_test_support::server::{Backend, TestServer, test_epoch};

pub mod applicant;
pub mod oidc;
pub mod pages;
pub mod saml;
pub mod staff;

/// Run each named async test function (taking a `Backend`) on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(backend) = $crate::common::Backend::postgres() {
                        super::$name(backend).await;
                    }
                }
            )*
        }
    };
}

/// An HTTP client for the JSON API (no cookies, no redirects followed).
pub fn api_client() -> reqwest::Client {
    sa_test_support::api::client("sa-tests/1.0 (api)")
}

/// Sign up through the API and confirm the email; returns the enrolling session token.
pub async fn sign_up_confirmed(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
) -> String {
    sign_up_and_confirm(server, client, person, "setup_second_factor").await
}

/// Sign up through the API and confirm the email, expecting `next` afterwards; returns
/// the session token.
pub async fn sign_up_and_confirm(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
    next: &str,
) -> String {
    let mark = server.outbox_mark();
    let created = call(
        client,
        reqwest::Method::POST,
        server.url("/api/v1/accounts"),
        None,
        Some(json!({"username": person.username, "email": person.email, "password": person.password})),
        201,
    )
    .await;
    assert_eq!(created["next"], "confirm_email");
    let token = created["session_token"].as_str().expect("token").to_owned();
    let code = server.code_after(mark, &person.email).await;
    let confirmed = call(
        client,
        reqwest::Method::POST,
        server.url("/api/v1/accounts/email/confirm"),
        Some(&token),
        Some(json!({"code": code})),
        200,
    )
    .await;
    assert_eq!(confirmed["next"], next);
    token
}

/// A complete account with an authenticator app; returns (session token, TOTP secret).
pub async fn account_with_totp(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
) -> (String, String) {
    let token = sign_up_confirmed(server, client, person).await;
    let begun = call(
        client,
        reqwest::Method::POST,
        server.url("/api/v1/factors/totp"),
        Some(&token),
        None,
        201,
    )
    .await;
    let secret = begun["secret"].as_str().expect("secret").to_owned();
    let factor_id = begun["factor_id"].as_str().expect("id").to_owned();
    let confirmed = call(
        client,
        reqwest::Method::POST,
        server.url(&format!("/api/v1/factors/totp/{factor_id}/confirm")),
        Some(&token),
        Some(json!({"code": server.totp_now(&secret)})),
        200,
    )
    .await;
    assert_eq!(confirmed["next"], "done");
    let token = confirmed["session_token"]
        .as_str()
        .expect("new token after first factor")
        .to_owned();
    // Codes are single use: move to the next step so later tests get fresh codes.
    server.clock.advance(time::Duration::seconds(30));
    (token, secret)
}

/// Register `device` as a passkey of the signed-in (or enrolling) session `token`;
/// returns the options the server sent (`factor_id`, `options`) and the confirmation.
pub async fn add_passkey(
    server: &TestServer,
    client: &reqwest::Client,
    token: &str,
    device: &mut sa_test_support::passkey::SoftPasskey,
) -> (Value, Value) {
    let begun = call(
        client,
        reqwest::Method::POST,
        server.url("/api/v1/factors/passkeys"),
        Some(token),
        Some(json!({"label": "Test phone"})),
        201,
    )
    .await;
    let id = begun["factor_id"].as_str().expect("factor id");
    let answer = device.register(&begun["options"]);
    let confirmed = call(
        client,
        reqwest::Method::POST,
        server.url(&format!("/api/v1/factors/passkeys/{id}/confirm")),
        Some(token),
        Some(json!({"credential": answer})),
        200,
    )
    .await;
    (begun, confirmed)
}

/// `POST /api/v1/sessions/second-factor`, asserting the status.
pub async fn second_factor(
    server: &TestServer,
    client: &reqwest::Client,
    token: &str,
    method: &str,
    code: &str,
    status: u16,
) -> Value {
    call(
        client,
        reqwest::Method::POST,
        server.url("/api/v1/sessions/second-factor"),
        Some(token),
        Some(json!({"method": method, "code": code})),
        status,
    )
    .await
}

/// A complete sign-in with password and the current app code; returns the new token.
pub async fn sign_in_with_app(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
    secret: &str,
) -> String {
    let started = password_step(server, client, person).await;
    let pending = started["session_token"].as_str().expect("token");
    let verified = second_factor(
        server,
        client,
        pending,
        "totp",
        &server.totp_now(secret),
        200,
    )
    .await;
    verified["session_token"]
        .as_str()
        .expect("new token")
        .to_owned()
}

/// Add a phone and confirm it with the texted code; returns the confirmation answer
/// (`factor_id`, `next`, and `session_token` if this was the first factor).
pub async fn add_confirmed_phone(
    server: &TestServer,
    client: &reqwest::Client,
    token: &str,
    phone: &str,
) -> Value {
    let mark = server.outbox_mark();
    let added = call(
        client,
        reqwest::Method::POST,
        server.url("/api/v1/factors/phones"),
        Some(token),
        Some(json!({"phone": phone})),
        201,
    )
    .await;
    assert_eq!(added["result"], "code_sent");
    let text = server.message_after(mark, phone).await;
    assert_eq!(text["channel"], "sms");
    let id = added["factor_id"].as_str().expect("factor id");
    call(
        client,
        reqwest::Method::POST,
        server.url(&format!("/api/v1/factors/phones/{id}/confirm")),
        Some(token),
        Some(json!({"code": text["code"]})),
        200,
    )
    .await
}

/// Sign in with username and password; returns the token awaiting a second factor.
pub async fn password_step(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
) -> Value {
    call(
        client,
        reqwest::Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": person.password})),
        200,
    )
    .await
}

/// Run the `secure-access` binary with `args` against the server's data directory and
/// database (as an operator at the console would); (success, stdout, stderr).
pub async fn cli(server: &TestServer, args: &[&str]) -> (bool, String, String) {
    let data_dir = server.config.data_dir.clone();
    let url = server.config.database_url();
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_secure-access"))
            .args(&args)
            .env("SA_DATA_DIR", data_dir)
            .env("SA_DATABASE_URL", url)
            .env_remove("SA_CONFIG")
            .env_remove("SA_KEYS_FILE")
            .output()
            .expect("run the binary");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    })
    .await
    .expect("binary task")
}

/// The metrics text, as an allowed client (loopback) reads it.
pub async fn scrape(server: &TestServer, client: &reqwest::Client) -> String {
    let answer = client.get(server.url("/metrics")).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let content_type = answer.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("text/plain") && content_type.contains("version=0.0.4"),
        "{content_type}"
    );
    answer.text().await.unwrap()
}
