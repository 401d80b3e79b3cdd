//! Storage behaviour on every available engine: accounts, sessions, rate limits,
//! encryption at rest, the audit chain and jobs.

use crate::common;

use convene_domain::accounts::LoginOutcome;
use convene_domain::audit::Verdict;
use convene_domain::model::{Detail, Kind, Level, NewRecord};
use convene_domain::Error;

#[tokio::test]
async fn accounts_sessions_and_rate_limits() {
    for t in common::backends().await {
        let db = &t.db;
        let u = db
            .create_user("Amal@Example.org", "Amal", "correct horse battery", false)
            .await
            .unwrap();
        assert_eq!(u.email, "amal@example.org");
        assert!(
            matches!(
                db.create_user("amal@example.org", "Amal 2", "another long password", false)
                    .await,
                Err(Error::Conflict("email"))
            ),
            "{}",
            t.name
        );
        assert!(
            matches!(db.create_user("not-an-email", "X", "short", false).await, Err(Error::Invalid(v)) if v.len() == 2)
        );

        let LoginOutcome::Success { token, user } = db
            .login("amal@example.org", "correct horse battery", "10.0.0.1")
            .await
            .unwrap()
        else {
            panic!("login failed on {}", t.name)
        };
        assert_eq!(user.id, u.id);
        assert!(token.len() >= 43, "token has at least 256 bits");
        let s = db.session(&token).await.unwrap().unwrap();
        assert_eq!(s.user.id, u.id);
        // Wrong password and unknown account answer the same.
        assert!(matches!(
            db.login("amal@example.org", "wrong password!", "10.0.0.1")
                .await
                .unwrap(),
            LoginOutcome::Failed
        ));
        assert!(matches!(
            db.login("nobody@example.org", "wrong password!", "10.0.0.1")
                .await
                .unwrap(),
            LoginOutcome::Failed
        ));
        // A second login gives a different token; log out everywhere ends both.
        let LoginOutcome::Success { token: t2, .. } = db
            .login("amal@example.org", "correct horse battery", "10.0.0.2")
            .await
            .unwrap()
        else {
            panic!()
        };
        assert_ne!(token, t2);
        assert_eq!(db.logout_everywhere(u.id).await.unwrap(), 2);
        assert!(db.session(&token).await.unwrap().is_none());
        assert!(db.session(&t2).await.unwrap().is_none());
        // Per-account limit: attempts beyond it are refused even with the right password.
        // Windows are fixed 15-minute slots: a run that crosses a slot boundary
        // needs up to twice the limit, hence the loop bounds.
        let mut limited = false;
        for _ in 0..24 {
            if matches!(
                db.login("amal@example.org", "correct horse battery", "10.0.0.3")
                    .await,
                Err(Error::RateLimited)
            ) {
                limited = true;
                break;
            }
        }
        assert!(limited, "per-account rate limit on {}", t.name);
        // Per-address limit across many accounts.
        let mut limited = false;
        for i in 0..110 {
            if matches!(
                db.login(
                    &format!("x{i}@example.org"),
                    "whatever password",
                    "10.9.9.9"
                )
                .await,
                Err(Error::RateLimited)
            ) {
                limited = true;
                break;
            }
        }
        assert!(limited, "per-address rate limit on {}", t.name);
    }
}

#[tokio::test]
async fn totp_second_factor_and_recovery_codes() {
    for t in common::backends().await {
        let db = &t.db;
        let u = db
            .create_user("org@example.org", "Org", "correct horse battery", false)
            .await
            .unwrap();
        let setup = db.totp_begin(&u).await.unwrap();
        assert!(setup.otpauth_uri.starts_with("otpauth://totp/"));
        let code = db.totp_current_code(&u).await.unwrap().unwrap();
        let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
        assert!(
            db.totp_confirm(&u, &wrong).await.unwrap().is_none(),
            "a wrong code is refused"
        );
        let codes = db
            .totp_confirm(&u, &code)
            .await
            .unwrap()
            .expect("code accepted");
        assert_eq!(codes.len(), 10);
        let LoginOutcome::NeedsTotp { token } = db
            .login("org@example.org", "correct horse battery", "1.1.1.1")
            .await
            .unwrap()
        else {
            panic!("second factor not asked on {}", t.name)
        };
        // The half-logged-in session is not a full session.
        let half = db.session(&token).await.unwrap().unwrap();
        assert_eq!(half.stage, convene_domain::accounts::Stage::Totp);
        // A replayed code (same time step as the confirmation) is refused; a recovery code works once.
        assert!(db
            .login_second_factor(&token, &code, "1.1.1.1")
            .await
            .unwrap()
            .is_none());
        let (full, _) = db
            .login_second_factor(&token, &codes[0], "1.1.1.1")
            .await
            .unwrap()
            .expect("recovery code");
        assert_ne!(full, token);
        assert!(
            db.session(&token).await.unwrap().is_none(),
            "the half session is replaced"
        );
        let LoginOutcome::NeedsTotp { token } = db
            .login("org@example.org", "correct horse battery", "1.1.1.1")
            .await
            .unwrap()
        else {
            panic!()
        };
        assert!(
            db.login_second_factor(&token, &codes[0], "1.1.1.1")
                .await
                .unwrap()
                .is_none(),
            "recovery codes are single-use"
        );
    }
}

