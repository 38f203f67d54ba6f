//! Where a person is signed in, and signing out of those sessions (ASVS 3.3.3, 3.3.4),
//! over the API and the security page, on SQLite and PostgreSQL.
//!
//! What this proves: the list shows each live session once (the asking one marked);
//! one session or every other one can be ended, and their tokens stop working at once;
//! ending needs a second factor entered within the re-authentication window; a
//! session of another account cannot be named; a password change ends every other
//! session unless the person unticks the box.

use reqwest::Method;
use serde_json::{Value, json};
use time::Duration;

use crate::common::pages::Browser;
use crate::common::*;
use crate::on_both_databases;

/// `GET /api/v1/account/sessions`.
async fn sessions(server: &TestServer, client: &reqwest::Client, token: &str) -> Vec<Value> {
    call(
        client,
        Method::GET,
        server.url("/api/v1/account/sessions"),
        Some(token),
        None,
        200,
    )
    .await["sessions"]
        .as_array()
        .expect("sessions")
        .clone()
}

/// The handle of the session `token` belongs to.
async fn current_handle(server: &TestServer, client: &reqwest::Client, token: &str) -> String {
    sessions(server, client, token)
        .await
        .iter()
        .find(|s| s["current"] == true)
        .and_then(|s| s["handle"].as_str())
        .expect("the current session is listed")
        .to_owned()
}

/// Another complete sign-in (a fresh app code each time).
async fn another_sign_in(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
    secret: &str,
) -> String {
    server.clock.advance(Duration::seconds(30));
    sign_in_with_app(server, client, person, secret).await
}

async fn still_works(server: &TestServer, client: &reqwest::Client, token: &str) -> bool {
    client
        .get(server.url("/api/v1/factors"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        == 200
}

async fn people_list_and_end_their_sessions(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("many.devices");
    let (_, secret) = account_with_totp(&server, &client, &person).await;
    let here = another_sign_in(&server, &client, &person, &secret).await;
    let phone = another_sign_in(&server, &client, &person, &secret).await;

    // The enrolment session, the phone and here; this one marked.
    let listed = sessions(&server, &client, &here).await;
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert_eq!(listed.iter().filter(|s| s["current"] == true).count(), 1);
    let phone_handle = current_handle(&server, &client, &phone).await;
    assert!(listed.iter().any(|s| s["handle"] == phone_handle.as_str()));
    assert!(
        !format!("{listed:?}").contains(&phone),
        "no token in the list"
    );

    // Someone else's session cannot be named.
    let stranger = Person::new("stranger.devices");
    let (stranger_token, _) = account_with_totp(&server, &client, &stranger).await;
    let stranger_handle = current_handle(&server, &client, &stranger_token).await;
    call(
        &client,
        Method::DELETE,
        server.url(&format!("/api/v1/account/sessions/{stranger_handle}")),
        Some(&here),
        None,
        404,
    )
    .await;
    assert!(still_works(&server, &client, &stranger_token).await);

    // Ending one: its token stops working at once, the others go on.
    call(
        &client,
        Method::DELETE,
        server.url(&format!("/api/v1/account/sessions/{phone_handle}")),
        Some(&here),
        None,
        204,
    )
    .await;
    assert!(!still_works(&server, &client, &phone).await);
    assert!(still_works(&server, &client, &here).await);
    assert_eq!(sessions(&server, &client, &here).await.len(), 2);

    // Ending needs a recent second factor: 16 minutes after it (active meanwhile).
    let laptop = another_sign_in(&server, &client, &person, &secret).await;
    server.clock.advance(Duration::minutes(10));
    assert!(still_works(&server, &client, &here).await);
    server.clock.advance(Duration::minutes(6));
    let stale = call(
        &client,
        Method::POST,
        server.url("/api/v1/account/sessions/sign-out-others"),
        Some(&here),
        None,
        403,
    )
    .await;
    assert_eq!(stale["error"]["code"], "reauthentication_required");

    // Every other one at once (the laptop; the enrolment session has idled out).
    let fresh = another_sign_in(&server, &client, &person, &secret).await;
    let ended = call(
        &client,
        Method::POST,
        server.url("/api/v1/account/sessions/sign-out-others"),
        Some(&fresh),
        None,
        200,
    )
    .await;
    assert!(ended["ended"].as_u64().unwrap() >= 2, "{ended}");
    for token in [&here, &laptop] {
        assert!(!still_works(&server, &client, token).await);
    }
    assert!(still_works(&server, &client, &fresh).await);
    let security = call(
        &client,
        Method::GET,
        server.url("/api/v1/account/security"),
        Some(&fresh),
        None,
        200,
    )
    .await;
    let text = security.to_string();
    assert!(text.contains("session_ended") && text.contains("other_sessions_ended"));
    server.finish().await;
}

async fn a_password_change_ends_other_sessions_unless_kept(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("new.password");
    let (_, secret) = account_with_totp(&server, &client, &person).await;
    let elsewhere = another_sign_in(&server, &client, &person, &secret).await;
    let here = another_sign_in(&server, &client, &person, &secret).await;
    let change = |current: &str, new: &str, end_others: Option<bool>| {
        let mut body = json!({"current_password": current, "new_password": new});
        if let Some(end_others) = end_others {
            body["end_other_sessions"] = json!(end_others);
        }
        call(
            &client,
            Method::POST,
            server.url("/api/v1/account/password"),
            Some(&here),
            Some(body),
            200,
        )
    };
    change(
        &person.password,
        "granite willow harbor lantern",
        Some(false),
    )
    .await;
    assert!(still_works(&server, &client, &elsewhere).await, "kept");
    change(
        "granite willow harbor lantern",
        "copper meadow violin orchard",
        None,
    )
    .await;
    assert!(
        !still_works(&server, &client, &elsewhere).await,
        "ended by default"
    );
    assert!(still_works(&server, &client, &here).await);
    server.finish().await;
}

/// The security page lists the sessions and its forms sign them out.
async fn the_security_page_signs_sessions_out(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("page.devices");
    let (_, secret) = account_with_totp(&server, &client, &person).await;
    let elsewhere = another_sign_in(&server, &client, &person, &secret).await;
    server.clock.advance(Duration::seconds(30));
    let browser = Browser::new(&server);
    browser.sign_in(&server, &person, &secret).await;
    let page = browser.get("/account/security").await.text;
    assert!(page.contains("Where you&#39;re signed in") || page.contains("Where you're signed in"));
    assert!(page.contains("This browser"), "{page}");
    let ended = browser
        .post(&page, "/account/sessions/end-others", &[])
        .await;
    assert_eq!(
        (ended.status, ended.location.as_deref()),
        (303, Some("/account/security"))
    );
    assert!(!still_works(&server, &client, &elsewhere).await);
    // Signing this browser out from the list ends here, at the home page.
    let page = browser.get("/account/security").await.text;
    let handle = page
        .split("action=\"/account/sessions/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("a session form")
        .to_owned();
    let out = browser
        .post(&page, &format!("/account/sessions/{handle}/end"), &[])
        .await;
    assert_eq!((out.status, out.location.as_deref()), (303, Some("/")));
    let after = browser.get("/account/security").await;
    assert_eq!(after.location.as_deref(), Some("/sign-in"));
    server.finish().await;
}

on_both_databases!(
    people_list_and_end_their_sessions,
    a_password_change_ends_other_sessions_unless_kept,
    the_security_page_signs_sessions_out,
);
