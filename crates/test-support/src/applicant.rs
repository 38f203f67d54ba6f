//! A synthetic applicant and the reference records that match them, loaded with the
//! real `records import`. All obviously made up: "Testperson", SSNs starting 900,
//! "Example St", 555-01xx phone numbers.

use serde_json::json;

use crate::server::TestServer;
use sa_domain::proofing::records::RecordKind;

/// The applicant's SSN (as typed) and their phones.
pub const SSN: &str = "900-12-3456";
pub const OWN_MOBILE: &str = "+12025550143";
pub const SPOUSE_MOBILE: &str = "+12025550144";
pub const BUSINESS_MOBILE: &str = "+12025550145";
pub const OWN_LANDLINE: &str = "+12025550146";
/// A mobile line in the applicant's name taken ten days before the tests' clock starts
/// (what a fraudster opens in a victim's name).
pub const NEW_LINE: &str = "+12025550153";
/// The card's last 8 digits and a closed mortgage's number.
pub const CARD_LAST_8: &str = "56789010";
pub const MORTGAGE: &str = "7700-123456";

/// Load the applicant's returns (2025 at the address of record, 2024 at the old
/// address), accounts and phones into the server's database.
pub async fn load_records(server: &TestServer) {
    for (kind, name, lines) in applicant_records() {
        import_records(server, kind, name, &lines).await;
    }
}

/// The applicant's records of each kind, as lines of `docs/records.md` (also what the
/// fake vendor serves).
pub fn applicant_records() -> Vec<(RecordKind, &'static str, Vec<serde_json::Value>)> {
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
        json!({"phone": NEW_LINE, "line_type": "mobile", "account_type": "personal",
            "subscriber": {"first_name": "Roberta", "last_name": "Testperson"}, "since": "2026-02-20"}),
    ];
    vec![
        (RecordKind::TaxReturns, "returns.jsonl", returns.to_vec()),
        (
            RecordKind::FinancialAccounts,
            "accounts.jsonl",
            accounts.to_vec(),
        ),
        (RecordKind::PhoneRecords, "phones.jsonl", phones.to_vec()),
    ]
}

/// Write `lines` to `name` in the server's data directory and load them with the real
/// `records import`; every line must be accepted.
pub async fn import_records(
    server: &TestServer,
    kind: RecordKind,
    name: &str,
    lines: &[serde_json::Value],
) {
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
