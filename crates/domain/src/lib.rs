//! # sa-domain: the journeys of Secure Access and the rules they obey
//!
//! This crate owns *what* the service does, never *how* it talks to the world:
//! no HTTP, no SQL, no wall clock. Time arrives through [`clock::Clock`], storage
//! through the [`store::Store`] trait (implemented by `sa-store`), and every message a
//! person receives is written to the outbox as part of the same atomic change
//! ([`store::Change`]) that caused it.
//!
//! ```text
//!   web (pages + JSON) ──► Services::{sign_up(), sign_in(), factors(), proofing(), ...}
//!                              │  rules: password, codes, totp, limits, sessions
//!                              ▼
//!                         Store::apply(Change)  ──►  one transaction: rows + events + outbox
//! ```
//!
//! Modules by responsibility:
//! - [`journeys`]: every journey as a service over the shared core: sign-up, sign-in,
//!   sessions, second factors, identity proofing and letters, the security page, staff
//!   and roles, admin, reports, the audit log, the demo account.
//! - [`proofing`]: reference records, the match rules, the record sources, the proofing
//!   case and the step graph.
//! - [`oidc`]: the OpenID Connect provider's decisions (codes, tokens, claims, keys).
//! - [`app_events`]: what apps hear about an account (RISC events, back-channel
//!   logout), written with the change that caused it.
//! - [`staff`]: the pure rules of exception processing (knowledge questions, documents).
//! - [`audit`]: the hash-chained audit log: events, entry hashes, chain verification.
//! - [`clock`]: the injected clock (system and manual).
//! - [`keys`]: the keyring: AEAD for data at rest, HMAC for code fingerprints, tokens,
//!   the OS random generator.
//! - [`password`]: password policy and the bounded Argon2id hasher.
//! - [`codes`]: one-time codes (email, SMS) and backup codes.
//! - [`totp`]: RFC 6238 authenticator-app codes with replay detection.
//! - [`limits`]: configurable limits; [`limiter`]: the per-IP window counters (memory,
//!   or shared through Redis by the binary).
//! - [`model`]: the records the journeys read and write; [`next`]: the step a client is
//!   told to take.
//! - [`store`]: the storage interface; [`error`]: the domain's and the store's errors.
//! - [`messages`]: what each email and text message says.
//! - [`metrics`]: the journeys' counters (outcomes by reason, limit refusals) in the
//!   registry `/metrics` serves.
#![forbid(unsafe_code)]

pub mod app_events;
pub mod audit;
pub mod clock;
pub mod codes;
pub mod error;
pub mod journeys;
pub mod keys;
pub mod limiter;
pub mod limits;
pub mod messages;
pub mod metrics;
pub mod model;
pub mod next;
pub mod oidc;
pub mod passkey;
pub mod password;
pub mod proofing;
pub mod staff;
pub mod store;
pub mod totp;

pub use error::{DomainError, DomainResult};
pub use journeys::{RequestContext, Services, ServicesConfig};
