//! Helper of `bench/coordination/run.sh`: prepares a data directory with a public
//! space, a gazetteer of 50 regions and 5,000 districts, 100,000 activities over
//! them (a tenth at the members' level), and a Kannel channel; writes the join codes
//! of 2,000 upcoming public activities to `DIR/codes.txt` and prints the channel's
//! webhook key and a district's and a region's P-codes. Afterwards counts what the
//! JOIN run stored.
//!
//!   coordination_bench setup DIR    # prints: key district region
//!   coordination_bench count DIR    # prints: inbound phones joins doubled

use convene_domain::activities::NewActivity;
use convene_domain::crypto::Keyring;
use convene_domain::model::Level;
use convene_domain::places::gazetteer_csv;
use convene_domain::sms::{Gateway, NewChannel, Settings};
use convene_domain::Db;

const REGIONS: usize = 50;
const DISTRICTS_PER_REGION: usize = 100;
const ACTIVITIES: usize = 100_000;

fn gazetteer() -> String {
    let mut s = String::from("#adm1+code,#adm1+name,#adm2+code,#adm2+name\n");
    for r in 0..REGIONS {
        for d in 0..DISTRICTS_PER_REGION {
            s.push_str(&format!(
                "R{r:02},Region {r},R{r:02}D{d:03},District {r}-{d}\n"
            ));
        }
    }
    s
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(cmd), Some(dir)) = (args.get(1), args.get(2)) else {
        return Err("usage: coordination_bench setup|count DIR".into());
    };
    let dir = std::path::Path::new(dir);
    let keys = Keyring::load_or_create(&dir.join("convene.key"))?;
    let db = Db::connect(&convene_domain::storage::sqlite_url(dir), keys).await?;
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
            let g = gazetteer_csv::read(gazetteer().as_bytes())
                .map_err(|e| format!("gazetteer: {} problems", e.len()))?;
            db.import_gazetteer(&scope, &g).await?;
            let now = convene_domain::util::now();
            let day0 = now - now % 86_400;
            let mut batch = Vec::with_capacity(1000);
            for i in 0..ACTIVITIES {
                let district = i % (REGIONS * DISTRICTS_PER_REGION);
                let (r, d) = (
                    district / DISTRICTS_PER_REGION,
                    district % DISTRICTS_PER_REGION,
                );
                // From a year ago to a year ahead, at hours through the day.
                let start =
                    day0 + ((i as i64 * 7919) % 730 - 365) * 86_400 + (8 + (i % 10) as i64) * 3600;
                let local = |t: i64| convene_domain::activities::unix_to_local(t, "UTC");
                batch.push(NewActivity {
                    title: format!("Dialogue circle {i}"),
                    body: String::new(),
                    level: if i % 10 == 3 {
                        Level::Members
                    } else {
                        Level::Public
                    },
                    named: vec![],
                    place_code: format!("R{r:02}D{d:03}"),
                    starts: local(start),
                    ends: local(start + 2 * 3600),
                    venue: "Community hall".into(),
                    online: false,
                    venue_sensitive: false,
                    capacity: None,
                    track: Some(1 + (i % 9) as i64),
                    org: None,
                    org_name: String::new(),
                });
                if batch.len() == 1000 {
                    db.create_activities(&scope, &batch).await?;
                    batch.clear();
                }
            }
            if !batch.is_empty() {
                db.create_activities(&scope, &batch).await?;
            }
            let upcoming = db
                .upcoming_activities(&scope, None, now, None, 2000, "en")
                .await?;
            let codes: Vec<String> = upcoming
                .iter()
                .filter(|a| a.level == Level::Public)
                .map(|a| a.code.clone())
                .collect();
            std::fs::write(dir.join("codes.txt"), codes.join("\n") + "\n")?;
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
            println!("{} R07D042 R07", ch.key);
        }
        "count" => {
            // One statement: one snapshot of the four counts.
            let row = sqlx::query_as::<_, (i64, i64, i64, i64)>(
                "SELECT (SELECT COUNT(*) FROM sms_inbound),
                        (SELECT COUNT(DISTINCT phone_hash) FROM sms_inbound),
                        (SELECT COUNT(*) FROM activity_joins),
                        (SELECT COUNT(*) FROM (SELECT activity_id, subject_hash FROM activity_joins
                           GROUP BY activity_id, subject_hash HAVING COUNT(*) > 1) d)",
            )
            .fetch_one(db.pool_for_tests())
            .await?;
            println!("{} {} {} {}", row.0, row.1, row.2, row.3);
        }
        _ => return Err("usage: coordination_bench setup|count DIR".into()),
    }
    db.close().await;
    Ok(())
}
