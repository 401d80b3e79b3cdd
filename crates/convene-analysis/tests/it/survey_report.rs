//! The results report and its release: numbers, weights, splits, and that no
//! released table lets a hidden count be worked out.

use convene_analysis::survey::{
    compute, release, Margin, QuestionSpec, Released, Report, Row, Shown, SpecKind,
};
use proptest::prelude::*;
use suppress_check::determined;

fn spec(name: &str, kind: SpecKind, cats: &[&str], demographic: bool) -> QuestionSpec {
    QuestionSpec {
        name: name.into(),
        label: name.to_uppercase(),
        kind,
        categories: cats
            .iter()
            .map(|c| (c.to_string(), c.to_uppercase()))
            .collect(),
        demographic,
    }
}

fn specs() -> Vec<QuestionSpec> {
    vec![
        spec("gender", SpecKind::Single, &["f", "m", "x"], true),
        spec(
            "groups",
            SpecKind::Multiple,
            &["displaced", "minority"],
            true,
        ),
        spec("safe", SpecKind::Single, &["yes", "no", "unsure"], false),
        spec(
            "issues",
            SpecKind::Multiple,
            &["water", "land", "jobs"],
            false,
        ),
    ]
}

fn row(pairs: &[(&str, &[&str])]) -> Row {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
        .collect()
}

/// Checks by linear algebra, independently of the suppression code.
mod suppress_check {
    /// Whether unknown `k` is fixed by the equations `a x = b` (rows of `a` over
    /// the unknowns): e_k lies in the row space of `a`.
    pub fn determined(a: &[Vec<f64>], k: usize, n: usize) -> bool {
        let r1 = rank(a.to_vec(), n);
        let mut b = a.to_vec();
        let mut e = vec![0.0; n];
        e[k] = 1.0;
        b.push(e);
        rank(b, n) == r1
    }

    fn rank(mut m: Vec<Vec<f64>>, n: usize) -> usize {
        let mut r = 0;
        for c in 0..n {
            let Some(p) = (r..m.len()).find(|&i| m[i][c].abs() > 1e-9) else {
                continue;
            };
            m.swap(r, p);
            for i in 0..m.len() {
                if i != r && m[i][c].abs() > 1e-9 {
                    let f = m[i][c] / m[r][c];
                    let pivot = m[r].clone();
                    for (x, v) in m[i].iter_mut().zip(&pivot) {
                        *x -= f * v;
                    }
                }
            }
            r += 1;
        }
        r
    }
}

/// Every additive table of a released single-choice question: the split by a
/// single-choice field with the overall counts as column totals. Returns the
/// number of hidden cells that could be worked out.
fn recoverable(rel: &Released, q: &str, field: &str) -> usize {
    recoverable_in(rel, None, q, field)
}

/// The true value behind each position of a question's split grid (groups, then
/// the overall line; categories, then the answered count).
fn truth(full: &Report, q: &str, field: &str) -> Vec<Vec<u64>> {
    let fq = full.questions.iter().find(|x| x.name == q).unwrap();
    let split = fq.splits.iter().find(|s| s.field == field).unwrap();
    split
        .groups
        .iter()
        .map(|g| &g.tally)
        .chain([&fq.overall])
        .map(|t| {
            let mut line: Vec<u64> = t.cells.iter().map(|c| c.count).collect();
            line.push(t.answered);
            line
        })
        .collect()
}

/// Hidden values that can be worked out; with the full report, only those that
/// are not zero count (a hidden zero that can be worked out reveals nothing:
/// zeros are published anyway).
fn recoverable_in(rel: &Released, full: Option<&Report>, q: &str, field: &str) -> usize {
    let truth = full.map(|f| truth(f, q, field));
    let rq = rel.questions.iter().find(|x| x.name == q).unwrap();
    let split = rq.splits.iter().find(|s| s.field == field).unwrap();
    let ncat = rq.categories.len();
    // Grid (groups + 1) x (ncat + 1): cells, row totals = answered, column totals =
    // overall counts, grand total = overall answered.
    let mut grid: Vec<Vec<Option<u64>>> = Vec::new();
    for g in &split.groups {
        let mut line: Vec<Option<u64>> = g.tally.cells.iter().map(|c| shown(&c.count)).collect();
        line.push(shown(&g.tally.answered));
        grid.push(line);
    }
    let mut last: Vec<Option<u64>> = rq.overall.cells.iter().map(|c| shown(&c.count)).collect();
    last.push(shown(&rq.overall.answered));
    grid.push(last);
    let rows = grid.len();
    let cols = ncat + 1;
    let mut unknown = std::collections::BTreeMap::new();
    for (i, line) in grid.iter().enumerate() {
        for (j, v) in line.iter().enumerate() {
            if v.is_none() {
                let k = unknown.len();
                unknown.insert((i, j), k);
            }
        }
    }
    let n = unknown.len();
    if n == 0 {
        return 0;
    }
    let mut eqs = Vec::new();
    let eq = |cells: Vec<(usize, usize)>, total: (usize, usize)| {
        let mut e = vec![0.0; n];
        for p in cells {
            if let Some(&k) = unknown.get(&p) {
                e[k] += 1.0;
            }
        }
        if let Some(&k) = unknown.get(&total) {
            e[k] -= 1.0;
        }
        e
    };
    for i in 0..rows {
        eqs.push(eq((0..ncat).map(|j| (i, j)).collect(), (i, ncat)));
    }
    for j in 0..cols {
        eqs.push(eq((0..rows - 1).map(|i| (i, j)).collect(), (rows - 1, j)));
    }
    unknown
        .iter()
        .filter(|&(&(i, j), &k)| {
            determined(&eqs, k, n) && truth.as_ref().is_none_or(|t| t[i][j] != 0)
        })
        .count()
}

