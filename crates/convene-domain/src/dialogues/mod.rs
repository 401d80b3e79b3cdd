//! Track II dialogues (docs/track2.md): a series run by conveners on each side, its
//! rounds and parallel formats, the five steps of an intervention as a checklist,
//! the series' conflict-sensitivity risk register, the pool of participants and,
//! for each round, the selection board that warns of elite capture, echo chambers
//! and self-replication.
//!
//! A series is a record (kind `dialogue_series`) and everything else hangs off it,
//! so the one visibility rule decides who sees it. A participant is a contact
//! record plus the attributes the board reads: a delegation's convener may keep
//! its contacts at the named-people level, and then another convener's board
//! counts them in every figure but shows them only by a pseudonym.

pub mod agenda;
mod board;
pub mod notes;
mod store;

use serde::{Deserialize, Serialize};

pub use board::{RosterRow, SelectionBoard};
pub use convene_analysis::selection::{Thresholds, Warning, WarningKind};

use crate::error::Invalid;
use crate::model::Level;

/// The formats a round may take: the core dialogue and its parallel events.
pub const FORMATS: [&str; 6] = [
    "core",
    "roundtable",
    "side_meeting",
    "focus_group",
    "youth",
    "women_led",
];
/// How a round meets.
pub const MODES: [&str; 3] = ["in_person", "online", "hybrid"];
/// The sectors participants come from.
pub const SECTORS: [&str; 9] = [
    "retired_official",
    "politician",
    "security",
    "business",
    "media",
    "civil_society",
    "academia",
    "religious",
    "other",
];
pub const GENDERS: [&str; 4] = ["woman", "man", "other", "undisclosed"];
pub const AGE_BANDS: [&str; 5] = ["under_30", "30_44", "45_59", "60_plus", "undisclosed"];
pub const SENIORITY: [&str; 3] = ["junior", "mid", "senior"];
/// Where a participant stands for a round.
pub const INVITE_STATUSES: [&str; 6] = [
    "proposed", "invited", "accepted", "declined", "attended", "absent",
];
/// The statuses that put someone on a round's roster (the board judges them).
pub const ON_ROSTER: [&str; 4] = ["proposed", "invited", "accepted", "attended"];
/// The five steps of a Track II intervention, in order.
pub const STEPS: [&str; 5] = ["assessment", "strategy", "design", "conduct", "follow_up"];

/// A new series.
#[derive(Debug, Clone)]
pub struct NewSeries {
    pub title: String,
    pub description: String,
    /// The sides (delegations), one per line, e.g. the two countries.
    pub sides: Vec<String>,
    pub level: Level,
    pub named: Vec<i64>,
}

/// A series as its readers see it.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub level: Level,
    pub sides: Vec<String>,
    pub thresholds: Thresholds,
    pub conversations: Vec<i64>,
    pub rounds: Vec<Round>,
    pub steps: Vec<Step>,
    pub risks: Vec<Risk>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Round {
    pub id: i64,
    pub format: String,
    pub held_on: String,
    pub city: String,
    pub mode: String,
    pub parent: Option<i64>,
    pub notes: String,
    /// The number among the series' rounds of its format (1, 2, …), by date.
    pub number: usize,
}

