//! Calls to action on every engine: validation; sign-ups by web (confirmed by the
//! e-mailed link, used twice says so) and by SMS keyword (once per phone, DELETE
//! withdraws); counts by district suppressed; a report through the personal link,
//! its photo stripped of its metadata, unseen by the public until a moderator
//! publishes it; a rejection needs a reason; a published report flagged, hidden and
//! shown again, audited; contacts erased when the call closes.

use convene_domain::campaign::calls::{
    NewCall, NewReport, SignupConfirmed, WebSignup, MAX_REPORTS,
};
use convene_domain::media::{photo, sample};
use convene_domain::model::Level;
use convene_domain::places::gazetteer_csv;
use convene_domain::{Db, Error};

use crate::common;
use crate::sms_flows::Fx;

async fn next_mail(db: &Db) -> (String, String) {
    let m = db.claim_mail().await.unwrap().expect("an e-mail");
    db.mail_sent(m.id).await.unwrap();
    (m.to, m.body)
}

fn link(body: &str, marker: &str) -> String {
    body.split(marker)
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("a link")
        .to_string()
}

async fn count(db: &Db, sql: &str) -> i64 {
    let r = sqlx::query(sql)
        .fetch_one(db.pool_for_tests())
        .await
        .unwrap();
    sqlx::Row::get::<i64, _>(&r, 0)
}

