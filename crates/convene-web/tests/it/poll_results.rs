//! Poll results over HTTP (in process, on the SQLite demo): the organisers see
//! every number; every exit that leaves their view (public page, printable
//! summary, CSV, JSON API, SMS summary) shows a small cell as "<10" and hides
//! enough else that it cannot be worked out from the totals.

use crate::common;

use axum::http::StatusCode;
use common::{demo_app, Client};
use convene_domain::model::Level;
use convene_domain::polls::xlsform::{Choice, ChoiceList, Translations};
use convene_domain::polls::{Access, Answer, NewPoll, PollDefinition, Question, QuestionKind};
use convene_domain::Db;

const ORGANISER: &str = "organiser@demo.convene.example";
const MEMBER: &str = "member@demo.convene.example";

fn tr(en: &str) -> Translations {
    [("en".to_string(), en.to_string())].into_iter().collect()
}

fn select(name: &str, label: &str, choices: &[(&str, &str)], demographic: bool) -> Question {
    Question {
        name: name.into(),
        kind: QuestionKind::SelectOne(ChoiceList {
            name: name.into(),
            choices: choices
                .iter()
                .map(|(n, l)| Choice {
                    name: n.to_string(),
                    label: tr(l),
                })
                .collect(),
        }),
        label: tr(label),
        hint: Translations::new(),
        required: false,
        relevant: None,
        constraint: None,
        constraint_message: Translations::new(),
        row: 0,
        demographic: demographic.then(|| name.to_string()),
    }
}

/// A public poll in serran-valley: 30 Yes, 20 No, 3 Unsure ("is the crossing
/// safe?"), by gender. Returns (poll id, poll slug).
async fn poll_with_small_cell(db: &Db, results_public: bool) -> (i64, String) {
    let organiser = db.user_by_email(ORGANISER).await.unwrap().unwrap();
    let scope = db.scope(Some(&organiser), "serran-valley").await.unwrap();
    let definition = PollDefinition {
        title: None,
        form_id: None,
        version: None,
        default_language: Some("en".into()),
        languages: vec!["en".into()],
        questions: vec![
            select("gender", "Gender", &[("f", "Woman"), ("m", "Man")], true),
            select(
                "safe",
                "Is the crossing safe?",
                &[("yes", "Yes"), ("no", "No"), ("unsure", "Unsure")],
                false,
            ),
        ],
    };
    let id = db
        .create_poll(
            &scope,
            &NewPoll {
                title: "Crossing safety".into(),
                description: String::new(),
                level: Level::Public,
                definition,
                access: Access::Open,
                keyword: None,
                opens_at: None,
                closes_at: None,
                idle_timeout_secs: 86400,
                results_public,
            },
        )
        .await
        .unwrap();
    let poll = db.poll(&scope, id).await.unwrap();
    for i in 0..53 {
        let r = db
            .start_web_respondent(&poll, &format!("respondent-cookie-{i:04}"), "en", None)
            .await
            .unwrap();
        let g = if i % 2 == 0 { "f" } else { "m" };
        let a = match i {
            0..30 => "yes",
            30..50 => "no",
            _ => "unsure",
        };
        db.save_answer(&poll, &r, "gender", &Answer::Choice(g.into()), Some("safe"))
            .await
            .unwrap();
        db.save_answer(&poll, &r, "safe", &Answer::Choice(a.into()), None)
            .await
            .unwrap();
    }
    let poll = db.poll(&scope, id).await.unwrap();
    db.update_poll(
        &scope,
        &poll,
        &convene_domain::polls::PollSettings {
            is_open: true,
            results_public,
            opens_at: None,
            closes_at: None,
            idle_timeout_secs: 86400,
            summary: "Thank you for answering.".into(),
        },
    )
    .await
    .unwrap();
    (id, poll.slug)
}

/// The cells of the overall "safe" row of a results table: the text of the
/// `<td class="num">` cells after the row header "Everyone" in the table that
/// follows the question's heading.
fn overall_safe_cells(html: &str) -> Vec<String> {
    let q = html.find("Is the crossing safe?").expect("question shown");
    let rest = &html[q..];
    let row = rest
        .find("<th scope=\"row\">Everyone</th>")
        .expect("overall row");
    let row = &rest[row..];
    let end = row.find("</tr>").unwrap();
    row[..end]
        .split("<td class=\"num\">")
        .skip(1)
        .map(|c| c.split('<').next().unwrap_or("").to_string())
        .collect()
}

