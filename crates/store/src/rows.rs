//! Row decoding helpers for the `Any` driver (which only knows i64/String/Option...):
//! epoch-millisecond columns become `OffsetDateTime`, decode failures become
//! [`StoreError::Unavailable`] naming the column, not its value.

use sa_domain::clock::{from_millis, to_millis};
use sa_domain::store::StoreError;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::OffsetDateTime;

fn decode_error(column: &str) -> StoreError {
    StoreError::Unavailable(format!("could not decode column {column}"))
}

pub(crate) fn text(row: &AnyRow, column: &str) -> Result<String, StoreError> {
    row.try_get::<String, _>(column)
        .map_err(|_| decode_error(column))
}

pub(crate) fn opt_text(row: &AnyRow, column: &str) -> Result<Option<String>, StoreError> {
    row.try_get::<Option<String>, _>(column)
        .map_err(|_| decode_error(column))
}

pub(crate) fn int(row: &AnyRow, column: &str) -> Result<i64, StoreError> {
    row.try_get::<i64, _>(column)
        .map_err(|_| decode_error(column))
}

pub(crate) fn flag(row: &AnyRow, column: &str) -> Result<bool, StoreError> {
    row.try_get::<bool, _>(column)
        .map_err(|_| decode_error(column))
}

pub(crate) fn opt_int(row: &AnyRow, column: &str) -> Result<Option<i64>, StoreError> {
    row.try_get::<Option<i64>, _>(column)
        .map_err(|_| decode_error(column))
}

pub(crate) fn time(row: &AnyRow, column: &str) -> Result<OffsetDateTime, StoreError> {
    int(row, column).map(from_millis)
}

pub(crate) fn opt_time(row: &AnyRow, column: &str) -> Result<Option<OffsetDateTime>, StoreError> {
    opt_int(row, column).map(|ms| ms.map(from_millis))
}

/// An unknown enum text in a column (a newer schema, or a corrupted row).
pub(crate) fn unknown(column: &str) -> StoreError {
    StoreError::Unavailable(format!("unknown value in column {column}"))
}

/// A time as stored.
pub(crate) fn ms(at: OffsetDateTime) -> i64 {
    to_millis(at)
}

/// An optional time as stored.
pub(crate) fn opt_ms(at: Option<OffsetDateTime>) -> Option<i64> {
    at.map(to_millis)
}
