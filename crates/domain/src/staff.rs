//! Exception processing by staff, the records and pure rules: temporary passwords, the
//! help desk's knowledge questions drawn from the caller's returns (and how answers
//! are scored), and in-person verification records with their document rules. The
//! journeys in `journeys::staff` use them.

use rand::seq::IndexedRandom;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::proofing::matching::addresses_match;
use crate::proofing::records::{Address, FilingStatus, TaxReturn};

/// Staff roles.
pub const HELP_DESK: &str = "help_desk";
pub const ASSISTANCE_CENTER: &str = "assistance_center";
pub const ADMIN: &str = "admin";

/// An account holding staff roles, as `staff list` and the admin console show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffMember {
    pub account_id: String,
    pub username: String,
    /// Each role and when it was granted, by role name.
    pub roles: Vec<(String, OffsetDateTime)>,
    /// The last successful sign-in, if any.
    pub last_sign_in: Option<OffsetDateTime>,
    /// The second factor of that sign-in (`passkey`, `totp`, ...).
    pub last_method: Option<String>,
}

/// A password the help desk issued: single use, changed at once, valid 24 hours.
#[derive(Debug, Clone)]
pub struct TemporaryPassword {
    pub account_id: String,
    pub password_hash: String,
    /// The staff account that issued it.
    pub issued_by: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
}

impl TemporaryPassword {
    pub fn is_usable(&self, now: OffsetDateTime) -> bool {
        self.used_at.is_none() && now < self.expires_at
    }
}

// ---------------------------------------------------------------------------------------
// Knowledge questions
// ---------------------------------------------------------------------------------------

/// Questions one check asks.
pub const QUESTIONS_PER_CHECK: usize = 4;

/// What a question asks about, and from which tax year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum QuestionKind {
    AdjustedGrossIncome,
    Wages,
    RefundOrBalanceDue,
    FilingStatus,
    Dependents,
    Address,
}

impl QuestionKind {
    fn key(self) -> &'static str {
        match self {
            Self::AdjustedGrossIncome => "agi",
            Self::Wages => "wages",
            Self::RefundOrBalanceDue => "refund",
            Self::FilingStatus => "filing_status",
            Self::Dependents => "dependents",
            Self::Address => "address",
        }
    }

    fn parse(key: &str) -> Option<Self> {
        [
            Self::AdjustedGrossIncome,
            Self::Wages,
            Self::RefundOrBalanceDue,
            Self::FilingStatus,
            Self::Dependents,
            Self::Address,
        ]
        .into_iter()
        .find(|k| k.key() == key)
    }
}

/// One question: kind and tax year; its id is `kind:year` (for example `agi:2025`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Question {
    pub kind: QuestionKind,
    pub tax_year: i32,
}

impl Question {
    pub fn id(&self) -> String {
        format!("{}:{}", self.kind.key(), self.tax_year)
    }

    pub fn parse(id: &str) -> Option<Self> {
        let (kind, year) = id.split_once(':')?;
        Some(Self {
            kind: QuestionKind::parse(kind)?,
            tax_year: year.parse().ok()?,
        })
    }

    /// What the assistor reads out.
    pub fn prompt(&self) -> String {
        let year = self.tax_year;
        match self.kind {
            QuestionKind::AdjustedGrossIncome => {
                format!(
                    "What was the adjusted gross income on your {year} return, in whole dollars?"
                )
            }
            QuestionKind::Wages => {
                format!("How much in wages did you report on your {year} return?")
            }
            QuestionKind::RefundOrBalanceDue => format!(
                "What was your refund on the {year} return? (A balance due is a negative amount.)"
            ),
            QuestionKind::FilingStatus => format!("What was your filing status for {year}?"),
            QuestionKind::Dependents => format!("How many dependents did you claim for {year}?"),
            QuestionKind::Address => {
                format!("What street address and ZIP code were on your {year} return?")
            }
        }
    }

    /// How the answer is typed: `amount`, `count`, `filing_status` or `address`.
    pub fn answer_kind(&self) -> &'static str {
        match self.kind {
            QuestionKind::AdjustedGrossIncome
            | QuestionKind::Wages
            | QuestionKind::RefundOrBalanceDue => "amount",
            QuestionKind::Dependents => "count",
            QuestionKind::FilingStatus => "filing_status",
            QuestionKind::Address => "address",
        }
    }
}