#[tokio::test]
async fn personal_data_is_encrypted_at_rest() {
    for t in common::backends().await {
        let db = &t.db;
        let owner = db
            .create_user("owner@example.org", "Owner", "correct horse battery", false)
            .await
            .unwrap();
        let space = db
            .create_space("talks", "Talks", "", false, &owner)
            .await
            .unwrap();
        let scope = db.scope(Some(&owner), &space.slug).await.unwrap();
        let id = db
            .create_record(
                &scope,
                NewRecord {
                    kind: Kind::Contact,
                    level: Level::Organisers,
                    title: "Business delegate".into(),
                    body: String::new(),
                    detail: Detail::Contact {
                        name: "Zarghuna Wardak".into(),
                        email: Some("zw@example.af".into()),
                        phone: Some("+93 70 123 4567".into()),
                    },
                    named: vec![],
                },
            )
            .await
            .unwrap();
        let rec = db.get_record(&scope, Kind::Contact, id).await.unwrap();
        assert_eq!(
            rec.detail,
            Detail::Contact {
                name: "Zarghuna Wardak".into(),
                email: Some("zw@example.af".into()),
                phone: Some("+93701234567".into())
            }
        );
        let found = db
            .contacts_by_phone(&scope, "0093-70-123-4567")
            .await
            .unwrap();
        assert_eq!(found.len(), 1);
        // Nothing in the database holds the plain text.
        for table in ["contact_details", "records"] {
            let rows = sqlx::query(&format!("SELECT * FROM {table}"))
                .fetch_all(test_pool(db))
                .await
                .unwrap();
            let dump = format!("{:?}", rows.iter().map(raw_row).collect::<Vec<_>>());
            assert!(
                !dump.contains("Zarghuna")
                    && !dump.contains("zw@example")
                    && !dump.contains("701234567"),
                "{table} on {}",
                t.name
            );
        }
    }
}

fn test_pool(db: &convene_domain::Db) -> &sqlx::AnyPool {
    db.pool_for_tests()
}

fn raw_row(r: &sqlx::any::AnyRow) -> String {
    use sqlx::{Column, Row};
    let mut out = String::new();
    for (i, c) in r.columns().iter().enumerate() {
        let v: String = r
            .try_get::<String, _>(i)
            .or_else(|_| {
                r.try_get::<Vec<u8>, _>(i)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
            })
            .or_else(|_| r.try_get::<i64, _>(i).map(|n| n.to_string()))
            .unwrap_or_default();
        out.push_str(&format!("{}={v};", c.name()));
    }
    out
}

