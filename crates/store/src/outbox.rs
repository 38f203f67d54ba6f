//! The `outbox` table: messages enqueued by a change, claimed by delivery workers.
//!
//! Claiming is safe with several instances: one `UPDATE ... RETURNING` claims the
//! oldest due rows. On PostgreSQL they are picked `FOR UPDATE SKIP LOCKED` in a
//! materialised CTE, so two workers claiming at once never wait for each other (and
//! cannot deadlock) and never pick the same row; on SQLite a subquery picks them and
//! one writer at a time makes the claim exclusive. The `UPDATE`'s own `WHERE` repeats
//! the conditions (pending, due, unclaimed or its claim lapsed) all the same. A claim
//! hides the row until `claimed_until` (exclusive).

use async_trait::async_trait;
use sa_domain::model::{Channel, OutboxItem};
use sa_domain::store::{OutboxStore, StoreResult};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use time::OffsetDateTime;

use crate::connect::{Backend, SqlStore};
use crate::error;
use crate::rows::{self, ms};

/// Longest `last_error` kept, in characters.
const MAX_ERROR_CHARS: usize = 500;

fn channel(text: &str) -> Option<Channel> {
    match text {
        "email" => Some(Channel::Email),
        "sms" => Some(Channel::Sms),
        "letter" => Some(Channel::Letter),
        "app" => Some(Channel::App),
        _ => None,
    }
}

fn item_from_row(row: &AnyRow) -> StoreResult<OutboxItem> {
    Ok(OutboxItem {
        id: rows::text(row, "id")?,
        created_at: rows::time(row, "created_at")?,
        channel: channel(&rows::text(row, "channel")?)
            .ok_or_else(|| rows::unknown("outbox.channel"))?,
        payload_sealed: rows::text(row, "payload_sealed")?,
        attempts: rows::int(row, "attempts")?,
    })
}

/// The rows still waiting for a worker at `$2`: pending, due, and not claimed (or the
/// claim lapsed). Repeated in each claim's `UPDATE` so that a row claimed meanwhile
/// never matches.
macro_rules! due {
    () => {
        "status = 'pending' AND payload_sealed IS NOT NULL AND next_attempt_at <= $2 \
         AND (claimed_until IS NULL OR claimed_until <= $2)"
    };
}

/// Claim the `$3` oldest due rows until `$1`, on PostgreSQL: picked once (a
/// materialised CTE) and locked as picked, skipping rows another worker holds.
const CLAIM_DUE_POSTGRES: &str = concat!(
    "WITH picked AS MATERIALIZED (SELECT id FROM outbox WHERE ",
    due!(),
    " ORDER BY created_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
     UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 \
     FROM picked WHERE outbox.id = picked.id AND ",
    due!(),
    " RETURNING outbox.id, outbox.created_at, outbox.channel, outbox.payload_sealed, outbox.attempts"
);

/// The same on SQLite, where one writer at a time makes the claim exclusive.
const CLAIM_DUE_SQLITE: &str = concat!(
    "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox WHERE ",
    due!(),
    " ORDER BY created_at, id LIMIT $3) AND ",
    due!(),
    " RETURNING id, created_at, channel, payload_sealed, attempts"
);

fn truncate(error: &str) -> String {
    error.chars().take(MAX_ERROR_CHARS).collect()
}

/// Append a sealed message, due at `at`.
pub(crate) async fn enqueue(
    conn: &mut AnyConnection,
    id: &str,
    at: OffsetDateTime,
    channel: Channel,
    payload_sealed: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO outbox (id, created_at, channel, payload_sealed, status, attempts, next_attempt_at) \
         VALUES ($1, $2, $3, $4, 'pending', 0, $2)",
    )
    .bind(id)
    .bind(ms(at))
    .bind(channel.as_str())
    .bind(payload_sealed)
    .execute(conn)
    .await
    .map_err(error::db("enqueue"))?;
    Ok(())
}

#[async_trait]
impl OutboxStore for SqlStore {
    async fn claim_due(
        &self,
        now: OffsetDateTime,
        claim_until: OffsetDateTime,
        limit: i64,
    ) -> StoreResult<Vec<OutboxItem>> {
        if limit <= 0 {
            return Ok(Vec::new());
        }
        let now = ms(now);
        let claimed_rows = sqlx::query(match self.backend {
            Backend::Postgres => CLAIM_DUE_POSTGRES,
            Backend::Sqlite => CLAIM_DUE_SQLITE,
        })
        .bind(ms(claim_until))
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(error::db("claim due"))?;
        let mut claimed = claimed_rows
            .iter()
            .map(item_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        // `RETURNING` keeps no order: oldest first, as they were picked.
        claimed.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(claimed)
    }

    async fn mark_sent(&self, id: &str, at: OffsetDateTime) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET status = 'sent', sent_at = $1, payload_sealed = NULL, claimed_until = NULL WHERE id = $2",
        )
        .bind(ms(at))
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(error::db("mark sent"))?;
        Ok(())
    }

    async fn mark_retry(
        &self,
        id: &str,
        next_attempt_at: OffsetDateTime,
        error: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET next_attempt_at = $1, claimed_until = NULL, last_error = $2 \
             WHERE id = $3 AND status = 'pending'",
        )
        .bind(ms(next_attempt_at))
        .bind(truncate(error))
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(error::db("mark retry"))?;
        Ok(())
    }

    async fn mark_dead(&self, id: &str, at: OffsetDateTime, error: &str) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET status = 'dead', dead_at = $1, payload_sealed = NULL, claimed_until = NULL, \
             last_error = $2 WHERE id = $3 AND status = 'pending'",
        )
        .bind(ms(at))
        .bind(truncate(error))
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(error::db("mark dead"))?;
        Ok(())
    }

    async fn purge_finished(&self, before: OffsetDateTime) -> StoreResult<u64> {
        let done = sqlx::query(
            "DELETE FROM outbox WHERE (status = 'sent' AND sent_at <= $1) \
             OR (status = 'dead' AND dead_at <= $1)",
        )
        .bind(ms(before))
        .execute(&self.pool)
        .await
        .map_err(error::db("purge finished messages"))?;
        Ok(done.rows_affected())
    }

    async fn pending_count(&self) -> StoreResult<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'")
            .fetch_one(&self.pool)
            .await
            .map_err(error::db("pending count"))?;
        rows::int(&row, "n")
    }
}

#[cfg(test)]
mod tests {
    use super::truncate;

    #[test]
    fn errors_are_truncated_on_char_boundaries() {
        let long = "é".repeat(600);
        assert_eq!(truncate(&long).chars().count(), 500);
        assert_eq!(truncate("short"), "short");
    }
}
