//! The records of an applicant's identity proofing: the case (where they stand in the
//! flow), each attempt with its reason codes, and activation letters. Plain records and
//! the pure rules about them; the journeys in `journeys::proofing` and
//! `journeys::letters` read and change them.
//!
//! ```text
//!  identity ──► financial_account ──► phone ──► phone_code ──► verified (online)
//!     │                                 │  ▲         │
//!     │ SSN verified elsewhere          │  └─────────┘ another phone
//!     ▼                                 ▼
//!  exception                        mail_code ──► verified (mail)
//! ```

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::model::Next;

/// Where a proofing case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProofingStep {
    /// Personal information is due.
    Identity,
    /// Identity matched; one financial account is due.
    FinancialAccount,
    /// Account matched; a mobile phone in the applicant's name is due (or a letter).
    Phone,
    /// A code was texted to the phone; it is due.
    PhoneCode,
    /// A letter was mailed; its activation code is due.
    MailCode,
    /// Online proofing cannot finish (for example the SSN is verified on another
    /// account): the help desk or an assistance center takes over.
    Exception,
    /// The identity is verified.
    Verified,
}

impl ProofingStep {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::FinancialAccount => "financial_account",
            Self::Phone => "phone",
            Self::PhoneCode => "phone_code",
            Self::MailCode => "mail_code",
            Self::Exception => "exception",
            Self::Verified => "verified",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Identity,
            Self::FinancialAccount,
            Self::Phone,
            Self::PhoneCode,
            Self::MailCode,
            Self::Exception,
            Self::Verified,
        ]
        .into_iter()
        .find(|step| step.as_str() == text)
    }

    /// The `next` a client is told while the case is at this step (`None` once verified:
    /// the account's own next step applies).
    pub fn next(self) -> Option<Next> {
        match self {
            Self::Identity => Some(Next::ProofingIdentity),
            Self::FinancialAccount => Some(Next::ProofingFinancialAccount),
            Self::Phone => Some(Next::ProofingPhone),
            Self::PhoneCode => Some(Next::ProofingPhoneCode),
            Self::MailCode => Some(Next::ProofingMailCode),
            Self::Exception => Some(Next::ExceptionProcessing),
            Self::Verified => None,
        }
    }
}

/// One account's proofing case. Holds no clear personal data (`Debug` is safe).
#[derive(Debug, Clone)]
pub struct ProofingCase {
    pub account_id: String,
    pub step: ProofingStep,
    pub started_at: OffsetDateTime,
    /// Last activity: a case untouched for `proofing_resume_secs` starts over.
    pub updated_at: OffsetDateTime,
    /// Fingerprint of the SSN the identity step matched.
    pub ssn_fp: Option<String>,
    /// Sealed [`MatchedIdentity`].
    pub claim_sealed: Option<String>,
    /// Sealed phone number awaiting its code (phone_code step).
    pub phone_sealed: Option<String>,
    pub verified_at: Option<OffsetDateTime>,
    /// Fingerprint of the last name and date of birth last typed at the identity step,
    /// so the help desk can find the case by name and date of birth.
    pub lookup_fp: Option<String>,
    /// `help_desk` or `in_person` when staff verified the person (the mailed code then
    /// completes it); `in_person_required` when the help desk referred them.
    pub staff_method: Option<String>,
}

impl ProofingCase {
    /// A fresh case at the identity step.
    pub fn new(account_id: &str, now: OffsetDateTime) -> Self {
        Self {
            account_id: account_id.to_owned(),
            step: ProofingStep::Identity,
            started_at: now,
            updated_at: now,
            ssn_fp: None,
            claim_sealed: None,
            phone_sealed: None,
            verified_at: None,
            lookup_fp: None,
            staff_method: None,
        }
    }

    /// Staff verified the person (help desk or in person); the mailed code completes it.
    pub fn is_staff_assisted(&self) -> bool {
        matches!(
            self.staff_method.as_deref(),
            Some(staff_method::HELP_DESK | staff_method::IN_PERSON)
        )
    }

    /// Whether the case was abandoned long enough ago to start over. Verified and
    /// exception cases never start over, nor does a case waiting for a mailed code (the
    /// letter's own expiry governs it).
    pub fn abandoned(&self, now: OffsetDateTime, resume_secs: i64) -> bool {
        matches!(
            self.step,
            ProofingStep::Identity
                | ProofingStep::FinancialAccount
                | ProofingStep::Phone
                | ProofingStep::PhoneCode
        ) && now - self.updated_at >= Duration::seconds(resume_secs)
    }
}

