//! Recovery through the JSON API, on SQLite and PostgreSQL: a forgotten password (the
//! second factor still asked afterwards), answers that reveal no username, reset floods,
//! the "this wasn't me" link of security emails (once, and only protecting), the account
//! reset that waits and can be cancelled, and the attackers each path must stop.

use reqwest::Method;
use serde_json::{Value, json};
use time::Duration;

use crate::common::applicant::*;
use crate::common::*;
use crate::on_both_databases;

/// The token of the "this wasn't me" link in a message body.
fn disavow_token(message: &Value) -> String {
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

async fn request_reset(
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

async fn confirm_reset(
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

async fn security_events(
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

/// A verified account (identity, financial account, then the phone, which becomes its
/// factor), on a server with the reference records loaded.
pub(crate) async fn verified_account(backend: Backend, person: &Person) -> TestServer {
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    load_records(&server).await;
    let client = api_client();
    let token = sign_up_to_proofing(&server, &client, person).await;
    through_financial(&server, &client, &token).await;
    let mark = server.settled_outbox_mark().await;
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
    let verified = step(
        &server,
        &client,
        &token,
        "/phone/confirm",
        Some(json!({"code": code})),
        200,
    )
    .await;
    assert_eq!(verified["result"], "verified");
    server
}

/// The recovery code in the newest letter of the outbox.
pub(crate) async fn newest_letter_code(server: &TestServer, count: usize) -> String {
    server.letters(count).await[count - 1]["code"]
        .as_str()
        .expect("letter code")
        .to_owned()
}

/// A verified account recovers with a code mailed to the address of record; the
/// password thief gets no waiting reset, and whoever holds the breach data (name, SSN,
/// birth date, address) cannot verify the identity again on another account.
async fn verified_account_recovers_by_mail(backend: Backend) {
    let person = Person::new("verified.owner");
    let server = verified_account(backend, &person).await;
    let client = api_client();

    let started = password_step(&server, &client, &person).await;
    let pending = started["session_token"].as_str().unwrap().to_owned();
    let refused = call(
        &client,
        Method::POST,
        server.url("/api/v1/account-resets"),
        Some(&pending),
        None,
        409,
    )
    .await;
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("help desk"),
        "{refused}"
    );

    let mark = server.settled_outbox_mark().await;
    let queued = call(
        &client,
        Method::POST,
        server.url("/api/v1/account-resets/letter"),
        Some(&pending),
        None,
        202,
    )
    .await;
    assert_eq!(queued["result"], "letter_queued");
    let told = server
        .messages_with("recovery_letter_requested", &person.email, 1)
        .await;
    disavow_token(&told[0]);
    let text = server.message_after(mark, OWN_MOBILE).await;
    assert_eq!(text["template"], "recovery_started");
    let code = newest_letter_code(&server, 1).await;
    // A second letter the same day is refused.
    call(
        &client,
        Method::POST,
        server.url("/api/v1/account-resets/letter"),
        Some(&pending),
        None,
        429,
    )
    .await;

    // Days later the letter arrives; the person signs in with the password again.
    server.clock.advance(Duration::days(6));
    let started = password_step(&server, &client, &person).await;
    let pending = started["session_token"].as_str().unwrap().to_owned();
    let wrong = call(
        &client,
        Method::POST,
        server.url("/api/v1/account-resets/letter/confirm"),
        Some(&pending),
        Some(json!({"code": "AAAA-BBBB-CCCC"})),
        401,
    )
    .await;
    assert_eq!(wrong["error"]["code"], "invalid_code");
    let done = call(
        &client,
        Method::POST,
        server.url("/api/v1/account-resets/letter/confirm"),
        Some(&pending),
        Some(json!({"code": code})),
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
    // The code worked once.
    call(
        &client,
        Method::POST,
        server.url("/api/v1/account-resets/letter/confirm"),
        Some(enrolling),
        Some(json!({"code": code})),
        409,
    )
    .await;

    // Breach-data holder: a new account cannot verify with the same identity.
    let impostor = Person::new("breach.holder");
    let other = sign_up_to_proofing(&server, &client, &impostor).await;
    let id = step(&server, &client, &other, "/identity", Some(identity()), 200).await;
    assert_ne!(id["next"], "proofing_financial_account", "{id}");
    server.finish().await;
}

/// A password thief asks for a recovery letter; the owner follows the link in the text
/// message, and the mailed code no longer works even if the thief gets the letter.
async fn owner_cancels_a_recovery_letter(backend: Backend) {
    let person = Person::new("watchful.owner");
    let server = verified_account(backend, &person).await;
    let client = api_client();
    let started = password_step(&server, &client, &person).await;
    let thief = started["session_token"].as_str().unwrap().to_owned();
    let mark = server.settled_outbox_mark().await;
    call(
        &client,
        Method::POST,
        server.url("/api/v1/account-resets/letter"),
        Some(&thief),
        None,
        202,
    )
    .await;
    let text = server.message_after(mark, OWN_MOBILE).await;
    let code = newest_letter_code(&server, 1).await;

    call(
        &client,
        Method::POST,
        server.url("/api/v1/account/disavow"),
        None,
        Some(json!({"token": disavow_token(&text)})),
        200,
    )
    .await;
    call(
        &client,
        Method::POST,
        server.url("/api/v1/account-resets/letter/confirm"),
        Some(&thief),
        Some(json!({"code": code})),
        401,
    )
    .await;
    // Even after the owner resets the password, the cancelled code stays dead.
    let mark = server.settled_outbox_mark().await;
    request_reset(&server, &client, &person.username, 202).await;
    let reset_code = server.code_after(mark, &person.email).await;
    confirm_reset(
        &server,
        &client,
        &person.username,
        &reset_code,
        "sapphire kettle orchard 3",
        200,
    )
    .await;
    let started = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": "sapphire kettle orchard 3"})),
        200,
    )
    .await;
    let pending = started["session_token"].as_str().unwrap();
    let dead = call(
        &client,
        Method::POST,
        server.url("/api/v1/account-resets/letter/confirm"),
        Some(pending),
        Some(json!({"code": code})),
        401,
    )
    .await;
    assert_eq!(dead["error"]["code"], "code_expired");
    server.finish().await;
}

/// A verified person who lost their phone proves their identity again online: the same
/// SSN, a financial account, then a phone in their name, which replaces every old
/// sign-in method. A password thief holding the breach data stops at the financial
/// account, and the owner was told when it started.
async fn verified_account_recovers_online(backend: Backend) {
    let person = Person::new("phone.lost");
    let server = verified_account(backend, &person).await;
    let client = api_client();
    let recovery = |path: &str| server.url(&format!("/api/v1/account-resets{path}"));

    // The thief: password and breach data, no financial account.
    let started = password_step(&server, &client, &person).await;
    let thief = started["session_token"].as_str().unwrap().to_owned();
    let mark = server.settled_outbox_mark().await;
    let id = call(
        &client,
        Method::POST,
        recovery("/identity"),
        Some(&thief),
        Some(identity()),
        200,
    )
    .await;
    assert_eq!(id["recovery_step"], "financial_account", "{id}");
    let told = server.message_after(mark, &person.email).await;
    assert_eq!(told["template"], "identity_recovery_started");
    let text = server.message_after(mark, OWN_MOBILE).await;
    assert_eq!(text["template"], "recovery_started");
    let out_of_order = call(
        &client,
        Method::POST,
        recovery("/phone"),
        Some(&thief),
        Some(json!({"phone": OWN_MOBILE})),
        409,
    )
    .await;
    assert_eq!(out_of_order["error"]["code"], "conflict");
    for guess in ["4111 1111 1111 1111", "5500 0000 0000 0004"] {
        let refused = call(
            &client,
            Method::POST,
            recovery("/financial-account"),
            Some(&thief),
            Some(json!({"kind": "credit_card", "account_number": guess})),
            200,
        )
        .await;
        assert_eq!(refused["result"], "not_matched");
    }

    // The owner, an hour later: a typo first, then all three steps.
    server.clock.advance(Duration::hours(2));
    let started = password_step(&server, &client, &person).await;
    let pending = started["session_token"].as_str().unwrap().to_owned();
    let mut typo = identity();
    typo["date_of_birth"] = json!("1980-04-16");
    let wrong = call(
        &client,
        Method::POST,
        recovery("/identity"),
        Some(&pending),
        Some(typo),
        200,
    )
    .await;
    assert_eq!(wrong["result"], "not_matched");
    call(
        &client,
        Method::POST,
        recovery("/identity"),
        Some(&pending),
        Some(identity()),
        200,
    )
    .await;
    let fin = call(
        &client,
        Method::POST,
        recovery("/financial-account"),
        Some(&pending),
        Some(json!({"kind": "credit_card", "account_number": CARD_LAST_8})),
        200,
    )
    .await;
    assert_eq!(fin["recovery_step"], "phone", "{fin}");
    let mark = server.settled_outbox_mark().await;
    let sent = call(
        &client,
        Method::POST,
        recovery("/phone"),
        Some(&pending),
        Some(json!({"phone": OWN_MOBILE})),
        200,
    )
    .await;
    assert_eq!(sent["result"], "code_sent", "{sent}");
    let code = server.code_after(mark, OWN_MOBILE).await;
    let done = call(
        &client,
        Method::POST,
        recovery("/phone/confirm"),
        Some(&pending),
        Some(json!({"code": code})),
        200,
    )
    .await;
    assert_eq!(done["next"], "done");
    let token = done["session_token"].as_str().unwrap();
    let factors = call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(token),
        None,
        200,
    )
    .await;
    let factors = factors.as_array().unwrap();
    assert_eq!(factors.len(), 1, "{factors:?}");
    assert_eq!(factors[0]["kind"], "sms");
    call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&thief),
        None,
        401,
    )
    .await;
    let events = security_events(&server, &client, token).await;
    assert!(
        events.contains(&"recovered_online".to_owned()),
        "{events:?}"
    );
    server.finish().await;
}

