campaign-title = Campaign
campaign-lead = Progress in the peace process, step by step: the milestones reached and planned, and updates from the people who convene it.
campaign-timeline = Milestones
campaign-no-milestones = No milestone yet.
campaign-reached = Reached
campaign-planned = Planned
campaign-reached-on = Reached on
campaign-updates = Progress updates
campaign-no-updates = No update yet.
campaign-feed = Follow the updates (Atom feed)
campaign-new-update = Write an update
campaign-embargoed = not yet published
campaign-add-milestone = Add a milestone
campaign-milestone-title = Milestone
campaign-phase = Phase of the process
campaign-due-on = Planned for (date)
campaign-milestone-body = What it means
campaign-update-title = Title
campaign-update-body = Text
campaign-markdown-hint = Paragraphs, **bold**, *italic*, lists, quotes and links to web addresses. Pictures are added as photos, not as links; HTML is shown as text.
campaign-language = Language of the text
campaign-milestone = Milestone
campaign-publish-at = Publish at (leave empty to publish now)
campaign-publish-hint = Local time in { $zone }. Until then only the organisers see it, in no list, feed or link.
campaign-publish = Publish
campaign-embargo-notice = Not yet published: only organisers see this update until its publication time.
campaign-share = Share
campaign-share-email = E-mail
campaign-error-level = An update is for the public, the members or the organisers, never for named people only.
campaign-error-milestone = Choose a milestone of this campaign.
pledge-error-target = The target is a number of people from 2 to 10,000,000.
pledge-error-deadline = The deadline is a day after today and within two years.
pledge-error-district = Choose one of the districts listed, or none.
pledge-error-closed = This pledge no longer takes signatures.
pledge-mail-confirm-subject = Confirm your pledge: { $title }
pledge-mail-confirm-body = You, or someone using this address, signed this pledge:

    { $title }

    It counts only once you confirm it. Open this link within seven days:

    { $link }

    Signing ends { $deadline }. We will write to you once more: when the pledge reaches its target, or if it does not by then. Your address is kept sealed and erased after the deadline; only the number of signers is ever shown.

    If this was not you, ignore this message: nothing counts without the link.
