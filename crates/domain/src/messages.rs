//! What each email and text message says. Plain language, no secrets beyond the one
//! code a message exists to carry, and always what to do if it wasn't you.

use sa_i18n::{Lang, Text};

use crate::model::{Channel, Message};

const IF_NOT_YOU: &str = "If this wasn't you, sign in and remove any sign-in method you don't recognise, then change your password. If you can't sign in, call the help desk.";

fn email(to: &str, template: &str, subject: &str, body: String, code: Option<&str>) -> Message {
    Message {
        channel: Channel::Email,
        to: to.to_owned(),
        template: template.to_owned(),
        subject: subject.to_owned(),
        body,
        code: code.map(str::to_owned),
    }
}

pub fn email_confirmation(lang: Lang, to: &str, code: &str, valid_hours: i64) -> Message {
    email(
        to,
        "email_confirmation",
        &sa_i18n::text(lang, "email-confirmation-subject"),
        Text::new("email-confirmation-body")
            .with("code", code)
            .with("hours", valid_hours)
            .render(lang),
        Some(code),
    )
}

pub fn sms_code(lang: Lang, to: &str, code: &str, valid_minutes: i64, purpose: &str) -> Message {
    Message {
        channel: Channel::Sms,
        to: to.to_owned(),
        template: purpose.to_owned(),
        subject: String::new(),
        body: Text::new("sms-code")
            .with("code", code)
            .with("minutes", valid_minutes)
            .render(lang),
        code: Some(code.to_owned()),
    }
}

pub fn new_device_sign_in(to: &str, when: &str, ip: &str, browser: &str) -> Message {
    email(
        to,
        "new_device_sign_in",
        "New sign-in to your Secure Access account",
        format!(
            "Your Secure Access account was signed in to from a device we haven't seen before.\n\nWhen: {when}\nIP address: {ip}\nBrowser: {browser}\n\n{IF_NOT_YOU}"
        ),
        None,
    )
}

pub fn factor_changed(to: &str, what: &str) -> Message {
    email(
        to,
        "factor_changed",
        "Your Secure Access sign-in methods changed",
        format!(
            "{what}\n\nYou can see every change on the Security page of your account.\n\n{IF_NOT_YOU}"
        ),
        None,
    )
}

pub fn app_code_replayed(to: &str) -> Message {
    email(
        to,
        "app_code_replayed",
        "A sign-in code from your authenticator app was used again",
        format!(
            "A code from your authenticator app was entered to sign in to your Secure Access account after it had already been used, and it was refused.\n\nIf you just signed in twice in a row, nothing is wrong. If not, someone may know your password and have seen one of your codes: change your password now.\n\n{IF_NOT_YOU}"
        ),
        None,
    )
}

pub fn identity_verified(to: &str, how: &str) -> Message {
    email(
        to,
        "identity_verified",
        "Your identity is verified",
        format!(
            "Your identity was verified {how} for your Secure Access account. You can now use the online tools that need a verified identity.\n\n{IF_NOT_YOU}"
        ),
        None,
    )
}

pub fn identity_used_elsewhere(to: &str) -> Message {
    email(
        to,
        "identity_used_elsewhere",
        "Someone tried to verify with your identity",
        format!(
            "Someone tried to verify their identity on a different Secure Access account using your Social Security number. It did not succeed: your SSN stays with your account.\n\nIf this was you (for example a second account you forgot), no action is needed. If not, someone may have your personal information: call the help desk, and consider an Identity Protection PIN.\n\n{IF_NOT_YOU}"
        ),
        None,
    )
}

pub fn letter_mailed(to: &str, expires_on: &str) -> Message {
    email(
        to,
        "letter_mailed",
        "Your activation code is in the mail",
        format!(
            "We mailed a letter with an activation code to the address on your most recent tax return. It should arrive in 5 to 10 days. When it does, sign in and enter the code. The code expires on {expires_on}.\n\nIf you didn't ask for this, call the help desk."
        ),
        None,
    )
}

pub fn letter_reminder(to: &str, expires_on: &str) -> Message {
    email(
        to,
        "letter_reminder",
        "Reminder: enter your activation code",
        format!(
            "We mailed you a letter with an activation code to finish verifying your identity. Sign in and enter the code before it expires on {expires_on}. If the letter has not arrived, sign in to ask for a new one, or call the help desk."
        ),
        None,
    )
}

pub fn letter_expired(to: &str) -> Message {
    email(
        to,
        "letter_expired",
        "Your activation code expired",
        "The activation code we mailed you has expired without being used. Sign in to ask for a new letter, or call the help desk if you need help.".to_owned(),
        None,
    )
}

/// The letter itself as a message (the development outbox records it; the printed
/// batch comes from `secure-access letters print`).
pub fn activation_letter(address_block: &str, code: &str, expires_on: &str) -> Message {
    Message {
        channel: Channel::Letter,
        to: address_block.to_owned(),
        template: "activation_letter".to_owned(),
        subject: "Your Secure Access activation code".to_owned(),
        body: format!(
            "You asked to verify your identity with Secure Access. Sign in and enter this activation code: {code}\n\nThe code expires on {expires_on}. If you did not ask for this letter, call the help desk and do not share this code."
        ),
        code: Some(code.to_owned()),
    }
}

/// Add the "this wasn't me" link to a security message.
pub fn with_disavow_link(mut message: Message, url: &str, valid_days: i64) -> Message {
    match message.channel {
        Channel::Sms => {
            message.body = format!("{} Not you? Protect your account: {url}", message.body);
        }
        _ => {
            message.body = format!(
                "{}\n\nThis wasn't you? Open this link to protect your account:\n{url}\nIt signs out every device and asks for a new password before anyone can sign in again, and stops any account recovery in progress. It works once, for {valid_days} days, and can't change anything else.",
                message.body
            );
        }
    }
    message
}

