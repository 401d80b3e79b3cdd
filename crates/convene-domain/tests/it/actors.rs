//! The actor map's storage on every available engine: confidentiality of actors,
//! observations and ties through the one rule, sealed names, who may record,
//! corrections as new versions, the network as of a date and the change between
//! two dates, and all-or-nothing imports.

use crate::common;

use convene_domain::actors::{
    diff, Envelope, Import, NewActor, NewObservation, NewTie, NewWave, Provenance,
};
use convene_domain::model::{Level, Role, User};
use convene_domain::{Db, Error};

async fn user(db: &Db, name: &str) -> User {
    db.create_user(
        &format!("{name}@example.org"),
        name,
        "correct horse battery",
        false,
    )
    .await
    .unwrap()
}

fn actor(name: &str) -> NewActor {
    NewActor {
        name: name.into(),
        kind: "individual".into(),
        tracks: vec![2, 4],
        side: "Veluna".into(),
        location: "Serran".into(),
        tags: vec!["elder".into()],
    }
}

fn prov(date: &str, wave: Option<i64>) -> Provenance {
    Provenance {
        wave_id: wave,
        observed_on: date.into(),
        source: "focus group".into(),
        confidence: "medium".into(),
        supersedes: None,
    }
}

fn obs(actor_id: i64, attitude: i8, influence: u8, date: &str) -> NewObservation {
    NewObservation {
        actor_id,
        attitude: Some(attitude),
        influence: Some(influence),
        interests: "land".into(),
        values: vec!["faith".into()],
        positions: vec![("ceasefire".into(), "support".into())],
        prov: prov(date, None),
    }
}

fn tie(a: i64, b: i64, kind: &str, sign: i8, date: &str) -> NewTie {
    NewTie {
        source_actor: a,
        target_actor: b,
        kind: kind.into(),
        sign,
        strength: 2,
        directed: false,
        active: true,
        prov: prov(date, None),
    }
}

struct Cast {
    owner: User,
    organiser: User,
    analyst: User,
    focal: User,
    member: User,
    named: User,
    outsider: User,
}

async fn cast(db: &Db, slug: &str, public: bool) -> Cast {
    let c = Cast {
        owner: user(db, &format!("{slug}-owner")).await,
        organiser: user(db, &format!("{slug}-organiser")).await,
        analyst: user(db, &format!("{slug}-analyst")).await,
        focal: user(db, &format!("{slug}-focal")).await,
        member: user(db, &format!("{slug}-member")).await,
        named: user(db, &format!("{slug}-named")).await,
        outsider: user(db, &format!("{slug}-outsider")).await,
    };
    db.create_space(slug, slug, "", public, &c.owner)
        .await
        .unwrap();
    let os = db.scope(Some(&c.owner), slug).await.unwrap();
    for (u, r) in [
        (&c.organiser, Role::Organiser),
        (&c.analyst, Role::Analyst),
        (&c.focal, Role::FocalPoint),
        (&c.member, Role::Member),
        (&c.named, Role::Member),
    ] {
        db.set_role(&os, &u.email, Some(r)).await.unwrap();
    }
    c
}

