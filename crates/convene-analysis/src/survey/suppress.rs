//! Small-cell suppression of count tables, with complementary suppression so
//! that no hidden cell can be worked out from the published cells and totals.

use std::collections::VecDeque;

use super::error::SurveyError;

/// Default threshold: counts from 1 to 9 are hidden.
pub const DEFAULT_THRESHOLD: u64 = 10;
/// The threshold is never lower than this.
pub const MIN_THRESHOLD: u64 = 5;

/// Why a value is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Why {
    /// It is below the threshold (and not zero).
    Primary,
    /// It would otherwise let a hidden value be worked out.
    Complementary,
}

/// One published value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Published {
    /// Shown as is.
    Shown(u64),
    /// Shown as "<T".
    Hidden(Why),
}

impl Published {
    /// The text to publish, with threshold `t` ("<10" for hidden values).
    pub fn text(&self, t: u64) -> String {
        match self {
            Published::Shown(v) => v.to_string(),
            Published::Hidden(_) => format!("<{t}"),
        }
    }

    /// Whether the value is hidden.
    pub fn is_hidden(&self) -> bool {
        matches!(self, Published::Hidden(_))
    }
}

/// A count table ready to publish.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suppressed {
    /// The threshold used (at least [`MIN_THRESHOLD`]).
    pub threshold: u64,
    /// The cells, row by row (one row for a one-way table).
    pub cells: Vec<Vec<Published>>,
    /// The total of each row.
    pub row_totals: Vec<Published>,
    /// The total of each column (empty for a one-way table).
    pub column_totals: Vec<Published>,
    /// The grand total.
    pub total: Published,
}

fn threshold(t: u64) -> u64 {
    t.max(MIN_THRESHOLD)
}

/// Suppress a one-way table (counts of the categories of one question).
///
/// Counts from 1 to T-1 are hidden (T = `threshold`, raised to 5 if lower); zero
/// counts are shown. If exactly one value (cell or total) is then hidden, the
/// smallest non-zero shown value is hidden too, so that the hidden ones cannot be
/// worked out from the total.
pub fn suppress_one_way(counts: &[u64], threshold_asked: u64) -> Suppressed {
    let t = threshold(threshold_asked);
    // The line: the counts, then the total.
    let mut values: Vec<u64> = counts.to_vec();
    values.push(counts.iter().sum());
    let mut hidden: Vec<Option<Why>> = values
        .iter()
        .map(|&v| (v > 0 && v < t).then_some(Why::Primary))
        .collect();
    if hidden.iter().filter(|h| h.is_some()).count() == 1 {
        let pick = values
            .iter()
            .enumerate()
            .filter(|&(i, &v)| hidden[i].is_none() && v > 0)
            .min_by_key(|&(i, &v)| (v, i))
            .map(|(i, _)| i);
        if let Some(i) = pick {
            hidden[i] = Some(Why::Complementary);
        }
    }
    let publish = |i: usize| match hidden[i] {
        Some(w) => Published::Hidden(w),
        None => Published::Shown(values[i]),
    };
    let n = counts.len();
    Suppressed {
        threshold: t,
        cells: vec![(0..n).map(publish).collect()],
        row_totals: vec![publish(n)],
        column_totals: Vec::new(),
        total: publish(n),
    }
}

/// The table with its totals as one (R+1) x (C+1) grid: rows of cells with their
/// total at the end, then the column totals with the grand total at the end.
/// Every row and every column of the grid is one published equation.
struct Grid {
    rows: usize,
    cols: usize,
    values: Vec<u64>,
    hidden: Vec<Option<Why>>,
}

impl Grid {
    fn at(&self, r: usize, c: usize) -> usize {
        r * self.cols + c
    }

    /// The grid positions of line `l`: rows are 0..rows, columns rows..rows+cols.
    fn line(&self, l: usize) -> Vec<usize> {
        if l < self.rows {
            (0..self.cols).map(|c| self.at(l, c)).collect()
        } else {
            let c = l - self.rows;
            (0..self.rows).map(|r| self.at(r, c)).collect()
        }
    }

    /// The two lines (row node, column node) of a position.
    fn ends(&self, p: usize) -> (usize, usize) {
        (p / self.cols, self.rows + p % self.cols)
    }

    fn hidden_count(&self, line: &[usize]) -> usize {
        line.iter().filter(|&&p| self.hidden[p].is_some()).count()
    }

