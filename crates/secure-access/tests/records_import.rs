//! `secure-access records import`: end to end through `commands::records::import::run` on SQLite
//! (a temp data directory) and, when `SA_TEST_POSTGRES_URL` is set, on a fresh
//! PostgreSQL database (created and dropped per test); plus the real binary once.
//!
//! All data is obviously synthetic: "Testperson", SSNs starting 9 or 000, "Example St".
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sa_domain::proofing::records::{AccountKind, RecordKind};
use sa_domain::proofing::sources::{
    EmbeddedSources, FinancialAccountSource, Lookup, PhoneRecordSource, TaxReturnSource,
    ssn_fingerprint,
};
use sa_store::SqlStore;
use sa_test_support::databases::{TestDatabase, postgres_admin_url};
use secure_access::Config;
use secure_access::commands::records::import::{self, ImportReport};
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------

/// A configuration on its own database, and a temp directory for its files.
struct Env {
    config: Config,
    dir: TempDir,
}

impl Env {
    fn file(&self, name: &str, contents: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write test file");
        path
    }

    fn gz_file(&self, name: &str, members: &[&[u8]]) -> PathBuf {
        let path = self.dir.path().join(name);
        let mut out = Vec::new();
        // Several gzip members one after the other (as `cat a.gz b.gz` makes).
        for member in members {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(member).expect("gzip");
            out.extend(encoder.finish().expect("gzip"));
        }
        std::fs::write(&path, out).expect("write gz file");
        path
    }

    /// The clock imports are stamped with (a fixed instant: nothing here depends on it).
    fn clock(&self) -> std::sync::Arc<dyn sa_domain::clock::Clock> {
        std::sync::Arc::new(sa_domain::clock::ManualClock::new(
            time::macros::datetime!(2026-03-01 12:00 UTC),
        ))
    }

    async fn import(&self, kind: RecordKind, file: &Path) -> ImportReport {
        import::run(&self.config, self.clock(), kind, file)
            .await
            .expect("import runs")
    }

    /// The sources the service would answer from, over the same database and keys.
    async fn sources(&self) -> (EmbeddedSources, Arc<sa_domain::keys::Keyring>, SqlStore) {
        let store = SqlStore::connect(&self.config.database_url(), 2)
            .await
            .expect("connect");
        let keys = Arc::new(
            secure_access::keyfile::load_or_create(&self.config.keys_file()).expect("keys"),
        );
        (
            EmbeddedSources::new(Arc::new(store.clone()), keys.clone()),
            keys,
            store,
        )
    }
}

fn base_config(dir: &Path) -> Config {
    Config {
        data_dir: dir.join("data"),
        ..Config::default()
    }
}

async fn with_sqlite<F, Fut>(test: F)
where
    F: FnOnce(Env) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let config = base_config(dir.path());
    test(Env { config, dir }).await;
}

async fn with_postgres<F, Fut>(test: F)
where
    F: FnOnce(Env) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(admin_url) = postgres_admin_url() else {
        return;
    };
    let database = TestDatabase::create(&admin_url, "sa_import_test").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config {
        database_url: Some(database.url()),
        database_max_connections: 4,
        ..base_config(dir.path())
    };
    // On its own task so a failing assertion still lets us drop the database.
    let outcome = tokio::spawn(test(Env { config, dir })).await;
    database.drop_database().await;
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

macro_rules! on_both_databases {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::with_sqlite(super::$test).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::with_postgres(super::$test).await
                }
            )*
        }
    };
}

