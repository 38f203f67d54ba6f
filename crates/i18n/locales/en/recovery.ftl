# Getting back in: when the sign-in methods are lost, and "this wasn't me".

reset-title = Can't use your sign-in methods
reset-heading = If you can't use your sign-in methods
reset-try-first = Try these first
reset-backup-code = A backup code works in place of your phone or app.
reset-use-backup = Use a backup code or another method
reset-replace-lost = once in, replace the lost one on your Security page.
reset-same-number = A new phone with the same number still gets our text messages.
reset-verify-again-heading = Verify your identity again online
reset-verify-again-text = Confirm your details as on your latest tax return, one financial account and a mobile phone in your name. The phone becomes your new sign-in method. It takes about 15 minutes.
reset-verify-again-button = Verify my identity again
reset-letter-heading = Or get a recovery code by mail
reset-letter-on-its-way = A recovery code is on its way to the address on your latest tax return. Letters usually take 5 to 10 business days. The code works until { $date }.
reset-letter-code = Recovery code from the letter
reset-letter-code-hint = 12 letters and numbers, like ABCD-EFGH-JKMN
reset-use-code = Use the code
reset-letter-text = Your identity is verified, so we can mail a recovery code to the address on your latest tax return. Entering it removes every old sign-in method and lets you set up a new one. We'll tell your email address and every phone on the account right away.
reset-letter-button = Mail me a recovery code
reset-call-heading = Or call the help desk
reset-call-text = Call { $phone }
reset-call-restore = They will confirm it's you and restore your access.
reset-start-heading = Reset your sign-in methods
reset-start-text = We can remove every sign-in method from your account so you can set up new ones. For your security this happens only after { $hours ->
        [one] 1 hour
       *[other] { $hours } hours
    }. We'll tell your email address and every phone on the account right away, so the account's owner can cancel it if it isn't you.
reset-start-button = Start the { $hours }-hour reset
reset-waiting-heading = Your reset is waiting
reset-waiting-text = Come back after { $when } (UTC): sign in with your password, then choose "I can't use any of these sign-in methods" again to set up new ones.
reset-ready-heading = Your reset is ready
reset-ready-text = Every old sign-in method will be removed, every device signed out, and you'll set up a new method right away.
reset-ready-button = Remove my old sign-in methods

disavow-title = This wasn't me
disavow-heading = Protect your account
disavow-intro = If you don't recognise what our email told you about, protect your account now.
disavow-signed-out = Every device and browser signed in to your account is signed out.
disavow-recovery-cancelled = Any account recovery in progress is cancelled.
disavow-new-password = Nobody can sign in until a new password is chosen with "Forgot your password?" (a code goes to your email).
disavow-second-step = Your second sign-in step (authenticator app, phone or backup codes) is not changed.
disavow-button = Protect my account
disavow-done-heading = Your account is protected
disavow-done = Your account is protected: every device was signed out and any recovery in progress was cancelled. To sign in again, choose a new password with "Forgot your password?". Your second sign-in step is unchanged.

reset-verify-again-title = Verify your identity again
reset-verify-again-intro = To replace your lost sign-in methods, confirm it's you the way you did when you verified: your details as on your latest tax return, one financial account, then a mobile phone in your name, which becomes your new sign-in method. We told your email address and phones that this started.
reset-verify-step-financial = Step 2 of 3: a financial account
reset-verify-step-code = Step 3 of 3: the code we texted
reset-verify-use-phone = Use this phone to sign in
reset-verify-another-phone = Or use another phone
reset-verify-step-phone = Step 3 of 3: a mobile phone in your name
reset-verify-other-ways = Get a recovery code by mail, or call the help desk
