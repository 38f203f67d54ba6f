# Emails and text messages, written in the account's language. A code is the only
# secret a message may carry.

email-confirmation-subject = Confirm your email for Secure Access
email-confirmation-body = Your Secure Access confirmation code is { $code }.

    Enter it on the "Confirm your email" page. It expires in { $hours ->
        [one] 1 hour
       *[other] { $hours } hours
    } and works once.

    If you did not create an account, you can ignore this email.
sms-code = Secure Access: your code is { $code }. It expires in { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }. Don't share it with anyone.

# The activation letter (printed; the accented letters print, other symbols do not).
letter-mailed = Mailed { $date }
letter-intro = You asked to verify your identity with { $service }. To finish, sign in at { $url } and enter this activation code:
letter-expires = This code expires on { $date }. After that date, sign in and ask for a new letter.
letter-not-you = If you did not ask for this letter, someone may be using your information: call the help desk and do not share this code.
letter-never-ask = We will never ask for this code by phone or email.
letter-reference = Letter reference: { $reference }

email-if-not-you = If this wasn't you, sign in and remove any sign-in method you don't recognise, then change your password. If you can't sign in, call the help desk.
email-disavow-link = This wasn't you? Open this link to protect your account:
    { $url }
    It signs out every device and asks for a new password before anyone can sign in again, and stops any account recovery in progress. It works once, for { $days ->
        [one] 1 day
       *[other] { $days } days
    }, and can't change anything else.
sms-disavow-link = Not you? Protect your account: { $url }

email-new-device-subject = New sign-in to your Secure Access account
email-new-device-body = Your Secure Access account was signed in to from a device we haven't seen before.

    When: { $when }
    IP address: { $ip }
    Browser: { $browser }
email-factor-changed-subject = Your Secure Access sign-in methods changed
email-factor-changed-body = { $what }.

    You can see every change on the Security page of your account.
email-app-code-replayed-subject = A sign-in code from your authenticator app was used again
email-app-code-replayed-body = A code from your authenticator app was entered to sign in to your Secure Access account after it had already been used, and it was refused.

    If you just signed in twice in a row, nothing is wrong. If not, someone may know your password and have seen one of your codes: change your password now.
email-identity-verified-subject = Your identity is verified
email-identity-verified-body = Your identity was verified { $by ->
        [mail] with the activation code mailed to you
        [help_desk] by the help desk, with the activation code mailed to you
        [in_person] in person, with the activation code mailed to you
       *[online] online
    } for your Secure Access account. You can now use the online tools that need a verified identity.
email-identity-used-elsewhere-subject = Someone tried to verify with your identity
email-identity-used-elsewhere-body = Someone tried to verify their identity on a different Secure Access account using your Social Security number. It did not succeed: your SSN stays with your account.

    If this was you (for example a second account you forgot), no action is needed. If not, someone may have your personal information: call the help desk, and consider an Identity Protection PIN.
email-letter-mailed-subject = Your activation code is in the mail
email-letter-mailed-body = We mailed a letter with an activation code to the address on your most recent tax return. It should arrive in 5 to 10 days. When it does, sign in and enter the code. The code expires on { $date }.

    If you didn't ask for this, call the help desk.
email-letter-reminder-subject = Reminder: enter your activation code
email-letter-reminder-body = We mailed you a letter with an activation code to finish verifying your identity. Sign in and enter the code before it expires on { $date }. If the letter has not arrived, sign in to ask for a new one, or call the help desk.
email-letter-expired-subject = Your activation code expired
email-letter-expired-body = The activation code we mailed you has expired without being used. Sign in to ask for a new letter, or call the help desk if you need help.
activation-letter-subject = Your Secure Access activation code
activation-letter-body = You asked to verify your identity with Secure Access. Sign in and enter this activation code: { $code }

    The code expires on { $date }. If you did not ask for this letter, call the help desk and do not share this code.
email-password-reset-subject = Your Secure Access password reset code
email-password-reset-body = Someone asked to reset the password of your Secure Access account. Your code is { $code }.

    Enter it on the "Reset your password" page. It expires in { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    } and works once. Resetting your password does not remove your second sign-in step: you will still need your authenticator app, phone or backup code.

    If you didn't ask for this, you can ignore this email: your password has not changed.
