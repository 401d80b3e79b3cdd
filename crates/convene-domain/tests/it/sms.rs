//! The SMS store on every available engine: idempotent inbound messages, opt-out
//! keywords before anything else, the outbound queue's rate, retries and delivery
//! reports, and encryption of numbers and texts.

use crate::common;

use convene_domain::model::{Role, User};
use convene_domain::sms::{
    Channel, Claim, Delivery, Gateway, InboundSms, Keyword, NewChannel, ReplyMode, Settings,
};
use convene_domain::{Db, Error};

async fn setup(db: &Db, rate: f64) -> (User, Channel, String) {
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
                rate_per_sec: rate,
                languages: vec!["ur".into()],
            },
        )
        .await
        .unwrap();
    let ch = db.sms_channel_by_key(&created.key).await.unwrap();
    assert_eq!(ch.id, created.id);
    assert_eq!(ch.secret, "kannel-secret");
    (owner, ch, created.key)
}

fn sms(id: &str, from: &str, text: &str) -> InboundSms {
    InboundSms {
        gateway_id: id.into(),
        from: from.into(),
        text: text.into(),
    }
}

#[tokio::test]
async fn inbound_is_stored_once_and_encrypted() {
    for t in common::backends().await {
        let db = &t.db;
        let (_, ch, key) = setup(db, 10.0).await;
        let r1 = db
            .receive_sms(&ch, &sms("m-1", "+92 300 1234567", "2"), ReplyMode::Inline)
            .await
            .unwrap();
        assert!(!r1.duplicate);
        let again = db
            .receive_sms(&ch, &sms("m-1", "+92 300 1234567", "2"), ReplyMode::Inline)
            .await
            .unwrap();
        assert!(again.duplicate, "{}", t.name);
        assert_eq!(again.inbound_id, r1.inbound_id);
        assert_eq!(db.sms_inbound_count(ch.id).await.unwrap(), 1);

        // Neither the number nor the text is stored in the clear.
        let raw: Vec<(Vec<u8>, Vec<u8>, String)> = sqlx::query_as::<_, (Vec<u8>, Vec<u8>, String)>(
            "SELECT phone_enc, body_enc, phone_hash FROM sms_inbound",
        )
        .fetch_all(db.pool_for_tests())
        .await
        .unwrap();
        let (phone, body, hash) = &raw[0];
        assert!(!String::from_utf8_lossy(phone).contains("3001234567"));
        assert!(!hash.contains("3001234567"));
        assert_ne!(body.as_slice(), b"2");

        // A wrong key finds nothing.
        assert!(matches!(
            db.sms_channel_by_key(&format!("{key}x")).await,
            Err(Error::NotFound)
        ));
        // Bad input changes nothing.
        assert!(matches!(
            db.receive_sms(&ch, &sms("", "+923001234567", "1"), ReplyMode::Inline)
                .await,
            Err(Error::Invalid(_))
        ));
        assert!(matches!(
            db.receive_sms(&ch, &sms("m-2", "12", "1"), ReplyMode::Inline)
                .await,
            Err(Error::Invalid(_))
        ));
        assert_eq!(db.sms_inbound_count(ch.id).await.unwrap(), 1);
    }
}

#[tokio::test]
async fn stop_and_start_come_before_everything() {
    for t in common::backends().await {
        let db = &t.db;
        let (_, ch, _) = setup(db, 10.0).await;
        let phone = "+923001112233";
        let queued = db.queue_sms(&ch, phone, "Question 1").await.unwrap();
        assert!(queued.is_some());

        let r = db
            .receive_sms(&ch, &sms("a", phone, " Stop! "), ReplyMode::Inline)
            .await
            .unwrap();
        assert_eq!(r.keyword, Some(Keyword::Stop), "{}", t.name);
        assert_eq!(r.inline_replies.len(), 1);
        assert!(r.inline_replies[0].contains("START"));
        assert!(db
            .sms_opted_out(ch.space_id, "+92 300 111 2233")
            .await
            .unwrap());
        // What was queued is cancelled, and nothing new is queued.
        assert!(matches!(db.claim_sms(&ch).await.unwrap(), Claim::Empty));
        assert_eq!(db.queue_sms(&ch, phone, "Question 2").await.unwrap(), None);

        // Urdu keywords work on a channel configured for Urdu, and answer in Urdu.
        let r = db
            .receive_sms(&ch, &sms("b", phone, "شروع"), ReplyMode::Queue)
            .await
            .unwrap();
        assert_eq!(r.keyword, Some(Keyword::Start));
        assert!(r.inline_replies.is_empty(), "queued, not inline");
        assert!(!db.sms_opted_out(ch.space_id, phone).await.unwrap());
        let Claim::Message(m) = db.claim_sms(&ch).await.unwrap() else {
            panic!("the Urdu confirmation is queued on {}", t.name)
        };
        assert!(m.body.contains("STOP") && m.body.contains("پیغامات"));
        assert_eq!(m.to, phone);

        // A sentence containing the word is an answer, not a keyword.
        let r = db
            .receive_sms(
                &ch,
                &sms("c", phone, "stop the shelling"),
                ReplyMode::Inline,
            )
            .await
            .unwrap();
        assert_eq!(r.keyword, None);
        assert!(!db.sms_opted_out(ch.space_id, phone).await.unwrap());
    }
}

