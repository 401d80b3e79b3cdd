//! Reading places' boundaries from GeoJSON (RFC 7946): each feature a Polygon or
//! MultiPolygon whose properties carry the place's P-code. Outlines are simplified
//! on the way in ([`convene_analysis::geo::simplify_to`]) so that a map page stays
//! small on a 2G connection.

use std::collections::HashMap;

use convene_analysis::geo::{simplify_to, Point, Shape};
use geojson::{GeoJson, Value};

use crate::error::RowError;

/// Most points kept per outline, over all its rings.
pub const MAX_POINTS_PER_PLACE: usize = 400;
/// Most features read from one file.
pub const MAX_FEATURES: usize = 50_000;

const SHEET: &str = "boundaries";

/// Boundaries read from a file, matched to places by code.
#[derive(Debug, Clone, Default)]
pub struct Boundaries {
    pub shapes: Vec<(String, Shape)>,
    /// Features whose properties named no place of the gazetteer (left out).
    pub unmatched: usize,
}

fn problem(feature: u64, key: &'static str) -> RowError {
    RowError {
        sheet: SHEET,
        line: feature,
        column: String::new(),
        key,
    }
}

fn ring(positions: &[Vec<f64>]) -> Option<Vec<Point>> {
    let mut out = Vec::with_capacity(positions.len());
    for p in positions {
        let (lon, lat) = (*p.first()?, *p.get(1)?);
        if !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0) {
            return None;
        }
        out.push([lon, lat]);
    }
    (out.len() >= 3).then_some(out)
}

/// The rings of a Polygon or MultiPolygon, simplified to the budget of one place.
fn shape(value: &Value) -> Option<Shape> {
    let polygons: Vec<&Vec<Vec<Vec<f64>>>> = match value {
        Value::Polygon(p) => vec![p],
        Value::MultiPolygon(m) => m.iter().collect(),
        _ => return None,
    };
    let mut rings = Vec::new();
    for poly in polygons {
        for r in poly {
            rings.push(ring(r)?);
        }
    }
    if rings.is_empty() {
        return None;
    }
    // Share the budget among rings by their size; tiny islands keep a triangle.
    let total: usize = rings.iter().map(Vec::len).sum();
    let rings = rings
        .iter()
        .map(|r| {
            let share = (MAX_POINTS_PER_PLACE * r.len()).div_ceil(total.max(1));
            let mut s = simplify_to(r, share.max(4));
            for p in &mut s {
                p[0] = (p[0] * 1e5).round() / 1e5;
                p[1] = (p[1] * 1e5).round() / 1e5;
            }
            s
        })
        .collect();
    Some(Shape { rings })
}

/// Reads boundaries from GeoJSON bytes. `known` maps the gazetteer's codes to their
/// level; a feature's place is the deepest known place among its properties'
/// values (a district's feature also names its region), or the value of
/// `property` when one is given.
pub fn read(
    bytes: &[u8],
    known: &HashMap<String, u8>,
    property: Option<&str>,
) -> Result<Boundaries, Vec<RowError>> {
    let gj: GeoJson = match serde_json::from_slice(bytes) {
        Ok(g) => g,
        Err(_) => return Err(vec![problem(0, "places-error-geojson")]),
    };
    let features = match gj {
        GeoJson::FeatureCollection(fc) => fc.features,
        GeoJson::Feature(f) => vec![f],
        GeoJson::Geometry(_) => return Err(vec![problem(0, "places-error-geojson-features")]),
    };
    if features.len() > MAX_FEATURES {
        return Err(vec![problem(0, "places-error-too-many")]);
    }
    let mut out = Boundaries::default();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (i, f) in features.iter().enumerate() {
        let n = i as u64 + 1;
        let value_code = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => Some(s.trim().to_string()),
            serde_json::Value::Number(x) => Some(x.to_string()),
            _ => None,
        };
        let code = match property {
            Some(p) => f
                .property(p)
                .and_then(value_code)
                .filter(|c| known.contains_key(c)),
            None => f
                .properties_iter()
                .filter_map(|(_, v)| value_code(v))
                .filter_map(|c| known.get(&c).map(|l| (*l, c)))
                .max_by_key(|(l, _)| *l)
                .map(|(_, c)| c),
        };
        let Some(code) = code else {
            out.unmatched += 1;
            continue;
        };
        let Some(geometry) = &f.geometry else {
            errors.push(problem(n, "places-error-geometry"));
            continue;
        };
        let Some(s) = shape(&geometry.value) else {
            errors.push(problem(n, "places-error-geometry"));
            continue;
        };
        if seen.insert(code.clone(), n).is_some() {
            errors.push(problem(n, "places-error-boundary-twice"));
            continue;
        }
        out.shapes.push((code, s));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if out.shapes.is_empty() {
        return Err(vec![problem(0, "places-error-boundary-none")]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> HashMap<String, u8> {
        [("R1".to_string(), 1), ("R1D1".to_string(), 2)]
            .into_iter()
            .collect()
    }

    #[test]
    fn the_deepest_known_code_names_the_feature() {
        let gj = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"ADM1_PCODE":"R1","ADM2_PCODE":"R1D1"},
           "geometry":{"type":"Polygon","coordinates":[[[30,10],[31,10],[31,11],[30,11],[30,10]]]}},
          {"type":"Feature","properties":{"ADM2_PCODE":"ZZ9"},
           "geometry":{"type":"Polygon","coordinates":[[[30,10],[31,10],[31,11],[30,10]]]}}
        ]}"#;
        let b = read(gj.as_bytes(), &known(), None).unwrap();
        assert_eq!(b.shapes.len(), 1);
        assert_eq!(b.shapes[0].0, "R1D1");
        assert_eq!(b.unmatched, 1);
        let b = read(gj.as_bytes(), &known(), Some("ADM1_PCODE")).unwrap();
        assert_eq!(b.shapes[0].0, "R1");
    }

    #[test]
    fn bad_geometry_is_named_by_feature() {
        let gj = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"code":"R1"},"geometry":{"type":"Point","coordinates":[30,10]}},
          {"type":"Feature","properties":{"code":"R1D1"},"geometry":{"type":"Polygon","coordinates":[[[300,10],[31,10],[31,11],[300,10]]]}}
        ]}"#;
        let e = read(gj.as_bytes(), &known(), None).unwrap_err();
        let got: Vec<(u64, &str)> = e.iter().map(|e| (e.line, e.key)).collect();
        assert_eq!(
            got,
            vec![(1, "places-error-geometry"), (2, "places-error-geometry")]
        );
        assert_eq!(
            read(b"not json", &known(), None).unwrap_err()[0].key,
            "places-error-geojson"
        );
    }

    #[test]
    fn long_outlines_are_simplified() {
        let circle: Vec<String> = (0..=2000)
            .map(|i| {
                let a = i as f64 / 2000.0 * std::f64::consts::TAU;
                format!("[{},{}]", 30.0 + a.cos(), 10.0 + a.sin())
            })
            .collect();
        let gj = format!(
            r#"{{"type":"Feature","properties":{{"c":"R1"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
            circle.join(",")
        );
        let b = read(gj.as_bytes(), &known(), None).unwrap();
        let n: usize = b.shapes[0].1.rings.iter().map(Vec::len).sum();
        assert!((20..=MAX_POINTS_PER_PLACE).contains(&n), "{n}");
    }
}
