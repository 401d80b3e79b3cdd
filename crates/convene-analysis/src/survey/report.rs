//! A poll's full results report, and the one way to make it fit for release.
//!
//! [`compute`] turns question specifications and respondent rows into a
//! [`Report`]: per question counts, weighted percentages and 95% Wilson intervals
//! (on Kish's effective sample size when weighted), optional raking to population
//! margins, and every question split by every demographic field with the gap
//! between each group and the rest. The report holds true counts and is for the
//! organisers' eyes only.
//!
//! [`release`] is the only function that makes a [`Released`] report, the only
//! type an exit (public page, printable summary, CSV, API, SMS summary) accepts.
//! It suppresses every count table (cells and totals, splits included) with
//! complementary suppression, links the tables that share totals so that a value
//! hidden in one is hidden in all, and hides the percentages, intervals, means and
//! gaps that would reveal a hidden count.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::error::SurveyError;
use super::rake::{rake, Margin, RakeOptions, Respondents};
use super::stats::{effective_sample_size, newcombe, wilson, Z95};
use super::suppress::{Published, MIN_THRESHOLD};

/// How a question is tabulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SpecKind {
    /// One category per respondent.
    Single,
    /// Any number of categories per respondent.
    Multiple,
    /// A number (answered count and mean).
    Number,
    /// A whole number on a scale: its categories are the scale's points.
    Scale,
    /// Free text coded into any number of codes (tabulated like `Multiple`).
    Coded,
}

impl SpecKind {
    fn multiple(self) -> bool {
        matches!(self, SpecKind::Multiple | SpecKind::Coded)
    }
    fn has_categories(self) -> bool {
        !matches!(self, SpecKind::Number)
    }
}

/// One question to report on.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuestionSpec {
    /// The question's name (the key in each row).
    pub name: String,
    /// Its label.
    pub label: String,
    /// How it is tabulated.
    pub kind: SpecKind,
    /// Its categories in order, as (value, label); values found in the data but not
    /// listed are added at the end.
    pub categories: Vec<(String, String)>,
    /// Whether results are split by it.
    pub demographic: bool,
}

/// One respondent: the values given, by question name (several for multiple
/// choice and coded questions; a number as text for number questions).
pub type Row = BTreeMap<String, Vec<String>>;

/// How the weights were made.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Weighting {
    /// Whether raking reached the tolerance.
    pub converged: bool,
    /// Largest margin error before raking.
    pub initial_error: f64,
    /// Largest margin error after each iteration.
    pub history: Vec<f64>,
    /// Respondents raked (those with a value of every margin variable).
    pub raked: usize,
    /// Kish's effective sample size of all respondents.
    pub effective_n: f64,
    /// Smallest and largest weight.
    pub range: (f64, f64),
}

/// A confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bounds {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// One category's numbers.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Cell {
    /// Respondents who gave it (unweighted).
    pub count: u64,
    /// Weighted proportion among those who answered.
    pub proportion: f64,
    /// Its 95% Wilson interval.
    pub interval: Bounds,
}

/// The numbers of one set of respondents (everyone, or one group).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    /// Respondents who answered (unweighted).
    pub answered: u64,
    /// Kish's effective sample size of those who answered.
    pub effective_n: f64,
    /// One cell per category of the question (empty for numbers).
    pub cells: Vec<Cell>,
    /// Weighted mean (numbers and scales).
    pub mean: Option<f64>,
}

/// The gap in one category between a group and everyone else.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GapStat {
    /// Group proportion minus the rest's.
    pub difference: f64,
    /// Newcombe's 95% interval of the difference.
    pub interval: Bounds,
}

/// One group of a split.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Group {
    /// The field's value (empty for "not stated").
    pub value: String,
    /// Its label.
    pub label: String,
    /// The numbers within the group.
    pub tally: Tally,
    /// Per category, the gap between the group and everyone else who stated the
    /// field (`None` for the "not stated" row or when either side is empty).
    pub gaps: Vec<Option<GapStat>>,
}

/// A question split by a demographic field.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SplitReport {
    /// The field (a demographic question's name).
    pub field: String,
    /// Its label.
    pub label: String,
    /// Whether a respondent may be in several groups (then each group is its own
    /// table against everyone else).
    pub overlapping: bool,
    /// The groups, in the field's order, then "not stated" (value "") last.
    pub groups: Vec<Group>,
}

