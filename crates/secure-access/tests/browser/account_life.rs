//! The life of an account in Chromium, with JavaScript and without, every page checked
//! by axe-core: changing the email address and deleting the account, a verified person
//! verifying again online to replace a lost phone, and the help desk creating an
//! account for a caller.

use serde_json::json;

use crate::common::applicant::{
    self, CARD_LAST_8, FILING_STATUS, IDENTITY_CHOICES, IDENTITY_FIELDS, OWN_MOBILE,
};
use crate::common::*;
use crate::driver::*;
use crate::journeys::sign_in_with_password;

/// Sign in through the pages with the password and the authenticator app.
async fn sign_in_with_app(server: &TestServer, b: &mut Browser, person: &Person, secret: &str) {
    sign_in_with_password(b, person).await;
    b.fill("totp-code", &server.totp_now(secret)).await;
    b.press_in_form_with("totp-code", "Continue").await;
    b.arrive("/account/security", "signed-in").await;
    server.next_totp_step();
}

async fn changes_email_then_deletes_the_account(js: Js) {
    let Some(tools) = tools() else { return };
    let server = TestServer::start_with(Backend::Sqlite, |_| {}).await;
    let person = Person::new("browser.mover");
    let secret = api_account_with_totp(&server, &person).await;
    let mut b = Browser::start(&tools, &server.base, "email-and-delete", js).await;
    sign_in_with_app(&server, &mut b, &person, &secret).await;

    b.follow("Change your email address").await;
    b.arrive("/account/email", "change-email").await;
    b.fill("email", "browser.moved@example.test").await;
    let mark = server.settled_outbox_mark().await;
    b.press("Send a code").await;
    b.comes_to_say("Code from the email").await;
    b.page("email-code").await;
    let code = server.code_after(mark, "browser.moved@example.test").await;
    b.fill("code", &code).await;
    b.press("Confirm new address").await;
    b.comes_to_say("Your email address was changed").await;
    b.page("email-changed").await;

    b.goto("/account/security").await;
    b.arrive("/account/security", "security").await;
    b.follow("Delete your account").await;
    b.arrive("/account/delete", "delete-account").await;
    b.press("Delete my account").await;
    b.comes_to_say("Your account was deleted").await;
    b.page("deleted").await;

    b.finish().await;
    server.finish().await;
}

/// Verify the applicant through the API: identity, card, own mobile (now the factor).
async fn api_verified_account(server: &TestServer, person: &Person) {
    let client = api_client();
    let mark = server.outbox_mark();
    let created = call(&client, reqwest::Method::POST, server.url("/api/v1/accounts"), None, Some(json!({"username": person.username, "email": person.email, "password": person.password})), 201).await;
    let token = created["session_token"].as_str().unwrap().to_owned();
    let code = server.code_after(mark, &person.email).await;
    call(
        &client,
        reqwest::Method::POST,
        server.url("/api/v1/accounts/email/confirm"),
        Some(&token),
        Some(json!({"code": code})),
        200,
    )
    .await;
    let step = |path: &str| server.url(&format!("/api/v1/proofing{path}"));
    let identity = json!({"first_name": "Roberta", "last_name": "Testperson", "date_of_birth": "1980-04-15", "ssn": applicant::SSN,
        "filing_status": FILING_STATUS, "address": {"street": "123 Example Street", "unit": "Apartment 4", "city": "Springfield", "state": "VA", "zip": "22150"}});
    call(
        &client,
        reqwest::Method::POST,
        step("/identity"),
        Some(&token),
        Some(identity),
        200,
    )
    .await;
    call(
        &client,
        reqwest::Method::POST,
        step("/financial-account"),
        Some(&token),
        Some(json!({"kind": "credit_card", "account_number": CARD_LAST_8})),
        200,
    )
    .await;
    let mark = server.settled_outbox_mark().await;
    call(
        &client,
        reqwest::Method::POST,
        step("/phone"),
        Some(&token),
        Some(json!({"phone": OWN_MOBILE})),
        200,
    )
    .await;
    let code = server.code_after(mark, OWN_MOBILE).await;
    let verified = call(
        &client,
        reqwest::Method::POST,
        step("/phone/confirm"),
        Some(&token),
        Some(json!({"code": code})),
        200,
    )
    .await;
    assert_eq!(verified["result"], "verified");
}

async fn verifies_again_to_replace_a_lost_phone(js: Js) {
    let Some(tools) = tools() else { return };
    let server =
        TestServer::start_with(Backend::Sqlite, |c| c.require_identity_verification = true).await;
    applicant::load_records(&server).await;
    let person = Person::new("browser.lostphone.verified");
    api_verified_account(&server, &person).await;
    let mut b = Browser::start(&tools, &server.base, "recover-online", js).await;

    sign_in_with_password(&mut b, &person).await;
    b.follow("I can't use any of these sign-in methods").await;
    b.arrive("/account-reset", "verified-options").await;
    b.follow("Verify my identity again").await;
    b.arrive("/account-reset/verify", "verify-again").await;
    for (id, value) in IDENTITY_FIELDS {
        b.fill(id, value).await;
    }
    for (id, value) in IDENTITY_CHOICES {
        b.choose(id, value).await;
    }
    b.choose("filing_status", FILING_STATUS).await;
    b.press("Continue").await;
    b.comes_to_say("Step 2 of 3").await;
    b.page("verify-again-financial").await;
    b.choose("kind", "credit_card").await;
    b.fill("account_number", CARD_LAST_8).await;
    b.press("Continue").await;
    b.comes_to_say("Step 3 of 3").await;
    b.page("verify-again-phone").await;
    b.fill("phone", OWN_MOBILE).await;
    let mark = server.settled_outbox_mark().await;
    b.press("Text me a code").await;
    b.comes_to_say("the code we texted").await;
    b.page("verify-again-code").await;
    let code = server.code_after(mark, OWN_MOBILE).await;
    b.fill("code", &code).await;
    b.press("Use this phone to sign in").await;
    b.arrive("/account/security", "recovered").await;

    b.finish().await;
    server.finish().await;
}

async fn help_desk_creates_an_account_for_a_caller(js: Js) {
    let Some(tools) = tools() else { return };
    let server = TestServer::start_with(Backend::Sqlite, |_| {}).await;
    applicant::load_records(&server).await;
    let assistor = Person::new("browser.assistor");
    let secret = api_account_with_totp(&server, &assistor).await;
    server
        .running()
        .services
        .roles()
        .grant_staff_role(
            sa_domain::journeys::RoleAdmin::Console,
            &assistor.username,
            "help_desk",
            None,
        )
        .await
        .unwrap();
    let mut b = Browser::start(&tools, &server.base, "help-desk-new-account", js).await;
    sign_in_with_app(&server, &mut b, &assistor, &secret).await;

    b.goto("/staff").await;
    b.arrive("/staff", "staff-search").await;
    b.fill("new_username", "phoned.in.caller").await;
    b.fill("email", "phoned.in.caller@example.test").await;
    b.fill("ssn", applicant::SSN).await;
    b.press("Create account").await;
    b.arrive("/staff/accounts/*", "new-caller-account").await;
    b.says("The account was created").await;

    b.finish().await;
    server.finish().await;
}

crate::with_and_without_javascript!(
    changes_email_then_deletes_the_account,
    verifies_again_to_replace_a_lost_phone,
    help_desk_creates_an_account_for_a_caller,
);
