//! The keyring file: read it, or create it with fresh random keys (mode 0600) on first
//! start, so a new deployment never runs with a default key. For `keys rotate` and
//! `keys retire` ([`crate::keys`]) it also reads the raw [`KeyMaterial`], replaces the
//! file atomically (a temp file in the same directory, mode 0600, fsync, rename, fsync
//! of the directory) and holds an exclusive lock so two key commands never interleave
//! their read-modify-write.

use sa_domain::keys::{KeyMaterial, Keyring};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn load_or_create(path: &Path) -> anyhow::Result<Keyring> {
    let material = if path.exists() {
        read(path)?
    } else {
        let material = KeyMaterial::generate();
        write_new(path, &serde_json::to_string_pretty(&material)?)?;
        tracing::info!(path = %path.display(), "created a new keyring");
        material
    };
    keyring(path, &material)
}

/// Build the keyring of `material`, naming the file in the error.
pub fn keyring(path: &Path, material: &KeyMaterial) -> anyhow::Result<Keyring> {
    Keyring::new(material).map_err(|e| anyhow::anyhow!("keys file {}: {e}", path.display()))
}

/// Read an existing keys file (it is an error if it is missing).
pub fn read(path: &Path) -> anyhow::Result<KeyMaterial> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read keys file {}: {e}", path.display()))?;
    serde_json::from_str::<KeyMaterial>(&text)
        .map_err(|e| anyhow::anyhow!("keys file {} is not valid: {e}", path.display()))
}

/// Replace the keys file with `material` so that a crash leaves either the old file or
/// the new one, never a partial one: write a temp file (mode 0600) beside it, fsync,
/// rename over the file, fsync the directory.
pub fn write_atomic(path: &Path, material: &KeyMaterial) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(material)?;
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atomic_write_replaces_the_file_privately_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let first = KeyMaterial::generate();
        write_atomic(&path, &first).unwrap();
        let mut second = first.clone();
        second.current_data_key = "k1".into();
        write_atomic(&path, &second).unwrap();
        assert_eq!(read(&path).unwrap().mac_key, first.mac_key);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("keys.json")]);
    }

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let held = lock(&path).unwrap();
        let error = lock(&path).unwrap_err().to_string();
        assert!(error.contains("another"), "{error}");
        drop(held);
        lock(&path).unwrap();
    }
}
