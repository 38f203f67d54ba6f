//! `secure-access report funnel`: the verification funnel as a table (or JSON) on the
//! terminal, from the same domain report the admin endpoint serves.

use std::fmt::Write;
use std::sync::Arc;

use sa_domain::clock::Clock;
use sa_domain::journeys::{FunnelDay, FunnelReport};

use crate::config::Config;
use crate::wiring::open_for_command;
use clap::Subcommand;

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
    let (store, services) = open_for_command(config, clock).await?;
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

#[derive(Subcommand)]
pub enum ReportCommand {
    /// The verification funnel per day: started, passed and failed per step and why,
    /// letters sent and activated, verification rate.
    Funnel {
        /// First day, YYYY-MM-DD (default: 29 days before --to).
        #[arg(long, value_parser = parse_date)]
        from: Option<time::Date>,
        /// Last day, YYYY-MM-DD (default: today, UTC).
        #[arg(long, value_parser = parse_date)]
        to: Option<time::Date>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// `secure-access report …`.
pub async fn run(
    command: ReportCommand,
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    match command {
        ReportCommand::Funnel { from, to, json } => {
            let report = funnel(config, clock, from, to).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", as_table(&report));
            }
            Ok(())
        }
    }
}

fn parse_date(text: &str) -> Result<time::Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &format).map_err(|_| format!("{text:?} is not a date like 2026-03-01"))
}
