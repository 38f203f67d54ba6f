//! The strength meter's endpoint (`POST /api/v1/passwords/strength`), against the real
//! server on SQLite and PostgreSQL: it agrees with what sign-up will answer, needs no
//! sign-in, and is limited per client IP.

use reqwest::Method;
use serde_json::json;

use crate::common::*;
use crate::on_both_databases;

async fn ratings_agree_with_sign_up_and_are_limited_per_ip(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let rate = |password: &str, username: &str| {
        call(
            &client,
            Method::POST,
            server.url("/api/v1/passwords/strength"),
            None,
            Some(json!({"password": password, "username": username, "email": "pat@example.test"})),
            200,
        )
    };
    let weak = rate("Spring2026!!", "pat").await;
    assert_eq!(weak["acceptable"], false);
    assert!(
        weak["message"].as_str().unwrap().contains("pattern"),
        "{weak}"
    );
    let with_name = rate("lantern patterson meadow", "patterson").await;
    assert_eq!(with_name["acceptable"], false, "{with_name}");
    let strong = rate("copper lantern meadow violin", "pat").await;
    assert_eq!(strong["acceptable"], true, "{strong}");
    assert!(strong["score"].as_u64().unwrap() >= 3);
    assert!(strong.get("message").is_none());
    // What the meter calls weak, sign-up refuses, with the same words.
    let refused = call(
        &client,
        Method::POST,
        server.url("/api/v1/accounts"),
        None,
        Some(json!({"username": "pat", "email": "pat@example.test", "password": "Spring2026!!"})),
        400,
    )
    .await;
    assert_eq!(refused["error"]["message"], weak["message"]);

    // 120 a minute per client address; then 429 with Retry-After.
    for _ in 3..120 {
        rate("copper lantern meadow violin", "pat").await;
    }
    let response = client
        .post(server.url("/api/v1/passwords/strength"))
        .json(&json!({"password": "copper lantern meadow violin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    server.finish().await;
}

on_both_databases!(ratings_agree_with_sign_up_and_are_limited_per_ip);
