//! The demo's representatives: sixty elected ones over the Serran Valley's
//! districts and regions (two members of parliament per district, three regional
//! councillors per region), written as a Popolo file and imported through the same
//! reader an organiser's file goes through; two community representatives entered
//! by hand; stances with evidence; the campaign's ask and suggested points; and
//! messages with replies, so that the reply-rate table has rates to show.

use serde_json::json;

use super::places::{districts, REGIONS};
use crate::campaign::representatives::import::read_popolo;
use crate::campaign::representatives::messages::NewMessage;
use crate::campaign::representatives::{NewRepresentative, Stance, StanceKind, WritingSettings};
use crate::error::{Error, Result};
use crate::model::{Level, User};
use crate::util::now;
use crate::Db;

const FIRST: [&str; 12] = [
    "Amina", "Bilal", "Cyra", "Dariush", "Esra", "Farid", "Gul", "Hamid", "Iman", "Jalal",
    "Khadija", "Laleh",
];
const LAST: [&str; 10] = [
    "Roshan", "Kell", "Sarwar", "Tamm", "Haidari", "Brenn", "Qasemi", "Ostrava", "Nadir", "Velkov",
];

/// The demo's sixty representatives as a Popolo file (persons, organizations,
/// areas, posts, memberships).
pub fn popolo_file() -> String {
    let ds = districts();
    let mut persons = Vec::new();
    let mut areas = Vec::new();
    let mut posts = Vec::new();
    let mut memberships = Vec::new();
    let organizations = json!([
        {"id": "veluna-assembly", "name": "National Assembly of Veluna", "classification": "legislature"},
        {"id": "kestria-parliament", "name": "Parliament of Kestria", "classification": "legislature"},
        {"id": "unity", "name": "Unity Party", "classification": "party"},
        {"id": "front", "name": "People's Front", "classification": "party"},
        {"id": "kdem", "name": "Kestrian Democrats", "classification": "party"},
        {"id": "highland", "name": "Highland Alliance", "classification": "party"},
        {"id": "regional-councils", "name": "Regional councils", "classification": "council"}
    ]);
    let mut n = 0usize;
    let mut person = |persons: &mut Vec<serde_json::Value>, velunan: bool| -> String {
        let first = FIRST[n % FIRST.len()];
        let last = LAST[(n / FIRST.len() + n * 7) % LAST.len()];
        let id = format!("person-{n:02}");
        let domain = if velunan {
            "assembly.veluna.example"
        } else {
            "parliament.kestria.example"
        };
        // Most have an e-mail address; some only a phone; some only a postal address.
        let mut p = json!({"id": id, "name": format!("{first} {last}")});
        if n % 11 == 5 {
            p["contact_details"] = json!([{"type": "address", "value": format!("{} {last}\nMember's office, {n} Hill Road\nSerran", first)}]);
        } else if n % 7 == 3 {
            p["contact_details"] =
                json!([{"type": "phone", "value": format!("+25570{:07}", 1_000 + n)}]);
        } else {
            p["email"] = json!(format!(
                "{}.{}{n}@{domain}",
                first.to_lowercase(),
                last.to_lowercase()
            ));
        }
        persons.push(p);
        n += 1;
        id
    };
    for r in REGIONS {
        areas.push(json!({"id": format!("area-{}", r.0), "name": r.1,
                          "identifiers": [{"scheme": "pcode", "identifier": r.0}]}));
    }
    for (i, (code, name)) in ds.iter().enumerate() {
        let velunan = code.starts_with("VL");
        areas.push(json!({"id": format!("area-{code}"), "name": name,
                          "identifiers": [{"scheme": "pcode", "identifier": code}],
                          "parent_id": format!("area-{}", REGIONS[i / 6].0)}));
        let (leg, parties) = if velunan {
            ("veluna-assembly", ["unity", "front"])
        } else {
            ("kestria-parliament", ["kdem", "highland"])
        };
        for seat in 0..2 {
            let post = format!("seat-{code}-{}", seat + 1);
            posts.push(json!({"id": post, "label": format!("Member for {name}"),
                              "organization_id": leg, "area_id": format!("area-{code}")}));
            let pid = person(&mut persons, velunan);
            memberships.push(
                json!({"id": format!("m-{post}"), "person_id": pid, "organization_id": leg,
                                    "post_id": post, "on_behalf_of_id": parties[(i + seat) % 2]}),
            );
        }
    }
    for r in REGIONS {
        let velunan = r.0.starts_with("VL");
        for k in 0..3 {
            let pid = person(&mut persons, velunan);
            memberships.push(json!({"id": format!("m-{}-{k}", r.0), "person_id": pid,
                                    "organization_id": "regional-councils", "area_id": format!("area-{}", r.0),
                                    "role": format!("Regional councillor, {}", r.1)}));
        }
    }
    let file = json!({
        "persons": persons,
        "organizations": organizations,
        "areas": areas,
        "posts": posts,
        "memberships": memberships,
    });
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// Seeds the representatives part of the campaign in space `slug`.
pub async fn seed(db: &Db, organiser: &User, slug: &str) -> Result<()> {
    let s = db.scope(Some(organiser), slug).await?;
    let reps = read_popolo(popolo_file().as_bytes(), &crate::actors::today())
        .map_err(|e| Error::Internal(format!("demo popolo: {e:?}")))?;
    db.import_representatives(&s, &reps)
        .await?
        .map_err(|e| Error::Internal(format!("demo popolo areas: {e:?}")))?;
    for (name, role, area, address) in [
        (
            "Elder Yusuf Brenn",
            "Council of elders",
            "VL0102",
            "Elders' house, Bell Hill",
        ),
        (
            "Mariam Qasemi",
            "Women's council chair",
            "KS0203",
            "Women's council, Salt Flats",
        ),
    ] {
        db.add_representative(
            &s,
            &NewRepresentative {
                name: name.into(),
                role: role.into(),
                area: area.into(),
                address: address.into(),
                level: Some(Level::Public),
                ..NewRepresentative::default()
            },
        )
        .await?;
    }
    db.set_writing_settings(
        &s,
        &WritingSettings {
            ask: "Back the opening of formal talks in March, and say so in parliament.".into(),
            points: "Formal talks can open in March if both parliaments back them.\n\
                     The ceasefire has held since July; the crossing is open again.\n\
                     Families on both banks want the talks to include water and returns."
                .into(),
            sms_keyword: "WRITE".into(),
            ..WritingSettings::default()
        },
    )
    .await?;
    let all = db.representatives(&s).await?;
    let today = crate::actors::today();
    for (k, rep) in all.iter().enumerate().filter(|(k, _)| k % 4 == 0) {
        let stance = [
            StanceKind::Committed,
            StanceKind::NotYet,
            StanceKind::Refused,
        ][k % 3];
        db.record_stance(
            &s,
            rep.id,
            &Stance {
                stance,
                stated_on: today.clone(),
                evidence: match stance {
                    StanceKind::Committed => "Said in the assembly's debate on the accord that formal talks must open in March.",
                    StanceKind::NotYet => "Told a public meeting that they would decide after the monitoring report.",
                    StanceKind::Refused => "Voted against the motion backing formal talks.",
                }
                .into(),
                evidence_url: String::new(),
            },
        )
        .await?;
    }
    // Messages delivered over the past weeks (their senders' data already erased,
    // as after the retention period), with the senders' answers: the first five
    // representatives have enough answers to show a reply rate.
    let places = db.all_places(&s).await?;
    let t = now();
    for (k, rep) in all.iter().enumerate().take(30) {
        let sent = if k < 5 { 14 + k } else { (k * 7) % 13 };
        // Senders live in districts: a regional councillor's in the region's first.
        let place = rep.place_id.and_then(|id| {
            places
                .iter()
                .find(|p| p.id == id && p.level == 2)
                .or_else(|| places.iter().find(|p| p.parent_id == Some(id)))
                .map(|p| p.id)
        });
        for j in 0..sent {
            let replied = if k < 5 {
                Some(if j % (k + 2) == 0 { "no" } else { "yes" })
            } else {
                None
            };
            let when = t - (20 + (j as i64 % 10)) * 86_400;
            sqlx::query(
                "INSERT INTO rep_messages (space_id, rep_id, place_id, sender_hash, via, lang, status, confirmed_at,
                                           delivery, delivered_at, asked_at, replied, answered_at, erased_at, created_at)
                 VALUES ($1, $2, $3, '', 'email', 'en', 'sent', $4, 'email', $4, $5, $6, $5, $4, $4)",
            )
            .bind(s.space.id)
            .bind(rep.id)
            .bind(place)
            .bind(when)
            .bind(when + 14 * 86_400)
            .bind(replied)
            .execute(&db.pool)
            .await?;
        }
    }
    // Two messages held for review: one copies the suggested points.
    let link_base = "http://localhost:8080/s/serran-valley/campaign/messages";
    if let Some(rep) = all.iter().find(|r| r.channel.is_some()) {
        for (name, email, body) in [
            (
                "Nadia",
                "nadia@example.net",
                "Formal talks can open in March if both parliaments back them. The ceasefire has held since July; the crossing is open again. Families on both banks want the talks to include water and returns.",
            ),
            (
                "Omid",
                "omid@example.net",
                "Formal talks can open in March if both parliaments back them. The ceasefire has held since July; the crossing is open again. Please back them.",
            ),
        ] {
            db.write_to_representative(
                &s,
                &NewMessage {
                    rep: rep.id,
                    name: name.into(),
                    email: email.into(),
                    body: body.into(),
                    lang: "en".into(),
                    link_base: link_base.into(),
                    ..NewMessage::default()
                },
            )
            .await?;
            let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM rep_messages")
                .fetch_one(&db.pool)
                .await?;
            db.confirm_message_as_demo(id).await?;
        }
        // Their senders confirmed them: the confirmation e-mails are not the demo's
        // to send.
        sqlx::query("DELETE FROM mail_outbox WHERE purpose = 'representative-confirm'")
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}
