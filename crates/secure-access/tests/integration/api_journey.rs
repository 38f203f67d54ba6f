//! The first complete journey through the JSON API: sign up, confirm email, enrol an
//! authenticator app, sign out, sign in with password + app code, see the sign-in.

use reqwest::Method;
use serde_json::json;

use crate::common::*;
use crate::on_both_databases;

async fn signs_up_enrols_an_app_and_signs_in_with_it(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("journey.api");

    let mark = server.outbox_mark();
    let created = call(
        &client,
        Method::POST,
        server.url("/api/v1/accounts"),
        None,
        Some(json!({"username": person.username, "email": person.email, "password": person.password})),
        201,
    )
    .await;
    assert_eq!(created["next"], "confirm_email");
    assert!(
        created["account_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    let token = created["session_token"].as_str().unwrap().to_owned();

    // The confirmation email is in the dev outbox, as the API contract describes.
    let email = server.message_after(mark, &person.email).await;
    assert_eq!(email["channel"], "email");
    assert_eq!(email["template"], "email_confirmation");
    let code = email["code"].as_str().unwrap();
    assert!(email["body"].as_str().unwrap().contains(code));

    // Nothing but email confirmation and factor set-up is open to this session yet.
    call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(&token),
        None,
        409,
    )
    .await;

    let confirmed = call(
        &client,
        Method::POST,
        server.url("/api/v1/accounts/email/confirm"),
        Some(&token),
        Some(json!({"code": code})),
        200,
    )
    .await;
    assert_eq!(confirmed["next"], "setup_second_factor");

    let begun = call(
        &client,
        Method::POST,
        server.url("/api/v1/factors/totp"),
        Some(&token),
        Some(json!({"label": "My phone"})),
        201,
    )
    .await;
    let secret = begun["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 32, "160-bit secret in base32");
    let uri = begun["otpauth_uri"].as_str().unwrap();
    assert!(
        uri.starts_with("otpauth://totp/")
            && uri.contains(&secret)
            && uri.contains("issuer=Secure%20Access"),
        "{uri}"
    );
    assert!(
        begun["qr_svg"].as_str().unwrap().starts_with("<?xml")
            || begun["qr_svg"].as_str().unwrap().contains("<svg")
    );
    let factor_id = begun["factor_id"].as_str().unwrap();

    // Not active until confirmed.
    let factors = call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&token),
        None,
        200,
    )
    .await;
    assert_eq!(factors.as_array().unwrap().len(), 0);

    let done = call(
        &client,
        Method::POST,
        server.url(&format!("/api/v1/factors/totp/{factor_id}/confirm")),
        Some(&token),
        Some(json!({"code": server.totp_now(&secret)})),
        200,
    )
    .await;
    assert_eq!(done["next"], "done");
    let full = done["session_token"]
        .as_str()
        .expect("first factor elevates the session")
        .to_owned();
    // The enrolling token was replaced.
    call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&token),
        None,
        401,
    )
    .await;
    let factors = call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&full),
        None,
        200,
    )
    .await;
    assert_eq!(factors[0]["kind"], "totp");
    assert_eq!(factors[0]["label"], "My phone");

    call(
        &client,
        Method::DELETE,
        server.url("/api/v1/sessions"),
        Some(&full),
        None,
        204,
    )
    .await;
    call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&full),
        None,
        401,
    )
    .await;

    server.clock.advance(time::Duration::minutes(5));
    let started = password_step(&server, &client, &person).await;
    assert_eq!(started["next"], "second_factor");
    assert_eq!(started["methods"], json!(["totp"]));
    let pending = started["session_token"].as_str().unwrap().to_owned();
    call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(&pending),
        None,
        409,
    )
    .await;

    let verified = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions/second-factor"),
        Some(&pending),
        Some(json!({"method": "totp", "code": server.totp_now(&secret)})),
        200,
    )
    .await;
    assert_eq!(verified["next"], "done");
    assert_eq!(
        verified["assurance"],
        json!({"ial": 1, "aal": 2, "phishing_resistant": false})
    );
    let signed_in = verified["session_token"].as_str().unwrap().to_owned();
    assert_ne!(signed_in, pending, "a new token at the privilege change");
    call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&pending),
        None,
        401,
    )
    .await;

    let security = call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(&signed_in),
        None,
        200,
    )
    .await;
    let latest = &security["recent_logins"][0];
    assert_eq!(latest["method"], "totp");
    assert_eq!(latest["result"], "success");
    assert_eq!(latest["ip"], "127.0.0.1");
    assert_eq!(latest["user_agent"], "sa-tests/1.0 (api)");
    assert_eq!(latest["at"], "2026-03-02T15:05:00Z");
    let kinds: Vec<&str> = security["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["factor_added", "email_confirmed", "account_created"],
        "newest first"
    );

    // The factor change was announced by email (once every queued message is delivered).
    server.settled_outbox_mark().await;
    let notices: Vec<_> = server
        .outbox()
        .into_iter()
        .filter(|m| m["template"] == "factor_changed")
        .collect();
    assert_eq!(notices.len(), 1);
    server.finish().await;
}

async fn usernames_are_unique_regardless_of_case(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("Pat.Example");
    sign_up_confirmed(&server, &client, &person).await;
    let again = call(
        &client,
        Method::POST,
        server.url("/api/v1/accounts"),
        None,
        Some(json!({"username": "pat.example", "email": "other@example.test", "password": "copper violin autumn river"})),
        409,
    )
    .await;
    assert_eq!(again["error"]["code"], "username_taken");
    assert_eq!(again["error"]["field"], "username");
    server.finish().await;
}

on_both_databases!(
    signs_up_enrols_an_app_and_signs_in_with_it,
    usernames_are_unique_regardless_of_case
);