/// Values of [`ProofingCase::staff_method`].
pub mod staff_method {
    /// The help desk verified the caller by phone; a letter completes it.
    pub const HELP_DESK: &str = "help_desk";
    /// Staff verified the person's documents in person; a letter completes it.
    pub const IN_PERSON: &str = "in_person";
    /// The help desk could not verify the caller: they must visit in person.
    pub const IN_PERSON_REQUIRED: &str = "in_person_required";
    /// Documents were checked in person; the help desk completes registration.
    pub const DOCUMENTS_CHECKED: &str = "documents_checked";
}

/// What the later steps need from the identity step (the applicant's name as typed and
/// the spouse's name from the matched return), sealed in the case.
#[derive(Clone, Serialize, Deserialize)]
pub struct MatchedIdentity {
    pub first_name: String,
    pub last_name: String,
    pub spouse: Option<(String, String)>,
    /// The names the person filed under on the matched returns (first, last), for the
    /// phone step; older cases have none.
    #[serde(default)]
    pub filed_names: Vec<(String, String)>,
    /// The matched SSN (normalised), for a live vendor's later lookups (the financial
    /// account, the address for a letter); sealed with the rest. Older cases have none.
    #[serde(default)]
    pub ssn: Option<String>,
}

impl MatchedIdentity {
    /// What the identity step keeps after `claim` matched `returns`: the name as typed,
    /// the spouse on the newest return, every filed name, and the SSN.
    pub fn from_match(
        claim: &crate::proofing::matching::IdentityClaim,
        returns: &[crate::proofing::records::TaxReturn],
    ) -> Self {
        let spouse = returns
            .iter()
            .max_by_key(|r| r.tax_year)
            .and_then(|r| r.spouse.as_ref())
            .map(|s| (s.first_name.clone(), s.last_name.clone()));
        Self {
            first_name: claim.first_name.clone(),
            last_name: claim.last_name.clone(),
            spouse,
            filed_names: Self::filed_names_on(returns),
            ssn: Some(claim.ssn.clone()),
        }
    }

    /// The names the phone step compares: the typed one first, then each filed name.
    pub fn names(&self) -> Vec<(String, String)> {
        let mut names = vec![(self.first_name.clone(), self.last_name.clone())];
        for name in &self.filed_names {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        names
    }

    /// The filer's names on `returns` (each distinct pair once).
    pub fn filed_names_on(
        returns: &[crate::proofing::records::TaxReturn],
    ) -> Vec<(String, String)> {
        let mut names: Vec<(String, String)> = Vec::new();
        for r in returns {
            let name = (r.first_name.clone(), r.last_name.clone());
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }
}

/// The outcome of one attempt at a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptResult {
    Passed,
    Failed,
    /// Refused by an attempt limit before any check ran.
    Limited,
}

impl AttemptResult {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::Limited => "limited",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "passed" => Some(Self::Passed),
            "failed" => Some(Self::Failed),
            "limited" => Some(Self::Limited),
            _ => None,
        }
    }
}

/// Steps an attempt can be recorded for (the `step` column of `proofing_attempts`).
pub mod attempt_step {
    pub const IDENTITY: &str = "identity";
    pub const FINANCIAL_ACCOUNT: &str = "financial_account";
    pub const PHONE: &str = "phone";
    pub const PHONE_CODE: &str = "phone_code";
    pub const MAIL_REQUEST: &str = "mail_request";
    pub const MAIL_CODE: &str = "mail_code";
    /// Every step, in flow order (the funnel report's rows).
    pub const ALL: [&str; 6] = [
        IDENTITY,
        FINANCIAL_ACCOUNT,
        PHONE,
        PHONE_CODE,
        MAIL_REQUEST,
        MAIL_CODE,
    ];
}

