//! The word lists a synthetic population is drawn from, and the small text operations
//! the scenarios need (nicknames, typos, accent folding).
//!
//! Last names, streets, cities and companies are made up so that nobody could mistake a
//! generated record for a real person's: every last name contains a word like *Test*,
//! *Sample*, *Example*, *Mock* or *Demo* (or *Prueba* / *Beispiel* / *Ejemplo*, the same
//! words in Spanish and German). First names are ordinary given names, because the
//! nickname rules (Bob for Robert, Pepe for José) need real ones.

use rand::{Rng, RngExt};

/// First names. No two are nickname variants of each other, and no two are a single
/// edit apart, so a spouse's name never "matches" the filer's by accident.
pub(super) const FIRST_NAMES: &[&str] = &[
    "Robert",
    "Elizabeth",
    "William",
    "Katherine",
    "José",
    "María",
    "Richard",
    "James",
    "Margaret",
    "Michael",
    "Thomas",
    "Charles",
    "Edward",
    "Jennifer",
    "Patricia",
    "Francisco",
    "Christopher",
    "Daniel",
    "Anthony",
    "Susan",
    "Rebecca",
    "Avery",
    "Jordan",
    "Quinn",
    "Harper",
    "Olivia",
    "Noah",
    "Emma",
    "Sofia",
    "Mateo",
    "Aisha",
    "Wei",
    "Priya",
    "Andrés",
    "Inés",
    "Renée",
    "Ingrid",
    "Chloé",
    "Kenji",
    "Dolores",
    "Hamza",
    "Leilani",
    "Ngozi",
    "Dmitri",
    "Oskar",
    "Siobhan",
    "Yusuf",
    "Beatriz",
    "Gunnar",
];

/// Common nickname of a formal first name, as applicants type it: `(formal, nickname)`.
/// Every formal name here is in [`FIRST_NAMES`]; the matching rules must treat each pair
/// as the same name (the `nickname` scenario expects it).
pub const NICKNAMES: &[(&str, &str)] = &[
    ("Robert", "Bob"),
    ("Elizabeth", "Liz"),
    ("William", "Bill"),
    ("Katherine", "Kate"),
    ("José", "Pepe"),
    ("Richard", "Rick"),
    ("James", "Jim"),
    ("Margaret", "Peggy"),
    ("Michael", "Mike"),
    ("Thomas", "Tom"),
    ("Charles", "Charlie"),
    ("Edward", "Ed"),
    ("Jennifer", "Jenny"),
    ("Patricia", "Patty"),
    ("Francisco", "Paco"),
    ("Christopher", "Chris"),
    ("Daniel", "Dan"),
    ("Anthony", "Tony"),
    ("Susan", "Sue"),
    ("Rebecca", "Becky"),
];

/// Made-up last names: plain ones (most of them six letters or more, for the typo
/// scenarios), hyphenated ones, ones with apostrophes and ones with accents.
pub(super) const LAST_NAMES: &[&str] = &[
    "Testperson",
    "Sampleton",
    "Exampleberg",
    "Placeholder",
    "Mockwell",
    "Dummyfield",
    "Fixtureman",
    "Stubbington",
    "Specimenko",
    "Prototyper",
    "Fakerson",
    "Pretendez",
    "Fictionale",
    "Mockingham",
    "Samplewood",
    "Testacre",
    "Examplesen",
    "Dummington",
    "Nullberg",
    "Loremson",
    "Ipsumova",
    "Foobarson",
    "Trialworth",
    "Sandboxley",
    "Stagingham",
    "Notrealski",
    "Madeupsky",
    "Synthetico",
    "Demos",
    "Fakey",
    "Mocka",
    "Testo",
    "Fakenham-Demo",
    "Sample-Testperson",
    "Mock-Exampleberg",
    "Dummy-Placeholder",
    "Testa-Mockwell",
    "Núñez-Prueba",
    "Müller-Beispiel",
    "Pérez-Ejemplo",
    "O'Testa",
    "O'Sampleton",
    "D'Exemplo",
    "O'Mockery",
    "Ejemplón",
    "Éxampleau",
    "Beispielmänn",
    "Muestrário",
];

/// Suffixes, rarely present.
pub(super) const SUFFIXES: &[&str] = &["Jr.", "Sr.", "II", "III", "IV"];

/// Middle initials, as `A.`.
pub(super) const INITIALS: &[&str] = &[
    "A.", "B.", "C.", "D.", "E.", "F.", "G.", "H.", "J.", "K.", "L.", "M.", "N.", "P.", "R.", "S.",
    "T.", "V.", "W.",
];

