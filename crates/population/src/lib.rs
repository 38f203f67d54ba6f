//! # sa-population: an obviously synthetic population
//!
//! Used by `secure-access records generate --people N --seed S --out DIR [--gzip]`, the
//! demo, the tests and the benchmarks: an obviously
//! synthetic population for demos, tests and benchmarks: the three reference-record
//! files of `docs/records.md`, and what each person would type when proofing,
//! with the outcome the match rules should reach.
//!
//! # Files
//!
//! In `DIR` (created if missing), `.jsonl` or, with `--gzip`, `.jsonl.gz`:
//!
//! | file | lines |
//! | --- | --- |
//! | `tax-returns.jsonl` | 1–3 per person, consecutive years within 2023–2025 (newest first) |
//! | `financial-accounts.jsonl` | 0–4 per person |
//! | `phone-records.jsonl` | 0–1 per person |
//! | `applicants.jsonl` | exactly 1 per person, in person order |
//!
//! The first three follow the record formats exactly: every line passes
//! `sa_domain::proofing::records::parse_line`. Some optional fields are left out on
//! purpose (`wages` for retirees, `dependents`, `opened_on`, `since`, phone `address`);
//! SSNs come with and without dashes, ZIPs as 5 or 9 digits, phones as E.164 or 10
//! digits, account numbers plain or grouped by spaces or dashes; names with nicknames,
//! hyphens, apostrophes and accents; addresses with and without USPS abbreviations.
//!
//! A line of `applicants.jsonl` (optional keys are left out when empty):
//!
//! ```json
//! {"person": 17, "scenario": "usps_variants",
//!  "identity": {"first_name": "Avery", "middle_name": "J.", "last_name": "Sampleton",
//!               "suffix": "Jr.", "date_of_birth": "1980-04-01", "ssn": "900-12-3456",
//!               "filing_status": "single",
//!               "address": {"street": "120 North Example Street", "unit": "Apartment 4B",
//!                           "city": "Testville", "state": "VA", "zip": "22001-1234"}},
//!  "financial": {"kind": "credit_card", "account_number": "56789010"},
//!  "phone": "+12015550117", "own_phone": "+12015550117",
//!  "expected": {"identity": "matched", "financial": "matched", "phone": "matched",
//!               "route": "online"}}
//! ```
//!
//! `financial` is `{"kind", "account_number"}` (a card's last 8 digits, a loan's whole
//! number) or `null`; `phone` is E.164 or `null`; `own_phone` is the number the person
//! would give, always present (the proofing simulator retries with it). The flow is identity, then one
//! financial account, then phone; a step after a failed one is never reached, so its
//! input is `null` and its expected outcome `"none"`. Routes: `online` (all three
//! matched), `mail` (identity and account matched, phone not: a letter to the address of
//! record), `fail`.
//!
//! # Scenarios
//!
//! Every block of 100 consecutive people (0–99, 100–199, …) holds each scenario exactly
//! *weight* times, in an order shuffled by the seed, so any population of 100 or more
//! people contains all of them. The person is drawn to fit the scenario (a nickname
//! scenario gets a first name that has a nickname, `moved` gets two returns at different
//! addresses, and so on). Unless stated, the applicant types their latest return
//! verbatim, one account they hold and their own number.
//!
//! | scenario | weight | applicant types | identity | financial | phone | route |
//! | --- | ---: | --- | --- | --- | --- | --- |
//! | `exact` | 30 | the latest return; card's last 8 or the loan number; own mobile | matched | matched | matched | online |
//! | `nickname` | 6 | `Bob` for Robert, `Liz`, `Bill`, `Kate`, `Pepe` for José ([`NICKNAMES`]) | matched | matched | matched | online |
//! | `typo_long_name` | 5 | one letter changed or two swapped in a plain last name of ≥ 6 letters | matched | matched | matched | online |
//! | `two_typos` | 3 | two letters changed (not neighbours) in such a name | not_matched | none | none | fail |
//! | `hyphenated_part` | 4 | one part of a hyphenated last name (`Testperson` for `Sample-Testperson`) | matched | matched | matched | online |
//! | `accents_and_case` | 5 | `NUNEZ-PRUEBA` for `Núñez-Prueba`, `otesta` for `O'Testa` (first and middle name folded the same way) | matched | matched | matched | online |
//! | `usps_variants` | 8 | `North`/`Street` for `N`/`St`, `Apartment 4B` for `#4B` or `Apt 4B`, `Suite` for `Ste`, ZIP+4 for ZIP or the reverse, sometimes in capitals | matched | matched | matched | online |
//! | `moved` | 6 | the address and filing status of the *prior* year's return (the second most recent) | matched | matched | matched | online |
//! | `no_phone_record` | 6 | own number, unknown to the carrier | matched | matched | not_matched | mail |
//! | `phone_in_spouse_name` | 4 | own number, a personal mobile in the spouse's name | matched | matched | not_matched | mail |
//! | `business_phone` | 3 | own number, a business line (mobile or VoIP) of e.g. `Example Widgets LLC` | matched | matched | not_matched | mail |
//! | `landline` | 4 | own number, a personal landline or VoIP line in their name | matched | matched | not_matched | mail |
//! | `no_financial_account_of_kind` | 5 | a kind of account they do not hold, with a made-up number | matched | not_matched | none | fail |
//! | `impostor_wrong_address` | 4 | real SSN, name and date of birth; an invented address (other house number and ZIP than both recent returns) | not_matched | none | none | fail |
//! | `impostor_wrong_dob` | 3 | everything real but the date of birth (another year, day and month swapped, or another day) | not_matched | none | none | fail |
//! | `wrong_filing_status` | 4 | a filing status on neither of the two recent returns | not_matched | none | none | fail |
//!
//! `no_financial_account_of_kind` fails rather than going to mail: the spec offers mail
//! only as the fallback of the phone step ("after the applicant has verified by mail");
//! an account that cannot be proved leaves the applicant unverified.
//!
//! # Never a real person
//!
//! - Last names, streets (`<n> [N] Example|Sample|Test|Demo|Mock… Street|Avenue|…`),
//!   cities (`Testville`, `Exampleburg`, …) and companies are made up; first names are
//!   ordinary ones (nicknames need them). States are real codes; ZIPs any 5 digits.
//! - **SSNs** are in areas 900–999, never issued as SSNs (the IRS uses the 9xx shape for
//!   ITINs, which proofing accepts). Areas 000 and 666 are never issued either but are
//!   left unused, as validators reject them before any match rule runs. Groups are
//!   01–99 and serials 0001–9999. Person `i` holds number `2i` of that range and their
//!   spouse `2i + 1` (groups and serials permuted), so SSNs are unique at any size.
//! - **Phones**: person `i`'s number is derived from `i`. The first `100 × A` people
//!   (`A` = 677 NANP-shaped area codes: first digit 2–9, no N11, N00, 8YY, N9X, 37X or
//!   96X) get the fictional range `+1 NPA 555 0100–0199`. Larger populations continue
//!   with the other `+1 NPA 555 XXXX` lines (0000–0099, 0200–9999) of the same area
//!   codes, which are not reserved as fictional but are mostly unassigned directory
//!   numbers. That allows 6,770,000 people; more is refused. Person 0 has
//!   `+12015550100`.
//! - Credit cards are 16 digits starting `4000` (a test-card prefix) with a valid Luhn
//!   digit; loans 10–14 digits.
//!
//! # Determinism and memory
//!
//! Person `i` is drawn from its own `StdRng::seed_from_u64(mix(seed, i))`, and block
//! `b`'s scenario order from another, so the same seed gives byte-identical files (also
//! gzipped: the gzip header has no name or time), and `--people 50` is a prefix of
//! `--people 1000` with the same seed. (`StdRng` may change between `rand` versions; the
//! promise is for one build.) People are written one at a time through `BufWriter`s;
//! nothing grows with the population, so 5 million people (about 10 million returns)
//! run in flat memory. Files are written as `NAME.partial` and renamed when complete. A
//! progress line goes to stderr every 100,000 people when stderr is a terminal.

