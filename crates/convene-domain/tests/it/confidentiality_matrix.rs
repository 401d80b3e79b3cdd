//! Every record kind × confidentiality level × role (the anonymous public and a
//! logged-in outsider included) × operation (list, detail, search, count, export),
//! in a public and in a closed space, on every available engine. The expectation is
//! computed here from the role table, independently of the storage code.

use crate::common;

use std::collections::BTreeSet;

use convene_domain::model::{Detail, Kind, Level, NewRecord, Role, User};
use convene_domain::records::Filter;
use convene_domain::{Db, Error};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Anonymous,
    Outsider,
    Named,
    Role(Role),
}

fn expected(who: Who, space_public: bool, level: Level) -> bool {
    let member_role = match who {
        Who::Role(r) => Some(r),
        Who::Named => Some(Role::Member),
        _ => None,
    };
    if member_role.is_none() && !space_public {
        return false;
    }
    match level {
        Level::Public => true,
        Level::Members => member_role.is_some(),
        // The author of every record here is the organiser.
        Level::Organisers => matches!(member_role, Some(Role::Owner | Role::Organiser)),
        Level::Named => matches!(who, Who::Named | Who::Role(Role::Organiser)),
    }
}

fn may_export(who: Who) -> bool {
    matches!(
        who,
        Who::Role(Role::Owner | Role::Organiser | Role::Analyst)
    )
}

fn detail(kind: Kind) -> Detail {
    match kind {
        Kind::Concern => Detail::None,
        Kind::Activity => Detail::Activity {
            locality: "Torkham".into(),
            starts_on: "2026-12-01".into(),
            track: Some(4),
        },
        Kind::Contact => Detail::Contact {
            name: "Person".into(),
            email: None,
            phone: Some("+92 300 0000000".into()),
        },
    }
}

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

