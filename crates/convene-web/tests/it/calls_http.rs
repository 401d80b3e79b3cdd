//! Calls to action over HTTP, on the demo: counts by district suppressed on the
//! page, the CSV and the API alike; signing up and confirming by the e-mailed link;
//! a report with a phone's photo through the personal link (its metadata gone),
//! seen by the public only once a moderator publishes it; a published report
//! flagged by the public and hidden by a moderator; members find no moderation.

use crate::common;

use axum::http::StatusCode;
use common::{demo_app, Client};
use convene_domain::media::sample;

const CAMPAIGN: &str = "/s/serran-valley/campaign";

fn call_link(html: &str) -> String {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|h| {
            h.strip_prefix(&format!("{CAMPAIGN}/calls/"))
                .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
        })
        .expect("a call linked from the campaign")
        .to_string()
}

fn cells(html: &str) -> Vec<String> {
    html.split("<td dir=\"ltr\">")
        .skip(1)
        .filter_map(|s| s.split("</td>").next())
        .map(|s| s.replace("&#60;", "<"))
        .collect()
}

async fn next_mail(db: &convene_domain::Db) -> convene_domain::mail::OutgoingMail {
    let m = db.claim_mail().await.unwrap().expect("an e-mail");
    db.mail_sent(m.id).await.unwrap();
    m
}

fn token(body: &str, marker: &str) -> String {
    body.split(marker)
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("a link")
        .to_string()
}

