//! Track II series on every available engine: rounds, steps and the risk register
//! with bad input refused whole; the selection board's warnings, each from a
//! roster that should raise it and one that should not (the echo chamber from
//! opinion votes by SMS and from actor-map communities); split rosters counted
//! but not named.

use crate::common;
use crate::sms_flows::Fx;

use convene_domain::access::Envelope;
use convene_domain::actors::{NewActor, NewTie, Provenance};
use convene_domain::dialogues::{
    NewParticipant, NewRisk, NewRound, NewSeries, Thresholds, WarningKind,
};
use convene_domain::model::{Level, Role, User};
use convene_domain::spaces::Scope;
use convene_domain::{Db, Error};

async fn series(db: &Db, scope: &Scope) -> i64 {
    db.create_dialogue_series(
        scope,
        &NewSeries {
            title: "Veluna–Kestria dialogue".into(),
            description: "A bilateral Track II series.".into(),
            sides: vec!["Veluna".into(), "Kestria".into()],
            level: Level::Organisers,
            named: vec![],
        },
    )
    .await
    .unwrap()
}

async fn round(db: &Db, scope: &Scope, s: i64, format: &str, on: &str) -> i64 {
    db.add_dialogue_round(
        scope,
        s,
        &NewRound {
            format: format.into(),
            held_on: on.into(),
            city: "Serran".into(),
            mode: "in_person".into(),
            parent: None,
            notes: String::new(),
        },
    )
    .await
    .unwrap()
}

fn person(name: &str, side: &str, sector: &str, gender: &str) -> NewParticipant {
    NewParticipant {
        name: name.into(),
        email: None,
        phone: None,
        side: side.into(),
        sector: sector.into(),
        gender: gender.into(),
        age_band: "30_44".into(),
        seniority: "mid".into(),
        influence: 2,
        institution: format!("Institute of {name}"),
        nominated_by: None,
        actor: None,
        level: Level::Organisers,
        named: vec![],
    }
}

/// Eight people who should raise nothing: both sides, four women, one under 30,
/// no sector above 40 %, each from their own institution.
fn balanced() -> Vec<NewParticipant> {
    let mut v = vec![
        person("Amina Rauf", "Veluna", "civil_society", "woman"),
        person("Bilal Qadri", "Veluna", "academia", "man"),
        person("Chandra Iyer", "Veluna", "media", "woman"),
        person("Dawood Shah", "Veluna", "retired_official", "man"),
        person("Esra Kaya", "Kestria", "business", "man"),
        person("Farida Noor", "Kestria", "civil_society", "woman"),
        person("Gul Khan", "Kestria", "religious", "man"),
        person("Hina Malik", "Kestria", "academia", "woman"),
    ];
    v[3].seniority = "senior".into();
    v[5].age_band = "under_30".into();
    v
}

async fn add_all(db: &Db, scope: &Scope, s: i64, people: Vec<NewParticipant>) -> Vec<i64> {
    let mut ids = Vec::new();
    for p in people {
        ids.push(db.add_dialogue_participant(scope, s, &p).await.unwrap());
    }
    ids
}

async fn invite(db: &Db, scope: &Scope, s: i64, r: i64, ids: &[i64], status: &str) {
    for p in ids {
        db.set_dialogue_invite(scope, s, r, *p, status)
            .await
            .unwrap();
    }
}

async fn warnings(db: &Db, scope: &Scope, s: i64, r: i64) -> Vec<WarningKind> {
    db.selection_board(scope, s, r)
        .await
        .unwrap()
        .board
        .warnings
        .iter()
        .map(|w| w.kind)
        .collect()
}

