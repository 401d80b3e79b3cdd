//! The 3W map over HTTP: the matrix with its gaps and drill-down, the HXL CSV
//! export validated by libhxl against a schema that types every numeric column,
//! and a sheet in the layout of OCHA's 3W templates (with columns Convene does not
//! know) imported; a sheet with problems refused whole, each problem named.

use crate::common;

use axum::http::StatusCode;
use common::{demo_app, Client};

const W: &str = "/s/serran-valley/activities/3w";
const ORGANISER: &str = "organiser@demo.convene.example";

fn hxl_python() -> Option<String> {
    let py = std::env::var("CONVENE_HXL_PYTHON")
        .unwrap_or_else(|_| "/tmp/convene-ref-hxl/bin/python".into());
    let ok = std::process::Command::new(&py)
        .args(["-c", "import hxl"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if ok {
        return Some(py);
    }
    if std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
    {
        panic!("CI requires libhxl: set CONVENE_HXL_PYTHON");
    }
    eprintln!("SKIPPED: libhxl not found (set CONVENE_HXL_PYTHON)");
    None
}

#[tokio::test]
async fn the_matrix_shows_gaps_and_drills_down() {
    let (app, _db, _d) = demo_app().await;
    let mut anon = Client::new(&app);
    let r = anon.get(W).await;
    assert_eq!(r.status, StatusCode::OK);
    // The demo has no official diplomacy in the Eastern Plains: a gap.
    assert!(r.body.contains("class=\"gap"), "{}", r.body);
    assert!(r.body.len() < 60_000);
    assert!(r.body.contains(&format!("{W}?region=KS02")));
    let d = anon.get(&format!("{W}?region=KS02")).await;
    assert_eq!(d.status, StatusCode::OK);
    let cell = d
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/s/serran-valley/activities/3w/cell?"))
        .unwrap()
        .replace("&amp;", "&");
    let c = anon.get(&cell).await;
    assert_eq!(c.status, StatusCode::OK);
    assert!(c.body.contains("/activities/"), "{}", c.body);
    // Reachable from the space's page.
    assert!(anon.get("/s/serran-valley").await.body.contains(W));
}

#[tokio::test]
async fn the_export_passes_libhxl_and_an_ocha_sheet_imports() {
    let Some(py) = hxl_python() else {
        return;
    };
    let (app, _db, _d) = demo_app().await;
    let mut org = Client::logged_in(&app, ORGANISER).await;
    let csv = org.get(&format!("{W}.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("3w.csv");
    std::fs::write(&data, &csv.body).unwrap();
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/threew_schema.csv"
    );
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/hxl_validate.py"
    );
    let run = |data: &std::path::Path| {
        let out = std::process::Command::new(&py)
            .arg(script)
            .arg(data)
            .arg(schema)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let report = run(&data);
    assert_eq!(report["is_valid"], true, "{report}");
    assert!(report["rows"].as_u64().unwrap() > 100, "{report}");
    // The schema really checks: a start date that is not a date fails.
    let broken = csv.body.replace(",planned,", ",planned,not-a-date-");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, broken).unwrap();
    assert_eq!(run(&bad)["is_valid"], false);

    // A sheet in the layout of OCHA's 3W templates imports.
    let ocha = "Organisation,Acronym,Cluster,Activity,Admin 1,Admin 1 P-code,Admin 2,Admin 2 P-code,Status,Start date,End date,Beneficiaries,Comments\n\
                #org+name,#org+acronym,#sector+cluster,#activity+description,#adm1+name,#adm1+code,#adm2+name,#adm2+code,#status,#date+start,#date+end,#targeted,#meta+comments\n\
                serran women's network,SWN,Protection,Imported dialogue circle,Upper Serran,VL01,Bell Hill,VL0102,Planned,2031-01-10,2031-01-10,40,none\n\
                Traders,TR,Livelihoods,Imported market day,Lower Serran,VL02,,,Ongoing,2031-02-01,,,\n";
    let r = org
        .multipart(
            W,
            &format!("{W}/import"),
            &[("level", "public")],
            &[("file", "3w.csv", ocha)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = org.get(r.headers["location"].to_str().unwrap()).await;
    assert!(r.body.contains("2 activities imported."), "{}", r.body);
    let up = org
        .get("/s/serran-valley/activities/upcoming?district=VL0102&from=2031-01-01&to=2031-12-31")
        .await;
    assert!(up.body.contains("Imported dialogue circle"), "{}", up.body);
    // The organiser column: a name of the space's organisations becomes that
    // organisation (whatever its case); another is kept as the file gave it; both
    // export again under #org.
    let csv = org.get(&format!("{W}.csv")).await.body;
    let line = |title: &str| {
        csv.lines()
            .find(|l| l.contains(title))
            .unwrap_or_else(|| panic!("{title} exported"))
            .to_string()
    };
    assert!(line("Imported dialogue circle").contains(",Serran Women's Network,"));
    assert!(line("Imported market day").contains(",Traders,"));
    assert!(
        csv.lines()
            .skip(2)
            .filter(|l| !l.split(',').nth(2).unwrap_or("").is_empty())
            .count()
            > 100,
        "the demo's activities have organisers"
    );
    // A sheet with problems: nothing imported, each problem named.
    let bad = "#activity,#adm2+code,#date+start\nRefused row one,VL0102,2031-03-01\nTwo,ZZ99,2031-13-01\n";
    let r = org
        .multipart(
            W,
            &format!("{W}/import"),
            &[("level", "public")],
            &[("file", "3w.csv", bad)],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("line 3, column B: This P-code is not in the space"),
        "{}",
        r.body
    );
    assert!(r
        .body
        .contains("line 3, column C: Enter the date as YYYY-MM-DD."));
    let up = org
        .get("/s/serran-valley/activities/upcoming?from=2031-03-01&to=2031-03-01")
        .await;
    assert!(!up.body.contains("Refused row one"), "nothing imported");
}
