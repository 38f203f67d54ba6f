//! The languages, and choosing one from what a browser or client asks for.

use std::fmt;

/// A language the service speaks. English is the fallback for everything. Stored
/// (in sealed letters, say) as its code.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The BCP 47 primary language subtag, as in `<html lang>` and `Content-Language`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language's name in itself, as a language switch shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }

    /// A language tag (`es`, `es-MX`, `EN_us`) to the language it names, if we speak it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.code() == primary)
    }

    /// The language an `Accept-Language` header prefers most among those we speak
    /// (RFC 9110 §12.5.4: weights, `*`, `q=0` refusing). `None` when it names none of
    /// ours, so the caller falls back to English.
    pub fn negotiate(accept_language: &str) -> Option<Lang> {
        let mut best: Option<(u16, usize, Lang)> = None;
        let mut refused = Vec::new();
        let mut wildcard = None;
        for (position, item) in accept_language.split(',').enumerate().take(32) {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let weight = parts
                .find_map(|param| {
                    let (name, value) = param.trim().split_once('=')?;
                    name.trim()
                        .eq_ignore_ascii_case("q")
                        .then(|| weight_in_thousandths(value.trim()))
                })
                .unwrap_or(Some(1000));
            let Some(weight) = weight else { continue };
            if tag == "*" {
                wildcard = Some(weight);
                continue;
            }
            let Some(lang) = Lang::from_tag(tag) else {
                continue;
            };
            if weight == 0 {
                refused.push(lang);
                continue;
            }
            // Higher weight wins; at equal weight, the one listed first.
            if best.is_none_or(|(w, p, _)| weight > w || (weight == w && position < p)) {
                best = Some((weight, position, lang));
            }
        }
        if let Some((_, _, lang)) = best
            && !refused.contains(&lang)
        {
            return Some(lang);
        }
        match wildcard {
            Some(weight) if weight > 0 => Lang::ALL.into_iter().find(|l| !refused.contains(l)),
            _ => None,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// `q` values are `0`, `1`, or a decimal with at most three digits (RFC 9110 §12.4.2);
/// anything else makes the item ignored.
fn weight_in_thousandths(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let fraction: u16 = format!("{fraction:0<3}").parse().ok()?;
    match whole {
        "0" => Some(fraction),
        "1" if fraction == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_their_language() {
        assert_eq!(Lang::from_tag("es"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("ES_us"), Some(Lang::Es));
        assert_eq!(Lang::from_tag(" en-US "), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn accept_language_picks_the_heaviest_language_we_speak() {
        assert_eq!(Lang::negotiate("es-MX,es;q=0.9,en;q=0.8"), Some(Lang::Es));
        assert_eq!(Lang::negotiate("en-US,en;q=0.9,es;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::negotiate("fr-FR, es;q=0.5"), Some(Lang::Es));
        assert_eq!(Lang::negotiate("en;q=0.2, es;q=0.7"), Some(Lang::Es));
        assert_eq!(Lang::negotiate("es, en"), Some(Lang::Es));
        assert_eq!(Lang::negotiate("fr, de"), None);
        assert_eq!(Lang::negotiate(""), None);
        assert_eq!(Lang::negotiate("*"), Some(Lang::En));
        assert_eq!(Lang::negotiate("en;q=0, *"), Some(Lang::Es));
        assert_eq!(Lang::negotiate("es;q=0"), None);
        // Malformed weights are ignored, not trusted.
        assert_eq!(Lang::negotiate("es;q=2, en;q=0.1"), Some(Lang::En));
        assert_eq!(Lang::negotiate("es;q=abc"), None);
        assert_eq!(Lang::negotiate("ES-419;Q=0.9"), Some(Lang::Es));
    }
}
