//! Bad input gets a 4xx naming the problem, never a 500: malformed JSON, missing fields,
//! wrong types, a 10 MB body, invalid UTF-8, the wrong content type, forged forms.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;
use crate::on_both_databases;

async fn send_raw(
    server: &TestServer,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let response = api_client()
        .post(server.url(path))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// POST a 10 MB JSON body over a raw socket. The server answers as soon as it knows the
/// body is too large and may close before reading it all, so writes may fail; the answer
/// is read regardless (an HTTP client library would give up at the failed write).
async fn ten_megabyte_post(server: &TestServer) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let size = 10 * 1024 * 1024;
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/v1/accounts HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    for _ in 0..(size / chunk.len()) {
        if stream.write_all(&chunk).await.is_err() {
            break;
        }
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let text = String::from_utf8_lossy(&answer);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    (
        status,
        serde_json::from_str(body.trim()).unwrap_or(Value::Null),
    )
}

async fn malformed_requests_get_clear_4xx_answers(backend: Backend) {
    let server = TestServer::start(backend).await;

    let (status, body) = send_raw(
        &server,
        "/api/v1/accounts",
        "application/json",
        b"{\"username\": ".to_vec(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "invalid_request");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("JSON"),
        "{body}"
    );

    let (status, body) = send_raw(
        &server,
        "/api/v1/accounts",
        "application/json",
        br#"{"username":"a.b","email":"a@b.test"}"#.to_vec(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["field"], "password");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("password")
    );

    let (status, body) = send_raw(
        &server,
        "/api/v1/accounts",
        "application/json",
        br#"{"username":"a.b","email":"a@b.test","password":123456789012}"#.to_vec(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["field"], "password");
    assert!(
        !body.to_string().contains("123456789012"),
        "the submitted value is not echoed: {body}"
    );

    let (status, body) = send_raw(
        &server,
        "/api/v1/accounts",
        "application/json",
        b"{\"username\": \"\xff\xfe\"}".to_vec(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "invalid_request");

    let (status, body) = ten_megabyte_post(&server).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["code"], "payload_too_large");

    let (status, body) = send_raw(
        &server,
        "/api/v1/accounts",
        "text/plain",
        b"username=x".to_vec(),
    )
    .await;
    assert_eq!(status, 415);
    assert_eq!(body["error"]["code"], "unsupported_media_type");

    let (status, body) = send_raw(
        &server,
        "/api/v1/nothing-here",
        "application/json",
        b"{}".to_vec(),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");

    // Requests that need a session say so.
    let unauthenticated = call(
        &api_client(),
        Method::GET,
        server.url("/api/v1/factors"),
        Some("made-up-token"),
        None,
        401,
    )
    .await;
    assert_eq!(unauthenticated["error"]["code"], "unauthenticated");

    // The service still works afterwards.
    let health = call(
        &api_client(),
        Method::GET,
        server.url("/healthz"),
        None,
        None,
        200,
    )
    .await;
    assert_eq!(health["status"], "ok");
    server.finish().await;
}

async fn invalid_values_are_refused_with_the_field_and_the_reason(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let cases = [
        (
            json!({"username": "ab", "email": "ok@example.test", "password": "violet harbor piano meadow"}),
            "username",
            "3 to 64",
        ),
        (
            json!({"username": "has space", "email": "ok@example.test", "password": "violet harbor piano meadow"}),
            "username",
            "letters",
        ),
        (
            json!({"username": "fine.name", "email": "not-an-email", "password": "violet harbor piano meadow"}),
            "email",
            "email address",
        ),
        (
            json!({"username": "fine.name", "email": "ok@example.test", "password": "short"}),
            "password",
            "at least 12",
        ),
        (
            json!({"username": "fine.name", "email": "ok@example.test", "password": "password12345"}),
            "password",
            "pattern attackers try first",
        ),
        (
            json!({"username": "fine.name", "email": "ok@example.test", "password": "abcabcabcabcabc"}),
            "password",
            "too easy",
        ),
        (
            json!({"username": "fine.name", "email": "ok@example.test", "password": "fine.name forever and ever"}),
            "password",
            "username",
        ),
        (
            json!({"username": "fine.name", "email": "ok@example.test", "password": "x".repeat(129)}),
            "password",
            "at most 128",
        ),
    ];
    for (body, field, reason) in cases {
        let answer = call(
            &client,
            Method::POST,
            server.url("/api/v1/accounts"),
            None,
            Some(body.clone()),
            400,
        )
        .await;
        assert_eq!(answer["error"]["field"], field, "{body}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap()
                .contains(reason),
            "{body} → {answer}"
        );
    }
    let token = sign_up_confirmed(&server, &client, &Person::new("phone.typo")).await;
    let bad_phone = call(
        &client,
        Method::POST,
        server.url("/api/v1/factors/phones"),
        Some(&token),
        Some(json!({"phone": "555-01"})),
        400,
    )
    .await;
    assert_eq!(bad_phone["error"]["field"], "phone");
    let bad_method = call(
        &client,
        Method::POST,
        server.url("/api/v1/factors/totp/does-not-exist/confirm"),
        Some(&token),
        Some(json!({"code": "123456"})),
        404,
    )
    .await;
    assert_eq!(bad_method["error"]["code"], "not_found");
    server.finish().await;
}

async fn forms_without_a_valid_csrf_token_are_refused(backend: Backend) {
    let server = TestServer::start(backend).await;
    let browser = browser("sa-tests/1.0 (browser)");
    // No token at all (a cross-site form post).
    let response = browser
        .post(server.url("/sign-up"))
        .form(&[
            ("username", "forged.user"),
            ("email", "f@example.test"),
            ("password", "violet harbor piano meadow"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("This form has expired")
    );
    // A token from another browser does not fit this browser's cookie.
    let other = crate::common::pages::csrf_token(&browser_page(&server, "/sign-up").await);
    let response = browser
        .post(server.url("/sign-up"))
        .form(&[
            ("csrf_token", other.as_str()),
            ("username", "forged.user"),
            ("email", "f@example.test"),
            ("password", "violet harbor piano meadow"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    server.finish().await;
}

async fn browser_page(server: &TestServer, path: &str) -> String {
    browser("another browser")
        .get(server.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

on_both_databases!(
    malformed_requests_get_clear_4xx_answers,
    invalid_values_are_refused_with_the_field_and_the_reason,
    forms_without_a_valid_csrf_token_are_refused,
);
