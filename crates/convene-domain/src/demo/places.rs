//! The demo gazetteer: the Serran Valley's four regions (two on each side) and
//! twenty-four districts, with Urdu names and boundaries, imported through the
//! same readers an organiser's files go through.

use crate::error::{Error, Result};
use crate::model::User;
use crate::places::{boundaries, gazetteer_csv};
use crate::Db;

/// (code, English name, Urdu name) of the regions; the first two are Velunan.
pub const REGIONS: [(&str, &str, &str); 4] = [
    ("VL01", "Upper Serran", "بالائی سیران"),
    ("VL02", "Lower Serran", "زیریں سیران"),
    ("KS01", "Kestrian Highlands", "کیسٹریا کے پہاڑ"),
    ("KS02", "Eastern Plains", "مشرقی میدان"),
];

/// District names, six per region in the order of [`REGIONS`].
const DISTRICTS: [(&str, &str); 24] = [
    ("Amber Ford", "امبر فورڈ"),
    ("Bell Hill", "بیل ہل"),
    ("Cedar Gap", "سیڈر گیپ"),
    ("Dove Meadow", "ڈو میڈو"),
    ("Elm Crossing", "ایلم کراسنگ"),
    ("Fen Bridge", "فین برج"),
    ("Granary", "غلہ گھر"),
    ("Harbour End", "بندرگاہ"),
    ("Iris Bend", "آئرس موڑ"),
    ("Juniper", "جونیپر"),
    ("Kiln Row", "بھٹہ قطار"),
    ("Lark Rise", "لارک رائز"),
    ("Mill Stone", "چکی پتھر"),
    ("North Pass", "شمالی درہ"),
    ("Oak Terrace", "بلوط چبوترہ"),
    ("Pine Ridge", "چیڑ کی چوٹی"),
    ("Quarry", "کان"),
    ("Ridgeway", "رج وے"),
    ("Salt Flats", "نمکین میدان"),
    ("Tern Lake", "ٹرن جھیل"),
    ("Upland", "بالائی زمین"),
    ("Vine Hollow", "انگور وادی"),
    ("Willow Bank", "بید کنارہ"),
    ("Yarrow Field", "یارو کھیت"),
];

/// The districts' codes and English names, in order.
pub fn districts() -> Vec<(String, &'static str)> {
    (0..24)
        .map(|i| {
            (
                format!("{}{:02}", REGIONS[i / 6].0, i % 6 + 1),
                DISTRICTS[i].0,
            )
        })
        .collect()
}

/// The gazetteer as an HXL CSV with Urdu names.
pub fn gazetteer_file() -> String {
    let mut s = String::from(
        "Region code,Region,Region (Urdu),District code,District,District (Urdu)\n\
         #adm1+code,#adm1+name,#adm1+name+i_ur,#adm2+code,#adm2+name,#adm2+name+i_ur\n",
    );
    for (i, (code, en)) in districts().iter().enumerate() {
        let r = REGIONS[i / 6];
        s.push_str(&format!(
            "{},{},{},{code},{en},{}\n",
            r.0, r.1, r.2, DISTRICTS[i].1
        ));
    }
    s
}

// The valley spans 35°E–37°E and 33°N–34.5°N; regions are a 2×2 grid, each split
// into 3×2 districts. Edges wave, identically for both places that share them.
const LON0: f64 = 35.0;
const LAT0: f64 = 33.0;
const CELL_W: f64 = 1.0 / 3.0;
const CELL_H: f64 = 0.75 / 2.0;

fn wave(t: f64, cell: f64) -> f64 {
    0.03 * (std::f64::consts::TAU * t / cell).sin()
}

/// The outline of the district at column `c`, row `r` (0-based over the valley).
fn district_ring(c: usize, r: usize) -> Vec<[f64; 2]> {
    let (x0, y0) = (LON0 + c as f64 * CELL_W, LAT0 + r as f64 * CELL_H);
    let (x1, y1) = (x0 + CELL_W, y0 + CELL_H);
    const N: usize = 10;
    let mut ring = Vec::new();
    // South edge west to east, east edge up, north edge back, west edge down.
    for i in 0..N {
        let x = x0 + CELL_W * i as f64 / N as f64;
        ring.push([x, y0 + wave(x - LON0, CELL_W)]);
    }
    for i in 0..N {
        let y = y0 + CELL_H * i as f64 / N as f64;
        ring.push([x1 + wave(y - LAT0, CELL_H), y]);
    }
    for i in 0..N {
        let x = x1 - CELL_W * i as f64 / N as f64;
        ring.push([x, y1 + wave(x - LON0, CELL_W)]);
    }
    for i in 0..N {
        let y = y1 - CELL_H * i as f64 / N as f64;
        ring.push([x0 + wave(y - LAT0, CELL_H), y]);
    }
    ring.push(ring[0]);
    ring
}

/// The boundaries of the regions and districts as GeoJSON.
pub fn boundaries_file() -> String {
    let mut features = Vec::new();
    let polygon =
        |rings: Vec<Vec<[f64; 2]>>| serde_json::json!({"type": "Polygon", "coordinates": rings});
    for (i, (code, _)) in districts().iter().enumerate() {
        let (region, k) = (i / 6, i % 6);
        let c = (region % 2) * 3 + k % 3;
        let r = (region / 2) * 2 + k / 3;
        features.push(serde_json::json!({
            "type": "Feature",
            "properties": {"ADM1_PCODE": REGIONS[region].0, "ADM2_PCODE": code},
            "geometry": polygon(vec![district_ring(c, r)]),
        }));
    }
    for (region, (code, _, _)) in REGIONS.iter().enumerate() {
        let (x0, y0) = (
            LON0 + (region % 2) as f64,
            LAT0 + (region / 2) as f64 * 0.75,
        );
        let ring = vec![
            [x0, y0],
            [x0 + 1.0, y0],
            [x0 + 1.0, y0 + 0.75],
            [x0, y0 + 0.75],
            [x0, y0],
        ];
        features.push(serde_json::json!({
            "type": "Feature",
            "properties": {"ADM1_PCODE": code},
            "geometry": polygon(vec![ring]),
        }));
    }
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}

/// Imports the demo gazetteer and its boundaries into the space `slug`.
pub async fn seed(db: &Db, organiser: &User, slug: &str) -> Result<()> {
    let scope = db.scope(Some(organiser), slug).await?;
    let g = gazetteer_csv::read(gazetteer_file().as_bytes())
        .map_err(|e| Error::Internal(format!("demo gazetteer: {e:?}")))?;
    db.import_gazetteer(&scope, &g).await?;
    let known = db.place_codes(&scope).await?;
    let b = boundaries::read(boundaries_file().as_bytes(), &known, None)
        .map_err(|e| Error::Internal(format!("demo boundaries: {e:?}")))?;
    db.set_boundaries(&scope, &b).await?;
    Ok(())
}
