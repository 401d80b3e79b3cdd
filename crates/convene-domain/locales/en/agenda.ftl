# Collaborative agenda-setting.
agenda-title = Agenda rounds
agenda-lead = Stakeholder groups and the public propose what a negotiation or dialogue should take up, and support or object; each side and each group weighs the same. A closed round becomes a brief for the mediator.
agenda-none = No agenda round yet.
agenda-open = open for proposals
agenda-closed = closed
agenda-brief = Agenda brief
agenda-add = Open an agenda round
agenda-round-name = What the agenda is for (a negotiation, a dialogue)
agenda-round-question = The question put to participants
agenda-sms-keyword = by SMS: text { $keyword }
agenda-taking-part = Taking part
agenda-items = Proposed items, ranked
agenda-rank-explained = The rank is group-aware: each side counts the same, and within a side each stakeholder group counts the same, whatever its size. Members of the public together count as one group.
agenda-no-items = No items yet.
agenda-sides-for = Sides in favour
agenda-sides-against = Sides against
agenda-supported-by = Supported by
agenda-dissent = Dissent
agenda-from = Comes from
agenda-proposed-by = Proposed by
agenda-merged = Includes the duplicates
agenda-you-support = You support this item.
agenda-you-object = You object to this item.
agenda-for = On behalf of
agenda-for-myself = Myself
agenda-note = Note (optional)
agenda-support = Support
agenda-object = Object
agenda-propose = Propose an item
agenda-proposed-pending = Thank you. Your item waits for the organisers before it joins the list.
agenda-item-title = The item
agenda-item-why = Why it matters (optional)
agenda-source-none = Nothing (a new proposal)
agenda-source-concern = Concern
agenda-source-poll = Poll result
agenda-source-statement = Opinion statement
agenda-pending = Waiting for moderation
agenda-no-pending = Nothing waits for moderation.
agenda-approve = Approve
agenda-reject = Reject
agenda-organise = Organise the round
agenda-merge-from = Duplicate item
agenda-merge-into = Merge into
agenda-merge = Merge
agenda-keyword = SMS keyword (public rounds only)
agenda-summary = Organisers' summary
agenda-close = Close the round and make the brief
agenda-back = Back to the round
agenda-brief-draft = Draft: the round is still open
agenda-closed-on = Closed on
agenda-brief-more = { $count ->
    [one] One further item is in the full brief (Markdown or JSON).
   *[other] { $count } further items are in the full brief (Markdown or JSON).
}
agenda-unnamed = { $count ->
    [one] 1 organisation not named
   *[other] { $count } organisations not named
}
agenda-public-count = { $count ->
    [one] 1 person of the public
   *[other] { $count } people of the public
}
agenda-groups = { $count ->
    [one] 1 group
   *[other] { $count } groups
}
agenda-score = Score
agenda-error-closed = This agenda round is closed.
agenda-error-source = Choose a concern, poll or statement you can see, or none.
agenda-error-merge-self = An item cannot be merged into itself.
