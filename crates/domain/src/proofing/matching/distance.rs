//! Edit distance between normalised strings: the Damerau-Levenshtein distance in its
//! "optimal string alignment" form (insertions, deletions, substitutions and
//! transpositions of two adjacent characters, each costing 1), and a linear-time test
//! for "at most one such edit apart", which is all the match rules need.
//!
//! Both work on `char`s, never bytes, so any Unicode input is safe.

/// The optimal-string-alignment Damerau-Levenshtein distance between `a` and `b`.
///
/// Quadratic in time and linear in memory; meant for short strings (names, streets).
pub fn damerau_levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() {
        return b.len();
    }
    if b.is_empty() {
        return a.len();
    }
    // Three rolling rows: i-2, i-1, i.
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Whether `a` and `b` are at most one edit apart (equal, or one insertion, deletion,
/// substitution or adjacent transposition). Linear time; same answer as
/// `damerau_levenshtein(a, b) <= 1`.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (shorter, longer) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if longer.len() - shorter.len() > 1 {
        return false;
    }
    let prefix = shorter
        .iter()
        .zip(longer.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if prefix == shorter.len() {
        // Equal, or the longer one has one extra character at the end.
        return true;
    }
    if shorter.len() == longer.len() {
        let (s, l) = (&shorter[prefix..], &longer[prefix..]);
        // One substitution: the rest after the differing character is equal.
        if s[1..] == l[1..] {
            return true;
        }
        // One transposition of adjacent characters.
        s.len() >= 2 && s[0] == l[1] && s[1] == l[0] && s[2..] == l[2..]
    } else {
        // One insertion into the shorter one at the first difference.
        shorter[prefix..] == longer[prefix + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_distances() {
        assert_eq!(damerau_levenshtein("", ""), 0);
        assert_eq!(damerau_levenshtein("abc", ""), 3);
        assert_eq!(damerau_levenshtein("testperson", "testperson"), 0);
        assert_eq!(damerau_levenshtein("testperson", "tsetperson"), 1);
        assert_eq!(damerau_levenshtein("testperson", "testpersn"), 1);
        assert_eq!(damerau_levenshtein("testperson", "testpersonn"), 1);
        assert_eq!(damerau_levenshtein("testperson", "textperson"), 1);
        assert_eq!(damerau_levenshtein("testperson", "textpersom"), 2);
        assert_eq!(damerau_levenshtein("ca", "abc"), 3, "OSA, not unrestricted");
        assert_eq!(damerau_levenshtein("kitten", "sitting"), 3);
        assert_eq!(damerau_levenshtein("ñandú", "nandu"), 2);
    }

    #[test]
    fn one_edit_cases() {
        for (a, b) in [
            ("", ""),
            ("", "a"),
            ("examplé", "example"),
            ("example", "exmaple"),
            ("example", "exampel"),
            ("example", "xample"),
            ("example", "examplee"),
        ] {
            assert!(within_one_edit(a, b), "{a} {b}");
            assert!(within_one_edit(b, a), "{b} {a}");
        }
        for (a, b) in [
            ("", "ab"),
            ("example", "exmapel"),
            ("example", "xampel"),
            ("abc", "cab"),
        ] {
            assert!(!within_one_edit(a, b), "{a} {b}");
        }
    }

    proptest! {
        #[test]
        fn edit_distance_is_symmetric_and_zero_iff_equal(a in "\\PC{0,12}", b in "\\PC{0,12}") {
            let d = damerau_levenshtein(&a, &b);
            prop_assert_eq!(d, damerau_levenshtein(&b, &a));
            prop_assert_eq!(d == 0, a == b);
            prop_assert_eq!(damerau_levenshtein(&a, &a), 0);
        }

        #[test]
        fn within_one_edit_agrees_with_the_distance(a in "[abc]{0,6}", b in "[abc]{0,6}") {
            prop_assert_eq!(within_one_edit(&a, &b), damerau_levenshtein(&a, &b) <= 1);
        }

        #[test]
        fn one_random_edit_is_within_one(a in "[a-z]{1,10}", index in 0usize..10, c in "[a-z]") {
            let chars: Vec<char> = a.chars().collect();
            let i = index % chars.len();
            let mut substituted = chars.clone();
            substituted[i] = c.chars().next().unwrap_or('x');
            let mut deleted = chars.clone();
            deleted.remove(i);
            let mut inserted = chars.clone();
            inserted.insert(i, c.chars().next().unwrap_or('x'));
            for edited in [substituted, deleted, inserted] {
                let edited: String = edited.into_iter().collect();
                prop_assert!(within_one_edit(&a, &edited));
                prop_assert!(damerau_levenshtein(&a, &edited) <= 1);
            }
        }
    }
}
