//! Demo data of the actor map: about sixty fictional actors of the Serran Valley
//! process over three waves, in the space `serran-valley`, at mixed levels.
//!
//! The story the analysis should tell: two camps (Veluna, Kestria) joined only
//! through Mother Ilsa Maren (a broker: removing her splits the network) and the
//! Serran Traders' Guild (a connector with positive ties into both camps);
//! General Haldor Vex is a spoiler (influence 5, attitude −3) whose funding ties
//! are visible to organisers only; the Kestrian Interior Ministry and the valley's
//! youth network move towards the process while Veluna's National Front hardens.

use crate::actors::{Envelope, Import, NewActor, NewObservation, NewTie, NewWave, Provenance};
use crate::error::Result;
use crate::model::{Level, User};
use crate::Db;

struct A {
    name: &'static str,
    kind: &'static str,
    tracks: &'static [u8],
    side: &'static str,
    tags: &'static [&'static str],
    level: Level,
    /// Attitude and influence in each of the three waves.
    att: [i8; 3],
    inf: [u8; 3],
}

const fn a(
    name: &'static str,
    kind: &'static str,
    tracks: &'static [u8],
    side: &'static str,
    tags: &'static [&'static str],
    att: [i8; 3],
    inf: [u8; 3],
) -> A {
    A {
        name,
        kind,
        tracks,
        side,
        tags,
        level: Level::Members,
        att,
        inf,
    }
}

const VELUNA: &str = "Veluna";
const KESTRIA: &str = "Kestria";
const VALLEY: &str = "Serran Valley";
const INTL: &str = "International";

