# Replies sent by SMS and USSD. Keep them short: an SMS holds 160 characters
# (70 in Urdu script) and a USSD screen 182.
sms-reply-stop = You will receive no more messages from this service. Reply START to receive them again.
sms-reply-start = You will receive messages from this service again. Reply STOP to stop them.
sms-reply-thanks = Thank you for your answers. Reply YES to receive a summary of the results.
sms-reply-summary-yes = Thank you. We will send you a summary of the results.
sms-reply-already = You have already answered this poll. Thank you.
sms-reply-closed = This poll is closed.
sms-reply-not-invited = This poll is by invitation only.
sms-reply-no-poll = No poll is open at the moment.
sms-reply-choose = Reply with a poll's keyword to answer it:
sms-reply-deleted = Your poll answers have been deleted.
sms-hint-one = Please reply with one number from 1 to { $max }.
sms-hint-many = Please reply with one or more numbers from 1 to { $max }, e.g. 1 3.
sms-hint-scale = Please reply with a number from { $min } to { $max }.
sms-hint-integer = Please reply with a whole number.
sms-hint-decimal = Please reply with a number.
sms-hint-text = Please reply with a few words.
ussd-choose = Choose a poll:
ussd-not-understood = Not understood.
ussd-more = More
ussd-thanks = Thank you for your answers.
ussd-no-poll = No poll is open at the moment.
sms-hint-skip = Reply SKIP to pass.
