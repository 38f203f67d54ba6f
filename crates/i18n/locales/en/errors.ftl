# Errors a person reads: on pages, beside form fields, and in the API's `message`.
# Say what happened and what to do next. Never name a secret or personal data.

error-username-taken = That username is already taken. Choose another one.
error-invalid-credentials = The username or password is not correct.
error-invalid-code = That code is not correct. Check it and try again.
error-code-expired = That code has expired. Ask for a new code.
error-code-attempts-exhausted = Too many incorrect tries for this code. Ask for a new code.
error-code-used-wait = That code was already used. Wait for a new code.
error-code-used-app = That code was already used. Wait for your app to show a new code.
error-code-used-backup = That code was already used. Each backup code works once. Use another one.
error-code-used-ask-new = That code was already used. Ask for a new code.
# $minutes is 0 when the wait is under a minute; then $seconds says it.
error-rate-limited = Too many attempts. Try again in { $minutes ->
        [0] { $seconds ->
            [one] 1 second
           *[other] { $seconds } seconds
        }
        [one] 1 minute
       *[other] { $minutes } minutes
    }.
error-locked = Too many incorrect codes. For your security, sign-in is locked. Try again in { $minutes ->
        [0] { $seconds ->
            [one] 1 second
           *[other] { $seconds } seconds
        }
        [one] 1 minute
       *[other] { $minutes } minutes
    }.
error-recovery-required = To protect your account, your sign-in methods were turned off after too many incorrect codes. Call the help desk to confirm it's you and get back in.
error-password-reset-required = To protect your account, you need to choose a new password before you sign in. Use "Forgot your password?" to get a code by email.
error-reset-code-refused = That code didn't work. It may be mistyped, already used or expired. Check the newest email from us, or ask for a new code.
error-disavow-link-invalid = This link is not valid or has expired (links work for 7 days). If you think someone is using your account, reset your password or call the help desk.
error-disavow-link-used = This link was already used, so your account is already protected. Choose a new password with "Forgot your password?" to sign in.
error-passkey-required = You have a passkey, so the admin tools need it: sign in again with your passkey (a code from an app or a text message is not enough).
error-passkeys-unavailable = Passkeys are not available on this server (its public address is not a domain name). Use another sign-in method.
error-account-disabled = This account has been turned off by our staff. Call the help desk to find out why and what to do next.
error-unauthenticated = You need to sign in first.
error-reauthentication-required = For your security, confirm a second factor again before changing your sign-in methods.
error-overloaded = The service is busy right now. Please try again in { $seconds ->
        [one] 1 second
       *[other] { $seconds } seconds
    }.
error-source-unavailable-tax-returns = The tax-records system we check your information against is not answering right now. Nothing is wrong with what you entered, and this try was not counted. Please try again in a few minutes.
error-source-unavailable-financial = The credit bureau we check financial accounts with is not answering right now. Nothing is wrong with what you entered, and this try was not counted. Please try again in a few minutes.
error-source-unavailable-phone = The phone carriers' records service we check mobile numbers with is not answering right now, so we can't check this number. This try was not counted. You can ask for an activation code by mail instead (it arrives in 5 to 10 days), or try again in a few minutes.
error-unavailable = Something went wrong on our side. Your information is safe; please try again in a minute.

