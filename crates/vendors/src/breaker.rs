//! A circuit breaker: after `failures` failed lookups in a row it opens, and lookups
//! fail at once (no waiting on a vendor that is down) until `cooldown` has passed; then
//! one trial lookup goes through: success closes the breaker, failure opens it again.
//! Time comes from the service's clock, so tests move it instead of sleeping.

use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};

use sa_domain::clock::Clock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Closed {
        failures: u32,
    },
    Open {
        until: OffsetDateTime,
    },
    /// The cool-down ended and one trial is under way; others are refused meanwhile.
    /// A trial that never reports (its request was dropped) is replaced after `until`.
    Trial {
        until: OffsetDateTime,
    },
}

/// Whether a lookup may go to the vendor now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permit {
    Go,
    /// The breaker is open (or a trial is under way).
    Refused,
}

pub struct CircuitBreaker {
    clock: Arc<dyn Clock>,
    failures_to_open: u32,
    cooldown: Duration,
    state: Mutex<State>,
}

impl CircuitBreaker {
    pub fn new(clock: Arc<dyn Clock>, failures_to_open: u32, cooldown: Duration) -> Self {
        Self {
            clock,
            failures_to_open: failures_to_open.max(1),
            cooldown,
            state: Mutex::new(State::Closed { failures: 0 }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Ask before a lookup.
    pub fn permit(&self) -> Permit {
        let mut state = self.state();
        match *state {
            State::Closed { .. } => Permit::Go,
            State::Open { until } | State::Trial { until } if self.clock.now() >= until => {
                *state = State::Trial {
                    until: self.clock.now() + self.cooldown,
                };
                Permit::Go
            }
            State::Open { .. } | State::Trial { .. } => Permit::Refused,
        }
    }

    /// The lookup worked.
    pub fn succeeded(&self) {
        *self.state() = State::Closed { failures: 0 };
    }

    /// The lookup failed (after its retries).
    pub fn failed(&self) {
        let mut state = self.state();
        let failures = match *state {
            State::Closed { failures } => failures + 1,
            State::Open { .. } | State::Trial { .. } => self.failures_to_open,
        };
        *state = if failures >= self.failures_to_open {
            State::Open {
                until: self.clock.now() + self.cooldown,
            }
        } else {
            State::Closed { failures }
        };
    }

    /// Whether lookups are being refused now (for readiness reports).
    pub fn is_open(&self) -> bool {
        !matches!(*self.state(), State::Closed { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sa_domain::clock::ManualClock;

    fn breaker() -> (ManualClock, CircuitBreaker) {
        let clock = ManualClock::new(OffsetDateTime::UNIX_EPOCH + Duration::days(20_000));
        let breaker = CircuitBreaker::new(Arc::new(clock.clone()), 3, Duration::seconds(30));
        (clock, breaker)
    }

    #[test]
    fn opens_after_the_failures_in_a_row_and_not_before() {
        let (_, breaker) = breaker();
        breaker.failed();
        breaker.failed();
        assert_eq!(breaker.permit(), Permit::Go);
        breaker.succeeded();
        breaker.failed();
        breaker.failed();
        assert_eq!(breaker.permit(), Permit::Go, "a success resets the count");
        breaker.failed();
        assert_eq!(breaker.permit(), Permit::Refused);
        assert!(breaker.is_open());
    }

    #[test]
    fn one_trial_after_the_cooldown_closes_or_reopens_it() {
        let (clock, breaker) = breaker();
        for _ in 0..3 {
            breaker.failed();
        }
        clock.advance(Duration::seconds(29));
        assert_eq!(breaker.permit(), Permit::Refused);
        clock.advance(Duration::seconds(1));
        assert_eq!(breaker.permit(), Permit::Go, "the trial");
        assert_eq!(
            breaker.permit(),
            Permit::Refused,
            "only one trial at a time"
        );
        breaker.failed();
        assert_eq!(
            breaker.permit(),
            Permit::Refused,
            "a failed trial reopens it"
        );
        clock.advance(Duration::seconds(30));
        assert_eq!(breaker.permit(), Permit::Go);
        breaker.succeeded();
        assert_eq!(breaker.permit(), Permit::Go);
        assert!(!breaker.is_open());
    }
}
