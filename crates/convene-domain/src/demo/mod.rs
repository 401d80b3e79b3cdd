//! Demo data: a fictional multi-track peace process between two fictional countries,
//! the Republic of Veluna and the Kestrian Federation, over the Serran Valley. Every
//! role has a user and every confidentiality level has records.

mod activities;
mod actors;
mod agenda;
mod agreements;
mod campaign;
mod dialogues;
mod opinion;
mod organisations;
pub mod places;
mod polls;
pub mod representatives;

use crate::error::Result;
use crate::model::{Detail, Kind, Level, NewRecord, Role, User};
use crate::Db;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "convene-demo-2026";

/// The demo accounts: (e-mail, display name, what they show).
pub const DEMO_USERS: &[(&str, &str, &str)] = &[
    (
        "owner@demo.convene.example",
        "Nadia Serrano (owner)",
        "owns every demo space",
    ),
    (
        "organiser@demo.convene.example",
        "Tomas Adeyemi (organiser)",
        "organises the process and the dialogue",
    ),
    (
        "analyst@demo.convene.example",
        "Leila Haddad (analyst)",
        "reads members' records, exports",
    ),
    (
        "focal@demo.convene.example",
        "Imran Qureshi (focal point)",
        "records contacts in the districts",
    ),
    (
        "member@demo.convene.example",
        "Sara Lind (member)",
        "a coalition member",
    ),
    (
        "observer@demo.convene.example",
        "Guest Observer",
        "logged in, member of nothing: sees public records only",
    ),
    (
        "admin@demo.convene.example",
        "Site Administrator",
        "site administrator, member of nothing",
    ),
];

fn rec(kind: Kind, level: Level, title: &str, body: &str, detail: Detail) -> NewRecord {
    NewRecord {
        kind,
        level,
        title: title.into(),
        body: body.into(),
        detail,
        named: vec![],
    }
}

fn act(locality: &str, date: &str, track: i64) -> Detail {
    Detail::Activity {
        locality: locality.into(),
        starts_on: date.into(),
        track: Some(track),
    }
}

fn contact(name: &str, email: Option<&str>, phone: Option<&str>) -> Detail {
    Detail::Contact {
        name: name.into(),
        email: email.map(Into::into),
        phone: phone.map(Into::into),
    }
}

