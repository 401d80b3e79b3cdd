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
