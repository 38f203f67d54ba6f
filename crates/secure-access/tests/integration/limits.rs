//! Attempt limits, driven by the test clock: 5 wrong passwords a minute, 10 wrong codes
//! then a 10-minute lock, a factor disabled after 100 consecutive failures, per-IP limits.

use reqwest::Method;
use serde_json::json;

use crate::common::*;
use crate::on_both_databases;

async fn try_password(
    server: &TestServer,
    client: &reqwest::Client,
    username: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(server.url("/api/v1/sessions"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn five_wrong_passwords_a_minute_then_sign_in_waits(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("slow.down");
    account_with_totp(&server, &client, &person).await;
    for _ in 0..5 {
        assert_eq!(
            try_password(&server, &client, &person.username, "wrong password here")
                .await
                .status(),
            401
        );
    }
    server.clock.advance(time::Duration::seconds(20));
    // Even the right password waits until the minute is over.
    let limited = try_password(&server, &client, &person.username, &person.password).await;
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "40");
    let body: serde_json::Value = limited.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    // An unknown username is limited the same way (no enumeration through the limit).
    for _ in 0..5 {
        try_password(&server, &client, "no.such.user", "wrong password here").await;
    }
    assert_eq!(
        try_password(&server, &client, "no.such.user", "wrong password here")
            .await
            .status(),
        429
    );

    server.clock.advance(time::Duration::seconds(41));
    assert_eq!(
        try_password(&server, &client, &person.username, &person.password)
            .await
            .status(),
        200
    );
    server.finish().await;
}

async fn ten_wrong_codes_lock_for_ten_minutes_even_with_new_sms_codes(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("locked.out");
    let (_, secret) = account_with_totp(&server, &client, &person).await;
    let started = password_step(&server, &client, &person).await;
    let pending = started["session_token"].as_str().unwrap().to_owned();
    let verify = |code: String| {
        let client = client.clone();
        let url = server.url("/api/v1/sessions/second-factor");
        let token = pending.clone();
        async move {
            client
                .post(url)
                .bearer_auth(token)
                .json(&json!({"method": "totp", "code": code}))
                .send()
                .await
                .unwrap()
        }
    };
    for attempt in 1..=10 {
        let response = verify("000000".into()).await;
        assert_eq!(response.status(), 401, "attempt {attempt}");
    }
    let locked = verify(server.totp_now(&secret)).await;
    assert_eq!(locked.status(), 423);
    assert_eq!(locked.headers()["retry-after"], "600");
    let body: serde_json::Value = locked.json().await.unwrap();
    assert_eq!(body["error"]["code"], "locked");

    server.clock.advance(time::Duration::minutes(9));
    // Sessions idle out after 15 minutes; keep this one alive and still locked.
    assert_eq!(verify(server.totp_now(&secret)).await.status(), 423);
    server.clock.advance(time::Duration::minutes(1));
    assert_eq!(verify(server.totp_now(&secret)).await.status(), 200);
    server.finish().await;
}

async fn asking_for_a_new_sms_code_does_not_reset_the_failure_count(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("sms.counter");
    let token = sign_up_confirmed(&server, &client, &person).await;
    add_confirmed_phone(&server, &client, &token, "+12025550188").await;

    let started = password_step(&server, &client, &person).await;
    let pending = started["session_token"].as_str().unwrap().to_owned();
    for round in 0..2 {
        call(
            &client,
            Method::POST,
            server.url("/api/v1/sessions/sms"),
            Some(&pending),
            None,
            202,
        )
        .await;
        for _ in 0..5 {
            let wrong = second_factor(&server, &client, &pending, "sms", "999999", 401).await;
            assert!(
                ["invalid_code", "code_expired"]
                    .contains(&wrong["error"]["code"].as_str().unwrap()),
                "round {round}: {wrong}"
            );
        }
    }
    // Ten failures across two codes: locked, and asking again does not help.
    let mark = server.outbox_mark();
    let refused = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions/sms"),
        Some(&pending),
        None,
        423,
    )
    .await;
    assert_eq!(refused["error"]["code"], "locked");
    assert_eq!(server.outbox().len(), mark, "no code is sent while locked");
    server.finish().await;
}

async fn a_factor_is_disabled_after_100_consecutive_failures(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("hundred.tries");
    account_with_totp(&server, &client, &person).await;
    let mut failures = 0;
    while failures < 100 {
        let started = password_step(&server, &client, &person).await;
        let pending = started["session_token"].as_str().unwrap().to_owned();
        for _ in 0..10 {
            second_factor(&server, &client, &pending, "totp", "111111", 401).await;
            failures += 1;
        }
        server.clock.advance(time::Duration::minutes(10));
    }
    // The app no longer works: even the right password leads only to the help desk,
    // never to setting up a new factor (which would let a password thief in).
    let refused = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": person.password})),
        403,
    )
    .await;
    assert_eq!(refused["error"]["code"], "recovery_required");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("help desk")
    );
    server.settled_outbox_mark().await;
    let notice = server
        .outbox()
        .into_iter()
        .rev()
        .find(|m| m["template"] == "factor_changed")
        .expect("email");
    assert!(notice["body"].as_str().unwrap().contains("turned off"));
    server.finish().await;
}

async fn per_ip_limits_engage_without_touching_other_clients(backend: Backend) {
    let server = TestServer::start_with(backend, |config| {
        config.limits.ip_sign_in_per_minute = 8;
        config.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    })
    .await;
    let client = api_client();
    let person = Person::new("busy.ip");
    account_with_totp(&server, &client, &person).await;
    let from = |ip: &'static str, username: String, password: &'static str| {
        let client = client.clone();
        let url = server.url("/api/v1/sessions");
        async move {
            client
                .post(url)
                .header("x-forwarded-for", ip)
                .json(&json!({"username": username, "password": password}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // A sprayer on one address tries one password against many usernames.
    let mut statuses = Vec::new();
    for i in 0..9 {
        statuses.push(from("203.0.113.50", format!("user{i}"), "Spring2026 password!").await);
    }
    assert_eq!(statuses[..8], [401; 8]);
    assert_eq!(statuses[8], 429);
    // The real person on another address still signs in.
    assert_eq!(
        from(
            "198.51.100.7",
            person.username.clone(),
            "violet harbor piano meadow"
        )
        .await,
        200
    );
    server.finish().await;
}

on_both_databases!(
    five_wrong_passwords_a_minute_then_sign_in_waits,
    ten_wrong_codes_lock_for_ten_minutes_even_with_new_sms_codes,
    asking_for_a_new_sms_code_does_not_reset_the_failure_count,
    a_factor_is_disabled_after_100_consecutive_failures,
    per_ip_limits_engage_without_touching_other_clients,
);
