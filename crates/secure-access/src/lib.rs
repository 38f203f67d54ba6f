//! # secure-access: the binary's library half
//!
//! Configuration ([`config`]), the keyring file ([`keyfile`]), start-up and shutdown
//! ([`server`]), the demonstration set-up ([`demo`]), reference records ([`records`]),
//! activation-letter printing ([`letters`]) and the audit log commands ([`audit`]).
//! `main.rs` only parses the command line and calls these; integration tests call
//! [`server::start`] directly with a manual clock and a free port.
#![forbid(unsafe_code)]

pub mod apps;
pub mod audit;
pub mod config;
pub mod demo;
pub mod keyfile;
pub mod keys;
pub mod letters;
pub mod records;
pub mod report;
pub mod server;

pub use config::Config;
pub use server::{RunningServer, start};