#[tokio::test]
async fn confidentiality_of_actors_observations_and_ties() {
    for t in common::backends().await {
        let db = &t.db;
        for public in [true, false] {
            let slug = if public { "open-map" } else { "closed-map" };
            let c = cast(db, slug, public).await;
            let focal = db.scope(Some(&c.focal), slug).await.unwrap();
            let a = db
                .create_actor(&focal, actor("Elder Amrit"), Envelope::at(Level::Public))
                .await
                .unwrap();
            let b = db
                .create_actor(&focal, actor("Commander Vek"), Envelope::at(Level::Members))
                .await
                .unwrap();
            let secret = db
                .create_actor(
                    &focal,
                    actor("Minister Ossa"),
                    Envelope::at(Level::Organisers),
                )
                .await
                .unwrap();
            let named_actor = db
                .create_actor(
                    &focal,
                    actor("Broker Lin"),
                    Envelope {
                        level: Level::Named,
                        named: vec![c.named.id],
                    },
                )
                .await
                .unwrap();
            // Observations at every level on the public actor.
            let o_pub = db
                .add_observation(
                    &focal,
                    obs(a, 1, 2, "2026-01-10"),
                    Envelope::at(Level::Public),
                )
                .await
                .unwrap();
            let o_mem = db
                .add_observation(
                    &focal,
                    obs(a, 2, 3, "2026-02-10"),
                    Envelope::at(Level::Members),
                )
                .await
                .unwrap();
            let o_org = db
                .add_observation(
                    &focal,
                    obs(a, -2, 5, "2026-03-10"),
                    Envelope::at(Level::Organisers),
                )
                .await
                .unwrap();
            // A public observation of an organisers-only actor stays hidden with it.
            let o_hidden_actor = db
                .add_observation(
                    &focal,
                    obs(secret, 0, 1, "2026-01-10"),
                    Envelope::at(Level::Public),
                )
                .await
                .unwrap();
            let t_pub = db
                .add_tie(
                    &focal,
                    tie(a, b, "alliance", 1, "2026-01-10"),
                    Envelope::at(Level::Public),
                )
                .await
                .unwrap();
            let t_org = db
                .add_tie(
                    &focal,
                    tie(a, b, "funding", 1, "2026-01-10"),
                    Envelope::at(Level::Organisers),
                )
                .await
                .unwrap();
            let t_secret = db
                .add_tie(
                    &focal,
                    tie(a, secret, "rivalry", -1, "2026-01-10"),
                    Envelope::at(Level::Public),
                )
                .await
                .unwrap();

            let sees = |m: &convene_domain::actors::ActorMap| {
                let mut ids: Vec<i64> = m.actors.iter().map(|x| x.id).collect();
                ids.extend(m.observations.iter().map(|x| x.id));
                ids.extend(m.ties.iter().map(|x| x.id));
                ids.sort_unstable();
                ids
            };
            let mut expect_member = vec![a, b, o_pub, o_mem, t_pub];
            expect_member.sort_unstable();
            // Members (and analysts) see public and members' data, nothing more.
            for u in [&c.member, &c.analyst] {
                let s = db.scope(Some(u), slug).await.unwrap();
                let m = db.actor_map(&s).await.unwrap();
                assert_eq!(sees(&m), expect_member, "{} public={public}", t.name);
                assert!(!sees(&m).contains(&o_org));
                assert!(!sees(&m).contains(&t_org));
                assert!(!sees(&m).contains(&o_hidden_actor));
                assert!(!sees(&m).contains(&t_secret));
            }
            // The named member sees the named actor too.
            let s = db.scope(Some(&c.named), slug).await.unwrap();
            let m = db.actor_map(&s).await.unwrap();
            assert!(sees(&m).contains(&named_actor));
            assert!(!sees(&m).contains(&secret));
            // Organisers see everything except the named-only actor they are not named on.
            let s = db.scope(Some(&c.organiser), slug).await.unwrap();
            let m = db.actor_map(&s).await.unwrap();
            for id in [
                a,
                b,
                secret,
                o_pub,
                o_mem,
                o_org,
                o_hidden_actor,
                t_pub,
                t_org,
                t_secret,
            ] {
                assert!(sees(&m).contains(&id), "organiser sees {id}");
            }
            assert!(!sees(&m).contains(&named_actor));
            // Names are decrypted for those who see them and sealed at rest.
            assert!(m.actors.iter().any(|x| x.name == "Minister Ossa"));
            let raw: Vec<u8> =
                sqlx::query_scalar("SELECT name_enc FROM actors WHERE record_id = $1")
                    .bind(secret)
                    .fetch_one(db.pool_for_tests())
                    .await
                    .unwrap();
            assert!(!String::from_utf8_lossy(&raw).contains("Ossa"));
            // The anonymous public and a logged-in outsider.
            for u in [None, Some(&c.outsider)] {
                match db.scope(u, slug).await {
                    Ok(s) => {
                        assert!(public);
                        let m = db.actor_map(&s).await.unwrap();
                        // The public tie joins a members-level actor: hidden with it.
                        assert_eq!(sees(&m), {
                            let mut e = vec![a, o_pub];
                            e.sort_unstable();
                            e
                        });
                    }
                    Err(e) => {
                        assert!(!public);
                        assert!(matches!(e, Error::NotFound));
                    }
                }
            }
            // Members may not record; focal points may not export; analysts may.
            let ms = db.scope(Some(&c.member), slug).await.unwrap();
            assert!(matches!(
                db.create_actor(&ms, actor("Someone"), Envelope::at(Level::Members))
                    .await,
                Err(Error::Forbidden)
            ));
            assert!(matches!(
                db.add_observation(
                    &ms,
                    obs(a, 1, 1, "2026-01-01"),
                    Envelope::at(Level::Members)
                )
                .await,
                Err(Error::Forbidden)
            ));
            assert!(matches!(
                db.export_actor_map(&focal, "csv").await,
                Err(Error::Forbidden)
            ));
            let an = db.scope(Some(&c.analyst), slug).await.unwrap();
            assert_eq!(
                sees(&db.export_actor_map(&an, "csv").await.unwrap()),
                expect_member
            );
            // A member cannot attach data to an actor it cannot see.
            let org = db.scope(Some(&c.organiser), slug).await.unwrap();
            let hidden_from_focal = db
                .create_actor(&org, actor("Envoy Rhee"), Envelope::at(Level::Organisers))
                .await
                .unwrap();
            assert!(matches!(
                db.add_observation(
                    &focal,
                    obs(hidden_from_focal, 1, 1, "2026-01-01"),
                    Envelope::at(Level::Members)
                )
                .await,
                Err(Error::Invalid(_))
            ));
        }
    }
}

