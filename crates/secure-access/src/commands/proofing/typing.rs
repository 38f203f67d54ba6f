//! How the simulated people type, at four levels of mess. Level 0 is what the
//! generator says they type; each level adds forms that carry the same information:
//!
//! - **1, formats**: SSNs with spaces, dashes or dots; dates of birth in U.S. and
//!   written forms (`04/15/1980`, `April 15, 1980`); states by name; ZIP+4 with or
//!   without its dash; phone numbers as people write them; a card's last 8 digits
//!   grouped; names in any case;
//! - **2, words**: street words spelled out or abbreviated (USPS Publication 28),
//!   units with another designator spelling or on the street line, PO boxes and rural
//!   routes in their other spellings, the whole card number, typographic apostrophes,
//!   a generational suffix typed into the last-name field, doubled spaces;
//! - **3, hardest**: a unit typed after the street with no designator, no-break and
//!   unicode dashes in numbers, capitals everywhere, stray spaces and commas, and one
//!   typo in a long city name.
//!
//! Each form is chosen at random per field, so a person at level 3 may type some
//! fields neatly. What they type always means the same as their record: a different
//! value is never generated here (wrong values come from the generator's scenarios).

use rand::{Rng, RngExt};
use sa_domain::journeys::IdentityInput;
use sa_domain::proofing::matching::usps::ABBREVIATIONS;
use sa_domain::proofing::typed::STATES;
use serde_json::Value;

use super::population::digits;

pub struct Typist<'a, R: Rng> {
    pub rng: &'a mut R,
    pub level: u8,
}