/// Street names (the part between the number and the suffix).
pub(super) const STREET_NAMES: &[&str] = &[
    "Example",
    "Sample",
    "Test",
    "Demo",
    "Mock",
    "Placeholder",
    "Fixture",
    "Specimen",
    "Prototype",
    "Dummy",
    "Stub",
    "Synthetic",
    "Fictional",
    "Pretend",
    "Imaginary",
    "Sandbox",
];

/// Street suffixes: `(full, USPS abbreviation)`.
pub(super) const STREET_SUFFIXES: &[(&str, &str)] = &[
    ("Street", "St"),
    ("Avenue", "Ave"),
    ("Road", "Rd"),
    ("Boulevard", "Blvd"),
    ("Drive", "Dr"),
    ("Lane", "Ln"),
    ("Court", "Ct"),
    ("Place", "Pl"),
    ("Terrace", "Ter"),
    ("Parkway", "Pkwy"),
    ("Circle", "Cir"),
];

/// Directionals: `(full, USPS abbreviation)`.
pub(super) const DIRECTIONALS: &[(&str, &str)] = &[
    ("North", "N"),
    ("South", "S"),
    ("East", "E"),
    ("West", "W"),
    ("Northeast", "NE"),
    ("Northwest", "NW"),
    ("Southeast", "SE"),
    ("Southwest", "SW"),
];

pub(super) const CITIES: &[&str] = &[
    "Testville",
    "Sampleton",
    "Exampleburg",
    "Demoton",
    "Mockford",
    "Placeholder Springs",
    "Fixture Falls",
    "Specimen City",
    "Stubbsville",
    "Dummyport",
    "Prototype Heights",
    "Samplefield",
    "Testington",
    "Exampleport",
    "Mock Harbor",
    "North Testville",
    "Lake Example",
    "Fort Sample",
];

/// Real two-letter codes (the addresses in them are not real).
pub(super) const STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "PR",
];

/// Organizations that hold business phone lines.
pub(super) const ORGANIZATIONS: &[&str] = &[
    "Example Widgets LLC",
    "Sample Logistics Inc",
    "Demo Dental Group PC",
    "Testville Plumbing Co",
];

/// One element of a non-empty constant list.
pub(super) fn pick<T: Copy>(rng: &mut impl Rng, list: &[T]) -> T {
    list[rng.random_range(0..list.len())]
}

/// One element, drawn with the given weights (which must not all be zero).
pub(super) fn weighted<T: Copy>(rng: &mut impl Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for &(item, weight) in items {
        if roll < weight {
            return item;
        }
        roll -= weight;
    }
    items[items.len() - 1].0
}

pub(super) fn nickname_of(formal: &str) -> Option<&'static str> {
    NICKNAMES
        .iter()
        .find(|(f, _)| *f == formal)
        .map(|(_, nick)| *nick)
}

/// Plain ASCII letters, six or more: a single typo in it must still match.
pub(super) fn is_long_plain(name: &str) -> bool {
    name.len() >= 6 && name.bytes().all(|b| b.is_ascii_alphabetic())
}

pub(super) fn is_hyphenated(name: &str) -> bool {
    name.contains('-')
}

/// Has an accent or an apostrophe that normalisation must see through.
pub(super) fn has_marks(name: &str) -> bool {
    name.contains('\'') || !name.is_ascii()
}

/// Accents removed (`Núñez` → `Nunez`), for the characters these lists use.
pub(super) fn fold_accents(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'A',
            'É' | 'È' | 'Ê' | 'Ë' => 'E',
            'Í' | 'Ì' | 'Î' | 'Ï' => 'I',
            'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'O',
            'Ú' | 'Ù' | 'Û' | 'Ü' => 'U',
            'Ñ' => 'N',
            'Ç' => 'C',
            other => other,
        })
        .collect()
}

