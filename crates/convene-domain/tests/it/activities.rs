//! Local activities on every available engine: planned in the space's time zone at
//! a place of the gazetteer, found by district, joined by web and by SMS (ACT,
//! JOIN, LEAVE) within a capacity with a waiting list that moves up, reminders
//! and sensitive venues, cancellation, and the confidentiality of levels and
//! venues.

use crate::common;

use convene_domain::activities::{JoinOutcome, Joiner, LeaveOutcome, NewActivity};
use convene_domain::crypto::Keyring;
use convene_domain::demo::places::gazetteer_file;
use convene_domain::model::{Level, Role, User};
use convene_domain::places::gazetteer_csv;
use convene_domain::sms::{Channel, Gateway, InboundSms, NewChannel, ReplyMode, Settings};
use convene_domain::{Db, Error};

struct Fx {
    owner: User,
    ch: Channel,
    n: std::cell::Cell<u32>,
}

impl Fx {
    async fn new(db: &Db) -> Fx {
        let pw = "a long enough password";
        let owner = db.create_user("o@x.org", "Owner", pw, false).await.unwrap();
        db.create_user("m@x.org", "Member", pw, false)
            .await
            .unwrap();
        db.create_space("valley", "Valley", "", true, &owner)
            .await
            .unwrap();
        let s = db.scope(Some(&owner), "valley").await.unwrap();
        db.set_role(&s, "m@x.org", Some(Role::Member))
            .await
            .unwrap();
        db.set_time_zone(&s, "Asia/Karachi").await.unwrap();
        let g = gazetteer_csv::read(gazetteer_file().as_bytes()).unwrap();
        db.import_gazetteer(&s, &g).await.unwrap();
        let created = db
            .create_sms_channel(
                &s,
                &NewChannel {
                    gateway: Gateway::Kannel,
                    name: "Short code".into(),
                    number: "4040".into(),
                    settings: Settings {
                        account: "convene".into(),
                    },
                    secret: "secret".into(),
                    rate_per_sec: 10.0,
                    languages: vec!["ur".into()],
                },
            )
            .await
            .unwrap();
        let ch = db.sms_channel_by_key(&created.key).await.unwrap();
        Fx {
            owner,
            ch,
            n: std::cell::Cell::new(0),
        }
    }

    async fn text(&self, db: &Db, from: &str, body: &str) -> String {
        self.n.set(self.n.get() + 1);
        let msg = InboundSms {
            gateway_id: format!("g-{}", self.n.get()),
            from: from.into(),
            text: body.into(),
        };
        db.receive_sms(&self.ch, &msg, ReplyMode::Inline)
            .await
            .unwrap()
            .inline_replies
            .join("\n")
    }
}

fn local(days_ahead: i64, hhmm: &str) -> String {
    let t = convene_domain::util::now() + days_ahead * 86_400;
    let d = convene_domain::activities::unix_to_local(t, "Asia/Karachi");
    format!("{}T{hhmm}", &d[..10])
}

fn new_activity(title: &str, place: &str, capacity: Option<i64>, level: Level) -> NewActivity {
    NewActivity {
        title: title.into(),
        body: String::new(),
        level,
        named: vec![],
        place_code: place.into(),
        starts: local(3, "10:00"),
        ends: local(3, "12:00"),
        venue: "The school hall, Bell Hill".into(),
        online: false,
        venue_sensitive: false,
        capacity,
        track: Some(3),
        org: None,
        org_name: String::new(),
    }
}

