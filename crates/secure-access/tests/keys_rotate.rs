//! `secure-access keys rotate / reseal / retire` end to end, on SQLite and (when
//! `SA_TEST_POSTGRES_URL` is set) a fresh PostgreSQL database per test: the real server
//! writes accounts, factors and messages, `records import` loads reference records, a
//! few proofing rows are written directly; then rotation must re-seal every sealed
//! column under the new key, change no plaintext and no fingerprint, and leave the
//! service working after a restart. Plus the real binary once.
//!
//! With a key-encryption key (SQLite is enough: only the keys file changes): the file
//! is written wrapped and holds no key in clear; a start without the key, with another
//! key or another key id is refused; a plain file is wrapped at the next start and its
//! data still opens; `keys rotate` / `retire` keep the file wrapped; `keys rewrap`
//! moves it to a new key, after which only the new key starts the service.
//!
//! The sealed columns are listed here again on purpose ([`SEALED`]), independently of
//! `sa_store::reseal::SEALED_COLUMNS`, and every one of them must hold values before
//! rotating, so a column missing from the store's list fails these tests.
//!
//! All data is obviously synthetic: "Testperson", SSNs starting 900, 555 phone numbers.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

#[path = "integration/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::{
    Backend, Person, TestServer, account_with_totp, add_confirmed_phone, call, password_step,
    second_factor, sign_in_with_app, sign_up_confirmed,
};
use reqwest::Method;
use sa_domain::keys::{KeyMaterial, Keyring};
use sa_domain::proofing::records::{AccountKind, RecordKind};
use sa_domain::proofing::sources::{
    EmbeddedSources, FinancialAccountSource, Lookup, PhoneRecordSource, TaxReturnSource,
    ssn_fingerprint,
};
use sa_store::SqlStore;
use secure_access::commands::keys;
use secure_access::commands::records::import;
use secure_access::config::Secret;
use secure_access::keyfile::Kek;
use secure_access::{Config, keyfile};
use serde_json::{Value, json};
use sqlx::AnyPool;
use sqlx::AssertSqlSafe;

/// Every sealed column: table, column, and the SQL giving each row's sealing purpose.
const SEALED: &[(&str, &str, &str)] = &[
    ("accounts", "email_sealed", "'account.email'"),
    (
        "factors",
        "secret_sealed",
        "CASE kind WHEN 'totp' THEN 'factor.totp_secret' WHEN 'sms' THEN 'factor.phone' ELSE 'unknown' END",
    ),
    ("outbox", "payload_sealed", "'outbox.payload'"),
    ("tax_returns", "record_sealed", "'reference.tax_return'"),
    (
        "financial_accounts",
        "record_sealed",
        "'reference.financial_account'",
    ),
    ("phone_records", "record_sealed", "'reference.phone_record'"),
    ("proofing_cases", "claim_sealed", "'proofing.claim'"),
    ("proofing_cases", "phone_sealed", "'proofing.phone'"),
    ("letters", "print_sealed", "'letter.print'"),
];

/// One opened value: `table.column`, purpose, plaintext.
type Opened = (String, String, Vec<u8>);

// ---------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------

/// Direct access to the test database, for what the service does not expose.
struct Db {
    pool: AnyPool,
}

impl Db {
    async fn open(config: &Config) -> Self {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(2)
            .connect(&config.database_url())
            .await
            .expect("connect to the test database");
        Self { pool }
    }

    async fn close(self) {
        self.pool.close().await;
    }

