//! The SMS dispatcher on every available engine: one keyword namespace for polls
//! and conversations, one current flow per phone (a new one pauses the previous,
//! bare replies go to the current one only), HELP, STOP for everything, DELETE;
//! opinion conversations by SMS (votes, own statements into moderation, closed).

use crate::common;

use convene_domain::crypto::Keyring;
use convene_domain::model::{Level, User};
use convene_domain::opinion::{Conversation, NewConversation, Status, Vote};
use convene_domain::polls::xlsform::{Choice, ChoiceList, Translations};
use convene_domain::polls::{Access, NewPoll, Poll, PollDefinition, Question, QuestionKind};
use convene_domain::sms::{Channel, Gateway, InboundSms, NewChannel, ReplyMode, Settings};
use convene_domain::{Db, Error};

fn tr(s: &str) -> Translations {
    [("en".to_string(), s.to_string())].into_iter().collect()
}

fn poll_definition() -> PollDefinition {
    let yn = ChoiceList {
        name: "yn".into(),
        choices: ["yes", "no"]
            .iter()
            .map(|c| Choice {
                name: c.to_string(),
                label: tr(c),
            })
            .collect(),
    };
    let q = |name: &str, label: &str| Question {
        name: name.into(),
        kind: QuestionKind::SelectOne(yn.clone()),
        label: tr(label),
        hint: Translations::new(),
        required: true,
        relevant: None,
        constraint: None,
        constraint_message: Translations::new(),
        row: 0,
        demographic: None,
    };
    PollDefinition {
        title: None,
        form_id: None,
        version: None,
        default_language: Some("en".into()),
        languages: vec!["en".into()],
        questions: vec![
            q("safe", "Is the crossing safe?"),
            q("open", "Should it open daily?"),
        ],
    }
}

pub(crate) struct Fx {
    pub(crate) owner: User,
    ch: Channel,
    n: std::cell::Cell<u32>,
}

