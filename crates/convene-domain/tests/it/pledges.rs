//! Pledges on every engine: validation, web signatures counted only once
//! confirmed (links used twice, unknown or expired say so), SMS signatures by
//! keyword (one per phone, a district as second word, DELETE withdraws), the
//! pledge tipping with every signer told in their language, a pledge failing at
//! its deadline with contacts erased after it, levels, and counts published only
//! with small cells suppressed so that none can be worked out from the total.

use convene_analysis::survey::Published;
use convene_domain::activities::unix_to_local;
use convene_domain::campaign::pledges::{Confirmed, NewPledge, Status, WebSignature};
use convene_domain::model::Level;
use convene_domain::places::gazetteer_csv;
use convene_domain::util::now;
use convene_domain::{Db, Error};

use crate::common;
use crate::sms_flows::Fx;

fn day_in(days: i64) -> String {
    unix_to_local(now() + days * 86_400, "UTC")[..10].to_string()
}

fn pledge(title: &str, target: i64, keyword: &str, level: Level) -> NewPledge {
    NewPledge {
        title: title.into(),
        body: "If enough of us do it, the crossing reopens.".into(),
        target,
        deadline: day_in(30),
        keyword: keyword.into(),
        level: Some(level),
    }
}

/// Signs by web and returns the token of the confirmation e-mail (which is marked
/// sent), or `None` when the e-mail carries no link.
async fn sign(
    db: &Db,
    scope: &convene_domain::spaces::Scope,
    id: i64,
    email: &str,
    district: Option<i64>,
    lang: &str,
) -> (Option<String>, String) {
    db.sign_pledge(
        scope,
        id,
        &WebSignature {
            email: email.into(),
            district,
            lang: lang.into(),
            confirm_url: format!("https://convene.example/s/valley/campaign/pledges/{id}/confirm"),
        },
    )
    .await
    .unwrap();
    let m = db
        .claim_mail()
        .await
        .unwrap()
        .expect("a confirmation e-mail");
    assert_eq!(m.to, email.to_lowercase());
    db.mail_sent(m.id).await.unwrap();
    let token = m
        .body
        .split("?t=")
        .nth(1)
        .map(|rest| rest.split_whitespace().next().unwrap_or("").to_string());
    (token, m.body)
}

async fn queued_sms(db: &Db) -> i64 {
    let r = sqlx::query("SELECT COUNT(*) AS n FROM sms_outbound WHERE status = 'queued'")
        .fetch_one(db.pool_for_tests())
        .await
        .unwrap();
    sqlx::Row::get::<i64, _>(&r, "n")
}