# A new password.
error-password-too-short = Your password must be at least { $min } characters long. A few unrelated words make a strong, memorable password.
error-password-too-long = Your password must be at most { $max } characters long.
error-password-contains-name = Your password must not contain your username or email address.
error-password-predictable = That password follows a pattern attackers try first (a season, a common word or this service's name, with a year or symbols). Try a longer phrase of unrelated words.
# $why says what makes it guessable (from the strength estimate), or "none".
error-password-guessable = That password is too easy to guess.{ $why ->
        [keyboard-row] {" "}Straight rows of keys are easy to guess.
        [keyboard-pattern] {" "}Short keyboard patterns are easy to guess.
        [repeated-character] {" "}Repeats like "aaa" are easy to guess.
        [repeated-group] {" "}Repeats like "abcabcabc" are only slightly harder to guess than "abc".
        [common] {" "}It is one of the most common passwords.
        [similar-to-common] {" "}It is similar to a commonly used password.
        [sequence] {" "}Sequences like abc or 6543 are easy to guess.
        [recent-year] {" "}Recent years are easy to guess.
        [single-word] {" "}A word by itself is easy to guess.
        [date] {" "}Dates are often easy to guess.
        [names] {" "}Names and surnames by themselves are easy to guess.
       *[none] {""}
    } Try a longer phrase of unrelated words.

# A step taken out of order: what to do first.
step-second-factor-first = Sign in with your second factor first.
step-personal-information-first = Enter your personal information first.
step-already-verified = Your identity is already verified.
step-finish-setup-first = Finish setting up your account first.
step-phone-again = Enter your phone number again.
step-confirm-email-first = Confirm your email address first.
step-letter-first = Ask for an activation code by mail first.
step-choose-password-first = Choose a new password first.
step-verify-identity-first = Verify your identity first.

# Input a person typed.
error-username-length = Your username must be { $min } to { $max } characters long.
error-username-characters = Your username may use letters, numbers and . _ - @ + only.
error-enter-username = Enter your username.
error-email = Enter an email address like name@example.com.
error-same-email = That is already your email address.
error-current-password = Your current password is not correct.
error-label = Use a name of at most 40 characters.
error-phone = Enter a phone number that can receive text messages, like (202) 555-0143 or +12025550143.
error-method = Choose a method: passkey, totp, sms or backup_code.
error-method-not-set-up = That sign-in method is not set up on this account.
error-passkey-not-code = A passkey answers with a credential, not a code: send method passkey with credential.
error-enter-first-name = Enter your first name (up to 100 characters).
error-enter-last-name = Enter your last name (up to 100 characters).
error-enter-street = Enter your street address (up to 100 characters).
error-enter-city = Enter your city (up to 100 characters).
error-date-of-birth = Enter your date of birth with a 4-digit year, for example 04/15/1980 or 1980-04-15.
error-ssn = Enter your Social Security number or ITIN as 9 digits, like 123-45-6789.
error-filing-status = Choose your filing status: single, married_filing_jointly, married_filing_separately, head_of_household or qualifying_surviving_spouse.
error-state = Choose your state, or type its name or 2-letter abbreviation, like Virginia or VA.
error-zip = Enter a 5-digit ZIP code, or ZIP+4 like 22101-1234.
error-account-kind = Choose the account type: credit_card, mortgage, home_equity_loan, home_equity_line_of_credit, auto_loan or student_loan.
error-account-number = Enter the account number using digits (spaces and dashes are fine).
error-card-digits = For a credit card, enter at least the last 8 digits of the card number.

# Refusals: what is not found, not allowed, or already done.
error-was-just-done-another-request = That was just done by another request. Reload the page and try again.
error-no-app-client-id = There is no app with that client id.
error-demo-account-exists-but-has = The demo account exists but has no authenticator app.
error-account-has-staff-role-ask = This account has a staff role. Ask an administrator to remove the role before deleting the account.
error-are-not-enough-tax-records = There are not enough tax records on file to check this caller by phone. Refer them to a Taxpayer Assistance Center.
error-no-such-check = There is no such check.
error-check-was-already-answered-start = This check was already answered. Start a new one.
error-no-phone-set-up-text = There is no phone set up for text messages with that id on this account.
error-we-cant-mail-letter-because = We can't mail a letter because we have no address of record for you. Please call the help desk.
error-session-has-already-ended-not = That session has already ended, or is not one of yours.
error-step-isnt-next-in-your = That step isn't next in your recovery. Start again from your personal information if it has been more than an hour.
error-we-cant-check-your-identity = We can't check your identity online for this account. Please call the help desk.
error-enter-your-phone-number-again = Enter your phone number again.
error-recovery-mail-someone-who-entered = Recovery by mail is for someone who entered their password but can't use any sign-in method. You can manage your sign-in methods on the Security page.
error-your-identity-isnt-verified-so = Your identity isn't verified, so there is no address of record to mail a code to. Use the account reset instead.
error-we-have-no-address-record = We have no address of record for this account. Please call the help desk.
error-no-account-username = There is no account with that username.
error-account-already-turned-off = This account is already turned off.
error-account-not-turned-off = This account is not turned off.
error-no-new-email-address-waiting = There is no new email address waiting. Enter the new address first.
error-no-inperson-record-waiting-completed = There is no in-person record waiting to be completed for this account.
error-account-has-as-many-signin = This account has as many sign-in methods as it can hold. Remove one first.
error-no-signin-method-id-your = There is no sign-in method with that id on your account.
error-your-only-signin-method-so = This is your only sign-in method, so it can't be removed. Add another one first.
error-no-signin-method-being-set = There is no sign-in method being set up with that id.
error-signin-method-already-set-up = That sign-in method is already set up.
error-account-reset-someone-who-entered = An account reset is for someone who entered their password but can't use any sign-in method. You can manage your sign-in methods on the Security page.
error-your-identity-verified-so-your = Your identity is verified, so your sign-in methods can't be removed just by waiting. Use a backup code if you have one, or call the help desk: they will confirm it's you and restore your access.
error-no-account-reset-in-progress = There is no account reset in progress. Start one first, or sign in again if it was cancelled.
error-ssn-already-verified-account-find = This SSN is already verified on an account. Find that account by the caller's last name and date of birth, or refer the caller to an assistance center.
error-no-tax-return-file-ssn = There is no tax return on file for this SSN, so the caller can't be checked by phone. Refer them to an assistance center.
error-sign-in-your-second-factor = Sign in with your second factor to use staff tools.
error-your-account-does-not-have = Your account does not have the role this needs.
error-staff-must-set-up-passkey = Staff must set up a passkey or an authenticator app; text-message codes alone are not enough for staff tools.
error-staff-cannot-act-their-own = Staff cannot act on their own account.
error-account-does-not-have-role = That account does not have that role.
error-last-admin-give-admin-role = This is the last admin. Give the admin role to someone else first.
error-your-email-address-already-confirmed = Your email address is already confirmed.
error-no-account-id = There is no account with that id.
error-time-overlaps-another-planned-maintenance = That time overlaps another planned maintenance window. Cancel that one first or choose another time.
error-no-maintenance-window-id = There is no maintenance window with that id.
error-maintenance-window-was-already-cancelled = That maintenance window was already cancelled.
error-maintenance-window-already-over = That maintenance window is already over.

# A passkey that did not pass, and why.
error-passkey-unreadable = We couldn't read the answer from your passkey. Try again, or sign in another way.
error-passkey-challenge-expired = That passkey request timed out or was already used. Start again and use your passkey within 5 minutes.
error-passkey-unknown = That passkey isn't registered to this account. Choose another passkey, or sign in another way.
error-passkey-already-registered = That passkey is already registered to an account, so it can't be added here. Use another device or security key.
error-passkey-wrong-site = Your passkey answered for a different website than this one, so it was refused. Check that the address bar shows our address, then try again.
error-passkey-not-verified = Your device didn't confirm it's you (with your fingerprint, face, PIN or screen lock). Try again and complete that step.
error-passkey-counter-went-back = This passkey's use count went backwards, which can mean it was copied. It was refused to protect your account. Sign in another way, then check your security page.
error-passkey-wrong-challenge = That passkey answer belongs to a different request. Start again.
error-passkey-unsupported = This passkey or security key uses a kind of key we don't accept. Try another one.
error-passkey-invalid = Your passkey's answer didn't check out, so it was refused. Try again, or sign in another way.
error-reset-waiting = Your account reset is waiting so the account's owner can cancel it if it wasn't them. Come back after { $when }.
error-passkey-missing = Using a passkey needs JavaScript, which didn't run in this browser. Use another sign-in method, or turn JavaScript on and try again.
error-enter-code = Enter the code.
