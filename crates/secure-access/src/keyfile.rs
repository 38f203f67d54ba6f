//! The keyring file: read it, or create it with fresh random keys (mode 0600) on first
//! start, so a new deployment never runs with a default key. For `keys rotate`,
//! `keys retire` and `keys rewrap` ([`crate::commands::keys`]) it also reads the raw
//! [`KeyMaterial`], replaces the file atomically (a temp file in the same directory,
//! mode 0600, fsync, rename, fsync of the directory) and holds an exclusive lock so two
//! key commands never interleave their read-modify-write.
//!
//! With a key-encryption key ([`Kek`], setting `key_encryption_key` /
//! `SA_KEY_ENCRYPTION_KEY`) the file holds no key in clear:
//!
//! ```text
//!  plain (no KEK):  {"current_data_key": "k1", "data_keys": {...}, "mac_key": "..."}
//!  wrapped-v1:      {"format": "wrapped-v1", "kek_id": "kek1",
//!                    "wrapped": base64(nonce(12) ‖ AES-256-GCM(KEK, json(KeyMaterial),
//!                                                  aad = "secure-access.keys.v1"))}
//!
//!  load:  missing ─► generate ─► write (wrapped if a KEK is set)
//!         plain   ─► KEK set? ─► lock, re-read, rewrite wrapped ("key file wrapped …")
//!         wrapped ─► no KEK: refuse · other kek_id: refuse, naming both ids
//!                    · does not open (wrong key or altered file): refuse
//! ```
//!
//! Errors and logs name key ids and paths, never key values.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sa_domain::keys::{KeyMaterial, Keyring, random_bytes};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The `format` of a wrapped keys file.
pub const WRAPPED_FORMAT: &str = "wrapped-v1";
/// Associated data of the wrapping: a wrapped blob from anything else does not open.
const WRAP_AAD: &[u8] = b"secure-access.keys.v1";
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

/// A key-encryption key: 32 bytes (zeroized on drop) and the id written beside the
/// wrapped keys, so a server given another key can say which one it needs. `Debug`
/// shows the id only.
pub struct Kek {
    id: String,
    key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for Kek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kek")
            .field("id", &self.id)
            .field("key", &"<redacted>")
            .finish()
    }
}

impl Kek {
    /// The id of a key given without one.
    pub const DEFAULT_ID: &str = "kek1";

    /// Parse `BASE64` or `ID:BASE64` (32 bytes, standard base64). The error never
    /// repeats the text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (id, encoded) = text.split_once(':').unwrap_or((Self::DEFAULT_ID, text));
        let id_ok = !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !id_ok {
            return Err(
                "has an invalid id: the part before ':' must be 1 to 64 letters, digits, '.', '_' or '-'"
                    .to_owned(),
            );
        }
        let raw = Zeroizing::new(STANDARD.decode(encoded.trim()).map_err(|_| {
            "must be base64 of 32 random bytes, optionally prefixed with an id and ':' \
             (e.g. kek1:$(openssl rand -base64 32)); it is not valid base64"
                .to_owned()
        })?);
        if raw.len() != 32 {
            return Err(format!(
                "must be base64 of 32 random bytes (e.g. kek1:$(openssl rand -base64 32)); it decodes to {} bytes",
                raw.len()
            ));
        }
        let mut key = Zeroizing::new([0u8; 32]);
        key.copy_from_slice(&raw);
        Ok(Self {
            id: id.to_owned(),
            key,
        })
    }

    /// The id recorded in the files this key wraps.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn cipher(&self) -> anyhow::Result<Aes256Gcm> {
        Aes256Gcm::new_from_slice(&self.key[..])
            .map_err(|_| anyhow::anyhow!("key-encryption key {} is not 32 bytes", self.id))
    }
}

/// A wrapped keys file as stored.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WrappedFile {
    format: String,
    kek_id: String,
    wrapped: String,
}

/// A keys file as found on disk.
enum Stored {
    Plain(KeyMaterial),
    Wrapped(WrappedFile),
}

/// [`load_or_create_with`] without a key-encryption key: plain files only (a wrapped
/// one is refused). Whatever has a configuration should call
/// [`crate::wiring::load_keyring`].
pub fn load_or_create(path: &Path) -> anyhow::Result<Keyring> {
    load_or_create_with(path, None)
}