pledge-mail-already = This address has already signed the pledge "{ $title }" and its signature counts. Nothing has changed.
pledge-tipped-subject = The pledge has reached its target: { $title }
pledge-tipped-body = The pledge "{ $title }" has reached its target of { $target } people. Now is the time to do what you pledged. Thank you.
pledge-tipped-sms = The pledge "{ $title }" reached its target of { $target }. Now is the time to do what you pledged. Thank you!
pledge-failed-subject = The pledge did not reach its target: { $title }
pledge-failed-body = The pledge "{ $title }" did not reach its target of { $target } people by its deadline. You are not bound by it. Thank you for signing.
pledge-failed-sms = The pledge "{ $title }" did not reach { $target } by its deadline; you are not bound by it. Thank you for signing.
pledge-sms-signed = You signed "{ $title }". We will text you when it reaches its target, or if it has not by { $deadline }. DELETE withdraws, STOP ends texts.
pledge-sms-already = You have already signed "{ $title }"; your signature counts.
pledge-sms-closed = The pledge "{ $title }" no longer takes signatures.
pledge-sms-no-district = (We did not recognise the district: your signature counts without one.)
pledge-list = Pledges
pledge-none = No pledges yet.
pledge-new = Start a pledge
pledge-status-open = taking signatures
pledge-status-ended = ended
pledge-status-tipped = target reached
pledge-status-failed = target not reached
pledge-deadline = signing ends
pledge-signers = Signers
pledge-of-target = of { $target } needed
pledge-progress = Progress towards the target
pledge-by-district = Signers by district
pledge-district = District
pledge-no-district = No district given
pledge-suppression = Only numbers are shown, never names. Counts below { $threshold } are shown as "<{ $threshold }", and another count is hidden with them when the total would give them away.
pledge-counts-csv = Counts by district (CSV)
pledge-sign = Sign this pledge
pledge-by-sms = By SMS: text
pledge-to = to
pledge-sms-district-hint = Add your district's name after the word to be counted in it.
pledge-check-mail = Thank you. We sent a link to your e-mail address: your signature counts once you open it (within seven days).
pledge-email = Your e-mail address
pledge-email-hint = Used to confirm your signature and to tell you once whether the pledge reached its target; erased after the deadline. Never shown.
pledge-your-district = Your district (optional)
pledge-sign-button = Sign
pledge-web-off = Signing on the web needs e-mail, which this server does not send. Sign by SMS, if a keyword is given above.
pledge-embed = Show the counter on another site
pledge-counter-alt = The number of signers of this pledge
pledge-embed-code = Code for another site
pledge-counter = signers of { $target } needed
pledge-confirm-title = Confirm your signature
pledge-confirm-lead = Press the button to confirm your signature: it counts from then on.
pledge-confirm-button = Confirm my signature
pledge-confirmed = Thank you: your signature counts.
pledge-confirmed-tipped = Thank you: your signature counts, and with it the pledge has reached its target. Every signer is being told.
pledge-confirm-used = This link has already been used: your signature counts.
pledge-confirm-closed = This pledge no longer takes signatures: the link came too late.
pledge-confirm-expired = This link has expired (links work for seven days). Sign again to get a new one.
pledge-confirm-unknown = This link is not known. Check that it was copied whole.
pledge-field-title = What each signer will do
pledge-title-hint = Written as a promise, e.g. "I will walk to the crossing on market day".
pledge-field-body = More about it
pledge-field-target = How many people make it happen (the target)
pledge-field-deadline = Last day of signing
pledge-field-keyword = SMS keyword (optional)
pledge-keyword-hint = One word. Texting it signs the pledge; a district's name after it counts the signer there.
media-photos = Photos
media-add-photo = Add a photo
media-photo-file = Photo (JPEG, PNG, WebP or HEIC, at most { $mb } MB)
media-photo-file-hint = Every photo is turned upright and saved anew: its location, camera and time stamps are removed before anything is stored.
media-alt = Describe the photo for people who cannot see it (required)
media-alt-hint = What it shows, in a sentence, in the language of the update. Screen readers read it, and readers on slow connections see it before choosing to load the photo.
media-upload = Add the photo
media-remove = Remove the photo
media-added = The photo was added.
media-view-photo = View the photo ({ $kb } KB)
media-count = { $n ->
    [one] 1 photo
   *[other] { $n } photos
}
media-error-not-image = This file is not a photo Convene reads. Send a JPEG, PNG, WebP or HEIC photo.
media-error-damaged = This photo is damaged or was cut short in sending. Send it again.
media-error-too-large = This photo has more pixels than Convene reads (at most 50 megapixels). Send a smaller one.
media-error-heic = HEIC photos cannot be read on this server. Send the photo as JPEG (phones can share it that way, e.g. "Most compatible" on an iPhone).
media-error-file-missing = Choose a photo to send.
media-add-video = Add a video
media-video-file = Video (MP4, MOV or WebM, at most { $mb } MB and 10 minutes)
media-video-file-hint = Its location, device and time stamps are removed before it is stored; a low-quality version for slow connections is made within minutes.
media-video-alt = Describe the video for people who cannot see or hear it (required)
media-video-upload = Add the video
media-watch-low = Watch, low quality ({ $kb } KB)
media-watch-full = Watch, full quality ({ $kb } KB)
media-video-low-pending = A low-quality version for slow connections is being made.
media-error-not-video = This file is not a video Convene reads. Send an MP4, MOV or WebM video.
media-error-video-damaged = This video is damaged or was cut short in sending. Send it again.
media-error-video-long = This video is longer than 10 minutes. Send a shorter one.
media-error-video-unavailable = Videos cannot be processed on this server (ffmpeg is not installed). Photos can be added.
media-error-video-missing = Choose a video to send.
pledge-map-caption = Signers by district, as in the table: the darker, the more signers. Hatched districts have signers whose number is hidden.
pledge-map-none = none
pledge-map-hidden = hidden
media-captions = Captions
media-captions-file = Captions (optional, a WebVTT file)
media-captions-hint = What is said and heard, timed, in the language of the update: people who cannot hear the video read it. Most video editors and subtitle tools save WebVTT (.vtt).
media-error-captions = The captions are not a WebVTT file (it begins with WEBVTT and has timed cues such as 00:00.000 --> 00:02.000). Send a .vtt file, or none.
media-video-added = The video was added. Its low-quality version for slow connections follows within minutes.

