//! Limits: how many attempts of each kind are allowed, and what each per-IP limit does
//! when its shared counters are down (the counters themselves: [`crate::limiter`]).
//!
//! Defaults follow Login.gov's published settings and NIST SP 800-63B-4 §3.2.2 (no more
//! than 100 consecutive failures on one account). Account lockout counters live in the
//! database (see [`crate::store::Change`]); per-IP counters live in Redis when one is
//! configured (shared by every instance), else in memory per instance.
//!
//! ```text
//!  bad password ──► counter(username, 1 min window) ── ≥ 5 ──► 429 until the window ends
//!  code try ──────► account.code_failures (counted before the check) = 10 ─► 423 for 10 minutes, reset
//!            └────► factor.consecutive_failures ─────── = 100 ► factor disabled (email sent)
//! ```

use serde::{Deserialize, Serialize};

/// Every attempt limit, configurable (the `[limits]` table of the configuration).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Wrong passwords allowed per username per window before sign-in waits.
    pub password_failures_per_window: i64,
    /// The password-failure window, in seconds.
    pub password_failure_window_secs: i64,
    /// Wrong second-factor codes before the account's codes are locked.
    pub code_failures_before_lock: i64,
    /// How long that lock lasts, in seconds.
    pub code_lock_secs: i64,
    /// Consecutive failures on one factor before it is disabled (NIST: at most 100).
    pub factor_failures_before_disable: i64,
    /// Attempts allowed on one emailed confirmation code.
    pub email_code_attempts: i64,
    /// Email confirmation code lifetime, in seconds (24 h).
    pub email_code_ttl_secs: i64,
    /// SMS code lifetime, in seconds (10 minutes).
    pub sms_code_ttl_secs: i64,
    /// SMS codes one account may request per window.
    pub sms_sends_per_window: i64,
    pub sms_send_window_secs: i64,
    /// Sign-in and sign-up attempts per client IP per minute.
    pub ip_sign_in_per_minute: u32,
    /// Code sends (email or SMS) per client IP per 10 minutes.
    pub ip_code_sends_per_10_minutes: u32,
    /// Password strength ratings (the meter on password forms) per client IP per minute.
    pub ip_password_ratings_per_minute: u32,
    /// Idle timeout of a session, in seconds (15 minutes).
    pub session_idle_secs: i64,
    /// Absolute lifetime of a session, in seconds (12 hours).
    pub session_absolute_secs: i64,
    /// How recently a second factor must have been entered to change sign-in methods.
    pub reauthentication_secs: i64,

    /// Identity-step attempts per account per window (Login.gov: 5 per 6 hours).
    pub proofing_identity_attempts: i64,
    pub proofing_identity_window_secs: i64,
    /// Checks of one SSN per window, counted across all accounts (10 per hour).
    pub proofing_ssn_attempts: i64,
    pub proofing_ssn_window_secs: i64,
    /// Financial-account attempts per account per window (5 per 6 hours).
    pub proofing_financial_attempts: i64,
    pub proofing_financial_window_secs: i64,
    /// Phone attempts per account per window (20 per 24 hours).
    pub proofing_phone_attempts: i64,
    pub proofing_phone_window_secs: i64,
    /// A phone line taken fewer days ago than this (the carrier's `since`) does not verify
    /// an identity on its own; the person gets the letter path. 0 turns the rule off.
    pub proofing_phone_min_tenure_days: i64,
    /// Velocity: the most SSNs one phone may be offered for in
    /// `proofing_velocity_window_secs` before it stops verifying online (a phone in a
    /// person's own name belongs to one SSN).
    pub proofing_ssns_per_phone: i64,
    /// ...one device (the browser's device cookie; a couple may share a laptop).
    pub proofing_ssns_per_device: i64,
    pub proofing_velocity_window_secs: i64,
    /// ...one IP address in `proofing_ip_velocity_window_secs` (households and offices
    /// share addresses, so the window is short).
    pub proofing_ssns_per_ip: i64,
    pub proofing_ip_velocity_window_secs: i64,
    /// A proofing case left untouched this long starts again from the identity step
    /// (what was matched is discarded); a shorter pause resumes where it stopped.
    pub proofing_resume_secs: i64,
    /// Activation letters: at most one per this window...
    pub letter_min_interval_secs: i64,
    /// ...and at most this many per 30 days.
    pub letters_per_30_days: i64,
    /// Tries of a mailed activation code per account per window (5 per 10 minutes).
    pub letter_code_attempts: i64,
    pub letter_code_window_secs: i64,
    /// Days a mailed code is valid: contiguous US, and elsewhere (NIST SP 800-63A-4).
    pub letter_valid_days_contiguous: i64,
    pub letter_valid_days_elsewhere: i64,
    /// Days after mailing when a reminder email goes out if the code is still unused.
    pub letter_reminder_days: i64,

    /// Password-reset codes: lifetime (15 minutes) and tries per code (5).
    pub password_reset_code_ttl_secs: i64,
    pub password_reset_code_attempts: i64,
    /// Password-reset requests and confirmations per username (existing or not) per
    /// window, so neither floods a mailbox nor guesses codes across many new codes.
    pub password_resets_per_window: i64,
    /// Code confirmations per username (existing or not) per window: across every
    /// code sent in it, at most this many guesses.
    pub password_reset_confirms_per_window: i64,
    pub password_reset_window_secs: i64,
    /// Recovery requests (password resets, "this wasn't me" links, account resets) per
    /// client IP per 10 minutes.
    pub ip_recovery_per_10_minutes: u32,
    /// How long an account reset waits, while the owner can cancel it (24 hours).
    pub account_reset_delay_secs: i64,
    /// How long the "this wasn't me" link of a security email works (7 days).
    pub disavow_link_ttl_secs: i64,
    /// After a verified account is deleted, how long its SSN stays held before another
    /// account may verify with it (30 days: time for the owner to notice a deletion
    /// they did not make; see `docs/retention.md`).
    pub deleted_identity_hold_secs: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            password_failures_per_window: 5,
            password_failure_window_secs: 60,
            code_failures_before_lock: 10,
            code_lock_secs: 600,
            factor_failures_before_disable: 100,
            email_code_attempts: 5,
            email_code_ttl_secs: 24 * 3600,
            sms_code_ttl_secs: 600,
            sms_sends_per_window: 5,
            sms_send_window_secs: 600,
            ip_sign_in_per_minute: 30,
            ip_code_sends_per_10_minutes: 20,
            ip_password_ratings_per_minute: 120,
            session_idle_secs: 15 * 60,
            session_absolute_secs: 12 * 3600,
            reauthentication_secs: 15 * 60,
            proofing_identity_attempts: 5,
            proofing_identity_window_secs: 6 * 3600,
            proofing_ssn_attempts: 10,
            proofing_ssn_window_secs: 3600,
            proofing_financial_attempts: 5,
            proofing_financial_window_secs: 6 * 3600,
            proofing_phone_attempts: 20,
            proofing_phone_window_secs: 24 * 3600,
            proofing_phone_min_tenure_days: 30,
            proofing_ssns_per_phone: 1,
            proofing_ssns_per_device: 2,
            proofing_velocity_window_secs: 90 * 24 * 3600,
            proofing_ssns_per_ip: 5,
            proofing_ip_velocity_window_secs: 24 * 3600,
            proofing_resume_secs: 30 * 24 * 3600,
            letter_min_interval_secs: 24 * 3600,
            letters_per_30_days: 4,
            letter_code_attempts: 5,
            letter_code_window_secs: 600,
            letter_valid_days_contiguous: 21,
            letter_valid_days_elsewhere: 30,
            letter_reminder_days: 14,
            password_reset_code_ttl_secs: 15 * 60,
            password_reset_code_attempts: 5,
            password_resets_per_window: 5,
            password_reset_confirms_per_window: 10,
            password_reset_window_secs: 3600,
            ip_recovery_per_10_minutes: 30,
            account_reset_delay_secs: 24 * 3600,
            disavow_link_ttl_secs: 7 * 24 * 3600,
            deleted_identity_hold_secs: 30 * 24 * 3600,
        }
    }
}

