//! Live sources, on SQLite and PostgreSQL: every kind of reference record answered by a
//! vendor's JSON API (a real HTTP server the test runs, holding the applicant's records;
//! nothing imported). A vendor that fails, is slow, or answers nonsense gives an honest
//! 503 `source_unavailable` naming that service, the try is not counted, the phone step
//! offers the letter (through the API and the pages), never a 500 or "maintenance";
//! the circuit breaker stops asking a vendor that is down; and all recovers when the
//! vendor does.

use std::time::Duration;

use reqwest::Method;
use sa_test_support::applicant::applicant_records;
use sa_test_support::vendor::{Behaviour, FakeVendor};
use sa_vendors::VendorSettings;
use serde_json::{Value, json};

use crate::common::applicant::*;
use crate::common::pages::Browser;
use crate::common::*;
use crate::on_both_databases;
use crate::proofing_pages::{identity_with, sign_up_with_pages};

const API_KEY: &str = "test-vendor-key-not-a-secret";

async fn vendor() -> FakeVendor {
    let records = applicant_records()
        .into_iter()
        .map(|(kind, _, lines)| (kind, lines))
        .collect();
    FakeVendor::start(records, Some(API_KEY)).await
}

/// A server whose returns and accounts come from `vendor` and phone records from
/// `carrier`: one retry, a short timeout, and a breaker that opens after 2 failed
/// lookups for 30 seconds.
async fn server_on(backend: Backend, vendor: &FakeVendor, carrier: &FakeVendor) -> TestServer {
    let settings = VendorSettings {
        url: vendor.url.clone(),
        api_key: Some(API_KEY.to_owned()),
        timeout_ms: 300,
        retries: 1,
        backoff_ms: 10,
        breaker_failures: 2,
        breaker_cooldown_secs: 30,
    };
    TestServer::start_with(backend, |c| {
        c.require_identity_verification = true;
        c.sources.tax_returns = Some(settings.clone());
        c.sources.financial_accounts = Some(settings.clone());
        c.sources.phone_records = Some(VendorSettings {
            url: carrier.url.clone(),
            ..settings
        });
    })
    .await
}

async fn remaining(server: &TestServer, client: &reqwest::Client, token: &str) -> Value {
    let state = call(
        client,
        Method::GET,
        server.url("/api/v1/proofing"),
        Some(token),
        None,
        200,
    )
    .await;
    state["attempts_remaining"].clone()
}