fn assert_small_cell_hidden(cells: &[String], what: &str) {
    // answered, yes, no, unsure
    assert_eq!(cells.len(), 4, "{what}: {cells:?}");
    assert_eq!(cells[3], "&#60;10", "{what}: the 3 is hidden: {cells:?}");
    assert!(!cells.iter().any(|c| c == "3"), "{what}: {cells:?}");
    // Not recoverable: another value of the row is hidden too.
    let hidden = cells.iter().filter(|c| c.as_str() == "&#60;10").count();
    assert!(
        hidden >= 2,
        "{what}: 3 = 53 - 30 - 20 must not work: {cells:?}"
    );
}

#[tokio::test]
async fn organisers_see_every_number() {
    let (app, db, _d) = demo_app().await;
    let (id, _) = poll_with_small_cell(&db, true).await;
    let mut c = Client::logged_in(&app, ORGANISER).await;
    let r = c.get(&format!("/s/serran-valley/polls/{id}/results")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(overall_safe_cells(&r.body), vec!["53", "30", "20", "3"]);
    assert!(r.body.contains("By Gender"));
    // Members get no full numbers.
    let mut m = Client::logged_in(&app, MEMBER).await;
    let r = m.get(&format!("/s/serran-valley/polls/{id}/results")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn public_page_hides_the_small_cell() {
    let (app, db, _d) = demo_app().await;
    let (_, slug) = poll_with_small_cell(&db, true).await;
    let mut c = Client::new(&app);
    let r = c.get(&format!("/p/{slug}/results")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_small_cell_hidden(&overall_safe_cells(&r.body), "public page");
    // Only the layout's own script; the page itself needs none.
    assert_eq!(r.body.matches("<script").count(), 1);
    assert!(r.body.len() < 30_000, "light: {} bytes", r.body.len());
    // A poll whose results are not public has no public page.
    let (_, hidden) = poll_with_small_cell(&db, false).await;
    assert_eq!(
        c.get(&format!("/p/{hidden}/results")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn printable_summary_hides_the_small_cell() {
    let (app, db, _d) = demo_app().await;
    let (id, _) = poll_with_small_cell(&db, true).await;
    let mut c = Client::logged_in(&app, MEMBER).await;
    let r = c.get(&format!("/s/serran-valley/polls/{id}/summary")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_small_cell_hidden(&overall_safe_cells(&r.body), "printable summary");
    assert!(r.body.contains("/assets/poll-results.css"));
    let css = c.get("/assets/poll-results.css").await;
    assert!(css.body.contains("@media print"));
}

#[tokio::test]
async fn csv_hides_the_small_cell_and_is_audited() {
    let (app, db, _d) = demo_app().await;
    let (id, _) = poll_with_small_cell(&db, true).await;
    let mut c = Client::logged_in(&app, MEMBER).await;
    let r = c
        .get(&format!("/s/serran-valley/polls/{id}/results.csv"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(r.body.as_bytes());
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert!(
        rows[0][0].starts_with("#indicator"),
        "HXL row: {:?}",
        rows[0]
    );
    let overall: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| &r[0] == "safe" && r[2].is_empty())
        .collect();
    assert_eq!(overall.len(), 3);
    let unsure = overall.iter().find(|r| &r[4] == "unsure").unwrap();
    assert_eq!(&unsure[6], "<10");
    assert_eq!(&unsure[8], "", "no percentage of a hidden count");
    let mut cells: Vec<String> = vec![overall[0][7].to_string()];
    cells.extend(overall.iter().map(|r| r[6].replace("<10", "&#60;10")));
    assert_small_cell_hidden(&cells, "csv");
    // No row of any table shows a count below the threshold.
    for r in &rows[1..] {
        if let Ok(n) = r[6].parse::<u64>() {
            assert!(n == 0 || n >= 10, "{r:?}");
        }
    }
    let poll_space = db.scope(None, "serran-valley").await.unwrap().space().id;
    let log = db.audit_for_space(poll_space, 5).await.unwrap();
    assert!(log.iter().any(|e| e.action == "poll.results.export"));
}

#[tokio::test]
async fn api_hides_the_small_cell() {
    let (app, db, _d) = demo_app().await;
    let (id, _) = poll_with_small_cell(&db, true).await;
    let mut c = Client::new(&app);
    let r = c
        .get(&format!("/api/v1/s/serran-valley/polls/{id}/results"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let safe = v["results"]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "safe")
        .unwrap();
    let cells = safe["overall"]["cells"].as_array().unwrap();
    let text = |p: &serde_json::Value| match p.get("Shown") {
        Some(n) => n.to_string(),
        None => "&#60;10".to_string(),
    };
    let mut row = vec![text(&safe["overall"]["answered"])];
    row.extend(cells.iter().map(|c| text(&c["count"])));
    assert_small_cell_hidden(&row, "api");
    assert!(cells[2]["percent"].is_null());
    assert!(!safe.to_string().contains("{\"Shown\":3}"));
}

#[tokio::test]
async fn sms_summary_hides_the_small_cell() {
    let (_app, db, _d) = demo_app().await;
    let (id, _) = poll_with_small_cell(&db, false).await;
    let organiser = db.user_by_email(ORGANISER).await.unwrap().unwrap();
    let scope = db.scope(Some(&organiser), "serran-valley").await.unwrap();
    let poll = db.poll(&scope, id).await.unwrap();
    let text = db
        .poll_summary_text(&scope, &poll, &["safe".to_string()])
        .await
        .unwrap();
    assert!(text.starts_with("Thank you for answering."), "{text}");
    assert!(text.contains("Unsure <10"), "{text}");
    // The complement is hidden too: "Yes 57%" alone does not give the 3.
    assert!(text.contains("No <10"), "{text}");
    assert!(
        !text.contains("Unsure 6%") && !text.contains(" 3"),
        "{text}"
    );
    assert!(text.chars().count() <= 480);
}

const ANALYST: &str = "analyst@demo.convene.example";

#[tokio::test]
async fn coding_free_text_without_javascript() {
    let (app, db, _d) = demo_app().await;
    let organiser = db.user_by_email(ORGANISER).await.unwrap().unwrap();
    let scope = db.scope(Some(&organiser), "serran-valley").await.unwrap();
    let mut why = select("x", "x", &[], false);
    why.name = "why".into();
    why.label = tr("Why?");
    why.kind = QuestionKind::Text;
    let id = db
        .create_poll(
            &scope,
            &NewPoll {
                title: "Reasons".into(),
                description: String::new(),
                level: Level::Public,
                definition: PollDefinition {
                    title: None,
                    form_id: None,
                    version: None,
                    default_language: Some("en".into()),
                    languages: vec!["en".into()],
                    questions: vec![why],
                },
                access: Access::Open,
                keyword: None,
                opens_at: None,
                closes_at: None,
                idle_timeout_secs: 86400,
                results_public: false,
            },
        )
        .await
        .unwrap();
    let poll = db.poll(&scope, id).await.unwrap();
    let texts = [
        "no water in the wells",
        "the checkpoint closes early",
        "water is far",
        "school fees are high",
        "fees for the school",
    ];
    for (i, t) in texts.iter().enumerate() {
        let r = db
            .start_web_respondent(&poll, &format!("coding-cookie-{i:04}-x"), "en", None)
            .await
            .unwrap();
        db.save_answer(&poll, &r, "why", &Answer::Text(t.to_string()), None)
            .await
            .unwrap();
    }
    let base = format!("/s/serran-valley/polls/{id}/coding/why");
    let mut a = Client::logged_in(&app, ANALYST).await;
    // A bad rule is refused with a message; a good code is saved.
    let r = a
        .submit_checked(
            &base,
            &format!("{base}/codes"),
            &[
                ("code", "water"),
                ("description", "Water"),
                ("rules", "/(/"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("A rule could not be read"), "{}", r.body);
    let r = a
        .submit_checked(
            &base,
            &format!("{base}/codes"),
            &[
                ("code", "water"),
                ("description", "Water"),
                ("rules", "water\n/wells?/"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = a
        .submit_checked(
            &base,
            &format!("{base}/codes"),
            &[
                ("code", "movement"),
                ("description", "Movement"),
                ("rules", "checkpoint"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = a.submit_checked(&base, &format!("{base}/run"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = a.get(&format!("{base}?ran=3")).await;
    assert!(page.body.contains("3 answers got a code"), "{}", page.body);
    // The two school answers are uncoded: a theme about fees is suggested.
    assert!(page.body.contains("fees") && page.body.contains("school"));
    // Review the first answer, then a second coder codes it differently.
    let review = a.get(&format!("{base}/review")).await;
    assert!(review.body.contains("no water in the wells"));
    assert!(review.body.contains("value=\"water\" checked"));
    let rid = common::field_of(&review.body, "respondent").unwrap();
    let r = a
        .submit(
            &format!("{base}/review"),
            &format!("{base}/review"),
            &[("respondent", &rid), ("n", "0"), ("code", "water")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut o = Client::logged_in(&app, ORGANISER).await;
    for (i, code) in ["movement", "movement"].iter().enumerate() {
        let p = o.get(&format!("{base}/review?n={i}")).await;
        let rid = common::field_of(&p.body, "respondent").unwrap();
        let r = o
            .submit(
                &format!("{base}/review?n={i}"),
                &format!("{base}/review"),
                &[("respondent", &rid), ("n", &i.to_string()), ("code", code)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let p = a.get(&format!("{base}/review?n=1")).await;
    let rid = common::field_of(&p.body, "respondent").unwrap();
    a.submit(
        &format!("{base}/review?n=1"),
        &format!("{base}/review"),
        &[("respondent", &rid), ("n", "1"), ("code", "movement")],
    )
    .await;
    let page = a.get(&base).await;
    // [water, movement] against [movement, movement]: agreement 50%, kappa 0.
    assert!(page.body.contains("kappa 0 on 2 answers"), "{}", page.body);
    assert!(
        page.body.contains("observed agreement 50%"),
        "{}",
        page.body
    );
    // Members may not code.
    let mut m = Client::logged_in(&app, MEMBER).await;
    assert_eq!(m.get(&base).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn margins_weights_and_the_summary_button() {
    let (app, db, _d) = demo_app().await;
    let (id, _) = poll_with_small_cell(&db, false).await;
    let page = format!("/s/serran-valley/polls/{id}/results");
    let mut o = Client::logged_in(&app, ORGANISER).await;
    // A bad margin line is refused with a message, nothing changes.
    let r = o
        .submit_checked(
            &page,
            &format!("{page}/margins"),
            &[("margins", "gender f 0.5")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Each margin needs"), "{}", r.body);
    let r = o
        .submit_checked(
            &page,
            &format!("{page}/margins"),
            &[("margins", "gender, f, 0.6\ngender, m, 0.4")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let weighted = o.get(&page).await;
    assert!(
        weighted.body.contains("Raking converged."),
        "{}",
        weighted.body
    );
    assert!(weighted.body.contains("Effective sample size"));
    // Weighted: women are 60% of the gender question; counts stay true.
    assert!(
        weighted.body.contains("27<span class=\"sub\">60%"),
        "{}",
        weighted.body
    );
    let plain = o.get(&format!("{page}?weights=off")).await;
    assert!(
        plain.body.contains("27<span class=\"sub\">51%"),
        "{}",
        plain.body
    );
    // The SMS summary button: nobody asked for the summary, nothing is queued.
    let r = o
        .submit_checked(
            &page,
            &format!("{page}/send-summary"),
            &[("question", "safe")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let done = o.get(&format!("{page}?sent=0")).await;
    assert!(
        done.body.contains("Summary queued for 0 respondents"),
        "{}",
        done.body
    );
    // Analysts may read but not send.
    let mut a = Client::logged_in(&app, ANALYST).await;
    let r = a
        .submit_checked(
            &page,
            &format!("{page}/send-summary"),
            &[("question", "safe")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn results_not_made_public_leave_by_no_exit() {
    // The summary, the CSV and the API once served released results of a poll
    // whose results were not public to anyone who could see the poll.
    let (app, db, _d) = demo_app().await;
    let (id, slug) = poll_with_small_cell(&db, false).await;
    let exits = [
        format!("/s/serran-valley/polls/{id}/summary"),
        format!("/s/serran-valley/polls/{id}/results.csv"),
        format!("/api/v1/s/serran-valley/polls/{id}/results"),
        format!("/p/{slug}/results"),
    ];
    let mut anon = Client::new(&app);
    let mut member = Client::logged_in(&app, MEMBER).await;
    for url in &exits {
        assert_eq!(
            anon.get(url).await.status,
            StatusCode::NOT_FOUND,
            "anonymous {url}"
        );
        assert_eq!(
            member.get(url).await.status,
            StatusCode::NOT_FOUND,
            "member {url}"
        );
    }
    let mut analyst = Client::logged_in(&app, "analyst@demo.convene.example").await;
    let mut organiser = Client::logged_in(&app, ORGANISER).await;
    for url in &exits[..3] {
        assert_eq!(
            analyst.get(url).await.status,
            StatusCode::OK,
            "analyst {url}"
        );
        assert_eq!(
            organiser.get(url).await.status,
            StatusCode::OK,
            "organiser {url}"
        );
    }
}
