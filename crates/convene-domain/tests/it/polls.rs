//! Poll storage on every available engine: polls under the confidentiality rule,
//! who may answer, respondents and answers, deletion.

use crate::common;

use convene_domain::model::{Level, Role};
use convene_domain::polls::engine::{self, Answer};
use convene_domain::polls::xlsform::{parse_expr, Choice, ChoiceList, Translations};
use convene_domain::polls::{
    Access, NewPoll, PollDefinition, PollMargin, Progress, Question, QuestionKind,
};
use convene_domain::Error;

fn tr(en: &str) -> Translations {
    [("en".to_string(), en.to_string())].into_iter().collect()
}

fn question(name: &str, kind: QuestionKind, relevant: Option<&str>) -> Question {
    Question {
        name: name.into(),
        kind,
        label: tr(name),
        hint: Translations::new(),
        required: false,
        relevant: relevant.map(|r| parse_expr(r).unwrap()),
        constraint: None,
        constraint_message: Translations::new(),
        row: 0,
        demographic: None,
    }
}

pub fn definition() -> PollDefinition {
    let yn = ChoiceList {
        name: "yn".into(),
        choices: vec![
            Choice {
                name: "yes".into(),
                label: tr("Yes"),
            },
            Choice {
                name: "no".into(),
                label: tr("No"),
            },
        ],
    };
    PollDefinition {
        title: None,
        form_id: None,
        version: None,
        default_language: Some("en".into()),
        languages: vec!["en".into()],
        questions: vec![
            question("safe", QuestionKind::SelectOne(yn), None),
            question("why", QuestionKind::Text, Some("${safe} = 'no'")),
            question("trust", QuestionKind::Scale { min: 1, max: 5 }, None),
        ],
    }
}

fn new_poll(title: &str, level: Level, access: Access, keyword: Option<&str>) -> NewPoll {
    NewPoll {
        title: title.into(),
        description: String::new(),
        level,
        definition: definition(),
        access,
        keyword: keyword.map(str::to_string),
        opens_at: None,
        closes_at: None,
        idle_timeout_secs: 86400,
        results_public: false,
    }
}

