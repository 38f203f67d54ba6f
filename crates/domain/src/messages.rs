//! What each email and text message says, in the account's language (the words are in
//! `sa-i18n`'s `messages.ftl`). Plain language, no secrets beyond the one code a
//! message exists to carry, and always what to do if it wasn't you.

use sa_i18n::{Lang, Text};
use time::OffsetDateTime;

use crate::model::{Channel, Message};

fn email(
    lang: Lang,
    to: &str,
    template: &str,
    subject: &str,
    body: String,
    code: Option<&str>,
) -> Message {
    Message {
        channel: Channel::Email,
        to: to.to_owned(),
        template: template.to_owned(),
        subject: sa_i18n::text(lang, subject),
        body,
        code: code.map(str::to_owned),
        language: lang,
    }
}

fn sms(lang: Lang, to: &str, template: &str, body: String, code: Option<&str>) -> Message {
    Message {
        channel: Channel::Sms,
        to: to.to_owned(),
        template: template.to_owned(),
        subject: String::new(),
        body,
        code: code.map(str::to_owned),
        language: lang,
    }
}

/// A message's body followed by what to do if it wasn't you.
fn with_if_not_you(lang: Lang, body: String) -> String {
    format!("{body}\n\n{}", sa_i18n::text(lang, "email-if-not-you"))
}

/// A sign-in method's name as the person reads it: the names the service gives are
/// translated, a name the person chose is theirs.
pub fn factor_label(lang: Lang, label: &str) -> String {
    if let Some(digits) = label.strip_prefix("Phone ending in ") {
        return Text::new("factor-label-phone")
            .with("digits", digits)
            .render(lang);
    }
    match label {
        "Authenticator app" => sa_i18n::text(lang, "factor-label-app"),
        "Passkey" => sa_i18n::text(lang, "factor-label-passkey"),
        "Backup codes" => sa_i18n::text(lang, "factor-label-backup-codes"),
        other => other.to_owned(),
    }
}

pub fn email_confirmation(lang: Lang, to: &str, code: &str, valid_hours: i64) -> Message {
    email(
        lang,
        to,
        "email_confirmation",
        "email-confirmation-subject",
        Text::new("email-confirmation-body")
            .with("code", code)
            .with("hours", valid_hours)
            .render(lang),
        Some(code),
    )
}

pub fn sms_code(lang: Lang, to: &str, code: &str, valid_minutes: i64, purpose: &str) -> Message {
    let body = Text::new("sms-code")
        .with("code", code)
        .with("minutes", valid_minutes)
        .render(lang);
    sms(lang, to, purpose, body, Some(code))
}

pub fn new_device_sign_in(
    lang: Lang,
    to: &str,
    when: OffsetDateTime,
    ip: &str,
    browser: &str,
) -> Message {
    let body = Text::new("email-new-device-body")
        .with("when", sa_i18n::long_date_time(lang, when))
        .with("ip", ip)
        .with("browser", browser)
        .render(lang);
    email(
        lang,
        to,
        "new_device_sign_in",
        "email-new-device-subject",
        with_if_not_you(lang, body),
        None,
    )
}

/// What changed among the sign-in methods: a `factor-*` message and the stored name of
/// the method it is about (empty when none).
#[derive(Debug, Clone)]
pub struct FactorChange {
    pub message_id: &'static str,
    pub label: String,
}

impl FactorChange {
    pub fn new(message_id: &'static str, label: impl Into<String>) -> Self {
        Self {
            message_id,
            label: label.into(),
        }
    }

    /// The words in `lang`, the method named as the person reads it.
    pub fn words(&self, lang: Lang) -> String {
        Text::new(self.message_id)
            .with("label", factor_label(lang, &self.label))
            .render(lang)
    }
}