#[tokio::test]
async fn audit_chain_detects_edits_inserts_and_deletions() {
    for t in common::backends().await {
        let db = &t.db;
        let owner = db
            .create_user("owner@example.org", "Owner", "correct horse battery", false)
            .await
            .unwrap();
        db.create_space("one", "One", "", true, &owner)
            .await
            .unwrap();
        db.create_space("two", "Two", "", false, &owner)
            .await
            .unwrap();
        let _ = db
            .login("owner@example.org", "wrong password!", "1.2.3.4")
            .await
            .unwrap();
        let Verdict::Intact { entries, .. } = db.audit_verify().await.unwrap() else {
            panic!("fresh log broken on {}", t.name)
        };
        assert_eq!(entries, 3);
        let pool = test_pool(db);

        sqlx::query("UPDATE audit_log SET detail = 'closed' WHERE seq = 1")
            .execute(pool)
            .await
            .unwrap();
        assert!(
            matches!(
                db.audit_verify().await.unwrap(),
                Verdict::Broken { seq: 1, .. }
            ),
            "edit on {}",
            t.name
        );
        sqlx::query("UPDATE audit_log SET detail = 'public' WHERE seq = 1")
            .execute(pool)
            .await
            .unwrap();
        assert!(matches!(
            db.audit_verify().await.unwrap(),
            Verdict::Intact { .. }
        ));

        sqlx::query("DELETE FROM audit_log WHERE seq = 2")
            .execute(pool)
            .await
            .unwrap();
        assert!(
            matches!(
                db.audit_verify().await.unwrap(),
                Verdict::Broken { seq: 2, .. }
            ),
            "deletion on {}",
            t.name
        );
    }
    for t in common::backends().await {
        let db = &t.db;
        let owner = db
            .create_user("owner@example.org", "Owner", "correct horse battery", false)
            .await
            .unwrap();
        db.create_space("one", "One", "", true, &owner)
            .await
            .unwrap();
        db.create_space("two", "Two", "", true, &owner)
            .await
            .unwrap();
        let pool = test_pool(db);
        // Deleting the newest entry is caught by the head.
        sqlx::query("DELETE FROM audit_log WHERE seq = 2")
            .execute(pool)
            .await
            .unwrap();
        assert!(
            matches!(db.audit_verify().await.unwrap(), Verdict::Broken { .. }),
            "tail deletion on {}",
            t.name
        );
        // An inserted entry with a forged hash is caught.
        sqlx::query("INSERT INTO audit_log (seq, at, action, target, detail, prev_hash, hash) SELECT 2, 0, 'x', '', '', hash, 'forged' FROM audit_log WHERE seq = 1")
            .execute(pool)
            .await
            .unwrap();
        assert!(
            matches!(
                db.audit_verify().await.unwrap(),
                Verdict::Broken { seq: 2, .. }
            ),
            "insertion on {}",
            t.name
        );
    }
}

#[tokio::test]
async fn jobs_are_claimed_once_and_retried() {
    for t in common::backends().await {
        let db = &t.db;
        let id = db.enqueue_job("cleanup", "", 0).await.unwrap();
        let job = db.claim_job().await.unwrap().expect("due job");
        assert_eq!(job.id, id);
        assert!(
            db.claim_job().await.unwrap().is_none(),
            "a claimed job is not claimed twice"
        );
        db.fail_job(job.id, job.attempts, "boom").await.unwrap();
        assert!(
            db.claim_job().await.unwrap().is_none(),
            "a failed job waits for its backoff"
        );
        db.enqueue_job("cleanup", "", 0).await.unwrap();
        assert!(db.run_one_job().await.unwrap());
    }
}

#[tokio::test]
async fn the_second_factor_is_switched_off_only_with_password_and_code() {
    // It could once be switched off from any session (restarting the set-up), with
    // no re-authentication and no audit entry, and the recovery codes stayed.
    for t in common::backends().await {
        let db = &t.db;
        let pw = "correct horse battery";
        let u = db
            .create_user("org@example.org", "Org", pw, false)
            .await
            .unwrap();
        db.totp_begin(&u).await.unwrap();
        let code = db.totp_current_code(&u).await.unwrap().unwrap();
        let codes = db.totp_confirm(&u, &code).await.unwrap().unwrap();
        let field = |r: Result<(), Error>| match r {
            Err(Error::Invalid(v)) => format!("{}:{}", v[0].field, v[0].key),
            other => format!("{other:?}"),
        };
        // Restarting the set-up no longer turns it off.
        assert!(matches!(db.totp_begin(&u).await, Err(Error::Conflict(_))));
        let on = db.user_by_email("org@example.org").await.unwrap().unwrap();
        assert!(on.totp_enabled, "{}", t.name);
        // Refused while the user organises a space that requires a second factor.
        let owner = db
            .create_user("owner@example.org", "Owner", pw, false)
            .await
            .unwrap();
        db.create_space("guarded", "Guarded", "", false, &owner)
            .await
            .unwrap();
        let so = db.scope(Some(&owner), "guarded").await.unwrap();
        db.update_space_settings(&so, false, false, true, 10)
            .await
            .unwrap();
        db.set_role(
            &so,
            "org@example.org",
            Some(convene_domain::model::Role::Organiser),
        )
        .await
        .unwrap();
        assert_eq!(
            field(db.totp_disable(&u, pw, &codes[0]).await),
            "code:error-totp-required-by-space"
        );
        db.set_role(&so, "org@example.org", None).await.unwrap();
        // The password and a current code are both needed.
        assert_eq!(
            field(db.totp_disable(&u, "wrong password!", &codes[0]).await),
            "password:error-password-wrong"
        );
        assert_eq!(
            field(db.totp_disable(&u, pw, "000000").await),
            "code:error-code"
        );
        db.totp_disable(&u, pw, &codes[0]).await.unwrap();
        let off = db.user_by_email("org@example.org").await.unwrap().unwrap();
        assert!(!off.totp_enabled, "{}", t.name);
        let pool = db.pool_for_tests();
        let left: i64 = sqlx::Row::get(
            &sqlx::query("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1")
                .bind(u.id)
                .fetch_one(pool)
                .await
                .unwrap(),
            "n",
        );
        assert_eq!(left, 0, "recovery codes deleted on {}", t.name);
        let audited: i64 = sqlx::Row::get(
            &sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'totp.disabled'")
                .fetch_one(pool)
                .await
                .unwrap(),
            "n",
        );
        assert_eq!(audited, 1, "{}", t.name);
    }
}

