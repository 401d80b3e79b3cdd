//! The e-mail outbox on every engine: a message is claimed by one sender at a time,
//! sent once, retried with a growing wait, given up on a permanent refusal, and
//! claimed again (same token, so the same Message-ID) when a sender died holding it.

use convene_domain::mail::{NewMail, MAX_ATTEMPTS};

use crate::common;

fn mail(to: &str) -> NewMail {
    NewMail {
        to: to.into(),
        subject: "Subject".into(),
        body: "Body".into(),
        purpose: "test",
        space_id: None,
        reply_to: None,
    }
}

#[tokio::test]
async fn the_outbox_claims_sends_retries_and_gives_up() {
    for t in common::backends().await {
        let db = &t.db;
        assert!(matches!(
            db.queue_mail(&mail("not an address")).await,
            Err(convene_domain::Error::Invalid(_))
        ));
        let a = db.queue_mail(&mail("a@example.org")).await.unwrap();
        let b = db.queue_mail(&mail("b@example.org")).await.unwrap();
        // Two senders never hold the same message.
        let first = db.claim_mail().await.unwrap().unwrap();
        let second = db.claim_mail().await.unwrap().unwrap();
        assert_eq!((first.id, second.id), (a, b), "{}", t.name);
        assert_eq!(first.to, "a@example.org");
        assert!(db.claim_mail().await.unwrap().is_none());
        db.mail_sent(a).await.unwrap();
        // A temporary failure: queued again, not before its wait.
        db.mail_attempt_failed(&second, "421 try later", false)
            .await
            .unwrap();
        assert!(db.claim_mail().await.unwrap().is_none(), "{}", t.name);
        assert_eq!(
            db.mail_last_error(b).await.unwrap().as_deref(),
            Some("421 try later")
        );
        let c = db.mail_counts().await.unwrap();
        assert_eq!((c.queued, c.sent, c.failed), (1, 1, 0), "{}", t.name);
        // Due again (the wait is over): claimed with the same token, then refused
        // for good.
        sqlx::query("UPDATE mail_outbox SET next_attempt_at = 0 WHERE id = $1")
            .bind(b)
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        let again = db.claim_mail().await.unwrap().unwrap();
        assert_eq!(
            (again.id, &again.token, again.attempts),
            (b, &second.token, 2)
        );
        db.mail_attempt_failed(&again, "550 no such user", true)
            .await
            .unwrap();
        let c = db.mail_counts().await.unwrap();
        assert_eq!((c.queued, c.sent, c.failed), (0, 1, 1), "{}", t.name);

        // A sender that dies holding a message: once the lease ends, another
        // sender takes it, under the same token (the same Message-ID).
        let d = db.queue_mail(&mail("d@example.org")).await.unwrap();
        let held = db.claim_mail().await.unwrap().unwrap();
        assert!(db.claim_mail().await.unwrap().is_none());
        sqlx::query("UPDATE mail_outbox SET locked_until = 0 WHERE id = $1")
            .bind(d)
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        let taken = db.claim_mail().await.unwrap().unwrap();
        assert_eq!((taken.id, &taken.token), (held.id, &held.token));
        // After the last attempt it is given up even on a temporary failure.
        let last = convene_domain::mail::OutgoingMail {
            attempts: MAX_ATTEMPTS,
            ..taken
        };
        db.mail_attempt_failed(&last, "421", false).await.unwrap();
        assert_eq!(db.mail_counts().await.unwrap().failed, 2);

        // A week after sending, the texts are erased; the count stays.
        sqlx::query("UPDATE mail_outbox SET sent_at = 1 WHERE id = $1")
            .bind(a)
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        assert_eq!(db.sweep_sent_mail().await.unwrap(), 1);
        assert_eq!(db.mail_counts().await.unwrap().sent, 1);
    }
}
