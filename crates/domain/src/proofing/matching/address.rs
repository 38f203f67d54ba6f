//! Postal addresses in the style of USPS Publication 28: normalisation
//! ([`normalise_address`]) and the address rule ([`compare_addresses`]).
//!
//! Normalisation:
//! - case and diacritics fold as for names; apostrophes vanish; a period after a single
//!   letter joins (`N.E.` = `NE`, `P.O.` = `PO`) and otherwise separates (`St.Louis`);
//!   commas, hyphens and other punctuation separate words (a hyphen between two digits
//!   joins them: `123-45` is house number `12345`); `#` is a word of its own
//!   (`#4B` = `# 4B`); `Post Office Box` and `P O Box` are `po box`.
//! - every word is mapped to its standard abbreviation: street suffixes
//!   (Street/Str → `st`, Avenue/Av → `ave`, Road → `rd`, Drive → `dr`, Boulevard →
//!   `blvd`, Lane → `ln`, Court → `ct`, Place → `pl`, Terrace → `ter`, Circle → `cir`,
//!   Highway → `hwy`, Parkway → `pkwy`, Square → `sq`, Trail → `trl`, Way → `way`, and
//!   the rest of Publication 28 appendix C1), directionals (North → `n`, Northeast → `ne`,
//!   ...), ordinal words (First → `1st` ... Twentieth → `20th`) and Saint/Fort/Mount →
//!   `st`/`ft`/`mt`. The same map applies to the city.
//! - a unit designator (Apartment, Apt, `#`, Unit, Suite, Ste, and Room, Floor, Building,
//!   Lot, ... when followed by a number or a single letter) after the street name
//!   starts the unit: `12 Oak St Apt 4` is street `12 Oak St`, unit `4`. The designator
//!   itself is dropped, so `#4B`, `Apt 4B`, `Apartment 4b` and `Unit 4-B` are unit `4b`.
//!   A unit in the unit field wins over one typed in the street line.
//! - the street line splits into house number (first word when it starts with a digit,
//!   plus a fraction such as `1/2`), pre-directional, street name proper, suffix and
//!   post-directional.
//! - ZIP codes keep their digits: the first five, and the +4 when there are nine.
//!
//! Comparison (every part must agree; the fields that do not are all reported):
//! - house number: exactly (no typo tolerance in numbers);
//! - street: directionals and suffix exactly; the street name proper exactly, or with
//!   one typo when it has no digits and the name on record has
//!   [`super::names::TYPO_MIN_CHARS`] or more letters ([`AddressTolerance::StreetTypo`]);
//! - unit: equal when both sides have one; a unit missing on one side is tolerated
//!   ([`AddressTolerance::UnitOmitted`]) because people leave it out and letters go to
//!   the address of record anyway;
//! - city: equal ignoring spaces (`St. Louis` = `Saint Louis` = `St Louis`);
//! - state: equal;
//! - ZIP: the first five digits decide; when the full codes differ (ZIP+4 against ZIP,
//!   or different +4) that is [`AddressTolerance::Zip5`].

use std::fmt;

use super::Reason;
use super::distance::within_one_edit;
use super::names::{TYPO_MIN_CHARS, fold};
use crate::proofing::records::Address;

/// An address in normal form. `Debug` prints no personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct NormalisedAddress {
    /// Digits (and letters) of the house number, with a fraction if any: `123`, `123 1/2`.
    /// Empty when the street line does not start with a number (PO Box, rural route).
    pub house_number: String,
    pub pre_directional: Option<String>,
    /// The street name proper, words separated by one space: `martin luther king`.
    pub street_name: String,
    pub suffix: Option<String>,
    pub post_directional: Option<String>,
    /// The unit without its designator, compacted: `4b`.
    pub unit: Option<String>,
    /// Words separated by one space: `st louis`.
    pub city: String,
    /// Upper-case letters.
    pub state: String,
    /// First five digits (fewer if fewer were given).
    pub zip5: String,
    /// The +4, when nine digits were given.
    pub zip4: Option<String>,
}

impl fmt::Debug for NormalisedAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NormalisedAddress { .. }")
    }
}

impl NormalisedAddress {
    /// The street line in normal form: `123 n oak st`.
    pub fn street_line(&self) -> String {
        [
            Some(self.house_number.as_str()),
            self.pre_directional.as_deref(),
            Some(self.street_name.as_str()),
            self.suffix.as_deref(),
            self.post_directional.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    }

    /// Back to an [`Address`] (in normal form); normalising it again changes nothing.
    pub fn to_address(&self) -> Address {
        Address {
            street: self.street_line(),
            unit: self.unit.clone(),
            city: self.city.clone(),
            state: self.state.clone(),
            zip: format!("{}{}", self.zip5, self.zip4.as_deref().unwrap_or("")),
        }
    }
}

/// A part of an address that did not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressField {
    HouseNumber,
    Street,
    Unit,
    City,
    State,
    Zip,
}

