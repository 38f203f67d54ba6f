//! What each email and text message says. Plain language, no secrets beyond the one
//! code a message exists to carry, and always what to do if it wasn't you.

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

pub fn email_confirmation(to: &str, code: &str, valid_hours: i64) -> Message {
    email(
        to,
        "email_confirmation",
        "Confirm your email for Secure Access",
        format!(
            "Your Secure Access confirmation code is {code}.\n\nEnter it on the \"Confirm your email\" page. It expires in {valid_hours} hours and works once.\n\nIf you did not create an account, you can ignore this email."
        ),
        Some(code),
    )
}

pub fn sms_code(to: &str, code: &str, valid_minutes: i64, purpose: &str) -> Message {
    Message {
        channel: Channel::Sms,
        to: to.to_owned(),
        template: purpose.to_owned(),
        subject: String::new(),
        body: format!(
            "Secure Access: your code is {code}. It expires in {valid_minutes} minutes. Don't share it with anyone."
        ),
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
