//! # sa-test-support: the one test harness
//!
//! Every crate's tests start from here, so a fix to the harness reaches them all:
//! - [`databases`]: a fresh PostgreSQL database per test (from `SA_TEST_POSTGRES_URL`),
//!   dropped afterwards;
//! - [`store`]: a migrated `SqlStore` on SQLite or PostgreSQL, for the store's own tests;
//! - [`server`]: the real server started in-process on a free port with a manual clock,
//!   and the dev outbox read the way a person reads their email and texts;
//! - [`process`]: the real binary as child processes (`secure-access serve`, and the
//!   command-line tools) over one deployment's data directory and database;
//! - [`api`]: JSON API calls and made-up people;
//! - [`applicant`]: a synthetic applicant and the reference records that match them;
//! - [`vendor`]: a records vendor's JSON API on a free port, told to answer well, slowly,
//!   with errors or with nonsense;
//! - [`passkey`]: a software WebAuthn authenticator (ES256, user verification) that can
//!   also answer for another site, be cloned, or replay an answer.
//!
//! A dev-dependency only: nothing in the product depends on it.
#![forbid(unsafe_code)]
// A test harness: a failed expectation is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod api;
pub mod applicant;
pub mod databases;
pub mod passkey;
pub mod process;
pub mod server;
pub mod store;
pub mod vendor;