#[tokio::test]
async fn the_keyed_head_and_checkpoints_catch_a_cut_or_rewritten_log() {
    for t in common::backends().await {
        let db = &t.db;
        let owner = db
            .create_user("owner@example.org", "Owner", "correct horse battery", false)
            .await
            .unwrap();
        for slug in ["one", "two", "three"] {
            db.create_space(slug, slug, "", true, &owner).await.unwrap();
        }
        let checkpoint = db.audit_checkpoint().await.unwrap();
        assert!(matches!(
            db.audit_verify_against(&checkpoint).await.unwrap(),
            Verdict::Intact { entries: 3, .. }
        ));
        let pool = test_pool(db);
        // Deleting the newest entry and rewriting the head to the entry before
        // needs the key: the head is keyed. (Without the key this went unnoticed.)
        sqlx::query("DELETE FROM audit_log WHERE seq = 3")
            .execute(pool)
            .await
            .unwrap();
        sqlx::query(
            "UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_log WHERE seq = 2) WHERE id = 1",
        )
        .execute(pool)
        .await
        .unwrap();
        match db.audit_verify().await.unwrap() {
            Verdict::Broken { reason, .. } => assert!(reason.contains("head"), "{reason}"),
            v => panic!("a cut tail went unnoticed on {}: {v:?}", t.name),
        }
        // Someone who empties the log and starts it again (as a key holder could)
        // passes the chain check, but not the checkpoint kept elsewhere.
        sqlx::query("DELETE FROM audit_log")
            .execute(pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_head SET seq = 0, hash = '', mac = '' WHERE id = 1")
            .execute(pool)
            .await
            .unwrap();
        assert!(matches!(
            db.audit_verify().await.unwrap(),
            Verdict::Intact { entries: 0, .. }
        ));
        match db.audit_verify_against(&checkpoint).await.unwrap() {
            Verdict::Broken { reason, .. } => assert!(reason.contains("gone"), "{reason}"),
            v => panic!("{v:?}"),
        }
        for slug in ["four", "five", "six"] {
            db.create_space(slug, slug, "", true, &owner).await.unwrap();
        }
        assert!(matches!(
            db.audit_verify().await.unwrap(),
            Verdict::Intact { entries: 3, .. }
        ));
        match db.audit_verify_against(&checkpoint).await.unwrap() {
            Verdict::Broken { reason, .. } => assert!(reason.contains("rewritten"), "{reason}"),
            v => panic!("{v:?}"),
        }
        // A checkpoint not made with this key is refused.
        // (Its last digit changed: to another one, whatever it was.)
        let last = if checkpoint.ends_with('0') { '1' } else { '0' };
        let forged = format!("{}{last}", &checkpoint[..checkpoint.len() - 1]);
        assert_ne!(forged, checkpoint);
        match db.audit_verify_against(&forged).await.unwrap() {
            Verdict::Broken { reason, .. } => assert!(reason.contains("key"), "{reason}"),
            v => panic!("{v:?}"),
        }
    }
}

#[tokio::test]
async fn recovery_codes_and_rate_limit_buckets_are_keyed_hashes() {
    // Bare SHA-256 of a 40-bit recovery code, an address or an e-mail address can
    // be reversed from a stolen database by trying them all.
    use convene_domain::util::sha256_hex;
    for t in common::backends().await {
        let db = &t.db;
        let u = db
            .create_user("org@example.org", "Org", "correct horse battery", false)
            .await
            .unwrap();
        db.totp_begin(&u).await.unwrap();
        let code = db.totp_current_code(&u).await.unwrap().unwrap();
        let codes = db.totp_confirm(&u, &code).await.unwrap().unwrap();
        let _ = db
            .login("org@example.org", "wrong password!", "10.1.2.3")
            .await
            .unwrap();
        let pool = test_pool(db);
        let rows = |sql: &'static str| async move {
            sqlx::query(sql)
                .fetch_all(pool)
                .await
                .unwrap()
                .iter()
                .map(|r| sqlx::Row::get::<String, _>(r, 0))
                .collect::<Vec<String>>()
        };
        let stored = rows("SELECT code_hash FROM recovery_codes").await;
        assert_eq!(stored.len(), 10);
        for c in &codes {
            assert!(
                !stored.contains(&sha256_hex(c)),
                "{} stores a bare hash",
                t.name
            );
        }
        let buckets = rows("SELECT bucket FROM rate_limits").await.join(" ");
        assert!(buckets.contains("login:addr:"), "{buckets}");
        for plain in ["10.1.2.3", "org@example.org"] {
            assert!(
                !buckets.contains(&sha256_hex(plain)),
                "{} on {}",
                plain,
                t.name
            );
            assert!(!buckets.contains(plain));
        }
        // A recovery code still works, once.
        let LoginOutcome::NeedsTotp { token } = db
            .login("org@example.org", "correct horse battery", "10.1.2.4")
            .await
            .unwrap()
        else {
            panic!("second factor not asked on {}", t.name)
        };
        assert!(db
            .login_second_factor(&token, &codes[3], "10.1.2.4")
            .await
            .unwrap()
            .is_some());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_holds_every_acknowledged_write() {
    let t = common::sqlite().await;
    let db = t.db.clone();
    let owner = db
        .create_user("owner@example.org", "Owner", "correct horse battery", false)
        .await
        .unwrap();
    db.create_space("busy", "Busy", "", true, &owner)
        .await
        .unwrap();
    let scope = db.scope(Some(&owner), "busy").await.unwrap();
    // Writers keep creating records; each acknowledged id is noted with the time.
    let acked = std::sync::Arc::new(std::sync::Mutex::new(
        Vec::<(std::time::Instant, i64)>::new(),
    ));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..3 {
        let (db, scope, acked, stop) = (db.clone(), scope.clone(), acked.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let id = db
                    .create_record(
                        &scope,
                        NewRecord {
                            kind: Kind::Concern,
                            level: Level::Public,
                            title: format!("writer {w} record {i}"),
                            body: String::new(),
                            detail: Detail::None,
                            named: vec![],
                        },
                    )
                    .await
                    .unwrap();
                acked.lock().unwrap().push((std::time::Instant::now(), id));
                i += 1;
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("backup.sqlite3");
    let began = std::time::Instant::now();
    db.backup_to(&out).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let before: Vec<i64> = acked
        .lock()
        .unwrap()
        .iter()
        .filter(|(at, _)| *at < began)
        .map(|(_, id)| *id)
        .collect();
    assert!(before.len() > 10, "the writers wrote: {}", before.len());
    // A second backup to the same file is refused: nothing is overwritten.
    assert!(db.backup_to(&out).await.is_err());
    // The copy, opened with the same key, passes every check and holds them all.
    let keys = convene_domain::crypto::Keyring::from_master(&[42u8; 32]).unwrap();
    let copy = convene_domain::Db::connect(&format!("sqlite://{}?mode=rw", out.display()), keys)
        .await
        .unwrap();
    let checked = copy.check_copy().await.unwrap();
    assert!(checked.audit_entries as usize > before.len());
    let ids: std::collections::HashSet<i64> = sqlx::query("SELECT id FROM records")
        .fetch_all(copy.pool_for_tests())
        .await
        .unwrap()
        .iter()
        .map(|r| sqlx::Row::get::<i64, _>(r, "id"))
        .collect();
    for id in &before {
        assert!(
            ids.contains(id),
            "acknowledged record {id} missing from the backup"
        );
    }
    // A copy opened with another key is refused.
    copy.close().await;
    let other = convene_domain::crypto::Keyring::from_master(&[7u8; 32]).unwrap();
    let wrong = convene_domain::Db::connect(&format!("sqlite://{}?mode=rw", out.display()), other)
        .await
        .unwrap();
    assert!(wrong.check_copy().await.is_err());
}
