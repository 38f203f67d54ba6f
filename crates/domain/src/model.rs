//! The records the journeys read and write. Times are `OffsetDateTime` here; the store
//! keeps them as epoch milliseconds. Sealed fields hold keyring ciphertext, never clear text.

use serde::Serialize;
use std::net::IpAddr;

pub use crate::next::Next;
use time::OffsetDateTime;

#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    /// Lower-case, NFC: the unique sign-in name.
    pub username: String,
    pub email_sealed: String,
    pub password_hash: String,
    pub created_at: OffsetDateTime,
    pub email_confirmed_at: Option<OffsetDateTime>,
    /// Consecutive wrong second-factor codes since the last success or lock.
    pub code_failures: i64,
    pub code_locked_until: Option<OffsetDateTime>,
    /// When the person's identity was verified (online, by mail, or by staff).
    pub identity_verified_at: Option<OffsetDateTime>,
    /// How: `online`, `mail`, `help_desk`, `in_person`.
    pub identity_verified_by: Option<String>,
    /// Signed in with a temporary password: a new password must be chosen first.
    pub password_change_required: bool,
    /// The owner disavowed a security email: only a password reset lets anyone in.
    pub password_reset_required: bool,
    /// Deleted by its owner: what is left is a tombstone (see `docs/retention.md`).
    pub deleted_at: Option<OffsetDateTime>,
    /// Turned off by an admin: nobody signs in until an admin turns it on again.
    pub disabled_at: Option<OffsetDateTime>,
    /// The language messages and letters to this person are written in: the one they
    /// signed up in, or the one they last chose while signed in.
    pub language: sa_i18n::Lang,
}

impl Account {
    /// The identity assurance level (NIST SP 800-63A): 2 once verified, else 1.
    pub fn identity_level(&self) -> u8 {
        if self.identity_verified_at.is_some() {
            2
        } else {
            1
        }
    }
}

/// The single-use "this wasn't me" link of a security email; only its fingerprint is kept.
#[derive(Debug, Clone)]
pub struct DisavowToken {
    pub token_hash: String,
    pub account_id: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
}

/// A verified person proving their identity again online to replace lost sign-in
/// methods: the step they are at (`financial_account`, `phone`, `phone_code`).
#[derive(Debug, Clone)]
pub struct IdentityRecovery {
    pub account_id: String,
    pub step: String,
    pub started_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// The names matched at the identity step (sealed), for the phone step.
    pub claim_sealed: Option<String>,
}

/// An account reset waiting out its delay (someone with the password but no sign-in
/// method, on an account without a verified identity).
#[derive(Debug, Clone)]
pub struct AccountReset {
    pub id: String,
    pub account_id: String,
    pub started_at: OffsetDateTime,
    /// When the person may clear the sign-in methods and set up new ones.
    pub ready_at: OffsetDateTime,
    pub cancelled_at: Option<OffsetDateTime>,
    pub completed_at: Option<OffsetDateTime>,
}

impl AccountReset {
    /// Neither cancelled nor completed.
    pub fn is_open(&self) -> bool {
        self.cancelled_at.is_none() && self.completed_at.is_none()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    Totp,
    Sms,
    BackupCodes,
    /// A passkey or security key (WebAuthn): phishing-resistant.
    Passkey,
}

impl FactorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Totp => "totp",
            Self::Sms => "sms",
            Self::BackupCodes => "backup_codes",
            Self::Passkey => "passkey",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "totp" => Some(Self::Totp),
            "sms" => Some(Self::Sms),
            "backup_codes" => Some(Self::BackupCodes),
            "passkey" => Some(Self::Passkey),
            _ => None,
        }
    }

    /// The sign-in `method` name for this factor.
    pub fn method(self) -> &'static str {
        match self {
            Self::Totp => "totp",
            Self::Sms => "sms",
            Self::BackupCodes => "backup_code",
            Self::Passkey => PASSKEY_METHOD,
        }
    }

    /// Whether a session raised with sign-in method `method` is phishing-resistant
    /// (NIST SP 800-63B-4 §3.2.5: the authenticator binds its answer to our origin): a
    /// passkey after the password ([`PASSKEY_METHOD`]) or alone
    /// ([`PASSWORDLESS_METHOD`]).
    pub fn phishing_resistant_method(method: &str) -> bool {
        method == PASSKEY_METHOD || method == PASSWORDLESS_METHOD
    }
}

