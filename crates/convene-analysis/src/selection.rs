//! The selection board of a Track II round: the roster's make-up and the warnings a
//! convener should weigh before inviting it (see docs/track2.md for each definition
//! and its source).
//!
//! Every figure is computed from pseudonymous rows: no name, institution or vote
//! reaches this module, only categories, keyed hashes and aggregate agreement.
//!
//! - **Elite capture**: the share of invitees who are politicians or senior members
//!   of government, security or the retired-official circle, and the largest share
//!   held by one institution.
//! - **Echo chamber**: the mean pairwise agreement of invitees on the statements of
//!   the series' opinion conversations both voted on, and the largest share of
//!   invitees in one community of the actor map.
//! - **Self-replication**: the share who attended the series' previous round, and
//!   the share nominated by an earlier participant tied to them in the actor map.
//! - **Balance**: women, under-30s, each side and each sector against the series'
//!   targets.

use std::collections::BTreeMap;

use serde::Serialize;

/// One invitee, as the board sees them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Member {
    /// `politician`, `retired_official`, `security`, `business`, `media`,
    /// `civil_society`, `academia`, `religious`, `other`.
    pub sector: String,
    /// `junior`, `mid`, `senior`.
    pub seniority: String,
    /// `woman`, `man`, `other`, `undisclosed`.
    pub gender: String,
    /// `under_30`, `30_44`, `45_59`, `60_plus`, `undisclosed`.
    pub age_band: String,
    /// The side (delegation) as the series names it.
    pub side: String,
    /// A keyed hash of the institution, if any.
    pub institution: Option<String>,
    /// Attended the series' previous round.
    pub attended_previous: bool,
    /// Nominated by an earlier participant of the series.
    pub nominated_by_earlier: bool,
    /// … who has a tie with them in the actor map.
    pub nominator_tied: bool,
    /// Their community in the actor map, if they are on it.
    pub community: Option<usize>,
}

/// The pairwise agreement of invitees on opinion statements, as an aggregate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Agreement {
    /// The mean, over pairs compared, of the share of statements both voted on
    /// (agree or disagree) where they voted the same.
    pub mean: f64,
    /// Pairs with enough statements in common to be compared.
    pub pairs: usize,
    /// Invitees in at least one pair compared.
    pub voters: usize,
}

/// The thresholds and targets a series sets (shares between 0 and 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Thresholds {
    pub elite_max: f64,
    pub institution_max: f64,
    pub agreement_max: f64,
    pub community_max: f64,
    pub repeat_max: f64,
    pub network_nomination_max: f64,
    pub women_min: f64,
    pub youth_min: f64,
    /// The least share each side should hold.
    pub side_min: f64,
    /// The most share one sector should hold.
    pub sector_max: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            elite_max: 0.4,
            institution_max: 0.25,
            agreement_max: 0.8,
            community_max: 0.7,
            repeat_max: 0.6,
            network_nomination_max: 0.5,
            women_min: 0.3,
            youth_min: 0.1,
            side_min: 0.4,
            sector_max: 0.4,
        }
    }
}

/// The fewest invitees for which shares are judged at all (below it every share is
/// a matter of one or two people, and the board shows the make-up only).
pub const MIN_ROSTER: usize = 4;
/// The fewest statements two invitees must both have voted on to be compared.
pub const MIN_COMMON_STATEMENTS: usize = 5;
/// The fewest voters, and the fewest invitees on the actor map, for the echo
/// chamber's figures to be judged.
pub const MIN_LINKED: usize = 3;

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum WarningKind {
    EliteCapture,
    OneInstitution,
    EchoVotes,
    EchoCommunity,
    Repeat,
    NetworkNomination,
    FewWomen,
    FewYouth,
    SideShare,
    SectorShare,
}

impl WarningKind {
    /// A stable code, used for translations and tests.
    pub fn code(self) -> &'static str {
        match self {
            WarningKind::EliteCapture => "elite-capture",
            WarningKind::OneInstitution => "one-institution",
            WarningKind::EchoVotes => "echo-votes",
            WarningKind::EchoCommunity => "echo-community",
            WarningKind::Repeat => "self-replication",
            WarningKind::NetworkNomination => "network-nomination",
            WarningKind::FewWomen => "few-women",
            WarningKind::FewYouth => "few-youth",
            WarningKind::SideShare => "side-share",
            WarningKind::SectorShare => "sector-share",
        }
    }

    /// The family the warning belongs to.
    pub fn family(self) -> &'static str {
        match self {
            WarningKind::EliteCapture | WarningKind::OneInstitution => "elite",
            WarningKind::EchoVotes | WarningKind::EchoCommunity => "echo",
            WarningKind::Repeat | WarningKind::NetworkNomination => "replication",
            _ => "balance",
        }
    }
}