impl AddressField {
    pub fn reason(self) -> Reason {
        match self {
            Self::HouseNumber => Reason::HouseNumberMismatch,
            Self::Street => Reason::StreetMismatch,
            Self::Unit => Reason::UnitMismatch,
            Self::City => Reason::CityMismatch,
            Self::State => Reason::StateMismatch,
            Self::Zip => Reason::ZipMismatch,
        }
    }
}

/// A tolerance an address match needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressTolerance {
    /// Only the first five ZIP digits agreed (ZIP+4 against ZIP, or different +4).
    Zip5,
    /// One typo in the street name proper.
    StreetTypo,
    /// One side gave a unit, the other none.
    UnitOmitted,
}

impl AddressTolerance {
    pub fn reason(self) -> Reason {
        match self {
            Self::Zip5 => Reason::MatchedZip5,
            Self::StreetTypo => Reason::MatchedStreetTypo,
            Self::UnitOmitted => Reason::MatchedWithoutUnit,
        }
    }
}

/// A successful address comparison: which tolerances it used (empty when exact).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddressMatch {
    pub tolerances: Vec<AddressTolerance>,
}

impl AddressMatch {
    pub fn is_exact(&self) -> bool {
        self.tolerances.is_empty()
    }
}

/// Words mapped to their standard abbreviation: `(standard, other spellings)`.
/// Every standard form maps to itself (checked by a test), which keeps normalisation
/// idempotent.
const ABBREVIATIONS: &[(&str, &[&str])] = &[
    // Directionals.
    ("n", &["north"]),
    ("s", &["south"]),
    ("e", &["east"]),
    ("w", &["west"]),
    ("ne", &["northeast"]),
    ("nw", &["northwest"]),
    ("se", &["southeast"]),
    ("sw", &["southwest"]),
    // Ordinal words.
    ("1st", &["first"]),
    ("2nd", &["second"]),
    ("3rd", &["third"]),
    ("4th", &["fourth"]),
    ("5th", &["fifth"]),
    ("6th", &["sixth"]),
    ("7th", &["seventh"]),
    ("8th", &["eighth"]),
    ("9th", &["ninth"]),
    ("10th", &["tenth"]),
    ("11th", &["eleventh"]),
    ("12th", &["twelfth"]),
    ("13th", &["thirteenth"]),
    ("14th", &["fourteenth"]),
    ("15th", &["fifteenth"]),
    ("16th", &["sixteenth"]),
    ("17th", &["seventeenth"]),
    ("18th", &["eighteenth"]),
    ("19th", &["nineteenth"]),
    ("20th", &["twentieth"]),
    // Street suffixes (Publication 28, appendix C1) and place words.
    ("st", &["street", "strt", "str", "saint"]),
    ("sts", &["streets"]),
    ("ave", &["avenue", "av", "aven", "avenu", "avn", "avnue"]),
    ("rd", &["road"]),
    ("rds", &["roads"]),
    ("dr", &["drive", "driv", "drv"]),
    ("drs", &["drives"]),
    ("blvd", &["boulevard", "boul", "boulv"]),
    ("ln", &["lane"]),
    ("ct", &["court"]),
    ("cts", &["courts"]),
    ("pl", &["place"]),
    ("ter", &["terrace", "terr"]),
    ("cir", &["circle", "circ", "circl", "crcl", "crcle"]),
    ("cirs", &["circles"]),
    ("hwy", &["highway", "highwy", "hiway", "hiwy", "hway"]),
    (
        "pkwy",
        &["parkway", "parkwy", "pkway", "pky", "parkways", "pkwys"],
    ),
    ("sq", &["square", "sqr", "sqre", "squ"]),
    ("sqs", &["squares"]),
    ("trl", &["trail", "trails", "trls"]),
    ("way", &["wy"]),
    ("ways", &[]),
    ("aly", &["alley", "allee", "ally"]),
    ("anx", &["annex", "anex", "annx"]),
    ("arc", &["arcade"]),
    ("byu", &["bayou", "bayoo"]),
    ("bch", &["beach"]),
    ("bnd", &["bend"]),
    ("blf", &["bluff", "bluf"]),
    ("blfs", &["bluffs"]),
    ("btm", &["bottom", "bot", "bottm"]),
    ("br", &["branch", "brnch"]),
    ("brg", &["bridge", "brdge"]),
    ("brk", &["brook"]),
    ("brks", &["brooks"]),
    ("byp", &["bypass", "bypa", "bypas", "byps"]),
    ("cp", &["camp", "cmp"]),
    ("cyn", &["canyon", "canyn", "cnyn"]),
    ("cpe", &["cape"]),
    ("cswy", &["causeway", "causwa"]),
    (
        "ctr",
        &["center", "cen", "cent", "centr", "centre", "cnter", "cntr"],
    ),
    ("ctrs", &["centers"]),
    ("clf", &["cliff"]),
    ("clfs", &["cliffs"]),
    ("clb", &["club"]),
    ("cmn", &["common"]),
    ("cor", &["corner"]),
    ("cors", &["corners"]),
    ("crse", &["course"]),
    ("cv", &["cove"]),
    ("crk", &["creek"]),
    ("cres", &["crescent", "crsent", "crsnt"]),
    ("crst", &["crest"]),
    ("xing", &["crossing", "crssng"]),
    ("xrd", &["crossroad"]),
    ("curv", &["curve"]),
    ("dl", &["dale"]),
    ("dm", &["dam"]),
    ("dv", &["divide", "div", "dvd"]),
    ("est", &["estate"]),
    ("ests", &["estates"]),
    ("expy", &["expressway", "exp", "expr", "express", "expw"]),
    ("ext", &["extension", "extn", "extnsn"]),
    ("fls", &["falls"]),
    ("fry", &["ferry", "frry"]),
    ("fld", &["field"]),
    ("flds", &["fields"]),
    ("flt", &["flat"]),
    ("frd", &["ford"]),
    ("frst", &["forest", "forests"]),
    ("frg", &["forge", "forg"]),
    ("frk", &["fork"]),
    ("frks", &["forks"]),
    ("ft", &["fort", "frt"]),
    ("fwy", &["freeway", "freewy", "frway", "frwy"]),
    ("gdn", &["garden", "gardn", "grden", "grdn"]),
    ("gdns", &["gardens"]),
    ("gtwy", &["gateway", "gatewy", "gatway", "gtway"]),
    ("gln", &["glen"]),
    ("grn", &["green"]),
    ("grv", &["grove", "grov"]),
    ("hbr", &["harbor", "harb", "harbr", "hrbor"]),
    ("hvn", &["haven"]),
    ("hts", &["heights", "ht"]),
    ("hl", &["hill"]),
    ("hls", &["hills"]),
    ("holw", &["hollow", "hllw", "hollows", "holws"]),
    ("inlt", &["inlet"]),
    ("is", &["island", "islnd"]),
    ("iss", &["islands"]),
    ("isle", &["isles"]),
    ("jct", &["junction", "jction", "jctn", "junctn", "juncton"]),
    ("ky", &["key"]),
    ("knl", &["knoll", "knol"]),
    ("lk", &["lake"]),
    ("lks", &["lakes"]),
    ("lndg", &["landing", "lndng"]),
    ("lgt", &["light"]),
    ("ldg", &["lodge", "ldge", "lodg"]),
    ("loop", &["loops"]),
    ("mnr", &["manor"]),
    ("mdw", &["meadow"]),
    ("mdws", &["meadows", "medows"]),
    ("ml", &["mill"]),
    ("msn", &["mission", "missn", "mssn"]),
    ("mtwy", &["motorway"]),
    ("mt", &["mount", "mnt"]),
    ("mtn", &["mountain", "mntain", "mntn", "mountin", "mtin"]),
    ("nck", &["neck"]),
    ("orch", &["orchard", "orchrd"]),
    ("oval", &["ovl"]),
    ("path", &["paths"]),
    ("pike", &["pikes"]),
    ("pne", &["pine"]),
    ("pnes", &["pines"]),
    ("pln", &["plain"]),
    ("plns", &["plains"]),
    ("plz", &["plaza", "plza"]),
    ("pt", &["point"]),
    ("pts", &["points"]),
    ("prt", &["port"]),
    ("pr", &["prairie", "prr"]),
    ("radl", &["radial", "rad", "radiel"]),
    ("rnch", &["ranch", "ranches", "rnchs"]),
    ("rpd", &["rapid"]),
    ("rpds", &["rapids"]),
    ("rst", &["rest"]),
    ("rdg", &["ridge", "rdge"]),
    ("riv", &["river", "rvr", "rivr"]),
    ("rte", &["route"]),
    ("shl", &["shoal"]),
    ("shls", &["shoals"]),
    ("shr", &["shore", "shoar"]),
    ("shrs", &["shores"]),
    ("spg", &["spring", "spng", "sprng"]),
    ("spgs", &["springs", "spngs", "sprngs"]),
    ("sta", &["station", "statn", "stn"]),
    ("strm", &["stream", "streme"]),
    ("smt", &["summit", "sumit", "sumitt"]),
    ("trce", &["trace", "traces"]),
    ("trak", &["track", "tracks", "trk", "trks"]),
    ("tunl", &["tunnel", "tunls", "tunnels", "tunnl"]),
    ("tpke", &["turnpike", "trnpk", "turnpk"]),
    ("un", &["union"]),
    ("vly", &["valley", "vally", "vlly"]),
    ("via", &["viaduct", "vdct", "viadct"]),
    ("vw", &["view"]),
    ("vlg", &["village", "vill", "villag", "villg", "villiage"]),
    ("vl", &["ville"]),
    ("vis", &["vista", "vist", "vst", "vsta"]),
    ("walk", &["walks"]),
    ("wl", &["well"]),
    ("wls", &["wells"]),
];