async fn user(db: &Db, name: &str) -> User {
    db.create_user(
        &format!("{name}@example.org"),
        name,
        "a long enough password",
        false,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn series_rounds_steps_and_risks_refuse_bad_input_whole() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let scope = db.scope(Some(&fx.owner), "valley").await.unwrap();
        // One side is no bilateral series: refused, nothing made.
        let bad = db
            .create_dialogue_series(
                &scope,
                &NewSeries {
                    title: "Solo".into(),
                    description: String::new(),
                    sides: vec!["Veluna".into()],
                    level: Level::Organisers,
                    named: vec![],
                },
            )
            .await;
        assert!(
            matches!(&bad, Err(Error::Invalid(v)) if v[0].field == "sides"),
            "{bad:?}"
        );
        assert!(db.dialogue_series_list(&scope).await.unwrap().is_empty());

        let s = series(db, &scope).await;
        let r1 = round(db, &scope, s, "core", "2026-03-01").await;
        let youth = db
            .add_dialogue_round(
                &scope,
                s,
                &NewRound {
                    format: "youth".into(),
                    held_on: "2026-03-02".into(),
                    city: "Serran".into(),
                    mode: "hybrid".into(),
                    parent: Some(r1),
                    notes: String::new(),
                },
            )
            .await
            .unwrap();
        for (bad, field) in [
            (
                NewRound {
                    format: "core".into(),
                    held_on: "2026-02-30".into(),
                    city: "Serran".into(),
                    mode: "online".into(),
                    parent: None,
                    notes: String::new(),
                },
                "held_on",
            ),
            (
                NewRound {
                    format: "gala".into(),
                    held_on: "2026-04-01".into(),
                    city: "Serran".into(),
                    mode: "online".into(),
                    parent: None,
                    notes: String::new(),
                },
                "format",
            ),
            (
                NewRound {
                    format: "core".into(),
                    held_on: "2026-04-01".into(),
                    city: "Serran".into(),
                    mode: "online".into(),
                    parent: Some(youth + 1000),
                    notes: String::new(),
                },
                "parent",
            ),
        ] {
            let r = db.add_dialogue_round(&scope, s, &bad).await;
            assert!(
                matches!(&r, Err(Error::Invalid(v)) if v.iter().any(|i| i.field == field)),
                "{field}: {r:?} on {}",
                t.name
            );
        }
        let got = db.dialogue_series(&scope, s).await.unwrap();
        assert_eq!(got.rounds.len(), 2);
        assert_eq!(got.rounds[1].parent, Some(r1));
        assert_eq!((got.rounds[0].number, got.rounds[1].number), (1, 1));
        assert_eq!(got.steps.len(), 5);
        assert!(got.steps.iter().all(|s| !s.done));

        db.set_dialogue_step(
            &scope,
            s,
            1,
            true,
            "Context analysis done with both conveners",
        )
        .await
        .unwrap();
        assert!(db.set_dialogue_step(&scope, s, 6, true, "").await.is_err());

        let risk = NewRisk {
            risk: "The participant list leaks across the border".into(),
            likelihood: 2,
            impact: 3,
            mitigation: "Split rosters; no list by e-mail".into(),
            owner: "Both conveners".into(),
            reviewed_round: None,
        };
        let rid = db.save_dialogue_risk(&scope, s, None, &risk).await.unwrap();
        let reviewed = NewRisk {
            likelihood: 1,
            reviewed_round: Some(r1),
            ..risk.clone()
        };
        db.save_dialogue_risk(&scope, s, Some(rid), &reviewed)
            .await
            .unwrap();
        let wrong = NewRisk {
            likelihood: 4,
            ..risk.clone()
        };
        assert!(matches!(
            db.save_dialogue_risk(&scope, s, Some(rid), &wrong).await,
            Err(Error::Invalid(_))
        ));
        let got = db.dialogue_series(&scope, s).await.unwrap();
        assert!(got.steps[0].done);
        assert_eq!(got.risks.len(), 1);
        assert_eq!(
            (
                got.risks[0].likelihood,
                got.risks[0].reviewed_round,
                got.risks[0].score()
            ),
            (1, Some(r1), 3)
        );

        // Thresholds outside 0–1 are refused and nothing changes.
        let mut th = Thresholds {
            women_min: 1.4,
            ..Thresholds::default()
        };
        assert!(matches!(
            db.set_dialogue_thresholds(&scope, s, &th).await,
            Err(Error::Invalid(v)) if v[0].field == "women_min"
        ));
        th.women_min = 0.45;
        db.set_dialogue_thresholds(&scope, s, &th).await.unwrap();
        assert_eq!(
            db.dialogue_series(&scope, s)
                .await
                .unwrap()
                .thresholds
                .women_min,
            0.45
        );

        // A participant on a side the series does not have, or nominated by
        // nobody in the pool: refused, no contact made.
        let contacts = |db: &Db| {
            let scope = scope.clone();
            let db = db.clone();
            async move {
                db.count_visible(
                    &scope,
                    &convene_domain::records::Filter {
                        kind: Some(convene_domain::model::Kind::Contact),
                        ..Default::default()
                    },
                )
                .await
                .unwrap()
            }
        };
        let before = contacts(db).await;
        let mut p = person("Iqbal Bano", "Atlantis", "media", "woman");
        assert!(matches!(
            db.add_dialogue_participant(&scope, s, &p).await,
            Err(Error::Invalid(v)) if v[0].field == "side"
        ));
        p.side = "Veluna".into();
        // A participant's contact is never below the organisers' level.
        p.level = Level::Members;
        assert!(matches!(
            db.add_dialogue_participant(&scope, s, &p).await,
            Err(Error::Invalid(v)) if v[0].field == "level"
        ));
        p.level = Level::Organisers;
        p.nominated_by = Some(999_999);
        assert!(matches!(
            db.add_dialogue_participant(&scope, s, &p).await,
            Err(Error::Invalid(v)) if v[0].field == "nominated_by"
        ));
        assert_eq!(contacts(db).await, before);

        // Members neither see an organisers' series nor change one.
        let m = user(db, "member").await;
        db.set_role(&scope, "member@example.org", Some(Role::Member))
            .await
            .unwrap();
        let ms = db.scope(Some(&m), "valley").await.unwrap();
        assert!(matches!(
            db.dialogue_series(&ms, s).await,
            Err(Error::NotFound)
        ));
        assert!(db.dialogue_series_list(&ms).await.unwrap().is_empty());
        assert!(matches!(
            db.add_dialogue_round(
                &ms,
                s,
                &NewRound {
                    format: "core".into(),
                    held_on: "2026-05-01".into(),
                    city: "Serran".into(),
                    mode: "online".into(),
                    parent: None,
                    notes: String::new(),
                }
            )
            .await,
            Err(Error::NotFound)
        ));
    }
}