#[tokio::test]
async fn every_kind_level_role_and_operation() {
    for t in common::backends().await {
        let db = &t.db;
        let owner = user(db, "owner").await;
        let organiser = user(db, "organiser").await;
        let analyst = user(db, "analyst").await;
        let focal = user(db, "focal").await;
        let member = user(db, "member").await;
        let named = user(db, "named").await;
        let outsider = user(db, "outsider").await;
        let mut checked = 0;
        for public in [true, false] {
            let slug = if public {
                "open-process"
            } else {
                "closed-coalition"
            };
            let space = db
                .create_space(slug, slug, "", public, &owner)
                .await
                .unwrap();
            let owner_scope = db.scope(Some(&owner), slug).await.unwrap();
            for (u, r) in [
                (&organiser, Role::Organiser),
                (&analyst, Role::Analyst),
                (&focal, Role::FocalPoint),
                (&member, Role::Member),
                (&named, Role::Member),
            ] {
                db.set_role(&owner_scope, &u.email, Some(r)).await.unwrap();
            }
            let org_scope = db.scope(Some(&organiser), slug).await.unwrap();
            // One record per kind × level, each with a unique word and a shared one.
            let mut ids = Vec::new();
            for kind in Kind::ALL {
                for level in Level::ALL {
                    let id = db
                        .create_record(
                            &org_scope,
                            NewRecord {
                                kind,
                                level,
                                title: format!("{} {} needle", kind.as_str(), level.as_str()),
                                body: format!("word{}{}", kind.as_str(), level.as_str()),
                                detail: detail(kind),
                                named: if level == Level::Named {
                                    vec![named.id]
                                } else {
                                    vec![]
                                },
                            },
                        )
                        .await
                        .unwrap();
                    ids.push((kind, level, id));
                }
            }
            let viewers: Vec<(Who, Option<&User>)> = vec![
                (Who::Anonymous, None),
                (Who::Outsider, Some(&outsider)),
                (Who::Named, Some(&named)),
                (Who::Role(Role::Owner), Some(&owner)),
                (Who::Role(Role::Organiser), Some(&organiser)),
                (Who::Role(Role::Analyst), Some(&analyst)),
                (Who::Role(Role::FocalPoint), Some(&focal)),
                (Who::Role(Role::Member), Some(&member)),
            ];
            for (who, u) in viewers {
                let scope = match db.scope(u, slug).await {
                    Ok(s) => s,
                    Err(Error::NotFound) => {
                        assert!(
                            !public && matches!(who, Who::Anonymous | Who::Outsider),
                            "{who:?} locked out of {slug} on {}",
                            t.name
                        );
                        // The closed space's records are unreachable: nothing to list.
                        checked += ids.len();
                        continue;
                    }
                    Err(e) => panic!("{e}"),
                };
                for kind in Kind::ALL {
                    let want: BTreeSet<i64> = ids
                        .iter()
                        .filter(|(k, l, _)| *k == kind && expected(who, public, *l))
                        .map(|x| x.2)
                        .collect();
                    let f = Filter {
                        kind: Some(kind),
                        ..Filter::default()
                    };
                    let listed: BTreeSet<i64> = db
                        .fetch_visible(&scope, &f)
                        .await
                        .unwrap()
                        .iter()
                        .map(|r| r.id)
                        .collect();
                    assert_eq!(
                        listed, want,
                        "list {kind:?} as {who:?} in {slug} on {}",
                        t.name
                    );
                    assert_eq!(
                        db.count_visible(&scope, &f).await.unwrap() as usize,
                        want.len(),
                        "count {kind:?} as {who:?}"
                    );
                    let sf = Filter {
                        kind: Some(kind),
                        query: Some("NEEDLE".into()),
                        ..Filter::default()
                    };
                    let found: BTreeSet<i64> = db
                        .fetch_visible(&scope, &sf)
                        .await
                        .unwrap()
                        .iter()
                        .map(|r| r.id)
                        .collect();
                    assert_eq!(
                        found, want,
                        "search {kind:?} as {who:?} in {slug} on {}",
                        t.name
                    );
                    for (k, level, id) in ids.iter().filter(|x| x.0 == kind) {
                        let got = db.get_record(&scope, *k, *id).await;
                        assert_eq!(
                            got.is_ok(),
                            expected(who, public, *level),
                            "detail {k:?}/{level:?} as {who:?} in {slug} on {}",
                            t.name
                        );
                        if let Err(e) = got {
                            assert!(
                                matches!(e, Error::NotFound),
                                "hidden records are NotFound, not Forbidden"
                            );
                        }
                        // The unique word is only found by those who may see it.
                        let one = Filter {
                            query: Some(format!("word{}{}", k.as_str(), level.as_str())),
                            ..Filter::default()
                        };
                        assert_eq!(
                            db.count_visible(&scope, &one).await.unwrap() == 1,
                            expected(who, public, *level)
                        );
                        checked += 1;
                    }
                    match db.export_records(&scope, kind).await {
                        Ok(recs) => {
                            assert!(may_export(who), "{who:?} exported");
                            let exported: BTreeSet<i64> = recs.iter().map(|r| r.id).collect();
                            assert_eq!(
                                exported, want,
                                "export {kind:?} as {who:?} in {slug} on {}",
                                t.name
                            );
                        }
                        Err(Error::Forbidden) => {
                            assert!(!may_export(who), "{who:?} refused export")
                        }
                        Err(e) => panic!("{e}"),
                    }
                }
            }
            // A record id of this space is unknown in another space.
            let other = db
                .create_space(&format!("{slug}-other"), "Other", "", true, &owner)
                .await
                .unwrap();
            let other_scope = db.scope(Some(&owner), &other.slug).await.unwrap();
            for (k, _, id) in &ids {
                assert!(matches!(
                    db.get_record(&other_scope, *k, *id).await,
                    Err(Error::NotFound)
                ));
            }
            let _ = space;
        }
        assert_eq!(checked, 2 * 8 * 12);
        // Named views were audited.
        let verdict = db.audit_verify().await.unwrap();
        assert!(matches!(
            verdict,
            convene_domain::audit::Verdict::Intact { .. }
        ));
        let owner_scope = db.scope(Some(&owner), "open-process").await.unwrap();
        let log = db.space_audit(&owner_scope, 1000).await.unwrap();
        assert!(log.iter().any(|e| e.action == "record.view"));
        assert!(log.iter().any(|e| e.action == "export"));
        assert!(log.iter().any(|e| e.action == "role.change"));
    }
}

