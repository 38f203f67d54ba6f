//! Synthetic places and dates: addresses (street, unit, city, state, ZIP) and the
//! different ways people write them, and calendar dates without a time zone.

use rand::{Rng, RngExt};

use super::names::{CITIES, DIRECTIONALS, STATES, STREET_NAMES, STREET_SUFFIXES, pick, weighted};

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Ymd {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

pub(super) fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(super) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Ymd {
    pub(super) fn random(rng: &mut impl Rng, from_year: i32, to_year: i32) -> Self {
        let year = rng.random_range(from_year..=to_year);
        let month = rng.random_range(1..=12u8);
        let day = rng.random_range(1..=days_in_month(year, month));
        Self { year, month, day }
    }

    /// `YYYY-MM-DD`.
    pub(super) fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// A different, still valid date an impostor might give: another year, day and month
    /// swapped, or a few days off.
    pub(super) fn wrong(self, rng: &mut impl Rng) -> Self {
        loop {
            let candidate = match rng.random_range(0..3) {
                0 => {
                    let year = self.year + pick(rng, &[-3, -2, -1, 1, 2, 3]);
                    Self {
                        year,
                        month: self.month,
                        day: self.day.min(days_in_month(year, self.month)),
                    }
                }
                1 if self.day <= 12 => Self {
                    year: self.year,
                    month: self.day,
                    day: self.month.min(days_in_month(self.year, self.day)),
                },
                _ => {
                    let last = days_in_month(self.year, self.month);
                    Self {
                        day: rng.random_range(1..=last),
                        ..self
                    }
                }
            };
            if candidate != self {
                return candidate;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum UnitKind {
    /// `#4B`
    Hash,
    /// `Apt 4B` / `Apartment 4B`
    Apartment,
    /// `Ste 300` / `Suite 300`
    Suite,
    /// `Unit 12`
    Unit,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Address {
    number: u32,
    predirectional: Option<usize>,
    street: &'static str,
    suffix: usize,
    postdirectional: Option<usize>,
    /// USPS abbreviations (`N`, `St`, `Apt`) rather than full words.
    abbreviated: bool,
    unit: Option<(UnitKind, String)>,
    city: &'static str,
    state: &'static str,
    zip5: u32,
    zip4: Option<u16>,
}

/// An address as text, the way a record or an applicant writes it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub(super) struct AddressText {
    pub street: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub city: &'static str,
    pub state: &'static str,
    pub zip: String,
}

pub(super) fn unit_id(rng: &mut impl Rng, kind: UnitKind) -> String {
    match kind {
        UnitKind::Suite => format!(
            "{}",
            rng.random_range(1..=9u32) * 100 + rng.random_range(0..20)
        ),
        UnitKind::Unit => format!("{}", rng.random_range(1..=60u32)),
        UnitKind::Hash | UnitKind::Apartment => {
            if rng.random_bool(0.5) {
                let floor = rng.random_range(1..=12u32);
                let letter = char::from(b'A' + rng.random_range(0..6u8));
                format!("{floor}{letter}")
            } else {
                format!("{}", rng.random_range(1..=450u32))
            }
        }
    }
}

impl Address {
    pub(super) fn random(rng: &mut impl Rng) -> Self {
        let predirectional = if rng.random_bool(0.2) {
            Some(rng.random_range(0..DIRECTIONALS.len()))
        } else {
            None
        };
        let postdirectional = if predirectional.is_none() && rng.random_bool(0.05) {
            Some(rng.random_range(0..DIRECTIONALS.len()))
        } else {
            None
        };
        let unit = if rng.random_bool(0.3) {
            let kind = weighted(
                rng,
                &[
                    (UnitKind::Apartment, 5),
                    (UnitKind::Hash, 3),
                    (UnitKind::Unit, 2),
                    (UnitKind::Suite, 1),
                ],
            );
            Some((kind, unit_id(rng, kind)))
        } else {
            None
        };
        Self {
            number: rng.random_range(1..=9_899),
            predirectional,
            street: pick(rng, STREET_NAMES),
            suffix: rng.random_range(0..STREET_SUFFIXES.len()),
            postdirectional,
            abbreviated: rng.random_bool(0.7),
            unit,
            city: pick(rng, CITIES),
            state: pick(rng, STATES),
            zip5: rng.random_range(1_001..=99_950),
            zip4: rng.random_bool(0.3).then(|| rng.random_range(1..=9_999)),
        }
    }

    /// An address in USPS abbreviations with a directional and an `#`, `Apt` or `Ste`
    /// unit, so that [`Address::expanded_text`] differs from it in every way the match
    /// rules must see through.
    pub(super) fn random_abbreviated(rng: &mut impl Rng) -> Self {
        let mut address = Self::random(rng);
        address.abbreviated = true;
        if address.predirectional.is_none() && address.postdirectional.is_none() {
            address.predirectional = Some(rng.random_range(0..DIRECTIONALS.len()));
        }
        let kind = pick(rng, &[UnitKind::Hash, UnitKind::Apartment, UnitKind::Suite]);
        address.unit = Some((kind, unit_id(rng, kind)));
        address
    }

    /// A new address that no normalisation could confuse with any of `others`: another
    /// house number and another ZIP code.
    pub(super) fn random_unlike(rng: &mut impl Rng, others: &[&Address]) -> Self {
        loop {
            let candidate = Self::random(rng);
            if others
                .iter()
                .all(|o| o.number != candidate.number && o.zip5 != candidate.zip5)
            {
                return candidate;
            }
        }
    }

    fn street_line(&self, abbreviated: bool) -> String {
        let word = |pair: (&'static str, &'static str)| if abbreviated { pair.1 } else { pair.0 };
        let mut line = self.number.to_string();
        if let Some(d) = self.predirectional {
            line.push(' ');
            line.push_str(word(DIRECTIONALS[d]));
        }
        line.push(' ');
        line.push_str(self.street);
        line.push(' ');
        line.push_str(word(STREET_SUFFIXES[self.suffix]));
        if let Some(d) = self.postdirectional {
            line.push(' ');
            line.push_str(word(DIRECTIONALS[d]));
        }
        line
    }

    fn unit_text(&self, abbreviated: bool) -> Option<String> {
        self.unit
            .as_ref()
            .map(|(kind, id)| match (kind, abbreviated) {
                (UnitKind::Hash, _) => format!("#{id}"),
                (UnitKind::Apartment, true) => format!("Apt {id}"),
                (UnitKind::Apartment, false) => format!("Apartment {id}"),
                (UnitKind::Suite, true) => format!("Ste {id}"),
                (UnitKind::Suite, false) => format!("Suite {id}"),
                (UnitKind::Unit, _) => format!("Unit {id}"),
            })
    }

    /// As the record writes it (ZIP as 5 or 9 digits).
    pub(super) fn record_text(&self) -> AddressText {
        AddressText {
            street: self.street_line(self.abbreviated),
            unit: self.unit_text(self.abbreviated),
            city: self.city,
            state: self.state,
            zip: match self.zip4 {
                Some(plus4) => format!("{:05}{plus4:04}", self.zip5),
                None => format!("{:05}", self.zip5),
            },
        }
    }

    /// The same address with every USPS abbreviation written out (`North`, `Street`),
    /// `#4B` / `Apt 4B` as `Apartment 4B`, and ZIP+4 where the record has a 5-digit ZIP
    /// (or the 5-digit ZIP where it has ZIP+4). Sometimes in capitals.
    pub(super) fn expanded_text(&self, rng: &mut impl Rng) -> AddressText {
        let mut street = self.street_line(false);
        if rng.random_bool(0.3) {
            street = street.to_uppercase();
        }
        let unit = self.unit.as_ref().map(|(kind, id)| match kind {
            UnitKind::Hash | UnitKind::Apartment => format!("Apartment {id}"),
            UnitKind::Suite => format!("Suite {id}"),
            UnitKind::Unit => format!("Unit {id}"),
        });
        let zip = match self.zip4 {
            Some(_) => format!("{:05}", self.zip5),
            None => format!("{:05}-{:04}", self.zip5, rng.random_range(1..=9_999)),
        };
        AddressText {
            street,
            unit,
            city: self.city,
            state: self.state,
            zip,
        }
    }
}
