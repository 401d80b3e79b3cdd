//! Opinion-mapping storage on every available engine: conversations under the
//! confidentiality rule, participants, moderation, votes, the analysis cache, import.

use crate::common;

use convene_domain::model::{Level, Role};
use convene_domain::opinion::{polis, NewConversation, Status, Vote, Voter};
use convene_domain::Error;

fn conv(topic: &str, level: Level) -> NewConversation {
    NewConversation {
        topic: topic.into(),
        description: "What should the next round discuss?".into(),
        level,
        is_open: true,
        allow_statements: true,
    }
}

#[tokio::test]
async fn conversations_statements_votes() {
    for t in common::backends().await {
        let db = &t.db;
        let pw = "a long enough password";
        let owner = db.create_user("o@x.org", "Owner", pw, false).await.unwrap();
        let member = db
            .create_user("m@x.org", "Member", pw, false)
            .await
            .unwrap();
        let outsider = db
            .create_user("x@x.org", "Outsider", pw, false)
            .await
            .unwrap();
        db.create_space("open", "Open", "", true, &owner)
            .await
            .unwrap();
        db.create_space("closed", "Closed", "", false, &owner)
            .await
            .unwrap();
        let so = db.scope(Some(&owner), "open").await.unwrap();
        db.set_role(&so, "m@x.org", Some(Role::Member))
            .await
            .unwrap();
        let sc = db.scope(Some(&owner), "closed").await.unwrap();
        db.set_role(&sc, "m@x.org", Some(Role::Member))
            .await
            .unwrap();

        // Creating is for organisers.
        let sm = db.scope(Some(&member), "open").await.unwrap();
        assert!(matches!(
            db.create_conversation(&sm, &conv("x", Level::Public)).await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            db.create_conversation(&so, &conv(" ", Level::Public)).await,
            Err(Error::Invalid(_))
        ));
        let public = db
            .create_conversation(&so, &conv("Crossing", Level::Public))
            .await
            .unwrap();
        let members_only = db
            .create_conversation(&so, &conv("Inner", Level::Members))
            .await
            .unwrap();
        let hidden = db
            .create_conversation(&sc, &conv("Secret", Level::Public))
            .await
            .unwrap();

        // Visibility: the one rule.
        let anon = db.scope(None, "open").await.unwrap();
        let seen: Vec<i64> = db
            .conversations(&anon)
            .await
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(seen, vec![public], "{}", t.name);
        assert_eq!(db.conversations(&sm).await.unwrap().len(), 2);
        assert!(matches!(
            db.conversation(&anon, members_only).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            db.conversation(&anon, hidden).await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            db.scope(Some(&outsider), "closed").await,
            Err(Error::NotFound)
        ));
        // The records pages and search do not trip over conversations.
        let all = db
            .fetch_visible(&sm, &convene_domain::records::Filter::default())
            .await
            .unwrap();
        assert!(all.is_empty(), "{}", t.name);

        // Seeds are approved at once; participants' statements wait.
        let c = db.conversation(&so, public).await.unwrap();
        let s1 = db
            .add_statement(&so, &c, None, "Reopen the Serran crossing")
            .await
            .unwrap();
        let s2 = db
            .add_statement(&so, &c, None, "Share the river water")
            .await
            .unwrap();
        assert!(matches!(
            db.add_statement(&so, &c, None, &"x".repeat(281)).await,
            Err(Error::Invalid(_))
        ));
        let pm = db
            .participant(&sm, &c, Voter::User(member.id))
            .await
            .unwrap();
        assert_eq!(
            db.participant(&sm, &c, Voter::User(member.id))
                .await
                .unwrap(),
            pm
        );
        assert!(matches!(
            db.participant(&sm, &c, Voter::User(owner.id)).await,
            Err(Error::Forbidden)
        ));
        let s3 = db
            .add_statement(&sm, &c, Some(pm), "Schools in both languages")
            .await
            .unwrap();
        let s4 = db
            .add_statement(&sm, &c, Some(pm), "Something off-topic")
            .await
            .unwrap();
        assert!(matches!(
            db.moderation_queue(&sm, &c).await,
            Err(Error::Forbidden)
        ));
        let queue: Vec<i64> = db
            .moderation_queue(&so, &c)
            .await
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(queue, vec![s3, s4]);
        assert!(matches!(
            db.moderate(&so, &c, s4, false, "  ").await,
            Err(Error::Invalid(_))
        ));
        assert!(matches!(
            db.moderate(&sm, &c, s3, true, "").await,
            Err(Error::Forbidden)
        ));
        db.moderate(&so, &c, s3, true, "").await.unwrap();
        db.moderate(&so, &c, s4, false, "Not about the valley")
            .await
            .unwrap();
        let mine = db.statements_by(&c, pm).await.unwrap();
        assert_eq!(mine[1].status, Status::Rejected);
        assert_eq!(
            mine[1].reject_reason.as_deref(),
            Some("Not about the valley")
        );
        let log = db.audit_for_space(so.space().id, 20).await.unwrap();
        assert!(log
            .iter()
            .any(|e| e.action == "statement.reject" && e.target == format!("statement:{s4}")));
        // A statement of another conversation cannot be moderated through this one.
        let other = db.conversation(&so, members_only).await.unwrap();
        assert!(matches!(
            db.moderate(&so, &other, s1, true, "").await,
            Err(Error::NotFound)
        ));

        // Anonymous participants: a cookie, stored only as a keyed hash.
        let cookie = "k3y-0f-an-anonymous-visitor-0001";
        let pa = db
            .participant(&anon, &c, Voter::Cookie(cookie))
            .await
            .unwrap();
        assert_eq!(
            db.participant(&anon, &c, Voter::Cookie(cookie))
                .await
                .unwrap(),
            pa
        );
        assert!(matches!(
            db.participant(&anon, &c, Voter::Cookie("short")).await,
            Err(Error::Forbidden)
        ));
        let stored: i64 = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM opinion_participants WHERE cookie_hash = $1",
        )
        .bind(cookie)
        .fetch_one(db.pool_for_tests())
        .await
        .unwrap();
        assert_eq!(stored, 0, "the cookie itself is never stored");
        // The vote path's single read: the conversation and the voter's participant.
        let (seen, p) = db
            .conversation_for_voter(&anon, public, Voter::Cookie(cookie))
            .await
            .unwrap();
        assert_eq!((seen.id, p), (public, Some(pa)));
        let (_, p) = db
            .conversation_for_voter(&anon, public, Voter::Cookie("another-anonymous-visitor"))
            .await
            .unwrap();
        assert_eq!(p, None);
        assert!(matches!(
            db.conversation_for_voter(&anon, members_only, Voter::Cookie(cookie))
                .await,
            Err(Error::NotFound)
        ));
        assert!(matches!(
            db.conversation_for_voter(&sm, public, Voter::User(owner.id))
                .await,
            Err(Error::Forbidden)
        ));
        assert_eq!(
            db.conversation_for_voter(&sm, public, Voter::User(member.id))
                .await
                .unwrap()
                .1,
            Some(pm)
        );

        // Votes: latest wins; pending or foreign statements refused.
        let c = db.conversation(&so, public).await.unwrap();
        db.vote(&c, pm, s1, Vote::Agree).await.unwrap();
        db.vote(&c, pm, s1, Vote::Disagree).await.unwrap();
        db.vote(&c, pa, s1, Vote::Agree).await.unwrap();
        db.vote(&c, pa, s3, Vote::Pass).await.unwrap();
        assert!(matches!(
            db.vote(&c, pm, s4, Vote::Agree).await,
            Err(Error::NotFound)
        ));
        let data = db.vote_data(&c).await.unwrap();
        assert_eq!(data.votes.len(), 3);
        assert!(
            data.votes
                .contains(&(s1, pm, Vote::Disagree, data.votes[0].3))
                || data
                    .votes
                    .iter()
                    .any(|v| v.0 == s1 && v.1 == pm && v.2 == Vote::Disagree)
        );
        assert_eq!(db.vote_counts(&c).await.unwrap(), (3, 2));

        // Next statement: not yet voted, fewest votes first.
        let (next, left) = db.next_statement(&c, Some(pm)).await.unwrap();
        assert_eq!(left, 2);
        assert_eq!(next.unwrap().id, s2, "s2 has no votes, s3 has one");
        db.vote(&c, pm, s2, Vote::Agree).await.unwrap();
        db.vote(&c, pm, s3, Vote::Agree).await.unwrap();
        assert!(db.next_statement(&c, Some(pm)).await.unwrap().0.is_none());

        // Moderating a voted statement out: its votes no longer count.
        let before = db.conversation(&so, public).await.unwrap().version;
        db.moderate(&so, &c, s3, false, "Duplicate").await.unwrap();
        let c = db.conversation(&so, public).await.unwrap();
        assert!(c.version > before);
        let data = db.vote_data(&c).await.unwrap();
        assert!(data.votes.iter().all(|v| v.0 != s3));

        // The analysis cache is keyed by the version.
        assert!(db.cached_analysis(&c).await.unwrap().is_none());
        db.store_analysis(&c, c.version, "{\"x\":1}").await.unwrap();
        assert_eq!(
            db.cached_analysis(&c).await.unwrap().as_deref(),
            Some("{\"x\":1}")
        );
        db.vote(&c, pa, s2, Vote::Disagree).await.unwrap();
        let c2 = db.conversation(&so, public).await.unwrap();
        assert!(db.cached_analysis(&c2).await.unwrap().is_none());

        // A closed conversation takes no votes; only organisers change it.
        assert!(matches!(
            db.update_conversation(&sm, &c2, false, false).await,
            Err(Error::Forbidden)
        ));
        db.update_conversation(&so, &c2, false, false)
            .await
            .unwrap();
        let c3 = db.conversation(&so, public).await.unwrap();
        assert!(matches!(
            db.vote(&c3, pm, s2, Vote::Agree).await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            db.add_statement(&sm, &c3, Some(pm), "Late").await,
            Err(Error::Forbidden)
        ));
        assert!(!db.may_participate(&sm, &c3));
    }
}

