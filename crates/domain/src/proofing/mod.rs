//! Identity proofing: the reference records applicants are checked against, and the
//! rules that decide a match.
//!
//! - [`records`]: the three kinds of reference record (tax returns, financial accounts,
//!   phone records), parsed and validated from the JSON Lines format of
//!   `docs/records.md`.
//! - [`matching`]: the match rules (names, nicknames, typos, USPS addresses; accounts;
//!   phones) with machine-readable reason codes.
//! - [`case`]: the proofing case, its steps, attempts and letters.
//! - [`steps`]: the step graph, declared once: the gates before proofing, and what each
//!   proofing action needs, counts and leads to.
//! - [`sources`]: the traits behind which a table (or a live vendor API) answers
//!   "which records does this SSN or phone have".
//! - [`typed`]: what people type (dates, states, numbers with separators), read
//!   leniently into one canonical form before anything is matched.

pub mod case;
pub mod matching;
pub mod records;
pub mod sources;
pub mod steps;
pub mod typed;
