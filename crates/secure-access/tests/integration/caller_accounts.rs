//! The help desk creates an account for a caller who has none, on SQLite and
//! PostgreSQL: the assistor enters username, email and SSN, runs the phone check, reads
//! the temporary password; the person signs in, chooses a password, confirms the email,
//! enters the mailed code and is verified. Through the API and the staff page.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::applicant::*;
use crate::common::pages::Browser;
use crate::common::staff::staff_member;
use crate::common::*;
use crate::on_both_databases;
use crate::staff_console::{answer, staff_server};

async fn help_desk_creates_an_account_for_a_caller(backend: Backend) {
    let server = staff_server(backend).await;
    let client = api_client();
    let assistor = staff_member(&server, &client, "assistor.new", &["help_desk"]).await;
    let clerk = staff_member(&server, &client, "clerk.new", &["assistance_center"]).await;
    let caller = Person::new("caller.without.account");
    let body = json!({"username": caller.username, "email": caller.email, "ssn": "900-12-3456"});

    // Only the help desk; an SSN with no return on file is refused with the next step.
    call(
        &client,
        Method::POST,
        server.url("/api/v1/staff/accounts"),
        Some(&clerk.token),
        Some(body.clone()),
        403,
    )
    .await;
    let no_return = call(
        &client,
        Method::POST,
        server.url("/api/v1/staff/accounts"),
        Some(&assistor.token),
        Some(json!({"username": "someone.else", "email": "x@example.test", "ssn": "900-99-9999"})),
        409,
    )
    .await;
    assert!(
        no_return["error"]["message"]
            .as_str()
            .unwrap()
            .contains("assistance center")
    );
    let bad_ssn = call(
        &client,
        Method::POST,
        server.url("/api/v1/staff/accounts"),
        Some(&assistor.token),
        Some(json!({"username": "someone.else", "email": "x@example.test", "ssn": "12"})),
        400,
    )
    .await;
    assert_eq!(bad_ssn["error"]["field"], "ssn");

    let created = call(
        &client,
        Method::POST,
        server.url("/api/v1/staff/accounts"),
        Some(&assistor.token),
        Some(body.clone()),
        201,
    )
    .await;
    assert_eq!(created["next"], "knowledge_check");
    let account_id = created["account_id"].as_str().unwrap().to_owned();
    let taken = call(
        &client,
        Method::POST,
        server.url("/api/v1/staff/accounts"),
        Some(&assistor.token),
        Some(body),
        409,
    )
    .await;
    assert_eq!(taken["error"]["code"], "username_taken");
    // Nobody knows the account's password.
    call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": caller.username, "password": caller.password})),
        401,
    )
    .await;

    // The phone check needs no SSN now: it is on file.
    let started = call(
        &client,
        Method::POST,
        server.url(&format!(
            "/api/v1/staff/accounts/{account_id}/knowledge-checks"
        )),
        Some(&assistor.token),
        Some(json!({})),
        201,
    )
    .await;
    let answers: serde_json::Map<String, Value> = started["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let id = q["id"].as_str().unwrap();
            (id.to_owned(), answer(id))
        })
        .collect();
    let check = started["check_id"].as_str().unwrap();
    let passed = call(
        &client,
        Method::POST,
        server.url(&format!("/api/v1/staff/knowledge-checks/{check}/answers")),
        Some(&assistor.token),
        Some(json!({"answers": answers})),
        200,
    )
    .await;
    assert_eq!(passed["result"], "passed");
    let temporary = passed["temporary_password"].as_str().unwrap().to_owned();

    // The person: temporary password, own password, email, mailed code, verified.
    let signed = call(
        &client,
        Method::POST,
        server.url("/api/v1/sessions"),
        None,
        Some(json!({"username": caller.username, "password": temporary})),
        200,
    )
    .await;
    assert_eq!(signed["next"], "change_password");
    let token = signed["session_token"].as_str().unwrap().to_owned();
    let changed = call(
        &client,
        Method::POST,
        server.url("/api/v1/account/password"),
        Some(&token),
        Some(json!({"new_password": "harbor lantern violet 12"})),
        200,
    )
    .await;
    assert_eq!(changed["next"], "confirm_email");
    let email_code = server
        .messages_with("email_confirmation", &caller.email, 1)
        .await[0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let confirmed = call(
        &client,
        Method::POST,
        server.url("/api/v1/accounts/email/confirm"),
        Some(&token),
        Some(json!({"code": email_code})),
        200,
    )
    .await;
    assert_eq!(confirmed["next"], "proofing_mail_code");
    let letter_code = server.letters(1).await[0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let verified = step(
        &server,
        &client,
        &token,
        "/mail/confirm",
        Some(json!({"code": letter_code})),
        200,
    )
    .await;
    assert_eq!(verified["next"], "setup_second_factor");

    let audit = call(
        &client,
        Method::GET,
        server.url(&format!("/api/v1/staff/audit?account={account_id}")),
        Some(&assistor.token),
        None,
        200,
    )
    .await;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"help_desk.account_created"),
        "{actions:?}"
    );
    assert!(actions.contains(&"help_desk.check_passed"), "{actions:?}");
    server.finish().await;
}

async fn help_desk_creates_an_account_with_the_staff_page(backend: Backend) {
    let server = staff_server(backend).await;
    let client = api_client();
    let assistor = staff_member(&server, &client, "assistor.page", &["help_desk"]).await;
    let browser = Browser::new(&server);
    browser
        .sign_in(&server, &Person::new("assistor.page"), &assistor.secret)
        .await;
    let page = browser.page("/staff").await;
    let taken = browser
        .post(
            &page,
            "/staff/accounts/new",
            &[
                ("new_username", "assistor.page"),
                ("email", "x@example.test"),
                ("ssn", SSN),
            ],
        )
        .await;
    assert_eq!(taken.status, 409);
    assert!(
        taken.text.contains("id=\"new_username-error\""),
        "{}",
        taken.text
    );
    let created = browser
        .post(
            &taken.text,
            "/staff/accounts/new",
            &[
                ("new_username", "phoned.in"),
                ("email", "phoned.in@example.test"),
                ("ssn", SSN),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.text);
    let location = created.location.unwrap();
    assert!(location.ends_with("?created=1"), "{location}");
    let account = browser.page(&location).await;
    assert!(account.contains("The account was created"));
    server.finish().await;
}

on_both_databases!(
    help_desk_creates_an_account_for_a_caller,
    help_desk_creates_an_account_with_the_staff_page,
);
