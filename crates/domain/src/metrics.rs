//! What the journeys count for operators: sign-in and proofing outcomes by reason, and
//! limit refusals, in one Prometheus registry that the web layer adds its HTTP and
//! scrape-time gauges to and serves at `/metrics`.
//!
//! Labels hold only fixed vocabularies (a method, a step, a reason code, a limit's
//! name): never a username, an address, an id or anything a person typed. A label
//! value that is not a plain code (`[a-z0-9_]`, at most 48 characters) is counted as
//! `other`, so a new reason can never smuggle personal data or unbounded values in.

use prometheus::{IntCounterVec, Opts, Registry};

use crate::model::LoginRecord;
use crate::proofing::case::ProofingAttempt;

/// The journeys' counters, registered in [`Metrics::registry`].
pub struct Metrics {
    registry: Registry,
    sign_ins: IntCounterVec,
    proofing: IntCounterVec,
    limit_refusals: IntCounterVec,
    counters_down: IntCounterVec,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    /// Every family registered in a new registry. Fails only if a definition here is
    /// invalid (a programming error the unit test catches).
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let sign_ins = counter(
            &registry,
            "sa_sign_in_attempts_total",
            "Sign-in steps decided (password, second factor, passkey), by method, outcome and reason.",
            &["method", "outcome", "reason"],
        )?;
        let proofing = counter(
            &registry,
            "sa_proofing_attempts_total",
            "Identity-proofing attempts by step, result and reason (one count per reason).",
            &["step", "result", "reason"],
        )?;
        let limit_refusals = counter(
            &registry,
            "sa_limit_refusals_total",
            "Requests refused by an attempt limit, by limit.",
            &["limit"],
        )?;
        let counters_down = counter(
            &registry,
            "sa_limit_counters_unavailable_total",
            "Limit checks that could not reach the shared counters, by limit and what was done (refused or counted locally).",
            &["limit", "action"],
        )?;
        Ok(Self {
            registry,
            sign_ins,
            proofing,
            limit_refusals,
            counters_down,
        })
    }

    /// The registry every layer registers its metrics in.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Count a committed sign-in record.
    pub(crate) fn sign_in(&self, record: &LoginRecord) {
        let outcome = if record.success { "success" } else { "failure" };
        self.sign_ins
            .with_label_values(&[
                code(&record.method),
                outcome,
                code(record.reason.as_deref().unwrap_or("none")),
            ])
            .inc();
    }

    /// Count a committed proofing attempt, once per reason (`none` when it has none).
    pub(crate) fn proofing_attempt(&self, attempt: &ProofingAttempt) {
        let step = code(&attempt.step);
        let result = attempt.result.as_str();
        if attempt.reasons.is_empty() {
            self.proofing
                .with_label_values(&[step, result, "none"])
                .inc();
        }
        for reason in &attempt.reasons {
            self.proofing
                .with_label_values(&[step, result, code(reason)])
                .inc();
        }
    }

    /// Count a request refused by the limit named `limit`.
    pub(crate) fn limit_refused(&self, limit: &str) {
        self.limit_refusals.with_label_values(&[code(limit)]).inc();
    }

    /// Count a limit check whose shared counters did not answer.
    pub(crate) fn counters_down(&self, limit: &str, action: &str) {
        self.counters_down
            .with_label_values(&[code(limit), code(action)])
            .inc();
    }
}

/// A label value: the code itself when it is a plain code, else `other`.
fn code(value: &str) -> &str {
    let plain = !value.is_empty()
        && value.len() <= 48
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if plain { value } else { "other" }
}

/// A counter family, registered in `registry`.
fn counter(
    registry: &Registry,
    name: &str,
    help: &str,
    labels: &[&str],
) -> Result<IntCounterVec, prometheus::Error> {
    let family = IntCounterVec::new(Opts::new(name, help), labels)?;
    registry.register(Box::new(family.clone()))?;
    Ok(family)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_is_registered_and_labels_are_codes_only() {
        let metrics = Metrics::new().unwrap();
        metrics.limit_refused("ip_sign_in");
        metrics.limit_refused("Jane Doe <jane@example.com>");
        metrics.counters_down("ip_sign_in", "refused");
        let names: Vec<String> = metrics
            .registry()
            .gather()
            .iter()
            .map(|family| family.name().to_owned())
            .collect();
        assert!(names.contains(&"sa_limit_refusals_total".to_owned()));
        assert!(names.contains(&"sa_limit_counters_unavailable_total".to_owned()));
        assert_eq!(code("wrong_password"), "wrong_password");
        assert_eq!(code("jane@example.com"), "other");
        assert_eq!(code("123-45-6789"), "other");
    }
}