#[tokio::test]
async fn polls_respondents_answers_deletion() {
    for t in common::backends().await {
        let db = &t.db;
        let pw = "a long enough password";
        let owner = db.create_user("o@x.org", "Owner", pw, false).await.unwrap();
        let member = db
            .create_user("m@x.org", "Member", pw, false)
            .await
            .unwrap();
        db.create_space("closed", "Closed", "", false, &owner)
            .await
            .unwrap();
        let so = db.scope(Some(&owner), "closed").await.unwrap();
        db.set_role(&so, "m@x.org", Some(Role::Member))
            .await
            .unwrap();
        let sm = db.scope(Some(&member), "closed").await.unwrap();

        // Only organisers create; bad input changes nothing.
        assert!(matches!(
            db.create_poll(&sm, &new_poll("x", Level::Public, Access::Open, None))
                .await,
            Err(Error::Forbidden)
        ));
        let mut bad = new_poll("x", Level::Public, Access::Open, Some("two words"));
        bad.definition.questions.clear();
        match db.create_poll(&so, &bad).await {
            Err(Error::Invalid(p)) => {
                let keys: Vec<_> = p.iter().map(|i| i.key).collect();
                assert!(keys.contains(&"poll-error-keyword"), "{keys:?}");
                assert!(keys.contains(&"poll-error-questions"), "{keys:?}");
            }
            other => panic!("expected invalid, got {other:?}"),
        }
        assert!(db.polls(&so).await.unwrap().is_empty());
        // A poll may not be kept for named people only: the envelope refuses it
        // for this kind, whoever calls, and nothing is written.
        let audit_before = format!("{:?}", db.audit_verify().await.unwrap());
        match db
            .create_poll(&so, &new_poll("Named", Level::Named, Access::Open, None))
            .await
        {
            Err(Error::Invalid(p)) => assert_eq!(p[0].field, "level"),
            other => panic!("expected a refusal of the level, got {other:?}"),
        }
        assert!(db.polls(&so).await.unwrap().is_empty());
        assert_eq!(
            format!("{:?}", db.audit_verify().await.unwrap()),
            audit_before
        );

        let public = db
            .create_poll(
                &so,
                &new_poll("Crossing", Level::Public, Access::Open, Some("cross")),
            )
            .await
            .unwrap();
        let internal = db
            .create_poll(
                &so,
                &new_poll("Staff", Level::Organisers, Access::Open, None),
            )
            .await
            .unwrap();
        // A keyword is unique within a space.
        assert!(matches!(
            db.create_poll(
                &so,
                &new_poll("Again", Level::Public, Access::Open, Some("CROSS"))
            )
            .await,
            Err(Error::Invalid(_))
        ));
        assert_eq!(db.polls(&so).await.unwrap().len(), 2);
        let seen: Vec<i64> = db.polls(&sm).await.unwrap().iter().map(|p| p.id).collect();
        assert_eq!(seen, vec![public]);
        assert!(matches!(db.poll(&sm, internal).await, Err(Error::NotFound)));

        // An outsider reaches the public poll of a closed space by its address, and
        // nothing else.
        let p = db.poll(&so, public).await.unwrap();
        assert_eq!(p.keyword.as_deref(), Some("CROSS"));
        let (outsider, by_slug) = db.poll_by_slug(None, &p.slug).await.unwrap();
        assert_eq!(by_slug.id, public);
        assert!(outsider.role().is_none());
        let hidden = db.poll(&so, internal).await.unwrap();
        assert!(matches!(
            db.poll_by_slug(None, &hidden.slug).await,
            Err(Error::NotFound)
        ));
        let (ms, _) = db.poll_by_slug(Some(&member), &p.slug).await.unwrap();
        assert_eq!(ms.role(), Some(Role::Member));
        let (_, outsider_polls) = db.outsider_polls(p.space_id).await.unwrap();
        assert_eq!(outsider_polls.len(), 1);

        // A web respondent answers question by question, following skip logic.
        let cookie = "a-random-cookie-of-enough-length";
        let r = db
            .start_web_respondent(&p, cookie, "en", None)
            .await
            .unwrap();
        assert_eq!(r.awaiting.as_deref(), Some("safe"));
        let again = db
            .start_web_respondent(&p, cookie, "en", None)
            .await
            .unwrap();
        assert_eq!(again.id, r.id);
        let mut answers = db.respondent_answers(r.id).await.unwrap();
        let a = Answer::Choice("no".into());
        answers.insert("safe".into(), a.clone());
        let next = engine::next_question(&p.definition, &answers, Some("safe")).unwrap();
        assert_eq!(next.name, "why");
        db.save_answer(&p, &r, "safe", &a, Some("why"))
            .await
            .unwrap();
        db.save_answer(
            &p,
            &r,
            "why",
            &Answer::Text("the checkpoint".into()),
            Some("trust"),
        )
        .await
        .unwrap();
        db.save_answer(&p, &r, "trust", &Answer::Number(2.0), None)
            .await
            .unwrap();
        let r = db.find_web_respondent(&p, cookie).await.unwrap().unwrap();
        assert_eq!(r.progress, Progress::Complete);
        let stored = db.respondent_answers(r.id).await.unwrap();
        assert_eq!(
            stored.get("why"),
            Some(&Answer::Text("the checkpoint".into()))
        );
        assert_eq!(stored.get("trust"), Some(&Answer::Number(2.0)));

        // The free text is sealed at rest.
        let raw: Vec<u8> =
            sqlx::query_scalar("SELECT text_enc FROM poll_answers WHERE question = 'why'")
                .fetch_one(db.pool_for_tests())
                .await
                .unwrap();
        assert!(!String::from_utf8_lossy(&raw).contains("checkpoint"));

        // Answer data: texts only for organisers and analysts who ask.
        let p = db.poll(&so, public).await.unwrap();
        assert!(p.version >= 3);
        let data = db.poll_answer_data(&so, &p, true).await.unwrap();
        assert_eq!(data.respondents.len(), 1);
        assert_eq!(
            data.respondents[0].values.get("safe").map(String::as_str),
            Some("no")
        );
        assert_eq!(
            data.respondents[0].texts.get("why").map(String::as_str),
            Some("the checkpoint")
        );
        let data = db.poll_answer_data(&sm, &p, true).await.unwrap();
        assert!(data.respondents[0].texts.is_empty());

        // Margins must name a question and sum to one.
        let m = |c: &str, s: f64| PollMargin {
            variable: "safe".into(),
            category: c.into(),
            share: s,
        };
        assert!(matches!(
            db.set_poll_margins(&so, &p, &[m("yes", 0.5), m("no", 0.4)])
                .await,
            Err(Error::Invalid(_))
        ));
        db.set_poll_margins(&so, &p, &[m("yes", 0.5), m("no", 0.5)])
            .await
            .unwrap();
        assert_eq!(db.poll(&so, public).await.unwrap().margins.len(), 2);

        // Deleting a respondent removes their answers and is audited.
        assert!(matches!(
            db.delete_poll_respondent(&sm, &p, r.id).await,
            Err(Error::Forbidden)
        ));
        db.delete_poll_respondent(&so, &p, r.id).await.unwrap();
        assert_eq!(db.poll_respondent_counts(&p).await.unwrap(), (0, 0));
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM poll_answers")
            .fetch_one(db.pool_for_tests())
            .await
            .unwrap();
        assert_eq!(left, 0);
        let audit = db.space_audit(&so, 50).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "poll.respondent.delete"));

        // Invitation-only: a token is needed.
        let inv = db
            .create_poll(&so, &new_poll("Panel", Level::Public, Access::Invite, None))
            .await
            .unwrap();
        let inv = db.poll(&so, inv).await.unwrap();
        assert!(matches!(
            db.start_web_respondent(&inv, cookie, "en", None).await,
            Err(Error::Forbidden)
        ));
        let tokens = db.create_poll_invites(&so, &inv, 2).await.unwrap();
        assert!(matches!(
            db.start_web_respondent(&inv, cookie, "en", Some("wrong"))
                .await,
            Err(Error::Forbidden)
        ));
        db.start_web_respondent(&inv, cookie, "en", Some(&tokens[0]))
            .await
            .unwrap();
    }
}
