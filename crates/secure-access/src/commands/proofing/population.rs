//! The simulator's world: a synthetic population from `sa-population`, grown with what
//! the simulator adds, and the people who will apply.
//!
//! Added to the generated records before they are imported:
//! - **recent lines**: a few genuine people took their mobile line within the last 90
//!   days (a new phone, a new carrier), so the cost of the tenure rule shows;
//! - **PO boxes and rural routes**: some people's latest return is addressed to
//!   `PO Box N`, `RR N Box M` or `HC N Box M` (they will type it in another spelling);
//! - **impostors' phones**: lines in the impostors' own names, and mobile lines opened
//!   1 to 20 days ago in victims' names.
//!
//! Impostor kinds (round robin): `breach_file` (identity data only; guesses the
//! account), `breach_with_card` (and the victim's card number; their own phone),
//! `new_line_in_victim_name` (and a new line in the victim's name), `ring_one_device`
//! (ten victims from one device and IP, each with a new line in the victim's name).
//! Victims do not apply themselves.
//! The generator's own impostor scenarios (real name and SSN, invented address or
//! birth date) are counted as `partial_data`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Context;
use rand::rngs::StdRng;
use rand::{Rng, RngExt, SeedableRng};
use serde_json::{Value, json};
use time::{Date, Duration};

/// The kinds of impostor, in the order they are handed out.
pub const IMPOSTOR_KINDS: [&str; 4] = [
    "breach_file",
    "breach_with_card",
    "new_line_in_victim_name",
    "ring_one_device",
];
/// The generator's own impostor scenarios.
pub const PARTIAL_DATA: &str = "partial_data";
const RING_SIZE: usize = 10;

/// One of the person's accounts, as they would type it when careful.
#[derive(Clone)]
pub struct HeldAccount {
    pub kind: String,
    /// Digits only (a card's whole number).
    pub number: String,
}

/// A genuine applicant.
pub struct Genuine {
    pub index: u64,
    pub scenario: String,
    /// What the generator says they type (identity; account or `null`).
    pub typed_identity: Value,
    pub typed_financial: Option<Value>,
    pub own_phone: String,
    /// Their latest return, typed carefully (the second try).
    pub latest_return: Value,
    pub accounts: Vec<HeldAccount>,
    /// An account and a personal mobile in their own name: online proofing can work.
    pub eligible_online: bool,
    /// What they type is their own data, in whatever form (the generator expects
    /// their identity and account to match); `false` for the scenarios that type a
    /// different value (two typos in a name, another filing status, an account kind
    /// they do not hold), which the rules must refuse.
    pub types_own_data: bool,
    /// Their line was taken in the last 90 days.
    pub recent_line: bool,
    /// Their latest return is addressed to a box or route.
    pub postal_box: bool,
}

/// An impostor, holding a victim's data.
pub struct Impostor {
    pub kind: &'static str,
    pub victim: u64,
    /// The victim's latest return (the breach), typed.
    pub typed_identity: Value,
    /// The account number the impostor types (a guess, or the victim's card).
    pub financial: Value,
    /// The phone the impostor offers.
    pub phone: String,
    /// Rings share one of these.
    pub ring: Option<usize>,
}

/// Who applies, in order, and where their records are.
pub struct World {
    pub genuine: Vec<Genuine>,
    pub impostors: Vec<Impostor>,
    /// The three record files to import.
    pub files: Vec<(sa_domain::proofing::records::RecordKind, PathBuf)>,
}

/// The digits of `text`, whatever separates them.
pub(super) fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

fn e164(text: &str) -> String {
    if text.starts_with('+') {
        text.to_owned()
    } else {
        format!("+1{}", digits(text))
    }
}

fn read_lines(path: &Path) -> anyhow::Result<Vec<Value>> {
    std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .lines()
        .map(|line| serde_json::from_str(line).context("a generated line is not JSON"))
        .collect()
}