/// One question's results.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuestionReport {
    /// Name.
    pub name: String,
    /// Label.
    pub label: String,
    /// Kind.
    pub kind: SpecKind,
    /// Categories (value, label), in order.
    pub categories: Vec<(String, String)>,
    /// The numbers among everyone.
    pub overall: Tally,
    /// Split by each other demographic field.
    pub splits: Vec<SplitReport>,
}

/// A full report, with true counts: for organisers and analysts only.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    /// Respondents counted.
    pub respondents: u64,
    /// The weighting, when margins were given.
    pub weighting: Option<Weighting>,
    /// One entry per question.
    pub questions: Vec<QuestionReport>,
}

fn bounds(p: f64, n: f64) -> Bounds {
    wilson(p, n, Z95).map_or(
        Bounds {
            low: 0.0,
            high: 1.0,
        },
        |i| Bounds {
            low: i.low,
            high: i.high,
        },
    )
}

/// Running sums of one set of respondents on one question.
#[derive(Debug, Clone)]
struct Acc {
    answered: u64,
    w: f64,
    w2: f64,
    counts: Vec<u64>,
    wsum: Vec<f64>,
    msum: f64,
    mw: f64,
}

/// One respondent's answer to one question, read once: category indices (no
/// repeats) and the number, if any.
type Coded = Option<(Vec<usize>, Option<f64>)>;

impl Acc {
    fn new(ncat: usize) -> Self {
        Acc {
            answered: 0,
            w: 0.0,
            w2: 0.0,
            counts: vec![0; ncat],
            wsum: vec![0.0; ncat],
            msum: 0.0,
            mw: 0.0,
        }
    }

    fn add(&mut self, w: f64, a: &(Vec<usize>, Option<f64>)) {
        self.answered += 1;
        self.w += w;
        self.w2 += w * w;
        for &c in &a.0 {
            self.counts[c] += 1;
            self.wsum[c] += w;
        }
        if let Some(x) = a.1 {
            self.msum += w * x;
            self.mw += w;
        }
    }

    /// `self` minus `other` (a subset of it).
    fn minus(&self, other: &Acc) -> Acc {
        Acc {
            answered: self.answered - other.answered,
            w: (self.w - other.w).max(0.0),
            w2: (self.w2 - other.w2).max(0.0),
            counts: self
                .counts
                .iter()
                .zip(&other.counts)
                .map(|(a, b)| a - b)
                .collect(),
            wsum: self
                .wsum
                .iter()
                .zip(&other.wsum)
                .map(|(a, b)| (a - b).max(0.0))
                .collect(),
            msum: self.msum - other.msum,
            mw: (self.mw - other.mw).max(0.0),
        }
    }

    fn tally(&self) -> Tally {
        let effective_n = if self.w2 > 0.0 {
            self.w * self.w / self.w2
        } else {
            0.0
        };
        let cells = self
            .counts
            .iter()
            .zip(&self.wsum)
            .map(|(&count, &ws)| {
                let proportion = if self.w > 0.0 {
                    (ws / self.w).min(1.0)
                } else {
                    0.0
                };
                Cell {
                    count,
                    proportion,
                    interval: bounds(proportion, effective_n),
                }
            })
            .collect();
        Tally {
            answered: self.answered,
            effective_n,
            cells,
            mean: (self.mw > 1e-12).then(|| self.msum / self.mw),
        }
    }
}

/// Every respondent's answer to question `q` (categories `cats`).
fn code_answers(q: &QuestionSpec, cats: &[(String, String)], rows: &[Row]) -> Vec<Coded> {
    let index: HashMap<&str, usize> = cats
        .iter()
        .enumerate()
        .map(|(i, (v, _))| (v.as_str(), i))
        .collect();
    rows.iter()
        .map(|r| {
            let vals = r.get(&q.name)?;
            if vals.is_empty() && !q.kind.multiple() {
                return None;
            }
            let mut c: Vec<usize> = vals
                .iter()
                .filter_map(|v| index.get(v.as_str()).copied())
                .collect();
            c.sort_unstable();
            c.dedup();
            let num = if matches!(q.kind, SpecKind::Number | SpecKind::Scale) {
                vals.iter()
                    .filter_map(|v| v.trim().parse::<f64>().ok())
                    .find(|x| x.is_finite())
            } else {
                None
            };
            Some((c, num))
        })
        .collect()
}

