//! The demo's agreement: the Serran Valley Accord's twenty provisions, their
//! implementation with dated evidence, and activities linked to them.

use crate::agreements::{read_pasted, Implementation};
use crate::error::{Error, Result};
use crate::model::{Level, User};
use crate::Db;

const PROVISIONS: &str = "\
1.1 The parties observe a ceasefire along the whole line of contact in the Serran Valley.
1.2 A joint monitoring committee with one member from each side and one international member is set up within 30 days.
1.3 Heavy weapons are withdrawn 15 km from the line of contact.
2.1 The Serran border crossing reopens to traders and pedestrians on weekdays.
2.2 Customs procedures at the crossing are harmonised within six months.
2.3 Traders' permits from either side are recognised at the crossing.
3.1 A joint technical committee on the Serran river meets every month.
3.2 Water allocation for the dry season is agreed before each season.
3.3 Irrigation channels damaged in the fighting are repaired.
4.1 Displaced families may return to their villages in safety and dignity.
4.2 Land records are restored and disputes heard by mixed commissions.
4.3 Returnees receive support for one agricultural season.
5.1 Schools reopen on both sides with teachers from the valley.
5.2 A joint curriculum review of history teaching begins.
6.1 Women make up at least a third of every joint committee.
6.2 Women's groups from both sides meet at least twice a year.
7.1 Local radio in both languages carries the accord's text and progress.
7.2 Hate speech in official media is stopped.
8.1 Donors fund a valley reconstruction programme managed jointly.
8.2 The parties review implementation together every six months.";

const STATUS: [(usize, Implementation, &str, &str); 9] = [
    (
        0,
        Implementation::Intermediate,
        "2026-10-01",
        "Monitoring mission reports 4 violations in September, down from 31 in August.",
    ),
    (
        1,
        Implementation::Full,
        "2026-10-12",
        "Committee constituted; minutes of its first meeting published.",
    ),
    (
        3,
        Implementation::Minimal,
        "2026-11-02",
        "Crossing open two days a week for pedestrians only.",
    ),
    (
        6,
        Implementation::Full,
        "2026-10-20",
        "Committee met in October and November; minutes shared.",
    ),
    (
        9,
        Implementation::Minimal,
        "2026-11-15",
        "First 40 families returned to Amber Ford.",
    ),
    (
        12,
        Implementation::Intermediate,
        "2026-11-01",
        "14 of 30 schools reopened.",
    ),
    (
        14,
        Implementation::Minimal,
        "2026-11-20",
        "Two of seven committees meet the quota.",
    ),
    (
        16,
        Implementation::Intermediate,
        "2026-10-05",
        "Both community stations broadcast a weekly programme.",
    ),
    (
        19,
        Implementation::NotStarted,
        "2026-11-30",
        "First review scheduled for March.",
    ),
];

/// Seeds the accord into `slug` as `organiser`, linking activities by code.
pub async fn seed(db: &Db, organiser: &User, slug: &str) -> Result<()> {
    let s = db.scope(Some(organiser), slug).await?;
    let provisions =
        read_pasted(PROVISIONS).map_err(|e| Error::Internal(format!("demo accord: {e:?}")))?;
    let id = db
        .create_agreement(
            &s,
            "Serran Valley Accord",
            "2026-09-15",
            Level::Public,
            &provisions,
        )
        .await?;
    let a = db.agreement(&s, id).await?;
    for (i, status, as_of, evidence) in STATUS {
        db.set_provision_status(&s, id, a.provisions[i].id, status, as_of, evidence)
            .await?;
    }
    // Activities that implement provisions: the first few of their kind.
    let upcoming = db.upcoming_activities(&s, None, 0, None, 300, "en").await?;
    for (i, kind) in [
        (6, "Water committee"),
        (15, "Women's dialogue circle"),
        (16, "Community radio call-in"),
        (9, "Returnees' listening session"),
    ] {
        for act in upcoming
            .iter()
            .filter(|x| x.title.starts_with(kind))
            .take(2)
        {
            db.link_provision(&s, id, a.provisions[i].id, &act.code)
                .await?;
        }
    }
    Ok(())
}
