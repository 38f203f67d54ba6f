//! The identity-proofing reference tables of `SqlStore` against SQLite (a temporary
//! file) and, when `SA_TEST_POSTGRES_URL` is set, PostgreSQL (a fresh database per test,
//! dropped after). Every test runs once per backend: `sqlite::<name>`, `postgres::<name>`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

use std::sync::Arc;

use sa_domain::clock::from_millis;
use sa_domain::keys::{KeyMaterial, Keyring};
use sa_domain::proofing::records::{
    AccountKind, AccountStatus, RecordKind, ReferenceRecord, parse_line,
};
use sa_domain::proofing::sources::{
    EmbeddedSources, FinancialAccountSource, Lookup, PhoneRecordSource, ReferenceKey, ReferenceRow,
    ReferenceStore, TaxReturnSource, UpsertCounts, account_number_fingerprint, ssn_fingerprint,
};
use sqlx::AssertSqlSafe;
use sqlx::Row;
use time::OffsetDateTime;

use sa_test_support::on_both_backends;
use sa_test_support::store::Db;

on_both_backends!(
    migrations_create_the_reference_tables,
    upsert_counts_loaded_unchanged_and_updated,
    a_key_repeated_in_one_batch_counts_against_the_earlier_row,
    sealed_rows_round_trip_through_embedded_sources,
    returns_are_newest_first_with_limit,
    no_clear_values_are_stored,
);

// ---------------------------------------------------------------------------------------
// Fixtures: obviously synthetic people (SSNs starting 9 or 000, Example St)
// ---------------------------------------------------------------------------------------

const SSN: &str = "900-00-0101";
const SSN_DIGITS: &str = "900000101";
const SPOUSE_SSN: &str = "900000102";
const CARD: &str = "4000 0000 1234 5678";
const CARD_DIGITS: &str = "4000000012345678";
const MORTGAGE: &str = "77001234567";
const PHONE_DIGITS: &str = "2025550143";

fn keys() -> Arc<Keyring> {
    Arc::new(Keyring::new(&KeyMaterial::generate()).expect("keyring"))
}

fn at() -> OffsetDateTime {
    from_millis(1_750_000_000_000)
}

fn tax_return(year: i32, agi: i64) -> ReferenceRecord {
    let line = format!(
        r#"{{"ssn":"{SSN}","tax_year":{year},"first_name":"Avery","last_name":"Testperson","date_of_birth":"1980-04-01","filing_status":"married_filing_jointly","address":{{"street":"100 Example St","city":"Testville","state":"VA","zip":"22000"}},"agi":{agi},"spouse":{{"ssn":"{SPOUSE_SSN}","first_name":"Blake","last_name":"Testperson","date_of_birth":"1981-05-02"}}}}"#
    );
    parse_line(RecordKind::TaxReturns, &line).expect("tax return parses")
}

fn account(kind: &str, number: &str, status: &str) -> ReferenceRecord {
    let line = format!(
        r#"{{"ssn":"{SSN}","kind":"{kind}","account_number":"{number}","holder_name":"Avery Testperson","status":"{status}","opened_on":"2015-06-01"}}"#
    );
    parse_line(RecordKind::FinancialAccounts, &line).expect("account parses")
}

fn phone(line_type: &str) -> ReferenceRecord {
    let line = format!(
        r#"{{"phone":"{PHONE_DIGITS}","line_type":"{line_type}","account_type":"personal","subscriber":{{"first_name":"Avery","last_name":"Testperson"}},"address":{{"street":"100 Example St","city":"Testville","state":"VA","zip":"22000"}}}}"#
    );
    parse_line(RecordKind::PhoneRecords, &line).expect("phone record parses")
}

fn rows(keys: &Keyring, records: &[ReferenceRecord]) -> Vec<ReferenceRow> {
    records
        .iter()
        .map(|record| ReferenceRow::from_record(record, keys, at()).expect("seal row"))
        .collect()
}

fn counts(loaded: u64, updated: u64, unchanged: u64) -> UpsertCounts {
    UpsertCounts {
        loaded,
        updated,
        unchanged,
    }
}

