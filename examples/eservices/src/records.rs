//! The portal's synthetic records: taxpayers with their transcripts, and the powers of
//! attorney (Form 2848) that let a tax professional see them.
//!
//! ```text
//!  ID token sub (pairwise: Secure Access gives each app its own identifier for a person)
//!     └─► powers_of_attorney[professional_sub == sub] ─► taxpayers × tax_years ─► transcripts
//! ```
//!
//! **Who is who.** A professional is matched by the pairwise `sub` that Secure Access
//! gives this app, never by email: an address can change hands or be typed by anyone at
//! sign-up, while the `sub` names one verified person and means nothing to other apps.
//! The operator puts it in `professional_sub` (the transcripts page shows a signed-in
//! professional their `sub` when nothing is on file). Secure Access says who the person
//! is; whom they represent is this portal's own record, and the only thing that opens a
//! taxpayer's transcripts.
//!
//! The file (`<data dir>/eservices.json`) is read on every request, so an edit takes
//! effect at once; a first start writes the sample shipped in `data/eservices.json`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// The sample records shipped with the example.
pub const SAMPLE: &str = include_str!("../data/eservices.json");
/// The records file's name inside the data directory.
pub const FILE_NAME: &str = "eservices.json";

#[derive(Debug, Clone, Deserialize)]
pub struct Records {
    pub taxpayers: Vec<Taxpayer>,
    pub powers_of_attorney: Vec<PowerOfAttorney>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Taxpayer {
    pub id: String,
    pub name: String,
    /// `900-xx-xxxx`: the 900 area is never issued, so these can be no one's.
    pub ssn: String,
    pub transcripts: Vec<Transcript>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Transcript {
    pub tax_year: i32,
    pub form: String,
    pub kind: String,
    pub filing_status: String,
    pub adjusted_gross_income: i64,
    pub taxable_income: i64,
    pub total_tax: i64,
    pub payments: i64,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Entry {
    pub date: String,
    pub code: String,
    pub description: String,
    pub amount: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PowerOfAttorney {
    /// The professional's pairwise subject at this app.
    pub professional_sub: String,
    /// A label for the professional (shown to them).
    pub professional: String,
    pub form: String,
    pub taxpayers: Vec<String>,
    pub tax_years: Vec<i32>,
}

/// A taxpayer a professional represents, and the years the authorisation covers.
#[derive(Debug, Clone)]
pub struct Representation<'a> {
    pub taxpayer: &'a Taxpayer,
    pub form: &'a str,
    pub tax_years: Vec<i32>,
}

/// Why transcripts are not shown. The message says what is true without saying
/// whether the taxpayer exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused;

impl Transcript {
    /// Tax minus payments: positive is owed, negative is a refund.
    pub fn balance(&self) -> i64 {
        self.total_tax - self.payments
    }
}

impl Taxpayer {
    /// The SSN with all but the last four digits hidden.
    pub fn masked_ssn(&self) -> String {
        let last4: String = self
            .ssn
            .chars()
            .filter(char::is_ascii_digit)
            .skip(5)
            .collect();
        format!("***-**-{last4}")
    }
}

fn is_synthetic_ssn(ssn: &str) -> bool {
    let b = ssn.as_bytes();
    b.len() == 11
        && ssn.starts_with('9')
        && b[3] == b'-'
        && b[6] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 3 || i == 6 || c.is_ascii_digit())
}

impl Records {
    /// Parse and check: unique ids, synthetic SSNs only, every authorisation naming
    /// known taxpayers.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let records: Records = serde_json::from_str(text).context("the records are not valid")?;
        let mut ids = std::collections::HashSet::new();
        for taxpayer in &records.taxpayers {
            if !ids.insert(taxpayer.id.as_str()) {
                anyhow::bail!("taxpayer id {} appears twice", taxpayer.id);
            }
            if !is_synthetic_ssn(&taxpayer.ssn) {
                anyhow::bail!(
                    "taxpayer {}: only synthetic 9xx-xx-xxxx numbers belong in an example",
                    taxpayer.id
                );
            }
        }
        for poa in &records.powers_of_attorney {
            if let Some(unknown) = poa.taxpayers.iter().find(|id| !ids.contains(id.as_str())) {
                anyhow::bail!("a power of attorney names unknown taxpayer {unknown}");
            }
        }
        Ok(records)
    }

    /// Read `<dir>/eservices.json`.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join(FILE_NAME);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Self::parse(&text).with_context(|| path.display().to_string())
    }

    /// Write the sample records into `dir` unless a records file is already there.
    pub fn ensure_file(dir: &Path) -> anyhow::Result<PathBuf> {
        let path = dir.join(FILE_NAME);
        if !path.exists() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            std::fs::write(&path, SAMPLE)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Self::load(dir)?;
        Ok(path)
    }

