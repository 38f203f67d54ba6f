//! Velocity: one phone, device or IP address offered for several SSNs. A fraudster who
//! holds breach files proves many people from one place; a real person proves one SSN
//! (a household or an office shares an IP address, so that limit is looser and shorter).
//!
//! Each subject (`phone:<fingerprint>`, `device:<fingerprint>`, `ip:<fingerprint>`)
//! counts the distinct SSNs it was used with in its window, with two counters of the
//! shared window-counter table: one per (subject, SSN) pair, which says whether the
//! pair is new, and one per subject, counted up only for a new pair. Over the limit,
//! the phone step does not verify online: the reason is recorded (`phone_many_ssns`,
//! `device_many_ssns`, `ip_many_ssns`), the funnel counts it, and the person is offered
//! the letter to the address of record, never told that fraud is suspected.

use time::Duration;

use super::core::{Core, RequestContext, purpose};
use crate::DomainResult;
use crate::proofing::case::flow_reason;
use crate::proofing::matching::Decision;

/// What a velocity check looked at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Subject {
    Phone,
    Device,
    Ip,
}

impl Subject {
    fn key(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Device => "device",
            Self::Ip => "ip",
        }
    }

    fn reason(self) -> &'static str {
        match self {
            Self::Phone => flow_reason::PHONE_MANY_SSNS,
            Self::Device => flow_reason::DEVICE_MANY_SSNS,
            Self::Ip => flow_reason::IP_MANY_SSNS,
        }
    }
}

/// Velocity checks over the core's window counters.
pub(super) struct Velocity<'a> {
    core: &'a Core,
}

impl<'a> Velocity<'a> {
    pub(super) fn new(core: &'a Core) -> Self {
        Self { core }
    }

    /// Note that the request's device and IP address were used with `ssn_fp` (an identity
    /// that matched). Returns the reasons of the limits now exceeded.
    pub(super) async fn note_identity(
        &self,
        ssn_fp: &str,
        ctx: &RequestContext,
    ) -> DomainResult<Vec<String>> {
        let mut reasons = Vec::new();
        for (subject, value) in self.request_subjects(ctx) {
            if self.over_limit(subject, &value, ssn_fp).await? {
                reasons.push(subject.reason().to_owned());
            }
        }
        Ok(reasons)
    }

    /// Note that `phone` (E.164) passed the name check for `ssn_fp`, from this request.
    /// Returns the reasons the phone must not verify online (empty when it may).
    async fn note_phone(
        &self,
        ssn_fp: &str,
        phone: &str,
        ctx: &RequestContext,
    ) -> DomainResult<Vec<String>> {
        let mut reasons = self.note_identity(ssn_fp, ctx).await?;
        if self.over_limit(Subject::Phone, phone, ssn_fp).await? {
            reasons.insert(0, Subject::Phone.reason().to_owned());
        }
        Ok(reasons)
    }

    /// The phone step's verdict: the match rules' `decision`, then, on a pass, velocity
    /// ([`Self::note_phone`]); on a failure, the device and IP limits are still noted in
    /// the reasons. Returns whether the phone may verify online and the reason codes to
    /// record.
    pub(super) async fn phone_verdict(
        &self,
        decision: &Decision,
        ssn_fp: &str,
        phone: &str,
        ctx: &RequestContext,
    ) -> DomainResult<(bool, Vec<String>)> {
        let mut reasons: Vec<String> = decision
            .reasons
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect();
        if !decision.matched {
            // The funnel also sees a device or IP over its limit when the phone failed
            // for another reason (a ring's new lines fail on their tenure first). The
            // phone itself is counted only once it passes the name check.
            reasons.extend(self.note_identity(ssn_fp, ctx).await?);
            return Ok((false, reasons));
        }
        let flags = self.note_phone(ssn_fp, phone, ctx).await?;
        Ok(if flags.is_empty() {
            (true, reasons)
        } else {
            (false, flags)
        })
    }

    /// The request's device (only a device cookie: a user agent is shared by millions)
    /// and IP address.
    fn request_subjects(&self, ctx: &RequestContext) -> Vec<(Subject, String)> {
        let mut subjects = vec![(Subject::Ip, ctx.ip.to_string())];
        if let Some(device) = &ctx.device {
            subjects.push((Subject::Device, device.clone()));
        }
        subjects
    }

    fn limit_and_window(&self, subject: Subject) -> (i64, Duration) {
        let limits = self.core.limits();
        match subject {
            Subject::Phone => (
                limits.proofing_ssns_per_phone,
                Duration::seconds(limits.proofing_velocity_window_secs),
            ),
            Subject::Device => (
                limits.proofing_ssns_per_device,
                Duration::seconds(limits.proofing_velocity_window_secs),
            ),
            Subject::Ip => (
                limits.proofing_ssns_per_ip,
                Duration::seconds(limits.proofing_ip_velocity_window_secs),
            ),
        }
    }

    /// Count `ssn_fp` for the subject if the pair is new in the window; whether the
    /// subject is now over its limit of distinct SSNs.
    async fn over_limit(&self, subject: Subject, value: &str, ssn_fp: &str) -> DomainResult<bool> {
        let (limit, window) = self.limit_and_window(subject);
        let subject_fp = self.core.keys.fingerprint(
            purpose::VELOCITY,
            format!("{}:{value}", subject.key()).as_bytes(),
        );
        let now = self.core.now();
        let pair_key = format!("velocity.pair:{subject_fp}:{ssn_fp}");
        let subject_key = format!("velocity.ssns:{subject_fp}");
        let (_, pair_count) = self.core.count_in_window(&pair_key, window, now).await?;
        let distinct = if pair_count == 1 {
            self.core
                .count_in_window(&subject_key, window, now)
                .await?
                .1
        } else {
            match self.core.store.counter(&subject_key).await? {
                Some((started, count)) if now - started <= window => count,
                _ => 1,
            }
        };
        Ok(distinct > limit)
    }
}
