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
threew-title = Who does what where
threew-title-in = Who does what where: { $place }
threew-lead = The nine tracks by place: how many activities, past, current and planned. Gaps are marked; a gap where concerns were raised comes first in the eye.
threew-legend = Number of activities by place and track. "None" marks a gap; "Concern, none" a gap where concerns were raised. An asterisk: some confidential activities are not counted.
threew-concerns = Concerns raised
threew-gap = None
threew-gap-concern = Concern, none
threew-cell-title = Past { $past }, current { $current }, planned { $planned }, confidential { $confidential }
threew-confidential-note = Activities you may not read are counted, never described, and only when there are at least as many as the space's suppression threshold, so that a count cannot point at one.
threew-unmet = Districts whose concerns have no activity
threew-concern-count = { $count ->
    [one] 1 concern
   *[other] { $count } concerns
}
threew-export = Download the 3W (HXL CSV)
threew-import-title = Import a 3W sheet
threew-import-hint = A CSV with HXL hashtags, such as OCHA's 3W templates: #activity, #adm1+code or #adm2+code (places of the gazetteer), #date+start and #date+end (YYYY-MM-DD), and optionally #sector+track (1 to 9) and #targeted. Other columns are ignored. Each row becomes a planned activity, 09:00 to 17:00 on its days.
threew-imported = { $count } activities imported.
threew-error-hxl = No row of HXL hashtags was found in the first five rows.
threew-error-no-activity = No #activity column.
threew-error-no-start = No #date+start column.
threew-error-no-place = No place column (#adm1+code, #adm2+code or #adm3+code).
threew-error-activity = The activity has no name, or one longer than 200 characters.
threew-error-place-missing = No P-code is given for this row.
threew-error-place-unknown = This P-code is not in the space's gazetteer.
threew-error-date = Enter the date as YYYY-MM-DD.
places-sheet-threew = 3W
track-short-1 = Official
track-short-2 = Conflict resolution
track-short-3 = Business
track-short-4 = Citizens
track-short-5 = Research, training
track-short-6 = Activism
track-short-7 = Religion
track-short-8 = Funding
track-short-9 = Media, opinion
concern-place = Where is this concern raised? (optional)
activity-plan-hint = To plan an activity the public can find and join, with a place, times and places to take, use "Plan an activity".
org-title = Organisations
org-lead = The stakeholder groups of the process, on every side. Members act for an organisation through their own accounts.
org-none = No organisation yet.
org-name = Name
org-side = Side or community
org-side-hint = The side of the conflict or the community it belongs to, as the space names them (e.g. Veluna, Kestria). Common concerns weigh every side the same.
org-sector = Sector
org-contact = How to reach it (kept encrypted, shown to organisers)
org-add = Add an organisation
org-members = Members acting for it
org-member-email = E-mail of a member of the space
org-member-add = Add
org-error-not-member = This person is not a member of the space.
endorse-title = Organisations that share this concern
endorse-none = No organisation has endorsed this concern yet.
endorse-unnamed = and { $count } organisations that are not named
endorse-for = We share this, on behalf of
endorse-note = A note (optional)
endorse-submit = We share this
common-title = Common concerns across the divide
common-lead = Concerns endorsed by organisations of several sides or sectors. Those shared across the divide come first, whatever the number of groups behind a one-sided concern; then each side weighs the same, and within a side each organisation the same.
common-none = No concern is shared across sides or sectors yet.
common-sides = { $count ->
    [one] 1 side
   *[other] { $count } sides
}
common-endorsers = { $count ->
    [one] 1 organisation
   *[other] { $count } organisations
}
common-sectors = { $count ->
    [one] 1 sector
   *[other] { $count } sectors
}
agreement-title = Agreements and their implementation
agreement-lead = The provisions of agreements reached, how far each is implemented (on the Peace Accords Matrix scale), the evidence, and the activities behind it.
agreement-none = No agreement yet.
agreement-signed = Signed
agreement-add = Enter an agreement
agreement-provisions = Provisions, one per line, each starting with its number
agreement-provisions-hint = For example: "3.2 Monitors are deployed along the line of contact." Or choose a CSV file with a number column and a text column instead.
agreement-file = Or a CSV file of provisions
agreement-pct = Implementation: { $pct }% of full implementation across its provisions.
agreement-activities = Activities implementing it
agreement-update = Record progress
agreement-status = Status
agreement-as-of = As of
agreement-evidence = Evidence (what shows it, with its source)
agreement-link = Link an activity by its code
agreement-link-submit = Link
agreement-error-number = A provision has no number, or one longer than 20 characters.
agreement-error-text = A provision has no text, or one longer than 5,000 characters.
agreement-error-twice = This number was given to an earlier provision.
agreement-error-evidence = Give the evidence of this status.
agreement-error-code = No activity you may see has this code.
pam-not-started = Not started
pam-minimal = Minimal
pam-intermediate = Intermediate
pam-full = Full
concern-merged-into = This concern was merged into
concern-from-conversation = Promoted from a statement of the conversation
concern-merge = Merge this duplicate into
concern-merge-submit = Merge (endorsements are carried over)
concern-promote = Promote to a concern
concern-promoted-note = Promoted from the opinion conversation, where this statement found agreement across groups.
concern-error-merge-self = A concern cannot be merged into itself.
concern-error-merge-target = Choose a concern you may see.
coalition-title = Coalitions
coalition-lead = Organisations working together around common concerns, with a charter and coordinators.
coalition-none = No coalition yet.
coalition-add = Start a coalition
coalition-charter = Charter
coalition-members = Members
coalition-no-members = No member yet.
coalition-joined = Joined
coalition-leave = Record that it left
coalition-concerns = Concerns it works on
coalition-no-concerns = No concern yet.
coalition-history = Who joined and left
coalition-add-member = Add a member organisation
coalition-listed = Named publicly (otherwise counted only, from the space's threshold)
coalition-add-concern = Add a concern
places-sheet-provisions = Provisions
joint-error-reason = Say what blocks the task.
joint-title = Joint actions
joint-title-one = Joint action
joint-lead = Plans that organisations carry out together for a concern or a coalition: tasks with an owner, a due date and a status.
joint-none = No joint action yet.
joint-open-tasks = { $count ->
    [one] 1 open task
   *[other] { $count } open tasks
}
joint-add = Start a joint action
joint-plan = The plan
joint-for-concern = For the concern
joint-for-coalition = Of the coalition
joint-tasks = Tasks
joint-no-tasks = No task yet.
joint-task = Task
joint-owner = Owning organisation
joint-due = Due
joint-status = Status
joint-status-todo = To do
joint-status-doing = Under way
joint-status-blocked = Blocked
joint-status-done = Done
joint-update = Update
joint-reason = What blocks it (when blocked)
joint-add-task = Add a task
joint-notes = Progress notes
joint-note = Progress note
joint-add-note = Add the note
joint-no-notes = No progress note yet.
joint-stuck-title = What is stuck
joint-stuck-lead = Open tasks of the joint actions you can see that are blocked, past their due date, or without news for { $days } days.
joint-stuck-none = Nothing is stuck.
joint-why-stuck = Why
joint-overdue = { $days ->
    [one] 1 day late
   *[other] { $days } days late
}
joint-quiet = { $days } days without news
coalition-coordinators = Coordinators
coalition-add-coordinator = Add a coordinator (e-mail of a member of the space)
coalition-actions = Joint actions
activity-error-org = Choose one of the space's organisations.
activity-org = Organised by
