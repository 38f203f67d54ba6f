//! Recovery through the JSON API, on SQLite and PostgreSQL: a forgotten password (the
//! second factor still asked afterwards), answers that reveal no username, reset floods,
//! the "this wasn't me" link of security emails (once, and only protecting), the account
//! reset that waits and can be cancelled, and the attackers each path must stop.

use reqwest::Method;
use serde_json::{Value, json};
use time::Duration;

use crate::common::*;
use crate::on_both_databases;

/// The token of the "this wasn't me" link in a message body.
pub(crate) fn disavow_token(message: &Value) -> String {
    let body = message["body"].as_str().expect("body");
    let start = body
        .find("/account/disavow?token=")
        .unwrap_or_else(|| panic!("no disavow link in {body}"))
        + "/account/disavow?token=".len();
    body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

pub(crate) async fn request_reset(
    server: &TestServer,
    client: &reqwest::Client,
    username: &str,
    status: u16,
) -> Value {
    call(
        client,
        Method::POST,
        server.url("/api/v1/password-resets"),
        None,
        Some(json!({"username": username})),
        status,
    )
    .await
}

pub(crate) async fn confirm_reset(
    server: &TestServer,
    client: &reqwest::Client,
    username: &str,
    code: &str,
    password: &str,
    status: u16,
) -> Value {
    call(
        client,
        Method::POST,
        server.url("/api/v1/password-resets/confirm"),
        None,
        Some(json!({"username": username, "code": code, "password": password})),
        status,
    )
    .await
}

pub(crate) async fn security_events(
    server: &TestServer,
    client: &reqwest::Client,
    token: &str,
) -> Vec<String> {
    let overview = call(
        client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(token),
        None,
        200,
    )
    .await;
    overview["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn password_reset_keeps_the_second_factor(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("forgetful.filer");
    let (old_session, secret) = account_with_totp(&server, &client, &person).await;

    let mark = server.settled_outbox_mark().await;
    let asked = request_reset(&server, &client, &person.username, 202).await;
    assert_eq!(asked["result"], "requested");
    let email = server.message_after(mark, &person.email).await;
    assert_eq!(email["template"], "password_reset");
    let code = email["code"].as_str().expect("code").to_owned();

    // A wrong code, then a weak password with the right code: both refused, code kept.
    let wrong = confirm_reset(
        &server,
        &client,
        &person.username,
        "000000",
        "a sturdy new passphrase",
        400,
    )
    .await;
    assert_eq!(wrong["error"]["code"], "invalid_code");
    let weak = confirm_reset(&server, &client, &person.username, &code, "short", 400).await;
    assert_eq!(weak["error"]["field"], "password");

    let new_password = "copper lantern meadow 42";
    let mark = server.settled_outbox_mark().await;
    let done = confirm_reset(&server, &client, &person.username, &code, new_password, 200).await;
    assert_eq!(done["result"], "password_reset");
    let told = server.message_after(mark, &person.email).await;
    assert_eq!(told["template"], "password_reset_done");
    disavow_token(&told);

    // The code works once; every session ended; the old password is gone.
    let reused = confirm_reset(
        &server,
        &client,
        &person.username,
        &code,
        "another fine passphrase",
        400,
    )
    .await;
    assert_eq!(reused["error"]["code"], "invalid_code");
    call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(&old_session),
        None,
        401,
    )
    .await;
    call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": person.password})),
        401,
    )
    .await;

    // The mailbox alone opens nothing: the new password still leads to the second factor.
    let started = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": new_password})),
        200,
    )
    .await;
    assert_eq!(started["next"], "second_factor");
    let pending = started["session_token"].as_str().expect("token");
    call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(pending),
        None,
        409,
    )
    .await;
    server.next_totp_step();
    let verified = second_factor(
        &server,
        &client,
        pending,
        "totp",
        &server.totp_now(&secret),
        200,
    )
    .await;
    assert_eq!(verified["next"], "done");
    let token = verified["session_token"].as_str().expect("token");
    let events = security_events(&server, &client, token).await;
    assert!(events.contains(&"password_reset".to_owned()), "{events:?}");
    server.finish().await;
}

async fn reset_answers_reveal_no_username(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("real.person");
    account_with_totp(&server, &client, &person).await;

    let known = request_reset(&server, &client, &person.username, 202).await;
    let unknown = request_reset(&server, &client, "nobody.here", 202).await;
    assert_eq!(known, unknown);

    let known = confirm_reset(
        &server,
        &client,
        &person.username,
        "123456",
        "a sturdy new passphrase",
        400,
    )
    .await;
    let unknown = confirm_reset(
        &server,
        &client,
        "nobody.here",
        "123456",
        "a sturdy new passphrase",
        400,
    )
    .await;
    assert_eq!(known, unknown);
    // Without any code requested, the answer is the same again.
    let never = confirm_reset(
        &server,
        &client,
        "never.asked",
        "123456",
        "a sturdy new passphrase",
        400,
    )
    .await;
    assert_eq!(known, never);
    server.finish().await;
}