fn sources(db: &Db, keys: &Arc<Keyring>) -> EmbeddedSources {
    EmbeddedSources::new(Arc::new(db.store.clone()), keys.clone())
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

async fn migrations_create_the_reference_tables(db: Db) {
    // Migrating again is a no-op, and the three tables answer empty.
    db.store.migrate().await.expect("second migrate");
    let raw = db.raw().await;
    for table in ["tax_returns", "financial_accounts", "phone_records"] {
        let row = sqlx::query(AssertSqlSafe(format!("SELECT COUNT(*) AS n FROM {table}")))
            .fetch_one(&raw)
            .await
            .expect("count");
        assert_eq!(row.try_get::<i64, _>("n").expect("n"), 0, "{table}");
    }
    raw.close().await;
    assert_eq!(
        db.store
            .upsert_reference_rows(Vec::new())
            .await
            .expect("empty batch"),
        counts(0, 0, 0)
    );
}

async fn upsert_counts_loaded_unchanged_and_updated(db: Db) {
    let keys = keys();
    let records = [
        tax_return(2024, 70_000),
        tax_return(2025, 71_000),
        account("credit_card", CARD, "open"),
        account("mortgage", MORTGAGE, "open"),
        phone("mobile"),
    ];
    let first = rows(&keys, &records);
    assert_eq!(
        db.store
            .upsert_reference_rows(first.clone())
            .await
            .expect("first"),
        counts(5, 0, 0)
    );

    // The same records sealed again: the ciphertext differs, the content does not.
    let again = rows(&keys, &records);
    for (a, b) in first.iter().zip(&again) {
        assert_ne!(a.record_sealed, b.record_sealed, "fresh nonce every seal");
        assert_eq!(a.content_fp, b.content_fp);
        assert_eq!(a.key, b.key);
    }
    assert_eq!(
        db.store.upsert_reference_rows(again).await.expect("again"),
        counts(0, 0, 5)
    );

    // One field changed in two records: those two are updated, the rest unchanged.
    let changed = [
        tax_return(2024, 70_000),
        tax_return(2025, 72_500),
        account("credit_card", CARD, "closed"),
        account("mortgage", MORTGAGE, "open"),
        phone("mobile"),
    ];
    assert_eq!(
        db.store
            .upsert_reference_rows(rows(&keys, &changed))
            .await
            .expect("changed"),
        counts(0, 2, 3)
    );
    // And new keys next to known ones, one of them changed, in one statement a table.
    assert_eq!(
        db.store
            .upsert_reference_rows(rows(
                &keys,
                &[
                    tax_return(2023, 68_000),
                    tax_return(2024, 69_000),
                    account("auto_loan", "5500 1111", "open"),
                    account("mortgage", MORTGAGE, "open"),
                ]
            ))
            .await
            .expect("new keys"),
        counts(2, 1, 1)
    );

    let raw = db.raw().await;
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM tax_returns) AS r, (SELECT COUNT(*) FROM financial_accounts) AS a, (SELECT COUNT(*) FROM phone_records) AS p",
    )
    .fetch_one(&raw)
    .await
    .expect("counts");
    assert_eq!(row.try_get::<i64, _>("r").expect("r"), 3);
    assert_eq!(row.try_get::<i64, _>("a").expect("a"), 3);
    assert_eq!(row.try_get::<i64, _>("p").expect("p"), 1);
    raw.close().await;

    // The update replaced the content that the sources return.
    let sources = sources(&db, &keys);
    let returns = sources
        .returns_for(&Lookup::ssn(&keys, SSN_DIGITS), 1)
        .await
        .expect("returns");
    let ReferenceRecord::TaxReturn(expected) = tax_return(2025, 72_500) else {
        panic!("fixture is a tax return")
    };
    assert_eq!(returns, vec![expected]);
    let cards = sources
        .accounts_for(&Lookup::ssn(&keys, SSN_DIGITS), AccountKind::CreditCard)
        .await
        .expect("cards");
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].status, AccountStatus::Closed);
}