#[tokio::test]
async fn people_sign_up_report_and_moderators_publish_flag_and_hide() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let so = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let anon = db.scope(None, "valley").await.unwrap();
        let g =
            gazetteer_csv::read(convene_domain::demo::places::gazetteer_file().as_bytes()).unwrap();
        db.import_gazetteer(&so, &g).await.unwrap();
        let amber = db.place(&so, "VL0101").await.unwrap();

        // Validation names each field; only organisers write.
        match db
            .create_call(
                &so,
                &NewCall {
                    title: " ".into(),
                    closes_on: "2020-01-01".into(),
                    keyword: "stop".into(),
                    ..NewCall::default()
                },
            )
            .await
        {
            Err(Error::Invalid(v)) => assert_eq!(
                v.iter().map(|i| i.field).collect::<Vec<_>>(),
                ["title", "closes_on", "keyword"]
            ),
            other => panic!("{other:?}"),
        }
        let call = NewCall {
            title: "Repair a well on the other bank".into(),
            body: "Teams from both banks.".into(),
            keyword: "well".into(),
            level: Some(Level::Public),
            ..NewCall::default()
        };
        assert!(matches!(
            db.create_call(&anon, &call).await,
            Err(Error::Forbidden)
        ));
        let id = db.create_call(&so, &call).await.unwrap();
        assert_eq!(
            db.call(&anon, id).await.unwrap().keyword.as_deref(),
            Some("WELL")
        );

        // By web: nothing counts before the link is followed.
        let base = format!("https://peace.example.org/s/valley/campaign/calls/{id}");
        let signup = |email: &str| WebSignup {
            email: email.into(),
            district: Some(amber.id),
            lang: "en".into(),
            link_base: base.clone(),
        };
        assert!(matches!(
            db.sign_up_for_call(&anon, id, &signup("nope")).await,
            Err(Error::Invalid(_))
        ));
        db.sign_up_for_call(&anon, id, &signup("amina@example.org"))
            .await
            .unwrap();
        let (to, body) = next_mail(db).await;
        assert_eq!(to, "amina@example.org");
        let token = link(&body, "/confirm?t=");
        assert_eq!(db.call_counts(&anon, id).await.unwrap().total_text(), "0");
        assert_eq!(
            db.confirm_call_signup(&token).await.unwrap(),
            SignupConfirmed::Counted { call: id }
        );
        assert_eq!(
            db.confirm_call_signup(&token).await.unwrap(),
            SignupConfirmed::AlreadyUsed { call: id }
        );
        assert_eq!(
            db.confirm_call_signup("nope").await.unwrap(),
            SignupConfirmed::Unknown
        );
        let (to, body) = next_mail(db).await;
        assert_eq!(to, "amina@example.org");
        let report_token = link(&body, "/report?r=");

        // By SMS: the keyword and a district; once per phone; DELETE withdraws.
        let reply = fx.text(db, "+255700000101", "WELL Amber").await;
        assert!(reply.contains("signed up"), "{}: {reply}", t.name);
        assert!(fx
            .text(db, "+255700000101", "well")
            .await
            .contains("already"));
        fx.text(db, "+255700000102", "WELL VL0101").await;
        fx.text(db, "+255700000103", "WELL").await;
        fx.text(db, "+255700000103", "DELETE").await;
        assert_eq!(
            count(db, &format!("SELECT COUNT(*) FROM call_signups WHERE call_id = {id} AND confirmed_at IS NOT NULL")).await,
            3,
            "{}",
            t.name
        );
        // Counts by district, suppressed: 3 in Amber Ford, hidden, and the total with it.
        let c = db.call_counts(&anon, id).await.unwrap();
        assert!(c.districts.iter().all(|(_, n)| n.is_hidden()));
        assert!(c.total.is_hidden());

        // A report with a phone's photo: its GPS gone; the public sees nothing yet.
        let phone_photo =
            sample::with_phone_metadata(&sample::jpeg(&sample::landscape(900, 600, 3)), 6);
        assert!(sample::has_metadata(&phone_photo));
        let processed = photo::process(&phone_photo).unwrap();
        assert!(matches!(
            db.submit_report(
                &anon,
                &report_token,
                &NewReport {
                    body: " ".into(),
                    photo: None,
                    video: None
                }
            )
            .await,
            Err(Error::Invalid(_))
        ));
        let rid = db
            .submit_report(
                &anon,
                &report_token,
                &NewReport {
                    body: "We relined the well at Granary.".into(),
                    photo: Some((processed, "The relined well".into())),
                    video: None,
                },
            )
            .await
            .unwrap();
        assert!(matches!(
            db.submit_report(
                &anon,
                "nope",
                &NewReport {
                    body: "x".into(),
                    photo: None,
                    video: None
                }
            )
            .await,
            Err(Error::NotFound)
        ));
        assert!(
            db.call_reports(&anon, id).await.unwrap().is_empty(),
            "pending: not public"
        );
        let pending = db.pending_reports(&so).await.unwrap();
        assert_eq!(pending.len(), 1);
        let mid = pending[0].photos[0].id;
        assert!(matches!(
            db.report_photo(&anon, rid, mid, "w160").await,
            Err(Error::NotFound)
        ));
        let (bytes, public) = db.report_photo(&so, rid, mid, "w160").await.unwrap();
        assert!(
            !sample::has_metadata(&bytes.bytes),
            "no metadata stored or served"
        );
        assert!(!public);
        assert!(matches!(
            db.pending_reports(&anon).await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            db.moderate_report(&so, rid, false, " ").await,
            Err(Error::Invalid(_))
        ));

        // Published: the public sees it and its photo, cacheable.
        db.moderate_report(&so, rid, true, "").await.unwrap();
        let shown = db.call_reports(&anon, id).await.unwrap();
        assert_eq!(shown.len(), 1);
        assert!(db.report_photo(&anon, rid, mid, "w160").await.unwrap().1);
        assert!(matches!(
            db.moderate_report(&so, rid, true, "").await,
            Err(Error::Invalid(_))
        ));

        // Flagged by the public (a reason needed), hidden with a reason, shown again.
        assert!(matches!(
            db.flag_report(&anon, rid, " ").await,
            Err(Error::Invalid(_))
        ));
        db.flag_report(&anon, rid, "It names a child.")
            .await
            .unwrap();
        let flags = db.open_flags(&so).await.unwrap();
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].reason, "It names a child.");
        assert!(matches!(
            db.hide_report(&so, rid, "").await,
            Err(Error::Invalid(_))
        ));
        db.hide_report(&so, rid, "Names a child").await.unwrap();
        assert!(db.call_reports(&anon, id).await.unwrap().is_empty());
        assert!(matches!(
            db.report_photo(&anon, rid, mid, "w160").await,
            Err(Error::NotFound)
        ));
        assert!(db.open_flags(&so).await.unwrap().is_empty());
        db.unhide_report(&so, rid, "The name was the reporter's own")
            .await
            .unwrap();
        assert_eq!(db.call_reports(&anon, id).await.unwrap().len(), 1);
        let audited = count(
            db,
            &format!("SELECT COUNT(*) FROM audit_log WHERE target = 'campaign_report:{rid}'"),
        )
        .await;
        assert!(
            audited >= 6,
            "publish, hide, unhide and their level changes: {audited}"
        );

        // A members' call: its report, once published, is for the members only.
        let members_call = db
            .create_call(
                &so,
                &NewCall {
                    title: "Members: host a dinner for the other side".into(),
                    level: Some(Level::Members),
                    ..NewCall::default()
                },
            )
            .await
            .unwrap();
        db.sign_up_for_call(
            &so,
            members_call,
            &WebSignup {
                email: "member@example.org".into(),
                district: None,
                lang: "en".into(),
                link_base: base.clone(),
            },
        )
        .await
        .unwrap();
        let (_, body) = next_mail(db).await;
        db.confirm_call_signup(&link(&body, "/confirm?t="))
            .await
            .unwrap();
        let (_, body) = next_mail(db).await;
        let members_link = link(&body, "/report?r=");
        let img = photo::process(&sample::jpeg(&sample::landscape(400, 300, 5))).unwrap();
        let mrid = db
            .submit_report(
                &so,
                &members_link,
                &NewReport {
                    body: "Twelve guests came.".into(),
                    photo: Some((img, "The table".into())),
                    video: None,
                },
            )
            .await
            .unwrap();
        db.moderate_report(&so, mrid, true, "").await.unwrap();
        let mm = db.call_reports(&so, members_call).await.unwrap()[0].photos[0].id;
        assert!(matches!(
            db.report_photo(&anon, mrid, mm, "w160").await,
            Err(Error::NotFound)
        ));
        assert!(
            !db.report_photo(&so, mrid, mm, "w160").await.unwrap().1,
            "not cacheable"
        );

        // At most a few reports per sign-up.
        for k in 1..MAX_REPORTS {
            db.submit_report(
                &anon,
                &report_token,
                &NewReport {
                    body: format!("More {k}"),
                    photo: None,
                    video: None,
                },
            )
            .await
            .unwrap();
        }
        assert!(matches!(
            db.submit_report(
                &anon,
                &report_token,
                &NewReport {
                    body: "One too many".into(),
                    photo: None,
                    video: None
                }
            )
            .await,
            Err(Error::Invalid(_))
        ));

        // The call closes: contacts erased, the counts kept; the report links keep
        // working for a while (what people signed up for often happens after), then
        // go too.
        sqlx::query("UPDATE calls SET closes_at = 1 WHERE record_id = $1")
            .bind(id)
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        assert_eq!(db.close_due_calls().await.unwrap(), 1);
        assert_eq!(
            count(db, &format!("SELECT COUNT(*) FROM call_signups WHERE call_id = {id} AND (contact_enc IS NOT NULL OR token_hash IS NOT NULL)")).await,
            0
        );
        assert_eq!(
            db.report_link(&report_token).await.unwrap(),
            Some((id, so.space().id))
        );
        sqlx::query("UPDATE calls SET erased_at = erased_at - 91 * 86400 WHERE record_id = $1")
            .bind(id)
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        db.close_due_calls().await.unwrap();
        assert_eq!(db.report_link(&report_token).await.unwrap(), None);
        assert_eq!(count(db, &format!("SELECT COUNT(*) FROM call_signups WHERE call_id = {id} AND report_hash IS NOT NULL")).await, 0);
        assert_eq!(
            count(
                db,
                &format!("SELECT COUNT(*) FROM call_signups WHERE call_id = {id}")
            )
            .await,
            3
        );
    }
}