async fn reset_floods_hit_their_limits(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("flooded.filer");
    account_with_totp(&server, &client, &person).await;

    // Per username, existing or not: five requests an hour, then 429 with Retry-After.
    for username in [person.username.as_str(), "nobody.at.all"] {
        for _ in 0..5 {
            request_reset(&server, &client, username, 202).await;
        }
        let response = client
            .post(server.url("/api/v1/password-resets"))
            .json(&json!({"username": username}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 429);
        assert!(response.headers().contains_key("retry-after"));
    }
    assert_eq!(
        server
            .messages_with("password_reset", &person.email, 5)
            .await
            .len(),
        5
    );

    // Per code: five tries, then even the right code is refused.
    server.clock.advance(Duration::hours(1));
    let mark = server.settled_outbox_mark().await;
    request_reset(&server, &client, &person.username, 202).await;
    let code = server.code_after(mark, &person.email).await;
    for guess in ["111111", "222222", "333333", "444444", "555555"] {
        if guess != code {
            confirm_reset(
                &server,
                &client,
                &person.username,
                guess,
                "a sturdy new passphrase",
                400,
            )
            .await;
        }
    }
    confirm_reset(
        &server,
        &client,
        &person.username,
        &code,
        "a sturdy new passphrase",
        400,
    )
    .await;

    // Expiry: a code older than 15 minutes is refused.
    server.clock.advance(Duration::hours(1));
    let mark = server.settled_outbox_mark().await;
    request_reset(&server, &client, &person.username, 202).await;
    let code = server.code_after(mark, &person.email).await;
    server.clock.advance(Duration::minutes(16));
    confirm_reset(
        &server,
        &client,
        &person.username,
        &code,
        "a sturdy new passphrase",
        400,
    )
    .await;
    server.finish().await;
}

async fn disavow_link_protects_once(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("careful.owner");
    let (token, secret) = account_with_totp(&server, &client, &person).await;
    add_confirmed_phone(&server, &client, &token, "+12025550147").await;
    let notice = server
        .messages_with("factor_changed", &person.email, 2)
        .await
        .pop()
        .expect("factor notice");
    let link = disavow_token(&notice);

    let protected = call(
        &client,
        Method::POST,
        server.url("/api/v1/account/disavow"),
        None,
        Some(json!({"token": link})),
        200,
    )
    .await;
    assert_eq!(protected["result"], "protected");
    // Every session ended; the password alone no longer signs in.
    call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(&token),
        None,
        401,
    )
    .await;
    let refused = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": person.password})),
        403,
    )
    .await;
    assert_eq!(refused["error"]["code"], "password_reset_required");

    // Once only; made-up and expired links do nothing.
    let again = call(
        &client,
        Method::POST,
        server.url("/api/v1/account/disavow"),
        None,
        Some(json!({"token": link})),
        409,
    )
    .await;
    assert_eq!(again["error"]["code"], "token_already_used");
    let made_up = call(
        &client,
        Method::POST,
        server.url("/api/v1/account/disavow"),
        None,
        Some(json!({"token": "made-up-token"})),
        400,
    )
    .await;
    assert_eq!(made_up["error"]["code"], "invalid_token");

    // A reset lifts the block; the second factor is still asked, and the history says why.
    let mark = server.settled_outbox_mark().await;
    request_reset(&server, &client, &person.username, 202).await;
    let email = server.message_after(mark, &person.email).await;
    let code = email["code"].as_str().expect("code").to_owned();
    let later_link = disavow_token(&email);
    confirm_reset(
        &server,
        &client,
        &person.username,
        &code,
        "brand new passphrase 7",
        200,
    )
    .await;
    let started = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": "brand new passphrase 7"})),
        200,
    )
    .await;
    assert_eq!(started["next"], "second_factor");
    server.next_totp_step();
    let verified = second_factor(
        &server,
        &client,
        started["session_token"].as_str().unwrap(),
        "totp",
        &server.totp_now(&secret),
        200,
    )
    .await;
    let events = security_events(
        &server,
        &client,
        verified["session_token"].as_str().unwrap(),
    )
    .await;
    assert!(events.contains(&"disavowed".to_owned()), "{events:?}");

    server.clock.advance(Duration::days(8));
    let expired = call(
        &client,
        Method::POST,
        server.url("/api/v1/account/disavow"),
        None,
        Some(json!({"token": later_link})),
        400,
    )
    .await;
    assert_eq!(expired["error"]["code"], "invalid_token");
    server.finish().await;
}

