# Convene — English
skip-to-content = Skip to content
nav-label = Main
nav-home = Home
nav-login = Log in
nav-logout = Log out
nav-space = Space
lang-label = Language
footer = Convene — open-source tools for people who convene peace processes.
light-turn-on = Slow connection? Show small previews instead of images
light-is-on = Light mode is on: images show as small previews with a link.
light-turn-off = Show images
media-error-upload-size = A photo may be at most { $mb } MB. Send a smaller one (most phones can share a photo at a smaller size).
media-error-video-size = A video may be at most { $mb } MB. Send a shorter one, or one recorded at a lower quality.

error-title = Something went wrong
error-400 = The request could not be understood. Please check what you entered and try again.
error-403 = You are not allowed to do this.
error-404 = There is nothing here, or you may not see it.
error-413 = What you sent is too large.
error-429 = Too many attempts. Please wait a few minutes and try again.
error-500 = Something went wrong on our side. It has been logged; please try again later.
upload-too-slow = Reading this file took too long: it is larger or more complex than Convene reads. Split it into smaller files and try again.
upload-unreadable = This file could not be read. Check that it is the kind of file asked for and try again.
form-has-errors = Please correct the following:

error-email = Enter a valid e-mail address.
error-password-length = A password must have between 10 and 200 characters.
error-required = This field is required.
error-too-long = This is too long.
error-date = Enter a date as YYYY-MM-DD.
error-track = Choose a track from 1 to 9.
error-phone = Enter a phone number of 6 to 15 digits.
error-invalid = This value is not valid.
error-slug = Use 1 to 60 lowercase letters, digits and hyphens.
error-slug-taken = This address is already taken.
error-no-such-user = No account has this e-mail address.
error-last-owner = A space must keep at least one owner.
error-threshold = The threshold cannot be below 5.
error-login-failed = The e-mail address or password is not right.
error-code = That code is not right. Try the newest code, or a recovery code.

home-title = Spaces
home-intro = Each space is one process: a peace process, a dialogue series or a coalition's workspace.
home-no-spaces = There are no spaces you can see yet.
space-public = Public space
space-closed = Closed space (members only)
space-chatham = Chatham House rule: contributions are shown without names
space-new = New space
space-public-explained = Public: anyone can read the records marked public.
space-closed-explained = Closed: only members can enter.
space-totp-needed = This space requires a second factor for organisers. Until you set one up, you act as a member.
your-role = Your role

role-owner = Owner
role-organiser = Organiser
role-analyst = Analyst
role-focal-point = Focal point
role-member = Member
role-none = Remove from space

field-name = Name
field-slug = Web address
field-slug-hint = Lowercase letters, digits and hyphens, e.g. valley-dialogue.
field-description = Description
field-visibility = Who can enter
field-email = E-mail address
field-password = Password
field-role = Role
field-title = Title
field-body = Text
field-level = Who may see this
field-level-hint = Public: anyone who can read the space. Members: members of this space. Organisers: organisers and owners. Named people only: you and the people you name.
field-named = Named people
field-named-emails = Named people (e-mail addresses, separated by commas)
field-locality = Locality
field-starts-on = Date
field-track = Track
field-phone = Phone number
field-author = Author
field-created = Recorded
field-contact-label = Description (no names here: e.g. business delegate, Karachi)
author-hidden = Not shown (Chatham House rule)
contact-encrypted-hint = Name, e-mail and phone are stored encrypted.

action-create = Create
action-save = Save
action-add = Add
action-export = Export as CSV

login-title = Log in
login-submit = Log in
totp-title = Second factor
totp-code = Code from your authenticator app
totp-code-hint = Six digits, or one of your recovery codes.

account-title = Your account
totp-section = Second factor (authenticator app)
totp-is-on = A second factor is on for your account.
totp-is-off = A second factor is off. Turn it on to protect your account if your password leaks.
totp-start = Set up a second factor
totp-setup-intro = Add this key to your authenticator app, then enter the code it shows.
error-totp-turn-off-first = The second factor is on. To use a new device, turn it off first with your password and a code.
error-totp-required-by-space = A space you organise requires a second factor: it cannot be turned off while you organise it.
error-password-wrong = That password is not right.
totp-off-intro = To turn the second factor off, enter your password and a current code (or a recovery code). Your recovery codes are deleted.
totp-off = Turn off
totp-confirm = Turn on
totp-enabled-now = The second factor is now on.
totp-recovery-intro = Keep these recovery codes somewhere safe. Each works once if you lose your phone. They will not be shown again.
sessions-section = Sessions
logout-everywhere = Log out everywhere