/// The whole chain on a generated population: `records generate` writes 600 synthetic
/// people (every messy scenario), `records import` loads them, the sealed tables answer
/// through the sources, and the match rules reach each applicant's expected outcome:
/// real people with messy data pass, impostors fail, phone problems route to mail.
async fn a_synthetic_population_gets_the_outcomes_the_spec_promises(env: Env) {
    use sa_domain::proofing::matching::{match_financial, match_identity, match_phone};
    use sa_population::applicant::identity_claim;
    use sa_population::{GenerateOptions, run};
    use serde_json::Value;

    let out = env.dir.path().join("population");
    run(&GenerateOptions {
        people: 600,
        seed: 42,
        out_dir: out.clone(),
        gzip: false,
    })
    .expect("generate");
    for (kind, file) in [
        (RecordKind::TaxReturns, "tax-returns.jsonl"),
        (RecordKind::FinancialAccounts, "financial-accounts.jsonl"),
        (RecordKind::PhoneRecords, "phone-records.jsonl"),
    ] {
        let report = env.import(kind, &out.join(file)).await;
        assert_eq!(report.rejected, 0, "{file}: {report}");
        assert!(report.loaded > 0, "{file}: {report}");
    }
    let (sources, keys, _store) = env.sources().await;
    let applicants = std::fs::read_to_string(out.join("applicants.jsonl")).expect("applicants");
    let mut routes = std::collections::BTreeMap::<String, usize>::new();
    for line in applicants.lines() {
        let a: Value = serde_json::from_str(line).expect("applicant JSON");
        let scenario = a["scenario"].as_str().expect("scenario");
        let claim = identity_claim(&a).expect("an applicant line");
        let expected = &a["expected"];
        let outcome = |matched: bool| if matched { "matched" } else { "not_matched" };

        let returns = sources
            .returns_for(&Lookup::ssn(&keys, &claim.ssn), 10)
            .await
            .expect("returns");
        let identity = match_identity(&claim, &returns);
        assert_eq!(
            outcome(identity.matched),
            expected["identity"],
            "{scenario}: identity {:?}",
            identity.reasons
        );
        let route = if !identity.matched {
            "fail"
        } else {
            let chosen = &a["financial"];
            let kind =
                AccountKind::parse(chosen["kind"].as_str().expect("kind")).expect("known kind");
            let accounts = sources
                .accounts_for(&Lookup::ssn(&keys, &claim.ssn), kind)
                .await
                .expect("accounts");
            let financial = match_financial(
                kind,
                chosen["account_number"].as_str().expect("number"),
                &accounts,
            );
            assert_eq!(
                outcome(financial.matched),
                expected["financial"],
                "{scenario}: financial {:?}",
                financial.reasons
            );
            if !financial.matched {
                "fail"
            } else {
                let phone = a["phone"].as_str().expect("phone typed");
                let record = sources
                    .phone_record(&Lookup::phone(&keys, phone))
                    .await
                    .expect("phone lookup");
                let spouse = returns.iter().find_map(|r| r.spouse.as_ref());
                let decision = match_phone(
                    &claim.first_name,
                    &claim.last_name,
                    spouse.map(|s| (s.first_name.as_str(), s.last_name.as_str())),
                    record.as_ref(),
                );
                assert_eq!(
                    outcome(decision.matched),
                    expected["phone"],
                    "{scenario}: phone {:?}",
                    decision.reasons
                );
                if decision.matched { "online" } else { "mail" }
            }
        };
        assert_eq!(route, expected["route"], "{scenario}");
        *routes.entry(route.to_owned()).or_default() += 1;
    }
    // 600 people in blocks of 100: 64 online, 17 mail, 19 fail per block (see generate).
    assert_eq!(routes.get("online"), Some(&(6 * 64)), "{routes:?}");
    assert_eq!(routes.get("mail"), Some(&(6 * 17)), "{routes:?}");
    assert_eq!(routes.get("fail"), Some(&(6 * 19)), "{routes:?}");
}

on_both_databases!(
    a_synthetic_population_gets_the_outcomes_the_spec_promises,
    importing_the_same_file_twice_changes_nothing,
    a_changed_record_is_updated,
    bad_lines_are_rejected_and_the_good_ones_load,
    gzip_files_load_and_stream,
    imported_records_answer_through_the_sources,
    a_file_larger_than_a_batch_loads_in_batches,
    a_key_repeated_in_a_later_batch_keeps_the_later_record,
);

fn report(loaded: u64, updated: u64, unchanged: u64, rejected: u64) -> ImportReport {
    ImportReport {
        loaded,
        updated,
        unchanged,
        rejected,
    }
}

// ---------------------------------------------------------------------------------------
// Synthetic records
// ---------------------------------------------------------------------------------------