/// Every respondent's groups of demographic field `f` (`None`: not stated).
fn code_groups(
    f: &QuestionSpec,
    cats: &[(String, String)],
    rows: &[Row],
) -> Vec<Option<Vec<usize>>> {
    let index: HashMap<&str, usize> = cats
        .iter()
        .enumerate()
        .map(|(i, (v, _))| (v.as_str(), i))
        .collect();
    rows.iter()
        .map(|r| {
            let vals = r.get(&f.name).filter(|v| !v.is_empty())?;
            let mut g: Vec<usize> = vals
                .iter()
                .filter_map(|v| index.get(v.as_str()).copied())
                .collect();
            g.sort_unstable();
            g.dedup();
            Some(g)
        })
        .collect()
}

fn gap(g: &Tally, rest: &Tally, c: usize) -> Option<GapStat> {
    if g.answered == 0 || rest.answered == 0 {
        return None;
    }
    let (p1, p2) = (g.cells[c].proportion, rest.cells[c].proportion);
    let (i1, i2) = (g.cells[c].interval, rest.cells[c].interval);
    let i = newcombe(
        p1,
        super::stats::Interval {
            low: i1.low,
            high: i1.high,
        },
        p2,
        super::stats::Interval {
            low: i2.low,
            high: i2.high,
        },
    );
    Some(GapStat {
        difference: p1 - p2,
        interval: Bounds {
            low: i.low,
            high: i.high,
        },
    })
}

/// The categories of `q`: those listed, then any other value found, sorted.
fn categories(q: &QuestionSpec, rows: &[Row]) -> Vec<(String, String)> {
    let mut cats = q.categories.clone();
    if !q.kind.has_categories() {
        return Vec::new();
    }
    let known: BTreeSet<String> = cats.iter().map(|(v, _)| v.clone()).collect();
    let mut extra = BTreeSet::new();
    for r in rows {
        for v in r.get(&q.name).into_iter().flatten() {
            if !known.contains(v) {
                extra.insert(v.clone());
            }
        }
    }
    cats.extend(extra.into_iter().map(|v| (v.clone(), v)));
    cats
}

/// Weights raked to `margins` (variable = a question's name). Respondents without
/// a margin category of every margin variable keep weight 1.
fn weights_for(rows: &[Row], margins: &[Margin]) -> Result<(Vec<f64>, Weighting), SurveyError> {
    let mut vars: Vec<&str> = Vec::new();
    for m in margins {
        if !vars.contains(&m.variable.as_str()) {
            vars.push(&m.variable);
        }
    }
    let allowed: BTreeSet<(&str, &str)> = margins
        .iter()
        .map(|m| (m.variable.as_str(), m.category.as_str()))
        .collect();
    let mut resp = Respondents::new(vars.iter().copied());
    let mut raked_rows = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let vals: Option<Vec<&str>> = vars
            .iter()
            .map(|v| {
                let x = r.get(*v).and_then(|x| x.first())?;
                allowed.contains(&(*v, x.as_str())).then_some(x.as_str())
            })
            .collect();
        if let Some(vals) = vals {
            resp.push(&vals)?;
            raked_rows.push(i);
        }
    }
    let raked = rake(&resp, margins, None, &RakeOptions::default())?;
    let mut weights = vec![1.0; rows.len()];
    for (k, &i) in raked_rows.iter().enumerate() {
        weights[i] = raked.weights[k];
    }
    let min = weights.iter().copied().fold(f64::INFINITY, f64::min);
    let max = weights.iter().copied().fold(0.0, f64::max);
    Ok((
        weights.clone(),
        Weighting {
            converged: raked.converged,
            initial_error: raked.initial_error,
            history: raked.history,
            raked: raked_rows.len(),
            effective_n: effective_sample_size(&weights),
            range: (if min.is_finite() { min } else { 0.0 }, max),
        },
    ))
}

