//! Changing the details of an account, on SQLite and PostgreSQL: the email address
//! (confirmed by a code sent to the new one; the old one told with a "this wasn't me"
//! link), through the API and through the pages.

use reqwest::Method;
use serde_json::json;

use crate::common::pages::Browser;
use crate::common::*;
use crate::on_both_databases;

async fn email_change_is_confirmed_and_told(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("moving.mailbox");
    let (token, _secret) = account_with_totp(&server, &client, &person).await;
    let new_email = "new.mailbox@example.test";

    let same = call(
        &client,
        Method::POST,
        server.url("/api/v1/account/email"),
        Some(&token),
        Some(json!({"email": person.email})),
        400,
    )
    .await;
    assert_eq!(same["error"]["field"], "email");
    let bad = call(
        &client,
        Method::POST,
        server.url("/api/v1/account/email"),
        Some(&token),
        Some(json!({"email": "not an address"})),
        400,
    )
    .await;
    assert_eq!(bad["error"]["field"], "email");

    let mark = server.settled_outbox_mark().await;
    let sent = call(
        &client,
        Method::POST,
        server.url("/api/v1/account/email"),
        Some(&token),
        Some(json!({"email": new_email})),
        202,
    )
    .await;
    assert_eq!(sent["result"], "code_sent");
    let code = server.code_after(mark, new_email).await;
    call(
        &client,
        Method::POST,
        server.url("/api/v1/account/email/confirm"),
        Some(&token),
        Some(json!({"code": "000000"})),
        401,
    )
    .await;
    let mark = server.settled_outbox_mark().await;
    let done = call(
        &client,
        Method::POST,
        server.url("/api/v1/account/email/confirm"),
        Some(&token),
        Some(json!({"code": code})),
        200,
    )
    .await;
    assert_eq!(done["result"], "email_changed");
    let told = server.message_after(mark, &person.email).await;
    assert_eq!(told["template"], "email_changed");
    let body = told["body"].as_str().unwrap();
    assert!(
        body.contains("n***@example.test") && body.contains("/account/disavow?token="),
        "{body}"
    );

    // Messages now go to the new address.
    let mark = server.settled_outbox_mark().await;
    call(
        &client,
        Method::POST,
        server.url("/api/v1/password-resets"),
        None,
        Some(json!({"username": person.username})),
        202,
    )
    .await;
    let reset = server.message_after(mark, new_email).await;
    assert_eq!(reset["template"], "password_reset");
    server.finish().await;
}

async fn email_change_through_the_pages(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("page.mailbox");
    let (_token, secret) = account_with_totp(&server, &client, &person).await;
    let browser = Browser::new(&server);
    browser.sign_in(&server, &person, &secret).await;
    let security = browser.page("/account/security").await;
    assert!(security.contains("href=\"/account/email\""));
    let form = browser.page("/account/email").await;
    let mark = server.settled_outbox_mark().await;
    let code_form = browser
        .post(
            &form,
            "/account/email",
            &[("email", "page.new@example.test")],
        )
        .await;
    assert_eq!(code_form.status, 200, "{}", code_form.text);
    assert!(code_form.text.contains("Code from the email"));
    let code = server.code_after(mark, "page.new@example.test").await;
    let done = browser
        .post(
            &code_form.text,
            "/account/email/confirm",
            &[("code", &code)],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert!(done.text.contains("Your email address was changed"));
    server.finish().await;
}

on_both_databases!(
    email_change_is_confirmed_and_told,
    email_change_through_the_pages
);
