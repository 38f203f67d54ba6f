//! `secure-access proofing simulate`: a synthetic population of applicants and
//! impostors through the real proofing journeys. The targets hold on a small population
//! at the hardest mess level, the same seed gives the same report, a lower line-tenure
//! threshold shows its cost (new lines in victims' names get through), and the command
//! line prints JSON and refuses bad arguments with a clear message.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

use std::process::Command;

use secure_access::commands::proofing::{Report, simulate};
use secure_access::config::Config;

fn without_timing(report: &Report) -> serde_json::Value {
    let mut value = serde_json::to_value(report).unwrap();
    value["seconds"] = serde_json::Value::Null;
    value
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_targets_hold_at_the_hardest_mess_and_the_seed_decides_everything() {
    let config = Config::default();
    let report = simulate(&config, 400, 11, 3, 60).await.unwrap();
    let text = report.text();
    assert!(report.meets_targets(), "{text}");
    assert!(report.genuine.eligible_online > 150, "{text}");
    assert!(
        report.genuine.verified_by_mail > 0,
        "the letter path was used: {text}"
    );
    for kind in [
        "breach_file",
        "breach_with_card",
        "new_line_in_victim_name",
        "ring_one_device",
        "partial_data",
    ] {
        assert!(
            report.impostors.get(kind).is_some_and(|k| k.tried > 0),
            "{kind}: {text}"
        );
    }
    assert!(
        report.impostor_reasons.contains_key("phone_recent_line"),
        "{text}"
    );
    let again = simulate(&config, 400, 11, 3, 60).await.unwrap();
    assert_eq!(without_timing(&report), without_timing(&again));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lower_tenure_threshold_shows_what_it_costs() {
    let mut config = Config::default();
    config.limits.proofing_phone_min_tenure_days = 1;
    let report = simulate(&config, 200, 5, 1, 40).await.unwrap();
    let new_lines = &report.impostors["new_line_in_victim_name"];
    assert!(
        new_lines.verified_online > 0,
        "lines of 1 to 20 days pass a 1-day threshold: {}",
        report.text()
    );
    assert!(!report.meets_targets());
}

#[test]
fn the_command_prints_json_and_refuses_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_secure-access"))
            .args(["proofing", "simulate"])
            .args(args)
            .current_dir(dir.path())
            .env("SA_DATA_DIR", dir.path())
            .output()
            .unwrap()
    };
    let output = run(&["--people", "60", "--seed", "3", "--mess", "2", "--json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["settings"]["people"], 60);
    assert_eq!(report["settings"]["mess"], 2);
    assert!(report["settings"]["impostors"].as_u64().unwrap() > 0);

    let output = run(&["--mess", "4"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--mess must be 0, 1, 2 or 3"));
    let output = run(&["--people", "0"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--people must be between"));
}
