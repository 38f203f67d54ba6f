//! `secure-access records generate`: the command line over the population generator
//! (the generator itself is tested in `crates/population`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

use std::process::Command;

use sa_population::FILE_NAMES;

#[test]
fn the_binary_writes_a_population_and_prints_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("population");
    let output = Command::new(env!("CARGO_BIN_EXE_secure-access"))
        .args([
            "records", "generate", "--people", "50", "--seed", "7", "--out",
        ])
        .arg(&out)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("wrote 50 people: "), "{stdout}");
    assert!(
        stdout
            .trim_end()
            .ends_with(&format!("50 applicants to {}", out.display())),
        "{stdout}"
    );
    for name in FILE_NAMES {
        assert!(out.join(name).is_file(), "{name}");
    }
    assert_eq!(
        std::fs::read_to_string(out.join("applicants.jsonl"))
            .unwrap()
            .lines()
            .count(),
        50
    );
    // Not a terminal: no progress lines.
    assert!(!String::from_utf8_lossy(&output.stderr).contains("records generate:"));
}