#![forbid(unsafe_code)]

pub mod applicant;
mod names;
mod numbers;
mod people;
mod places;
mod scenarios;
mod seeds;
mod write;

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context;
use rand::SeedableRng;
use rand::rngs::StdRng;

use seeds::mix;

pub use names::NICKNAMES;
pub use scenarios::{Expected, Outcome, Route, Scenario};

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// How many synthetic people.
    pub people: u64,
    /// Seed: the same seed always gives the same population.
    pub seed: u64,
    /// Where the files go (created if missing).
    pub out_dir: PathBuf,
    /// Write `.jsonl.gz` instead of `.jsonl`.
    pub gzip: bool,
}

/// The files `run` writes, without `.gz`.
pub const FILE_NAMES: [&str; 4] = [
    write::TAX_RETURNS,
    write::FINANCIAL_ACCOUNTS,
    write::PHONE_RECORDS,
    write::APPLICANTS,
];

/// The largest population the SSN and phone ranges allow.
pub fn max_people() -> u64 {
    people::Numbering::new().capacity()
}

const PROGRESS_EVERY: u64 = 100_000;

/// Generate the population and write the four files. Returns the summary line:
/// `wrote N people: N tax returns, N financial accounts, N phone records, N applicants
/// to DIR`.
pub fn run(options: &GenerateOptions) -> anyhow::Result<String> {
    let numbering = people::Numbering::new();
    if options.people > numbering.capacity() {
        anyhow::bail!(
            "at most {} people can be generated (the synthetic SSN and phone ranges run out)",
            numbering.capacity()
        );
    }
    std::fs::create_dir_all(&options.out_dir)
        .with_context(|| format!("cannot create {}", options.out_dir.display()))?;
    let mut output = write::Output::create(&options.out_dir, options.gzip)?;
    if let Err(error) = generate_into(options, &numbering, &mut output) {
        output.abandon();
        return Err(error);
    }
    let counts = output.finish()?;
    Ok(format!(
        "wrote {} people: {} tax returns, {} financial accounts, {} phone records, {} applicants to {}",
        options.people,
        counts.tax_returns,
        counts.financial_accounts,
        counts.phone_records,
        counts.applicants,
        options.out_dir.display()
    ))
}

