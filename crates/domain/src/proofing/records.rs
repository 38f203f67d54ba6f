//! Reference records as `docs/records.md` defines them: one JSON object per line,
//! validated field by field. A bad line yields a [`RecordError`] naming the field and
//! the reason, never the value (values are personal data).
//!
//! Normal forms: SSNs are 9 digits; phone numbers E.164; account numbers digits only;
//! dates `time::Date`; ZIP codes 5 or 9 digits; states two upper-case letters.
//!
//! `Debug` on these types prints no personal data, so an accidental `{:?}` in a log
//! line leaks nothing.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::Date;

/// Which file is being imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    TaxReturns,
    FinancialAccounts,
    PhoneRecords,
}

impl RecordKind {
    /// From the CLI name: `tax-returns`, `financial-accounts`, `phone-records`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "tax-returns" => Some(Self::TaxReturns),
            "financial-accounts" => Some(Self::FinancialAccounts),
            "phone-records" => Some(Self::PhoneRecords),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::TaxReturns => "tax-returns",
            Self::FinancialAccounts => "financial-accounts",
            Self::PhoneRecords => "phone-records",
        }
    }
}

/// Why one line was rejected: the field (dotted path, or `line` for the whole line)
/// and the reason. Never holds the offending value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    pub field: String,
    pub reason: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

fn error(field: &str, reason: impl Into<String>) -> RecordError {
    RecordError {
        field: field.to_owned(),
        reason: reason.into(),
    }
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub street: String,
    pub unit: Option<String>,
    pub city: String,
    /// Two upper-case letters.
    pub state: String,
    /// 5 or 9 digits, no dash.
    pub zip: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilingStatus {
    Single,
    MarriedFilingJointly,
    MarriedFilingSeparately,
    HeadOfHousehold,
    QualifyingSurvivingSpouse,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spouse {
    pub ssn: String,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: Date,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxReturn {
    pub ssn: String,
    pub tax_year: i32,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    pub suffix: Option<String>,
    pub date_of_birth: Date,
    pub filing_status: FilingStatus,
    pub address: Address,
    pub agi: i64,
    pub wages: Option<i64>,
    pub total_tax: Option<i64>,
    /// Negative: a balance due.
    pub refund: Option<i64>,
    pub dependents: Option<i64>,
    pub spouse: Option<Spouse>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    CreditCard,
    Mortgage,
    HomeEquityLoan,
    HomeEquityLineOfCredit,
    AutoLoan,
    StudentLoan,
}

impl AccountKind {
    pub const ALL: [AccountKind; 6] = [
        Self::CreditCard,
        Self::Mortgage,
        Self::HomeEquityLoan,
        Self::HomeEquityLineOfCredit,
        Self::AutoLoan,
        Self::StudentLoan,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CreditCard => "credit_card",
            Self::Mortgage => "mortgage",
            Self::HomeEquityLoan => "home_equity_loan",
            Self::HomeEquityLineOfCredit => "home_equity_line_of_credit",
            Self::AutoLoan => "auto_loan",
            Self::StudentLoan => "student_loan",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Open,
    Closed,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinancialAccount {
    pub ssn: String,
    pub kind: AccountKind,
    /// Digits only.
    pub account_number: String,
    pub holder_name: String,
    pub status: AccountStatus,
    pub opened_on: Option<Date>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineType {
    Mobile,
    Landline,
    Voip,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneAccountType {
    Personal,
    Business,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscriber {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub organization: Option<String>,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneRecord {
    /// E.164.
    pub phone: String,
    pub line_type: LineType,
    pub account_type: PhoneAccountType,
    pub subscriber: Subscriber,
    pub address: Option<Address>,
    pub since: Option<Date>,
}

macro_rules! redacted_debug {
    ($($ty:ty => $label:literal),* $(,)?) => {
        $(impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!($label, " { .. }"))
            }
        })*
    };
}

redacted_debug! {
    Address => "Address",
    Spouse => "Spouse",
    TaxReturn => "TaxReturn",
    FinancialAccount => "FinancialAccount",
    Subscriber => "Subscriber",
    PhoneRecord => "PhoneRecord",
}

/// One parsed line of any kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReferenceRecord {
    TaxReturn(TaxReturn),
    FinancialAccount(FinancialAccount),
    PhoneRecord(PhoneRecord),
}

/// Parse and validate one line of a file of `kind`.
pub fn parse_line(kind: RecordKind, line: &str) -> Result<ReferenceRecord, RecordError> {
    let value: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| error("line", format!("not valid JSON ({})", e.classify_name())))?;
    parse_value(kind, &value)
}

/// Validate one record already read as JSON (a vendor's answer), by the same rules as
/// a line of a file.
pub fn parse_value(
    kind: RecordKind,
    value: &serde_json::Value,
) -> Result<ReferenceRecord, RecordError> {
    let object = value
        .as_object()
        .ok_or_else(|| error("line", "not a JSON object"))?;
    let fields = Fields { object, prefix: "" };
    match kind {
        RecordKind::TaxReturns => tax_return(&fields).map(ReferenceRecord::TaxReturn),
        RecordKind::FinancialAccounts => {
            financial_account(&fields).map(ReferenceRecord::FinancialAccount)
        }
        RecordKind::PhoneRecords => phone_record(&fields).map(ReferenceRecord::PhoneRecord),
    }
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "wrong data",
            serde_json::error::Category::Eof => "line ends early",
        }
    }
}

/// Typed access to an object's fields, with errors naming the dotted path.
struct Fields<'a> {
    object: &'a serde_json::Map<String, serde_json::Value>,
    prefix: &'a str,
}

impl<'a> Fields<'a> {
    fn path(&self, name: &str) -> String {
        if self.prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.prefix)
        }
    }

    fn present(&self, name: &str) -> Option<&'a serde_json::Value> {
        self.object.get(name).filter(|v| !v.is_null())
    }

    fn text(&self, name: &str) -> Result<String, RecordError> {
        self.opt_text(name)?
            .ok_or_else(|| error(&self.path(name), "is required"))
    }

    fn opt_text(&self, name: &str) -> Result<Option<String>, RecordError> {
        match self.present(name) {
            None => Ok(None),
            Some(serde_json::Value::String(s)) => {
                let trimmed = s.trim();
                if trimmed.is_empty() {
                    Ok(None)
                } else if trimmed.chars().count() > 200 || trimmed.chars().any(char::is_control) {
                    Err(error(
                        &self.path(name),
                        "is too long or has control characters",
                    ))
                } else {
                    Ok(Some(trimmed.to_owned()))
                }
            }
            Some(_) => Err(error(&self.path(name), "must be a string")),
        }
    }

    fn integer(&self, name: &str) -> Result<i64, RecordError> {
        self.opt_integer(name)?
            .ok_or_else(|| error(&self.path(name), "is required"))
    }

    fn opt_integer(&self, name: &str) -> Result<Option<i64>, RecordError> {
        match self.present(name) {
            None => Ok(None),
            Some(value) => value
                .as_i64()
                .map(Some)
                .ok_or_else(|| error(&self.path(name), "must be a whole number")),
        }
    }

    fn date(&self, name: &str) -> Result<Date, RecordError> {
        self.opt_date(name)?
            .ok_or_else(|| error(&self.path(name), "is required"))
    }

    fn opt_date(&self, name: &str) -> Result<Option<Date>, RecordError> {
        let Some(text) = self.opt_text(name)? else {
            return Ok(None);
        };
        let format = time::macros::format_description!("[year]-[month]-[day]");
        Date::parse(&text, &format)
            .map(Some)
            .map_err(|_| error(&self.path(name), "must be a date YYYY-MM-DD"))
    }

    fn choice<T>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Option<T>,
        allowed: &str,
    ) -> Result<T, RecordError> {
        let text = self.text(name)?;
        parse(&text).ok_or_else(|| error(&self.path(name), format!("must be one of {allowed}")))
    }

    fn object(&self, name: &str) -> Result<Option<Fields<'a>>, RecordError> {
        match self.present(name) {
            None => Ok(None),
            Some(serde_json::Value::Object(object)) => {
                // The nested prefix must outlive this call: leak-free by keeping the name static-ish.
                let prefix: &'a str = match name {
                    "address" => "address",
                    "spouse" => "spouse",
                    "subscriber" => "subscriber",
                    _ => "object",
                };
                Ok(Some(Fields { object, prefix }))
            }
            Some(_) => Err(error(&self.path(name), "must be an object")),
        }
    }
}

