//! `secure-access letters print`: the day's activation letters as one printable PDF
//! (one page per letter) and a CSV manifest for the mail vendor.
//!
//! No letter is printed twice and none is lost: the batch's letters are claimed in the
//! database first, the two files are written (to a temporary name, synced, then renamed),
//! and only then are the letters marked printed (their sealed content erased). If a run
//! stops in between, the next run prints the same batch again under the same name,
//! replacing the incomplete files, before it takes new letters.

pub mod render;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use sa_domain::clock::Clock;
use sa_domain::journeys::PrintBatch;

use crate::config::Config;
use crate::wiring::open_for_command;
use clap::Subcommand;
use render::{PrintableLetter, render_csv, render_pdf};

/// The most letters one batch holds.
const BATCH_LIMIT: i64 = 5_000;

/// What a print run produced.
#[derive(Debug)]
pub struct PrintReport {
    pub batch: String,
    pub letters: usize,
    pub pdf: Option<PathBuf>,
    pub csv: Option<PathBuf>,
}

impl std::fmt::Display for PrintReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.pdf, &self.csv) {
            (Some(pdf), Some(csv)) => write!(
                f,
                "printed {} letter(s) in batch {}\n  PDF: {}\n  CSV manifest: {}",
                self.letters,
                self.batch,
                pdf.display(),
                csv.display()
            ),
            _ => write!(f, "no letters waiting to be printed"),
        }
    }
}

/// Print every waiting letter (up to one batch) with the given clock.
pub async fn print(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<PrintReport> {
    let (store, services) = open_for_command(config, clock.clone()).await?;
    let batch = services
        .letters()
        .letters_to_print(BATCH_LIMIT)
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the letters waiting to be printed: {e}"))?;
    if batch.letters.is_empty() {
        store.close().await;
        return Ok(PrintReport {
            batch: batch.batch,
            letters: 0,
            pdf: None,
            csv: None,
        });
    }
    services
        .letters()
        .claim_for_batch(&batch)
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot claim the letters for this batch (is another print running?): {e}"
            )
        })?;
    let printable = printable(&batch, clock.now().date());
    let sign_in_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.listen));
    let dir = config.letters_dir();
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the letters directory {}", dir.display()))?;
    let pdf = dir.join(format!("letters-{}.pdf", batch.batch));
    let csv = dir.join(format!("letters-{}.csv", batch.batch));
    write_atomically(&pdf, &render_pdf(&printable, &config.issuer, &sign_in_url))?;
    write_atomically(&csv, render_csv(&printable).as_bytes())?;
    services
        .letters().mark_batch_printed(&batch)
        .await
        .map_err(|e| anyhow::anyhow!("the files are written but the letters could not be marked printed; run the command again to finish this batch: {e}"))?;
    store.close().await;
    Ok(PrintReport {
        batch: batch.batch,
        letters: printable.len(),
        pdf: Some(pdf),
        csv: Some(csv),
    })
}

fn printable(batch: &PrintBatch, mailed_on: time::Date) -> Vec<PrintableLetter> {
    batch
        .letters
        .iter()
        .map(|(letter, content)| PrintableLetter {
            letter_id: letter.id.clone(),
            name: content.name.clone(),
            address_lines: content.address_lines.clone(),
            code: content.code.clone(),
            language: content.language,
            expires_on: letter.expires_at.date(),
            mailed_on,
        })
        .collect()
}

/// Write to `NAME.tmp` (mode 0600: letters carry codes), sync, then rename over `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&tmp)
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[derive(Subcommand)]
pub enum LettersCommand {
    /// Write the waiting letters as one printable PDF and a CSV manifest (in
    /// `letters_dir`), and mark them printed. A letter is never printed twice.
    Print,
}

/// `secure-access letters …`.
pub async fn run(
    command: LettersCommand,
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    match command {
        LettersCommand::Print => {
            let report = print(config, clock).await?;
            println!("{report}");
            Ok(())
        }
    }
}
