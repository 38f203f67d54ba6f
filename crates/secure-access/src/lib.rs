//! # secure-access: the binary's library half
//!
//! Configuration ([`config`]), the keyring file ([`keyfile`]), start-up wiring from the
//! configuration to the journeys ([`wiring`]), serving and shutdown ([`server`]), the
//! demonstration set-up ([`demo`]) and the command line's subcommands ([`commands`]:
//! records, keys, letters, reports, staff, apps, audit). `main.rs` only parses the
//! command line and hands a subcommand the system clock; integration tests call
//! [`server::start`] directly with a manual clock and a free port.
#![forbid(unsafe_code)]

pub mod commands;
pub mod config;
pub mod demo;
pub mod keyfile;
pub mod server;
pub mod wiring;

pub use config::Config;
pub use server::{RunningServer, start};