    /// The taxpayers `sub` represents, in file order (several authorisations for one
    /// taxpayer add up).
    pub fn represented(&self, sub: &str) -> Vec<Representation<'_>> {
        let mut out: Vec<Representation<'_>> = Vec::new();
        for poa in self
            .powers_of_attorney
            .iter()
            .filter(|p| subtle_eq(&p.professional_sub, sub))
        {
            for id in &poa.taxpayers {
                let Some(taxpayer) = self.taxpayers.iter().find(|t| &t.id == id) else {
                    continue;
                };
                match out.iter_mut().find(|r| r.taxpayer.id == taxpayer.id) {
                    Some(existing) => {
                        existing.tax_years.extend(&poa.tax_years);
                        existing.tax_years.sort_unstable();
                        existing.tax_years.dedup();
                    }
                    None => {
                        let mut tax_years = poa.tax_years.clone();
                        tax_years.sort_unstable();
                        tax_years.dedup();
                        out.push(Representation {
                            taxpayer,
                            form: &poa.form,
                            tax_years,
                        });
                    }
                }
            }
        }
        out
    }

    /// The transcripts of `taxpayer_id` that `sub` may see: only the years an
    /// authorisation covers, newest first.
    pub fn transcripts_for(
        &self,
        sub: &str,
        taxpayer_id: &str,
    ) -> Result<(Representation<'_>, Vec<&Transcript>), Refused> {
        let representation = self
            .represented(sub)
            .into_iter()
            .find(|r| r.taxpayer.id == taxpayer_id)
            .ok_or(Refused)?;
        let mut transcripts: Vec<&Transcript> = representation
            .taxpayer
            .transcripts
            .iter()
            .filter(|t| representation.tax_years.contains(&t.tax_year))
            .collect();
        transcripts.sort_by_key(|t| std::cmp::Reverse(t.tax_year));
        Ok((representation, transcripts))
    }
}

/// Compare without an early exit (the subject is not secret, but this costs nothing).
fn subtle_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// `$1,234` / `-$459`.
pub fn dollars(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if amount < 0 {
        format!("-${grouped}")
    } else {
        format!("${grouped}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_for(sub: &str) -> Records {
        let mut records = Records::parse(SAMPLE).unwrap();
        records.powers_of_attorney[0].professional_sub = sub.to_owned();
        records
    }

    #[test]
    fn the_shipped_sample_is_valid_and_synthetic() {
        let records = Records::parse(SAMPLE).unwrap();
        assert_eq!(records.taxpayers.len(), 3);
        assert!(records.taxpayers.iter().all(|t| t.ssn.starts_with("900-")));
    }

    #[test]
    fn a_professional_sees_only_the_taxpayers_and_years_authorised() {
        let records = sample_for("sub-of-pro");
        let names: Vec<&str> = records
            .represented("sub-of-pro")
            .iter()
            .map(|r| r.taxpayer.id.as_str())
            .collect();
        assert_eq!(names, ["tp-1001", "tp-1002"]);
        let (rep, transcripts) = records.transcripts_for("sub-of-pro", "tp-1001").unwrap();
        assert_eq!(rep.tax_years, [2024, 2025]);
        assert_eq!(
            transcripts.iter().map(|t| t.tax_year).collect::<Vec<_>>(),
            [2025, 2024]
        );
        assert_eq!(
            records
                .transcripts_for("sub-of-pro", "tp-1003")
                .unwrap_err(),
            Refused
        );
        assert_eq!(
            records
                .transcripts_for("sub-of-pro", "tp-9999")
                .unwrap_err(),
            Refused,
            "an unknown taxpayer is refused the same way"
        );
        assert!(records.represented("someone-else").is_empty());
        assert!(records.transcripts_for("", "tp-1001").is_err());
    }

    #[test]
    fn years_outside_the_authorisation_are_not_shown() {
        let mut records = sample_for("pro");
        records.powers_of_attorney[0].tax_years = vec![2025];
        let (_, transcripts) = records.transcripts_for("pro", "tp-1001").unwrap();
        assert_eq!(
            transcripts.iter().map(|t| t.tax_year).collect::<Vec<_>>(),
            [2025]
        );
    }

    #[test]
    fn real_looking_numbers_and_unknown_taxpayers_are_rejected() {
        let real = SAMPLE.replace("900-12-1001", "123-45-6789");
        assert!(Records::parse(&real).is_err());
        let unknown = SAMPLE.replace("\"tp-1002\"]", "\"tp-4040\"]");
        assert!(Records::parse(&unknown).is_err());
    }

    #[test]
    fn money_and_ssns_are_shown_plainly() {
        assert_eq!(dollars(112_540), "$112,540");
        assert_eq!(dollars(-459), "-$459");
        assert_eq!(dollars(0), "$0");
        let records = Records::parse(SAMPLE).unwrap();
        assert_eq!(records.taxpayers[0].masked_ssn(), "***-**-1001");
    }
}
