//! The financial-account rule: the applicant picks a kind and types an account number.
//!
//! - The typed number may contain spaces and dashes, which are dropped; any other
//!   character (or no digit at all) is [`Reason::AccountNumberMalformed`].
//! - Credit card: the **last 8 digits**. Fewer than 8 typed digits is
//!   [`Reason::CreditCardNeedsLast8`]; more is accepted and only its last 8 are compared
//!   (someone who types the whole card number is not turned away). A card on record
//!   with fewer than 8 digits cannot be proved.
//! - Any loan kind: the **whole** number, exactly.
//! - Any account of that kind held by the SSN counts, open or closed; a match on a
//!   closed account only is noted with [`Reason::MatchedClosedAccount`].
//! - Numbers are compared in constant time, and every account is compared (no early
//!   exit), so timing does not tell which account or how many digits matched.

use super::decision::{Decision, Reason};
use crate::keys::constant_time_eq;
use crate::proofing::records::{AccountKind, AccountStatus, FinancialAccount};

/// How many trailing digits of a credit card the applicant types.
pub const CREDIT_CARD_DIGITS: usize = 8;

/// The digits of what the applicant typed, if it is only digits, spaces and dashes.
fn typed_digits(typed: &str) -> Option<String> {
    if !typed
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_whitespace() || c == '-')
    {
        return None;
    }
    let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

fn last_digits(digits: &str, count: usize) -> &str {
    // Digits are ASCII, so byte offsets are character offsets.
    &digits[digits.len().saturating_sub(count)..]
}