/// Guessing "this wasn't me" tokens from one address meets the per-IP limit; staff see
/// a disavowal on the account's page (and the password reset it waits for).
async fn disavow_guessing_is_limited_and_staff_see_it(backend: Backend) {
    let person = Person::new("staff.can.see");
    let server = verified_account(backend, &person).await;
    let client = api_client();
    request_reset(&server, &client, &person.username, 202).await;
    let notice = server
        .messages_with("password_reset", &person.email, 1)
        .await
        .pop()
        .unwrap();
    call(
        &client,
        Method::POST,
        server.url("/api/v1/account/disavow"),
        None,
        Some(json!({"token": disavow_token(&notice)})),
        200,
    )
    .await;

    let assistor =
        crate::common::staff::staff_member(&server, &client, "assistor.sees", &["help_desk"]).await;
    let found = call(
        &client,
        Method::GET,
        server.url(&format!(
            "/api/v1/staff/accounts?username={}",
            person.username
        )),
        Some(&assistor.token),
        None,
        200,
    )
    .await;
    let id = found["accounts"][0]["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let account = call(
        &client,
        Method::GET,
        server.url(&format!("/api/v1/staff/accounts/{id}")),
        Some(&assistor.token),
        None,
        200,
    )
    .await;
    assert_eq!(account["password_reset_required"], true, "{account}");
    assert_eq!(
        account["recovery_events"][0]["kind"], "disavowed",
        "{account}"
    );

    let mut limited = false;
    for n in 0..40 {
        let response = client
            .post(server.url("/api/v1/account/disavow"))
            .json(&json!({"token": format!("guessed-token-{n}")}))
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            assert!(response.headers().contains_key("retry-after"));
            limited = true;
            break;
        }
        assert_eq!(response.status(), 400);
    }
    assert!(limited, "guessing meets the per-IP limit");
    server.finish().await;
}

on_both_databases!(
    password_reset_keeps_the_second_factor,
    reset_answers_reveal_no_username,
    reset_floods_hit_their_limits,
    disavow_link_protects_once,
    account_reset_waits_and_the_owner_can_cancel,
    owner_cancels_an_account_reset,
    verified_account_recovers_by_mail,
    owner_cancels_a_recovery_letter,
    verified_account_recovers_online,
    disavow_guessing_is_limited_and_staff_see_it,
);
