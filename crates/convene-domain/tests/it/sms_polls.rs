//! Poll conversations by SMS on every available engine: keywords, skip logic, the
//! one re-ask with a hint, two polls by one phone, pause and resume, idle time-out,
//! DELETE, duplicates, STOP in the middle, invitation-only polls.

use crate::common;

use convene_domain::crypto::Keyring;
use convene_domain::model::{Level, User};
use convene_domain::polls::xlsform::{parse_expr, Choice, ChoiceList, Translations};
use convene_domain::polls::{Access, NewPoll, Poll, PollDefinition, Question, QuestionKind};
use convene_domain::sms::{Channel, Gateway, InboundSms, NewChannel, ReplyMode, Settings};
use convene_domain::Db;

fn tr(pairs: &[(&str, &str)]) -> Translations {
    pairs
        .iter()
        .map(|(l, t)| (l.to_string(), t.to_string()))
        .collect()
}

fn question(name: &str, label: &str, kind: QuestionKind, relevant: Option<&str>) -> Question {
    Question {
        name: name.into(),
        kind,
        label: tr(&[("en", label), ("ur", &format!("{label} (ur)"))]),
        hint: Translations::new(),
        required: true,
        relevant: relevant.map(|r| parse_expr(r).unwrap()),
        constraint: None,
        constraint_message: Translations::new(),
        row: 0,
        demographic: None,
    }
}

fn definition() -> PollDefinition {
    let yn = ChoiceList {
        name: "yn".into(),
        choices: vec![
            Choice {
                name: "yes".into(),
                label: tr(&[("en", "Yes"), ("ur", "ہاں")]),
            },
            Choice {
                name: "no".into(),
                label: tr(&[("en", "No"), ("ur", "نہیں")]),
            },
        ],
    };
    PollDefinition {
        title: None,
        form_id: None,
        version: None,
        default_language: Some("en".into()),
        languages: vec!["en".into(), "ur".into()],
        questions: vec![
            question(
                "safe",
                "Is the crossing safe?",
                QuestionKind::SelectOne(yn),
                None,
            ),
            question(
                "why",
                "Why not?",
                QuestionKind::Text,
                Some("${safe} = 'no'"),
            ),
            question(
                "trust",
                "Trust in the council",
                QuestionKind::Scale { min: 1, max: 5 },
                None,
            ),
        ],
    }
}

fn new_poll(title: &str, keyword: &str, access: Access, idle: i64) -> NewPoll {
    NewPoll {
        title: title.into(),
        description: String::new(),
        level: Level::Public,
        definition: definition(),
        access,
        keyword: Some(keyword.into()),
        opens_at: None,
        closes_at: None,
        idle_timeout_secs: idle,
        results_public: false,
    }
}

struct Fx {
    owner: User,
    ch: Channel,
    n: std::cell::Cell<u32>,
}

