//! Where reference records come from. Each kind sits behind its own trait, so a live
//! source (a credit bureau's or a carrier's API) can replace the embedded table without
//! touching the match rules. The embedded tables (`sa-store`) implement all three.
//!
//! Lookups take a [`Lookup`]: the keyed fingerprint of the SSN or phone (see
//! [`crate::keys::Keyring::fingerprint`] with the purposes below), which is all the
//! embedded tables are indexed by, so their index reveals nothing on its own; and, where
//! the journey holds it, the clear value, which a live vendor is asked with (over TLS,
//! in a request body, never in a URL). A live source that is down or answers nonsense
//! fails with [`StoreError::SourceUnavailable`], which the journeys turn into an honest
//! "this service is not answering" and the letter where the letter path is open.
//!
//! The embedded tables sit behind the low-level [`ReferenceStore`] (sealed rows by
//! fingerprint, batch upsert); [`EmbeddedSources`] opens those rows with the keyring and
//! implements the three source traits. [`ReferenceRow::from_record`] turns a parsed
//! record into the row the import stores.

use std::sync::Arc;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::records::{AccountKind, FinancialAccount, PhoneRecord, ReferenceRecord, TaxReturn};
use crate::error::{StoreError, StoreResult};
use crate::keys::Keyring;
use crate::{DomainError, DomainResult};

/// Fingerprint purpose of SSNs (lookup key of returns and accounts).
pub const SSN_PURPOSE: &str = "ssn";
/// Fingerprint purpose of phone numbers (lookup key of phone records).
pub const PHONE_PURPOSE: &str = "phone";

/// Who a lookup is about: the keyed fingerprint of the normalised SSN or phone, and the
/// clear value where the journey holds it. `Debug` prints neither.
#[derive(Clone)]
pub struct Lookup {
    fingerprint: String,
    clear: Option<Zeroizing<String>>,
}

impl Lookup {
    /// A normalised SSN (9 digits), clear value kept for a live vendor.
    pub fn ssn(keys: &Keyring, ssn: &str) -> Self {
        Self {
            fingerprint: ssn_fingerprint(keys, ssn),
            clear: Some(Zeroizing::new(ssn.to_owned())),
        }
    }

    /// A normalised (E.164) phone number, clear value kept for a live vendor.
    pub fn phone(keys: &Keyring, phone: &str) -> Self {
        Self {
            fingerprint: phone_fingerprint(keys, phone),
            clear: Some(Zeroizing::new(phone.to_owned())),
        }
    }

    /// Only the fingerprint is known (staff paths that kept no clear SSN): the embedded
    /// tables answer; a live vendor cannot and says it is unavailable.
    pub fn fingerprint_only(fingerprint: &str) -> Self {
        Self {
            fingerprint: fingerprint.to_owned(),
            clear: None,
        }
    }

    /// An SSN lookup from a case's fingerprint and, when the case kept it, the clear SSN.
    pub fn ssn_of_case(keys: &Keyring, fingerprint: &str, ssn: Option<&str>) -> Self {
        match ssn {
            Some(ssn) if ssn_fingerprint(keys, ssn) == fingerprint => Self::ssn(keys, ssn),
            _ => Self::fingerprint_only(fingerprint),
        }
    }

    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The clear, normalised value, if the journey holds it.
    pub fn clear(&self) -> Option<&str> {
        self.clear.as_deref().map(String::as_str)
    }
}

impl std::fmt::Debug for Lookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lookup { .. }")
    }
}

#[async_trait]
pub trait TaxReturnSource: Send + Sync + 'static {
    /// The returns filed under this SSN, newest tax year first.
    async fn returns_for(&self, ssn: &Lookup, limit: i64) -> StoreResult<Vec<TaxReturn>>;
}

#[async_trait]
pub trait FinancialAccountSource: Send + Sync + 'static {
    /// The accounts of this kind held under this SSN.
    async fn accounts_for(
        &self,
        ssn: &Lookup,
        kind: AccountKind,
    ) -> StoreResult<Vec<FinancialAccount>>;
}

#[async_trait]
pub trait PhoneRecordSource: Send + Sync + 'static {
    /// The carrier's record of this number, if any.
    async fn phone_record(&self, phone: &Lookup) -> StoreResult<Option<PhoneRecord>>;
}

// ---------------------------------------------------------------------------------------
// The embedded tables: sealed rows behind fingerprints
// ---------------------------------------------------------------------------------------

/// Fingerprint purpose of account numbers (part of the key of financial accounts).
pub const ACCOUNT_NUMBER_PURPOSE: &str = "account_number";
/// Seal (and content-fingerprint) purpose of a tax return row.
pub const TAX_RETURN_PURPOSE: &str = "reference.tax_return";
/// Seal (and content-fingerprint) purpose of a financial account row.
pub const FINANCIAL_ACCOUNT_PURPOSE: &str = "reference.financial_account";
/// Seal (and content-fingerprint) purpose of a phone record row.
pub const PHONE_RECORD_PURPOSE: &str = "reference.phone_record";

