//! `secure-access records …`: loading the reference records proofing checks against,
//! and generating synthetic populations for demos, tests and benchmarks.
//!
//! - [`import`]: `records import KIND FILE`: stream a JSON Lines file (gzip accepted)
//!   into the embedded tables, upserting by natural key, reporting every bad line.
//! - [`generate`]: `records generate`: an obviously synthetic population, with the messy
//!   variants real applicants bring, and what each applicant would type.

pub mod generate;
pub mod import;