#[tokio::test]
async fn elite_capture_institutions_balance_and_self_replication() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let scope = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let s = series(db, &scope).await;
        let r1 = round(db, &scope, s, "core", "2026-03-01").await;
        let r2 = round(db, &scope, s, "core", "2026-06-01").await;
        let table = round(db, &scope, s, "roundtable", "2026-06-02").await;
        let ids = add_all(db, &scope, s, balanced()).await;

        // A balanced roster raises nothing.
        invite(db, &scope, s, table, &ids, "proposed").await;
        assert_eq!(warnings(db, &scope, s, table).await, vec![], "{}", t.name);

        // Elite capture: four politicians with four of the balanced eight.
        let mut elite = Vec::new();
        for (i, side) in ["Veluna", "Veluna", "Kestria", "Kestria"]
            .iter()
            .enumerate()
        {
            let mut p = person(
                &format!("Senator {i}"),
                side,
                "politician",
                ["woman", "man"][i % 2],
            );
            p.seniority = "senior".into();
            elite.push(p);
        }
        let elite = add_all(db, &scope, s, elite).await;
        invite(db, &scope, s, r2, &ids[..4], "invited").await;
        invite(db, &scope, s, r2, &elite, "invited").await;
        let b = db.selection_board(&scope, s, r2).await.unwrap();
        let w = b
            .board
            .warnings
            .iter()
            .find(|w| w.kind == WarningKind::EliteCapture)
            .expect("elite capture");
        // The four senators and the senior retired official: 5 of 8.
        assert_eq!((w.count, w.of, w.threshold), (5, 8, 0.4), "{}", t.name);
        // Declining takes them off the roster (history, not counted).
        invite(db, &scope, s, r2, &elite[..3], "declined").await;
        let b = db.selection_board(&scope, s, r2).await.unwrap();
        assert_eq!(b.board.makeup.total, 5);
        assert_eq!(b.history.len(), 3);
        // Two of five is at the threshold, not above it.
        assert!(!b
            .board
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::EliteCapture));

        // One institution: three of eight from the same ministry (any case).
        let mut same = Vec::new();
        for (i, inst) in [
            "Ministry of Water",
            "ministry of water",
            "MINISTRY OF WATER",
        ]
        .iter()
        .enumerate()
        {
            let mut p = person(&format!("Officer {i}"), "Kestria", "civil_society", "woman");
            p.institution = (*inst).into();
            same.push(p);
        }
        let same = add_all(db, &scope, s, same).await;
        let inst_round = round(db, &scope, s, "side_meeting", "2026-06-03").await;
        invite(db, &scope, s, inst_round, &ids[..5], "proposed").await;
        invite(db, &scope, s, inst_round, &same, "proposed").await;
        let b = db.selection_board(&scope, s, inst_round).await.unwrap();
        let w = b
            .board
            .warnings
            .iter()
            .find(|w| w.kind == WarningKind::OneInstitution)
            .expect("one institution");
        assert_eq!((w.count, w.of), (3, 8));
        invite(db, &scope, s, inst_round, &same[..1], "declined").await;
        invite(db, &scope, s, inst_round, &ids[5..6], "proposed").await;
        assert!(!warnings(db, &scope, s, inst_round)
            .await
            .contains(&WarningKind::OneInstitution));

        // Balance: a roster of men only, all from one side.
        let mut men = Vec::new();
        for i in 0..5 {
            men.push(person(
                &format!("Man {i}"),
                "Veluna",
                ["media", "business", "academia", "religious", "other"][i],
                "man",
            ));
        }
        let men = add_all(db, &scope, s, men).await;
        let focus = round(db, &scope, s, "focus_group", "2026-06-04").await;
        invite(db, &scope, s, focus, &men, "proposed").await;
        let w = warnings(db, &scope, s, focus).await;
        assert!(w.contains(&WarningKind::FewWomen), "{w:?}");
        assert!(w.contains(&WarningKind::SideShare), "{w:?}");
        assert!(w.contains(&WarningKind::FewYouth), "{w:?}");

        // Self-replication: five of the eight attended round 1, then all eight
        // are proposed for round 2's successor.
        invite(db, &scope, s, r1, &ids[..5], "attended").await;
        let r3 = round(db, &scope, s, "core", "2026-09-01").await;
        invite(db, &scope, s, r3, &ids, "proposed").await;
        // Round 3's previous core round is round 2, where none of them attended.
        assert!(!warnings(db, &scope, s, r3)
            .await
            .contains(&WarningKind::Repeat));
        invite(db, &scope, s, r2, &ids[..5], "attended").await;
        let b = db.selection_board(&scope, s, r3).await.unwrap();
        let w = b
            .board
            .warnings
            .iter()
            .find(|w| w.kind == WarningKind::Repeat)
            .expect("self-replication");
        assert_eq!((w.count, w.of), (5, 8), "{}", t.name);
        invite(db, &scope, s, r2, &ids[4..5], "absent").await;
        assert!(!warnings(db, &scope, s, r3)
            .await
            .contains(&WarningKind::Repeat));

        // A participant who withdrew leaves later rounds' figures.
        db.withdraw_dialogue_participant(&scope, s, ids[0], "2026-07-01")
            .await
            .unwrap();
        let b = db.selection_board(&scope, s, r3).await.unwrap();
        assert_eq!(b.board.makeup.total, 7);
        assert!(b.history.iter().any(|h| h.status == "withdrawn"));
        // … but not earlier ones.
        assert_eq!(
            db.selection_board(&scope, s, table)
                .await
                .unwrap()
                .board
                .makeup
                .total,
            8
        );
        assert!(matches!(
            db.set_dialogue_invite(&scope, s, r3, ids[0], "invited")
                .await,
            Err(Error::Invalid(_))
        ));
    }
}