#[tokio::test]
async fn chatham_house_strips_authors() {
    let t = common::sqlite().await;
    let db = &t.db;
    let c = cast(db, "coalition", false).await;
    let os = db.scope(Some(&c.owner), "coalition").await.unwrap();
    db.update_space_settings(&os, false, true, false, 10)
        .await
        .unwrap();
    let focal = db.scope(Some(&c.focal), "coalition").await.unwrap();
    let a = db
        .create_actor(&focal, actor("Elder"), Envelope::at(Level::Members))
        .await
        .unwrap();
    db.add_observation(
        &focal,
        obs(a, 1, 1, "2026-01-01"),
        Envelope::at(Level::Members),
    )
    .await
    .unwrap();
    let m = db
        .actor_map(&db.scope(Some(&c.member), "coalition").await.unwrap())
        .await
        .unwrap();
    assert!(m.actors[0].author.is_none());
    assert!(m.observations[0].author.is_none());
}

#[tokio::test]
async fn validation_and_duplicates() {
    let t = common::sqlite().await;
    let db = &t.db;
    let c = cast(db, "v", true).await;
    let focal = db.scope(Some(&c.focal), "v").await.unwrap();
    let a = db
        .create_actor(&focal, actor("Elder"), Envelope::at(Level::Members))
        .await
        .unwrap();
    assert!(matches!(
        db.create_actor(&focal, actor("  elder "), Envelope::at(Level::Members))
            .await,
        Err(Error::Conflict("actor"))
    ));
    let keys = |r: Result<i64, Error>| match r {
        Err(Error::Invalid(v)) => v.iter().map(|i| i.key).collect::<Vec<_>>(),
        other => panic!("expected invalid, got {other:?}"),
    };
    assert_eq!(
        keys(
            db.add_observation(
                &focal,
                obs(a, 4, 1, "2026-01-01"),
                Envelope::at(Level::Members)
            )
            .await
        ),
        ["actors-error-attitude"]
    );
    assert_eq!(
        keys(
            db.add_observation(
                &focal,
                obs(a, 1, 6, "2026-01-01"),
                Envelope::at(Level::Members)
            )
            .await
        ),
        ["actors-error-influence"]
    );
    assert_eq!(
        keys(
            db.add_observation(
                &focal,
                obs(a, 1, 1, "2199-01-01"),
                Envelope::at(Level::Members)
            )
            .await
        ),
        ["actors-error-future-date"]
    );
    let mut bad = tie(a, a, "alliance", 1, "2026-01-01");
    bad.strength = 4;
    assert_eq!(
        keys(db.add_tie(&focal, bad, Envelope::at(Level::Members)).await),
        ["actors-error-self-tie", "actors-error-strength"]
    );
    assert_eq!(
        keys(
            db.add_tie(
                &focal,
                tie(a, 999_999, "alliance", 1, "2026-01-01"),
                Envelope::at(Level::Members)
            )
            .await
        ),
        ["actors-error-unknown-actor"]
    );
}