#[tokio::test]
async fn the_sms_digest_sends_only_public_news_at_most_daily_and_honours_stop_and_delete() {
    use convene_domain::campaign::NewUpdate;
    use convene_domain::sms::Claim;
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let so = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let anon = db.scope(None, "valley").await.unwrap();
        assert!(matches!(
            db.set_digest_keyword(&anon, "news", "").await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            db.set_digest_keyword(&so, "two words", "").await,
            Err(Error::Invalid(_))
        ));
        db.set_digest_keyword(&so, "news", "https://peace.example.org/s/valley/campaign")
            .await
            .unwrap();
        assert!(fx
            .text(db, "+255700000201", "NEWS")
            .await
            .contains("at most one SMS a day"));
        assert!(fx
            .text(db, "+255700000201", "news")
            .await
            .contains("already"));
        fx.text(db, "+255700000202", "NEWS").await;
        fx.text(db, "+255700000203", "NEWS").await;
        fx.text(db, "+255700000203", "STOP").await;
        assert_eq!(
            db.digest(so.space().id).await.unwrap().map(|d| d.1),
            Some(3)
        );
        // No news yet: nothing is sent.
        assert_eq!(db.send_digests().await.unwrap(), 0, "{}", t.name);
        sqlx::query("UPDATE campaign_digests SET last_update_at = last_update_at - 60")
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        let update = |title: &str, publish_at: Option<i64>, level: Level| NewUpdate {
            title: title.into(),
            body: "Text.".into(),
            lang: "en".into(),
            milestone: None,
            publish_at,
            level,
        };
        let now = convene_domain::util::now();
        db.create_update(
            &so,
            &update("The crossing opens daily", None, Level::Public),
        )
        .await
        .unwrap();
        db.create_update(
            &so,
            &update("Embargoed till Friday", Some(now + 86_400), Level::Public),
        )
        .await
        .unwrap();
        db.create_update(&so, &update("For members only", None, Level::Members))
            .await
            .unwrap();
        // Drain the replies to the texts above.
        let ch = &db.sms_channels(&so).await.unwrap()[0];
        let drain = |db: &Db| {
            let ch = ch.clone();
            let db = db.clone();
            async move {
                let mut out = Vec::new();
                loop {
                    match db.claim_sms(&ch).await.unwrap() {
                        Claim::Message(m) => {
                            db.sms_sent(m.id, None).await.unwrap();
                            out.push((m.to, m.body));
                        }
                        Claim::Wait(ms) => {
                            tokio::time::sleep(std::time::Duration::from_millis(ms as u64 + 1))
                                .await
                        }
                        Claim::Empty => return out,
                    }
                }
            }
        };
        drain(db).await;
        assert_eq!(
            db.send_digests().await.unwrap(),
            2,
            "the STOPped phone gets nothing ({})",
            t.name
        );
        let sent = drain(db).await;
        assert_eq!(sent.len(), 2);
        for (_, body) in &sent {
            assert!(body.contains("The crossing opens daily"), "{body}");
            assert!(
                !body.contains("Embargoed") && !body.contains("members only"),
                "{body}"
            );
            assert!(body.contains("https://peace.example.org/s/valley/campaign"));
        }
        // At most daily; and after a day, only news.
        assert_eq!(db.send_digests().await.unwrap(), 0);
        sqlx::query("UPDATE campaign_digests SET last_sent_at = last_sent_at - 86400")
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        assert_eq!(db.send_digests().await.unwrap(), 0, "no news, no digest");
        // DELETE unsubscribes.
        fx.text(db, "+255700000201", "DELETE").await;
        assert_eq!(
            db.digest(so.space().id).await.unwrap().map(|d| d.1),
            Some(2)
        );
    }
}