fn write_lines(path: &Path, lines: &[Value]) -> anyhow::Result<()> {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// A number outside the population's ranges (`+1 NPA 555 XXXX` with XXXX ≥ 2000 here).
fn fresh_phone(rng: &mut impl Rng, taken: &mut HashSet<String>) -> String {
    loop {
        let area = rng.random_range(201..=989);
        let line = rng.random_range(2000..=9999);
        let phone = format!("+1{area}555{line}");
        if area % 100 != 11 && taken.insert(phone.clone()) {
            return phone;
        }
    }
}

const IMPOSTOR_NAMES: [(&str, &str); 6] = [
    ("Mallory", "Fakerson"),
    ("Trudy", "Mockwell"),
    ("Eve", "Sampleby"),
    ("Oscar", "Testwick"),
    ("Victor", "Demoson"),
    ("Peggy", "Placeholt"),
];

/// Build the world from the generated files in `dir`: edit the records, choose the
/// impostors, and write the files to import.
pub fn build(dir: &Path, seed: u64, impostors: usize, today: Date) -> anyhow::Result<World> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5151_7a7a);
    let mut returns = read_lines(&dir.join("tax-returns.jsonl"))?;
    let accounts = read_lines(&dir.join("financial-accounts.jsonl"))?;
    let mut phones = read_lines(&dir.join("phone-records.jsonl"))?;
    let applicants = read_lines(&dir.join("applicants.jsonl"))?;

    let mut accounts_of: HashMap<String, Vec<HeldAccount>> = HashMap::new();
    for a in &accounts {
        accounts_of
            .entry(digits(a["ssn"].as_str().unwrap_or_default()))
            .or_default()
            .push(HeldAccount {
                kind: a["kind"].as_str().unwrap_or_default().to_owned(),
                number: digits(a["account_number"].as_str().unwrap_or_default()),
            });
    }
    // The latest return's line, by SSN.
    let mut latest_of: HashMap<String, usize> = HashMap::new();
    for (i, r) in returns.iter().enumerate() {
        let ssn = digits(r["ssn"].as_str().unwrap_or_default());
        let newer = latest_of
            .get(&ssn)
            .is_none_or(|&j| returns[j]["tax_year"].as_i64() < r["tax_year"].as_i64());
        if newer {
            latest_of.insert(ssn, i);
        }
    }
    let phone_line: HashMap<String, usize> = phones
        .iter()
        .enumerate()
        .map(|(i, p)| (e164(p["phone"].as_str().unwrap_or_default()), i))
        .collect();
    let mut taken: HashSet<String> = phone_line.keys().cloned().collect();
    for a in &applicants {
        taken.insert(a["own_phone"].as_str().unwrap_or_default().to_owned());
    }

    let mut genuine = Vec::new();
    let mut partial = Vec::new();
    for a in &applicants {
        let index = a["person"].as_u64().unwrap_or_default();
        let scenario = a["scenario"].as_str().unwrap_or_default().to_owned();
        let ssn = digits(a["identity"]["ssn"].as_str().unwrap_or_default());
        let Some(&latest) = latest_of.get(&ssn) else {
            continue;
        };
        let own_phone = a["own_phone"].as_str().unwrap_or_default().to_owned();
        if scenario.starts_with("impostor_") {
            partial.push(Impostor {
                kind: PARTIAL_DATA,
                victim: index,
                typed_identity: a["identity"].clone(),
                financial: a["financial"].clone(),
                phone: own_phone,
                ring: None,
            });
            continue;
        }
        let held = accounts_of.get(&ssn).cloned().unwrap_or_default();
        let latest_return = &returns[latest];
        let own_line = phone_line.get(&own_phone).map(|&i| &phones[i]);
        let eligible_online = !held.is_empty()
            && own_line.is_some_and(|p| {
                p["line_type"] == "mobile"
                    && p["account_type"] == "personal"
                    && p["subscriber"]["first_name"] == latest_return["first_name"]
                    && p["subscriber"]["last_name"] == latest_return["last_name"]
            });
        let expected = &a["expected"];
        let types_own_data =
            expected["identity"] != "not_matched" && expected["financial"] != "not_matched";
        genuine.push(Genuine {
            index,
            types_own_data,
            scenario,
            typed_identity: a["identity"].clone(),
            typed_financial: a["financial"].as_object().map(|_| a["financial"].clone()),
            own_phone,
            latest_return: latest_return.clone(),
            accounts: held,
            eligible_online,
            recent_line: false,
            postal_box: false,
        });
    }

    // Recent lines: 3% of eligible people took theirs within 90 days.
    for person in genuine.iter_mut().filter(|g| g.eligible_online) {
        if rng.random_bool(0.03)
            && let Some(&i) = phone_line.get(&person.own_phone)
        {
            let since = today - Duration::days(rng.random_range(1..=90));
            phones[i]["since"] = json!(since.to_string());
            person.recent_line = true;
        }
    }
    // Boxes and routes: 5% of people whose latest return's address they type.
    for person in genuine.iter_mut() {
        let plain = !matches!(person.scenario.as_str(), "moved" | "usps_variants");
        if !plain || !rng.random_bool(0.05) {
            continue;
        }
        let ssn = digits(person.latest_return["ssn"].as_str().unwrap_or_default());
        let Some(&i) = latest_of.get(&ssn) else {
            continue;
        };
        let street = match rng.random_range(0..3) {
            0 => format!("PO Box {}", rng.random_range(1..=9999)),
            1 => format!(
                "RR {} Box {}",
                rng.random_range(1..=12),
                rng.random_range(1..=400)
            ),
            _ => format!(
                "HC {} Box {}",
                rng.random_range(1..=80),
                rng.random_range(1..=400)
            ),
        };
        let address = &mut returns[i]["address"];
        address["street"] = json!(street);
        if let Some(fields) = address.as_object_mut() {
            fields.remove("unit");
        }
        person.latest_return = returns[i].clone();
        person.typed_identity["address"] = person.latest_return["address"].clone();
        person.postal_box = true;
    }

    // Impostors: victims are eligible genuine people holding a credit card.
    let victims: Vec<usize> = genuine
        .iter()
        .enumerate()
        .filter(|(_, g)| g.eligible_online && g.accounts.iter().any(|a| a.kind == "credit_card"))
        .map(|(i, _)| i)
        .collect();
    let mut chosen = Vec::new();
    if !victims.is_empty() {
        let mut used = HashSet::new();
        while chosen.len() < impostors.min(victims.len()) {
            let v = victims[rng.random_range(0..victims.len())];
            if used.insert(v) {
                chosen.push(v);
            }
        }
    }
    let mut list = partial;
    let mut ring = 0;
    let mut in_ring = 0;
    for (n, &v) in chosen.iter().enumerate() {
        let kind = IMPOSTOR_KINDS[n % IMPOSTOR_KINDS.len()];
        let victim = &genuine[v];
        let card = victim
            .accounts
            .iter()
            .find(|a| a.kind == "credit_card")
            .map(|a| a.number.clone())
            .unwrap_or_default();
        let last_8 = card[card.len().saturating_sub(8)..].to_owned();
        let financial = if kind == "breach_file" {
            json!({"kind": "credit_card", "account_number": format!("{:08}", rng.random_range(0..100_000_000u32))})
        } else {
            json!({"kind": "credit_card", "account_number": last_8})
        };
        let phone = fresh_phone(&mut rng, &mut taken);
        let (first, last) = match kind {
            "new_line_in_victim_name" | "ring_one_device" => (
                victim.latest_return["first_name"].clone(),
                victim.latest_return["last_name"].clone(),
            ),
            _ => {
                let (f, l) = IMPOSTOR_NAMES[n % IMPOSTOR_NAMES.len()];
                (json!(f), json!(l))
            }
        };
        let since = match kind {
            "new_line_in_victim_name" | "ring_one_device" => {
                today - Duration::days(rng.random_range(1..=20))
            }
            _ => today - Duration::days(rng.random_range(400..=4000)),
        };
        phones.push(
            json!({"phone": phone, "line_type": "mobile", "account_type": "personal",
            "subscriber": {"first_name": first, "last_name": last}, "since": since.to_string()}),
        );
        let ring_id = (kind == "ring_one_device").then(|| {
            in_ring += 1;
            if in_ring > RING_SIZE {
                ring += 1;
                in_ring = 1;
            }
            ring
        });
        let mut typed_identity = victim.latest_return.clone();
        if let Some(fields) = typed_identity.as_object_mut() {
            for key in [
                "tax_year",
                "agi",
                "wages",
                "total_tax",
                "refund",
                "dependents",
                "spouse",
            ] {
                fields.remove(key);
            }
        }
        list.push(Impostor {
            kind,
            victim: victim.index,
            typed_identity,
            financial,
            phone,
            ring: ring_id,
        });
    }

    // Victims never applied themselves (most people whose identity is stolen have no
    // account yet): the impostor meets the rules, not an SSN already verified.
    let victims_taken: HashSet<u64> = chosen.iter().map(|&v| genuine[v].index).collect();
    genuine.retain(|g| !victims_taken.contains(&g.index));

    let files = vec![
        (
            sa_domain::proofing::records::RecordKind::TaxReturns,
            dir.join("sim-tax-returns.jsonl"),
            returns,
        ),
        (
            sa_domain::proofing::records::RecordKind::FinancialAccounts,
            dir.join("sim-financial-accounts.jsonl"),
            accounts,
        ),
        (
            sa_domain::proofing::records::RecordKind::PhoneRecords,
            dir.join("sim-phone-records.jsonl"),
            phones,
        ),
    ];
    let mut paths = Vec::new();
    for (kind, path, lines) in files {
        write_lines(&path, &lines)?;
        paths.push((kind, path));
    }
    Ok(World {
        genuine,
        impostors: list,
        files: paths,
    })
}