impl Limits {
    /// Refuse settings that would weaken the standards the service promises.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=100).contains(&self.factor_failures_before_disable) {
            return Err(
                "limits.factor_failures_before_disable must be 1..=100 (NIST SP 800-63B-4)".into(),
            );
        }
        if self.code_failures_before_lock < 1 || self.password_failures_per_window < 1 {
            return Err("limits: failure thresholds must be at least 1".into());
        }
        if self.session_idle_secs < 60 || self.session_absolute_secs < self.session_idle_secs {
            return Err(
                "limits: session_idle_secs must be ≥ 60 and ≤ session_absolute_secs".into(),
            );
        }
        if self.letter_valid_days_contiguous < 1
            || self.letter_valid_days_elsewhere < self.letter_valid_days_contiguous
        {
            return Err("limits: letter validity must be at least 1 day, and no shorter outside the contiguous US".into());
        }
        if self.password_reset_code_attempts < 1 || self.password_resets_per_window < 1 {
            return Err("limits: password-reset attempts must be at least 1".into());
        }
        if self.proofing_ssns_per_phone < 1
            || self.proofing_ssns_per_device < 1
            || self.proofing_ssns_per_ip < 1
        {
            return Err("limits: proofing_ssns_per_phone, _per_device and _per_ip must be at least 1 (a person proves their own SSN)".into());
        }
        if self.account_reset_delay_secs < 3600 {
            return Err("limits.account_reset_delay_secs must be at least 3600: the owner needs time to cancel".into());
        }
        Ok(())
    }
}

