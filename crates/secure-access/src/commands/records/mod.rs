//! `secure-access records …`: loading the reference records proofing checks against,
//! and generating synthetic populations for demos, tests and benchmarks.
//!
//! - [`import`]: `records import KIND FILE`: stream a JSON Lines file (gzip accepted)
//!   into the embedded tables, upserting by natural key, reporting every bad line.
//! - `records generate`: an obviously synthetic population (the `sa-population` crate),
//!   with the messy variants real applicants bring, and what each applicant would type.

pub mod import;

use std::path::PathBuf;
use std::sync::Arc;

use clap::Subcommand;
use sa_domain::clock::Clock;
use sa_domain::proofing::records::RecordKind;
use sa_population as generate;

use crate::config::Config;

#[derive(Subcommand)]
pub enum RecordsCommand {
    /// Load a JSON Lines file (gzip if it ends in .gz) of tax-returns, financial-accounts
    /// or phone-records. Prints `loaded N, updated N, unchanged N, rejected N`; exits
    /// non-zero if any line was rejected.
    Import {
        /// tax-returns | financial-accounts | phone-records
        kind: String,
        file: PathBuf,
    },
    /// Write an obviously synthetic population (the three record files and what each
    /// applicant would type) for demos, tests and benchmarks.
    Generate {
        /// How many people.
        #[arg(long, default_value_t = 1000)]
        people: u64,
        /// Same seed, same population.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output directory.
        #[arg(long, default_value = "synthetic-population")]
        out: PathBuf,
        /// Write gzip-compressed files.
        #[arg(long)]
        gzip: bool,
    },
}

/// `secure-access records …`.
pub async fn run(
    command: RecordsCommand,
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    match command {
        RecordsCommand::Import { kind, file } => {
            let kind = RecordKind::parse(&kind).ok_or_else(|| {
                anyhow::anyhow!("unknown record kind {kind:?}: use tax-returns, financial-accounts or phone-records")
            })?;
            let report = import::run(config, clock, kind, &file).await?;
            println!("{report}");
            if report.rejected > 0 {
                anyhow::bail!(
                    "{} line(s) were rejected (see above); the other lines were loaded",
                    report.rejected
                );
            }
            Ok(())
        }
        RecordsCommand::Generate {
            people,
            seed,
            out,
            gzip,
        } => {
            let summary = generate::run(&generate::GenerateOptions {
                people,
                seed,
                out_dir: out,
                gzip,
            })?;
            println!("{summary}");
            Ok(())
        }
    }
}