/// 9 digits, dashes allowed as `123-45-6789`.
pub fn normalise_ssn(text: &str) -> Option<String> {
    if !text.is_ascii() {
        return None;
    }
    let digits: String = text.chars().filter(|c| *c != '-').collect();
    let dash_shape_ok =
        !text.contains('-') || (text.len() == 11 && &text[3..4] == "-" && &text[6..7] == "-");
    (digits.len() == 9 && digits.bytes().all(|b| b.is_ascii_digit()) && dash_shape_ok)
        .then_some(digits)
}

/// E.164 (`+` and 8 to 15 digits); US numbers may come as 10 digits.
pub fn normalise_record_phone(text: &str) -> Option<String> {
    let trimmed = text.trim();
    if let Some(rest) = trimmed.strip_prefix('+') {
        return ((8..=15).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_digit()))
            .then(|| trimmed.to_owned());
    }
    (trimmed.len() == 10 && trimmed.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("+1{trimmed}"))
}

/// Digits of an account number (spaces and dashes allowed); 4 to 34 digits.
pub fn normalise_account_number(text: &str) -> Option<String> {
    // Spaces (also no-break ones, from a copied statement), dashes of any kind, dots.
    let digits = super::typed::digits_with_separators(text)?;
    (4..=34).contains(&digits.len()).then_some(digits)
}

fn ssn_field(fields: &Fields<'_>, name: &str) -> Result<String, RecordError> {
    normalise_ssn(&fields.text(name)?).ok_or_else(|| {
        error(
            &fields.path(name),
            "must be 9 digits (dashes allowed as 123-45-6789)",
        )
    })
}

