//! The gazetteer's pages: the regions with a map drawn on the server, a region's
//! districts, search, Urdu right to left, the HXL download; organisers import a
//! gazetteer (a file with problems is refused whole, each problem by line and
//! column, in the user's language) and boundaries; members may not.

use crate::common;

use axum::http::StatusCode;
use common::{demo_app, Client};

const PLACES: &str = "/s/serran-valley/places";
const ORGANISER: &str = "organiser@demo.convene.example";
const MEMBER: &str = "member@demo.convene.example";

async fn count(db: &convene_domain::Db) -> usize {
    let u = db.user_by_email(ORGANISER).await.unwrap().unwrap();
    let scope = db.scope(Some(&u), "serran-valley").await.unwrap();
    db.all_places(&scope).await.unwrap().len()
}

#[tokio::test]
async fn the_public_finds_regions_and_districts_on_a_map() {
    let (app, _db, _d) = demo_app().await;
    let mut anon = Client::new(&app);
    let r = anon.get(PLACES).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Upper Serran"), "{}", r.body);
    assert!(r.body.contains("href=\"/s/serran-valley/places/VL01\""));
    assert_eq!(
        r.body.matches("<path d=\"M").count(),
        4,
        "a map of the 4 regions"
    );
    assert!(r.body.len() < 60_000, "{} bytes", r.body.len());
    // Reachable from the space's page.
    let home = anon.get("/s/serran-valley").await;
    assert!(home.body.contains("href=\"/s/serran-valley/places\""));

    let r = anon.get(&format!("{PLACES}/VL01")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body.matches("<path d=\"M").count(), 6, "its 6 districts");
    assert!(r.body.contains("Bell Hill"));
    assert!(r.body.contains("href=\"/s/serran-valley/places/VL0102\""));
    let r = anon.get(&format!("{PLACES}/VL0102")).await;
    assert!(r.body.contains("Upper Serran"), "the region in the crumbs");
    assert_eq!(
        anon.get(&format!("{PLACES}/NOPE")).await.status,
        StatusCode::NOT_FOUND
    );

    let r = anon.get(&format!("{PLACES}?q=bell")).await;
    assert!(
        r.body.contains("href=\"/s/serran-valley/places/VL0102\""),
        "{}",
        r.body
    );

    // Urdu: right to left, names in Urdu, isolated.
    anon.get("/lang/ur").await;
    let r = anon.get(&format!("{PLACES}/VL01")).await;
    assert!(r.body.contains("dir=\"rtl\""));
    assert!(r.body.contains("<bdi>بالائی سیران</bdi>"), "{}", r.body);
    assert!(r.body.contains("<bdi>بیل ہل</bdi>"));

    let csv = anon.get(&format!("{PLACES}.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("#adm1+code,#adm1+name"));
    assert!(csv.body.contains("VL0102,Bell Hill"));
}

#[tokio::test]
async fn organisers_import_and_problems_are_listed_with_nothing_changed() {
    let (app, db, _d) = demo_app().await;
    let before = count(&db).await;
    let mut org = Client::logged_in(&app, ORGANISER).await;
    let bad = "#adm1+code,#adm1+name,#adm2+code,#adm2+name\nVL01,Upper Serran,N1,New\nVL02,Lower Serran,N1,New\nVL02,Lower Serran,,Nameless\n";
    let r = org
        .multipart(
            PLACES,
            &format!("{PLACES}/import"),
            &[],
            &[("file", "g.csv", bad)],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("Gazetteer, line 3, column C: This P-code appears earlier"),
        "{}",
        r.body
    );
    assert!(r
        .body
        .contains("Gazetteer, line 4, column C: A name has no P-code."));
    assert_eq!(count(&db).await, before, "nothing imported");

    // In Urdu, the same problems in Urdu.
    org.get("/lang/ur").await;
    let r = org
        .multipart(
            PLACES,
            &format!("{PLACES}/import"),
            &[],
            &[("file", "g.csv", bad)],
        )
        .await;
    assert!(r.body.contains("سطر 3"), "{}", r.body);
    assert!(r.body.contains("یہ پی کوڈ پہلے"));
    org.get("/lang/en").await;

    let good = "#adm1+code,#adm1+name,#adm2+code,#adm2+name\nVL01,Upper Serran,VL0107,New Town\n";
    let r = org
        .multipart(
            PLACES,
            &format!("{PLACES}/import"),
            &[],
            &[("file", "g.csv", good)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(count(&db).await, before + 1);
    let loc = r.headers["location"].to_str().unwrap().to_string();
    let r = org.get(&loc).await;
    assert!(r.body.contains("1 places added, 1 updated."), "{}", r.body);

    // Boundaries: a bad geometry is named by feature; nothing changes.
    let gj = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"p":"VL0107"},"geometry":{"type":"LineString","coordinates":[[35,33],[36,34]]}}]}"#;
    let r = org
        .multipart(
            PLACES,
            &format!("{PLACES}/boundaries"),
            &[],
            &[("file", "b.geojson", gj)],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("Boundaries, feature 1: This feature is not a valid Polygon"),
        "{}",
        r.body
    );
    let gj = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"p":"VL0107"},"geometry":{"type":"Polygon","coordinates":[[[35,33],[35.1,33],[35.1,33.1],[35,33]]]}},{"type":"Feature","properties":{"p":"ELSEWHERE"},"geometry":{"type":"Polygon","coordinates":[[[35,33],[35.1,33],[35.1,33.1],[35,33]]]}}]}"#;
    let r = org
        .multipart(
            PLACES,
            &format!("{PLACES}/boundaries"),
            &[],
            &[("file", "b.geojson", gj)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = org.get(r.headers["location"].to_str().unwrap()).await;
    assert!(
        r.body
            .contains("Boundaries set for 1 places; 1 features matched no place."),
        "{}",
        r.body
    );

    // Members see the places but may not import.
    let mut member = Client::logged_in(&app, MEMBER).await;
    let p = member.get(PLACES).await;
    assert!(!p.body.contains("/places/import"));
    let r = member
        .multipart(
            PLACES,
            &format!("{PLACES}/import"),
            &[],
            &[("file", "g.csv", good)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
