//! Where reference records come from. Each kind sits behind its own trait, so a live
//! source (a credit bureau's or a carrier's API) can replace the embedded table without
//! touching the match rules. The embedded tables (`sa-store`) implement all three.
//!
//! Lookups take the keyed fingerprint of the SSN or phone (see
//! [`crate::keys::Keyring::fingerprint`] with the purposes below), never the clear value,
//! so the table's index reveals nothing on its own.

use async_trait::async_trait;

use super::records::{AccountKind, FinancialAccount, PhoneRecord, TaxReturn};
use crate::store::StoreResult;

/// Fingerprint purpose of SSNs (lookup key of returns and accounts).
pub const SSN_PURPOSE: &str = "ssn";
/// Fingerprint purpose of phone numbers (lookup key of phone records).
pub const PHONE_PURPOSE: &str = "phone";

#[async_trait]
pub trait TaxReturnSource: Send + Sync + 'static {
    /// The returns filed under this SSN, newest tax year first.
    async fn returns_for(&self, ssn_fingerprint: &str, limit: i64) -> StoreResult<Vec<TaxReturn>>;
}

#[async_trait]
pub trait FinancialAccountSource: Send + Sync + 'static {
    /// The accounts of this kind held under this SSN.
    async fn accounts_for(
        &self,
        ssn_fingerprint: &str,
        kind: AccountKind,
    ) -> StoreResult<Vec<FinancialAccount>>;
}

#[async_trait]
pub trait PhoneRecordSource: Send + Sync + 'static {
    /// The carrier's record of this number, if any.
    async fn phone_record(&self, phone_fingerprint: &str) -> StoreResult<Option<PhoneRecord>>;
}