/// Keyed fingerprint of a normalised SSN (9 digits): the lookup key of returns and accounts.
pub fn ssn_fingerprint(keys: &Keyring, ssn: &str) -> String {
    keys.fingerprint(SSN_PURPOSE, ssn.as_bytes())
}

/// Keyed fingerprint of a normalised (E.164) phone number: the key of phone records.
pub fn phone_fingerprint(keys: &Keyring, phone: &str) -> String {
    keys.fingerprint(PHONE_PURPOSE, phone.as_bytes())
}

/// Keyed fingerprint of a normalised (digits only) account number.
pub fn account_number_fingerprint(keys: &Keyring, account_number: &str) -> String {
    keys.fingerprint(ACCOUNT_NUMBER_PURPOSE, account_number.as_bytes())
}

/// The natural key of a reference row, as fingerprints (never clear values).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReferenceKey {
    /// `tax_returns`: (SSN, tax year).
    TaxReturn { ssn_fp: String, tax_year: i64 },
    /// `financial_accounts`: (SSN, kind, account number).
    FinancialAccount {
        ssn_fp: String,
        kind: AccountKind,
        account_fp: String,
    },
    /// `phone_records`: the phone number.
    PhoneRecord { phone_fp: String },
}

impl ReferenceKey {
    /// Which of `writers` parallel import writers takes rows of this key: always the
    /// same one for the same key, and equal shares (the fingerprints are uniform hex).
    pub fn writer(&self, writers: usize) -> usize {
        let fingerprint = match self {
            Self::TaxReturn { ssn_fp, .. } | Self::FinancialAccount { ssn_fp, .. } => ssn_fp,
            Self::PhoneRecord { phone_fp } => phone_fp,
        };
        let digit = fingerprint
            .chars()
            .last()
            .and_then(|c| c.to_digit(16))
            .unwrap_or(0);
        digit as usize % writers.max(1)
    }
}

/// One row to upsert: its key, the fingerprint of its content and the sealed record.
/// Holds no clear personal data, so `Debug` is safe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceRow {
    pub key: ReferenceKey,
    /// Keyed fingerprint of the record's canonical JSON: equal content, equal fingerprint.
    pub content_fp: String,
    /// `Keyring::seal` of the record's JSON under the kind's purpose.
    pub record_sealed: String,
    pub imported_at: OffsetDateTime,
}

impl ReferenceRow {
    /// Fingerprint and seal one parsed record with the keyring (the import and the tests
    /// share this, so both store exactly the same thing).
    pub fn from_record(
        record: &ReferenceRecord,
        keys: &Keyring,
        imported_at: OffsetDateTime,
    ) -> DomainResult<Self> {
        let (key, purpose, json) = match record {
            ReferenceRecord::TaxReturn(r) => (
                ReferenceKey::TaxReturn {
                    ssn_fp: ssn_fingerprint(keys, &r.ssn),
                    tax_year: i64::from(r.tax_year),
                },
                TAX_RETURN_PURPOSE,
                to_json(r)?,
            ),
            ReferenceRecord::FinancialAccount(a) => (
                ReferenceKey::FinancialAccount {
                    ssn_fp: ssn_fingerprint(keys, &a.ssn),
                    kind: a.kind,
                    account_fp: account_number_fingerprint(keys, &a.account_number),
                },
                FINANCIAL_ACCOUNT_PURPOSE,
                to_json(a)?,
            ),
            ReferenceRecord::PhoneRecord(p) => (
                ReferenceKey::PhoneRecord {
                    phone_fp: phone_fingerprint(keys, &p.phone),
                },
                PHONE_RECORD_PURPOSE,
                to_json(p)?,
            ),
        };
        Ok(Self {
            key,
            content_fp: keys.fingerprint(purpose, &json),
            record_sealed: keys.seal(purpose, &json)?,
            imported_at,
        })
    }
}

/// The record's canonical JSON: serde writes struct fields in declaration order and the
/// parser has already normalised every value, so equal records give equal bytes.
fn to_json<T: serde::Serialize>(record: &T) -> DomainResult<Zeroizing<Vec<u8>>> {
    serde_json::to_vec(record)
        .map(Zeroizing::new)
        .map_err(|_| DomainError::unavailable("reference record could not be serialised"))
}

/// What a batch upsert did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct UpsertCounts {
    /// Rows whose key was new.
    pub loaded: u64,
    /// Rows whose key existed with a different content fingerprint (replaced).
    pub updated: u64,
    /// Rows whose key existed with the same content fingerprint (left alone).
    pub unchanged: u64,
}