    /// `(table.column, purpose, value)` for every non-NULL sealed value.
    async fn sealed_values(&self) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for (table, column, purpose) in SEALED {
            let rows: Vec<(String, String)> = sqlx::query_as(AssertSqlSafe(format!(
                "SELECT {purpose} AS purpose, {column} AS value FROM {table} WHERE {column} IS NOT NULL"
            )))
            .fetch_all(&self.pool)
            .await
            .expect("read sealed values");
            for (purpose, value) in rows {
                out.push((format!("{table}.{column}"), purpose, value));
            }
        }
        out
    }

    /// How many sealed values each key id prefixes, over every sealed column.
    async fn key_ids(&self) -> BTreeMap<String, usize> {
        let mut ids = BTreeMap::new();
        for (_, _, value) in self.sealed_values().await {
            let (id, _) = value.split_once(':').expect("sealed value has a key id");
            *ids.entry(id.to_owned()).or_default() += 1;
        }
        ids
    }

    /// Every sealed value opened with `keys` (panics if one does not open), sorted.
    async fn opened(&self, keys: &Keyring) -> Vec<Opened> {
        let mut opened: Vec<Opened> = self
            .sealed_values()
            .await
            .into_iter()
            .map(|(column, purpose, value)| {
                let plain = keys
                    .open(&purpose, &value)
                    .unwrap_or_else(|e| panic!("{column} ({purpose}) does not open: {e}"));
                (column, purpose, plain.to_vec())
            })
            .collect();
        opened.sort();
        opened
    }

    /// Wait (bounded) until the worker has delivered every queued message (but the one
    /// [`Db::insert_proofing_rows`] queues for next year), so nothing changes under the
    /// test's feet.
    async fn wait_for_empty_outbox(&self) {
        for _ in 0..200 {
            let (pending,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND id <> 'outbox-rotation-1'")
                    .fetch_one(&self.pool)
                    .await
                    .expect("count pending");
            if pending == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("the outbox did not drain");
    }

    /// Rows the service does not write yet through a finished flow: a proofing case with
    /// a claim and a phone, a letter awaiting print, and a message due far in the future.
    async fn insert_proofing_rows(&self, keys: &Keyring) {
        let (account_id,): (String,) = sqlx::query_as("SELECT id FROM accounts ORDER BY id")
            .fetch_one(&self.pool)
            .await
            .expect("an account");
        let now = sa_domain::clock::to_millis(common::test_epoch());
        let month = 30 * 24 * 3600 * 1000_i64;
        let seal = |purpose: &str, text: &str| keys.seal_str(purpose, text).expect("seal");
        sqlx::query(
            "INSERT INTO proofing_cases (account_id, step, started_at, updated_at, ssn_fp, claim_sealed, phone_sealed) \
             VALUES ($1, 'phone_code', $2, $2, $3, $4, $5)",
        )
        .bind(&account_id)
        .bind(now)
        .bind(ssn_fingerprint(keys, "900000001"))
        .bind(seal(
            "proofing.claim",
            r#"{"first_name":"Avery","last_name":"Testperson"}"#,
        ))
        .bind(seal("proofing.phone", "+12025550143"))
        .execute(&self.pool)
        .await
        .expect("insert proofing case");
        sqlx::query(
            "INSERT INTO letters (id, account_id, created_at, expires_at, code_hash, print_sealed) \
             VALUES ('letter-rotation-1', $1, $2, $3, 'not-a-real-hash', $4)",
        )
        .bind(&account_id)
        .bind(now)
        .bind(now + month)
        .bind(seal(
            "letter.print",
            "Avery Testperson\n100 Example St\nTestville VA 22000\nCODE TEST",
        ))
        .execute(&self.pool)
        .await
        .expect("insert letter");
        sqlx::query(
            "INSERT INTO outbox (id, created_at, channel, payload_sealed, status, attempts, next_attempt_at) \
             VALUES ('outbox-rotation-1', $1, 'email', $2, 'pending', 0, $3)",
        )
        .bind(now)
        .bind(seal(
            "outbox.payload",
            r#"{"to":"later@example.test","subject":"Later"}"#,
        ))
        .bind(now + 12 * month)
        .execute(&self.pool)
        .await
        .expect("insert outbox row");
    }
}

fn keys_file(config: &Config) -> PathBuf {
    config.keys_file()
}

fn material(config: &Config) -> KeyMaterial {
    let kek = config.kek().expect("key-encryption key");
    keyfile::read(&keys_file(config), kek.as_ref()).expect("keys file")
}

/// A keyring holding only `id` of the keys file: proves nothing still needs the others.
fn keyring_with_only(config: &Config, id: &str) -> Keyring {
    let mut material = material(config);
    material.data_keys.retain(|key, _| key == id);
    material.current_data_key = id.to_owned();
    Keyring::new(&material).expect("keyring")
}

fn file_mode(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        0o600
    }
}

fn jsonl(lines: &[String]) -> Vec<u8> {
    let mut out = lines.join("\n").into_bytes();
    out.push(b'\n');
    out
}

fn tax_return(ssn: &str, year: u32) -> String {
    format!(
        r#"{{"ssn":"{ssn}","tax_year":{year},"first_name":"Avery","last_name":"Testperson","date_of_birth":"1980-04-01","filing_status":"single","address":{{"street":"100 Example St","city":"Testville","state":"VA","zip":"22000"}},"agi":50000,"wages":50000}}"#
    )
}