#[tokio::test]
async fn import_is_all_or_nothing() {
    for t in common::backends().await {
        let db = &t.db;
        let owner = db
            .create_user("o@x.org", "Owner", "a long enough password", false)
            .await
            .unwrap();
        db.create_space("sp", "Space", "", true, &owner)
            .await
            .unwrap();
        let s = db.scope(Some(&owner), "sp").await.unwrap();
        let comments = "comment-id,comment-body,moderated,author-id\n0,A,1,7\n1,B,-1,8\n2,C,0,7\n";
        let votes =
            "timestamp,comment-id,voter-id,vote\n1000,0,7,1\n2000,0,7,-1\n3000,1,8,1\n4000,0,8,0\n";
        let data = polis::parse(comments.as_bytes(), Some(votes.as_bytes()), None).unwrap();
        let id = db
            .import_polis(&s, &conv("Imported", Level::Public), &data)
            .await
            .unwrap();
        let c = db.conversation(&s, id).await.unwrap();
        let all = db.all_statements(&s, &c).await.unwrap();
        assert_eq!(
            all.iter().map(|s| s.status).collect::<Vec<_>>(),
            vec![Status::Approved, Status::Rejected, Status::Pending]
        );
        let d = db.vote_data(&c).await.unwrap();
        // Votes on the moderated-out statement are ignored; the latest vote wins.
        assert_eq!(d.votes.len(), 2, "{}", t.name);
        assert!(d.votes.iter().any(|v| v.2 == Vote::Disagree && v.3 == 2));
        assert_eq!(d.participants.len(), 2);
        let log = db.audit_for_space(s.space().id, 5).await.unwrap();
        assert_eq!(log[0].action, "opinion.import");

        // Members may not import.
        let m = db
            .create_user("m@x.org", "M", "a long enough password", false)
            .await
            .unwrap();
        db.set_role(&s, "m@x.org", Some(Role::Member))
            .await
            .unwrap();
        let sm = db.scope(Some(&m), "sp").await.unwrap();
        assert!(matches!(
            db.import_polis(&sm, &conv("No", Level::Public), &data)
                .await,
            Err(Error::Forbidden)
        ));
        assert_eq!(db.conversations(&s).await.unwrap().len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_votes_are_each_answered_and_all_recorded() {
    for t in common::backends().await {
        let db = t.db.clone();
        let owner = db
            .create_user("o@x.org", "Owner", "a long enough password", false)
            .await
            .unwrap();
        db.create_space("sp", "Space", "", true, &owner)
            .await
            .unwrap();
        let so = db.scope(Some(&owner), "sp").await.unwrap();
        let id = db
            .create_conversation(&so, &conv("Busy", Level::Public))
            .await
            .unwrap();
        let c = db.conversation(&so, id).await.unwrap();
        let mut ids = Vec::new();
        for i in 0..5 {
            ids.push(
                db.add_statement(&so, &c, None, &format!("Statement {i}"))
                    .await
                    .unwrap(),
            );
        }
        let anon = db.scope(None, "sp").await.unwrap();
        let pid = db
            .participant(&anon, &c, Voter::Cookie("a-first-anonymous-participant"))
            .await
            .unwrap();
        let pending = db
            .add_statement(&anon, &c, Some(pid), "Waiting")
            .await
            .unwrap();
        let mut tasks = Vec::new();
        for i in 0..100 {
            let (db, c, anon, ids) = (db.clone(), c.clone(), anon.clone(), ids.clone());
            tasks.push(tokio::spawn(async move {
                let cookie = format!("participant-cookie-{i:08}");
                let p = db
                    .participant(&anon, &c, Voter::Cookie(&cookie))
                    .await
                    .unwrap();
                for s in &ids {
                    db.vote(&c, p, *s, Vote::Disagree).await.unwrap();
                    db.vote(&c, p, *s, Vote::Agree).await.unwrap();
                }
                matches!(
                    db.vote(&c, p, pending, Vote::Agree).await,
                    Err(Error::NotFound)
                )
            }));
        }
        for task in tasks {
            assert!(
                task.await.unwrap(),
                "a vote on a pending statement is refused"
            );
        }
        let data = db.vote_data(&c).await.unwrap();
        assert_eq!(data.votes.len(), 500, "{}", t.name);
        assert!(
            data.votes.iter().all(|v| v.2 == Vote::Agree),
            "the latest vote wins"
        );
        // The counters that order the next statement count the votes cast (each
        // participant voted twice on each statement).
        for s in &ids {
            let n: i64 = sqlx::query_scalar::<_, i64>(
                "SELECT vote_count FROM opinion_statements WHERE id = $1",
            )
            .bind(*s)
            .fetch_one(db.pool_for_tests())
            .await
            .unwrap();
            assert_eq!(n, 200, "{}", t.name);
        }
        assert!(db.conversation(&so, id).await.unwrap().version > c.version);
    }
}