members-title = Members
members-set-role = Add a member or change a role
audit-title = Audit log
audit-intro = Every sensitive action in this space, newest first. The log is chained: an edited or deleted entry is detected.
audit-when = When
audit-who = Who
audit-action = Action
audit-target = Record
audit-detail = Detail
settings-title = Settings
settings-chatham = Chatham House rule: never show or export who wrote what
settings-require-totp = Organisers must use a second factor
settings-threshold = Smallest group shown in published numbers

search-label = Search
search-submit = Search
search-results = Search results
records-count = { $count ->
    [one] 1 record
   *[other] { $count } records
}
records-none = Nothing here yet.
pager-label = Pages
pager-prev = Previous
pager-next = Next

kind-concerns = Common concerns
kind-activities = Activities
kind-contacts = Contacts

level-public = Public
level-members = Members
level-organisers = Organisers
level-named = Named people only

track-1 = 1 · Official diplomacy
track-2 = 2 · Professional conflict resolution
track-3 = 3 · Business
track-4 = 4 · Citizen exchanges
track-5 = 5 · Research, training and education
track-6 = 6 · Activism
track-7 = 7 · Religion
track-8 = 8 · Funding
track-9 = 9 · Public opinion and media
error-datetime = Enter a date and time, e.g. 2026-12-15 09:30.
error-time-zone = Enter a time zone by its name, e.g. Asia/Karachi or Europe/Paris.
activity-error-ends = The end must come after the start.
activity-error-venue = Enter the venue, or mark the activity as online.
activity-error-capacity = Enter a number of places from 1 upwards, or leave it empty for no limit.
activity-error-place = Choose a place from the space's gazetteer.
activity-error-contact = Give a phone number or an e-mail address, or choose "just count me".
invite-title = Invitations
invite-lead = An invitation is a link that brings one person into this space with a role: it works once and expires. The person signs in, or creates their account by setting a password. Nobody shares a login.
invite-made = The invitation's link, shown only now. Send it to the person by a channel you trust:
invite-org = Acting for the organisation
invite-days = Days before it expires (1 to 30)
invite-label = For whom (a note for organisers)
invite-make = Make the link
invite-list = Invitations made
invite-none = No invitation yet.
invite-expires = Expires
invite-state = State
invite-state-open = open
invite-state-used = used
invite-state-expired = expired
invite-state-revoked = revoked
invite-revoke = Revoke
invite-to = You are invited to
invite-role = Role
invite-once = The link works once.
invite-as = Signed in as
invite-accept = Join
invite-new-account = Create your account
invite-have-account = I already have an account: sign in first
invite-ask-again = Ask the organisers who invited you for a new link.
invite-home = Home
invite-error-unknown = This invitation link is not known. Check that it was copied whole.
invite-error-used = This invitation has already been used.
invite-error-expired = This invitation has expired.
invite-error-revoked = This invitation was revoked by the organisers.
invite-error-days = An invitation lasts from 1 to 30 days.
invite-error-has-account = An account with this e-mail address exists: sign in first, then open the link again.
invite-email = Send the link by e-mail to (optional)
invite-email-hint = The message goes out from this server's outbox. Without an address, copy the link yourself.
invite-mailed = The invitation is on its way by e-mail to the address given. The link is also shown here, only now:
invite-error-mail-off = This server sends no e-mail: make the link and send it yourself, or ask the server's operator to set smtp_url, mail_from and public_url.
invite-mail-subject = Invitation to { $space }
invite-mail-body = { $inviter } invites you to join "{ $space }" on Convene, as { $role }.

    Open this link to accept. It works once and expires in { $days } days:

    { $link }

    If you did not expect this invitation, ignore this message: nothing happens until the link is opened.
members-invite = Invite by a link
