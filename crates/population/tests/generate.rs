//! `secure-access records generate`: a synthetic population that loads cleanly, is the
//! same for the same seed, never looks like a real person, and carries every scenario
//! with the outcome the match rules should reach.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use sa_domain::proofing::records::{RecordKind, parse_line};
use sa_population::{self as generate, FILE_NAMES, GenerateOptions, Scenario};
use serde_json::Value;

const TAX_RETURNS: &str = "tax-returns.jsonl";
const FINANCIAL_ACCOUNTS: &str = "financial-accounts.jsonl";
const PHONE_RECORDS: &str = "phone-records.jsonl";
const APPLICANTS: &str = "applicants.jsonl";

fn generate_into(dir: &Path, people: u64, seed: u64, gzip: bool) -> String {
    generate::run(&GenerateOptions {
        people,
        seed,
        out_dir: dir.to_path_buf(),
        gzip,
    })
    .unwrap()
}

fn read_lines(dir: &Path, name: &str) -> Vec<String> {
    std::fs::read_to_string(dir.join(name))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn read_json(dir: &Path, name: &str) -> Vec<Value> {
    read_lines(dir, name)
        .iter()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

fn set<'a>(items: &[&'a str]) -> BTreeSet<&'a str> {
    items.iter().copied().collect()
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    let first = tempfile::tempdir().unwrap();
    let again = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    generate_into(first.path(), 500, 42, false);
    generate_into(again.path(), 500, 42, false);
    generate_into(other.path(), 500, 43, false);
    for name in FILE_NAMES {
        let bytes = std::fs::read(first.path().join(name)).unwrap();
        assert!(!bytes.is_empty(), "{name}");
        assert_eq!(
            bytes,
            std::fs::read(again.path().join(name)).unwrap(),
            "{name}"
        );
        assert_ne!(
            bytes,
            std::fs::read(other.path().join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn every_record_line_of_two_thousand_people_parses() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate_into(dir.path(), 2_000, 1, false);
    let mut counts = Vec::new();
    for (name, kind) in [
        (TAX_RETURNS, RecordKind::TaxReturns),
        (FINANCIAL_ACCOUNTS, RecordKind::FinancialAccounts),
        (PHONE_RECORDS, RecordKind::PhoneRecords),
    ] {
        let lines = read_lines(dir.path(), name);
        for (n, line) in lines.iter().enumerate() {
            if let Err(error) = parse_line(kind, line) {
                panic!("{name} line {}: {error}", n + 1);
            }
        }
        counts.push(lines.len());
    }
    assert_eq!(read_lines(dir.path(), APPLICANTS).len(), 2_000);
    assert_eq!(
        summary,
        format!(
            "wrote 2000 people: {} tax returns, {} financial accounts, {} phone records, 2000 applicants to {}",
            counts[0],
            counts[1],
            counts[2],
            dir.path().display()
        )
    );
    // 1–3 returns each, 0–4 accounts, 0–1 phone records.
    assert!((2_000..=6_000).contains(&counts[0]), "{counts:?}");
    assert!(counts[1] <= 8_000 && counts[1] > 1_000, "{counts:?}");
    assert!((1_000..2_000).contains(&counts[2]), "{counts:?}");
}

#[test]
fn ssns_are_unique_and_from_never_issued_areas() {
    let dir = tempfile::tempdir().unwrap();
    generate_into(dir.path(), 1_500, 8, false);
    let allowed = |ssn: &str| {
        let ssn = digits(ssn);
        let area: u32 = ssn[..3].parse().unwrap();
        ssn.len() == 9 && (area == 0 || area == 666 || (900..=999).contains(&area))
    };
    let mut people = HashSet::new();
    for applicant in read_json(dir.path(), APPLICANTS) {
        let ssn = applicant["identity"]["ssn"].as_str().unwrap();
        assert!(allowed(ssn), "{ssn}");
        assert!(people.insert(digits(ssn)), "SSN typed by two people");
    }
    assert_eq!(people.len(), 1_500);
    let mut spouses = HashSet::new();
    let mut filers = HashSet::new();
    for tax_return in read_json(dir.path(), TAX_RETURNS) {
        let ssn = tax_return["ssn"].as_str().unwrap();
        assert!(allowed(ssn), "{ssn}");
        filers.insert(digits(ssn));
        if let Some(spouse) = tax_return["spouse"]["ssn"].as_str() {
            assert!(allowed(spouse), "{spouse}");
            assert!(
                !people.contains(&digits(spouse)),
                "a spouse has a filer's SSN"
            );
            spouses.insert(digits(spouse));
        }
    }
    assert_eq!(filers, people, "every person filed, under their own SSN");
    assert!(spouses.len() > 100, "{}", spouses.len());
    for account in read_json(dir.path(), FINANCIAL_ACCOUNTS) {
        assert!(people.contains(&digits(account["ssn"].as_str().unwrap())));
    }
}

#[test]
fn phones_are_unique_and_in_the_555_range() {
    let dir = tempfile::tempdir().unwrap();
    generate_into(dir.path(), 1_000, 2, false);
    let e164 = |phone: &str| {
        if phone.starts_with('+') {
            phone.to_owned()
        } else {
            format!("+1{phone}")
        }
    };
    let mut recorded = HashSet::new();
    for record in read_json(dir.path(), PHONE_RECORDS) {
        let phone = e164(record["phone"].as_str().unwrap());
        // A small population stays inside the fictional +1 NPA 555 01XX range.
        assert_eq!(phone.len(), 12, "{phone}");
        assert_eq!(&phone[5..10], "55501", "{phone}");
        assert!(recorded.insert(phone));
    }
    let mut typed = HashSet::new();
    for applicant in read_json(dir.path(), APPLICANTS) {
        if let Some(phone) = applicant["phone"].as_str() {
            assert!(
                phone.starts_with("+1") && &phone[5..10] == "55501",
                "{phone}"
            );
            assert!(typed.insert(phone.to_owned()), "two people typed {phone}");
        }
    }
    assert!(typed.len() > 600, "{}", typed.len());
}

#[test]
fn every_scenario_appears_with_its_expected_outcome() {
    let dir = tempfile::tempdir().unwrap();
    generate_into(dir.path(), 1_000, 99, false);
    let mut seen: HashMap<String, u32> = HashMap::new();
    for (index, applicant) in read_json(dir.path(), APPLICANTS).iter().enumerate() {
        assert_eq!(applicant["person"], index as u64);
        let name = applicant["scenario"].as_str().unwrap();
        let scenario = Scenario::parse(name).unwrap();
        *seen.entry(name.to_owned()).or_default() += 1;
        assert_eq!(
            applicant["expected"],
            serde_json::to_value(scenario.expected()).unwrap(),
            "{name}"
        );
        let expected = &applicant["expected"];
        let route = expected["route"].as_str().unwrap();
        match route {
            "online" => {
                for step in ["identity", "financial", "phone"] {
                    assert_eq!(expected[step], "matched", "{name}");
                }
            }
            "mail" => {
                assert_eq!(expected["identity"], "matched");
                assert_eq!(expected["financial"], "matched");
                assert_eq!(expected["phone"], "not_matched");
            }
            "fail" => assert!(
                expected["identity"] == "not_matched" || expected["financial"] == "not_matched",
                "{name}"
            ),
            other => panic!("route {other}"),
        }
    }
    for scenario in Scenario::ALL {
        assert_eq!(
            seen.get(scenario.as_str()).copied(),
            Some(scenario.weight() * 10),
            "{}",
            scenario.as_str()
        );
    }
    assert_eq!(seen.len(), 16);
    assert_eq!(
        Scenario::ALL.iter().map(|s| s.weight()).sum::<u32>(),
        100,
        "weights are percentages"
    );
}

#[test]
fn any_two_hundred_people_hold_every_scenario() {
    for seed in [1, 2, 3, 1_000] {
        let dir = tempfile::tempdir().unwrap();
        generate_into(dir.path(), 200, seed, false);
        let seen: HashSet<String> = read_json(dir.path(), APPLICANTS)
            .iter()
            .map(|a| a["scenario"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(seen.len(), Scenario::ALL.len(), "seed {seed}");
    }
}

#[test]
fn applicants_have_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    generate_into(dir.path(), 400, 4, false);
    for applicant in read_json(dir.path(), APPLICANTS) {
        assert_eq!(
            keys(&applicant),
            set(&[
                "person",
                "scenario",
                "identity",
                "financial",
                "phone",
                "own_phone",
                "expected"
            ])
        );
        let own = applicant["own_phone"].as_str().unwrap();
        assert!(own.starts_with("+1") && own.len() == 12, "{own}");
        if let Some(phone) = applicant["phone"].as_str() {
            assert_eq!(phone, own, "the phone typed is the person's own");
        }
        let identity = &applicant["identity"];
        let required = set(&[
            "first_name",
            "last_name",
            "date_of_birth",
            "ssn",
            "filing_status",
            "address",
        ]);
        let identity_keys = keys(identity);
        assert!(identity_keys.is_superset(&required), "{identity_keys:?}");
        assert!(
            identity_keys
                .difference(&required)
                .all(|k| ["middle_name", "suffix"].contains(k)),
            "{identity_keys:?}"
        );
        let address_keys = keys(&identity["address"]);
        assert!(address_keys.is_superset(&set(&["street", "city", "state", "zip"])));
        assert!(address_keys.len() <= 5);
        let dob = identity["date_of_birth"].as_str().unwrap();
        assert_eq!(dob.len(), 10);
        assert_eq!(&dob[4..5], "-");
        assert!(
            [
                "single",
                "married_filing_jointly",
                "married_filing_separately",
                "head_of_household",
                "qualifying_surviving_spouse"
            ]
            .contains(&identity["filing_status"].as_str().unwrap())
        );
        match &applicant["financial"] {
            Value::Null => assert_eq!(applicant["expected"]["financial"], "none"),
            financial => {
                assert_eq!(keys(financial), set(&["kind", "account_number"]));
                let number = digits(financial["account_number"].as_str().unwrap());
                if financial["kind"] == "credit_card" {
                    assert_eq!(number.len(), 8);
                } else {
                    assert!((10..=14).contains(&number.len()), "{number}");
                }
            }
        }
        match &applicant["phone"] {
            Value::Null => assert_eq!(applicant["expected"]["phone"], "none"),
            phone => assert!(phone.as_str().unwrap().starts_with("+1")),
        }
        assert_eq!(
            keys(&applicant["expected"]),
            set(&["identity", "financial", "phone", "route"])
        );
    }
}

#[test]
fn records_are_consistent_and_obviously_synthetic() {
    let dir = tempfile::tempdir().unwrap();
    generate_into(dir.path(), 1_000, 6, false);
    let fake_street_words = [
        "Example",
        "Sample",
        "Test",
        "Demo",
        "Mock",
        "Placeholder",
        "Fixture",
        "Specimen",
        "Prototype",
        "Dummy",
        "Stub",
        "Synthetic",
        "Fictional",
        "Pretend",
        "Imaginary",
        "Sandbox",
    ];
    let mut years: HashMap<String, Vec<i64>> = HashMap::new();
    let mut refunds_due = 0;
    for tax_return in read_json(dir.path(), TAX_RETURNS) {
        let ssn = digits(tax_return["ssn"].as_str().unwrap());
        let year = tax_return["tax_year"].as_i64().unwrap();
        assert!((2023..=2025).contains(&year));
        years.entry(ssn).or_default().push(year);
        let joint = tax_return["filing_status"] == "married_filing_jointly";
        assert_eq!(joint, tax_return["spouse"].is_object(), "{tax_return}");
        let street = tax_return["address"]["street"].as_str().unwrap();
        assert!(
            fake_street_words.iter().any(|w| street.contains(w)),
            "{street}"
        );
        let agi = tax_return["agi"].as_i64().unwrap();
        assert!((1_000..5_000_000).contains(&agi), "{agi}");
        let tax = tax_return["total_tax"].as_i64().unwrap();
        assert!((0..agi).contains(&tax));
        if tax_return["refund"].as_i64().unwrap() < 0 {
            refunds_due += 1;
        }
        let dependents = tax_return["dependents"].as_i64().unwrap_or(0);
        assert!((0..=4).contains(&dependents));
    }
    assert!(refunds_due > 10, "some returns have a balance due");
    for (ssn, mut filed) in years {
        filed.sort_unstable();
        assert!((1..=3).contains(&filed.len()), "{ssn}: {filed:?}");
        assert!(
            filed.windows(2).all(|w| w[1] == w[0] + 1),
            "consecutive years: {filed:?}"
        );
    }
    let mut accounts: HashMap<String, u32> = HashMap::new();
    let mut kinds = HashSet::new();
    let mut closed = 0;
    for account in read_json(dir.path(), FINANCIAL_ACCOUNTS) {
        *accounts
            .entry(account["ssn"].as_str().unwrap().to_owned())
            .or_default() += 1;
        kinds.insert(account["kind"].as_str().unwrap().to_owned());
        let number = digits(account["account_number"].as_str().unwrap());
        if account["kind"] == "credit_card" {
            assert_eq!(number.len(), 16);
        } else {
            assert!((10..=14).contains(&number.len()));
        }
        if account["status"] == "closed" {
            closed += 1;
        }
    }
    assert!(accounts.values().all(|n| *n <= 4));
    assert_eq!(kinds.len(), 6, "{kinds:?}");
    assert!(closed > 0);
    let mut line_kinds = HashSet::new();
    for record in read_json(dir.path(), PHONE_RECORDS) {
        line_kinds.insert(format!(
            "{}/{}",
            record["line_type"].as_str().unwrap(),
            record["account_type"].as_str().unwrap()
        ));
        if record["account_type"] == "business" {
            assert!(record["subscriber"]["organization"].is_string());
        }
    }
    for kind in [
        "mobile/personal",
        "landline/personal",
        "voip/personal",
        "mobile/business",
    ] {
        assert!(line_kinds.contains(kind), "{kind}: {line_kinds:?}");
    }
    let everything: String = FILE_NAMES
        .iter()
        .map(|name| std::fs::read_to_string(dir.path().join(name)).unwrap())
        .collect();
    assert!(!everything.contains('@') || everything.contains("@example.test"));
}

#[test]
fn gzip_output_holds_the_same_lines() {
    let plain = tempfile::tempdir().unwrap();
    let gzip = tempfile::tempdir().unwrap();
    generate_into(plain.path(), 300, 12, false);
    let summary = generate_into(gzip.path(), 300, 12, true);
    assert!(summary.starts_with("wrote 300 people: "), "{summary}");
    for name in FILE_NAMES {
        assert!(
            !gzip.path().join(name).exists(),
            "{name} written uncompressed"
        );
        let compressed = std::fs::read(gzip.path().join(format!("{name}.gz"))).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&compressed[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(
            text,
            std::fs::read_to_string(plain.path().join(name)).unwrap(),
            "{name}"
        );
    }
}
