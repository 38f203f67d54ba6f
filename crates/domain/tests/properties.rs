//! Property tests of the pure input handling that people and files reach: the name and
//! address normalisers of the match rules, the one-time and backup code checkers, and
//! the reference-record parser. They complement the properties beside the code
//! (`names.rs`, `address_tests.rs`: idempotence, names matching themselves) with what
//! was missing there: insensitivity to case and spacing, arbitrary Unicode (control
//! characters included) never panicking, the code checkers accepting exactly their
//! canonical forms, and records surviving a trip through their JSON Lines format.
//!
//! Inputs that once broke a pure function (found by the fuzz targets in `fuzz/`, or
//! while writing them) are kept at the end as regression tests; both are fixed and the
//! tests run with the rest.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

use proptest::prelude::*;
use sa_domain::codes::{
    NUMERIC_CODE_DIGITS, activation_code, backup_codes, normalise_activation_code,
    normalise_backup_code, normalise_numeric, numeric_code,
};
use sa_domain::proofing::matching::address::{compare_addresses, normalise_address};
use sa_domain::proofing::matching::names::{
    compare_middle_names, first_names_match, last_names_match, normalise_name, normalise_suffix,
    split_suffix, suffixes_conflict,
};
use sa_domain::proofing::records::{
    AccountKind, AccountStatus, Address, FilingStatus, FinancialAccount, LineType,
    PhoneAccountType, PhoneRecord, RecordKind, ReferenceRecord, Spouse, Subscriber, TaxReturn,
    normalise_account_number, normalise_record_phone, normalise_ssn, parse_line,
};
use sa_domain::staff::{Answer, Question, answer_is_correct};
use serde_json::{Value, json};
use time::Date;

const CROCKFORD: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const KINDS: [RecordKind; 3] = [
    RecordKind::TaxReturns,
    RecordKind::FinancialAccounts,
    RecordKind::PhoneRecords,
];

// ---------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------

/// Letters people type in names, with the separators that must not matter.
fn name_like() -> impl Strategy<Value = String> {
    "[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ' .,-]{0,24}"
}

/// `s` with separators (whitespace, hyphens, apostrophes, periods, commas) inserted at
/// the positions drawn (indexes into its characters).
fn with_separators(s: &str, at: &[(usize, String)]) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        for (pos, sep) in at {
            if pos % (chars.len() + 1) == i {
                out.push_str(sep);
            }
        }
        out.push(*c);
    }
    for (pos, sep) in at {
        if pos % (chars.len() + 1) == chars.len() {
            out.push_str(sep);
        }
    }
    out
}

fn separator() -> impl Strategy<Value = String> {
    "[ \t\u{a0}\u{3000}'’.,-]{1,3}"
}

proptest! {
    #[test]
    fn normalise_name_never_panics_on_any_unicode(s in any::<String>()) {
        let key = normalise_name(&s);
        prop_assert!(key.chars().all(char::is_alphanumeric));
        let _ = normalise_suffix(&s);
        let _ = split_suffix(&s);
    }

    #[test]
    fn normalise_name_is_idempotent_on_any_unicode(s in any::<String>()) {
        let once = normalise_name(&s);
        prop_assert_eq!(normalise_name(&once), once);
    }

    #[test]
    fn names_ignore_spaces_and_punctuation(
        s in name_like(),
        at in proptest::collection::vec((any::<usize>(), separator()), 0..5),
    ) {
        let spaced = with_separators(&s, &at);
        prop_assert_eq!(normalise_name(&spaced), normalise_name(&s));
        prop_assert_eq!(
            normalise_name(&format!("  {s}\t")),
            normalise_name(&s)
        );
    }

    #[test]
    fn names_ignore_case_in_any_script(s in "\\PC{0,24}") {
        prop_assert_eq!(normalise_name(&s.to_uppercase()), normalise_name(&s));
        prop_assert_eq!(normalise_name(&s.to_lowercase()), normalise_name(&s));
    }

    #[test]
    fn a_name_matches_itself_typed_in_another_case_with_extra_spaces(
        s in "[A-Za-zÀ-ÖØ-öø-ÿ]{1,12}( [A-Za-zÀ-ÖØ-öø-ÿ]{1,12})?",
    ) {
        let typed = format!(" {} ", s.to_uppercase().replace(' ', "   "));
        prop_assert!(first_names_match(&typed, &s).is_some());
        prop_assert!(last_names_match(&typed, &s).is_some());
    }

    #[test]
    fn name_rules_never_panic_on_any_unicode(
        a in any::<String>(),
        b in any::<String>(),
        c in proptest::option::of(any::<String>()),
        d in proptest::option::of(any::<String>()),
    ) {
        let _ = first_names_match(&a, &b);
        let _ = last_names_match(&a, &b);
        let _ = suffixes_conflict(c.as_deref(), &a, d.as_deref(), &b);
        let _ = compare_middle_names(c.as_deref(), d.as_deref());
    }
}

