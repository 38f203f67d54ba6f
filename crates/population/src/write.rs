//! The four output files: each line serialised straight into a `BufWriter` (through
//! gzip with `--gzip`), written under a `.partial` name and renamed into place only when
//! complete, so a failed run never leaves a file that looks finished.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::Serialize;

use super::numbers::dashed_ssn;
use super::people::{FilingStatus, Person, Subscriber};
use super::places::{AddressText, Ymd};
use super::scenarios::Applicant;

pub(super) const TAX_RETURNS: &str = "tax-returns.jsonl";
pub(super) const FINANCIAL_ACCOUNTS: &str = "financial-accounts.jsonl";
pub(super) const PHONE_RECORDS: &str = "phone-records.jsonl";
pub(super) const APPLICANTS: &str = "applicants.jsonl";

enum Encoder {
    Plain(BufWriter<File>),
    Gzip(BufWriter<GzEncoder<File>>),
}

impl Write for Encoder {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Plain(w) => w.write(buf),
            Self::Gzip(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Self::Plain(w) => w.write_all(buf),
            Self::Gzip(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Plain(w) => w.flush(),
            Self::Gzip(w) => w.flush(),
        }
    }
}

const BUFFER: usize = 256 * 1024;

/// One output file.
struct Sink {
    encoder: Encoder,
    partial: PathBuf,
    path: PathBuf,
    lines: u64,
}

impl Sink {
    fn create(dir: &Path, name: &str, gzip: bool) -> anyhow::Result<Self> {
        let name = if gzip {
            format!("{name}.gz")
        } else {
            name.to_owned()
        };
        let path = dir.join(&name);
        let partial = dir.join(format!("{name}.partial"));
        let file = File::create(&partial)
            .with_context(|| format!("cannot create {}", partial.display()))?;
        let encoder = if gzip {
            // The default header has no file name and a zero time stamp: same input,
            // same bytes.
            Encoder::Gzip(BufWriter::with_capacity(
                BUFFER,
                GzEncoder::new(file, Compression::default()),
            ))
        } else {
            Encoder::Plain(BufWriter::with_capacity(BUFFER, file))
        };
        Ok(Self {
            encoder,
            partial,
            path,
            lines: 0,
        })
    }

    fn line(&mut self, value: &impl Serialize) -> anyhow::Result<()> {
        serde_json::to_writer(&mut self.encoder, value)
            .with_context(|| format!("cannot write {}", self.partial.display()))?;
        self.encoder
            .write_all(b"\n")
            .with_context(|| format!("cannot write {}", self.partial.display()))?;
        self.lines += 1;
        Ok(())
    }

    fn finish(self) -> anyhow::Result<u64> {
        let context = || format!("cannot finish {}", self.partial.display());
        let file = match self.encoder {
            Encoder::Plain(w) => w
                .into_inner()
                .map_err(|e| e.into_error())
                .with_context(context)?,
            Encoder::Gzip(w) => w
                .into_inner()
                .map_err(|e| e.into_error())
                .and_then(GzEncoder::finish)
                .with_context(context)?,
        };
        file.sync_all().with_context(context)?;
        drop(file);
        fs::rename(&self.partial, &self.path).with_context(|| {
            format!(
                "cannot rename {} to {}",
                self.partial.display(),
                self.path.display()
            )
        })?;
        Ok(self.lines)
    }
}

/// How many lines went into each file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Counts {
    pub tax_returns: u64,
    pub financial_accounts: u64,
    pub phone_records: u64,
    pub applicants: u64,
}

/// The four files being written.
pub(super) struct Output {
    tax_returns: Sink,
    financial_accounts: Sink,
    phone_records: Sink,
    applicants: Sink,
}

#[derive(Serialize)]
struct TaxReturnLine<'a> {
    ssn: String,
    tax_year: i32,
    first_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    middle_name: Option<&'a str>,
    last_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    suffix: Option<&'a str>,
    date_of_birth: String,
    filing_status: &'static str,
    address: AddressText,
    agi: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    wages: Option<i64>,
    total_tax: i64,
    refund: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    dependents: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spouse: Option<SpouseLine<'a>>,
}

#[derive(Serialize)]
struct SpouseLine<'a> {
    ssn: String,
    first_name: &'a str,
    last_name: &'a str,
    date_of_birth: String,
}

