//! `secure-access report funnel`: the verification funnel as a table (or JSON) on the
//! terminal, from the same domain report the admin endpoint serves.

use std::fmt::Write;
use std::sync::Arc;

use sa_domain::clock::Clock;
use sa_domain::journeys::{FunnelDay, FunnelReport};

use crate::config::Config;
use crate::server::{build_services, open_store};

/// Build the report for `from..=to` (defaults: the 30 days up to today).
pub async fn funnel(
    config: &Config,
    clock: Arc<dyn Clock>,
    from: Option<time::Date>,
    to: Option<time::Date>,
) -> anyhow::Result<FunnelReport> {
    let to = to.unwrap_or_else(|| clock.now().date());
    let from = from.unwrap_or(to - time::Duration::days(29));
    if from > to {
        anyhow::bail!("--from must be on or before --to");
    }
    let store = open_store(config).await?;
    let services =
        build_services(config, &store, clock, Arc::new(tokio::sync::Notify::new())).await?;
    let report = services
        .reports()
        .funnel_report(from, to)
        .await
        .map_err(|e| anyhow::anyhow!("cannot build the funnel report: {e}"))?;
    store.close().await;
    Ok(report)
}

/// The report as a plain-text table: one block per day with activity, then the total.
pub fn as_table(report: &FunnelReport) -> String {
    let mut out = format!("Verification funnel {} to {}\n", report.from, report.to);
    for day in report.days.iter().filter(|d| has_activity(d)) {
        write_day(&mut out, day);
    }
    write_day(&mut out, &report.total);
    out
}

fn has_activity(day: &FunnelDay) -> bool {
    day.started > 0 || day.steps.iter().any(|s| s.attempts > 0)
}

fn write_day(out: &mut String, day: &FunnelDay) {
    let _ = writeln!(
        out,
        "\n{}: started {}, verified online {}, by mail {}, rate {:.1}%; letters sent {}, activated {}",
        day.date,
        day.started,
        day.verified_online,
        day.verified_by_mail,
        day.verification_rate * 100.0,
        day.letters_sent,
        day.letters_activated
    );
    let _ = writeln!(
        out,
        "  {:<18} {:>8} {:>8} {:>8} {:>8}  reasons",
        "step", "attempts", "passed", "failed", "limited"
    );
    for step in &day.steps {
        let reasons: Vec<String> = step
            .reasons
            .iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        let _ = writeln!(
            out,
            "  {:<18} {:>8} {:>8} {:>8} {:>8}  {}",
            step.step,
            step.attempts,
            step.passed,
            step.failed,
            step.limited,
            reasons.join(", ")
        );
    }
}