fn prov() -> Provenance {
    Provenance {
        wave_id: None,
        observed_on: "2026-01-10".into(),
        source: "convener".into(),
        confidence: "medium".into(),
        supersedes: None,
    }
}

#[tokio::test]
async fn echo_chambers_from_actor_communities_and_network_nomination() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let scope = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let s = series(db, &scope).await;
        let r1 = round(db, &scope, s, "core", "2026-03-01").await;
        let r2 = round(db, &scope, s, "core", "2026-06-01").await;
        // Eight actors: a clique of six (one community) and a pair.
        let mut actors = Vec::new();
        for i in 0..8 {
            actors.push(
                db.create_actor(
                    &scope,
                    NewActor {
                        name: format!("Actor {i}"),
                        kind: "individual".into(),
                        tracks: vec![2],
                        side: "Veluna".into(),
                        location: "Serran".into(),
                        tags: vec![],
                    },
                    Envelope::at(Level::Organisers),
                )
                .await
                .unwrap(),
            );
        }
        let tie = |a: i64, b: i64| NewTie {
            source_actor: a,
            target_actor: b,
            kind: "alliance".into(),
            sign: 1,
            strength: 3,
            directed: false,
            active: true,
            prov: prov(),
        };
        for i in 0..6 {
            for j in (i + 1)..6 {
                db.add_tie(
                    &scope,
                    tie(actors[i], actors[j]),
                    Envelope::at(Level::Organisers),
                )
                .await
                .unwrap();
            }
        }
        db.add_tie(
            &scope,
            tie(actors[6], actors[7]),
            Envelope::at(Level::Organisers),
        )
        .await
        .unwrap();

        let mut people = balanced();
        for (p, a) in people.iter_mut().zip(&actors) {
            p.actor = Some(*a);
        }
        let ids = add_all(db, &scope, s, people).await;
        // Six of eight in one community: 75 % > 70 %.
        invite(db, &scope, s, r2, &ids, "proposed").await;
        let b = db.selection_board(&scope, s, r2).await.unwrap();
        let w = b
            .board
            .warnings
            .iter()
            .find(|w| w.kind == WarningKind::EchoCommunity)
            .unwrap_or_else(|| panic!("one community on {}: {:?}", t.name, b.board));
        assert_eq!((w.count, w.of), (6, 8));
        // Two of the clique declined: 4 of 6 is under the threshold.
        invite(db, &scope, s, r2, &ids[..2], "declined").await;
        assert!(!warnings(db, &scope, s, r2)
            .await
            .contains(&WarningKind::EchoCommunity));

        // Network nomination: four newcomers, each nominated by someone who
        // attended round 1 and is tied to them on the actor map.
        invite(db, &scope, s, r1, &ids[..2], "attended").await;
        let mut newcomers = Vec::new();
        for i in 0..4 {
            let mut p = person(
                &format!("Newcomer {i}"),
                ["Veluna", "Kestria"][i % 2],
                ["media", "business", "academia", "civil_society"][i],
                ["woman", "man"][i % 2],
            );
            p.nominated_by = Some(ids[i % 2]);
            p.actor = Some(actors[2 + i]);
            newcomers.push(p);
        }
        let newcomers = add_all(db, &scope, s, newcomers).await;
        let r3 = round(db, &scope, s, "core", "2026-09-01").await;
        invite(db, &scope, s, r3, &newcomers, "proposed").await;
        invite(db, &scope, s, r3, &ids[6..8], "proposed").await;
        let b = db.selection_board(&scope, s, r3).await.unwrap();
        let w = b
            .board
            .warnings
            .iter()
            .find(|w| w.kind == WarningKind::NetworkNomination)
            .expect("network nomination");
        assert_eq!((w.count, w.of), (4, 6), "{}", t.name);
        assert!(b.roster.iter().filter(|r| r.nominated_in_network).count() == 4);
        // Nominators who never attended an earlier round are no replication.
        let r0 = round(db, &scope, s, "core", "2026-01-01").await;
        invite(db, &scope, s, r0, &newcomers, "proposed").await;
        invite(db, &scope, s, r0, &ids[6..8], "proposed").await;
        assert!(!warnings(db, &scope, s, r0)
            .await
            .contains(&WarningKind::NetworkNomination));
    }
}

