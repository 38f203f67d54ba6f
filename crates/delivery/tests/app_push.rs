//! Tokens posted to apps (`AppPushSender`) against an app on 127.0.0.1: a Security
//! Event Token as the body with its media type, a logout token as a form field; 2xx is
//! delivered, 400 is given up at once, anything else is tried again, and no error
//! repeats the token or the app's path.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use sa_delivery::{AppPushSender, SendError, Sender};
use sa_domain::model::{Channel, Message};
use time::OffsetDateTime;

type Seen = Arc<Mutex<Vec<(String, String)>>>;

async fn app(
    State((seen, status)): State<(Seen, Arc<AtomicU16>)>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    seen.lock()
        .unwrap()
        .push((content_type, String::from_utf8_lossy(&body).into_owned()));
    StatusCode::from_u16(status.load(Ordering::SeqCst)).unwrap()
}

async fn start_app(status: u16) -> (String, Seen, Arc<AtomicU16>) {
    let seen: Seen = Arc::default();
    let status = Arc::new(AtomicU16::new(status));
    let router = axum::Router::new()
        .route("/hooks/secret-path", axum::routing::post(app))
        .with_state((seen.clone(), status.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/hooks/secret-path",
        listener.local_addr().unwrap()
    );
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    (url, seen, status)
}

fn message(to: &str, template: &str) -> Message {
    Message {
        channel: Channel::App,
        to: to.to_owned(),
        template: template.to_owned(),
        subject: "alerts".to_owned(),
        body: "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln".to_owned(),
        code: None,
        language: Default::default(),
    }
}

#[tokio::test]
async fn tokens_are_posted_as_each_protocol_asks_and_refusals_are_sorted() {
    let sender = AppPushSender::new(Duration::from_secs(5)).unwrap();
    let at = OffsetDateTime::UNIX_EPOCH;
    let (url, seen, status) = start_app(202).await;

    let event = message(&url, "security_event");
    sender.send("m1", &event, at).await.unwrap();
    let logout = message(&url, "backchannel_logout");
    status.store(200, Ordering::SeqCst);
    sender.send("m2", &logout, at).await.unwrap();
    let seen_now = seen.lock().unwrap().clone();
    assert_eq!(
        seen_now[0],
        ("application/secevent+jwt".to_owned(), event.body.clone())
    );
    assert_eq!(
        seen_now[1],
        (
            "application/x-www-form-urlencoded".to_owned(),
            format!("logout_token={}", logout.body)
        )
    );

    status.store(400, Ordering::SeqCst);
    let error = sender.send("m3", &event, at).await.unwrap_err();
    assert!(error.is_permanent(), "{error:?}");
    status.store(503, Ordering::SeqCst);
    let error = sender.send("m4", &event, at).await.unwrap_err();
    assert!(matches!(error, SendError::Transient(_)), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("answered 503"), "{text}");
    assert!(
        !text.contains("secret-path") && !text.contains(&event.body),
        "{text}"
    );

    // Plain HTTP to another host, and a template it does not post: given up at once.
    let remote = message("http://app.example.test/events", "security_event");
    assert!(
        sender
            .send("m5", &remote, at)
            .await
            .unwrap_err()
            .is_permanent()
    );
    let other = message(&url, "password_reset");
    assert!(
        sender
            .send("m6", &other, at)
            .await
            .unwrap_err()
            .is_permanent()
    );
}