#[tokio::test]
async fn as_of_diff_and_corrections() {
    for t in common::backends().await {
        let db = &t.db;
        let c = cast(db, "waves", true).await;
        let focal = db.scope(Some(&c.focal), "waves").await.unwrap();
        let w1 = db
            .create_wave(
                &focal,
                NewWave {
                    title: "January focus groups".into(),
                    held_on: "2026-01-15".into(),
                    place: "District X".into(),
                },
                Envelope::at(Level::Members),
            )
            .await
            .unwrap();
        let w2 = db
            .create_wave(
                &focal,
                NewWave {
                    title: "March interviews".into(),
                    held_on: "2026-03-15".into(),
                    place: "District X".into(),
                },
                Envelope::at(Level::Members),
            )
            .await
            .unwrap();
        let env = || Envelope::at(Level::Members);
        let a = db.create_actor(&focal, actor("A"), env()).await.unwrap();
        let b = db.create_actor(&focal, actor("B"), env()).await.unwrap();
        let x = db.create_actor(&focal, actor("X"), env()).await.unwrap();
        let with_wave = |mut o: NewObservation, w| {
            o.prov.wave_id = Some(w);
            o
        };
        let first = db
            .add_observation(&focal, with_wave(obs(a, -2, 4, "2026-01-15"), w1), env())
            .await
            .unwrap();
        db.add_observation(&focal, with_wave(obs(b, 1, 2, "2026-01-15"), w1), env())
            .await
            .unwrap();
        db.add_tie(&focal, tie(a, b, "cooperation", 1, "2026-01-15"), env())
            .await
            .unwrap();
        db.add_tie(&focal, tie(a, x, "rivalry", -1, "2026-01-15"), env())
            .await
            .unwrap();
        // A correction of the first observation, same date: supersedes it.
        let mut fix = obs(a, -3, 4, "2026-01-15");
        fix.prov.supersedes = Some(first);
        fix.prov.wave_id = Some(w1);
        let fixed = db.add_observation(&focal, fix, env()).await.unwrap();
        // Second wave: A moves, the cooperation turns to rivalry, the rivalry ends,
        // a new alliance appears.
        db.add_observation(&focal, with_wave(obs(a, 1, 4, "2026-03-15"), w2), env())
            .await
            .unwrap();
        db.add_tie(&focal, tie(b, a, "cooperation", -1, "2026-03-15"), env())
            .await
            .unwrap();
        let mut ended = tie(a, x, "rivalry", -1, "2026-03-15");
        ended.active = false;
        db.add_tie(&focal, ended, env()).await.unwrap();
        db.add_tie(&focal, tie(b, x, "alliance", 1, "2026-03-15"), env())
            .await
            .unwrap();

        let ms = db.scope(Some(&c.member), "waves").await.unwrap();
        let m = db.actor_map(&ms).await.unwrap();
        // History keeps every version.
        assert_eq!(m.observations.iter().filter(|o| o.actor_id == a).count(), 3);
        let before = m.as_of("2026-01-31");
        assert_eq!(before.actors[&a].attitude, Some(-3));
        assert_eq!(before.actors[&a].observation_id, Some(fixed));
        assert_eq!(before.ties.len(), 2);
        assert!(m.as_of("2025-12-31").actors.is_empty());
        let (pw, lw) = m.last_two_waves().unwrap();
        assert_eq!((pw.id, lw.id), (w1, w2));
        // A second wave on the latest date still compares with the earlier date.
        let w3 = db
            .create_wave(
                &focal,
                NewWave {
                    title: "March interviews, second district".into(),
                    held_on: "2026-03-15".into(),
                    place: "District Y".into(),
                },
                Envelope::at(Level::Members),
            )
            .await
            .unwrap();
        let m = db.actor_map(&ms).await.unwrap();
        let (pw, lw) = m.last_two_waves().unwrap();
        assert_eq!((pw.id, lw.id), (w1, w3));
        let after = m.as_of(&lw.held_on);
        let ch = diff(&m.as_of(&pw.held_on), &after);
        assert_eq!(ch.attitudes.len(), 1);
        assert_eq!(
            (
                ch.attitudes[0].actor_id,
                ch.attitudes[0].from,
                ch.attitudes[0].to
            ),
            (a, Some(-3), Some(1))
        );
        assert!(ch.influence.is_empty());
        assert_eq!(ch.ties_added.len(), 1);
        assert_eq!((ch.ties_added[0].source, ch.ties_added[0].target), (b, x));
        assert_eq!(ch.ties_removed.len(), 1);
        assert_eq!(ch.ties_removed[0].kind, "rivalry");
        assert_eq!(ch.sign_changed.len(), 1);
        assert_eq!(ch.sign_changed[0].after.sign, -1);
        assert!(diff(&after, &after).is_empty());
    }
}

