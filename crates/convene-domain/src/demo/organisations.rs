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
    // Each activity is organised by a group working on its track, alternating
    // sides; tracks no group works on are left without one.
    let activities = db
        .upcoming_activities(&s, None, 0, None, 1000, "en")
        .await?;
    for a in &activities {
        let on_track: Vec<i64> = ORGS
            .iter()
            .zip(&ids)
            .filter(|((_, _, _, track, _), _)| Some(*track) == a.track)
            .map(|(_, id)| *id)
            .collect();
        if !on_track.is_empty() {
            let org = on_track[(a.id as usize) % on_track.len()];
            db.set_activity_org(&s, a.id, Some(org)).await?;
        }
    }
    db.add_org_member(&s, ids[0], &member.email).await?;
    db.add_org_member(&s, ids[4], &focal.email).await?;
    // The organiser records the groups' endorsements gathered in meetings.
    for id in &ids {
        db.add_org_member(&s, *id, &organiser.email).await?;
    }
    let mut concern_ids = Vec::new();
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
        concern_ids.push(c.id);
        db.set_record_place(&s, c.id, place).await?;
        for &i in by {
            db.endorse(&s, c.id, ids[i], "We share this.").await?;
        }
    }
    // Two coalitions across the divide; one member of the second is not named
    // publicly.
    let women = db
        .create_coalition(
            &s,
            "Valley Women for Peace",
            "Women's groups of both sides work together for water, return and a voice in every committee.",
            Level::Public,
        )
        .await?;
    for (i, on) in [(0, "2026-06-01"), (4, "2026-06-01"), (3, "2026-07-15")] {
        db.coalition_join(&s, women, ids[i], true, on).await?;
    }
    let crossing = db
        .create_coalition(
            &s,
            "Open Crossing Coalition",
            "Traders, farmers and journalists of both sides campaign for the crossing to reopen.",
            Level::Public,
        )
        .await?;
    for (i, listed, on) in [
        (1, true, "2026-05-10"),
        (5, true, "2026-05-10"),
        (7, true, "2026-08-01"),
        (6, false, "2026-09-01"),
    ] {
        db.coalition_join(&s, crossing, ids[i], listed, on).await?;
    }
    db.coalition_leave(&s, crossing, ids[7], "2026-11-01")
        .await?;
    for (k, c) in concern_ids.iter().enumerate() {
        let coalition = if k == 0 { crossing } else { women };
        db.coalition_concern(&s, coalition, *c).await?;
    }
    // The member coordinates the women's coalition with the organiser.
    db.add_coalition_coordinator(&s, women, &member.email)
        .await?;
    joint_actions(db, &s, &ids, women, crossing, concern_ids.first().copied()).await
}

/// Two joint actions with tasks in every state, one of them blocked and one
/// overdue, so that "what is stuck" has something to show.
async fn joint_actions(
    db: &Db,
    s: &crate::access::Scope,
    orgs: &[i64],
    women: i64,
    crossing: i64,
    crossing_concern: Option<i64>,
) -> Result<()> {
    use crate::actions::{NewAction, TaskStatus};
    let water = db
        .create_action(
            s,
            &NewAction {
                title: "A women's water committee on both banks".into(),
                plan: "Women's groups of both sides form one committee that meets monthly at the river and reports to both councils.".into(),
                level: Level::Members,
                concern: None,
                coalition: Some(women),
            },
        )
        .await?;
    let tasks = [
        (
            "Agree the committee's terms",
            Some(0),
            Some("2026-09-30"),
            TaskStatus::Done,
            "",
        ),
        (
            "Name five members per bank",
            Some(4),
            Some("2026-11-15"),
            TaskStatus::Doing,
            "",
        ),
        (
            "Permit to meet at the river",
            Some(0),
            None,
            TaskStatus::Blocked,
            "The district office has not answered since October.",
        ),
        (
            "First report to both councils",
            Some(4),
            Some("2027-02-28"),
            TaskStatus::Todo,
            "",
        ),
    ];
    for (title, org, due, status, reason) in tasks {
        let t = db
            .add_task(s, water, title, org.map(|i: usize| orgs[i]), due)
            .await?;
        if status != TaskStatus::Todo {
            db.set_task_status(s, t, status, reason, None).await?;
        }
    }
    db.add_action_note(s, water, None, "Both councils received the terms.")
        .await?;
    let open = db
        .create_action(
            s,
            &NewAction {
                title: "Market day at the crossing".into(),
                plan: "A joint market day to show what an open crossing would bring.".into(),
                level: Level::Public,
                concern: crossing_concern,
                coalition: Some(crossing),
            },
        )
        .await?;
    for (title, org, due) in [
        ("Stalls for fifty traders", Some(1), Some("2026-12-20")),
        (
            "Security plan with both police forces",
            Some(5),
            Some("2026-11-30"),
        ),
    ] {
        db.add_task(s, open, title, org.map(|i: usize| orgs[i]), due)
            .await?;
    }
    Ok(())
}