fn account(ssn: &str, kind: &str, number: &str) -> String {
    format!(
        r#"{{"ssn":"{ssn}","kind":"{kind}","account_number":"{number}","holder_name":"Avery Testperson","status":"open","opened_on":"2015-06-01"}}"#
    )
}

fn phone(number: &str) -> String {
    format!(
        r#"{{"phone":"{number}","line_type":"mobile","account_type":"personal","subscriber":{{"first_name":"Avery","last_name":"Testperson"}},"since":"2019-01-01"}}"#
    )
}

async fn import_lines(config: &Config, dir: &Path, kind: RecordKind, lines: &[String]) {
    let file = dir.join(format!("{}.jsonl", kind.as_str()));
    std::fs::write(&file, jsonl(lines)).expect("write records");
    let clock = sa_domain::clock::ManualClock::new(time::macros::datetime!(2026-03-01 12:00 UTC));
    let report = import::run(config, std::sync::Arc::new(clock), kind, &file)
        .await
        .expect("import");
    assert_eq!(report.rejected, 0, "{report}");
}

/// A few reference records of each kind, for SSN 900-00-0001 and phone 202-555-0143.
async fn import_reference_records(config: &Config, dir: &Path) {
    import_lines(
        config,
        dir,
        RecordKind::TaxReturns,
        &[
            tax_return("900-00-0001", 2024),
            tax_return("900-00-0001", 2025),
        ],
    )
    .await;
    import_lines(
        config,
        dir,
        RecordKind::FinancialAccounts,
        &[account("900-00-0001", "credit_card", "4000 0000 1234 5678")],
    )
    .await;
    import_lines(
        config,
        dir,
        RecordKind::PhoneRecords,
        &[phone("2025550143")],
    )
    .await;
}

/// The reference records answer through the sources with `keys` (same MAC key, so the
/// fingerprints still find them).
async fn reference_records_answer(config: &Config, keys: Keyring) {
    let store = SqlStore::connect(&config.database_url(), 2)
        .await
        .expect("connect");
    let keys = Arc::new(keys);
    let sources = EmbeddedSources::new(Arc::new(store.clone()), keys.clone());
    let ssn_fp = ssn_fingerprint(&keys, "900000001");
    let returns = sources
        .returns_for(&Lookup::fingerprint_only(&ssn_fp), 5)
        .await
        .expect("returns");
    assert_eq!(
        returns.iter().map(|r| r.tax_year).collect::<Vec<_>>(),
        vec![2025, 2024]
    );
    let cards = sources
        .accounts_for(&Lookup::fingerprint_only(&ssn_fp), AccountKind::CreditCard)
        .await
        .expect("accounts");
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].account_number, "4000000012345678");
    let record = sources
        .phone_record(&Lookup::phone(&keys, "+12025550143"))
        .await
        .expect("phone lookup")
        .expect("phone record");
    assert_eq!(record.subscriber.last_name.as_deref(), Some("Testperson"));
    store.close().await;
}

/// An API client that looks like a device the account has not used yet.
fn new_device(name: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(format!("sa-tests/1.0 ({name})"))
        .build()
        .expect("client")
}

/// Sign in from a new device with password and app code: the TOTP secret opens, and
/// the new-device email (which needs the sealed address) reaches the owner.
async fn signs_in_from_a_new_device(
    server: &TestServer,
    person: &Person,
    secret: &str,
    name: &str,
) {
    server.clock.advance(time::Duration::seconds(30));
    let mark = server.outbox_mark();
    sign_in_with_app(server, &new_device(name), person, secret).await;
    let message = server.message_after(mark, &person.email).await;
    assert_eq!(message["channel"], "email", "{message}");
}

on_both_databases!(
    rotation_reseals_every_sealed_column_and_the_service_keeps_working,
    retire_waits_until_values_sealed_by_a_server_not_yet_restarted_are_resealed,
    more_rows_than_a_batch_are_all_resealed,
);

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

