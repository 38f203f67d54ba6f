# Creating an account: the form, the email code, and the second step.

sign-up-title = Create an account
sign-up-username = Username
sign-up-username-hint = 3 to 64 letters, numbers or . _ - @ +. You will use it to sign in.
sign-up-email = Email address
sign-up-email-hint = We'll send a code to confirm it.
sign-up-password = Password
sign-up-password-hint = At least 12 characters. A few unrelated words make a strong password you can remember. Don't use your username or email.
sign-up-submit = Create account
sign-up-have-account = Already have an account?
sign-up-sign-in = Sign in

confirm-email-title = Confirm your email
confirm-email-heading = Confirm your email address
confirm-email-sent = We emailed you a 6-digit code. It works for { $hours ->
        [one] 1 hour
       *[other] { $hours } hours
    }.
confirm-email-code = Confirmation code
confirm-email-code-hint = For example, 123456
confirm-email-submit = Confirm
confirm-email-didnt-get = Didn't get it? Check your spam folder, or
confirm-email-resend = send a new code
confirm-email-resent = We sent a new code. The earlier one no longer works.

setup-title = Add a second step
setup-heading = Add a second step to protect your account
setup-intro = Each time you sign in you'll enter your password and then a code. Choose how you'll get codes; you can add more ways later.
setup-passkey-heading = Passkey or security key (safest)
setup-passkey-text = Sign in with your fingerprint, face, screen lock or a security key. Fake websites can't trick it. Needs JavaScript.
setup-passkey-button = Set up a passkey
setup-app-heading = Authenticator app (recommended)
setup-app-text = An app on your phone or computer shows a new code every 30 seconds. It works without phone signal and is safer than text messages.
setup-app-button = Set up an authenticator app
setup-sms-heading = Text message
setup-sms-text = We text a code to your phone each time you sign in.
setup-sms-button = Use text messages
setup-backup-heading = Backup codes
setup-backup-text = Ten codes to print or save; each works once. Good as a spare way in.
setup-backup-button = Create backup codes
setup-another-way = Choose another way

setup-app-title = Set up your authenticator app
setup-app-scan = Scan this QR code with your app
setup-app-qr-label = QR code for your authenticator app
setup-app-cant-scan = Can't scan it? Enter this key in your app instead:
setup-app-enter-code = Enter the code your app shows
setup-app-code = 6-digit code
setup-app-code-hint = The code changes every 30 seconds
setup-app-confirm = Confirm

setup-phone-title = Add a phone for text messages
setup-phone-number = Phone number
setup-phone-hint = A number that can receive text messages, like (202) 555-0143. Outside the US, start with + and the country code.
setup-phone-send = Send code
confirm-phone-title = Confirm your phone
confirm-phone-sent = We texted a 6-digit code to your phone. It expires in { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }.
confirm-phone-code = Code from the text message
confirm-phone-code-hint = For example, 123456
confirm-phone-submit = Confirm
confirm-phone-again = Send a new code or use another number

backup-codes-title = Your backup codes
backup-codes-heading = Save your backup codes
backup-codes-warning = This is the only time we show these codes. Print them or save them somewhere safe. Each code works once.
backup-codes-saved = I've saved my codes
