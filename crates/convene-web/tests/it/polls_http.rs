//! Polls through HTTP, without JavaScript: the builder, XLSForm upload, answering
//! with skip logic, invitations, closing, deleting respondents, and who sees what.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{csrf_of, demo_app, Client, Resp};
use convene_domain::polls::engine;

const SPACE: &str = "/s/serran-valley/polls";
const ORGANISER: &str = "organiser@demo.convene.example";
const MEMBER: &str = "member@demo.convene.example";
/// Each page of the answering form must stay under this (slow links).
const PAGE_LIMIT: usize = 30 * 1024;

fn location(r: &Resp) -> String {
    r.headers
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The `/p/...` address of the poll titled `title` on the polls page.
fn poll_address(list_html: &str, title: &str) -> Option<String> {
    let row = list_html.split("<tr>").find(|r| r.contains(title))?;
    let i = row.find("href=\"/p/")? + 6;
    Some(row[i..].split('"').next()?.to_string())
}

fn poll_id(location: &str) -> i64 {
    location.rsplit('/').next().unwrap().parse().unwrap()
}

async fn xlsx_upload(c: &mut Client, fields: &[(&str, &str)], file: &[u8]) -> Resp {
    let p = c.get(&format!("{SPACE}/import")).await;
    assert_eq!(p.status, StatusCode::OK);
    let token = csrf_of(&p.body);
    let boundary = "XconveneBoundary7";
    let mut body: Vec<u8> = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"form\"; filename=\"form.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    c.send(
        Request::post(format!("{SPACE}/import?_csrf={token}"))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../convene-domain/tests/fixtures/xlsform")
            .join(name),
    )
    .unwrap()
}

async fn create(c: &mut Client, extra: &[(&str, &str)]) -> Resp {
    // The first value of a field counts: `extra` comes first.
    let mut f = extra.to_vec();
    f.extend_from_slice(&[
        ("level", "public"),
        ("access", "open"),
        ("lang_en", "on"),
        ("lang_ur", "on"),
        ("idle_minutes", "60"),
    ]);
    c.submit(SPACE, SPACE, &f).await
}