async fn setup(db: &Db) -> Fx {
    let owner = db
        .create_user(
            "owner@example.org",
            "Owner",
            "a long enough password",
            false,
        )
        .await
        .unwrap();
    db.create_space("valley", "Valley", "", true, &owner)
        .await
        .unwrap();
    let scope = db.scope(Some(&owner), "valley").await.unwrap();
    let created = db
        .create_sms_channel(
            &scope,
            &NewChannel {
                gateway: Gateway::Kannel,
                name: "Short code".into(),
                number: "4040".into(),
                settings: Settings {
                    account: "convene".into(),
                },
                secret: "kannel-secret".into(),
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

impl Fx {
    /// Sends a text; returns the inline replies joined.
    async fn text(&self, db: &Db, from: &str, body: &str) -> String {
        self.n.set(self.n.get() + 1);
        let msg = InboundSms {
            gateway_id: format!("g-{}", self.n.get()),
            from: from.into(),
            text: body.into(),
        };
        let r = db
            .receive_sms(&self.ch, &msg, ReplyMode::Inline)
            .await
            .unwrap();
        assert!(!r.duplicate);
        r.inline_replies.join("\n")
    }

    async fn poll(&self, db: &Db, keyword: &str, access: Access, idle: i64) -> Poll {
        let scope = db.scope(Some(&self.owner), "valley").await.unwrap();
        let id = db
            .create_poll(&scope, &new_poll(keyword, keyword, access, idle))
            .await
            .unwrap();
        db.poll(&scope, id).await.unwrap()
    }
}

fn phone_hash(phone: &str) -> String {
    Keyring::from_master(&[42u8; 32])
        .unwrap()
        .lookup_hash("phone", phone)
        .unwrap()
}

/// (status, awaiting, reasked, summary_optin, channel) of a phone's respondent in a poll.
async fn state(db: &Db, poll: &Poll, phone: &str) -> Option<(String, Option<String>, i64, i64)> {
    sqlx::query_as::<_, (String, Option<String>, i64, i64)>(
        "SELECT status, awaiting, reasked, summary_optin FROM poll_respondents
         WHERE poll_id = $1 AND phone_hash = $2 AND channel = 'sms'",
    )
    .bind(poll.id)
    .bind(phone_hash(phone))
    .fetch_optional(db.pool_for_tests())
    .await
    .unwrap()
}

/// The phone's plain answers in a poll, and whether free text is kept sealed.
async fn answers(db: &Db, poll: &Poll, phone: &str) -> Vec<(String, Option<String>, bool)> {
    sqlx::query_as::<_, (String, Option<String>, Option<Vec<u8>>)>(
        "SELECT a.question, a.value, a.text_enc FROM poll_answers a
         JOIN poll_respondents r ON r.id = a.respondent_id
         WHERE r.poll_id = $1 AND r.phone_hash = $2 ORDER BY a.question",
    )
    .bind(poll.id)
    .bind(phone_hash(phone))
    .fetch_all(db.pool_for_tests())
    .await
    .unwrap()
    .into_iter()
    .map(|(q, v, t)| (q, v, t.is_some()))
    .collect()
}

fn a(q: &str, v: Option<&str>, sealed: bool) -> (String, Option<String>, bool) {
    (q.into(), v.map(str::to_string), sealed)
}

#[tokio::test]
async fn a_whole_conversation_with_skip_logic_reask_and_summary() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = setup(db).await;
        // No poll: a text is stored and nothing is said.
        assert_eq!(fx.text(db, "+923001", "hello").await, "");
        let cross = fx.poll(db, "CROSS", Access::Open, 3600).await;

        // The only open poll starts on any text.
        let r = fx.text(db, "+923001", "hello").await;
        assert!(
            r.starts_with("CROSS\nIs the crossing safe?\n1 Yes\n2 No"),
            "{r}"
        );
        // Unreadable: asked again once with a hint.
        let r = fx.text(db, "+923001", "perhaps").await;
        assert!(
            r.starts_with("Please reply with one number from 1 to 2."),
            "{r}"
        );
        assert!(r.contains("Is the crossing safe?"), "{r}");
        assert_eq!(state(db, &cross, "+923001").await.unwrap().2, 1);
        // "No" by label: the skip logic asks why.
        let r = fx.text(db, "+923001", "no").await;
        assert_eq!(r, "Why not?", "{}", t.name);
        let r = fx.text(db, "+923001", "The road is mined").await;
        assert_eq!(r, "Trust in the council (1-5)");
        // Out of range, asked again; unreadable twice: nothing recorded, the end.
        let r = fx.text(db, "+923001", "9").await;
        assert!(
            r.starts_with("Please reply with a number from 1 to 5."),
            "{r}"
        );
        let r = fx.text(db, "+923001", "nine").await;
        assert!(
            r.starts_with("Thank you for your answers. Reply YES"),
            "{r}"
        );
        assert_eq!(
            answers(db, &cross, "+923001").await,
            vec![a("safe", Some("no"), false), a("why", None, true)]
        );
        let (status, awaiting, _, optin) = state(db, &cross, "+923001").await.unwrap();
        assert_eq!((status.as_str(), awaiting, optin), ("complete", None, 0));
        // YES asks for the summary.
        let r = fx.text(db, "+923001", "Yes").await;
        assert!(r.contains("summary"), "{r}");
        assert_eq!(state(db, &cross, "+923001").await.unwrap().3, 1);
        // Answering again is refused kindly.
        let r = fx.text(db, "+923001", "cross").await;
        assert_eq!(r, "You have already answered this poll. Thank you.");

        // "Yes" skips "why"; Urdu by the keyword's language code; Urdu digits.
        let r = fx.text(db, "+923002", "cross ur").await;
        assert!(r.contains("Is the crossing safe? (ur)\n1 ہاں"), "{r}");
        let r = fx.text(db, "+923002", "ہاں").await;
        assert_eq!(r, "Trust in the council (ur) (1-5)");
        let r = fx.text(db, "+923002", "۴").await;
        assert!(r.starts_with("آپ کے جوابات کا شکریہ"), "{r}");
        assert_eq!(
            answers(db, &cross, "+923002").await,
            vec![a("safe", Some("yes"), false), a("trust", Some("4"), false)]
        );
        assert_eq!(db.poll_respondent_counts(&cross).await.unwrap(), (2, 2));
        // Queued mode: the replies wait in the outbound queue.
        let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sms_outbound")
            .fetch_one(db.pool_for_tests())
            .await
            .unwrap();
        let q = db
            .receive_sms(
                &fx.ch,
                &InboundSms {
                    gateway_id: "queued-1".into(),
                    from: "+923003".into(),
                    text: "cross".into(),
                },
                ReplyMode::Queue,
            )
            .await
            .unwrap();
        assert!(q.inline_replies.is_empty());
        let queued: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM sms_outbound WHERE status = 'queued'")
                .fetch_one(db.pool_for_tests())
                .await
                .unwrap();
        let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sms_outbound")
            .fetch_one(db.pool_for_tests())
            .await
            .unwrap();
        assert_eq!((after - before, queued), (1, 1), "{}", t.name);
    }
}

#[tokio::test]
async fn two_polls_pause_resume_duplicates_and_stop() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = setup(db).await;
        let cross = fx.poll(db, "CROSS", Access::Open, 3600).await;
        let water = fx.poll(db, "WATER", Access::Open, 3600).await;
        // Two open polls: a text without keyword gets the list.
        let r = fx.text(db, "+923010", "hi").await;
        assert!(
            r.starts_with("Reply with a poll's keyword")
                && r.contains("CROSS")
                && r.contains("WATER"),
            "{r}"
        );
        fx.text(db, "+923010", "CROSS").await;
        fx.text(db, "+923010", "1").await;
        // Another keyword pauses this one.
        let r = fx.text(db, "+923010", "water").await;
        assert!(r.starts_with("WATER\nIs the crossing safe?"), "{r}");
        assert_eq!(state(db, &cross, "+923010").await.unwrap().0, "paused");
        fx.text(db, "+923010", "2").await;
        // Its keyword resumes it where it was.
        let r = fx.text(db, "+923010", "cross").await;
        assert_eq!(r, "Trust in the council (1-5)");
        assert_eq!(state(db, &water, "+923010").await.unwrap().0, "paused");
        assert_eq!(state(db, &cross, "+923010").await.unwrap().0, "active");

        // A gateway's retry of an answer changes nothing.
        let msg = InboundSms {
            gateway_id: "retry-1".into(),
            from: "+923010".into(),
            text: "5".into(),
        };
        let first = db
            .receive_sms(&fx.ch, &msg, ReplyMode::Inline)
            .await
            .unwrap();
        assert!(first.inline_replies[0].starts_with("Thank you"));
        let version = db
            .poll(
                &db.scope(Some(&fx.owner), "valley").await.unwrap(),
                cross.id,
            )
            .await
            .unwrap()
            .version;
        let again = db
            .receive_sms(&fx.ch, &msg, ReplyMode::Inline)
            .await
            .unwrap();
        assert!(
            again.duplicate && again.inline_replies.is_empty(),
            "{}",
            t.name
        );
        let scope = db.scope(Some(&fx.owner), "valley").await.unwrap();
        assert_eq!(db.poll(&scope, cross.id).await.unwrap().version, version);
        assert_eq!(
            answers(db, &cross, "+923010").await,
            vec![a("safe", Some("yes"), false), a("trust", Some("5"), false)]
        );
        // WATER is still waiting; resuming it asks "why".
        let r = fx.text(db, "+923010", "WATER").await;
        assert_eq!(r, "Why not?");

        // STOP in the middle: paused, then nothing is read or sent until START.
        let r = fx.text(db, "+923010", "STOP").await;
        assert!(r.contains("no more messages"));
        assert_eq!(state(db, &water, "+923010").await.unwrap().0, "paused");
        assert_eq!(fx.text(db, "+923010", "because").await, "");
        assert_eq!(answers(db, &water, "+923010").await.len(), 1);
        fx.text(db, "+923010", "START").await;
        assert_eq!(fx.text(db, "+923010", "water").await, "Why not?");
        fx.text(db, "+923010", "because").await;
        assert_eq!(answers(db, &water, "+923010").await.len(), 2);
    }
}