/// Reason codes of the flow itself (the match rules' codes are
/// [`crate::proofing::matching::Reason`]).
pub mod flow_reason {
    /// The SSN is already verified on another account (one verified account per SSN).
    pub const SSN_VERIFIED_ELSEWHERE: &str = "ssn_verified_elsewhere";
    /// The per-account attempt limit of the step was reached.
    pub const ACCOUNT_LIMIT: &str = "account_attempt_limit";
    /// The per-SSN limit (across accounts) was reached.
    pub const SSN_LIMIT: &str = "ssn_attempt_limit";
    pub const WRONG_CODE: &str = "wrong_code";
    pub const CODE_EXPIRED: &str = "code_expired";
    pub const LETTER_LIMIT: &str = "letter_limit";
    /// The texted-code send limit was reached.
    pub const SMS_LIMIT: &str = "sms_send_limit";
    pub const NO_ADDRESS_OF_RECORD: &str = "no_address_of_record";
    /// Velocity: the phone was offered for more SSNs than `limits.proofing_ssns_per_phone`.
    pub const PHONE_MANY_SSNS: &str = "phone_many_ssns";
    /// Velocity: the device cookie was used for more SSNs than allowed.
    pub const DEVICE_MANY_SSNS: &str = "device_many_ssns";
    /// Velocity: the IP address was used for more SSNs than allowed.
    pub const IP_MANY_SSNS: &str = "ip_many_ssns";
    /// The case had been abandoned and started over.
    pub const RESTARTED: &str = "restarted_after_inactivity";
}

/// One decision, for staff and the funnel report.
#[derive(Debug, Clone)]
pub struct ProofingAttempt {
    pub id: String,
    pub account_id: String,
    pub at: OffsetDateTime,
    /// One of [`attempt_step`].
    pub step: String,
    pub result: AttemptResult,
    /// Machine-readable reason codes.
    pub reasons: Vec<String>,
}

/// An activation letter. The code is kept only as a fingerprint; `print_sealed` holds
/// a sealed [`LetterContent`] until the letter is printed.
#[derive(Debug, Clone)]
pub struct Letter {
    pub id: String,
    pub account_id: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub code_hash: String,
    pub print_sealed: Option<String>,
    pub printed_at: Option<OffsetDateTime>,
    pub print_batch: Option<String>,
    pub reminder_sent_at: Option<OffsetDateTime>,
    pub activated_at: Option<OffsetDateTime>,
    pub expired_at: Option<OffsetDateTime>,
}

impl Letter {
    /// Not activated, not expired by the job, and before its expiry time.
    pub fn is_usable(&self, now: OffsetDateTime) -> bool {
        self.activated_at.is_none() && self.expired_at.is_none() && now < self.expires_at
    }
}

/// What is printed on a letter (sealed until printed).
#[derive(Clone, Serialize, Deserialize)]
pub struct LetterContent {
    pub name: String,
    pub address_lines: Vec<String>,
    pub code: String,
    /// The language the letter is written in: the account's (English for letters
    /// sealed before languages were kept).
    #[serde(default)]
    pub language: sa_i18n::Lang,
}

/// States and territories outside the contiguous United States (where mail takes
/// longer, so a code lives 30 days instead of 21): Alaska, Hawaii, the territories and
/// military post offices.
const OUTSIDE_CONTIGUOUS_US: [&str; 10] =
    ["AK", "HI", "PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP"];

/// Whether an address in `state` is in the contiguous United States (48 states and DC).
pub fn in_contiguous_us(state: &str) -> bool {
    !OUTSIDE_CONTIGUOUS_US.contains(&state.trim().to_ascii_uppercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_round_trip_and_map_to_next() {
        for step in [
            ProofingStep::Identity,
            ProofingStep::FinancialAccount,
            ProofingStep::Phone,
            ProofingStep::PhoneCode,
            ProofingStep::MailCode,
            ProofingStep::Exception,
            ProofingStep::Verified,
        ] {
            assert_eq!(ProofingStep::parse(step.as_str()), Some(step));
        }
        assert_eq!(ProofingStep::Phone.next(), Some(Next::ProofingPhone));
        assert_eq!(ProofingStep::Verified.next(), None);
        assert_eq!(ProofingStep::parse("nope"), None);
    }

    #[test]
    fn only_unfinished_online_steps_are_abandoned() {
        let t0 = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let mut case = ProofingCase::new("a", t0);
        assert!(!case.abandoned(t0 + Duration::days(29), 30 * 86_400));
        assert!(case.abandoned(t0 + Duration::days(30), 30 * 86_400));
        case.step = ProofingStep::MailCode;
        assert!(!case.abandoned(t0 + Duration::days(300), 30 * 86_400));
        case.step = ProofingStep::Verified;
        assert!(!case.abandoned(t0 + Duration::days(300), 30 * 86_400));
    }

    #[test]
    fn contiguous_us_excludes_alaska_hawaii_territories_and_military() {
        assert!(in_contiguous_us("CA"));
        assert!(in_contiguous_us("dc"));
        assert!(!in_contiguous_us("AK"));
        assert!(!in_contiguous_us("HI"));
        assert!(!in_contiguous_us("PR"));
        assert!(!in_contiguous_us("AE"));
    }
}