async fn account_reset_waits_and_the_owner_can_cancel(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("lost.phone");
    let (token, secret) = account_with_totp(&server, &client, &person).await;
    let phone = "+12025550148";
    add_confirmed_phone(&server, &client, &token, phone).await;

    // Password, then "I can't use my sign-in methods".
    let started = password_step(&server, &client, &person).await;
    let pending = started["session_token"].as_str().unwrap().to_owned();
    let mark = server.settled_outbox_mark().await;
    let reset = call(
        &client,
        Method::POST,
        server.url("/api/v1/account-resets"),
        Some(&pending),
        None,
        202,
    )
    .await;
    assert_eq!(reset["state"], "waiting");
    let email = server.message_after(mark, &person.email).await;
    assert_eq!(email["template"], "account_reset_started");
    let text = server.message_after(mark, phone).await;
    assert_eq!(text["template"], "account_reset_started");
    assert_eq!(disavow_token(&email), disavow_token(&text));

    let early = call(
        &client,
        Method::POST,
        server.url("/api/v1/account-resets/complete"),
        Some(&pending),
        None,
        409,
    )
    .await;
    assert_eq!(early["error"]["code"], "not_ready");

    // A day later the person signs in again with the password and finishes.
    server
        .clock
        .advance(Duration::hours(24) + Duration::minutes(1));
    let started = password_step(&server, &client, &person).await;
    let pending = started["session_token"].as_str().unwrap().to_owned();
    let state = call(
        &client,
        Method::GET,
        server.url("/api/v1/account-resets"),
        Some(&pending),
        None,
        200,
    )
    .await;
    assert_eq!(state["state"], "ready");
    let done = call(
        &client,
        Method::POST,
        server.url("/api/v1/account-resets/complete"),
        Some(&pending),
        None,
        200,
    )
    .await;
    assert_eq!(done["next"], "setup_second_factor");
    let enrolling = done["session_token"].as_str().unwrap();
    let factors = call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(enrolling),
        None,
        200,
    )
    .await;
    assert_eq!(factors.as_array().map(Vec::len), Some(0), "{factors}");
    // The old app no longer works anywhere.
    call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(&pending),
        None,
        401,
    )
    .await;
    let _ = secret;

    // Second run: the owner cancels from the text message's link.
    let started = password_step(&server, &client, &person).await;
    let enrolling_again = started["session_token"].as_str().unwrap().to_owned();
    assert_eq!(started["next"], "setup_second_factor");
    let again = call(
        &client,
        Method::POST,
        server.url("/api/v1/account-resets"),
        Some(&enrolling_again),
        None,
        409,
    )
    .await;
    assert_eq!(again["error"]["code"], "conflict");
    server.finish().await;
}

async fn owner_cancels_an_account_reset(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("alert.owner");
    let (token, _secret) = account_with_totp(&server, &client, &person).await;
    let phone = "+12025550149";
    add_confirmed_phone(&server, &client, &token, phone).await;

    // A password thief starts a reset...
    let started = password_step(&server, &client, &person).await;
    let thief = started["session_token"].as_str().unwrap().to_owned();
    let mark = server.settled_outbox_mark().await;
    call(
        &client,
        Method::POST,
        server.url("/api/v1/account-resets"),
        Some(&thief),
        None,
        202,
    )
    .await;
    let text = server.message_after(mark, phone).await;

    // ...the owner follows the link in the text message...
    call(
        &client,
        Method::POST,
        server.url("/api/v1/account/disavow"),
        None,
        Some(json!({"token": disavow_token(&text)})),
        200,
    )
    .await;

    // ...and a day later the thief has nothing: no session, no password, no reset.
    server.clock.advance(Duration::hours(25));
    call(
        &client,
        Method::POST,
        server.url("/api/v1/account-resets/complete"),
        Some(&thief),
        None,
        401,
    )
    .await;
    let refused = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": person.password})),
        403,
    )
    .await;
    assert_eq!(refused["error"]["code"], "password_reset_required");
    server.finish().await;
}

on_both_databases!(
    password_reset_keeps_the_second_factor,
    reset_answers_reveal_no_username,
    reset_floods_hit_their_limits,
    disavow_link_protects_once,
    account_reset_waits_and_the_owner_can_cancel,
    owner_cancels_an_account_reset,
);
