//! Helper of `bench/campaign/run.sh`: pledge sign-ups at the rate of a campaign
//! mentioned on television, on the embedded SQLite database.
//!
//!   campaign_bench setup DIR               # prints: key pledge
//!   campaign_bench web DIR SECONDS TASKS    # web signatures, then their confirmations
//!   campaign_bench count DIR               # prints: inbound phones signers counted
//!
//! `setup` prepares a public space with 50 districts, a pledge with the keyword
//! SIGN and a Kannel channel. `web` signs the pledge from TASKS concurrent callers
//! for SECONDS (each signature answered once committed: the row, and its
//! confirmation e-mail in the outbox), then follows every confirmation link from
//! the e-mails, and prints both rates and whether the pledge counts every
//! confirmation exactly once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use convene_domain::campaign::pledges::{NewPledge, WebSignature};
use convene_domain::crypto::Keyring;
use convene_domain::model::Level;
use convene_domain::places::gazetteer_csv;
use convene_domain::sms::{Gateway, NewChannel, Settings};
use convene_domain::Db;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(cmd), Some(dir)) = (args.get(1), args.get(2)) else {
        return Err("usage: campaign_bench setup|web|count DIR".into());
    };
    let dir = std::path::Path::new(dir);
    let keys = Keyring::load_or_create(&dir.join("convene.key"))?;
    let db = Db::connect(&convene_domain::storage::sqlite_url(dir), keys.clone()).await?;
    match cmd.as_str() {
        "setup" => {
            db.migrate().await?;
            let owner = db
                .create_user(
                    "owner@example.org",
                    "Owner",
                    "a long enough password",
                    false,
                )
                .await?;
            db.create_space("bench", "Bench", "", true, &owner).await?;
            let scope = db.scope(Some(&owner), "bench").await?;
            let mut g = String::from("#adm1+code,#adm1+name,#adm2+code,#adm2+name\n");
            for d in 0..50 {
                g.push_str(&format!("R01,Region,D{d:02},District {d}\n"));
            }
            let g = gazetteer_csv::read(g.as_bytes())
                .map_err(|e| format!("gazetteer: {} problems", e.len()))?;
            db.import_gazetteer(&scope, &g).await?;
            let deadline = convene_domain::activities::unix_to_local(
                convene_domain::util::now() + 30 * 86_400,
                "UTC",
            );
            let id = db
                .create_pledge(
                    &scope,
                    &NewPledge {
                        title: "I will walk to the market".into(),
                        body: String::new(),
                        target: 10_000_000,
                        deadline: deadline.get(..10).unwrap_or("").to_string(),
                        keyword: "SIGN".into(),
                        level: Some(Level::Public),
                    },
                )
                .await?;
            let ch = db
                .create_sms_channel(
                    &scope,
                    &NewChannel {
                        gateway: Gateway::Kannel,
                        name: "Kannel".into(),
                        number: "4040".into(),
                        settings: Settings {
                            account: "convene".into(),
                        },
                        secret: "sendpass".into(),
                        rate_per_sec: 100.0,
                        languages: vec![],
                    },
                )
                .await?;
            println!("{} {id}", ch.key);
        }
        "web" => {
            let secs: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
            let tasks: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(256);
            let scope = db.scope(None, "bench").await?;
            let id = db.pledges(&scope).await?[0].id;
            let n = Arc::new(AtomicUsize::new(0));
            let started = Instant::now();
            let until = started + Duration::from_secs(secs);
            let mut handles = Vec::new();
            for t in 0..tasks {
                let (db, scope, n) = (db.clone(), scope.clone(), n.clone());
                handles.push(tokio::spawn(async move {
                    let mut i = 0;
                    while Instant::now() < until {
                        let s = WebSignature {
                            email: format!("signer{t}-{i}@example.org"),
                            district: None,
                            lang: "en".into(),
                            confirm_url: "https://bench.example/confirm".into(),
                        };
                        db.sign_pledge(&scope, id, &s).await?;
                        n.fetch_add(1, Ordering::Relaxed);
                        i += 1;
                    }
                    Ok::<_, convene_domain::Error>(())
                }));
            }
            for h in handles {
                h.await??;
            }
            let signed = n.load(Ordering::Relaxed);
            let sign_secs = started.elapsed().as_secs_f64();
            // The links, as the e-mails carry them.
            let rows: Vec<(Vec<u8>,)> = sqlx::query_as("SELECT body_enc FROM mail_outbox")
                .fetch_all(db.pool_for_tests())
                .await?;
            let mut tokens = Vec::with_capacity(rows.len());
            for (sealed,) in rows {
                let body = keys.open(convene_domain::mail::CTX_BODY, &sealed)?;
                if let Some(t) = body
                    .split("?t=")
                    .nth(1)
                    .and_then(|r| r.split_whitespace().next())
                {
                    tokens.push(t.to_string());
                }
            }
            let tokens = Arc::new(tokens);
            let next = Arc::new(AtomicUsize::new(0));
            let started = Instant::now();
            let mut handles = Vec::new();
            for _ in 0..tasks {
                let (db, tokens, next) = (db.clone(), tokens.clone(), next.clone());
                handles.push(tokio::spawn(async move {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(t) = tokens.get(i) else { break };
                        db.confirm_pledge(t).await?;
                    }
                    Ok::<_, convene_domain::Error>(())
                }));
            }
            for h in handles {
                h.await??;
            }
            let confirm_secs = started.elapsed().as_secs_f64();
            let (counted, rows): (i64, i64) = sqlx::query_as(
                "SELECT (SELECT signers FROM pledges WHERE record_id = $1),
                        (SELECT COUNT(*) FROM pledge_signers WHERE pledge_id = $1 AND confirmed_at IS NOT NULL)",
            )
            .bind(id)
            .fetch_one(db.pool_for_tests())
            .await?;
            println!(
                "web signatures: {signed} in {sign_secs:.1} s = {:.0}/s ({tasks} callers, each answered once committed with its e-mail queued)",
                signed as f64 / sign_secs
            );
            println!(
                "confirmations: {} in {confirm_secs:.1} s = {:.0}/s; confirmed rows {rows}, pledge count {counted}: {}",
                tokens.len(),
                tokens.len() as f64 / confirm_secs,
                if rows == counted && rows as usize == tokens.len() && tokens.len() == signed {
                    "every confirmation counted once"
                } else {
                    "MISMATCH"
                }
            );
        }
        "count" => {
            let row = sqlx::query_as::<_, (i64, i64, i64, i64)>(
                "SELECT (SELECT COUNT(*) FROM sms_inbound),
                        (SELECT COUNT(DISTINCT phone_hash) FROM sms_inbound),
                        (SELECT COUNT(*) FROM pledge_signers WHERE via = 'sms'),
                        (SELECT COALESCE(SUM(signers), 0) FROM pledges)",
            )
            .fetch_one(db.pool_for_tests())
            .await?;
            println!("{} {} {} {}", row.0, row.1, row.2, row.3);
        }
        _ => return Err("usage: campaign_bench setup|web|count DIR".into()),
    }
    db.close().await;
    Ok(())
}