fn tax_return(ssn: &str, year: u32, agi: u64) -> String {
    format!(
        r#"{{"ssn":"{ssn}","tax_year":{year},"first_name":"Avery","last_name":"Testperson","date_of_birth":"1980-04-01","filing_status":"single","address":{{"street":"100 Example St","unit":"Apt 2","city":"Testville","state":"VA","zip":"22000-1234"}},"agi":{agi},"wages":{agi}}}"#
    )
}

fn account(ssn: &str, kind: &str, number: &str) -> String {
    format!(
        r#"{{"ssn":"{ssn}","kind":"{kind}","account_number":"{number}","holder_name":"Avery Testperson","status":"open","opened_on":"2015-06-01"}}"#
    )
}

fn phone(number: &str, first: &str) -> String {
    format!(
        r#"{{"phone":"{number}","line_type":"mobile","account_type":"personal","subscriber":{{"first_name":"{first}","last_name":"Testperson"}},"since":"2019-01-01"}}"#
    )
}

fn jsonl(lines: &[String]) -> Vec<u8> {
    let mut out = lines.join("\n").into_bytes();
    out.push(b'\n');
    out
}

fn three_returns() -> Vec<String> {
    vec![
        tax_return("900-00-0001", 2024, 70_000),
        tax_return("900-00-0001", 2025, 71_000),
        tax_return("000123456", 2025, 42_000),
    ]
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

async fn importing_the_same_file_twice_changes_nothing(env: Env) {
    let returns = env.file("returns.jsonl", &jsonl(&three_returns()));
    assert_eq!(
        env.import(RecordKind::TaxReturns, &returns).await,
        report(3, 0, 0, 0)
    );
    assert_eq!(
        env.import(RecordKind::TaxReturns, &returns).await,
        report(0, 0, 3, 0)
    );

    let accounts = env.file(
        "accounts.jsonl",
        &jsonl(&[
            account("900000001", "credit_card", "4000 0000 1234 5678"),
            account("900000001", "mortgage", "7700-1234-567"),
        ]),
    );
    assert_eq!(
        env.import(RecordKind::FinancialAccounts, &accounts).await,
        report(2, 0, 0, 0)
    );
    assert_eq!(
        env.import(RecordKind::FinancialAccounts, &accounts).await,
        report(0, 0, 2, 0)
    );

    // The same phone written two ways is one key (normalised to E.164).
    let phones = env.file(
        "phones.jsonl",
        &jsonl(&[phone("2025550143", "Avery"), phone("+12025550199", "Blake")]),
    );
    assert_eq!(
        env.import(RecordKind::PhoneRecords, &phones).await,
        report(2, 0, 0, 0)
    );
    let same_phone = env.file(
        "same-phone.jsonl",
        &jsonl(&[phone("+12025550143", "Avery")]),
    );
    assert_eq!(
        env.import(RecordKind::PhoneRecords, &same_phone).await,
        report(0, 0, 1, 0)
    );
}

async fn a_changed_record_is_updated(env: Env) {
    let mut lines = three_returns();
    let first = env.file("returns.jsonl", &jsonl(&lines));
    assert_eq!(
        env.import(RecordKind::TaxReturns, &first).await,
        report(3, 0, 0, 0)
    );
    lines[1] = tax_return("900-00-0001", 2025, 75_500);
    lines.push(tax_return("900-00-0009", 2025, 10_000));
    let second = env.file("returns-v2.jsonl", &jsonl(&lines));
    assert_eq!(
        env.import(RecordKind::TaxReturns, &second).await,
        report(1, 1, 2, 0)
    );
    assert_eq!(
        env.import(RecordKind::TaxReturns, &second).await,
        report(0, 0, 4, 0)
    );
}

async fn bad_lines_are_rejected_and_the_good_ones_load(env: Env) {
    let good = three_returns();
    let mut contents = Vec::new();
    contents.extend_from_slice(good[0].as_bytes());
    contents.extend_from_slice(b"\n{\"ssn\": \"900-00-0002\", not json\n");
    contents.extend_from_slice(
        tax_return("900-00-0003", 2025, 1)
            .replace(r#""first_name":"Avery","#, "")
            .as_bytes(),
    );
    contents.extend_from_slice(b"\n\n");
    contents.extend_from_slice(good[1].as_bytes());
    contents.extend_from_slice(b"\n");
    contents.extend_from_slice(tax_return("900-00-00044", 2025, 1).as_bytes());
    contents.extend_from_slice(b"\n");
    contents.extend_from_slice(
        tax_return("900-00-0005", 2025, 1)
            .replace("Avery", "Av\\u0001ry")
            .as_bytes(),
    );
    contents.extend_from_slice(b"\n{\"ssn\":\"900-00-0006\",\"first_name\":\"T\xFFstperson\"}\n");
    contents.extend_from_slice(good[2].as_bytes());
    let file = env.file("mixed.jsonl", &contents);
    assert_eq!(
        env.import(RecordKind::TaxReturns, &file).await,
        report(3, 0, 0, 5)
    );
    // Re-importing: the good lines are unchanged, the bad ones rejected again.
    assert_eq!(
        env.import(RecordKind::TaxReturns, &file).await,
        report(0, 0, 3, 5)
    );
    // The wrong kind for the file: every line is rejected, nothing loads.
    let returns = env.file("returns.jsonl", &jsonl(&good));
    assert_eq!(
        env.import(RecordKind::PhoneRecords, &returns).await,
        report(0, 0, 0, 3)
    );
}

async fn gzip_files_load_and_stream(env: Env) {
    let first = jsonl(&[phone("2025550143", "Avery"), phone("2025550144", "Blake")]);
    let second = jsonl(&[phone("+442079460000", "Casey")]);
    let gz = env.gz_file("phones.jsonl.gz", &[&first, &second]);
    assert_eq!(
        env.import(RecordKind::PhoneRecords, &gz).await,
        report(3, 0, 0, 0)
    );
    assert_eq!(
        env.import(RecordKind::PhoneRecords, &gz).await,
        report(0, 0, 3, 0)
    );
    // A gzip file whose name does not end in .gz is read as text: every line is rejected.
    let disguised = env.dir.path().join("phones.jsonl");
    std::fs::copy(&gz, &disguised).expect("copy");
    let report = env.import(RecordKind::PhoneRecords, &disguised).await;
    assert_eq!(report.loaded + report.updated + report.unchanged, 0);
    assert!(report.rejected > 0);
    // A file that is not gzip at all is an error naming the file, not a partial load.
    let broken = env.file("broken.jsonl.gz", b"this is not gzip\n");
    let error = import::run(&env.config, env.clock(), RecordKind::PhoneRecords, &broken)
        .await
        .expect_err("not gzip");
    assert!(
        format!("{error:#}").contains("broken.jsonl.gz"),
        "{error:#}"
    );
    // A missing file is an error too.
    let missing = env.dir.path().join("missing.jsonl");
    assert!(
        import::run(&env.config, env.clock(), RecordKind::PhoneRecords, &missing)
            .await
            .is_err()
    );
}

async fn imported_records_answer_through_the_sources(env: Env) {
    let returns = env.file("returns.jsonl", &jsonl(&three_returns()));
    env.import(RecordKind::TaxReturns, &returns).await;
    let accounts = env.file(
        "accounts.jsonl",
        &jsonl(&[account("900-00-0001", "credit_card", "4000 0000 1234 5678")]),
    );
    env.import(RecordKind::FinancialAccounts, &accounts).await;
    let phones = env.file("phones.jsonl", &jsonl(&[phone("2025550143", "Avery")]));
    env.import(RecordKind::PhoneRecords, &phones).await;

    let (sources, keys, store) = env.sources().await;
    let ssn_fp = ssn_fingerprint(&keys, "900000001");
    let found = sources
        .returns_for(&Lookup::fingerprint_only(&ssn_fp), 2)
        .await
        .expect("returns");
    assert_eq!(
        found.iter().map(|r| r.tax_year).collect::<Vec<_>>(),
        vec![2025, 2024]
    );
    assert_eq!(found[0].address.street, "100 Example St");
    assert_eq!(found[0].address.zip, "220001234");
    let cards = sources
        .accounts_for(&Lookup::fingerprint_only(&ssn_fp), AccountKind::CreditCard)
        .await
        .expect("cards");
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].account_number, "4000000012345678");
    let record = sources
        .phone_record(&Lookup::phone(&keys, "+12025550143"))
        .await
        .expect("phone")
        .expect("stored");
    assert_eq!(record.subscriber.last_name.as_deref(), Some("Testperson"));
    store.close().await;
}