async fn a_key_repeated_in_one_batch_counts_against_the_earlier_row(db: Db) {
    let keys = keys();
    let batch = rows(
        &keys,
        &[
            phone("mobile"),
            phone("mobile"),
            phone("landline"),
            tax_return(2025, 1),
        ],
    );
    assert_eq!(
        db.store.upsert_reference_rows(batch).await.expect("batch"),
        counts(2, 1, 1)
    );
    let record = sources(&db, &keys)
        .phone_record(&Lookup::phone(&keys, "+12025550143"))
        .await
        .expect("phone")
        .expect("phone is stored");
    assert_eq!(
        record.line_type,
        sa_domain::proofing::records::LineType::Landline,
        "the last occurrence wins"
    );
}

async fn sealed_rows_round_trip_through_embedded_sources(db: Db) {
    let keys = keys();
    let records = [
        tax_return(2025, 71_000),
        account("credit_card", CARD, "open"),
        account("credit_card", "4000 0000 9999 0000", "closed"),
        account("student_loan", "123456789012", "open"),
        phone("mobile"),
    ];
    db.store
        .upsert_reference_rows(rows(&keys, &records))
        .await
        .expect("upsert");
    let sources = sources(&db, &keys);
    let ssn_fp = ssn_fingerprint(&keys, SSN_DIGITS);

    let returns = sources
        .returns_for(&Lookup::fingerprint_only(&ssn_fp), 2)
        .await
        .expect("returns");
    assert_eq!(returns.len(), 1);
    assert_eq!(ReferenceRecord::TaxReturn(returns[0].clone()), records[0]);

    let mut cards = sources
        .accounts_for(&Lookup::fingerprint_only(&ssn_fp), AccountKind::CreditCard)
        .await
        .expect("cards");
    cards.sort_by(|a, b| a.account_number.cmp(&b.account_number));
    assert_eq!(cards.len(), 2);
    assert_eq!(
        ReferenceRecord::FinancialAccount(cards[0].clone()),
        records[1]
    );
    assert_eq!(
        ReferenceRecord::FinancialAccount(cards[1].clone()),
        records[2]
    );
    let loans = sources
        .accounts_for(&Lookup::fingerprint_only(&ssn_fp), AccountKind::StudentLoan)
        .await
        .expect("loans");
    assert_eq!(loans.len(), 1);
    assert_eq!(loans[0].account_number, "123456789012");
    assert!(
        sources
            .accounts_for(&Lookup::fingerprint_only(&ssn_fp), AccountKind::Mortgage)
            .await
            .expect("mortgages")
            .is_empty()
    );

    let phone_record = sources
        .phone_record(&Lookup::phone(&keys, "+12025550143"))
        .await
        .expect("phone")
        .expect("phone is stored");
    assert_eq!(ReferenceRecord::PhoneRecord(phone_record), records[4]);

    // Unknown keys answer empty; fingerprints are keyed, so another keyring finds nothing.
    let other = Keyring::new(&KeyMaterial::generate()).expect("other keyring");
    assert!(
        sources
            .returns_for(&Lookup::ssn(&other, SSN_DIGITS), 2)
            .await
            .expect("returns")
            .is_empty()
    );
    assert!(
        sources
            .phone_record(&Lookup::phone(&keys, "+12025550199"))
            .await
            .expect("phone")
            .is_none()
    );
    // Keys are derived from the normalised values the parser produces.
    let ReferenceKey::FinancialAccount { account_fp, .. } = &rows(&keys, &records[1..2])[0].key
    else {
        panic!("an account row")
    };
    assert_eq!(account_fp, &account_number_fingerprint(&keys, CARD_DIGITS));

    // A row sealed under another keyring cannot be opened: an error naming no value,
    // never a wrong record.
    let mut foreign = rows(&other, &[tax_return(2020, 1)]).remove(0);
    foreign.key = ReferenceKey::TaxReturn {
        ssn_fp: ssn_fp.clone(),
        tax_year: 2020,
    };
    db.store
        .upsert_reference_rows(vec![foreign])
        .await
        .expect("foreign row");
    let error = sources
        .returns_for(&Lookup::fingerprint_only(&ssn_fp), 5)
        .await
        .expect_err("a row sealed under another keyring");
    let text = error.to_string();
    assert!(text.contains("could not be opened"), "{text}");
    assert!(!text.contains(SSN_DIGITS), "{text}");
}

