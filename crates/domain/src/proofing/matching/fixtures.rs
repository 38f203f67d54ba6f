//! Synthetic test data shared by the matching tests: one obviously fake person
//! ("Avery Quinn Testperson" of "100 Example St", SSN 900-00-0001) and their returns.

use time::macros::date;

use super::IdentityClaim;
use crate::proofing::records::{Address, FilingStatus, Spouse, TaxReturn};

pub(crate) const SSN: &str = "900000001";

pub(crate) fn address() -> Address {
    Address {
        street: "100 Example St".to_owned(),
        unit: Some("Apt 2".to_owned()),
        city: "Testville".to_owned(),
        state: "VA".to_owned(),
        zip: "220001234".to_owned(),
    }
}

pub(crate) fn other_address() -> Address {
    Address {
        street: "7 Sample Ave".to_owned(),
        unit: None,
        city: "Otherville".to_owned(),
        state: "MD".to_owned(),
        zip: "21000".to_owned(),
    }
}

pub(crate) fn tax_return(tax_year: i32) -> TaxReturn {
    TaxReturn {
        ssn: SSN.to_owned(),
        tax_year,
        first_name: "Avery".to_owned(),
        middle_name: Some("Quinn".to_owned()),
        last_name: "Testperson".to_owned(),
        suffix: None,
        date_of_birth: date!(1980 - 04 - 01),
        filing_status: FilingStatus::Single,
        address: address(),
        agi: 50_000,
        wages: Some(50_000),
        total_tax: Some(5_000),
        refund: Some(100),
        dependents: None,
        spouse: None,
    }
}

pub(crate) fn joint_return(tax_year: i32) -> TaxReturn {
    TaxReturn {
        filing_status: FilingStatus::MarriedFilingJointly,
        spouse: Some(Spouse {
            ssn: "900000002".to_owned(),
            first_name: "Blake".to_owned(),
            last_name: "Testperson".to_owned(),
            date_of_birth: date!(1981 - 05 - 02),
        }),
        ..tax_return(tax_year)
    }
}

pub(crate) fn claim() -> IdentityClaim {
    IdentityClaim {
        first_name: "Avery".to_owned(),
        middle_name: None,
        last_name: "Testperson".to_owned(),
        suffix: None,
        date_of_birth: date!(1980 - 04 - 01),
        ssn: SSN.to_owned(),
        filing_status: FilingStatus::Single,
        address: address(),
    }
}
