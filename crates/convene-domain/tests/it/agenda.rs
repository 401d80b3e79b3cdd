//! Agenda rounds on every available engine: members propose for their
//! organisations, the public's items wait for moderation, the ranking weighs sides
//! and groups alike, duplicates merge with their views, closing freezes the round;
//! and a round by SMS (numbered items, support, own items, DELETE).

use crate::common;
use crate::sms_flows::Fx;

use convene_domain::agenda::{Participant, Source};
use convene_domain::model::{Level, Role, User};
use convene_domain::organisations::NewOrganisation;
use convene_domain::{Db, Error};

async fn member(db: &Db, owner: &User, name: &str, role: Role) -> User {
    let u = db
        .create_user(
            &format!("{name}@example.org"),
            name,
            "a long enough password",
            false,
        )
        .await
        .unwrap();
    let so = db.scope(Some(owner), "valley").await.unwrap();
    db.set_role(&so, &u.email, Some(role)).await.unwrap();
    u
}

async fn org(db: &Db, owner: &User, name: &str, side: &str, acting: &User) -> i64 {
    let so = db.scope(Some(owner), "valley").await.unwrap();
    let id = db
        .create_organisation(
            &so,
            &NewOrganisation {
                name: name.into(),
                description: String::new(),
                side: side.into(),
                sector: "civil society".into(),
                track: Some(3),
                contact: String::new(),
                level: Level::Public,
            },
        )
        .await
        .unwrap();
    db.add_org_member(&so, id, &acting.email).await.unwrap();
    id
}

#[tokio::test]
async fn a_round_ranks_across_the_divide_moderates_merges_and_closes() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let owner = &fx.owner;
        let v1 = member(db, owner, "v1", Role::Member).await;
        let v2 = member(db, owner, "v2", Role::Member).await;
        let k1 = member(db, owner, "k1", Role::Member).await;
        let o_v1 = org(db, owner, "Veluna Women", "Veluna", &v1).await;
        let o_v2 = org(db, owner, "Veluna Traders", "Veluna", &v2).await;
        let o_k1 = org(db, owner, "Kestria Youth", "Kestria", &k1).await;
        let so = db.scope(Some(owner), "valley").await.unwrap();
        let round = db
            .create_agenda_round(&so, "Talks in March", "What first?", Level::Public)
            .await
            .unwrap();
        let s1 = db.scope(Some(&v1), "valley").await.unwrap();
        let s2 = db.scope(Some(&v2), "valley").await.unwrap();
        let sk = db.scope(Some(&k1), "valley").await.unwrap();
        let for_org = |o| Participant::Member { org: Some(o) };
        let water = db
            .propose_agenda_item(
                &s1,
                round,
                &for_org(o_v1),
                "Water sharing",
                "",
                Source::Proposal,
            )
            .await
            .unwrap();
        let trade = db
            .propose_agenda_item(
                &s2,
                round,
                &for_org(o_v2),
                "Trade at the crossing",
                "",
                Source::Proposal,
            )
            .await
            .unwrap();
        // Acting for an organisation one does not act for is refused.
        assert!(matches!(
            db.propose_agenda_item(&s1, round, &for_org(o_k1), "x", "", Source::Proposal)
                .await,
            Err(Error::Forbidden)
        ));
        // Both Veluna groups support trade; one Veluna and one Kestria group water.
        for (s, o, item) in [
            (&s1, o_v1, trade),
            (&s2, o_v2, trade),
            (&s1, o_v1, water),
            (&sk, o_k1, water),
        ] {
            db.agenda_view(s, item, &for_org(o), 1, "").await.unwrap();
        }
        db.agenda_view(&sk, trade, &for_org(o_k1), -1, "Not before security")
            .await
            .unwrap();
        let r = db.agenda_round(&so, round, None).await.unwrap();
        let order: Vec<i64> = r.items.iter().map(|i| i.id).collect();
        assert_eq!(
            order,
            vec![water, trade],
            "shared across the divide ranks first"
        );
        assert_eq!(r.items[0].sides_for, vec!["Kestria", "Veluna"]);
        assert_eq!(r.items[1].sides_against, vec!["Kestria"]);
        assert_eq!(
            r.items[1].groups_against,
            vec![(
                "Kestria Youth".into(),
                "Kestria".into(),
                "Not before security".into()
            )]
        );
        // The public: an item from a cookie waits for moderation, invisible until approved.
        let anon = db.scope(None, "valley").await.unwrap();
        let cookie = Participant::Cookie("c00kie".into());
        let roads = db
            .propose_agenda_item(
                &anon,
                round,
                &cookie,
                "Roads to the market",
                "",
                Source::Proposal,
            )
            .await
            .unwrap();
        let r = db.agenda_round(&anon, round, Some("c00kie")).await.unwrap();
        assert!(r.items.iter().all(|i| i.id != roads) && r.pending.is_empty());
        let r = db.agenda_round(&so, round, None).await.unwrap();
        assert_eq!(
            r.pending.iter().map(|i| i.id).collect::<Vec<_>>(),
            vec![roads]
        );
        assert!(matches!(
            db.moderate_agenda_item(&s1, roads, true).await,
            Err(Error::Forbidden)
        ));
        db.moderate_agenda_item(&so, roads, true).await.unwrap();
        db.agenda_view(&anon, roads, &cookie, 1, "").await.unwrap();
        let r = db.agenda_round(&anon, round, Some("c00kie")).await.unwrap();
        let mine = r.items.iter().find(|i| i.id == roads).unwrap();
        assert_eq!((mine.public_for, mine.mine), (1, Some(1)));
        // Merging trade into roads carries its views; the merged title is listed.
        db.merge_agenda_item(&so, trade, roads).await.unwrap();
        let r = db.agenda_round(&so, round, None).await.unwrap();
        assert!(r.items.iter().all(|i| i.id != trade));
        let roads_item = r.items.iter().find(|i| i.id == roads).unwrap();
        assert_eq!(roads_item.merged, vec!["Trade at the crossing".to_string()]);
        assert_eq!((roads_item.groups_for.len(), roads_item.public_for), (2, 1));
        assert_eq!(roads_item.groups_against.len(), 1);
        // A concern as a source must be one the proposer sees.
        assert!(matches!(
            db.propose_agenda_item(
                &s1,
                round,
                &for_org(o_v1),
                "From nowhere",
                "",
                Source::Concern(999_999)
            )
            .await,
            Err(Error::Invalid(_))
        ));
        // Closing freezes the round; the log names each change.
        db.close_agenda_round(&so, round, "Water first")
            .await
            .unwrap();
        assert!(matches!(
            db.agenda_view(&s1, water, &for_org(o_v1), -1, "").await,
            Err(Error::Invalid(_))
        ));
        let r = db.agenda_round(&anon, round, None).await.unwrap();
        assert!(!r.is_open);
        assert_eq!(r.summary, "Water first");
        let log = db.space_audit(&so, 200).await.unwrap();
        for needle in ["approve item:", "merge item:", "close"] {
            assert!(
                log.iter()
                    .any(|e| e.action == "agenda.change" && e.detail.contains(needle)),
                "{needle} on {}",
                t.name
            );
        }
        // A round for members only takes nothing from the public.
        let closed = db
            .create_agenda_round(&so, "Members' round", "", Level::Members)
            .await
            .unwrap();
        assert!(matches!(
            db.propose_agenda_item(&anon, closed, &cookie, "x y", "", Source::Proposal)
                .await,
            Err(Error::NotFound)
        ));
    }
}

