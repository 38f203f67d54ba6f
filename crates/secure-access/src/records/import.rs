//! `secure-access records import KIND FILE` (being built: the helper replaces this file).

use std::path::Path;

use crate::Config;
use sa_domain::proofing::records::RecordKind;

/// What an import did, printed as `loaded N, updated N, unchanged N, rejected N`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub loaded: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "loaded {}, updated {}, unchanged {}, rejected {}",
            self.loaded, self.updated, self.unchanged, self.rejected
        )
    }
}

pub async fn run(
    _config: &Config,
    _kind: RecordKind,
    _file: &Path,
) -> anyhow::Result<ImportReport> {
    anyhow::bail!("records import is being built")
}
