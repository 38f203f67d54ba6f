//! Behaviour of `SqlStore` against SQLite (a temporary file) and, when
//! `SA_TEST_POSTGRES_URL` is set, PostgreSQL (a fresh database per test, dropped after).
//! Each module holds the tests of one part of the store; every test runs once per
//! backend, as `<module>::sqlite::<name>` and `<module>::postgres::<name>` (the few
//! SQLite-only ones are in `platform`). Shared records and helpers are in `fixtures`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation fails the test

mod accounts;
mod codes;
mod counters;
mod factors;
mod fixtures;
mod outbox;
mod platform;
mod sessions;
