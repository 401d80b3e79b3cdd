//! Agenda rounds over HTTP: the demo round ranks a concern shared across the divide
//! above a one-sided one; the public proposes (moderated) and supports without an
//! account; an organiser merges, closes and gets the brief as a page, Markdown and
//! JSON; a members' round stays hidden from the public; Urdu is right-to-left.

use crate::common;

use axum::http::StatusCode;
use common::{demo_app, Client};

const SPACE: &str = "/s/serran-valley";

/// The href of the demo round, from the list.
async fn demo_round(c: &mut Client) -> String {
    let list = c.get(&format!("{SPACE}/agenda")).await;
    assert_eq!(list.status, StatusCode::OK);
    list.body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| {
            h.starts_with("/s/serran-valley/agenda/") && h[24..].chars().all(|c| c.is_ascii_digit())
        })
        .expect("the demo round is listed")
        .to_string()
}

/// The id of the item titled `title` on a round's page.
fn item_id(html: &str, title: &str) -> String {
    html.split("<li id=\"item-")
        .skip(1)
        .find(|li| li.contains(title))
        .and_then(|li| li.split('"').next())
        .unwrap_or_else(|| panic!("{title} not listed"))
        .to_string()
}

#[tokio::test]
async fn the_public_proposes_and_supports_and_the_round_closes_into_a_brief() {
    let (app, _db, _d) = demo_app().await;
    let mut anon = Client::new(&app);
    let round = demo_round(&mut anon).await;
    let page = anon.get(&round).await;
    assert_eq!(page.status, StatusCode::OK);
    // Shared across the divide ranks above one group of one side.
    let water = page
        .body
        .find("A joint commission for the Serran river")
        .unwrap();
    let harvest = page.body.find("Compensation for lost harvests").unwrap();
    assert!(water < harvest);
    // A members-only group's objection is not named to the public, nor counted
    // below the suppression threshold.
    assert!(!page.body.contains("Council of Valley Imams"));
    assert!(!page.body.contains("not named"));
    assert!(!page
        .body
        .contains("Not before the displaced families can return."));
    // Proposals by the public wait for moderation, and say so.
    assert!(!page.body.contains("Open the market road on Fridays"));
    let r = anon
        .submit(
            &round,
            &format!("{round}/propose"),
            &[("title", "Lights on the bridge at night")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let to = r.headers["location"].to_str().unwrap().to_string();
    assert!(to.contains("proposed=1"));
    assert!(anon
        .get(&to)
        .await
        .body
        .contains("waits for the organisers"));
    // Supporting without an account, known by a cookie.
    let harvest_id = item_id(&page.body, "Compensation for lost harvests");
    let r = anon
        .submit(
            &round,
            &format!("{round}/items/{harvest_id}/view"),
            &[("stance", "support")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(anon.cookies.iter().any(|(k, _)| k == "convene_participant"));
    let page = anon.get(&round).await;
    assert!(page.body.contains("You support this item."));
    // An empty proposal names its problem.
    let r = anon
        .submit(&round, &format!("{round}/propose"), &[("title", "  ")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("role=\"alert\""));

    // The organiser approves the public's item, merges a duplicate and closes.
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    let page = org.get(&round).await;
    assert!(page.body.contains("Lights on the bridge at night"));
    let pending = page
        .body
        .split("<li>")
        .find(|li| li.contains("Lights on the bridge at night"))
        .and_then(|li| li.split("/items/").nth(1))
        .and_then(|s| s.split('/').next())
        .unwrap()
        .to_string();
    let r = org
        .submit(
            &round,
            &format!("{round}/items/{pending}/moderate"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = org.get(&round).await;
    let schools = item_id(&page.body, "Reopen the schools in the buffer zone");
    let water = item_id(&page.body, "A joint commission for the Serran river");
    let r = org
        .submit(
            &round,
            &format!("{round}/merge"),
            &[("from", &schools), ("into", &water)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = org
        .submit(
            &round,
            &format!("{round}/close"),
            &[("summary", "Water and the crossing first.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers["location"].to_str().unwrap(),
        format!("{round}/brief")
    );

    // The brief: a page, Markdown and JSON, for anyone who may see the round.
    let brief = anon.get(&format!("{round}/brief")).await;
    assert_eq!(brief.status, StatusCode::OK);
    assert!(brief.body.contains("Water and the crossing first."));
    assert!(brief.body.contains("Lights on the bridge at night"));
    assert!(
        brief.body.contains("Reopen the schools in the buffer zone"),
        "merged title listed"
    );
    let md = anon.get(&format!("{round}/brief.md")).await;
    assert!(md.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    assert!(md.body.starts_with("# Agenda for the March talks\n"));
    assert!(!md.body.contains("Council of Valley Imams"), "{}", md.body);
    let md = org.get(&format!("{round}/brief.md")).await;
    assert!(
        md.body.contains("Council of Valley Imams \\(Veluna\\): “Not before the displaced families can return\\.”"),
        "{}",
        md.body
    );
    let json: serde_json::Value =
        serde_json::from_str(&anon.get(&format!("{round}/brief.json")).await.body).unwrap();
    assert_eq!(json["is_open"], false);
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 8, "8 seeded + 1 approved − 1 merged");
    assert_eq!(items[0]["rank"], 1);
    assert!(items.iter().any(|i| i["source"]["kind"] == "concern"));
    // Closed: no more views.
    let r = anon
        .post(
            &format!("{round}/items/{harvest_id}/view"),
            &[("stance", "object")],
        )
        .await;
    assert!(r.status.is_client_error());
    // Urdu: right to left, the titles isolated.
    anon.get(&format!("/lang/ur?next={round}/brief")).await;
    let ur = anon.get(&format!("{round}/brief")).await;
    assert!(ur.body.contains("dir=\"rtl\""));
    assert!(ur.body.contains("<bdi>Agenda for the March talks</bdi>"));
}

#[tokio::test]
async fn a_members_round_is_hidden_from_the_public() {
    let (app, _db, _d) = demo_app().await;
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    let r = org
        .submit(
            &format!("{SPACE}/agenda"),
            &format!("{SPACE}/agenda"),
            &[("title", "Members' agenda"), ("level", "members")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let href = r.headers["location"].to_str().unwrap().to_string();
    // The public: not listed, not found, no brief; no SMS keyword for it.
    let mut anon = Client::new(&app);
    assert!(!anon
        .get(&format!("{SPACE}/agenda"))
        .await
        .body
        .contains("Members' agenda"));
    assert_eq!(anon.get(&href).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        anon.get(&format!("{href}/brief.json")).await.status,
        StatusCode::NOT_FOUND
    );
    let r = org
        .submit(&href, &format!("{href}/keyword"), &[("keyword", "MEMBERS")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // A member takes part for their organisation.
    let mut member = Client::logged_in(&app, "member@demo.convene.example").await;
    let page = member.get(&href).await;
    assert!(
        page.body.contains("Serran Women&#39;s Network"),
        "{}",
        page.body
    );
    let org_id = page
        .body
        .split("<select id=\"org\" name=\"org\">")
        .nth(1)
        .and_then(|s| s.split("<option value=\"").nth(2))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let r = member
        .submit(
            &href,
            &format!("{href}/propose"),
            &[("title", "Safe passage for delegates"), ("org", &org_id)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = member.get(&href).await;
    assert!(page.body.contains("Safe passage for delegates"));
    // An opinion statement as the item's source: chosen from the form, shown as
    // where the item came from.
    let statement = page
        .body
        .split("<option value=\"statement:")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("statements are offered as sources")
        .to_string();
    let source = format!("statement:{statement}");
    let r = member
        .submit(
            &href,
            &format!("{href}/propose"),
            &[
                ("title", "What the dialogue agreed on"),
                ("source", &source),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = member.get(&href).await;
    assert!(
        page.body.contains("Comes from: <bdi>Opinion statement: "),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("Proposed by: <bdi>Serran Women&#39;s Network</bdi>"));
}