/// A new round or parallel event.
#[derive(Debug, Clone, Default)]
pub struct NewRound {
    pub format: String,
    pub held_on: String,
    pub city: String,
    pub mode: String,
    pub parent: Option<i64>,
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Step {
    pub step: usize,
    pub code: &'static str,
    pub done: bool,
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Risk {
    pub id: i64,
    pub risk: String,
    pub likelihood: i64,
    pub impact: i64,
    pub mitigation: String,
    pub owner: String,
    /// The round at which it was last reviewed.
    pub reviewed_round: Option<i64>,
}

impl Risk {
    /// Likelihood × impact (1–9).
    pub fn score(&self) -> i64 {
        self.likelihood * self.impact
    }
}

/// A new risk, or a review of one.
#[derive(Debug, Clone, Default)]
pub struct NewRisk {
    pub risk: String,
    pub likelihood: i64,
    pub impact: i64,
    pub mitigation: String,
    pub owner: String,
    pub reviewed_round: Option<i64>,
}

/// A new participant: the contact (name sealed, e-mail and phone optional) and
/// what the board reads.
#[derive(Debug, Clone)]
pub struct NewParticipant {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub side: String,
    pub sector: String,
    pub gender: String,
    pub age_band: String,
    pub seniority: String,
    /// Policy influence, 1 (little) to 3 (much).
    pub influence: i64,
    pub institution: String,
    pub nominated_by: Option<i64>,
    pub actor: Option<i64>,
    /// The contact's level; `Named` keeps the name to `named` and the author.
    pub level: Level,
    pub named: Vec<i64>,
}

/// A participant the viewer sees.
#[derive(Debug, Clone, Serialize)]
pub struct Participant {
    pub id: i64,
    pub contact_id: i64,
    pub name: String,
    pub side: String,
    pub sector: String,
    pub gender: String,
    pub age_band: String,
    pub seniority: String,
    pub influence: i64,
    pub institution: String,
    pub nominated_by: Option<i64>,
    pub actor: Option<i64>,
    pub withdrawn_on: Option<String>,
    pub level: Level,
    /// How many rounds of the series they attended.
    pub attended: i64,
}

/// The thresholds as a series stores them (JSON).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredThresholds {
    elite_max: f64,
    institution_max: f64,
    agreement_max: f64,
    community_max: f64,
    repeat_max: f64,
    network_nomination_max: f64,
    women_min: f64,
    youth_min: f64,
    side_min: f64,
    sector_max: f64,
}

impl From<&Thresholds> for StoredThresholds {
    fn from(t: &Thresholds) -> Self {
        StoredThresholds {
            elite_max: t.elite_max,
            institution_max: t.institution_max,
            agreement_max: t.agreement_max,
            community_max: t.community_max,
            repeat_max: t.repeat_max,
            network_nomination_max: t.network_nomination_max,
            women_min: t.women_min,
            youth_min: t.youth_min,
            side_min: t.side_min,
            sector_max: t.sector_max,
        }
    }
}

impl From<StoredThresholds> for Thresholds {
    fn from(s: StoredThresholds) -> Self {
        Thresholds {
            elite_max: s.elite_max,
            institution_max: s.institution_max,
            agreement_max: s.agreement_max,
            community_max: s.community_max,
            repeat_max: s.repeat_max,
            network_nomination_max: s.network_nomination_max,
            women_min: s.women_min,
            youth_min: s.youth_min,
            side_min: s.side_min,
            sector_max: s.sector_max,
        }
    }
}

/// The thresholds' fields, by name, for forms and validation.
pub fn threshold_fields(t: &Thresholds) -> [(&'static str, f64); 10] {
    [
        ("elite_max", t.elite_max),
        ("institution_max", t.institution_max),
        ("agreement_max", t.agreement_max),
        ("community_max", t.community_max),
        ("repeat_max", t.repeat_max),
        ("network_nomination_max", t.network_nomination_max),
        ("women_min", t.women_min),
        ("youth_min", t.youth_min),
        ("side_min", t.side_min),
        ("sector_max", t.sector_max),
    ]
}

/// Sets the named threshold; `false` if no threshold has that name.
pub fn set_threshold(t: &mut Thresholds, name: &str, v: f64) -> bool {
    let slot = match name {
        "elite_max" => &mut t.elite_max,
        "institution_max" => &mut t.institution_max,
        "agreement_max" => &mut t.agreement_max,
        "community_max" => &mut t.community_max,
        "repeat_max" => &mut t.repeat_max,
        "network_nomination_max" => &mut t.network_nomination_max,
        "women_min" => &mut t.women_min,
        "youth_min" => &mut t.youth_min,
        "side_min" => &mut t.side_min,
        "sector_max" => &mut t.sector_max,
        _ => return false,
    };
    *slot = v;
    true
}

fn problem(field: &'static str, key: &'static str) -> Invalid {
    Invalid { field, key }
}

fn bounded(s: &str, max: usize) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().count() <= max
}

/// The sides of a series from its form: one per line, trimmed, no repeats.
pub fn parse_sides(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.iter().any(|s| s.eq_ignore_ascii_case(l)) {
            out.push(l.to_string());
        }
    }
    out
}

pub(crate) fn validate_series(s: &NewSeries) -> Vec<Invalid> {
    let mut p = Vec::new();
    if !bounded(&s.title, 200) {
        p.push(problem("title", "error-required"));
    }
    if s.description.chars().count() > 5000 {
        p.push(problem("description", "error-too-long"));
    }
    if s.sides.len() < 2 || s.sides.len() > 6 || s.sides.iter().any(|x| x.chars().count() > 80) {
        p.push(problem("sides", "dialogue-error-sides"));
    }
    p
}