#[tokio::test]
async fn import_is_all_or_nothing() {
    let t = common::sqlite().await;
    let db = &t.db;
    let c = cast(db, "imp", true).await;
    let focal = db.scope(Some(&c.focal), "imp").await.unwrap();
    let hidden = db
        .create_actor(
            &db.scope(Some(&c.organiser), "imp").await.unwrap(),
            actor("Hidden"),
            Envelope::at(Level::Organisers),
        )
        .await
        .unwrap();
    let import = Import {
        actors: vec![(actor("New one"), Envelope::at(Level::Members))],
        observations: vec![(obs(-1, 1, 1, "2026-01-01"), Envelope::at(Level::Members))],
        ties: vec![(
            tie(-1, hidden, "alliance", 1, "2026-01-01"),
            Envelope::at(Level::Members),
        )],
    };
    assert!(matches!(
        db.import_actor_map(&focal, import).await,
        Err(Error::Invalid(_))
    ));
    assert!(db.actor_map(&focal).await.unwrap().actors.is_empty());
    let ok = Import {
        actors: vec![
            (actor("One"), Envelope::at(Level::Members)),
            (actor("Two"), Envelope::at(Level::Members)),
        ],
        observations: vec![(obs(-1, 1, 1, "2026-01-01"), Envelope::at(Level::Members))],
        ties: vec![(
            tie(-1, -2, "alliance", 1, "2026-01-01"),
            Envelope::at(Level::Members),
        )],
    };
    let s = db.import_actor_map(&focal, ok).await.unwrap();
    assert_eq!((s.actors, s.observations, s.ties), (2, 1, 1));
    let m = db.actor_map(&focal).await.unwrap();
    assert_eq!(m.actors.len(), 2);
    assert_eq!(m.as_of("2026-01-01").ties.len(), 1);
}

#[tokio::test]
async fn organisers_change_levels_members_then_lose_sight() {
    for t in common::backends().await {
        let db = &t.db;
        let c = cast(db, "levels", false).await;
        let focal = db.scope(Some(&c.focal), "levels").await.unwrap();
        let member = db.scope(Some(&c.member), "levels").await.unwrap();
        let org = db.scope(Some(&c.organiser), "levels").await.unwrap();
        let a = db
            .create_actor(&focal, actor("Elder"), Envelope::at(Level::Members))
            .await
            .unwrap();
        let o = db
            .add_observation(
                &focal,
                obs(a, 1, 1, "2026-01-01"),
                Envelope::at(Level::Members),
            )
            .await
            .unwrap();
        assert_eq!(db.actor_map(&member).await.unwrap().observations.len(), 1);
        // A member may not change it; an organiser may.
        assert!(matches!(
            db.set_actor_map_level(&member, o, Envelope::at(Level::Public))
                .await,
            Err(Error::Forbidden)
        ));
        db.set_actor_map_level(&org, o, Envelope::at(Level::Organisers))
            .await
            .unwrap();
        assert!(db.actor_map(&member).await.unwrap().observations.is_empty());
        // Named: the member named on the actor sees it again; others do not.
        db.set_actor_map_level(
            &org,
            a,
            Envelope {
                level: Level::Named,
                named: vec![c.named.id],
            },
        )
        .await
        .unwrap();
        assert!(db.actor_map(&member).await.unwrap().actors.is_empty());
        let named = db.scope(Some(&c.named), "levels").await.unwrap();
        assert_eq!(db.actor_map(&named).await.unwrap().actors.len(), 1);
        // Records of other parts cannot be changed through this door.
        assert!(matches!(
            db.set_actor_map_level(&org, 999_999, Envelope::at(Level::Public))
                .await,
            Err(Error::NotFound)
        ));
        let audit = db.space_audit(&org, 50).await.unwrap();
        assert_eq!(
            audit
                .iter()
                .filter(|e| e.action == "confidentiality.change")
                .count(),
            2
        );
    }
}
