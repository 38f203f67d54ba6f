//! A synthetic applicant and the reference records that match them, loaded with the
//! real `records import`; plus the API steps proofing tests repeat. All obviously
//! made up: "Testperson", SSNs starting 900, "Example St", 555-01xx phone numbers.

use reqwest::Method;
use serde_json::{Value, json};

use super::{Person, TestServer, call};
use sa_domain::proofing::records::RecordKind;

/// The applicant's SSN (as typed) and their phones.
pub const SSN: &str = "900-12-3456";
pub const OWN_MOBILE: &str = "+12025550143";
pub const SPOUSE_MOBILE: &str = "+12025550144";
pub const BUSINESS_MOBILE: &str = "+12025550145";
pub const OWN_LANDLINE: &str = "+12025550146";
/// The card's last 8 digits and a closed mortgage's number.
pub const CARD_LAST_8: &str = "56789010";
pub const MORTGAGE: &str = "7700-123456";

/// Load the applicant's returns (2025 at the address of record, 2024 at the old
/// address), accounts and phones into the server's database.
pub async fn load_records(server: &TestServer) {
    let returns = [
        json!({"ssn": SSN, "tax_year": 2025, "first_name": "Roberta", "middle_name": "Quinn",
            "last_name": "Testperson", "date_of_birth": "1980-04-15",
            "filing_status": "married_filing_jointly",
            "address": {"street": "123 Example St", "unit": "Apt 4", "city": "Springfield", "state": "VA", "zip": "221501234"},
            "agi": 55000,
            "spouse": {"ssn": "900-65-4321", "first_name": "Samuel", "last_name": "Testperson", "date_of_birth": "1979-01-02"}}),
        json!({"ssn": SSN, "tax_year": 2024, "first_name": "Roberta", "last_name": "Testperson",
            "date_of_birth": "1980-04-15", "filing_status": "single",
            "address": {"street": "9 Old Example Rd", "city": "Springfield", "state": "VA", "zip": "22150"},
            "agi": 51000}),
    ];
    let accounts = [
        json!({"ssn": SSN, "kind": "credit_card", "account_number": "4000 1234 5678 9010",
            "holder_name": "Roberta Testperson", "status": "open"}),
        json!({"ssn": SSN, "kind": "mortgage", "account_number": MORTGAGE,
            "holder_name": "Roberta Testperson", "status": "closed"}),
    ];
    let phones = [
        json!({"phone": OWN_MOBILE, "line_type": "mobile", "account_type": "personal",
            "subscriber": {"first_name": "Roberta", "last_name": "Testperson"}}),
        json!({"phone": SPOUSE_MOBILE, "line_type": "mobile", "account_type": "personal",
            "subscriber": {"first_name": "Samuel", "last_name": "Testperson"}}),
        json!({"phone": BUSINESS_MOBILE, "line_type": "mobile", "account_type": "business",
            "subscriber": {"organization": "Example Widgets LLC"}}),
        json!({"phone": OWN_LANDLINE, "line_type": "landline", "account_type": "personal",
            "subscriber": {"first_name": "Roberta", "last_name": "Testperson"}}),
    ];
    for (kind, name, lines) in [
        (RecordKind::TaxReturns, "returns.jsonl", &returns[..]),
        (
            RecordKind::FinancialAccounts,
            "accounts.jsonl",
            &accounts[..],
        ),
        (RecordKind::PhoneRecords, "phones.jsonl", &phones[..]),
    ] {
        let path = server.data_dir.path().join(name);
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        std::fs::write(&path, text).expect("write records");
        let report = secure_access::commands::records::import::run(
            &server.config,
            std::sync::Arc::new(server.clock.clone()),
            kind,
            &path,
        )
        .await
        .expect("import");
        assert_eq!(report.rejected, 0, "{report}");
    }
}

/// What the applicant types at the identity step: messy but matching the 2025 return
/// (case, "Street"/"Apartment", ZIP without +4, nickname-free).
pub fn identity() -> Value {
    json!({
        "first_name": "roberta", "middle_name": "Q", "last_name": "TESTPERSON",
        "date_of_birth": "1980-04-15", "ssn": "900123456",
        "filing_status": "married_filing_jointly",
        "address": {"street": "123 Example Street", "unit": "Apartment 4",
            "city": "Springfield", "state": "va", "zip": "22150"}
    })
}

/// The same person typing their previous address (they moved): matches the 2024 return.
pub fn identity_at_old_address() -> Value {
    json!({
        "first_name": "Roberta", "last_name": "Testperson",
        "date_of_birth": "1980-04-15", "ssn": SSN, "filing_status": "single",
        "address": {"street": "9 Old Example Road", "city": "Springfield", "state": "VA", "zip": "22150"}
    })
}

/// Sign up and confirm the email where identity verification is required; returns
/// the session token (next: proofing_identity).
pub async fn sign_up_to_proofing(
    server: &TestServer,
    client: &reqwest::Client,
    person: &Person,
) -> String {
    super::sign_up_and_confirm(server, client, person, "proofing_identity").await
}

/// POST a proofing step and assert the status.
pub async fn step(
    server: &TestServer,
    client: &reqwest::Client,
    token: &str,
    path: &str,
    body: Option<Value>,
    expected: u16,
) -> Value {
    call(
        client,
        Method::POST,
        server.url(&format!("/api/v1/proofing{path}")),
        Some(token),
        body.or(Some(json!({}))),
        expected,
    )
    .await
}

/// Identity and financial account passed: the case is at the phone step.
pub async fn through_financial(server: &TestServer, client: &reqwest::Client, token: &str) {
    let id = step(server, client, token, "/identity", Some(identity()), 200).await;
    assert_eq!(id["result"], "matched", "{id}");
    let fin = step(
        server,
        client,
        token,
        "/financial-account",
        Some(json!({"kind": "credit_card", "account_number": CARD_LAST_8})),
        200,
    )
    .await;
    assert_eq!(fin["result"], "matched", "{fin}");
    assert_eq!(fin["next"], "proofing_phone");
}

/// The reason codes recorded for the account's attempts, newest first.
pub async fn attempts(server: &TestServer, username: &str) -> Vec<(String, String, Vec<String>)> {
    use sa_domain::store::Store;
    let store = &server.running().store;
    let account = store
        .account_by_username(username)
        .await
        .expect("read")
        .expect("account");
    store
        .proofing_attempts(&account.id, 100)
        .await
        .expect("attempts")
        .into_iter()
        .map(|a| (a.step, a.result.as_str().to_owned(), a.reasons))
        .collect()
}

/// Wait (bounded) until at least `count` letters are in the dev outbox; returns them all.
pub async fn letters_in_outbox(server: &TestServer, count: usize) -> Vec<Value> {
    for _ in 0..200 {
        let letters: Vec<Value> = server
            .outbox()
            .into_iter()
            .filter(|m| m["channel"] == "letter")
            .collect();
        if letters.len() >= count {
            return letters;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("expected {count} letters in the outbox");
}
