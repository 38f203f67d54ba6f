//! The audit log: every staff action and identity decision, appended to a chain in which
//! each entry holds the hash of the one before, so deleting or editing any entry is
//! detectable.
//!
//! This module owns the *rules* of the chain; it does no I/O. The store appends
//! ([`crate::store::Write::AppendAudit`]: it assigns `seq`, links `prev_hash` and computes
//! `hash` with [`entry_hash`] inside the change's transaction) and keeps a one-row head
//! (last `seq` and its `hash`). [`ChainVerifier`] checks entries read in `seq` order, one
//! at a time (so a log of any length is checked in flat memory), then the head:
//!
//! ```text
//!   GENESIS ─► #1 {prev_hash: GENESIS, hash: h1} ─► #2 {prev_hash: h1, hash: h2} ─► … ─► #n
//!                                                                      head {seq: n, hash: hn}
//!   hash = SHA-256(prev_hash ‖ seq ‖ at ms ‖ actor ‖ action ‖ subject ‖ canonical detail)
//! ```
//!
//! - an edited row no longer matches its `hash` ("hash does not match its contents");
//! - an edited row whose `hash` was recomputed breaks the next row's `prev_hash` link;
//! - a deleted row leaves a `seq` gap; a deleted last row disagrees with the head.
//!
//! No clear personal data goes into an event: `actor` and `subject` are account ids,
//! `detail` holds ids, reason codes, counts, document types and last-4 digits only.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::clock::{from_millis, to_millis};

/// The `prev_hash` of the first entry (and the head's hash while the log is empty).
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The actor of things the service does on its own (scheduled jobs, console commands).
pub const SYSTEM_ACTOR: &str = "system";

/// `staff:<account_id>`.
pub fn staff_actor(account_id: &str) -> String {
    format!("staff:{account_id}")
}

/// `applicant:<account_id>`.
pub fn applicant_actor(account_id: &str) -> String {
    format!("applicant:{account_id}")
}

/// One thing to record. `detail` must hold no clear personal data (ids, reason codes,
/// counts, document types and last-4 are fine).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// When it happened; kept (and hashed) to the millisecond.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who acted: `staff:<account_id>`, `applicant:<account_id>`, or `system`.
    pub actor: String,
    /// What happened, dotted: `proofing.identity.failed`, `help_desk.questions_passed`,
    /// `assistance_center.record_sealed`, ...
    pub action: String,
    /// The account acted on, if any.
    pub subject: Option<String>,
    /// Structured detail (a JSON object).
    pub detail: Value,
}

impl AuditEvent {
    /// The event as the store keeps it: `at` truncated to the millisecond, and
    /// non-integer numbers in `detail` replaced by their decimal text (JSON parsers may
    /// read a float back a bit off, which would break the hash). An entry read back from
    /// the store equals its normalised event.
    pub fn normalised(mut self) -> Self {
        self.at = from_millis(to_millis(self.at));
        normalise_numbers(&mut self.detail);
        self
    }
}

fn normalise_numbers(value: &mut Value) {
    match value {
        Value::Number(n) if !(n.is_i64() || n.is_u64()) => {
            *value = Value::String(n.to_string());
        }
        Value::Array(items) => items.iter_mut().for_each(normalise_numbers),
        Value::Object(map) => map.values_mut().for_each(normalise_numbers),
        _ => {}
    }
}

/// A stored entry: the event plus its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    #[serde(flatten)]
    pub event: AuditEvent,
    pub prev_hash: String,
    pub hash: String,
}

/// The first entry that breaks the chain, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("entry {seq}: {reason}")]
pub struct Broken {
    pub seq: i64,
    pub reason: String,
}

/// Hex SHA-256 over `prev_hash`, then a canonical encoding of `seq`, `at` (epoch ms),
/// `actor`, `action`, `subject` and `detail` (canonical JSON, keys sorted). Every text
/// field is length-prefixed and `subject` is tagged present/absent, so no two different
/// entries encode the same bytes.
pub fn entry_hash(prev_hash: &str, seq: i64, event: &AuditEvent) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"sa-audit-v1");
    field(&mut hasher, prev_hash.as_bytes());
    hasher.update(seq.to_be_bytes());
    hasher.update(to_millis(event.at).to_be_bytes());
    field(&mut hasher, event.actor.as_bytes());
    field(&mut hasher, event.action.as_bytes());
    match &event.subject {
        None => hasher.update([0u8]),
        Some(subject) => {
            hasher.update([1u8]);
            field(&mut hasher, subject.as_bytes());
        }
    }
    field(&mut hasher, canonical_json(&event.detail).as_bytes());
    crate::keys::hex(&hasher.finalize())
}

