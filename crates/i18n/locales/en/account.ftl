# The signed-in person's own pages: security, details, and their data.

security-title = Your account security
security-confirm-again = Confirm a second factor again
security-logins-heading = Recent sign-ins
security-logins-intro = Check that you recognise each sign-in. If you don't, remove any sign-in method you don't recognise and call the help desk at { $phone }.
security-when = When
security-result = Result
security-method = Method
security-ip = IP address
security-browser = Browser
security-success = Success
security-failed = Failed
security-no-logins = No sign-ins yet.
security-events-heading = Account events
security-what-happened = What happened
security-sessions-heading = Where you're signed in
security-sessions-intro = If you don't recognise one, sign it out and change your password.
security-this-browser = This browser
security-session-line = IP address { $ip }; signed in { $signed_in }
security-last-active = last active { $when }
security-sign-out = Sign out
security-sign-out-label = Sign out of the session from { $ip } signed in { $when }
security-sign-out-others = Sign out everywhere else
security-factors-heading = How you sign in
security-codes-left = { $codes ->
        [one] 1 code left
       *[other] { $codes } codes left
    }
security-factor-disabled = (turned off after too many incorrect codes)
security-factor-added = Added { $added }; last used: { $used }
security-never = Never
security-remove = Remove
security-remove-label = Remove { $name }
security-add-factor = Add another way to sign in
security-apps-heading = Apps you sign in to
security-app-allowed = allowed { $when }
security-remove-access = Remove access
security-remove-access-label = Remove access for { $name }
security-no-apps = No apps yet.
security-details-heading = Your details
security-change-password = Change your password
security-change-email = Change your email address
security-delete-account = Delete your account
security-data-heading = Your data
security-data-intro = Download everything we keep about your account: sign-in methods (never their secrets), where you're signed in, your sign-in history and account events, identity verification decisions and letters, and the apps you allowed.
security-download = Download your data (JSON)
# How a sign-in was made.
method-passkey = Password and passkey (phishing-resistant)
method-passwordless = Passkey (phishing-resistant)
method-passkey-setup = Password, then a new passkey
method-totp = Password and authenticator app
method-sms = Password and text message
method-backup-code = Password and backup code

password-title = Choose a new password
password-after-temporary = You signed in with a temporary password from the help desk. It no longer works: choose your own password now to continue.
password-intro = Enter your current password, then the new one. We'll email you to say your password changed.
password-current = Current password
password-new = New password
password-end-others = Also sign out of every other device and browser
password-save = Save password

email-change-sent = We emailed a code to the new address. It works for { $hours ->
        [one] 1 hour
       *[other] { $hours } hours
    }. Your account keeps its current address until you enter it.
email-change-code = Code from the email
email-change-code-hint = 6 digits, sent to the new address
email-change-confirm = Confirm new address
email-change-intro = We'll send a code to the new address to make sure it's yours, and tell your current address about the change.
email-change-new = New email address
email-change-send = Send a code
account-back-to-security = Back to your security page

delete-intro = Deleting your account signs you out everywhere and you can no longer use it to sign in to any tool. This can't be undone.
delete-what-happens = What happens to your information
delete-erased = Erased now: your sign-in methods, sign-in history, security history, email address, where you're signed in, the details you typed to verify your identity, and the apps you allowed.
delete-kept = Kept, because the law and fraud prevention require it: the decisions made about verifying your identity (with their reason codes, not your details), records of help from staff (sealed), and the audit log.
delete-hold = If your identity was verified, it can be verified on a new account after { $days ->
        [one] 1 day
       *[other] { $days } days
    }.
delete-button = Delete my account
delete-keep = Keep my account

consent-title = Share your information with { $app }?
consent-intro = { $app } asked to sign you in with Secure Access. If you continue, it will receive:
consent-remove-later = You can remove its access at any time on your
consent-security-page = security page
consent-allow = Allow and continue
consent-deny = Don't share
consent-scope-email = Your email address
consent-scope-profile = Your verified name and date of birth
consent-scope-address = Your address from your latest tax return
consent-scope-phone = Your phone number
consent-scope-ssn = Your Social Security number
consent-scope-verified-at = When your identity was verified
consent-scope-offline = Access while you are away, until you disconnect the app on your security page

passkey-add-title = Add a passkey
passkey-add-intro = Select the button, then follow the steps on your device: your phone or computer may ask for your fingerprint, face or screen lock, or to touch your security key.
passkey-create = Create the passkey
passkey-start-again = Start again
passkey-check-title = Confirm with a passkey
passkey-check-heading = Confirm it's you with a passkey
passkey-check-intro = The app you're signing in to asks for a passkey or security key, which fake websites can't trick.
passkey-check-none = You don't have a passkey yet. Add one now (your device may ask for your fingerprint, face, screen lock or to touch your security key), then use it to continue.
passkey-check-cant = If you can't use a passkey, go back to the app: it can tell you other ways to get in.
