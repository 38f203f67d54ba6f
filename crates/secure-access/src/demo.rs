//! `secure-access demo`: the server with a ready-made account, a generated synthetic
//! population loaded as reference records (so a newcomer can proof online and by mail),
//! and a printed guide naming two applicants to try.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use sa_domain::clock::Clock;
use sa_domain::proofing::records::RecordKind;
use sa_population as generate;
use serde_json::Value;

use crate::commands::records::import;
use crate::config::Config;
use crate::server::RunningServer;

/// People in the demo population (every scenario of the generator appears).
const DEMO_PEOPLE: u64 = 200;

pub const DEMO_USERNAME: &str = "demo.taxpayer";
pub const DEMO_EMAIL: &str = "demo.taxpayer@example.test";
/// A synthetic password for a synthetic account, printed on purpose.
pub const DEMO_PASSWORD: &str = "plum orbit canyon lantern";

/// Generate the demo population into `<data_dir>/demo-population` and import it, once
/// (a marker file records that the import finished). Returns the applicants file.
pub async fn load_population(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<PathBuf> {
    let dir = config.data_dir.join("demo-population");
    let marker = dir.join("imported");
    let applicants = dir.join("applicants.jsonl");
    if marker.exists() && applicants.exists() {
        return Ok(applicants);
    }
    generate::run(&generate::GenerateOptions {
        people: DEMO_PEOPLE,
        seed: 1,
        out_dir: dir.clone(),
        gzip: false,
    })?;
    for kind in [
        RecordKind::TaxReturns,
        RecordKind::FinancialAccounts,
        RecordKind::PhoneRecords,
    ] {
        let file = dir.join(format!("{}.jsonl", kind.as_str()));
        let report = import::run(config, clock.clone(), kind, &file).await?;
        if report.rejected > 0 {
            anyhow::bail!("the demo population had rejected lines: {report}");
        }
    }
    std::fs::write(&marker, b"imported\n").context("cannot write the demo marker file")?;
    Ok(applicants)
}

/// The first applicant of a route (`online` or `mail`), from `applicants.jsonl`.
fn applicant(applicants: &Path, route: &str) -> anyhow::Result<Option<Value>> {
    let text = std::fs::read_to_string(applicants)
        .with_context(|| format!("cannot read {}", applicants.display()))?;
    Ok(text
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|a| {
            a["scenario"]
                == if route == "online" {
                    "exact"
                } else {
                    "no_phone_record"
                }
        }))
}

/// What to type for one synthetic applicant, as printed lines.
fn describe(applicant: &Value) -> String {
    let id = &applicant["identity"];
    let a = &id["address"];
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let name = [
        &id["first_name"],
        &id["middle_name"],
        &id["last_name"],
        &id["suffix"],
    ]
    .iter()
    .map(|v| text(v))
    .filter(|t| !t.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let unit = text(&a["unit"]);
    format!(
        "     name: {name}\n     date of birth: {dob}   SSN: {ssn}   filing status: {status}\n     \
         address: {street}{unit}, {city} {state} {zip}\n     \
         financial account: {kind} {number}\n     mobile phone: {phone}",
        dob = text(&id["date_of_birth"]),
        ssn = text(&id["ssn"]),
        status = text(&id["filing_status"]),
        street = text(&a["street"]),
        unit = if unit.is_empty() {
            String::new()
        } else {
            format!(" {unit}")
        },
        city = text(&a["city"]),
        state = text(&a["state"]),
        zip = text(&a["zip"]),
        kind = text(&applicant["financial"]["kind"]),
        number = text(&applicant["financial"]["account_number"]),
        phone = text(&applicant["phone"]),
    )
}

/// Make sure the demo account and population exist and print what a newcomer should do.
pub async fn prepare(
    server: &RunningServer,
    config: &Config,
    outbox: &std::path::Path,
) -> anyhow::Result<()> {
    let applicants = load_population(config, server.services.core().clock.clone()).await?;
    let online = applicant(&applicants, "online")?;
    let mail = applicant(&applicants, "mail")?;
    let demo = server
        .services
        .demo()
        .ensure_demo_account(DEMO_USERNAME, DEMO_EMAIL, DEMO_PASSWORD)
        .await
        .map_err(|e| anyhow::anyhow!("demo account: {e}"))?;
    // Where passkeys work too: a loopback address is served to them as `localhost`.
    let url = &server
        .services
        .core()
        .passkeys
        .as_ref()
        .map_or_else(|| server.public_url.clone(), |rp| rp.origin.clone());
    println!(
        "\nSecure Access demo is running at {url}\n\n\
         Try the whole journey as a new person:\n  \
         1. Open {url}/sign-up and create an account (any made-up email address).\n  \
         2. The confirmation code is not emailed: it is appended to {outbox}\n     \
         (see it with: tail -n 1 {outbox}); text-message codes and letters go there too.\n  \
         3. Verify your identity as one of these synthetic people ({people} are loaded; all\n     \
         made up, see {applicants}):\n   \
         a. passes online (the text-message code appears in the outbox file):\n{online}\n   \
         b. has no phone the carrier knows: choose \"mail me a code\", then run\n     \
         `secure-access letters print` and open the PDF (or read the code in the outbox):\n{mail}\n  \
         4. Sign out, sign in again, and see everything on your security page.\n\n\
         Or sign in at once with the demo account:\n  \
         username: {user}\n  password: {password}\n  \
         authenticator key: {secret}\n  (add it to an authenticator app, or scan {uri})\n\n\
         The JSON API is described at {url}/api/openapi.json. Stop with Ctrl-C.\n",
        outbox = outbox.display(),
        user = demo.username,
        password = DEMO_PASSWORD,
        secret = demo.totp_secret,
        uri = demo.otpauth_uri,
        people = DEMO_PEOPLE,
        applicants = applicants.display(),
        online = online.as_ref().map(describe).unwrap_or_default(),
        mail = mail.as_ref().map(describe).unwrap_or_default(),
    );
    Ok(())
}