async fn rotation_reseals_every_sealed_column_and_the_service_keeps_working(backend: Backend) {
    let mut server = TestServer::start(backend).await;
    let client = common::api_client();
    let person = Person::new("rotation.owner");
    let (token, secret) = account_with_totp(&server, &client, &person).await;
    let phone_number = "+12025550143";
    add_confirmed_phone(&server, &client, &token, phone_number).await;
    import_reference_records(&server.config, server.data_dir.path()).await;
    let db = Db::open(&server.config).await;
    db.wait_for_empty_outbox().await;
    let k1 = keyring_with_only(&server.config, "k1");
    db.insert_proofing_rows(&k1).await;

    let before = db.opened(&k1).await;
    for (table, column, _) in SEALED {
        let name = format!("{table}.{column}");
        assert!(
            before.iter().any(|(c, _, _)| *c == name),
            "the test must cover {name}"
        );
    }
    let purposes: std::collections::BTreeSet<&str> =
        before.iter().map(|(_, p, _)| p.as_str()).collect();
    assert!(purposes.contains("factor.totp_secret") && purposes.contains("factor.phone"));
    assert_eq!(
        db.key_ids().await,
        BTreeMap::from([("k1".into(), before.len())])
    );
    let material_before = material(&server.config);

    let report = keys::rotate(&server.config).await.expect("rotate");
    assert_eq!(report.new_key, "k2");
    assert_eq!(report.older_keys, vec!["k1".to_owned()]);
    assert_eq!(report.reseal.resealed(), before.len() as u64, "{report}");
    assert_eq!(report.reseal.failed(), 0, "{report}");
    assert_eq!(report.reseal.remaining(), 0, "{report}");
    for (table, column, _) in SEALED {
        assert!(
            report
                .reseal
                .columns
                .iter()
                .any(|c| c.table == *table && c.column == *column && c.resealed > 0),
            "{table}.{column} was not re-sealed: {report}"
        );
    }
    let printed = report.to_string();
    assert!(printed.contains("still under other keys: 0"), "{printed}");
    assert!(!printed.contains("Testperson") && !printed.contains("example.test"));

    // Every value is under k2, opens without k1, and holds the same plaintext.
    assert_eq!(
        db.key_ids().await,
        BTreeMap::from([("k2".into(), before.len())])
    );
    assert_eq!(
        db.opened(&keyring_with_only(&server.config, "k2")).await,
        before
    );

    // The keys file: both keys, k2 current, the MAC key unchanged, private.
    let path = keys_file(&server.config);
    let after = material(&server.config);
    assert_eq!(after.current_data_key, "k2");
    assert_eq!(
        after.data_keys.keys().cloned().collect::<Vec<_>>(),
        vec!["k1".to_owned(), "k2".to_owned()]
    );
    assert_eq!(after.data_keys["k1"], material_before.data_keys["k1"]);
    assert_eq!(after.mac_key, material_before.mac_key);
    assert_eq!(file_mode(&path), 0o600);

    // Fingerprints did not change: the reference records answer with k2 alone.
    reference_records_answer(&server.config, keyring_with_only(&server.config, "k2")).await;

    // A restarted server opens the re-sealed values (TOTP secret, email, phone) and
    // seals new ones under k2.
    server.restart().await;
    signs_in_from_a_new_device(&server, &person, &secret, "after rotation").await;
    let by_text = new_device("by text");
    let started = password_step(&server, &by_text, &person).await;
    let pending = started["session_token"].as_str().expect("token").to_owned();
    let mark = server.outbox_mark();
    call(
        &by_text,
        Method::POST,
        server.url("/api/v1/sessions/sms"),
        Some(&pending),
        None,
        202,
    )
    .await;
    let code = server.code_after(mark, phone_number).await;
    second_factor(&server, &by_text, &pending, "sms", &code, 200).await;
    let newcomer = Person::new("rotation.newcomer");
    sign_up_confirmed(&server, &common::api_client(), &newcomer).await;
    db.wait_for_empty_outbox().await;
    let ids = db.key_ids().await;
    assert_eq!(ids.keys().collect::<Vec<_>>(), vec!["k2"], "{ids:?}");

    // Rotating again works the same way: k3, everything under it.
    let again = keys::rotate(&server.config).await.expect("rotate again");
    assert_eq!(again.new_key, "k3");
    assert_eq!(again.older_keys, vec!["k1".to_owned(), "k2".to_owned()]);
    assert_eq!(again.reseal.remaining(), 0, "{again}");
    let total = ids.values().sum::<usize>();
    assert_eq!(again.reseal.resealed(), total as u64, "{again}");
    assert_eq!(db.key_ids().await, BTreeMap::from([("k3".into(), total)]));

    // Nothing uses k1 or k2 any more: retire removes both; all still opens.
    let retired = keys::retire(&server.config).await.expect("retire");
    assert_eq!(retired.retired, vec!["k1".to_owned(), "k2".to_owned()]);
    assert_eq!(retired.current_key, "k3");
    let last = material(&server.config);
    assert_eq!(
        last.data_keys.keys().cloned().collect::<Vec<_>>(),
        vec!["k3".to_owned()]
    );
    assert_eq!(last.mac_key, material_before.mac_key);
    assert_eq!(file_mode(&path), 0o600);
    let everything = db
        .opened(&secure_access::wiring::load_keyring(&server.config).expect("keys"))
        .await;
    assert_eq!(everything.len(), total);
    // Retiring again has nothing to do.
    let nothing = keys::retire(&server.config).await.expect("retire again");
    assert!(nothing.retired.is_empty());

    server.restart().await;
    signs_in_from_a_new_device(&server, &person, &secret, "after retiring").await;
    db.close().await;
    server.finish().await;
}