email-password-reset-done-subject = Your Secure Access password was reset
email-password-reset-done-body = The password of your Secure Access account was reset with a code sent to this email address, and every device was signed out.
email-account-disabled-subject = Your Secure Access account was turned off
email-account-disabled-body = A member of our staff turned off your Secure Access account, and every device was signed out. Nobody can sign in to it until it is turned on again.

    Call the help desk to find out why and what to do next.
email-account-enabled-subject = Your Secure Access account was turned on again
email-account-enabled-body = A member of our staff turned your Secure Access account on again. You can sign in as before.
email-account-reset-started-subject = Someone started resetting your Secure Access sign-in methods
email-account-reset-started-body = Someone signed in to your Secure Access account with its password and asked to remove every sign-in method (authenticator app, phone, backup codes) because they can't use them.

    If this was you, sign in again after { $when } to set up new ones.

    If it wasn't you, someone knows your password: cancel the reset with the link below, which also asks for a new password.
sms-account-reset-started = Secure Access: someone asked to remove the sign-in methods on your account. It happens after { $when } unless cancelled.
email-account-reset-done-subject = Your Secure Access sign-in methods were removed
email-account-reset-done-body = The waiting period of the account reset ended and every sign-in method was removed from your Secure Access account. New ones are being set up.
email-recovery-letter-requested-subject = Someone asked to recover your Secure Access account by mail
email-recovery-letter-requested-body = Someone signed in to your Secure Access account with its password, said they can't use any sign-in method, and asked for a recovery code by mail. The letter goes to the address on your latest tax return. Its code removes every sign-in method so new ones can be set up.

    If this was you, watch your mail.

    If it wasn't you, someone knows your password: use the link below, which cancels the letter's code and asks for a new password.
sms-recovery-started = Secure Access: someone asked to recover your account by mail.
email-account-recovered-subject = Your Secure Access account was recovered
email-account-recovered-body = The recovery code mailed to the address on your latest tax return was entered. Every earlier sign-in method was removed, every device was signed out, and a new sign-in method is being set up.
email-change-code-subject = Confirm your new email for Secure Access
email-change-code-body = Your Secure Access code is { $code }.

    Enter it on the "Change your email address" page to make this your account's email address. It expires in { $hours ->
        [one] 1 hour
       *[other] { $hours } hours
    } and works once.

    If you didn't ask for this, ignore this email: nothing changes.
email-changed-subject = Your Secure Access email address was changed
email-changed-body = The email address of your Secure Access account was changed to { $address }. Messages about your account now go there, not to this address.
email-account-deleted-subject = Your Secure Access account was deleted
email-account-deleted-body = Your Secure Access account was deleted, as you asked. Your sign-in methods, sign-in history and personal details are erased; records we must keep (the decisions made about verifying your identity and the audit log) are kept as the retention rules say.

    If your identity was verified, it can be verified on a new account after { $days ->
        [one] 1 day
       *[other] { $days } days
    }.

    If you didn't delete your account, call the help desk now.
email-identity-recovery-started-subject = Someone is verifying their identity to recover your Secure Access account
email-identity-recovery-started-body = Someone signed in to your Secure Access account with its password, said they can't use any sign-in method, and started verifying your identity again to set up a new one.

    If this was you, carry on.

    If it wasn't you, someone knows your password: use the link below, which stops the recovery and asks for a new password.

# What changed, in a sign-in-methods email (and names of the service's own methods).
factor-added = { $label } added
factor-added-sms = { $label } added for text-message codes
factor-added-passkey = { $label } added (a passkey)
factor-backup-created = Backup codes created
factor-backup-replaced = New backup codes created; the old ones no longer work
factor-removed = { $label } removed
factor-password-changed = Your password was changed
factor-turned-off = { $label } was turned off after too many incorrect codes were entered
factor-label-app = Authenticator app
factor-label-passkey = Passkey
factor-label-backup-codes = Backup codes
factor-label-phone = Phone ending in { $digits }