pub(crate) fn validate_round(r: &NewRound) -> Vec<Invalid> {
    let mut p = Vec::new();
    if !FORMATS.contains(&r.format.as_str()) {
        p.push(problem("format", "error-invalid"));
    }
    if !MODES.contains(&r.mode.as_str()) {
        p.push(problem("mode", "error-invalid"));
    }
    if !crate::records::valid_date(r.held_on.trim()) {
        p.push(problem("held_on", "error-date"));
    }
    if !bounded(&r.city, 120) {
        p.push(problem("city", "error-required"));
    }
    if r.notes.chars().count() > 5000 {
        p.push(problem("notes", "error-too-long"));
    }
    p
}

pub(crate) fn validate_risk(r: &NewRisk) -> Vec<Invalid> {
    let mut p = Vec::new();
    if !bounded(&r.risk, 1000) {
        p.push(problem("risk", "error-required"));
    }
    if !(1..=3).contains(&r.likelihood) {
        p.push(problem("likelihood", "dialogue-error-scale"));
    }
    if !(1..=3).contains(&r.impact) {
        p.push(problem("impact", "dialogue-error-scale"));
    }
    if r.mitigation.chars().count() > 2000 {
        p.push(problem("mitigation", "error-too-long"));
    }
    if r.owner.chars().count() > 120 {
        p.push(problem("owner", "error-too-long"));
    }
    p
}

pub(crate) fn validate_participant(n: &NewParticipant, sides: &[String]) -> Vec<Invalid> {
    let mut p = Vec::new();
    if !bounded(&n.name, 200) {
        p.push(problem("name", "error-required"));
    }
    if !sides.contains(&n.side) {
        p.push(problem("side", "dialogue-error-side"));
    }
    for (field, v, allowed) in [
        ("sector", &n.sector, &SECTORS[..]),
        ("gender", &n.gender, &GENDERS[..]),
        ("age_band", &n.age_band, &AGE_BANDS[..]),
        ("seniority", &n.seniority, &SENIORITY[..]),
    ] {
        if !allowed.contains(&v.as_str()) {
            p.push(problem(field, "error-invalid"));
        }
    }
    if !(1..=3).contains(&n.influence) {
        p.push(problem("influence", "dialogue-error-scale"));
    }
    if n.institution.chars().count() > 200 {
        p.push(problem("institution", "error-too-long"));
    }
    p
}

pub(crate) fn validate_thresholds(t: &Thresholds) -> Vec<Invalid> {
    let mut p = Vec::new();
    for (name, v) in threshold_fields(t) {
        if !(0.0..=1.0).contains(&v) || v.is_nan() {
            p.push(problem(
                match name {
                    "elite_max" => "elite_max",
                    "institution_max" => "institution_max",
                    "agreement_max" => "agreement_max",
                    "community_max" => "community_max",
                    "repeat_max" => "repeat_max",
                    "network_nomination_max" => "network_nomination_max",
                    "women_min" => "women_min",
                    "youth_min" => "youth_min",
                    "side_min" => "side_min",
                    _ => "sector_max",
                },
                "dialogue-error-share",
            ));
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_and_forms() {
        assert_eq!(
            parse_sides(" Veluna\n\nkestria\nKESTRIA\n"),
            vec!["Veluna", "kestria"]
        );
        let ok = NewSeries {
            title: "Border talks".into(),
            description: String::new(),
            sides: vec!["A".into(), "B".into()],
            level: Level::Organisers,
            named: vec![],
        };
        assert!(validate_series(&ok).is_empty());
        let one = NewSeries {
            sides: vec!["A".into()],
            ..ok.clone()
        };
        assert_eq!(validate_series(&one)[0].field, "sides");
        let mut t = Thresholds::default();
        assert!(validate_thresholds(&t).is_empty());
        assert!(set_threshold(&mut t, "women_min", 1.5));
        assert!(!set_threshold(&mut t, "nothing", 0.5));
        assert_eq!(validate_thresholds(&t)[0].field, "women_min");
        let r = NewRisk {
            risk: "Leak of the list".into(),
            likelihood: 4,
            impact: 2,
            ..NewRisk::default()
        };
        assert_eq!(validate_risk(&r)[0].field, "likelihood");
    }
}
