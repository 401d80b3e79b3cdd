//! Local activities over HTTP: the public finds an activity in a district (from the
//! space's page, through the places) and joins it, fills it up to its waiting
//! list, leaves; bad input is named field by field; an organiser plans one; the
//! calendar feeds are read by Python's icalendar package: public activities only
//! in the public feed, a member's private feed with the confidential ones marked,
//! a sensitive venue in none, the space's time zone carried.

use crate::common;

use axum::http::StatusCode;
use common::{demo_app, Client};

const SPACE: &str = "/s/serran-valley";
const ORGANISER: &str = "organiser@demo.convene.example";
const MEMBER: &str = "member@demo.convene.example";

/// The first link in `html` that starts with `prefix` and ends with `suffix`.
fn link(html: &str, prefix: &str, suffix: &str) -> Option<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with(prefix) && h.ends_with(suffix))
        .map(|h| h.replace("&amp;", "&"))
}

#[tokio::test]
async fn the_public_finds_an_activity_in_a_district_and_joins_it() {
    let (app, _db, _d) = demo_app().await;
    let mut anon = Client::new(&app);
    // From the space's page to the places, a region, a district, an activity.
    let home = anon.get(SPACE).await;
    let places = link(&home.body, "/s/serran-valley/places", "").unwrap();
    let r = anon.get(&places).await;
    let region = link(&r.body, "/s/serran-valley/places/VL01", "").unwrap();
    let r = anon.get(&region).await;
    let district = link(&r.body, "/s/serran-valley/places/VL01", "").unwrap();
    let r = anon.get(&district).await;
    assert_eq!(r.status, StatusCode::OK);
    let activity =
        link(&r.body, "/s/serran-valley/activities/", "/join").expect("an activity here");
    let page = anon.get(&activity).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Asia/Karachi"),
        "times in the space's zone"
    );
    assert!(page.body.len() < 60_000);

    // Bad input is named; nothing is written.
    let r = anon
        .submit(
            &activity,
            &activity,
            &[("name", "Amina"), ("phone", "call me")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("Enter a phone number of 6 to 15 digits."),
        "{}",
        r.body
    );
    let r = anon
        .submit(&activity, &activity, &[("name", "Amina")])
        .await;
    assert!(r.body.contains("Give a phone number or an e-mail address"));

    // Joining, then joining again with the same number.
    let r = anon
        .submit(
            &activity,
            &activity,
            &[("name", "Amina"), ("phone", "+92 300 7654321")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let done = anon.get(r.headers["location"].to_str().unwrap()).await;
    assert!(
        done.body.contains("You have joined.") || done.body.contains("you are on the waiting list"),
        "{}",
        done.body
    );
    let r = anon
        .submit(
            &activity,
            &activity,
            &[("name", "Amina"), ("phone", "+923007654321")],
        )
        .await;
    let again = anon.get(r.headers["location"].to_str().unwrap()).await;
    assert!(again.body.contains("You had already joined."));
    // Leaving by the same number.
    let leave = activity.replace("/join", "/leave");
    let r = anon
        .submit(&activity, &leave, &[("contact", "+923007654321")])
        .await;
    let left = anon.get(r.headers["location"].to_str().unwrap()).await;
    assert!(left.body.contains("You have left the activity."));

    // Urdu: right to left.
    anon.get("/lang/ur").await;
    let r = anon.get(&activity).await;
    assert!(r.body.contains("dir=\"rtl\"") && r.body.contains("شامل ہوں"));
}

#[tokio::test]
async fn capacity_and_waiting_list_and_the_organisers_view() {
    let (app, _db, _d) = demo_app().await;
    let mut org = Client::logged_in(&app, ORGANISER).await;
    let plan = format!("{SPACE}/activities/plan");
    // Bad input: every field named.
    let r = org
        .submit(
            &plan,
            &plan,
            &[
                ("title", ""),
                ("place", ""),
                ("starts", "tomorrow"),
                ("ends", ""),
                ("capacity", "many"),
                ("level", "public"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("Enter a number of places from 1 upwards"),
        "{}",
        r.body
    );
    let r = org
        .submit(
            &plan,
            &plan,
            &[
                ("title", "Small circle"),
                ("place", "KS0102"),
                ("starts", "2031-05-01T10:00"),
                ("ends", "2031-05-01T12:00"),
                ("venue", "The library"),
                ("capacity", "1"),
                ("level", "public"),
                ("track", "6"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.headers["location"].to_str().unwrap().to_string();
    let mut a = Client::new(&app);
    let r = a.submit(&page, &page, &[("count_only", "1")]).await;
    let r = a.get(r.headers["location"].to_str().unwrap()).await;
    assert!(r.body.contains("You have joined."));
    let mut b = Client::new(&app);
    let r = b
        .submit(
            &page,
            &page,
            &[("name", "Bilal"), ("email", "bilal@example.org")],
        )
        .await;
    let r = b.get(r.headers["location"].to_str().unwrap()).await;
    assert!(r.body.contains("you are on the waiting list"), "{}", r.body);
    // The organiser sees the named joiner (decrypted) and the counts; the public not.
    let r = org.get(&page).await;
    assert!(
        r.body.contains("bilal@example.org") && r.body.contains("1 confirmed"),
        "{}",
        r.body
    );
    assert!(!b.get(&page).await.body.contains("bilal@example.org"));
    // Cancelled: joining says so.
    let cancel = page.replace("/join", "/cancel");
    let r = org.submit(&page, &cancel, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = org.get(&page).await;
    assert!(r.body.contains("Cancelled"));
    // Members may not cancel.
    let mut member = Client::logged_in(&app, MEMBER).await;
    assert_eq!(
        member.submit(&page, &cancel, &[]).await.status,
        StatusCode::FORBIDDEN
    );
}

fn icalendar_python() -> Option<String> {
    let py = std::env::var("CONVENE_ICALENDAR_PYTHON")
        .unwrap_or_else(|_| "/tmp/convene-ref-icalendar/bin/python".into());
    let ok = std::process::Command::new(&py)
        .args(["-c", "import icalendar"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if ok {
        return Some(py);
    }
    if std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
    {
        panic!("CI requires Python's icalendar package: set CONVENE_ICALENDAR_PYTHON");
    }
    eprintln!("SKIPPED: Python's icalendar package not found (set CONVENE_ICALENDAR_PYTHON)");
    None
}

/// The feeds as Python's icalendar reads them.
fn read_ics(py: &str, files: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<String> = files
        .iter()
        .enumerate()
        .map(|(i, body)| {
            let p = dir.path().join(format!("{i}.ics"));
            std::fs::write(&p, body).unwrap();
            p.display().to_string()
        })
        .collect();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/ics_read.py");
    let out = std::process::Command::new(py)
        .arg(script)
        .args(&paths)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn calendar_feeds_read_by_pythons_icalendar() {
    let Some(py) = icalendar_python() else {
        return;
    };
    let (app, _db, _d) = demo_app().await;
    let mut org = Client::logged_in(&app, ORGANISER).await;
    let plan = format!("{SPACE}/activities/plan");
    let mut made = Vec::new();
    for (title, level, sensitive, venue) in [
        (
            "Feed: public meeting",
            "public",
            false,
            "House 12, Cedar Lane",
        ),
        (
            "Feed: members' meeting",
            "members",
            false,
            "House 12, Cedar Lane",
        ),
        ("Feed: safe-house meeting", "public", true, "Safe house 7"),
    ] {
        let mut form = vec![
            ("title", title),
            ("place", "VL0103"),
            ("starts", "2031-06-01T09:30"),
            ("ends", "2031-06-01T11:00"),
            ("venue", venue),
            ("level", level),
        ];
        if sensitive {
            form.push(("sensitive", "on"));
        }
        let r = org.submit(&plan, &plan, &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        made.push(r.headers["location"].to_str().unwrap().to_string());
    }
    let mut anon = Client::new(&app);
    let public = anon.get(&format!("{SPACE}/activities.ics")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let district = anon
        .get(&format!("{SPACE}/activities.ics?district=VL0103"))
        .await;
    let one = anon.get(&made[0].replace("/join", "/calendar.ics")).await;
    // The member's private feed, from the calendar page.
    let mut member = Client::logged_in(&app, MEMBER).await;
    let cal = member.get(&format!("{SPACE}/calendar")).await;
    let token = cal
        .body
        .split("?token=")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let private = anon
        .get(&format!("{SPACE}/activities.ics?token={token}"))
        .await;
    assert_eq!(private.status, StatusCode::OK);
    let read = read_ics(
        &py,
        &[&public.body, &district.body, &one.body, &private.body],
    );
    let events = |i: usize| read[i]["events"].as_array().unwrap().clone();
    let find = |i: usize, title: &str| events(i).into_iter().find(|e| e["summary"] == title);

    assert_eq!(read[0]["tz"], "Asia/Karachi");
    let p = find(0, "Feed: public meeting").expect("public in the public feed");
    assert_eq!(p["class"], "PUBLIC");
    // 09:30 in Karachi is 04:30 UTC.
    assert_eq!(p["start"], "2031-06-01T04:30:00+00:00");
    assert!(p["location"]
        .as_str()
        .unwrap()
        .contains("House 12, Cedar Lane"));
    assert!(
        find(0, "Feed: members' meeting").is_none(),
        "members only: not public"
    );
    let s = find(0, "Feed: safe-house meeting").expect("the sensitive one is public");
    assert_eq!(s["location"], "Cedar Gap", "the district, never the venue");
    // The district's feed has only that district's activities.
    assert!(events(1)
        .iter()
        .all(|e| e["location"].as_str().unwrap().contains("Cedar Gap")));
    assert!(find(1, "Feed: public meeting").is_some());
    assert_eq!(events(2).len(), 1);
    // The private feed adds the members' one, marked confidential.
    let m = find(3, "Feed: members' meeting").expect("in the member's feed");
    assert_eq!(m["class"], "CONFIDENTIAL");
    for feed in [&public.body, &district.body, &private.body] {
        assert!(
            !feed.contains("Safe house 7"),
            "a sensitive venue is in no feed"
        );
    }
    assert_eq!(
        find(3, "Feed: safe-house meeting").unwrap()["location"],
        "Cedar Gap"
    );
    // Renewing the address revokes the old one.
    let r = member
        .submit(
            &format!("{SPACE}/calendar"),
            &format!("{SPACE}/calendar"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let old = anon
        .get(&format!("{SPACE}/activities.ics?token={token}"))
        .await;
    assert_eq!(old.status, StatusCode::NOT_FOUND);
}
