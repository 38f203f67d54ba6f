//! `secure-access records generate` (being built: the helper replaces this file).

use std::path::PathBuf;

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

pub fn run(_options: &GenerateOptions) -> anyhow::Result<String> {
    anyhow::bail!("records generate is being built")
}