/// Every question the caller's returns can answer: from the newest return, and from the
/// one before it (the prior-year address only comes from that one).
pub fn available_questions(returns: &[TaxReturn]) -> Vec<Question> {
    let mut sorted: Vec<&TaxReturn> = returns.iter().collect();
    sorted.sort_by_key(|r| std::cmp::Reverse(r.tax_year));
    let mut out = Vec::new();
    for (index, r) in sorted.iter().take(2).enumerate() {
        let year = r.tax_year;
        let mut push = |kind| {
            out.push(Question {
                kind,
                tax_year: year,
            })
        };
        push(QuestionKind::AdjustedGrossIncome);
        push(QuestionKind::FilingStatus);
        if r.wages.is_some() {
            push(QuestionKind::Wages);
        }
        if r.refund.is_some() {
            push(QuestionKind::RefundOrBalanceDue);
        }
        if r.dependents.is_some() {
            push(QuestionKind::Dependents);
        }
        if index == 1 {
            push(QuestionKind::Address);
        }
    }
    out
}

/// Draw a set of [`QUESTIONS_PER_CHECK`] questions, never the same set as `previous`.
/// `None` when the returns cannot give a set that differs (too few questions).
pub fn draw_questions(
    available: &[Question],
    previous: Option<&[Question]>,
    rng: &mut impl rand::Rng,
) -> Option<Vec<Question>> {
    if available.len() < QUESTIONS_PER_CHECK {
        return None;
    }
    let mut previous: Option<Vec<Question>> = previous.map(<[Question]>::to_vec);
    if let Some(p) = previous.as_mut() {
        p.sort();
    }
    for _ in 0..64 {
        let mut set: Vec<Question> = available
            .sample(rng, QUESTIONS_PER_CHECK)
            .copied()
            .collect();
        set.sort();
        if previous.as_ref() != Some(&set) {
            return Some(set);
        }
    }
    None
}

/// A typed answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Text(String),
    Number(i64),
    Address { street: String, zip: String },
}

/// Whether an answer is right. Amounts within the larger of $100 and 2% (people round);
/// counts and filing status exactly; the address after USPS normalisation (street line
/// and the first five ZIP digits).
pub fn answer_is_correct(question: &Question, answer: &Answer, returns: &[TaxReturn]) -> bool {
    let Some(r) = returns.iter().find(|r| r.tax_year == question.tax_year) else {
        return false;
    };
    match question.kind {
        QuestionKind::AdjustedGrossIncome => amount_close(answer, Some(r.agi)),
        QuestionKind::Wages => amount_close(answer, r.wages),
        QuestionKind::RefundOrBalanceDue => amount_close(answer, r.refund),
        QuestionKind::Dependents => number(answer).is_some_and(|n| Some(n) == r.dependents),
        QuestionKind::FilingStatus => match answer {
            Answer::Text(text) => serde_json::from_value::<FilingStatus>(
                serde_json::Value::String(text.trim().to_lowercase().replace([' ', '-'], "_")),
            )
            .is_ok_and(|typed| typed == r.filing_status),
            _ => false,
        },
        QuestionKind::Address => match answer {
            Answer::Address { street, zip } => {
                let typed = Address {
                    street: street.clone(),
                    unit: r.address.unit.clone(),
                    city: r.address.city.clone(),
                    state: r.address.state.clone(),
                    zip: zip.trim().replace('-', ""),
                };
                addresses_match(&typed, &r.address).is_some()
            }
            _ => false,
        },
    }
}

fn number(answer: &Answer) -> Option<i64> {
    match answer {
        Answer::Number(n) => Some(*n),
        Answer::Text(text) => {
            let cleaned: String = text
                .trim()
                .chars()
                .filter(|c| !matches!(c, '$' | ',' | ' '))
                .collect();
            cleaned.parse().ok()
        }
        Answer::Address { .. } => None,
    }
}

fn amount_close(answer: &Answer, on_record: Option<i64>) -> bool {
    let (Some(typed), Some(on_record)) = (number(answer), on_record) else {
        return false;
    };
    if typed.signum() != on_record.signum() && on_record != 0 && typed != 0 {
        return false;
    }
    let tolerance = (i128::from(on_record).abs() / 50).max(100);
    (i128::from(typed) - i128::from(on_record)).abs() <= tolerance
}

/// A knowledge check the help desk ran.
#[derive(Debug, Clone)]
pub struct KnowledgeCheck {
    pub id: String,
    pub account_id: String,
    pub staff_id: String,
    /// Fingerprint of the SSN whose returns the questions come from.
    pub ssn_fp: String,
    pub questions: Vec<Question>,
    pub created_at: OffsetDateTime,
    pub answered_at: Option<OffsetDateTime>,
    /// `passed` or `failed` once answered.
    pub result: Option<String>,
}

// ---------------------------------------------------------------------------------------
// In person
// ---------------------------------------------------------------------------------------

