//! The RFC 6238 (TOTP) and RFC 4226 (HOTP) test vectors, kept beside this file in
//! `vectors/` and compiled in, run through the same generator that checks people's
//! codes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

use sa_domain::totp::{OtpHash, generate};
use serde_json::Value;

fn vectors(text: &str) -> Value {
    serde_json::from_str(text).expect("vector file is JSON")
}

#[test]
fn rfc6238_appendix_b_vectors_pass_for_sha1_sha256_and_sha512() {
    let v = vectors(include_str!("vectors/totp-rfc6238.json"));
    let digits = v["digits"].as_u64().unwrap() as usize;
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 6);
    for (name, hash) in [
        ("SHA1", OtpHash::Sha1),
        ("SHA256", OtpHash::Sha256),
        ("SHA512", OtpHash::Sha512),
    ] {
        let seed = v["seeds_ascii"][name].as_str().unwrap().as_bytes();
        for case in cases {
            let time = case["unix_time"].as_u64().unwrap();
            let expected = case[name].as_str().unwrap();
            assert_eq!(
                generate(hash, digits, seed, time),
                expected,
                "{name} at {time}"
            );
        }
    }
}

#[test]
fn rfc4226_appendix_d_vectors_pass() {
    let v = vectors(include_str!("vectors/hotp-rfc4226.json"));
    let secret = v["secret_ascii"].as_str().unwrap().as_bytes();
    let codes = v["codes_by_counter"].as_array().unwrap();
    assert_eq!(codes.len(), 10);
    for (counter, expected) in codes.iter().enumerate() {
        let time = counter as u64 * sa_domain::totp::STEP_SECONDS;
        assert_eq!(
            generate(OtpHash::Sha1, 6, secret, time),
            expected.as_str().unwrap(),
            "counter {counter}"
        );
    }
}