fn assert_honest(answer: &Value, names: &str) {
    let error = &answer["error"];
    assert_eq!(error["code"], "source_unavailable", "{answer}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains(names), "{message}");
    assert!(message.contains("not counted"), "{message}");
    assert!(!message.to_lowercase().contains("maintenance"), "{message}");
}

async fn verifies_online_against_live_vendors(backend: Backend) {
    let vendor = vendor().await;
    let server = server_on(backend, &vendor, &vendor).await;
    let client = api_client();
    let token = sign_up_to_proofing(&server, &client, &Person::new("live.ok")).await;
    through_financial(&server, &client, &token).await;
    verify_by_own_mobile(&server, &client, &token).await;
    assert!(vendor.requests() >= 3, "every kind was asked");
    // The new line in the applicant's name is still caught by its tenure.
    server.finish().await;
}

async fn a_failing_phone_vendor_offers_the_letter_and_recovers(backend: Backend) {
    let vendor = vendor().await;
    let server = server_on(backend, &vendor, &vendor).await;
    let client = api_client();
    let token = sign_up_to_proofing(&server, &client, &Person::new("live.down")).await;
    through_financial(&server, &client, &token).await;
    let before = remaining(&server, &client, &token).await;

    vendor.behave(Behaviour::Failing(503));
    let asked = vendor.requests();
    let down = step(
        &server,
        &client,
        &token,
        "/phone",
        Some(json!({"phone": OWN_MOBILE})),
        503,
    )
    .await;
    assert_honest(&down, "phone carriers");
    assert!(
        down["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("by mail")
    );
    assert_eq!(down["error"]["next"], "proofing_phone");
    assert_eq!(
        remaining(&server, &client, &token).await,
        before,
        "the try was given back"
    );
    assert_eq!(vendor.requests(), asked + 2, "one try and one retry");

    // A second failed lookup opens the breaker: the vendor is not asked again.
    step(
        &server,
        &client,
        &token,
        "/phone",
        Some(json!({"phone": OWN_MOBILE})),
        503,
    )
    .await;
    let asked = vendor.requests();
    let refused = step(
        &server,
        &client,
        &token,
        "/phone",
        Some(json!({"phone": OWN_MOBILE})),
        503,
    )
    .await;
    assert_honest(&refused, "phone carriers");
    assert_eq!(vendor.requests(), asked, "an open breaker asks nobody");

    // The vendor is back; after the cool-down one trial goes through and it works.
    vendor.behave(Behaviour::Healthy);
    server.clock.advance(time::Duration::seconds(31));
    verify_by_own_mobile(&server, &client, &token).await;
    server.finish().await;
}

async fn slow_and_nonsense_answers_are_no_answer(backend: Backend) {
    let vendor = vendor().await;
    let server = server_on(backend, &vendor, &vendor).await;
    let client = api_client();
    for (n, behaviour) in [
        Behaviour::Slow(Duration::from_secs(3)),
        Behaviour::Malformed,
        Behaviour::SomeoneElse,
        Behaviour::Failing(500),
    ]
    .into_iter()
    .enumerate()
    {
        // Each on a fresh server clock window: the breaker is closed again.
        server.clock.advance(time::Duration::seconds(31));
        vendor.behave(Behaviour::Healthy);
        let token =
            sign_up_to_proofing(&server, &client, &Person::new(&format!("live.bad{n}"))).await;
        vendor.behave(behaviour.clone());
        let before = remaining(&server, &client, &token).await;
        let answer = step(&server, &client, &token, "/identity", Some(identity()), 503).await;
        assert_honest(&answer, "tax-records system");
        assert_eq!(
            remaining(&server, &client, &token).await,
            before,
            "{behaviour:?}: not counted"
        );
        vendor.behave(Behaviour::Healthy);
        server.clock.advance(time::Duration::seconds(31));
        let id = step(&server, &client, &token, "/identity", Some(identity()), 200).await;
        assert_eq!(id["result"], "matched", "{behaviour:?}: recovered: {id}");
        vendor.behave(behaviour.clone());
        let card = json!({"kind": "credit_card", "account_number": CARD_LAST_8});
        let answer = step(
            &server,
            &client,
            &token,
            "/financial-account",
            Some(card),
            503,
        )
        .await;
        assert_honest(&answer, "credit bureau");
    }
    server.finish().await;
}

async fn the_phone_page_says_the_vendor_is_down_and_offers_the_letter(backend: Backend) {
    let (vendor, carrier) = (vendor().await, vendor().await);
    let server = server_on(backend, &vendor, &carrier).await;
    let browser = Browser::with_user_agent(&server, "Mozilla/5.0 (live sources)");
    let person = Person::new("live.pages");
    sign_up_with_pages(&server, &browser, &person).await;
    let form = browser.page("/verify/identity").await;
    let next = browser
        .post(&form, "/verify/identity", &identity_with("zip", "22150"))
        .await;
    assert_eq!(
        next.location.as_deref(),
        Some("/verify/financial-account"),
        "{}",
        next.text
    );
    let form = browser.page("/verify/financial-account").await;
    let next = browser
        .post(
            &form,
            "/verify/financial-account",
            &[("kind", "credit_card"), ("account_number", CARD_LAST_8)],
        )
        .await;
    assert_eq!(
        next.location.as_deref(),
        Some("/verify/phone"),
        "{}",
        next.text
    );

    carrier.behave(Behaviour::Failing(502));
    let form = browser.page("/verify/phone").await;
    let down = browser
        .post(&form, "/verify/phone", &[("phone", "(202) 555-0143")])
        .await;
    assert_eq!(down.status, 503, "{}", down.text);
    assert!(down.text.contains("phone carriers"), "{}", down.text);
    assert!(down.text.contains("by mail"), "{}", down.text);
    assert!(
        down.text.contains("/verify/mail"),
        "the letter is one click away: {}",
        down.text
    );
    assert!(!down.text.to_lowercase().contains("maintenance"));

    // The letter path works while the carrier service is down.
    let next = browser.post(&down.text, "/verify/mail", &[]).await;
    assert_eq!(next.status, 303, "{}", next.text);
    server.finish().await;
}

on_both_databases!(
    verifies_online_against_live_vendors,
    a_failing_phone_vendor_offers_the_letter_and_recovers,
    slow_and_nonsense_answers_are_no_answer,
    the_phone_page_says_the_vendor_is_down_and_offers_the_letter,
);
