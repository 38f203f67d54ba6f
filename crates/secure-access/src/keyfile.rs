//! The keyring file: read it, or create it with fresh random keys (mode 0600) on first
//! start, so a new deployment never runs with a default key.

use sa_domain::keys::{KeyMaterial, Keyring};
use std::io::Write;
use std::path::Path;

pub fn load_or_create(path: &Path) -> anyhow::Result<Keyring> {
    let material = if path.exists() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read keys file {}: {e}", path.display()))?;
        serde_json::from_str::<KeyMaterial>(&text)
            .map_err(|e| anyhow::anyhow!("keys file {} is not valid: {e}", path.display()))?
    } else {
        let material = KeyMaterial::generate();
        write_new(path, &serde_json::to_string_pretty(&material)?)?;
        tracing::info!(path = %path.display(), "created a new keyring");
        material
    };
    Keyring::new(&material).map_err(|e| anyhow::anyhow!("keys file {}: {e}", path.display()))
}

fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot create keys file {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())?;
    Ok(())
}