fn actors() -> Vec<A> {
    let mut v = vec![
        // 0..=3: the key figures of the story.
        a(
            "Mother Ilsa Maren",
            "religious",
            &[7, 2],
            VALLEY,
            &["broker", "faith"],
            [2, 2, 3],
            [3, 4, 4],
        ),
        a(
            "Serran Traders' Guild",
            "business",
            &[3],
            VALLEY,
            &["trade", "connector"],
            [1, 2, 2],
            [3, 3, 4],
        ),
        A {
            level: Level::Organisers,
            ..a(
                "General Haldor Vex",
                "armed_group",
                &[1],
                KESTRIA,
                &["security"],
                [-3, -3, -2],
                [5, 5, 5],
            )
        },
        a(
            "Kestrian Interior Ministry",
            "state_body",
            &[1],
            KESTRIA,
            &["government"],
            [-1, 0, 1],
            [4, 4, 4],
        ),
        // 4..=7: more figures whose attitudes move.
        a(
            "Veluna National Front",
            "political_party",
            &[1, 9],
            VELUNA,
            &["opposition"],
            [1, -1, -2],
            [3, 4, 4],
        ),
        a(
            "Valley Youth Network",
            "community",
            &[4, 6],
            VALLEY,
            &["youth"],
            [0, 1, 2],
            [1, 2, 3],
        ),
        a(
            "Veluna Foreign Ministry",
            "state_body",
            &[1],
            VELUNA,
            &["government"],
            [1, 1, 2],
            [5, 5, 5],
        ),
        a(
            "Kestria Daily Herald",
            "media",
            &[9],
            KESTRIA,
            &["media"],
            [-1, -1, 0],
            [3, 3, 3],
        ),
    ];
    let veluna = [
        ("Veluna Chamber of Commerce", "business", 3u8),
        ("Veluna Women's Council", "community", 6),
        ("Bishop Aurel Tam", "religious", 7),
        ("Veluna Farmers' Union", "community", 4),
        ("Port Alder Municipality", "state_body", 1),
        ("Veluna Bar Association", "organisation", 2),
        ("Radio Veluna", "media", 9),
        ("Senator Petra Lund", "individual", 1),
        ("Veluna Peace Institute", "organisation", 5),
        ("Veluna Teachers' Guild", "community", 5),
        ("Colonel Ravi Ostrem", "armed_group", 1),
        ("Veluna Green Party", "political_party", 6),
        ("Imam Soren Adil", "religious", 7),
        ("Alder Shipping Company", "business", 3),
        ("Veluna Students' Union", "community", 6),
        ("Veluna Human Rights Watch", "organisation", 6),
        ("Veluna Refugee Council", "organisation", 4),
        ("Veluna Development Fund", "organisation", 8),
        ("Veluna Journalists' Union", "media", 9),
        ("Northern Clans Assembly", "community", 7),
        ("Veluna Mediation Centre", "organisation", 2),
        ("Veluna Water Authority", "state_body", 1),
    ];
    let kestria = [
        ("Kestria Merchants' League", "business", 3u8),
        ("Kestrian Mothers for Peace", "community", 6),
        ("Grand Mufti Halim Kest", "religious", 7),
        ("Kestria Highland Militia", "armed_group", 1),
        ("Kestria Border Council", "state_body", 1),
        ("Kestrian Unity Party", "political_party", 1),
        ("Kestria Broadcasting", "media", 9),
        ("Minister Dana Orlov", "individual", 1),
        ("Kestria Dialogue Forum", "organisation", 2),
        ("Kestria Miners' Union", "community", 4),
        ("Kestria Law Society", "organisation", 2),
        ("Kestrian Scholars' Circle", "organisation", 5),
        ("Kestria Relief Society", "organisation", 4),
        ("Highland Elders' Shura", "community", 7),
        ("Kestria Youth Parliament", "community", 4),
        ("Kestria Investment Bank", "business", 8),
        ("Kestria Teachers' Federation", "community", 5),
        ("Kestria Veterans' League", "community", 1),
        ("Kestria Women Lawyers", "organisation", 2),
        ("Kestrian Farmers' Cooperative", "business", 3),
        ("Kestria Public Radio", "media", 9),
        ("Kestria Reconciliation Office", "state_body", 1),
    ];
    let valley = [
        ("Serran Water Users' Association", "community", 4u8),
        ("Serran Valley Women's Network", "community", 6),
        ("Old Mill Interfaith Circle", "religious", 7),
        ("Serran Valley Radio", "media", 9),
    ];
    let intl = [
        ("Nordic Mediation Initiative", "international", 2u8),
        ("UN Serran Liaison Office", "international", 1),
        ("Regional Development Bank", "international", 8),
        ("Global Peace Fund", "international", 8),
    ];
    // Deterministic variety: attitudes and influence from the index.
    for (i, (name, kind, track)) in veluna.iter().enumerate() {
        let base = [1i8, 2, 0, 1, -1, 2][i % 6];
        let drift = if i % 5 == 0 { 1 } else { 0 };
        let inf = [1u8, 2, 3, 2, 1, 3][i % 6];
        let mut x = a(
            name,
            kind,
            &[],
            VELUNA,
            &[],
            [base, base, (base + drift).min(3)],
            [inf, inf, inf],
        );
        x.tracks = track_slice(*track);
        x.tags = if *kind == "community" {
            &["civil society"]
        } else {
            &[]
        };
        if *kind == "armed_group" {
            x.level = Level::Organisers;
            x.att = [-2, -2, -1];
            x.inf = [4, 4, 4];
        }
        v.push(x);
    }
    for (i, (name, kind, track)) in kestria.iter().enumerate() {
        let base = [0i8, 1, -1, 0, 2, -2][i % 6];
        let drift = if i % 4 == 1 { 1 } else { 0 };
        let inf = [2u8, 1, 3, 2, 2, 1][i % 6];
        let mut x = a(
            name,
            kind,
            &[],
            KESTRIA,
            &[],
            [base, (base + drift).min(3), (base + 2 * drift).min(3)],
            [inf, inf, inf],
        );
        x.tracks = track_slice(*track);
        x.tags = if *kind == "community" {
            &["civil society"]
        } else {
            &[]
        };
        if *kind == "armed_group" {
            x.att = [-3, -2, -2];
            x.inf = [4, 4, 3];
        }
        v.push(x);
    }
    for (name, kind, track) in valley {
        let mut x = a(
            name,
            kind,
            &[],
            VALLEY,
            &["civil society"],
            [1, 2, 2],
            [2, 2, 2],
        );
        x.tracks = track_slice(track);
        x.level = Level::Public;
        v.push(x);
    }
    for (name, kind, track) in intl {
        let mut x = a(name, kind, &[], INTL, &["donor"], [2, 2, 2], [3, 3, 3]);
        x.tracks = track_slice(track);
        x.level = Level::Public;
        v.push(x);
    }
    v
}

fn track_slice(t: u8) -> &'static [u8] {
    match t {
        1 => &[1],
        2 => &[2],
        3 => &[3],
        4 => &[4],
        5 => &[5],
        6 => &[6],
        7 => &[7],
        8 => &[8],
        _ => &[9],
    }
}

