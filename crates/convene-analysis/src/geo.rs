//! Maps drawn on the server: administrative boundaries simplified to a size a 2G
//! connection carries, and projected into SVG paths. No tiles, nothing from
//! another origin.
//!
//! - **Simplification** is Douglas–Peucker (Douglas & Peucker 1973): a point is
//!   kept when it lies farther than the tolerance from the segment joining the
//!   points kept around it. [`simplify_to`] raises the tolerance until a ring has
//!   at most a given number of points.
//! - **Projection** is equirectangular with the longitude scaled by the cosine of
//!   the map's middle latitude, which keeps districts' shapes recognisable at the
//!   scale of a country (distortion grows with the span in latitude; a region's
//!   map spans a few degrees).

/// A point as (longitude, latitude) in degrees.
pub type Point = [f64; 2];
/// A closed ring of points (the last point may repeat the first).
pub type Ring = Vec<Point>;

/// A place's outline: its rings (outer rings and holes; drawn with the even-odd rule).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Shape {
    pub rings: Vec<Ring>,
}

/// A bounding box: (min longitude, min latitude, max longitude, max latitude).
pub type BBox = [f64; 4];

/// The distance from `p` to the segment `a`–`b`, in the units of the points.
fn segment_distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    };
    let (x, y) = (a[0] + t * dx, a[1] + t * dy);
    ((p[0] - x).powi(2) + (p[1] - y).powi(2)).sqrt()
}

/// The indices of the points Douglas–Peucker keeps, ascending (always the first
/// and the last).
fn kept(points: &[Point], tolerance: f64) -> Vec<usize> {
    let n = points.len();
    if n <= 2 {
        return (0..n).collect();
    }
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    // An explicit stack of spans, so that a long ring never overflows the call stack.
    let mut spans = vec![(0usize, n - 1)];
    while let Some((first, last)) = spans.pop() {
        if last <= first + 1 {
            continue;
        }
        let (mut far, mut far_d) = (first, -1.0f64);
        for (i, p) in points.iter().enumerate().take(last).skip(first + 1) {
            let d = segment_distance(*p, points[first], points[last]);
            if d > far_d {
                far = i;
                far_d = d;
            }
        }
        if far_d > tolerance {
            keep[far] = true;
            spans.push((first, far));
            spans.push((far, last));
        }
    }
    (0..n).filter(|&i| keep[i]).collect()
}

/// A polyline simplified by Douglas–Peucker with `tolerance`.
pub fn simplify(points: &[Point], tolerance: f64) -> Vec<Point> {
    kept(points, tolerance.max(0.0))
        .into_iter()
        .map(|i| points[i])
        .collect()
}

/// A ring simplified to at most `max_points` points (at least 4, a closed
/// triangle), by the smallest tolerance among a doubling sequence that gets there.
pub fn simplify_to(ring: &[Point], max_points: usize) -> Ring {
    let max_points = max_points.max(4);
    if ring.len() <= max_points {
        return ring.to_vec();
    }
    let Some(b) = bbox_of(ring) else {
        return ring.to_vec();
    };
    let span = (b[2] - b[0]).max(b[3] - b[1]).max(f64::MIN_POSITIVE);
    let mut tolerance = span / 10_000.0;
    loop {
        let out = simplify(ring, tolerance);
        if out.len() <= max_points || tolerance > span {
            return out;
        }
        tolerance *= 2.0;
    }
}

fn bbox_of(points: &[Point]) -> Option<BBox> {
    let mut it = points
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite());
    let first = it.next()?;
    let mut b = [first[0], first[1], first[0], first[1]];
    for p in it {
        b[0] = b[0].min(p[0]);
        b[1] = b[1].min(p[1]);
        b[2] = b[2].max(p[0]);
        b[3] = b[3].max(p[1]);
    }
    Some(b)
}

