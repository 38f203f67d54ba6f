//! Live sources of reference records: a vendor's JSON API for each kind (tax returns,
//! financial accounts, phone records), behind the same traits as the embedded tables
//! (`sa_domain::proofing::sources`), so the match rules never know which one answered.
//!
//! - [`settings`]: what the configuration says about one vendor (URL, key, timeouts,
//!   retries, circuit breaker).
//! - [`client`]: one vendor's HTTP client: a timeout per try, retries with full jitter,
//!   and the circuit breaker around them.
//! - [`breaker`]: the circuit breaker (closed, open, one trial when the cool-down ends),
//!   on the service's injected clock.
//! - [`sources`]: the three source traits answered by vendors; every answer is checked
//!   with the same rules as an imported line, and must be about the SSN or phone asked.
//!
//! The wire format is in `docs/records.md` ("Live sources"). Anything but a good answer
//! (a timeout, a refused connection, a 5xx or 4xx, a body that is not the format, a
//! record about someone else, an open breaker) is `StoreError::SourceUnavailable`,
//! which the journeys turn into an honest message and, where it is open, the letter.

#![forbid(unsafe_code)]

pub mod breaker;
pub mod client;
pub mod settings;
pub mod sources;

pub use settings::VendorSettings;
pub use sources::{HttpFinancialAccounts, HttpPhoneRecords, HttpTaxReturns};
