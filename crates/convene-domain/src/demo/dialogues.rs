//! The demo's Track II series: a bilateral dialogue between Veluna and Kestria
//! with five core rounds, a youth dialogue and a women-led conference beside them,
//! the five steps under way, a risk register, and two delegations: the Veluna one
//! kept by the organiser at the organisers' level, the Kestria one kept by the
//! owner (its convener) for named people only, so that the organiser's boards
//! count the Kestrians under pseudonyms. Round 4's proposed roster raises elite
//! capture, self-replication and too few women; round 5's raises nothing.

use crate::dialogues::agenda::{NewConsultation, NewItem};
use crate::dialogues::notes::NewNote;
use crate::dialogues::{NewParticipant, NewRisk, NewRound, NewSeries};
use crate::error::Result;
use crate::model::{Level, User};
use crate::Db;

/// (name, sector, seniority, gender, age band, institution).
type Person = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const VELUNA: [Person; 9] = [
    (
        "Haroon Velasquez",
        "retired_official",
        "senior",
        "man",
        "60_plus",
        "Veluna Foreign Service (retired)",
    ),
    (
        "Senator Ilyas Brandt",
        "politician",
        "senior",
        "man",
        "45_59",
        "Veluna Senate",
    ),
    (
        "General (r) Omar Castell",
        "security",
        "senior",
        "man",
        "60_plus",
        "Veluna Defence College",
    ),
    (
        "Mira Okonkwo",
        "business",
        "mid",
        "woman",
        "30_44",
        "Serran Chamber of Commerce",
    ),
    (
        "Rafael Duarte",
        "media",
        "mid",
        "man",
        "45_59",
        "Veluna Daily",
    ),
    (
        "Samina Rao",
        "academia",
        "senior",
        "woman",
        "45_59",
        "University of Veluna",
    ),
    (
        "Yusuf Perrin",
        "civil_society",
        "junior",
        "man",
        "under_30",
        "Valley Youth Forum",
    ),
    (
        "Ambassador (r) Teodor Lund",
        "retired_official",
        "senior",
        "man",
        "60_plus",
        "Veluna Foreign Service (retired)",
    ),
    (
        "Amal Ferreira",
        "civil_society",
        "mid",
        "woman",
        "30_44",
        "Women for the Valley",
    ),
];

const KESTRIA: [Person; 9] = [
    (
        "Dana Whitfield",
        "media",
        "senior",
        "woman",
        "45_59",
        "Kestria Herald",
    ),
    (
        "Minister (r) Aurel Dan",
        "retired_official",
        "senior",
        "man",
        "60_plus",
        "Kestria Interior Ministry (retired)",
    ),
    (
        "Bashir Kaleem",
        "politician",
        "senior",
        "man",
        "45_59",
        "Kestria National Assembly",
    ),
    (
        "Colonel (r) Viktor Hale",
        "security",
        "senior",
        "man",
        "60_plus",
        "Kestria Strategic Studies Institute",
    ),
    (
        "Noor Jahan",
        "academia",
        "mid",
        "woman",
        "30_44",
        "Kestria University",
    ),
    (
        "Pavel Stoica",
        "business",
        "senior",
        "man",
        "45_59",
        "Kestria Traders' Association",
    ),
    (
        "Zara Mendes",
        "civil_society",
        "junior",
        "woman",
        "under_30",
        "Kestria Youth Parliament",
    ),
    (
        "Father Lucian Moro",
        "religious",
        "senior",
        "man",
        "60_plus",
        "Interfaith Council of Kestria",
    ),
    (
        "Ayesha Qureshi",
        "civil_society",
        "mid",
        "woman",
        "30_44",
        "Kestria Women's Network",
    ),
];

fn participant(side: &str, p: &Person, level: Level) -> NewParticipant {
    NewParticipant {
        name: p.0.into(),
        email: None,
        phone: None,
        side: side.into(),
        sector: p.1.into(),
        gender: p.3.into(),
        age_band: p.4.into(),
        seniority: p.2.into(),
        influence: if p.2 == "senior" { 3 } else { 2 },
        institution: p.5.into(),
        nominated_by: None,
        actor: None,
        level,
        named: vec![],
    }
}

fn round(
    format: &str,
    on: &str,
    city: &str,
    mode: &str,
    parent: Option<i64>,
    notes: &str,
) -> NewRound {
    NewRound {
        format: format.into(),
        held_on: on.into(),
        city: city.into(),
        mode: mode.into(),
        parent,
        notes: notes.into(),
    }
}