#[derive(Serialize)]
struct FinancialAccountLine<'a> {
    ssn: &'a str,
    kind: &'static str,
    account_number: &'a str,
    holder_name: &'a str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    opened_on: Option<String>,
}

#[derive(Serialize)]
struct PhoneRecordLine<'a> {
    phone: &'a str,
    line_type: &'static str,
    account_type: &'static str,
    subscriber: SubscriberLine<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<AddressText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<String>,
}

#[derive(Serialize)]
struct SubscriberLine<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization: Option<&'a str>,
}

impl Output {
    pub(super) fn create(dir: &Path, gzip: bool) -> anyhow::Result<Self> {
        Ok(Self {
            tax_returns: Sink::create(dir, TAX_RETURNS, gzip)?,
            financial_accounts: Sink::create(dir, FINANCIAL_ACCOUNTS, gzip)?,
            phone_records: Sink::create(dir, PHONE_RECORDS, gzip)?,
            applicants: Sink::create(dir, APPLICANTS, gzip)?,
        })
    }

    /// A person's returns, accounts and phone record.
    pub(super) fn person(&mut self, person: &Person) -> anyhow::Result<()> {
        for tax_return in &person.returns {
            let ssn_text = |ssn: &str| {
                if tax_return.dashed_ssn {
                    dashed_ssn(ssn)
                } else {
                    ssn.to_owned()
                }
            };
            let spouse = match (&person.spouse, tax_return.status) {
                (Some(spouse), FilingStatus::MarriedFilingJointly) => Some(SpouseLine {
                    ssn: ssn_text(&spouse.ssn),
                    first_name: spouse.first,
                    last_name: spouse.last,
                    date_of_birth: spouse.dob.iso(),
                }),
                _ => None,
            };
            self.tax_returns.line(&TaxReturnLine {
                ssn: ssn_text(&person.ssn),
                tax_year: tax_return.year,
                first_name: person.first,
                middle_name: person.middle,
                last_name: person.last,
                suffix: person.suffix,
                date_of_birth: person.dob.iso(),
                filing_status: tax_return.status.as_str(),
                address: tax_return.address.record_text(),
                agi: tax_return.agi,
                wages: tax_return.wages,
                total_tax: tax_return.total_tax,
                refund: tax_return.refund,
                dependents: tax_return.dependents,
                spouse,
            })?;
        }
        for account in &person.accounts {
            self.financial_accounts.line(&FinancialAccountLine {
                ssn: &person.ssn,
                kind: account.kind.as_str(),
                account_number: &account.written,
                holder_name: &account.holder_name,
                status: if account.open { "open" } else { "closed" },
                opened_on: account.opened_on.map(Ymd::iso),
            })?;
        }
        if let Some(line) = &person.phone {
            let (account_type, subscriber) = match &line.subscriber {
                Subscriber::Person { first, last } => (
                    "personal",
                    SubscriberLine {
                        first_name: Some(first),
                        last_name: Some(last),
                        organization: None,
                    },
                ),
                Subscriber::Organization(name) => (
                    "business",
                    SubscriberLine {
                        first_name: None,
                        last_name: None,
                        organization: Some(name),
                    },
                ),
            };
            let number = person.phone_number.as_str();
            self.phone_records.line(&PhoneRecordLine {
                phone: if line.ten_digits {
                    number.strip_prefix("+1").unwrap_or(number)
                } else {
                    number
                },
                line_type: line.line_type.as_str(),
                account_type,
                subscriber,
                address: line
                    .with_address
                    .then(|| person.returns[0].address.record_text()),
                since: line.since.map(Ymd::iso),
            })?;
        }
        Ok(())
    }

    pub(super) fn applicant(&mut self, applicant: &Applicant) -> anyhow::Result<()> {
        self.applicants.line(applicant)
    }

    /// Flush, close and move every file into place.
    pub(super) fn finish(self) -> anyhow::Result<Counts> {
        Ok(Counts {
            tax_returns: self.tax_returns.finish()?,
            financial_accounts: self.financial_accounts.finish()?,
            phone_records: self.phone_records.finish()?,
            applicants: self.applicants.finish()?,
        })
    }

    /// Give up: remove the partial files (best effort; the error that brought us here
    /// matters more).
    pub(super) fn abandon(self) {
        for sink in [
            self.tax_returns,
            self.financial_accounts,
            self.phone_records,
            self.applicants,
        ] {
            let partial = sink.partial.clone();
            drop(sink);
            let _ = fs::remove_file(partial);
        }
    }
}
