//! What people really type, read leniently into one canonical form before anything is
//! matched: dates of birth in the forms Americans write them, states by name or code,
//! and numbers (SSN, ZIP) with spaces, dashes or dots anywhere.
//!
//! Lenient in what is parsed, strict in what is matched: a form that carries the same
//! information reads to the same value; anything ambiguous (a two-digit year, a day
//! that does not exist) is refused with a message, never guessed.

use time::{Date, Month};

/// A date of birth as typed: `1980-04-15` (ISO), `04/15/1980`, `4/15/1980`,
/// `04-15-1980`, `04.15.1980`, `04 15 1980` (U.S. order: month, day, year),
/// `April 15, 1980`, `Apr 15 1980` and `15 April 1980`. Two-digit years are refused
/// (`4/15/80` could be 1880 or 1980... or 2080).
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if text.is_empty() || text.len() > 40 {
        return None;
    }
    let tokens: Vec<&str> = text
        .split(|c: char| c == '/' || c == '-' || c == '.' || c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .collect();
    let [a, b, c] = tokens.as_slice() else {
        return None;
    };
    let number = |t: &str| -> Option<u32> {
        (t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let year = |t: &str| -> Option<i32> {
        (t.len() == 4)
            .then(|| number(t))
            .flatten()
            .map(|y| y as i32)
    };
    let (year, month, day) = if let (Some(y), Some(m), Some(d)) = (year(a), number(b), number(c)) {
        // ISO: year first.
        (y, month_of(m)?, d)
    } else if let (Some(m), Some(d), Some(y)) = (number(a), number(b), year(c)) {
        (y, month_of(m)?, d)
    } else if let (Some(m), Some(d), Some(y)) = (month_named(a), number(b), year(c)) {
        (y, m, d)
    } else if let (Some(d), Some(m), Some(y)) = (number(a), month_named(b), year(c)) {
        (y, m, d)
    } else {
        return None;
    };
    Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

fn month_of(number: u32) -> Option<Month> {
    Month::try_from(u8::try_from(number).ok()?).ok()
}

fn month_named(text: &str) -> Option<Month> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let text = text.to_lowercase();
    let text = text.trim_end_matches('.');
    if text.len() < 3 {
        return None;
    }
    let index = NAMES.iter().position(|name| {
        *name == text
            || (name.starts_with(text) && text.len() >= 3)
            || (text == "sept" && *name == "september")
    })?;
    month_of(index as u32 + 1)
}

/// U.S. states, the District of Columbia, the territories and the military "states",
/// by USPS code and name.
pub const STATES: [(&str, &str); 59] = [
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
    ("AS", "American Samoa"),
    ("GU", "Guam"),
    ("MP", "Northern Mariana Islands"),
    ("PR", "Puerto Rico"),
    ("VI", "U.S. Virgin Islands"),
    ("AA", "Armed Forces Americas"),
    ("AE", "Armed Forces Europe"),
    ("AP", "Armed Forces Pacific"),
];

/// Other ways people write a state's name (after folding: lower case, letters and
/// spaces only).
const STATE_ALIASES: [(&str, &str); 14] = [
    ("washington dc", "DC"),
    ("washington d c", "DC"),
    ("d c", "DC"),
    ("n carolina", "NC"),
    ("s carolina", "SC"),
    ("n dakota", "ND"),
    ("s dakota", "SD"),
    ("w virginia", "WV"),
    ("virgin islands", "VI"),
    ("us virgin islands", "VI"),
    ("n mariana islands", "MP"),
    ("mass", "MA"),
    ("penn", "PA"),
    ("calif", "CA"),
];

/// A state as typed: the USPS code in any case (`va`, `V.A.`), or the name
/// (`Virginia`, `west virginia`, `Washington, D.C.`). `None` for anything else.
pub fn parse_state(text: &str) -> Option<&'static str> {
    let folded: String = text
        .chars()
        .map(|c| {
            if c.is_alphabetic() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if folded.is_empty() {
        return None;
    }
    let squeezed: String = folded.chars().filter(|c| *c != ' ').collect();
    if squeezed.len() == 2 {
        let code = squeezed.to_ascii_uppercase();
        if let Some((code, _)) = STATES.iter().find(|(c, _)| *c == code) {
            return Some(code);
        }
    }
    let folded = folded.strip_prefix("state of ").unwrap_or(&folded);
    let by_name = |name: &str| {
        name.chars()
            .map(|c| {
                if c.is_alphabetic() {
                    c.to_ascii_lowercase()
                } else {
                    ' '
                }
            })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    if let Some((code, _)) = STATES.iter().find(|(_, name)| by_name(name) == folded) {
        return Some(code);
    }
    STATE_ALIASES
        .iter()
        .find(|(alias, _)| *alias == folded)
        .and_then(|(_, code)| STATES.iter().find(|(c, _)| c == code).map(|(c, _)| *c))
}

/// Digits typed with spaces, dashes (any kind) or dots between them: the digits, if
/// that is all there is besides separators.
pub fn digits_with_separators(text: &str) -> Option<String> {
    let mut digits = String::new();
    for c in text.trim().chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{00a0}' => {}
            _ => return None,
        }
    }
    Some(digits)
}

/// An SSN or ITIN as typed (`900-12-3456`, `900 12 3456`, `900123456`, `900.12.3456`):
/// exactly 9 digits.
pub fn parse_ssn(text: &str) -> Option<String> {
    digits_with_separators(text).filter(|d| d.len() == 9)
}

/// A ZIP code as typed: 5 digits, or ZIP+4 (`22150-1234`, `22150 1234`, `221501234`).
pub fn parse_zip(text: &str) -> Option<String> {
    digits_with_separators(text).filter(|d| d.len() == 5 || d.len() == 9)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_in_the_forms_americans_write_them() {
        for typed in [
            "1980-04-15",
            "04/15/1980",
            "4/15/1980",
            "04-15-1980",
            "04.15.1980",
            " 4 / 15 / 1980 ",
            "April 15, 1980",
            "april 15 1980",
            "Apr. 15, 1980",
            "15 April 1980",
            "04 15 1980",
        ] {
            assert_eq!(parse_date(typed), Some(date!(1980 - 04 - 15)), "{typed}");
        }
        assert_eq!(parse_date("Sept 3, 1975"), Some(date!(1975 - 09 - 03)));
    }

    #[test]
    fn ambiguous_or_impossible_dates_are_refused() {
        for typed in [
            "4/15/80",
            "15/04/1980",
            "1980/15/04",
            "02/30/1980",
            "April 31 1980",
            "",
            "1980",
            "04/15",
            "Ma 15 1980",
            "13/01/1980",
            "0/1/1980",
        ] {
            assert_eq!(parse_date(typed), None, "{typed}");
        }
    }

    #[test]
    fn states_by_code_or_name() {
        for (typed, code) in [
            ("VA", "VA"),
            ("va", "VA"),
            ("V.A.", "VA"),
            ("Virginia", "VA"),
            ("VIRGINIA", "VA"),
            ("west virginia", "WV"),
            ("W. Virginia", "WV"),
            ("Washington, D.C.", "DC"),
            ("District of Columbia", "DC"),
            ("Puerto Rico", "PR"),
            ("State of New York", "NY"),
            ("n. carolina", "NC"),
        ] {
            assert_eq!(parse_state(typed), Some(code), "{typed}");
        }
        for typed in ["", "XX", "Virginiaa", "Springfield", "V"] {
            assert_eq!(parse_state(typed), None, "{typed}");
        }
    }

    #[test]
    fn numbers_with_separators_anywhere() {
        for typed in [
            "900-12-3456",
            "900 12 3456",
            "900123456",
            "900.12.3456",
            "9001 23456",
            "900–12–3456",
        ] {
            assert_eq!(parse_ssn(typed).as_deref(), Some("900123456"), "{typed}");
        }
        for typed in ["90012345", "9001234567", "900-12-345x", "900/12/3456"] {
            assert_eq!(parse_ssn(typed), None, "{typed}");
        }
        assert_eq!(parse_zip("22150 1234").as_deref(), Some("221501234"));
        assert_eq!(parse_zip("22150").as_deref(), Some("22150"));
        assert_eq!(parse_zip("2215"), None);
    }
}