async fn a_file_larger_than_a_batch_loads_in_batches(env: Env) {
    let count = import::BATCH_ROWS * 2 + 17;
    let lines: Vec<String> = (0..count)
        .map(|i| phone(&format!("+1202555{i:04}"), "Avery"))
        .collect();
    let file = env.file("many.jsonl", &jsonl(&lines));
    assert_eq!(
        env.import(RecordKind::PhoneRecords, &file).await,
        report(count as u64, 0, 0, 0)
    );
    assert_eq!(
        env.import(RecordKind::PhoneRecords, &file).await,
        report(0, 0, count as u64, 0)
    );
}

/// A key repeated in a later batch (on PostgreSQL, batches are split between writers by
/// key): it counts as updated, and the later record is the one kept.
async fn a_key_repeated_in_a_later_batch_keeps_the_later_record(env: Env) {
    let count = import::BATCH_ROWS + 10;
    let numbers: Vec<String> = (0..count).map(|i| format!("+1202555{i:04}")).collect();
    let earlier: Vec<String> = numbers.iter().map(|n| phone(n, "Avery")).collect();
    let later: Vec<String> = numbers.iter().map(|n| phone(n, "Blake")).collect();
    let both = env.file(
        "both.jsonl",
        &jsonl(&[earlier.as_slice(), later.as_slice()].concat()),
    );
    assert_eq!(
        env.import(RecordKind::PhoneRecords, &both).await,
        report(count as u64, count as u64, 0, 0)
    );
    let later_only = env.file("later.jsonl", &jsonl(&later));
    assert_eq!(
        env.import(RecordKind::PhoneRecords, &later_only).await,
        report(0, 0, count as u64, 0)
    );
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
        .env("RUST_LOG", "info");
    command
}

