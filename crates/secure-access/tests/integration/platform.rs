//! The service around the journeys: health and readiness, the OpenAPI document,
//! configuration refusals.

use reqwest::Method;

use crate::common::*;
use crate::on_both_databases;

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

on_both_databases!(
    health_readiness_and_openapi_answer,
    readiness_reports_a_lost_database
);
