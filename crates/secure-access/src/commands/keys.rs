//! `secure-access keys …`: rotating the data key that seals personal data at rest, and
//! the key-encryption key that wraps the keys file.
//!
//! ```text
//!  rotate:  lock keys file ─► add kN+1, make it current ─► write file atomically
//!                                     (the file now opens old and new rows)
//!           ─► reseal: every sealed value not under kN+1 is opened and sealed again
//!  reseal:  the same walk, under the current key, without adding one (after a crash,
//!           or after servers that still sealed with the old key were restarted)
//!  retire:  drop every data key but the current one, only if no stored value uses it
//!  rewrap:  lock keys file ─► open it with SA_KEY_ENCRYPTION_KEY (or as plain JSON)
//!           ─► write it wrapped under SA_NEW_KEY_ENCRYPTION_KEY (no row changes)
//! ```
//!
//! The MAC key never changes, so fingerprints (lookup keys of codes, devices, SSNs,
//! phones, accounts) stay valid. Which columns are sealed is listed once, in
//! [`sa_store::reseal::SEALED_COLUMNS`]; the walk itself (batches, conditional updates)
//! is [`sa_store::SqlStore::reseal_all`].
//!
//! A running server keeps the keyring it started with: it seals new values under the
//! old key and cannot open values re-sealed under the new one until it is restarted.
//! So: rotate, restart every server, run `keys reseal` to move what they sealed in
//! between, then `keys retire`. Each command holds an exclusive lock on the keys file
//! ([`keyfile::lock`]), so two of them never interleave. Reports carry counts and key
//! ids only, never values.
//!
//! With a key-encryption key configured every command reads the wrapped file with it
//! and writes the file wrapped again ([`keyfile::read`], [`keyfile::write_atomic`]).
//! `keys rewrap` changes that key itself: it needs a different id than the current
//! one, and once it has run, servers start only with the new key (they name both ids
//! if given the old one), so swap `SA_KEY_ENCRYPTION_KEY` and restart them.

use clap::Subcommand;
use sa_domain::clock::Clock;
use std::fmt;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sa_domain::keys::{KeyMaterial, Keyring, random_bytes};
use sa_store::SqlStore;
use sa_store::reseal::{ColumnKeyUsage, ColumnReseal};

use crate::config::Config;
use crate::keyfile;
use crate::keyfile::Kek;
use crate::wiring::open_store;

/// The variable `keys rewrap` reads the new key-encryption key from (never a command
/// line argument, which other users of the machine could see).
pub const NEW_KEK_VARIABLE: &str = "SA_NEW_KEY_ENCRYPTION_KEY";

/// What `keys rotate` did.
#[derive(Debug, Clone)]
pub struct RotateReport {
    /// The new current data key.
    pub new_key: String,
    /// The data keys kept to open values not yet re-sealed (retire them later).
    pub older_keys: Vec<String>,
    pub reseal: ResealOutcome,
}

/// What re-sealing did, and what is left under other keys.
#[derive(Debug, Clone)]
pub struct ResealOutcome {
    /// The key every value was re-sealed under.
    pub current_key: String,
    /// Per sealed column and purpose: found, re-sealed, changed meanwhile, failed.
    pub columns: Vec<ColumnReseal>,
    /// Per sealed column, counted after the walk.
    pub usage: Vec<ColumnKeyUsage>,
}

impl ResealOutcome {
    /// Values re-sealed under the current key.
    pub fn resealed(&self) -> u64 {
        self.columns.iter().map(|c| c.resealed).sum()
    }

    /// Values found that could not be opened (and were left as they are).
    pub fn failed(&self) -> u64 {
        self.columns.iter().map(|c| c.failed).sum()
    }

    /// Values still under another key than the current one (0 after a complete run
    /// with no server sealing under an old key meanwhile).
    pub fn remaining(&self) -> u64 {
        self.usage
            .iter()
            .map(ColumnKeyUsage::under_other_keys)
            .sum()
    }
}

/// What `keys retire` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetireReport {
    pub current_key: String,
    /// Data keys removed from the keys file (none if there were no older keys).
    pub retired: Vec<String>,
}

/// What `keys rewrap` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewrapReport {
    /// The key-encryption key the file was wrapped with (`None`: it was plain JSON).
    pub from: Option<String>,
    /// The key-encryption key it is wrapped with now.
    pub to: String,
}

