//! `/metrics`: the Prometheus text format with the families an operator watches, each
//! with its type; labels are codes and route templates, never what a person typed;
//! only allowed clients read it. And what the limits do when their shared counters
//! (Redis) are down: sign-in refused with a plain 503, the strength meter counted
//! locally, `/readyz` and `/metrics` saying so.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;
use crate::on_both_databases;
use sa_test_support::api::metric_sample;

async fn metrics_name_outcomes_by_reason_and_hold_no_personal_data(backend: Backend) {
    let server = TestServer::start_with(backend, |config| {
        config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
        config.limits.ip_password_ratings_per_minute = 1;
    })
    .await;
    let client = api_client();
    let person = Person::new("metrics.person");
    account_with_totp(&server, &client, &person).await;
    // A wrong password, a rate-limited strength check, and an address nobody routes.
    let wrong = client
        .post(server.url("/api/v1/sessions"))
        .header("x-forwarded-for", "203.0.113.77")
        .json(&json!({"username": person.username, "password": "a wrong password typed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    for expected in [200, 429] {
        let rated = client
            .post(server.url("/api/v1/passwords/strength"))
            .json(&json!({"password": "correct horse battery staple"}))
            .send()
            .await
            .unwrap();
        assert_eq!(rated.status(), expected);
    }
    let lost = client
        .get(server.url("/no/such/page/metrics.person"))
        .send()
        .await
        .unwrap();
    assert_eq!(lost.status(), 404);

    let text = scrape(&server, &client).await;
    for (family, kind) in [
        ("sa_http_requests_total", "counter"),
        ("sa_http_request_duration_seconds", "histogram"),
        ("sa_sign_in_attempts_total", "counter"),
        ("sa_limit_refusals_total", "counter"),
        ("sa_hashing_queue_depth", "gauge"),
        ("sa_outbox_messages", "gauge"),
        ("sa_outbox_oldest_pending_age_seconds", "gauge"),
        ("sa_db_pool_connections", "gauge"),
        ("sa_limit_counters_up", "gauge"),
        ("sa_scheduled_job_runs_total", "counter"),
    ] {
        assert!(
            text.contains(&format!("# TYPE {family} {kind}\n")),
            "{family} as a {kind} in:\n{text}"
        );
        assert!(text.contains(&format!("# HELP {family} ")), "{family} help");
    }
    assert!(
        metric_sample(
            &text,
            r#"sa_sign_in_attempts_total{method="password",outcome="failure",reason="wrong_password"}"#
        )
        .unwrap()
            >= 1.0
    );
    assert!(
        metric_sample(
            &text,
            r#"sa_http_requests_total{method="POST",route="/api/v1/sessions",status="401"}"#
        )
        .unwrap()
            >= 1.0
    );
    assert_eq!(
        metric_sample(
            &text,
            r#"sa_limit_refusals_total{limit="ip_password_rating"}"#
        ),
        Some(1.0)
    );
    assert!(
        metric_sample(
            &text,
            r#"sa_http_requests_total{method="GET",route="unmatched",status="404"}"#
        )
        .is_some()
    );
    assert_eq!(
        metric_sample(&text, r#"sa_limit_counters_up{kind="memory"}"#),
        Some(1.0)
    );
    assert!(metric_sample(&text, r#"sa_db_pool_connections{state="max"}"#).unwrap() >= 1.0);
    assert!(metric_sample(&text, r#"sa_outbox_messages{state="pending"}"#).is_some());
    // Nothing a person typed or is: no username, email, password, address or path.
    for secret in [
        person.username.as_str(),
        person.email.as_str(),
        person.password.as_str(),
        "a wrong password typed",
        "203.0.113.77",
        "127.0.0.1",
        "/no/such/page",
    ] {
        assert!(!text.contains(secret), "{secret:?} in /metrics");
    }
    // Every label value is a code, a number, a method or a route template.
    for line in text.lines().filter(|line| !line.starts_with('#')) {
        if let Some(labels) = line
            .split_once('{')
            .and_then(|(_, rest)| rest.split_once('}'))
        {
            for pair in labels.0.split("\",") {
                let value = pair.split_once("=\"").map(|(_, v)| v.trim_end_matches('"'));
                let value = value.unwrap_or_default();
                assert!(
                    value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_/{}.+-".contains(c)),
                    "label value {value:?} in {line}"
                );
            }
        }
    }

    // A client that is not allowed (through the trusted proxy) does not see it.
    let outside = client
        .get(server.url("/metrics"))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(outside.status(), 404);
    server.finish().await;
}

async fn a_redis_outage_refuses_sign_in_plainly_and_says_so(backend: Backend) {
    let port = sa_test_support::process::free_port();
    let server = TestServer::start_with(backend, |config| {
        config.redis_url = Some(secure_access::config::Secret::new(format!(
            "redis://127.0.0.1:{port}"
        )));
    })
    .await;
    let client = api_client();
    let ready = client.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    assert_eq!(body["limits"]["counters"], "redis");
    assert_eq!(body["limits"]["status"], "unreachable");
    assert!(body["message"].as_str().unwrap().contains("Redis"));
    assert!(!body.to_string().contains(&port.to_string()), "no address");

    // Sign-in is a guessing limit: refused, with a plain message and a time to retry.
    let refused = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": "someone", "password": "a password of theirs"})),
        503,
    )
    .await;
    assert_eq!(refused["error"]["code"], "service_unavailable");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("try again")
    );
    // The strength meter counts locally.
    call(
        &client,
        Method::POST,
        server.url("/api/v1/passwords/strength"),
        None,
        Some(json!({"password": "correct horse battery staple"})),
        200,
    )
    .await;
    let text = scrape(&server, &client).await;
    assert_eq!(
        metric_sample(&text, r#"sa_limit_counters_up{kind="redis"}"#),
        Some(0.0)
    );
    assert_eq!(
        metric_sample(
            &text,
            r#"sa_limit_counters_unavailable_total{action="refused",limit="ip_sign_in"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        metric_sample(
            &text,
            r#"sa_limit_counters_unavailable_total{action="counted_locally",limit="ip_password_rating"}"#
        ),
        Some(1.0)
    );
    server.finish().await;
}

on_both_databases!(
    metrics_name_outcomes_by_reason_and_hold_no_personal_data,
    a_redis_outage_refuses_sign_in_plainly_and_says_so,
);
