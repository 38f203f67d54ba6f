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
mod tests {
    use super::*;
    use serde_json::json;

    fn event(n: i64) -> AuditEvent {
        AuditEvent {
            at: from_millis(1_772_463_600_000 + n),
            actor: staff_actor("acct-staff"),
            action: "help_desk.questions_passed".to_owned(),
            subject: Some(format!("acct-{n}")),
            detail: json!({"questions": 3, "reason": "matched", "document": {"type": "passport", "last4": "1234"}}),
        }
    }

    /// A chain of `n` entries as the store would build it, and its head.
    fn chain(n: i64) -> (Vec<AuditEntry>, Option<(i64, String)>) {
        let mut prev = GENESIS_HASH.to_owned();
        let mut entries = Vec::new();
        for seq in 1..=n {
            let event = event(seq).normalised();
            let hash = entry_hash(&prev, seq, &event);
            entries.push(AuditEntry {
                seq,
                event,
                prev_hash: prev.clone(),
                hash: hash.clone(),
            });
            prev = hash;
        }
        (entries, Some((n, prev)))
    }

    #[test]
    fn genesis_is_64_zeros() {
        assert_eq!(GENESIS_HASH.len(), 64);
        assert!(GENESIS_HASH.bytes().all(|b| b == b'0'));
    }

    #[test]
    fn hash_is_stable() {
        let event = event(1);
        let a = entry_hash(GENESIS_HASH, 1, &event);
        assert_eq!(a, entry_hash(GENESIS_HASH, 1, &event.clone()));
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        // Pinned: changing the encoding breaks every stored chain.
        assert_eq!(
            a,
            "f8b5069a0df36063b8c32538759354354983b2d8db152847c434e5f673f8b4dd"
        );
        assert_eq!(
            a,
            entry_hash(
                GENESIS_HASH,
                1,
                &AuditEvent {
                    detail: json!({"reason": "matched", "document": {"last4": "1234", "type": "passport"}, "questions": 3}),
                    ..event
                }
            ),
            "key order does not matter"
        );
    }

    #[test]
    fn hash_covers_every_field() {
        let base = event(1);
        let h = entry_hash(GENESIS_HASH, 1, &base);
        let mut variants = vec![
            entry_hash(&"1".repeat(64), 1, &base),
            entry_hash(GENESIS_HASH, 2, &base),
        ];
        let mut e = base.clone();
        e.at += time::Duration::milliseconds(1);
        variants.push(entry_hash(GENESIS_HASH, 1, &e));
        let mut e = base.clone();
        e.actor = "system".to_owned();
        variants.push(entry_hash(GENESIS_HASH, 1, &e));
        let mut e = base.clone();
        e.action = "help_desk.questions_failed".to_owned();
        variants.push(entry_hash(GENESIS_HASH, 1, &e));
        let mut e = base.clone();
        e.subject = None;
        variants.push(entry_hash(GENESIS_HASH, 1, &e));
        let mut e = base.clone();
        e.subject = Some("acct-2".to_owned());
        variants.push(entry_hash(GENESIS_HASH, 1, &e));
        let mut e = base.clone();
        e.detail["questions"] = json!(4);
        variants.push(entry_hash(GENESIS_HASH, 1, &e));
        let mut e = base.clone();
        e.detail["questions"] = json!("3");
        variants.push(entry_hash(GENESIS_HASH, 1, &e));
        for (i, v) in variants.iter().enumerate() {
            assert_ne!(&h, v, "variant {i} hashes like the original");
        }
    }

    #[test]
    fn fields_are_length_prefixed() {
        // Moving text between adjacent fields changes the hash.
        let mut a = event(1);
        a.actor = "staff:ab".to_owned();
        a.action = "c.d".to_owned();
        let mut b = a.clone();
        b.actor = "staff:a".to_owned();
        b.action = "bc.d".to_owned();
        assert_ne!(
            entry_hash(GENESIS_HASH, 1, &a),
            entry_hash(GENESIS_HASH, 1, &b)
        );
        // An empty subject is not no subject.
        let mut c = a.clone();
        c.subject = Some(String::new());
        let mut d = a.clone();
        d.subject = None;
        assert_ne!(
            entry_hash(GENESIS_HASH, 1, &c),
            entry_hash(GENESIS_HASH, 1, &d)
        );
    }