/// For a multiple-choice question split by a single-choice field, only the
/// category columns add up (groups to the overall count); the answered counts
/// form their own column. Returns the number of hidden values that could be
/// worked out.
fn recoverable_multi(rel: &Released, q: &str, field: &str) -> usize {
    let rq = rel.questions.iter().find(|x| x.name == q).unwrap();
    let split = rq.splits.iter().find(|s| s.field == field).unwrap();
    let ncat = rq.categories.len();
    // Columns 0..ncat: categories; column ncat: answered. Last row: overall.
    let mut grid: Vec<Vec<Option<u64>>> = Vec::new();
    for t in split.groups.iter().map(|g| &g.tally).chain([&rq.overall]) {
        let mut line: Vec<Option<u64>> = t.cells.iter().map(|c| shown(&c.count)).collect();
        line.push(shown(&t.answered));
        grid.push(line);
    }
    let mut unknown = std::collections::BTreeMap::new();
    for (i, line) in grid.iter().enumerate() {
        for (j, v) in line.iter().enumerate() {
            if v.is_none() {
                let k = unknown.len();
                unknown.insert((i, j), k);
            }
        }
    }
    let n = unknown.len();
    if n == 0 {
        return 0;
    }
    let rows = grid.len();
    let eqs: Vec<Vec<f64>> = (0..=ncat)
        .map(|j| {
            let mut e = vec![0.0; n];
            for i in 0..rows - 1 {
                if let Some(&k) = unknown.get(&(i, j)) {
                    e[k] += 1.0;
                }
            }
            if let Some(&k) = unknown.get(&(rows - 1, j)) {
                e[k] -= 1.0;
            }
            e
        })
        .collect();
    unknown
        .values()
        .filter(|&&k| determined(&eqs, k, n))
        .count()
}

fn shown(p: &convene_analysis::survey::Published) -> Option<u64> {
    match p {
        convene_analysis::survey::Published::Shown(v) => Some(*v),
        convene_analysis::survey::Published::Hidden(_) => None,
    }
}

fn example() -> Vec<Row> {
    let mut rows = Vec::new();
    for i in 0..60 {
        let g = if i % 2 == 0 { "f" } else { "m" };
        let safe = if i % 3 == 0 { "no" } else { "yes" };
        rows.push(row(&[
            ("gender", &[g]),
            ("safe", &[safe]),
            ("issues", &["water", "land"]),
        ]));
    }
    for _ in 0..3 {
        rows.push(row(&[
            ("gender", &["f"]),
            ("groups", &["displaced"]),
            ("safe", &["unsure"]),
            ("issues", &["jobs"]),
        ]));
    }
    rows
}

#[test]
fn counts_percentages_and_intervals() {
    let r = compute(&specs(), &example(), &[]).unwrap();
    assert_eq!(r.respondents, 63);
    let safe = &r.questions[2];
    assert_eq!(safe.overall.answered, 63);
    let counts: Vec<u64> = safe.overall.cells.iter().map(|c| c.count).collect();
    assert_eq!(counts, vec![40, 20, 3]);
    let p = safe.overall.cells[0].proportion;
    assert!((p - 40.0 / 63.0).abs() < 1e-12);
    let i = safe.overall.cells[0].interval;
    assert!(i.low < p && p < i.high);
    // Split by gender: f, m, x, not stated.
    let by_gender = &safe.splits.iter().find(|s| s.field == "gender").unwrap();
    let f: Vec<u64> = by_gender.groups[0]
        .tally
        .cells
        .iter()
        .map(|c| c.count)
        .collect();
    assert_eq!(f, vec![20, 10, 3]);
    assert_eq!(by_gender.groups.last().unwrap().value, "");
    let gap = by_gender.groups[0].gaps[2].unwrap();
    assert!((gap.difference - 3.0 / 33.0).abs() < 1e-12);
}