#[tokio::test]
async fn idle_conversations_time_out() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = setup(db).await;
        let cross = fx.poll(db, "CROSS", Access::Open, 60).await;
        fx.poll(db, "WATER", Access::Open, 60).await;
        fx.text(db, "+923020", "cross").await;
        fx.text(db, "+923021", "cross").await;
        // Two minutes of silence.
        sqlx::query("UPDATE poll_respondents SET updated_at = updated_at - 120")
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        // The next message times the conversation out and is not taken as an answer.
        let r = fx.text(db, "+923020", "1").await;
        assert!(
            r.starts_with("Reply with a poll's keyword"),
            "{}: {r}",
            t.name
        );
        assert_eq!(state(db, &cross, "+923020").await.unwrap().0, "timed_out");
        assert!(answers(db, &cross, "+923020").await.is_empty());
        // The periodic sweep finds the other one.
        assert_eq!(db.sweep_idle_poll_conversations().await.unwrap(), 1);
        assert_eq!(state(db, &cross, "+923021").await.unwrap().0, "timed_out");
        assert_eq!(db.sweep_idle_poll_conversations().await.unwrap(), 0);
        // Its keyword starts it again where it stopped.
        let r = fx.text(db, "+923020", "CROSS").await;
        assert!(r.starts_with("Is the crossing safe?"), "{r}");
        assert_eq!(
            fx.text(db, "+923020", "1").await,
            "Trust in the council (1-5)"
        );
    }
}

