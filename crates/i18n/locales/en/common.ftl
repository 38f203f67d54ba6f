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
