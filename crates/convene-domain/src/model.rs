//! The domain vocabulary: roles, confidentiality levels, record kinds.

use serde::Serialize;

/// A member's role in a space. The role table in `docs/roles.md` says who may do what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub enum Role {
    Member,
    FocalPoint,
    Analyst,
    Organiser,
    Owner,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Organiser,
        Role::Analyst,
        Role::FocalPoint,
        Role::Member,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Organiser => "organiser",
            Role::Analyst => "analyst",
            Role::FocalPoint => "focal_point",
            Role::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The highest confidentiality level this role reads without being named.
    pub fn reads_up_to(self) -> Level {
        match self {
            Role::Owner | Role::Organiser => Level::Organisers,
            Role::Analyst | Role::FocalPoint | Role::Member => Level::Members,
        }
    }

    pub fn is_organiser(self) -> bool {
        matches!(self, Role::Owner | Role::Organiser)
    }

    pub fn may_manage_members(self) -> bool {
        self.is_organiser()
    }

    pub fn may_manage_settings(self) -> bool {
        self == Role::Owner
    }

    pub fn may_read_audit(self) -> bool {
        self.is_organiser()
    }

    pub fn may_export(self) -> bool {
        matches!(self, Role::Owner | Role::Organiser | Role::Analyst)
    }

    pub fn may_create(self, kind: Kind) -> bool {
        match kind {
            Kind::Concern | Kind::Activity => true,
            Kind::Contact => matches!(self, Role::Owner | Role::Organiser | Role::FocalPoint),
        }
    }
}

/// Confidentiality of a record, from the widest audience to the narrowest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Level {
    /// Anyone who may read the space: the public, if the space is public.
    Public = 0,
    /// Members of the space, whatever their role.
    Members = 1,
    /// Organisers and owners of the space.
    Organisers = 2,
    /// Only the people named on the record (its author always among them).
    Named = 3,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Public,
        Level::Members,
        Level::Organisers,
        Level::Named,
    ];

    pub fn as_i64(self) -> i64 {
        self as i64
    }

    pub fn from_i64(v: i64) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_i64() == v)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Public => "public",
            Level::Members => "members",
            Level::Organisers => "organisers",
            Level::Named => "named",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// The kinds of record the foundation knows. Later parts add their own kinds, each
/// stored as a row of `records` (the confidentiality envelope) plus a details table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Kind {
    /// A common concern raised by a stakeholder group.
    Concern,
    /// A local activity or joint action people can join.
    Activity,
    /// A person who is not a staff user (a dialogue participant, a contact); personal
    /// data encrypted at rest.
    Contact,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Concern, Kind::Activity, Kind::Contact];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Concern => "concern",
            Kind::Activity => "activity",
            Kind::Contact => "contact",
        }
    }

    /// The plural used in URLs.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Concern => "concerns",
            Kind::Activity => "activities",
            Kind::Contact => "contacts",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn from_slug(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.slug() == s)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub totp_enabled: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Space {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub is_public: bool,
    pub chatham_house: bool,
    pub require_totp: bool,
    pub suppression_threshold: i64,
    /// The IANA time zone activities' times are entered and shown in.
    pub time_zone: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

/// Kind-specific fields of a record.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum Detail {
    None,
    Activity {
        locality: String,
        starts_on: String,
        track: Option<i64>,
    },
    Contact {
        name: String,
        email: Option<String>,
        phone: Option<String>,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub id: i64,
    pub space_id: i64,
    pub kind: Kind,
    pub level: Level,
    /// `None` when the space runs under the Chatham House rule or the author is gone.
    pub author: Option<String>,
    /// The author's account, for the access policy only: never shown (in a Chatham
    /// House space nothing shown ties a record to its author) nor serialised.
    #[serde(skip)]
    pub author_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub detail: Detail,
}

/// What a caller supplies to create a record.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub kind: Kind,
    pub level: Level,
    pub title: String,
    pub body: String,
    pub detail: Detail,
    /// Users named on a `Level::Named` record besides the author.
    pub named: Vec<i64>,
}
