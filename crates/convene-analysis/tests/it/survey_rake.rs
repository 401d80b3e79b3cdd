//! Raking: errors, a hand-computed case, trimming, and properties.

use convene_analysis::survey::{rake, Margin, RakeOptions, Respondents, SurveyError, Trim};
use proptest::prelude::*;

fn people() -> Respondents {
    let rows = vec![
        vec!["f", "rural"],
        vec!["m", "urban"],
        vec!["m", "rural"],
        vec!["f", "urban"],
        vec!["m", "urban"],
    ];
    Respondents::from_rows(&["sex", "area"], &rows).unwrap()
}

fn margins() -> Vec<Margin> {
    vec![
        Margin::new("sex", "f", 0.5),
        Margin::new("sex", "m", 0.5),
        Margin::new("area", "rural", 0.6),
        Margin::new("area", "urban", 0.4),
    ]
}

fn share(resp: &Respondents, w: &[f64], var: usize, cat: &str) -> f64 {
    let total: f64 = w.iter().sum();
    (0..resp.len())
        .filter(|&i| resp.value(i, var) == Some(cat))
        .map(|i| w[i])
        .sum::<f64>()
        / total
}

#[test]
fn one_variable_is_post_stratification() {
    // With a single variable raking is post-stratification: weight = share * n / count.
    let resp = people();
    let m = [Margin::new("sex", "f", 0.3), Margin::new("sex", "m", 0.7)];
    let r = rake(&resp, &m, None, &RakeOptions::default()).unwrap();
    assert!(r.converged);
    assert_eq!(r.history.len(), 1);
    let f = 0.3 * 5.0 / 2.0;
    let mm = 0.7 * 5.0 / 3.0;
    let want = [f, mm, mm, f, mm];
    for (a, b) in r.weights.iter().zip(want) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }
}

#[test]
fn two_variables_meet_their_margins() {
    let resp = people();
    let opts = RakeOptions {
        tolerance: 1e-10,
        ..RakeOptions::default()
    };
    let r = rake(&resp, &margins(), None, &opts).unwrap();
    assert!(r.converged);
    assert!((share(&resp, &r.weights, 0, "f") - 0.5).abs() < 1e-10);
    assert!((share(&resp, &r.weights, 1, "rural") - 0.6).abs() < 1e-10);
    let mean = r.weights.iter().sum::<f64>() / 5.0;
    assert!((mean - 1.0).abs() < 1e-12);
    // The history decreases to below the tolerance.
    assert!(r.history.last().unwrap() < &1e-10);
    assert!(r.history.windows(2).all(|w| w[1] <= w[0]));
    assert!(r.initial_error > 0.19);
}

#[test]
fn clear_errors() {
    let resp = people();
    let opts = RakeOptions::default();
    let mut m = margins();
    m[1].share = 0.6;
    assert!(matches!(
        rake(&resp, &m, None, &opts),
        Err(SurveyError::SharesDoNotSumToOne { variable, .. }) if variable == "sex"
    ));
    let m = vec![Margin::new("sex", "f", 1.0)];
    assert_eq!(
        rake(&resp, &m, None, &opts),
        Err(SurveyError::CategoryWithoutMargin {
            variable: "sex".into(),
            category: "m".into()
        })
    );
    let mut m = margins();
    m.push(Margin::new("area", "camp", 0.0));
    assert!(matches!(
        rake(&resp, &m, None, &opts),
        Err(SurveyError::BadShare { .. })
    ));
    let m = vec![
        Margin::new("sex", "f", 0.4),
        Margin::new("sex", "m", 0.4),
        Margin::new("sex", "x", 0.2),
    ];
    assert_eq!(
        rake(&resp, &m, None, &opts),
        Err(SurveyError::MarginWithoutRespondents {
            variable: "sex".into(),
            category: "x".into()
        })
    );
    let m = vec![Margin::new("age", "old", 1.0)];
    assert_eq!(
        rake(&resp, &m, None, &opts),
        Err(SurveyError::UnknownVariable("age".into()))
    );
    let empty = Respondents::new(["sex"]);
    assert!(matches!(
        rake(&empty, &margins(), None, &opts),
        Err(SurveyError::Empty(_))
    ));
    assert!(matches!(
        rake(&resp, &[], None, &opts),
        Err(SurveyError::Empty(_))
    ));
    assert!(matches!(
        rake(&resp, &margins(), Some(&[1.0, 2.0]), &opts),
        Err(SurveyError::BadBaseWeights(_))
    ));
    assert!(matches!(
        rake(&resp, &margins(), Some(&[1.0, 2.0, 0.0, 1.0, 1.0]), &opts),
        Err(SurveyError::BadBaseWeights(_))
    ));
    let mut dup = margins();
    dup.push(Margin::new("sex", "f", 0.5));
    assert!(matches!(
        rake(&resp, &dup, None, &opts),
        Err(SurveyError::DuplicateMargin { .. })
    ));
}