fn address(fields: &Fields<'_>) -> Result<Address, RecordError> {
    let state = fields.text("state")?.to_ascii_uppercase();
    if state.len() != 2 || !state.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(error(&fields.path("state"), "must be 2 letters"));
    }
    let zip: String = fields.text("zip")?.chars().filter(|c| *c != '-').collect();
    if !(zip.len() == 5 || zip.len() == 9) || !zip.bytes().all(|b| b.is_ascii_digit()) {
        return Err(error(&fields.path("zip"), "must be 5 or 9 digits"));
    }
    Ok(Address {
        street: fields.text("street")?,
        unit: fields.opt_text("unit")?,
        city: fields.text("city")?,
        state,
        zip,
    })
}

fn tax_return(fields: &Fields<'_>) -> Result<TaxReturn, RecordError> {
    let ssn = ssn_field(fields, "ssn")?;
    let tax_year = fields.integer("tax_year")?;
    if !(1990..=2100).contains(&tax_year) {
        return Err(error("tax_year", "must be a year between 1990 and 2100"));
    }
    let filing_status = fields.choice(
        "filing_status",
        |s| serde_json::from_value(serde_json::Value::String(s.to_owned())).ok(),
        "single, married_filing_jointly, married_filing_separately, head_of_household, qualifying_surviving_spouse",
    )?;
    let address_fields = fields
        .object("address")?
        .ok_or_else(|| error("address", "is required"))?;
    let spouse = match fields.object("spouse")? {
        None => None,
        Some(spouse) => Some(Spouse {
            ssn: ssn_field(&spouse, "ssn")?,
            first_name: spouse.text("first_name")?,
            last_name: spouse.text("last_name")?,
            date_of_birth: spouse.date("date_of_birth")?,
        }),
    };
    let dependents = fields.opt_integer("dependents")?;
    if dependents.is_some_and(|d| d < 0) {
        return Err(error("dependents", "must not be negative"));
    }
    Ok(TaxReturn {
        ssn,
        tax_year: tax_year as i32,
        first_name: fields.text("first_name")?,
        middle_name: fields.opt_text("middle_name")?,
        last_name: fields.text("last_name")?,
        suffix: fields.opt_text("suffix")?,
        date_of_birth: fields.date("date_of_birth")?,
        filing_status,
        address: address(&address_fields)?,
        agi: fields.integer("agi")?,
        wages: fields.opt_integer("wages")?,
        total_tax: fields.opt_integer("total_tax")?,
        refund: fields.opt_integer("refund")?,
        dependents,
        spouse,
    })
}

fn financial_account(fields: &Fields<'_>) -> Result<FinancialAccount, RecordError> {
    Ok(FinancialAccount {
        ssn: ssn_field(fields, "ssn")?,
        kind: fields.choice(
            "kind",
            AccountKind::parse,
            "credit_card, mortgage, home_equity_loan, home_equity_line_of_credit, auto_loan, student_loan",
        )?,
        account_number: normalise_account_number(&fields.text("account_number")?)
            .ok_or_else(|| error("account_number", "must be 4 to 34 digits (spaces and dashes allowed)"))?,
        holder_name: fields.text("holder_name")?,
        status: fields.choice(
            "status",
            |s| match s {
                "open" => Some(AccountStatus::Open),
                "closed" => Some(AccountStatus::Closed),
                _ => None,
            },
            "open, closed",
        )?,
        opened_on: fields.opt_date("opened_on")?,
    })
}

fn phone_record(fields: &Fields<'_>) -> Result<PhoneRecord, RecordError> {
    let phone = normalise_record_phone(&fields.text("phone")?).ok_or_else(|| {
        error(
            "phone",
            "must be E.164 like +12025550143 (or 10 digits for the US)",
        )
    })?;
    let line_type = fields.choice(
        "line_type",
        |s| serde_json::from_value(serde_json::Value::String(s.to_owned())).ok(),
        "mobile, landline, voip",
    )?;
    let account_type = fields.choice(
        "account_type",
        |s| serde_json::from_value(serde_json::Value::String(s.to_owned())).ok(),
        "personal, business",
    )?;
    let subscriber_fields = fields
        .object("subscriber")?
        .ok_or_else(|| error("subscriber", "is required"))?;
    let subscriber = Subscriber {
        first_name: subscriber_fields.opt_text("first_name")?,
        last_name: subscriber_fields.opt_text("last_name")?,
        organization: subscriber_fields.opt_text("organization")?,
    };
    match account_type {
        PhoneAccountType::Personal
            if subscriber.first_name.is_none() || subscriber.last_name.is_none() =>
        {
            return Err(error(
                "subscriber",
                "a personal line needs first_name and last_name",
            ));
        }
        PhoneAccountType::Business if subscriber.organization.is_none() => {
            return Err(error(
                "subscriber.organization",
                "is required for a business line",
            ));
        }
        _ => {}
    }
    let address = match fields.object("address")? {
        Some(address_fields) => Some(address(&address_fields)?),
        None => None,
    };
    Ok(PhoneRecord {
        phone,
        line_type,
        account_type,
        subscriber,
        address,
        since: fields.opt_date("since")?,
    })
}

#[cfg(test)]
#[path = "records_tests.rs"]
mod tests;
