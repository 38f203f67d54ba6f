//! The synthetic applicant of `sa-test-support` (and the reference records that match
//! them); plus what they type and the API steps proofing tests repeat. All obviously
//! made up: "Testperson", SSNs starting 900, "Example St", 555-01xx phone numbers.

use reqwest::Method;
use serde_json::{Value, json};

use super::{Person, TestServer, call};

// `keys_rotate` includes this module too and uses only some of these.
#[allow(unused_imports)]
pub use sa_test_support::applicant::{
    BUSINESS_MOBILE, CARD_LAST_8, MORTGAGE, NEW_LINE, OWN_LANDLINE, OWN_MOBILE, SPOUSE_MOBILE, SSN,
    import_records, load_records,
};

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

/// At the phone step: the applicant's own mobile gets a code, and the code verifies
/// them. Returns the answer of the confirmation.
pub async fn verify_by_own_mobile(
    server: &TestServer,
    client: &reqwest::Client,
    token: &str,
) -> Value {
    let mark = server.outbox_mark();
    let phone = Some(json!({"phone": OWN_MOBILE}));
    let sent = step(server, client, token, "/phone", phone, 200).await;
    assert_eq!(sent["result"], "code_sent", "{sent}");
    let code = server.code_after(mark, OWN_MOBILE).await;
    let code = Some(json!({"code": code}));
    let done = step(server, client, token, "/phone/confirm", code, 200).await;
    assert_eq!(done["result"], "verified", "{done}");
    done
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
