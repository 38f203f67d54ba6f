//! The proofing limits. Each is described once, as a [`StepLimit`] (counter key, tries,
//! window, and the step and reason a refusal is recorded under), and that description
//! serves both counting an attempt before a step runs ([`ProofingCases::consume_attempt`])
//! and reporting the tries left ([`ProofingCases::remaining`]).

use time::{Duration, OffsetDateTime};

use super::proofing_case::ProofingCases;
use crate::limits::Limits;
use crate::proofing::case::{AttemptResult, Letter, attempt_step, flow_reason};
use crate::store::Change;
use crate::{DomainError, DomainResult};

/// One proofing limit.
pub(super) struct StepLimit {
    key: String,
    limit: i64,
    window_secs: i64,
    /// The attempt step a refusal is recorded under.
    step: &'static str,
    /// The reason a refusal records.
    reason: &'static str,
}

impl StepLimit {
    /// Identity tries per account.
    pub(super) fn identity(limits: &Limits, account_id: &str) -> Self {
        Self {
            key: format!("proof.identity:{account_id}"),
            limit: limits.proofing_identity_attempts,
            window_secs: limits.proofing_identity_window_secs,
            step: attempt_step::IDENTITY,
            reason: flow_reason::ACCOUNT_LIMIT,
        }
    }

    /// Identity tries per SSN, across accounts.
    pub(super) fn ssn(limits: &Limits, ssn_fp: &str) -> Self {
        Self {
            key: format!("proof.ssn:{ssn_fp}"),
            limit: limits.proofing_ssn_attempts,
            window_secs: limits.proofing_ssn_window_secs,
            step: attempt_step::IDENTITY,
            reason: flow_reason::SSN_LIMIT,
        }
    }

    /// Financial account tries per account.
    pub(super) fn financial(limits: &Limits, account_id: &str) -> Self {
        Self {
            key: format!("proof.financial:{account_id}"),
            limit: limits.proofing_financial_attempts,
            window_secs: limits.proofing_financial_window_secs,
            step: attempt_step::FINANCIAL_ACCOUNT,
            reason: flow_reason::ACCOUNT_LIMIT,
        }
    }

    /// Phone tries per account.
    pub(super) fn phone(limits: &Limits, account_id: &str) -> Self {
        Self {
            key: format!("proof.phone:{account_id}"),
            limit: limits.proofing_phone_attempts,
            window_secs: limits.proofing_phone_window_secs,
            step: attempt_step::PHONE,
            reason: flow_reason::ACCOUNT_LIMIT,
        }
    }

    /// Texted proofing codes per account: the sign-in SMS limit, counted in its own
    /// window (not from the code rows, which go when a phone is replaced).
    pub(super) fn sms(limits: &Limits, account_id: &str) -> Self {
        Self {
            key: format!("proof.sms:{account_id}"),
            limit: limits.sms_sends_per_window,
            window_secs: limits.sms_send_window_secs,
            step: attempt_step::PHONE,
            reason: flow_reason::SMS_LIMIT,
        }
    }

    /// Mailed activation code tries per account.
    pub(super) fn mail_code(limits: &Limits, account_id: &str) -> Self {
        Self {
            key: format!("proof.mail_code:{account_id}"),
            limit: limits.letter_code_attempts,
            window_secs: limits.letter_code_window_secs,
            step: attempt_step::MAIL_CODE,
            reason: flow_reason::ACCOUNT_LIMIT,
        }
    }
}

/// The letters created in the 30 days before `now` (the `letters_per_30_days` window).
pub(super) fn letters_in_last_30_days(letters: &[Letter], now: OffsetDateTime) -> Vec<&Letter> {
    letters
        .iter()
        .filter(|l| now - l.created_at < Duration::days(30))
        .collect()
}

impl ProofingCases<'_> {
    /// Count one attempt under `limit` (increment first, then read: concurrent
    /// requests can never get more than the limit through). Over the limit, the
    /// refusal is recorded and a `RateLimited` error returned. Returns the tries left
    /// after this one.
    pub(super) async fn consume_attempt(
        &self,
        account_id: &str,
        limit: &StepLimit,
    ) -> DomainResult<i64> {
        let now = self.core.now();
        let window = Duration::seconds(limit.window_secs);
        let (started, count) = self.core.count_in_window(&limit.key, window, now).await?;
        if count > limit.limit {
            self.core
                .commit(Change::new().with(self.attempt(
                    account_id,
                    limit.step,
                    AttemptResult::Limited,
                    vec![limit.reason.to_owned()],
                )))
                .await?;
            return Err(DomainError::RateLimited {
                // The window is still open at its very end: wait until just after it.
                retry_after_secs: crate::clock::seconds_until(
                    now,
                    started + window + Duration::seconds(1),
                ),
            });
        }
        Ok(limit.limit - count)
    }

    /// What a source answered. A live source that did not answer gives back the tries
    /// this step counted under `counted` (the person did nothing wrong) and fails with
    /// [`DomainError::SourceUnavailable`].
    pub(super) async fn source_answer<T>(
        &self,
        answer: crate::error::StoreResult<T>,
        counted: &[&StepLimit],
    ) -> DomainResult<T> {
        match answer {
            Ok(value) => Ok(value),
            Err(error @ crate::error::StoreError::SourceUnavailable { .. }) => {
                for limit in counted {
                    self.core.uncount_in_window(&limit.key).await?;
                }
                Err(error.into())
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Tries left under `limit`, without counting one.
    pub(super) async fn remaining(&self, limit: &StepLimit) -> DomainResult<i64> {
        let now = self.core.now();
        Ok(match self.core.store.counter(&limit.key).await? {
            Some((started, count)) if now - started <= Duration::seconds(limit.window_secs) => {
                (limit.limit - count).max(0)
            }
            _ => limit.limit,
        })
    }
}