/// Seeds an empty database with the demo. Returns the users created.
pub async fn seed(db: &Db) -> Result<Vec<User>> {
    let mut users = Vec::new();
    for (i, (email, name, _)) in DEMO_USERS.iter().enumerate() {
        users.push(
            db.create_user(email, name, DEMO_PASSWORD, i == DEMO_USERS.len() - 1)
                .await?,
        );
    }
    let (owner, organiser, analyst, focal, member) =
        (&users[0], &users[1], &users[2], &users[3], &users[4]);

    // 1. The public coordination site of the multi-track process.
    db.create_space(
        "serran-valley",
        "Serran Valley peace process",
        "Coordination of initiatives across the tracks in support of talks between Veluna and Kestria over the Serran Valley.",
        true,
        owner,
    )
    .await?;
    let s = db.scope(Some(owner), "serran-valley").await?;
    for (u, r) in [
        (organiser, Role::Organiser),
        (analyst, Role::Analyst),
        (focal, Role::FocalPoint),
        (member, Role::Member),
    ] {
        db.set_role(&s, &u.email, Some(r)).await?;
    }
    // The gazetteer and the planned activities first, so that the records below
    // come first in the newest-first lists.
    db.set_time_zone(&s, "Asia/Karachi").await?;
    places::seed(db, organiser, "serran-valley").await?;
    activities::seed(db, organiser, "serran-valley").await?;
    let o = db.scope(Some(organiser), "serran-valley").await?;
    let f = db.scope(Some(focal), "serran-valley").await?;
    let m = db.scope(Some(member), "serran-valley").await?;
    let public = [
        rec(Kind::Concern, Level::Public, "Reopening the Serran border crossing for traders", "Traders on both sides lose their income while the Serran crossing is closed. Chambers of commerce ask that its reopening be on the agenda of the next round.", Detail::None),
        rec(Kind::Concern, Level::Public, "Water sharing from the Serran river", "Farmers downstream in Kestria and upstream in Veluna both depend on the river. A joint technical committee is proposed.", Detail::None),
        rec(Kind::Concern, Level::Public, "Return of displaced families to the valley", "Families displaced in the fighting ask for safe return and for their land records to be recognised.", Detail::None),
        rec(Kind::Activity, Level::Public, "Women's peace caravan, Serran town", "A day of meetings between women's groups from both sides, open to the public.", act("Serran town", "2026-12-12", 6)),
        rec(Kind::Activity, Level::Public, "Cross-border cricket match for youth", "Youth teams from Veluna and Kestria play a friendly match; spectators welcome.", act("Port Alder", "2027-01-09", 4)),
        rec(Kind::Activity, Level::Public, "Interfaith prayer for peace", "Religious leaders of the valley pray together; a statement for peace will be read.", act("Old Mill, Serran", "2026-12-20", 7)),
    ];
    for r in public {
        db.create_record(&o, r).await?;
    }
    db.create_record(
        &m,
        rec(
            Kind::Concern,
            Level::Members,
            "Safety of teachers travelling to border schools",
            "Teachers from our network were stopped at checkpoints twice this month.",
            Detail::None,
        ),
    )
    .await?;
    db.create_record(
        &m,
        rec(
            Kind::Activity,
            Level::Members,
            "Coalition planning meeting",
            "Planning joint actions for the next negotiation round. Members only.",
            act("Veluna City", "2026-12-03", 6),
        ),
    )
    .await?;
    db.create_record(&o, rec(Kind::Concern, Level::Organisers, "Spoiler risk: militia commander opposes the ceasefire", "Reports from two districts suggest the commander will disrupt the caravan. Organisers only.", Detail::None)).await?;
    db.create_record(
        &o,
        rec(
            Kind::Activity,
            Level::Organisers,
            "Security briefing with the monitoring mission",
            "Route and timing of the caravan shared with the ceasefire monitors.",
            act("Port Alder", "2026-12-10", 1),
        ),
    )
    .await?;
    db.create_record(
        &f,
        rec(
            Kind::Contact,
            Level::Members,
            "Chamber of commerce representative, Serran town",
            "Willing to speak publicly for the border reopening.",
            contact(
                "Aziz Farrukh",
                Some("a.farrukh@example.org"),
                Some("+92 300 555 0101"),
            ),
        ),
    )
    .await?;
    db.create_record(
        &f,
        rec(
            Kind::Contact,
            Level::Organisers,
            "Elder, upper valley (Kestria side)",
            "Can reach the militia commander; wants no public role.",
            contact("Miriam Okafor", None, Some("+93 70 555 0202")),
        ),
    )
    .await?;
    let mut named = rec(
        Kind::Concern,
        Level::Named,
        "Back channel to the Kestrian negotiator",
        "A private channel through a former classmate. Known only to the people named here.",
        Detail::None,
    );
    named.named = vec![owner.id];
    db.create_record(&o, named).await?;

    // 2. A closed Track II dialogue series.
    db.create_space(
        "veluna-kestria-dialogue",
        "Veluna–Kestria Track II dialogue",
        "A series of unofficial dialogue rounds between retired officials, business people and journalists of both countries.",
        false,
        owner,
    )
    .await?;
    let s = db.scope(Some(owner), "veluna-kestria-dialogue").await?;
    for (u, r) in [
        (organiser, Role::Organiser),
        (analyst, Role::Analyst),
        (focal, Role::FocalPoint),
    ] {
        db.set_role(&s, &u.email, Some(r)).await?;
    }
    db.create_record(
        &s,
        rec(
            Kind::Concern,
            Level::Members,
            "Agenda item: visas for business travellers",
            "Participants from both sides propose a fast-track visa for registered traders.",
            Detail::None,
        ),
    )
    .await?;
    db.create_record(
        &s,
        rec(
            Kind::Activity,
            Level::Organisers,
            "Round 4, neutral venue",
            "Third-country venue; travel arranged by the organisers.",
            act("Lake Istra", "2027-02-14", 2),
        ),
    )
    .await?;
    db.create_record(
        &s,
        rec(
            Kind::Contact,
            Level::Organisers,
            "Retired ambassador (Veluna)",
            "Participant in rounds 1–3.",
            contact(
                "Haroon Velasquez",
                Some("h.velasquez@example.net"),
                Some("+92 321 555 0303"),
            ),
        ),
    )
    .await?;
    db.create_record(
        &s,
        rec(
            Kind::Contact,
            Level::Organisers,
            "Newspaper editor (Kestria)",
            "Participant in rounds 2–3; under pressure at home.",
            contact("Dana Whitfield", Some("dana.w@example.com"), None),
        ),
    )
    .await?;
    // Organisers of the dialogue must use a second factor: until they set one up in
    // their account page, they act as members there.
    db.update_space_settings(&s, false, false, true, 10).await?;

    // 3. A closed civil-society coalition under the Chatham House rule.
    db.create_space(
        "civil-society-coalition",
        "Serran civil-society coalition",
        "The closed, password-protected space of civil-society actors coordinating their support for the talks.",
        false,
        owner,
    )
    .await?;
    let s = db.scope(Some(owner), "civil-society-coalition").await?;
    db.update_space_settings(&s, false, true, false, 10).await?;
    for (u, r) in [
        (organiser, Role::Organiser),
        (member, Role::Member),
        (focal, Role::FocalPoint),
    ] {
        db.set_role(&s, &u.email, Some(r)).await?;
    }
    let m = db.scope(Some(member), "civil-society-coalition").await?;
    db.create_record(
        &m,
        rec(
            Kind::Concern,
            Level::Members,
            "Our statement on detainees",
            "Draft joint statement asking both governments to release detained activists.",
            Detail::None,
        ),
    )
    .await?;
    db.create_record(
        &m,
        rec(
            Kind::Activity,
            Level::Members,
            "Joint press conference",
            "All coalition members sign and attend.",
            act("Veluna City", "2026-12-15", 9),
        ),
    )
    .await?;

    // The other parts of the product, each seeding its own data.
    actors::seed(db, &users).await?;
    opinion::seed(db, &users).await?;
    polls::seed(db, &users).await?;
    organisations::seed(db, organiser, member, focal, "serran-valley").await?;
    agreements::seed(db, organiser, "serran-valley").await?;
    agenda::seed(db, organiser, "serran-valley").await?;
    campaign::seed(db, organiser, "serran-valley").await?;
    representatives::seed(db, organiser, "serran-valley").await?;
    dialogues::seed(db, owner, organiser, "serran-valley").await?;
    Ok(users)
}
