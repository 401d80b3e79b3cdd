//! The poll builder's storage and the demo poll, on every available engine.

use crate::common;

use convene_domain::model::{Level, Role};
use convene_domain::polls::builder::{demographic_block, parse_relevant};
use convene_domain::polls::engine::{self, Answer};
use convene_domain::polls::xlsform::Translations;
use convene_domain::polls::{Access, NewPoll, PollDefinition, Question, QuestionKind, Via};
use convene_domain::Error;

fn text_question(name: &str) -> Question {
    let mut label = Translations::new();
    label.insert("en".into(), format!("About {name}?"));
    Question {
        name: name.into(),
        kind: QuestionKind::Text,
        label,
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
    PollDefinition {
        title: None,
        form_id: None,
        version: None,
        default_language: Some("en".into()),
        languages: vec!["en".into()],
        questions: vec![text_question("first")],
    }
}

#[tokio::test]
async fn questions_change_only_while_nobody_has_answered() {
    for t in common::backends().await {
        let db = &t.db;
        let pw = "a long enough password";
        let owner = db.create_user("o@x.org", "Owner", pw, false).await.unwrap();
        let member = db
            .create_user("m@x.org", "Member", pw, false)
            .await
            .unwrap();
        db.create_space("open", "Open", "", true, &owner)
            .await
            .unwrap();
        let so = db.scope(Some(&owner), "open").await.unwrap();
        db.set_role(&so, "m@x.org", Some(Role::Member))
            .await
            .unwrap();
        let sm = db.scope(Some(&member), "open").await.unwrap();
        let id = db
            .create_poll(
                &so,
                &NewPoll {
                    title: "Built".into(),
                    description: String::new(),
                    level: Level::Public,
                    definition: definition(),
                    access: Access::Open,
                    keyword: None,
                    opens_at: None,
                    closes_at: None,
                    idle_timeout_secs: 3600,
                    results_public: false,
                },
            )
            .await
            .unwrap();
        let poll = db.poll(&so, id).await.unwrap();

        let mut def = poll.definition.clone();
        def.questions
            .extend(demographic_block(&[("north".into(), Translations::new())]));
        let mut second = text_question("second");
        second.relevant = parse_relevant(&def, 1, "${first} != ''").unwrap();
        def.questions.insert(1, second);
        assert!(matches!(
            db.update_poll_definition(&sm, &poll, &def).await,
            Err(Error::Forbidden)
        ));
        // Skip logic about a later question is refused; nothing changes.
        let mut wrong = def.clone();
        wrong.questions.swap(0, 1);
        assert!(matches!(
            db.update_poll_definition(&so, &poll, &wrong).await,
            Err(Error::Invalid(_))
        ));
        assert_eq!(
            db.poll(&so, id).await.unwrap().definition.questions.len(),
            1
        );
        db.update_poll_definition(&so, &poll, &def).await.unwrap();
        let poll = db.poll(&so, id).await.unwrap();
        assert_eq!(poll.definition, def);
        let audit = db.space_audit(&so, 50).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "poll.definition"));

        // An invitation link is used once.
        let links = db.create_poll_invites(&so, &poll, 1).await.unwrap();
        assert!(db.poll_invite_unused(&poll, &links[0]).await.unwrap());
        assert!(db.use_poll_invite(&poll, &links[0]).await.unwrap());
        assert!(!db.use_poll_invite(&poll, &links[0]).await.unwrap());
        assert!(!db.poll_invite_unused(&poll, &links[0]).await.unwrap());
        assert!(
            db.poll_invited(&poll, &links[0]).await.unwrap(),
            "still an invitation"
        );
        assert!(!db.use_poll_invite(&poll, "forged").await.unwrap());

        // A respondent answers, goes back, and the questions are frozen.
        let r = db
            .start_web_respondent(&poll, "a-cookie-of-enough-length", "en", None)
            .await
            .unwrap();
        let a = Answer::Text("yes".into());
        db.save_answer(&poll, &r, "first", &a, Some("second"))
            .await
            .unwrap();
        let r = db
            .find_web_respondent(&poll, "a-cookie-of-enough-length")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.awaiting.as_deref(), Some("second"));
        db.respondent_back_to(&poll, &r, "first").await.unwrap();
        let r = db
            .find_web_respondent(&poll, "a-cookie-of-enough-length")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.awaiting.as_deref(), Some("first"));
        assert_eq!(
            db.respondent_answers(r.id).await.unwrap().get("first"),
            Some(&a),
            "the answer is kept to be changed"
        );
        // Changing the first answer to empty makes `second` irrelevant: its answer goes.
        db.save_answer(&poll, &r, "second", &Answer::Text("more".into()), None)
            .await
            .unwrap();
        let mut answers = db.respondent_answers(r.id).await.unwrap();
        assert_eq!(
            db.drop_irrelevant_answers(&poll, r.id, &answers)
                .await
                .unwrap(),
            0
        );
        answers.insert("first".into(), Answer::Skipped);
        db.save_answer(&poll, &r, "first", &Answer::Skipped, None)
            .await
            .unwrap();
        assert_eq!(
            db.drop_irrelevant_answers(&poll, r.id, &answers)
                .await
                .unwrap(),
            1
        );
        assert!(!db
            .respondent_answers(r.id)
            .await
            .unwrap()
            .contains_key("second"));
        assert!(matches!(
            db.respondent_back_to(&poll, &r, "nowhere").await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            db.update_poll_definition(&so, &poll, &definition()).await,
            Err(Error::Conflict("poll-error-has-respondents"))
        ));
    }
}

#[tokio::test]
async fn the_demo_poll_has_thousands_of_respondents_over_every_channel() {
    for t in common::backends().await {
        let db = &t.db;
        let started = std::time::Instant::now();
        let users = convene_domain::demo::seed(db).await.unwrap();
        eprintln!("{:?}: demo seeded in {:?}", db.backend(), started.elapsed());
        let scope = db.scope(Some(&users[0]), "serran-valley").await.unwrap();
        let poll = db
            .polls(&scope)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.title == "Priorities before the talks")
            .unwrap();
        assert_eq!(poll.keyword.as_deref(), Some("VOICE"));
        assert!(poll.results_public && !poll.margins.is_empty());
        let (all, complete) = db.poll_respondent_counts(&poll).await.unwrap();
        assert_eq!(all, 5_000);
        assert!(complete > 4_000 && complete < all, "{complete}");
        let data = db.poll_answer_data(&scope, &poll, true).await.unwrap();
        for via in Via::ALL {
            assert!(data.respondents.iter().any(|r| r.via == via), "{via:?}");
        }
        for lang in ["en", "ur"] {
            assert!(data.respondents.iter().any(|r| r.language == lang));
        }
        // Free text is sealed and opens; skip logic holds in the stored answers.
        assert!(data
            .respondents
            .iter()
            .any(|r| r.texts.contains_key("message")));
        for r in &data.respondents {
            if r.values.contains_key("land_remedy") {
                assert_eq!(r.values.get("land_lost").map(String::as_str), Some("yes"));
            }
            for (q, v) in &r.values {
                let question = engine::question(&poll.definition, q).unwrap();
                let values: Vec<String> = v.split(' ').map(str::to_string).collect();
                assert!(
                    engine::check_answer(question, &values, &Default::default()).is_ok(),
                    "{q} = {v}"
                );
            }
        }
    }
}
