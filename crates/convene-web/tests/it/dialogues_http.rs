//! Track II series over HTTP, on the demo: the series reached from the space's
//! home; the selection board of round 4 with its explained warnings and the
//! Kestrian delegation counted under pseudonyms (their convener, the owner, sees
//! the names); round 5 raises nothing; forms refuse bad input with the field
//! marked and change nothing; members and the public find nothing; Urdu pages are
//! right-to-left with the user text isolated.

use crate::common;

use axum::http::StatusCode;
use common::{demo_app, Client};

const LIST: &str = "/s/serran-valley/dialogues";
const ORGANISER: &str = "organiser@demo.convene.example";
const OWNER: &str = "owner@demo.convene.example";
const MEMBER: &str = "member@demo.convene.example";

fn links(html: &str, prefix: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| h.starts_with(prefix))
        .map(str::to_string)
        .collect()
}

fn series_link(html: &str) -> String {
    links(html, "/s/serran-valley/dialogues/")
        .into_iter()
        .find(|h| {
            h.trim_start_matches("/s/serran-valley/dialogues/")
                .chars()
                .all(|c| c.is_ascii_digit())
        })
        .expect("the demo series is listed")
}

/// The board links of a series page, in the page's order (by date).
fn boards(html: &str, series: &str) -> Vec<String> {
    links(html, &format!("{series}/rounds/"))
        .into_iter()
        .filter(|h| !h.ends_with("/notes"))
        .collect()
}

