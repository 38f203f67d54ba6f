# Verifying identity (and recovering an account by verifying it again): what each step
# answers, and the pages.

proofing-exception = We can't finish verifying your identity online. Please call the help desk (a call takes about 20 minutes) or visit a Taxpayer Assistance Center with your photo ID and Social Security card (by appointment); they will complete it with you.
proofing-step-identity = Enter your personal information as it appears on your most recent tax return.
proofing-step-financial = Enter one financial account in your name.
proofing-step-phone = Enter a mobile phone number in your name, or ask for an activation code by mail.
proofing-step-phone-code = Enter the code we texted to your phone, or try another phone.
proofing-step-mail-code = Enter the activation code from the letter we mailed to the address on your latest tax return. Letters arrive in 5 to 10 days.
proofing-step-verified = Your identity is verified.
proofing-identity-matched = We found your tax records. Next, enter one financial account in your name: a credit card, mortgage, home equity loan or line of credit, auto loan or student loan.
proofing-identity-not-matched = We couldn't match your information with our records. Check it against your most recent tax return (name, date of birth, filing status and mailing address as filed) and try again. You have { $tries ->
        [one] 1 try
       *[other] { $tries } tries
    } left for now. If you can't finish online, call the help desk (a call takes about 20 minutes) or visit a Taxpayer Assistance Center with your photo ID (by appointment).
proofing-identity-not-matched-last = We couldn't match your information with our records, and you have used all your tries for now. You can try again in 6 hours. If you can't finish online, call the help desk (a call takes about 20 minutes) or visit a Taxpayer Assistance Center with your photo ID (by appointment).
proofing-financial-matched = Thank you. Last step: enter a mobile phone number in your name; we will text it a code. If you don't have one, we can mail an activation code to the address on your latest tax return instead.
proofing-financial-not-matched = We couldn't confirm that account. Try another account type (for example a mortgage, auto loan or student loan instead of a card), or check the number. You have { $tries ->
        [one] 1 try
       *[other] { $tries } tries
    } left for now. If you can't finish online, call the help desk (a call takes about 20 minutes) or visit a Taxpayer Assistance Center with your photo ID (by appointment).
proofing-financial-not-matched-last = We couldn't confirm that account, and you have used all your tries for now. You can try again in 6 hours. If you can't finish online, call the help desk (a call takes about 20 minutes) or visit a Taxpayer Assistance Center with your photo ID (by appointment).
proofing-phone-not-matched = We couldn't confirm that phone. Use a mobile phone on a personal plan in your own name, or choose to get an activation code by mail at the address on your latest tax return (it arrives in 5 to 10 days).
proofing-phone-code-sent = We texted a 6-digit code to the phone ending in { $last_digits }. Enter it within { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }.
proofing-verified-by-phone = Your identity is verified. This phone is now a sign-in method for text-message codes.
proofing-verified-by-letter = Your identity is verified. Now add a way to sign in: an authenticator app, or any phone that can receive text messages.

recovery-identity-matched = We found your tax records. Next, enter one financial account in your name.
recovery-identity-not-matched = That doesn't match the identity this account was verified with. Check what you typed against your latest tax return, or get a recovery code by mail.
recovery-financial-matched = Thank you. Last step: a mobile phone in your name; we will text it a code, and it becomes your new sign-in method.
recovery-financial-not-matched = We couldn't match that account. Check the number, or try another account of a different kind.
recovery-phone-not-matched = We couldn't confirm that phone. Use a mobile phone on a personal plan in your own name, or get a recovery code by mail.

proofing-tries-left = You have { $tries ->
        [one] 1 try
       *[other] { $tries } tries
    } left for now.
proofing-no-tries-left = You have used all your tries for now. You can try again in a few hours, or get help another way.
proofing-letter-sent = We mailed your letter. It should arrive in 5 to 10 days.
proofing-letter-sent-expires = We mailed your letter. It should arrive in 5 to 10 days; the code expires on { $date }.