/// Computes the full report. With `margins` (non-empty), respondents are raked to
/// them first.
pub fn compute(
    specs: &[QuestionSpec],
    rows: &[Row],
    margins: &[Margin],
) -> Result<Report, SurveyError> {
    let (weights, weighting) = if margins.is_empty() {
        (vec![1.0; rows.len()], None)
    } else {
        let (w, info) = weights_for(rows, margins)?;
        (w, Some(info))
    };
    let cats: Vec<Vec<(String, String)>> = specs.iter().map(|q| categories(q, rows)).collect();
    let answers: Vec<Vec<Coded>> = specs
        .iter()
        .zip(&cats)
        .map(|(q, c)| code_answers(q, c, rows))
        .collect();
    let groups_of: Vec<Option<Vec<Option<Vec<usize>>>>> = specs
        .iter()
        .zip(&cats)
        .map(|(f, c)| (f.demographic && f.kind.has_categories()).then(|| code_groups(f, c, rows)))
        .collect();
    let mut questions = Vec::with_capacity(specs.len());
    for (qi, q) in specs.iter().enumerate() {
        let ncat = cats[qi].len();
        let mut all = Acc::new(ncat);
        for (i, a) in answers[qi].iter().enumerate() {
            if let Some(a) = a {
                all.add(weights[i], a);
            }
        }
        let overall = all.tally();
        let mut splits = Vec::new();
        for (fi, f) in specs.iter().enumerate() {
            let Some(field) = &groups_of[fi] else {
                continue;
            };
            if fi == qi {
                continue;
            }
            let mut per = vec![Acc::new(ncat); cats[fi].len()];
            let mut stated = Acc::new(ncat);
            let mut unknown = Acc::new(ncat);
            for (i, a) in answers[qi].iter().enumerate() {
                let Some(a) = a else { continue };
                match &field[i] {
                    Some(gs) => {
                        stated.add(weights[i], a);
                        for &g in gs {
                            per[g].add(weights[i], a);
                        }
                    }
                    None => unknown.add(weights[i], a),
                }
            }
            let mut groups = Vec::with_capacity(per.len() + 1);
            for ((value, label), acc) in cats[fi].iter().zip(&per) {
                let t = acc.tally();
                let r = stated.minus(acc).tally();
                let gaps = (0..ncat).map(|c| gap(&t, &r, c)).collect();
                groups.push(Group {
                    value: value.clone(),
                    label: label.clone(),
                    tally: t,
                    gaps,
                });
            }
            let t = unknown.tally();
            groups.push(Group {
                value: String::new(),
                label: String::new(),
                gaps: vec![None; t.cells.len()],
                tally: t,
            });
            splits.push(SplitReport {
                field: f.name.clone(),
                label: f.label.clone(),
                overlapping: f.kind.multiple(),
                groups,
            });
        }
        questions.push(QuestionReport {
            name: q.name.clone(),
            label: q.label.clone(),
            kind: q.kind,
            categories: cats[qi].clone(),
            overall,
            splits,
        });
    }
    Ok(Report {
        respondents: rows.len() as u64,
        weighting,
        questions,
    })
}

// ---------------------------------------------------------------------------
// Release

/// A released number: shown, or hidden ("<T").
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Shown<T> {
    /// The value.
    Value(T),
    /// Hidden.
    Hidden,
}

impl<T: Copy> Shown<T> {
    /// The value, if shown.
    pub fn value(&self) -> Option<T> {
        match self {
            Shown::Value(v) => Some(*v),
            Shown::Hidden => None,
        }
    }
    fn when(show: bool, v: T) -> Self {
        if show {
            Shown::Value(v)
        } else {
            Shown::Hidden
        }
    }
}

/// One released category.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReleasedCell {
    /// Count.
    pub count: Published,
    /// Percentage (0 to 100).
    pub percent: Shown<f64>,
    /// 95% interval, in percent.
    pub interval: Shown<Bounds>,
}

/// Released numbers of one set of respondents.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReleasedTally {
    /// Respondents who answered.
    pub answered: Published,
    /// Per category.
    pub cells: Vec<ReleasedCell>,
    /// Mean (numbers and scales), hidden below the threshold.
    pub mean: Shown<f64>,
}

