//! What running several instances and watching them needs from the database: named
//! leases (one holder at a time, so a scheduled job runs once across instances) and
//! the gauges `/metrics` reads at each scrape (outbox depth and age, pool use).

use sqlx::AnyPool;
use time::OffsetDateTime;

use sa_domain::model::StoreGauges;
use sa_domain::store::StoreResult;

use crate::error;
use crate::rows::{self, ms};

/// Take the lease `name` for `holder` until `until`, or renew it: one statement, so
/// two instances asking at once cannot both get it. True when `holder` holds it now.
pub(crate) async fn take_lease(
    pool: &AnyPool,
    name: &str,
    holder: &str,
    now: OffsetDateTime,
    until: OffsetDateTime,
) -> StoreResult<bool> {
    let row = sqlx::query(
        "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
         WHERE leases.holder = excluded.holder OR leases.expires_at <= $4 \
         RETURNING holder",
    )
    .bind(name)
    .bind(holder)
    .bind(ms(until))
    .bind(ms(now))
    .fetch_optional(pool)
    .await
    .map_err(error::db("take lease"))?;
    Ok(row.is_some())
}

/// Give the lease up (at shutdown), so another instance takes it at once.
pub(crate) async fn release_lease(pool: &AnyPool, name: &str, holder: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
        .bind(name)
        .bind(holder)
        .execute(pool)
        .await
        .map_err(error::db("release lease"))?;
    Ok(())
}

/// The outbox's depth and its oldest waiting message, and the pool's connections.
pub(crate) async fn gauges(pool: &AnyPool) -> StoreResult<StoreGauges> {
    let row = sqlx::query(
        "SELECT \
           COUNT(CASE WHEN status = 'pending' THEN 1 END) AS pending, \
           COUNT(CASE WHEN status = 'dead' THEN 1 END) AS dead, \
           MIN(CASE WHEN status = 'pending' THEN created_at END) AS oldest \
         FROM outbox",
    )
    .fetch_one(pool)
    .await
    .map_err(error::db("outbox gauges"))?;
    Ok(StoreGauges {
        outbox_pending: rows::int(&row, "pending")?,
        outbox_dead: rows::int(&row, "dead")?,
        outbox_oldest_pending_at: rows::opt_time(&row, "oldest")?,
        pool_connections: pool.size(),
        pool_idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
        pool_max: pool.options().get_max_connections(),
    })
}