/// The documented procedure when servers keep running: a server started before the
/// rotation still seals with k1, so retire refuses until it is restarted and `keys
/// reseal` has moved what it sealed.
async fn retire_waits_until_values_sealed_by_a_server_not_yet_restarted_are_resealed(
    backend: Backend,
) {
    let mut server = TestServer::start(backend).await;
    let client = common::api_client();
    sign_up_confirmed(&server, &client, &Person::new("early.bird")).await;
    let db = Db::open(&server.config).await;
    db.wait_for_empty_outbox().await;

    let report = keys::rotate(&server.config).await.expect("rotate");
    assert_eq!(report.reseal.remaining(), 0, "{report}");
    // The running server still has only k1: its next sign-up is sealed under it.
    let late = Person::new("late.comer");
    call(
        &client,
        Method::POST,
        server.url("/api/v1/accounts"),
        None,
        Some(json!({"username": late.username, "email": late.email, "password": late.password})),
        201,
    )
    .await;
    db.wait_for_empty_outbox().await;
    assert_eq!(db.key_ids().await.get("k1"), Some(&1));

    let error = keys::retire(&server.config)
        .await
        .expect_err("k1 is still in use")
        .to_string();
    assert!(error.contains("k1 (accounts.email_sealed 1)"), "{error}");
    assert!(error.contains("keys reseal"), "{error}");
    assert!(!error.contains("example.test"), "{error}");
    assert_eq!(
        material(&server.config).data_keys.len(),
        2,
        "nothing retired"
    );

    server.restart().await;
    let outcome = keys::reseal(&server.config).await.expect("reseal");
    assert_eq!(outcome.current_key, "k2");
    assert_eq!(outcome.resealed(), 1, "{outcome}");
    assert_eq!(outcome.remaining(), 0, "{outcome}");
    // A second reseal finds nothing to do.
    assert_eq!(
        keys::reseal(&server.config)
            .await
            .expect("reseal")
            .resealed(),
        0
    );

    let retired = keys::retire(&server.config).await.expect("retire");
    assert_eq!(retired.retired, vec!["k1".to_owned()]);
    let only = material(&server.config);
    assert_eq!(
        only.data_keys.keys().cloned().collect::<Vec<_>>(),
        vec!["k2".to_owned()]
    );
    db.opened(&secure_access::wiring::load_keyring(&server.config).expect("keys"))
        .await;
    db.close().await;
    server.finish().await;
}

/// Keyset pagination over one, two and three key columns (text and integer) visits
/// every row when a table holds several batches.
async fn more_rows_than_a_batch_are_all_resealed(backend: Backend) {
    let server = TestServer::start(backend).await;
    let per_kind = sa_store::reseal::RESEAL_BATCH_ROWS * 2 + 37;
    let dir = server.data_dir.path();
    let returns: Vec<String> = (0..per_kind)
        .map(|i| {
            tax_return(
                &format!("900-{:02}-{:04}", i % 2 + 10, i / 2 + 1),
                2020 + (i % 3) as u32,
            )
        })
        .collect();
    let accounts: Vec<String> = (0..per_kind)
        .map(|i| {
            let kind = if i % 2 == 0 {
                "credit_card"
            } else {
                "mortgage"
            };
            account("900-00-0001", kind, &format!("7700{i:08}"))
        })
        .collect();
    let phones: Vec<String> = (0..per_kind)
        .map(|i| phone(&format!("+1202555{i:04}")))
        .collect();
    import_lines(&server.config, dir, RecordKind::TaxReturns, &returns).await;
    import_lines(
        &server.config,
        dir,
        RecordKind::FinancialAccounts,
        &accounts,
    )
    .await;
    import_lines(&server.config, dir, RecordKind::PhoneRecords, &phones).await;
    let db = Db::open(&server.config).await;
    db.wait_for_empty_outbox().await;
    let reference_rows = |ids: &BTreeMap<String, usize>| ids.values().sum::<usize>();
    let before = db.key_ids().await;

    let report = keys::rotate(&server.config).await.expect("rotate");
    for table in ["tax_returns", "financial_accounts", "phone_records"] {
        let column = report
            .reseal
            .columns
            .iter()
            .find(|c| c.table == table)
            .expect("column reported");
        assert_eq!(column.resealed, per_kind as u64, "{report}");
    }
    assert_eq!(report.reseal.remaining(), 0, "{report}");
    assert_eq!(
        db.key_ids().await,
        BTreeMap::from([("k2".into(), reference_rows(&before))])
    );
    db.close().await;
    server.finish().await;
}

