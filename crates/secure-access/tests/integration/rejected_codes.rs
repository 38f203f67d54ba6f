//! Every way a sign-in can be refused gets a clear error and a line in the history:
//! wrong password, wrong code, replayed app code (also emailed to the holder), expired
//! SMS code, reused backup code.

use reqwest::Method;
use serde_json::json;

use crate::common::*;
use crate::on_both_databases;

async fn history(
    server: &TestServer,
    client: &reqwest::Client,
    token: &str,
) -> Vec<(String, String, Option<String>)> {
    let security = call(
        client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(token),
        None,
        200,
    )
    .await;
    security["recent_logins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["method"].as_str().unwrap().to_owned(),
                l["result"].as_str().unwrap().to_owned(),
                l["reason"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn entry(method: &str, result: &str, reason: Option<&str>) -> (String, String, Option<String>) {
    (
        method.to_owned(),
        result.to_owned(),
        reason.map(str::to_owned),
    )
}

async fn wrong_password_and_unknown_user_get_the_same_answer(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("same.answer");
    let (token, _) = account_with_totp(&server, &client, &person).await;
    let wrong = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": "not the right password"})),
        401,
    )
    .await;
    let unknown = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": "nobody.here", "password": "not the right password"})),
        401,
    )
    .await;
    assert_eq!(wrong, unknown);
    assert_eq!(wrong["error"]["code"], "invalid_credentials");
    assert_eq!(
        history(&server, &client, &token).await[0],
        entry("password", "failure", Some("wrong_password"))
    );
    server.finish().await;
}

async fn replayed_and_wrong_app_codes_are_refused_and_recorded(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("replay.app");
    let (_, secret) = account_with_totp(&server, &client, &person).await;

    let first = password_step(&server, &client, &person).await;
    let code = server.totp_now(&secret);
    let ok = second_factor(
        &server,
        &client,
        first["session_token"].as_str().unwrap(),
        "totp",
        &code,
        200,
    )
    .await;
    let signed_in = ok["session_token"].as_str().unwrap().to_owned();

    // An attacker who saw that code replays it within its 30 seconds.
    let second = password_step(&server, &client, &person).await;
    let pending = second["session_token"].as_str().unwrap();
    let replay = second_factor(&server, &client, pending, "totp", &code, 401).await;
    assert_eq!(replay["error"]["code"], "code_already_used");
    assert!(
        replay["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already used")
    );
    // The previous step's code (still inside the ±1 window) is a replay too.
    let older = second_factor(
        &server,
        &client,
        pending,
        "totp",
        &server.totp_at(&secret, -1),
        401,
    )
    .await;
    assert_eq!(older["error"]["code"], "code_already_used");
    let wrong = second_factor(&server, &client, pending, "totp", "000000", 401).await;
    assert_eq!(wrong["error"]["code"], "invalid_code");
    assert_eq!(wrong["error"]["field"], "code");
    let typo = second_factor(&server, &client, pending, "totp", "12345", 401).await;
    assert_eq!(typo["error"]["code"], "invalid_code");

    let recorded = history(&server, &client, &signed_in).await;
    assert_eq!(
        recorded[..5],
        [
            entry("totp", "failure", Some("wrong_code")),
            entry("totp", "failure", Some("wrong_code")),
            entry("totp", "failure", Some("code_replayed")),
            entry("totp", "failure", Some("code_replayed")),
            entry("totp", "success", None),
        ]
    );
    // The holder is told (ASVS 2.8.5), once for the two replays, by email and in the
    // security history.
    server.settled_outbox_mark().await;
    let told: Vec<_> = server
        .outbox()
        .into_iter()
        .filter(|m| m["template"] == "app_code_replayed")
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["to"], person.email.as_str());
    let security = call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(&signed_in),
        None,
        200,
    )
    .await;
    assert!(
        security.to_string().contains("app_code_replayed"),
        "{security}"
    );
    server.finish().await;
}