    #[test]
    fn canonical_json_sorts_keys_and_round_trips() {
        let value = json!({"b": [1, {"z": null, "a": true}], "a": "x\"y\n", "c": -7});
        let text = canonical_json(&value);
        assert_eq!(text, r#"{"a":"x\"y\n","b":[1,{"a":true,"z":null}],"c":-7}"#);
        assert_eq!(parse_detail(&text), value);
        assert_eq!(
            parse_detail("not json"),
            Value::String("not json".to_owned())
        );
    }

    #[test]
    fn normalised_event_reads_back_as_hashed() {
        let mut e = event(1);
        e.at += time::Duration::nanoseconds(123_456);
        e.detail = json!({"score": 0.1, "n": 2});
        let stored = e.normalised();
        assert_eq!(stored.detail, json!({"score": "0.1", "n": 2}));
        assert_eq!(
            to_millis(stored.at) * 1_000_000,
            stored.at.unix_timestamp_nanos() as i64
        );
        let reread = AuditEvent {
            detail: parse_detail(&canonical_json(&stored.detail)),
            ..stored.clone()
        };
        assert_eq!(
            entry_hash(GENESIS_HASH, 1, &reread),
            entry_hash(GENESIS_HASH, 1, &stored)
        );
    }

    #[test]
    fn an_intact_chain_verifies() {
        let (entries, head) = chain(5);
        assert_eq!(verify_chain(entries, head), Ok(5));
        assert_eq!(
            verify_chain(Vec::new(), Some((0, GENESIS_HASH.to_owned()))),
            Ok(0)
        );
    }

    #[test]
    fn an_edited_entry_is_named() {
        let (mut entries, head) = chain(5);
        entries[2].event.detail["questions"] = json!(0);
        let broken = verify_chain(entries, head).unwrap_err();
        assert_eq!(broken.seq, 3);
        assert_eq!(broken.reason, "hash does not match its contents");
    }

    #[test]
    fn an_edit_with_a_recomputed_hash_breaks_the_next_link() {
        let (mut entries, head) = chain(5);
        entries[2].event.actor = "system".to_owned();
        entries[2].hash = entry_hash(&entries[2].prev_hash, 3, &entries[2].event);
        let broken = verify_chain(entries, head).unwrap_err();
        assert_eq!(broken.seq, 4);
        assert!(broken.reason.starts_with("previous-hash link broken"));
    }

    #[test]
    fn an_edit_of_the_last_entry_with_a_recomputed_hash_is_caught_by_the_head() {
        let (mut entries, head) = chain(3);
        entries[2].event.action = "audit.exported".to_owned();
        entries[2].hash = entry_hash(&entries[2].prev_hash, 3, &entries[2].event);
        let broken = verify_chain(entries, head).unwrap_err();
        assert_eq!(broken.seq, 3);
        assert!(broken.reason.starts_with("head records a different hash"));
    }

    #[test]
    fn a_deletion_in_the_middle_is_named() {
        let (mut entries, head) = chain(5);
        entries.remove(2);
        let broken = verify_chain(entries, head).unwrap_err();
        assert_eq!(
            broken,
            Broken {
                seq: 4,
                reason: "sequence gap: entry 3 missing".to_owned()
            }
        );
    }

    #[test]
    fn a_deletion_renumbered_to_hide_the_gap_is_caught() {
        let (mut entries, head) = chain(5);
        entries.remove(2);
        for entry in entries.iter_mut().skip(2) {
            entry.seq -= 1;
        }
        let broken = verify_chain(entries, head).unwrap_err();
        assert_eq!(broken.seq, 3);
        assert_eq!(broken.reason, "hash does not match its contents");
    }

    #[test]
    fn a_deletion_of_the_last_entry_is_caught_by_the_head() {
        let (mut entries, head) = chain(5);
        entries.pop();
        let broken = verify_chain(entries, head).unwrap_err();
        assert_eq!(
            broken,
            Broken {
                seq: 5,
                reason: "head records seq 5 but the log ends at 4".to_owned()
            }
        );
        // Without the head, a truncated chain cannot be told from a shorter one.
        let (mut entries, _) = chain(5);
        entries.pop();
        assert_eq!(verify_chain(entries, None), Ok(4));
    }

    #[test]
    fn entries_beyond_the_head_are_reported() {
        let (entries, _) = chain(5);
        let (_, short_head) = chain(4);
        let broken = verify_chain(entries, short_head).unwrap_err();
        assert_eq!(broken.seq, 5);
    }

    #[test]
    fn reordering_is_caught() {
        let (mut entries, head) = chain(5);
        entries.swap(1, 2);
        let broken = verify_chain(entries.clone(), head.clone()).unwrap_err();
        assert_eq!(broken.seq, 3);
        assert_eq!(broken.reason, "sequence gap: entry 2 missing");

        // Swapping contents but keeping the numbering breaks the hashes.
        let (mut entries, head) = chain(5);
        let second = entries[1].event.clone();
        entries[1].event = entries[2].event.clone();
        entries[2].event = second;
        let broken = verify_chain(entries, head).unwrap_err();
        assert_eq!(broken.seq, 2);
        assert_eq!(broken.reason, "hash does not match its contents");

        // Swapping whole entries and their numbers breaks the links.
        let (mut entries, head) = chain(5);
        entries.swap(1, 2);
        entries[1].seq = 2;
        entries[2].seq = 3;
        assert_eq!(verify_chain(entries, head).unwrap_err().seq, 2);
    }

    #[test]
    fn a_duplicated_entry_is_caught() {
        let (mut entries, head) = chain(3);
        let copy = entries[1].clone();
        entries.insert(2, copy);
        let broken = verify_chain(entries, head).unwrap_err();
        assert_eq!(broken.seq, 2);
        assert_eq!(broken.reason, "sequence out of order: expected entry 3");
    }

    #[test]
    fn an_entry_serialises_flat() {
        let (entries, _) = chain(1);
        let value = serde_json::to_value(&entries[0]).unwrap();
        for key in [
            "seq",
            "at",
            "actor",
            "action",
            "subject",
            "detail",
            "prev_hash",
            "hash",
        ] {
            assert!(value.get(key).is_some(), "{key} missing");
        }
        assert_eq!(value["at"], "2026-03-02T15:00:00.001Z");
    }
}
