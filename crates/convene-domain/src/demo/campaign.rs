//! The demo's campaign in the Veluna–Kestria process: a timeline of milestones (some
//! reached) and progress updates in English and Urdu, one of them under embargo.

use crate::campaign::{NewMilestone, NewUpdate};
use crate::error::Result;
use crate::model::{Level, User};
use crate::util::now;
use crate::Db;

const MILESTONES: &[(&str, &str, &str, &str, Option<&str>)] = &[
    (
        "Pre-negotiation",
        "Back-channel contacts resume",
        "Both governments confirm that envoys have met twice in a neutral capital.",
        "2026-03-01",
        Some("2026-03-12"),
    ),
    (
        "Pre-negotiation",
        "Ceasefire in the Serran Valley",
        "The ceasefire along the line of contact holds for 60 days.",
        "2026-06-01",
        Some("2026-07-20"),
    ),
    (
        "Negotiation",
        "Serran Valley Accord signed",
        "The parties sign the accord on the valley: crossing, water, returns.",
        "2026-09-15",
        Some("2026-09-15"),
    ),
    (
        "Negotiation",
        "Formal talks open",
        "Both parties send delegations to formal negotiations on the wider conflict.",
        "2027-03-01",
        None,
    ),
    (
        "Implementation",
        "Joint monitoring committee reports",
        "The first public report on the accord's implementation.",
        "2027-06-01",
        None,
    ),
];

const UPDATES: &[(&str, &str, &str, usize, i64)] = &[
    (
        "en",
        "The crossing is open again",
        "For the first time in four years, traders crossed the **Serran bridge** on Monday.\n\n- 212 traders crossed in the first week\n- Women traders' groups from both sides met at the market\n\nWhat the accord says: [provision 2.1](/s/serran-valley/agreements).",
        2,
        -20 * 86_400,
    ),
    (
        "ur",
        "سرن پل دوبارہ کھل گیا",
        "چار سال میں پہلی بار تاجروں نے پیر کو **سرن پل** پار کیا۔\n\nپہلے ہفتے میں 212 تاجروں نے پل پار کیا۔",
        2,
        -19 * 86_400,
    ),
    (
        "en",
        "Sixty days of calm",
        "The ceasefire has held for sixty days. Farmers on both banks are back in their fields, and the joint technical committee on the river has met twice.\n\n> \"We planted this year. Last year we could not.\" — a farmer from Lower Serran",
        1,
        -60 * 86_400,
    ),
    (
        "en",
        "Ask your representative to back formal talks",
        "Formal talks can open in March if both parliaments back them. Tell your representative that you want them to.",
        3,
        -2 * 86_400,
    ),
    (
        "en",
        "Delegations named for the formal talks",
        "Both governments have named their delegations. (Under embargo until the joint announcement.)",
        3,
        5 * 86_400,
    ),
];

pub async fn seed(db: &Db, organiser: &User, slug: &str) -> Result<()> {
    let s = db.scope(Some(organiser), slug).await?;
    let mut ids = Vec::new();
    for (phase, title, body, due, reached) in MILESTONES {
        let id = db
            .add_milestone(
                &s,
                &NewMilestone {
                    phase: phase.to_string(),
                    title: title.to_string(),
                    body: body.to_string(),
                    due_on: due.to_string(),
                },
            )
            .await?;
        if let Some(d) = reached {
            db.set_milestone_reached(&s, id, Some(d)).await?;
        }
        ids.push(id);
    }
    let t = now();
    for (lang, title, body, milestone, offset) in UPDATES {
        db.create_update(
            &s,
            &NewUpdate {
                title: title.to_string(),
                body: body.to_string(),
                lang: lang.to_string(),
                milestone: ids.get(*milestone).copied(),
                publish_at: Some(t + offset),
                level: Level::Public,
            },
        )
        .await?;
    }
    Ok(())
}