#[test]
fn base_weights_are_the_starting_point() {
    // With one variable, base weights keep their ratios within each category.
    let resp = people();
    let m = [Margin::new("sex", "f", 0.5), Margin::new("sex", "m", 0.5)];
    let base = [1.0, 1.0, 2.0, 3.0, 1.0];
    let r = rake(&resp, &m, Some(&base), &RakeOptions::default()).unwrap();
    assert!((r.weights[3] / r.weights[0] - 3.0).abs() < 1e-12);
    assert!((r.weights[2] / r.weights[1] - 2.0).abs() < 1e-12);
    assert!((share(&resp, &r.weights, 0, "f") - 0.5).abs() < 1e-12);
}

#[test]
fn trimming_bounds_the_weights_and_reports_when_it_cannot() {
    // 1 woman among 10 respondents, population half women: untrimmed weight 5.
    let mut rows = vec![vec!["f"]];
    rows.extend((0..9).map(|_| vec!["m"]));
    let resp = Respondents::from_rows(&["sex"], &rows).unwrap();
    let m = [Margin::new("sex", "f", 0.5), Margin::new("sex", "m", 0.5)];
    let plain = rake(&resp, &m, None, &RakeOptions::default()).unwrap();
    assert!((plain.weights[0] - 5.0).abs() < 1e-12);
    let opts = RakeOptions {
        trim: Some(Trim {
            lower: 0.2,
            upper: 3.0,
        }),
        max_iterations: 50,
        ..RakeOptions::default()
    };
    let trimmed = rake(&resp, &m, None, &opts).unwrap();
    // The bounds cannot hold together with the margins here.
    assert!(!trimmed.converged);
    assert!(trimmed.weights.iter().all(|&w| w <= 3.0 + 1e-9));
    // Two variables where trimming and the margins can both hold.
    let rows: Vec<Vec<&str>> = (0..40)
        .map(|i| {
            vec![
                if i % 4 == 0 { "f" } else { "m" },
                if i % 3 == 0 { "a" } else { "b" },
            ]
        })
        .collect();
    let resp = Respondents::from_rows(&["sex", "area"], &rows).unwrap();
    let m = [
        Margin::new("sex", "f", 0.4),
        Margin::new("sex", "m", 0.6),
        Margin::new("area", "a", 0.5),
        Margin::new("area", "b", 0.5),
    ];
    let opts = RakeOptions {
        trim: Some(Trim {
            lower: 0.5,
            upper: 2.5,
        }),
        tolerance: 1e-8,
        max_iterations: 1000,
    };
    let r = rake(&resp, &m, None, &opts).unwrap();
    assert!(r.converged);
    assert!(r
        .weights
        .iter()
        .all(|&w| (0.5 - 1e-9..=2.5 + 1e-9).contains(&w)));
    assert!((share(&resp, &r.weights, 0, "f") - 0.4).abs() < 1e-8);
}

