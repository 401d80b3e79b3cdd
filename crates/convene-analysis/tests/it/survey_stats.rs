//! Survey statistics and coding agreement against statsmodels and scikit-learn
//! (`tests/reference/survey_statsmodels.py`), and against worked examples.

use std::fs::File;
use std::path::PathBuf;

use convene_analysis::survey::{
    cohen_kappa, effective_sample_size, newcombe, split, tabulate, tabulate_multiple, wilson,
    Interval, Z95,
};
use serde_json::Value;

const TOL: f64 = 1e-12;

fn reference() -> Value {
    let p =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference/survey_statsmodels.json");
    serde_json::from_reader(File::open(p).unwrap()).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

#[test]
fn wilson_matches_statsmodels() {
    let r = reference();
    let cases = r["wilson"].as_array().unwrap();
    assert_eq!(cases.len(), 7);
    for c in cases {
        let (x, n) = (f(&c["count"]), f(&c["nobs"]));
        let i = wilson(x / n, n, Z95).unwrap();
        assert!((i.low - f(&c["low"])).abs() < TOL, "{c}: {i:?}");
        assert!((i.high - f(&c["high"])).abs() < TOL, "{c}: {i:?}");
    }
    assert_eq!(wilson(0.5, 0.0, Z95), None);
}

#[test]
fn newcombe_matches_statsmodels() {
    let r = reference();
    for c in r["newcombe"].as_array().unwrap() {
        let (x1, n1, x2, n2) = (
            f(&c["count1"]),
            f(&c["nobs1"]),
            f(&c["count2"]),
            f(&c["nobs2"]),
        );
        let (p1, p2) = (x1 / n1, x2 / n2);
        let i = newcombe(
            p1,
            wilson(p1, n1, Z95).unwrap(),
            p2,
            wilson(p2, n2, Z95).unwrap(),
        );
        assert!((i.low - f(&c["low"])).abs() < TOL, "{c}: {i:?}");
        assert!((i.high - f(&c["high"])).abs() < TOL, "{c}: {i:?}");
    }
}

#[test]
fn weighted_proportions_use_kish_effective_size() {
    let r = reference();
    for c in r["weighted"].as_array().unwrap() {
        let w: Vec<f64> = c["weights"].as_array().unwrap().iter().map(f).collect();
        let answers: Vec<Option<&str>> = c["answers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| Some(if a.as_bool().unwrap() { "yes" } else { "no" }))
            .collect();
        let s = tabulate(&answers, Some(&w)).unwrap();
        assert!((s.effective_n - f(&c["n_eff"])).abs() < 1e-9);
        assert!(s.effective_n < w.len() as f64);
        let yes = s.categories.iter().find(|x| x.category == "yes").unwrap();
        assert!((yes.proportion - f(&c["p"])).abs() < TOL);
        assert!((yes.interval.low - f(&c["low"])).abs() < 1e-10);
        assert!((yes.interval.high - f(&c["high"])).abs() < 1e-10);
    }
    assert!((effective_sample_size(&[1.0; 7]) - 7.0).abs() < 1e-12);
    assert!((effective_sample_size(&[1.0, 3.0]) - 1.6).abs() < 1e-12);
}

#[test]
fn kappa_matches_scikit_learn_and_the_textbook_example() {
    let r = reference();
    for c in r["kappa"].as_array().unwrap() {
        let a: Vec<&str> = c["a"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        let b: Vec<&str> = c["b"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        let k = cohen_kappa(&a, &b).unwrap().kappa.unwrap();
        assert!((k - f(&c["kappa"])).abs() < TOL, "{k} vs {}", c["kappa"]);
    }
    // Cohen's worked example as given in most textbooks: 50 answers, both say yes
    // 20 times, no 15 times, they disagree 5 + 10 times: p_o = 0.7, p_e = 0.5, kappa 0.4.
    let mut a = Vec::new();
    let mut b = Vec::new();
    for (x, y, n) in [
        ("yes", "yes", 20),
        ("yes", "no", 5),
        ("no", "yes", 10),
        ("no", "no", 15),
    ] {
        for _ in 0..n {
            a.push(x);
            b.push(y);
        }
    }
    let k = cohen_kappa(&a, &b).unwrap();
    assert!((k.observed - 0.7).abs() < TOL);
    assert!((k.expected - 0.5).abs() < TOL);
    assert!((k.kappa.unwrap() - 0.4).abs() < TOL);
    assert_eq!(cohen_kappa(&["x", "x"], &["x", "x"]).unwrap().kappa, None);
    assert!(cohen_kappa(&["x"], &["x", "y"]).is_err());
}

#[test]
fn counts_percentages_and_unanswered() {
    let answers = [Some("a"), Some("b"), None, Some("a"), Some("a")];
    let s = tabulate(&answers, None).unwrap();
    assert_eq!(s.answered, 4);
    assert_eq!(s.effective_n, 4.0);
    assert_eq!(s.categories.len(), 2);
    assert_eq!(
        (s.categories[0].category.as_str(), s.categories[0].count),
        ("a", 3)
    );
    assert!((s.categories[0].proportion - 0.75).abs() < TOL);
    let i = wilson(0.75, 4.0, Z95).unwrap();
    assert_eq!(s.categories[0].interval, i);
    // Several choices per respondent: shares of respondents, not of choices.
    let multi = [
        Some(vec!["water", "land"]),
        Some(vec!["water"]),
        Some(vec![]),
        None,
    ];
    let s = tabulate_multiple(&multi, None).unwrap();
    assert_eq!(s.answered, 3);
    let water = &s.categories.iter().find(|c| c.category == "water").unwrap();
    assert!((water.proportion - 2.0 / 3.0).abs() < TOL);
    assert!(tabulate(&answers, Some(&[1.0])).is_err());
}

#[test]
fn split_gives_groups_and_the_gap_of_the_marginalised_group() {
    // Women: 3 of 10 say yes; everyone else: 12 of 20.
    let mut answers = Vec::new();
    let mut sex = Vec::new();
    for i in 0..10 {
        answers.push(Some(if i < 3 { "yes" } else { "no" }));
        sex.push(Some("woman"));
    }
    for i in 0..20 {
        answers.push(Some(if i < 12 { "yes" } else { "no" }));
        sex.push(Some(if i % 2 == 0 { "man" } else { "other" }));
    }
    answers.push(Some("yes"));
    sex.push(None);
    let s = split(&answers, &sex, None, Some("woman")).unwrap();
    assert_eq!(
        s.groups.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(),
        ["man", "other", "woman"]
    );
    let yes = s.gaps.iter().find(|g| g.category == "yes").unwrap();
    assert!((yes.group - 0.3).abs() < TOL);
    assert!((yes.rest - 0.6).abs() < TOL);
    assert!((yes.difference + 0.3).abs() < TOL);
    let want = newcombe(
        0.3,
        wilson(0.3, 10.0, Z95).unwrap(),
        0.6,
        wilson(0.6, 20.0, Z95).unwrap(),
    );
    assert_eq!(yes.interval, want);
    assert!(want.low < -0.3 && want.high > -0.3 && want.high < 0.1);
    // Hand computation of the lower bound: Wilson(0.3, 10) = [0.1078, 0.6032],
    // Wilson(0.6, 20) = [0.3866, 0.7812]; -0.3 - sqrt(0.1922² + 0.1812²) = -0.5641.
    assert!((want.low + 0.5641).abs() < 5e-4, "{want:?}");
    let none = split(&answers, &sex, None, None).unwrap();
    assert!(none.gaps.is_empty());
    let _ = Interval {
        low: 0.0,
        high: 1.0,
    };
}

#[test]
fn weighted_split_uses_each_group_effective_size() {
    let answers = [
        Some("yes"),
        Some("no"),
        Some("yes"),
        Some("yes"),
        Some("no"),
        Some("no"),
    ];
    let group = [
        Some("idp"),
        Some("idp"),
        Some("host"),
        Some("host"),
        Some("host"),
        Some("host"),
    ];
    let w = [3.0, 1.0, 1.0, 1.0, 2.0, 2.0];
    let s = split(&answers, &group, Some(&w), Some("idp")).unwrap();
    let idp = &s.groups.iter().find(|g| g.0 == "idp").unwrap().1;
    // Displaced: yes weighs 3 of 4; n_eff = 16 / 10.
    assert!((idp.effective_n - 1.6).abs() < TOL);
    let host = &s.groups.iter().find(|g| g.0 == "host").unwrap().1;
    // Hosts: yes weighs 2 of 6; n_eff = 36 / 10.
    assert!((host.effective_n - 3.6).abs() < TOL);
    let yes = s.gaps.iter().find(|g| g.category == "yes").unwrap();
    assert!((yes.group - 0.75).abs() < TOL && (yes.rest - 1.0 / 3.0).abs() < TOL);
    let want = newcombe(
        0.75,
        wilson(0.75, 1.6, Z95).unwrap(),
        1.0 / 3.0,
        wilson(1.0 / 3.0, 3.6, Z95).unwrap(),
    );
    assert_eq!(yes.interval, want);
    // Small effective sizes give a wide interval that includes no difference.
    assert!(want.low < 0.0 && want.high > 0.0);
}
