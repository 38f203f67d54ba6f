//! Changing sign-in methods: a fresh second factor is needed to remove one, the last one
//! cannot go, nobody can touch another account's factors, and every change (and every
//! sign-in from a new device) is emailed and listed.

use reqwest::Method;
use serde_json::json;

use crate::common::*;
use crate::on_both_databases;

async fn removing_a_factor_needs_a_fresh_second_factor_and_never_the_last(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("careful.person");
    let (token, secret) = account_with_totp(&server, &client, &person).await;
    let backup = call(
        &client,
        Method::POST,
        server.url("/api/v1/factors/backup-codes"),
        Some(&token),
        None,
        201,
    )
    .await;
    let backup_id = backup["factor_id"].as_str().unwrap().to_owned();
    assert!(
        backup.get("session_token").is_none(),
        "not a privilege change for a signed-in session"
    );
    let factors = call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&token),
        None,
        200,
    )
    .await;
    let totp_id = factors
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "totp")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // 16 minutes after the second factor (kept alive in between): too long ago.
    server.clock.advance(time::Duration::minutes(10));
    call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&token),
        None,
        200,
    )
    .await;
    server.clock.advance(time::Duration::minutes(6));
    let stale = call(
        &client,
        Method::DELETE,
        server.url(&format!("/api/v1/factors/{backup_id}")),
        Some(&token),
        None,
        403,
    )
    .await;
    assert_eq!(stale["error"]["code"], "reauthentication_required");
    assert_eq!(stale["error"]["next"], "second_factor");

    let fresh = second_factor(
        &server,
        &client,
        &token,
        "totp",
        &server.totp_now(&secret),
        200,
    )
    .await;
    let token = fresh["session_token"].as_str().unwrap().to_owned();
    call(
        &client,
        Method::DELETE,
        server.url(&format!("/api/v1/factors/{backup_id}")),
        Some(&token),
        None,
        204,
    )
    .await;
    let last = call(
        &client,
        Method::DELETE,
        server.url(&format!("/api/v1/factors/{totp_id}")),
        Some(&token),
        None,
        409,
    )
    .await;
    assert!(
        last["error"]["message"]
            .as_str()
            .unwrap()
            .contains("only sign-in method")
    );

    let security = call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(&token),
        None,
        200,
    )
    .await;
    assert_eq!(security["events"][0]["kind"], "factor_removed");
    assert_eq!(security["events"][0]["detail"], "Backup codes removed");
    let emails = server
        .messages_with("factor_changed", &person.email, 3)
        .await;
    assert_eq!(
        emails.len(),
        3,
        "app added, backup codes added, backup codes removed"
    );
    server.finish().await;
}

async fn another_accounts_factor_is_not_found(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let (victim, _) = account_with_totp(&server, &client, &Person::new("victim.person")).await;
    let victim_factor = call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&victim),
        None,
        200,
    )
    .await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (attacker, _) = account_with_totp(&server, &client, &Person::new("attacker.person")).await;
    call(
        &client,
        Method::DELETE,
        server.url(&format!("/api/v1/factors/{victim_factor}")),
        Some(&attacker),
        None,
        404,
    )
    .await;
    call(
        &client,
        Method::POST,
        server.url(&format!("/api/v1/factors/totp/{victim_factor}/confirm")),
        Some(&attacker),
        Some(json!({"code": "123456"})),
        404,
    )
    .await;
    let still = call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&victim),
        None,
        200,
    )
    .await;
    assert_eq!(still.as_array().unwrap().len(), 1);
    server.finish().await;
}

async fn a_sign_in_from_a_new_device_is_emailed_once(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("traveller");
    let (_, secret) = account_with_totp(&server, &client, &person).await;
    let new_device = reqwest::Client::builder()
        .user_agent("Other Browser/9.0 (Tablet)")
        .build()
        .unwrap();
    for round in 0..2 {
        sign_in_with_app(&server, &new_device, &person, &secret).await;
        server.clock.advance(time::Duration::seconds(30));
        let notices = server
            .messages_with("new_device_sign_in", &person.email, 1)
            .await;
        assert_eq!(notices.len(), 1, "round {round}");
        assert!(
            notices[0]["body"]
                .as_str()
                .unwrap()
                .contains("Other Browser/9.0")
        );
    }
    // A message sent after the second sign-in has arrived, so a second notice would have too.
    let token = sign_in_with_app(&server, &client, &person, &secret).await;
    call(
        &client,
        Method::POST,
        server.url("/api/v1/factors/backup-codes"),
        Some(&token),
        None,
        201,
    )
    .await;
    server
        .messages_with("factor_changed", &person.email, 2)
        .await;
    assert_eq!(
        server
            .messages_with("new_device_sign_in", &person.email, 1)
            .await
            .len(),
        1
    );
    server.finish().await;
}

on_both_databases!(
    removing_a_factor_needs_a_fresh_second_factor_and_never_the_last,
    another_accounts_factor_is_not_found,
    a_sign_in_from_a_new_device_is_emailed_once,
);
