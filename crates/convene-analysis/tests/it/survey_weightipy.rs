//! Compare raking with weightipy on the reference data.
//!
//! The files under `tests/reference/survey_*` are written by
//! `tests/reference/survey_weightipy.py` (see its docstring to regenerate).

use std::fs::File;
use std::path::PathBuf;

use convene_analysis::survey::{rake_csv, read_margins, read_respondents, RakeOptions};

fn reference(name: &str) -> File {
    File::open(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .join("reference")
            .join(name),
    )
    .expect("open reference file")
}

#[test]
fn raked_weights_match_weightipy_to_1e_6() {
    let resp = read_respondents(reference("survey_respondents.csv")).unwrap();
    let margins = read_margins(reference("survey_margins.csv")).unwrap();
    let opts = RakeOptions {
        tolerance: 1e-12,
        max_iterations: 10_000,
        trim: None,
    };
    let raked = rake_csv(&resp, &margins, None, &opts).unwrap();
    assert!(raked.converged);
    let mut rdr = csv::Reader::from_reader(reference("survey_weightipy_expected.csv"));
    let expected: Vec<f64> = rdr
        .records()
        .map(|r| r.unwrap()[0].parse().unwrap())
        .collect();
    assert_eq!(expected.len(), 500);
    assert_eq!(raked.weights.len(), expected.len());
    let mean = expected.iter().sum::<f64>() / expected.len() as f64;
    let mut worst: f64 = 0.0;
    for (got, want) in raked.weights.iter().zip(&expected) {
        worst = worst.max((got - want / mean).abs());
    }
    assert!(worst <= 1e-6, "largest difference from weightipy: {worst}");
    // The weights really vary: the comparison is not between two constant vectors.
    let spread = expected.iter().cloned().fold(0.0, f64::max)
        - expected.iter().cloned().fold(f64::INFINITY, f64::min);
    assert!(spread > 1.0);
}