/// A sign-in method changed.
pub fn factor_changed(lang: Lang, to: &str, what: &FactorChange) -> Message {
    let body = Text::new("email-factor-changed-body")
        .with("what", what.words(lang))
        .render(lang);
    email(
        lang,
        to,
        "factor_changed",
        "email-factor-changed-subject",
        with_if_not_you(lang, body),
        None,
    )
}

pub fn app_code_replayed(lang: Lang, to: &str) -> Message {
    let body = sa_i18n::text(lang, "email-app-code-replayed-body");
    email(
        lang,
        to,
        "app_code_replayed",
        "email-app-code-replayed-subject",
        with_if_not_you(lang, body),
        None,
    )
}

/// `by` is how: `online`, `mail`, `help_desk` or `in_person`.
pub fn identity_verified(lang: Lang, to: &str, by: &str) -> Message {
    let body = Text::new("email-identity-verified-body")
        .with("by", by)
        .render(lang);
    email(
        lang,
        to,
        "identity_verified",
        "email-identity-verified-subject",
        with_if_not_you(lang, body),
        None,
    )
}

pub fn identity_used_elsewhere(lang: Lang, to: &str) -> Message {
    let body = sa_i18n::text(lang, "email-identity-used-elsewhere-body");
    email(
        lang,
        to,
        "identity_used_elsewhere",
        "email-identity-used-elsewhere-subject",
        with_if_not_you(lang, body),
        None,
    )
}

pub fn letter_mailed(lang: Lang, to: &str, expires_at: OffsetDateTime) -> Message {
    let body = Text::new("email-letter-mailed-body")
        .with("date", sa_i18n::long_date(lang, expires_at.date()))
        .render(lang);
    email(
        lang,
        to,
        "letter_mailed",
        "email-letter-mailed-subject",
        body,
        None,
    )
}

pub fn letter_reminder(lang: Lang, to: &str, expires_at: OffsetDateTime) -> Message {
    let body = Text::new("email-letter-reminder-body")
        .with("date", sa_i18n::long_date(lang, expires_at.date()))
        .render(lang);
    email(
        lang,
        to,
        "letter_reminder",
        "email-letter-reminder-subject",
        body,
        None,
    )
}

pub fn letter_expired(lang: Lang, to: &str) -> Message {
    let body = sa_i18n::text(lang, "email-letter-expired-body");
    email(
        lang,
        to,
        "letter_expired",
        "email-letter-expired-subject",
        body,
        None,
    )
}

/// The letter itself as a message (the development outbox records it; the printed
/// batch comes from `secure-access letters print`).
pub fn activation_letter(
    lang: Lang,
    address_block: &str,
    code: &str,
    expires_at: OffsetDateTime,
) -> Message {
    Message {
        channel: Channel::Letter,
        to: address_block.to_owned(),
        template: "activation_letter".to_owned(),
        subject: sa_i18n::text(lang, "activation-letter-subject"),
        body: Text::new("activation-letter-body")
            .with("code", code)
            .with("date", sa_i18n::long_date(lang, expires_at.date()))
            .render(lang),
        code: Some(code.to_owned()),
        language: lang,
    }
}

/// Add the "this wasn't me" link to a security message, in the message's language.
pub fn with_disavow_link(mut message: Message, url: &str, valid_days: i64) -> Message {
    let lang = message.language;
    let id = match message.channel {
        Channel::Sms => "sms-disavow-link",
        _ => "email-disavow-link",
    };
    let link = Text::new(id)
        .with("url", url)
        .with("days", valid_days)
        .render(lang);
    let separator = match message.channel {
        Channel::Sms => " ",
        _ => "\n\n",
    };
    message.body = format!("{}{separator}{link}", message.body);
    message
}

pub fn password_reset_code(lang: Lang, to: &str, code: &str, valid_minutes: i64) -> Message {
    let body = Text::new("email-password-reset-body")
        .with("code", code)
        .with("minutes", valid_minutes)
        .render(lang);
    email(
        lang,
        to,
        "password_reset",
        "email-password-reset-subject",
        body,
        Some(code),
    )
}

