//! Every reason code is produced by at least one input: one case per code, and a check
//! that the cases cover [`Reason::ALL`] (a new code without a case fails this test).

use std::collections::HashSet;

use super::fixtures::{address, claim, joint_return, other_address, tax_return};
use super::*;
use crate::proofing::records::{
    AccountKind, AccountStatus, FinancialAccount, LineType, PhoneAccountType, PhoneRecord,
    Subscriber,
};

fn identity_case(change: impl FnOnce(&mut IdentityClaim)) -> Decision {
    let mut typed = claim();
    change(&mut typed);
    match_identity(&typed, &[tax_return(2025)])
}

fn phone(line: LineType, account: PhoneAccountType, first: &str, last: &str) -> PhoneRecord {
    PhoneRecord {
        phone: "+12025550100".to_owned(),
        line_type: line,
        account_type: account,
        subscriber: Subscriber {
            first_name: Some(first.to_owned()),
            last_name: Some(last.to_owned()),
            organization: None,
        },
        address: None,
        since: None,
    }
}

fn account(kind: AccountKind, number: &str, status: AccountStatus) -> FinancialAccount {
    FinancialAccount {
        ssn: "900000001".to_owned(),
        kind,
        account_number: number.to_owned(),
        holder_name: "Avery Testperson".to_owned(),
        status,
        opened_on: None,
    }
}