// ---------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------

fn address_like() -> impl Strategy<Value = Address> {
    (
        "[0-9]{0,5}( [0-9]/[0-9])?( (N|North|se|Saint|P\\.O\\. Box))? [A-Za-zé' .#-]{0,20}( (St|Street|Ave|Pkwy|way))?( (N|W|Southwest))?( (Apt|#|Unit|Lot|Room) ?[0-9A-Za-z-]{0,4})?",
        proptest::option::of("(#|Apt|Unit|Suite|Lot)? ?[0-9A-Za-z -]{0,6}"),
        "[A-Za-zé .'-]{0,20}",
        "[A-Za-z]{0,3}",
        "[0-9 -]{0,11}",
    )
        .prop_map(|(street, unit, city, state, zip)| Address {
            street,
            unit,
            city,
            state,
            zip,
        })
}

fn any_address() -> impl Strategy<Value = Address> {
    (
        any::<String>(),
        proptest::option::of(any::<String>()),
        any::<String>(),
        any::<String>(),
        any::<String>(),
    )
        .prop_map(|(street, unit, city, state, zip)| Address {
            street,
            unit,
            city,
            state,
            zip,
        })
}

fn map_text(a: &Address, f: impl Fn(&str) -> String) -> Address {
    Address {
        street: f(&a.street),
        unit: a.unit.as_deref().map(&f),
        city: f(&a.city),
        state: f(&a.state),
        zip: f(&a.zip),
    }
}

proptest! {
    #[test]
    fn addresses_ignore_case(a in address_like()) {
        let n = normalise_address(&a);
        prop_assert_eq!(&normalise_address(&map_text(&a, str::to_uppercase)), &n);
        prop_assert_eq!(&normalise_address(&map_text(&a, str::to_lowercase)), &n);
    }

    #[test]
    fn addresses_ignore_extra_whitespace(a in address_like(), pad in "[ \t\u{a0}]{1,3}") {
        let padded = map_text(&a, |s| format!("{pad}{}{pad}", s.replace(' ', &format!(" {pad}"))));
        prop_assert_eq!(normalise_address(&padded), normalise_address(&a));
    }

    #[test]
    fn normalise_address_is_idempotent_on_any_unicode(a in any_address()) {
        let once = normalise_address(&a);
        prop_assert_eq!(normalise_address(&once.to_address()), once);
    }

    #[test]
    fn address_rules_never_panic_on_any_unicode(a in any_address(), b in any_address()) {
        let _ = compare_addresses(&a, &b);
        let _ = compare_addresses(&b, &a);
    }
}

// ---------------------------------------------------------------------------------
// One-time codes, backup codes and mailed activation codes
// ---------------------------------------------------------------------------------