fn field(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_be_bytes());
    hasher.update(bytes);
}

/// JSON text with object keys sorted (by their UTF-8 bytes) and no insignificant
/// whitespace: the same value always gives the same text, whatever order its keys were
/// inserted in. The store keeps `detail` in this form.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(&mut out, value);
    out
}

fn write_canonical(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                if let Some(item) = map.get(key) {
                    write_canonical(out, item);
                }
            }
            out.push('}');
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    match serde_json::to_string(s) {
        Ok(quoted) => out.push_str(&quoted),
        // Serialising a &str cannot fail; keep a faithful fallback all the same.
        Err(_) => {
            let _ = write!(out, "{s:?}");
        }
    }
}

/// `detail` as stored, back to a value. Text that is not JSON (only a hand-edited row
/// can hold it) comes back as a JSON string of that text, so the entry still reads and
/// the verifier reports its hash.
pub fn parse_detail(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// Checks a chain entry by entry, in `seq` order, keeping only the last link.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    next_seq: i64,
    prev_hash: String,
    checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self::new()
    }
}

impl ChainVerifier {
    /// A verifier expecting entry 1, linked to [`GENESIS_HASH`].
    pub fn new() -> Self {
        Self {
            next_seq: 1,
            prev_hash: GENESIS_HASH.to_owned(),
            checked: 0,
        }
    }

    /// Check the next entry: its `seq` follows the last, its `hash` matches its
    /// contents, and its `prev_hash` is the last entry's hash.
    pub fn push(&mut self, entry: AuditEntry) -> Result<(), Broken> {
        let seq = entry.seq;
        let broken = |reason: String| Broken { seq, reason };
        if entry.seq > self.next_seq {
            return Err(broken(format!(
                "sequence gap: entry {} missing",
                self.next_seq
            )));
        }
        if entry.seq < self.next_seq {
            return Err(broken(format!(
                "sequence out of order: expected entry {}",
                self.next_seq
            )));
        }
        if entry_hash(&entry.prev_hash, entry.seq, &entry.event) != entry.hash {
            return Err(broken("hash does not match its contents".to_owned()));
        }
        if entry.prev_hash != self.prev_hash {
            return Err(broken(
                "previous-hash link broken (an entry before it was deleted or edited)".to_owned(),
            ));
        }
        self.next_seq += 1;
        self.prev_hash = entry.hash;
        self.checked += 1;
        Ok(())
    }

    /// Entries checked so far.
    pub fn checked(&self) -> u64 {
        self.checked
    }

    /// The `seq` of the last entry checked (0 before any).
    pub fn last_seq(&self) -> i64 {
        self.next_seq - 1
    }

    /// After the last entry: the head (`seq`, `hash` of the last append) must name the
    /// last entry checked, so removing entries from the end is caught too. `None` skips
    /// the head check. Returns the number of entries checked.
    pub fn finish(self, head: Option<(i64, String)>) -> Result<u64, Broken> {
        let last = self.last_seq();
        if let Some((head_seq, head_hash)) = head {
            if head_seq != last {
                return Err(Broken {
                    // The first entry that is missing (or unaccounted for by the head).
                    seq: head_seq.min(last) + 1,
                    reason: format!("head records seq {head_seq} but the log ends at {last}"),
                });
            }
            if head_hash != self.prev_hash {
                return Err(Broken {
                    seq: last,
                    reason: "head records a different hash for this entry (it was edited)"
                        .to_owned(),
                });
            }
        }
        Ok(self.checked)
    }
}

/// Check a whole chain read in `seq` order; the first broken entry, or how many were
/// checked. See [`ChainVerifier`].
pub fn verify_chain(
    entries: impl IntoIterator<Item = AuditEntry>,
    head: Option<(i64, String)>,
) -> Result<u64, Broken> {
    let mut verifier = ChainVerifier::new();
    for entry in entries {
        verifier.push(entry)?;
    }
    verifier.finish(head)
}

#[cfg(test)]
#[path = "audit_tests.rs"]
mod tests;
