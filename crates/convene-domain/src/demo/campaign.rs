//! The demo's campaign in the Veluna–Kestria process: a timeline of milestones (some
//! reached) and progress updates in English and Urdu, one of them under embargo;
//! two pledges, one of which has tipped, their signers spread over the districts.

use crate::activities::unix_to_local;
use crate::campaign::pledges::NewPledge;
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
    let mut updates = Vec::new();
    for (lang, title, body, milestone, offset) in UPDATES {
        let id = db
            .create_update(
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
        updates.push(id);
    }
    let photos = demo_photos();
    for (update, photo, alt) in PHOTOS {
        if let (Some(id), Some(p)) = (updates.get(*update), photos.get(*photo)) {
            db.add_update_photo(&s, *id, alt, p).await?;
        }
    }
    // A short video on the first update, where ffmpeg is installed (docs/media.md).
    if let (Some(id), Some(v)) = (updates.first(), demo_video()) {
        db.add_update_video(
            &s,
            *id,
            "A slow look over the hills and the road down to the bridge",
            v,
            Some(DEMO_CAPTIONS),
        )
        .await?;
    }
    seed_pledges(db, &s).await?;
    seed_call(db, &s).await
}

/// The demo video's captions (it has no speech: they say what is heard).
const DEMO_CAPTIONS: &str = "WEBVTT\n\n00:00.000 --> 00:04.000\n[Wind over the hills; no speech]\n";

/// The demo's video: four seconds panning over a drawn landscape, made by ffmpeg
/// and prepared as an upload is, once per process; none without ffmpeg.
fn demo_video() -> Option<&'static crate::media::video::Prepared> {
    static VIDEO: std::sync::OnceLock<Option<crate::media::video::Prepared>> =
        std::sync::OnceLock::new();
    VIDEO
        .get_or_init(|| {
            use crate::media::{sample, tool, video};
            if !video::available() {
                return None;
            }
            let dir = tool::WorkDir::new("demo")?;
            let still = sample::jpeg(&sample::landscape(960, 540, 11));
            std::fs::write(dir.path().join("still.jpg"), still).ok()?;
            let os = |s: &'static str| -> &'static std::ffi::OsStr { s.as_ref() };
            tool::run(
                "ffmpeg",
                &[
                    os("-v"),
                    os("error"),
                    os("-nostdin"),
                    os("-y"),
                    os("-loop"),
                    os("1"),
                    os("-i"),
                    os("still.jpg"),
                    os("-t"),
                    os("4"),
                    os("-vf"),
                    os("crop=640:360:x='t*60':y=90,format=yuv420p"),
                    os("-r"),
                    os("25"),
                    os("-c:v"),
                    os("libx264"),
                    os("-preset"),
                    os("veryfast"),
                    os("-f"),
                    os("mp4"),
                    os("demo.mp4"),
                ],
                dir.path(),
                std::time::Duration::from_secs(60),
            )
            .ok()?;
            video::prepare(dir.path(), "demo.mp4").ok()
        })
        .as_ref()
}

/// Update (index in UPDATES), picture (index in the drawn ones), alt text.
const PHOTOS: &[(usize, usize, &str)] = &[
    (
        0,
        0,
        "The road down to the Serran bridge on the first market day",
    ),
    (0, 1, "Hills above the crossing, with the market road"),
    (1, 0, "سرن پل کی طرف جاتی سڑک، بازار کے پہلے دن"),
    (2, 2, "Fields on both banks of the Serran, planted again"),
    (4, 1, "The hills where the talks' venue stands"),
];

/// The demo's pictures (drawn, not photographed: nobody is in them), processed
/// once per process through the same pipeline as an upload.
fn demo_photos() -> &'static [crate::media::photo::Photo] {
    static PHOTOS: std::sync::OnceLock<Vec<crate::media::photo::Photo>> =
        std::sync::OnceLock::new();
    PHOTOS.get_or_init(|| {
        use crate::media::{photo, sample};
        (0..3)
            .filter_map(|seed| {
                let img = sample::landscape(1200, 800, seed * 5 + 1);
                photo::process(&sample::jpeg(&img)).ok()
            })
            .collect()
    })
}

