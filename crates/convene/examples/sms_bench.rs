//! Helper of `bench/sms/webhooks.sh`: prepares a data directory with a space, a
//! Kannel channel and an open poll (prints the channel's webhook key), and counts the
//! stored inbound messages afterwards.
//!
//!   sms_bench setup DIR     # prints the key
//!   sms_bench count DIR     # prints: inbound respondents outbound

use convene_domain::crypto::Keyring;
use convene_domain::polls::xlsform::{Choice, ChoiceList, Translations};
use convene_domain::polls::{Access, NewPoll, PollDefinition, Question, QuestionKind};
use convene_domain::sms::{Gateway, NewChannel, Settings};
use convene_domain::Db;

fn tr(s: &str) -> Translations {
    [("en".to_string(), s.to_string())].into()
}

fn poll() -> NewPoll {
    let q = |name: &str, kind| Question {
        name: name.into(),
        kind,
        label: tr(name),
        hint: Translations::new(),
        required: true,
        relevant: None,
        constraint: None,
        constraint_message: Translations::new(),
        row: 0,
        demographic: None,
    };
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
    NewPoll {
        title: "Roads".into(),
        description: String::new(),
        level: convene_domain::model::Level::Public,
        definition: PollDefinition {
            title: None,
            form_id: None,
            version: None,
            default_language: Some("en".into()),
            languages: vec!["en".into()],
            questions: vec![
                q("open", QuestionKind::SelectOne(yn)),
                q("safety", QuestionKind::Scale { min: 1, max: 5 }),
            ],
        },
        access: Access::Open,
        keyword: Some("ROADS".into()),
        opens_at: None,
        closes_at: None,
        idle_timeout_secs: 3600,
        results_public: false,
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(cmd), Some(dir)) = (args.get(1), args.get(2)) else {
        return Err("usage: sms_bench setup|count DIR".into());
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
            db.create_space("valley", "Valley", "", true, &owner)
                .await?;
            let scope = db.scope(Some(&owner), "valley").await?;
            db.create_poll(&scope, &poll()).await?;
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
            println!("{}", ch.key);
        }
        "count" => {
            let n = |sql: &'static str| async {
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(db.pool_for_tests())
                    .await
            };
            println!(
                "{} {} {}",
                n("SELECT COUNT(*) FROM sms_inbound").await?,
                n("SELECT COUNT(*) FROM poll_respondents").await?,
                n("SELECT COUNT(*) FROM sms_outbound").await?
            );
        }
        _ => return Err("usage: sms_bench setup|count DIR".into()),
    }
    db.close().await;
    Ok(())
}