/// A tie in the demo: (a, b, kind, from wave, until wave exclusive or 3, level).
type T = (usize, usize, &'static str, usize, usize, Level);

fn ties(n_veluna: usize, n_kestria: usize) -> Vec<T> {
    let m = Level::Members;
    let v0 = 8;
    let k0 = v0 + n_veluna;
    let s0 = k0 + n_kestria;
    let mut t: Vec<T> = Vec::new();
    // Each camp: a ring and chords among its actors (and its key figures).
    let camp = |start: usize, n: usize, t: &mut Vec<T>, kinds: [&'static str; 3]| {
        for i in 0..n {
            t.push((start + i, start + (i + 1) % n, kinds[i % 3], 0, 3, m));
            if i % 3 == 0 {
                t.push((start + i, start + (i + 5) % n, kinds[(i + 1) % 3], 0, 3, m));
            }
        }
    };
    camp(
        v0,
        n_veluna,
        &mut t,
        ["cooperation", "communication", "alliance"],
    );
    camp(
        k0,
        n_kestria,
        &mut t,
        ["cooperation", "alliance", "communication"],
    );
    // Key figures inside their camps.
    for i in [0, 3, 6, 9] {
        t.push((6, v0 + i, "authority", 0, 3, m)); // Veluna Foreign Ministry
        t.push((3, k0 + i, "authority", 0, 3, m)); // Kestrian Interior Ministry
    }
    t.push((4, v0 + 1, "alliance", 0, 3, m)); // National Front
    t.push((4, v0 + 10, "alliance", 1, 3, m)); // ... with the colonel from wave 2
    t.push((7, k0 + 6, "cooperation", 0, 3, m)); // Herald
    t.push((7, 3, "communication", 0, 3, m));
    // The spoiler: commands the militia, funded by the bank (organisers only).
    t.push((2, k0 + 3, "authority", 0, 3, Level::Organisers));
    t.push((k0 + 15, 2, "funding", 0, 3, Level::Organisers));
    t.push((2, k0 + 5, "alliance", 0, 3, m));
    t.push((2, 3, "rivalry", 1, 3, m)); // the ministry turns against the general
    t.push((2, 5, "conflict", 0, 3, m));
    // The broker: the only bridge between the camps through the faith leaders.
    t.push((0, v0 + 2, "cooperation", 0, 3, m));
    t.push((0, v0 + 12, "communication", 0, 3, m));
    t.push((0, k0 + 2, "cooperation", 0, 3, m));
    t.push((0, k0 + 13, "communication", 1, 3, m));
    t.push((0, s0 + 2, "alliance", 0, 3, Level::Public));
    // The connector: trade ties into both camps, growing over the waves.
    t.push((1, v0, "cooperation", 0, 3, m));
    t.push((1, v0 + 13, "cooperation", 1, 3, m));
    t.push((1, k0, "cooperation", 0, 3, m));
    t.push((1, k0 + 15, "funding", 2, 3, m));
    // Youth network joins in wave 2; women's networks across the divide in wave 3.
    t.push((5, s0 + 1, "alliance", 1, 3, m));
    t.push((5, v0 + 14, "communication", 1, 3, m));
    t.push((5, k0 + 14, "communication", 2, 3, m));
    t.push((s0 + 1, v0 + 1, "alliance", 0, 3, m));
    t.push((s0 + 1, k0 + 1, "alliance", 2, 3, m));
    // Valley civil society and the international actors.
    t.push((s0, s0 + 3, "communication", 0, 3, Level::Public));
    t.push((s0 + 3, s0 + 1, "communication", 0, 3, Level::Public));
    t.push((s0 + 4, 0, "funding", 0, 3, Level::Organisers));
    t.push((s0 + 5, 6, "communication", 0, 3, m));
    t.push((s0 + 5, 3, "communication", 1, 3, m));
    t.push((s0 + 6, s0, "funding", 0, 3, Level::Public));
    t.push((s0 + 7, s0 + 1, "funding", 1, 3, Level::Public));
    // Rivalries across the divide; one ends in wave 3.
    t.push((4, k0 + 5, "rivalry", 0, 3, m));
    t.push((v0 + 10, k0 + 3, "conflict", 0, 3, m));
    t.push((v0 + 6, k0 + 6, "rivalry", 0, 2, m));
    t
}

const WAVES: [(&str, &str, &str); 3] = [
    (
        "January focus groups, Serran district",
        "2026-01-20",
        "Serran town",
    ),
    (
        "April interviews, Kestrian border",
        "2026-04-15",
        "Border villages",
    ),
    (
        "July focus groups, Serran district",
        "2026-07-10",
        "Serran town",
    ),
];

/// Seeds this part's demo data. `users` are the demo users, in the order of
/// [`super::DEMO_USERS`].
pub(crate) async fn seed(db: &Db, users: &[User]) -> Result<()> {
    let (Some(organiser), Some(focal)) = (users.get(1), users.get(3)) else {
        return Ok(());
    };
    let f = db.scope(Some(focal), "serran-valley").await?;
    let o = db.scope(Some(organiser), "serran-valley").await?;
    let list = actors();
    let n_veluna = list.iter().skip(8).filter(|x| x.side == VELUNA).count();
    let n_kestria = list.iter().skip(8).filter(|x| x.side == KESTRIA).count();
    let tie_list = ties(n_veluna, n_kestria);
    // First wave: the actors themselves, then each wave's observations and ties.
    let first = Import {
        actors: list
            .iter()
            .map(|x| {
                (
                    NewActor {
                        name: x.name.into(),
                        kind: x.kind.into(),
                        tracks: x.tracks.to_vec(),
                        side: x.side.into(),
                        location: if x.side == VALLEY {
                            "Serran town".into()
                        } else {
                            String::new()
                        },
                        tags: x.tags.iter().map(|t| t.to_string()).collect(),
                    },
                    Envelope::at(x.level),
                )
            })
            .collect(),
        ..Import::default()
    };
    db.import_actor_map(&f, first).await?;
    let map = db.actor_map(&o).await?;
    let id_of = |name: &str| map.actors.iter().find(|x| x.name == name).map(|x| x.id);
    let ids: Vec<i64> = list.iter().filter_map(|x| id_of(x.name)).collect();
    if ids.len() != list.len() {
        return Ok(());
    }
    for (w, (title, date, place)) in WAVES.iter().enumerate() {
        // The second wave is recorded by the organiser, the others by the focal point.
        let scope = if w == 1 { &o } else { &f };
        let wave = db
            .create_wave(
                scope,
                NewWave {
                    title: (*title).into(),
                    held_on: (*date).into(),
                    place: (*place).into(),
                },
                Envelope::at(Level::Members),
            )
            .await?;
        let source = if w == 1 { "interviews" } else { "focus group" };
        let prov = |confidence: &str| Provenance {
            wave_id: Some(wave),
            observed_on: (*date).into(),
            source: format!("{source}, {place}"),
            confidence: confidence.into(),
            supersedes: None,
        };
        let mut import = Import::default();
        for (i, x) in list.iter().enumerate() {
            let changed = w == 0 || x.att[w] != x.att[w - 1] || x.inf[w] != x.inf[w - 1];
            // Only the key figures are observed in every wave; others when they change
            // or every third actor, as focus groups cover part of the map.
            if !(changed || i < 8 || i % 3 == w) {
                continue;
            }
            let level = if i == 2 {
                Level::Organisers
            } else {
                x.level.max(Level::Members)
            };
            import.observations.push((
                NewObservation {
                    actor_id: ids[i],
                    attitude: Some(x.att[w]),
                    influence: Some(x.inf[w]),
                    interests: match x.kind {
                        "business" => "trade across the border".into(),
                        "armed_group" => "control of the valley roads".into(),
                        "religious" => "protection of holy sites".into(),
                        _ => String::new(),
                    },
                    values: match x.side {
                        VALLEY => vec!["faith".into(), "land".into()],
                        VELUNA => vec!["faith".into(), "sovereignty".into()],
                        KESTRIA => vec!["land".into(), "honour".into()],
                        _ => vec!["rule of law".into()],
                    },
                    positions: vec![(
                        "ceasefire".into(),
                        match x.att[w] {
                            a if a > 0 => "support",
                            0 => "neutral",
                            _ => "oppose",
                        }
                        .into(),
                    )],
                    prov: prov(if i < 8 { "high" } else { "medium" }),
                },
                Envelope::at(level),
            ));
        }
        for (s, t, kind, from, until, level) in &tie_list {
            let (Some(&sa), Some(&ta)) = (ids.get(*s), ids.get(*t)) else {
                continue;
            };
            let starts = w == *from;
            let ends = w == *until;
            if !(starts || ends) {
                continue;
            }
            import.ties.push((
                NewTie {
                    source_actor: sa,
                    target_actor: ta,
                    kind: (*kind).into(),
                    sign: crate::actors::default_sign(kind),
                    strength: if *kind == "alliance" || *kind == "authority" {
                        3
                    } else {
                        2
                    },
                    directed: matches!(*kind, "funding" | "authority"),
                    active: starts,
                    prov: prov("medium"),
                },
                Envelope::at(*level),
            ));
        }
        db.import_actor_map(scope, import).await?;
    }
    Ok(())
}
