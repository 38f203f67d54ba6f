//! The three source traits answered by vendors. Every record in an answer is checked
//! with the same rules as a line of `records import` (`parse_value`), and must be about
//! what was asked (the same SSN, kind or phone): an answer that is not, is no answer.

use std::sync::Arc;

use async_trait::async_trait;
use sa_domain::clock::Clock;
use sa_domain::error::{StoreError, StoreResult};
use sa_domain::proofing::records::{
    AccountKind, FinancialAccount, PhoneRecord, RecordKind, ReferenceRecord, TaxReturn, parse_value,
};
use sa_domain::proofing::sources::{
    FinancialAccountSource, Lookup, PhoneRecordSource, TaxReturnSource,
};
use serde_json::json;

use crate::client::VendorClient;
use crate::settings::VendorSettings;

fn unavailable(kind: RecordKind, detail: impl Into<String>) -> StoreError {
    StoreError::SourceUnavailable {
        kind,
        detail: detail.into(),
    }
}

/// The clear value a vendor is asked with; a journey that kept only the fingerprint
/// cannot ask a vendor.
fn clear(kind: RecordKind, lookup: &Lookup) -> StoreResult<&str> {
    lookup
        .clear()
        .ok_or_else(|| unavailable(kind, "the journey holds only a fingerprint"))
}

/// Each record of an answer, checked as an imported line would be.
fn parse_all(
    kind: RecordKind,
    records: Vec<serde_json::Value>,
) -> StoreResult<Vec<ReferenceRecord>> {
    records
        .iter()
        .enumerate()
        .map(|(i, value)| {
            parse_value(kind, value).map_err(|e| unavailable(kind, format!("record {i}: {e}")))
        })
        .collect()
}

/// Tax returns from a vendor: `POST {url}/tax-returns/search` with `{"ssn", "limit"}`.
pub struct HttpTaxReturns {
    client: VendorClient,
}

impl HttpTaxReturns {
    pub fn new(settings: VendorSettings, clock: Arc<dyn Clock>) -> Result<Self, String> {
        VendorClient::new(RecordKind::TaxReturns, settings, clock).map(|client| Self { client })
    }
}

#[async_trait]
impl TaxReturnSource for HttpTaxReturns {
    async fn returns_for(&self, ssn: &Lookup, limit: i64) -> StoreResult<Vec<TaxReturn>> {
        const KIND: RecordKind = RecordKind::TaxReturns;
        let asked = clear(KIND, ssn)?;
        let records = self
            .client
            .search(&json!({ "ssn": asked, "limit": limit }))
            .await?;
        let mut returns = Vec::new();
        for record in parse_all(KIND, records)? {
            match record {
                ReferenceRecord::TaxReturn(r) if r.ssn == asked => returns.push(r),
                _ => return Err(unavailable(KIND, "a record is about another SSN")),
            }
        }
        returns.sort_by_key(|r| std::cmp::Reverse(r.tax_year));
        returns.dedup_by_key(|r| r.tax_year);
        returns.truncate(usize::try_from(limit).unwrap_or(0));
        Ok(returns)
    }
}

/// Financial accounts from a vendor (a credit bureau): `POST
/// {url}/financial-accounts/search` with `{"ssn", "kind"}`.
pub struct HttpFinancialAccounts {
    client: VendorClient,
}

impl HttpFinancialAccounts {
    pub fn new(settings: VendorSettings, clock: Arc<dyn Clock>) -> Result<Self, String> {
        VendorClient::new(RecordKind::FinancialAccounts, settings, clock)
            .map(|client| Self { client })
    }
}

#[async_trait]
impl FinancialAccountSource for HttpFinancialAccounts {
    async fn accounts_for(
        &self,
        ssn: &Lookup,
        kind: AccountKind,
    ) -> StoreResult<Vec<FinancialAccount>> {
        const KIND: RecordKind = RecordKind::FinancialAccounts;
        let asked = clear(KIND, ssn)?;
        let records = self
            .client
            .search(&json!({ "ssn": asked, "kind": kind.as_str() }))
            .await?;
        parse_all(KIND, records)?
            .into_iter()
            .map(|record| match record {
                ReferenceRecord::FinancialAccount(a) if a.ssn == asked && a.kind == kind => Ok(a),
                _ => Err(unavailable(KIND, "a record is about another SSN or kind")),
            })
            .collect()
    }
}

/// Phone records from a vendor (a carrier data service): `POST
/// {url}/phone-records/search` with `{"phone"}`; no record or one.
pub struct HttpPhoneRecords {
    client: VendorClient,
}

impl HttpPhoneRecords {
    pub fn new(settings: VendorSettings, clock: Arc<dyn Clock>) -> Result<Self, String> {
        VendorClient::new(RecordKind::PhoneRecords, settings, clock).map(|client| Self { client })
    }
}

#[async_trait]
impl PhoneRecordSource for HttpPhoneRecords {
    async fn phone_record(&self, phone: &Lookup) -> StoreResult<Option<PhoneRecord>> {
        const KIND: RecordKind = RecordKind::PhoneRecords;
        let asked = clear(KIND, phone)?;
        let records = self.client.search(&json!({ "phone": asked })).await?;
        let mut found = parse_all(KIND, records)?.into_iter();
        let record = match found.next() {
            None => return Ok(None),
            Some(ReferenceRecord::PhoneRecord(p)) if p.phone == asked => p,
            Some(_) => return Err(unavailable(KIND, "the record is about another number")),
        };
        if found.next().is_some() {
            return Err(unavailable(KIND, "more than one record for one number"));
        }
        Ok(Some(record))
    }
}
