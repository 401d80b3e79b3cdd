//! The campaign over HTTP: the public timeline and updates, the embargo on every exit
//! (list, page, feed), the organisers' form (Markdown subset, embargo time in the
//! space's zone, bad input named), Open Graph tags and plain share links, the Atom
//! feed read back, and Urdu.

use crate::common;

use axum::http::StatusCode;
use common::{demo_app, Client};

const CAMPAIGN: &str = "/s/serran-valley/campaign";

fn update_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| {
            h.starts_with(&format!("{CAMPAIGN}/updates/"))
                && h[CAMPAIGN.len() + 9..].chars().all(|c| c.is_ascii_digit())
        })
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn the_public_reads_updates_and_never_an_embargoed_one() {
    let (_, db, _d) = demo_app().await;
    let app = convene_web::app(
        db.clone(),
        convene_web::WebConfig {
            public_url: Some("https://peace.example.org".into()),
            ..Default::default()
        },
    );
    // Reachable from the space's page.
    let mut anon = Client::new(&app);
    assert!(anon.get("/s/serran-valley").await.body.contains(CAMPAIGN));
    let page = anon.get(CAMPAIGN).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("The crossing is open again"));
    assert!(page.body.contains("Serran Valley Accord signed"));
    assert!(!page.body.contains("Delegations named"), "embargoed");
    assert!(page.body.len() < 60_000);

    // The organiser sees the embargoed update, marked; the public and members get 404.
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    let mine = org.get(CAMPAIGN).await;
    assert!(mine.body.contains("Delegations named") && mine.body.contains("not yet published"));
    let public_links = update_links(&page.body);
    let hidden: Vec<String> = update_links(&mine.body)
        .into_iter()
        .filter(|l| !public_links.contains(l))
        .collect();
    assert_eq!(hidden.len(), 1);
    assert_eq!(anon.get(&hidden[0]).await.status, StatusCode::NOT_FOUND);
    let mut member = Client::logged_in(&app, "member@demo.convene.example").await;
    assert_eq!(member.get(&hidden[0]).await.status, StatusCode::NOT_FOUND);
    assert!(org.get(&hidden[0]).await.body.contains("Not yet published"));

    // The Atom feed: the public updates, in full, and never the embargoed one.
    let feed = anon.get(&format!("{CAMPAIGN}/feed.atom")).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    let parsed: atom_syndication::Feed = feed.body.parse().expect("a valid Atom feed");
    let titles: Vec<&str> = parsed
        .entries
        .iter()
        .map(|e| e.title.value.as_str())
        .collect();
    assert!(titles.contains(&"The crossing is open again"), "{titles:?}");
    assert!(titles.contains(&"سرن پل دوبارہ کھل گیا"), "{titles:?}");
    assert!(
        !titles.iter().any(|t| t.contains("Delegations")),
        "{titles:?}"
    );
    assert_eq!(titles.len(), public_links.len());
    let first = &parsed.entries[0];
    assert!(first.links[0]
        .href
        .starts_with("https://peace.example.org/s/serran-valley/campaign/updates/"));
    // A member asking for the feed gets the public's feed.
    assert!(!member
        .get(&format!("{CAMPAIGN}/feed.atom"))
        .await
        .body
        .contains("Delegations"));

    // One public update: Open Graph tags with its absolute address, plain share links
    // (no script from elsewhere), the Markdown rendered.
    let crossing = public_links
        .iter()
        .find(|l| {
            page.body
                .split(l.as_str())
                .nth(1)
                .is_some_and(|r| r.starts_with("\"><bdi>The crossing"))
        })
        .expect("the crossing update")
        .clone();
    let u = anon.get(&crossing).await;
    assert_eq!(u.status, StatusCode::OK);
    assert!(u
        .body
        .contains("<meta property=\"og:title\" content=\"The crossing is open again\">"));
    assert!(u.body.contains(&format!(
        "<meta property=\"og:url\" content=\"https://peace.example.org{crossing}\">"
    )));
    assert!(u.body.contains("<strong>Serran bridge</strong>"));
    assert!(u.body.contains("https://wa.me/?text="));
    assert!(u
        .body
        .contains("https://t.me/share/url?url=https%3A%2F%2Fpeace.example.org"));
    assert!(!u.body.contains("<script src=\"http"));
}

#[tokio::test]
async fn organisers_write_updates_with_an_embargo_and_bad_input_is_named() {
    let (app, _db, _d) = demo_app().await;
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    let form = format!("{CAMPAIGN}/updates/new");
    // Members find no form.
    let mut member = Client::logged_in(&app, "member@demo.convene.example").await;
    assert_eq!(member.get(&form).await.status, StatusCode::NOT_FOUND);
    assert!(!member.get(CAMPAIGN).await.body.contains(&form));

    // Bad input: each field named, nothing written.
    let r = org
        .submit_checked(
            &form,
            &form,
            &[
                ("title", ""),
                ("body", "x"),
                ("lang", "en"),
                ("level", "public"),
                ("publish_at", "next week"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Enter a date and time"), "{}", r.body);

    // Under embargo until 2099, in the space's time zone.
    let r = org
        .submit_checked(
            &form,
            &form,
            &[
                ("title", "Talks venue chosen"),
                (
                    "body",
                    "The venue is **agreed**. <script>alert(1)</script> [see](javascript:alert(1))",
                ),
                ("lang", "en"),
                ("level", "public"),
                ("milestone", "0"),
                ("publish_at", "2099-01-01T10:00"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let path = r.headers["location"].to_str().unwrap().to_string();
    let shown = org.get(&path).await;
    assert!(shown.body.contains("<strong>agreed</strong>"));
    assert!(shown.body.contains("&lt;script&gt;") && !shown.body.contains("<script>alert"));
    assert!(!shown.body.contains("javascript:"));
    assert!(shown.body.contains("2099-01-01 10:00"));
    let mut anon = Client::new(&app);
    assert_eq!(anon.get(&path).await.status, StatusCode::NOT_FOUND);
    assert!(!anon.get(CAMPAIGN).await.body.contains("Talks venue chosen"));

    // Published now, and read in Urdu: the English text isolated, the page RTL.
    let r = org
        .submit_checked(
            &form,
            &form,
            &[
                ("title", "Venue: Lake House"),
                ("body", "Open to observers."),
                ("lang", "en"),
                ("level", "public"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    anon.get("/lang/ur").await;
    let list = anon.get(CAMPAIGN).await;
    assert!(list.body.contains("dir=\"rtl\""));
    assert!(
        list.body.contains("<bdi>Venue: Lake House</bdi>"),
        "{}",
        list.body
    );
    assert!(list.body.contains("پیش رفت کی تازہ خبریں"));
    // Without a public address, no share links (they need an absolute address).
    let u = anon.get(r.headers["location"].to_str().unwrap()).await;
    assert!(u.body.contains("lang=\"en\""));
    assert!(!u.body.contains("wa.me"));
}
