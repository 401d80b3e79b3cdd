//! Properties of the boundary simplification and the map projection.

use convene_analysis::geo::{bbox, simplify, simplify_to, Point, Projection, Shape};
use proptest::prelude::*;

fn polyline() -> impl Strategy<Value = Vec<Point>> {
    prop::collection::vec((-180.0f64..180.0, -80.0f64..80.0), 0..200)
        .prop_map(|v| v.into_iter().map(|(x, y)| [x, y]).collect())
}

fn distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    };
    ((p[0] - a[0] - t * dx).powi(2) + (p[1] - a[1] - t * dy).powi(2)).sqrt()
}

proptest! {
    /// The simplified line is a subsequence of the original with both ends, and
    /// every dropped point lies within the tolerance of the kept segment around it.
    #[test]
    fn douglas_peucker_keeps_ends_and_stays_within_tolerance(
        line in polyline(),
        tolerance in 0.0f64..20.0,
    ) {
        let out = simplify(&line, tolerance);
        if line.len() <= 2 {
            prop_assert_eq!(&out, &line);
            return Ok(());
        }
        prop_assert_eq!(out.first(), line.first());
        prop_assert_eq!(out.last(), line.last());
        // Subsequence: walk the original, matching kept points in order.
        let mut idx = Vec::new();
        let mut j = 0;
        for (i, p) in line.iter().enumerate() {
            if j < out.len() && *p == out[j] {
                idx.push(i);
                j += 1;
            }
        }
        prop_assert_eq!(j, out.len());
        for w in idx.windows(2) {
            for p in &line[w[0] + 1..w[1]] {
                prop_assert!(distance(*p, line[w[0]], line[w[1]]) <= tolerance + 1e-9);
            }
        }
    }

    /// A ring simplified to a budget fits in it.
    #[test]
    fn simplify_to_respects_the_budget(line in polyline(), max in 4usize..60) {
        let out = simplify_to(&line, max);
        prop_assert!(out.len() <= max.max(4) || out.len() == line.len() && line.len() <= max);
    }

    /// Every point of the shapes falls on the canvas.
    #[test]
    fn projected_points_fall_on_the_canvas(line in polyline(), width in 50.0f64..1000.0) {
        let shape = Shape { rings: vec![line.clone()] };
        let Some(b) = bbox(&[&shape]) else { return Ok(()); };
        let p = Projection::fit(b, width);
        prop_assert!(p.height <= 2.0 * width + 1e-6);
        for q in &line {
            let (x, y) = p.xy(*q);
            prop_assert!(x >= -1e-6 && x <= p.width + 1e-6, "x {x} of {}", p.width);
            prop_assert!(y >= -1e-6 && y <= p.height + 1e-6, "y {y} of {}", p.height);
        }
    }
}