/// Read the keys file at `path` (unwrapping it with `kek`, and wrapping a plain one
/// under `kek` on the way), or create it with fresh keys, wrapped if `kek` is given.
pub fn load_or_create_with(path: &Path, kek: Option<&Kek>) -> anyhow::Result<Keyring> {
    let material = if path.exists() {
        match (read_stored(path)?, kek) {
            (Stored::Plain(_), Some(kek)) => wrap_plain_file(path, kek)?,
            (Stored::Plain(material), None) => material,
            (Stored::Wrapped(file), kek) => open_wrapped(path, &file, kek)?,
        }
    } else {
        let material = KeyMaterial::generate();
        write_new(path, &encode(&material, kek)?)?;
        tracing::info!(
            path = %path.display(),
            kek_id = kek.map(Kek::id),
            "created a new keyring"
        );
        material
    };
    keyring(path, &material)
}

/// Build the keyring of `material`, naming the file in the error.
pub fn keyring(path: &Path, material: &KeyMaterial) -> anyhow::Result<Keyring> {
    Keyring::new(material).map_err(|e| anyhow::anyhow!("keys file {}: {e}", path.display()))
}

/// Read an existing keys file (it is an error if it is missing): a plain one as it is,
/// a wrapped one only with the `kek` it was wrapped with.
pub fn read(path: &Path, kek: Option<&Kek>) -> anyhow::Result<KeyMaterial> {
    match read_stored(path)? {
        Stored::Plain(material) => Ok(material),
        Stored::Wrapped(file) => open_wrapped(path, &file, kek),
    }
}

/// Whether the keys file at `path` is wrapped, and under which key-encryption key id
/// (`None` for a plain file).
pub fn wrapped_with(path: &Path) -> anyhow::Result<Option<String>> {
    Ok(match read_stored(path)? {
        Stored::Plain(_) => None,
        Stored::Wrapped(file) => Some(file.kek_id),
    })
}

fn read_stored(path: &Path) -> anyhow::Result<Stored> {
    let text = Zeroizing::new(
        std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read keys file {}: {e}", path.display()))?,
    );
    let invalid = |e: serde_json::Error| {
        anyhow::anyhow!(
            "keys file {} is not valid: {} at line {} column {}",
            path.display(),
            describe(&e),
            e.line(),
            e.column()
        )
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(invalid)?;
    if value.get("format").is_some() {
        let file: WrappedFile = serde_json::from_str(&text).map_err(invalid)?;
        if file.format != WRAPPED_FORMAT {
            anyhow::bail!(
                "keys file {} has format {:?}, which this version does not know (expected {WRAPPED_FORMAT:?})",
                path.display(),
                file.format
            );
        }
        Ok(Stored::Wrapped(file))
    } else {
        let material = serde_json::from_str::<KeyMaterial>(&text).map_err(invalid)?;
        Ok(Stored::Plain(material))
    }
}

/// What kind of JSON error, without serde's excerpt of the text (which could hold a key).
fn describe(error: &serde_json::Error) -> &'static str {
    match error.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "not JSON",
        serde_json::error::Category::Data => "missing or mistyped fields",
        serde_json::error::Category::Eof => "truncated",
    }
}

fn open_wrapped(path: &Path, file: &WrappedFile, kek: Option<&Kek>) -> anyhow::Result<KeyMaterial> {
    let Some(kek) = kek else {
        anyhow::bail!(
            "the keys file {} is encrypted with a key-encryption key: set SA_KEY_ENCRYPTION_KEY \
             (or key_encryption_key) to the key with id {}",
            path.display(),
            file.kek_id
        );
    };
    unwrap(file, kek).map_err(|e| anyhow::anyhow!("keys file {}: {e}", path.display()))
}

/// The wrapped form of `material` under `kek`.
fn wrap(material: &KeyMaterial, kek: &Kek) -> anyhow::Result<WrappedFile> {
    let plain = Zeroizing::new(serde_json::to_vec(material)?);
    let nonce = random_bytes::<NONCE_LEN>();
    let sealed = kek
        .cipher()?
        .encrypt(
            &Nonce::try_from(&nonce[..])?,
            Payload {
                msg: &plain,
                aad: WRAP_AAD,
            },
        )
        .map_err(|_| anyhow::anyhow!("cannot wrap the keys with key-encryption key {}", kek.id))?;
    let mut blob = Vec::with_capacity(NONCE_LEN + sealed.len());
    blob.extend_from_slice(&nonce[..]);
    blob.extend_from_slice(&sealed);
    Ok(WrappedFile {
        format: WRAPPED_FORMAT.to_owned(),
        kek_id: kek.id.clone(),
        wrapped: STANDARD.encode(blob),
    })
}

