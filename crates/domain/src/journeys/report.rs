//! The verification funnel: per day, how many started proofing, how many passed,
//! failed or were stopped by a limit at each step and why, how many went to mail and
//! activated, and the verification rate. Read by `secure-access report funnel` and the
//! admin JSON endpoint; built from the recorded attempts (no personal data).

use std::collections::BTreeMap;

use serde::Serialize;
use time::{Date, Duration, OffsetDateTime};

use super::core::Core;
use crate::DomainResult;
use crate::proofing::case::attempt_step;

/// Counts of one step on one day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StepCounts {
    pub step: String,
    pub attempts: i64,
    pub passed: i64,
    pub failed: i64,
    pub limited: i64,
    /// Failure and limit reasons with how often each occurred.
    pub reasons: BTreeMap<String, i64>,
}

/// One day of the funnel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelDay {
    /// `YYYY-MM-DD` (UTC).
    pub date: String,
    pub started: i64,
    pub steps: Vec<StepCounts>,
    pub letters_sent: i64,
    pub letters_activated: i64,
    pub verified_online: i64,
    pub verified_by_mail: i64,
    /// Verified that day over started that day (0 when none started).
    pub verification_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelReport {
    pub from: String,
    pub to: String,
    pub days: Vec<FunnelDay>,
    /// The whole period as one day-like row (`date` is `"total"`).
    pub total: FunnelDay,
}

/// The verification funnel report.
#[derive(Clone, Copy)]
pub struct Reports<'a> {
    core: &'a Core,
}

impl<'a> Reports<'a> {
    pub(crate) fn new(core: &'a Core) -> Self {
        Self { core }
    }
}

impl Reports<'_> {
    /// The funnel for the days `from..=to` (UTC).
    pub async fn funnel_report(&self, from: Date, to: Date) -> DomainResult<FunnelReport> {
        let start = from.midnight().assume_utc();
        let end = to.midnight().assume_utc() + Duration::days(1);
        let rows = self.core.store.funnel_rows(start, end).await?;
        let started = self.core.store.cases_started_per_day(start, end).await?;
        let mut days: BTreeMap<i64, FunnelDay> = BTreeMap::new();
        let mut day = from;
        while day <= to {
            let n = epoch_day(day);
            days.insert(n, empty_day(day.to_string()));
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
        let mut total = empty_day("total".to_owned());
        for (n, count) in started {
            if let Some(day) = days.get_mut(&n) {
                day.started += count;
            }
            total.started += count;
        }
        for row in rows {
            for target in [days.get_mut(&row.day), Some(&mut total)]
                .into_iter()
                .flatten()
            {
                let Some(step) = target.steps.iter_mut().find(|s| s.step == row.step) else {
                    continue;
                };
                step.attempts += row.attempts;
                match row.result.as_str() {
                    "passed" => step.passed += row.attempts,
                    "limited" => step.limited += row.attempts,
                    _ => step.failed += row.attempts,
                }
                if row.result != "passed" {
                    for reason in row.reasons.split_whitespace() {
                        *step.reasons.entry(reason.to_owned()).or_default() += row.attempts;
                    }
                }
                if row.result == "passed" {
                    match row.step.as_str() {
                        attempt_step::MAIL_REQUEST => target.letters_sent += row.attempts,
                        attempt_step::MAIL_CODE => {
                            target.letters_activated += row.attempts;
                            target.verified_by_mail += row.attempts;
                        }
                        attempt_step::PHONE_CODE => target.verified_online += row.attempts,
                        _ => {}
                    }
                }
            }
        }
        let mut days: Vec<FunnelDay> = days.into_values().collect();
        for day in days.iter_mut().chain(std::iter::once(&mut total)) {
            day.verification_rate = rate(day.verified_online + day.verified_by_mail, day.started);
        }
        Ok(FunnelReport {
            from: from.to_string(),
            to: to.to_string(),
            days,
            total,
        })
    }
}

fn empty_day(date: String) -> FunnelDay {
    FunnelDay {
        date,
        started: 0,
        steps: attempt_step::ALL
            .iter()
            .map(|step| StepCounts {
                step: (*step).to_owned(),
                ..StepCounts::default()
            })
            .collect(),
        letters_sent: 0,
        letters_activated: 0,
        verified_online: 0,
        verified_by_mail: 0,
        verification_rate: 0.0,
    }
}

fn rate(verified: i64, started: i64) -> f64 {
    if started == 0 {
        0.0
    } else {
        (verified as f64 / started as f64 * 1000.0).round() / 1000.0
    }
}

/// Days since 1970-01-01 of a date.
fn epoch_day(date: Date) -> i64 {
    (date.midnight().assume_utc() - OffsetDateTime::UNIX_EPOCH).whole_days()
}

impl Reports<'_> {}
