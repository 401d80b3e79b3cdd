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
    // The updates' entries (pledges and calls have theirs too, with their counts).
    let titles: Vec<&str> = parsed
        .entries
        .iter()
        .filter(|e| {
            e.links
                .iter()
                .any(|l| l.href.contains("/campaign/updates/"))
        })
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

/// The pledge links of a page, in order.
fn pledge_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| {
            h.starts_with(&format!("{CAMPAIGN}/pledges/"))
                && h[CAMPAIGN.len() + 9..].chars().all(|c| c.is_ascii_digit())
        })
        .map(str::to_string)
        .collect()
}

/// The cells of the page's counts table, in order.
fn count_cells(html: &str) -> Vec<String> {
    html.split("<td dir=\"ltr\">")
        .skip(1)
        .filter_map(|s| s.split("</td>").next())
        .map(|s| s.replace("&#60;", "<"))
        .collect()
}

#[tokio::test]
async fn pledges_show_counts_only_suppressed_on_every_exit_and_sign_by_confirmed_e_mail() {
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
    let page = anon.get(CAMPAIGN).await;
    let links = pledge_links(&page.body);
    assert_eq!(links.len(), 2, "the demo's two pledges are linked");
    let (walk, school) = (&links[0], &links[1]);

    // The open pledge: every district has ten or more, all shown.
    let w = anon.get(walk).await;
    assert_eq!(w.status, StatusCode::OK);
    assert!(
        w.body.contains("<strong dir=\"ltr\">83</strong>"),
        "{}",
        w.body
    );
    assert_eq!(count_cells(&w.body), ["40", "31", "12"]);
    assert!(w.body.contains("<strong dir=\"ltr\">WALK</strong>"));
    assert!(w.body.len() < 60_000);
    // The tipped one: a district of 7 is hidden, and 21 with it, else 52 - 24 -
    // 21 would give the 7 away.
    let s = anon.get(school).await;
    assert!(s.body.contains("target reached"));
    assert!(s.body.contains("<strong dir=\"ltr\">52</strong>"));
    assert_eq!(count_cells(&s.body), ["24", "<10", "<10"]);
    // The support map shows what the table shows: 24 shaded, the two hidden
    // districts hatched with no number, the walk's districts shaded by theirs.
    let classes = |html: &str| -> Vec<String> {
        html.split("<path class=\"")
            .skip(1)
            .filter_map(|p| p.split('"').next())
            .map(str::to_string)
            .collect()
    };
    let school_map = classes(&s.body);
    assert_eq!(
        school_map.iter().filter(|c| *c == "sh").count(),
        2,
        "{school_map:?}"
    );
    assert_eq!(school_map.iter().filter(|c| *c == "s4").count(), 1);
    assert!(school_map
        .iter()
        .all(|c| ["s0", "s4", "sh"].contains(&c.as_str())));
    let titles: Vec<&str> = s
        .body
        .split("<title>")
        .skip(1)
        .filter_map(|t| t.split("</title>").next())
        .collect();
    assert_eq!(titles.iter().filter(|t| t.ends_with(": hidden")).count(), 2);
    assert!(!titles
        .iter()
        .any(|t| t.ends_with(": 7") || t.ends_with(": 21")));
    let walk_map = classes(&w.body);
    assert!(walk_map.contains(&"s4".to_string()) && !walk_map.contains(&"sh".to_string()));
    let csv = anon.get(&format!("{school}/counts.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut r = csv::Reader::from_reader(csv.body.as_bytes());
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    let counts: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(counts, ["24", "<10", "<10", "52"]);
    let id = school.rsplit('/').next().unwrap();
    let api = anon
        .get(&format!("/api/v1/s/serran-valley/campaign/pledges/{id}"))
        .await;
    assert_eq!(api.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(v["signers"]["value"], 52);
    let hidden: Vec<bool> = v["districts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["signers"]["hidden"].as_bool().unwrap())
        .collect();
    assert_eq!(hidden, [false, true, true]);
    assert!(v["districts"][1]["signers"]["value"].is_null());
    assert!(
        !api.body.contains("\"value\":21") && !api.body.contains("\"value\":7"),
        "{}",
        api.body
    );

    // The SVG counter: an image other sites may show, and only it.
    let svg = anon.get(&format!("{school}/counter.svg")).await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_eq!(svg.headers["content-type"], "image/svg+xml; charset=utf-8");
    assert_eq!(svg.headers["cross-origin-resource-policy"], "cross-origin");
    assert!(svg.body.contains(">52<"));
    assert_eq!(s.headers["cross-origin-resource-policy"], "same-origin");

    // Organisers start a pledge; bad input is named; members find no form.
    let form = format!("{CAMPAIGN}/pledges/new");
    let mut member = Client::logged_in(&app, "member@demo.convene.example").await;
    assert_eq!(member.get(&form).await.status, StatusCode::NOT_FOUND);
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    let bad = org
        .submit_checked(
            &form,
            &form,
            &[
                ("title", "I will plant a tree"),
                ("target", "many"),
                ("deadline", "2020-01-01"),
                ("level", "public"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("The target is a number"), "{}", bad.body);
    assert!(bad.body.contains("The deadline is a day after today"));
    let deadline =
        convene_domain::activities::unix_to_local(convene_domain::util::now() + 20 * 86_400, "UTC")
            [..10]
            .to_string();
    let made = org
        .submit_checked(
            &form,
            &form,
            &[
                ("title", "I will plant a tree by the bridge"),
                ("target", "100"),
                ("deadline", &deadline),
                ("keyword", "TREE"),
                ("level", "public"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let tree = made.headers["location"].to_str().unwrap().to_string();
    let members_only = org
        .submit_checked(
            &form,
            &form,
            &[
                ("title", "Members: host the delegation"),
                ("target", "10"),
                ("deadline", &deadline),
                ("level", "members"),
            ],
        )
        .await;
    let inner = members_only.headers["location"]
        .to_str()
        .unwrap()
        .to_string();
    let inner_id = inner.rsplit('/').next().unwrap();
    for path in [
        inner.clone(),
        format!("{inner}/counter.svg"),
        format!("{inner}/counts.csv"),
        format!("/api/v1/s/serran-valley/campaign/pledges/{inner_id}"),
    ] {
        assert_eq!(
            anon.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(member.get(&inner).await.status, StatusCode::OK);

    // Signing by web: bad input named; then an e-mail with a link; the link's page
    // asks first (a mail scanner confirms nothing), then the signature counts.
    let bad = anon
        .submit_checked(&tree, &format!("{tree}/sign"), &[("email", "nobody")])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("Enter a valid e-mail address"));
    let ok = anon
        .submit_checked(
            &tree,
            &format!("{tree}/sign"),
            &[("email", "reader@example.net"), ("district", "0")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(ok.body.contains("We sent a link"));
    let mail = db.claim_mail().await.unwrap().expect("the confirmation");
    assert_eq!(mail.to, "reader@example.net");
    let link = mail
        .body
        .split_whitespace()
        .find(|w| w.starts_with("https://peace.example.org/"))
        .unwrap()
        .trim_start_matches("https://peace.example.org")
        .to_string();
    assert!(link.starts_with(&format!("{tree}/confirm?t=")), "{link}");
    let ask = anon.get(&link).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.body.contains("Confirm my signature"));
    assert!(anon
        .get(&tree)
        .await
        .body
        .contains("<strong dir=\"ltr\">0</strong>"));
    let token = link.split("?t=").nth(1).unwrap().to_string();
    let done = anon
        .submit_checked(&link, &format!("{tree}/confirm"), &[("t", &token)])
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("your signature counts"));
    let again = anon
        .submit_checked(&link, &format!("{tree}/confirm"), &[("t", &token)])
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("already been used"));

    // One signer: below the threshold, hidden on the page, its Open Graph tags, the
    // CSV, the API and the counter.
    let t = anon.get(&tree).await;
    assert!(
        t.body.contains("<strong dir=\"ltr\">&#60;10</strong>"),
        "{}",
        t.body
    );
    assert!(!t.body.contains("<meter"));
    let og = t
        .body
        .split("og:description\" content=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    assert!(!og.chars().any(|c| c.is_ascii_digit()), "{og}");
    let tree_id = tree.rsplit('/').next().unwrap();
    let csv = anon.get(&format!("{tree}/counts.csv")).await.body;
    assert!(csv.contains("<10") && !csv.contains(",1\n"), "{csv}");
    let api = anon
        .get(&format!(
            "/api/v1/s/serran-valley/campaign/pledges/{tree_id}"
        ))
        .await
        .body;
    let v: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(v["signers"]["hidden"], true);
    assert!(v["signers"]["value"].is_null());
    let svg = anon.get(&format!("{tree}/counter.svg")).await.body;
    assert!(svg.contains("&lt;10") && !svg.contains(">1<"), "{svg}");

    // In Urdu: right to left, the English title isolated.
    anon.get("/lang/ur").await;
    let ur = anon.get(walk).await;
    assert!(ur.body.contains("dir=\"rtl\""));
    assert!(ur
        .body
        .contains("<bdi>I will walk to the Serran bridge market"));
    assert!(ur.body.contains("دستخط کرنے والے"));
}

#[tokio::test]
async fn a_phone_photo_is_served_without_metadata_upright_and_only_when_its_update_is_published() {
    use convene_domain::media::{photo, sample};
    let (_, db, _d) = demo_app().await;
    let app = convene_web::app(
        db.clone(),
        convene_web::WebConfig {
            public_url: Some("https://peace.example.org".into()),
            ..Default::default()
        },
    );
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    let form = format!("{CAMPAIGN}/updates/new");
    let r = org
        .submit_checked(
            &form,
            &form,
            &[
                ("title", "Families meet at the crossing"),
                ("body", "The first market day."),
                ("lang", "en"),
                ("level", "public"),
                ("milestone", "0"),
                ("publish_at", "2099-01-01T10:00"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.headers["location"].to_str().unwrap().to_string();
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    let action = format!("{page}/photos");
    assert!(
        org.get(&page)
            .await
            .body
            .contains(&format!("action=\"{action}?_csrf=")),
        "the form is on the update's page"
    );

    // A landscape photo taken with the phone turned (EXIF orientation 6), with GPS
    // in its EXIF and XMP.
    let shot = sample::jpeg(&sample::landscape(1200, 900, 5));
    let upload = sample::with_phone_metadata(&shot, 6);
    assert!(sample::has_metadata(&upload));

    // Bad input: named, nothing stored.
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM media")
            .fetch_one(db.pool_for_tests())
            .await
            .unwrap()
    };
    let before = count().await;
    let r = org
        .multipart_bytes(
            &page,
            &action,
            &[("alt", "")],
            &[("file", "p.jpg", "image/jpeg", &upload)],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("This field is required."), "{}", r.body);
    let r = org
        .multipart_bytes(
            &page,
            &action,
            &[("alt", "A road")],
            &[(
                "file",
                "notes.pdf",
                "application/pdf",
                b"%PDF-1.7 not a photo",
            )],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("is not a photo Convene reads"),
        "{}",
        r.body
    );
    let r = org
        .multipart_bytes(
            &page,
            &action,
            &[("alt", "A road")],
            &[("file", "cut.jpg", "image/jpeg", &upload[..upload.len() / 2])],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("damaged or was cut short"), "{}", r.body);
    // Larger than the limit: refused from its declared length, before the body.
    let big = org.get(&page).await;
    let token = common::csrf_of(&big.body);
    let r = org
        .send(
            axum::http::Request::post(format!("{action}?_csrf={token}"))
                .header("content-type", "multipart/form-data; boundary=x")
                .header("content-length", (photo::MAX_UPLOAD + 1).to_string())
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.body.contains("A photo may be at most 25 MB"),
        "{}",
        r.body
    );
    // The larger limit is for multipart uploads by someone signed in: an anonymous
    // request, or a form body, to the same address keeps the ordinary limit (1 MB).
    for (who, kind) in [
        ("anonymous", "multipart/form-data; boundary=x"),
        ("signed in", "application/x-www-form-urlencoded"),
    ] {
        let mut c = if who == "anonymous" {
            Client::new(&app)
        } else {
            Client::logged_in(&app, "organiser@demo.convene.example").await
        };
        let r = c
            .send(
                axum::http::Request::post(format!("{page}/videos"))
                    .header("content-type", kind)
                    .header("content-length", (2 * 1024 * 1024).to_string())
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{who}");
        assert!(!r.body.contains("at most 100 MB"), "{who}");
    }
    assert_eq!(count().await, before);

    let r = org
        .multipart_bytes(
            &page,
            &action,
            &[("alt", "Families greet each other at the crossing")],
            &[("file", "IMG_0412.JPG", "image/jpeg", &upload)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let back = r.headers["location"].to_str().unwrap().to_string();
    assert!(back.starts_with(&format!("{page}?added=photo")));
    let shown = org.get(&back).await;
    assert!(shown.body.contains("The photo was added."));
    assert!(shown
        .body
        .contains("alt=\"Families greet each other at the crossing\""));
    let srcset = shown
        .body
        .split("srcset=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a srcset")
        .to_string();
    let urls: Vec<&str> = srcset
        .split(", ")
        .map(|s| s.split(' ').next().unwrap())
        .collect();
    assert_eq!(urls.len(), 4, "{srcset}");
    assert!(
        srcset.ends_with("w1600.jpg 1600w") || srcset.contains("900w"),
        "{srcset}"
    );

    // The organiser gets every width, upright (taller than wide), with no metadata.
    for u in &urls {
        let (status, headers, bytes) = org.get_bytes(u).await;
        assert_eq!(status, StatusCode::OK, "{u}");
        assert_eq!(headers["content-type"], "image/jpeg");
        assert_eq!(headers["cache-control"], "private, no-store");
        assert!(!sample::has_metadata(&bytes), "{u}");
        let (w, h, _) = photo::decode_rgb(&bytes).unwrap();
        assert!(h > w, "upright: {w}×{h}");
    }
    // Embargoed: the public and members find neither the update nor its photos.
    let mut anon = Client::new(&app);
    let mut member = Client::logged_in(&app, "member@demo.convene.example").await;
    for c in [&mut anon, &mut member] {
        assert_eq!(c.get(&page).await.status, StatusCode::NOT_FOUND);
        for u in &urls {
            assert_eq!(c.get_bytes(u).await.0, StatusCode::NOT_FOUND, "{u}");
        }
    }
    assert!(!anon
        .get(&format!("{CAMPAIGN}/feed.atom"))
        .await
        .body
        .contains(&format!("{page}/photos/")));

    // Published: the public gets the page with the photo, the photo (cacheable), an
    // Open Graph image, and the feed's enclosure.
    sqlx::query("UPDATE campaign_updates SET publish_at = $1 WHERE record_id = $2")
        .bind(convene_domain::util::now() - 1)
        .bind(id)
        .execute(db.pool_for_tests())
        .await
        .unwrap();
    let public = anon.get(&page).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains(&srcset));
    assert!(public.body.contains("<meta property=\"og:image\" content=\"https://peace.example.org/s/serran-valley/campaign/updates/"));
    assert!(
        !public.body.contains(&format!("action=\"{action}")),
        "no upload form for the public"
    );
    let (status, headers, bytes) = anon.get_bytes(urls[0]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["cache-control"], "public, max-age=600");
    assert!(!sample::has_metadata(&bytes));
    let feed = anon.get(&format!("{CAMPAIGN}/feed.atom")).await.body;
    assert!(
        feed.contains("rel=\"enclosure\"") && feed.contains(&format!("{page}/photos/")),
        "{feed}"
    );
    assert!(anon.get(CAMPAIGN).await.body.contains("class=\"thumb\""));

    // Light mode, set by a plain link in the footer: a small preview and a link.
    let toggle = format!("/light/on?next={}", page.replace('/', "%2F"));
    assert!(public.body.contains("/light/on?next="));
    let r = anon.get(&toggle).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let light = anon.get(&page).await.body;
    assert!(!light.contains("srcset="), "no full image in light mode");
    assert!(light.contains("w160.jpg") && light.contains("View the photo ("));
    assert!(light.contains("/light/off?next="));
    assert!(!anon.get(CAMPAIGN).await.body.contains("class=\"thumb\""));
    assert!(anon.get(CAMPAIGN).await.body.contains("1 photo"));

    // In Urdu: the page is right-to-left and the message translated.
    let mut ur = Client::new(&app);
    ur.get("/lang/ur").await;
    let r = ur.get(&toggle).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let body = ur.get(&page).await.body;
    assert!(body.contains("dir=\"rtl\"") && body.contains("تصویر دیکھیں"));
    assert!(
        body.contains(" KB\u{2069})"),
        "the size reads left to right inside the Urdu sentence"
    );

    // Removing the photo removes every width.
    let r = org
        .submit(
            &page,
            &format!(
                "{page}/photos/{}/remove",
                urls[0].split('/').nth(7).unwrap()
            ),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(anon.get_bytes(urls[0]).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_phone_video_is_served_by_ranges_without_its_location_and_only_once_published() {
    use convene_domain::media::{sample, video};
    if !video::available() {
        assert!(std::env::var("CI").is_err(), "ffmpeg is needed under CI");
        eprintln!("SKIPPED: video test: install Debian's ffmpeg to run it");
        return;
    }
    let (_, db, d) = demo_app().await;
    let app = convene_web::app(db.clone(), convene_web::WebConfig::default());
    let mut org = Client::logged_in(&app, "organiser@demo.convene.example").await;
    let form = format!("{CAMPAIGN}/updates/new");
    let r = org
        .submit_checked(
            &form,
            &form,
            &[
                ("title", "Market day on film"),
                ("body", "Both banks."),
                ("lang", "en"),
                ("level", "public"),
                ("milestone", "0"),
                ("publish_at", "2099-01-01T10:00"),
            ],
        )
        .await;
    let page = r.headers["location"].to_str().unwrap().to_string();
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    let action = format!("{page}/videos");
    let mov = std::fs::read(sample::phone_video(d.path())).unwrap();
    let r = org
        .multipart_bytes(
            &page,
            &action,
            &[("video_alt", "Stalls")],
            &[("file", "notes.txt", "text/plain", b"not a video")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("is not a video Convene reads"),
        "{}",
        r.body
    );
    // Without a description: the video form's field is the one marked, not the photo's.
    let r = org
        .multipart_bytes(
            &page,
            &action,
            &[("video_alt", "")],
            &[(
                "file",
                "IMG_0420.MOV",
                "video/quicktime",
                b"\x00\x00\x00\x14ftypqt  ",
            )],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("name=\"video_alt\" rows=\"2\" maxlength=\"500\" required dir=\"auto\" aria-invalid=\"true\""));
    assert!(!r
        .body
        .contains("aria-describedby=\"photo-alt-hint\" aria-invalid"));
    // Captions that are not WebVTT: refused, named, nothing stored.
    let r = org
        .multipart_bytes(
            &page,
            &action,
            &[("video_alt", "Stalls on both sides of the bridge")],
            &[
                ("file", "IMG_0420.MOV", "video/quicktime", &mov),
                (
                    "captions",
                    "subs.srt",
                    "application/x-subrip",
                    b"1\n00:00:00,000 --> 00:00:01,000\nHi\n",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("The captions are not a WebVTT file"),
        "{}",
        r.body
    );
    let vtt: &[u8] = b"WEBVTT\n\n00:00.000 --> 00:03.000\nTraders call out prices.\n";
    let r = org
        .multipart_bytes(
            &page,
            &action,
            &[("video_alt", "Stalls on both sides of the bridge")],
            &[
                ("file", "IMG_0420.MOV", "video/quicktime", &mov),
                ("captions", "market.vtt", "text/vtt", vtt),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let back = r.headers["location"].to_str().unwrap().to_string();
    assert!(org.get(&back).await.body.contains("The video was added."));
    let shown = org.get(&page).await.body;
    assert!(
        shown.contains("<video controls preload=\"none\" poster=\""),
        "{shown}"
    );
    assert!(shown.contains("A low-quality version for slow connections is being made."));
    let src = shown
        .split("<source src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    assert!(src.ends_with("/video.mp4"), "{src}");
    let track = shown
        .split("<track kind=\"captions\" src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a captions track")
        .to_string();
    let (status, headers, body) = org.get_bytes(&track).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/vtt");
    assert_eq!(body, vtt);

    // Embargoed: nobody but organisers gets the video or its poster.
    let mut anon = Client::new(&app);
    assert_eq!(anon.get_bytes(&src).await.0, StatusCode::NOT_FOUND);
    let (status, headers, full) = org.get_bytes(&src).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "video/mp4");
    assert_eq!(headers["accept-ranges"], "bytes");
    assert_eq!(headers["cache-control"], "private, no-store");
    assert_eq!(headers["content-length"], full.len().to_string().as_str());
    for needle in [&b"\xa9xyz"[..], b"+33.8500", b"ConveneTestPhone"] {
        assert!(!full.windows(needle.len()).any(|w| w == needle));
    }

    sqlx::query("UPDATE campaign_updates SET publish_at = $1 WHERE record_id = $2")
        .bind(convene_domain::util::now() - 1)
        .bind(id)
        .execute(db.pool_for_tests())
        .await
        .unwrap();
    // Ranges, as a <video> element asks for them.
    let ranged = |range: &'static str| {
        axum::http::Request::get(&src)
            .header("range", range)
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let r = anon.app.clone();
    use tower::ServiceExt;
    for (range, first, last) in [
        ("bytes=0-99", 0usize, 99usize),
        ("bytes=100-", 100, full.len() - 1),
        ("bytes=-50", full.len() - 50, full.len() - 1),
        ("bytes=262100-262200", 262_100, 262_200.min(full.len() - 1)),
    ] {
        if first >= full.len() {
            continue;
        }
        let res = r.clone().oneshot(ranged(range)).await.unwrap();
        assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT, "{range}");
        assert_eq!(
            res.headers()["content-range"],
            format!("bytes {first}-{last}/{}", full.len()).as_str()
        );
        assert_eq!(res.headers()["cache-control"], "public, max-age=600");
        let body = http_body_util::BodyExt::collect(res.into_body())
            .await
            .unwrap()
            .to_bytes();
        assert_eq!(&body[..], &full[first..=last], "{range}");
    }
    // A whole download is sent as stored: not compressed, its length known.
    let res = r
        .clone()
        .oneshot(
            axum::http::Request::get(&src)
                .header("accept-encoding", "gzip")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("content-encoding").is_none());
    assert_eq!(
        res.headers()["content-length"],
        full.len().to_string().as_str()
    );
    let res = r.clone().oneshot(ranged("bytes=99999999-")).await.unwrap();
    assert_eq!(res.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        res.headers()["content-range"],
        format!("bytes */{}", full.len()).as_str()
    );

    // The low version, once the job has run, is offered for small screens and slow links.
    while db.run_one_job().await.unwrap() {}
    let public = anon.get(&page).await.body;
    assert!(public.contains("/low.mp4\" type=\"video/mp4\" media=\"(max-width: 40rem)\""));
    assert!(public.contains("Watch, low quality ("));
    anon.get("/light/on?next=/").await;
    let light = anon.get(&page).await.body;
    assert!(!light.contains("<video"), "light mode: a poster and links");
    assert!(light.contains("Watch, low quality (") && light.contains("Watch, full quality ("));
    let low = light
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.ends_with("/low.mp4"))
        .unwrap()
        .to_string();
    let (status, headers, bytes) = anon.get_bytes(&low).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "video/mp4");
    assert_eq!(&bytes[4..8], b"ftyp");
}