/// Standard forms that are directionals.
const DIRECTIONALS: &[&str] = &["n", "s", "e", "w", "ne", "nw", "se", "sw"];

/// Standard forms that are street suffixes (everything in the table after the
/// ordinals, except the place words that are not suffixes).
fn is_suffix(word: &str) -> bool {
    !DIRECTIONALS.contains(&word)
        && !word.starts_with(|c: char| c.is_ascii_digit())
        && ABBREVIATIONS.iter().any(|(standard, _)| *standard == word)
}

fn abbreviate(word: &str) -> &str {
    ABBREVIATIONS
        .iter()
        .find(|(standard, others)| *standard == word || others.contains(&word))
        .map_or(word, |(standard, _)| standard)
}

/// Designators that always start a unit.
const STRONG_DESIGNATORS: &[&str] = &["#", "apt", "apartment", "unit", "ste", "suite"];
/// Designators that start a unit only when followed by a number or a single letter
/// (they are also ordinary words: `Old Mill Lot Rd`).
const WEAK_DESIGNATORS: &[&str] = &[
    "rm",
    "room",
    "bldg",
    "building",
    "fl",
    "floor",
    "trlr",
    "trailer",
    "spc",
    "space",
    "lot",
    "dept",
    "department",
    "ofc",
    "office",
    "ph",
    "penthouse",
    "no",
    "num",
    "number",
];

