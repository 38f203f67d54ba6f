//! Logs never hold secrets or personal data: everything the server logs during a full
//! journey (JSON format, as in production) is captured and searched for the password,
//! email address, phone number, codes, tokens and the authenticator secret.

use reqwest::Method;
use serde_json::json;
use std::io::Write;
use std::sync::{Mutex, OnceLock};

use crate::common::*;
use crate::on_both_databases;

static CAPTURED: OnceLock<Mutex<Vec<u8>>> = OnceLock::new();

struct Capture;

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        CAPTURED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Send every log line of this test process (all levels) to the capture buffer.
fn capture_logs() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let subscriber = tracing_subscriber::fmt()
            .json()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(|| Capture)
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}

fn captured() -> String {
    String::from_utf8_lossy(
        &CAPTURED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner()),
    )
    .into_owned()
}

async fn a_full_journey_leaves_no_secret_in_the_logs(backend: Backend) {
    capture_logs();
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("quiet.logs");
    let mut secrets = vec![person.password.clone(), person.email.clone()];

    let (token, secret) = account_with_totp(&server, &client, &person).await;
    secrets.push(token.clone());
    secrets.push(secret.clone());
    secrets.extend(
        server
            .outbox()
            .iter()
            .filter_map(|m| m["code"].as_str().map(str::to_owned)),
    );

    add_confirmed_phone(&server, &client, &token, "+12025550177").await;
    let texted = server
        .messages_with("phone_enrolment", "+12025550177", 1)
        .await;
    secrets.extend([
        "+12025550177".to_owned(),
        "2025550177".to_owned(),
        texted[0]["code"].as_str().unwrap().to_owned(),
    ]);
    let backup = call(
        &client,
        Method::POST,
        server.url("/api/v1/factors/backup-codes"),
        Some(&token),
        None,
        201,
    )
    .await;
    secrets.extend(
        backup["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned()),
    );

    call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": "a wrong guess here"})),
        401,
    )
    .await;
    secrets.push("a wrong guess here".to_owned());
    let started = password_step(&server, &client, &person).await;
    let pending = started["session_token"].as_str().unwrap().to_owned();
    let app_code = server.totp_now(&secret);
    let verified = second_factor(&server, &client, &pending, "totp", &app_code, 200).await;
    secrets.extend([
        pending,
        app_code,
        verified["session_token"].as_str().unwrap().to_owned(),
    ]);
    server
        .messages_with("new_device_sign_in", &person.email, 0)
        .await;
    server.finish().await;

    let logs = captured();
    assert!(
        logs.contains("\"path\":\"/api/v1/sessions\""),
        "requests are logged (capture works)"
    );
    assert!(
        logs.contains("email_confirmation"),
        "delivery is logged by template"
    );
    for secret in &secrets {
        assert!(
            !contains_standalone(&logs, secret),
            "the logs contain a secret or personal value ({} chars)",
            secret.len()
        );
    }
}

async fn proofing_leaves_no_personal_data_in_the_logs(backend: Backend) {
    use crate::common::applicant::*;
    capture_logs();
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    load_records(&server).await;
    let client = api_client();
    let mut secrets: Vec<String> = [
        SSN,
        "900123456",
        "1980-04-15",
        "123 Example",
        "Example Street",
        "Testperson",
        "Roberta",
        "4000 1234 5678 9010",
        "4000123456789010",
        CARD_LAST_8,
        MORTGAGE,
        "7700123456",
        OWN_MOBILE,
        SPOUSE_MOBILE,
        BUSINESS_MOBILE,
        "2025550143",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();

    // A failed identity, an online pass, and a letter for a second account.
    let online = Person::new("logs.online");
    let token = sign_up_to_proofing(&server, &client, &online).await;
    let mut wrong = identity();
    wrong["date_of_birth"] = json!("1981-05-16");
    step(&server, &client, &token, "/identity", Some(wrong), 200).await;
    secrets.push("1981-05-16".to_owned());
    through_financial(&server, &client, &token).await;
    step(
        &server,
        &client,
        &token,
        "/phone",
        Some(json!({"phone": SPOUSE_MOBILE})),
        200,
    )
    .await;
    let mark = server.outbox_mark();
    step(
        &server,
        &client,
        &token,
        "/phone",
        Some(json!({"phone": OWN_MOBILE})),
        200,
    )
    .await;
    let code = server.code_after(mark, OWN_MOBILE).await;
    step(
        &server,
        &client,
        &token,
        "/phone/confirm",
        Some(json!({"code": code})),
        200,
    )
    .await;
    secrets.push(code);

    let mailed = Person::new("logs.mail");
    let token = sign_up_to_proofing(&server, &client, &mailed).await;
    step(&server, &client, &token, "/identity", Some(identity()), 200).await;
    server.finish().await;

    let logs = captured();
    assert!(
        logs.contains("\"path\":\"/api/v1/proofing/identity\""),
        "requests are logged"
    );
    for secret in &secrets {
        assert!(
            !contains_standalone(&logs, secret),
            "the logs contain personal data ({} chars)",
            secret.len()
        );
    }
}

/// Whether `needle` occurs in `haystack` not embedded in a longer run of letters or
/// digits (a 6-digit code may legitimately appear inside a timestamp's digits).
fn contains_standalone(haystack: &str, needle: &str) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + needle.len()..].chars().next();
        !is_word(before) && !is_word(after)
    })
}

#[test]
fn standalone_matching_ignores_digits_inside_longer_numbers() {
    assert!(contains_standalone(r#"{"code":"123456"}"#, "123456"));
    assert!(!contains_standalone(
        "2026-03-02T15:00:00.123456789Z",
        "123456"
    ));
}

on_both_databases!(
    a_full_journey_leaves_no_secret_in_the_logs,
    proofing_leaves_no_personal_data_in_the_logs
);