#[tokio::test]
async fn echo_chamber_from_opinion_votes_by_sms_is_read_as_an_aggregate() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let scope = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let s = series(db, &scope).await;
        let conv = fx
            .conversation(
                db,
                "TALKS",
                &[
                    "Trade across the border should reopen",
                    "Detained fishermen should be released",
                    "Visas for pilgrims should be eased",
                    "Water data should be shared",
                    "Cricket matches should resume",
                    "Journalists should cross freely",
                ],
            )
            .await;
        db.link_dialogue_conversations(&scope, s, &[conv.id])
            .await
            .unwrap();
        let mut people = balanced();
        for (i, p) in people.iter_mut().enumerate() {
            p.phone = Some(format!("+92300555000{i}"));
        }
        let ids = add_all(db, &scope, s, people).await;
        // The first four vote alike on all six statements; the other four the
        // opposite way.
        for i in 0..8 {
            let phone = format!("+92300555000{i}");
            fx.text(db, &phone, "TALKS").await;
            for _ in 0..6 {
                fx.text(db, &phone, if i < 4 { "1" } else { "2" }).await;
            }
        }
        let alike = round(db, &scope, s, "core", "2026-06-01").await;
        invite(db, &scope, s, alike, &ids[..4], "proposed").await;
        let b = db.selection_board(&scope, s, alike).await.unwrap();
        let a = b.agreement.expect("a conversation is linked");
        assert_eq!((a.voters, a.pairs), (4, 6), "{}", t.name);
        assert!((a.mean - 1.0).abs() < 1e-9);
        assert!(b
            .board
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::EchoVotes && w.figure > 0.99));

        let mixed = round(db, &scope, s, "roundtable", "2026-06-02").await;
        invite(db, &scope, s, mixed, &ids[2..6], "proposed").await;
        let b = db.selection_board(&scope, s, mixed).await.unwrap();
        let a = b.agreement.unwrap();
        // Pairs (2,3) and (4,5) agree on all; the four across disagree on all.
        assert_eq!(a.pairs, 6);
        assert!((a.mean - 2.0 / 6.0).abs() < 1e-9, "{a:?}");
        assert!(!b
            .board
            .warnings
            .iter()
            .any(|w| w.kind == WarningKind::EchoVotes));
        // A member sees no board at all.
        let m = user(db, "member").await;
        db.set_role(&scope, "member@example.org", Some(Role::Member))
            .await
            .unwrap();
        let ms = db.scope(Some(&m), "valley").await.unwrap();
        assert!(db.selection_board(&ms, s, mixed).await.is_err());
    }
}