/// Add a new data key, make it current, save the keys file, then re-seal every sealed
/// value under it. The file is written before any row changes, so a crash part-way
/// leaves a keys file that opens both the rows already re-sealed and the rest; run
/// [`reseal`] to finish.
pub async fn rotate(config: &Config) -> anyhow::Result<RotateReport> {
    let path = config.keys_file();
    let (_lock, mut material, kek) = lock_and_read(config)?;
    keyfile::keyring(&path, &material)?;
    let older_keys: Vec<String> = material.data_keys.keys().cloned().collect();
    let new_key = next_key_id(&material)?;
    material
        .data_keys
        .insert(new_key.clone(), STANDARD.encode(*random_bytes::<32>()));
    material.current_data_key = new_key.clone();
    let keys = keyfile::keyring(&path, &material)?;
    keyfile::write_atomic(&path, &material, kek.as_ref())?;
    tracing::info!(new_key = %new_key, "new data key saved; re-sealing");
    let reseal = reseal_under(config, &keys, &new_key).await?;
    Ok(RotateReport {
        new_key,
        older_keys,
        reseal,
    })
}

/// Re-seal every value not under the current data key, without adding a key.
pub async fn reseal(config: &Config) -> anyhow::Result<ResealOutcome> {
    let path = config.keys_file();
    let (_lock, material, _) = lock_and_read(config)?;
    let keys = keyfile::keyring(&path, &material)?;
    reseal_under(config, &keys, &material.current_data_key).await
}

/// Remove every data key but the current one, refusing (and changing nothing) while any
/// stored value is still sealed under one of them.
pub async fn retire(config: &Config) -> anyhow::Result<RetireReport> {
    let path = config.keys_file();
    let (_lock, mut material, kek) = lock_and_read(config)?;
    keyfile::keyring(&path, &material)?;
    let current_key = material.current_data_key.clone();
    let older: Vec<String> = material
        .data_keys
        .keys()
        .filter(|id| **id != current_key)
        .cloned()
        .collect();
    if older.is_empty() {
        return Ok(RetireReport {
            current_key,
            retired: Vec::new(),
        });
    }
    let ids: Vec<&str> = older.iter().map(String::as_str).collect();
    let usage = with_store(config, |store| async move {
        Ok(store.sealed_key_usage(&ids).await?)
    })
    .await?;
    let in_use: Vec<String> = older
        .iter()
        .filter_map(|id| {
            let columns: Vec<String> = usage
                .iter()
                .filter_map(|c| {
                    let n = c.by_key.get(id).copied().unwrap_or(0);
                    (n > 0).then(|| format!("{}.{} {n}", c.table, c.column))
                })
                .collect();
            (!columns.is_empty()).then(|| format!("{id} ({})", columns.join(", ")))
        })
        .collect();
    if !in_use.is_empty() {
        anyhow::bail!(
            "cannot retire: stored values are still sealed under {}; restart every running \
             server so it seals with {current_key}, run `secure-access keys reseal`, then retire again",
            in_use.join("; ")
        );
    }
    for id in &older {
        material.data_keys.remove(id);
    }
    keyfile::keyring(&path, &material)?;
    keyfile::write_atomic(&path, &material, kek.as_ref())?;
    tracing::info!(retired = ?older, current = %current_key, "older data keys retired");
    Ok(RetireReport {
        current_key,
        retired: older,
    })
}

/// Wrap the keys file under `new_kek` instead of the configured key-encryption key (or
/// wrap it for the first time if it is plain). Data keys, MAC key and rows are
/// unchanged; the file is replaced atomically and read back with `new_kek` before this
/// returns.
pub fn rewrap(config: &Config, new_kek: &Kek) -> anyhow::Result<RewrapReport> {
    let path = config.keys_file();
    let (_lock, material, current) = lock_and_read(config)?;
    keyfile::keyring(&path, &material)?;
    let from = keyfile::wrapped_with(&path)?;
    if let Some(current) = current.as_ref().map(Kek::id).or(from.as_deref())
        && current == new_kek.id()
    {
        anyhow::bail!(
            "the new key-encryption key has the same id as the current one ({current}): give it \
             another id (e.g. `kek2:` before the base64) so servers can tell which one they need"
        );
    }
    keyfile::write_atomic(&path, &material, Some(new_kek))?;
    let reread = keyfile::read(&path, Some(new_kek))?;
    if reread.data_keys != material.data_keys || reread.mac_key != material.mac_key {
        anyhow::bail!(
            "keys file {} does not read back as written; restore it from the backup",
            path.display()
        );
    }
    tracing::info!(from = ?from, to = %new_kek.id(), "keys file re-wrapped");
    Ok(RewrapReport {
        from,
        to: new_kek.id().to_owned(),
    })
}

