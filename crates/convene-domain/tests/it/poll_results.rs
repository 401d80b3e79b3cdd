//! Poll results on every available engine: the cache keyed by the poll's version,
//! released numbers with small cells hidden, free-text coding with two analysts,
//! and the SMS summary built from released numbers only.

use crate::common;

use convene_domain::model::{Level, Role};
use convene_domain::polls::coding::{double_coded, parse_rules, Code};
use convene_domain::polls::summary::CTX_RESPONDENT_PHONE;
use convene_domain::polls::xlsform::{Choice, ChoiceList, Translations};
use convene_domain::polls::{Access, Answer, NewPoll, PollDefinition, Question, QuestionKind};
use convene_domain::sms::{Claim, Gateway, NewChannel, Settings};
use convene_domain::Error;

fn tr(en: &str) -> Translations {
    [("en".to_string(), en.to_string())].into_iter().collect()
}

fn q(name: &str, kind: QuestionKind) -> Question {
    Question {
        name: name.into(),
        kind,
        label: tr(&name.to_uppercase()),
        hint: Translations::new(),
        required: false,
        relevant: None,
        constraint: None,
        constraint_message: Translations::new(),
        row: 0,
        demographic: None,
    }
}

fn definition() -> PollDefinition {
    let yn = ChoiceList {
        name: "yn".into(),
        choices: ["yes", "no"]
            .iter()
            .map(|c| Choice {
                name: c.to_string(),
                label: tr(&c.to_uppercase()),
            })
            .collect(),
    };
    PollDefinition {
        title: None,
        form_id: None,
        version: None,
        default_language: Some("en".into()),
        languages: vec!["en".into()],
        questions: vec![
            q("safe", QuestionKind::SelectOne(yn)),
            q("why", QuestionKind::Text),
        ],
    }
}

