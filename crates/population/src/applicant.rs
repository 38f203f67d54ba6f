//! Reading an `applicants.jsonl` line back: the identity an applicant typed, as the
//! match rules take it. Used by the tests and benchmarks that replay a population.

use sa_domain::proofing::matching::IdentityClaim;
use sa_domain::proofing::records::{Address, FilingStatus, normalise_ssn};
use serde_json::Value;

/// The identity step's input of one applicant line, or `None` if the line is not one.
pub fn identity_claim(applicant: &Value) -> Option<IdentityClaim> {
    let id = &applicant["identity"];
    let address = &id["address"];
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let date_format = time::macros::format_description!("[year]-[month]-[day]");
    Some(IdentityClaim {
        first_name: text(&id["first_name"])?,
        middle_name: text(&id["middle_name"]),
        last_name: text(&id["last_name"])?,
        suffix: text(&id["suffix"]),
        date_of_birth: time::Date::parse(id["date_of_birth"].as_str()?, &date_format).ok()?,
        ssn: normalise_ssn(id["ssn"].as_str()?)?,
        filing_status: serde_json::from_value::<FilingStatus>(id["filing_status"].clone()).ok()?,
        address: Address {
            street: text(&address["street"])?,
            unit: text(&address["unit"]),
            city: text(&address["city"])?,
            state: text(&address["state"])?,
            zip: text(&address["zip"])?.replace('-', ""),
        },
    })
}