#[tokio::test]
async fn a_round_by_sms_numbers_items_counts_support_and_takes_proposals() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let so = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let round = db
            .create_agenda_round(&so, "Talks in March", "", Level::Public)
            .await
            .unwrap();
        let me = Participant::Member { org: None };
        let a = db
            .propose_agenda_item(&so, round, &me, "Water sharing", "", Source::Proposal)
            .await
            .unwrap();
        let b = db
            .propose_agenda_item(
                &so,
                round,
                &me,
                "Trade at the crossing",
                "",
                Source::Proposal,
            )
            .await
            .unwrap();
        db.agenda_view(&so, b, &me, 1, "").await.unwrap();
        // A keyword only for an open public round, in the one namespace.
        db.set_agenda_keyword(&so, round, Some("agenda"))
            .await
            .unwrap();
        let reply = fx.text(db, "+923001110001", "AGENDA").await;
        assert!(
            reply.starts_with("Talks in March\n1 Trade at the crossing\n2 Water sharing"),
            "{reply}"
        );
        // ٢ (two, in Arabic-Indic digits) supports the second item offered.
        let reply = fx.text(db, "+923001110001", "٢").await;
        assert!(reply.contains("Water sharing"), "{reply}");
        let r = db.agenda_round(&so, round, None).await.unwrap();
        let water = r.items.iter().find(|i| i.id == a).unwrap();
        assert_eq!(water.public_for, 1, "on {}", t.name);
        assert_eq!(r.public_people, 2);
        // A number not offered and a single unknown word get the hint.
        assert!(fx
            .text(db, "+923001110001", "7")
            .await
            .contains("number of an item"));
        // Two words or more: an item for moderation.
        let reply = fx.text(db, "+923001110001", "Open the school road").await;
        assert!(reply.contains("organisers will read"), "{reply}");
        let r = db.agenda_round(&so, round, None).await.unwrap();
        assert_eq!(r.pending.len(), 1);
        assert!(r.pending[0].by_sms);
        // HELP lists the round; DELETE removes the phone's support.
        assert!(fx
            .text(db, "+923001110001", "HELP")
            .await
            .contains("AGENDA: Talks in March"));
        fx.text(db, "+923001110001", "DELETE").await;
        let r = db.agenda_round(&so, round, None).await.unwrap();
        assert_eq!(r.items.iter().find(|i| i.id == a).unwrap().public_for, 0);
        // After closing, the keyword is free and the phone is told.
        fx.text(db, "+923001110002", "AGENDA").await;
        db.close_agenda_round(&so, round, "").await.unwrap();
        assert!(fx.text(db, "+923001110002", "1").await.contains("closed"));
    }
}