#[tokio::test]
async fn queue_respects_rate_retries_and_reports() {
    for t in common::backends().await {
        let db = &t.db;
        let (owner, ch, _) = setup(db, 2.0).await;
        for i in 0..3 {
            db.queue_sms(&ch, &format!("+25470000000{i}"), &format!("hello {i}"))
                .await
                .unwrap()
                .unwrap();
        }
        let Claim::Message(first) = db.claim_sms(&ch).await.unwrap() else {
            panic!("first message due on {}", t.name)
        };
        assert_eq!(first.body, "hello 0");
        assert_eq!(first.attempts, 1);
        // Two messages per second: the next one must wait about half a second.
        match db.claim_sms(&ch).await.unwrap() {
            Claim::Wait(ms) => assert!(ms > 0 && ms <= 500, "wait {ms} on {}", t.name),
            other => panic!("expected a wait, got {other:?} on {}", t.name),
        }
        tokio::time::sleep(std::time::Duration::from_millis(520)).await;
        let Claim::Message(second) = db.claim_sms(&ch).await.unwrap() else {
            panic!("second message due after the interval on {}", t.name)
        };
        assert_eq!(second.body, "hello 1");

        // A failure is retried later, not now.
        db.sms_attempt_failed(&second, "gateway said 503")
            .await
            .unwrap();
        assert_eq!(
            db.sms_last_error(second.id).await.unwrap().as_deref(),
            Some("gateway said 503")
        );
        db.sms_sent(first.id, Some("gw-1")).await.unwrap();
        assert!(db
            .sms_delivery(&ch, "gw-1", true, Delivery::Delivered)
            .await
            .unwrap());
        assert!(!db
            .sms_delivery(&ch, "gw-unknown", true, Delivery::Delivered)
            .await
            .unwrap());
        let scope = db.scope(Some(&owner), "valley").await.unwrap();
        let counts = db.sms_outbound_counts(&scope, ch.id).await.unwrap();
        assert!(
            counts.contains(&("delivered".to_string(), 1)),
            "{counts:?} on {}",
            t.name
        );
        assert!(counts.contains(&("queued".to_string(), 2)), "{counts:?}");

        // Only organisers see channels.
        let member = db
            .create_user("m@example.org", "M", "a long enough password", false)
            .await
            .unwrap();
        db.set_role(&scope, "m@example.org", Some(Role::Member))
            .await
            .unwrap();
        let ms = db.scope(Some(&member), "valley").await.unwrap();
        assert!(matches!(db.sms_channels(&ms).await, Err(Error::Forbidden)));
        assert_eq!(db.sms_channels(&scope).await.unwrap().len(), 1);
    }
}

/// A stored inbound message: gateway id, sealed phone, sealed body, when erased.
type RawInbound = (String, Vec<u8>, Vec<u8>, Option<i64>);

/// The lengths of the sealed phone and body of every inbound message, by gateway id.
async fn inbound_lengths(db: &Db) -> Vec<(String, usize, usize, Option<i64>)> {
    let rows: Vec<RawInbound> = sqlx::query_as(
        "SELECT gateway_id, phone_enc, body_enc, erased_at FROM sms_inbound ORDER BY gateway_id",
    )
    .fetch_all(db.pool_for_tests())
    .await
    .unwrap();
    rows.into_iter()
        .map(|(g, p, b, e)| (g, p.len(), b.len(), e))
        .collect()
}

