//! What people really type, accepted at the identity step on SQLite and PostgreSQL: the
//! API takes U.S. dates (`04/15/1980`), state names, SSNs with spaces and the whole card
//! number; the page takes the memorable date (month, day, year) and a state chosen from
//! its list. A different date of birth is still a different date.

use serde_json::json;

use crate::common::applicant::*;
use crate::common::pages::Browser;
use crate::common::*;
use crate::on_both_databases;

async fn proofing_server(backend: Backend) -> TestServer {
    let server = TestServer::start_with(backend, |c| c.require_identity_verification = true).await;
    load_records(&server).await;
    server
}

async fn the_api_reads_what_people_type(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let person = Person::new("typed.as.on.paper");
    let token = sign_up_to_proofing(&server, &client, &person).await;

    // Strict in what is matched: the day after is not "close enough".
    let mut next_day = identity();
    next_day["date_of_birth"] = json!("04/16/1980");
    let refused = step(&server, &client, &token, "/identity", Some(next_day), 200).await;
    assert_eq!(refused["result"], "not_matched");
    let two_digit = {
        let mut typed = identity();
        typed["date_of_birth"] = json!("4/15/80");
        typed
    };
    let unclear = step(&server, &client, &token, "/identity", Some(two_digit), 400).await;
    assert_eq!(unclear["error"]["field"], "date_of_birth");

    let mut typed = identity();
    typed["date_of_birth"] = json!("04/15/1980");
    typed["ssn"] = json!("900 12 3456");
    typed["address"]["state"] = json!("Virginia");
    typed["address"]["zip"] = json!("22150");
    let matched = step(&server, &client, &token, "/identity", Some(typed), 200).await;
    assert_eq!(matched["result"], "matched", "{matched}");
    let card = step(
        &server,
        &client,
        &token,
        "/financial-account",
        Some(json!({"kind": "credit_card", "account_number": "4000 1234 5678 9010"})),
        200,
    )
    .await;
    assert_eq!(card["result"], "matched", "the whole card number: {card}");
    server.finish().await;
}

async fn the_page_asks_for_the_date_the_american_way(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let person = Person::new("typed.on.the.page");
    sign_up_to_proofing(&server, &client, &person).await;
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
    let page = browser.page("/verify/identity").await;
    assert!(page.contains("name=\"dob_month\""), "a month list");
    assert!(page.contains("name=\"dob_day\"") && page.contains("name=\"dob_year\""));
    assert!(
        page.contains("<option value=\"VA\">Virginia</option>"),
        "a state list"
    );
    let fields = [
        ("first_name", "Roberta"),
        ("last_name", "Testperson"),
        ("dob_month", "4"),
        ("dob_day", "15"),
        ("dob_year", "1980"),
        ("ssn", "900-12-3456"),
        ("filing_status", "married_filing_jointly"),
        ("street", "123 Example St"),
        ("unit", "Apt 4"),
        ("city", "Springfield"),
        ("state", "VA"),
        ("zip", "22150"),
    ];
    let missing_year: Vec<(&str, &str)> = fields
        .iter()
        .map(|&(k, v)| if k == "dob_year" { (k, "") } else { (k, v) })
        .collect();
    let unclear = browser.post(&page, "/verify/identity", &missing_year).await;
    assert_eq!(unclear.status, 400);
    assert!(
        unclear.text.contains("id=\"date_of_birth-error\""),
        "{}",
        unclear.text
    );
    assert!(
        unclear.text.contains("<option value=\"4\" selected>"),
        "the month is kept"
    );
    let matched = browser
        .post(&unclear.text, "/verify/identity", &fields)
        .await;
    assert_eq!(matched.status, 303, "{}", matched.text);
    assert_eq!(
        matched.location.as_deref(),
        Some("/verify/financial-account")
    );
    server.finish().await;
}

/// A mobile line in the person's name but taken ten days ago does not verify on its
/// own: the answer is the usual "couldn't confirm that phone" with the letter offered
/// (never a word about fraud), and the funnel records `phone_recent_line`.
async fn a_line_taken_last_week_leads_to_the_letter(backend: Backend) {
    let server = proofing_server(backend).await;
    let client = api_client();
    let person = Person::new("new.line.holder");
    let token = sign_up_to_proofing(&server, &client, &person).await;
    through_financial(&server, &client, &token).await;
    let refused = step(
        &server,
        &client,
        &token,
        "/phone",
        Some(serde_json::json!({"phone": NEW_LINE})),
        200,
    )
    .await;
    assert_eq!(refused["result"], "not_matched", "{refused}");
    assert_eq!(
        refused["choices"],
        serde_json::json!(["proofing_phone", "proofing_mail_code"])
    );
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.contains("by mail") && !message.to_lowercase().contains("fraud"),
        "{message}"
    );
    let recorded = attempts(&server, &person.username).await;
    assert_eq!(
        recorded[0].2,
        vec!["phone_recent_line".to_owned()],
        "{recorded:?}"
    );
    // An established line still verifies.
    let sent = step(
        &server,
        &client,
        &token,
        "/phone",
        Some(serde_json::json!({"phone": OWN_MOBILE})),
        200,
    )
    .await;
    assert_eq!(sent["result"], "code_sent");
    server.finish().await;
}

on_both_databases!(
    a_line_taken_last_week_leads_to_the_letter,
    the_api_reads_what_people_type,
    the_page_asks_for_the_date_the_american_way,
);