#[tokio::test]
async fn split_rosters_are_counted_but_named_only_to_their_convener() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let owner_scope = db.scope(Some(&fx.owner), "valley").await.unwrap();
        // Each side's convener is an organiser; the series is visible to both.
        let kestria = user(db, "kestria").await;
        db.set_role(&owner_scope, "kestria@example.org", Some(Role::Organiser))
            .await
            .unwrap();
        let ks = db.scope(Some(&kestria), "valley").await.unwrap();
        let s = series(db, &owner_scope).await;
        let r = round(db, &owner_scope, s, "core", "2026-06-01").await;
        let people = balanced();
        let (veluna, kestrian): (Vec<_>, Vec<_>) =
            people.into_iter().partition(|p| p.side == "Veluna");
        let v_ids = add_all(db, &owner_scope, s, veluna).await;
        let mut k_ids = Vec::new();
        for mut p in kestrian {
            p.level = Level::Named;
            k_ids.push(db.add_dialogue_participant(&ks, s, &p).await.unwrap());
        }
        invite(db, &owner_scope, s, r, &v_ids, "invited").await;
        invite(db, &ks, s, r, &k_ids, "invited").await;
        // The owner cannot list or invite the Kestrian delegation …
        assert_eq!(
            db.dialogue_participants(&owner_scope, s)
                .await
                .unwrap()
                .len(),
            4,
            "{}",
            t.name
        );
        assert!(matches!(
            db.set_dialogue_invite(&owner_scope, s, r, k_ids[0], "declined")
                .await,
            Err(Error::NotFound)
        ));
        // … yet the board counts all eight, naming only the four it may.
        let b = db.selection_board(&owner_scope, s, r).await.unwrap();
        assert_eq!(b.board.makeup.total, 8);
        assert_eq!(b.hidden, 4);
        assert_eq!(b.board.makeup.by_gender.get("woman"), Some(&4));
        for row in &b.roster {
            if k_ids.contains(&row.participant) {
                assert!(row.name.is_none() && row.sector.is_none() && row.gender.is_none());
                assert!(row.pseudonym.starts_with("P-") && row.pseudonym.len() == 8);
                assert_ne!(row.pseudonym, format!("P-{}", row.participant));
            } else {
                assert!(row.name.is_some());
            }
        }
        let mut pseudonyms: Vec<&str> = b.roster.iter().map(|r| r.pseudonym.as_str()).collect();
        pseudonyms.sort_unstable();
        pseudonyms.dedup();
        assert_eq!(pseudonyms.len(), 8, "one pseudonym each");
        let shown = serde_json::to_string(&b).unwrap();
        for name in ["Esra Kaya", "Farida Noor", "Gul Khan", "Hina Malik"] {
            assert!(
                !shown.contains(name),
                "{name} leaked into the owner's board"
            );
        }
        // The Kestrian convener sees every name (the Veluna ones are at the
        // organisers' level).
        let kb = db.selection_board(&ks, s, r).await.unwrap();
        assert_eq!(kb.hidden, 0);
    }
}