/// The new key-encryption key for `keys rewrap`, from [`NEW_KEK_VARIABLE`]. The error
/// names the variable, never its value.
pub fn new_kek_from_env() -> anyhow::Result<Kek> {
    let text = std::env::var(NEW_KEK_VARIABLE).map_err(|_| {
        anyhow::anyhow!(
            "set {NEW_KEK_VARIABLE} to the new key-encryption key: an id, ':' and base64 of \
             32 random bytes (e.g. kek2:$(openssl rand -base64 32))"
        )
    })?;
    Kek::parse(&text).map_err(|e| anyhow::anyhow!("{NEW_KEK_VARIABLE} {e}"))
}

/// Take the keys-file lock and read the file, which must exist (rotating a file made on
/// the spot would seal nothing and hide a wrong `keys_file`), with the configured
/// key-encryption key (returned too, to write the file back wrapped).
fn lock_and_read(config: &Config) -> anyhow::Result<(keyfile::KeysLock, KeyMaterial, Option<Kek>)> {
    let kek = config.kek().map_err(anyhow::Error::msg)?;
    let path = config.keys_file();
    if !path.exists() {
        anyhow::bail!(
            "keys file {} does not exist: nothing has been sealed with it yet (the service creates it on first start); check SA_KEYS_FILE / SA_DATA_DIR",
            path.display()
        );
    }
    let lock = keyfile::lock(&path)?;
    let material = keyfile::read(&path, kek.as_ref())?;
    Ok((lock, material, kek))
}

async fn reseal_under(
    config: &Config,
    keys: &Keyring,
    current_key: &str,
) -> anyhow::Result<ResealOutcome> {
    let reseal = |purpose: &str, sealed: &str| -> Result<String, String> {
        let plain = keys.open(purpose, sealed).map_err(|e| e.to_string())?;
        keys.seal(purpose, &plain).map_err(|e| e.to_string())
    };
    let (columns, usage) = with_store(config, |store| async move {
        let report = store.reseal_all(current_key, &reseal).await?;
        let usage = store.sealed_key_usage(&[current_key]).await?;
        Ok((report.columns, usage))
    })
    .await?;
    Ok(ResealOutcome {
        current_key: current_key.to_owned(),
        columns,
        usage,
    })
}

/// Open the store, run `work`, and close the store whatever the outcome.
async fn with_store<T, F, Fut>(config: &Config, work: F) -> anyhow::Result<T>
where
    F: FnOnce(SqlStore) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    let store = open_store(config).await?;
    let outcome = work(store.clone()).await;
    store.close().await;
    outcome
}

/// The next id in the `k1, k2, …` sequence: one more than the highest in use, so a
/// retired id is never reused while a later one exists.
fn next_key_id(material: &KeyMaterial) -> anyhow::Result<String> {
    let highest = material
        .data_keys
        .keys()
        .filter_map(|id| id.strip_prefix('k')?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let mut next = highest;
    loop {
        next = next
            .checked_add(1)
            .ok_or_else(|| anyhow::anyhow!("no data key id left after k{highest}"))?;
        let id = format!("k{next}");
        if !material.data_keys.contains_key(&id) {
            return Ok(id);
        }
    }
}

impl fmt::Display for ResealOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "re-sealed {} value(s) under {}:",
            self.resealed(),
            self.current_key
        )?;
        for c in &self.columns {
            write!(
                f,
                "  {}.{} ({}): {} re-sealed",
                c.table, c.column, c.purpose, c.resealed
            )?;
            if c.changed_meanwhile > 0 {
                write!(f, ", {} changed meanwhile", c.changed_meanwhile)?;
            }
            if c.failed > 0 {
                write!(f, ", {} could not be opened", c.failed)?;
            }
            writeln!(f)?;
        }
        write!(f, "still under other keys: {}", self.remaining())
    }
}

impl fmt::Display for RotateReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "data key {} is now current (older keys kept to open older rows: {})",
            self.new_key,
            self.older_keys.join(", ")
        )?;
        write!(f, "{}", self.reseal)
    }
}

