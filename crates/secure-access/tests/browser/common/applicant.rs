//! A synthetic applicant and the reference records that match them, loaded with the
//! real `records import` (the shared `sa-test-support` applicant). All obviously
//! made up: "Testperson", SSNs starting 900, "Example St", 555-01xx phone numbers.

pub use sa_test_support::applicant::{MORTGAGE, OWN_LANDLINE, OWN_MOBILE, SSN, load_records};
/// The card's last 8 digits as a person copies them from the card (in two groups).
pub const CARD_LAST_8: &str = "5678 9010";

/// What the applicant types at the identity step, field by field (ids on the page):
/// messy but matching the 2025 return. The day and year of the memorable date are
/// typed; its month and the state are chosen (see [`IDENTITY_CHOICES`]).
pub const IDENTITY_FIELDS: [(&str, &str); 10] = [
    ("first_name", "Roberta"),
    ("middle_name", "Q"),
    ("last_name", "Testperson"),
    ("dob_day", "15"),
    ("dob_year", "1980"),
    ("ssn", SSN),
    ("street", "123 Example Street"),
    ("unit", "Apartment 4"),
    ("city", "Springfield"),
    ("zip", "22150"),
];
/// What the applicant chooses from the identity step's lists: the month of birth
/// (the select carries the date's id) and the state.
pub const IDENTITY_CHOICES: [(&str, &str); 2] = [("date_of_birth", "4"), ("state", "VA")];
/// The filing status chosen in its select.
pub const FILING_STATUS: &str = "married_filing_jointly";
