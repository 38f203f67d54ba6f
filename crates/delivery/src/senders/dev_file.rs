//! Development delivery: every message appended as one JSON line to
//! `<data dir>/outbox.jsonl`.
//!
//! The line format is a public contract (API spec, "Development delivery"):
//! `{"at", "channel", "to", "template", "subject", "body", "code", "id"}`, with `at` in
//! RFC 3339 UTC, `code` only when the message carries one, and `id` the outbox message's
//! id. The file holds codes, so on Unix it is created readable by its owner only.
//!
//! Idempotent by message id: a message whose id is already in the file is not written
//! again, so a message re-sent after a crash (written, but not yet marked sent) appears
//! once. The ids are read from the file on the first send and then kept in memory.

use std::collections::HashSet;
use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use sa_domain::clock::rfc3339;
use sa_domain::model::{Channel, Message};
use serde::Serialize;
use time::OffsetDateTime;
use tokio::sync::Mutex;

use super::sender::{SendError, Sender, error_chain};

/// The file name of the development outbox inside the data directory.
pub const DEV_OUTBOX_FILE: &str = "outbox.jsonl";

/// Appends messages to a JSON Lines file. Writes are serialised, so lines never
/// interleave; share one instance (the [`super::Router`] does) rather than making two
/// for the same file.
#[derive(Debug)]
pub struct DevFileSender {
    path: PathBuf,
    /// The ids already in the file (read on first use). Held for the whole write,
    /// inside the blocking task, so even a cancelled send finishes its line before the
    /// next one starts.
    written: Arc<Mutex<Option<HashSet<String>>>>,
}

/// One line of the development outbox.
#[derive(Serialize)]
struct Line<'a> {
    at: String,
    channel: Channel,
    to: &'a str,
    template: &'a str,
    subject: &'a str,
    body: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    id: &'a str,
}

impl DevFileSender {
    /// Append to `path`, creating it and its parent directories when needed.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            written: Arc::new(Mutex::new(None)),
        }
    }

    /// Append to `<data_dir>/outbox.jsonl`.
    pub fn in_data_dir(data_dir: &Path) -> Self {
        Self::new(data_dir.join(DEV_OUTBOX_FILE))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[async_trait]
impl Sender for DevFileSender {
    async fn send(
        &self,
        message_id: &str,
        message: &Message,
        at: OffsetDateTime,
    ) -> Result<(), SendError> {
        let line = Line {
            at: rfc3339(at.to_offset(time::UtcOffset::UTC)),
            channel: message.channel,
            to: &message.to,
            template: &message.template,
            subject: &message.subject,
            body: &message.body,
            code: message.code.as_deref(),
            id: message_id,
        };
        let mut text = serde_json::to_vec(&line)
            .map_err(|e| SendError::Permanent(format!("message cannot be written as JSON: {e}")))?;
        text.push(b'\n');

        let mut written = Arc::clone(&self.written).lock_owned().await;
        let path = self.path.clone();
        let id = message_id.to_owned();
        let appended = tokio::task::spawn_blocking(move || {
            let ids = match written.as_mut() {
                Some(ids) => ids,
                None => written.insert(ids_in(&path)?),
            };
            if ids.contains(&id) {
                return Ok(false);
            }
            append(&path, &text)?;
            ids.insert(id);
            Ok(true)
        })
        .await
        .map_err(|e| SendError::Transient(format!("development outbox writer stopped: {e}")))?
        .map_err(|e: std::io::Error| {
            SendError::Transient(format!(
                "cannot append to {}: {}",
                self.path.display(),
                error_chain(&e)
            ))
        })?;
        if !appended {
            tracing::info!(
                channel = message.channel.as_str(),
                template = %message.template,
                "message already in the development outbox; not written again"
            );
            return Ok(());
        }

        tracing::info!(
            channel = message.channel.as_str(),
            template = %message.template,
            "message written to the development outbox"
        );
        Ok(())
    }

    fn kind(&self) -> &'static str {
        "development file"
    }
}

/// The message ids already in the file (none if it does not exist yet). Lines are
/// parsed only for their `id`; lines without one (older files) are skipped.
fn ids_in(path: &Path) -> std::io::Result<HashSet<String>> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashSet::new()),
        Err(e) => return Err(e),
    };
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: Option<String>,
    }
    let mut ids = HashSet::new();
    for line in std::io::BufReader::new(file).lines() {
        if let Ok(IdOnly { id: Some(id) }) = serde_json::from_str(&line?) {
            ids.insert(id);
        }
    }
    Ok(ids)
}

/// Create the parent directories and append `text` with a single write.
fn append(path: &Path, text: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text)?;
    file.flush()
}