/// Open a wrapped file with `kek`; the error names key ids only.
fn unwrap(file: &WrappedFile, kek: &Kek) -> anyhow::Result<KeyMaterial> {
    if file.kek_id != kek.id {
        anyhow::bail!(
            "it is wrapped with key-encryption key {}, but the configured key-encryption key is {}: \
             set SA_KEY_ENCRYPTION_KEY to key {} (or finish the `secure-access keys rewrap` that moved it)",
            file.kek_id,
            kek.id,
            file.kek_id
        );
    }
    let blob = STANDARD
        .decode(&file.wrapped)
        .map_err(|_| anyhow::anyhow!("its wrapped keys are not valid base64"))?;
    if blob.len() < NONCE_LEN + TAG_LEN {
        anyhow::bail!("its wrapped keys are truncated");
    }
    let (nonce, sealed) = blob.split_at(NONCE_LEN);
    let nonce = Nonce::try_from(nonce)?;
    let plain = Zeroizing::new(
        kek.cipher()?
            .decrypt(
                &nonce,
                Payload {
                    msg: sealed,
                    aad: WRAP_AAD,
                },
            )
            .map_err(|_| {
                anyhow::anyhow!(
                    "it does not open with key-encryption key {}: the key is not the one it was \
                     wrapped with (same id, other bytes), or the file was altered",
                    kek.id
                )
            })?,
    );
    serde_json::from_slice::<KeyMaterial>(&plain)
        .map_err(|e| anyhow::anyhow!("its unwrapped keys are not valid: {}", describe(&e)))
}

/// The file text for `material`: wrapped under `kek`, or plain JSON without one.
fn encode(material: &KeyMaterial, kek: Option<&Kek>) -> anyhow::Result<Zeroizing<String>> {
    Ok(Zeroizing::new(match kek {
        Some(kek) => serde_json::to_string_pretty(&wrap(material, kek)?)?,
        None => serde_json::to_string_pretty(material)?,
    }))
}

/// Replace a plain file by its wrapped form, under the lock and after reading it again
/// (a `keys` command may have replaced it since). If a `keys` command holds the lock,
/// the file stays plain until the next start.
fn wrap_plain_file(path: &Path, kek: &Kek) -> anyhow::Result<KeyMaterial> {
    let _lock = match lock(path) {
        Ok(lock) => lock,
        Err(error) => {
            tracing::warn!(
                path = %path.display(),
                %error,
                "the key file stays unwrapped until the next start"
            );
            return read(path, Some(kek));
        }
    };
    match read_stored(path)? {
        Stored::Wrapped(file) => open_wrapped(path, &file, Some(kek)),
        Stored::Plain(material) => {
            write_atomic(path, &material, Some(kek))?;
            tracing::info!(
                path = %path.display(),
                kek_id = %kek.id,
                "key file wrapped with the key-encryption key"
            );
            Ok(material)
        }
    }
}

/// Replace the keys file with `material` (wrapped under `kek` if given) so that a crash
/// leaves either the old file or the new one, never a partial one: write a temp file
/// (mode 0600) beside it, fsync, rename over the file, fsync the directory.
pub fn write_atomic(path: &Path, material: &KeyMaterial, kek: Option<&Kek>) -> anyhow::Result<()> {
    let text = encode(material, kek)?;
    let dir = parent(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "keys.json".to_owned());
    let temp = dir.join(format!(
        ".{name}.{}.tmp",
        sa_domain::keys::hex(&sa_domain::keys::random_bytes::<6>()[..])
    ));
    let written = (|| -> anyhow::Result<()> {
        let mut file = private_options().create_new(true).open(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)?;
        Ok(())
    })();
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temp);
        anyhow::bail!("cannot write keys file {}: {error}", path.display());
    }
    // The rename is durable only once the directory is (a no-op where it cannot be opened).
    #[cfg(unix)]
    if let Ok(dir) = File::open(&dir) {
        dir.sync_all()
            .map_err(|e| anyhow::anyhow!("cannot sync directory {}: {e}", dir_name(path)))?;
    }
    Ok(())
}

/// An exclusive advisory lock on `<keys file>.lock`, released when dropped (or when
/// the process dies, so a crash leaves no stale lock).
#[derive(Debug)]
pub struct KeysLock {
    _file: File,
}

/// Take the key-file lock, or fail at once if another key command holds it.
pub fn lock(path: &Path) -> anyhow::Result<KeysLock> {
    let lock_path = lock_path(path);
    let file = private_options()
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|e| anyhow::anyhow!("cannot open lock file {}: {e}", lock_path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(KeysLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "another `secure-access keys` command is using {}; wait for it to finish",
            path.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            anyhow::bail!("cannot lock {}: {e}", lock_path.display())
        }
    }
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn dir_name(path: &Path) -> String {
    parent(path).display().to_string()
}

/// Write-only options creating files readable by the owner alone.
fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = private_options()
        .create_new(true)
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot create keys file {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

#[cfg(test)]
#[path = "keyfile_tests.rs"]
mod tests;
