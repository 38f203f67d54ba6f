//! Velocity, on SQLite and PostgreSQL: one phone offered for two SSNs, or one IP
//! address proving more SSNs than allowed, does not verify online. The reason is
//! recorded (`phone_many_ssns`, `ip_many_ssns`), the person is offered the letter and
//! is never told fraud is suspected.

use serde_json::{Value, json};

use crate::common::applicant::*;
use crate::common::*;
use crate::on_both_databases;

/// A second person with the applicant's name (another SSN, birth date and address), so
/// the applicant's own mobile matches both by name: only velocity tells them apart.
const NAMESAKE_SSN: &str = "900-12-7777";

async fn load_namesake(server: &TestServer) {
    use sa_domain::proofing::records::RecordKind;
    let returns = json!({"ssn": NAMESAKE_SSN, "tax_year": 2025, "first_name": "Roberta",
        "last_name": "Testperson", "date_of_birth": "1985-06-01", "filing_status": "single",
        "address": {"street": "55 Sample Ave", "city": "Springfield", "state": "VA", "zip": "22150"},
        "agi": 40000});
    let accounts = json!({"ssn": NAMESAKE_SSN, "kind": "credit_card",
        "account_number": "4000 9999 8888 7777", "holder_name": "Roberta Testperson",
        "status": "open"});
    import_records(
        server,
        RecordKind::TaxReturns,
        "namesake-returns.jsonl",
        &[returns],
    )
    .await;
    import_records(
        server,
        RecordKind::FinancialAccounts,
        "namesake-accounts.jsonl",
        &[accounts],
    )
    .await;
}

fn namesake_identity() -> Value {
    json!({
        "first_name": "Roberta", "last_name": "Testperson",
        "date_of_birth": "06/01/1985", "ssn": NAMESAKE_SSN, "filing_status": "single",
        "address": {"street": "55 Sample Avenue", "city": "Springfield", "state": "Virginia",
            "zip": "22150"}
    })
}

async fn server_with(backend: Backend, per_phone: i64, per_ip: i64) -> TestServer {
    let server = TestServer::start_with(backend, |c| {
        c.require_identity_verification = true;
        c.limits.proofing_ssns_per_phone = per_phone;
        c.limits.proofing_ssns_per_ip = per_ip;
    })
    .await;
    load_records(&server).await;
    load_namesake(&server).await;
    server
}

/// The namesake through identity and card; then their phone step's answer.
async fn namesake_phone_step(server: &TestServer, client: &reqwest::Client, name: &str) -> Value {
    let person = Person::new(name);
    let token = sign_up_to_proofing(server, client, &person).await;
    let id = step(
        server,
        client,
        &token,
        "/identity",
        Some(namesake_identity()),
        200,
    )
    .await;
    assert_eq!(id["result"], "matched", "{id}");
    let card = json!({"kind": "credit_card", "account_number": "4000-9999-8888-7777"});
    let fin = step(
        server,
        client,
        &token,
        "/financial-account",
        Some(card),
        200,
    )
    .await;
    assert_eq!(fin["result"], "matched", "{fin}");
    let phone = step(
        server,
        client,
        &token,
        "/phone",
        Some(json!({"phone": OWN_MOBILE})),
        200,
    )
    .await;
    let reasons = attempts(server, &person.username).await[0].2.clone();
    json!({"answer": phone, "reasons": reasons})
}

/// The applicant through identity and card; their own mobile gets a code.
async fn applicant_gets_a_code(server: &TestServer, client: &reqwest::Client, name: &str) {
    let token = sign_up_to_proofing(server, client, &Person::new(name)).await;
    through_financial(server, client, &token).await;
    let sent = step(
        server,
        client,
        &token,
        "/phone",
        Some(json!({"phone": OWN_MOBILE})),
        200,
    )
    .await;
    assert_eq!(sent["result"], "code_sent", "{sent}");
}

fn assert_offered_the_letter(answer: &Value) {
    assert_eq!(answer["result"], "not_matched", "{answer}");
    assert_eq!(answer["next"], "proofing_phone");
    let message = answer["message"]
        .as_str()
        .unwrap_or_default()
        .to_lowercase();
    assert!(message.contains("by mail"), "{message}");
    for word in ["fraud", "suspicious", "velocity"] {
        assert!(!message.contains(word), "{message}");
    }
}

async fn one_phone_verifies_one_ssn(backend: Backend) {
    let server = server_with(backend, 1, 50).await;
    let client = api_client();
    applicant_gets_a_code(&server, &client, "velocity.owner").await;
    // The same phone, offered for another SSN whose name it also matches.
    let second = namesake_phone_step(&server, &client, "velocity.namesake").await;
    assert_offered_the_letter(&second["answer"]);
    assert_eq!(second["reasons"], json!(["phone_many_ssns"]));
    server.finish().await;
}

async fn one_ip_proves_a_limited_number_of_ssns(backend: Backend) {
    let server = server_with(backend, 10, 1).await;
    let client = api_client();
    applicant_gets_a_code(&server, &client, "velocity.first").await;
    let second = namesake_phone_step(&server, &client, "velocity.second").await;
    assert_offered_the_letter(&second["answer"]);
    assert_eq!(second["reasons"], json!(["ip_many_ssns"]));
    server.finish().await;
}

on_both_databases!(
    one_phone_verifies_one_ssn,
    one_ip_proves_a_limited_number_of_ssns,
);
