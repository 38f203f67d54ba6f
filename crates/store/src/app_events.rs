//! The `app_events` table (migration 0011): what apps must hear about an account,
//! queued in the transaction of the change, marked dispatched once its tokens are in
//! the outbox; `app_deliveries`, each token sent to an app. Also the account's
//! connected apps, which decide the audience.

use sa_domain::app_events::{AppDelivery, AppEvent};
use sa_domain::store::{StoreError, StoreResult};
use sqlx::{AnyConnection, AnyPool};
use time::OffsetDateTime;

use crate::error;
use crate::rows::{self, ms};

pub(crate) async fn queue(conn: &mut AnyConnection, event: &AppEvent) -> StoreResult<()> {
    let audience = event
        .audience
        .as_ref()
        .map(|apps| serde_json::to_string(apps).unwrap_or_else(|_| "[]".to_owned()));
    sqlx::query(
        "INSERT INTO app_events (id, account_id, kind, detail, audience, created_at, dispatched_at) \
         VALUES ($1, $2, $3, $4, $5, $6, NULL)",
    )
    .bind(&event.id)
    .bind(&event.account_id)
    .bind(&event.kind)
    .bind(event.detail.to_string())
    .bind(audience)
    .bind(ms(event.created_at))
    .execute(conn)
    .await
    .map_err(error::db("queue an app event"))?;
    Ok(())
}

pub(crate) async fn mark_dispatched(
    conn: &mut AnyConnection,
    id: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE app_events SET dispatched_at = $1 WHERE id = $2 AND dispatched_at IS NULL",
    )
    .bind(ms(at))
    .bind(id)
    .execute(conn)
    .await
    .map_err(error::db("mark an app event dispatched"))?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::GuardFailed("app event already dispatched"))
    }
}

pub(crate) async fn pending(pool: &AnyPool, limit: i64) -> StoreResult<Vec<AppEvent>> {
    let found = sqlx::query(
        "SELECT id, account_id, kind, detail, audience, created_at FROM app_events \
         WHERE dispatched_at IS NULL ORDER BY created_at, id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(error::db("pending app events"))?;
    found
        .iter()
        .map(|row| {
            Ok(AppEvent {
                id: rows::text(row, "id")?,
                account_id: rows::text(row, "account_id")?,
                kind: rows::text(row, "kind")?,
                detail: serde_json::from_str(&rows::text(row, "detail")?)
                    .map_err(|_| rows::unknown("detail"))?,
                audience: rows::opt_text(row, "audience")?
                    .map(|text| serde_json::from_str(&text).map_err(|_| rows::unknown("audience")))
                    .transpose()?,
                created_at: rows::time(row, "created_at")?,
            })
        })
        .collect()
}

pub(crate) async fn connected_app_ids(
    pool: &AnyPool,
    account_id: &str,
) -> StoreResult<Vec<String>> {
    let found = sqlx::query(
        "SELECT client_id FROM oidc_consents WHERE account_id = $1 AND revoked_at IS NULL \
         ORDER BY client_id",
    )
    .bind(account_id)
    .fetch_all(pool)
    .await
    .map_err(error::db("connected apps"))?;
    found
        .iter()
        .map(|row| rows::text(row, "client_id"))
        .collect()
}

pub(crate) async fn record_delivery(
    conn: &mut AnyConnection,
    message_id: &str,
    client_id: &str,
    kind: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO app_deliveries (message_id, client_id, kind, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(message_id)
    .bind(client_id)
    .bind(kind)
    .bind(ms(at))
    .execute(conn)
    .await
    .map_err(error::db("record an app delivery"))?;
    Ok(())
}

pub(crate) async fn deliveries(
    pool: &AnyPool,
    client_id: &str,
    limit: i64,
) -> StoreResult<Vec<AppDelivery>> {
    let found = sqlx::query(
        "SELECT d.kind, d.created_at, o.status, o.attempts, o.last_error \
         FROM app_deliveries d JOIN outbox o ON o.id = d.message_id \
         WHERE d.client_id = $1 ORDER BY d.created_at DESC, d.message_id DESC LIMIT $2",
    )
    .bind(client_id)
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(error::db("app deliveries"))?;
    found
        .iter()
        .map(|row| {
            Ok(AppDelivery {
                kind: rows::text(row, "kind")?,
                created_at: rows::time(row, "created_at")?,
                status: rows::text(row, "status")?,
                attempts: rows::int(row, "attempts")?,
                last_error: rows::opt_text(row, "last_error")?,
            })
        })
        .collect()
}