/// The comparison key used when choosing names that must *not* match: accents folded,
/// lower case, letters only.
pub(super) fn plain_key(text: &str) -> String {
    fold_accents(text)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Edit distance counting an adjacent transposition as one edit (optimal string
/// alignment), on characters.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// A lower-case letter other than `not`.
fn other_letter(rng: &mut impl Rng, not: u8) -> u8 {
    let not = not.to_ascii_lowercase();
    let mut letter = b'a' + rng.random_range(0..25u8);
    if letter >= not {
        letter += 1;
    }
    letter
}

/// Keeps the case of the letter it replaces.
fn replace_letter(rng: &mut impl Rng, original: u8) -> u8 {
    let letter = other_letter(rng, original);
    if original.is_ascii_uppercase() {
        letter.to_ascii_uppercase()
    } else {
        letter
    }
}

/// One typo in a plain ASCII name: a letter changed, or two different neighbouring
/// letters swapped. The result is exactly one edit away.
pub(super) fn one_typo(rng: &mut impl Rng, name: &str) -> String {
    let mut bytes = name.as_bytes().to_vec();
    let swappable: Vec<usize> = (1..bytes.len().saturating_sub(1))
        .filter(|&i| !bytes[i].eq_ignore_ascii_case(&bytes[i + 1]))
        .collect();
    if !swappable.is_empty() && rng.random_bool(0.4) {
        let i = pick(rng, &swappable);
        bytes.swap(i, i + 1);
    } else {
        // Not the first letter: people rarely get that wrong.
        let i = rng.random_range(1..bytes.len());
        bytes[i] = replace_letter(rng, bytes[i]);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Two letters changed, far enough apart that no single swap explains them: exactly two
/// edits away.
pub(super) fn two_typos(rng: &mut impl Rng, name: &str) -> String {
    let mut bytes = name.as_bytes().to_vec();
    let len = bytes.len();
    let first = rng.random_range(1..len - 2);
    let second = rng.random_range(first + 2..len);
    bytes[first] = replace_letter(rng, bytes[first]);
    bytes[second] = replace_letter(rng, bytes[second]);
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use std::collections::HashSet;

    #[test]
    fn lists_are_big_enough_and_unique() {
        assert!(LAST_NAMES.len() >= 40);
        for list in [
            FIRST_NAMES,
            LAST_NAMES,
            STREET_NAMES,
            CITIES,
            STATES,
            ORGANIZATIONS,
        ] {
            let unique: HashSet<_> = list.iter().collect();
            assert_eq!(unique.len(), list.len());
        }
        assert!(LAST_NAMES.iter().filter(|n| is_hyphenated(n)).count() >= 5);
        assert!(LAST_NAMES.iter().filter(|n| n.contains('\'')).count() >= 3);
        assert!(LAST_NAMES.iter().filter(|n| !n.is_ascii()).count() >= 5);
        assert!(LAST_NAMES.iter().filter(|n| is_long_plain(n)).count() >= 20);
        assert!(STATES.iter().all(|s| s.len() == 2));
    }

    #[test]
    fn every_last_name_is_obviously_made_up() {
        let markers = [
            "test",
            "sampl",
            "exampl",
            "mock",
            "demo",
            "dumm",
            "placeholder",
            "fixture",
            "stub",
            "specimen",
            "prototyp",
            "fake",
            "pretend",
            "fiction",
            "null",
            "lorem",
            "ipsum",
            "foobar",
            "trial",
            "sandbox",
            "staging",
            "notreal",
            "madeup",
            "synthetic",
            "prueba",
            "beispiel",
            "ejempl",
            "exempl",
            "muestra",
        ];
        for name in LAST_NAMES {
            let key = plain_key(name);
            assert!(
                markers.iter().any(|m| key.contains(m)),
                "{name} does not look made up"
            );
        }
    }

    #[test]
    fn first_names_never_match_each_other() {
        for (i, a) in FIRST_NAMES.iter().enumerate() {
            for b in &FIRST_NAMES[i + 1..] {
                assert!(
                    edit_distance(&plain_key(a), &plain_key(b)) >= 3,
                    "{a} and {b} are too close"
                );
            }
        }
        for (formal, _) in NICKNAMES {
            assert!(FIRST_NAMES.contains(formal));
        }
    }

    #[test]
    fn typos_are_one_and_two_edits_away() {
        let mut rng = StdRng::seed_from_u64(3);
        for name in LAST_NAMES.iter().filter(|n| is_long_plain(n)) {
            for _ in 0..50 {
                let one = one_typo(&mut rng, name);
                assert_eq!(edit_distance(name, &one), 1, "{name} -> {one}");
                let two = two_typos(&mut rng, name);
                assert_eq!(edit_distance(name, &two), 2, "{name} -> {two}");
                assert_eq!(
                    edit_distance(&name.to_lowercase(), &two.to_lowercase()),
                    2,
                    "{name} -> {two} is two edits whatever the case"
                );
            }
        }
    }

    #[test]
    fn accents_fold_and_distance_counts_swaps_once() {
        assert_eq!(fold_accents("Núñez-Prueba"), "Nunez-Prueba");
        assert_eq!(fold_accents("Müller-Beispiel"), "Muller-Beispiel");
        assert_eq!(plain_key("O'Testa"), "otesta");
        assert_eq!(edit_distance("Sampleton", "Smapleton"), 1);
        assert_eq!(edit_distance("Sampleton", "Sampleton"), 0);
        assert_eq!(edit_distance("abc", ""), 3);
    }
}