#[tokio::test]
async fn delete_keyword_and_invitations() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = setup(db).await;
        let scope = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let cross = fx.poll(db, "CROSS", Access::Open, 3600).await;
        let inv = fx.poll(db, "INV", Access::Invite, 3600).await;
        // Not invited: refused, nothing stored.
        assert_eq!(
            fx.text(db, "+923030", "inv").await,
            "This poll is by invitation only."
        );
        assert!(state(db, &inv, "+923030").await.is_none());
        db.invite_poll_phones(&scope, &inv, &["+923030".into()])
            .await
            .unwrap();
        let r = fx.text(db, "+923030", "inv").await;
        assert!(r.starts_with("INV\nIs the crossing safe?"), "{r}");
        fx.text(db, "+923030", "1").await;
        fx.text(db, "+923030", "cross").await;
        fx.text(db, "+923030", "2").await;
        fx.text(db, "+923031", "cross").await;
        fx.text(db, "+923031", "1").await;
        assert_eq!(answers(db, &inv, "+923030").await.len(), 1);
        assert_eq!(answers(db, &cross, "+923030").await.len(), 1);

        // DELETE removes every answer of that phone in the space, and only those.
        let r = fx.text(db, "+923030", "delete").await;
        assert_eq!(r, "Your poll answers have been deleted.", "{}", t.name);
        assert!(state(db, &inv, "+923030").await.is_none());
        assert!(state(db, &cross, "+923030").await.is_none());
        assert!(answers(db, &cross, "+923030").await.is_empty());
        assert_eq!(answers(db, &cross, "+923031").await.len(), 1);
        let entries = db.audit_for_space(scope.space().id, 50).await.unwrap();
        let deletion = entries
            .iter()
            .find(|e| e.action == "poll.respondent.delete")
            .expect("the deletion is audited");
        assert!(
            deletion.detail.contains("respondents=2"),
            "{}",
            deletion.detail
        );
        assert!(!deletion.detail.contains("923030"));
        assert!(matches!(
            db.audit_verify().await.unwrap(),
            convene_domain::audit::Verdict::Intact { .. }
        ));
        // In Urdu too.
        let r = fx.text(db, "+923031", "حذف").await;
        assert!(r.contains("مٹا دیے"), "{r}");
        assert!(answers(db, &cross, "+923031").await.is_empty());
        let (n, _) = db.poll_respondent_counts(&cross).await.unwrap();
        assert_eq!(n, 0);
    }
}