## Contact your representative
rep-title = Contact your representative
rep-lead = Choose where you live to see who represents you, what they have said about the campaign's ask, and write to them in your own words. We never ask for your location.
rep-none = No representative has been added yet.
rep-none-here = No representative is listed for this place yet.
rep-manage = Representatives: import, add, review
rep-your-place = Where you live
rep-choose-place = Choose a place
rep-place-hint = Your district, or your region if you do not know it. Representatives of the places above yours are shown too.
rep-find = Show my representatives
rep-search-place = Or search for a place by name
rep-no-place = No place has that name.
rep-for-place = Representatives for
rep-community = community representative
rep-stance = Stance on the campaign's ask
rep-stance-committed = Committed
rep-stance-not_yet = Not yet
rep-stance-refused = Refused
rep-stance-unknown = Not known
rep-the-ask = The ask:
rep-record-stance = Record a stance, with its evidence
rep-stated-on = Said or done on
rep-evidence = Evidence: what they said or did, and where
rep-evidence-url = Link to the evidence (optional)
rep-replies = Messages and replies
rep-messages-sent = messages sent
rep-reply-rate = Reply rate
rep-rate-not-enough = not enough answers yet
rep-replies-title = Reply rates of representatives
rep-replies-lead = Two weeks after a message is delivered we ask its sender whether they got a reply. A representative's rate is the share of senders who answered "yes", shown once enough senders have answered.
rep-replies-caption = Messages sent and reply rates
rep-replies-suppression = Counts below { $threshold } are shown as "<{ $threshold }", with one more hidden where needed so that the total gives none away; a rate is shown once at least { $threshold } senders have answered.
rep-replies-csv = Download the table (CSV)
rep-total = Total
rep-name = Name
rep-area = Area
rep-role = Seat or office
rep-organisation = Party or body
rep-counts = Messages sent
rep-counts-by-district = Messages sent, by the senders' district
rep-write = Write to them
rep-web-off = Writing by web is not set up on this site.
rep-points-lead = The campaign suggests these points. Use them as a guide, in your own words: messages that mostly copy them, or copy another sender, are held for review.
rep-your-message = Your message
rep-own-words = At least 80 characters, in your own words. Say who you are and why it matters to you.
rep-your-name = Your name (it is shown to the representative)
rep-or-phone = Or your mobile phone, if you have no e-mail address
rep-contact-hint = We send a link (by e-mail) or a code (by SMS) to confirm it is you; nothing is sent until you do. Your address is sealed, given to the representative so they can reply, and erased after the campaign's retention period.
rep-send = Check and send
rep-check-mail = Nearly done: open the link we sent to your e-mail address to send your message.
rep-confirm-title = Confirm your message
rep-confirm-lead = Press the button to send your message to the representative.
rep-confirm-button = Send my message
rep-code-lead = We sent a six-digit code by SMS to your phone. Type it here to send your message.
rep-code = Code
rep-code-wrong = That code is not the one we sent.
rep-code-left = { $left } tries left.
rep-sent-email = Your message is on its way to the representative by e-mail. Their reply will come to you directly. In two weeks we will ask whether they replied.
rep-sent-sms = Your message is on its way to the representative by SMS. In two weeks we will ask whether they replied.
rep-sent-letter = Your message will be printed and posted to the representative by the organisers. In two weeks after it is posted we will ask whether they replied.
rep-held = Your message is much like the suggested points or another sender's message, so the organisers will read it before it is sent. Thank you for your patience.
rep-confirm-used = This message was already confirmed.
rep-confirm-expired = This link or code has expired: please write your message again.
rep-confirm-unknown = This link is not known. It may have been mistyped.
rep-reply-title = Did you get a reply?
rep-reply-lead = Did the representative reply to your message?
rep-reply-yes = Yes, they replied
rep-reply-no = No reply
rep-reply-thanks = Thank you: your answer is counted in their reply rate.
rep-reply-already = You have already answered. Thank you.
rep-reply-unknown = This link is not known, or it is older than the time we keep answers.
rep-limit-address = You have already written to this representative this week.
rep-limit-sender = You have sent as many messages as one person may today. Please try tomorrow.
rep-limit-rep = This representative has received as many messages as we send them in one day. Please try tomorrow.
rep-error-unreachable = We have no way to reach this representative yet.
rep-error-contact = Give an e-mail address or a mobile phone, so that we can check it is you.
rep-error-short = Your message is too short: write at least 80 characters in your own words.
rep-error-no-sms = This site cannot send SMS: give an e-mail address.
rep-error-area = Choose a place of this space's gazetteer.
rep-error-phone = This is not a phone number.
rep-error-future = This date is in the future.
rep-error-evidence = Say what they said or did, and where.
rep-error-url = A link starts with https:// and has no spaces.
rep-error-retention = Keep senders' data between 30 and 730 days.
rep-error-limit = A limit is a whole number: 1 to 100,000 per representative, 1 to 100 per sender.
rep-error-reason = Say why the message is rejected: the sender is told.
rep-error-dangling = refers to an item that is not in the file
rep-error-no-id = has no id
rep-error-duplicate-id = has the same id as an earlier item
rep-error-no-name = has no name
rep-error-no-person = names no person
rep-error-no-area = names no area
rep-error-area-unknown = this area matches no place of the gazetteer (by code or name)
rep-error-json = the file is not JSON
rep-error-popolo-shape = the file is JSON but not Popolo: persons, organizations, posts, memberships and areas must be lists
rep-error-none = the file lists no representative (a membership with an area, or a row with a name)
rep-error-too-many = the file lists more than 20,000 representatives
rep-error-encoding = the file is not UTF-8 text
rep-error-csv = the line cannot be read as CSV
rep-error-column-missing = this column is missing
places-sheet-popolo = Popolo file
places-sheet-persons = persons
places-sheet-organizations = organizations
places-sheet-posts = posts
places-sheet-memberships = memberships
places-sheet-areas = areas
places-sheet-csv = CSV file
rep-queue = Messages held for review
rep-queue-empty = No message is waiting.
rep-queue-lead = These messages are much like the suggested points or another sender's. Release one to send it, or reject it with a reason the sender is told.
rep-to = To
rep-from = from
rep-copied = copied:
rep-reason = Reason (told to the sender if rejected)
rep-release = Release and send
rep-reject = Reject
rep-moderated = Done.
rep-letters = Letters to print
rep-letters-lead = Messages to representatives who have neither e-mail nor phone. Print this page (each letter starts a new page), post them, then mark them posted.
rep-letters-none = No letter is waiting.
rep-letters-pending = Letters waiting to be printed: { $n }
rep-letter-posted = Posted
rep-letters-mark = Mark the ticked letters posted
rep-import = Import representatives
rep-import-lead = A Popolo JSON file (persons, organizations, posts, memberships, areas: as EveryPolitician and many parliaments publish) or a CSV file with columns name, area (a place's code or name), and optionally id, role, organisation, email, phone, address, community (yes/no). Importing the same file again updates what it imported before. Nothing is stored if any line is wrong.
rep-import-file = File (JSON or CSV, at most 1 MB)
rep-import-button = Import
rep-file-missing = Choose a file to import.
rep-imported = Imported: { $added } added, { $updated } updated.
rep-problems = The file was not imported; nothing was stored:
rep-add = Add a community representative
rep-added = Representative added.
rep-rep-email = Their e-mail address
rep-rep-phone = Their phone (used when there is no e-mail)
rep-rep-address = Their postal address (used when there is neither)
rep-contacts-hint = Never shown to the public: messages reach them through this site.
rep-settings = Writing: the ask, suggested points, limits, retention
rep-settings-saved = Settings saved.
rep-points = Suggested points
rep-points-hint = One point per line. Messages that mostly copy them are held for review.
rep-retention = Days senders' data is kept (30 to 730)
rep-rep-limit = Messages one representative may be sent per day
rep-sender-limit = Messages one sender may send per day
rep-all = All representatives
rep-no-contact = no way to reach them
rep-mail-confirm-subject = Confirm your message to { $rep }
rep-mail-confirm-body = You, or someone using this address, wrote a message to { $rep } through { $space }.

    Nothing is sent until you confirm it. Open this link within three days and press the button:

    { $link }

    If you did not write it, ignore this e-mail: nothing will be sent.
rep-sms-code = Your code to send your message to { $rep }: { $code } ({ $space }). If you did not write it, ignore this SMS.
rep-mail-subject = Message from { $name } ({ $place }), through { $space }
rep-mail-body = { $body }

    { $name }
    { $place }
    { $contact }

    --
    This message was written by a member of the public and confirmed by them through { $space }. Reply to this e-mail to answer them directly.
rep-mail-body-phone = { $body }

    { $name }
    { $place }
    { $contact }

    --
    This message was written by a member of the public and confirmed from their phone through { $space }. They have no e-mail address here: answer them by SMS or call at the number above.
rep-sms-body = { $name } ({ $place }), through { $space }: { $body } Reply to: { $contact }
rep-mail-rejected-subject = Your message to { $rep } was not sent
rep-mail-rejected-body = The organisers read your message to { $rep } and did not send it:

    { $reason }

    You may write again, in your own words.
rep-mail-ask-subject = Did { $rep } reply to you?
rep-mail-ask-body = Two weeks ago your message went to { $rep }. Did they reply? One click tells us, and makes their reply rate:

    { $link }

    Thank you.
rep-sms-ask = Did { $rep } reply to your message? Tell us here: { $link }

## Calls to action
call-list = Calls to action
call-none = No call to action yet.
call-new = Start a call to action
call-what = What people are asked to do
call-closes-on = Last day to sign up (optional)
call-open = taking sign-ups
call-closed = sign-ups closed
call-closes = Sign-ups close
call-moderation = Moderation
call-signups = Sign-ups
call-signed-up = people signed up
call-by-district = Sign-ups by district
call-counts-csv = Download the sign-ups by district (CSV)
call-signup = Sign up
call-email-hint = We send a link to confirm it is you, and then a personal link to tell us what you did. Your address is sealed and erased when the call ends; only the number of people is ever shown.
call-signup-button = Sign me up
call-check-mail = Nearly done: open the link we sent to your e-mail address.
call-confirm-title = Confirm your sign-up
call-confirm-lead = Press the button to confirm your sign-up.
call-confirm-button = Confirm
call-confirmed = Thank you: you are signed up. We sent you a personal link to tell us what you did, when you have done it.
call-error-closed = This call to action no longer takes sign-ups.
call-error-reports = You have already sent as many reports as one person may for this call.
call-error-status = This report has been dealt with already.
call-error-flag = Say what is wrong with it.
call-reports = What people did
call-no-reports = No report published yet.
call-flag = Report abuse
call-flag-title = Report abuse
call-flag-reason = What is wrong with it
call-flag-send = Send to the moderators
call-flag-thanks = Thank you: the moderators will look at it.
call-report-title = Tell us what you did
call-report-lead = What did you do, where and with whom? The organisers read each report before it is published; your name is never shown, only your district.
call-report-body = What you did
call-report-photo = A photo or a short video (optional)
call-report-photo-hint = A photo (JPEG, PNG, WebP or HEIC, at most 25 MB) or a video (MP4 or WebM, at most 100 MB and 10 minutes). Its location and every other hidden detail are removed before it is kept. Do not send pictures of faces without the people's consent.
call-report-alt = If you send a photo: what it shows, in a sentence
call-report-send = Send my report
call-report-thanks = Thank you: the organisers will read your report before it is published.
call-report-unknown = This link is not known, or the call has ended.
call-pending = Reports to publish
call-publish = Publish
call-flags = Reports flagged as abusive
call-no-flags = Nothing is flagged.
call-hide = Hide it
call-dismiss = Keep it shown
call-held-messages = Messages to representatives held for review: { $n }
call-mail-confirm-subject = Confirm your sign-up: { $title }
call-mail-confirm-body = You, or someone using this address, signed up for this call to action:

    { $title }

    It counts only once you confirm it. Open this link within seven days:

    { $link }
call-mail-already = You are already signed up for this call to action:

    { $title }

    Nothing has changed.
call-mail-report-subject = When you have done it: { $title }
call-mail-report-body = Thank you for signing up for:

    { $title }

    When you have done it, tell us what you did (and send a photo, if you like) at this personal link:

    { $link }

    The organisers read each report before it is published; your name is never shown.
call-sms-signed = You signed up for "{ $title }". Thank you. DELETE withdraws, STOP ends messages.
call-sms-already = You are already signed up for "{ $title }".
call-sms-closed = "{ $title }" no longer takes sign-ups.

## SMS digest
digest-title = News by SMS
digest-lead = No internet? Text { $keyword } to { $numbers } for at most one SMS a day when there is news of the process. DELETE or STOP ends it.
digest-set = Keyword for the SMS digest
digest-set-hint = One word; texting it subscribes. Leave empty to stop taking subscribers. At most one SMS a day is sent, only when updates were published.
digest-subscribers = Subscribers: { $n }
digest-sms = News from { $space }:
digest-sms-more = and { $n } more
digest-sms-stop = DELETE to unsubscribe, STOP for no more SMS.
digest-sms-subscribed = You will get at most one SMS a day when there is news. DELETE to unsubscribe, STOP for no more SMS.
digest-sms-already = You are already subscribed to the news. DELETE to unsubscribe.

## Writing to a representative by SMS
rep-sms-keyword = SMS keyword to write to a representative (optional)
rep-sms-keyword-hint = One word. Texting it starts a message by SMS: the place, the representative, the sender's name, the words in as many texts as needed, then YES to send.
rep-sms-ask-place = Write to your representative. Which place do you live in? Reply with its name or code.
rep-sms-no-place = We did not find that place. Reply with the name or code of your district.
rep-sms-no-reps = No representative can be written to for that place yet.
rep-sms-ask-rep = Reply with the number of the representative to write to:
rep-sms-pick-number = Reply with one of the numbers in the list.
rep-sms-ask-name = Your name, as the representative will see it?
rep-sms-ask-text = Now write your message in your own words (at least { $min } characters), in as many texts as you need. Send DONE when you are done.
rep-sms-more = Got it ({ $n } characters so far). Write more, or send DONE.
rep-sms-too-short = Your message has { $n } characters; write at least { $min }, then send DONE.
rep-sms-too-long = Your message would be longer than { $max } characters. Send DONE to finish it.
rep-sms-confirm = To { $rep }: "{ $start }..." ({ $n } characters). Reply YES to send it, NO to cancel.
rep-sms-cancelled = Cancelled: nothing was sent.
rep-sms-yes-no = Reply YES or NO.
rep-sms-expired = Your unfinished message was more than a day old and was dropped. Text the keyword to start again.
rep-sms-ask-yes-no = Two weeks ago your message went to { $rep }. Did they reply? Reply YES or NO.

feed-pledge-summary = { $count } of { $target } have signed.
feed-call-summary = { $count } people signed up.

call-watch = Watch the video
call-error-photo-size = A photo may be at most 25 MB. Send a smaller one (most phones can share a photo at a smaller size).
call-error-not-media = This file is neither a photo nor a video Convene reads. Send a JPEG, PNG, WebP or HEIC photo, or an MP4, MOV or WebM video.
rep-limit-unconfirmed = Messages from you are already waiting for their confirmation: open the link or type the code we sent before writing another.
