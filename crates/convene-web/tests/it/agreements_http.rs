//! The agreement tracker over HTTP: provisions entered pasted or as a CSV (refused
//! whole, problems by line and column), statuses with dated evidence, activities
//! linked by code, the public tracker, and the level of an agreement respected.

use crate::common;

use axum::http::StatusCode;
use common::{demo_app, Client};

const LIST: &str = "/s/serran-valley/agreements";
const ORGANISER: &str = "organiser@demo.convene.example";

#[tokio::test]
async fn provisions_statuses_evidence_and_links() {
    let (app, _db, _d) = demo_app().await;
    let mut anon = Client::new(&app);
    // The demo accord, public.
    let list = anon.get(LIST).await;
    assert!(list.body.contains("Serran Valley Accord"));
    assert!(anon.get("/s/serran-valley").await.body.contains(LIST));
    let href = list
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/s/serran-valley/agreements/"))
        .unwrap()
        .to_string();
    let demo = anon.get(&href).await;
    assert!(
        demo.body.contains("Committee constituted"),
        "evidence shown"
    );
    assert!(demo.body.contains("Implementation: "));
    assert!(demo.body.len() < 60_000, "{}", demo.body.len());

    let mut org = Client::logged_in(&app, ORGANISER).await;
    // Pasted provisions with problems: nothing entered, each named.
    let r = org
        .multipart(
            LIST,
            LIST,
            &[
                ("title", "Market accord"),
                ("signed_on", "2026-11-01"),
                ("level", "public"),
                ("provisions", "1 Open the market.\n1. Again.\n2\n"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("line 2: This number was given to an earlier provision."),
        "{}",
        r.body
    );
    assert!(r.body.contains("line 3: A provision has no text"));
    // A CSV of provisions.
    let r = org
        .multipart(
            LIST,
            LIST,
            &[
                ("title", "Market accord"),
                ("signed_on", "2026-11-01"),
                ("level", "public"),
            ],
            &[(
                "file",
                "p.csv",
                "Number,Text\n1,Open the market on Fridays.\n2,Share the stalls equally.\n",
            )],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.headers["location"].to_str().unwrap().to_string();
    let p = org.get(&page).await;
    assert!(p.body.contains("Open the market on Fridays."));
    let pid = p
        .body
        .split("id=\"p")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    // A status without evidence is refused; with it, shown with its date.
    let status = format!("{page}/provisions/{pid}/status");
    let r = org
        .submit(
            &page,
            &status,
            &[
                ("status", "full"),
                ("as_of", "2026-11-20"),
                ("evidence", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = org
        .submit(
            &page,
            &status,
            &[
                ("status", "intermediate"),
                ("as_of", "2026-11-20"),
                ("evidence", "Market open three Fridays of four"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Link an activity (a public one) by its code.
    let up = anon.get("/s/serran-valley/activities/upcoming").await;
    let act = up
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/s/serran-valley/activities/") && h.ends_with("/join"))
        .unwrap()
        .to_string();
    let act_page = org.get(&act).await;
    let code = act_page
        .body
        .split("Code to join by SMS</dt><dd><span dir=\"ltr\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let link = format!("{page}/provisions/{pid}/link");
    let r = org.submit(&page, &link, &[("code", "ZZZZZ")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("No activity you may see has this code."));
    let r = org.submit(&page, &link, &[("code", &code)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The public tracker shows all of it.
    let public = anon.get(&page).await;
    assert!(public.body.contains("Market open three Fridays of four"));
    assert!(public.body.contains("2026-11-20"));
    assert!(public.body.contains(&act), "the linked activity");
    assert!(
        public.body.contains("Implementation: 33%"),
        "{}",
        public.body
    );
    // The public cannot record progress: a member of the public has no form, and
    // the domain refuses a post with a valid token (taken from another page).
    let token = common::csrf_of(&anon.get("/login").await.body);
    let r = anon
        .post(
            &status,
            &[
                ("status", "full"),
                ("as_of", "2026-11-21"),
                ("evidence", "x"),
                ("_csrf", &token),
            ],
        )
        .await;
    assert!(
        r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND,
        "{}",
        r.status
    );
    assert!(!anon.get(&page).await.body.contains("2026-11-21"));
    // A members-level agreement is hidden from the public.
    let r = org
        .multipart(
            LIST,
            LIST,
            &[
                ("title", "Side letter"),
                ("signed_on", "2026-11-01"),
                ("level", "members"),
                ("provisions", "1 Confidential clause."),
            ],
            &[],
        )
        .await;
    let side = r.headers["location"].to_str().unwrap().to_string();
    assert_eq!(anon.get(&side).await.status, StatusCode::NOT_FOUND);
    assert!(!anon.get(LIST).await.body.contains("Side letter"));
}