pub async fn seed(db: &Db, owner: &User, organiser: &User, slug: &str) -> Result<()> {
    let o = db.scope(Some(organiser), slug).await?;
    let k = db.scope(Some(owner), slug).await?;
    let s = db
        .create_dialogue_series(
            &o,
            &NewSeries {
                title: "Veluna–Kestria dialogue on water and trade".into(),
                description: "A bilateral Track II series run by one convener on each side: retired officials, business people, journalists, scholars and civil society of both countries, meeting twice a year.".into(),
                sides: vec!["Veluna".into(), "Kestria".into()],
                level: Level::Organisers,
                named: vec![],
            },
        )
        .await?;
    let r1 = db
        .add_dialogue_round(
            &o,
            s,
            &round(
                "core",
                "2026-02-10",
                "Lake Istra",
                "in_person",
                None,
                "Opening round at a third-country venue.",
            ),
        )
        .await?;
    let r2 = db
        .add_dialogue_round(
            &o,
            s,
            &round("core", "2026-05-12", "Serran", "in_person", None, ""),
        )
        .await?;
    let youth = db
        .add_dialogue_round(
            &o,
            s,
            &round(
                "youth",
                "2026-05-13",
                "Serran",
                "online",
                Some(r2),
                "Youth dialogue beside round 2.",
            ),
        )
        .await?;
    let r3 = db
        .add_dialogue_round(
            &o,
            s,
            &round("core", "2026-09-08", "Lake Istra", "hybrid", None, ""),
        )
        .await?;
    let women = db
        .add_dialogue_round(
            &o,
            s,
            &round(
                "women_led",
                "2026-09-10",
                "Lake Istra",
                "in_person",
                Some(r3),
                "Women-led conference beside round 3.",
            ),
        )
        .await?;
    let r4 = db
        .add_dialogue_round(
            &o,
            s,
            &round(
                "core",
                "2027-02-16",
                "Serran",
                "in_person",
                None,
                "Proposed roster under review.",
            ),
        )
        .await?;
    let r5 = db
        .add_dialogue_round(
            &o,
            s,
            &round("core", "2027-06-15", "Lake Istra", "hybrid", None, ""),
        )
        .await?;
    for (step, done, notes) in [
        (1, true, "Context analysis with both conveners; the water-sharing dispute and trade closure are the entry points."),
        (2, true, "Theory of change agreed: retired officials and business people carry proposals to both cabinets."),
        (3, true, "Core rounds twice a year, youth and women-led formats beside them, split rosters."),
        (4, false, "Three rounds held; round 4 in preparation."),
    ] {
        db.set_dialogue_step(&o, s, step, done, notes).await?;
    }
    for (risk, l, i, m, owner_name, reviewed) in [
        ("A participant list leaks across the border and exposes participants at home", 2, 3, "Split rosters: each convener keeps their delegation's names; no list by e-mail.", "Both conveners", Some(r3)),
        ("Senior participants speak for their governments and the talks become Track 1.5 by default", 2, 2, "Balance each round against the elite-capture threshold; brief participants on the ground rules.", "Veluna convener", Some(r3)),
        ("A funder's suggested agenda item on security cooperation inflames the Kestrian press", 1, 3, "Park the item in the policy roundtable until both conveners agree.", "Kestria convener", None),
    ] {
        db.save_dialogue_risk(
            &o,
            s,
            None,
            &NewRisk {
                risk: risk.into(),
                likelihood: l,
                impact: i,
                mitigation: m.into(),
                owner: owner_name.into(),
                reviewed_round: reviewed,
            },
        )
        .await?;
    }
    // Each convener adds their own delegation: the Kestrian names are the owner's.
    let mut v = Vec::new();
    for p in &VELUNA {
        v.push(
            db.add_dialogue_participant(&o, s, &participant("Veluna", p, Level::Organisers))
                .await?,
        );
    }
    let mut kk = Vec::new();
    for p in &KESTRIA {
        kk.push(
            db.add_dialogue_participant(&k, s, &participant("Kestria", p, Level::Named))
                .await?,
        );
    }
    // Two newcomers nominated by earlier participants.
    let mut nominee = participant(
        "Veluna",
        &(
            "Dr. Lina Sorensen",
            "retired_official",
            "senior",
            "woman",
            "45_59",
            "Veluna Water Authority (retired)",
        ),
        Level::Organisers,
    );
    nominee.nominated_by = Some(v[0]);
    let lina = db.add_dialogue_participant(&o, s, &nominee).await?;

    // Rounds 1 to 3 and the parallel formats: who attended.
    let set = |round: i64, who: Vec<i64>, status: &'static str, scope: crate::access::Scope| async move {
        for p in who {
            db.set_dialogue_invite(&scope, s, round, p, status).await?;
        }
        Ok::<(), crate::Error>(())
    };
    let core = [v[0], v[1], v[2], v[4], v[5], v[7]];
    let kcore = [kk[0], kk[1], kk[2], kk[3], kk[5], kk[7]];
    for r in [r1, r2, r3] {
        set(r, core.to_vec(), "attended", o.clone()).await?;
        set(r, kcore.to_vec(), "attended", k.clone()).await?;
    }
    set(r3, vec![v[3]], "declined", o.clone()).await?;
    set(youth, vec![v[6]], "attended", o.clone()).await?;
    set(youth, vec![kk[6]], "attended", k.clone()).await?;
    set(women, vec![v[3], v[5], v[8]], "attended", o.clone()).await?;
    set(women, vec![kk[0], kk[4], kk[8]], "attended", k.clone()).await?;
    // Round 4: the same senior circle proposed again.
    set(
        r4,
        vec![v[0], v[1], v[2], v[7], lina],
        "proposed",
        o.clone(),
    )
    .await?;
    set(r4, vec![kk[1], kk[2], kk[3], kk[5]], "proposed", k.clone()).await?;
    // Round 5: a roster drawn with the board in view.
    set(
        r5,
        vec![v[3], v[5], v[6], v[8], v[4]],
        "proposed",
        o.clone(),
    )
    .await?;
    set(
        r5,
        vec![kk[0], kk[4], kk[6], kk[8], kk[7]],
        "proposed",
        k.clone(),
    )
    .await?;
    // One Kestrian withdrew after round 3.
    db.withdraw_dialogue_participant(&k, s, kk[3], "2026-10-01")
        .await?;

    // The agenda: a topic parked in the youth dialogue and back in round 3, a
    // funder's explosive suggestion parked in the women-led conference and never
    // back, and a consultation kept for the organiser alone.
    let conversation = db.conversations(&o).await?.first().map(|c| c.id);
    let item =
        |title: &str, sensitivity: &str, source: &str, note: &str, escalation: &str| NewItem {
            title: title.into(),
            sensitivity: sensitivity.into(),
            source: source.into(),
            source_note: note.into(),
            escalation: escalation.into(),
            linked: None,
            framing: vec![],
        };
    let mut water = item(
        "Sharing river-flow data in the dry season",
        "careful",
        "consultation",
        "",
        "",
    );
    water.linked = conversation;
    water.framing = vec![
        (
            "Veluna".into(),
            "Early warning of floods for farmers downstream.".into(),
        ),
        (
            "Kestria".into(),
            "Planning irrigation together, not conceding the river.".into(),
        ),
    ];
    let water = db.save_dialogue_item(&o, s, None, &water).await?;
    let crossing = db
        .save_dialogue_item(
            &o,
            s,
            None,
            &item(
                "Reopening the Serran crossing to traders",
                "routine",
                "context_analysis",
                "",
                "",
            ),
        )
        .await?;
    let patrols = db
        .save_dialogue_item(
            &o,
            s,
            None,
            &item(
                "Joint patrols against smuggling",
                "explosive",
                "funder",
                "Suggested by the Northbridge Foundation's programme officer",
                "If either side's press reports it, both conveners pause the item and brief their delegations the same day.",
            ),
        )
        .await?;
    let fishermen = db
        .save_dialogue_item(
            &o,
            s,
            None,
            &item(
                "Release of detained fishermen",
                "careful",
                "participants",
                "",
                "",
            ),
        )
        .await?;
    for (it, r, place) in [
        (water, r1, "agenda"),
        (water, youth, "parked"),
        (water, r3, "agenda"),
        (crossing, r1, "agenda"),
        (crossing, r2, "agenda"),
        (patrols, women, "parked"),
        (fishermen, r4, "agenda"),
    ] {
        db.place_dialogue_item(&o, s, it, r, place).await?;
    }
    db.add_dialogue_consultation(
        &o,
        s,
        water,
        &NewConsultation {
            held_on: "2026-01-20".into(),
            who: "Irrigation engineers of the Serran district water board".into(),
            summary: "Would share gauge readings if the other side does the same.".into(),
            level: Level::Named,
            named: vec![],
        },
    )
    .await?;

    // The record of round 3 under the Chatham House rule.
    let note = |kind: &str,
                body: &str,
                speaker: Option<i64>,
                owner: &str,
                due: Option<&str>,
                level: Level| NewNote {
        kind: kind.into(),
        body: body.into(),
        speaker,
        speaker_consented: speaker.is_some(),
        owner: owner.into(),
        due_on: due.map(Into::into),
        level,
        named: vec![],
    };
    for n in [
        note("decision", "Both delegations will ask their water ministries to publish river gauge readings every month.", None, "", None, Level::Organisers),
        note("action", "Draft the joint letter to both water ministries.", None, "Veluna convener", Some("2026-10-15"), Level::Organisers),
        note("action", "Brief the Kestrian delegation on the crossing proposal before round 4.", None, "Kestria convener", Some("2027-01-31"), Level::Organisers),
        note("note", "Retired officials could carry the data proposal to both cabinets informally.", Some(v[0]), "", None, Level::Organisers),
        note("note", "Traders on both sides lose most when the crossing closes without notice.", None, "", None, Level::Organisers),
        note("off_record", "A participant said their interior ministry is watching the delegation closely.", None, "", None, Level::Named),
    ] {
        db.add_dialogue_note(&o, s, r3, &n).await?;
    }
    Ok(())
}