#[tokio::test]
async fn find_join_wait_leave_by_web_and_sms() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let so = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let anon = db.scope(None, "valley").await.unwrap();

        // Bad input is named field by field; nothing is created.
        let mut bad = new_activity("", "NOWHERE", Some(0), Level::Public);
        bad.ends = bad.starts.clone();
        match db.create_activity(&so, &bad).await {
            Err(Error::Invalid(v)) => {
                let fields: Vec<&str> = v.iter().map(|i| i.field).collect();
                assert_eq!(fields, ["title", "ends", "capacity"], "{}", t.name);
            }
            other => panic!("{other:?}"),
        }
        let nowhere = new_activity("Dialogue", "NOWHERE", None, Level::Public);
        assert!(matches!(
            db.create_activity(&so, &nowhere).await,
            Err(Error::Invalid(v)) if v[0].key == "activity-error-place"
        ));

        let id = db
            .create_activity(
                &so,
                &new_activity("Water committee", "VL0102", Some(2), Level::Public),
            )
            .await
            .unwrap();
        let inner = db
            .create_activity(
                &so,
                &new_activity("Members' briefing", "VL0102", None, Level::Members),
            )
            .await
            .unwrap();
        let a = db.activity(&anon, id, "en").await.unwrap();
        assert_eq!(a.place_code.as_deref(), Some("VL0102"));
        assert!(a.starts_at < a.ends_at);
        // 10:00 in Karachi is 05:00 UTC.
        assert_eq!((a.starts_at % 86_400) / 3600, 5);
        // The public finds it by its district and by its region, not the members' one.
        let region = db.place(&anon, "VL01").await.unwrap();
        let found = db
            .upcoming_activities(&anon, Some(region.id), 0, None, 50, "en")
            .await
            .unwrap();
        assert_eq!(found.iter().map(|a| a.id).collect::<Vec<_>>(), vec![id]);
        assert!(db.activity(&anon, inner, "en").await.is_err());

        // Web: two confirmed, the third waits; joining twice changes nothing.
        let join = |name: &str, phone: &str| Joiner::Contact {
            name: name.into(),
            phone: Some(phone.into()),
            email: None,
        };
        assert_eq!(
            db.join_activity(&anon, id, &join("Amina", "+92 300 1111111"))
                .await
                .unwrap(),
            JoinOutcome::Confirmed
        );
        assert_eq!(
            db.join_activity(&anon, id, &Joiner::Anonymous)
                .await
                .unwrap(),
            JoinOutcome::Confirmed
        );
        assert_eq!(
            db.join_activity(&anon, id, &join("Amina", "+923001111111"))
                .await
                .unwrap(),
            JoinOutcome::Already
        );
        assert!(matches!(
            db.join_activity(&anon, id, &Joiner::Contact { name: "X".into(), phone: None, email: None }).await,
            Err(Error::Invalid(v)) if v[0].key == "activity-error-contact"
        ));

        // SMS: ACT asks for the district; ACT <name> lists; JOIN waits (full).
        let phone = "+923002222222";
        let r = fx.text(db, phone, "ACT").await;
        assert!(r.starts_with("Reply ACT and your district"), "{r}");
        let r = fx.text(db, phone, "act bell hill").await;
        assert!(r.starts_with("Next in Bell Hill."), "{r}");
        assert!(r.contains(&a.code) && r.contains("Water committee"), "{r}");
        assert!(!r.contains("Members' briefing"), "{r}");
        // The district is remembered; Urdu names work too.
        let r = fx.text(db, phone, "ACT").await;
        assert!(r.contains(&a.code), "{r}");
        let r = fx.text(db, "+923003333333", "ACT بیل ہل").await;
        assert!(r.contains(&a.code), "{r}");
        let r = fx
            .text(db, phone, &format!("join {}", a.code.to_lowercase()))
            .await;
        assert!(
            r.contains("is full. You are number 1 on the waiting list"),
            "{r}"
        );
        let r = fx.text(db, phone, &format!("JOIN {}", a.code)).await;
        assert!(r.starts_with("You have already joined"), "{r}");
        let r = fx.text(db, phone, "JOIN ZZZZZ").await;
        assert!(r.starts_with("No activity has the code ZZZZZ"), "{r}");
        let members_only = db.activity(&so, inner, "en").await.unwrap();
        let r = fx
            .text(db, phone, &format!("JOIN {}", members_only.code))
            .await;
        assert!(r.starts_with("No activity has the code"), "{r}");

        // Amina leaves on the web: the SMS joiner moves up and is told.
        assert_eq!(
            db.leave_activity(&anon, id, Some("+923001111111"), None)
                .await
                .unwrap(),
            LeaveOutcome::Left
        );
        let a2 = db.activity(&anon, id, "en").await.unwrap();
        assert_eq!((a2.confirmed, a2.waiting), (2, 0));
        let queued = db.sms_outbound_counts(&so, fx.ch.id).await.unwrap();
        assert!(
            queued.iter().any(|(s, n)| s == "queued" && *n >= 1),
            "{queued:?}"
        );

        // The reminder: due within a day. Move the activity to tomorrow.
        sqlx::query("UPDATE activity_plans SET starts_at = $1, ends_at = $2 WHERE record_id = $3")
            .bind(convene_domain::util::now() + 20 * 3600)
            .bind(convene_domain::util::now() + 22 * 3600)
            .bind(id)
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        assert_eq!(
            db.sweep_activity_reminders().await.unwrap(),
            1,
            "one joiner by SMS"
        );
        assert_eq!(db.sweep_activity_reminders().await.unwrap(), 0, "once");

        // LEAVE by SMS; then the activity is cancelled and joining says so.
        let r = fx.text(db, phone, &format!("LEAVE {}", a.code)).await;
        assert!(r.starts_with("You have left Water committee"), "{r}");
        db.cancel_activity(&so, id, Some(&fx.ch), "Cancelled")
            .await
            .unwrap();
        let r = fx.text(db, phone, &format!("JOIN {}", a.code)).await;
        assert!(r.starts_with("Water committee is cancelled"), "{r}");
        assert_eq!(
            db.join_activity(&anon, id, &Joiner::Anonymous)
                .await
                .unwrap(),
            JoinOutcome::Cancelled
        );
        // A member may not cancel another's activity.
        let member = db.user_by_email("m@x.org").await.unwrap().unwrap();
        let sm = db.scope(Some(&member), "valley").await.unwrap();
        assert!(matches!(
            db.cancel_activity(&sm, inner, None, "x").await,
            Err(Error::Forbidden)
        ));
        let audit = db.audit_for_space(so.space().id, 200).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "activity.cancel"));
    }
}