pub fn password_reset_done(lang: Lang, to: &str) -> Message {
    let body = sa_i18n::text(lang, "email-password-reset-done-body");
    email(
        lang,
        to,
        "password_reset_done",
        "email-password-reset-done-subject",
        body,
        None,
    )
}

pub fn account_disabled(lang: Lang, to: &str) -> Message {
    let body = sa_i18n::text(lang, "email-account-disabled-body");
    email(
        lang,
        to,
        "account_disabled",
        "email-account-disabled-subject",
        body,
        None,
    )
}

pub fn account_enabled(lang: Lang, to: &str) -> Message {
    let body = sa_i18n::text(lang, "email-account-enabled-body");
    email(
        lang,
        to,
        "account_enabled",
        "email-account-enabled-subject",
        body,
        None,
    )
}

pub fn account_reset_started(lang: Lang, to: &str, ready_at: OffsetDateTime) -> Message {
    let body = Text::new("email-account-reset-started-body")
        .with("when", sa_i18n::long_date_time(lang, ready_at))
        .render(lang);
    email(
        lang,
        to,
        "account_reset_started",
        "email-account-reset-started-subject",
        body,
        None,
    )
}

pub fn account_reset_started_sms(lang: Lang, to: &str, ready_at: OffsetDateTime) -> Message {
    let body = Text::new("sms-account-reset-started")
        .with("when", sa_i18n::long_date_time(lang, ready_at))
        .render(lang);
    sms(lang, to, "account_reset_started", body, None)
}

pub fn account_reset_done(lang: Lang, to: &str) -> Message {
    let body = sa_i18n::text(lang, "email-account-reset-done-body");
    email(
        lang,
        to,
        "account_reset_done",
        "email-account-reset-done-subject",
        body,
        None,
    )
}

pub fn recovery_letter_requested(lang: Lang, to: &str) -> Message {
    let body = sa_i18n::text(lang, "email-recovery-letter-requested-body");
    email(
        lang,
        to,
        "recovery_letter_requested",
        "email-recovery-letter-requested-subject",
        body,
        None,
    )
}

pub fn recovery_started_sms(lang: Lang, to: &str) -> Message {
    sms(
        lang,
        to,
        "recovery_started",
        sa_i18n::text(lang, "sms-recovery-started"),
        None,
    )
}

pub fn account_recovered(lang: Lang, to: &str) -> Message {
    let body = sa_i18n::text(lang, "email-account-recovered-body");
    email(
        lang,
        to,
        "account_recovered",
        "email-account-recovered-subject",
        body,
        None,
    )
}

pub fn email_change_code(lang: Lang, to: &str, code: &str, valid_hours: i64) -> Message {
    let body = Text::new("email-change-code-body")
        .with("code", code)
        .with("hours", valid_hours)
        .render(lang);
    email(
        lang,
        to,
        "email_change",
        "email-change-code-subject",
        body,
        Some(code),
    )
}

pub fn email_changed(lang: Lang, to: &str, new_address: &str) -> Message {
    let body = Text::new("email-changed-body")
        .with("address", new_address)
        .render(lang);
    email(
        lang,
        to,
        "email_changed",
        "email-changed-subject",
        body,
        None,
    )
}

pub fn account_deleted(lang: Lang, to: &str, hold_days: i64) -> Message {
    let body = Text::new("email-account-deleted-body")
        .with("days", hold_days)
        .render(lang);
    email(
        lang,
        to,
        "account_deleted",
        "email-account-deleted-subject",
        body,
        None,
    )
}

pub fn identity_recovery_started(lang: Lang, to: &str) -> Message {
    let body = sa_i18n::text(lang, "email-identity-recovery-started-body");
    email(
        lang,
        to,
        "identity_recovery_started",
        "email-identity-recovery-started-subject",
        body,
        None,
    )
}