#[test]
fn every_reason_code_has_a_case() {
    let mut cases: Vec<(Reason, Decision)> = vec![
        (Reason::NoReturnForSsn, match_identity(&claim(), &[])),
        (
            Reason::DateOfBirthMismatch,
            identity_case(|c| c.date_of_birth = time::macros::date!(1980 - 04 - 02)),
        ),
        (
            Reason::FirstNameMismatch,
            identity_case(|c| c.first_name = "Morgan".into()),
        ),
        (
            Reason::LastNameMismatch,
            identity_case(|c| c.last_name = "Otherperson".into()),
        ),
        (
            Reason::FilingStatusMismatch,
            identity_case(|c| {
                c.filing_status = crate::proofing::records::FilingStatus::HeadOfHousehold
            }),
        ),
        (
            Reason::AddressMismatch,
            identity_case(|c| c.address = other_address()),
        ),
        (
            Reason::HouseNumberMismatch,
            identity_case(|c| c.address.street = "101 Example St".into()),
        ),
        (
            Reason::StreetMismatch,
            identity_case(|c| c.address.street = "100 Different Rd".into()),
        ),
        (
            Reason::UnitMismatch,
            identity_case(|c| c.address.unit = Some("Apt 9".into())),
        ),
        (
            Reason::CityMismatch,
            identity_case(|c| c.address.city = "Elsewhere".into()),
        ),
        (
            Reason::StateMismatch,
            identity_case(|c| c.address.state = "MD".into()),
        ),
        (
            Reason::ZipMismatch,
            identity_case(|c| c.address.zip = "30301".into()),
        ),
        (
            Reason::MatchedTypo,
            identity_case(|c| c.last_name = "Testpreson".into()),
        ),
        (
            Reason::MatchedMiddleInitial,
            identity_case(|c| c.middle_name = Some("Q".into())),
        ),
        (
            Reason::MiddleNameDiffers,
            identity_case(|c| c.middle_name = Some("Jordan".into())),
        ),
        (
            Reason::MatchedZip5,
            identity_case(|c| c.address.zip = "22000".into()),
        ),
        (
            Reason::MatchedStreetTypo,
            identity_case(|c| c.address.street = "100 Exmaple St".into()),
        ),
        (
            Reason::MatchedWithoutUnit,
            identity_case(|c| c.address.unit = None),
        ),
        (
            Reason::MatchedCityTypo,
            identity_case(|c| c.address.city = "Testvile".into()),
        ),
        (
            Reason::NoAccountOfKind,
            match_financial(AccountKind::AutoLoan, "123456", &[]),
        ),
        (
            Reason::AccountNumberMalformed,
            match_financial(
                AccountKind::Mortgage,
                "12ab",
                &[account(
                    AccountKind::Mortgage,
                    "7700123456",
                    AccountStatus::Open,
                )],
            ),
        ),
        (
            Reason::CreditCardNeedsLast8,
            match_financial(
                AccountKind::CreditCard,
                "9010",
                &[account(
                    AccountKind::CreditCard,
                    "4000123456789010",
                    AccountStatus::Open,
                )],
            ),
        ),
        (
            Reason::AccountNumberMismatch,
            match_financial(
                AccountKind::Mortgage,
                "7700000000",
                &[account(
                    AccountKind::Mortgage,
                    "7700123456",
                    AccountStatus::Open,
                )],
            ),
        ),
        (
            Reason::MatchedClosedAccount,
            match_financial(
                AccountKind::Mortgage,
                "7700123456",
                &[account(
                    AccountKind::Mortgage,
                    "7700123456",
                    AccountStatus::Closed,
                )],
            ),
        ),
        (
            Reason::PhoneNotFound,
            match_phone("Avery", "Testperson", None, None),
        ),
        (
            Reason::PhoneNotMobile,
            match_phone(
                "Avery",
                "Testperson",
                None,
                Some(&phone(
                    LineType::Landline,
                    PhoneAccountType::Personal,
                    "Avery",
                    "Testperson",
                )),
            ),
        ),
        (
            Reason::PhoneBusinessLine,
            match_phone(
                "Avery",
                "Testperson",
                None,
                Some(&phone(
                    LineType::Mobile,
                    PhoneAccountType::Business,
                    "Avery",
                    "Testperson",
                )),
            ),
        ),
        (
            Reason::PhoneNameMismatch,
            match_phone(
                "Avery",
                "Testperson",
                None,
                Some(&phone(
                    LineType::Mobile,
                    PhoneAccountType::Personal,
                    "Morgan",
                    "Otherperson",
                )),
            ),
        ),
        (
            Reason::PhoneSpouseName,
            match_phone(
                "Avery",
                "Testperson",
                Some(("Blake", "Testperson")),
                Some(&phone(
                    LineType::Mobile,
                    PhoneAccountType::Personal,
                    "Blake",
                    "Testperson",
                )),
            ),
        ),
        (
            Reason::MatchedFiledName,
            match_phone_for(
                &[
                    ("Avery".to_owned(), "Newname".to_owned()),
                    ("Avery".to_owned(), "Testperson".to_owned()),
                ],
                None,
                Some(&phone(
                    LineType::Mobile,
                    PhoneAccountType::Personal,
                    "Avery",
                    "Testperson",
                )),
            ),
        ),
        (Reason::PhoneRecentLine, {
            let mut new_line = phone(
                LineType::Mobile,
                PhoneAccountType::Personal,
                "Avery",
                "Testperson",
            );
            new_line.since = Some(time::macros::date!(2026 - 02 - 20));
            match_phone_with_tenure(
                &[("Avery".to_owned(), "Testperson".to_owned())],
                None,
                Some(&new_line),
                time::macros::date!(2026 - 03 - 02),
                30,
            )
        }),
    ];
    // Two that need more than one return or name part.
    let mut moved = claim();
    moved.address = other_address();
    let mut older = tax_return(2024);
    older.address = other_address();
    cases.push((
        Reason::MatchedPriorYear,
        match_identity(&moved, &[tax_return(2025), older]),
    ));
    let mut hyphenated = tax_return(2025);
    hyphenated.last_name = "Sample-Testperson".into();
    cases.push((
        Reason::MatchedHyphenatedPart,
        match_identity(&claim(), &[hyphenated]),
    ));
    let mut junior = tax_return(2025);
    junior.suffix = Some("Jr".into());
    let mut senior = claim();
    senior.suffix = Some("Sr".into());
    cases.push((Reason::SuffixMismatch, match_identity(&senior, &[junior])));
    let mut robert = tax_return(2025);
    robert.first_name = "Robert".into();
    let mut bob = claim();
    bob.first_name = "Bob".into();
    cases.push((Reason::MatchedNickname, match_identity(&bob, &[robert])));
    let _ = (address(), joint_return(2025));

    let mut covered = HashSet::new();
    for (reason, decision) in &cases {
        assert!(decision.has(*reason), "{reason}: got {decision:?}");
        assert_eq!(
            decision.matched,
            !reason.is_failure(),
            "{reason}: {decision:?}"
        );
        covered.insert(*reason);
    }
    let missing: Vec<Reason> = Reason::ALL
        .into_iter()
        .filter(|r| !covered.contains(r))
        .collect();
    assert!(
        missing.is_empty(),
        "reason codes without a case: {missing:?}"
    );
}
