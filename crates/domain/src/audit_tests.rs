//! Unit tests of `audit` (kept beside it so the module reads as product code).

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
