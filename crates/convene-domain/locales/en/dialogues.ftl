# Track II dialogues: series, rounds, the five steps, the risk register,
# participants and the selection board.
dialogue-title = Track II dialogues
dialogue-lead = Dialogue series across a border: rounds and parallel formats, the five steps of an intervention, the series' risk register, the participants and, for each round, a selection board that warns of elite capture, echo chambers and self-replication.
dialogue-none = No dialogue series yet.
dialogue-new = New dialogue series
dialogue-description = What the series is for
dialogue-sides = Sides (one per line)
dialogue-sides-hint = The delegations, for example the two countries: two to six.
dialogue-sides-label = Sides
dialogue-rounds-count = { $n ->
    [one] one round
   *[other] { $n } rounds
}
dialogue-error-sides = Give two to six sides, one per line, each under 80 characters.
dialogue-error-scale = Choose 1, 2 or 3.
dialogue-error-share = Give a percentage between 0 and 100.
dialogue-error-side = Choose one of the series' sides.
dialogue-error-withdrawn = This participant has withdrawn and cannot be put on a later round.
dialogue-participants = Participants
dialogue-participants-link = { $n ->
    [one] Participants: one you can see
   *[other] Participants: { $n } you can see
}
dialogue-participants-lead = The people of this series you may see. A delegation's convener may keep its names to named people only: you then see their rounds' figures, never their names.
dialogue-no-participants = No participants you can see yet.
dialogue-rounds = Rounds and parallel formats
dialogue-no-rounds = No rounds yet.
dialogue-round = Round
dialogue-held-on = Date
dialogue-city = Host city
dialogue-mode = How it meets
dialogue-parent = Beside round
dialogue-parent-none = None: a round of its own
dialogue-notes = Notes
dialogue-add-round = Add a round or parallel event
dialogue-board-hint = Each round's name opens its selection board.
dialogue-format = Format
dialogue-format-core = Core dialogue
dialogue-format-roundtable = Policy roundtable
dialogue-format-side_meeting = Side meeting
dialogue-format-focus_group = Focus group
dialogue-format-youth = Youth dialogue
dialogue-format-women_led = Women-led conference
dialogue-mode-in_person = In person
dialogue-mode-online = Online
dialogue-mode-hybrid = Hybrid
dialogue-steps = The five steps
dialogue-step-done = Done
dialogue-step-edit = Update this step
dialogue-step-assessment = 1. Assessment
dialogue-step-assessment-hint = The conflict, its parties and what a Track II process could add; who already works on it.
dialogue-step-strategy = 2. Strategy
dialogue-step-strategy-hint = The theory of change and the map of activities, showing the gaps this series fills.
dialogue-step-design = 3. Process design
dialogue-step-design-hint = Formats, participants, agenda, venues, rules of confidentiality and the risk register.
dialogue-step-conduct = 4. Conduct
dialogue-step-conduct-hint = The rounds themselves: facilitation, notes under the Chatham House rule, recommendations.
dialogue-step-follow_up = 5. Follow-up and evaluation
dialogue-step-follow_up-hint = Transfer of recommendations into policy, outcome harvesting and reports.
dialogue-risks = Risk register
dialogue-risks-hint = The series' conflict-sensitivity risks: likelihood and impact from 1 to 3, reviewed at each round.
dialogue-no-risks = No risks recorded yet.
dialogue-risk = Risk
dialogue-likelihood = Likelihood
dialogue-impact = Impact
dialogue-score = Score
dialogue-mitigation = Mitigation
dialogue-owner = Owner
dialogue-reviewed = Last reviewed at
dialogue-not-reviewed = Not yet reviewed
dialogue-review = Review
dialogue-add-risk = Add a risk
dialogue-scale-1 = 1: low
dialogue-scale-2 = 2: medium
dialogue-scale-3 = 3: high
dialogue-thresholds = Thresholds and targets
dialogue-thresholds-hint = The selection board warns when a round's roster crosses one of these. Percentages of the roster.
dialogue-thresholds-where = The series sets its thresholds:
dialogue-threshold-elite-max = Most politicians and senior officials
dialogue-threshold-institution-max = Most from one institution
dialogue-threshold-agreement-max = Most agreement between invitees in the linked conversations
dialogue-threshold-community-max = Most invitees in one community of the actor map
dialogue-threshold-repeat-max = Most who attended the previous round
dialogue-threshold-network-nomination-max = Most nominated by earlier participants from their own network
dialogue-threshold-women-min = Fewest women
dialogue-threshold-youth-min = Fewest people under 30
dialogue-threshold-side-min = Fewest from each side
dialogue-threshold-sector-max = Most from one sector
dialogue-conversations = Consultations linked
dialogue-conversations-hint = Opinion conversations whose votes by SMS show how alike invitees think. Only the average agreement is ever computed, never who voted what.
dialogue-no-conversations = No opinion conversation yet.
dialogue-conversations-go = Opinion conversations
dialogue-name = Name
dialogue-side = Side
dialogue-sector = Sector
dialogue-gender = Gender
dialogue-age = Age
dialogue-seniority = Seniority
dialogue-influence = Policy influence
dialogue-institution = Institution
dialogue-nominated-by = Nominated by
dialogue-attended = Rounds attended
dialogue-actor = On the actor map as
dialogue-nobody = Nobody
dialogue-withdraw = Record a withdrawal
dialogue-withdrawn = Withdrew
dialogue-withdrawn-on = withdrew on
dialogue-add-participant = Add a participant
dialogue-add-participant-hint = The name, e-mail and phone are kept encrypted, as every contact's. The phone links their SMS votes in the linked conversations to the board's agreement figure.
dialogue-participant-level = Who may see the name
dialogue-participant-level-hint = Named people only keeps this delegation's names to you: other conveners' boards count them under a pseudonym.
dialogue-sector-retired_official = Retired official
dialogue-sector-politician = Politician
dialogue-sector-security = Security
dialogue-sector-business = Business
dialogue-sector-media = Media
dialogue-sector-civil_society = Civil society
dialogue-sector-academia = Academia
dialogue-sector-religious = Religious
dialogue-sector-other = Other
dialogue-gender-woman = Woman
dialogue-gender-man = Man
dialogue-gender-other = Other
dialogue-gender-undisclosed = Not said
dialogue-age-under_30 = Under 30
dialogue-age-30_44 = 30 to 44
dialogue-age-45_59 = 45 to 59
dialogue-age-60_plus = 60 or over
dialogue-age-undisclosed = Not said
dialogue-seniority-junior = Junior
dialogue-seniority-mid = Mid-career
dialogue-seniority-senior = Senior
dialogue-board = Selection board
dialogue-warnings = Warnings
dialogue-no-warnings = { $n ->
    [one] No warning for this roster of one.
   *[other] No warning for this roster of { $n }.
}
dialogue-not-judged = Not judged, for lack of data:
dialogue-not-judged-echo-votes = Agreement: fewer than three invitees voted on five statements in common with another invitee in the linked conversations.
dialogue-not-judged-echo-community = Communities: fewer than three invitees are on the actor map.
dialogue-family-elite = elite capture
dialogue-family-echo = echo chamber
dialogue-family-replication = self-replication
dialogue-family-balance = balance
dialogue-warning-elite-capture = Elite capture
dialogue-warning-elite-capture-text = { $count } of { $of } invitees ({ $figure } %) are politicians or senior officials; the series' threshold is { $threshold } %.
dialogue-warning-one-institution = One institution
dialogue-warning-one-institution-text = { $count } of { $of } invitees ({ $figure } %) come from the same institution; the series' threshold is { $threshold } %.
dialogue-warning-echo-votes = Echo chamber: alike in their votes
dialogue-warning-echo-votes-text = Invitees who voted in the linked conversations agree on { $figure } % of the statements they both voted on, on average over { $count } pairs of { $of } voters; the series' threshold is { $threshold } %.
dialogue-warning-echo-community = Echo chamber: one network
dialogue-warning-echo-community-text = { $count } of the { $of } invitees on the actor map ({ $figure } %) are in one community of it; the series' threshold is { $threshold } %.
dialogue-warning-self-replication = Self-replication: the same people
dialogue-warning-self-replication-text = { $count } of { $of } invitees ({ $figure } %) attended the previous round of this format; the series' threshold is { $threshold } %.
dialogue-warning-network-nomination = Self-replication: nominated from their own network
dialogue-warning-network-nomination-text = { $count } of { $of } invitees ({ $figure } %) were nominated by earlier participants they have ties with on the actor map; the series' threshold is { $threshold } %.
dialogue-warning-few-women = Few women
dialogue-warning-few-women-text = { $count } of { $of } invitees ({ $figure } %) are women; the series' target is at least { $threshold } %.
dialogue-warning-few-youth = Few young people
dialogue-warning-few-youth-text = { $count } of { $of } invitees ({ $figure } %) are under 30; the series' target is at least { $threshold } %.
dialogue-warning-side-share = One side under-represented
dialogue-warning-side-share-text = { $count } of { $of } invitees ({ $figure } %) are from { $category }; the series' target is at least { $threshold } % from each side.
dialogue-warning-sector-share = One sector dominates
dialogue-warning-sector-share-text = { $count } of { $of } invitees ({ $figure } %) share one sector ({ $category }); the series' threshold is { $threshold } %.
dialogue-makeup = Make-up of the roster
dialogue-makeup-total = { $n ->
    [one] One person on the roster.
   *[other] { $n } people on the roster.
}
dialogue-hidden = { $n ->
    [one] One of them is counted under a pseudonym: their convener keeps the name.
   *[other] { $n } of them are counted under pseudonyms: their conveners keep the names.
}
dialogue-roster = Roster
dialogue-roster-empty = Nobody is on this round yet.
dialogue-flags = Notes
dialogue-flag-previous = attended the previous round
dialogue-flag-network = nominated from their own network
dialogue-status = Status
dialogue-status-proposed = Proposed
dialogue-status-invited = Invited
dialogue-status-accepted = Accepted
dialogue-status-declined = Declined
dialogue-status-attended = Attended
dialogue-status-absent = Absent
dialogue-status-withdrawn = Withdrew
dialogue-pseudonym = (name kept by its convener)
dialogue-add-to-round = Put on this round
dialogue-history = Declined, absent or withdrawn
dialogue-propose-again = Propose again
dialogue-error-funder = Say which funder suggested this item: funders' suggestions are recorded as such.
dialogue-error-escalation = An explosive item needs escalation notes: what the conveners do if it inflames the room or the press.
dialogue-error-park-core = An item is parked in a parallel format, not in a core round.
dialogue-agenda = Agenda
dialogue-agenda-lead = The series' agenda items: how sensitive each is, where it came from, how each side would frame it, who was consulted, and where it sits in the rounds.
dialogue-items-count = { $n ->
    [one] One item.
   *[other] { $n } items.
}
dialogue-from-funders = { $n ->
    [one] One of them was suggested by a funder.
   *[other] { $n } of them were suggested by funders.
}
dialogue-ledger = Parked topics
dialogue-ledger-hint = Topics parked in a parallel format (a youth dialogue, a roundtable) and whether they ever came back to a later core round.
dialogue-ledger-none = No topic has been parked.
dialogue-parked-in = parked in { $round }
dialogue-back-in = back in { $round }
dialogue-not-back = not back in a core round
dialogue-items = Items
dialogue-no-items = No agenda items yet.
dialogue-sensitivity = Sensitivity
dialogue-sensitivity-routine = Routine
dialogue-sensitivity-careful = Needs careful framing
dialogue-sensitivity-explosive = Explosive
dialogue-source = Source
dialogue-source-consultation = Stakeholder consultation
dialogue-source-context_analysis = Context analysis
dialogue-source-participants = Participants
dialogue-source-conveners = Conveners
dialogue-source-funder = A funder's suggestion
dialogue-source-note = Source in detail
dialogue-source-note-hint = Required for a funder's suggestion: which funder, and who asked.
dialogue-escalation = Escalation notes
dialogue-escalation-hint = Required for an explosive item: what the conveners do if it inflames the room or the press.
dialogue-framing = Framing for
dialogue-in-rounds = In the rounds
dialogue-place = Place
dialogue-place-agenda = on the agenda
dialogue-place-parked = parked
dialogue-place-none = off this round
dialogue-linked = Consulted through
dialogue-hidden-consultations = { $n ->
    [one] One more consultation is kept for named people only.
   *[other] { $n } more consultations are kept for named people only.
}
dialogue-item-work = Place, consult, edit
dialogue-consulted-on = Consulted on
dialogue-consulted = Who was consulted
dialogue-consulted-said = What they said
dialogue-consulted-level = Who may read this consultation
dialogue-add-consultation = Record the consultation
dialogue-add-item = Add an agenda item
dialogue-error-attribution = A speaker is named only with their consent: tick that they consented, or leave the note unattributed.
dialogue-error-off-record = An off-the-record item is kept for named people only.
dialogue-notes-lead = What happened in this round, under the Chatham House rule: what was said may be used, not who said it, unless the speaker agreed to be named. Texts are kept encrypted.
dialogue-notes-none = None yet.
dialogue-notes-decision = Decisions
dialogue-notes-action = Action points
dialogue-notes-note = Notes
dialogue-notes-off_record = Off the record
dialogue-note-kind = Kind
dialogue-note-kind-note = Note
dialogue-note-kind-off_record = Off the record
dialogue-note-kind-decision = Decision
dialogue-note-kind-action = Action point
dialogue-note-body = What was said or agreed
dialogue-speaker = Said by
dialogue-speaker-hint = Only with the speaker's consent; otherwise leave it unattributed.
dialogue-speaker-consented = The speaker agreed to be named
dialogue-unattributed = unattributed
dialogue-action-owner = Who does it (for an action point)
dialogue-due = due
dialogue-note-level-hint = Off-the-record items are always kept for named people only.
dialogue-add-note = Add to the record of this round
dialogue-mark-done = Mark done
dialogue-reopen = Reopen
dialogue-error-participant-level = A participant's name is kept for organisers at least, and never below the series' own level.
dialogue-attributed-hidden = attributed, to someone whose name you may not see
dialogue-too-small = { $n ->
    [one] One person on the roster: too few to judge any share. Warnings start at four.
   *[other] { $n } people on the roster: too few to judge any share. Warnings start at four.
}
