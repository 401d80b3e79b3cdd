//! Opinion mapping over HTTP (in process, on the SQLite demo): voting without
//! JavaScript, moderation, results with suppression of small groups, exports
//! (audited, round-tripping through the Polis reader) and import.

use crate::common;

use axum::http::{header, StatusCode};
use common::{csrf_of, demo_app, field_of, Client};
use convene_domain::Db;

const ORGANISER: &str = "organiser@demo.convene.example";
const OWNER: &str = "owner@demo.convene.example";
const ANALYST: &str = "analyst@demo.convene.example";
const MEMBER: &str = "member@demo.convene.example";

async fn conversations(db: &Db) -> Vec<convene_domain::opinion::Conversation> {
    let s = db.scope(None, "serran-valley").await.unwrap();
    db.conversations(&s).await.unwrap()
}

#[tokio::test]
async fn anonymous_visitor_votes_without_javascript_until_done() {
    let (app, db, _d) = demo_app().await;
    let convs = conversations(&db).await;
    let young = convs.iter().find(|c| c.topic.contains("cricket")).unwrap();
    let mut c = Client::new(&app);
    let list = c.get("/s/serran-valley/opinion").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Serran Valley talks"));
    let page = format!("/s/serran-valley/opinion/{}", young.id);
    let mut seen = Vec::new();
    for _ in 0..3 {
        let p = c.get(&page).await;
        let sid = field_of(&p.body, "statement").expect("a statement to vote on");
        assert!(!seen.contains(&sid), "each statement is offered once");
        seen.push(sid.clone());
        let r = c
            .post(
                &format!("{page}/vote"),
                &[
                    ("statement", &sid),
                    ("vote", "agree"),
                    ("_csrf", &csrf_of(&p.body)),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(c.cookies.iter().any(|(k, _)| k == "convene_participant"));
    }
    let done = c.get(&page).await;
    assert!(
        done.body.contains("You have voted on everything"),
        "{}",
        done.body
    );
    assert!(field_of(&done.body, "statement").is_none());
    // A second visitor starts afresh, and the cookie is not stored in clear.
    let mut other = Client::new(&app);
    assert!(field_of(&other.get(&page).await.body, "statement").is_some());
    let (votes, voters) = db.vote_counts(young).await.unwrap();
    assert_eq!((votes, voters), (3, 1));
    // Bad votes: unknown value, statement of another conversation.
    let p = other.get(&page).await;
    let r = other
        .post(
            &format!("{page}/vote"),
            &[
                ("statement", "1"),
                ("vote", "maybe"),
                ("_csrf", &csrf_of(&p.body)),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Too few votes for groups.
    let res = c.get(&format!("{page}/results")).await;
    assert!(res.body.contains("Not enough votes yet"), "{}", res.body);
    assert!(!res.body.contains("<svg"));
}

#[tokio::test]
async fn statements_are_moderated_and_rejections_reach_the_author() {
    let (app, db, _d) = demo_app().await;
    let main = conversations(&db)
        .await
        .into_iter()
        .find(|c| c.topic.contains("talks"))
        .unwrap();
    let page = format!("/s/serran-valley/opinion/{}", main.id);
    let mut member = Client::new(&app);
    member.login(MEMBER).await;
    let too_long = "x".repeat(281);
    let r = member
        .submit(&page, &format!("{page}/statements"), &[("body", &too_long)])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("at most 280 characters"));
    let r = member
        .submit(
            &page,
            &format!("{page}/statements"),
            &[("body", "A statement about kites")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let p = member.get(&page).await;
    assert!(p.body.contains("A statement about kites") && p.body.contains("Awaiting moderation"));

    // Members cannot moderate; organisers can.
    assert_eq!(
        member.get(&format!("{page}/moderate")).await.status,
        StatusCode::FORBIDDEN
    );
    let mut org = Client::new(&app);
    org.login(ORGANISER).await;
    let q = org.get(&format!("{page}/moderate")).await;
    assert!(q.body.contains("A statement about kites"));
    let scope = db.scope(None, "serran-valley").await.unwrap();
    let _ = scope;
    let sid = {
        let i = q.body.find("A statement about kites").unwrap();
        field_of(&q.body[i..], "statement").unwrap()
    };
    // A rejection needs a reason.
    let r = org
        .submit(
            &format!("{page}/moderate"),
            &format!("{page}/moderate"),
            &[("statement", &sid), ("decision", "reject"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = org
        .submit(
            &format!("{page}/moderate"),
            &format!("{page}/moderate"),
            &[
                ("statement", &sid),
                ("decision", "reject"),
                ("reason", "Not about the valley"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let p = member.get(&page).await;
    assert!(p.body.contains("Not accepted") && p.body.contains("Not about the valley"));
    let log = db.audit_for_space(main.space_id, 5).await.unwrap();
    assert_eq!(log[0].action, "statement.reject");
    // An outsider of a closed space learns nothing.
    let mut anon = Client::new(&app);
    assert_eq!(
        anon.get("/s/civil-society-coalition/opinion").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn results_show_groups_and_hide_small_ones_below_organisers() {
    let (app, db, _d) = demo_app().await;
    let main = conversations(&db)
        .await
        .into_iter()
        .find(|c| c.topic.contains("talks"))
        .unwrap();
    let res = format!("/s/serran-valley/opinion/{}/results", main.id);
    let mut anon = Client::new(&app);
    let r = anon.get(&res).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<svg"), "the map is inline SVG");
    assert!(r.body.contains("Group A") && r.body.contains("Group B"));
    assert!(r.body.contains("Common ground"));
    assert!(!r.body.contains("too small to be shown"));
    let report = anon
        .get(&format!("/s/serran-valley/opinion/{}/report", main.id))
        .await;
    assert!(report.body.contains("Printable report") && report.body.contains("<svg"));

    // Raise the threshold above every group's size: the public sees no group.
    let owner = db.user_by_email(OWNER).await.unwrap().unwrap();
    let so = db.scope(Some(&owner), "serran-valley").await.unwrap();
    db.update_space_settings(&so, true, false, false, 1000)
        .await
        .unwrap();
    let r = anon.get(&res).await;
    assert!(r.body.contains("too small to be shown"), "{}", r.body);
    assert!(!r.body.contains("Group A"));
    assert!(
        !r.body.contains("<circle"),
        "no participant of a hidden group on the map"
    );
    let mut analyst = Client::new(&app);
    analyst.login(ANALYST).await;
    assert!(
        !analyst.get(&res).await.body.contains("Group A"),
        "analysts are below organisers"
    );
    let mut org = Client::new(&app);
    org.login(ORGANISER).await;
    let r = org.get(&res).await;
    assert!(r.body.contains("Group A") && r.body.contains("<circle"));
    // Exports blank the hidden groups for analysts too.
    let pv = analyst
        .get(&format!(
            "/s/serran-valley/opinion/{}/export/participants-votes.csv",
            main.id
        ))
        .await;
    let groups: Vec<&str> = pv
        .body
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert!(groups.iter().all(|g| g.is_empty()));
}

#[tokio::test]
async fn exports_are_audited_and_round_trip_through_the_polis_reader() {
    let (app, db, _d) = demo_app().await;
    let main = conversations(&db)
        .await
        .into_iter()
        .find(|c| c.topic.contains("talks"))
        .unwrap();
    let base = format!("/s/serran-valley/opinion/{}/export", main.id);
    let mut anon = Client::new(&app);
    assert_eq!(
        anon.get(&format!("{base}/votes.csv")).await.status,
        StatusCode::NOT_FOUND
    );
    let mut member = Client::new(&app);
    member.login(MEMBER).await;
    assert_eq!(
        member.get(&format!("{base}/votes.csv")).await.status,
        StatusCode::FORBIDDEN
    );
    let mut analyst = Client::new(&app);
    analyst.login(ANALYST).await;
    let dir = tempfile::tempdir().unwrap();
    for f in ["comments.csv", "votes.csv", "participants-votes.csv"] {
        let r = analyst.get(&format!("{base}/{f}")).await;
        assert_eq!(r.status, StatusCode::OK, "{f}");
        assert!(r.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("attachment"));
        std::fs::write(dir.path().join(f), &r.body).unwrap();
    }
    let log = db.audit_for_space(main.space_id, 3).await.unwrap();
    assert!(log.iter().all(|e| e.action == "export"));
    assert_eq!(log[0].detail, "format=participants-votes.csv");
    let json = analyst.get(&format!("{base}/conversation.json")).await;
    let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert!(v["votes"].as_array().unwrap().len() > 3000);
    let csv = analyst.get(&format!("{base}/results.csv")).await;
    assert!(csv.body.starts_with("statement-id,statement,agree"));
    let hxl = csv.body.lines().nth(1).unwrap();
    assert!(
        hxl.starts_with("#meta+id,#description,#indicator+agree+num"),
        "{hxl}"
    );
    assert_eq!(
        hxl.split(',').count(),
        csv.body.lines().next().unwrap().split(',').count(),
        "one hashtag per column"
    );

    // The Polis reader (as `convene opinion analyze` runs it) finds the same groups.
    assert_eq!(
        convene_web::features::opinion::results::SEED,
        42,
        "the command's default seed"
    );
    let ours =
        convene_web::features::opinion::exchange::analyse(&db.vote_data(&main).await.unwrap())
            .unwrap();
    assert!(ours.grouped && ours.groups.len() >= 2);
    let theirs = convene_analysis::opinion::analyze_polis_folder(
        dir.path(),
        convene_web::features::opinion::results::SEED,
    )
    .unwrap();
    assert_eq!(
        theirs["groups"].as_u64().unwrap() as usize,
        ours.groups.len()
    );
    let parts = theirs["participants"].as_object().unwrap();
    for (p, g) in &ours.membership {
        let t = &parts[&p.to_string()];
        assert_eq!(t.as_u64().map(|x| x as usize), *g, "participant {p}");
    }
    // Consensus and divisive statements agree too.
    let ids = |v: &serde_json::Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().parse().unwrap())
            .collect()
    };
    let mut cons = ours.consensus_agree.clone();
    cons.extend(&ours.consensus_disagree);
    assert_eq!(ids(&theirs["consensus"]), cons);
    assert_eq!(ids(&theirs["divisive"]), ours.divisive);
}

#[tokio::test]
async fn import_names_file_and_line_and_imports_nothing_when_malformed() {
    let (app, db, _d) = demo_app().await;
    let before = conversations(&db).await.len();
    let mut org = Client::new(&app);
    org.login(ORGANISER).await;
    let form = "/s/serran-valley/opinion/import";
    let comments = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1000,x,0,1,1,0,1,Open the crossing\n2000,x,1,2,0,1,1,Share the water\n";
    let bad_votes = "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,1\n2,x,1,1,7\n";
    let r = org
        .multipart(
            form,
            form,
            &[("topic", "From Polis"), ("level", "public")],
            &[
                ("comments", "comments.csv", comments),
                ("votes", "votes.csv", bad_votes),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("votes.csv, line 3"), "{}", r.body);
    assert_eq!(conversations(&db).await.len(), before, "nothing imported");
    // Members may not import.
    let mut member = Client::new(&app);
    member.login(MEMBER).await;
    assert_eq!(member.get(form).await.status, StatusCode::FORBIDDEN);
    // A good export comes in whole.
    let votes = "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,1\n2,x,1,1,-1\n3,x,0,2,0\n";
    let r = org
        .multipart(
            form,
            form,
            &[("topic", "From Polis"), ("level", "public")],
            &[
                ("comments", "comments.csv", comments),
                ("votes", "votes.csv", votes),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let convs = conversations(&db).await;
    assert_eq!(convs.len(), before + 1);
    let c = convs.iter().find(|c| c.topic == "From Polis").unwrap();
    assert_eq!(db.vote_counts(c).await.unwrap(), (3, 2));
}
