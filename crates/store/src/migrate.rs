//! Schema migrations: the numbered `.sql` files of `crates/store/migrations/` (portable
//! DDL, one directory for both databases) are embedded at compile time and run with
//! sqlx's own [`Migrator`] against the `Any` pool. (The `migrate!()` macro needs sqlx's
//! `macros` feature, which this workspace does not enable; an embedded
//! [`MigrationSource`] gives the same result, including the `_sqlx_migrations` table,
//! checksums and, on PostgreSQL, the advisory lock.) Running it again is a no-op.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sa_domain::store::StoreError;
use sqlx::SqlSafeStr;
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};

use crate::connect::SqlStore;

/// `(version, description, sql)`, in order. Add new files here as well as on disk.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial", include_str!("../migrations/0001_initial.sql")),
    (
        2,
        "reference_records",
        include_str!("../migrations/0002_reference_records.sql"),
    ),
    (
        3,
        "proofing",
        include_str!("../migrations/0003_proofing.sql"),
    ),
    (4, "audit", include_str!("../migrations/0004_audit.sql")),
    (5, "staff", include_str!("../migrations/0005_staff.sql")),
    (
        6,
        "maintenance",
        include_str!("../migrations/0006_maintenance.sql"),
    ),
    (7, "oidc", include_str!("../migrations/0007_oidc.sql")),
    (
        8,
        "recovery",
        include_str!("../migrations/0008_recovery.sql"),
    ),
    (
        9,
        "passkeys",
        include_str!("../migrations/0009_passkeys.sql"),
    ),
    (10, "leases", include_str!("../migrations/0010_leases.sql")),
    (
        11,
        "app_lifecycle",
        include_str!("../migrations/0011_app_lifecycle.sql"),
    ),
    (12, "saml", include_str!("../migrations/0012_saml.sql")),
    (
        13,
        "account_language",
        include_str!("../migrations/0013_account_language.sql"),
    ),
    (
        14,
        "counter_window_end",
        include_str!("../migrations/0014_counter_window_end.sql"),
    ),
];

/// Migrations whose text changed after release in comments only, with the checksum
/// that databases recorded when they applied the first text (hex SHA-384), so those
/// databases still start. 0002's header comment now names `docs/records.md`.
const CHECKSUMS_OF_FIRST_TEXT: &[(i64, &str)] = &[(
    2,
    "49e82b04e6b66411bcde44efa7b9eb1ee6a5726a1e8ec97577666d113c2f56969b14d45234b8b3cab7f9e226f3871d88",
)];

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

#[derive(Debug)]
struct Embedded;

impl MigrationSource<'static> for Embedded {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 'static>> {
        Box::pin(async {
            Ok(MIGRATIONS
                .iter()
                .map(|&(version, description, sql)| {
                    let mut migration = Migration::new(
                        version,
                        Cow::Borrowed(description),
                        MigrationType::Simple,
                        sql.into_sql_str(),
                        false,
                    );
                    if let Some((_, first)) = CHECKSUMS_OF_FIRST_TEXT
                        .iter()
                        .find(|(pinned, _)| *pinned == version)
                    {
                        migration.checksum = Cow::Owned(hex_bytes(first));
                    }
                    migration
                })
                .collect())
        })
    }
}

impl SqlStore {
    /// Bring the schema up to date (idempotent; safe to run from several instances).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = Migrator::new(Embedded)
            .await
            .map_err(|e| StoreError::Unavailable(format!("migrations: {e}")))?;
        migrator
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Unavailable(format!("migrations: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::{CHECKSUMS_OF_FIRST_TEXT, MIGRATIONS, hex_bytes};

    /// Every file in `migrations/` is embedded, numbered 1, 2, 3... in order.
    #[test]
    fn every_migration_file_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        files.sort();
        assert_eq!(files.len(), MIGRATIONS.len());
        for (i, (file, &(version, description, _))) in files.iter().zip(MIGRATIONS).enumerate() {
            assert_eq!(version, i as i64 + 1);
            assert_eq!(file, &format!("{version:04}_{description}.sql"));
        }
    }

    /// A pinned checksum is a whole SHA-384 (48 bytes) of a migration that exists.
    #[test]
    fn pinned_checksums_are_whole_and_name_real_migrations() {
        for &(version, hex) in CHECKSUMS_OF_FIRST_TEXT {
            assert_eq!(hex_bytes(hex).len(), 48, "migration {version}");
            assert!(MIGRATIONS.iter().any(|m| m.0 == version));
        }
    }
}