#[tokio::test]
async fn ussd_steps_are_stored_once_per_session() {
    use convene_domain::polls::ussd::{UssdRequest, UssdScreen};
    for t in common::backends().await {
        let db = &t.db;
        let fx = setup(db).await;
        let cross = fx.poll(db, "CROSS", Access::Open, 3600).await;
        let step = |text: &str| UssdRequest {
            session_id: "ATUid_1".into(),
            phone: "+254711000001".into(),
            text: text.into(),
        };
        // One poll open: its first question at once.
        let s = db.ussd(&fx.ch, &step("")).await.unwrap();
        assert_eq!(
            s,
            UssdScreen::Con("Is the crossing safe?\n1 Yes\n2 No".into()),
            "{}",
            t.name
        );
        let s = db.ussd(&fx.ch, &step("2")).await.unwrap();
        assert_eq!(s, UssdScreen::Con("Why not?".into()));
        // The same step again (a retry): same screen, one answer.
        assert_eq!(db.ussd(&fx.ch, &step("2")).await.unwrap(), s);
        let s = db.ussd(&fx.ch, &step("2*Mines")).await.unwrap();
        assert_eq!(s.body(), "CON Trust in the council (1-5)");
        let s = db.ussd(&fx.ch, &step("2*Mines*0")).await.unwrap();
        assert_eq!(s.body(), "CON Not understood.\nTrust in the council (1-5)");
        let s = db.ussd(&fx.ch, &step("2*Mines*0*3")).await.unwrap();
        assert!(matches!(s, UssdScreen::End(_)));
        let scope = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let data = db.poll_answer_data(&scope, &cross, true).await.unwrap();
        assert_eq!(data.respondents.len(), 1);
        let r = &data.respondents[0];
        assert!(r.complete);
        assert_eq!(r.values.get("safe").map(String::as_str), Some("no"));
        assert_eq!(r.values.get("trust").map(String::as_str), Some("3"));
        assert_eq!(r.texts.get("why").map(String::as_str), Some("Mines"));
        // A new session is a new respondent.
        let other = UssdRequest {
            session_id: "ATUid_2".into(),
            ..step("")
        };
        db.ussd(&fx.ch, &other).await.unwrap();
        assert_eq!(db.poll_respondent_counts(&cross).await.unwrap(), (2, 1));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_webhooks_share_commits_and_store_each_message_once() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = setup(db).await;
        let cross = fx.poll(db, "CROSS", Access::Open, 3600).await;
        let mut tasks = Vec::new();
        for i in 0..120 {
            let (db, ch) = (db.clone(), fx.ch.clone());
            tasks.push(tokio::spawn(async move {
                // Twenty deliveries of one message (a gateway's retries), and a
                // hundred phones texting the keyword.
                let (id, from) = if i < 20 {
                    ("same".to_string(), "+923090000".to_string())
                } else {
                    (format!("m-{i}"), format!("+92309{i:04}"))
                };
                let msg = InboundSms {
                    gateway_id: id,
                    from,
                    text: "cross".into(),
                };
                db.receive_sms(&ch, &msg, ReplyMode::Inline).await.unwrap()
            }));
        }
        let mut fresh_same = 0;
        for (i, task) in tasks.into_iter().enumerate() {
            let r = task.await.unwrap();
            if i < 20 && !r.duplicate {
                fresh_same += 1;
                assert!(r.inline_replies[0].starts_with("CROSS\n"));
            }
            if i >= 20 {
                assert!(!r.duplicate, "{}", t.name);
                assert!(r.inline_replies[0].starts_with("CROSS\n"));
            }
        }
        assert_eq!(fresh_same, 1, "{}", t.name);
        assert_eq!(db.sms_inbound_count(fx.ch.id).await.unwrap(), 101);
        assert_eq!(db.poll_respondent_counts(&cross).await.unwrap(), (101, 0));
    }
}
