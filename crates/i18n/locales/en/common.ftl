# What every page shares: the layout, the form pieces, dates, and the home page.

site-name = Secure Access
layout-skip-to-content = Skip to main content
layout-demo-label = Demonstration notice
layout-demo-notice = This is a demonstration service. Use made-up information only: messages and codes are written to the outbox file, not sent.
layout-maintenance-label = Planned maintenance
layout-home-title = Secure Access home
layout-your-account = Your account
layout-sign-out = Sign out
layout-language-label = Language
layout-return-to-top = Return to top
layout-footer = Secure Access: one account, verified once, for online tools. Need help? Call the help desk at { $phone } ({ $hours }).

form-error-summary = There is a problem
form-passkey-needs-javascript = Using a passkey needs JavaScript, which is turned off in this browser. Your other sign-in methods still work.
form-passkey-unsupported = This browser can't use passkeys. Your other sign-in methods still work.
form-continue = Continue
form-go-home = Go to the home page

page-not-found-heading = Page not found
page-not-found-text = There is no page at this address. Check the address, or start again from the home page.

home-title = Welcome
home-heading = One account for your online tools
home-intro = Create one Secure Access account, protect it with a second step, and use it to sign in to the online tools that accept it.
home-sign-in = Sign in
home-create-account = Create an account
home-what-you-need = What you need
home-need-email = An email address you can open now.
home-need-phone = A phone with an authenticator app (recommended), or a phone that can receive text messages.

# Dates, as in "March 2, 2026".
date-long = { $month } { $day }, { $year }
month-january = January
month-february = February
month-march = March
month-april = April
month-may = May
month-june = June
month-july = July
month-august = August
month-september = September
month-october = October
month-november = November
month-december = December

# Said by the pages' scripts (passkeys, show password, the strength meter).
js-passkey-cancelled = The passkey request was cancelled or timed out. Try again, or use another way to sign in.
js-passkey-exists = This device already has a passkey for your account. Use it to sign in, or try another device or security key.
js-passkey-wrong-address = Passkeys only work at this service's own address ({ $origin }). Open that address and try again.
js-passkey-not-accepted = This device or security key can't make a passkey we accept. Try another one.
js-passkey-failed = Your passkey didn't work this time. Try again, or use another way to sign in.
js-passkey-follow-steps = Follow the steps on your device to use your passkey.
js-passkey-checking = Checking your passkey…
js-show-password = Show password
js-hide-password = Hide password
js-password-strength = Password strength
js-password-strong = Strong password.
js-password-good = Good password.
js-password-weak = Not strong enough yet:

# Pages that only say something.
page-signed-out-heading = You are signed out
page-signed-out-text = You are signed out of Secure Access. You can close this window.
page-app-sign-in-failed-now = We can't sign you in to this app right now
page-app-sign-in-failed = We can't sign you in to this app
page-too-large-heading = That was too much to send
page-too-large-text = The form you sent was larger than we accept. Go back and try again with less text.
page-form-expired-heading = This form has expired
page-form-expired-text = For your security, forms only work for a while and only from this site. Go back, reload the page and try again.
page-saml-request-missing = The app sent no sign-in request (SAMLRequest is missing). Go back to the app and start again.
page-app-remove-failed = We couldn't remove that app
page-deleted-heading = Your account was deleted
page-deleted-text = You're signed out everywhere. We emailed a confirmation to the address your account had.
page-email-changed-heading = Your email address was changed
page-email-changed-text = Messages about your account now go to the new address. We told the old address about the change.
page-password-changed-heading = Your password was changed
page-password-changed-text = Every device was signed out. Sign in with your new password; you'll still use your authenticator app, phone or backup code as the second step.
page-link-failed = This link didn't work
page-could-not-do = We couldn't do that

maintenance-heading = Down for planned maintenance
maintenance-paused = Signing in and creating accounts are paused while we work.
app-returning = Returning you to the app
app-returning-text = You are signed in. If nothing happens,
app-continue = continue to the app
logout-title = Sign out of Secure Access?
logout-text = You followed a link that signs you out. If you did not mean to sign out, you can stay signed in.
logout-confirm = Yes, sign me out
logout-stay = Stay signed in
saml-return-title = Return to { $app }
saml-return-signed-in = You are signed in. Select Continue to return to { $app }.
saml-return-refused = You are not signed in to { $app }. Select Continue to return to it; it will tell you what you can do next.
maintenance-planned = Planned maintenance: { $start } to { $end }.
maintenance-down = Secure Access is down for planned maintenance until { $until }. Nothing is wrong with your account; please come back then.