#[tokio::test]
async fn the_agenda_keeps_sensitivity_sources_consultations_and_parked_topics() {
    use convene_domain::dialogues::agenda::{NewConsultation, NewItem};
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let scope = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let other = user(db, "kestria").await;
        db.set_role(&scope, "kestria@example.org", Some(Role::Organiser))
            .await
            .unwrap();
        let ks = db.scope(Some(&other), "valley").await.unwrap();
        let s = series(db, &scope).await;
        let r1 = round(db, &scope, s, "core", "2026-03-01").await;
        let youth = round(db, &scope, s, "youth", "2026-03-02").await;
        let r2 = round(db, &scope, s, "core", "2026-06-01").await;
        let table = round(db, &scope, s, "roundtable", "2026-06-02").await;
        let conv = fx.conversation(db, "WATER", &["Share river data"]).await;

        let water = NewItem {
            title: "Sharing river-flow data".into(),
            sensitivity: "careful".into(),
            source: "consultation".into(),
            source_note: String::new(),
            escalation: String::new(),
            linked: Some(conv.id),
            framing: vec![
                ("Veluna".into(), "Speak of early warning of floods".into()),
                ("Kestria".into(), "Speak of irrigation planning".into()),
            ],
        };
        let w = db
            .save_dialogue_item(&scope, s, None, &water)
            .await
            .unwrap();
        // A funder's item without saying which funder, and an explosive one
        // without escalation notes: refused whole, nothing stored.
        let patrols = NewItem {
            title: "Joint border patrols".into(),
            sensitivity: "explosive".into(),
            source: "funder".into(),
            source_note: String::new(),
            escalation: String::new(),
            linked: None,
            framing: vec![],
        };
        let r = db.save_dialogue_item(&scope, s, None, &patrols).await;
        assert!(
            matches!(&r, Err(Error::Invalid(v)) if v.len() == 2),
            "{r:?} on {}",
            t.name
        );
        assert_eq!(db.dialogue_agenda(&scope, s).await.unwrap().items.len(), 1);
        let patrols = NewItem {
            source_note: "Suggested by the Northbridge Foundation".into(),
            escalation: "If either side's press reports it, the conveners pause it.".into(),
            ..patrols
        };
        let p = db
            .save_dialogue_item(&scope, s, None, &patrols)
            .await
            .unwrap();
        // Linking a record the viewer cannot see is refused.
        let hidden = NewItem {
            linked: Some(999_999),
            ..water.clone()
        };
        assert!(matches!(
            db.save_dialogue_item(&scope, s, Some(w), &hidden).await,
            Err(Error::Invalid(v)) if v[0].field == "linked"
        ));

        // Parked in the youth dialogue, back on core round 2's agenda; the patrols
        // parked in the roundtable and never back.
        db.place_dialogue_item(&scope, s, w, r1, "agenda")
            .await
            .unwrap();
        db.place_dialogue_item(&scope, s, w, youth, "parked")
            .await
            .unwrap();
        db.place_dialogue_item(&scope, s, p, table, "parked")
            .await
            .unwrap();
        assert!(matches!(
            db.place_dialogue_item(&scope, s, p, r2, "parked").await,
            Err(Error::Invalid(v)) if v[0].key == "dialogue-error-park-core"
        ));
        let a = db.dialogue_agenda(&scope, s).await.unwrap();
        assert!(a.ledger.iter().all(|l| l.returned_in.is_none()));
        db.place_dialogue_item(&scope, s, w, r2, "agenda")
            .await
            .unwrap();
        let a = db.dialogue_agenda(&scope, s).await.unwrap();
        let back: Vec<(i64, Option<i64>)> =
            a.ledger.iter().map(|l| (l.item, l.returned_in)).collect();
        assert_eq!(back, vec![(w, Some(r2)), (p, None)], "{}", t.name);
        assert_eq!(a.from_funders, 1);
        let item = a.items.iter().find(|i| i.id == w).unwrap();
        assert_eq!(item.framing.len(), 2);
        assert_eq!(item.rounds.len(), 3);

        // A consultation kept for named people only: the other convener counts it
        // but reads neither who nor what; neither is stored in the clear.
        db.add_dialogue_consultation(
            &scope,
            s,
            w,
            &NewConsultation {
                held_on: "2026-02-01".into(),
                who: "Irrigation engineers of Serran district".into(),
                summary: "They would share gauge data if Kestria does.".into(),
                level: Level::Named,
                named: vec![],
            },
        )
        .await
        .unwrap();
        let mine = db.dialogue_agenda(&scope, s).await.unwrap();
        let theirs = db.dialogue_agenda(&ks, s).await.unwrap();
        let find = |a: &convene_domain::dialogues::agenda::Agenda| {
            let i = a.items.iter().find(|i| i.id == w).unwrap();
            (i.consultations.len(), i.hidden_consultations)
        };
        assert_eq!(find(&mine), (1, 0), "{}", t.name);
        assert_eq!(find(&theirs), (0, 1));
        assert!(!serde_json::to_string(&theirs)
            .unwrap()
            .contains("Irrigation engineers"));
        let raw: Vec<(Vec<u8>,)> = sqlx::query_as("SELECT who_enc FROM dialogue_consultations")
            .fetch_all(db.pool_for_tests())
            .await
            .unwrap();
        assert!(!String::from_utf8_lossy(&raw[0].0).contains("Irrigation"));
        let bad = db
            .add_dialogue_consultation(
                &scope,
                s,
                w,
                &NewConsultation {
                    held_on: "someday".into(),
                    who: String::new(),
                    summary: String::new(),
                    level: Level::Named,
                    named: vec![],
                },
            )
            .await;
        assert!(matches!(bad, Err(Error::Invalid(v)) if v.len() == 2));
    }
}

