//! The security history in the reader's language. Entries are stored as the English
//! sentence they were written in; an entry that is one of the service's sentences
//! (fixed, or with one varying part: an app, an address, a date, a sign-in method) is
//! shown from the catalogue (`history.ftl`) in the request's language; anything else as
//! stored.

use sa_i18n::{Lang, Text};

/// Fixed history sentences and their catalogue ids. Each id's English is the sentence
/// (a test holds them together).
const FIXED: &[(&str, &str)] = &[
    ("Account created", "history-account-created"),
    ("Email address confirmed", "history-email-confirmed"),
    ("Password changed", "history-password-changed"),
    ("Authenticator app added", "history-app-added"),
    ("Backup codes created", "history-backup-created"),
    (
        "New backup codes created; the old ones no longer work",
        "history-backup-replaced",
    ),
    ("Identity verified online", "history-verified-online"),
    (
        "Identity verified with the activation code mailed to you",
        "history-verified-mail",
    ),
    (
        "Identity verified by the help desk, with the activation code mailed to you",
        "history-verified-help-desk",
    ),
    (
        "Identity verified in person, with the activation code mailed to you",
        "history-verified-in-person",
    ),
    (
        "Phone confirmed during identity verification, added for text-message codes",
        "history-proofing-phone-added",
    ),
    (
        "Activation code letter mailed to the address on your latest tax return",
        "history-letter-requested",
    ),
    (
        "The mailed activation code expired unused",
        "history-letter-expired",
    ),
    (
        "A password reset code was emailed",
        "history-password-reset-requested",
    ),
    (
        "Password reset with a code sent by email; every device was signed out",
        "history-password-reset",
    ),
    (
        "Signed out of every other session",
        "history-other-sessions-ended",
    ),
    (
        "Email address changed; the old address was told",
        "history-email-changed",
    ),
    (
        "You reported a change that wasn't you: every device was signed out, recovery in progress was cancelled, and a new password is required",
        "history-disavowed",
    ),
    (
        "Started verifying your identity again to replace your sign-in methods",
        "history-identity-recovery-started",
    ),
    (
        "Identity verified again: every earlier sign-in method was removed, every device signed out, and this phone is your sign-in method",
        "history-recovered-online",
    ),
    (
        "Recovery code mailed to the address on your latest tax return",
        "history-recovery-letter-requested",
    ),
    (
        "Recovered with the code mailed to your address of record: every earlier sign-in method was removed and every device signed out",
        "history-recovered-by-letter",
    ),
    (
        "Account reset: every sign-in method was removed and every device signed out",
        "history-account-reset-completed",
    ),
    (
        "Your earlier sign-in methods were removed after staff verified your identity; set up a new one",
        "history-factors-reset",
    ),
    (
        "Someone tried to verify their identity on another account with your Social Security number",
        "history-identity-used-elsewhere",
    ),
    (
        "A code from your authenticator app was used again and refused",
        "history-app-code-replayed",
    ),
    (
        "A passkey was refused because its use count went backwards (it may have been copied)",
        "history-passkey-cloned",
    ),
    (
        "A staff member lifted the lock on your sign-in",
        "history-unlocked-by-staff",
    ),
    (
        "A staff member signed you out everywhere",
        "history-sessions-ended-by-staff",
    ),
    (
        "A staff member turned your account off and signed you out everywhere",
        "history-disabled-by-staff",
    ),
    (
        "A staff member turned your account on again",
        "history-enabled-by-staff",
    ),
    (
        "Secure Access staff looked at your account's status to help you",
        "history-staff-viewed",
    ),
    (
        "The help desk created this account for you by phone",
        "history-created-by-help-desk",
    ),
    (
        "The help desk started checking your identity by phone",
        "history-help-desk-check-started",
    ),
    (
        "The help desk verified your identity by phone. A temporary password was issued, and an activation code was mailed to the address on your latest tax return.",
        "history-help-desk-verified",
    ),
    (
        "The help desk could not verify your identity by phone. Please visit a Taxpayer Assistance Center with your photo ID.",
        "history-help-desk-not-verified",
    ),
    (
        "Signed in with the temporary password from the help desk",
        "history-temporary-password-used",
    ),
    (
        "First sign-in after moving over: the password is now stored with Argon2id",
        "history-password-upgraded",
    ),
];