fn is_designator(word: &str) -> bool {
    STRONG_DESIGNATORS.contains(&word) || WEAK_DESIGNATORS.contains(&word)
}

fn looks_like_unit_value(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit()) || word.chars().count() == 1
}

/// Split text into lower-case words: apostrophes vanish, `#` is a word, a hyphen
/// between digits joins them, a period after a single letter joins (`N.E.` is `ne`,
/// `P.O.` is `po`) and otherwise separates (`St.Louis`), other punctuation separates.
fn words(text: &str) -> Vec<String> {
    let folded: Vec<char> = fold(text).chars().collect();
    let mut spaced = String::with_capacity(folded.len() + 8);
    let mut word_len = 0usize;
    for (i, &c) in folded.iter().enumerate() {
        let separate = match c {
            '\'' | '’' | '‘' | '`' | '´' | 'ʼ' => false,
            '.' => word_len != 1,
            '#' => {
                spaced.push_str(" # ");
                word_len = 0;
                continue;
            }
            '-' | '‐' | '‑' | '–' | '—' => {
                let digit_before = i > 0 && folded[i - 1].is_ascii_digit();
                let digit_after = folded.get(i + 1).is_some_and(char::is_ascii_digit);
                !(digit_before && digit_after)
            }
            c if c.is_alphanumeric() || c == '/' => {
                spaced.push(c);
                word_len += 1;
                continue;
            }
            _ => true,
        };
        if separate {
            spaced.push(' ');
            word_len = 0;
        }
    }
    let mut words: Vec<String> = spaced.split_whitespace().map(str::to_owned).collect();
    // "Post Office Box" and "P O Box" are "PO Box".
    if words.len() >= 2
        && matches!(
            (words[0].as_str(), words[1].as_str()),
            ("post", "office") | ("p", "o")
        )
    {
        words.splice(0..2, ["po".to_owned()]);
    }
    words
}

