//! The identity step's input as typed (JSON body or form), checked into an
//! [`IdentityClaim`] with a clear message naming the first bad field, and the
//! financial account kind as typed.

use crate::proofing::matching::IdentityClaim;
use crate::proofing::records::AccountKind;
use crate::{DomainError, DomainResult};
use sa_i18n::Text;

/// The identity step's fields as typed (JSON body or form), checked into an
/// [`IdentityClaim`] with a clear message naming the first bad field.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct IdentityInput {
    pub first_name: String,
    #[serde(default)]
    pub middle_name: Option<String>,
    pub last_name: String,
    #[serde(default)]
    pub suffix: Option<String>,
    /// `1980-04-15`, `04/15/1980`, `April 15, 1980`, ... (see
    /// [`crate::proofing::typed::parse_date`]).
    pub date_of_birth: String,
    pub ssn: String,
    pub filing_status: String,
    pub street: String,
    #[serde(default)]
    pub unit: Option<String>,
    pub city: String,
    pub state: String,
    pub zip: String,
}

impl IdentityInput {
    pub fn into_claim(self, today: time::Date) -> DomainResult<IdentityClaim> {
        use crate::proofing::records::{Address, FilingStatus};
        use crate::proofing::typed::{parse_date, parse_ssn, parse_state, parse_zip};
        // `message_id` asks for the field, in the catalogue.
        let name = |field: &'static str, text: &str, message_id: &'static str| {
            let text = text.trim();
            if text.is_empty() || text.chars().count() > 100 {
                return Err(DomainError::invalid(field, Text::new(message_id)));
            }
            Ok(text.to_owned())
        };
        let optional = |text: Option<String>| {
            text.map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .map(|t| t.chars().take(100).collect::<String>())
        };
        let first_name = name("first_name", &self.first_name, "error-enter-first-name")?;
        let last_name = name("last_name", &self.last_name, "error-enter-last-name")?;
        let date_of_birth = parse_date(&self.date_of_birth)
            .filter(|d| d.year() >= 1900 && *d <= today)
            .ok_or_else(|| {
                DomainError::invalid("date_of_birth", Text::new("error-date-of-birth"))
            })?;
        let ssn = parse_ssn(&self.ssn)
            .ok_or_else(|| DomainError::invalid("ssn", Text::new("error-ssn")))?;
        let filing_status: FilingStatus = serde_json::from_value(serde_json::Value::String(
            self.filing_status.trim().to_owned(),
        ))
        .map_err(|_| DomainError::invalid("filing_status", Text::new("error-filing-status")))?;
        let street = name("street", &self.street, "error-enter-street")?;
        let city = name("city", &self.city, "error-enter-city")?;
        let state = parse_state(&self.state)
            .ok_or_else(|| DomainError::invalid("state", Text::new("error-state")))?
            .to_owned();
        let zip = parse_zip(&self.zip)
            .ok_or_else(|| DomainError::invalid("zip", Text::new("error-zip")))?;
        Ok(IdentityClaim {
            first_name,
            middle_name: optional(self.middle_name),
            last_name,
            suffix: optional(self.suffix),
            date_of_birth,
            ssn,
            filing_status,
            address: Address {
                street,
                unit: optional(self.unit),
                city,
                state,
                zip,
            },
        })
    }
}

/// A financial account kind as typed, with a clear error.
pub fn parse_account_kind(text: &str) -> DomainResult<AccountKind> {
    AccountKind::parse(text.trim())
        .ok_or_else(|| DomainError::invalid("kind", Text::new("error-account-kind")))
}
