//! Recovery through the pages, without JavaScript, on SQLite and PostgreSQL: "Forgot
//! your password?" from the sign-in page, the "this wasn't me" link (a GET that changes
//! nothing, then one press), and "I can't use any of these sign-in methods" with its
//! waiting period.

use time::Duration;

use crate::common::pages::{Browser, between};
use crate::common::*;
use crate::on_both_databases;

fn link_path(message: &serde_json::Value) -> String {
    let body = message["body"].as_str().expect("body");
    let url = between(body, "\n", "\nIt signs out");
    let url = url.rsplit('\n').next().expect("link line");
    let start = url.find("/account/disavow").expect("link");
    url[start..].to_owned()
}

async fn forgot_password_through_the_pages(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("page.forgetter");
    let (_token, secret) = account_with_totp(&server, &client, &person).await;

    let browser = Browser::new(&server);
    let sign_in = browser.page("/sign-in").await;
    assert!(
        sign_in.contains("href=\"/password-reset\""),
        "a link from sign-in"
    );
    let form = browser.page("/password-reset").await;
    let mark = server.settled_outbox_mark().await;
    let code_form = browser
        .post(&form, "/password-reset", &[("username", &person.username)])
        .await;
    assert_eq!(code_form.status, 200);
    assert!(code_form.text.contains("Code from the email"));
    let code = server.code_after(mark, &person.email).await;

    // A weak password is tied to its field; then the right one.
    let weak = browser
        .post(
            &code_form.text,
            "/password-reset/confirm",
            &[
                ("username", &person.username),
                ("code", &code),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(weak.status, 400);
    assert!(weak.text.contains("id=\"password-error\""), "{}", weak.text);
    let done = browser
        .post(
            &weak.text,
            "/password-reset/confirm",
            &[
                ("username", &person.username),
                ("code", &code),
                ("password", "velvet harbor compass 9"),
            ],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert!(done.text.contains("Your password was changed"));

    // Signing in still asks for the second factor.
    let reset_person = Person {
        password: "velvet harbor compass 9".into(),
        ..person.clone()
    };
    browser.sign_in(&server, &reset_person, &secret).await;
    server.finish().await;
}

async fn this_wasnt_me_through_the_pages(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("page.disavower");
    let (token, _secret) = account_with_totp(&server, &client, &person).await;
    add_confirmed_phone(&server, &client, &token, "+12025550151").await;
    let notice = server
        .messages_with("factor_changed", &person.email, 2)
        .await
        .pop()
        .expect("notice");
    let path = link_path(&notice);

    let browser = Browser::new(&server);
    // Opening the link (as a mail scanner would) changes nothing.
    let page = browser.page(&path).await;
    assert!(page.contains("Protect my account"));
    call(
        &client,
        reqwest::Method::GET,
        server.url("/api/v1/factors"),
        Some(&token),
        None,
        200,
    )
    .await;

    let token_value = between(&page, "name=\"token\" value=\"", "\"").to_owned();
    let done = browser
        .post(&page, "/account/disavow", &[("token", &token_value)])
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert!(done.text.contains("Your account is protected"));
    call(
        &client,
        reqwest::Method::GET,
        server.url("/api/v1/factors"),
        Some(&token),
        None,
        401,
    )
    .await;
    let again = browser
        .post(&page, "/account/disavow", &[("token", &token_value)])
        .await;
    assert_eq!(again.status, 409);
    assert!(again.text.contains("already used"));

    // The sign-in page explains the next step.
    let sign_in = browser.page("/sign-in").await;
    let refused = browser
        .post(
            &sign_in,
            "/sign-in",
            &[
                ("username", &person.username),
                ("password", &person.password),
            ],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert!(
        refused.text.contains("choose a new password"),
        "{}",
        refused.text
    );
    server.finish().await;
}

async fn lost_sign_in_methods_through_the_pages(backend: Backend) {
    let server = TestServer::start(backend).await;
    let client = api_client();
    let person = Person::new("page.lostphone");
    account_with_totp(&server, &client, &person).await;

    let browser = Browser::new(&server);
    let sign_in = browser.page("/sign-in").await;
    let started = browser
        .post(
            &sign_in,
            "/sign-in",
            &[
                ("username", &person.username),
                ("password", &person.password),
            ],
        )
        .await;
    assert_eq!(started.location.as_deref(), Some("/sign-in/second-factor"));
    let factor_page = browser.page("/sign-in/second-factor").await;
    assert!(factor_page.contains("href=\"/account-reset\""));
    let reset_page = browser.page("/account-reset").await;
    assert!(
        reset_page.contains("Start the 24-hour reset"),
        "{reset_page}"
    );
    let started = browser.post(&reset_page, "/account-reset", &[]).await;
    assert_eq!(started.location.as_deref(), Some("/account-reset"));
    let waiting = browser.page("/account-reset").await;
    assert!(waiting.contains("Your reset is waiting"));
    server
        .messages_with("account_reset_started", &person.email, 1)
        .await;

    server
        .clock
        .advance(Duration::hours(24) + Duration::minutes(1));
    let sign_in = browser.page("/sign-in").await;
    browser
        .post(
            &sign_in,
            "/sign-in",
            &[
                ("username", &person.username),
                ("password", &person.password),
            ],
        )
        .await;
    let ready = browser.page("/account-reset").await;
    assert!(ready.contains("Your reset is ready"), "{ready}");
    let done = browser.post(&ready, "/account-reset/complete", &[]).await;
    assert_eq!(done.status, 303);
    assert_eq!(done.location.as_deref(), Some("/second-factor/setup"));
    server.finish().await;
}

async fn recovery_letter_through_the_pages(backend: Backend) {
    let person = Person::new("page.verified");
    let server = crate::recovery_verified::verified_account(backend, &person).await;
    let browser = Browser::new(&server);
    let sign_in = browser.page("/sign-in").await;
    browser
        .post(
            &sign_in,
            "/sign-in",
            &[
                ("username", &person.username),
                ("password", &person.password),
            ],
        )
        .await;
    let page = browser.page("/account-reset").await;
    assert!(page.contains("800-555-0199"), "the configured help desk");
    let asked = browser.post(&page, "/account-reset/letter", &[]).await;
    assert_eq!(asked.location.as_deref(), Some("/account-reset"));
    let waiting = browser.page("/account-reset").await;
    assert!(
        waiting.contains("Recovery code from the letter"),
        "{waiting}"
    );
    let code = crate::recovery_verified::newest_letter_code(&server, 1).await;
    let wrong = browser
        .post(
            &waiting,
            "/account-reset/letter/confirm",
            &[("code", "AAAA-BBBB-CCCC")],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.text.contains("id=\"code-error\""), "{}", wrong.text);
    let done = browser
        .post(
            &wrong.text,
            "/account-reset/letter/confirm",
            &[("code", &code)],
        )
        .await;
    assert_eq!(done.location.as_deref(), Some("/second-factor/setup"));
    server.finish().await;
}

async fn online_recovery_through_the_pages(backend: Backend) {
    use crate::common::applicant::{CARD_LAST_8, OWN_MOBILE};
    let person = Person::new("page.reverify");
    let server = crate::recovery_verified::verified_account(backend, &person).await;
    let browser = Browser::new(&server);
    let sign_in = browser.page("/sign-in").await;
    browser
        .post(
            &sign_in,
            "/sign-in",
            &[
                ("username", &person.username),
                ("password", &person.password),
            ],
        )
        .await;
    let options = browser.page("/account-reset").await;
    assert!(options.contains("href=\"/account-reset/verify\""));
    let form = browser.page("/account-reset/verify").await;
    assert!(form.contains("id=\"first_name\""), "{form}");
    let mut typo: Vec<(&str, &str)> = crate::proofing_pages::FIELDS.to_vec();
    typo[4] = ("date_of_birth", "1980-04-16");
    let wrong = browser
        .post(&form, "/account-reset/verify/identity", &typo)
        .await;
    assert_eq!(wrong.status, 200);
    assert!(wrong.text.contains("role=\"alert\""));
    let matched = browser
        .post(
            &wrong.text,
            "/account-reset/verify/identity",
            &crate::proofing_pages::FIELDS,
        )
        .await;
    assert_eq!(matched.location.as_deref(), Some("/account-reset/verify"));
    let financial = browser.page("/account-reset/verify").await;
    assert!(financial.contains("Step 2 of 3"));
    let next = browser
        .post(
            &financial,
            "/account-reset/verify/financial-account",
            &[("kind", "credit_card"), ("account_number", CARD_LAST_8)],
        )
        .await;
    assert_eq!(next.location.as_deref(), Some("/account-reset/verify"));
    let phone = browser.page("/account-reset/verify").await;
    let mark = server.settled_outbox_mark().await;
    browser
        .post(
            &phone,
            "/account-reset/verify/phone",
            &[("phone", OWN_MOBILE)],
        )
        .await;
    let code_page = browser.page("/account-reset/verify").await;
    assert!(code_page.contains("Step 3 of 3: the code we texted"));
    let code = server.code_after(mark, OWN_MOBILE).await;
    let done = browser
        .post(
            &code_page,
            "/account-reset/verify/phone/confirm",
            &[("code", &code)],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.text);
    let security = browser.page("/account/security").await;
    assert!(
        security.contains("Identity verified again"),
        "the history says so"
    );
    server.finish().await;
}

on_both_databases!(
    online_recovery_through_the_pages,
    recovery_letter_through_the_pages,
    forgot_password_through_the_pages,
    this_wasnt_me_through_the_pages,
    lost_sign_in_methods_through_the_pages,
);