/// Whether the typed number proves one account of `kind` among `accounts` (the SSN's
/// accounts; accounts of other kinds are ignored).
pub fn match_financial(
    kind: AccountKind,
    typed_number: &str,
    accounts: &[FinancialAccount],
) -> Decision {
    let of_kind: Vec<&FinancialAccount> = accounts.iter().filter(|a| a.kind == kind).collect();
    if of_kind.is_empty() {
        return Decision::fail(vec![Reason::NoAccountOfKind]);
    }
    let Some(typed) = typed_digits(typed_number) else {
        return Decision::fail(vec![Reason::AccountNumberMalformed]);
    };
    let credit_card = kind == AccountKind::CreditCard;
    if credit_card && typed.len() < CREDIT_CARD_DIGITS {
        return Decision::fail(vec![Reason::CreditCardNeedsLast8]);
    }
    let typed = if credit_card {
        last_digits(&typed, CREDIT_CARD_DIGITS)
    } else {
        typed.as_str()
    };

    let (mut open, mut closed) = (false, false);
    for account in of_kind {
        let on_record: String = account
            .account_number
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let on_record = if credit_card && on_record.len() >= CREDIT_CARD_DIGITS {
            last_digits(&on_record, CREDIT_CARD_DIGITS)
        } else {
            on_record.as_str()
        };
        let equal = constant_time_eq(typed.as_bytes(), on_record.as_bytes());
        match account.status {
            AccountStatus::Open => open |= equal,
            AccountStatus::Closed => closed |= equal,
        }
    }

    if open {
        Decision::pass(vec![])
    } else if closed {
        Decision::pass(vec![Reason::MatchedClosedAccount])
    } else {
        Decision::fail(vec![Reason::AccountNumberMismatch])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    fn card(number: &str) -> FinancialAccount {
        account(AccountKind::CreditCard, number, AccountStatus::Open)
    }

    #[test]
    fn credit_card_last_8_digits() {
        let accounts = [card("4000123456789010")];
        let kind = AccountKind::CreditCard;
        for typed in ["56789010", "5678 9010", "5678-9010", " 56789010 "] {
            assert_eq!(
                match_financial(kind, typed, &accounts),
                Decision::pass(vec![]),
                "{typed}"
            );
        }
        assert_eq!(
            match_financial(kind, "4000 1234 5678 9010", &accounts),
            Decision::pass(vec![]),
            "the whole card number: its last 8 are compared"
        );
        assert_eq!(
            match_financial(kind, "9999999956789010", &accounts),
            Decision::pass(vec![]),
            "only the last 8 count"
        );
        assert_eq!(
            match_financial(kind, "56789011", &accounts),
            Decision::fail(vec![Reason::AccountNumberMismatch])
        );
        assert_eq!(
            match_financial(kind, "6789010", &accounts),
            Decision::fail(vec![Reason::CreditCardNeedsLast8])
        );
        assert_eq!(
            match_financial(kind, "9010", &accounts),
            Decision::fail(vec![Reason::CreditCardNeedsLast8])
        );
    }

    #[test]
    fn any_card_of_the_ssn_will_do() {
        let accounts = [card("4000123456789010"), card("5100000011112222")];
        let decision = match_financial(AccountKind::CreditCard, "11112222", &accounts);
        assert!(decision.matched);
    }

    #[test]
    fn closed_account_still_counts() {
        let accounts = [account(
            AccountKind::AutoLoan,
            "7700001234",
            AccountStatus::Closed,
        )];
        assert_eq!(
            match_financial(AccountKind::AutoLoan, "7700001234", &accounts),
            Decision::pass(vec![Reason::MatchedClosedAccount])
        );
        let both = [
            account(AccountKind::AutoLoan, "7700001234", AccountStatus::Closed),
            account(AccountKind::AutoLoan, "7700001234", AccountStatus::Open),
        ];
        assert_eq!(
            match_financial(AccountKind::AutoLoan, "7700001234", &both),
            Decision::pass(vec![])
        );
    }

    #[test]
    fn loan_needs_the_whole_number() {
        for kind in [
            AccountKind::Mortgage,
            AccountKind::HomeEquityLoan,
            AccountKind::HomeEquityLineOfCredit,
            AccountKind::AutoLoan,
            AccountKind::StudentLoan,
        ] {
            let accounts = [account(kind, "0012345678901", AccountStatus::Open)];
            assert!(match_financial(kind, "0012345678901", &accounts).matched);
            assert!(match_financial(kind, "001-2345-678901", &accounts).matched);
            for partial in ["45678901", "12345678901", "00123456789012", "0012345678902"] {
                assert_eq!(
                    match_financial(kind, partial, &accounts),
                    Decision::fail(vec![Reason::AccountNumberMismatch]),
                    "{partial}"
                );
            }
        }
    }

    #[test]
    fn no_account_of_the_chosen_kind() {
        let accounts = [card("4000123456789010")];
        assert_eq!(
            match_financial(AccountKind::Mortgage, "4000123456789010", &accounts),
            Decision::fail(vec![Reason::NoAccountOfKind])
        );
        assert_eq!(
            match_financial(AccountKind::CreditCard, "56789010", &[]),
            Decision::fail(vec![Reason::NoAccountOfKind])
        );
    }

    #[test]
    fn letters_or_nothing_are_malformed() {
        let accounts = [card("4000123456789010")];
        for typed in ["", " - ", "5678901O", "５６７８９０１０"] {
            assert_eq!(
                match_financial(AccountKind::CreditCard, typed, &accounts),
                Decision::fail(vec![Reason::AccountNumberMalformed]),
                "{typed}"
            );
        }
    }

    #[test]
    fn a_short_card_on_record_cannot_be_proved() {
        let accounts = [card("1234567")];
        assert_eq!(
            match_financial(AccountKind::CreditCard, "01234567", &accounts),
            Decision::fail(vec![Reason::AccountNumberMismatch])
        );
    }

    proptest! {
        #[test]
        fn financial_matching_never_panics(typed in "\\PC{0,40}", number in "[0-9]{0,20}") {
            for kind in AccountKind::ALL {
                let accounts = [account(kind, &number, AccountStatus::Open)];
                let decision = match_financial(kind, &typed, &accounts);
                prop_assert!(decision.matched || !decision.reasons.is_empty());
            }
        }

        #[test]
        fn the_last_8_of_any_card_match(number in "[0-9]{8,19}") {
            let accounts = [card(&number)];
            let last8 = &number[number.len() - 8..];
            prop_assert!(match_financial(AccountKind::CreditCard, last8, &accounts).matched);
        }
    }
}