#[tokio::test]
async fn the_selection_board_warns_and_keeps_split_rosters_apart() {
    let (app, db, _d) = demo_app().await;
    let mut org = Client::logged_in(&app, ORGANISER).await;
    let home = org.get("/s/serran-valley").await;
    assert!(
        home.body.contains(&format!("href=\"{LIST}\"")),
        "linked from the home"
    );
    let list = org.get(LIST).await;
    assert_eq!(list.status, StatusCode::OK);
    let series = series_link(&list.body);
    let page = org.get(&series).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.len() < 60_000, "{}", page.body.len());
    assert!(page.body.contains("Women-led conference 1"));
    assert!(page
        .body
        .contains("A participant list leaks across the border"));
    let rounds = boards(&page.body, &series);
    // Core 1, core 2, youth, core 3, women-led, core 4, core 5.
    assert_eq!(rounds.len(), 7, "{rounds:?}");

    let r4 = org.get(&rounds[5]).await;
    assert_eq!(r4.status, StatusCode::OK);
    assert!(r4.body.len() < 60_000);
    for (code, text) in [
        ("elite-capture", "7 of 8 invitees (88 %) are politicians or senior officials; the series&#39; threshold is 40 %."),
        ("self-replication", "7 of 8 invitees (88 %) attended the previous round"),
        ("few-women", "1 of 8 invitees (12 %) are women"),
        ("side-share", "3 of 8 invitees (38 %) are from \u{2068}Kestria\u{2069}"),
    ] {
        assert!(r4.body.contains(&format!("id=\"w-{code}\"")), "{code}");
        assert!(r4.body.contains(text), "{code}: {text}");
    }
    // The Kestrians are counted, under pseudonyms only.
    assert!(r4.body.contains("3 of them are counted under pseudonyms"));
    for name in [
        "Aurel Dan",
        "Bashir Kaleem",
        "Pavel Stoica",
        "Kestria Traders",
    ] {
        assert!(!r4.body.contains(name), "{name} shown to the organiser");
    }
    assert!(r4.body.contains("Haroon Velasquez"));
    // The withdrawn colonel is history, not counted.
    assert!(r4.body.contains("Withdrew"));
    let r5 = org.get(&rounds[6]).await;
    assert!(
        r5.body.contains("No warning for this roster of 10."),
        "round 5"
    );

    // The Kestrian convener (the owner) sees the names on the same board.
    let mut owner = Client::logged_in(&app, OWNER).await;
    let r4o = owner.get(&rounds[5]).await;
    assert!(r4o.body.contains("Bashir Kaleem"));
    assert!(!r4o.body.contains("counted under pseudonym"));

    // Bad input: nothing changes, the field is marked, the message says why.
    let space_id = db.scope(None, "serran-valley").await.unwrap().space().id;
    let before = db.audit_for_space(space_id, 10_000).await.unwrap().len();
    let bad = org
        .submit(
            &series,
            &format!("{series}/rounds"),
            &[
                ("format", "core"),
                ("held_on", "2027-02-30"),
                ("city", "Serran"),
                ("mode", "online"),
                ("parent", ""),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("aria-invalid=\"true\""));
    assert_eq!(boards(&bad.body, &series).len(), 7);
    let bad = org
        .submit(
            &series,
            &format!("{series}/thresholds"),
            &[
                ("elite_max", "40"),
                ("institution_max", "25"),
                ("agreement_max", "80"),
                ("community_max", "70"),
                ("repeat_max", "60"),
                ("network_nomination_max", "50"),
                ("women_min", "130"),
                ("youth_min", "10"),
                ("side_min", "40"),
                ("sector_max", "40"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("Give a percentage between 0 and 100."));
    assert!(bad
        .body
        .contains("id=\"t-women_min\" name=\"women_min\" value=\"30\""));
    assert_eq!(
        db.audit_for_space(space_id, 10_000).await.unwrap().len(),
        before
    );

    // A good threshold change shows on the board at once: 10 % of women is enough.
    let ok = org
        .submit(
            &series,
            &format!("{series}/thresholds"),
            &[
                ("elite_max", "40"),
                ("institution_max", "25"),
                ("agreement_max", "80"),
                ("community_max", "70"),
                ("repeat_max", "60"),
                ("network_nomination_max", "50"),
                ("women_min", "10"),
                ("youth_min", "0"),
                ("side_min", "30"),
                ("sector_max", "40"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let r4 = org.get(&rounds[5]).await;
    assert!(!r4.body.contains("id=\"w-few-women\""));
    assert!(!r4.body.contains("id=\"w-side-share\""));
    assert!(r4.body.contains("id=\"w-elite-capture\""));

    // Taking a senator off the roster by the board's own form.
    let pid = db
        .dialogue_participants(
            &db.scope(
                Some(&db.user_by_email(ORGANISER).await.unwrap().unwrap()),
                "serran-valley",
            )
            .await
            .unwrap(),
            series.rsplit('/').next().unwrap().parse().unwrap(),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Senator Ilyas Brandt")
        .unwrap()
        .id;
    let r = org
        .submit(
            &rounds[5],
            &format!("{}/invite", rounds[5]),
            &[("participant", &pid.to_string()), ("status", "declined")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r4 = org.get(&rounds[5]).await;
    assert!(r4.body.contains("6 of 7 invitees (86 %) are politicians"));

    // Members and the public find no series and no board.
    let mut member = Client::logged_in(&app, MEMBER).await;
    let ml = member.get(LIST).await;
    assert!(ml.body.contains("No dialogue series yet."));
    assert_eq!(member.get(&series).await.status, StatusCode::NOT_FOUND);
    assert_eq!(member.get(&rounds[5]).await.status, StatusCode::NOT_FOUND);
    let mut anon = Client::new(&app);
    assert_eq!(anon.get(&rounds[5]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        anon.get(&format!("{series}/participants")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn participants_are_added_with_problems_named_and_pages_read_right_to_left() {
    let (app, _db, _d) = demo_app().await;
    let mut org = Client::logged_in(&app, ORGANISER).await;
    let series = series_link(&org.get(LIST).await.body);
    let people = format!("{series}/participants");
    let page = org.get(&people).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Haroon Velasquez"));
    assert!(!page.body.contains("Dana Whitfield"), "a Kestrian name");
    let bad = org
        .submit(
            &people,
            &people,
            &[
                ("name", ""),
                ("side", "Atlantis"),
                ("sector", "media"),
                ("gender", "woman"),
                ("age_band", "30_44"),
                ("seniority", "mid"),
                ("influence", "2"),
                ("level", "organisers"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("Choose one of the series&#39; sides."));
    assert!(bad.body.contains("This field is required."));
    let ok = org
        .submit(
            &people,
            &people,
            &[
                ("name", "Rukhsana Akhtar"),
                ("phone", "+92 300 555 0199"),
                ("side", "Veluna"),
                ("sector", "media"),
                ("gender", "woman"),
                ("age_band", "under_30"),
                ("seniority", "junior"),
                ("influence", "1"),
                ("institution", "Radio Serran"),
                ("level", "organisers"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let page = org.get(&people).await;
    assert!(page.body.contains("<bdi>Rukhsana Akhtar</bdi>"));
    assert!(page.body.contains("<bdi>Radio Serran</bdi>"));

    // In Urdu: right to left, the names isolated, the warnings translated.
    org.get("/lang/ur").await;
    let page = org.get(&series).await;
    assert!(page.body.contains("dir=\"rtl\""));
    assert!(page
        .body
        .contains("<bdi>Veluna–Kestria dialogue on water and trade</bdi>"));
    assert!(page.body.contains("پانچ مراحل"));
    let rounds = boards(&page.body, &series);
    let r4 = org.get(&rounds[5]).await;
    assert!(r4.body.contains("اشرافیہ کا غلبہ"));
    assert!(r4.body.contains("<bdi>Haroon Velasquez</bdi>"));
}

#[tokio::test]
async fn the_agenda_shows_parked_topics_funders_and_keeps_consultations_named() {
    let (app, _db, _d) = demo_app().await;
    let mut org = Client::logged_in(&app, ORGANISER).await;
    let series = series_link(&org.get(LIST).await.body);
    let agenda = format!("{series}/agenda");
    assert!(org
        .get(&series)
        .await
        .body
        .contains(&format!("href=\"{agenda}\"")));
    let page = org.get(&agenda).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.len() < 60_000, "{}", page.body.len());
    assert!(page.body.contains("One of them was suggested by a funder."));
    assert!(page.body.contains("<bdi>Sharing river-flow data in the dry season</bdi>: parked in Youth dialogue 1 — back in Core dialogue 3"));
    assert!(page.body.contains("<bdi>Joint patrols against smuggling</bdi>: parked in Women-led conference 1 — <strong>not back in a core round</strong>"));
    // The organiser wrote the consultation and reads it; the owner counts it only.
    assert!(page
        .body
        .contains("Irrigation engineers of the Serran district"));
    let mut owner = Client::logged_in(&app, OWNER).await;
    let theirs = owner.get(&agenda).await;
    assert!(!theirs.body.contains("Irrigation engineers"));
    assert!(theirs
        .body
        .contains("One more consultation is kept for named people only."));

    // An explosive item without escalation notes: refused, named, nothing added.
    let bad = org
        .submit(
            &agenda,
            &agenda,
            &[
                ("title", "Demarcating the line of control"),
                ("sensitivity", "explosive"),
                ("source", "conveners"),
                ("source_note", ""),
                ("escalation", ""),
                ("framing:Veluna", ""),
                ("framing:Kestria", ""),
                ("linked", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad
        .body
        .contains("An explosive item needs escalation notes"));
    assert!(bad.body.contains("aria-invalid=\"true\""));
    assert!(bad.body.contains("4 items."));
    let ok = org
        .submit(
            &agenda,
            &agenda,
            &[
                ("title", "Demarcating the line of control"),
                ("sensitivity", "explosive"),
                ("source", "conveners"),
                ("source_note", ""),
                (
                    "escalation",
                    "Only in a closed session, and only if both conveners agree that morning.",
                ),
                ("framing:Veluna", "A technical survey, not a border."),
                ("framing:Kestria", ""),
                ("linked", ""),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let page = org.get(&agenda).await;
    assert!(page.body.contains("5 items."));
    assert!(page
        .body
        .contains("<bdi>A technical survey, not a border.</bdi>"));
    // Members do not reach an organisers' series' agenda.
    let mut member = Client::logged_in(&app, MEMBER).await;
    assert_eq!(member.get(&agenda).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_rounds_record_keeps_speakers_unnamed_and_off_the_record_items_to_their_author() {
    let (app, _db, _d) = demo_app().await;
    let mut org = Client::logged_in(&app, ORGANISER).await;
    let series = series_link(&org.get(LIST).await.body);
    let page = org.get(&series).await;
    let notes: Vec<String> = links(&page.body, &format!("{series}/rounds/"))
        .into_iter()
        .filter(|h| h.ends_with("/notes"))
        .collect();
    // Core round 3 is the fourth round by date.
    let r3 = notes[3].clone();
    let mine = org.get(&r3).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.body.len() < 60_000);
    assert!(mine
        .body
        .contains("publish river gauge readings every month"));
    assert!(mine.body.contains("— <bdi>Haroon Velasquez</bdi>"));
    assert!(mine.body.contains("interior ministry is watching"));
    let mut owner = Client::logged_in(&app, OWNER).await;
    let theirs = owner.get(&r3).await;
    assert!(theirs
        .body
        .contains("publish river gauge readings every month"));
    assert!(!theirs.body.contains("interior ministry is watching"));

    // A speaker named without consent: refused with the reason, nothing kept.
    let bad = org
        .submit(
            &r3,
            &r3,
            &[
                ("kind", "note"),
                ("body", "The crossing should open on market days first."),
                ("speaker", &speaker_id(&mine.body)),
                ("owner", ""),
                ("due_on", ""),
                ("level", "organisers"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad
        .body
        .contains("A speaker is named only with their consent"));
    assert!(!bad
        .body
        .contains("<bdi>The crossing should open on market days first.</bdi>"));
    let ok = org
        .submit(
            &r3,
            &r3,
            &[
                ("kind", "note"),
                ("body", "The crossing should open on market days first."),
                ("speaker", ""),
                ("owner", ""),
                ("due_on", ""),
                ("level", "organisers"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(org
        .get(&r3)
        .await
        .body
        .contains("<bdi>The crossing should open on market days first.</bdi>"));
    let mut member = Client::logged_in(&app, MEMBER).await;
    assert_eq!(member.get(&r3).await.status, StatusCode::NOT_FOUND);
}

/// The first participant offered as a speaker on a notes page.
fn speaker_id(html: &str) -> String {
    html.split("id=\"speaker\"")
        .nth(1)
        .and_then(|s| s.split("<option value=\"").nth(2))
        .and_then(|s| s.split('"').next())
        .expect("a speaker to choose")
        .to_string()
}