#[tokio::test]
async fn chatham_house_hides_authors_and_roles_are_enforced() {
    for t in common::backends().await {
        let db = &t.db;
        let owner = user(db, "owner").await;
        let member = user(db, "member").await;
        db.create_space("ch", "CH", "", false, &owner)
            .await
            .unwrap();
        let s = db.scope(Some(&owner), "ch").await.unwrap();
        db.set_role(&s, &member.email, Some(Role::Member))
            .await
            .unwrap();
        let ms = db.scope(Some(&member), "ch").await.unwrap();
        let id = db
            .create_record(
                &ms,
                NewRecord {
                    kind: Kind::Concern,
                    level: Level::Members,
                    title: "Border trade".into(),
                    body: String::new(),
                    detail: Detail::None,
                    named: vec![],
                },
            )
            .await
            .unwrap();
        assert_eq!(
            db.get_record(&s, Kind::Concern, id)
                .await
                .unwrap()
                .author
                .as_deref(),
            Some("member")
        );
        // Members may not create contacts, manage members or read the audit log.
        let contact = NewRecord {
            kind: Kind::Contact,
            level: Level::Members,
            title: "x".into(),
            body: String::new(),
            detail: detail(Kind::Contact),
            named: vec![],
        };
        assert!(matches!(
            db.create_record(&ms, contact).await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(db.members(&ms).await, Err(Error::Forbidden)));
        assert!(matches!(
            db.space_audit(&ms, 10).await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            db.update_space_settings(&ms, true, true, false, 10).await,
            Err(Error::Forbidden)
        ));
        db.update_space_settings(&s, false, true, false, 10)
            .await
            .unwrap();
        let s = db.scope(Some(&owner), "ch").await.unwrap();
        assert_eq!(
            db.get_record(&s, Kind::Concern, id).await.unwrap().author,
            None,
            "Chatham House hides the author"
        );
        assert!(matches!(
            db.update_space_settings(&s, false, true, false, 4).await,
            Err(Error::Invalid(_))
        ));
        // The last owner cannot be removed.
        assert!(matches!(
            db.set_role(&s, &owner.email, Some(Role::Member)).await,
            Err(Error::Invalid(_))
        ));
        // Changing a level is audited and takes effect at once.
        db.set_level(&s, Kind::Concern, id, Level::Organisers, &[])
            .await
            .unwrap();
        assert!(
            db.get_record(&ms, Kind::Concern, id).await.is_ok(),
            "the author still sees their own record"
        );
        let log = db.space_audit(&s, 100).await.unwrap();
        assert!(log
            .iter()
            .any(|e| e.action == "confidentiality.change" && e.detail == "members -> organisers"));
    }
}

#[tokio::test]
async fn authorship_grants_nothing_once_membership_ends() {
    for t in common::backends().await {
        let db = &t.db;
        let owner = user(db, "owner").await;
        let member = user(db, "member").await;
        db.create_space("open", "Open", "", true, &owner)
            .await
            .unwrap();
        let s = db.scope(Some(&owner), "open").await.unwrap();
        db.set_role(&s, &member.email, Some(Role::Member))
            .await
            .unwrap();
        let ms = db.scope(Some(&member), "open").await.unwrap();
        let id = db
            .create_record(
                &ms,
                NewRecord {
                    kind: Kind::Concern,
                    level: Level::Members,
                    title: "Checkpoint delays".into(),
                    body: String::new(),
                    detail: Detail::None,
                    named: vec![],
                },
            )
            .await
            .unwrap();
        // While a member, the author reads and re-levels the record.
        db.set_level(&ms, Kind::Concern, id, Level::Organisers, &[])
            .await
            .unwrap();
        assert!(
            db.get_record(&ms, Kind::Concern, id).await.is_ok(),
            "{}",
            t.name
        );
        // Removed from the (public) space, the former author neither reads it nor
        // changes its level.
        db.set_role(&s, &member.email, None).await.unwrap();
        let gone = db.scope(Some(&member), "open").await.unwrap();
        assert!(gone.role().is_none());
        assert!(
            matches!(
                db.get_record(&gone, Kind::Concern, id).await,
                Err(Error::NotFound)
            ),
            "{}",
            t.name
        );
        assert!(
            matches!(
                db.set_level(&gone, Kind::Concern, id, Level::Public, &[])
                    .await,
                Err(Error::NotFound)
            ),
            "{}",
            t.name
        );
    }
}

/// Planned activities (places, times, joining, calendars, the 3W map) × level ×
/// viewer, in a public and a closed space: the detail, the finder (which feeds the
/// calendars and the 3W export), joining and the 3W counts follow the same rule
/// as every record.
#[tokio::test]
async fn planned_activities_every_level_and_viewer() {
    use convene_domain::activities::{JoinOutcome, Joiner, NewActivity};
    for t in common::backends().await {
        let db = &t.db;
        let owner = user(db, "owner").await;
        let organiser = user(db, "organiser").await;
        let member = user(db, "member").await;
        let named = user(db, "named").await;
        let outsider = user(db, "outsider").await;
        for public in [true, false] {
            let slug = if public { "open-plans" } else { "closed-plans" };
            db.create_space(slug, slug, "", public, &owner)
                .await
                .unwrap();
            let so = db.scope(Some(&owner), slug).await.unwrap();
            for (u, r) in [
                (&organiser, Role::Organiser),
                (&member, Role::Member),
                (&named, Role::Member),
            ] {
                db.set_role(&so, &u.email, Some(r)).await.unwrap();
            }
            let g = convene_domain::places::gazetteer_csv::read(
                convene_domain::demo::places::gazetteer_file().as_bytes(),
            )
            .unwrap();
            db.import_gazetteer(&so, &g).await.unwrap();
            let org = db.scope(Some(&organiser), slug).await.unwrap();
            let mut ids = Vec::new();
            for level in Level::ALL {
                let id = db
                    .create_activity(
                        &org,
                        &NewActivity {
                            title: format!("Plan {}", level.as_str()),
                            body: String::new(),
                            level,
                            named: if level == Level::Named {
                                vec![named.id]
                            } else {
                                vec![]
                            },
                            place_code: "VL0101".into(),
                            starts: "2031-01-01T10:00".into(),
                            ends: "2031-01-01T12:00".into(),
                            venue: "Hall".into(),
                            online: false,
                            venue_sensitive: false,
                            capacity: None,
                            track: Some(5),
                            org: None,
                            org_name: String::new(),
                        },
                    )
                    .await
                    .unwrap();
                ids.push((level, id));
            }
            let viewers: Vec<(Who, Option<&User>)> = vec![
                (Who::Anonymous, None),
                (Who::Outsider, Some(&outsider)),
                (Who::Named, Some(&named)),
                (Who::Role(Role::Organiser), Some(&organiser)),
                (Who::Role(Role::Member), Some(&member)),
            ];
            for (who, u) in viewers {
                let Ok(scope) = db.scope(u, slug).await else {
                    assert!(!public && matches!(who, Who::Anonymous | Who::Outsider));
                    continue;
                };
                let listed: BTreeSet<i64> = db
                    .upcoming_activities(&scope, None, 0, None, 100, "en")
                    .await
                    .unwrap()
                    .iter()
                    .map(|a| a.id)
                    .collect();
                let want: BTreeSet<i64> = ids
                    .iter()
                    .filter(|(l, _)| expected(who, public, *l))
                    .map(|x| x.1)
                    .collect();
                assert_eq!(listed, want, "finder as {who:?} in {slug} on {}", t.name);
                for (level, id) in &ids {
                    let sees = expected(who, public, *level);
                    let got = db.activity(&scope, *id, "en").await;
                    assert_eq!(got.is_ok(), sees, "detail {level:?} as {who:?} in {slug}");
                    let joined = db.join_activity(&scope, *id, &Joiner::Anonymous).await;
                    match joined {
                        Ok(JoinOutcome::Confirmed) => assert!(sees, "{who:?} joined {level:?}"),
                        Err(Error::NotFound) => assert!(!sees, "{who:?} refused {level:?}"),
                        other => panic!("{other:?}"),
                    }
                }
                // The 3W counts what the viewer sees; the rest stays below the
                // suppression threshold (10) and is not counted.
                let m = db.three_w(&scope, None).await.unwrap();
                let vl01 = m.rows.iter().find(|r| r.place.code == "VL01").unwrap();
                let cell = vl01.cells[4];
                assert_eq!(cell.planned as usize, want.len(), "3W as {who:?} in {slug}");
                assert_eq!(cell.confidential, 0);
                assert_eq!(cell.suppressed, want.len() < ids.len());
            }
        }
    }
}

/// The coordination site's kinds (organisations, coalitions, agreements, agenda
/// rounds, joint actions) × level × viewer, in a public and a closed space: each kind's list and
/// detail follow the one visibility rule, and hidden ones are `NotFound`.
#[tokio::test]
async fn coordination_kinds_every_level_and_viewer() {
    use convene_domain::agreements::NewProvision;
    use convene_domain::organisations::NewOrganisation;
    for t in common::backends().await {
        let db = &t.db;
        let owner = user(db, "owner").await;
        let organiser = user(db, "organiser").await;
        let analyst = user(db, "analyst").await;
        let member = user(db, "member").await;
        let outsider = user(db, "outsider").await;
        let mut checked = 0;
        for public in [true, false] {
            let slug = if public { "open-coord" } else { "closed-coord" };
            db.create_space(slug, slug, "", public, &owner)
                .await
                .unwrap();
            let so = db.scope(Some(&owner), slug).await.unwrap();
            for (u, r) in [
                (&organiser, Role::Organiser),
                (&analyst, Role::Analyst),
                (&member, Role::Member),
            ] {
                db.set_role(&so, &u.email, Some(r)).await.unwrap();
            }
            let org = db.scope(Some(&organiser), slug).await.unwrap();
            // (kind, level, id) for every kind at every level these kinds take.
            let mut ids: Vec<(&str, Level, i64)> = Vec::new();
            for level in [Level::Public, Level::Members, Level::Organisers] {
                let o = db
                    .create_organisation(
                        &org,
                        &NewOrganisation {
                            name: format!("Org {}", level.as_str()),
                            description: String::new(),
                            side: "A".into(),
                            sector: "Women".into(),
                            track: Some(6),
                            contact: String::new(),
                            level,
                        },
                    )
                    .await
                    .unwrap();
                ids.push(("organisation", level, o));
                let c = db
                    .create_coalition(&org, &format!("Coalition {}", level.as_str()), "", level)
                    .await
                    .unwrap();
                ids.push(("coalition", level, c));
                let a = db
                    .create_agreement(
                        &org,
                        &format!("Accord {}", level.as_str()),
                        "2026-01-01",
                        level,
                        &[NewProvision {
                            number: "1".into(),
                            body: "Ceasefire".into(),
                        }],
                    )
                    .await
                    .unwrap();
                ids.push(("agreement", level, a));
                let r = db
                    .create_agenda_round(&org, &format!("Round {}", level.as_str()), "", level)
                    .await
                    .unwrap();
                ids.push(("agenda_round", level, r));
                let j = db
                    .create_action(
                        &org,
                        &convene_domain::actions::NewAction {
                            title: format!("Action {}", level.as_str()),
                            plan: String::new(),
                            level,
                            concern: None,
                            coalition: None,
                        },
                    )
                    .await
                    .unwrap();
                ids.push(("joint_action", level, j));
                let d = db
                    .create_dialogue_series(
                        &org,
                        &convene_domain::dialogues::NewSeries {
                            title: format!("Dialogue {}", level.as_str()),
                            description: String::new(),
                            sides: vec!["A".into(), "B".into()],
                            level,
                            named: vec![],
                        },
                    )
                    .await
                    .unwrap();
                ids.push(("dialogue_series", level, d));
            }
            let viewers: Vec<(Who, Option<&User>)> = vec![
                (Who::Anonymous, None),
                (Who::Outsider, Some(&outsider)),
                (Who::Role(Role::Owner), Some(&owner)),
                (Who::Role(Role::Organiser), Some(&organiser)),
                (Who::Role(Role::Analyst), Some(&analyst)),
                (Who::Role(Role::Member), Some(&member)),
            ];
            for (who, u) in viewers {
                let Ok(scope) = db.scope(u, slug).await else {
                    assert!(!public && matches!(who, Who::Anonymous | Who::Outsider));
                    continue;
                };
                let listed: BTreeSet<i64> = db
                    .organisations(&scope, None)
                    .await
                    .unwrap()
                    .iter()
                    .map(|o| o.id)
                    .chain(db.coalitions(&scope).await.unwrap().iter().map(|c| c.0))
                    .chain(db.agreements(&scope).await.unwrap().iter().map(|a| a.0))
                    .chain(db.agenda_rounds(&scope).await.unwrap().iter().map(|r| r.0))
                    .chain(
                        db.actions(&scope, None, None)
                            .await
                            .unwrap()
                            .iter()
                            .map(|a| a.0),
                    )
                    .chain(
                        db.dialogue_series_list(&scope)
                            .await
                            .unwrap()
                            .iter()
                            .map(|d| d.0),
                    )
                    .collect();
                let want: BTreeSet<i64> = ids
                    .iter()
                    .filter(|(_, l, _)| expected(who, public, *l))
                    .map(|x| x.2)
                    .collect();
                assert_eq!(listed, want, "lists as {who:?} in {slug} on {}", t.name);
                for (kind, level, id) in &ids {
                    let seen = match *kind {
                        "organisation" => db
                            .organisations(&scope, Some(*id))
                            .await
                            .map(|v| !v.is_empty()),
                        "coalition" => db.coalition(&scope, *id).await.map(|_| true),
                        "agreement" => db.agreement(&scope, *id).await.map(|_| true),
                        "joint_action" => db.action(&scope, *id).await.map(|_| true),
                        "dialogue_series" => db.dialogue_series(&scope, *id).await.map(|_| true),
                        _ => db.agenda_round(&scope, *id, None).await.map(|_| true),
                    };
                    let seen = match seen {
                        Ok(s) => s,
                        Err(Error::NotFound) => false,
                        Err(e) => panic!("{e}"),
                    };
                    assert_eq!(
                        seen,
                        expected(who, public, *level),
                        "{kind} {level:?} as {who:?} in {slug} on {}",
                        t.name
                    );
                    checked += 1;
                }
            }
        }
        // 18 records × (6 viewers in the public space + 4 in the closed one).
        assert_eq!(checked, 18 * 10);
    }
}
