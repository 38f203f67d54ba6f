//! The street-line forms people type for the same USPS address, brought to one form
//! before [`super::address`] splits the line into parts. Works on the lower-case words
//! of the line (before abbreviation) and keeps every rule idempotent: its output, read
//! again, comes out unchanged.
//!
//! - **Run-together words** split: `RR2` → `rr 2`, `Box15` → `box 15`, `POBox` →
//!   `po box`, `Apt4B` → `apt 4b`.
//! - **Post office boxes** (Publication 28 §28): `PO Box`, `P.O. Box`, `POB`, `Post
//!   Office Box`, `Post Box`, `Postal Box`, `PO Bx`, `Box`, `Lock Box`, `Drawer` and `PO
//!   Drawer` at the start of the line are `po box`; a `#`, `No.` or `Number` before the
//!   box number is dropped.
//! - **Rural routes** (§27): `RR`, `R.R.`, `Rural Route`, `Rural Rte`, `RFD`, `Rural
//!   Free Delivery`, and `Route`/`Rte`/`Rt` when a box follows, are `rr`; **highway
//!   contract routes** (§27): `HC`, `HCR`, `Highway Contract (Route)`, `Star Route`
//!   are `hc`. `#`/`No.` before the route number is dropped, and `Box`/`Bx`/`PO Box`
//!   with its `#` after it is `box`.
//! - **Ordinals** are numbers: `First`, `1st`, `Twenty-First`, `Twenty First`, `21st`
//!   and `21` are all `21` (so `5th Ave` = `Fifth Ave` = `5 Ave`), up to `Ninety-Ninth`.

/// Words for 1 to 19 as ordinals, with their value.
const ORDINAL_WORDS: &[(&str, u32)] = &[
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
    ("eleventh", 11),
    ("twelfth", 12),
    ("thirteenth", 13),
    ("fourteenth", 14),
    ("fifteenth", 15),
    ("sixteenth", 16),
    ("seventeenth", 17),
    ("eighteenth", 18),
    ("nineteenth", 19),
];

/// Tens as cardinals (`twenty`, the first half of `twenty-first`) and as ordinals.
const TENS: &[(&str, &str, u32)] = &[
    ("twenty", "twentieth", 20),
    ("thirty", "thirtieth", 30),
    ("forty", "fortieth", 40),
    ("fifty", "fiftieth", 50),
    ("sixty", "sixtieth", 60),
    ("seventy", "seventieth", 70),
    ("eighty", "eightieth", 80),
    ("ninety", "ninetieth", 90),
];

/// Prefixes that people run into the number after them (`RR2`, `Box15`, `Apt4B`).
const RUN_TOGETHER_PREFIXES: &[&str] = &[
    "pobox", "pob", "po", "box", "bx", "rr", "hc", "hcr", "rfd", "apt", "ste", "unit", "rm", "lot",
    "spc", "trlr", "bldg", "fl",
];

/// Words that may stand between a designator and its number.
const NUMBER_SIGNS: &[&str] = &["#", "no", "num", "number", "nbr"];

/// Bring the words of a street line to one form (see the module docs).
pub(super) fn standardise(words: Vec<String>) -> Vec<String> {
    let words = split_run_together(words);
    let words = ordinals_to_numbers(words);
    let words = po_box(words);
    rural_route(words)
}

fn split_run_together(words: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len() + 2);
    for word in words {
        let split = RUN_TOGETHER_PREFIXES.iter().find_map(|prefix| {
            let rest = word.strip_prefix(prefix)?;
            rest.starts_with(|c: char| c.is_ascii_digit())
                .then(|| (*prefix, rest.to_owned()))
        });
        match (split, word.as_str()) {
            (Some((prefix, rest)), _) => {
                out.extend(expand_box_words(prefix));
                out.push(rest);
            }
            (None, "pobox" | "pob") => out.extend(expand_box_words(&word)),
            _ => out.push(word),
        }
    }
    out
}

fn expand_box_words(word: &str) -> Vec<String> {
    match word {
        "pobox" | "pob" => vec!["po".to_owned(), "box".to_owned()],
        other => vec![other.to_owned()],
    }
}

/// The value of an ordinal or number word: `21st`, `21`, `first` (not `twenty`).
fn ordinal_value(word: &str) -> Option<u32> {
    if let Some((_, value)) = ORDINAL_WORDS.iter().find(|(w, _)| *w == word) {
        return Some(*value);
    }
    if let Some((_, _, value)) = TENS.iter().find(|(_, ordinal, _)| *ordinal == word) {
        return Some(*value);
    }
    let digits_end = word
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(word.len());
    if digits_end == 0 {
        return None;
    }
    let (digits, tail) = word.split_at(digits_end);
    if matches!(tail, "st" | "nd" | "rd" | "th") {
        digits.parse().ok()
    } else {
        None
    }
}

/// Ordinals become numbers; a tens word followed by a units ordinal (`twenty first`)
/// is one number.
fn ordinals_to_numbers(words: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut iter = words.into_iter().peekable();
    while let Some(word) = iter.next() {
        if let Some((_, _, tens)) = TENS.iter().find(|(cardinal, _, _)| *cardinal == word)
            && let Some(units) = iter
                .peek()
                .and_then(|next| ordinal_value(next))
                .filter(|value| *value < 10)
        {
            iter.next();
            out.push((tens + units).to_string());
            continue;
        }
        match ordinal_value(&word) {
            Some(value) => out.push(value.to_string()),
            None => out.push(word),
        }
    }
    out
}

fn drop_number_signs(words: &mut Vec<String>, at: usize) {
    while words
        .get(at)
        .is_some_and(|word| NUMBER_SIGNS.contains(&word.as_str()))
    {
        words.remove(at);
    }
}

