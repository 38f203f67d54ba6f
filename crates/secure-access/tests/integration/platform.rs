//! The service around the journeys: health and readiness, the OpenAPI document,
//! configuration refusals, the outbox clean-up job.

use reqwest::Method;
use sqlx::{Connection, Row};

use crate::common::*;
use crate::on_both_databases;
use sa_test_support::api::metric_sample;

async fn health_readiness_and_openapi_answer(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    assert_eq!(
        call(
            &client,
            Method::GET,
            server.url("/healthz"),
            None,
            None,
            200
        )
        .await["status"],
        "ok"
    );
    assert_eq!(
        call(&client, Method::GET, server.url("/readyz"), None, None, 200).await["database"],
        "ok"
    );
    let openapi = call(
        &client,
        Method::GET,
        server.url("/api/openapi.json"),
        None,
        None,
        200,
    )
    .await;
    assert!(openapi["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/accounts",
        "/api/v1/accounts/email/confirm",
        "/api/v1/sessions",
        "/api/v1/sessions/sms",
        "/api/v1/sessions/second-factor",
        "/api/v1/factors",
        "/api/v1/factors/totp",
        "/api/v1/factors/totp/{id}/confirm",
        "/api/v1/factors/phones",
        "/api/v1/factors/phones/{id}/confirm",
        "/api/v1/factors/backup-codes",
        "/api/v1/factors/{id}",
        "/api/v1/account/security",
    ] {
        assert!(openapi["paths"].get(path).is_some(), "{path} is documented");
    }
    server.finish().await;
}

async fn readiness_reports_a_lost_database(backend: Backend) {
    let server = TestServer::start(backend).await;
    server.running().store.close().await;
    let response = api_client()
        .get(server.url("/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["database"], "unreachable");
    // A journey answers an honest 503, not a crash or a false "maintenance".
    let signup = api_client()
        .post(server.url("/api/v1/accounts"))
        .json(&serde_json::json!({"username": "late.person", "email": "l@example.test", "password": "violet harbor piano meadow"}))
        .send()
        .await
        .unwrap();
    assert_eq!(signup.status(), 503);
    assert!(signup.headers().contains_key("retry-after"));
    server.finish().await;
}

#[test]
fn identity_verification_is_required_by_default() {
    let config = secure_access::Config::default();
    assert!(config.require_identity_verification);
    config.validate().expect("the defaults are valid");
}

/// Outbox rows by status, read straight from the server's database.
async fn outbox_rows(server: &TestServer, status: &str) -> i64 {
    let mut db = server.database().await;
    let row = sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE status = $1")
        .bind(status)
        .fetch_one(&mut db)
        .await
        .expect("count");
    let n = row.try_get::<i64, _>("n").expect("n");
    db.close().await.expect("close");
    n
}

/// `sa_scheduled_job_runs_total` from `/metrics`.
async fn job_runs(server: &TestServer) -> f64 {
    let text = scrape(server, &api_client()).await;
    metric_sample(&text, "sa_scheduled_job_runs_total ")
        .expect("sa_scheduled_job_runs_total in /metrics")
}

/// Wait (bounded) until `done` holds; the jobs run every second.
async fn wait_until<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !done().await {
        assert!(std::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The record of a sent message stays a month (its payload erased), then the scheduled
/// jobs remove it; nothing pending is touched.
async fn the_jobs_purge_sent_messages_after_a_month(backend: Backend) {
    let server = TestServer::start_with(backend, |c| c.jobs_interval_secs = 1).await;
    let client = api_client();
    let person = Person::new("outbox.purge");
    sign_up_confirmed(&server, &client, &person).await;
    wait_until("the confirmation email is sent", || async {
        outbox_rows(&server, "sent").await >= 1
    })
    .await;
    let sent = outbox_rows(&server, "sent").await;

    server.clock.advance(time::Duration::days(29));
    let runs = job_runs(&server).await;
    wait_until("two more job runs", || async {
        job_runs(&server).await >= runs + 2.0
    })
    .await;
    assert_eq!(outbox_rows(&server, "sent").await, sent, "kept for a month");

    server.clock.advance(time::Duration::days(2));
    wait_until("the month-old records are removed", || async {
        outbox_rows(&server, "sent").await == 0
    })
    .await;
    server.finish().await;
}

on_both_databases!(
    health_readiness_and_openapi_answer,
    readiness_reports_a_lost_database,
    the_jobs_purge_sent_messages_after_a_month
);