#[tokio::test]
async fn results_cache_release_coding_summary() {
    for t in common::backends().await {
        let db = &t.db;
        let pw = "a long enough password";
        let owner = db.create_user("o@x.org", "Owner", pw, false).await.unwrap();
        let a1 = db.create_user("a1@x.org", "A1", pw, false).await.unwrap();
        let a2 = db.create_user("a2@x.org", "A2", pw, false).await.unwrap();
        let member = db.create_user("m@x.org", "M", pw, false).await.unwrap();
        db.create_space("valley", "Valley", "", true, &owner)
            .await
            .unwrap();
        let so = db.scope(Some(&owner), "valley").await.unwrap();
        for (e, r) in [
            ("a1@x.org", Role::Analyst),
            ("a2@x.org", Role::Analyst),
            ("m@x.org", Role::Member),
        ] {
            db.set_role(&so, e, Some(r)).await.unwrap();
        }
        let s1 = db.scope(Some(&a1), "valley").await.unwrap();
        let s2 = db.scope(Some(&a2), "valley").await.unwrap();
        let sm = db.scope(Some(&member), "valley").await.unwrap();
        let id = db
            .create_poll(
                &so,
                &NewPoll {
                    title: "Crossing".into(),
                    description: String::new(),
                    level: Level::Public,
                    definition: definition(),
                    access: Access::Open,
                    keyword: None,
                    opens_at: None,
                    closes_at: None,
                    idle_timeout_secs: 86400,
                    results_public: true,
                },
            )
            .await
            .unwrap();
        let poll = db.poll(&so, id).await.unwrap();
        // 25 yes, 3 no with a reason.
        let mut respondents = Vec::new();
        for i in 0..28 {
            let r = db
                .start_web_respondent(&poll, &format!("cookie-number-{i:04}-long"), "en", None)
                .await
                .unwrap();
            let a = if i < 25 { "yes" } else { "no" };
            db.save_answer(&poll, &r, "safe", &Answer::Choice(a.into()), Some("why"))
                .await
                .unwrap();
            let why = if i % 2 == 0 {
                "the checkpoint is closed"
            } else {
                "no water"
            };
            db.save_answer(&poll, &r, "why", &Answer::Text(why.into()), None)
                .await
                .unwrap();
            respondents.push(r);
        }
        let poll = db.poll(&so, id).await.unwrap();

        // Members do not get the full numbers; organisers do.
        assert!(matches!(
            db.poll_results(&sm, &poll).await,
            Err(Error::Forbidden)
        ));
        let full = db.poll_results(&so, &poll).await.unwrap();
        assert_eq!(full.version, poll.version);
        let counts: Vec<u64> = full.unweighted.questions[0]
            .overall
            .cells
            .iter()
            .map(|c| c.count)
            .collect();
        assert_eq!(counts, vec![25, 3]);

        // Released: 3 is "<10", and so is its complement, so 28 - 25 gives nothing.
        let (rel, _) = db.released_poll_results(&sm, &poll).await.unwrap();
        let safe = &rel.questions[0];
        assert_eq!(rel.text(&safe.overall.cells[1].count), "<10");
        assert!(safe.overall.cells[0].count.is_hidden() || safe.overall.answered.is_hidden());
        let json = serde_json::to_string(&rel).unwrap();
        assert!(!json.contains(":3,") && !json.contains(":3}"), "{json}");

        // A new answer makes the cache stale; it is served until it is old enough.
        let extra = db
            .start_web_respondent(&poll, "cookie-number-extra-long", "en", None)
            .await
            .unwrap();
        db.save_answer(&poll, &extra, "safe", &Answer::Choice("yes".into()), None)
            .await
            .unwrap();
        let newer = db.poll(&so, id).await.unwrap();
        assert!(newer.version > poll.version);
        let cached = db.poll_results(&so, &newer).await.unwrap();
        assert_eq!(cached.version, poll.version, "served from the cache");
        // Once the cached report is old enough, the next request recomputes it.
        sqlx::query("UPDATE poll_results SET computed_at = computed_at - 31 WHERE poll_id = $1")
            .bind(id)
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        let fresh = db.poll_results(&so, &newer).await.unwrap();
        assert_eq!(fresh.version, newer.version);
        assert_eq!(fresh.unweighted.respondents, 29);
        let forced = db.recompute_poll_results(&so, &newer).await.unwrap();
        assert_eq!(forced.unweighted.respondents, 29);

        // Coding: a codebook, the rules, then two analysts.
        let code = |c: &str, rules: &str| Code {
            code: c.into(),
            description: format!("About {c}"),
            rules: parse_rules(rules),
        };
        assert!(matches!(
            db.save_poll_code(&sm, &newer, "why", &code("water", "water"))
                .await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            db.save_poll_code(&s1, &newer, "why", &code("bad", "/(/"))
                .await,
            Err(Error::Invalid(_))
        ));
        assert!(matches!(
            db.save_poll_code(&s1, &newer, "safe", &code("water", "water"))
                .await,
            Err(Error::NotFound)
        ));
        db.save_poll_code(&s1, &newer, "why", &code("water", "water\nur: پانی"))
            .await
            .unwrap();
        db.save_poll_code(&s1, &newer, "why", &code("movement", "/checkpoints?/"))
            .await
            .unwrap();
        let p = db.poll(&so, id).await.unwrap();
        assert_eq!(db.run_poll_coding_rules(&s1, &p, "why").await.unwrap(), 28);
        let answers = db.poll_coded_answers(&s1, &p, "why").await.unwrap();
        assert_eq!(answers.len(), 28);
        assert_eq!(
            answers[0].by_rules.as_deref(),
            Some(&["movement".to_string()][..])
        );
        // Both analysts code the first four; they disagree on one.
        for (i, a) in answers.iter().take(4).enumerate() {
            let mine = a.by_rules.clone().unwrap();
            db.recode_poll_answer(&s1, &p, "why", a.respondent_id, &mine)
                .await
                .unwrap();
            let theirs = if i == 0 {
                vec!["water".to_string()]
            } else {
                mine
            };
            db.recode_poll_answer(&s2, &p, "why", a.respondent_id, &theirs)
                .await
                .unwrap();
        }
        assert!(matches!(
            db.recode_poll_answer(&s2, &p, "why", answers[0].respondent_id, &["nope".into()])
                .await,
            Err(Error::Invalid(_))
        ));
        let answers = db.poll_coded_answers(&s1, &p, "why").await.unwrap();
        let (x, y, la, lb) = double_coded(&answers).unwrap();
        assert_eq!((x, y), (a1.id, a2.id));
        assert_eq!(la.len(), 4);
        assert_eq!(la.iter().zip(&lb).filter(|(a, b)| a != b).count(), 1);
        // Coded answers feed the results like a choice question.
        let p = db.poll(&so, id).await.unwrap();
        let c = db.recompute_poll_results(&so, &p).await.unwrap();
        let why = c
            .unweighted
            .questions
            .iter()
            .find(|q| q.name == "why")
            .unwrap();
        let total: u64 = why.overall.cells.iter().map(|c| c.count).sum();
        assert_eq!(total, 28);
        // The second analyst coded last: answer 0 counts as water.
        assert_eq!(why.overall.cells[0].count, 14 + 1);

        // SMS summary: two respondents asked for it, one of whom opted out.
        let ch = db
            .create_sms_channel(
                &so,
                &NewChannel {
                    gateway: Gateway::Kannel,
                    name: "Short code".into(),
                    number: "4040".into(),
                    settings: Settings {
                        account: "convene".into(),
                    },
                    secret: "kannel-secret".into(),
                    rate_per_sec: 1000.0,
                    languages: vec![],
                },
            )
            .await
            .unwrap();
        let ch = db.sms_channel_by_key(&ch.key).await.unwrap();
        let pool = db.pool_for_tests();
        for (r, phone) in [
            (&respondents[0], "+923001111111"),
            (&respondents[1], "+923002222222"),
        ] {
            sqlx::query(
                "UPDATE poll_respondents SET summary_optin = 1, phone_enc = $1, sms_channel_id = $2 WHERE id = $3",
            )
            .bind(db.keys().seal(CTX_RESPONDENT_PHONE, phone).unwrap())
            .bind(ch.id)
            .bind(r.id)
            .execute(pool)
            .await
            .unwrap();
        }
        sqlx::query(
            "INSERT INTO sms_optouts (space_id, phone_hash, opted_out_at) VALUES ($1, $2, 0)",
        )
        .bind(so.space().id)
        .bind(db.keys().lookup_hash("phone", "+923002222222").unwrap())
        .execute(pool)
        .await
        .unwrap();
        let qs = vec!["safe".to_string()];
        assert!(matches!(
            db.send_poll_summary(&s1, &p, &qs).await,
            Err(Error::Forbidden)
        ));
        let text = db.poll_summary_text(&so, &p, &qs).await.unwrap();
        assert!(text.contains("NO <10"), "{text}");
        assert!(!text.contains(" 3") && !text.contains("(3"), "{text}");
        assert_eq!(db.send_poll_summary(&so, &p, &qs).await.unwrap(), (1, 1));
        let Claim::Message(m) = db.claim_sms(&ch).await.unwrap() else {
            panic!("nothing queued");
        };
        assert_eq!(m.to, "+923001111111");
        assert_eq!(m.body, text);
        assert!(m.body.chars().count() <= 480);
        // Sent once only.
        assert_eq!(db.send_poll_summary(&so, &p, &qs).await.unwrap(), (0, 0));
    }
}
