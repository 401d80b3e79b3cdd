//! Seeds a poll with many respondents on SQLite, times the results computation
//! directly, then serves the app on loopback for `bench/polls/results.sh` to time
//! the pages with repeated requests.
//!
//!     poll_results_bench RESPONDENTS PORT DATA_DIR
//!
//! Prints `ready SLUG POLL_ID` when serving.

use std::time::Instant;

use convene_domain::crypto::Keyring;
use convene_domain::model::Level;
use convene_domain::polls::xlsform::{Choice, ChoiceList, Translations};
use convene_domain::polls::{
    Access, NewPoll, PollDefinition, PollSettings, Question, QuestionKind,
};
use convene_domain::Db;

fn tr(s: &str) -> Translations {
    [("en".to_string(), s.to_string())].into_iter().collect()
}

fn question(name: &str, kind: QuestionKind, demographic: bool) -> Question {
    Question {
        name: name.into(),
        kind,
        label: tr(name),
        hint: Translations::new(),
        required: false,
        relevant: None,
        constraint: None,
        constraint_message: Translations::new(),
        row: 0,
        demographic: demographic.then(|| name.to_string()),
    }
}

fn list(name: &str, choices: &[&str]) -> ChoiceList {
    ChoiceList {
        name: name.into(),
        choices: choices
            .iter()
            .map(|c| Choice {
                name: c.to_string(),
                label: tr(c),
            })
            .collect(),
    }
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let port: u16 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(18095);
    let dir = std::path::PathBuf::from(
        args.get(3)
            .cloned()
            .unwrap_or_else(|| "/tmp/poll-bench".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let db = Db::connect(
        &convene_domain::storage::sqlite_url(&dir),
        Keyring::from_master(&[7u8; 32])?,
    )
    .await?;
    db.migrate().await?;
    let owner = db
        .create_user(
            "owner@bench.example",
            "Owner",
            "a long enough password",
            false,
        )
        .await?;
    db.create_space("bench", "Bench", "", true, &owner).await?;
    let scope = db.scope(Some(&owner), "bench").await?;
    let definition = PollDefinition {
        title: None,
        form_id: None,
        version: None,
        default_language: Some("en".into()),
        languages: vec!["en".into()],
        questions: vec![
            question(
                "gender",
                QuestionKind::SelectOne(list("g", &["f", "m", "x"])),
                true,
            ),
            question(
                "region",
                QuestionKind::SelectOne(list("r", &["north", "south", "east", "west"])),
                true,
            ),
            question(
                "groups",
                QuestionKind::SelectMultiple(list("gr", &["displaced", "minority"])),
                true,
            ),
            question(
                "safe",
                QuestionKind::SelectOne(list("s", &["yes", "no", "unsure"])),
                false,
            ),
            question("trust", QuestionKind::Scale { min: 1, max: 5 }, false),
            question(
                "issues",
                QuestionKind::SelectMultiple(list("i", &["water", "land", "jobs", "security"])),
                false,
            ),
        ],
    };
    let id = db
        .create_poll(
            &scope,
            &NewPoll {
                title: "Bench poll".into(),
                description: String::new(),
                level: Level::Public,
                definition,
                access: Access::Open,
                keyword: None,
                opens_at: None,
                closes_at: None,
                idle_timeout_secs: 86400,
                results_public: true,
            },
        )
        .await?;
    let poll = db.poll(&scope, id).await?;
    db.update_poll(
        &scope,
        &poll,
        &PollSettings {
            is_open: true,
            results_public: true,
            opens_at: None,
            closes_at: None,
            idle_timeout_secs: 86400,
            summary: String::new(),
        },
    )
    .await?;
    let t0 = Instant::now();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let pool = db.pool_for_tests();
    let mut tx = pool.begin().await?;
    let space = scope.space().id;
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let mut resp = String::from(
            "INSERT INTO poll_respondents (id, poll_id, space_id, channel, subject_hash, language, status, started_at, updated_at, completed_at) VALUES ",
        );
        let mut ans = String::from(
            "INSERT INTO poll_answers (respondent_id, poll_id, question, value, answered_at) VALUES ",
        );
        for (k, &i) in chunk.iter().enumerate() {
            let rid = i as i64 + 1;
            if k > 0 {
                resp.push(',');
                ans.push(',');
            }
            resp.push_str(&format!(
                "({rid}, {id}, {space}, 'web', 'bench-{i}', 'en', 'complete', 0, 0, 0)"
            ));
            let g = match rng.below(100) {
                0..49 => "f",
                49..98 => "m",
                _ => "x",
            };
            let r = ["north", "south", "east", "west"][rng.below(4) as usize];
            let mut groups = Vec::new();
            if rng.below(10) == 0 {
                groups.push("displaced");
            }
            if rng.below(20) == 0 {
                groups.push("minority");
            }
            let s = ["yes", "no", "unsure"][(rng.below(100) / 40).min(2) as usize];
            let t = 1 + rng.below(5);
            let issues: Vec<&str> = ["water", "land", "jobs", "security"]
                .into_iter()
                .filter(|_| rng.below(3) == 0)
                .collect();
            ans.push_str(&format!(
                "({rid}, {id}, 'gender', '{g}', 0), ({rid}, {id}, 'region', '{r}', 0), \
                 ({rid}, {id}, 'groups', '{}', 0), ({rid}, {id}, 'safe', '{s}', 0), \
                 ({rid}, {id}, 'trust', '{t}', 0), ({rid}, {id}, 'issues', '{}', 0)",
                groups.join(" "),
                issues.join(" ")
            ));
        }
        sqlx::query(&resp).execute(&mut *tx).await?;
        sqlx::query(&ans).execute(&mut *tx).await?;
    }
    sqlx::query("UPDATE polls SET version = version + 1 WHERE record_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    eprintln!(
        "seeded {n} respondents in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    let poll = db.poll(&scope, id).await?;
    let t = Instant::now();
    let data = db.poll_answer_data(&scope, &poll, false).await?;
    println!(
        "recompute part: read the answers of {} respondents: {:.0} ms",
        data.respondents.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    for i in 0..3 {
        let t = Instant::now();
        db.recompute_poll_results(&scope, &poll).await?;
        println!(
            "recompute {} (read answers + compute + store): {:.0} ms",
            i + 1,
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
    // Leave the cache empty so that the first request computes on its path.
    sqlx::query("DELETE FROM poll_results")
        .execute(pool)
        .await?;
    let app = convene_web::app(db.clone(), convene_web::WebConfig::default());
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("ready {} {id}", poll.slug);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await?;
    Ok(())
}
