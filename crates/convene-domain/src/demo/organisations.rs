//! The demo's stakeholder groups on both sides of the valley, the members who act
//! for two of them, and their endorsements: common ground across the divide (the
//! crossing, the water) and a concern backed by one side only.

use crate::error::Result;
use crate::model::{Kind, Level, User};
use crate::organisations::NewOrganisation;
use crate::records::Filter;
use crate::Db;

const ORGS: [(&str, &str, &str, i64, Level); 8] = [
    (
        "Serran Women's Network",
        "Veluna",
        "Women",
        6,
        Level::Public,
    ),
    (
        "Upper Serran Traders' Chamber",
        "Veluna",
        "Business",
        3,
        Level::Public,
    ),
    (
        "Veluna Youth for Peace",
        "Veluna",
        "Youth",
        4,
        Level::Public,
    ),
    (
        "Council of Valley Imams",
        "Veluna",
        "Religion",
        7,
        Level::Members,
    ),
    (
        "Kestrian Women's Forum",
        "Kestria",
        "Women",
        6,
        Level::Public,
    ),
    (
        "Eastern Plains Farmers' Union",
        "Kestria",
        "Business",
        3,
        Level::Public,
    ),
    (
        "Highlands Youth Council",
        "Kestria",
        "Youth",
        4,
        Level::Public,
    ),
    (
        "Kestrian Journalists' Association",
        "Kestria",
        "Media",
        9,
        Level::Public,
    ),
];

/// (concern title's start, organisations endorsing it by index in `ORGS`, place).
const ENDORSED: [(&str, &[usize], &str); 3] = [
    ("Reopening the Serran border crossing", &[1, 5, 4], "VL0101"),
    ("Water sharing from the Serran river", &[0, 4, 6], "KS0203"),
    ("Return of displaced families", &[2, 3], "VL0205"),
];

/// Seeds the organisations into `slug`: `organiser` adds them and records their
/// endorsements; `member` acts for the first, `focal` for the fifth.
pub async fn seed(
    db: &Db,
    organiser: &User,
    member: &User,
    focal: &User,
    slug: &str,
) -> Result<()> {
    let s = db.scope(Some(organiser), slug).await?;
    let mut ids = Vec::new();
    for (name, side, sector, track, level) in ORGS {
        ids.push(
            db.create_organisation(
                &s,
                &NewOrganisation {
                    name: name.into(),
                    description: format!("A {} group of {side}.", sector.to_lowercase()),
                    side: side.into(),
                    sector: sector.into(),
                    track: Some(track),
                    contact: format!("+92 300 55{:05}", ids.len() * 7 + 11),
                    level,
                },
            )
            .await?,
        );
    }
    db.add_org_member(&s, ids[0], &member.email).await?;
    db.add_org_member(&s, ids[4], &focal.email).await?;
    // The organiser records the groups' endorsements gathered in meetings.
    for id in &ids {
        db.add_org_member(&s, *id, &organiser.email).await?;
    }
    for (title, by, place) in ENDORSED {
        let found = db
            .fetch_visible(
                &s,
                &Filter {
                    kind: Some(Kind::Concern),
                    query: Some(title.into()),
                    limit: Some(1),
                    ..Filter::default()
                },
            )
            .await?;
        let Some(c) = found.first() else { continue };
        db.set_record_place(&s, c.id, place).await?;
        for &i in by {
            db.endorse(&s, c.id, ids[i], "We share this.").await?;
        }
    }
    Ok(())
}