/// What a per-IP bucket is counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IpAction {
    SignIn,
    CodeSend,
    PasswordRating,
    /// Password resets, "this wasn't me" links and account resets.
    Recovery,
}

impl IpAction {
    /// The limit's name in counter keys and metrics.
    pub fn name(self) -> &'static str {
        match self {
            Self::SignIn => "ip_sign_in",
            Self::CodeSend => "ip_code_send",
            Self::PasswordRating => "ip_password_rating",
            Self::Recovery => "ip_recovery",
        }
    }

    /// What happens when the shared counters (Redis) cannot be reached. A guessing
    /// limit (sign-in, recovery) fails closed: the request is refused, because an
    /// attacker who could take the counters down would otherwise guess without limit.
    /// The others (code sends, password ratings) fall back to this instance's own
    /// counters, which still hold each instance to the limit.
    pub fn when_counters_down(self) -> WhenCountersDown {
        match self {
            Self::SignIn | Self::Recovery => WhenCountersDown::Refuse,
            Self::CodeSend | Self::PasswordRating => WhenCountersDown::CountLocally,
        }
    }
}

/// The rule for one limit while its shared counters are unreachable
/// ([`IpAction::when_counters_down`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenCountersDown {
    Refuse,
    CountLocally,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_issue_and_nist() {
        let limits = Limits::default();
        assert_eq!(limits.password_failures_per_window, 5);
        assert_eq!(limits.password_failure_window_secs, 60);
        assert_eq!(limits.code_failures_before_lock, 10);
        assert_eq!(limits.code_lock_secs, 600);
        assert!(limits.factor_failures_before_disable <= 100);
        assert_eq!(limits.sms_code_ttl_secs, 600);
        assert_eq!(limits.email_code_ttl_secs, 86_400);
        assert_eq!(limits.session_idle_secs, 900);
        assert_eq!(limits.session_absolute_secs, 43_200);
        limits.validate().unwrap();
    }

    #[test]
    fn more_than_100_failures_is_refused_as_a_setting() {
        let limits = Limits {
            factor_failures_before_disable: 101,
            ..Limits::default()
        };
        assert!(limits.validate().unwrap_err().contains("100"));
    }
}