#[test]
fn the_binary_prints_counts_and_reasons_and_fails_on_rejected_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ssns = ["900-00-0001", "900-00-0002", "000-11-2222", "900-00-00033"];
    let mut contents = jsonl(&[
        tax_return(ssns[0], 2025, 1),
        tax_return(ssns[1], 2025, 2),
        tax_return(ssns[2], 2025, 3).replace(r#""agi":3,"#, ""),
        tax_return(ssns[3], 2025, 4),
    ]);
    contents.extend_from_slice(b"{\"ssn\":\"900-00-0005\",\"last_name\":\"Test\xFF\"}\n");
    let file = dir.path().join("returns.jsonl");
    std::fs::write(&file, &contents).expect("write");

    let output = binary(dir.path())
        .args(["records", "import", "tax-returns"])
        .arg(&file)
        .output()
        .expect("run the binary");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "rejected lines fail the command");
    assert!(
        stdout.contains("loaded 2, updated 0, unchanged 0, rejected 3"),
        "{stdout}"
    );
    assert!(stderr.contains("line 3: agi: is required"), "{stderr}");
    assert!(stderr.contains("line 4: ssn: must be 9 digits"), "{stderr}");
    assert!(stderr.contains("line 5: line: not valid UTF-8"), "{stderr}");
    assert!(stderr.contains("3 line(s) were rejected"), "{stderr}");
    for ssn in ssns.iter().chain(&["900-00-0005"]) {
        let digits = ssn.replace('-', "");
        for text in [&stdout, &stderr] {
            assert!(
                !text.contains(ssn) && !text.contains(&digits),
                "an SSN was printed"
            );
        }
    }
    assert!(!stderr.contains("Testperson") && !stderr.contains("Example St"));

    // A clean file succeeds; the same records again are unchanged.
    let clean = dir.path().join("clean.jsonl");
    std::fs::write(
        &clean,
        jsonl(&[tax_return(ssns[0], 2025, 1), tax_return(ssns[0], 2024, 9)]),
    )
    .expect("write");
    let output = binary(dir.path())
        .args(["records", "import", "tax-returns"])
        .arg(&clean)
        .output()
        .expect("run the binary");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("loaded 1, updated 0, unchanged 1, rejected 0"),
        "{stdout}"
    );
}
