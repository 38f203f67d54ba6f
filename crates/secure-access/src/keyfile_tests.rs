//! Unit tests of `keyfile` (kept beside it so the module reads as product code).

use super::*;

#[test]
fn an_atomic_write_replaces_the_file_privately_and_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.json");
    let first = KeyMaterial::generate();
    write_atomic(&path, &first, None).unwrap();
    let mut second = first.clone();
    second.current_data_key = "k1".into();
    write_atomic(&path, &second, None).unwrap();
    assert_eq!(read(&path, None).unwrap().mac_key, first.mac_key);
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

fn kek(id: &str) -> Kek {
    Kek::parse(&format!("{id}:{}", STANDARD.encode(*random_bytes::<32>()))).unwrap()
}

/// Every key value of `material`, as written in a plain file.
fn secrets(material: &KeyMaterial) -> Vec<String> {
    let mut values: Vec<String> = material.data_keys.values().cloned().collect();
    values.push(material.mac_key.clone());
    values
}

#[test]
fn a_key_encryption_key_is_base64_of_32_bytes_with_an_optional_id() {
    let encoded = STANDARD.encode([7u8; 32]);
    assert_eq!(Kek::parse(&encoded).unwrap().id(), "kek1");
    assert_eq!(
        Kek::parse(&format!("kek-2:{encoded}")).unwrap().id(),
        "kek-2"
    );
    assert_eq!(
        Kek::parse(&format!(" ops.2026:{encoded}\n")).unwrap().id(),
        "ops.2026"
    );
    let short = STANDARD.encode([7u8; 16]);
    for bad in [
        String::new(),
        "not base64!".to_owned(),
        short.clone(),
        format!(":{encoded}"),
        format!("bad id:{encoded}"),
        format!("kek1:{short}"),
    ] {
        let error = Kek::parse(&bad).unwrap_err();
        assert!(
            !error.contains(&short) && !error.contains(&encoded),
            "{error}"
        );
        assert!(bad.is_empty() || !error.contains(bad.as_str()), "{error}");
    }
    assert!(Kek::parse(&short).unwrap_err().contains("16 bytes"));
    let debug = format!("{:?}", Kek::parse(&encoded).unwrap());
    assert!(
        debug.contains("kek1") && debug.contains("<redacted>"),
        "{debug}"
    );
    assert!(!debug.contains("7, 7"), "{debug}");
}

#[test]
fn wrapped_keys_round_trip_and_hold_no_key_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.json");
    let material = KeyMaterial::generate();
    let kek = kek("kek1");
    write_atomic(&path, &material, Some(&kek)).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    for secret in secrets(&material) {
        assert!(!text.contains(&secret), "a key is in clear: {text}");
    }
    let stored: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(stored["format"], "wrapped-v1");
    assert_eq!(stored["kek_id"], "kek1");
    assert_eq!(wrapped_with(&path).unwrap().as_deref(), Some("kek1"));
    let opened = read(&path, Some(&kek)).unwrap();
    assert_eq!(secrets(&opened), secrets(&material));
    assert_eq!(opened.current_data_key, material.current_data_key);
    // Each write draws a fresh nonce.
    write_atomic(&path, &material, Some(&kek)).unwrap();
    assert_ne!(std::fs::read_to_string(&path).unwrap(), text);
    // Without the key-encryption key it is refused, naming the variable and the id.
    let error = read(&path, None).unwrap_err().to_string();
    assert!(
        error.contains("encrypted with a key-encryption key"),
        "{error}"
    );
    assert!(
        error.contains("SA_KEY_ENCRYPTION_KEY") && error.contains("kek1"),
        "{error}"
    );
}

#[test]
fn a_wrong_or_tampered_wrapping_is_refused_naming_ids_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.json");
    let material = KeyMaterial::generate();
    let right = kek("kek1");
    write_atomic(&path, &material, Some(&right)).unwrap();
    let original = std::fs::read_to_string(&path).unwrap();

    let other_id = kek("kek2");
    let error = read(&path, Some(&other_id)).unwrap_err().to_string();
    assert!(error.contains("kek1") && error.contains("kek2"), "{error}");

    let same_id_other_bytes = kek("kek1");
    let error = read(&path, Some(&same_id_other_bytes))
        .unwrap_err()
        .to_string();
    assert!(error.contains("does not open"), "{error}");

    let mut stored: WrappedFile = serde_json::from_str(&original).unwrap();
    let mut blob = STANDARD.decode(&stored.wrapped).unwrap();
    let last = blob.len() - 1;
    blob[last] ^= 1;
    stored.wrapped = STANDARD.encode(&blob);
    std::fs::write(&path, serde_json::to_string(&stored).unwrap()).unwrap();
    let error = read(&path, Some(&right)).unwrap_err().to_string();
    assert!(error.contains("does not open"), "{error}");

    // A relabelled file does not open either: the id is checked, then the key.
    let mut relabelled: WrappedFile = serde_json::from_str(&original).unwrap();
    relabelled.kek_id = "kek2".into();
    std::fs::write(&path, serde_json::to_string(&relabelled).unwrap()).unwrap();
    assert!(read(&path, Some(&other_id)).is_err());

    let mut unknown: WrappedFile = serde_json::from_str(&original).unwrap();
    unknown.format = "wrapped-v9".into();
    std::fs::write(&path, serde_json::to_string(&unknown).unwrap()).unwrap();
    let error = read(&path, Some(&right)).unwrap_err().to_string();
    assert!(error.contains("wrapped-v9"), "{error}");
    assert!(!error.contains(&STANDARD.encode(&right.key[..])), "{error}");
}

#[test]
fn a_plain_file_is_wrapped_on_load_and_a_new_one_is_created_wrapped() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.json");
    let material = KeyMaterial::generate();
    write_atomic(&plain, &material, None).unwrap();
    assert_eq!(wrapped_with(&plain).unwrap(), None);
    let kek = kek("kek1");
    load_or_create_with(&plain, Some(&kek)).unwrap();
    assert_eq!(wrapped_with(&plain).unwrap().as_deref(), Some("kek1"));
    assert_eq!(
        secrets(&read(&plain, Some(&kek)).unwrap()),
        secrets(&material)
    );
    assert!(load_or_create(&plain).is_err());

    let fresh = dir.path().join("new").join("keys.json");
    load_or_create_with(&fresh, Some(&kek)).unwrap();
    assert_eq!(wrapped_with(&fresh).unwrap().as_deref(), Some("kek1"));
    load_or_create_with(&fresh, Some(&kek)).unwrap();
}