#[tokio::test]
async fn a_sensitive_venue_reaches_confirmed_joiners_only_shortly_before() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let so = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let anon = db.scope(None, "valley").await.unwrap();
        let mut new = new_activity("Listening session", "KS0101", Some(1), Level::Public);
        new.venue_sensitive = true;
        new.venue = "Room 4, the old mill".into();
        let id = db.create_activity(&so, &new).await.unwrap();
        // The public sees the district, never the venue; the organiser sees it.
        let a = db.activity(&anon, id, "en").await.unwrap();
        assert_eq!(a.venue, None, "{}", t.name);
        assert_eq!(a.place_code.as_deref(), Some("KS0101"));
        assert_eq!(
            db.activity(&so, id, "en").await.unwrap().venue.as_deref(),
            Some("Room 4, the old mill")
        );
        let r = fx
            .text(db, "+923004444444", &format!("JOIN {}", a.code))
            .await;
        assert!(r.starts_with("You are in: Listening session"), "{r}");
        assert!(!r.contains("old mill"), "{r}");
        let r = fx
            .text(db, "+923005555555", &format!("JOIN {}", a.code))
            .await;
        assert!(r.contains("waiting list"), "{r}");

        // Two hours before: the reminder (without the venue) and the venue, to the
        // confirmed joiner only.
        let now = convene_domain::util::now();
        sqlx::query("UPDATE activity_plans SET starts_at = $1, ends_at = $2 WHERE record_id = $3")
            .bind(now + 2 * 3600)
            .bind(now + 4 * 3600)
            .bind(id)
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        assert_eq!(db.sweep_activity_reminders().await.unwrap(), 2);
        let bodies = outbound_bodies(db, &fx.ch).await;
        let venue_texts: Vec<&String> = bodies.iter().filter(|b| b.contains("old mill")).collect();
        assert_eq!(venue_texts.len(), 1, "{bodies:?}");
        assert!(venue_texts[0].contains("Please keep it to yourself"));
    }
}

