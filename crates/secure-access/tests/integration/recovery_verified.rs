//! Recovery of an account with a verified identity, through the JSON API on SQLite and
//! PostgreSQL: no waiting reset for a password thief; a code mailed to the address of
//! record; verifying again online (the same SSN, a financial account, a phone in the
//! person's name); the owner stopping either with "this wasn't me"; what staff see;
//! and the breach-data holder who gets nowhere.

use reqwest::Method;
use serde_json::json;
use time::Duration;

use crate::common::applicant::*;
use crate::common::*;
use crate::on_both_databases;
use crate::recovery::{confirm_reset, disavow_token, request_reset, security_events};

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
    // A first code that never arrives: the person asks again; the first try's phone
    // is replaced, not left behind.
    call(
        &client,
        Method::POST,
        recovery("/phone"),
        Some(&pending),
        Some(json!({"phone": OWN_MOBILE})),
        200,
    )
    .await;
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
    verified_account_recovers_by_mail,
    owner_cancels_a_recovery_letter,
    verified_account_recovers_online,
    disavow_guessing_is_limited_and_staff_see_it,
);