pub fn password_reset_code(to: &str, code: &str, valid_minutes: i64) -> Message {
    email(
        to,
        "password_reset",
        "Your Secure Access password reset code",
        format!(
            "Someone asked to reset the password of your Secure Access account. Your code is {code}.\n\nEnter it on the \"Reset your password\" page. It expires in {valid_minutes} minutes and works once. Resetting your password does not remove your second sign-in step: you will still need your authenticator app, phone or backup code.\n\nIf you didn't ask for this, you can ignore this email: your password has not changed."
        ),
        Some(code),
    )
}

pub fn password_reset_done(to: &str) -> Message {
    email(
        to,
        "password_reset_done",
        "Your Secure Access password was reset",
        "The password of your Secure Access account was reset with a code sent to this email address, and every device was signed out.".to_owned(),
        None,
    )
}

pub fn account_disabled(to: &str) -> Message {
    email(
        to,
        "account_disabled",
        "Your Secure Access account was turned off",
        "A member of our staff turned off your Secure Access account, and every device was signed out. Nobody can sign in to it until it is turned on again.\n\nCall the help desk to find out why and what to do next.".to_owned(),
        None,
    )
}

pub fn account_enabled(to: &str) -> Message {
    email(
        to,
        "account_enabled",
        "Your Secure Access account was turned on again",
        "A member of our staff turned your Secure Access account on again. You can sign in as before.".to_owned(),
        None,
    )
}

pub fn account_reset_started(to: &str, ready_on: &str) -> Message {
    email(
        to,
        "account_reset_started",
        "Someone started resetting your Secure Access sign-in methods",
        format!(
            "Someone signed in to your Secure Access account with its password and asked to remove every sign-in method (authenticator app, phone, backup codes) because they can't use them.\n\nIf this was you, sign in again after {ready_on} to set up new ones.\n\nIf it wasn't you, someone knows your password: cancel the reset with the link below, which also asks for a new password."
        ),
        None,
    )
}

pub fn account_reset_started_sms(to: &str, ready_on: &str) -> Message {
    Message {
        channel: Channel::Sms,
        to: to.to_owned(),
        template: "account_reset_started".to_owned(),
        subject: String::new(),
        body: format!(
            "Secure Access: someone asked to remove the sign-in methods on your account. It happens after {ready_on} unless cancelled."
        ),
        code: None,
    }
}

pub fn account_reset_done(to: &str) -> Message {
    email(
        to,
        "account_reset_done",
        "Your Secure Access sign-in methods were removed",
        "The waiting period of the account reset ended and every sign-in method was removed from your Secure Access account. New ones are being set up.".to_owned(),
        None,
    )
}

pub fn recovery_letter_requested(to: &str) -> Message {
    email(
        to,
        "recovery_letter_requested",
        "Someone asked to recover your Secure Access account by mail",
        "Someone signed in to your Secure Access account with its password, said they can't use any sign-in method, and asked for a recovery code by mail. The letter goes to the address on your latest tax return. Its code removes every sign-in method so new ones can be set up.\n\nIf this was you, watch your mail.\n\nIf it wasn't you, someone knows your password: use the link below, which cancels the letter's code and asks for a new password.".to_owned(),
        None,
    )
}

pub fn recovery_started_sms(to: &str) -> Message {
    Message {
        channel: Channel::Sms,
        to: to.to_owned(),
        template: "recovery_started".to_owned(),
        subject: String::new(),
        body: "Secure Access: someone asked to recover your account by mail.".to_owned(),
        code: None,
    }
}

pub fn account_recovered(to: &str) -> Message {
    email(
        to,
        "account_recovered",
        "Your Secure Access account was recovered",
        "The recovery code mailed to the address on your latest tax return was entered. Every earlier sign-in method was removed, every device was signed out, and a new sign-in method is being set up.".to_owned(),
        None,
    )
}

pub fn email_change_code(to: &str, code: &str, valid_hours: i64) -> Message {
    email(
        to,
        "email_change",
        "Confirm your new email for Secure Access",
        format!(
            "Your Secure Access code is {code}.\n\nEnter it on the \"Change your email address\" page to make this your account's email address. It expires in {valid_hours} hours and works once.\n\nIf you didn't ask for this, ignore this email: nothing changes."
        ),
        Some(code),
    )
}

pub fn email_changed(to: &str, new_address: &str) -> Message {
    email(
        to,
        "email_changed",
        "Your Secure Access email address was changed",
        format!(
            "The email address of your Secure Access account was changed to {new_address}. Messages about your account now go there, not to this address."
        ),
        None,
    )
}

pub fn account_deleted(to: &str, hold_days: i64) -> Message {
    email(
        to,
        "account_deleted",
        "Your Secure Access account was deleted",
        format!(
            "Your Secure Access account was deleted, as you asked. Your sign-in methods, sign-in history and personal details are erased; records we must keep (the decisions made about verifying your identity and the audit log) are kept as the retention rules say.\n\nIf your identity was verified, it can be verified on a new account after {hold_days} days.\n\nIf you didn't delete your account, call the help desk now."
        ),
        None,
    )
}

pub fn identity_recovery_started(to: &str) -> Message {
    email(
        to,
        "identity_recovery_started",
        "Someone is verifying their identity to recover your Secure Access account",
        "Someone signed in to your Secure Access account with its password, said they can't use any sign-in method, and started verifying your identity again to set up a new one.\n\nIf this was you, carry on.\n\nIf it wasn't you, someone knows your password: use the link below, which stops the recovery and asks for a new password.".to_owned(),
        None,
    )
}