impl std::ops::AddAssign for UpsertCounts {
    fn add_assign(&mut self, other: Self) {
        self.loaded += other.loaded;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// The embedded reference tables, low level: sealed rows by fingerprint. `sa-store`
/// implements it; [`EmbeddedSources`] turns it into the three source traits.
#[async_trait]
pub trait ReferenceStore: Send + Sync + 'static {
    /// Sealed tax returns of this SSN, newest tax year first, at most `limit`.
    async fn sealed_returns(&self, ssn_fp: &str, limit: i64) -> StoreResult<Vec<String>>;

    /// Sealed financial accounts of this kind held under this SSN.
    async fn sealed_accounts(&self, ssn_fp: &str, kind: AccountKind) -> StoreResult<Vec<String>>;

    /// The sealed phone record of this number, if any.
    async fn sealed_phone(&self, phone_fp: &str) -> StoreResult<Option<String>>;

    /// Upsert a batch by natural key in one transaction: a new key is inserted
    /// (`loaded`), a key with another `content_fp` is replaced (`updated`), a key with
    /// the same `content_fp` is left as it is (`unchanged`). A key repeated within the
    /// batch counts once per occurrence, against what the earlier occurrence left.
    async fn upsert_reference_rows(&self, rows: Vec<ReferenceRow>) -> StoreResult<UpsertCounts>;

    /// How many batches an import may upsert at once, each in its own transaction: one
    /// where the database takes one writer at a time anyway (SQLite), more where writes
    /// run in parallel. Rows of one key always go to the same writer
    /// ([`ReferenceKey::writer`]), so their order holds.
    fn import_writers(&self) -> usize {
        1
    }
}

/// The three sources answered from the embedded tables: rows are opened with the keyring.
#[derive(Clone)]
pub struct EmbeddedSources {
    store: Arc<dyn ReferenceStore>,
    keys: Arc<Keyring>,
}

impl std::fmt::Debug for EmbeddedSources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedSources").finish_non_exhaustive()
    }
}

impl EmbeddedSources {
    pub fn new(store: Arc<dyn ReferenceStore>, keys: Arc<Keyring>) -> Self {
        Self { store, keys }
    }

    fn open<T: DeserializeOwned>(&self, purpose: &'static str, sealed: &str) -> StoreResult<T> {
        let json = self.keys.open(purpose, sealed).map_err(|_| {
            StoreError::Unavailable(format!("{purpose}: sealed row could not be opened"))
        })?;
        serde_json::from_slice(&json)
            .map_err(|_| StoreError::Unavailable(format!("{purpose}: sealed row is not a record")))
    }
}

#[async_trait]
impl TaxReturnSource for EmbeddedSources {
    async fn returns_for(&self, ssn: &Lookup, limit: i64) -> StoreResult<Vec<TaxReturn>> {
        self.store
            .sealed_returns(ssn.fingerprint(), limit)
            .await?
            .iter()
            .map(|sealed| self.open(TAX_RETURN_PURPOSE, sealed))
            .collect()
    }
}

#[async_trait]
impl FinancialAccountSource for EmbeddedSources {
    async fn accounts_for(
        &self,
        ssn: &Lookup,
        kind: AccountKind,
    ) -> StoreResult<Vec<FinancialAccount>> {
        self.store
            .sealed_accounts(ssn.fingerprint(), kind)
            .await?
            .iter()
            .map(|sealed| self.open(FINANCIAL_ACCOUNT_PURPOSE, sealed))
            .collect()
    }
}

#[async_trait]
impl PhoneRecordSource for EmbeddedSources {
    async fn phone_record(&self, phone: &Lookup) -> StoreResult<Option<PhoneRecord>> {
        match self.store.sealed_phone(phone.fingerprint()).await? {
            Some(sealed) => self.open(PHONE_RECORD_PURPOSE, &sealed).map(Some),
            None => Ok(None),
        }
    }
}

/// The three sources the proofing journeys consult (each replaceable on its own).
#[derive(Clone)]
pub struct Sources {
    pub tax_returns: Arc<dyn TaxReturnSource>,
    pub financial_accounts: Arc<dyn FinancialAccountSource>,
    pub phones: Arc<dyn PhoneRecordSource>,
}

impl Sources {
    /// All three answered from the embedded tables.
    pub fn embedded(store: Arc<dyn ReferenceStore>, keys: Arc<Keyring>) -> Self {
        let embedded = Arc::new(EmbeddedSources::new(store, keys));
        Self {
            tax_returns: embedded.clone(),
            financial_accounts: embedded.clone(),
            phones: embedded,
        }
    }
}

impl std::fmt::Debug for Sources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sources").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::ReferenceKey;

    fn phone(fp: &str) -> ReferenceKey {
        ReferenceKey::PhoneRecord {
            phone_fp: fp.to_owned(),
        }
    }

    #[test]
    fn a_key_always_goes_to_the_same_import_writer_and_the_writers_share_evenly() {
        let key = ReferenceKey::TaxReturn {
            ssn_fp: "00ab".to_owned(),
            tax_year: 2025,
        };
        let same_ssn = ReferenceKey::TaxReturn {
            ssn_fp: "00ab".to_owned(),
            tax_year: 2024,
        };
        assert_eq!(key.writer(2), same_ssn.writer(2));
        assert_eq!(key.writer(1), 0);
        assert_eq!(key.writer(0), 0, "no writers counts as one");
        let mut shares = [0; 2];
        for digit in "0123456789abcdef".chars() {
            shares[phone(&format!("ff{digit}")).writer(2)] += 1;
        }
        assert_eq!(shares, [8, 8]);
        assert!((0..16).all(|n| phone(&format!("{n:x}")).writer(3) < 3));
    }
}