#[tokio::test]
async fn rotating_without_a_keys_file_is_refused_and_creates_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config {
        data_dir: dir.path().join("data"),
        ..Config::default()
    };
    let error = keys::rotate(&config).await.expect_err("no keys file");
    assert!(format!("{error:#}").contains("does not exist"), "{error:#}");
    assert!(!config.keys_file().exists());
    assert!(keys::retire(&config).await.is_err());
}

// ---------------------------------------------------------------------------------------
// The real binary
// ---------------------------------------------------------------------------------------

fn binary(dir: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_secure-access"));
    command
        .env("SA_DATA_DIR", dir.join("data"))
        .env_remove("SA_DATABASE_URL")
        .env_remove("SA_KEYS_FILE")
        .env_remove("SA_KEY_ENCRYPTION_KEY")
        .env_remove("SA_NEW_KEY_ENCRYPTION_KEY")
        .env("RUST_LOG", "info");
    command
}

fn run_ok(command: &mut std::process::Command) -> (String, String) {
    let output = command.output().expect("run the binary");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stdout}\n{stderr}");
    (stdout, stderr)
}

#[test]
fn the_binary_rotates_and_retires_printing_counts_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("phones.jsonl");
    std::fs::write(&file, jsonl(&[phone("2025550143"), phone("2025550144")])).expect("write");
    run_ok(
        binary(dir.path())
            .args(["records", "import", "phone-records"])
            .arg(&file),
    );

    let (stdout, stderr) = run_ok(binary(dir.path()).args(["keys", "rotate"]));
    assert!(stdout.contains("data key k2 is now current"), "{stdout}");
    assert!(
        stdout.contains("phone_records.record_sealed (reference.phone_record): 2 re-sealed"),
        "{stdout}"
    );
    assert!(stdout.contains("still under other keys: 0"), "{stdout}");
    for text in [&stdout, &stderr] {
        assert!(!text.contains("Testperson") && !text.contains("2025550143"));
    }

    let (stdout, _) = run_ok(binary(dir.path()).args(["keys", "retire"]));
    assert!(
        stdout.contains("retired data key(s) k1; k2 is current"),
        "{stdout}"
    );
    let (stdout, _) = run_ok(binary(dir.path()).args(["keys", "reseal"]));
    assert!(stdout.contains("re-sealed 0 value(s) under k2"), "{stdout}");
}

// ---------------------------------------------------------------------------------------
// The key-encryption key
// ---------------------------------------------------------------------------------------

/// A fresh key-encryption key as configured: `ID:BASE64`.
fn new_kek(id: &str) -> String {
    format!(
        "{id}:{}",
        STANDARD.encode(*sa_domain::keys::random_bytes::<32>())
    )
}

fn with_kek(config: &mut Config, kek: &str) {
    config.key_encryption_key = Some(Secret::new(kek));
}

/// The base64 part of a configured key, to check it is printed nowhere.
fn kek_value(kek: &str) -> &str {
    kek.split_once(':').map_or(kek, |(_, value)| value)
}

/// The keys file is wrapped under `kek_id`, private, and holds no key in clear.
fn assert_wrapped(config: &Config, kek_id: &str) {
    let path = keys_file(config);
    let text = std::fs::read_to_string(&path).expect("keys file");
    let stored: Value = serde_json::from_str(&text).expect("keys file is JSON");
    assert_eq!(stored["format"], "wrapped-v1", "{stored}");
    assert_eq!(stored["kek_id"], kek_id, "{stored}");
    let material = material(config);
    for secret in material.data_keys.values().chain([&material.mac_key]) {
        assert!(!text.contains(secret.as_str()), "a key is in clear: {text}");
    }
    assert_eq!(file_mode(&path), 0o600);
}