async fn open_poll(c: &mut Client, id: i64) {
    let r = c
        .submit(
            &format!("{SPACE}/{id}/settings"),
            &format!("{SPACE}/{id}/settings"),
            &[("is_open", "on"), ("idle_minutes", "60"), ("summary", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

/// Answers the current question of the form with these values.
async fn answer(c: &mut Client, addr: &str, values: &[&str]) -> Resp {
    let page = c.get(addr).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.len() < PAGE_LIMIT, "{} bytes", page.body.len());
    let q = common::field_of(&page.body, "question").expect("a question page");
    let token = csrf_of(&page.body);
    let mut f = vec![("question", q.as_str()), ("_csrf", token.as_str())];
    for v in values {
        f.push(("v", v));
    }
    c.post(addr, &f).await
}

async fn current_question(c: &mut Client, addr: &str) -> String {
    let page = c.get(addr).await;
    common::field_of(&page.body, "question").unwrap_or_default()
}

#[tokio::test]
async fn builder_creates_a_poll_and_edits_questions_one_at_a_time() {
    let (app, db, _dir) = demo_app().await;
    let mut c = Client::logged_in(&app, ORGANISER).await;
    let before = c.get(SPACE).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.body.contains("Priorities before the talks"));

    // Bad input: no title, no language, a bad date: nothing is written.
    let r = c
        .submit(
            SPACE,
            SPACE,
            &[
                ("title", ""),
                ("level", "public"),
                ("access", "open"),
                ("opens", "soon"),
                ("idle_minutes", "60"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Choose at least one language."));
    assert!(r.body.contains("Enter a date as YYYY-MM-DD."));
    let r = create(
        &mut c,
        &[
            ("title", ""),
            ("demographic", "on"),
            ("regions", "North | شمال"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("This field is required."));
    let r = create(
        &mut c,
        &[
            ("title", "Water survey"),
            ("demographic", "on"),
            ("regions", ""),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("at least one region"));
    assert!(!c.get(SPACE).await.body.contains("Water survey"));

    // A poll with the demographic block.
    let r = create(
        &mut c,
        &[
            ("title", "Water survey"),
            ("demographic", "on"),
            (
                "regions",
                "North bank | شمالی کنارہ\nSouth bank | جنوبی کنارہ",
            ),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = location(&r);
    let id = poll_id(&page);
    let show = c.get(&page).await;
    assert_eq!(show.status, StatusCode::OK);
    for name in ["gender", "age_band", "region", "groups"] {
        assert!(
            show.body.contains(&format!("<code>{name}</code>")),
            "{name}"
        );
    }
    assert!(show.body.contains("North bank") && show.body.contains("Prefer not to say"));
    let questions = format!("{SPACE}/{id}/questions");

    // Add a choice question in two languages.
    let r = c
        .submit(
            &page,
            &questions,
            &[
                ("op", "save"),
                ("original", ""),
                ("kind", "select_one"),
                ("name", "source"),
                ("label_en", "Where does your water come from?"),
                ("label_ur", "آپ کا پانی کہاں سے آتا ہے؟"),
                ("choices_en", "River\nWell\nTanker"),
                ("choices_ur", "دریا\nکنواں\nٹینکر"),
                ("required", "on"),
                ("relevant", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // New questions come before the demographic block.
    let show = c.get(&page).await.body;
    assert!(show.find("<code>source</code>").unwrap() < show.find("<code>gender</code>").unwrap());

    // Skip logic about a later question, or unreadable, or choices that do not match: refused, nothing changes.
    for (relevant, choices_ur, message) in [
        ("${gender} = 'woman'", "", "only refer to earlier questions"),
        ("${source} = ", "", "cannot be read"),
        ("", "دریا", "as many choices as the first"),
    ] {
        let r = c
            .submit(
                &page,
                &questions,
                &[
                    ("op", "save"),
                    ("original", ""),
                    ("kind", "select_one"),
                    ("name", "distance"),
                    ("label_en", "How far is it?"),
                    ("choices_en", "Near\nFar"),
                    ("choices_ur", choices_ur),
                    ("relevant", relevant),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{relevant}");
        assert!(r.body.contains(message), "{message}");
        assert!(
            r.body.contains("How far is it?"),
            "the form keeps what was typed"
        );
    }
    assert!(!c.get(&page).await.body.contains("<code>distance</code>"));

    // Skip logic about an earlier question, then a scale.
    let r = c
        .submit(
            &page,
            &questions,
            &[
                ("op", "save"),
                ("original", ""),
                ("kind", "select_one"),
                ("name", "distance"),
                ("label_en", "How far is the well?"),
                ("choices_en", "Near\nFar"),
                ("relevant", "${source} = 'well'"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = c
        .submit(
            &page,
            &questions,
            &[
                ("op", "save"),
                ("original", ""),
                ("kind", "scale"),
                ("name", "quality"),
                ("label_en", "How good is the water?"),
                ("min", "1"),
                ("max", "5"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Moving `distance` above `source` would break its skip logic: refused.
    let r = c
        .submit(&page, &questions, &[("op", "up"), ("target", "distance")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Edit, move, remove.
    let edit = c.get(&format!("{page}?edit=quality")).await;
    assert!(edit.body.contains("How good is the water?"));
    let r = c
        .submit(
            &page,
            &questions,
            &[
                ("op", "save"),
                ("original", "quality"),
                ("kind", "scale"),
                ("name", "quality"),
                ("label_en", "How clean is the water?"),
                ("min", "0"),
                ("max", "10"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c
        .submit(&page, &questions, &[("op", "up"), ("target", "quality")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let show = c.get(&page).await.body;
    assert!(show.contains("How clean is the water?") && !show.contains("How good is the water?"));
    assert!(
        show.find("<code>quality</code>").unwrap() < show.find("<code>distance</code>").unwrap()
    );
    // Changing the demographic gender question keeps its stored values.
    let edit = c.get(&format!("{page}?edit=gender")).await.body;
    assert!(edit.contains("In another way"));
    let r = c
        .submit(
            &page,
            &questions,
            &[
                ("op", "save"),
                ("original", "gender"),
                ("kind", "select_one"),
                ("name", "gender"),
                ("label_en", "Your gender?"),
                ("choices_en", "Female\nMale\nOther\nRather not say"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let show = c.get(&page).await.body;
    assert!(show.contains("Your gender?") && show.contains("Rather not say"));
    let organiser = db.user_by_email(ORGANISER).await.unwrap().unwrap();
    let scope = db.scope(Some(&organiser), "serran-valley").await.unwrap();
    let stored = db.poll(&scope, id).await.unwrap();
    let gender = engine::question(&stored.definition, "gender").unwrap();
    let values: Vec<&str> = engine::choices(gender, "en", None)
        .into_iter()
        .map(|c| c.0)
        .collect();
    assert_eq!(values, ["woman", "man", "other", "prefer_not_to_say"]);
    assert_eq!(gender.demographic.as_deref(), Some("gender"));
    let r = c
        .submit(
            &page,
            &questions,
            &[("op", "remove"), ("target", "quality")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!c.get(&page).await.body.contains("<code>quality</code>"));

    // A new poll takes no answers until it is opened.
    let list = c.get(SPACE).await.body;
    let addr = poll_address(&list, "Water survey").unwrap();
    let mut anon = Client::new(&app);
    assert!(anon.get(&addr).await.body.contains("not taking answers"));
    open_poll(&mut c, id).await;
    assert!(anon.get(&addr).await.body.contains("/start"));

    // A member may not use the builder.
    let mut m = Client::logged_in(&app, MEMBER).await;
    assert_eq!(m.get(&page).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn xlsform_upload_imports_a_form_or_lists_every_problem() {
    let (app, _db, _dir) = demo_app().await;
    let mut c = Client::logged_in(&app, ORGANISER).await;
    let bad = xlsx_upload(
        &mut c,
        &[("title", "Broken"), ("level", "public"), ("access", "open")],
        &fixture("unsupported.xlsx"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let problems = bad.body.matches("<li lang=\"en\"").count();
    assert!(problems >= 2, "every problem is listed: {}", bad.body);
    let junk = xlsx_upload(
        &mut c,
        &[("title", "Junk"), ("level", "public"), ("access", "open")],
        b"not a workbook",
    )
    .await;
    assert_eq!(junk.status, StatusCode::BAD_REQUEST);
    assert!(junk.body.contains("not an .xlsx workbook"));
    let list = c.get(SPACE).await.body;
    assert!(
        !list.contains("Broken") && !list.contains("Junk"),
        "nothing imported"
    );

    let good = xlsx_upload(
        &mut c,
        &[
            ("title", ""),
            ("level", "members"),
            ("access", "open"),
            ("keyword", "VALLEY"),
        ],
        &fixture("consultation.xlsx"),
    )
    .await;
    assert_eq!(good.status, StatusCode::SEE_OTHER, "{}", good.body);
    let show = c.get(&location(&good)).await.body;
    assert!(show.contains("Valley consultation"));
    for name in ["age", "gender", "displaced", "needs", "distance", "message"] {
        assert!(show.contains(&format!("<code>{name}</code>")), "{name}");
    }
}

#[tokio::test]
async fn a_spreadsheet_with_a_cell_far_away_is_answered_and_the_server_keeps_serving() {
    // A form of two cells, A1 and XFD1048576, once made the spreadsheet reader
    // allocate the grid between them (512 GiB) and abort the process; A1 and
    // Z1048576 cost 0.9 GB.
    // The memory is measured in a process of its own, where no other test runs.
    use convene_domain::testing::{alone, report_peak, run_alone};
    if !alone() {
        let peak = tokio::task::spawn_blocking(|| {
            run_alone("polls_http::a_spreadsheet_with_a_cell_far_away_is_answered_and_the_server_keeps_serving")
        })
        .await
        .unwrap();
        assert!(peak < 300 * 1024 * 1024, "peak memory {peak} bytes");
        return;
    }
    let (app, _db, _dir) = demo_app().await;
    let mut c = Client::logged_in(&app, ORGANISER).await;
    for (file, cell) in [("far_xfd.xlsx", "XFD1048576"), ("far_z.xlsx", "Z1048576")] {
        let r = xlsx_upload(
            &mut c,
            &[("title", "Far"), ("level", "public"), ("access", "open")],
            &fixture(file),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{file}");
        assert!(
            r.body.contains(cell) && r.body.contains("largest form"),
            "the message names the cell: {}",
            r.body
        );
    }
    let list = c.get(SPACE).await;
    assert_eq!(list.status, StatusCode::OK, "the server keeps serving");
    assert!(!list.body.contains(">Far<"), "nothing imported");
    report_peak();
}

#[tokio::test]
async fn answering_the_demo_poll_without_javascript_follows_skip_logic() {
    let (app, _db, _dir) = demo_app().await;
    let mut anon = Client::new(&app);
    let list = anon.get(SPACE).await;
    let addr = poll_address(&list.body, "Priorities before the talks").unwrap();
    let start = anon.get(&addr).await;
    assert_eq!(start.status, StatusCode::OK);
    assert!(start.body.len() < PAGE_LIMIT);
    let r = anon
        .submit(
            &addr,
            &format!("{addr}/start"),
            &[("language", "en"), ("invite", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let set = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>();
    let rc = set
        .iter()
        .find(|c| c.starts_with("convene_respondent="))
        .expect("respondent cookie");
    assert!(rc.contains("HttpOnly") && rc.contains("SameSite=Lax"));

    let first = anon.get(&addr).await.body;
    assert!(
        first.contains("The mediators want to hear"),
        "the note comes with the first question"
    );
    assert!(first.contains("Question 1 of about"));
    // A required question left empty, and a value that is not a choice.
    let r = answer(&mut anon, &addr, &[]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Please answer this question."));
    let r = answer(&mut anon, &addr, &["moon"]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Please choose one of the options."));
    assert_eq!(
        answer(&mut anon, &addr, &["water"]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(current_question(&mut anon, &addr).await, "trust");
    let r = answer(&mut anon, &addr, &["9"]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("outside the allowed range"));
    answer(&mut anon, &addr, &["4"]).await;
    // Back to the previous question, the answer kept.
    let page = anon.get(&addr).await.body;
    let r = anon
        .post(&format!("{addr}/back"), &[("_csrf", &csrf_of(&page))])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let back = anon.get(&addr).await.body;
    assert!(back.contains("name=\"question\" value=\"trust\""));
    assert!(back.contains("value=\"4\" checked"));
    answer(&mut anon, &addr, &["4"]).await;
    answer(&mut anon, &addr, &["yes"]).await;
    answer(&mut anon, &addr, &["water", "prices"]).await;
    // No land lost: the land question is skipped.
    answer(&mut anon, &addr, &["no"]).await;
    assert_eq!(current_question(&mut anon, &addr).await, "message");
    answer(&mut anon, &addr, &["Share the river."]).await;
    assert_eq!(current_question(&mut anon, &addr).await, "gender");
    answer(&mut anon, &addr, &["prefer_not_to_say"]).await;
    answer(&mut anon, &addr, &[]).await; // optional: skipped
    answer(&mut anon, &addr, &["south"]).await;
    let r = answer(&mut anon, &addr, &["youth", "displaced"]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let done = anon.get(&addr).await;
    assert!(done.body.contains("Thank you."));
    assert!(
        done.body.contains(&format!("{addr}/results\"")),
        "the results are public: linked"
    );
    let results = anon.get(&format!("{addr}/results")).await;
    assert_eq!(
        results.status,
        StatusCode::OK,
        "the linked public results page opens"
    );
    assert!(done.body.len() < PAGE_LIMIT);

    // In Urdu, right to left; land lost: the land question is asked.
    let mut ur = Client::new(&app);
    ur.submit(
        &addr,
        &format!("{addr}/start"),
        &[("language", "ur"), ("invite", "")],
    )
    .await;
    let page = ur.get(&addr).await.body;
    assert!(page.contains("dir=\"rtl\""));
    assert!(page.contains("مذاکرات میں سب سے پہلے"));
    let r = answer(&mut ur, &addr, &[]).await;
    assert!(r.body.contains("براہ کرم"), "the message in Urdu");
    for v in [&["return"][..], &["2"], &["no"], &[]] {
        assert_eq!(
            answer(&mut ur, &addr, v).await.status,
            StatusCode::SEE_OTHER
        );
    }
    answer(&mut ur, &addr, &["yes"]).await;
    assert_eq!(current_question(&mut ur, &addr).await, "land_remedy");
}

#[tokio::test]
async fn invitation_only_and_closed_polls() {
    let (app, _db, _dir) = demo_app().await;
    let mut c = Client::logged_in(&app, ORGANISER).await;
    let r = create(&mut c, &[("title", "Invited voices"), ("access", "invite")]).await;
    let id = poll_id(&location(&r));
    open_poll(&mut c, id).await;
    let addr = poll_address(&c.get(SPACE).await.body, "Invited voices").unwrap();
    let made = c
        .submit(
            &format!("{SPACE}/{id}/settings"),
            &format!("{SPACE}/{id}/invites"),
            &[("count", "2")],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK);
    let link = made
        .body
        .split("<code>")
        .nth(1)
        .unwrap()
        .split("</code>")
        .next()
        .unwrap()
        .to_string();
    assert!(link.starts_with(&format!("{addr}?invite=")));
    // The links are shown once.
    assert!(!c
        .get(&format!("{SPACE}/{id}/settings"))
        .await
        .body
        .contains(&link));

    let mut anon = Client::new(&app);
    let r = anon.get(&addr).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("by invitation only"));
    assert_eq!(
        anon.get(&format!("{addr}?invite=forged")).await.status,
        StatusCode::FORBIDDEN
    );
    let invite = link.split("invite=").nth(1).unwrap();
    let r = anon.get(&link).await;
    assert_eq!(r.status, StatusCode::OK);
    let token = csrf_of(&r.body);
    let r = anon
        .post(
            &format!("{addr}/start"),
            &[("language", "en"), ("invite", "forged"), ("_csrf", &token)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = anon
        .post(
            &format!("{addr}/start"),
            &[("language", "en"), ("invite", invite), ("_csrf", &token)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(current_question(&mut anon, &addr).await, "q1");
    // The same browser continues; another one cannot use the same link.
    let r = anon
        .post(
            &format!("{addr}/start"),
            &[("language", "en"), ("invite", invite), ("_csrf", &token)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut second = Client::new(&app);
    let r = second.get(&link).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a used link");
    let other = made
        .body
        .split("<code>")
        .nth(2)
        .unwrap()
        .split("</code>")
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        second.get(&other).await.status,
        StatusCode::OK,
        "the other link"
    );

    // Closing: the form says so and takes nothing.
    let r = c
        .submit(
            &format!("{SPACE}/{id}/settings"),
            &format!("{SPACE}/{id}/settings"),
            &[("idle_minutes", "60"), ("summary", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = anon.get(&addr).await;
    assert!(page.body.contains("not taking answers"));
    let r = anon
        .post(
            &addr,
            &[("question", "q1"), ("v", "hello"), ("_csrf", &token)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Bad settings are refused.
    let r = c
        .submit(
            &format!("{SPACE}/{id}/settings"),
            &format!("{SPACE}/{id}/settings"),
            &[
                ("idle_minutes", "60"),
                ("opens", "2030-01-02"),
                ("closes", "2030-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("must come after"));
}

#[tokio::test]
async fn deleting_respondents_is_confirmed_and_audited() {
    let (app, _db, _dir) = demo_app().await;
    let mut c = Client::logged_in(&app, ORGANISER).await;
    let list = c.get(SPACE).await.body;
    let row = list
        .split("<tr>")
        .find(|r| r.contains("Priorities before the talks"))
        .unwrap();
    let i = row.find("/respondents\"").unwrap();
    let page = row[..i].rsplit("href=\"").next().unwrap().to_string() + "/respondents";
    let r = c.get(&page).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("5000 respondents"),
        "the demo poll's respondents"
    );
    assert!(!r.body.contains("+92300"), "no phone numbers");
    let first = common::field_of(&r.body, "respondent").unwrap();
    let action = format!("{page}/delete");
    let r = c.submit(&page, &action, &[("respondent", &first)]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "confirmation needed");
    let r = c
        .submit(
            &page,
            &action,
            &[("respondent", &first), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = c.get(&page).await.body;
    assert!(after.contains("4999 respondents"));
    assert!(!after.contains(&format!("name=\"respondent\" value=\"{first}\"")));

    let phone = "+923001000007";
    let r = c
        .submit(
            &page,
            &format!("{page}/delete-phone"),
            &[("phone", phone), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let audit = c.get("/s/serran-valley/audit").await.body;
    assert!(audit.contains("poll.respondent.delete"));
    assert!(audit.contains("by=organiser-phone"));
    assert!(!audit.contains("1000007"), "the number is not logged");

    // A member cannot delete.
    let mut m = Client::logged_in(&app, MEMBER).await;
    let r = m
        .submit(SPACE, &action, &[("respondent", "1"), ("confirm", "yes")])
        .await;
    assert!(r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_member_cannot_see_an_organisers_only_poll() {
    let (app, _db, _dir) = demo_app().await;
    let mut c = Client::logged_in(&app, ORGANISER).await;
    let r = create(
        &mut c,
        &[("title", "Steering pulse"), ("level", "organisers")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let id = poll_id(&location(&r));
    open_poll(&mut c, id).await;
    let addr = poll_address(&c.get(SPACE).await.body, "Steering pulse").unwrap();
    assert_eq!(c.get(&addr).await.status, StatusCode::OK);

    let mut m = Client::logged_in(&app, MEMBER).await;
    let list = m.get(SPACE).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Priorities before the talks"));
    assert!(!list.body.contains("Steering pulse"));
    assert_eq!(
        m.get(&format!("{SPACE}/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        m.get(&format!("{SPACE}/{id}/respondents")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(m.get(&addr).await.status, StatusCode::NOT_FOUND);
    let mut anon = Client::new(&app);
    assert_eq!(anon.get(&addr).await.status, StatusCode::NOT_FOUND);
}
