//! Organisations and common concerns over HTTP: an organisation endorses a concern
//! and the common-concerns page changes; a members-only organisation is not named to
//! the public; only members acting for an organisation may endorse for it.

use crate::common;

use axum::http::StatusCode;
use common::{demo_app, Client};

const SPACE: &str = "/s/serran-valley";

/// The position of `title` on the common-concerns page, if listed.
fn position(html: &str, title: &str) -> Option<usize> {
    html.split("<li>").skip(1).position(|li| li.contains(title))
}

#[tokio::test]
async fn an_endorsement_changes_the_common_concerns() {
    let (app, _db, _d) = demo_app().await;
    let mut anon = Client::new(&app);
    let common = format!("{SPACE}/concerns/common");
    let before = anon.get(&common).await;
    assert_eq!(before.status, StatusCode::OK);
    // Shared across the divide first; the one-sided concern after, or not at all.
    assert!(position(&before.body, "Reopening the Serran border crossing").is_some());
    assert!(position(&before.body, "Water sharing").is_some());
    assert!(
        position(&before.body, "Return of displaced families").is_none(),
        "one side, one sector: not common"
    );

    // The member acts for the Serran Women's Network and endorses the displaced
    // families' concern; the focal point, for the Kestrian Women's Forum, too.
    let mut member = Client::logged_in(&app, "member@demo.convene.example").await;
    let list = member.get(&format!("{SPACE}/concerns?q=displaced")).await;
    let href = list
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| {
            h.starts_with("/s/serran-valley/concerns/")
                && h[26..].chars().all(|c| c.is_ascii_digit())
        })
        .unwrap()
        .to_string();
    let page = member.get(&href).await;
    assert!(page.body.contains("We share this"), "{}", page.body);
    let org = page
        .body
        .split("<option value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let r = member
        .submit(
            &href,
            &format!("{href}/endorse"),
            &[("org", &org), ("note", "Our members returned last spring")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut focal = Client::logged_in(&app, "focal@demo.convene.example").await;
    let page = focal.get(&href).await;
    let forum = page
        .body
        .split("<option value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let r = focal
        .submit(&href, &format!("{href}/endorse"), &[("org", &forum)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // An organisation one does not act for: refused.
    let r = member
        .submit(&href, &format!("{href}/endorse"), &[("org", &forum)])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let after = anon.get(&common).await;
    assert!(
        position(&after.body, "Return of displaced families").is_some(),
        "now shared across the divide: {}",
        after.body
    );
    let shown = anon.get(&href).await;
    assert!(shown.body.contains("Our members returned last spring"));
    assert!(shown.body.contains("Kestrian Women"), "{}", shown.body);
    // The members-only organisation is not named to the public (one is below the
    // threshold: not even counted).
    assert!(!shown.body.contains("Council of Valley Imams"));
    let as_member = member.get(&href).await;
    assert!(as_member.body.contains("Council of Valley Imams"));
    // Urdu, right to left.
    anon.get("/lang/ur").await;
    let ur = anon.get(&common).await;
    assert!(ur.body.contains("dir=\"rtl\"") && ur.body.contains("مشترکہ خدشات"));
}

#[tokio::test]
async fn organisers_add_organisations_and_members() {
    let (app, _db, _d) = demo_app().await;
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    let list = format!("{SPACE}/organisations");
    let r = org
        .submit(
            &list,
            &list,
            &[("name", ""), ("side", ""), ("level", "public")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("aria-invalid=\"true\""));
    let r = org
        .submit(
            &list,
            &list,
            &[
                ("name", "Valley Teachers' Union"),
                ("side", "Kestria"),
                ("sector", "Education"),
                ("track", "5"),
                ("contact", "+92 300 1234567"),
                ("level", "public"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = r.headers["location"].to_str().unwrap().to_string();
    let shown = org.get(&page).await;
    assert!(
        shown.body.contains("+92 300 1234567"),
        "contact shown to organisers"
    );
    let r = org
        .submit(
            &page,
            &format!("{page}/members"),
            &[("email", "nobody@example.org")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = org
        .submit(
            &page,
            &format!("{page}/members"),
            &[("email", "analyst@demo.convene.example")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut anon = Client::new(&app);
    let public = anon.get(&page).await;
    assert!(public.body.contains("Valley Teachers"));
    assert!(
        !public.body.contains("+92 300 1234567"),
        "contact hidden from the public"
    );
    let mut member = Client::logged_in(&app, "member@demo.convene.example").await;
    let r = member
        .submit(
            &list,
            &list,
            &[("name", "X"), ("side", "Y"), ("level", "public")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// The link of the first concern whose title contains `title`, from the list.
async fn concern_href(c: &mut Client, q: &str) -> String {
    let list = c.get(&format!("{SPACE}/concerns?q={q}")).await;
    list.body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| {
            h.starts_with("/s/serran-valley/concerns/")
                && h[26..].chars().all(|c| c.is_ascii_digit())
        })
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn duplicates_merge_with_their_endorsements_and_statements_become_concerns() {
    let (app, _db, _d) = demo_app().await;
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    // Merge "Return of displaced families" into "Water sharing": the Velunan youth
    // group's endorsement is carried over.
    let from = concern_href(&mut org, "displaced").await;
    let into = concern_href(&mut org, "water").await;
    let into_id = into.rsplit('/').next().unwrap().to_string();
    // (Read by the public: the organiser's page also lists the groups it acts for.)
    let mut anon = Client::new(&app);
    assert!(!anon
        .get(&into)
        .await
        .body
        .contains("Veluna Youth for Peace"));
    let r = org
        .submit(&from, &format!("{from}/merge"), &[("into", &into_id)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(anon
        .get(&into)
        .await
        .body
        .contains("Veluna Youth for Peace"));
    let merged = anon.get(&from).await;
    assert!(merged.body.contains("This concern was merged into"));
    assert!(
        !merged.body.contains("Veluna Youth for Peace"),
        "moved, not copied"
    );
    // Members may not merge.
    let mut member = Client::logged_in(&app, "member@demo.convene.example").await;
    let r = member
        .submit(&into, &format!("{into}/merge"), &[("into", "1")])
        .await;
    assert!(
        r.status == StatusCode::FORBIDDEN
            || r.status == StatusCode::NOT_FOUND
            || r.status == StatusCode::BAD_REQUEST
    );

    // Promote a statement of a conversation to a concern, keeping the link.
    let convs = org.get(&format!("{SPACE}/opinion")).await;
    let conv = convs
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| {
            h.starts_with("/s/serran-valley/opinion/")
                && h[25..].chars().all(|c| c.is_ascii_digit())
        })
        .unwrap()
        .to_string();
    let moderate = format!("{conv}/moderate");
    let page = org.get(&moderate).await;
    let statement = page
        .body
        .split("/promote\" class=\"inline\">")
        .nth(1)
        .unwrap()
        .split("name=\"statement\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let r = org
        .submit(
            &moderate,
            &format!("{conv}/promote"),
            &[("statement", &statement)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let concern = org.get(r.headers["location"].to_str().unwrap()).await;
    assert!(concern
        .body
        .contains("Promoted from a statement of the conversation"));
    assert!(concern.body.contains(&format!("href=\"{conv}\"")));
}

#[tokio::test]
async fn coalitions_name_listed_members_and_keep_their_history() {
    let (app, _db, _d) = demo_app().await;
    let mut anon = Client::new(&app);
    let list = anon.get(&format!("{SPACE}/coalitions")).await;
    assert!(anon
        .get(SPACE)
        .await
        .body
        .contains(&format!("{SPACE}/coalitions")));
    // Listed by name: the Open Crossing Coalition comes first.
    let url = list
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/s/serran-valley/coalitions/"))
        .unwrap()
        .to_string();
    let page = anon.get(&url).await;
    assert!(
        page.body
            .contains("<h1><bdi>Open Crossing Coalition</bdi></h1>"),
        "{}",
        page.body
    );
    // Listed members are named; the unlisted one is not, nor counted (one is below
    // the threshold); the journalists left and stay in the history.
    assert!(page.body.contains("Upper Serran Traders"));
    assert!(
        !page.body.contains("Highlands Youth Council"),
        "not named publicly"
    );
    assert!(
        !page.body.contains("not named"),
        "one is below the threshold"
    );
    assert!(page.body.contains("Kestrian Journalists") && page.body.contains("2026-11-01"));
    assert!(page.body.contains("Reopening the Serran border crossing"));
    // The organiser sees the unlisted member; a member may not change the coalition.
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    assert!(org.get(&url).await.body.contains("Highlands Youth Council"));
    let mut member = Client::logged_in(&app, "member@demo.convene.example").await;
    let token = common::csrf_of(&member.get(SPACE).await.body);
    let r = member
        .post(
            &format!("{url}/leave"),
            &[("org", "1"), ("on", "2026-12-01"), ("_csrf", &token)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
