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
