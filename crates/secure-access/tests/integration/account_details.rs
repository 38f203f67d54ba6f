//! Changing the details of an account, on SQLite and PostgreSQL: the email address
//! (confirmed by a code sent to the new one; the old one told with a "this wasn't me"
//! link), and deleting the account (what is erased and kept, the SSN hold), through the
//! API and through the pages.

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

async fn deleting_an_account_erases_it_and_frees_the_username(backend: Backend) {
    use sa_domain::store::Store;
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("leaving.soon");
    let (_token, secret) = account_with_totp(&server, &client, &person).await;
    let account_id = server
        .running()
        .store
        .account_by_username(&person.username)
        .await
        .unwrap()
        .unwrap()
        .id;

    // A second factor older than 15 minutes is not enough.
    let fresh = sign_in_with_app(&server, &client, &person, &secret).await;
    server.clock.advance(time::Duration::minutes(10));
    call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&fresh),
        None,
        200,
    )
    .await;
    server.clock.advance(time::Duration::minutes(6));
    let stale = call(
        &client,
        Method::DELETE,
        server.url("/api/v1/account"),
        Some(&fresh),
        None,
        403,
    )
    .await;
    assert_eq!(stale["error"]["code"], "reauthentication_required");

    server.next_totp_step();
    let token = sign_in_with_app(&server, &client, &person, &secret).await;
    let mark = server.settled_outbox_mark().await;
    call(
        &client,
        Method::DELETE,
        server.url("/api/v1/account"),
        Some(&token),
        None,
        204,
    )
    .await;
    let told = server.message_after(mark, &person.email).await;
    assert_eq!(told["template"], "account_deleted");

    // Gone: no session, no sign-in, the username free; the audit log keeps the record.
    call(
        &client,
        Method::GET,
        server.url("/api/v1/factors"),
        Some(&token),
        None,
        401,
    )
    .await;
    call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": person.username, "password": person.password})),
        401,
    )
    .await;
    let store = &server.running().store;
    let tombstone = store
        .account_by_id(&account_id)
        .await
        .unwrap()
        .expect("tombstone");
    assert!(tombstone.deleted_at.is_some());
    assert!(tombstone.email_sealed.is_empty());
    assert!(store.factors(&account_id).await.unwrap().is_empty());
    assert!(
        store
            .security_events(&account_id, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let audit = store
        .audit_entries(Some(&account_id), 0, 100)
        .await
        .unwrap();
    assert!(
        audit.iter().any(|e| e.event.action == "account.deleted"),
        "{audit:?}"
    );
    sign_up_confirmed(&server, &client, &person).await;
    server.finish().await;
}

/// A deleted verified account holds its SSN for 30 days, then another account may
/// verify with it.
async fn a_deleted_identity_is_held_then_released(backend: Backend) {
    use crate::common::applicant::*;
    let person = Person::new("verified.leaver");
    let server = crate::recovery_verified::verified_account(backend, &person).await;
    let client = api_client();
    let started = password_step(&server, &client, &person).await;
    let pending = started["session_token"].as_str().unwrap();
    let mark = server.settled_outbox_mark().await;
    call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions/sms"),
        Some(pending),
        None,
        202,
    )
    .await;
    let code = server.code_after(mark, OWN_MOBILE).await;
    let signed_in = second_factor(&server, &client, pending, "sms", &code, 200).await;
    let token = signed_in["session_token"].as_str().unwrap();
    call(
        &client,
        Method::DELETE,
        server.url("/api/v1/account"),
        Some(token),
        None,
        204,
    )
    .await;

    let newcomer = Person::new("verified.returner");
    let other = sign_up_to_proofing(&server, &client, &newcomer).await;
    let held = step(&server, &client, &other, "/identity", Some(identity()), 200).await;
    assert_eq!(held["next"], "exception_processing", "{held}");

    server.clock.advance(time::Duration::days(31));
    let later = Person::new("verified.later");
    let token = sign_up_to_proofing(&server, &client, &later).await;
    let matched = step(&server, &client, &token, "/identity", Some(identity()), 200).await;
    assert_eq!(matched["next"], "proofing_financial_account", "{matched}");
    server.finish().await;
}

async fn deleting_through_the_pages(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("page.leaver");
    let (_token, secret) = account_with_totp(&server, &client, &person).await;
    let browser = Browser::new(&server);
    browser.sign_in(&server, &person, &secret).await;
    let page = browser.page("/account/delete").await;
    assert!(
        page.contains("30 days"),
        "the hold comes from the configuration"
    );
    let done = browser.post(&page, "/account/delete", &[]).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert!(done.text.contains("Your account was deleted"));
    let after = browser.get("/account/security").await;
    assert_eq!(after.location.as_deref(), Some("/sign-in"));
    server.finish().await;
}

on_both_databases!(
    email_change_is_confirmed_and_told,
    email_change_through_the_pages,
    deleting_an_account_erases_it_and_frees_the_username,
    a_deleted_identity_is_held_then_released,
    deleting_through_the_pages,
);