/// The sign-in method of a passkey used after the password.
pub const PASSKEY_METHOD: &str = "passkey";
/// The sign-in method of a passkey used alone (no password).
pub const PASSWORDLESS_METHOD: &str = "passwordless_passkey";
/// Recorded on a session raised by registering its first factor, a passkey: possession
/// was shown, but no assertion was made, so it is not phishing-resistant.
pub const PASSKEY_SETUP_METHOD: &str = "passkey_setup";

impl FactorKind {}

/// A passkey factor's credential: its id (base64url, unique across accounts), the
/// public credential as `webauthn-rs` keeps it (JSON: public key, counter, flags; no
/// secret), and the sign counter and backup flags seen at the last use.
#[derive(Debug, Clone)]
pub struct PasskeyCredential {
    pub factor_id: String,
    pub account_id: String,
    pub credential_id: String,
    pub credential_json: String,
    pub sign_count: i64,
    pub backup_eligible: bool,
    pub backup_state: bool,
}

/// A WebAuthn ceremony waiting for the authenticator's answer: registering a passkey,
/// the second factor of a sign-in, or a sign-in with a passkey alone. The state (which
/// holds the challenge) is sealed; finishing the ceremony deletes the row.
#[derive(Debug, Clone)]
pub struct WebauthnChallenge {
    pub id: String,
    /// `register`, `second_factor` or `passwordless`.
    pub purpose: String,
    pub account_id: Option<String>,
    /// The session it was started in (registration and second factor).
    pub session_id: Option<String>,
    /// The pending passkey factor (registration).
    pub factor_id: Option<String>,
    pub state_sealed: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct Factor {
    pub id: String,
    pub account_id: String,
    pub kind: FactorKind,
    pub label: String,
    /// TOTP secret or phone number, sealed.
    pub secret_sealed: Option<String>,
    pub created_at: OffsetDateTime,
    pub confirmed_at: Option<OffsetDateTime>,
    pub last_used_at: Option<OffsetDateTime>,
    /// Last accepted TOTP time step (replay protection).
    pub last_totp_step: Option<i64>,
    /// Consecutive failed codes against this factor; at the limit it is disabled.
    pub consecutive_failures: i64,
    pub disabled_at: Option<OffsetDateTime>,
}

impl Factor {
    /// A new factor created at `at`: pending until confirmed, unless `confirmed`.
    pub fn new(
        account_id: &str,
        kind: FactorKind,
        label: impl Into<String>,
        secret_sealed: Option<String>,
        at: OffsetDateTime,
        confirmed: bool,
    ) -> Self {
        Self {
            id: new_id(at),
            account_id: account_id.to_owned(),
            kind,
            label: label.into(),
            secret_sealed,
            created_at: at,
            confirmed_at: confirmed.then_some(at),
            last_used_at: None,
            last_totp_step: None,
            consecutive_failures: 0,
            disabled_at: None,
        }
    }

    /// Confirmed and not disabled: usable to sign in.
    pub fn is_active(&self) -> bool {
        self.confirmed_at.is_some() && self.disabled_at.is_none()
    }
}

/// A one-time code (email confirmation, SMS sign-in, phone enrolment); only its fingerprint is kept.
#[derive(Debug, Clone)]
pub struct OneTimeCode {
    pub id: String,
    pub account_id: String,
    pub purpose: String,
    pub factor_id: Option<String>,
    pub code_hash: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
    pub attempts: i64,
}

/// How far a session has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    /// Password known (sign-up or sign-in) but the account is not complete: it may
    /// confirm its email and set up its first second factor, nothing else.
    Enrolling,
    /// Password verified at sign-in; a second factor is due.
    PasswordVerified,
    /// Password and second factor verified (AAL2).
    Authenticated,
}

impl SessionStage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enrolling => "enrolling",
            Self::PasswordVerified => "password_verified",
            Self::Authenticated => "authenticated",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "enrolling" => Some(Self::Enrolling),
            "password_verified" => Some(Self::PasswordVerified),
            "authenticated" => Some(Self::Authenticated),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    /// SHA-256 of the bearer token: the token itself is never stored.
    pub id: String,
    pub account_id: String,
    pub stage: SessionStage,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub factor_verified_at: Option<OffsetDateTime>,
    /// The sign-in method of the second factor that raised it (`totp`, `sms`,
    /// `backup_code`, `passkey`); `None` before one.
    pub auth_method: Option<String>,
    /// Where the session was opened from.
    pub ip: IpAddr,
    pub user_agent: String,
}