async fn expired_and_reused_sms_codes_are_refused_and_recorded(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("sms.person");
    let token = sign_up_confirmed(&server, &client, &person).await;
    let confirmed = add_confirmed_phone(&server, &client, &token, "+12025550143").await;
    let factor_id = confirmed["factor_id"].as_str().unwrap().to_owned();
    let signed_in = confirmed["session_token"].as_str().unwrap().to_owned();

    // Sign in: ask for a code, let it expire (10 minutes), then try it.
    let started = password_step(&server, &client, &person).await;
    assert_eq!(started["methods"], json!(["sms"]));
    let pending = started["session_token"].as_str().unwrap().to_owned();
    let mark = server.outbox_mark();
    let sent = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions/sms"),
        Some(&pending),
        None,
        202,
    )
    .await;
    assert_eq!(sent["result"], "code_sent");
    let code = server.code_after(mark, "+12025550143").await;
    server
        .clock
        .advance(time::Duration::minutes(10) + time::Duration::seconds(1));
    // Sign in again (a fresh session) and try the stale code.
    let started = password_step(&server, &client, &person).await;
    let pending = started["session_token"].as_str().unwrap().to_owned();
    let expired = second_factor(&server, &client, &pending, "sms", &code, 401).await;
    assert_eq!(expired["error"]["code"], "code_expired");

    // A fresh code works once; the second use is refused as reused.
    let mark = server.outbox_mark();
    call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions/sms"),
        Some(&pending),
        Some(json!({"factor_id": &factor_id})),
        202,
    )
    .await;
    let code = server.code_after(mark, "+12025550143").await;
    second_factor(&server, &client, &pending, "sms", &code, 200).await;
    let again = password_step(&server, &client, &person).await;
    let reused = second_factor(
        &server,
        &client,
        again["session_token"].as_str().unwrap(),
        "sms",
        &code,
        401,
    )
    .await;
    assert_eq!(reused["error"]["code"], "code_already_used");

    // The first session was idle 10 minutes: still inside the 15-minute idle limit.
    let recorded = history(&server, &client, &signed_in).await;
    assert!(
        recorded.contains(&entry("sms", "failure", Some("code_expired"))),
        "{recorded:?}"
    );
    assert!(
        recorded.contains(&entry("sms", "failure", Some("code_already_used"))),
        "{recorded:?}"
    );
    server.finish().await;
}

async fn backup_codes_work_once_each(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("backup.person");
    let token = sign_up_confirmed(&server, &client, &person).await;
    let created = call(
        &client,
        Method::POST,
        server.url("/api/v1/factors/backup-codes"),
        Some(&token),
        None,
        201,
    )
    .await;
    let codes: Vec<String> = created["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    assert_eq!(created["next"], "done");
    let signed_in = created["session_token"].as_str().unwrap().to_owned();

    let started = password_step(&server, &client, &person).await;
    assert_eq!(started["methods"], json!(["backup_code"]));
    let pending = started["session_token"].as_str().unwrap();
    // Typed loosely: lower case, spaces instead of dashes.
    let typed = codes[0].to_lowercase().replace('-', " ");
    second_factor(&server, &client, pending, "backup_code", &typed, 200).await;

    let again = password_step(&server, &client, &person).await;
    let pending = again["session_token"].as_str().unwrap();
    let reused = second_factor(&server, &client, pending, "backup_code", &codes[0], 401).await;
    assert_eq!(reused["error"]["code"], "code_already_used");
    let made_up = second_factor(
        &server,
        &client,
        pending,
        "backup_code",
        "ABCD-EFGH-JKMN",
        401,
    )
    .await;
    assert_eq!(made_up["error"]["code"], "invalid_code");
    second_factor(&server, &client, pending, "backup_code", &codes[1], 200).await;

    let factors = call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&signed_in),
        None,
        200,
    )
    .await;
    assert_eq!(factors[0]["codes_left"], 8);
    let recorded = history(&server, &client, &signed_in).await;
    assert!(recorded.contains(&entry("backup_code", "failure", Some("code_already_used"))));
    server.finish().await;
}

on_both_databases!(
    wrong_password_and_unknown_user_get_the_same_answer,
    replayed_and_wrong_app_codes_are_refused_and_recorded,
    expired_and_reused_sms_codes_are_refused_and_recorded,
    backup_codes_work_once_each,
);
