//! `convene rake` end to end: weights written, convergence on stderr, bad input
//! named by file and line with exit code 2 and nothing written.

use std::path::Path;
use std::process::{Command, Output};

fn rake(dir: &Path, resp: &str, margins: &str, extra: &[&str]) -> Output {
    std::fs::write(dir.join("resp.csv"), resp).unwrap();
    std::fs::write(dir.join("margins.csv"), margins).unwrap();
    Command::new(env!("CARGO_BIN_EXE_convene"))
        .current_dir(dir)
        .env_remove("CONVENE_CONFIG")
        .args(["rake", "resp.csv", "--margins", "margins.csv"])
        .args(extra)
        .output()
        .unwrap()
}

const RESP: &str = "sex,area\nf,rural\nm,urban\nm,rural\nf,urban\nm,urban\n";
const MARGINS: &str =
    "variable,category,share\nsex,f,0.5\nsex,m,0.5\narea,rural,60%\narea,urban,0.4\n";

#[test]
fn writes_weights_with_mean_one_and_prints_convergence() {
    let dir = tempfile::tempdir().unwrap();
    let out = rake(dir.path(), RESP, MARGINS, &["--tol", "1e-9"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("sex,area,weight"));
    let rows: Vec<(String, String, f64)> = lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[1].to_string(), f[2].parse().unwrap())
        })
        .collect();
    assert_eq!(rows.len(), 5);
    assert_eq!((rows[0].0.as_str(), rows[0].1.as_str()), ("f", "rural"));
    let total: f64 = rows.iter().map(|r| r.2).sum();
    assert!((total - 5.0).abs() < 1e-9);
    let women: f64 = rows.iter().filter(|r| r.0 == "f").map(|r| r.2).sum();
    let rural: f64 = rows.iter().filter(|r| r.1 == "rural").map(|r| r.2).sum();
    assert!((women / total - 0.5).abs() < 1e-9);
    assert!((rural / total - 0.6).abs() < 1e-9);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("iteration 1: largest margin error"), "{err}");
    assert!(err.contains("converged after"), "{err}");

    let out = rake(dir.path(), RESP, MARGINS, &["--out", "weighted.csv"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(dir.path().join("weighted.csv")).unwrap();
    assert!(written.starts_with("sex,area,weight\nf,rural,"));
}

fn fails(resp: &str, margins: &str, extra: &[&str], expect: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["--out", "weighted.csv"];
    args.extend_from_slice(extra);
    let out = rake(dir.path(), resp, margins, &args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for e in expect {
        assert!(err.contains(e), "{e:?} not in {err:?}");
    }
    assert!(!dir.path().join("weighted.csv").exists(), "output written");
}

#[test]
fn bad_input_names_file_and_line_exits_2_and_writes_nothing() {
    fails(
        RESP,
        "variable,category,share\nsex,f,0.5\nsex,m,0.6\n",
        &[],
        &["margins.csv: line 2", "sum to 1.1"],
    );
    fails(
        "sex\nf\nm\nx\nm\n",
        "variable,category,share\nsex,f,0.5\nsex,m,0.5\n",
        &[],
        &["resp.csv: line 4", "\"x\"", "no margin"],
    );
    fails(
        RESP,
        "variable,category,share\nsex,f,0.5\nsex,m,0.5\nsex,x,0\n",
        &[],
        &["margins.csv: line 4"],
    );
    fails(
        "sex\nf\nm\n",
        "variable,category,share\nsex,f,0.3\nsex,m,0.3\nsex,x,0.4\n",
        &[],
        &["margins.csv: line 4", "\"x\" has no respondents"],
    );
    fails(
        "sex,area\nf,rural\nm\n",
        MARGINS,
        &[],
        &["resp.csv: line 3", "expected 2 fields"],
    );
    fails(
        RESP,
        "variable,category,share\nsex,f,half\n",
        &[],
        &["margins.csv: line 2", "not a number"],
    );
    fails("sex,area\n", MARGINS, &[], &["resp.csv", "no respondents"]);
    fails(RESP, "var,cat\n", &[], &["margins.csv: line 1", "header"]);
    fails(RESP, MARGINS, &["--tol", "0"], &["options: ", "tolerance"]);
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_convene"))
        .current_dir(dir.path())
        .args(["rake", "missing.csv", "--margins", "m.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.csv: cannot open"));
}

#[test]
fn no_convergence_exits_1_and_writes_nothing() {
    // f is always rural and m always urban, so the margins contradict each other.
    let dir = tempfile::tempdir().unwrap();
    let out = rake(
        dir.path(),
        "sex,area\nf,rural\nm,urban\nf,rural\n",
        "variable,category,share\nsex,f,0.5\nsex,m,0.5\narea,rural,0.8\narea,urban,0.2\n",
        &["--out", "weighted.csv", "--max-iter", "20"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did not converge"));
    assert!(!dir.path().join("weighted.csv").exists());
}

#[test]
fn trimming_option() {
    let dir = tempfile::tempdir().unwrap();
    let resp: String = std::iter::once("sex,area\n".to_string())
        .chain((0..40).map(|i| {
            format!(
                "{},{}\n",
                if i % 4 == 0 { "f" } else { "m" },
                if i % 3 == 0 { "a" } else { "b" }
            )
        }))
        .collect();
    let margins = "variable,category,share\nsex,f,0.4\nsex,m,0.6\narea,a,0.5\narea,b,0.5\n";
    let out = rake(
        dir.path(),
        &resp,
        margins,
        &["--trim", "0.5,2.5", "--max-iter", "1000"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let weights: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(weights.len(), 40);
    assert!(weights
        .iter()
        .all(|&w| (0.5 - 1e-9..=2.5 + 1e-9).contains(&w)));
    fails(&resp, margins, &["--trim", "3"], &["--trim", "LOWER,UPPER"]);
    fails(
        &resp,
        margins,
        &["--trim", "2,3"],
        &["options: ", "trimming bounds"],
    );
}

#[test]
fn base_weights_from_a_column() {
    // One variable: raking keeps the ratio of base weights within a category.
    let dir = tempfile::tempdir().unwrap();
    let resp = "sex,design\nf,1\nf,3\nm,2\nm,2\n";
    let margins = "variable,category,share\nsex,f,0.5\nsex,m,0.5\n";
    let out = rake(dir.path(), resp, margins, &["--base-weight", "design"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let w: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(w, [0.5, 1.5, 1.0, 1.0]);
    assert!(text.starts_with("sex,design,weight\nf,1,0.5\n"));
    fails(
        "sex,design\nf,1\nf,x\nm,2\n",
        margins,
        &["--base-weight", "design"],
        &["resp.csv: line 3", "\"x\" in column \"design\""],
    );
    fails(
        resp,
        margins,
        &["--base-weight", "nope"],
        &["resp.csv: line 1", "\"nope\""],
    );
}