impl fmt::Display for RewrapReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.from {
            Some(from) => write!(
                f,
                "keys file re-wrapped: key-encryption key {from} → {}",
                self.to
            )?,
            None => write!(
                f,
                "keys file wrapped (it was plain) with key-encryption key {}",
                self.to
            )?,
        }
        write!(
            f,
            "; now set SA_KEY_ENCRYPTION_KEY to the key {} and restart every server",
            self.to
        )
    }
}

impl fmt::Display for RetireReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.retired.is_empty() {
            write!(
                f,
                "no older data keys to retire; {} is current",
                self.current_key
            )
        } else {
            write!(
                f,
                "retired data key(s) {}; {} is current",
                self.retired.join(", "),
                self.current_key
            )
        }
    }
}

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Add a new data key, make it current and re-seal every sealed value under it.
    /// Running servers keep their old keyring: restart them, then run `keys reseal`.
    /// Exits non-zero if values remain under older keys.
    Rotate,
    /// Re-seal values still under an older key under the current one (after a restart,
    /// or to finish an interrupted rotation). Exits non-zero if any remain.
    Reseal,
    /// Remove the older data keys from the keys file; refused while any stored value
    /// still uses one.
    Retire,
    /// Re-wrap the keys file under a new key-encryption key: reads it with
    /// SA_KEY_ENCRYPTION_KEY (or as plain JSON) and writes it wrapped under
    /// SA_NEW_KEY_ENCRYPTION_KEY (ID:BASE64, an id other than the current one). Then set
    /// SA_KEY_ENCRYPTION_KEY to the new key and restart every server.
    Rewrap,
    /// Next signing keys (ES256 and RS256, for ID tokens and SAML assertions):
    /// published at once in the JWKS and the SAML metadata, signing after
    /// --activate-in hours, when the old keys retire; the old ones stay published until
    /// what they signed has expired.
    RotateSigning {
        /// Hours between publishing the next keys and signing with them, so service
        /// providers that cache metadata (ours asks for hourly reads) trust the next
        /// certificate before it is used. 0 after a key compromise: the new keys sign
        /// at once, and apps must read the metadata or JWKS again.
        #[arg(long, default_value_t = 48)]
        activate_in: u32,
    },
}

/// `secure-access keys …`.
pub async fn run(
    command: KeysCommand,
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    let remaining = match command {
        KeysCommand::Rotate => {
            let report = rotate(config).await?;
            println!("{report}");
            report.reseal.remaining()
        }
        KeysCommand::Reseal => {
            let outcome = reseal(config).await?;
            println!("{outcome}");
            outcome.remaining()
        }
        KeysCommand::Retire => {
            println!("{}", retire(config).await?);
            0
        }
        KeysCommand::Rewrap => {
            println!("{}", rewrap(config, &new_kek_from_env()?)?);
            0
        }
        KeysCommand::RotateSigning { activate_in } => {
            let after = time::Duration::hours(i64::from(activate_in));
            let rotated = super::apps::rotate_signing(config, clock, after).await?;
            println!(
                "next signing keys: {} (published now, signing from {}); the old keys sign until then and stay published until {}",
                rotated.new_kids.join(", "),
                rotated.activates_at,
                rotated.old_published_until
            );
            0
        }
    };
    if remaining > 0 {
        anyhow::bail!(
            "{remaining} value(s) are still sealed under older keys (sealed by servers not yet restarted, changed meanwhile, or unreadable); restart every server, then run `secure-access keys reseal`"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn material(ids: &[&str]) -> KeyMaterial {
        let mut material = KeyMaterial::generate();
        material.data_keys.clear();
        for id in ids {
            material
                .data_keys
                .insert((*id).to_owned(), STANDARD.encode([1u8; 32]));
        }
        material.current_data_key = ids[0].to_owned();
        material
    }

    #[test]
    fn key_ids_count_up_from_the_highest() {
        assert_eq!(next_key_id(&material(&["k1"])).unwrap(), "k2");
        assert_eq!(next_key_id(&material(&["k9", "k10"])).unwrap(), "k11");
        assert_eq!(next_key_id(&material(&["k3"])).unwrap(), "k4");
        assert_eq!(next_key_id(&material(&["primary"])).unwrap(), "k1");
    }
}