#[tokio::test]
async fn round_notes_attribute_only_with_consent_and_keep_off_the_record_named() {
    use convene_domain::dialogues::notes::NewNote;
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let scope = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let other = user(db, "kestria").await;
        db.set_role(&scope, "kestria@example.org", Some(Role::Organiser))
            .await
            .unwrap();
        let ks = db.scope(Some(&other), "valley").await.unwrap();
        let s = series(db, &scope).await;
        let r = round(db, &scope, s, "core", "2026-03-01").await;
        let ids = add_all(db, &scope, s, balanced()).await;
        let note = |kind: &str, speaker: Option<i64>, consented: bool, level: Level| NewNote {
            kind: kind.into(),
            body: format!("{kind}: both sides would accept a joint gauge station"),
            speaker,
            speaker_consented: consented,
            owner: if kind == "action" {
                "Veluna convener".into()
            } else {
                String::new()
            },
            due_on: None,
            level,
            named: vec![],
        };
        // Named without consent: refused, nothing stored.
        let r1 = db
            .add_dialogue_note(
                &scope,
                s,
                r,
                &note("note", Some(ids[0]), false, Level::Organisers),
            )
            .await;
        assert!(matches!(&r1, Err(Error::Invalid(v)) if v[0].key == "dialogue-error-attribution"));
        // Off the record at a wider level: refused.
        let r2 = db
            .add_dialogue_note(
                &scope,
                s,
                r,
                &note("off_record", None, false, Level::Organisers),
            )
            .await;
        assert!(matches!(&r2, Err(Error::Invalid(v)) if v[0].key == "dialogue-error-off-record"));
        assert!(
            db.dialogue_notes(&scope, s, r).await.unwrap().is_empty(),
            "{}",
            t.name
        );

        db.add_dialogue_note(
            &scope,
            s,
            r,
            &note("note", Some(ids[0]), true, Level::Organisers),
        )
        .await
        .unwrap();
        db.add_dialogue_note(&scope, s, r, &note("note", None, false, Level::Organisers))
            .await
            .unwrap();
        db.add_dialogue_note(&scope, s, r, &note("off_record", None, false, Level::Named))
            .await
            .unwrap();
        let action = db
            .add_dialogue_note(
                &scope,
                s,
                r,
                &note("action", None, false, Level::Organisers),
            )
            .await
            .unwrap();
        db.set_dialogue_action_done(&scope, s, r, action, true)
            .await
            .unwrap();
        let mine = db.dialogue_notes(&scope, s, r).await.unwrap();
        assert_eq!(mine.len(), 4);
        let speakers: Vec<Option<String>> = mine
            .iter()
            .filter(|n| n.kind == "note")
            .map(|n| n.speaker.clone())
            .collect();
        assert_eq!(speakers, vec![Some("Amina Rauf".to_string()), None]);
        assert!(mine.iter().any(|n| n.kind == "action" && n.done));
        // The other convener: no off-the-record item.
        let theirs = db.dialogue_notes(&ks, s, r).await.unwrap();
        assert_eq!(theirs.len(), 3, "{}", t.name);
        assert!(theirs.iter().all(|n| n.kind != "off_record"));
        // Sealed in storage; members read nothing.
        let raw: Vec<(Vec<u8>,)> = sqlx::query_as("SELECT body_enc FROM dialogue_notes")
            .fetch_all(db.pool_for_tests())
            .await
            .unwrap();
        assert!(raw
            .iter()
            .all(|(b,)| !String::from_utf8_lossy(b).contains("gauge station")));
        let m = user(db, "member").await;
        db.set_role(&scope, "member@example.org", Some(Role::Member))
            .await
            .unwrap();
        let ms = db.scope(Some(&m), "valley").await.unwrap();
        assert!(db.dialogue_notes(&ms, s, r).await.is_err());
    }
}