/// `true` for a fraction such as `1/2`.
fn is_fraction(word: &str) -> bool {
    match word.split_once('/') {
        Some((top, bottom)) => {
            !top.is_empty()
                && !bottom.is_empty()
                && top.chars().all(|c| c.is_ascii_digit())
                && bottom.chars().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// The unit value from words that follow a designator: designators dropped from the
/// front, `#` dropped anywhere, the rest compacted. `None` when nothing (or only a
/// designator) is left.
fn unit_value(words: &[String]) -> Option<String> {
    let start = words
        .iter()
        .position(|word| !is_designator(word))
        .unwrap_or(words.len());
    let value: String = words[start..]
        .iter()
        .filter(|word| word.as_str() != "#")
        .map(String::as_str)
        .collect();
    (!value.is_empty() && !is_designator(&value)).then_some(value)
}

struct StreetParts {
    house_number: String,
    pre_directional: Option<String>,
    street_name: String,
    suffix: Option<String>,
    post_directional: Option<String>,
    unit: Option<String>,
}

fn parse_street(street: &str) -> StreetParts {
    let mut raw = words(street);
    // Every word in standard form first: parsing then sees the same words whether it
    // reads what a person typed or an address already in normal form.
    let mut abbreviated: Vec<String> = raw.iter().map(|w| abbreviate(w).to_owned()).collect();
    // House number: a first word starting with a digit, and a fraction after it.
    let mut house = Vec::new();
    if abbreviated
        .first()
        .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()))
    {
        house.push(abbreviated.remove(0));
        raw.remove(0);
        if abbreviated.first().is_some_and(|w| is_fraction(w)) {
            house.push(abbreviated.remove(0));
            raw.remove(0);
        }
    }
    // Unit: from the first designator that follows at least one street word. Its value
    // keeps the words as typed (a unit is not abbreviated).
    let mut unit = None;
    let designator_at = (1..abbreviated.len()).find(|&i| {
        let word = abbreviated[i].as_str();
        STRONG_DESIGNATORS.contains(&word)
            || (WEAK_DESIGNATORS.contains(&word)
                && abbreviated
                    .get(i + 1)
                    .is_some_and(|next| looks_like_unit_value(next)))
    });
    if let Some(at) = designator_at {
        unit = unit_value(&raw[at..]);
        abbreviated.truncate(at);
    }
    let mut rest = abbreviated;
    let mut post_directional = None;
    if rest.len() >= 3
        && DIRECTIONALS.contains(&rest[rest.len() - 1].as_str())
        && is_suffix(&rest[rest.len() - 2])
    {
        post_directional = rest.pop();
    }
    let mut suffix = None;
    if rest.len() >= 2 && rest.last().is_some_and(|w| is_suffix(w)) {
        suffix = rest.pop();
    }
    let mut pre_directional = None;
    if rest.len() >= 2 && DIRECTIONALS.contains(&rest[0].as_str()) {
        pre_directional = Some(rest.remove(0));
    }
    StreetParts {
        house_number: house.join(" "),
        pre_directional,
        street_name: rest.join(" "),
        suffix,
        post_directional,
        unit,
    }
}

fn normalise_city(city: &str) -> String {
    words(city)
        .iter()
        .map(|w| abbreviate(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Bring an address to normal form (see the module docs).
pub fn normalise_address(a: &Address) -> NormalisedAddress {
    let street = parse_street(&a.street);
    let unit_field = a.unit.as_deref().and_then(|u| unit_value(&words(u)));
    let digits: String = a.zip.chars().filter(char::is_ascii_digit).collect();
    let zip5: String = digits.chars().take(5).collect();
    let zip4 = (digits.len() >= 9).then(|| digits[5..9].to_owned());
    NormalisedAddress {
        house_number: street.house_number,
        pre_directional: street.pre_directional,
        street_name: street.street_name,
        suffix: street.suffix,
        post_directional: street.post_directional,
        unit: unit_field.or(street.unit),
        city: normalise_city(&a.city),
        state: fold(&a.state)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_uppercase(),
        zip5,
        zip4,
    }
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Compare a typed address with the one on record: the tolerances used on a match, or
/// every field that did not match.
pub fn compare_addresses(
    typed: &Address,
    on_record: &Address,
) -> Result<AddressMatch, Vec<AddressField>> {
    let (t, r) = (normalise_address(typed), normalise_address(on_record));
    let mut failed = Vec::new();
    let mut tolerances = Vec::new();

    if t.house_number != r.house_number {
        failed.push(AddressField::HouseNumber);
    }

    let (typed_name, record_name) = (compact(&t.street_name), compact(&r.street_name));
    let name_ok = if typed_name == record_name {
        !record_name.is_empty() || !r.house_number.is_empty()
    } else if !typed_name.chars().any(|c| c.is_ascii_digit())
        && !record_name.chars().any(|c| c.is_ascii_digit())
        && record_name.chars().count() >= TYPO_MIN_CHARS
        && within_one_edit(&typed_name, &record_name)
    {
        tolerances.push(AddressTolerance::StreetTypo);
        true
    } else {
        false
    };
    if !name_ok
        || t.pre_directional != r.pre_directional
        || t.suffix != r.suffix
        || t.post_directional != r.post_directional
    {
        failed.push(AddressField::Street);
    }

    match (&t.unit, &r.unit) {
        (Some(typed_unit), Some(record_unit)) if typed_unit != record_unit => {
            failed.push(AddressField::Unit);
        }
        (Some(_), None) | (None, Some(_)) => tolerances.push(AddressTolerance::UnitOmitted),
        _ => {}
    }

    let (typed_city, record_city) = (compact(&t.city), compact(&r.city));
    if typed_city.is_empty() || typed_city != record_city {
        failed.push(AddressField::City);
    }

    if t.state.is_empty() || t.state != r.state {
        failed.push(AddressField::State);
    }

    if t.zip5.len() != 5 || t.zip5 != r.zip5 {
        failed.push(AddressField::Zip);
    } else if t.zip4 != r.zip4 {
        tolerances.push(AddressTolerance::Zip5);
    }

    if failed.is_empty() {
        Ok(AddressMatch { tolerances })
    } else {
        Err(failed)
    }
}

/// Whether a typed address matches the one on record, and with which tolerances.
pub fn addresses_match(typed: &Address, on_record: &Address) -> Option<AddressMatch> {
    compare_addresses(typed, on_record).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn address(street: &str, unit: Option<&str>, city: &str, state: &str, zip: &str) -> Address {
        Address {
            street: street.to_owned(),
            unit: unit.map(str::to_owned),
            city: city.to_owned(),
            state: state.to_owned(),
            zip: zip.to_owned(),
        }
    }

    fn record() -> Address {
        address(
            "100 North Example Street",
            Some("Apt 4B"),
            "Testville",
            "VA",
            "220001234",
        )
    }

    #[test]
    fn the_street_line_splits_into_its_parts() {
        let n = normalise_address(&address(
            "1234 1/2 North Example Avenue Southwest",
            None,
            "Saint Testville",
            "va",
            "22000-1234",
        ));
        assert_eq!(n.house_number, "1234 1/2");
        assert_eq!(n.pre_directional.as_deref(), Some("n"));
        assert_eq!(n.street_name, "example");
        assert_eq!(n.suffix.as_deref(), Some("ave"));
        assert_eq!(n.post_directional.as_deref(), Some("sw"));
        assert_eq!(n.city, "st testville");
        assert_eq!(n.state, "VA");
        assert_eq!(n.zip5, "22000");
        assert_eq!(n.zip4.as_deref(), Some("1234"));
        assert_eq!(n.street_line(), "1234 1/2 n example ave sw");
        assert_eq!(format!("{n:?}"), "NormalisedAddress { .. }");
    }

    #[test]
    fn a_directional_or_suffix_alone_is_the_street_name() {
        let n = normalise_address(&address("12 North St", None, "Testville", "VA", "22000"));
        assert_eq!(n.street_name, "n");
        assert_eq!(n.suffix.as_deref(), Some("st"));
        assert_eq!(n.pre_directional, None);
        let n = normalise_address(&address("12 Parkway", None, "Testville", "VA", "22000"));
        assert_eq!(n.street_name, "pkwy");
        assert_eq!(n.suffix, None);
    }

    #[test]
    fn case_punctuation_suffixes_and_directionals_do_not_matter() {
        let typed = address(
            "100 N. example st.",
            Some("apt. 4-B"),
            "TESTVILLE",
            "va",
            "22000-1234",
        );
        assert_eq!(
            addresses_match(&typed, &record()),
            Some(AddressMatch::default())
        );
        for (long, short) in [
            ("Avenue", "Ave"),
            ("Road", "Rd"),
            ("Drive", "Dr"),
            ("Boulevard", "Blvd"),
            ("Lane", "Ln"),
            ("Court", "Ct"),
            ("Place", "Pl"),
            ("Terrace", "Ter"),
            ("Circle", "Cir"),
            ("Highway", "Hwy"),
            ("Parkway", "Pkwy"),
            ("Square", "Sq"),
            ("Trail", "Trl"),
            ("Way", "Wy"),
        ] {
            for (d_long, d_short) in [
                ("North", "N"),
                ("South", "S"),
                ("East", "E"),
                ("West", "W"),
                ("Northeast", "NE"),
                ("Northwest", "NW"),
                ("Southeast", "SE"),
                ("Southwest", "SW"),
            ] {
                let a = address(
                    &format!("7 {d_long} Example {long}"),
                    None,
                    "Testville",
                    "VA",
                    "22000",
                );
                let b = address(
                    &format!("7 {d_short} Example {short}"),
                    None,
                    "Testville",
                    "VA",
                    "22000",
                );
                assert!(
                    addresses_match(&a, &b).is_some_and(|m| m.is_exact()),
                    "{long} {d_long}"
                );
            }
        }
    }

    #[test]
    fn apartment_hash_and_unit_are_the_same() {
        for unit in [
            "#4B",
            "# 4b",
            "Apt 4B",
            "Apartment 4b",
            "Unit 4-B",
            "Suite 4B",
            "4B",
        ] {
            let typed = address(
                "100 N Example St",
                Some(unit),
                "Testville",
                "VA",
                "220001234",
            );
            assert_eq!(
                addresses_match(&typed, &record()),
                Some(AddressMatch::default()),
                "{unit}"
            );
        }
        for street in [
            "100 N Example St Apt 4B",
            "100 N Example St #4B",
            "100 N Example St, Apartment 4-b",
            "100 N Example St Unit 4B",
        ] {
            let typed = address(street, None, "Testville", "VA", "220001234");
            assert_eq!(
                addresses_match(&typed, &record()),
                Some(AddressMatch::default()),
                "{street}"
            );
        }
        let other_unit = address(
            "100 N Example St",
            Some("#5B"),
            "Testville",
            "VA",
            "220001234",
        );
        assert_eq!(
            compare_addresses(&other_unit, &record()),
            Err(vec![AddressField::Unit])
        );
    }

    #[test]
    fn a_unit_left_out_is_tolerated_and_noted() {
        let typed = address("100 N Example St", None, "Testville", "VA", "220001234");
        assert_eq!(
            addresses_match(&typed, &record()).map(|m| m.tolerances),
            Some(vec![AddressTolerance::UnitOmitted])
        );
    }

    #[test]
    fn weak_designators_need_a_number() {
        let n = normalise_address(&address("9 Old Lot Rd", None, "Testville", "VA", "22000"));
        assert_eq!(n.street_name, "old lot");
        assert_eq!(n.unit, None);
        let n = normalise_address(&address(
            "9 Example Rd Lot 12",
            None,
            "Testville",
            "VA",
            "22000",
        ));
        assert_eq!(n.street_name, "example");
        assert_eq!(n.unit.as_deref(), Some("12"));
    }

    #[test]
    fn zip_plus_four_matches_zip() {
        let five = address("100 N Example St", Some("4B"), "Testville", "VA", "22000");
        assert_eq!(
            addresses_match(&five, &record()).map(|m| m.tolerances),
            Some(vec![AddressTolerance::Zip5])
        );
        let other_plus_four = address(
            "100 N Example St",
            Some("4B"),
            "Testville",
            "VA",
            "220009999",
        );
        assert_eq!(
            addresses_match(&other_plus_four, &record()).map(|m| m.tolerances),
            Some(vec![AddressTolerance::Zip5])
        );
        let dashed = address(
            "100 N Example St",
            Some("4B"),
            "Testville",
            "VA",
            "22000-1234",
        );
        assert_eq!(
            addresses_match(&dashed, &record()).map(|m| m.tolerances),
            Some(vec![])
        );
        let other_zip = address("100 N Example St", Some("4B"), "Testville", "VA", "22001");
        assert_eq!(
            compare_addresses(&other_zip, &record()),
            Err(vec![AddressField::Zip])
        );
        let short_zip = address("100 N Example St", Some("4B"), "Testville", "VA", "2200");
        assert!(addresses_match(&short_zip, &record()).is_none());
    }

    #[test]
    fn house_numbers_must_match_exactly() {
        let typed = address(
            "101 N Example St",
            Some("4B"),
            "Testville",
            "VA",
            "220001234",
        );
        assert_eq!(
            compare_addresses(&typed, &record()),
            Err(vec![AddressField::HouseNumber])
        );
        let typed = address(
            "10 N Example St",
            Some("4B"),
            "Testville",
            "VA",
            "220001234",
        );
        assert!(addresses_match(&typed, &record()).is_none());
    }

    #[test]
    fn one_typo_in_a_long_street_name_passes_but_not_in_numbers_or_short_names() {
        let record = address("100 Examplar Rd", None, "Testville", "VA", "22000");
        let typed = address("100 Exmaplar Rd", None, "Testville", "VA", "22000");
        assert_eq!(
            addresses_match(&typed, &record).map(|m| m.tolerances),
            Some(vec![AddressTolerance::StreetTypo])
        );
        let two = address("100 Exmaplra Rd", None, "Testville", "VA", "22000");
        assert!(addresses_match(&two, &record).is_none());
        let short_record = address("100 Oak Rd", None, "Testville", "VA", "22000");
        let short_typed = address("100 Oat Rd", None, "Testville", "VA", "22000");
        assert!(addresses_match(&short_typed, &short_record).is_none());
        let numbered = address("100 125th St", None, "Testville", "VA", "22000");
        let numbered_typo = address("100 126th St", None, "Testville", "VA", "22000");
        assert!(addresses_match(&numbered_typo, &numbered).is_none());
    }

    #[test]
    fn ordinal_words_equal_their_numbers() {
        for (word, number) in [
            ("First", "1st"),
            ("Second", "2nd"),
            ("Third", "3rd"),
            ("Tenth", "10th"),
        ] {
            let a = address(&format!("5 {word} Ave"), None, "Testville", "VA", "22000");
            let b = address(&format!("5 {number} Ave"), None, "Testville", "VA", "22000");
            assert!(
                addresses_match(&a, &b).is_some_and(|m| m.is_exact()),
                "{word}"
            );
        }
    }

    #[test]
    fn suffix_and_directional_must_agree() {
        let record = address("5 Example Ave", None, "Testville", "VA", "22000");
        for typed in ["5 Example St", "5 N Example Ave", "5 Example Ave E"] {
            let typed = address(typed, None, "Testville", "VA", "22000");
            assert_eq!(
                compare_addresses(&typed, &record),
                Err(vec![AddressField::Street])
            );
        }
    }

    #[test]
    fn city_variants_match_but_state_must_agree() {
        for (a, b) in [
            ("St. Testville", "Saint Testville"),
            ("Ft Testville", "Fort Testville"),
            ("Mt. Testville", "Mount Testville"),
            ("Testville Beach", "testville beach"),
            ("Mc Testville", "McTestville"),
            ("Testvillé", "TESTVILLE"),
        ] {
            let typed = address("5 Example Ave", None, a, "VA", "22000");
            let on_record = address("5 Example Ave", None, b, "VA", "22000");
            assert!(addresses_match(&typed, &on_record).is_some(), "{a} {b}");
        }
        let typed = address("5 Example Ave", None, "Otherville", "MD", "22000");
        let on_record = address("5 Example Ave", None, "Testville", "VA", "22000");
        assert_eq!(
            compare_addresses(&typed, &on_record),
            Err(vec![AddressField::City, AddressField::State])
        );
    }

    #[test]
    fn dotted_abbreviations_join_and_other_periods_separate() {
        let a = address("100 N.E. Example St.", None, "St.Testville", "VA", "22000");
        let b = address(
            "100 Northeast Example Street",
            None,
            "Saint Testville",
            "VA",
            "22000",
        );
        assert!(addresses_match(&a, &b).is_some_and(|m| m.is_exact()));
    }

    #[test]
    fn po_boxes_compare_as_street_lines() {
        let record = address("PO Box 123", None, "Testville", "VA", "22000");
        let typed = address("P.O. Box 123", None, "Testville", "VA", "22000");
        assert!(addresses_match(&typed, &record).is_some());
        let wrong = address("PO Box 124", None, "Testville", "VA", "22000");
        assert!(addresses_match(&wrong, &record).is_none());
    }

    #[test]
    fn standard_forms_map_to_themselves_and_spellings_are_unambiguous() {
        let mut seen = std::collections::HashMap::new();
        for (standard, others) in ABBREVIATIONS {
            assert_eq!(abbreviate(standard), *standard, "{standard}");
            for other in *others {
                if let Some(previous) = seen.insert(*other, *standard) {
                    assert_eq!(previous, *standard, "{other} is ambiguous");
                }
                if !other.contains(' ') {
                    assert_eq!(abbreviate(other), *standard, "{other}");
                }
            }
        }
    }

    fn address_strategy() -> impl Strategy<Value = Address> {
        (
            "[0-9]{0,5}( [0-9]/[0-9])?( (N|North|se|Saint))? [A-Za-zé' .#-]{0,20}( (St|Street|Ave|Pkwy|way))?( (N|W|Southwest))?( (Apt|#|Unit|Lot|Room) ?[0-9A-Za-z-]{0,4})?",
            proptest::option::of("(#|Apt|Unit|Suite|Lot)? ?[0-9A-Za-z -]{0,6}"),
            "[A-Za-z .'-]{0,20}",
            "[A-Za-z]{0,3}",
            "[0-9 -]{0,11}",
        )
            .prop_map(|(street, unit, city, state, zip)| Address {
                street,
                unit,
                city,
                state,
                zip,
            })
    }

    fn complete_address_strategy() -> impl Strategy<Value = Address> {
        (
            "[0-9]{1,5}( (N|North|se|Saint))? [A-Za-zé' .-]{1,20}( (St|Street|Ave|Pkwy|way))?( (N|W|Southwest))?( (Apt|#|Unit|Lot|Room) ?[0-9A-Za-z-]{0,4})?",
            proptest::option::of("(#|Apt|Unit|Suite|Lot)? ?[0-9A-Za-z -]{0,6}"),
            "[A-Za-z][A-Za-z .'-]{0,19}",
            "[A-Za-z]{2}",
            "[0-9]{5}(-?[0-9]{4})?",
        )
            .prop_map(|(street, unit, city, state, zip)| Address {
                street,
                unit,
                city,
                state,
                zip,
            })
    }

    fn arbitrary_address() -> impl Strategy<Value = Address> {
        (
            "\\PC{0,40}",
            proptest::option::of("\\PC{0,10}"),
            "\\PC{0,20}",
            "\\PC{0,4}",
            "\\PC{0,12}",
        )
            .prop_map(|(street, unit, city, state, zip)| Address {
                street,
                unit,
                city,
                state,
                zip,
            })
    }

    proptest! {
        #[test]
        fn normalise_address_is_idempotent(a in address_strategy()) {
            let once = normalise_address(&a);
            prop_assert_eq!(normalise_address(&once.to_address()), once);
        }

        #[test]
        fn normalise_address_is_idempotent_on_any_text(a in arbitrary_address()) {
            let once = normalise_address(&a);
            prop_assert_eq!(normalise_address(&once.to_address()), once);
        }

        #[test]
        fn a_complete_address_matches_itself(a in complete_address_strategy()) {
            let n = normalise_address(&a);
            prop_assert!(addresses_match(&a, &a).is_some_and(|m| m.is_exact()));
            prop_assert!(addresses_match(&n.to_address(), &a).is_some());
        }

        #[test]
        fn address_rules_never_panic(a in arbitrary_address(), b in arbitrary_address()) {
            let _ = compare_addresses(&a, &b);
        }
    }
}