/// Title, body, target, days to the deadline, keyword, signers by district.
type DemoPledge = (&'static str, &'static str, i64, i64, &'static str, [i64; 3]);

const PLEDGES: &[DemoPledge] = &[
    (
        "I will send my child to the joint summer school at the crossing",
        "Families from both banks send their children to the same summer school, if forty families from the valley will too.",
        40,
        60,
        "",
        [24, 21, 7],
    ),
    (
        "I will walk to the Serran bridge market on its first day",
        "The market at the reopened bridge needs people from both sides on its first day. Text WALK and your district to sign.",
        500,
        45,
        "WALK",
        [40, 31, 12],
    ),
];

async fn seed_pledges(db: &Db, s: &crate::access::Scope) -> Result<()> {
    let districts: Vec<i64> = db
        .all_places(s)
        .await?
        .into_iter()
        .filter(|p| p.level == 2)
        .map(|p| p.id)
        .collect();
    let t = now();
    let mut n = 0;
    for (title, body, target, days, keyword, spread) in PLEDGES {
        let id = db
            .create_pledge(
                s,
                &NewPledge {
                    title: title.to_string(),
                    body: body.to_string(),
                    target: *target,
                    deadline: unix_to_local(t + days * 86_400, &s.space.time_zone)
                        .get(..10)
                        .unwrap_or("")
                        .to_string(),
                    keyword: keyword.to_string(),
                    level: Some(Level::Public),
                },
            )
            .await?;
        // The demo's signers signed by SMS; their phones are not kept.
        let mut total = 0;
        for (i, count) in spread.iter().enumerate() {
            for _ in 0..*count {
                n += 1;
                sqlx::query(
                    "INSERT INTO pledge_signers (pledge_id, who_hash, via, place_id, lang, confirmed_at, created_at)
                     VALUES ($1, $2, 'sms', $3, 'en', $4, $4)",
                )
                .bind(id)
                .bind(format!("demo:{n}"))
                .bind(districts.get(i).copied())
                .bind(t - 86_400)
                .execute(&db.pool)
                .await?;
                total += 1;
            }
        }
        let tipped = total >= *target;
        sqlx::query(
            "UPDATE pledges SET signers = $1, status = $2, tipped_at = $3 WHERE record_id = $4",
        )
        .bind(total)
        .bind(if tipped { "tipped" } else { "open" })
        .bind(tipped.then_some(t - 3_600))
        .bind(id)
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}

/// A call to action: neighbours from both banks repair each other's wells; people
/// signed up in three districts (one too few to show), and reported what they did:
/// two reports published (one with a photo), one waiting for a moderator.
async fn seed_call(db: &Db, s: &crate::access::Scope) -> Result<()> {
    use crate::campaign::calls::{NewCall, NewReport};
    let districts: Vec<i64> = db
        .all_places(s)
        .await?
        .into_iter()
        .filter(|p| p.level == 2)
        .map(|p| p.id)
        .collect();
    let t = now();
    let id = db
        .create_call(
            s,
            &NewCall {
                title: "Repair a well on the other bank with your neighbours".into(),
                body: "Teams of neighbours from both banks repair one village well each, on the other side of the river. Sign up, then tell us what you did.".into(),
                keyword: "WELL".into(),
                closes_on: unix_to_local(t + 90 * 86_400, &s.space.time_zone)
                    .get(..10)
                    .unwrap_or("")
                    .to_string(),
                level: Some(Level::Public),
            },
        )
        .await?;
    let mut n = 0;
    for (i, count) in [18i64, 12, 4].iter().enumerate() {
        for _ in 0..*count {
            n += 1;
            // Reporting links of the demo's sign-ups, known here only.
            let report = format!("demo-report-{n}");
            sqlx::query(
                "INSERT INTO call_signups (call_id, who_hash, via, place_id, lang, report_hash, confirmed_at, created_at)
                 VALUES ($1, $2, 'sms', $3, 'en', $4, $5, $5)",
            )
            .bind(id)
            .bind(format!("demo:{n}"))
            .bind(districts.get(i).copied())
            .bind(db.keys.lookup_hash("call.report", &report)?)
            .bind(t - 5 * 86_400)
            .execute(&db.pool)
            .await?;
        }
    }
    sqlx::query("UPDATE calls SET signups = $1 WHERE record_id = $2")
        .bind(n)
        .bind(id)
        .execute(&db.pool)
        .await?;
    let photo = demo_photos().first().cloned();
    let reports = [
        ("Twelve of us from Amber Ford cleaned and relined the well at Granary; their elders brought bread and we ate together.", photo.map(|p| (p, "Neighbours at the relined well".to_string())), true),
        ("We replaced the pump handle of the school well in Harbour End. The children helped.", None, true),
        ("Our team will go next Saturday; the parts are bought.", None, false),
    ];
    for (k, (body, photo, publish)) in reports.into_iter().enumerate() {
        let token = format!("demo-report-{}", k + 1);
        let rid = db
            .submit_report(
                s,
                &token,
                &NewReport {
                    body: body.into(),
                    photo,
                    // The second report carries the demo's short video, where ffmpeg is.
                    video: (k == 1)
                        .then(|| demo_video().cloned())
                        .flatten()
                        .map(|v| (v, "Children at the mended pump".to_string())),
                },
            )
            .await?;
        if publish {
            db.moderate_report(s, rid, true, "").await?;
        }
    }
    Ok(())
}
