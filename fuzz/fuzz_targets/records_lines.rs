//! Reference-record lines (`secure-access records import`): arbitrary bytes as one or
//! more JSON Lines, parsed as each of the three kinds with
//! `sa_domain::proofing::records::parse_line`. A line that parses goes on through what
//! proofing does with a record: the USPS address normalisation and the name keys.
//!
//! Input: the first byte picks the kind (0 tax returns, 1 financial accounts, 2 phone
//! records, else all three); the rest is split at newlines like a file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sa_domain::proofing::matching::address::normalise_address;
use sa_domain::proofing::matching::names::{normalise_name, split_suffix};
use sa_domain::proofing::records::{RecordKind, ReferenceRecord, parse_line};

const KINDS: [RecordKind; 3] = [
    RecordKind::TaxReturns,
    RecordKind::FinancialAccounts,
    RecordKind::PhoneRecords,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    // The importer reads lines as UTF-8 text; invalid bytes never reach the parser.
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let kinds: &[RecordKind] = match selector % 4 {
        3 => &KINDS,
        n => std::slice::from_ref(&KINDS[usize::from(n)]),
    };
    for line in text.lines() {
        for &kind in kinds {
            match parse_line(kind, line) {
                Ok(record) => follow(&record),
                Err(error) => assert!(!error.field.is_empty() && !error.reason.is_empty()),
            }
        }
    }
});

fn follow(record: &ReferenceRecord) {
    match record {
        ReferenceRecord::TaxReturn(r) => {
            assert_eq!(r.ssn.len(), 9);
            let _ = normalise_address(&r.address);
            let _ = normalise_name(&r.first_name);
            let _ = split_suffix(&r.last_name);
        }
        ReferenceRecord::FinancialAccount(a) => {
            assert!(a.account_number.bytes().all(|b| b.is_ascii_digit()));
            let _ = normalise_name(&a.holder_name);
        }
        ReferenceRecord::PhoneRecord(p) => {
            assert!(p.phone.starts_with('+'));
            if let Some(address) = &p.address {
                let _ = normalise_address(address);
            }
        }
    }
}
