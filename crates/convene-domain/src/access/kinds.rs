//! Every kind of record, declared once: the name stored in `records.kind` and
//! whether the kind may be kept for named people only.

/// A kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecordKind {
    /// The value of `records.kind`.
    pub name: &'static str,
    /// Whether a record of this kind may be named-people-only. Kinds that people
    /// outside the named few must reach to take part (a poll answered by the
    /// public or by invitation, a conversation voted on) may not.
    pub named_allowed: bool,
}

pub const CONCERN: RecordKind = RecordKind {
    name: "concern",
    named_allowed: true,
};
pub const ACTIVITY: RecordKind = RecordKind {
    name: "activity",
    named_allowed: true,
};
pub const CONTACT: RecordKind = RecordKind {
    name: "contact",
    named_allowed: true,
};
pub const CONVERSATION: RecordKind = RecordKind {
    name: "conversation",
    named_allowed: false,
};
pub const POLL: RecordKind = RecordKind {
    name: "poll",
    named_allowed: false,
};
pub const ACTOR_WAVE: RecordKind = RecordKind {
    name: "actor_wave",
    named_allowed: true,
};
pub const ACTOR: RecordKind = RecordKind {
    name: "actor",
    named_allowed: true,
};
pub const ACTOR_OBSERVATION: RecordKind = RecordKind {
    name: "actor_obs",
    named_allowed: true,
};
pub const ACTOR_TIE: RecordKind = RecordKind {
    name: "actor_tie",
    named_allowed: true,
};

pub const ORGANISATION: RecordKind = RecordKind {
    name: "organisation",
    named_allowed: true,
};

pub const AGREEMENT: RecordKind = RecordKind {
    name: "agreement",
    named_allowed: false,
};

pub const COALITION: RecordKind = RecordKind {
    name: "coalition",
    named_allowed: true,
};

pub const AGENDA_ROUND: RecordKind = RecordKind {
    name: "agenda_round",
    named_allowed: false,
};

pub const JOINT_ACTION: RecordKind = RecordKind {
    name: "joint_action",
    named_allowed: true,
};

/// A campaign's progress update: read by the public it is written for, so never
/// for named people only.
pub const CAMPAIGN_UPDATE: RecordKind = RecordKind {
    name: "campaign_update",
    named_allowed: false,
};

/// A campaign's pledge: signed by the public it is for, so never for named people
/// only.
pub const CAMPAIGN_PLEDGE: RecordKind = RecordKind {
    name: "campaign_pledge",
    named_allowed: false,
};

/// A representative the public may write to (elected or community): a public
/// figure in the campaign's public, so never for named people only.
pub const CAMPAIGN_REPRESENTATIVE: RecordKind = RecordKind {
    name: "campaign_representative",
    named_allowed: false,
};

/// A call to action (confidence-building measures people sign up for): for a
/// public, so never for named people only.
pub const CAMPAIGN_CALL: RecordKind = RecordKind {
    name: "campaign_call",
    named_allowed: false,
};

/// What someone who signed up for a call reports they did: kept for the
/// organisers until they publish it.
pub const CAMPAIGN_REPORT: RecordKind = RecordKind {
    name: "campaign_report",
    named_allowed: false,
};

/// A Track II dialogue series (its rounds, steps and risk register hang off it):
/// may be kept for named conveners only.
pub const DIALOGUE_SERIES: RecordKind = RecordKind {
    name: "dialogue_series",
    named_allowed: true,
};

/// A consultation behind a dialogue's agenda item: who was consulted is for
/// named people only by default.
pub const DIALOGUE_CONSULTATION: RecordKind = RecordKind {
    name: "dialogue_consultation",
    named_allowed: true,
};

/// What happened in a dialogue round (a note, an off-the-record item, a decision,
/// an action point); off-the-record items are for named people only.
pub const DIALOGUE_NOTE: RecordKind = RecordKind {
    name: "dialogue_note",
    named_allowed: true,
};

/// Every kind.
pub const ALL: [RecordKind; 22] = [
    CONCERN,
    ACTIVITY,
    CONTACT,
    CONVERSATION,
    POLL,
    ACTOR_WAVE,
    ACTOR,
    ACTOR_OBSERVATION,
    ACTOR_TIE,
    ORGANISATION,
    AGREEMENT,
    COALITION,
    AGENDA_ROUND,
    JOINT_ACTION,
    CAMPAIGN_UPDATE,
    CAMPAIGN_PLEDGE,
    CAMPAIGN_REPRESENTATIVE,
    CAMPAIGN_CALL,
    CAMPAIGN_REPORT,
    DIALOGUE_SERIES,
    DIALOGUE_CONSULTATION,
    DIALOGUE_NOTE,
];

impl RecordKind {
    /// The kind stored as `name`.
    pub fn by_name(name: &str) -> Option<RecordKind> {
        ALL.into_iter().find(|k| k.name == name)
    }
}