/// History sentences with one part that varies (an app, an address, a device, a date,
/// a sign-in method): the English before and after it, the catalogue id (whose
/// argument is `part`), and whether the part is a sign-in method's name (translated
/// where it is one the service gives). The more specific come first.
const WITH_ONE_PART: &[(&str, &str, &str, bool)] = &[
    (
        "You allowed ",
        " to sign you in and see the information it asked for",
        "history-app-connected",
        false,
    ),
    (
        "You removed ",
        "'s access to your account",
        "history-app-disconnected",
        false,
    ),
    (
        "Signed out of a session from ",
        "",
        "history-session-ended",
        false,
    ),
    (
        "Signed in from a new device (",
        ")",
        "history-new-device",
        false,
    ),
    (
        "Account reset started: sign-in methods will be removed after ",
        " unless cancelled",
        "history-account-reset-started",
        false,
    ),
    (
        "Your identity documents were checked in person at ",
        "",
        "history-in-person-documents",
        false,
    ),
    (
        "Account moved over from ",
        "",
        "history-legacy-import",
        false,
    ),
    ("Staff role ", " granted", "history-role-granted", false),
    ("Staff role ", " removed", "history-role-removed", false),
    (
        "",
        " added for text-message codes",
        "history-factor-added-sms",
        true,
    ),
    (
        "",
        " added (a passkey)",
        "history-factor-added-passkey",
        true,
    ),
    (
        "",
        " was turned off after too many incorrect codes",
        "history-factor-turned-off",
        true,
    ),
    ("", " added", "history-factor-added", true),
    ("", " removed", "history-factor-removed", true),
];

/// An entry of the history as `lang` reads it.
pub fn entry(detail: &str, lang: Lang) -> String {
    if let Some((_, id)) = FIXED.iter().find(|(english, _)| *english == detail) {
        return sa_i18n::text(lang, id);
    }
    for (before, after, id, is_method) in WITH_ONE_PART {
        let Some(part) = detail
            .strip_prefix(before)
            .and_then(|rest| rest.strip_suffix(after))
            .filter(|part| !part.is_empty())
        else {
            continue;
        };
        let part = if *is_method {
            sa_domain::messages::factor_label(lang, part)
        } else {
            part.to_owned()
        };
        return Text::new(id).with("part", part).render(lang);
    }
    detail.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixed_sentence_is_its_catalogue_english() {
        for (english, id) in FIXED {
            assert_eq!(sa_i18n::text(Lang::En, id), *english, "{id}");
            assert_ne!(
                sa_i18n::text(Lang::Es, id),
                *english,
                "{id} is not translated"
            );
        }
        assert_eq!(
            entry("Password changed", Lang::Es),
            "Se cambió la contraseña"
        );
        for (before, after, id, _) in WITH_ONE_PART {
            let english = Text::new(id).with("part", "X").render(Lang::En);
            assert_eq!(english, format!("{before}X{after}"), "{id}");
        }
        assert_eq!(
            entry("Signed out of a session from 10.0.0.1", Lang::Es),
            "Se cerró una sesión desde 10.0.0.1"
        );
        assert_eq!(
            entry(
                "Phone ending in 0143 added for text-message codes",
                Lang::Es
            ),
            "Se agregó para recibir códigos por mensaje de texto: Teléfono que termina en 0143"
        );
        assert_eq!(
            entry("Staff role admin removed", Lang::Es),
            "Se quitó la función del personal admin"
        );
        assert_eq!(
            entry("Something new happened", Lang::Es),
            "Something new happened"
        );
    }
}
