# Local activities the public finds and joins.
activity-upcoming = Upcoming activities
activity-where = Where
activity-everywhere = Everywhere
activity-whole-region = whole region
activity-from = From
activity-to = To
activity-show = Show
activity-none = No activity is planned here for these dates.
activity-plan = Plan an activity
activity-feed = Calendar feed (iCalendar)
activity-calendar = Calendar feeds
activity-sms-hint = By SMS: text ACT and your district to the space's number for the next activities near you, then JOIN and the activity's code.
activity-when = When
activity-code = Code to join by SMS
activity-places = Places
activity-add-calendar = Add to my calendar (.ics)
activity-join = Join
activity-contact-hint = A phone number (for a reminder by SMS the day before) or an e-mail address. Both are kept encrypted and seen only by the organisers. Or choose "Just count me": nothing about you is kept.
activity-count-me = Just count me
activity-leave = Leave
activity-leave-contact = The phone number or e-mail address you joined with
activity-sms-join-hint = By SMS: text JOIN { $code } to join, LEAVE { $code } to leave.
activity-joiners = Who joined
activity-confirmed = { $count ->
    [one] 1 confirmed
   *[other] { $count } confirmed
}
activity-waiting = { $count } waiting
activity-contact = Contact
activity-status = Status
activity-joiner-confirmed = Confirmed
activity-joiner-waiting = Waiting list
activity-attended = How many came
activity-cancel = Cancel this activity and tell those who joined
activity-starts = Starts
activity-ends = Ends
activity-tz-hint = Times in the space's time zone: { $tz }.
activity-venue = Venue
activity-online = Online
activity-sensitive = The venue is sensitive: show only the district, and send the venue by SMS to confirmed participants shortly before
activity-capacity = Number of places (empty: no limit)
activity-calendar-lead = Subscribe to the space's activities in any calendar application.
activity-feed-public = Public activities
activity-feed-private = Your private feed
activity-feed-private-hint = Also holds the activities only members may see, marked confidential. Keep this address to yourself; renew it if it was shared.
activity-feed-renew = Renew my private address
activity-cancelled = Cancelled
activity-full = Full ({ $waiting } waiting)
activity-places-left = { $count ->
    [one] 1 place left
   *[other] { $count } places left
}
activity-venue-sensitive = Venue sent to confirmed participants shortly before
activity-done-confirmed = You have joined.
activity-done-waiting = The activity is full: you are on the waiting list.
activity-done-already = You had already joined.
activity-done-left = You have left the activity.
activity-done-not-joined = No one joined with this phone number or e-mail address.
activity-done-cancelled = The activity is cancelled.
activity-done-attendance = Attendance saved.