/// One explained warning: its figure, the threshold it crossed, and the count
/// behind the figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub kind: WarningKind,
    /// The measured share (or mean agreement), between 0 and 1.
    pub figure: f64,
    pub threshold: f64,
    /// How many invitees (or pairs) the figure counts, and out of how many.
    pub count: usize,
    pub of: usize,
    /// The category concerned, where there is one (a side, a sector).
    pub category: Option<String>,
}

/// The roster's make-up: counts by category.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Makeup {
    pub total: usize,
    pub by_side: BTreeMap<String, usize>,
    pub by_sector: BTreeMap<String, usize>,
    pub by_gender: BTreeMap<String, usize>,
    pub by_age: BTreeMap<String, usize>,
    pub by_seniority: BTreeMap<String, usize>,
}

/// The board: make-up and warnings (most serious family first).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Board {
    pub makeup: Makeup,
    pub warnings: Vec<Warning>,
    /// The figures that could not be judged for lack of data, by code.
    pub not_judged: Vec<WarningKind>,
    /// The roster is under [`MIN_ROSTER`]: nothing is judged.
    pub too_small: bool,
}

/// Whether an invitee counts towards elite capture.
pub fn is_elite(m: &Member) -> bool {
    m.sector == "politician"
        || (m.seniority == "senior" && matches!(m.sector.as_str(), "retired_official" | "security"))
}

fn share(count: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        count as f64 / of as f64
    }
}

fn tally<'a>(it: impl Iterator<Item = &'a str>) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for k in it {
        *m.entry(k.to_string()).or_insert(0) += 1;
    }
    m
}

/// Mean pairwise agreement from each voter's votes (statement → +1 agree, -1
/// disagree, 0 pass). Passes are not compared; pairs with fewer than
/// [`MIN_COMMON_STATEMENTS`] statements in common are left out.
pub fn pairwise_agreement(votes: &[BTreeMap<i64, i8>]) -> Agreement {
    let mut compared = vec![false; votes.len()];
    let mut sum = 0.0;
    let mut pairs = 0;
    for (i, a) in votes.iter().enumerate() {
        for (j, b) in votes.iter().enumerate().skip(i + 1) {
            let mut common = 0usize;
            let mut same = 0usize;
            for (s, va) in a {
                if *va == 0 {
                    continue;
                }
                if let Some(vb) = b.get(s).filter(|v| **v != 0) {
                    common += 1;
                    if vb == va {
                        same += 1;
                    }
                }
            }
            if common >= MIN_COMMON_STATEMENTS {
                sum += share(same, common);
                pairs += 1;
                compared[i] = true;
                compared[j] = true;
            }
        }
    }
    Agreement {
        mean: if pairs == 0 { 0.0 } else { sum / pairs as f64 },
        pairs,
        voters: compared.iter().filter(|c| **c).count(),
    }
}