/// One released group.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReleasedGroup {
    /// Value ("" for not stated).
    pub value: String,
    /// Label.
    pub label: String,
    /// Numbers.
    pub tally: ReleasedTally,
    /// Gaps against the rest, in percentage points.
    pub gaps: Vec<Shown<GapStat>>,
}

/// A released split.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReleasedSplit {
    /// Field.
    pub field: String,
    /// Label.
    pub label: String,
    /// Groups.
    pub groups: Vec<ReleasedGroup>,
}

/// One released question.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReleasedQuestion {
    /// Name.
    pub name: String,
    /// Label.
    pub label: String,
    /// Kind.
    pub kind: SpecKind,
    /// Categories (value, label).
    pub categories: Vec<(String, String)>,
    /// Among everyone.
    pub overall: ReleasedTally,
    /// Splits.
    pub splits: Vec<ReleasedSplit>,
}

/// Only this module makes one.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Seal;

/// A report fit for release: every count below the threshold hidden, with
/// complementary suppression. Only [`release`] makes one.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Released {
    /// The threshold (at least [`MIN_THRESHOLD`]).
    pub threshold: u64,
    /// Respondents.
    pub respondents: Published,
    /// Whether the percentages are weighted.
    pub weighted: bool,
    /// Questions.
    pub questions: Vec<ReleasedQuestion>,
    #[serde(skip)]
    seal: Seal,
}

impl Released {
    /// "<T" or the number.
    pub fn text(&self, p: &Published) -> String {
        p.text(self.threshold)
    }
}

/// Hidden flags for one additive table: `cells[r][c]`, row totals, column totals,
/// grand total. `forced` positions start hidden.
#[derive(Debug, Clone, PartialEq)]
struct Mask {
    cells: Vec<Vec<bool>>,
    rows: Vec<bool>,
    cols: Vec<bool>,
    total: bool,
}

/// Suppresses an additive table whose rows sum to the column totals, starting
/// with `forced` hidden: primary (1..T-1), then complementary until every line
/// (row or column, totals included) has zero or at least two hidden values and
/// every hidden value lies on a cycle of hidden values.
fn suppress(table: &[Vec<u64>], t: u64, forced: &Mask) -> Mask {
    let r = table.len();
    let c = table.first().map_or(0, Vec::len);
    let (rr, cc) = (r + 1, c + 1);
    let mut values = vec![0u64; rr * cc];
    for i in 0..r {
        for j in 0..c {
            values[i * cc + j] = table[i][j];
            values[i * cc + c] += table[i][j];
            values[r * cc + j] += table[i][j];
            values[r * cc + c] += table[i][j];
        }
    }
    let mut hidden: Vec<bool> = values.iter().map(|&v| v > 0 && v < t).collect();
    for i in 0..rr {
        for j in 0..cc {
            let f = match (i < r, j < c) {
                (true, true) => forced.cells[i][j],
                (true, false) => forced.rows[i],
                (false, true) => forced.cols[j],
                (false, false) => forced.total,
            };
            hidden[i * cc + j] |= f;
        }
    }
    let line = |l: usize| -> Vec<usize> {
        if l < rr {
            (0..cc).map(|j| l * cc + j).collect()
        } else {
            (0..rr).map(|i| i * cc + (l - rr)).collect()
        }
    };
    let ends = |p: usize| (p / cc, rr + p % cc);
    loop {
        let mut changed = false;
        // Lines with exactly one hidden value.
        for l in 0..rr + cc {
            let ln = line(l);
            if ln.iter().filter(|&&p| hidden[p]).count() == 1 {
                let pick = ln
                    .iter()
                    .copied()
                    .filter(|&p| !hidden[p])
                    .min_by_key(|&p| (values[p] == 0, values[p], p));
                if let Some(p) = pick {
                    hidden[p] = true;
                    changed = true;
                }
            }
        }
        if changed {
            continue;
        }
        // Hidden values on no cycle (bridges of the bipartite graph of lines).
        for p in 0..values.len() {
            if !hidden[p] {
                continue;
            }
            let (a, b) = ends(p);
            let reach = |from: usize| {
                let mut seen = vec![false; rr + cc];
                seen[from] = true;
                let mut stack = vec![from];
                while let Some(l) = stack.pop() {
                    for q in line(l) {
                        if q == p || !hidden[q] {
                            continue;
                        }
                        let (x, y) = ends(q);
                        let o = if x == l { y } else { x };
                        if !seen[o] {
                            seen[o] = true;
                            stack.push(o);
                        }
                    }
                }
                seen
            };
            let from_a = reach(a);
            if from_a[b] {
                continue;
            }
            let from_b = reach(b);
            let pick = (0..values.len())
                .filter(|&q| !hidden[q])
                .filter(|&q| {
                    let (x, y) = ends(q);
                    (from_a[x] && from_b[y]) || (from_b[x] && from_a[y])
                })
                .min_by_key(|&q| (values[q] == 0, values[q], q));
            if let Some(q) = pick {
                hidden[q] = true;
                changed = true;
                break;
            }
        }
        if !changed {
            break;
        }
    }
    Mask {
        cells: (0..r)
            .map(|i| (0..c).map(|j| hidden[i * cc + j]).collect())
            .collect(),
        rows: (0..r).map(|i| hidden[i * cc + c]).collect(),
        cols: (0..c).map(|j| hidden[r * cc + j]).collect(),
        total: hidden[r * cc + c],
    }
}

