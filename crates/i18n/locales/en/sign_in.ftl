# Signing in: the password, the second step, and a forgotten password.

sign-in-title = Sign in
sign-in-username = Username
sign-in-password = Password
sign-in-submit = Sign in
sign-in-passkey-heading = Or sign in with a passkey
sign-in-passkey-text = If you added a passkey to your account, you can sign in with it alone: no username or password.
sign-in-passkey-button = Sign in with a passkey
sign-in-forgot-password = Forgot your password?
sign-in-new-here = New here?
sign-in-create-account = Create an account

second-factor-title = Confirm it's you
second-factor-texted = We texted you a code. It expires in { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }.
second-factor-passkey-heading = Passkey or security key
second-factor-passkey-text = Use your fingerprint, face, screen lock or security key. It can't be tricked by a fake website.
second-factor-passkey-button = Use your passkey
second-factor-app-heading = Authenticator app
second-factor-app-label = Code from your authenticator app
second-factor-app-hint = The 6-digit code your app shows now
second-factor-sms-heading = Text message
second-factor-sms-send = Text me a code
second-factor-sms-label = Code from the text message
second-factor-sms-hint = 6 digits; it expires { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    } after we send it
second-factor-backup-heading = Backup code
second-factor-backup-label = One of your backup codes
second-factor-backup-hint = 12 letters and numbers, like ABCD-EFGH-JKMN; each works once
second-factor-none-work = I can't use any of these sign-in methods

password-reset-title = Reset your password
password-reset-username = Username
password-reset-code-label = Code from the email
password-reset-code-hint = 6 digits; it expires { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    } after we send it
password-reset-new-password = New password
password-reset-save = Save new password
password-reset-no-email = No email?
password-reset-ask-again = Ask for a new code
password-reset-intro = Enter your username and we'll email a code to the address on your account. Your second sign-in step (authenticator app, phone or backup code) stays the same.
password-reset-email-me = Email me a code
password-reset-back = Back to sign in
password-reset-requested = If that username has an account with a confirmed email address, we emailed a code to that address. It expires in { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }. Check your spam folder if it doesn't arrive within a few minutes.
password-reset-password-hint = At least { $min } characters. A few unrelated words make a strong, memorable password.