fn text(value: &Value, key: &str) -> String {
    value[key].as_str().unwrap_or_default().to_owned()
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl<R: Rng> Typist<'_, R> {
    /// One of `forms`, the first `allowed` of which this level may use (at least one).
    fn pick(&mut self, forms: Vec<String>, by_level: &[usize; 4]) -> String {
        let allowed = by_level[usize::from(self.level.min(3))].clamp(1, forms.len());
        let i = self.rng.random_range(0..allowed);
        forms.into_iter().nth(i).unwrap_or_default()
    }

    fn chance(&mut self, level: u8, p: f64) -> bool {
        self.level >= level && self.rng.random_bool(p)
    }

    fn case(&mut self, name: &str) -> String {
        if self.chance(3, 0.3) {
            return name.to_uppercase();
        }
        if self.chance(1, 0.2) {
            return name.to_lowercase();
        }
        name.to_owned()
    }

    fn spaced(&mut self, text: String) -> String {
        let text = if self.chance(2, 0.15) {
            text.replacen(' ', "  ", 1)
        } else {
            text
        };
        if self.chance(3, 0.15) {
            format!(" {text} ")
        } else {
            text
        }
    }

    pub fn ssn(&mut self, typed: &str) -> String {
        let d = digits(typed);
        if d.len() != 9 {
            return typed.to_owned();
        }
        let (a, b, c) = (&d[..3], &d[3..5], &d[5..]);
        self.pick(
            vec![
                typed.to_owned(),
                format!("{a}-{b}-{c}"),
                format!("{a} {b} {c}"),
                d.clone(),
                format!("{a}.{b}.{c}"),
                format!("{a} - {b} - {c}"),
                format!("{a}\u{2013}{b}\u{2013}{c}"),
            ],
            &[1, 4, 5, 7],
        )
    }

    pub fn date_of_birth(&mut self, iso: &str) -> String {
        let parts: Vec<&str> = iso.split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return iso.to_owned();
        };
        let (mn, dn): (usize, u32) = (m.parse().unwrap_or(1), d.parse().unwrap_or(1));
        let month = MONTHS[mn.clamp(1, 12) - 1];
        self.pick(
            vec![
                iso.to_owned(),
                format!("{m}/{d}/{y}"),
                format!("{mn}/{dn}/{y}"),
                format!("{month} {dn}, {y}"),
                format!("{m}-{d}-{y}"),
                format!("{} {dn} {y}", &month[..3]),
                format!("{dn} {month} {y}"),
                format!("{m}.{d}.{y}"),
                format!("{m} {d} {y}"),
            ],
            &[1, 5, 7, 9],
        )
    }

    pub fn state(&mut self, code: &str) -> String {
        let name = STATES
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map(|(_, n)| (*n).to_owned())
            .unwrap_or_else(|| code.to_owned());
        self.pick(
            vec![
                code.to_owned(),
                name.clone(),
                code.to_lowercase(),
                name.to_uppercase(),
                name.to_lowercase(),
            ],
            &[1, 3, 5, 5],
        )
    }

    pub fn zip(&mut self, on_record: &str) -> String {
        let d = digits(on_record);
        if d.len() != 9 {
            return self.pick(vec![d.clone(), format!("{d} ")], &[1, 1, 1, 2]);
        }
        let (five, four) = (&d[..5], &d[5..]);
        self.pick(
            vec![
                five.to_owned(),
                format!("{five}-{four}"),
                d.clone(),
                format!("{five} {four}"),
            ],
            &[1, 3, 4, 4],
        )
    }

    pub fn phone(&mut self, e164: &str) -> String {
        let d = digits(e164);
        let d = d.strip_prefix('1').unwrap_or(&d).to_owned();
        if d.len() != 10 {
            return e164.to_owned();
        }
        let (a, b, c) = (&d[..3], &d[3..6], &d[6..]);
        self.pick(
            vec![
                e164.to_owned(),
                format!("({a}) {b}-{c}"),
                format!("{a}-{b}-{c}"),
                format!("{a}.{b}.{c}"),
                d.clone(),
                format!("+1 {a} {b} {c}"),
                format!("1 ({a}) {b}-{c}"),
                format!("1-{a}-{b}-{c}"),
            ],
            &[1, 6, 8, 8],
        )
    }

    /// An account number: a card by its last 8 digits or whole, a loan as written.
    pub fn account_number(&mut self, kind: &str, typed: &str, whole: Option<&str>) -> String {
        let d = digits(typed);
        let mut forms = vec![typed.to_owned()];
        if kind == "credit_card" {
            let last_8 = &d[d.len().saturating_sub(8)..];
            forms.push(format!(
                "{} {}",
                &last_8[..4.min(last_8.len())],
                &last_8[4.min(last_8.len())..]
            ));
            if let Some(whole) = whole.filter(|w| w.len() == 16) {
                let groups: Vec<&str> = (0..4).map(|i| &whole[i * 4..i * 4 + 4]).collect();
                forms.push(groups.join(" "));
                forms.push(groups.join("-"));
                forms.push(whole.to_owned());
                forms.push(format!("{}\u{00a0}{}", &whole[..8], &whole[8..]));
            }
        } else {
            forms.push(d.clone());
            forms.push(format!("{} {}", &d[..d.len() / 2], &d[d.len() / 2..]));
        }
        let n = forms.len();
        self.pick(forms, &[1, 2, n.min(5), n])
    }

    /// A name as typed in its field.
    pub fn name(&mut self, name: &str) -> String {
        let name = if self.chance(2, 0.5) {
            name.replace('\'', "\u{2019}")
        } else {
            name.to_owned()
        };
        let name = self.case(&name);
        self.spaced(name)
    }

    /// The street line: words in their other USPS spellings, perhaps the unit on it.
    pub fn street(&mut self, street: &str, unit: Option<&str>) -> (String, Option<String>) {
        let mut words: Vec<String> = Vec::new();
        for word in street.split_whitespace() {
            let lower = word.to_lowercase();
            let mut spelled = word.to_owned();
            if self.chance(2, 0.5) {
                for (standard, others) in ABBREVIATIONS {
                    if lower == *standard && !others.is_empty() {
                        spelled = capitalised(others[self.rng.random_range(0..others.len())]);
                        break;
                    }
                    if others.contains(&lower.as_str()) {
                        spelled = capitalised(standard);
                        break;
                    }
                }
            }
            words.push(spelled);
        }
        let mut street = box_spelling(self, &words.join(" "));
        if self.chance(2, 0.1) && street.ends_with(|c: char| c.is_ascii_alphabetic()) {
            street.push('.');
        }
        let unit = unit.map(|u| self.unit(u));
        let (street, unit) = match unit {
            Some(u) if self.chance(2, 0.25) => {
                let comma = if self.rng.random_bool(0.5) { "," } else { "" };
                (format!("{street}{comma} {u}"), None)
            }
            Some(u) if self.chance(3, 0.2) => {
                let bare = u
                    .split_whitespace()
                    .last()
                    .unwrap_or_default()
                    .trim_start_matches('#')
                    .to_owned();
                (format!("{street} {bare}"), None)
            }
            other => (street, other),
        };
        let street = self.case(&street);
        (self.spaced(street), unit.filter(|u| !u.is_empty()))
    }

    fn unit(&mut self, unit: &str) -> String {
        let words: Vec<&str> = unit.split_whitespace().collect();
        let [designator, number] = words.as_slice() else {
            return unit.to_owned();
        };
        let d = designator.to_lowercase();
        let spellings: &[&str] = match d.trim_end_matches('.') {
            "apt" | "apartment" => &[
                "Apt",
                "Apartment",
                "Apt.",
                "APT",
                "#",
                "Apartment #",
                "Apt #",
            ],
            "ste" | "suite" => &["Ste", "Suite", "Ste."],
            "unit" => &["Unit", "UNIT"],
            "#" => &["#"],
            _ => &[],
        };
        if spellings.is_empty() || self.level < 2 {
            return unit.to_owned();
        }
        let designator = spellings[self.rng.random_range(0..spellings.len())];
        if designator == "#" {
            format!("#{number}")
        } else {
            format!("{designator} {number}")
        }
    }

    /// A city, with one typo at level 3 (rarely) when it is long.
    pub fn city(&mut self, city: &str) -> String {
        let city = if city.chars().count() >= 8 && city.is_ascii() && self.chance(3, 0.03) {
            let i = self.rng.random_range(1..city.len() - 1);
            let mut typo: Vec<char> = city.chars().collect();
            typo.swap(i, i + 1);
            typo.into_iter().collect()
        } else {
            city.to_owned()
        };
        self.case(&city)
    }

    /// The whole identity form.
    pub fn identity(&mut self, typed: &Value) -> IdentityInput {
        let address = &typed["address"];
        let mut last_name = self.name(&text(typed, "last_name"));
        let mut suffix = typed["suffix"].as_str().map(str::to_owned);
        if let Some(s) = suffix.clone()
            && self.chance(2, 0.5)
        {
            last_name = format!("{} {s}", last_name.trim());
            suffix = None;
        }
        if last_name.contains('-') && self.chance(2, 0.3) {
            last_name = last_name.replace('-', " ");
        }
        let unit = address["unit"].as_str();
        let (street, unit) = self.street(&text(address, "street"), unit);
        let mut middle_name = typed["middle_name"].as_str().map(|m| self.name(m));
        let mut first_name = self.name(&text(typed, "first_name"));
        if self.chance(1, 0.15) {
            middle_name = None;
        } else if let Some(middle) = middle_name.clone()
            && self.chance(3, 0.15)
        {
            // The middle initial typed into the first-name field.
            let initial: String = middle.trim().chars().take(1).collect();
            first_name = format!("{} {initial}", first_name.trim());
            middle_name = None;
        } else if let Some(middle) = middle_name.clone()
            && self.chance(2, 0.15)
        {
            // The initial only, with or without its period.
            let initial: String = middle.trim().chars().take(1).collect();
            middle_name = Some(if self.rng.random_bool(0.5) {
                initial
            } else {
                format!("{initial}.")
            });
        }
        IdentityInput {
            first_name,
            middle_name,
            last_name,
            suffix,
            date_of_birth: self.date_of_birth(&text(typed, "date_of_birth")),
            ssn: self.ssn(&text(typed, "ssn")),
            filing_status: text(typed, "filing_status"),
            street,
            unit,
            city: self.city(&text(address, "city")),
            state: self.state(&text(address, "state")),
            zip: self.zip(&text(address, "zip")),
        }
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// PO boxes and routes in another USPS-accepted spelling (level 2 and up).
fn box_spelling<R: Rng>(typist: &mut Typist<'_, R>, street: &str) -> String {
    let words: Vec<&str> = street.split_whitespace().collect();
    if typist.level < 2 {
        return street.to_owned();
    }
    match words.as_slice() {
        ["PO", "Box", n] => {
            let forms = [
                format!("P.O. Box {n}"),
                format!("Post Office Box {n}"),
                format!("POB {n}"),
                format!("P O Box {n}"),
                format!("Box {n}"),
                format!("PO Box #{n}"),
                format!("POBox {n}"),
            ];
            forms[typist.rng.random_range(0..forms.len())].clone()
        }
        ["RR", r, "Box", b] => {
            let forms = [
                format!("Rural Route {r} Box {b}"),
                format!("R.R. {r}, Box {b}"),
                format!("Route {r} Box {b}"),
                format!("RR{r} Box {b}"),
                format!("RFD {r} Box {b}"),
            ];
            forms[typist.rng.random_range(0..forms.len())].clone()
        }
        ["HC", r, "Box", b] => {
            let forms = [
                format!("Highway Contract {r} Box {b}"),
                format!("HCR {r} Box {b}"),
                format!("Star Route {r} Box {b}"),
            ];
            forms[typist.rng.random_range(0..forms.len())].clone()
        }
        _ => street.to_owned(),
    }
}

/// A person typing their latest return with care: every field as printed on it.
pub fn careful_identity(record: &Value) -> IdentityInput {
    let address = &record["address"];
    IdentityInput {
        first_name: text(record, "first_name"),
        middle_name: record["middle_name"].as_str().map(str::to_owned),
        last_name: text(record, "last_name"),
        suffix: record["suffix"].as_str().map(str::to_owned),
        date_of_birth: text(record, "date_of_birth"),
        ssn: text(record, "ssn"),
        filing_status: text(record, "filing_status"),
        street: text(address, "street"),
        unit: address["unit"].as_str().map(str::to_owned),
        city: text(address, "city"),
        state: text(address, "state"),
        zip: text(address, "zip"),
    }
}