/// Respondents on up to 3 variables of up to 3 categories, where every category
/// occurs, with margins that some positive weights reach (so raking converges).
fn case() -> impl Strategy<Value = (Respondents, Vec<Margin>, Vec<f64>)> {
    (1usize..=3, 2usize..=3, 6usize..60).prop_flat_map(|(nv, nc, n)| {
        (
            proptest::collection::vec(proptest::collection::vec(0..nc, nv), n),
            proptest::collection::vec(0.2f64..5.0, n),
        )
            .prop_map(move |(mut codes, w)| {
                // Make sure every category of every variable occurs.
                for (i, row) in codes.iter_mut().enumerate().take(nc) {
                    row.iter_mut().for_each(|c| *c = i);
                }
                let vars: Vec<String> = (0..nv).map(|v| format!("v{v}")).collect();
                let rows: Vec<Vec<String>> = codes
                    .iter()
                    .map(|r| r.iter().map(|c| format!("c{c}")).collect())
                    .collect();
                let names: Vec<&str> = vars.iter().map(String::as_str).collect();
                let resp = Respondents::from_rows(&names, &rows).unwrap();
                let total: f64 = w.iter().sum();
                let mut margins = Vec::new();
                for (v, name) in vars.iter().enumerate() {
                    for c in 0..nc {
                        let s: f64 = codes
                            .iter()
                            .zip(&w)
                            .filter(|(r, _)| r[v] == c)
                            .map(|(_, w)| w)
                            .sum();
                        margins.push(Margin::new(name, &format!("c{c}"), s / total));
                    }
                }
                (resp, margins, w)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn raked_margins_match_targets((resp, margins, _) in case()) {
        let opts = RakeOptions { tolerance: 1e-7, max_iterations: 5000, trim: None };
        let r = rake(&resp, &margins, None, &opts).unwrap();
        prop_assert!(r.converged);
        prop_assert!(r.weights.iter().all(|w| *w > 0.0 && w.is_finite()));
        let mean = r.weights.iter().sum::<f64>() / r.weights.len() as f64;
        prop_assert!((mean - 1.0).abs() < 1e-9);
        for m in &margins {
            let v = resp.variables().iter().position(|x| *x == m.variable).unwrap();
            prop_assert!((share(&resp, &r.weights, v, &m.category) - m.share).abs() < 1e-7);
        }
    }

    #[test]
    fn raking_matching_data_changes_nothing((resp, margins, w) in case()) {
        // Base weights that already meet the margins stay as they are.
        let r = rake(&resp, &margins, Some(&w), &RakeOptions::default()).unwrap();
        prop_assert!(r.converged);
        prop_assert_eq!(r.history.len(), 1);
        let mean = w.iter().sum::<f64>() / w.len() as f64;
        for (a, b) in r.weights.iter().zip(&w) {
            prop_assert!((a - b / mean).abs() < 1e-9);
        }
    }

    #[test]
    fn raking_twice_is_raking_once((resp, margins, _) in case()) {
        let opts = RakeOptions { tolerance: 1e-9, max_iterations: 10000, trim: None };
        let once = rake(&resp, &margins, None, &opts).unwrap();
        let twice = rake(&resp, &margins, Some(&once.weights), &opts).unwrap();
        for (a, b) in once.weights.iter().zip(&twice.weights) {
            prop_assert!((a - b).abs() < 1e-6);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Without trimming, raking works on cells (combinations of categories); with
    /// (here inactive) trimming, on respondents. Both give the same weights.
    #[test]
    fn cells_and_respondents_give_the_same_weights((resp, margins, w) in case()) {
        let base: Vec<f64> = w.iter().map(|x| 1.0 / x).collect();
        let cells = RakeOptions { tolerance: 1e-10, max_iterations: 10000, trim: None };
        let wide = RakeOptions { trim: Some(Trim { lower: 1e-12, upper: 1e12 }), ..cells };
        let a = rake(&resp, &margins, Some(&base), &cells).unwrap();
        let b = rake(&resp, &margins, Some(&base), &wide).unwrap();
        prop_assert!(a.converged && b.converged);
        prop_assert_eq!(a.history.len(), b.history.len());
        for (x, y) in a.weights.iter().zip(&b.weights) {
            prop_assert!((x - y).abs() < 1e-8, "{} vs {}", x, y);
        }
    }
}