impl Fx {
    pub(crate) async fn new(db: &Db) -> Fx {
        let owner = db
            .create_user("o@example.org", "Owner", "a long enough password", false)
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

    pub(crate) async fn text(&self, db: &Db, from: &str, body: &str) -> String {
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
        r.inline_replies.join("\n")
    }

    async fn poll(&self, db: &Db, keyword: &str) -> Result<Poll, Error> {
        let scope = db.scope(Some(&self.owner), "valley").await.unwrap();
        let id = db
            .create_poll(
                &scope,
                &NewPoll {
                    title: format!("Poll {keyword}"),
                    description: String::new(),
                    level: Level::Public,
                    definition: poll_definition(),
                    access: Access::Open,
                    keyword: Some(keyword.into()),
                    opens_at: None,
                    closes_at: None,
                    idle_timeout_secs: 3600,
                    results_public: false,
                },
            )
            .await?;
        Ok(db.poll(&scope, id).await.unwrap())
    }

    /// A public conversation with seed statements and an SMS keyword.
    pub(crate) async fn conversation(
        &self,
        db: &Db,
        keyword: &str,
        seeds: &[&str],
    ) -> Conversation {
        let scope = db.scope(Some(&self.owner), "valley").await.unwrap();
        let id = db
            .create_conversation(
                &scope,
                &NewConversation {
                    topic: "The crossing".into(),
                    description: String::new(),
                    level: Level::Public,
                    is_open: true,
                    allow_statements: true,
                },
            )
            .await
            .unwrap();
        let c = db.conversation(&scope, id).await.unwrap();
        for s in seeds {
            db.add_statement(&scope, &c, None, s).await.unwrap();
        }
        db.set_conversation_keyword(&scope, &c, Some(keyword))
            .await
            .unwrap();
        db.conversation(&scope, id).await.unwrap()
    }
}

fn phone_hash(phone: &str) -> String {
    Keyring::from_master(&[42u8; 32])
        .unwrap()
        .lookup_hash("phone", phone)
        .unwrap()
}

async fn poll_answers(db: &Db, poll: &Poll) -> Vec<(String, String)> {
    sqlx::query_as::<_, (String, String)>(
        "SELECT question, value FROM poll_answers WHERE poll_id = $1 ORDER BY question",
    )
    .bind(poll.id)
    .fetch_all(db.pool_for_tests())
    .await
    .unwrap()
}

async fn poll_status(db: &Db, poll: &Poll, phone: &str) -> String {
    sqlx::query_as::<_, (String,)>(
        "SELECT status FROM poll_respondents WHERE poll_id = $1 AND phone_hash = $2",
    )
    .bind(poll.id)
    .bind(phone_hash(phone))
    .fetch_one(db.pool_for_tests())
    .await
    .unwrap()
    .0
}

/// (statement body, vote) of every vote in the conversation.
async fn votes(db: &Db, c: &Conversation) -> Vec<(String, Vote)> {
    let data = db.vote_data(c).await.unwrap();
    let mut out: Vec<(String, Vote)> = data
        .votes
        .iter()
        .map(|(s, _, v, _)| {
            let body = data
                .statements
                .iter()
                .find(|(st, _)| st.id == *s)
                .map(|(st, _)| st.body.clone())
                .unwrap();
            (body, *v)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[tokio::test]
async fn a_digit_goes_to_the_current_flow_only_and_stop_ends_every_flow() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        let poll = fx.poll(db, "CROSS").await.unwrap();
        let conv = fx
            .conversation(db, "talk", &["Open the crossing at night", "Trade first"])
            .await;
        let phone = "+923001112233";

        // The poll first: its first question.
        let r = fx.text(db, phone, "CROSS").await;
        assert!(r.contains("Is the crossing safe?"), "{} {r}", t.name);
        // The conversation's keyword pauses the poll and sends a statement.
        let r = fx.text(db, phone, "talk").await;
        assert!(r.starts_with("The crossing\n"), "{r}");
        assert!(r.contains("Reply 1 agree, 2 disagree, 3 pass"), "{r}");
        assert_eq!(poll_status(db, &poll, phone).await, "paused");
        let first = if r.contains("Open the crossing at night") {
            "Open the crossing at night"
        } else {
            "Trade first"
        };
        // "1" is a vote in the conversation, not an answer to the poll.
        let r = fx.text(db, phone, "1").await;
        assert!(r.contains("Reply 1 agree"), "{r}");
        assert_eq!(
            votes(db, &conv).await,
            vec![(first.to_string(), Vote::Agree)]
        );
        assert!(poll_answers(db, &poll).await.is_empty());

        // Back to the poll: the same "1" now answers its question only.
        let r = fx.text(db, phone, "cross").await;
        assert!(r.contains("Is the crossing safe?"), "{r}");
        let r = fx.text(db, phone, "1").await;
        assert!(r.contains("Should it open daily?"), "{r}");
        assert_eq!(
            poll_answers(db, &poll).await,
            vec![("safe".to_string(), "yes".to_string())]
        );
        assert_eq!(votes(db, &conv).await.len(), 1);

        // The conversation resumes where it was; Urdu digits vote; the end.
        fx.text(db, phone, "TALK").await;
        let r = fx.text(db, phone, "۲").await;
        assert!(r.contains("You have voted on every statement"), "{r}");
        assert_eq!(votes(db, &conv).await.len(), 2);
        assert!(votes(db, &conv)
            .await
            .iter()
            .any(|(b, v)| b != first && *v == Vote::Disagree));

        // An own statement goes to moderation; one unreadable word gets the hint.
        let r = fx.text(db, phone, "Open the school road too").await;
        assert!(r.starts_with("Thank you. A moderator"), "{r}");
        let scope = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let queue = db.moderation_queue(&scope, &conv).await.unwrap();
        assert_eq!(queue.len(), 1);
        assert_eq!(queue[0].body, "Open the school road too");
        assert_eq!(queue[0].status, Status::Pending);
        let r = fx.text(db, phone, "maybe").await;
        assert!(r.starts_with("Please reply 1 (agree)"), "{r}");

        // HELP lists both keywords.
        let r = fx.text(db, phone, "help").await;
        assert!(r.contains("CROSS: Poll CROSS"), "{r}");
        assert!(r.contains("TALK: The crossing"), "{r}");

        // STOP ends everything: no reply, no vote, no answer, no current flow.
        let r = fx.text(db, phone, "STOP").await;
        assert!(r.contains("no more messages"), "{r}");
        assert_eq!(fx.text(db, phone, "1").await, "");
        assert_eq!(fx.text(db, phone, "TALK").await, "");
        assert_eq!(fx.text(db, phone, "help").await, "");
        assert_eq!(votes(db, &conv).await.len(), 2);
        assert_eq!(poll_answers(db, &poll).await.len(), 1);
        let current: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sms_current")
            .fetch_one(db.pool_for_tests())
            .await
            .unwrap();
        assert_eq!(current.0, 0);

        // After START, DELETE removes the SMS votes with the poll answers.
        fx.text(db, phone, "START").await;
        fx.text(db, phone, "DELETE").await;
        assert!(votes(db, &conv).await.is_empty());
        assert!(poll_answers(db, &poll).await.is_empty());
        let audit = db.audit_for_space(fx.ch.space_id, 1000).await.unwrap();
        assert!(audit
            .iter()
            .any(|e| e.action == "opinion.participant.delete"));
    }
}

#[tokio::test]
async fn keywords_are_one_namespace_for_polls_and_conversations() {
    for t in common::backends().await {
        let db = &t.db;
        let fx = Fx::new(db).await;
        fx.poll(db, "CROSS").await.unwrap();
        let conv = fx.conversation(db, "TALK", &["A"]).await;
        let scope = db.scope(Some(&fx.owner), "valley").await.unwrap();
        let taken = |r: Result<_, Error>| match r {
            Err(Error::Invalid(v)) => v.iter().any(|i| i.key == "error-sms-keyword-taken"),
            _ => false,
        };
        assert!(taken(fx.poll(db, "talk").await.map(|_| ())), "{}", t.name);
        assert!(taken(
            db.set_conversation_keyword(&scope, &conv, Some("Cross"))
                .await
        ));
        // Command words and digits are no keywords.
        for bad in ["JOIN", "help", "42", "two words"] {
            let r = db.set_conversation_keyword(&scope, &conv, Some(bad)).await;
            assert!(
                matches!(&r, Err(Error::Invalid(v)) if v[0].key == "poll-error-keyword"),
                "{bad}: {r:?}"
            );
        }
        // A conversation above the public level may not have one.
        let inner = db
            .create_conversation(
                &scope,
                &NewConversation {
                    topic: "Inner".into(),
                    description: String::new(),
                    level: Level::Members,
                    is_open: true,
                    allow_statements: true,
                },
            )
            .await
            .unwrap();
        let inner = db.conversation(&scope, inner).await.unwrap();
        let r = db
            .set_conversation_keyword(&scope, &inner, Some("INNER"))
            .await;
        assert!(
            matches!(&r, Err(Error::Invalid(v)) if v[0].key == "opinion-error-keyword-level"),
            "{r:?}"
        );
        // Giving a keyword up frees it for a poll.
        db.set_conversation_keyword(&scope, &conv, None)
            .await
            .unwrap();
        fx.poll(db, "TALK").await.unwrap();

        // A closed conversation says so.
        let c2 = fx.conversation(db, "LATER", &["B"]).await;
        db.update_conversation(&scope, &c2, false, true)
            .await
            .unwrap();
        let r = fx.text(db, "+923009998877", "later").await;
        assert_eq!(r, "This conversation is closed.");
    }
}
