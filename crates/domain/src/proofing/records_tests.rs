//! Unit tests of `records` (kept beside it so the module reads as product code).

use super::*;

const RETURN: &str = r#"{"ssn":"900-00-0001","tax_year":2025,"first_name":"Avery","last_name":"Sample-Testperson","date_of_birth":"1980-04-01","filing_status":"married_filing_jointly","address":{"street":"100 Example St","unit":"Apt 2","city":"Testville","state":"va","zip":"22000-1234"},"agi":71000,"refund":-120,"spouse":{"ssn":"900000002","first_name":"Blake","last_name":"Sample-Testperson","date_of_birth":"1981-05-02"}}"#;

#[test]
fn a_tax_return_parses_into_normal_forms() {
    let ReferenceRecord::TaxReturn(record) = parse_line(RecordKind::TaxReturns, RETURN).unwrap()
    else {
        panic!()
    };
    assert_eq!(record.ssn, "900000001");
    assert_eq!(record.address.state, "VA");
    assert_eq!(record.address.zip, "220001234");
    assert_eq!(record.filing_status, FilingStatus::MarriedFilingJointly);
    assert_eq!(record.refund, Some(-120));
    assert_eq!(record.spouse.as_ref().unwrap().ssn, "900000002");
    assert_eq!(
        format!("{record:?}"),
        "TaxReturn { .. }",
        "Debug prints no personal data"
    );
}

#[test]
fn bad_fields_are_named_without_their_values() {
    let cases = [
        (RETURN.replace("900-00-0001", "900-0-00001"), "ssn"),
        (
            RETURN.replace("\"tax_year\":2025", "\"tax_year\":\"2025\""),
            "tax_year",
        ),
        (RETURN.replace("1980-04-01", "04/01/1980"), "date_of_birth"),
        (
            RETURN.replace("married_filing_jointly", "married"),
            "filing_status",
        ),
        (RETURN.replace("22000-1234", "2200"), "address.zip"),
        (RETURN.replace("\"900000002\"", "\"12\""), "spouse.ssn"),
        (
            RETURN.replace("\"first_name\":\"Avery\",", ""),
            "first_name",
        ),
        ("{not json".to_owned(), "line"),
        ("[1,2]".to_owned(), "line"),
    ];
    for (line, field) in cases {
        let err = parse_line(RecordKind::TaxReturns, &line).unwrap_err();
        assert_eq!(err.field, field, "{line}");
        assert!(!err.reason.contains("900"), "{err}");
    }
}

#[test]
fn accounts_and_phones_validate_their_rules() {
    let account = r#"{"ssn":"900000001","kind":"credit_card","account_number":"4000 1234 5678 9010","holder_name":"Avery Sample","status":"closed"}"#;
    let ReferenceRecord::FinancialAccount(a) =
        parse_line(RecordKind::FinancialAccounts, account).unwrap()
    else {
        panic!()
    };
    assert_eq!(a.account_number, "4000123456789010");
    assert_eq!(a.status, AccountStatus::Closed);
    let bad_kind = account.replace("credit_card", "savings");
    assert_eq!(
        parse_line(RecordKind::FinancialAccounts, &bad_kind)
            .unwrap_err()
            .field,
        "kind"
    );

    let phone = r#"{"phone":"2025550143","line_type":"mobile","account_type":"personal","subscriber":{"first_name":"Avery","last_name":"Sample"}}"#;
    let ReferenceRecord::PhoneRecord(p) = parse_line(RecordKind::PhoneRecords, phone).unwrap()
    else {
        panic!()
    };
    assert_eq!(p.phone, "+12025550143");
    let business = r#"{"phone":"+12025550199","line_type":"mobile","account_type":"business","subscriber":{"first_name":"Avery","last_name":"Sample"}}"#;
    assert_eq!(
        parse_line(RecordKind::PhoneRecords, business)
            .unwrap_err()
            .field,
        "subscriber.organization"
    );
}
