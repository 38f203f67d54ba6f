//! The `attempt_counters` table: fixed-window counters (rate limits kept in the database),
//! counted with one atomic upsert.

use sa_domain::clock::from_millis;
use sa_domain::store::StoreResult;
use sqlx::{AnyConnection, AnyPool};
use time::OffsetDateTime;

use crate::error;
use crate::rows::{self, ms};

/// The counter's window start and count, if any.
pub(crate) async fn get(pool: &AnyPool, key: &str) -> StoreResult<Option<(OffsetDateTime, i64)>> {
    let row =
        sqlx::query("SELECT window_start, hit_count FROM attempt_counters WHERE counter_key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await
            .map_err(error::db("counter"))?;
    match row {
        Some(row) => Ok(Some((
            from_millis(rows::int(&row, "window_start")?),
            rows::int(&row, "hit_count")?,
        ))),
        None => Ok(None),
    }
}

/// Count one hit: a new row or a window that started before `expired_before` restarts
/// at `now` with 1, otherwise the count goes up by one; one statement on its own that
/// also answers the window start and the
/// count including this hit: requests counted at the same moment each see their own
/// number, so exactly one is first. The row keeps when its window ends, for [`sweep`].
pub(crate) async fn count_and_read(
    pool: &AnyPool,
    key: &str,
    expired_before: OffsetDateTime,
    now: OffsetDateTime,
) -> StoreResult<(OffsetDateTime, i64)> {
    let row = sqlx::query(
        "INSERT INTO attempt_counters (counter_key, window_start, hit_count, window_ends_at) \
         VALUES ($1, $2, 1, $2 + $4) \
         ON CONFLICT (counter_key) DO UPDATE SET \
         window_start = CASE WHEN attempt_counters.window_start < $3 THEN $2 ELSE attempt_counters.window_start END, \
         hit_count = CASE WHEN attempt_counters.window_start < $3 THEN 1 ELSE attempt_counters.hit_count + 1 END, \
         window_ends_at = CASE WHEN attempt_counters.window_start < $3 THEN $2 + $4 \
                          ELSE attempt_counters.window_start + $4 END \
         RETURNING window_start, hit_count",
    )
    .bind(key)
    .bind(ms(now))
    .bind(ms(expired_before))
    .bind(ms(now) - ms(expired_before))
    .fetch_one(pool)
    .await
    .map_err(error::db("count in window"))?;
    Ok((
        from_millis(rows::int(&row, "window_start")?),
        rows::int(&row, "hit_count")?,
    ))
}

/// Remove the counters whose window ended before `now`: a count after that would start
/// a new window anyway. Returns how many went.
pub(crate) async fn sweep(pool: &AnyPool, now: OffsetDateTime) -> StoreResult<u64> {
    let done = sqlx::query("DELETE FROM attempt_counters WHERE window_ends_at < $1")
        .bind(ms(now))
        .execute(pool)
        .await
        .map_err(error::db("sweep counters"))?;
    Ok(done.rows_affected())
}

/// One count back (never below 0).
pub(crate) async fn uncount(conn: &mut AnyConnection, key: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE attempt_counters SET hit_count = hit_count - 1 WHERE counter_key = $1 AND hit_count > 0",
    )
    .bind(key)
    .execute(conn)
    .await
    .map_err(error::db("uncount in window"))?;
    Ok(())
}