/// The board for a roster.
pub fn board(
    roster: &[Member],
    sides: &[String],
    agreement: Option<Agreement>,
    t: &Thresholds,
) -> Board {
    let n = roster.len();
    let makeup = Makeup {
        total: n,
        by_side: tally(roster.iter().map(|m| m.side.as_str())),
        by_sector: tally(roster.iter().map(|m| m.sector.as_str())),
        by_gender: tally(roster.iter().map(|m| m.gender.as_str())),
        by_age: tally(roster.iter().map(|m| m.age_band.as_str())),
        by_seniority: tally(roster.iter().map(|m| m.seniority.as_str())),
    };
    let mut warnings = Vec::new();
    let mut not_judged = Vec::new();
    let mut above = |kind, count: usize, of: usize, threshold: f64, category: Option<String>| {
        let figure = share(count, of);
        if figure > threshold {
            warnings.push(Warning {
                kind,
                figure,
                threshold,
                count,
                of,
                category,
            });
        }
    };
    if n < MIN_ROSTER {
        return Board {
            makeup,
            warnings: vec![],
            not_judged: vec![],
            too_small: true,
        };
    }
    // Elite capture.
    above(
        WarningKind::EliteCapture,
        roster.iter().filter(|m| is_elite(m)).count(),
        n,
        t.elite_max,
        None,
    );
    let institutions = tally(roster.iter().filter_map(|m| m.institution.as_deref()));
    if let Some((_, top)) = institutions.iter().max_by_key(|(_, c)| **c) {
        // The institution itself is never named here: only its share.
        above(
            WarningKind::OneInstitution,
            *top,
            n,
            t.institution_max,
            None,
        );
    }
    // Self-replication.
    above(
        WarningKind::Repeat,
        roster.iter().filter(|m| m.attended_previous).count(),
        n,
        t.repeat_max,
        None,
    );
    above(
        WarningKind::NetworkNomination,
        roster
            .iter()
            .filter(|m| m.nominated_by_earlier && m.nominator_tied)
            .count(),
        n,
        t.network_nomination_max,
        None,
    );
    // Balance.
    let women = roster.iter().filter(|m| m.gender == "woman").count();
    let youth = roster.iter().filter(|m| m.age_band == "under_30").count();
    let mut below = |kind, count: usize, threshold: f64, category: Option<String>| {
        let figure = share(count, n);
        if figure < threshold {
            warnings.push(Warning {
                kind,
                figure,
                threshold,
                count,
                of: n,
                category,
            });
        }
    };
    below(WarningKind::FewWomen, women, t.women_min, None);
    below(WarningKind::FewYouth, youth, t.youth_min, None);
    for side in sides {
        let c = roster.iter().filter(|m| &m.side == side).count();
        below(WarningKind::SideShare, c, t.side_min, Some(side.clone()));
    }
    for (sector, c) in &makeup.by_sector {
        let figure = share(*c, n);
        if figure > t.sector_max {
            warnings.push(Warning {
                kind: WarningKind::SectorShare,
                figure,
                threshold: t.sector_max,
                count: *c,
                of: n,
                category: Some(sector.clone()),
            });
        }
    }
    // Echo chamber.
    match agreement {
        Some(a) if a.voters >= MIN_LINKED && a.pairs > 0 => {
            if a.mean > t.agreement_max {
                warnings.push(Warning {
                    kind: WarningKind::EchoVotes,
                    figure: a.mean,
                    threshold: t.agreement_max,
                    count: a.pairs,
                    of: a.voters,
                    category: None,
                });
            }
        }
        _ => not_judged.push(WarningKind::EchoVotes),
    }
    let on_map: Vec<usize> = roster.iter().filter_map(|m| m.community).collect();
    if on_map.len() >= MIN_LINKED {
        let mut by: BTreeMap<usize, usize> = BTreeMap::new();
        for c in &on_map {
            *by.entry(*c).or_insert(0) += 1;
        }
        let top = by.values().copied().max().unwrap_or(0);
        let figure = share(top, on_map.len());
        if figure > t.community_max {
            warnings.push(Warning {
                kind: WarningKind::EchoCommunity,
                figure,
                threshold: t.community_max,
                count: top,
                of: on_map.len(),
                category: None,
            });
        }
    } else {
        not_judged.push(WarningKind::EchoCommunity);
    }
    warnings.sort_by_key(|w| w.kind);
    Board {
        makeup,
        warnings,
        not_judged,
        too_small: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(sector: &str, seniority: &str, gender: &str, side: &str) -> Member {
        Member {
            sector: sector.into(),
            seniority: seniority.into(),
            gender: gender.into(),
            age_band: "30_44".into(),
            side: side.into(),
            ..Member::default()
        }
    }

    fn sides() -> Vec<String> {
        vec!["Veluna".into(), "Kestria".into()]
    }

    /// A roster that should raise nothing: mixed sectors, both sides, women, youth.
    fn balanced() -> Vec<Member> {
        let mut r = vec![
            m("civil_society", "mid", "woman", "Veluna"),
            m("academia", "senior", "man", "Veluna"),
            m("media", "mid", "woman", "Veluna"),
            m("retired_official", "senior", "man", "Veluna"),
            m("business", "mid", "man", "Kestria"),
            m("civil_society", "junior", "woman", "Kestria"),
            m("religious", "senior", "man", "Kestria"),
            m("academia", "mid", "woman", "Kestria"),
        ];
        r[5].age_band = "under_30".into();
        for (i, x) in r.iter_mut().enumerate() {
            x.institution = Some(format!("inst-{i}"));
            x.community = Some(i % 3);
        }
        r
    }

    fn kinds(b: &Board) -> Vec<WarningKind> {
        b.warnings.iter().map(|w| w.kind).collect()
    }

    #[test]
    fn a_balanced_roster_raises_nothing() {
        let b = board(&balanced(), &sides(), None, &Thresholds::default());
        assert_eq!(kinds(&b), vec![]);
        assert_eq!(b.makeup.total, 8);
        assert_eq!(b.makeup.by_side.get("Veluna"), Some(&4));
        assert_eq!(b.not_judged, vec![WarningKind::EchoVotes]);
    }

    #[test]
    fn elite_capture_by_seniority_and_by_institution() {
        let mut r = balanced();
        for x in r.iter_mut().take(4) {
            x.sector = "politician".into();
        }
        let b = board(&r, &sides(), None, &Thresholds::default());
        let w = b
            .warnings
            .iter()
            .find(|w| w.kind == WarningKind::EliteCapture);
        // The first four become politicians (the senior retired official among them).
        assert_eq!(w.map(|w| (w.count, w.of)), Some((4, 8)));
        // A junior security officer is not elite; a senior one is.
        assert!(!is_elite(&m("security", "junior", "man", "Veluna")));
        assert!(is_elite(&m("security", "senior", "man", "Veluna")));

        let mut r = balanced();
        for x in r.iter_mut().take(3) {
            x.institution = Some("ministry".into());
        }
        let b = board(&r, &sides(), None, &Thresholds::default());
        let w = b
            .warnings
            .iter()
            .find(|w| w.kind == WarningKind::OneInstitution)
            .expect("three of eight from one institution");
        assert_eq!((w.count, w.of), (3, 8));
        assert!(w.category.is_none(), "the institution is never named");
        // Two of eight (25 %) is at the threshold, not above it.
        let mut r = balanced();
        r[0].institution = Some("ministry".into());
        r[1].institution = Some("ministry".into());
        let b = board(&r, &sides(), None, &Thresholds::default());
        assert!(!kinds(&b).contains(&WarningKind::OneInstitution));
    }

    #[test]
    fn echo_chamber_from_votes_and_from_communities() {
        // Five voters who agree on everything; and five who split.
        let same: BTreeMap<i64, i8> = (1..=6).map(|s| (s, 1)).collect();
        let alike = pairwise_agreement(&vec![same.clone(); 5]);
        assert_eq!((alike.pairs, alike.voters), (10, 5));
        assert!((alike.mean - 1.0).abs() < 1e-12);
        let b = board(&balanced(), &sides(), Some(alike), &Thresholds::default());
        assert!(kinds(&b).contains(&WarningKind::EchoVotes));

        let mut mixed = Vec::new();
        for i in 0..5i64 {
            mixed.push(
                (1..=6)
                    .map(|s| (s, if (s + i) % 2 == 0 { 1 } else { -1 }))
                    .collect::<BTreeMap<_, _>>(),
            );
        }
        let split = pairwise_agreement(&mixed);
        assert!(split.mean < 0.8, "{split:?}");
        let b = board(&balanced(), &sides(), Some(split), &Thresholds::default());
        assert!(!kinds(&b).contains(&WarningKind::EchoVotes));
        assert!(!b.not_judged.contains(&WarningKind::EchoVotes));

        // Two voters alone are one pair: not enough to judge.
        let two = pairwise_agreement(&vec![same.clone(); 2]);
        assert_eq!((two.pairs, two.voters), (1, 2));
        let b = board(&balanced(), &sides(), Some(two), &Thresholds::default());
        assert!(b.not_judged.contains(&WarningKind::EchoVotes));

        // Too few statements in common: not compared, not judged.
        let few: BTreeMap<i64, i8> = (1..=4).map(|s| (s, 1)).collect();
        let thin = pairwise_agreement(&vec![few; 5]);
        assert_eq!((thin.pairs, thin.voters), (0, 0));
        let b = board(&balanced(), &sides(), Some(thin), &Thresholds::default());
        assert!(b.not_judged.contains(&WarningKind::EchoVotes));

        // Seven of eight in one community of the actor map.
        let mut r = balanced();
        for x in r.iter_mut().take(7) {
            x.community = Some(2);
        }
        let b = board(&r, &sides(), None, &Thresholds::default());
        let w = b
            .warnings
            .iter()
            .find(|w| w.kind == WarningKind::EchoCommunity)
            .expect("one community");
        assert_eq!((w.count, w.of), (7, 8));
        // Off the map, it is not judged.
        for x in r.iter_mut() {
            x.community = None;
        }
        let b = board(&r, &sides(), None, &Thresholds::default());
        assert!(b.not_judged.contains(&WarningKind::EchoCommunity));
    }

    #[test]
    fn self_replication_by_attendance_and_by_nomination() {
        let mut r = balanced();
        for x in r.iter_mut().take(5) {
            x.attended_previous = true;
        }
        let b = board(&r, &sides(), None, &Thresholds::default());
        assert!(kinds(&b).contains(&WarningKind::Repeat));
        let mut r = balanced();
        for x in r.iter_mut().take(4) {
            x.attended_previous = true;
        }
        assert!(!kinds(&board(&r, &sides(), None, &Thresholds::default()))
            .contains(&WarningKind::Repeat));

        let mut r = balanced();
        for x in r.iter_mut().take(5) {
            x.nominated_by_earlier = true;
            x.nominator_tied = true;
        }
        assert!(kinds(&board(&r, &sides(), None, &Thresholds::default()))
            .contains(&WarningKind::NetworkNomination));
        // Nominated by earlier participants who are not their network: fine.
        for x in r.iter_mut() {
            x.nominator_tied = false;
        }
        assert!(!kinds(&board(&r, &sides(), None, &Thresholds::default()))
            .contains(&WarningKind::NetworkNomination));
    }

    #[test]
    fn balance_of_women_youth_sides_and_sectors() {
        let mut r = balanced();
        for x in r.iter_mut() {
            x.gender = "man".into();
            x.age_band = "45_59".into();
            x.side = "Veluna".into();
            x.sector = "academia".into();
        }
        let b = board(&r, &sides(), None, &Thresholds::default());
        let k = kinds(&b);
        for want in [
            WarningKind::FewWomen,
            WarningKind::FewYouth,
            WarningKind::SideShare,
            WarningKind::SectorShare,
        ] {
            assert!(k.contains(&want), "{want:?} in {k:?}");
        }
        let side = b
            .warnings
            .iter()
            .find(|w| w.kind == WarningKind::SideShare)
            .and_then(|w| w.category.clone());
        assert_eq!(side.as_deref(), Some("Kestria"));
    }

    #[test]
    fn a_tiny_roster_is_not_judged() {
        let r: Vec<Member> = balanced().into_iter().take(3).collect();
        let b = board(&r, &sides(), None, &Thresholds::default());
        assert!(b.warnings.is_empty());
        assert!(b.too_small);
        assert!(!board(&balanced(), &sides(), None, &Thresholds::default()).too_small);
    }

    proptest! {
        #[test]
        fn agreement_is_a_share_and_symmetric(
            votes in proptest::collection::vec(
                proptest::collection::btree_map(0i64..12, -1i8..=1, 0..12), 0..8)
        ) {
            let a = pairwise_agreement(&votes);
            prop_assert!((0.0..=1.0).contains(&a.mean));
            let mut rev = votes.clone();
            rev.reverse();
            let b = pairwise_agreement(&rev);
            prop_assert_eq!(a.pairs, b.pairs);
            prop_assert!((a.mean - b.mean).abs() < 1e-9);
            let n = votes.len();
            prop_assert!(a.pairs <= n * n.saturating_sub(1) / 2);
        }

        #[test]
        fn every_warning_crosses_its_threshold(
            rows in proptest::collection::vec(
                (0usize..9, 0usize..3, 0usize..4, 0usize..2, any::<bool>(), 0usize..4), 0..20)
        ) {
            const SECTORS: [&str; 9] = ["politician", "retired_official", "security", "business",
                "media", "civil_society", "academia", "religious", "other"];
            const SEN: [&str; 3] = ["junior", "mid", "senior"];
            const GEN: [&str; 4] = ["woman", "man", "other", "undisclosed"];
            let r: Vec<Member> = rows.iter().map(|(s, se, g, side, prev, inst)| Member {
                sector: SECTORS[*s].into(),
                seniority: SEN[*se].into(),
                gender: GEN[*g].into(),
                age_band: "30_44".into(),
                side: ["Veluna", "Kestria"][*side].into(),
                institution: Some(format!("i{inst}")),
                attended_previous: *prev,
                ..Member::default()
            }).collect();
            let t = Thresholds::default();
            let b = board(&r, &sides(), None, &t);
            prop_assert_eq!(b.makeup.total, r.len());
            for w in &b.warnings {
                prop_assert!(w.count <= w.of);
                match w.kind {
                    WarningKind::FewWomen | WarningKind::FewYouth | WarningKind::SideShare =>
                        prop_assert!(w.figure < w.threshold),
                    _ => prop_assert!(w.figure > w.threshold),
                }
            }
        }
    }
}