/// The texts queued on a channel, decrypted with the tests' key.
async fn outbound_bodies(db: &Db, ch: &Channel) -> Vec<String> {
    let keys = Keyring::from_master(&[42u8; 32]).unwrap();
    let rows: Vec<(Vec<u8>,)> = sqlx::query_as(
        "SELECT body_enc FROM sms_outbound WHERE channel_id = $1 AND status = 'queued'",
    )
    .bind(ch.id)
    .fetch_all(db.pool_for_tests())
    .await
    .unwrap();
    rows.iter()
        .map(|(b,)| keys.open("sms_outbound.body", b).unwrap())
        .collect()
}

#[tokio::test]
async fn the_three_w_marks_a_gap_where_a_concern_was_raised() {
    use convene_domain::model::{Detail, Kind, NewRecord};
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let so = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let anon = db.scope(None, "valley").await.unwrap();
        // Activities on every track but 2 in the Kestrian Highlands (KS01), and
        // one members-only activity on track 2 there.
        for track in [1, 3, 4, 5, 6, 7, 8, 9] {
            let mut a = new_activity(&format!("Track {track}"), "KS0101", None, Level::Public);
            a.track = Some(track);
            db.create_activity(&so, &a).await.unwrap();
        }
        let mut inner = new_activity("Quiet talks", "KS0102", None, Level::Members);
        inner.track = Some(2);
        db.create_activity(&so, &inner).await.unwrap();
        // A concern raised in a district of KS01 with no activity (KS0103).
        let concern = db
            .create_record(
                &so,
                NewRecord {
                    kind: Kind::Concern,
                    level: Level::Public,
                    title: "No school bus since the fighting".into(),
                    body: String::new(),
                    detail: Detail::None,
                    named: vec![],
                },
            )
            .await
            .unwrap();
        db.set_record_place(&so, concern, "KS0103").await.unwrap();

        let m = db.three_w(&anon, None).await.unwrap();
        let ks01 = m.rows.iter().position(|r| r.place.code == "KS01").unwrap();
        let row = &m.rows[ks01];
        assert_eq!(row.concerns, 1, "{}", t.name);
        assert_eq!(row.cells[0].planned, 1, "track 1 has its activity");
        // Track 2: the members-only activity is not described to the public, and one
        // is below the threshold (10): not counted either, but flagged.
        assert_eq!(row.cells[1].total(), 0);
        assert!(row.cells[1].suppressed);
        let gaps = m.gaps();
        assert_eq!(
            gaps[0],
            (ks01, 2, true),
            "the gap where a concern was raised first: {gaps:?}"
        );
        // Members see the activity on track 2: no gap for them there.
        let member = db.user_by_email("m@x.org").await.unwrap().unwrap();
        let sm = db.scope(Some(&member), "valley").await.unwrap();
        let mm = db.three_w(&sm, None).await.unwrap();
        assert_eq!(mm.rows[ks01].cells[1].planned, 1);
        assert!(!mm.gaps().contains(&(ks01, 2, true)));
        // The district whose concern has no activity at all.
        let unmet = db.districts_with_unmet_concerns(&anon).await.unwrap();
        assert_eq!(
            unmet
                .iter()
                .map(|(p, n)| (p.code.as_str(), *n))
                .collect::<Vec<_>>(),
            vec![("KS0103", 1)]
        );
        // Drilling into the region: its districts.
        let region = db.place(&anon, "KS01").await.unwrap();
        let d = db.three_w(&anon, Some(&region)).await.unwrap();
        assert_eq!(d.rows.len(), 6);
        let ks0101 = d.rows.iter().find(|r| r.place.code == "KS0101").unwrap();
        assert_eq!(ks0101.cells.iter().map(|c| c.total()).sum::<i64>(), 8);
    }
}