#[tokio::test]
async fn a_pledge_tips_by_web_and_sms_fails_at_its_deadline_and_publishes_counts_only() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let so = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let anon = db.scope(None, "valley").await.unwrap();
        let g =
            gazetteer_csv::read(convene_domain::demo::places::gazetteer_file().as_bytes()).unwrap();
        db.import_gazetteer(&so, &g).await.unwrap();
        let districts: Vec<_> = db
            .all_places(&so)
            .await
            .unwrap()
            .into_iter()
            .filter(|p| p.level == 2)
            .collect();
        assert!(districts.len() >= 2, "{}", t.name);
        let (d0, d1) = (&districts[0], &districts[1]);

        // Validation names every field and writes nothing; only organisers write.
        let bad = NewPledge {
            title: " ".into(),
            target: 1,
            deadline: "2020-01-01".into(),
            keyword: "stop".into(),
            ..Default::default()
        };
        match db.create_pledge(&so, &bad).await {
            Err(Error::Invalid(v)) => {
                let fields: Vec<_> = v.iter().map(|i| i.field).collect();
                assert_eq!(
                    fields,
                    ["title", "target", "deadline", "keyword"],
                    "{}",
                    t.name
                );
            }
            other => panic!("{}: {other:?}", t.name),
        }
        assert!(db.pledges(&so).await.unwrap().is_empty());
        assert!(matches!(
            db.create_pledge(&anon, &pledge("x", 5, "", Level::Public))
                .await,
            Err(Error::Forbidden)
        ));

        let id = db
            .create_pledge(
                &so,
                &pledge(
                    "I will walk to the crossing on market day",
                    12,
                    "walk",
                    Level::Public,
                ),
            )
            .await
            .unwrap();
        let p = db.pledge(&anon, id).await.unwrap();
        assert_eq!(
            (p.status, p.keyword.as_deref(), p.accepting),
            (Status::Open, Some("WALK"), true)
        );
        // A members' pledge is not the public's, on the web or by SMS.
        let members = db
            .create_pledge(&so, &pledge("Members only", 5, "inner", Level::Members))
            .await
            .unwrap();
        assert!(matches!(
            db.pledge(&anon, members).await,
            Err(Error::NotFound)
        ));
        assert_eq!(db.pledges(&anon).await.unwrap().len(), 1, "{}", t.name);

        // Web: bad input is named; two confirmed signers, one who never confirms.
        match db
            .sign_pledge(
                &anon,
                id,
                &WebSignature {
                    email: "not an address".into(),
                    district: Some(-4),
                    lang: "en".into(),
                    confirm_url: String::new(),
                },
            )
            .await
        {
            Err(Error::Invalid(v)) => {
                let fields: Vec<_> = v.iter().map(|i| i.field).collect();
                assert_eq!(fields, ["email", "district"]);
            }
            other => panic!("{}: {other:?}", t.name),
        }
        let (ta, _) = sign(db, &anon, id, "Amina@example.org", Some(d0.id), "ur").await;
        let (tb, _) = sign(db, &anon, id, "bilal@example.org", Some(d0.id), "en").await;
        let (tc, _) = sign(db, &anon, id, "cyrus@example.org", None, "en").await;
        let (ta, tb, tc) = (ta.unwrap(), tb.unwrap(), tc.unwrap());
        // Nothing counts before confirmation.
        assert_eq!(
            db.pledge_counts(&anon, id).await.unwrap().total,
            Published::Shown(0)
        );
        assert!(matches!(
            db.confirm_pledge(&ta).await.unwrap(),
            Confirmed::Counted { tipped: false, .. }
        ));
        assert!(matches!(
            db.confirm_pledge(&tb).await.unwrap(),
            Confirmed::Counted { tipped: false, .. }
        ));
        // A link used twice, an unknown one, an expired one.
        assert_eq!(
            db.confirm_pledge(&ta).await.unwrap(),
            Confirmed::AlreadyUsed { pledge: id }
        );
        assert_eq!(
            db.confirm_pledge("no-such-token").await.unwrap(),
            Confirmed::Unknown
        );
        sqlx::query("UPDATE pledge_signers SET created_at = $1 WHERE confirmed_at IS NULL")
            .bind(now() - 8 * 86_400)
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        assert_eq!(db.confirm_pledge(&tc).await.unwrap(), Confirmed::Expired);
        // Signing again with a confirmed address changes nothing and says so by
        // e-mail (with no link).
        let (again, body) = sign(db, &anon, id, "amina@example.org", None, "en").await;
        assert!(again.is_none() && body.contains("already"), "{body}");

        // SMS: ten phones in district d1 (by its code); the tenth makes twelve.
        let code = d1.code.to_lowercase();
        for i in 0..9 {
            let reply = fx
                .text(db, &format!("+9230000000{i:02}"), &format!("walk {code}"))
                .await;
            assert!(reply.contains("You signed"), "{}: {reply}", t.name);
        }
        let before = queued_sms(db).await;
        let reply = fx.text(db, "+923000000099", &format!("WALK {code}")).await;
        assert!(reply.contains("You signed"), "{reply}");
        assert_eq!(
            db.pledge(&anon, id).await.unwrap().status,
            Status::Tipped,
            "{}",
            t.name
        );
        // Every SMS signer is told by SMS; every web signer by e-mail, in the
        // language they signed in.
        assert_eq!(queued_sms(db).await - before, 10, "{}", t.name);
        let mut tipped = Vec::new();
        while let Some(m) = db.claim_mail().await.unwrap() {
            db.mail_sent(m.id).await.unwrap();
            tipped.push(m);
        }
        assert_eq!(tipped.len(), 2, "{}", t.name);
        let amina = tipped.iter().find(|m| m.to == "amina@example.org").unwrap();
        assert!(
            amina.subject.contains("عہد") && amina.body.contains("12"),
            "{}",
            amina.subject
        );
        // One signature per phone; a second text changes nothing.
        let reply = fx.text(db, "+923000000099", "walk").await;
        assert!(reply.contains("already"), "{reply}");
        // A members' pledge's keyword signs nobody.
        let reply = fx.text(db, "+923000000098", "inner").await;
        assert!(!reply.contains("You signed"), "{reply}");

        // Counts: total 12; district d0 has 2 (hidden) and d1 has 10, which is
        // hidden too, else the total would give d0's count away.
        let c = db.pledge_counts(&anon, id).await.unwrap();
        assert_eq!(c.total, Published::Shown(12), "{}", t.name);
        assert_eq!(c.districts.len(), 2);
        assert!(
            c.districts.iter().all(|(_, n)| n.is_hidden()),
            "{:?}",
            c.districts
        );
        // DELETE withdraws the phone's signature: 11, and it stays tipped.
        fx.text(db, "+923000000099", "DELETE").await;
        let c = db.pledge_counts(&anon, id).await.unwrap();
        assert_eq!(c.total, Published::Shown(11));
        assert_eq!(db.pledge(&anon, id).await.unwrap().status, Status::Tipped);

        // A second pledge fails at its deadline: its two signers are told, their
        // contacts erased, the unconfirmed signature deleted.
        let small = db
            .create_pledge(
                &so,
                &pledge("I will host a neighbour", 100, "host", Level::Public),
            )
            .await
            .unwrap();
        let (tf, _) = sign(db, &anon, small, "farah@example.org", None, "en").await;
        db.confirm_pledge(&tf.unwrap()).await.unwrap();
        sign(db, &anon, small, "gul@example.org", None, "en").await;
        fx.text(db, "+923000000050", "host").await;
        // Fewer than the threshold: hidden on every exit.
        let c = db.pledge_counts(&anon, small).await.unwrap();
        assert!(
            c.total.is_hidden() && c.total_text() == "<10",
            "{}",
            c.total_text()
        );
        let sms_before = queued_sms(db).await;
        assert_eq!(db.close_due_pledges().await.unwrap(), 0);
        sqlx::query("UPDATE pledges SET deadline = $1 WHERE record_id = $2")
            .bind(now() - 1)
            .bind(small)
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        assert_eq!(db.close_due_pledges().await.unwrap(), 1, "{}", t.name);
        assert_eq!(db.close_due_pledges().await.unwrap(), 0, "ended once");
        let p = db.pledge(&anon, small).await.unwrap();
        assert_eq!((p.status, p.accepting), (Status::Failed, false));
        assert_eq!(queued_sms(db).await - sms_before, 1);
        let failed = db.claim_mail().await.unwrap().expect("the failure notice");
        assert_eq!(failed.to, "farah@example.org");
        assert!(
            failed.subject.contains("did not reach"),
            "{}",
            failed.subject
        );
        assert!(db.claim_mail().await.unwrap().is_none());
        let left = sqlx::query(
            "SELECT COUNT(*) AS n, COUNT(contact_enc) AS kept FROM pledge_signers WHERE pledge_id = $1",
        )
        .bind(small)
        .fetch_one(db.pool_for_tests())
        .await
        .unwrap();
        assert_eq!(
            (
                sqlx::Row::get::<i64, _>(&left, "n"),
                sqlx::Row::get::<i64, _>(&left, "kept")
            ),
            (2, 0),
            "{}",
            t.name
        );
        // Signing a closed pledge is refused and says why.
        assert!(matches!(
            db.sign_pledge(
                &anon,
                small,
                &WebSignature {
                    email: "late@example.org".into(),
                    district: None,
                    lang: "en".into(),
                    confirm_url: String::new(),
                },
            )
            .await,
            Err(Error::Invalid(v)) if v[0].key == "pledge-error-closed"
        ));
    }
}