/// Start another server on the same data with `tweak` applied: it must be refused.
async fn start_refused(server: &TestServer, tweak: impl FnOnce(&mut Config)) -> String {
    let mut config = server.config.clone();
    config.listen = "127.0.0.1:0".parse().expect("addr");
    tweak(&mut config);
    match secure_access::start(config, Arc::new(server.clock.clone()), false).await {
        Ok(_) => panic!("the server started"),
        Err(error) => format!("{error:#}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_encryption_key_wraps_the_keys_file_and_is_needed_to_start() {
    let kek = new_kek("kek1");
    let mut server = TestServer::start_with(Backend::Sqlite, |c| with_kek(c, &kek)).await;
    assert_wrapped(&server.config, "kek1");
    let person = Person::new("wrapped.owner");
    let (_, secret) = account_with_totp(&server, &common::api_client(), &person).await;

    let without = start_refused(&server, |c| c.key_encryption_key = None).await;
    assert!(
        without.contains("encrypted with a key-encryption key")
            && without.contains("set SA_KEY_ENCRYPTION_KEY"),
        "{without}"
    );
    let other_bytes = new_kek("kek1");
    let wrong = start_refused(&server, |c| with_kek(c, &other_bytes)).await;
    assert!(
        wrong.contains("does not open with key-encryption key kek1"),
        "{wrong}"
    );
    let other_id = new_kek("kek2");
    let renamed = start_refused(&server, |c| with_kek(c, &other_id)).await;
    assert!(
        renamed.contains("wrapped with key-encryption key kek1")
            && renamed.contains("configured key-encryption key is kek2"),
        "{renamed}"
    );
    for error in [&without, &wrong, &renamed] {
        for key in [&kek, &other_bytes, &other_id] {
            assert!(!error.contains(kek_value(key)), "{error}");
        }
    }
    // The refusals changed nothing; the right key still starts the service.
    assert_wrapped(&server.config, "kek1");
    server.restart().await;
    signs_in_from_a_new_device(&server, &person, &secret, "after restart").await;
    server.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_keys_file_is_wrapped_at_the_next_start_and_its_data_still_opens() {
    let mut server = TestServer::start(Backend::Sqlite).await;
    let path = keys_file(&server.config);
    assert_eq!(keyfile::wrapped_with(&path).expect("keys file"), None);
    let person = Person::new("plain.owner");
    let (_, secret) = account_with_totp(&server, &common::api_client(), &person).await;
    let db = Db::open(&server.config).await;
    db.wait_for_empty_outbox().await;
    let plain = material(&server.config);
    let before = db
        .opened(&secure_access::wiring::load_keyring(&server.config).expect("keys"))
        .await;
    assert!(!before.is_empty());

    with_kek(&mut server.config, &new_kek("kek1"));
    server.restart().await;
    assert_wrapped(&server.config, "kek1");
    let wrapped = material(&server.config);
    assert_eq!(wrapped.data_keys, plain.data_keys);
    assert_eq!(wrapped.mac_key, plain.mac_key);
    assert_eq!(
        db.opened(&secure_access::wiring::load_keyring(&server.config).expect("keys"))
            .await,
        before
    );
    signs_in_from_a_new_device(&server, &person, &secret, "after wrapping").await;
    // Starting again with the key leaves the file as it is.
    let text = std::fs::read_to_string(&path).expect("keys file");
    server.restart().await;
    assert_eq!(std::fs::read_to_string(&path).expect("keys file"), text);
    db.close().await;
    server.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_and_retirement_keep_a_wrapped_keys_file_wrapped() {
    let kek = new_kek("kek1");
    let mut server = TestServer::start_with(Backend::Sqlite, |c| with_kek(c, &kek)).await;
    let person = Person::new("wrapped.rotator");
    let (_, secret) = account_with_totp(&server, &common::api_client(), &person).await;
    let db = Db::open(&server.config).await;
    db.wait_for_empty_outbox().await;
    let before = db.opened(&keyring_with_only(&server.config, "k1")).await;

    let report = keys::rotate(&server.config).await.expect("rotate");
    assert_eq!(report.new_key, "k2");
    assert_eq!(report.reseal.remaining(), 0, "{report}");
    assert_wrapped(&server.config, "kek1");
    assert_eq!(material(&server.config).current_data_key, "k2");
    assert_eq!(
        db.opened(&keyring_with_only(&server.config, "k2")).await,
        before
    );

    server.restart().await;
    signs_in_from_a_new_device(&server, &person, &secret, "after rotation").await;
    db.wait_for_empty_outbox().await;
    let retired = keys::retire(&server.config).await.expect("retire");
    assert_eq!(retired.retired, vec!["k1".to_owned()]);
    assert_wrapped(&server.config, "kek1");
    db.opened(&keyring_with_only(&server.config, "k2")).await;

    // The keys commands need the key-encryption key too.
    let mut without = server.config.clone();
    without.key_encryption_key = None;
    let error = keys::reseal(&without)
        .await
        .expect_err("no key-encryption key");
    assert!(
        format!("{error:#}").contains("set SA_KEY_ENCRYPTION_KEY"),
        "{error:#}"
    );
    db.close().await;
    server.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rewrap_moves_the_keys_file_to_a_new_key_encryption_key() {
    let old = new_kek("kek1");
    let new = new_kek("kek2");
    let mut server = TestServer::start_with(Backend::Sqlite, |c| with_kek(c, &old)).await;
    let person = Person::new("rewrap.owner");
    let (_, secret) = account_with_totp(&server, &common::api_client(), &person).await;
    let before = material(&server.config);

    let same_id = Kek::parse(&new_kek("kek1")).expect("kek");
    let error = keys::rewrap(&server.config, &same_id).expect_err("same id");
    assert!(error.to_string().contains("same id"), "{error}");
    assert_wrapped(&server.config, "kek1");

    let report = keys::rewrap(&server.config, &Kek::parse(&new).expect("kek")).expect("rewrap");
    assert_eq!(
        report,
        keys::RewrapReport {
            from: Some("kek1".to_owned()),
            to: "kek2".to_owned(),
        }
    );
    let printed = report.to_string();
    assert!(printed.contains("kek1 → kek2"), "{printed}");

    // The old key no longer starts the service; the new one does, with the same keys.
    let error = start_refused(&server, |_| {}).await;
    assert!(
        error.contains("wrapped with key-encryption key kek2")
            && error.contains("configured key-encryption key is kek1"),
        "{error}"
    );
    with_kek(&mut server.config, &new);
    assert_wrapped(&server.config, "kek2");
    let after = material(&server.config);
    assert_eq!(after.data_keys, before.data_keys);
    assert_eq!(after.mac_key, before.mac_key);
    server.restart().await;
    signs_in_from_a_new_device(&server, &person, &secret, "after rewrap").await;
    server.finish().await;
}

#[test]
fn the_binary_rewraps_the_keys_file_with_keys_from_the_environment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("data").join("keys.json");
    keyfile::load_or_create(&path).expect("a plain keys file");
    let old = new_kek("kek1");
    let new = new_kek("kek2");
    let output = |command: &mut std::process::Command| {
        let output = command.output().expect("run the binary");
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        for key in [&old, &new] {
            assert!(!text.contains(kek_value(key)), "a key was printed: {text}");
        }
        (output.status, text)
    };

    let (status, text) = output(binary(dir.path()).args(["keys", "rewrap"]));
    assert!(
        !status.success() && text.contains("set SA_NEW_KEY_ENCRYPTION_KEY"),
        "{text}"
    );

    // A plain file is wrapped for the first time, then moved to the next key.
    let (status, text) = output(
        binary(dir.path())
            .env("SA_NEW_KEY_ENCRYPTION_KEY", &old)
            .args(["keys", "rewrap"]),
    );
    assert!(status.success() && text.contains("it was plain"), "{text}");
    let (status, text) = output(
        binary(dir.path())
            .env("SA_KEY_ENCRYPTION_KEY", &old)
            .env("SA_NEW_KEY_ENCRYPTION_KEY", &new)
            .args(["keys", "rewrap"]),
    );
    assert!(status.success() && text.contains("kek1 → kek2"), "{text}");
    assert_eq!(
        keyfile::wrapped_with(&path).expect("keys file").as_deref(),
        Some("kek2")
    );

    let (status, text) = output(
        binary(dir.path())
            .env("SA_KEY_ENCRYPTION_KEY", &old)
            .args(["keys", "reseal"]),
    );
    assert!(
        !status.success() && text.contains("kek2") && text.contains("kek1"),
        "{text}"
    );
    let (status, text) = output(
        binary(dir.path())
            .env("SA_KEY_ENCRYPTION_KEY", "kek3:c2hvcnQ=")
            .args(["keys", "reseal"]),
    );
    assert_eq!(status.code(), Some(2), "{text}");
    assert!(
        text.contains("key_encryption_key") && !text.contains("c2hvcnQ="),
        "{text}"
    );
    let (status, text) = output(
        binary(dir.path())
            .env("SA_KEY_ENCRYPTION_KEY", &new)
            .args(["keys", "reseal"]),
    );
    assert!(
        status.success() && text.contains("re-sealed 0 value(s) under k1"),
        "{text}"
    );
}