# The form pieces.
proofing-optional = (optional)
proofing-select = - Select -
proofing-not-matched-heading = We couldn't verify that
proofing-dob = Date of birth
proofing-dob-hint = For example: April 15 1980
proofing-dob-month = Month
proofing-dob-day = Day
proofing-dob-year = Year
dob-month-1 = 01 - January
dob-month-2 = 02 - February
dob-month-3 = 03 - March
dob-month-4 = 04 - April
dob-month-5 = 05 - May
dob-month-6 = 06 - June
dob-month-7 = 07 - July
dob-month-8 = 08 - August
dob-month-9 = 09 - September
dob-month-10 = 10 - October
dob-month-11 = 11 - November
dob-month-12 = 12 - December
proofing-name-legend = Your name, as on your return
proofing-first-name = First name
proofing-middle-name = Middle name
proofing-last-name = Last name
proofing-suffix = Suffix
proofing-suffix-hint = For example, Jr. or III
proofing-about-you = About you
proofing-ssn = Social Security number or ITIN
proofing-ssn-hint = 9 digits, like 123-45-6789
proofing-filing-status = Filing status
proofing-filing-status-hint = As on your most recent return
filing-single = Single
filing-married-jointly = Married filing jointly
filing-married-separately = Married filing separately
filing-head-of-household = Head of household
filing-surviving-spouse = Qualifying surviving spouse
proofing-address-legend = Mailing address
proofing-address-hint = The address on your most recent tax return.
proofing-street = Street address
proofing-unit = Apartment, suite or unit
proofing-city = City
proofing-state = State, territory or military post
proofing-zip = ZIP code
proofing-zip-hint = 5 digits, or ZIP+4 like 22101-1234
proofing-other-ways-intro = Can't finish online?
proofing-other-ways = Other ways to verify

# The pages.
proofing-identity-title = Verify your identity
proofing-identity-intro = We'll check what you enter against your most recent tax return. Have your latest return at hand; this takes about 15 minutes.
proofing-financial-title = Enter a financial account
proofing-financial-intro = We found your tax records. Next, enter one financial account in your name. We only check that the account is yours; we don't look at balances or charge anything.
proofing-account-kind = Type of account
proofing-account-kind-hint = A loan works as well as a card.
proofing-account-number = Account number
proofing-account-number-hint = For a credit card, at least the last 8 digits; for a loan, the whole account number. Spaces and dashes are fine.
account-kind-credit-card = Credit card (last 8 digits)
account-kind-mortgage = Mortgage
account-kind-home-equity-loan = Home equity loan
account-kind-home-equity-line = Home equity line of credit
account-kind-auto-loan = Auto loan
account-kind-student-loan = Student loan
proofing-phone-title = Confirm a phone in your name
proofing-phone-intro = Last step: enter a mobile phone number on a personal plan in your own name. We'll text it a code.
proofing-phone-letter-out = We already mailed you an activation code.
proofing-phone-enter-letter-code = Enter the code from the letter
proofing-phone-or-phone = or use a phone instead.
proofing-phone-number = Mobile phone number
proofing-phone-hint = Like (202) 555-0143. Outside the US, start with + and the country code.
proofing-phone-send = Text me a code
proofing-no-phone-heading = No mobile phone in your name?
proofing-no-phone-text = We can mail an activation code to the address on your latest tax return (not an address you type). A letter takes 5 to 10 days to arrive; then you enter its code here to finish.
proofing-mail-instead = Mail me an activation code instead
proofing-phone-code-title = Enter the code we texted
proofing-phone-code-intro = We texted a 6-digit code to the phone you entered. It expires in { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }.
proofing-phone-code = Code from the text message
proofing-phone-code-hint = For example, 123456
proofing-verify = Verify
proofing-another-phone = Use another phone
proofing-or-new-code = (or send a new code)
proofing-mail-title = Enter the code from your letter
proofing-mail-intro = We mailed a letter with an activation code to the address on your latest tax return.
proofing-mail-expires = The code expires on { $date }.
proofing-activation-code = Activation code
proofing-activation-code-hint = 12 letters and numbers, like 7KQ2-M9XD-4TRW. Dashes are optional.
proofing-letter-lost-heading = Letter lost or code expired?
proofing-another-letter = You can ask for another letter. The code in any of your letters works until it expires.
proofing-another-letter-left = You can ask for another letter (up to { $letters } more within 30 days). The code in any of your letters works until it expires.
proofing-mail-another = Mail me another letter
proofing-or = Or
proofing-use-phone-instead = use a mobile phone in your name instead
proofing-help-title = Finish verifying with our help
proofing-help-intro = We couldn't complete your identity verification online. This doesn't mean anything is wrong with your account or your taxes; some people can only be verified in person or by phone.
proofing-help-choose = Choose one way
proofing-help-call = Call the help desk at { $phone }
proofing-help-call-text = A call takes about 20 minutes. Have your most recent tax return with you; the assistor will ask about it and finish the verification during the call.
proofing-help-visit = Visit a Taxpayer Assistance Center
proofing-help-visit-when = by appointment.
proofing-help-visit-bring = Bring a current photo ID (such as a driver's license or passport) and your Social Security card or birth certificate.
proofing-help-next = What happens next
proofing-help-next-text = The assistor checks your documents or answers and completes the verification with you. We then email you to say your identity is verified. Sign in again afterwards: if you haven't yet, you'll add a way to sign in (an authenticator app or a phone), and then you can use the online tools.
proofing-help-waiting = Your account stays open while you wait; you don't need to create another one. If someone else has already verified with your Social Security number, tell the assistor: they will help you secure it.