#[test]
fn raking_weights_to_margins() {
    let margins = [
        Margin::new("gender", "f", 0.5),
        Margin::new("gender", "m", 0.5),
    ];
    let r = compute(&specs(), &example(), &margins).unwrap();
    let w = r.weighting.as_ref().unwrap();
    assert!(w.converged);
    assert_eq!(w.raked, 63);
    assert!(w.effective_n < 63.0);
    let g = &r.questions[0];
    assert!((g.overall.cells[0].proportion - 0.5).abs() < 1e-6);
    // Unweighted counts stay true.
    assert_eq!(g.overall.cells[0].count, 33);
}

#[test]
fn small_cells_are_hidden_with_their_percentages() {
    let r = compute(&specs(), &example(), &[]).unwrap();
    let rel = release(&r, 10);
    let safe = &rel.questions[2];
    assert_eq!(rel.text(&safe.overall.cells[2].count), "<10");
    assert!(safe.overall.cells[2].percent == Shown::Hidden);
    // A complementary cell is hidden too, so 3 is not 63 - 40 - 20.
    assert!(
        safe.overall
            .cells
            .iter()
            .filter(|c| c.count.is_hidden())
            .count()
            >= 2
    );
    assert_eq!(recoverable(&rel, "safe", "gender"), 0);
    // The displaced group (3 people) is hidden in every split by groups.
    let by_groups = safe.splits.iter().find(|s| s.field == "groups").unwrap();
    assert!(by_groups.groups[0].tally.answered.is_hidden());
    assert!(by_groups.groups[0].gaps.iter().all(|g| *g == Shown::Hidden));
    // Multiple choice: jobs (3) hidden.
    assert!(rel.questions[3].overall.cells[2].count.is_hidden());
    // The threshold is never below 5.
    assert_eq!(release(&r, 2).threshold, 5);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn no_hidden_cell_can_be_worked_out(
        people in prop::collection::vec((0usize..4, 0usize..4, prop::bool::ANY, 0usize..64), 1..250),
        threshold in 5u64..12,
    ) {
        let genders = ["f", "m", "x"];
        let answers = ["yes", "no", "unsure"];
        let rows: Vec<Row> = people
            .iter()
            .map(|&(g, a, displaced, issues)| {
                let mut r = Row::new();
                if g < 3 {
                    r.insert("gender".into(), vec![genders[g].into()]);
                }
                if a < 3 {
                    r.insert("safe".into(), vec![answers[a].into()]);
                }
                if displaced {
                    r.insert("groups".into(), vec!["displaced".into()]);
                }
                if issues < 62 {
                    // Water and land common, jobs rare: a small overall cell beside
                    // large group cells.
                    let chosen: Vec<String> = [
                        ("water", issues & 1 != 0),
                        ("land", issues & 2 != 0),
                        ("jobs", issues >= 58),
                    ]
                    .iter()
                    .filter(|(_, on)| *on)
                    .map(|(c, _)| c.to_string())
                    .collect();
                    r.insert("issues".into(), chosen);
                }
                r
            })
            .collect();
        let report = compute(&specs(), &rows, &[]).unwrap();
        let rel = release(&report, threshold);
        prop_assert_eq!(recoverable_in(&rel, Some(&report), "safe", "gender"), 0);
        prop_assert_eq!(recoverable_in(&rel, Some(&report), "gender", "groups"), 0);
        prop_assert_eq!(recoverable_multi(&rel, "issues", "gender"), 0);
        for (q, rq) in report.questions.iter().zip(&rel.questions) {
            // Primary: no count from 1 to T-1 is shown anywhere.
            let check = |t: &convene_analysis::survey::Tally,
                         r: &convene_analysis::survey::ReleasedTally| {
                for (c, rc) in t.cells.iter().zip(&r.cells) {
                    if c.count > 0 && c.count < threshold {
                        assert!(rc.count.is_hidden());
                    }
                    if rc.count.is_hidden() || r.answered.is_hidden() {
                        assert!(rc.percent == Shown::Hidden);
                    }
                }
                if t.answered > 0 && t.answered < threshold {
                    assert!(r.answered.is_hidden());
                }
            };
            check(&q.overall, &rq.overall);
            for (s, rs) in q.splits.iter().zip(&rq.splits) {
                for (g, rg) in s.groups.iter().zip(&rs.groups) {
                    check(&g.tally, &rg.tally);
                }
            }
        }
    }
}
