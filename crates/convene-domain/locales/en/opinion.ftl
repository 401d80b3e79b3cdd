## opinion
opinion-title = Opinion mapping
opinion-intro = People write short statements and vote on each other's. Convene finds opinion groups, what divides them and what they agree on across the divide.
opinion-none = No conversations yet.
opinion-new = Start a conversation
opinion-topic = Topic
opinion-description = Description
opinion-allow-statements = Participants may add statements (shown after moderation)
opinion-is-open = Open for voting
opinion-closed = Closed
opinion-closed-note = This conversation is closed: it takes no more votes.
opinion-settings = Settings
opinion-sms-keyword = SMS keyword
opinion-sms-keyword-hint = Optional. One word people text to take part by SMS: each statement comes in one text, and they reply 1 agree, 2 disagree, 3 pass. Only for a conversation open to the public.
opinion-save = Save
opinion-results = Results
opinion-report = Printable report
opinion-print-hint = Use your browser's print command to print this report or save it as PDF.
opinion-moderate-count = Moderation ({ $count } waiting)
opinion-moderation = Moderation
opinion-vote-heading = Your vote
opinion-login-to-vote = Log in to take part.
opinion-remaining = { $count ->
    [one] One statement left
   *[other] { $count } statements left
}
opinion-agree = Agree
opinion-disagree = Disagree
opinion-pass = Pass / unsure
opinion-all-voted = You have voted on everything. Thank you! Come back later for new statements, or add your own.
opinion-no-statements = There are no statements to vote on yet.
opinion-add-heading = Add a statement
opinion-add-submit = Submit statement
opinion-statement = Statement
opinion-statement-hint = One idea, at most 280 characters. It is shown to others after an organiser approves it. Do not write names or other personal data.
opinion-seed-hint = As an organiser, your statement is shown at once.
opinion-statement-added = Thank you: your statement will be shown after moderation.
opinion-statement-added-seed = The statement was added.
opinion-your-statements = Your statements
opinion-status = Status
opinion-status-pending = Awaiting moderation
opinion-status-approved = Shown
opinion-status-rejected = Not accepted
opinion-reason = Reason
opinion-approve = Approve
opinion-reject = Reject
opinion-remove = Remove
opinion-removed-reason = Removed by an organiser
opinion-change = Change
opinion-decided = Decided statements
opinion-queue-empty = No statements are waiting.
opinion-pending-count = { $count ->
    [one] One statement waiting
   *[other] { $count } statements waiting
}
opinion-error-statement-long = A statement has at most 280 characters.
opinion-error-keyword-level = Only a conversation open to the public may have an SMS keyword: anyone can send a text.
opinion-votes-count = { $count ->
    [one] one vote
   *[other] { $count } votes
}
opinion-voters-count = { $count ->
    [one] one participant
   *[other] { $count } participants
}
opinion-participants-count = { $count ->
    [one] one participant
   *[other] { $count } participants
}
opinion-groups-count = { $count ->
    [one] one opinion group
   *[other] { $count } opinion groups
}
opinion-not-enough = Not enough votes yet to form opinion groups. Groups appear once enough people have voted on enough statements.
opinion-suppressed = { $count ->
    [one] One group is too small to be shown.
   *[other] { $count } groups are too small to be shown.
}
opinion-map = Opinion map
opinion-map-title = Opinion map: participants by opinion group
opinion-map-desc = Each point is a participant, placed near those who voted alike; colour and shape show the group, the letter marks its centre. Small numbered squares are statements. The tables below give the same information.
opinion-map-hint = Participants close together voted alike. Numbered squares are statements, placed towards the participants who agree with them.
opinion-group = Group { $name }
opinion-group-view = How the group voted
opinion-rep-intro = Statements that set this group apart from the others:
opinion-pct-agree = { $pct }% agree
opinion-pct-disagree = { $pct }% disagree
opinion-consensus = Common ground
opinion-consensus-intro = Statements most participants agree (or disagree) with.
opinion-gic = Agreement across groups
opinion-gic-intro = Statements every group tends to agree with (group-informed consensus), highest first.
opinion-gic-short = Consensus
opinion-divisive = What divides the groups
opinion-divisive-intro = Statements on which the groups differ most.
opinion-all-statements = All statements
opinion-none-yet = None yet.
opinion-export-heading = Export
opinion-export-results = results per statement and group
opinion-export-json = conversation, votes and results
opinion-export-polis = the Polis export format
opinion-import-title = Import a Polis conversation
opinion-import-intro = Bring in a conversation exported from Polis: comments.csv with votes.csv or participants-votes.csv. A malformed file is refused with the file and line named, and nothing is imported.
opinion-import-votes-hint = Give votes.csv (every vote) or participants-votes.csv (the final votes); votes.csv is used when both are given.
opinion-import-submit = Import
opinion-import-failed = Nothing was imported:
opinion-import-missing-file = { $file } is required.
opinion-import-missing-column = { $file }, line { $line }: the column “{ $detail }” is missing.
opinion-import-syntax = { $file }, line { $line }: the line is not valid CSV (wrong number of fields, bad quoting or not UTF-8).
opinion-import-not-number = { $file }, line { $line }: “{ $detail }” must be a number.
opinion-import-bad-vote = { $file }, line { $line }: a vote must be -1, 0 or 1.
opinion-import-unknown-statement = { $file }, line { $line }: statement { $detail } is not in comments.csv.
opinion-import-duplicate = { $file }, line { $line }: statement { $detail } appears twice.
opinion-import-bad-statement = { $file }, line { $line }: the statement is empty or longer than 2000 characters.
opinion-import-no-votes = Give votes.csv or participants-votes.csv.
