//! Records and helpers the store tests share: a fixed clock, accounts, factors,
//! sessions, codes, history entries, outbox messages, and applying writes.

use sa_domain::clock::from_millis;
use sa_domain::model::{
    Account, Channel, Factor, FactorKind, LoginRecord, OneTimeCode, SecurityEvent, Session,
    SessionStage,
};
use sa_domain::store::{Change, Store, StoreResult, Write};
use sa_store::SqlStore;
use time::{Duration, OffsetDateTime};

/// A fixed instant plus `ms` milliseconds (whole milliseconds round-trip exactly).
pub(crate) fn t(ms: i64) -> OffsetDateTime {
    from_millis(1_700_000_000_000 + ms)
}

pub(crate) fn account(id: &str, username: &str) -> Account {
    Account {
        id: id.to_owned(),
        username: username.to_owned(),
        email_sealed: format!("sealed-email-{id}"),
        password_hash: "$argon2id$v=19$...".to_owned(),
        created_at: t(0),
        email_confirmed_at: None,
        code_failures: 0,
        code_locked_until: None,
        identity_verified_at: None,
        identity_verified_by: None,
        password_change_required: false,
        password_reset_required: false,
        deleted_at: None,
        disabled_at: None,
        language: sa_i18n::Lang::Es,
    }
}

pub(crate) fn factor(
    id: &str,
    account_id: &str,
    kind: FactorKind,
    created_at: OffsetDateTime,
) -> Factor {
    Factor {
        id: id.to_owned(),
        account_id: account_id.to_owned(),
        kind,
        label: format!("label {id}"),
        secret_sealed: Some(format!("sealed-secret-{id}")),
        created_at,
        confirmed_at: None,
        last_used_at: None,
        last_totp_step: None,
        consecutive_failures: 0,
        disabled_at: None,
    }
}

/// A session that has passed the password step, begun (and last seen) at `at`.
pub(crate) fn session(id: &str, account_id: &str, at: OffsetDateTime) -> Session {
    Session {
        id: id.to_owned(),
        account_id: account_id.to_owned(),
        stage: SessionStage::PasswordVerified,
        created_at: at,
        last_seen_at: at,
        factor_verified_at: None,
        auth_method: None,
        ip: std::net::IpAddr::from([198, 51, 100, 7]),
        user_agent: "agent".into(),
    }
}

pub(crate) fn code(
    id: &str,
    account_id: &str,
    purpose: &str,
    factor_id: Option<&str>,
    created_at: OffsetDateTime,
) -> OneTimeCode {
    OneTimeCode {
        id: id.to_owned(),
        account_id: account_id.to_owned(),
        purpose: purpose.to_owned(),
        factor_id: factor_id.map(str::to_owned),
        code_hash: format!("hash-{id}"),
        created_at,
        expires_at: created_at + Duration::minutes(10),
        used_at: None,
        attempts: 0,
    }
}

pub(crate) fn login(id: &str, account_id: &str, at: OffsetDateTime, success: bool) -> LoginRecord {
    LoginRecord {
        id: id.to_owned(),
        account_id: account_id.to_owned(),
        at,
        ip: "192.0.2.1".to_owned(),
        user_agent: "test agent".to_owned(),
        method: "password".to_owned(),
        success,
        reason: (!success).then(|| "wrong_password".to_owned()),
    }
}

pub(crate) fn event(id: &str, account_id: &str, at: OffsetDateTime) -> SecurityEvent {
    SecurityEvent {
        id: id.to_owned(),
        account_id: account_id.to_owned(),
        at,
        kind: "factor_added".to_owned(),
        detail: format!("event {id}"),
    }
}

pub(crate) fn enqueue(id: &str, at: OffsetDateTime) -> Write {
    Write::Enqueue {
        id: id.to_owned(),
        at,
        channel: Channel::Email,
        payload_sealed: format!("sealed-{id}"),
    }
}

pub(crate) async fn apply(store: &SqlStore, writes: Vec<Write>) -> StoreResult<()> {
    store
        .apply(Change {
            writes,
            ..Change::default()
        })
        .await
}

pub(crate) async fn with_account(store: &SqlStore, id: &str) {
    apply(
        store,
        vec![Write::InsertAccount(account(id, &format!("user-{id}")))],
    )
    .await
    .expect("insert account");
}