fn empty_mask(r: usize, c: usize) -> Mask {
    Mask {
        cells: vec![vec![false; c]; r],
        rows: vec![false; r],
        cols: vec![false; c],
        total: false,
    }
}

/// The additive count table of a tally set: for categories, the category counts
/// plus, for multiple choice, nothing else (each category is its own yes/no
/// column, so the table is one column per category and one "answered" column).
fn row_counts(t: &Tally) -> Vec<u64> {
    if t.cells.is_empty() {
        vec![t.answered]
    } else {
        t.cells.iter().map(|c| c.count).collect()
    }
}

/// Whether the tally's cells are additive (they sum to `answered`).
fn additive(kind: SpecKind) -> bool {
    matches!(kind, SpecKind::Single | SpecKind::Scale | SpecKind::Number)
}

/// Per row (cells hidden, answered hidden), and the column flags.
type TableMask = (Vec<(Vec<bool>, bool)>, Vec<bool>);

/// Mask of one table (rows of tallies of question `kind`), with `forced_cols`
/// (per published column: category counts, then answered) hidden from the start.
/// Returns per row: (cell hidden per category, answered hidden), and the
/// hidden flags of the column totals (categories, then answered).
fn mask_tallies(
    kind: SpecKind,
    rows: &[&Tally],
    t: u64,
    forced_cols: &[bool],
    forced_rows: &[bool],
) -> TableMask {
    let ncat = rows.first().map_or(0, |r| r.cells.len());
    if additive(kind) {
        let table: Vec<Vec<u64>> = rows.iter().map(|r| row_counts(r)).collect();
        let ncol = table.first().map_or(0, Vec::len);
        let mut forced = empty_mask(rows.len(), ncol);
        for j in 0..ncol {
            forced.cols[j] = forced_cols.get(j).copied().unwrap_or(false);
        }
        forced.total = forced_cols.get(ncat).copied().unwrap_or(false)
            || (ncat == 0 && forced_cols.first().copied().unwrap_or(false));
        for (i, f) in forced_rows.iter().enumerate() {
            forced.rows[i] = *f;
        }
        let m = suppress(&table, t, &forced);
        let per_row = (0..rows.len())
            .map(|i| {
                if ncat == 0 {
                    (Vec::new(), m.cells[i][0] || m.rows[i])
                } else {
                    (m.cells[i].clone(), m.rows[i])
                }
            })
            .collect();
        let mut cols = if ncat == 0 {
            Vec::new()
        } else {
            m.cols.clone()
        };
        cols.push(m.total || (ncat == 0 && m.cols.first().copied().unwrap_or(false)));
        (per_row, cols)
    } else {
        // Multiple choice: the category columns add up over groups (to the overall
        // counts) but not along a row, and the answered counts are a table of
        // their own. Suppressing the category table with its row sums as if they
        // were published only adds equations, so it can only hide more.
        let cats: Vec<Vec<u64>> = rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.count).collect())
            .collect();
        let answered: Vec<Vec<u64>> = rows.iter().map(|r| vec![r.answered]).collect();
        let mut fa = empty_mask(rows.len(), ncat);
        for j in 0..ncat {
            fa.cols[j] = forced_cols.get(j).copied().unwrap_or(false);
        }
        let mut fb = empty_mask(rows.len(), 1);
        fb.cols[0] = forced_cols.get(ncat).copied().unwrap_or(false);
        fb.total = fb.cols[0];
        for (i, f) in forced_rows.iter().enumerate() {
            fb.cells[i][0] = *f;
        }
        let a = if ncat > 0 {
            suppress(&cats, t, &fa)
        } else {
            fa.clone()
        };
        let b = suppress(&answered, t, &fb);
        let per_row = (0..rows.len())
            .map(|i| (a.cells[i].clone(), b.cells[i][0] || b.rows[i]))
            .collect();
        let mut cols = a.cols.clone();
        cols.push(b.cols[0] || b.total);
        (per_row, cols)
    }
}

