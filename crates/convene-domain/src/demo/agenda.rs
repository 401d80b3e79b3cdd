//! The demo's agenda round for the next round of talks: items from groups on both
//! sides (some from concerns and a poll), support and objections with notes, the
//! public's support, two proposals by the public waiting for moderation, and the
//! keyword AGENDA by SMS.

use crate::agenda::{Participant, Source};
use crate::error::Result;
use crate::model::{Kind, Level, User};
use crate::records::Filter;
use crate::Db;

/// (title, why, source: concern title or "poll", proposer, supporters, objectors
/// with a note) — organisations by their name's start.
type Seed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

const ITEMS: [Seed; 8] = [
    (
        "Reopen the Serran border crossing for traders and families",
        "Markets on both banks lost their buyers when the crossing closed.",
        "Reopening the Serran border crossing",
        "Upper Serran Traders",
        &[
            "Upper Serran Traders",
            "Eastern Plains",
            "Kestrian Women",
            "Serran Women",
        ],
        &[(
            "Council of Valley Imams",
            "Not before the displaced families can return.",
        )],
    ),
    (
        "A joint commission for the Serran river's water",
        "Both sides' farmers depend on the same river.",
        "Water sharing from the Serran river",
        "Serran Women",
        &[
            "Serran Women",
            "Kestrian Women",
            "Highlands Youth",
            "Veluna Youth",
        ],
        &[],
    ),
    (
        "Return of displaced families with guarantees",
        "",
        "Return of displaced families",
        "Veluna Youth",
        &["Veluna Youth", "Council of Valley Imams"],
        &[("Eastern Plains", "Land disputes must be settled first.")],
    ),
    (
        "A ceasefire monitoring mechanism with local observers",
        "Most people asked want local observers on both banks.",
        "poll",
        "Highlands Youth",
        &["Highlands Youth", "Veluna Youth", "Kestrian Journalists"],
        &[],
    ),
    (
        "Release of detained fishermen",
        "",
        "",
        "Kestrian Journalists",
        &["Kestrian Journalists", "Kestrian Women"],
        &[],
    ),
    (
        "Women in every negotiating committee",
        "",
        "",
        "Kestrian Women",
        &["Kestrian Women", "Serran Women"],
        &[(
            "Council of Valley Imams",
            "Each delegation decides its members.",
        )],
    ),
    (
        "Reopen the schools in the buffer zone",
        "",
        "",
        "Serran Women",
        &["Serran Women"],
        &[],
    ),
    (
        "Compensation for lost harvests",
        "",
        "",
        "Eastern Plains",
        &["Eastern Plains"],
        &[],
    ),
];

/// Seeds the round into `slug` as `organiser`, who records each group's views
/// gathered in meetings (they act for every demo organisation).
pub async fn seed(db: &Db, organiser: &User, slug: &str) -> Result<()> {
    let s = db.scope(Some(organiser), slug).await?;
    let orgs = db.organisations(&s, None).await?;
    let org = |start: &str| {
        orgs.iter()
            .find(|o| o.name.starts_with(start))
            .map(|o| o.id)
    };
    let round = db
        .create_agenda_round(
            &s,
            "Agenda for the March talks",
            "What should the delegations take up first at the March talks?",
            Level::Public,
        )
        .await?;
    let poll = db.polls(&s).await?.into_iter().next().map(|p| p.id);
    let mut ids = Vec::new();
    for (i, (title, why, from, by, support, object)) in ITEMS.iter().enumerate() {
        let source = match *from {
            "" => Source::Proposal,
            "poll" => poll.map(Source::Poll).unwrap_or(Source::Proposal),
            t => db
                .fetch_visible(
                    &s,
                    &Filter {
                        kind: Some(Kind::Concern),
                        query: Some(t.into()),
                        limit: Some(1),
                        ..Filter::default()
                    },
                )
                .await?
                .first()
                .map(|c| Source::Concern(c.id))
                .unwrap_or(Source::Proposal),
        };
        let item = db
            .propose_agenda_item(
                &s,
                round,
                &Participant::Member { org: org(by) },
                title,
                why,
                source,
            )
            .await?;
        ids.push(item);
        for g in *support {
            db.agenda_view(&s, item, &Participant::Member { org: org(g) }, 1, "")
                .await?;
        }
        for (g, note) in *object {
            db.agenda_view(&s, item, &Participant::Member { org: org(g) }, -1, note)
                .await?;
        }
        // Members of the public, on the web, support the first items more.
        let anon = db.scope(None, slug).await?;
        for p in 0..(12usize.saturating_sub(i * 2)) {
            let who = Participant::Cookie(format!("demo-public-{p}"));
            db.agenda_view(&anon, item, &who, 1, "").await?;
        }
    }
    let anon = db.scope(None, slug).await?;
    let who = Participant::Cookie("demo-public-0".into());
    db.agenda_view(
        &anon,
        ids[5],
        &who,
        -1,
        "Committees should be chosen by merit.",
    )
    .await?;
    for title in [
        "Open the market road on Fridays",
        "Free buses for students who cross",
    ] {
        db.propose_agenda_item(&anon, round, &who, title, "", Source::Proposal)
            .await?;
    }
    db.set_agenda_keyword(&s, round, Some("AGENDA")).await?;
    Ok(())
}
