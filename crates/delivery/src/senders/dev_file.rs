//! Development delivery: every message appended as one JSON line to
//! `<data dir>/outbox.jsonl`.
//!
//! The line format is a public contract (API spec, "Development delivery"):
//! `{"at", "channel", "to", "template", "subject", "body", "code"}`, with `at` in RFC 3339
//! UTC and `code` only when the message carries one. The file holds codes, so on Unix it
//! is created readable by its owner only.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use sa_domain::clock::rfc3339;
use sa_domain::model::{Channel, Message};
use serde::Serialize;
use time::OffsetDateTime;
use tokio::sync::Mutex;

use super::{SendError, Sender, error_chain};

/// The file name of the development outbox inside the data directory.
pub const DEV_OUTBOX_FILE: &str = "outbox.jsonl";

/// Appends messages to a JSON Lines file. Writes are serialised, so lines never
/// interleave; share one instance (the [`super::Router`] does) rather than making two
/// for the same file.
#[derive(Debug)]
pub struct DevFileSender {
    path: PathBuf,
    /// Held for the whole write, inside the blocking task, so even a cancelled send
    /// finishes its line before the next one starts.
    write: Arc<Mutex<()>>,
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
}

impl DevFileSender {
    /// Append to `path`, creating it and its parent directories when needed.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            write: Arc::new(Mutex::new(())),
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
    async fn send(&self, message: &Message, at: OffsetDateTime) -> Result<(), SendError> {
        let line = Line {
            at: rfc3339(at.to_offset(time::UtcOffset::UTC)),
            channel: message.channel,
            to: &message.to,
            template: &message.template,
            subject: &message.subject,
            body: &message.body,
            code: message.code.as_deref(),
        };
        let mut text = serde_json::to_vec(&line)
            .map_err(|e| SendError::Permanent(format!("message cannot be written as JSON: {e}")))?;
        text.push(b'\n');

        let guard = Arc::clone(&self.write).lock_owned().await;
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let written = append(&path, &text);
            drop(guard);
            written
        })
        .await
        .map_err(|e| SendError::Transient(format!("development outbox writer stopped: {e}")))?
        .map_err(|e| {
            SendError::Transient(format!(
                "cannot append to {}: {}",
                self.path.display(),
                error_chain(&e)
            ))
        })?;

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