/// What a person might type around a code: case changes, spaces and dashes.
fn decorate(code: &str, lower: &[bool], gaps: &[String]) -> String {
    let mut out = String::new();
    for (i, c) in code.chars().enumerate() {
        out.push_str(gaps.get(i).map(String::as_str).unwrap_or(""));
        if lower.get(i).copied().unwrap_or(false) {
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out.push_str(gaps.last().map(String::as_str).unwrap_or(""));
    out
}

fn gaps() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec("[ \t-]{0,2}", 0..14)
}

proptest! {
    #[test]
    fn numeric_codes_never_panic_and_accept_only_six_digits(s in any::<String>()) {
        let stripped: String = s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let canonical = stripped.len() == NUMERIC_CODE_DIGITS
            && stripped.bytes().all(|b| b.is_ascii_digit());
        match normalise_numeric(&s) {
            Some(code) => {
                prop_assert!(canonical);
                prop_assert_eq!(&code, &stripped);
            }
            None => prop_assert!(!canonical),
        }
    }

    #[test]
    fn a_six_digit_code_is_accepted_however_it_is_spaced(code in "[0-9]{6}", gaps in gaps()) {
        let typed = decorate(&code, &[], &gaps);
        prop_assert_eq!(normalise_numeric(&typed), Some(code.clone()));
        prop_assert_eq!(normalise_numeric(&code), Some(code));
    }

    #[test]
    fn numeric_codes_with_other_digit_counts_are_refused(code in "[0-9]{0,5}|[0-9]{7,12}") {
        prop_assert_eq!(normalise_numeric(&code), None);
    }

    #[test]
    fn backup_codes_never_panic_and_give_only_canonical_codes(s in any::<String>()) {
        for normalise in [normalise_backup_code, normalise_activation_code] {
            if let Some(code) = normalise(&s) {
                prop_assert_eq!(code.len(), 12);
                prop_assert!(code.chars().all(|c| CROCKFORD.contains(c)), "{}", code);
                prop_assert_eq!(normalise(&code), Some(code.clone()), "canonical is a fixed point");
            }
        }
    }

    #[test]
    fn a_backup_code_is_accepted_in_any_case_and_spacing(
        code in "[0-9A-HJKMNP-TV-Z]{12}",
        lower in proptest::collection::vec(any::<bool>(), 12),
        gaps in gaps(),
    ) {
        let typed = decorate(&code, &lower, &gaps);
        prop_assert_eq!(normalise_backup_code(&typed), Some(code.clone()));
        prop_assert_eq!(normalise_activation_code(&typed), Some(code));
    }

    #[test]
    fn look_alike_letters_fold_to_digits(code in "[0-9A-HJKMNP-TV-Z]{12}", which in 0usize..12, to in "[OoIiLl]") {
        // Put a look-alike where the code has a 0 or 1: the result is the same code.
        let mut chars: Vec<char> = code.chars().collect();
        let replacement = to.chars().next().unwrap_or('O');
        chars[which] = match replacement {
            'O' | 'o' => '0',
            _ => '1',
        };
        let canonical: String = chars.iter().collect();
        chars[which] = replacement;
        let typed: String = chars.iter().collect();
        prop_assert_eq!(normalise_backup_code(&typed), Some(canonical));
    }

    #[test]
    fn codes_of_another_length_or_alphabet_are_refused(
        code in "[0-9A-HJKMNP-TV-Z]{0,11}|[0-9A-HJKMNP-TV-Z]{13,16}",
        bad in "[UuÀ!_+.]",
        at in 0usize..12,
    ) {
        prop_assert_eq!(normalise_backup_code(&code), None);
        let mut twelve: Vec<char> = "0123456789AB".chars().collect();
        twelve[at] = bad.chars().next().unwrap_or('U');
        prop_assert_eq!(normalise_backup_code(&twelve.iter().collect::<String>()), None);
    }
}

#[test]
fn issued_codes_are_in_the_form_the_checkers_accept() {
    for _ in 0..100 {
        let code = numeric_code();
        assert_eq!(normalise_numeric(&code), Some(code.clone()));
        let letter = activation_code();
        assert_eq!(
            normalise_activation_code(&letter),
            Some(letter.replace('-', ""))
        );
    }
    for code in backup_codes() {
        assert_eq!(
            normalise_backup_code(&code.to_lowercase()),
            Some(code.replace('-', ""))
        );
    }
}

// ---------------------------------------------------------------------------------
// Reference records (JSON Lines)
// ---------------------------------------------------------------------------------

/// Text a record field holds after parsing: trimmed, not empty, no control
/// characters, at most 200 characters.
fn field_text() -> impl Strategy<Value = String> {
    prop_oneof!["[A-Za-z][A-Za-z' .-]{0,30}", "\\PC{1,40}",]
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("non-empty after trimming", |s| !s.is_empty())
}

fn date() -> impl Strategy<Value = Date> {
    (1900i32..=2100, 1u16..=365)
        .prop_map(|(year, day)| Date::from_ordinal_date(year, day).unwrap_or(Date::MIN))
}

fn ssn() -> impl Strategy<Value = String> {
    "[0-9]{9}"
}

fn state_and_zip() -> impl Strategy<Value = (String, String)> {
    ("[A-Z]{2}", "[0-9]{5}([0-9]{4})?")
}

fn record_address() -> impl Strategy<Value = Address> {
    (
        field_text(),
        proptest::option::of(field_text()),
        field_text(),
        state_and_zip(),
    )
        .prop_map(|(street, unit, city, (state, zip))| Address {
            street,
            unit,
            city,
            state,
            zip,
        })
}

fn filing_status() -> impl Strategy<Value = FilingStatus> {
    prop_oneof![
        Just(FilingStatus::Single),
        Just(FilingStatus::MarriedFilingJointly),
        Just(FilingStatus::MarriedFilingSeparately),
        Just(FilingStatus::HeadOfHousehold),
        Just(FilingStatus::QualifyingSurvivingSpouse),
    ]
}

fn tax_return() -> impl Strategy<Value = TaxReturn> {
    let people = (
        ssn(),
        1990i32..=2100,
        field_text(),
        proptest::option::of(field_text()),
        field_text(),
        proptest::option::of(field_text()),
        date(),
        filing_status(),
    );
    let money = (
        record_address(),
        any::<i64>(),
        proptest::option::of(any::<i64>()),
        proptest::option::of(any::<i64>()),
        proptest::option::of(any::<i64>()),
        proptest::option::of(0i64..20),
        proptest::option::of((ssn(), field_text(), field_text(), date())),
    );
    (people, money).prop_map(
        |(
            (
                ssn,
                tax_year,
                first_name,
                middle_name,
                last_name,
                suffix,
                date_of_birth,
                filing_status,
            ),
            (address, agi, wages, total_tax, refund, dependents, spouse),
        )| TaxReturn {
            ssn,
            tax_year,
            first_name,
            middle_name,
            last_name,
            suffix,
            date_of_birth,
            filing_status,
            address,
            agi,
            wages,
            total_tax,
            refund,
            dependents,
            spouse: spouse.map(|(ssn, first_name, last_name, date_of_birth)| Spouse {
                ssn,
                first_name,
                last_name,
                date_of_birth,
            }),
        },
    )
}

fn financial_account() -> impl Strategy<Value = FinancialAccount> {
    (
        ssn(),
        proptest::sample::select(AccountKind::ALL.to_vec()),
        "[0-9]{4,34}",
        field_text(),
        prop_oneof![Just(AccountStatus::Open), Just(AccountStatus::Closed)],
        proptest::option::of(date()),
    )
        .prop_map(
            |(ssn, kind, account_number, holder_name, status, opened_on)| FinancialAccount {
                ssn,
                kind,
                account_number,
                holder_name,
                status,
                opened_on,
            },
        )
}

fn phone_record() -> impl Strategy<Value = PhoneRecord> {
    let subscriber = prop_oneof![
        (
            field_text(),
            field_text(),
            proptest::option::of(field_text())
        )
            .prop_map(|(first, last, organization)| (
                PhoneAccountType::Personal,
                Subscriber {
                    first_name: Some(first),
                    last_name: Some(last),
                    organization,
                }
            )),
        (
            proptest::option::of(field_text()),
            proptest::option::of(field_text()),
            field_text()
        )
            .prop_map(|(first_name, last_name, organization)| (
                PhoneAccountType::Business,
                Subscriber {
                    first_name,
                    last_name,
                    organization: Some(organization),
                }
            )),
    ];
    (
        "\\+[0-9]{8,15}",
        prop_oneof![
            Just(LineType::Mobile),
            Just(LineType::Landline),
            Just(LineType::Voip)
        ],
        subscriber,
        proptest::option::of(record_address()),
        proptest::option::of(date()),
    )
        .prop_map(
            |(phone, line_type, (account_type, subscriber), address, since)| PhoneRecord {
                phone,
                line_type,
                account_type,
                subscriber,
                address,
                since,
            },
        )
}

fn date_text(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn enum_text<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn address_json(a: &Address) -> Value {
    json!({ "street": a.street, "unit": a.unit, "city": a.city, "state": a.state, "zip": a.zip })
}

fn tax_return_line(r: &TaxReturn) -> String {
    json!({
        "ssn": r.ssn, "tax_year": r.tax_year, "first_name": r.first_name,
        "middle_name": r.middle_name, "last_name": r.last_name, "suffix": r.suffix,
        "date_of_birth": date_text(r.date_of_birth), "filing_status": enum_text(r.filing_status),
        "address": address_json(&r.address), "agi": r.agi, "wages": r.wages,
        "total_tax": r.total_tax, "refund": r.refund, "dependents": r.dependents,
        "spouse": r.spouse.as_ref().map(|s| json!({
            "ssn": s.ssn, "first_name": s.first_name, "last_name": s.last_name,
            "date_of_birth": date_text(s.date_of_birth),
        })),
    })
    .to_string()
}

fn financial_account_line(a: &FinancialAccount) -> String {
    json!({
        "ssn": a.ssn, "kind": a.kind.as_str(), "account_number": a.account_number,
        "holder_name": a.holder_name, "status": enum_text(a.status),
        "opened_on": a.opened_on.map(date_text),
    })
    .to_string()
}

fn phone_record_line(p: &PhoneRecord) -> String {
    json!({
        "phone": p.phone, "line_type": enum_text(p.line_type),
        "account_type": enum_text(p.account_type),
        "subscriber": {
            "first_name": p.subscriber.first_name, "last_name": p.subscriber.last_name,
            "organization": p.subscriber.organization,
        },
        "address": p.address.as_ref().map(address_json),
        "since": p.since.map(date_text),
    })
    .to_string()
}

/// An SSN as a file may write it: `123-45-6789`.
fn dashed(ssn: &str) -> String {
    format!("{}-{}-{}", &ssn[..3], &ssn[3..5], &ssn[5..])
}

/// Any JSON value, nested a little, with arbitrary strings.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[0-9-]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    "(street|unit|city|state|zip|first_name|last_name|organization|date_of_birth)",
                    any::<String>()
                ],
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const FIELDS: &[&str] = &[
    "ssn",
    "tax_year",
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "date_of_birth",
    "filing_status",
    "address",
    "agi",
    "wages",
    "total_tax",
    "refund",
    "dependents",
    "spouse",
    "kind",
    "account_number",
    "holder_name",
    "status",
    "opened_on",
    "phone",
    "line_type",
    "account_type",
    "subscriber",
    "since",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_line_never_panics_on_any_text(line in any::<String>()) {
        for kind in KINDS {
            if let Err(error) = parse_line(kind, &line) {
                prop_assert!(!error.field.is_empty());
            }
        }
    }

    #[test]
    fn parse_line_never_panics_on_any_json_with_the_right_field_names(
        values in proptest::collection::vec((proptest::sample::select(FIELDS), any_json()), 0..20),
    ) {
        // Every field of every kind with an arbitrary value (strings in any script,
        // numbers, nested objects), SSNs included.
        let object: serde_json::Map<String, Value> = values
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect();
        let line = Value::Object(object).to_string();
        for kind in KINDS {
            let _ = parse_line(kind, &line);
        }
    }

    #[test]
    fn tax_returns_round_trip_through_their_line(record in tax_return()) {
        let parsed = parse_line(RecordKind::TaxReturns, &tax_return_line(&record));
        prop_assert_eq!(parsed, Ok(ReferenceRecord::TaxReturn(record)));
    }

    #[test]
    fn tax_returns_in_loose_forms_parse_to_the_normal_form(record in tax_return()) {
        // Dashed SSNs, lower-case state, ZIP+4 with a dash, padded text: the same record.
        let mut line: Value = serde_json::from_str(&tax_return_line(&record)).unwrap_or(Value::Null);
        line["ssn"] = json!(dashed(&record.ssn));
        line["first_name"] = json!(format!("  {} ", record.first_name));
        line["address"]["state"] = json!(record.address.state.to_lowercase());
        if record.address.zip.len() == 9 {
            line["address"]["zip"] = json!(format!("{}-{}", &record.address.zip[..5], &record.address.zip[5..]));
        }
        let parsed = parse_line(RecordKind::TaxReturns, &line.to_string());
        prop_assert_eq!(parsed, Ok(ReferenceRecord::TaxReturn(record)));
    }

    #[test]
    fn financial_accounts_round_trip_through_their_line(record in financial_account(), spaced in any::<bool>()) {
        let mut line: Value = serde_json::from_str(&financial_account_line(&record)).unwrap_or(Value::Null);
        if spaced {
            let grouped: Vec<String> = record
                .account_number
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            line["account_number"] = json!(grouped.join(" "));
            line["ssn"] = json!(dashed(&record.ssn));
        }
        let parsed = parse_line(RecordKind::FinancialAccounts, &line.to_string());
        prop_assert_eq!(parsed, Ok(ReferenceRecord::FinancialAccount(record)));
    }

    #[test]
    fn phone_records_round_trip_through_their_line(record in phone_record()) {
        let parsed = parse_line(RecordKind::PhoneRecords, &phone_record_line(&record));
        prop_assert_eq!(parsed, Ok(ReferenceRecord::PhoneRecord(record)));
    }

    #[test]
    fn us_phone_numbers_may_be_ten_digits(digits in "[0-9]{10}") {
        prop_assert_eq!(normalise_record_phone(&digits), Some(format!("+1{digits}")));
    }

    #[test]
    fn record_field_normalisers_never_panic_on_ascii(s in "[ -~]{0,40}") {
        let _ = normalise_ssn(&s);
        let _ = normalise_record_phone(&s);
        let _ = normalise_account_number(&s);
    }

    #[test]
    fn record_field_normalisers_never_panic_on_any_unicode(s in any::<String>()) {
        let _ = normalise_ssn(&s);
        let _ = normalise_record_phone(&s);
        let _ = normalise_account_number(&s);
    }
}

// ---------------------------------------------------------------------------------
// Help-desk knowledge check: amounts typed by staff for the caller
// ---------------------------------------------------------------------------------

/// A 2025 return whose AGI, wages and refund are the amounts given.
fn return_with_amounts(agi: i64, wages: i64, refund: i64) -> TaxReturn {
    let line = json!({
        "ssn": "900000001", "tax_year": 2025, "first_name": "Avery", "last_name": "Sample",
        "date_of_birth": "1980-04-01", "filing_status": "single", "agi": agi, "wages": wages,
        "refund": refund, "dependents": 0,
        "address": { "street": "100 Example St", "city": "Testville", "state": "VA", "zip": "22000" },
    });
    match parse_line(RecordKind::TaxReturns, &line.to_string()) {
        Ok(ReferenceRecord::TaxReturn(record)) => record,
        other => panic!("fixture return does not parse: {other:?}"),
    }
}

/// The rule as documented: same sign (or one side zero), within the larger of $100
/// and 2% of the amount on record; computed without overflow.
fn amount_should_match(typed: i64, on_record: i64) -> bool {
    let (typed, on_record) = (i128::from(typed), i128::from(on_record));
    if typed.signum() != on_record.signum() && on_record != 0 && typed != 0 {
        return false;
    }
    (typed - on_record).abs() <= (on_record.abs() / 50).max(100)
}

fn amount_answer() -> impl Strategy<Value = (Answer, i64)> {
    // i64::MIN is left out here: `typed_minimum_amount_is_wrong_against_a_zero_record`
    // checks it against an amount of 0 on record, the case that once overflowed.
    prop_oneof![
        (i64::MIN + 1..=i64::MAX).prop_map(|n| (Answer::Number(n), n)),
        (-2_000_000i64..2_000_000).prop_map(|n| (Answer::Number(n), n)),
        (-2_000_000i64..2_000_000).prop_map(|n| (Answer::Text(format!("${n}")), n)),
    ]
}

proptest! {
    #[test]
    fn typed_amounts_are_right_only_within_the_tolerance(
        (answer, typed) in amount_answer(),
        on_record in prop_oneof![Just(0i64), -1_000_000_000_000i64..1_000_000_000_000],
        which in prop_oneof![Just("agi"), Just("wages"), Just("refund")],
    ) {
        let record = return_with_amounts(on_record, on_record, on_record);
        let question = Question::parse(&format!("{which}:2025"));
        prop_assert!(question.is_some());
        if let Some(question) = question {
            prop_assert_eq!(
                answer_is_correct(&question, &answer, std::slice::from_ref(&record)),
                amount_should_match(typed, on_record)
            );
        }
    }

    #[test]
    fn knowledge_answers_never_panic(
        id in prop_oneof!["(agi|wages|refund|dependents|filing_status|address):20(2[0-9])", any::<String>()],
        text in any::<String>(),
        street in any::<String>(),
        zip in any::<String>(),
    ) {
        let record = return_with_amounts(71_000, 65_000, -120);
        if let Some(question) = Question::parse(&id) {
            for answer in [
                Answer::Text(text.clone()),
                Answer::Address { street: street.clone(), zip: zip.clone() },
            ] {
                let _ = answer_is_correct(&question, &answer, std::slice::from_ref(&record));
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Regressions: inputs that once broke a pure function (fixed; these keep them fixed)
// ---------------------------------------------------------------------------------

/// An 11-byte SSN with a dash and a multi-byte character across byte 3 or 6 is refused
/// (`None`), not a panic: `normalise_ssn` refuses any non-ASCII text before it checks
/// the dash positions by byte slicing (`&text[3..4]`, `&text[6..7]`), which used to
/// panic ("byte index 4 is not a char boundary") on such input. It is reached from
/// reference-record import (`parse_line`), the proofing identity step
/// (`IdentityInput::into_claim`, `POST /api/v1/proofing/identity` and the identity
/// page) and the staff console (SSN typed by staff). `fuzz/fuzz_targets/records_lines.rs`
/// found `{"ssn":"900ß0-0001"}`; `12é4-56789` (byte 3) and `123-4é6789` (byte 6) are
/// the same case.
#[test]
fn ssn_with_multibyte_characters_is_refused_not_a_panic() {
    for ssn in ["900ß0-0001", "12é4-56789", "123-4é6789"] {
        assert_eq!(normalise_ssn(ssn), None, "{ssn}");
    }
    // The fuzzer's minimized input, as a whole line of each kind.
    for kind in KINDS {
        assert!(parse_line(kind, r#"{"ssn":"900ß0-0001"}"#).is_err());
    }
}

/// The answer -9223372036854775808 against an amount of 0 on record (no refund, no
/// wages) is wrong, typed as a number or as text. `amount_close` in `staff.rs` computes
/// the difference and the tolerance in `i128`, so nothing overflows; it once computed
/// `(typed - on_record).abs()` in `i64`, which panicked in debug builds and, in release
/// builds, wrapped to a value "within $100", so the help desk counted the answer correct.
#[test]
fn typed_minimum_amount_is_wrong_against_a_zero_record() {
    let record = return_with_amounts(0, 0, 0);
    for id in ["agi:2025", "wages:2025", "refund:2025"] {
        let question = Question::parse(id).expect("question id");
        for answer in [
            Answer::Number(i64::MIN),
            Answer::Text("-9223372036854775808".to_owned()),
        ] {
            assert!(!answer_is_correct(
                &question,
                &answer,
                std::slice::from_ref(&record)
            ));
        }
    }
}

fn number_separator() -> impl Strategy<Value = String> {
    "[ \u{a0}.\u{2010}-\u{2015}-]{1,2}"
}

proptest! {
    /// An account number typed with spaces (no-break too), dashes of any kind or dots
    /// anywhere reads as its digits; one digit changed never reads the same.
    #[test]
    fn account_numbers_read_the_same_with_any_separators(
        digits in "[0-9]{8,19}",
        at in prop::collection::vec((0usize..40, number_separator()), 0..6),
        changed in 0usize..19,
    ) {
        let typed = with_separators(&digits, &at);
        prop_assert_eq!(normalise_account_number(&typed), Some(digits.clone()));
        let i = changed % digits.len();
        let mut other: Vec<u8> = digits.clone().into_bytes();
        other[i] = b'0' + (other[i] - b'0' + 1) % 10;
        let other = String::from_utf8(other).unwrap_or_default();
        prop_assert_ne!(normalise_account_number(&with_separators(&other, &at)), Some(digits));
    }
}