#[tokio::test]
async fn conversation_texts_are_erased_after_a_week() {
    use convene_domain::sms::KEEP_TEXTS_SECS;
    for t in common::backends().await {
        let db = &t.db;
        let (owner, ch, _) = setup(db, 100.0).await;
        let words = "I met the district officer about the well";
        db.receive_sms(&ch, &sms("old", "+923001112233", words), ReplyMode::Queue)
            .await
            .unwrap();
        db.receive_sms(&ch, &sms("new", "+923001112244", words), ReplyMode::Queue)
            .await
            .unwrap();
        // One reply sent and settled, one still waiting to be sent.
        let sent = db
            .queue_sms(&ch, "+923001112233", "Thank you for your words")
            .await
            .unwrap()
            .unwrap();
        let Claim::Message(m) = db.claim_sms(&ch).await.unwrap() else {
            panic!("a message is due on {}", t.name)
        };
        assert_eq!(m.id, sent);
        db.sms_sent(m.id, Some("gw-9")).await.unwrap();
        let waiting = db
            .queue_sms(&ch, "+923001112255", "A reply still queued")
            .await
            .unwrap()
            .unwrap();

        // Nothing is old yet: the sweep erases nothing.
        assert_eq!(db.sweep_sms_texts().await.unwrap(), 0, "{}", t.name);
        let before = inbound_lengths(db).await;

        // Eight days pass for the first message, the sent reply and the queued one.
        let old = convene_domain::util::now() - KEEP_TEXTS_SECS - 86_400;
        let pool = db.pool_for_tests();
        sqlx::query("UPDATE sms_inbound SET received_at = $1 WHERE gateway_id = 'old'")
            .bind(old)
            .execute(pool)
            .await
            .unwrap();
        sqlx::query("UPDATE sms_outbound SET updated_at = $1, created_at = $1")
            .bind(old)
            .execute(pool)
            .await
            .unwrap();
        // The sweep runs with the periodic clean-up job.
        db.enqueue_job("cleanup", "", 0).await.unwrap();
        assert!(db.run_one_job().await.unwrap());

        let after = inbound_lengths(db).await;
        let (b_new, a_new) = (&before[0], &after[0]);
        let (b_old, a_old) = (&before[1], &after[1]);
        assert_eq!((a_new.0.as_str(), a_old.0.as_str()), ("new", "old"));
        // The recent message is untouched; the old one holds an empty text and no
        // phone number (sealed values are their plaintext's length plus a constant).
        assert_eq!(a_new, b_new, "{}", t.name);
        assert_eq!(a_old.2, b_old.2 - words.len(), "{}", t.name);
        assert_eq!(a_old.1, b_old.1 - "+923001112233".len(), "{}", t.name);
        assert!(a_old.3.is_some());
        // Counts and the gateway's retry check still hold.
        assert_eq!(db.sms_inbound_count(ch.id).await.unwrap(), 2);
        let again = db
            .receive_sms(&ch, &sms("old", "+923001112233", words), ReplyMode::Queue)
            .await
            .unwrap();
        assert!(again.duplicate, "{}", t.name);

        // The settled reply is erased; the queued one is still sent with its words.
        let out: Vec<(i64, Option<i64>)> =
            sqlx::query_as("SELECT id, erased_at FROM sms_outbound ORDER BY id")
                .fetch_all(pool)
                .await
                .unwrap();
        assert!(out.iter().any(|(id, e)| *id == sent && e.is_some()));
        assert!(out.iter().any(|(id, e)| *id == waiting && e.is_none()));
        let mut claim = db.claim_sms(&ch).await.unwrap();
        if let Claim::Wait(ms) = claim {
            // The channel's rate spaces messages a few milliseconds apart.
            tokio::time::sleep(std::time::Duration::from_millis(ms as u64 + 5)).await;
            claim = db.claim_sms(&ch).await.unwrap();
        }
        let Claim::Message(q) = claim else {
            panic!("the queued reply is still due on {}: {claim:?}", t.name)
        };
        assert_eq!((q.id, q.body.as_str()), (waiting, "A reply still queued"));
        assert_eq!(q.to, "+923001112255");
        let scope = db.scope(Some(&owner), "valley").await.unwrap();
        let counts = db.sms_outbound_counts(&scope, ch.id).await.unwrap();
        assert!(counts.contains(&("sent".to_string(), 1)), "{counts:?}");
        // A second sweep has nothing left to do.
        assert_eq!(db.sweep_sms_texts().await.unwrap(), 0);
    }
}
