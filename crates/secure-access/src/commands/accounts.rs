//! `secure-access accounts import-legacy FILE`: move the users of the older tools over.
//! (`accounts unlock|end-sessions|disable|enable` are in `account_help.rs`.)
//!
//! The file is JSON Lines, one account per line: `username`, `email`, `password_hash`
//! (bcrypt `$2b$…`, `$pbkdf2-sha256$…` or `$argon2id$…` in PHC form) and optionally
//! `tools` (the older tools the person used). Lines are read one at a time; each is
//! created in its own transaction, so a re-run is safe: an existing username is left as
//! it is (`already present`). A bad line is printed to stderr as `line N: FIELD:
//! REASON` (never its values) and the others still load. Progress goes to stderr when it
//! is a terminal.

use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use sa_domain::DomainError;
use sa_domain::Services;
use sa_domain::clock::Clock;
use sa_domain::journeys::{LegacyAccount, LegacyImported};

use crate::config::Config;
use crate::wiring::open_for_command;

/// A longer line is rejected (a legacy account is a few hundred bytes).
const MAX_LINE_BYTES: usize = 64 * 1024;
/// Rejected lines printed; later ones are only counted.
const MAX_SHOWN_REJECTIONS: u64 = 100;

#[derive(Subcommand)]
pub enum AccountsCommand {
    /// Import the accounts of an older tool from a JSON Lines file.
    ImportLegacy { file: PathBuf },
    /// Lift the lock that too many wrong codes put on a person's sign-in.
    Unlock(HelpArgs),
    /// Sign a person out everywhere.
    EndSessions(HelpArgs),
    /// Turn an account off: signed out everywhere, no sign-in until it is turned on.
    Disable(HelpArgs),
    /// Turn a turned-off account on again.
    Enable(HelpArgs),
}

/// Whom to help, and why (both required; the reason goes to the audit log).
#[derive(clap::Args)]
pub struct HelpArgs {
    #[arg(long)]
    username: String,
    /// One line, no personal data.
    #[arg(long)]
    reason: String,
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LegacyReport {
    pub created: u64,
    pub already_present: u64,
    pub rejected: u64,
}

impl std::fmt::Display for LegacyReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "created {}, already present {}, rejected {}",
            self.created, self.already_present, self.rejected
        )
    }
}

/// `secure-access accounts …`.
pub async fn run(
    command: AccountsCommand,
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    use super::account_help::{Help, run as help};
    let (what, args) = match command {
        AccountsCommand::ImportLegacy { file } => {
            let report = import_file(config, clock, &file).await?;
            println!("{report}");
            return Ok(());
        }
        AccountsCommand::Unlock(args) => (Help::Unlock, args),
        AccountsCommand::EndSessions(args) => (Help::EndSessions, args),
        AccountsCommand::Disable(args) => (Help::Disable, args),
        AccountsCommand::Enable(args) => (Help::Enable, args),
    };
    help(what, &args.username, &args.reason, config, clock).await
}

/// Import the legacy accounts of `file` into the database of `config`, printing each
/// rejected line to stderr.
pub async fn import_file(
    config: &Config,
    clock: Arc<dyn Clock>,
    file: &Path,
) -> anyhow::Result<LegacyReport> {
    let (store, services) = open_for_command(config, clock).await?;
    let outcome = import_legacy(&services, file).await;
    store.close().await;
    let report = outcome?;
    tracing::info!(
        created = report.created,
        already_present = report.already_present,
        rejected = report.rejected,
        "legacy import finished"
    );
    Ok(report)
}

async fn import_legacy(services: &Services, path: &Path) -> anyhow::Result<LegacyReport> {
    let name = path.display().to_string();
    let file = File::open(path).with_context(|| format!("cannot open {name}"))?;
    let progress = if std::io::stderr().is_terminal() {
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let bar = ProgressBar::new(size);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut reader = BufReader::new(progress.wrap_read(file));
    let mut report = LegacyReport::default();
    let mut buffer = Vec::new();
    let mut line_number = 0u64;
    loop {
        buffer.clear();
        let read = (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buffer)
            .with_context(|| format!("cannot read {name}"))?;
        if read == 0 {
            break;
        }
        line_number += 1;
        if buffer.len() > MAX_LINE_BYTES && !buffer.ends_with(b"\n") {
            // Skip the rest of an over-long line.
            let mut rest = Vec::new();
            reader.read_until(b'\n', &mut rest)?;
            reject(&mut report, line_number, "line", "longer than 64 KiB");
            continue;
        }
        let text = match std::str::from_utf8(&buffer) {
            Ok(text) => text.trim(),
            Err(_) => {
                reject(&mut report, line_number, "line", "not UTF-8");
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        let record: LegacyAccount = match serde_json::from_str(text) {
            Ok(record) => record,
            Err(error) => {
                let reason = if error.is_data() {
                    "a field is missing, unknown or of the wrong type"
                } else {
                    "not a JSON object"
                };
                reject(&mut report, line_number, "line", reason);
                continue;
            }
        };
        match services.sign_up().import_legacy_account(&record).await {
            Ok(LegacyImported::Created) => report.created += 1,
            Ok(LegacyImported::AlreadyPresent) => report.already_present += 1,
            Err(DomainError::Invalid { field, message }) => {
                reject(&mut report, line_number, field, &message.to_string());
            }
            Err(other) => {
                progress.abandon();
                return Err(anyhow::anyhow!(
                    "line {line_number}: {other}; {report} so far (a re-run is safe)"
                ));
            }
        }
    }
    progress.finish_and_clear();
    if report.rejected > MAX_SHOWN_REJECTIONS {
        eprintln!(
            "... and {} more rejected lines",
            report.rejected - MAX_SHOWN_REJECTIONS
        );
    }
    Ok(report)
}

fn reject(report: &mut LegacyReport, line: u64, field: &str, reason: &str) {
    report.rejected += 1;
    if report.rejected <= MAX_SHOWN_REJECTIONS {
        eprintln!("line {line}: {field}: {reason}");
    }
}