    /// Lines reachable from `from` through hidden positions other than `skip`.
    fn reach(&self, from: usize, skip: usize) -> Vec<bool> {
        let mut seen = vec![false; self.rows + self.cols];
        seen[from] = true;
        let mut queue = VecDeque::from([from]);
        while let Some(l) = queue.pop_front() {
            for p in self.line(l) {
                if p == skip || self.hidden[p].is_none() {
                    continue;
                }
                let (a, b) = self.ends(p);
                let other = if a == l { b } else { a };
                if !seen[other] {
                    seen[other] = true;
                    queue.push_back(other);
                }
            }
        }
        seen
    }

    /// The smallest shown value among `candidates`, preferring non-zero values,
    /// then values whose other line already has hidden values.
    fn pick(&self, candidates: impl Iterator<Item = usize>) -> Option<usize> {
        candidates
            .filter(|&p| self.hidden[p].is_none())
            .min_by_key(|&p| {
                let (r, c) = self.ends(p);
                let crossing = self.hidden_count(&self.line(r)) + self.hidden_count(&self.line(c));
                (
                    self.values[p] == 0,
                    self.values[p],
                    usize::MAX - crossing,
                    p,
                )
            })
    }

    /// One complementary suppression, if one is needed.
    fn step(&mut self) -> bool {
        // A line with exactly one hidden value gives it away.
        for l in 0..self.rows + self.cols {
            let line = self.line(l);
            if self.hidden_count(&line) == 1 {
                if let Some(p) = self.pick(line.into_iter()) {
                    self.hidden[p] = Some(Why::Complementary);
                    return true;
                }
            }
        }
        // A hidden value that is a bridge between hidden values (no cycle of
        // hidden values goes through it) is determined by the published totals.
        for p in 0..self.values.len() {
            if self.hidden[p].is_none() {
                continue;
            }
            let (r, c) = self.ends(p);
            let from_r = self.reach(r, p);
            if from_r[c] {
                continue;
            }
            let from_c = self.reach(c, p);
            let cands = (0..self.values.len()).filter(|&q| {
                let (a, b) = self.ends(q);
                (from_r[a] && from_c[b]) || (from_c[a] && from_r[b])
            });
            if let Some(q) = self.pick(cands) {
                self.hidden[q] = Some(Why::Complementary);
                return true;
            }
        }
        false
    }
}

/// Suppress a two-way table (`rows[i][j]` respondents in row group i and column
/// category j), with row, column and grand totals.
///
/// Every count from 1 to T-1 is hidden, totals included (T = `threshold`, raised
/// to 5 if lower); zeros are shown. Then, until nothing changes: a row or column
/// (totals count as members of their line) with exactly one hidden value gets its
/// smallest shown value hidden as well, preferring non-zero values; and a hidden
/// value that lies on no cycle of hidden values (it could be worked out by adding
/// and subtracting published totals) gets a value hidden that closes such a cycle.
pub fn suppress_two_way(
    rows: &[Vec<u64>],
    threshold_asked: u64,
) -> Result<Suppressed, SurveyError> {
    let t = threshold(threshold_asked);
    let r = rows.len();
    let c = rows.first().map_or(0, Vec::len);
    if r == 0 || c == 0 {
        return Err(SurveyError::Empty("the table has no cells".into()));
    }
    if let Some(i) = rows.iter().position(|row| row.len() != c) {
        return Err(SurveyError::LengthMismatch(format!(
            "row {} has {} cells, the first has {c}",
            i + 1,
            rows[i].len()
        )));
    }
    let mut values = Vec::with_capacity((r + 1) * (c + 1));
    for row in rows {
        values.extend_from_slice(row);
        values.push(row.iter().sum());
    }
    for j in 0..c {
        values.push(rows.iter().map(|row| row[j]).sum());
    }
    values.push(rows.iter().flatten().sum());
    let hidden = values
        .iter()
        .map(|&v| (v > 0 && v < t).then_some(Why::Primary))
        .collect();
    let mut grid = Grid {
        rows: r + 1,
        cols: c + 1,
        values,
        hidden,
    };
    while grid.step() {}
    let publish = |p: usize| match grid.hidden[p] {
        Some(w) => Published::Hidden(w),
        None => Published::Shown(grid.values[p]),
    };
    Ok(Suppressed {
        threshold: t,
        cells: (0..r)
            .map(|i| (0..c).map(|j| publish(grid.at(i, j))).collect())
            .collect(),
        row_totals: (0..r).map(|i| publish(grid.at(i, c))).collect(),
        column_totals: (0..c).map(|j| publish(grid.at(r, j))).collect(),
        total: publish(grid.at(r, c)),
    })
}