fn release_tally(
    t: &Tally,
    cells_hidden: &[bool],
    answered_hidden: bool,
    threshold: u64,
) -> ReleasedTally {
    let pub_of = |v: u64, h: bool| {
        if h {
            Published::Hidden(super::suppress::Why::Complementary)
        } else {
            Published::Shown(v)
        }
    };
    let cells = t
        .cells
        .iter()
        .zip(cells_hidden)
        .map(|(c, &h)| {
            // A percentage with its denominator reveals the count, and with its count
            // reveals the denominator: hide it when either is hidden.
            let show = !h && !answered_hidden;
            ReleasedCell {
                count: pub_of(c.count, h),
                percent: Shown::when(show, c.proportion * 100.0),
                interval: Shown::when(
                    show,
                    Bounds {
                        low: c.interval.low * 100.0,
                        high: c.interval.high * 100.0,
                    },
                ),
            }
        })
        .collect();
    ReleasedTally {
        answered: pub_of(t.answered, answered_hidden),
        cells,
        mean: match t.mean {
            Some(m) if !answered_hidden && t.answered >= threshold => Shown::Value(m),
            _ => Shown::Hidden,
        },
    }
}

/// Turns a full report into a released one, hiding every count below `threshold`
/// (raised to [`MIN_THRESHOLD`]) with complementary suppression in every table,
/// and everything that would reveal a hidden count.
///
/// Tables that share totals are linked: a question's overall counts are the column
/// totals of each of its splits (the "not stated" row makes the rows add up), so a
/// value hidden in one of them is hidden in all, repeating until nothing changes.
/// A demographic field's own counts hide the matching group totals of every
/// split by it.
pub fn release(report: &Report, threshold: u64) -> Released {
    let t = threshold.max(MIN_THRESHOLD);
    let nq = report.questions.len();
    // Per question: forced column flags (categories..., answered).
    let mut forced: Vec<Vec<bool>> = report
        .questions
        .iter()
        .map(|q| vec![false; q.overall.cells.len() + 1])
        .collect();
    // Per field name: forced group flags (by group value).
    let mut group_forced: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut split_masks: Vec<Vec<TableMask>>;
    let mut rounds = 0;
    loop {
        rounds += 1;
        let mut changed = false;
        split_masks = Vec::with_capacity(nq);
        for (qi, q) in report.questions.iter().enumerate() {
            let (rows, cols) = mask_tallies(q.kind, &[&q.overall], t, &forced[qi], &[]);
            let (cells, answered) = &rows[0];
            let mut now: Vec<bool> = cells.clone();
            now.push(*answered);
            for (j, h) in cols.iter().enumerate() {
                now[j] |= h;
            }
            let mut per_split = Vec::new();
            for s in &q.splits {
                let gf = group_forced.get(&s.field);
                let mut rows_out = Vec::new();
                let mut cols_out = vec![false; now.len()];
                if s.overlapping {
                    for g in &s.groups {
                        let rest = complement(&q.overall, &g.tally);
                        let fr = [gf.is_some_and(|f| f.contains(&g.value)), false];
                        let (rows, cols) = mask_tallies(q.kind, &[&g.tally, &rest], t, &now, &fr);
                        rows_out.push(rows[0].clone());
                        for (j, h) in cols.iter().enumerate() {
                            cols_out[j] |= h;
                        }
                    }
                } else {
                    let table: Vec<&Tally> = s.groups.iter().map(|g| &g.tally).collect();
                    let fr: Vec<bool> = s
                        .groups
                        .iter()
                        .map(|g| gf.is_some_and(|f| f.contains(&g.value)))
                        .collect();
                    let (rows, cols) = mask_tallies(q.kind, &table, t, &now, &fr);
                    rows_out = rows;
                    cols_out = cols;
                }
                for (j, h) in cols_out.iter().enumerate() {
                    if *h && !forced[qi][j] {
                        forced[qi][j] = true;
                        changed = true;
                    }
                }
                per_split.push((rows_out, cols_out));
            }
            for (j, h) in now.iter().enumerate() {
                if *h && !forced[qi][j] {
                    forced[qi][j] = true;
                    changed = true;
                }
            }
            split_masks.push(per_split);
        }
        // A demographic question's hidden categories hide the group totals of every
        // split by it (those totals are nearly its counts).
        for (qi, q) in report.questions.iter().enumerate() {
            let cats = &q.categories;
            for (j, (v, _)) in cats.iter().enumerate() {
                if forced[qi].get(j).copied().unwrap_or(false) {
                    let set = group_forced.entry(q.name.clone()).or_default();
                    if set.insert(v.clone()) {
                        changed = true;
                    }
                }
            }
        }
        if !changed || rounds > 50 {
            break;
        }
    }
    let questions = report
        .questions
        .iter()
        .enumerate()
        .map(|(qi, q)| {
            let f = &forced[qi];
            let ncat = q.overall.cells.len();
            let overall = release_tally(&q.overall, &f[..ncat], f[ncat], t);
            let splits = q
                .splits
                .iter()
                .zip(&split_masks[qi])
                .map(|(s, (rows, _))| ReleasedSplit {
                    field: s.field.clone(),
                    label: s.label.clone(),
                    groups: s
                        .groups
                        .iter()
                        .zip(rows)
                        .map(|(g, (cells, answered))| {
                            let tally = release_tally(&g.tally, cells, *answered, t);
                            let gaps = g
                                .gaps
                                .iter()
                                .enumerate()
                                .map(|(c, gp)| match gp {
                                    Some(gp)
                                        if !cells.get(c).copied().unwrap_or(true)
                                            && !answered
                                            && !f[c]
                                            && !f[ncat] =>
                                    {
                                        Shown::Value(GapStat {
                                            difference: gp.difference * 100.0,
                                            interval: Bounds {
                                                low: gp.interval.low * 100.0,
                                                high: gp.interval.high * 100.0,
                                            },
                                        })
                                    }
                                    _ => Shown::Hidden,
                                })
                                .collect();
                            ReleasedGroup {
                                value: g.value.clone(),
                                label: g.label.clone(),
                                tally,
                                gaps,
                            }
                        })
                        .collect(),
                })
                .collect();
            ReleasedQuestion {
                name: q.name.clone(),
                label: q.label.clone(),
                kind: q.kind,
                categories: q.categories.clone(),
                overall,
                splits,
            }
        })
        .collect();
    let n = report.respondents;
    Released {
        threshold: t,
        respondents: if n > 0 && n < t {
            Published::Hidden(super::suppress::Why::Primary)
        } else {
            Published::Shown(n)
        },
        weighted: report.weighting.is_some(),
        questions,
        seal: Seal,
    }
}

/// Everyone in `all` not in `g` (counts only; for linking overlapping groups).
fn complement(all: &Tally, g: &Tally) -> Tally {
    Tally {
        answered: all.answered.saturating_sub(g.answered),
        effective_n: 0.0,
        cells: all
            .cells
            .iter()
            .zip(&g.cells)
            .map(|(a, b)| Cell {
                count: a.count.saturating_sub(b.count),
                proportion: 0.0,
                interval: Bounds {
                    low: 0.0,
                    high: 1.0,
                },
            })
            .collect(),
        mean: None,
    }
}