impl Session {
    /// Raised with a phishing-resistant authenticator (a passkey).
    pub fn phishing_resistant(&self) -> bool {
        self.auth_method
            .as_deref()
            .is_some_and(FactorKind::phishing_resistant_method)
    }
}

/// One sign-in attempt as shown on the security page.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    pub id: String,
    pub account_id: String,
    pub at: OffsetDateTime,
    pub ip: String,
    pub user_agent: String,
    /// `password`, `totp`, `sms`, `backup_code`.
    pub method: String,
    pub success: bool,
    /// Why a failure failed (`wrong_password`, `wrong_code`, `code_replayed`, ...).
    pub reason: Option<String>,
}

/// Something that changed on the account, in plain words.
#[derive(Debug, Clone)]
pub struct SecurityEvent {
    pub id: String,
    pub account_id: String,
    pub at: OffsetDateTime,
    /// `account_created`, `email_confirmed`, `factor_added`, `factor_removed`, ...
    pub kind: String,
    pub detail: String,
}

/// The delivery channel of an outbound message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
    Letter,
    /// A signed token posted to an app: a Security Event Token or a logout token
    /// (`to` is the app's URI, `template` says which, `body` is the token).
    App,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
            Self::Letter => "letter",
            Self::App => "app",
        }
    }
}

/// A message to deliver. Stored sealed in the outbox (it may carry a code).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Message {
    pub channel: Channel,
    /// Email address, E.164 phone number, or a letter's address block.
    pub to: String,
    pub template: String,
    pub subject: String,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The language it is written in (the account's), for what is added to it later
    /// and for the email's `Content-Language`.
    #[serde(default)]
    pub language: sa_i18n::Lang,
}

/// A message waiting in (or claimed from) the outbox.
#[derive(Debug, Clone)]
pub struct OutboxItem {
    pub id: String,
    pub created_at: OffsetDateTime,
    pub channel: Channel,
    /// The sealed [`Message`] (JSON).
    pub payload_sealed: String,
    pub attempts: i64,
}

/// A new, time-ordered identifier: 12 hex digits of milliseconds, then 8 of a process
/// counter and 12 random. Ids sort by creation time, which gives history a stable order.
pub fn new_id(at: OffsetDateTime) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let ms = crate::clock::to_millis(at).max(0) as u64;
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let random = crate::keys::random_bytes::<6>();
    format!("{ms:012x}{n:08x}{}", crate::keys::hex(&random[..]))
}

/// A planned maintenance window, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaintenanceWindow {
    pub id: String,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    /// Plain text from the admin, shown on every page beforehand (may be empty).
    pub message: String,
    /// The admin's account id.
    pub created_by: String,
    pub created_at: OffsetDateTime,
    pub cancelled_at: Option<OffsetDateTime>,
}

impl MaintenanceWindow {
    /// `cancelled`, `ended`, `active` or `upcoming` at `now`.
    pub fn state(&self, now: OffsetDateTime) -> &'static str {
        if self.cancelled_at.is_some() {
            "cancelled"
        } else if self.ends_at <= now {
            "ended"
        } else if self.starts_at <= now {
            "active"
        } else {
            "upcoming"
        }
    }

    /// Whole seconds from `now` until the window ends, at least 1.
    pub fn seconds_left(&self, now: OffsetDateTime) -> u64 {
        crate::clock::seconds_until(now, self.ends_at)
    }
}

/// What `/metrics` reads from the store at each scrape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreGauges {
    /// Messages waiting to be sent (including those being retried).
    pub outbox_pending: i64,
    /// Messages given up on after their last retry.
    pub outbox_dead: i64,
    /// When the oldest waiting message was written.
    pub outbox_oldest_pending_at: Option<OffsetDateTime>,
    /// Open database connections, idle ones among them, and the pool's maximum.
    pub pool_connections: u32,
    pub pool_idle: u32,
    pub pool_max: u32,
}

/// Letters by state (each letter counted once).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LetterCounts {
    /// Not printed yet (and neither activated nor expired).
    pub pending: i64,
    /// Printed, neither activated nor expired.
    pub printed: i64,
    pub activated: i64,
    /// Expired without being activated.
    pub expired: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LockoutCounts {
    /// Accounts whose second factors are locked right now (too many wrong codes).
    pub accounts_locked: i64,
    /// Factors turned off after too many consecutive failures.
    pub factors_disabled: i64,
}

/// One staff action from the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffActivity {
    pub seq: i64,
    pub at: OffsetDateTime,
    /// `staff:<account id>`.
    pub actor: String,
    pub action: String,
    /// The account acted on, if any.
    pub subject: Option<String>,
}
