//! Mapping sqlx errors to [`StoreError`]. The text is for logs: it names the operation
//! and the kind of failure, never a row value (values may be PII or secrets), so quoted
//! parts of database messages (where PostgreSQL echoes values) are redacted and the
//! `detail` field of database errors is never read.

use sa_domain::store::StoreError;

/// A closure for `map_err` naming the operation that failed.
pub(crate) fn db(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |error| StoreError::Unavailable(describe(what, &error))
}

/// Whether `error` is a unique-constraint violation (portable: SQLite and PostgreSQL).
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

fn describe(what: &str, error: &sqlx::Error) -> String {
    use sqlx::Error as E;
    match error {
        E::Database(e) => {
            let mut text = format!("{what}: database error");
            if let Some(code) = e.code() {
                text.push_str(&format!(" {code}"));
            }
            if let Some(constraint) = e.constraint() {
                text.push_str(&format!(" (constraint {constraint})"));
            }
            text.push_str(": ");
            text.push_str(&redact_quoted(e.message()));
            text
        }
        E::Io(e) => format!("{what}: i/o error: {e}"),
        E::Tls(e) => format!("{what}: tls error: {e}"),
        E::Protocol(e) => format!("{what}: protocol error: {}", redact_quoted(e)),
        E::PoolTimedOut => format!("{what}: timed out waiting for a database connection"),
        E::PoolClosed => format!("{what}: the connection pool is closed"),
        E::WorkerCrashed => format!("{what}: the database worker crashed"),
        E::Configuration(e) => format!(
            "{what}: configuration error: {}",
            redact_quoted(&e.to_string())
        ),
        E::ColumnNotFound(column) => format!("{what}: column not found: {column}"),
        E::ColumnDecode { index, .. } => format!("{what}: could not decode column {index}"),
        E::Decode(_) => format!("{what}: could not decode a value"),
        E::RowNotFound => format!("{what}: row not found"),
        E::Migrate(e) => format!("{what}: migration failed: {e}"),
        other => format!("{what}: {}", redact_quoted(&other.to_string())),
    }
}

/// Replace the inside of every `"..."` and `'...'` with `…`.
fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut open: Option<char> = None;
    for c in message.chars() {
        match open {
            Some(quote) if c == quote => {
                out.push('…');
                out.push(c);
                open = None;
            }
            Some(_) => {}
            None => {
                out.push(c);
                if c == '"' || c == '\'' {
                    open = Some(c);
                }
            }
        }
    }
    if open.is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact_quoted;

    #[test]
    fn quoted_values_are_redacted() {
        assert_eq!(
            redact_quoted(r#"invalid input syntax for type bigint: "alice@example.com""#),
            r#"invalid input syntax for type bigint: "…""#
        );
        assert_eq!(
            redact_quoted("UNIQUE constraint failed: accounts.username"),
            "UNIQUE constraint failed: accounts.username"
        );
        assert_eq!(redact_quoted("open 'secret"), "open '…");
    }
}
