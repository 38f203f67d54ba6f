//! `secure-access audit verify` and `secure-access audit export`: the audit log from the
//! console.
//!
//! - `verify` walks the whole chain through [`sa_domain::journeys::AuditLog::verify_audit`]
//!   (1,000 entries at a time) and says either `audit log intact: N entries` or
//!   `audit log BROKEN at entry SEQ: reason` (the command then exits non-zero).
//! - `export` records the export in the log (`audit.exported`, actor `system`), then
//!   streams every entry to a JSON Lines file (mode 0600), one page at a time.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use sa_domain::audit::Broken;
use sa_domain::clock::Clock;
use tokio::io::AsyncWriteExt;

use crate::config::Config;
use crate::wiring::open_for_command;
use clap::Subcommand;
use std::path::PathBuf;

/// Entries read per query while exporting.
const EXPORT_PAGE: i64 = 1000;

/// Check the chain: `Ok(Ok(entries checked))` or `Ok(Err(first broken entry))`.
pub async fn verify(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Result<u64, Broken>> {
    let (store, services) = open_for_command(config, clock).await?;
    let outcome = services
        .audit_log()
        .verify_audit()
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the audit log: {e}"));
    store.close().await;
    outcome
}

/// What `audit verify` prints.
pub fn verify_message(outcome: &Result<u64, Broken>) -> String {
    match outcome {
        Ok(entries) => format!("audit log intact: {entries} entries"),
        Err(broken) => format!(
            "audit log BROKEN at entry {}: {}",
            broken.seq, broken.reason
        ),
    }
}

/// Write the whole log to `out` as JSON Lines (one entry per line: `seq`, `at`, `actor`,
/// `action`, `subject`, `detail`, `prev_hash`, `hash`); returns how many were written.
pub async fn export(config: &Config, clock: Arc<dyn Clock>, out: &Path) -> anyhow::Result<u64> {
    let (store, services) = open_for_command(config, clock).await?;
    let written = async {
        services
            .audit_log()
            .record_console_export()
            .await
            .map_err(|e| anyhow::anyhow!("cannot record the export in the audit log: {e}"))?;
        let mut options = tokio::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        options.mode(0o600);
        let file = options
            .open(out)
            .await
            .with_context(|| format!("cannot write {}", out.display()))?;
        let mut writer = tokio::io::BufWriter::new(file);
        let mut after = 0;
        let mut written = 0u64;
        loop {
            let page = services
                .core()
                .store
                .audit_entries(None, after, EXPORT_PAGE)
                .await
                .map_err(|e| anyhow::anyhow!("cannot read the audit log: {e}"))?;
            let full = page.len() as i64 == EXPORT_PAGE;
            for entry in &page {
                let mut line = serde_json::to_vec(entry)?;
                line.push(b'\n');
                writer
                    .write_all(&line)
                    .await
                    .with_context(|| format!("cannot write {}", out.display()))?;
                after = entry.seq;
                written += 1;
            }
            if !full {
                break;
            }
        }
        writer
            .flush()
            .await
            .with_context(|| format!("cannot write {}", out.display()))?;
        writer
            .get_ref()
            .sync_all()
            .await
            .with_context(|| format!("cannot write {}", out.display()))?;
        anyhow::Ok(written)
    }
    .await;
    store.close().await;
    written
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain: prints `audit log intact: N entries`, or names the first
    /// broken entry and exits non-zero.
    Verify,
    /// Write the whole log to a JSON Lines file (the export is itself recorded).
    Export {
        /// Output file (created with mode 0600, replaced if it exists).
        #[arg(long)]
        out: PathBuf,
    },
}

/// `secure-access audit …`.
pub async fn run(
    command: AuditCommand,
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    match command {
        AuditCommand::Verify => {
            let outcome = verify(config, clock).await?;
            let message = verify_message(&outcome);
            println!("{message}");
            if outcome.is_err() {
                anyhow::bail!("{message}");
            }
            Ok(())
        }
        AuditCommand::Export { out } => {
            let written = export(config, clock, &out).await?;
            println!("exported {written} audit entries to {}", out.display());
            Ok(())
        }
    }
}