/// A document seen at an assistance center.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    DriversLicense,
    StateId,
    Passport,
    MilitaryId,
    PermanentResidentCard,
    SocialSecurityCard,
    BirthCertificate,
}

impl DocumentType {
    pub const ALL: [DocumentType; 7] = [
        Self::DriversLicense,
        Self::StateId,
        Self::Passport,
        Self::MilitaryId,
        Self::PermanentResidentCard,
        Self::SocialSecurityCard,
        Self::BirthCertificate,
    ];

    /// A government-issued photo ID.
    pub fn is_photo_id(self) -> bool {
        !matches!(self, Self::SocialSecurityCard | Self::BirthCertificate)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::DriversLicense => "drivers_license",
            Self::StateId => "state_id",
            Self::Passport => "passport",
            Self::MilitaryId => "military_id",
            Self::PermanentResidentCard => "permanent_resident_card",
            Self::SocialSecurityCard => "social_security_card",
            Self::BirthCertificate => "birth_certificate",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == text.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::DriversLicense => "Driver's license",
            Self::StateId => "State ID card",
            Self::Passport => "Passport",
            Self::MilitaryId => "Military ID",
            Self::PermanentResidentCard => "Permanent resident card",
            Self::SocialSecurityCard => "Social Security card",
            Self::BirthCertificate => "Birth certificate (original or certified)",
        }
    }
}

/// One document as recorded: type, issuer, the last 4 characters of its number, expiry.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    #[serde(rename = "type")]
    pub kind: DocumentType,
    pub issuer: String,
    pub number_last4: String,
    pub expires_on: Option<Date>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Who came in: a new user who could not pass online, or an existing user who failed
/// the help desk's phone check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitKind {
    NewUser,
    ExistingUser,
}

impl VisitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NewUser => "new_user",
            Self::ExistingUser => "existing_user",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "new_user" => Some(Self::NewUser),
            "existing_user" => Some(Self::ExistingUser),
            _ => None,
        }
    }
}

/// Whether the documents meet the rule for the visit: a new user shows a government
/// photo ID plus a Social Security card or birth certificate; an existing user two
/// government photo IDs. Photo IDs must not be expired. `Err` says what is missing.
pub fn check_documents(kind: VisitKind, documents: &[Document], today: Date) -> Result<(), String> {
    for document in documents {
        if document.issuer.trim().is_empty() || document.issuer.chars().count() > 100 {
            return Err(format!(
                "Enter who issued the {}.",
                document.kind.label().to_lowercase()
            ));
        }
        let last4 = &document.number_last4;
        if last4.chars().count() != 4 || !last4.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!(
                "Enter the last 4 letters or digits of the {} number.",
                document.kind.label().to_lowercase()
            ));
        }
        if document.kind.is_photo_id() {
            match document.expires_on {
                None => {
                    return Err(format!(
                        "Enter the expiry date of the {}.",
                        document.kind.label().to_lowercase()
                    ));
                }
                Some(expires) if expires < today => {
                    return Err(format!(
                        "The {} has expired; an expired ID cannot be accepted.",
                        document.kind.label().to_lowercase()
                    ));
                }
                Some(_) => {}
            }
        }
    }
    let photo_ids = documents.iter().filter(|d| d.kind.is_photo_id()).count();
    let supporting = documents.iter().filter(|d| !d.kind.is_photo_id()).count();
    match kind {
        VisitKind::NewUser if photo_ids >= 1 && supporting >= 1 => Ok(()),
        VisitKind::NewUser => Err(
            "A new user needs a government-issued photo ID and a Social Security card or an original or certified birth certificate."
                .to_owned(),
        ),
        VisitKind::ExistingUser => {
            let distinct = documents
                .iter()
                .filter(|d| d.kind.is_photo_id())
                .map(|d| (d.kind, d.number_last4.to_uppercase()))
                .collect::<std::collections::HashSet<_>>()
                .len();
            if distinct >= 2 {
                Ok(())
            } else {
                Err("An existing user needs two different government-issued photo IDs.".to_owned())
            }
        }
    }
}

/// A sealed in-person record (read-only once written; completed once by the help desk).
#[derive(Debug, Clone)]
pub struct InPersonRecord {
    pub id: String,
    pub account_id: String,
    pub kind: VisitKind,
    pub office: String,
    pub staff_id: String,
    pub ssn_fp: Option<String>,
    /// Sealed JSON list of [`Document`]s.
    pub documents_sealed: String,
    /// SHA-256 of the record's canonical content, also written to the audit log.
    pub content_hash: String,
    pub created_at: OffsetDateTime,
    pub completed_at: Option<OffsetDateTime>,
    pub completed_by: Option<String>,
}

#[cfg(test)]
#[path = "staff_tests.rs"]
mod tests;
