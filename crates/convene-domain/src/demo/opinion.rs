//! Demo data of opinion mapping: a conversation in the Serran Valley space with a
//! few hundred simulated participants (deterministic pseudo-random votes) in three
//! clear opinion groups, statements all groups agree with, statements awaiting
//! moderation, and a second conversation with too few votes for groups.

use crate::error::Result;
use crate::model::{Level, User};
use crate::opinion::{insert_votes, NewConversation, Vote};
use crate::util::now;
use crate::Db;

/// Simulated participants of the main demo conversation.
pub const DEMO_PARTICIPANTS: usize = 300;

/// (statement, probability of agreeing for group A, B, C). A: farmers and
/// returnees of the valley; B: traders and business on both sides; C: security-minded
/// residents of the border districts.
const STATEMENTS: &[(&str, [f64; 3])] = &[
    (
        "Families displaced by the fighting should be able to return to the valley in safety.",
        [0.92, 0.88, 0.85],
    ),
    (
        "Women's groups from both sides should have a seat at the next round of talks.",
        [0.85, 0.8, 0.75],
    ),
    (
        "A joint technical committee should manage the water of the Serran river.",
        [0.88, 0.82, 0.78],
    ),
    (
        "Schools in the valley should teach in both languages.",
        [0.8, 0.75, 0.7],
    ),
    (
        "The Serran border crossing should reopen for traders within three months.",
        [0.35, 0.95, 0.1],
    ),
    (
        "Reopening the crossing before disarmament would put our villages at risk.",
        [0.3, 0.08, 0.93],
    ),
    (
        "Land records destroyed in the war should be rebuilt with village elders as witnesses.",
        [0.95, 0.45, 0.4],
    ),
    (
        "Returnees should get their land back before any new investment in the valley.",
        [0.93, 0.15, 0.55],
    ),
    (
        "Foreign investors should be invited to rebuild the valley's roads and markets.",
        [0.2, 0.9, 0.35],
    ),
    (
        "Customs duties at the crossing should be shared between both sides.",
        [0.4, 0.88, 0.3],
    ),
    (
        "The militias should hand over their weapons before any other step.",
        [0.45, 0.4, 0.95],
    ),
    (
        "International monitors should patrol the valley for the first year.",
        [0.6, 0.55, 0.9],
    ),
    (
        "Farmers downstream deserve compensation for the dry seasons of the conflict.",
        [0.94, 0.3, 0.5],
    ),
    (
        "Cross-border markets will do more for peace than any agreement on paper.",
        [0.35, 0.92, 0.15],
    ),
    (
        "Police from both sides should train together.",
        [0.5, 0.6, 0.85],
    ),
    (
        "The talks are moving too slowly for people in the valley.",
        [0.7, 0.72, 0.68],
    ),
    (
        "Youth exchanges, like the cricket match, build trust between the sides.",
        [0.7, 0.8, 0.45],
    ),
    (
        "Nothing should be agreed until the missing persons are accounted for.",
        [0.75, 0.2, 0.8],
    ),
    (
        "Mobile phone coverage across the valley should be restored for everyone.",
        [0.82, 0.86, 0.6],
    ),
    (
        "Religious leaders should lead a public day of reconciliation.",
        [0.65, 0.5, 0.55],
    ),
];

const PENDING: &[&str] = &[
    "Bus services between Serran town and Port Alder should restart.",
    "Community radio in both languages would help people follow the talks.",
    "The committee should publish how much water each side receives.",
];

/// Deterministic pseudo-random numbers (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Seeds this part's demo data. `users` are the demo users, in the order of
/// [`super::DEMO_USERS`].
pub(crate) async fn seed(db: &Db, users: &[User]) -> Result<()> {
    let Some(organiser) = users.get(1) else {
        return Ok(());
    };
    let scope = db.scope(Some(organiser), "serran-valley").await?;
    let id = db
        .create_conversation(
            &scope,
            &NewConversation {
                topic: "What should the next round of the Serran Valley talks address?".into(),
                description: "Vote on statements from people across the valley, or add your own. The results show mediators where views divide and where they meet.".into(),
                level: Level::Public,
                is_open: true,
                allow_statements: true,
            },
        )
        .await?;
    let conv = db.conversation(&scope, id).await?;
    let mut statement_ids = Vec::new();
    for (body, _) in STATEMENTS {
        statement_ids.push(db.add_statement(&scope, &conv, None, body).await?);
    }

    let mut rng = Rng(2026);
    let t0 = now() - 14 * 24 * 3600;
    let mut tx = db.pool.begin().await?;
    let mut participants = Vec::with_capacity(DEMO_PARTICIPANTS);
    // Participants in one multi-row INSERT per batch.
    for chunk in (0..DEMO_PARTICIPANTS).collect::<Vec<_>>().chunks(200) {
        let mut sql = String::from(
            "INSERT INTO opinion_participants (conversation_id, user_id, cookie_hash, created_at) VALUES ",
        );
        for (i, _) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("($1, NULL, ${}, $2)", i + 3));
        }
        sql.push_str(" RETURNING id");
        let mut q = sqlx::query(&sql).bind(id).bind(t0);
        for n in chunk {
            q = q.bind(format!("demo:{n}"));
        }
        for row in q.fetch_all(&mut *tx).await? {
            participants.push(crate::storage::int(&row, "id")?);
        }
    }
    participants.sort_unstable();
    let mut votes = Vec::new();
    for (n, p) in participants.iter().enumerate() {
        // Groups of about 45%, 35% and 20%.
        let g = match rng.unit() {
            u if u < 0.45 => 0,
            u if u < 0.8 => 1,
            _ => 2,
        };
        let coverage = 0.55 + 0.45 * rng.unit();
        for (k, (_, probs)) in STATEMENTS.iter().enumerate() {
            if rng.unit() > coverage {
                continue;
            }
            let u = rng.unit();
            let agree = probs[g];
            let vote = if u < agree * 0.9 {
                Vote::Agree
            } else if u < agree * 0.9 + 0.1 {
                Vote::Pass
            } else {
                Vote::Disagree
            };
            let at = t0 + (n as i64) * 3600 + k as i64;
            votes.push((statement_ids[k], *p, vote, at));
        }
    }
    insert_votes(&mut tx, id, &votes).await?;
    for (i, body) in PENDING.iter().enumerate() {
        sqlx::query(
            "INSERT INTO opinion_statements (conversation_id, author_participant_id, body, status, is_seed, created_at)
             VALUES ($1, $2, $3, 'pending', 0, $4)",
        )
        .bind(id)
        .bind(participants.get(i * 7).copied())
        .bind(*body)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE opinion_conversations SET version = version + 1 WHERE record_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;

    // A young conversation: too few votes for groups yet.
    let young = db
        .create_conversation(
            &scope,
            &NewConversation {
                topic: "How should the youth cricket exchange continue?".into(),
                description: "A new conversation for players, parents and coaches.".into(),
                level: Level::Public,
                is_open: true,
                allow_statements: true,
            },
        )
        .await?;
    let young = db.conversation(&scope, young).await?;
    for body in [
        "Matches should alternate between Serran town and Port Alder.",
        "Girls' teams should play too.",
        "Coaches from both sides should train together first.",
    ] {
        db.add_statement(&scope, &young, None, body).await?;
    }
    Ok(())
}