async fn returns_are_newest_first_with_limit(db: Db) {
    let keys = keys();
    let years = [2021, 2024, 2019, 2022, 2023];
    let records: Vec<ReferenceRecord> = years
        .iter()
        .map(|&year| tax_return(year, i64::from(year)))
        .collect();
    db.store
        .upsert_reference_rows(rows(&keys, &records))
        .await
        .expect("upsert");
    // Another person's returns are not mixed in.
    let other_line = r#"{"ssn":"000-12-3456","tax_year":2025,"first_name":"Casey","last_name":"Testperson","date_of_birth":"1970-01-01","filing_status":"single","address":{"street":"1 Example St","city":"Testville","state":"VA","zip":"22000"},"agi":1}"#;
    db.store
        .upsert_reference_rows(rows(
            &keys,
            &[parse_line(RecordKind::TaxReturns, other_line).expect("parses")],
        ))
        .await
        .expect("other person");

    let sources = sources(&db, &keys);
    let ssn_fp = ssn_fingerprint(&keys, SSN_DIGITS);
    let two: Vec<i32> = sources
        .returns_for(&Lookup::fingerprint_only(&ssn_fp), 2)
        .await
        .expect("two")
        .iter()
        .map(|r| r.tax_year)
        .collect();
    assert_eq!(two, vec![2024, 2023]);
    let all: Vec<i32> = sources
        .returns_for(&Lookup::fingerprint_only(&ssn_fp), 10)
        .await
        .expect("all")
        .iter()
        .map(|r| r.tax_year)
        .collect();
    assert_eq!(all, vec![2024, 2023, 2022, 2021, 2019]);
    assert!(
        sources
            .returns_for(&Lookup::fingerprint_only(&ssn_fp), 0)
            .await
            .expect("zero")
            .is_empty()
    );
    assert_eq!(
        db.store
            .sealed_returns(&ssn_fp, 3)
            .await
            .expect("sealed")
            .len(),
        3
    );
}

async fn no_clear_values_are_stored(db: Db) {
    let keys = keys();
    db.store
        .upsert_reference_rows(rows(
            &keys,
            &[
                tax_return(2025, 71_000),
                account("credit_card", CARD, "open"),
                account("mortgage", MORTGAGE, "open"),
                phone("mobile"),
            ],
        ))
        .await
        .expect("upsert");
    let raw = db.raw().await;
    let mut texts = Vec::new();
    for (table, columns) in [
        ("tax_returns", "ssn_fp, content_fp, record_sealed"),
        (
            "financial_accounts",
            "ssn_fp, kind, account_fp, content_fp, record_sealed",
        ),
        ("phone_records", "phone_fp, content_fp, record_sealed"),
    ] {
        let found = sqlx::query(AssertSqlSafe(format!("SELECT {columns} FROM {table}")))
            .fetch_all(&raw)
            .await
            .expect("select");
        assert!(!found.is_empty(), "{table}");
        for row in &found {
            for i in 0..columns.split(',').count() {
                texts.push(row.try_get::<String, _>(i).expect("text column"));
            }
        }
    }
    raw.close().await;
    let secrets = [
        SSN_DIGITS,
        SSN,
        SPOUSE_SSN,
        CARD_DIGITS,
        "12345678",
        MORTGAGE,
        PHONE_DIGITS,
        "Testperson",
        "Example",
        "1980-04-01",
    ];
    for text in &texts {
        for secret in secrets {
            assert!(!text.contains(secret), "a clear value is stored");
        }
    }
    // Fingerprints are 64 hex digits; sealed rows are KEY_ID:base64.
    assert!(texts.iter().any(|t| t.starts_with("k1:")));
    assert!(
        texts
            .iter()
            .any(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
    );
}