#[tokio::test]
async fn a_call_takes_sign_ups_and_reports_that_moderators_publish_and_hide() {
    let (_, db, _d) = demo_app().await;
    let app = convene_web::app(
        db.clone(),
        convene_web::WebConfig {
            public_url: Some("https://peace.example.org".into()),
            mail_enabled: true,
            ..Default::default()
        },
    );
    let mut anon = Client::new(&app);
    let campaign = anon.get(CAMPAIGN).await;
    let call = call_link(&campaign.body);
    let page = anon.get(&call).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.len() < 60_000);
    // 18, 12 and 4 signed up: the 4 hidden, and the 12 with it.
    assert_eq!(cells(&page.body), ["18", "<10", "<10"]);
    assert!(page.body.contains("<strong dir=\"ltr\">34</strong>"));
    assert!(page.body.contains("<strong dir=\"ltr\">WELL</strong>"));
    let csv = anon.get(&format!("{call}/counts.csv")).await;
    let counts: Vec<String> = csv::Reader::from_reader(csv.body.as_bytes())
        .records()
        .map(|r| r.unwrap()[2].to_string())
        .collect();
    assert_eq!(counts, ["18", "<10", "<10", "34"]);
    let id = call.rsplit('/').next().unwrap();
    let api = anon
        .get(&format!("/api/v1/s/serran-valley/campaign/calls/{id}"))
        .await;
    let v: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(v["signups"]["value"], 34);
    assert!(v["districts"][1]["signups"]["value"].is_null());
    assert!(!api.body.contains("\"value\":12") && !api.body.contains("\"value\":4,"));
    // The demo's two published reports, one with a photo; the pending one unseen.
    assert_eq!(page.body.matches("/flag\">").count(), 2, "{}", page.body);
    assert!(!page.body.contains("the parts are bought"));
    let img = page
        .body
        .split("<img src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the report's photo")
        .to_string();
    let (status, headers, bytes) = anon.get_bytes(&img).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/jpeg");
    assert!(!sample::has_metadata(&bytes));

    // Signing up, confirming, and reporting through the personal link.
    let bad = anon
        .submit(
            &call,
            &format!("{call}/signup"),
            &[("email", "nope"), ("district", "0")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("aria-invalid=\"true\""));
    let ok = anon
        .submit(
            &call,
            &format!("{call}/signup"),
            &[("email", "well@example.net"), ("district", "0")],
        )
        .await;
    assert!(ok.body.contains("Nearly done"), "{}", ok.body);
    let t = token(&next_mail(&db).await.body, "/confirm?t=");
    let confirm_page = format!("{call}/confirm?t={t}");
    let form = anon.get(&confirm_page).await;
    assert_eq!(form.status, StatusCode::OK);
    let done = anon
        .submit(&confirm_page, &format!("{call}/confirm"), &[("t", &t)])
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("you are signed up"));
    let again = anon
        .submit(&confirm_page, &format!("{call}/confirm"), &[("t", &t)])
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    let r = token(&next_mail(&db).await.body, "/report?r=");
    let report_page = format!("{call}/report?r={r}");
    assert_eq!(anon.get(&report_page).await.status, StatusCode::OK);
    assert_eq!(
        anon.get(&format!("{call}/report?r=nope")).await.status,
        StatusCode::NOT_FOUND
    );
    let phone = sample::with_phone_metadata(&sample::jpeg(&sample::landscape(900, 600, 9)), 1);
    assert!(sample::has_metadata(&phone));
    let not_photo = anon
        .multipart_bytes(
            &report_page,
            &report_page,
            &[("body", "We fixed the pump."), ("alt", "x")],
            &[("file", "a.jpg", "image/jpeg", b"not a photo")],
        )
        .await;
    assert_eq!(not_photo.status, StatusCode::BAD_REQUEST);
    assert!(
        not_photo.body.contains("neither a photo nor a video"),
        "{}",
        not_photo.body
    );
    let sent = anon
        .multipart_bytes(
            &report_page,
            &report_page,
            &[
                ("body", "We fixed the pump of the well at Iris Bend."),
                ("alt", "The mended pump"),
            ],
            &[("file", "pump.jpg", "image/jpeg", &phone)],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("will read your report"));
    assert!(!anon.get(&call).await.body.contains("the well at Iris Bend"));

    // Moderation: members find none; an organiser publishes the new report.
    let mut member = Client::logged_in(&app, "member@demo.convene.example").await;
    assert_eq!(
        member.get(&format!("{CAMPAIGN}/moderation")).await.status,
        StatusCode::NOT_FOUND
    );
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    let moderation = format!("{CAMPAIGN}/moderation");
    let m = org.get(&moderation).await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(m.body.contains("the well at Iris Bend") && m.body.contains("the parts are bought"));
    let action = |rid: &str| format!("{CAMPAIGN}/reports/{rid}/moderate");
    let all_pending: Vec<String> = m
        .body
        .split("action=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|a| a.ends_with("/moderate"))
        .map(str::to_string)
        .collect();
    assert_eq!(all_pending.len(), 2, "{all_pending:?}");
    let no_reason = org
        .submit(
            &moderation,
            &all_pending[1],
            &[("decision", "reject"), ("reason", "")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    for a in &all_pending {
        let r = org
            .submit(&moderation, a, &[("decision", "publish"), ("reason", "")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let published = anon.get(&call).await;
    assert!(published.body.contains("the well at Iris Bend"));
    assert_eq!(published.body.matches("/flag\">").count(), 4);

    // The public flags one; a moderator hides it; it is gone from the page.
    let flag = published
        .body
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|h| h.ends_with("/flag"))
        .unwrap()
        .to_string();
    let empty = anon.submit(&flag, &flag, &[("reason", "")]).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    let flagged = anon
        .submit(&flag, &flag, &[("reason", "It names a child.")])
        .await;
    assert_eq!(flagged.status, StatusCode::SEE_OTHER);
    let m = org.get(&moderation).await;
    assert!(m.body.contains("It names a child."));
    let flagged_id = flag.trim_end_matches("/flag").rsplit('/').next().unwrap();
    let hidden = org
        .submit(
            &moderation,
            &action(flagged_id),
            &[("decision", "hide"), ("reason", "Names a child")],
        )
        .await;
    assert_eq!(hidden.status, StatusCode::SEE_OTHER);
    assert_eq!(anon.get(&call).await.body.matches("/flag\">").count(), 3);
    assert_eq!(anon.get(&flag).await.status, StatusCode::NOT_FOUND);

    // Urdu, right to left.
    let mut ur = Client::new(&app);
    ur.get("/lang/ur").await;
    let p = ur.get(&call).await;
    assert!(p.body.contains("dir=\"rtl\""));
}

#[tokio::test]
async fn organisers_set_the_sms_digest_keyword_and_the_public_is_told_how_to_subscribe() {
    let (app, _db, _d) = demo_app().await;
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    let bad = org
        .submit(
            CAMPAIGN,
            &format!("{CAMPAIGN}/digest"),
            &[("keyword", "two words")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body.contains("id=\"digest-keyword\"") && bad.body.contains("aria-invalid=\"true\"")
    );
    let ok = org
        .submit(
            CAMPAIGN,
            &format!("{CAMPAIGN}/digest"),
            &[("keyword", "news")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(org.get(CAMPAIGN).await.body.contains("Subscribers: 0"));
    let mut anon = Client::new(&app);
    let page = anon.get(CAMPAIGN).await;
    assert!(
        page.body.contains("<strong dir=\"ltr\">NEWS</strong>"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("Subscribers:"),
        "the count is for organisers"
    );
    // The keyword is the digest's: a call or pledge cannot take it.
    let taken = org
        .submit(
            &format!("{CAMPAIGN}/calls/new"),
            &format!("{CAMPAIGN}/calls/new"),
            &[
                ("title", "Another"),
                ("keyword", "NEWS"),
                ("level", "public"),
            ],
        )
        .await;
    assert_eq!(taken.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_atom_feed_gives_pledges_and_calls_counts_suppressed() {
    let (app, db, _d) = demo_app().await;
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    // A call with three sign-ups: too few to show, in the feed as everywhere.
    let made = org
        .submit(
            &format!("{CAMPAIGN}/calls/new"),
            &format!("{CAMPAIGN}/calls/new"),
            &[
                ("title", "Plant a tree at the crossing"),
                ("level", "public"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    let path = made.headers["location"].to_str().unwrap().to_string();
    let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
    for k in 0..3 {
        sqlx::query(
            "INSERT INTO call_signups (call_id, who_hash, via, lang, confirmed_at, created_at) VALUES ($1, $2, 'sms', 'en', 1, 1)",
        )
        .bind(id)
        .bind(format!("feed-test-{k}"))
        .execute(db.pool_for_tests())
        .await
        .unwrap();
    }
    let mut anon = Client::new(&app);
    let feed = anon.get(&format!("{CAMPAIGN}/feed.atom")).await;
    assert_eq!(feed.status, StatusCode::OK);
    let parsed: atom_syndication::Feed = feed.body.parse().expect("a valid Atom feed");
    let summary = |title: &str| {
        parsed
            .entries()
            .iter()
            .find(|e| e.title().as_str().starts_with(title))
            .and_then(|e| e.summary())
            .map(|s| s.as_str().to_string())
            .unwrap_or_else(|| panic!("an entry for {title}"))
    };
    assert_eq!(summary("Plant a tree"), "<10 people signed up.");
    assert_eq!(summary("Repair a well"), "34 people signed up.");
    assert_eq!(summary("I will send my child"), "52 of 40 have signed.");
    assert!(!feed.body.contains(">3 people"));
}

#[tokio::test]
async fn a_report_with_a_phone_video_is_served_by_ranges_without_its_location_once_published() {
    use convene_domain::media::video;
    use tower::ServiceExt;
    if !video::available() {
        assert!(std::env::var("CI").is_err(), "ffmpeg is needed under CI");
        eprintln!("SKIPPED: report video test: install Debian's ffmpeg to run it");
        return;
    }
    let (_, db, d) = demo_app().await;
    let app = convene_web::app(
        db.clone(),
        convene_web::WebConfig {
            public_url: Some("https://peace.example.org".into()),
            mail_enabled: true,
            ..Default::default()
        },
    );
    while let Some(m) = db.claim_mail().await.unwrap() {
        db.mail_sent(m.id).await.unwrap();
    }
    let mut anon = Client::new(&app);
    let call = call_link(&anon.get(CAMPAIGN).await.body);
    anon.submit(
        &call,
        &format!("{call}/signup"),
        &[("email", "film@example.net"), ("district", "0")],
    )
    .await;
    let t = token(&next_mail(&db).await.body, "/confirm?t=");
    anon.submit(
        &format!("{call}/confirm?t={t}"),
        &format!("{call}/confirm"),
        &[("t", &t)],
    )
    .await;
    let r = token(&next_mail(&db).await.body, "/report?r=");
    let report_page = format!("{call}/report?r={r}");
    let mov = std::fs::read(sample::phone_video(d.path())).unwrap();
    for needle in [&b"\xa9xyz"[..], b"+33.8500"] {
        assert!(
            mov.windows(needle.len()).any(|w| w == needle),
            "the phone's video has its location"
        );
    }
    let sent = anon
        .multipart_bytes(
            &report_page,
            &report_page,
            &[
                ("body", "We filmed the pump working again."),
                ("alt", "Water running from the mended pump"),
            ],
            &[("file", "pump.mov", "video/quicktime", &mov)],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    let moderation = format!("{CAMPAIGN}/moderation");
    let m = org.get(&moderation).await;
    let action = m
        .body
        .split("action=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|a| a.ends_with("/moderate"))
        .last()
        .unwrap()
        .to_string();
    assert_eq!(
        org.submit(
            &moderation,
            &action,
            &[("decision", "publish"), ("reason", "")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let page = anon.get(&call).await;
    let src = page
        .body
        .split("<source src=\"")
        .filter_map(|s| s.split('"').next())
        .find(|s| s.contains("/videos/") && s.contains("/video."))
        .expect("the report's video")
        .to_string();
    let whole = anon.get_bytes(&src).await;
    assert_eq!(whole.0, StatusCode::OK);
    for needle in [&b"\xa9xyz"[..], b"+33.8500", b"ConveneTestPhone"] {
        assert!(
            !whole.2.windows(needle.len()).any(|w| w == needle),
            "no location or device kept"
        );
    }
    let part = app
        .clone()
        .oneshot(
            axum::http::Request::get(&src)
                .header("range", "bytes=0-99")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.headers()["content-length"], "100");
}