fn generate_into(
    options: &GenerateOptions,
    numbering: &people::Numbering,
    output: &mut write::Output,
) -> anyhow::Result<()> {
    let progress = options.people >= PROGRESS_EVERY && std::io::stderr().is_terminal();
    let mut schedule = scenarios::Schedule::new(options.seed);
    for index in 0..options.people {
        let scenario = schedule.scenario_for(index);
        let mut rng = StdRng::seed_from_u64(mix(options.seed, index));
        let person = people::generate(&mut rng, numbering, index, &scenario.needs())
            .with_context(|| format!("person {index} is beyond the synthetic number ranges"))?;
        let applicant = scenarios::applicant(&mut rng, &person, scenario);
        output.person(&person)?;
        output.applicant(&applicant)?;
        let done = index + 1;
        if progress && done % PROGRESS_EVERY == 0 {
            eprintln!("records generate: {done} of {} people", options.people);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sa_domain::proofing::records::{RecordKind, parse_line};
    use std::collections::{HashMap, HashSet};
    use std::path::Path;

    fn generate(dir: &Path, people: u64, seed: u64, gzip: bool) -> String {
        run(&GenerateOptions {
            people,
            seed,
            out_dir: dir.to_path_buf(),
            gzip,
        })
        .unwrap()
    }

    fn lines(dir: &Path, name: &str) -> Vec<String> {
        std::fs::read_to_string(dir.join(name))
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn the_summary_counts_every_line() {
        let dir = tempfile::tempdir().unwrap();
        let summary = generate(dir.path(), 300, 11, false);
        let count = |name| lines(dir.path(), name).len();
        assert_eq!(
            summary,
            format!(
                "wrote 300 people: {} tax returns, {} financial accounts, {} phone records, 300 applicants to {}",
                count(write::TAX_RETURNS),
                count(write::FINANCIAL_ACCOUNTS),
                count(write::PHONE_RECORDS),
                dir.path().display()
            )
        );
        assert!(count(write::TAX_RETURNS) > 300);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".partial"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_smaller_population_is_a_prefix_of_a_larger_one() {
        let small = tempfile::tempdir().unwrap();
        let large = tempfile::tempdir().unwrap();
        generate(small.path(), 120, 5, false);
        generate(large.path(), 250, 5, false);
        for name in FILE_NAMES {
            let small_lines = lines(small.path(), name);
            let large_lines = lines(large.path(), name);
            assert_eq!(small_lines[..], large_lines[..small_lines.len()], "{name}");
        }
    }

    #[test]
    fn records_parse_and_agree_with_the_applicants() {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path(), 400, 3, false);
        for (name, kind) in [
            (write::TAX_RETURNS, RecordKind::TaxReturns),
            (write::FINANCIAL_ACCOUNTS, RecordKind::FinancialAccounts),
            (write::PHONE_RECORDS, RecordKind::PhoneRecords),
        ] {
            for (n, line) in lines(dir.path(), name).iter().enumerate() {
                if let Err(error) = parse_line(kind, line) {
                    panic!("{name} line {}: {error}", n + 1);
                }
            }
        }
        let phones: HashSet<String> = lines(dir.path(), write::PHONE_RECORDS)
            .iter()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                let phone = v["phone"].as_str().unwrap();
                if phone.starts_with('+') {
                    phone.to_owned()
                } else {
                    format!("+1{phone}")
                }
            })
            .collect();
        let mut seen: HashMap<String, u32> = HashMap::new();
        for line in lines(dir.path(), write::APPLICANTS) {
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            let scenario = Scenario::parse(v["scenario"].as_str().unwrap()).unwrap();
            *seen.entry(scenario.as_str().to_owned()).or_default() += 1;
            let expected = serde_json::to_value(scenario.expected()).unwrap();
            assert_eq!(v["expected"], expected);
            match v["phone"].as_str() {
                Some(phone) => assert_eq!(
                    phones.contains(phone),
                    scenario != Scenario::NoPhoneRecord,
                    "{line}"
                ),
                None => assert_eq!(v["expected"]["phone"], "none"),
            }
            if v["financial"].is_null() {
                assert_eq!(v["expected"]["financial"], "none");
            }
        }
        for scenario in Scenario::ALL {
            assert_eq!(
                seen.get(scenario.as_str()).copied(),
                Some(scenario.weight() * 4),
                "{}",
                scenario.as_str()
            );
        }
    }

    #[test]
    fn too_many_people_are_refused_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("never");
        let error = run(&GenerateOptions {
            people: max_people() + 1,
            seed: 1,
            out_dir: out.clone(),
            gzip: false,
        })
        .unwrap_err();
        assert!(error.to_string().contains("at most"), "{error}");
        assert!(!out.exists());
        assert!(max_people() >= 5_000_000);
    }

    #[test]
    fn mixing_spreads_neighbouring_indexes() {
        let seeds: HashSet<u64> = (0..10_000).map(|i| mix(1, i)).collect();
        assert_eq!(seeds.len(), 10_000);
        assert_ne!(mix(1, 0), mix(2, 0));
    }
}
