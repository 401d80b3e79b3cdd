//! The demo's local activities: three hundred over the gazetteer's twenty-four
//! districts, past and upcoming, on the nine tracks (with gaps: no official
//! diplomacy in the Eastern Plains, no business track in the Kestrian Highlands),
//! some full, some for members only, some at a sensitive venue.

use crate::activities::{unix_to_local, NewActivity};
use crate::error::Result;
use crate::model::{Level, User};
use crate::Db;

use super::places::districts;

const KINDS: [(&str, i64); 12] = [
    ("Women's dialogue circle", 6),
    ("Youth football for peace", 4),
    ("Traders' market day", 3),
    ("Interfaith prayer", 7),
    ("Mediation training", 2),
    ("Community radio call-in", 9),
    ("Water committee", 4),
    ("Teachers' workshop on history", 5),
    ("Small grants clinic", 8),
    ("Elders' council", 2),
    ("Briefing with officials", 1),
    ("Returnees' listening session", 6),
];

/// Seeds the activities into `slug` as `organiser`.
pub async fn seed(db: &Db, organiser: &User, slug: &str) -> Result<usize> {
    let scope = db.scope(Some(organiser), slug).await?;
    let tz = scope.space().time_zone.clone();
    let ds = districts();
    let now = crate::util::now();
    let mut n = 0;
    for i in 0..300usize {
        let (code, district) = &ds[(i * 7) % ds.len()];
        let (kind, track) = KINDS[(i * 5 + i / 24) % KINDS.len()];
        // The gaps of the 3W map: no track 1 in KS02, no track 3 in KS01.
        if (track == 1 && code.starts_with("KS02")) || (track == 3 && code.starts_with("KS01")) {
            continue;
        }
        let day = (i as i64 % 80) - 20;
        let hour = 9 + (i % 8) as i64;
        let start = now - now % 86_400 + day * 86_400 + hour * 3600;
        let level = match i % 20 {
            0 | 7 => Level::Members,
            13 => Level::Organisers,
            _ => Level::Public,
        };
        let new = NewActivity {
            title: format!("{kind}, {district}"),
            body: format!("Open to everyone in {district} and nearby."),
            level,
            named: vec![],
            place_code: code.clone(),
            starts: unix_to_local(start, &tz),
            ends: unix_to_local(start + 2 * 3600, &tz),
            venue: format!("Community hall, {district}"),
            online: i % 17 == 0,
            venue_sensitive: i % 19 == 5,
            capacity: (i % 2 == 0).then_some(10 + (i % 6) as i64 * 10),
            track: Some(track),
            org: None,
            org_name: String::new(),
        };
        db.create_activity(&scope, &new).await?;
        n += 1;
    }
    Ok(n)
}