/// The bounding box of shapes, if they have a point.
pub fn bbox(shapes: &[&Shape]) -> Option<BBox> {
    let boxes: Vec<BBox> = shapes
        .iter()
        .flat_map(|s| s.rings.iter())
        .filter_map(|r| bbox_of(r))
        .collect();
    let first = *boxes.first()?;
    Some(boxes.iter().fold(first, |a, b| {
        [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ]
    }))
}

/// A projection of longitudes and latitudes onto an SVG canvas `width` wide.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    min_lon: f64,
    max_lat: f64,
    /// Canvas units per degree of longitude and of latitude.
    kx: f64,
    ky: f64,
    pub width: f64,
    pub height: f64,
}

impl Projection {
    /// The projection that fits `b` into a canvas `width` wide, with the height
    /// that keeps the proportions (at most `2 * width`).
    pub fn fit(b: BBox, width: f64) -> Projection {
        let mid = ((b[1] + b[3]) / 2.0).to_radians().cos().abs().max(0.01);
        let w_deg = ((b[2] - b[0]) * mid).max(1e-9);
        let h_deg = (b[3] - b[1]).max(1e-9);
        let k = (width / w_deg).min(2.0 * width / h_deg);
        Projection {
            min_lon: b[0],
            max_lat: b[3],
            kx: k * mid,
            ky: k,
            width,
            height: (h_deg * k).max(1.0),
        }
    }

    /// Where a point falls on the canvas.
    pub fn xy(&self, p: Point) -> (f64, f64) {
        (
            (p[0] - self.min_lon) * self.kx,
            (self.max_lat - p[1]) * self.ky,
        )
    }

    /// A shape as the `d` attribute of an SVG path (one sub-path per ring, closed;
    /// coordinates to a tenth of a canvas unit).
    pub fn path(&self, shape: &Shape) -> String {
        let mut d = String::new();
        for ring in &shape.rings {
            let mut last: Option<(i64, i64)> = None;
            for (i, p) in ring.iter().enumerate() {
                let (x, y) = self.xy(*p);
                let q = ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
                if last == Some(q) {
                    continue;
                }
                last = Some(q);
                d.push(if i == 0 { 'M' } else { 'L' });
                d.push_str(&format!("{} {}", tenths(q.0), tenths(q.1)));
            }
            if !ring.is_empty() {
                d.push('Z');
            }
        }
        d
    }
}

fn tenths(v: i64) -> String {
    let (sign, v) = if v < 0 { ("-", -v) } else { ("", v) };
    if v % 10 == 0 {
        format!("{sign}{}", v / 10)
    } else {
        format!("{sign}{}.{}", v / 10, v % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_straight_line_keeps_its_ends() {
        let line: Vec<Point> = (0..10).map(|i| [i as f64, 0.0]).collect();
        assert_eq!(simplify(&line, 0.1), vec![[0.0, 0.0], [9.0, 0.0]]);
    }

    #[test]
    fn a_corner_is_kept() {
        let l = vec![[0.0, 0.0], [1.0, 0.01], [2.0, 0.0], [2.0, 2.0]];
        assert_eq!(simplify(&l, 0.1), vec![[0.0, 0.0], [2.0, 0.0], [2.0, 2.0]]);
    }

    #[test]
    fn paths_fit_the_canvas() {
        let square = Shape {
            rings: vec![vec![
                [10.0, 10.0],
                [11.0, 10.0],
                [11.0, 11.0],
                [10.0, 11.0],
                [10.0, 10.0],
            ]],
        };
        let p = Projection::fit(bbox(&[&square]).unwrap(), 100.0);
        assert_eq!(p.width, 100.0);
        assert!((p.height - 100.0 / 10.5f64.to_radians().cos()).abs() < 1e-6);
        let d = p.path(&square);
        assert!(d.starts_with("M0 "), "{d}");
        assert!(d.ends_with('Z'));
        assert_eq!(tenths(-15), "-1.5");
        assert_eq!(tenths(20), "2");
    }
}