/// How many leading words spell a post office box, if they do.
fn po_box_words(words: &[String]) -> Option<usize> {
    let w: Vec<&str> = words.iter().take(3).map(String::as_str).collect();
    match w.as_slice() {
        ["po", "box" | "bx" | "drawer" | "b", ..]
        | ["post" | "postal" | "lock", "box" | "bx", ..] => Some(2),
        ["p", "o", "box" | "bx", ..] => Some(3),
        ["pob", ..] => Some(1),
        ["box" | "bx" | "lockbox" | "drawer", next, ..] if starts_with_digit(next) => Some(1),
        [
            "box" | "bx" | "lockbox" | "drawer",
            "#" | "no" | "number",
            ..,
        ] => Some(1),
        _ => None,
    }
}

fn starts_with_digit(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
}

fn po_box(mut words: Vec<String>) -> Vec<String> {
    if let Some(count) = po_box_words(&words) {
        words.splice(0..count, ["po".to_owned(), "box".to_owned()]);
        drop_number_signs(&mut words, 2);
    }
    words
}

/// How many leading words name a rural route (`rr`) or highway contract route (`hc`).
fn route_words(words: &[String]) -> Option<(&'static str, usize)> {
    let w: Vec<&str> = words.iter().take(4).map(String::as_str).collect();
    let box_follows = || {
        words
            .iter()
            .skip(1)
            .take(4)
            .any(|word| matches!(word.as_str(), "box" | "bx"))
    };
    match w.as_slice() {
        ["rural", "free", "delivery", ..] => Some(("rr", 3)),
        ["rural", "route" | "rte" | "rt", ..] | ["r", "r", ..] => Some(("rr", 2)),
        ["rr" | "rfd", ..] => Some(("rr", 1)),
        ["route" | "rte" | "rt", ..] if box_follows() => Some(("rr", 1)),
        ["highway" | "hwy", "contract", "route" | "rte" | "rt", ..] => Some(("hc", 3)),
        ["highway" | "hwy", "contract", ..] | ["star", "route" | "rte" | "rt", ..] => {
            Some(("hc", 2))
        }
        ["hc" | "hcr", ..] => Some(("hc", 1)),
        _ => None,
    }
}

fn rural_route(mut words: Vec<String>) -> Vec<String> {
    let Some((route, count)) = route_words(&words) else {
        return words;
    };
    words.splice(0..count, [route.to_owned()]);
    drop_number_signs(&mut words, 1);
    // The box: `Box`, `Bx` or `PO Box` after the route number.
    if let Some(at) = words
        .iter()
        .skip(2)
        .position(|word| matches!(word.as_str(), "box" | "bx" | "po"))
        .map(|at| at + 2)
    {
        let spelled_po_box = words[at] == "po"
            && words
                .get(at + 1)
                .is_some_and(|next| matches!(next.as_str(), "box" | "bx"));
        if spelled_po_box {
            words.remove(at);
        }
        if matches!(words[at].as_str(), "box" | "bx") {
            words[at] = "box".to_owned();
            drop_number_signs(&mut words, at + 1);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> String {
        let words = text
            .split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        standardise(words).join(" ")
    }

    #[test]
    fn ordinals_in_every_spelling_are_numbers() {
        for typed in [
            "5 twenty first st",
            "5 twenty 1st st",
            "5 21st st",
            "5 21 st",
        ] {
            assert_eq!(line(typed), "5 21 st", "{typed}");
        }
        assert_eq!(line("5 fortieth ave"), "5 40 ave");
        assert_eq!(line("5 first ave"), "5 1 ave");
        assert_eq!(line("21st ave"), "21 ave");
        assert_eq!(line("12 twenty oaks ln"), "12 twenty oaks ln");
    }

    #[test]
    fn post_office_boxes_in_every_spelling_are_one() {
        for typed in [
            "po box 12",
            "pobox 12",
            "pob 12",
            "po box # 12",
            "po box no 12",
            "box 12",
            "box12",
            "bx 12",
            "post box 12",
            "postal box 12",
            "lock box 12",
            "drawer 12",
            "po drawer 12",
            "p o box 12",
        ] {
            assert_eq!(line(typed), "po box 12", "{typed}");
        }
        assert_eq!(line("12 box elder st"), "12 box elder st");
    }

    #[test]
    fn rural_and_highway_contract_routes_in_every_spelling_are_one() {
        for typed in [
            "rr 2 box 15",
            "rr2 box 15",
            "rr 2 box15",
            "rural route 2 box 15",
            "rural rte 2 box 15",
            "r r 2 box 15",
            "rfd 2 box 15",
            "rural free delivery 2 box 15",
            "rr # 2 box # 15",
            "route 2 box 15",
            "rt 2 bx 15",
            "rr 2 po box 15",
        ] {
            assert_eq!(line(typed), "rr 2 box 15", "{typed}");
        }
        for typed in [
            "hc 68 box 23a",
            "hcr 68 box 23a",
            "highway contract 68 box 23a",
            "highway contract route 68 box 23a",
            "star route 68 box 23a",
        ] {
            assert_eq!(line(typed), "hc 68 box 23a", "{typed}");
        }
        // A numbered route without a box is a street, not a rural route.
        assert_eq!(line("route 66"), "route 66");
    }

    #[test]
    fn standardising_twice_changes_nothing() {
        for typed in [
            "rural route # 2 po box 15",
            "twenty first st",
            "box 12",
            "apt4b",
            "hcr 3 box 7",
        ] {
            let once = line(typed);
            assert_eq!(line(&once), once, "{typed}");
        }
    }
}
