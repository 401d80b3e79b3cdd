//! Per-group vote statistics: representative statements, consensus,
//! group-informed consensus and divisive statements (Polis' formulas; see
//! `docs/opinion-math.md`).

use super::matrix::VoteMatrix;

/// z above which a one-sided test is significant at 90 % (Polis' constant).
pub const Z_90: f64 = 1.2816;
/// Most statements listed per group, and per direction for consensus.
pub const PICK_MAX: usize = 5;

/// Vote counts on one statement within a set of participants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Agree votes.
    pub agree: u64,
    /// Disagree votes.
    pub disagree: u64,
    /// All votes (agree + disagree + pass): Polis' "seen".
    pub seen: u64,
}

impl Counts {
    fn add(&mut self, v: i8) {
        self.seen += 1;
        if v > 0 {
            self.agree += 1;
        } else if v < 0 {
            self.disagree += 1;
        }
    }

    fn minus(self, other: Counts) -> Counts {
        Counts {
            agree: self.agree.saturating_sub(other.agree),
            disagree: self.disagree.saturating_sub(other.disagree),
            seen: self.seen.saturating_sub(other.seen),
        }
    }
}

/// Counts per group (outer) and statement (inner) over the labelled rows.
pub fn group_counts(m: &VoteMatrix, rows: &[u32], labels: &[usize], k: usize) -> Vec<Vec<Counts>> {
    let mut out = vec![vec![Counts::default(); m.n_statements()]; k];
    for (&r, &g) in rows.iter().zip(labels) {
        if let Some(group) = out.get_mut(g) {
            let (cols, vals) = m.row_slices(r as usize);
            for (&c, &v) in cols.iter().zip(vals) {
                if let Some(cell) = group.get_mut(c as usize) {
                    cell.add(v);
                }
            }
        }
    }
    out
}

/// Counts per statement over all rows of the matrix.
pub fn total_counts(m: &VoteMatrix) -> Vec<Counts> {
    let mut out = vec![Counts::default(); m.n_statements()];
    for r in 0..m.n_participants() {
        let (cols, vals) = m.row_slices(r);
        for (&c, &v) in cols.iter().zip(vals) {
            if let Some(cell) = out.get_mut(c as usize) {
                cell.add(v);
            }
        }
    }
    out
}

/// Laplace-smoothed probability `(successes + 1) / (trials + 2)`.
pub fn smoothed(successes: u64, trials: u64) -> f64 {
    (successes as f64 + 1.0) / (trials as f64 + 2.0)
}

/// Polis' one-proportion test (is the share of successes above one half?), with a
/// pseudo-count of one: `2 sqrt(n + 1) ((s + 1)/(n + 1) - 1/2)`.
pub fn one_prop_test(successes: u64, trials: u64) -> f64 {
    let s = successes as f64 + 1.0;
    let n = trials as f64 + 1.0;
    2.0 * n.sqrt() * (s / n - 0.5)
}

/// Polis' two-proportion z test (is the share in the group above the share in the
/// rest?), with a pseudo-count of one on each count; 0 when the pooled share is 1.
pub fn two_prop_test(succ_in: u64, succ_out: u64, n_in: u64, n_out: u64) -> f64 {
    let s1 = succ_in as f64 + 1.0;
    let s2 = succ_out as f64 + 1.0;
    let n1 = n_in as f64 + 1.0;
    let n2 = n_out as f64 + 1.0;
    let p1 = s1 / n1;
    let p2 = s2 / n2;
    let pooled = (s1 + s2) / (n1 + n2);
    if pooled == 1.0 {
        return 0.0;
    }
    let denom = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    if denom > 0.0 {
        (p1 - p2) / denom
    } else {
        0.0
    }
}

/// Direction of a statement's representativeness or consensus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The group agrees more than the rest.
    Agree,
    /// The group disagrees more than the rest.
    Disagree,
}

/// All of Polis' statistics of one statement in one group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupStatementStats {
    /// Column of the statement.
    pub statement: usize,
    /// Counts in the group.
    pub within: Counts,
    /// `pa`, `pd`: smoothed agree / disagree probabilities in the group.
    pub p_agree: f64,
    /// See `p_agree`.
    pub p_disagree: f64,
    /// `pat`, `pdt`: one-proportion tests.
    pub p_agree_test: f64,
    /// See `p_agree_test`.
    pub p_disagree_test: f64,
    /// `ra`, `rd`: probability in the group over probability in the rest.
    pub r_agree: f64,
    /// See `r_agree`.
    pub r_disagree: f64,
    /// `rat`, `rdt`: two-proportion tests of the group against the rest.
    pub r_agree_test: f64,
    /// See `r_agree_test`.
    pub r_disagree_test: f64,
}

impl GroupStatementStats {
    fn new(statement: usize, within: Counts, rest: Counts) -> Self {
        let p_agree = smoothed(within.agree, within.seen);
        let p_disagree = smoothed(within.disagree, within.seen);
        Self {
            statement,
            within,
            p_agree,
            p_disagree,
            p_agree_test: one_prop_test(within.agree, within.seen),
            p_disagree_test: one_prop_test(within.disagree, within.seen),
            r_agree: p_agree / smoothed(rest.agree, rest.seen),
            r_disagree: p_disagree / smoothed(rest.disagree, rest.seen),
            r_agree_test: two_prop_test(within.agree, rest.agree, within.seen, rest.seen),
            r_disagree_test: two_prop_test(within.disagree, rest.disagree, within.seen, rest.seen),
        }
    }

    fn is_significant(&self) -> bool {
        (self.p_agree_test > Z_90 && self.r_agree_test > Z_90)
            || (self.p_disagree_test > Z_90 && self.r_disagree_test > Z_90)
    }

    /// Direction in which the statement is more representative (the larger repness test).
    fn direction(&self) -> Direction {
        if self.r_agree_test > self.r_disagree_test {
            Direction::Agree
        } else {
            Direction::Disagree
        }
    }

    fn selected(&self, direction: Direction, best_agree: bool) -> RepStatement {
        let (n_success, p, pt, r, rt) = match direction {
            Direction::Agree => (
                self.within.agree,
                self.p_agree,
                self.p_agree_test,
                self.r_agree,
                self.r_agree_test,
            ),
            Direction::Disagree => (
                self.within.disagree,
                self.p_disagree,
                self.p_disagree_test,
                self.r_disagree,
                self.r_disagree_test,
            ),
        };
        RepStatement {
            statement: self.statement,
            direction,
            n_success,
            n_trials: self.within.seen,
            p_success: p,
            p_test: pt,
            repness: r,
            repness_test: rt,
            best_agree,
        }
    }
}

/// A statement chosen as representative of a group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepStatement {
    /// Column of the statement.
    pub statement: usize,
    /// Whether the group stands out by agreeing or by disagreeing.
    pub direction: Direction,
    /// Votes in that direction within the group.
    pub n_success: u64,
    /// All votes within the group.
    pub n_trials: u64,
    /// Smoothed probability of that direction within the group.
    pub p_success: f64,
    /// One-proportion test of that probability.
    pub p_test: f64,
    /// Ratio to the same probability in the rest of the participants.
    pub repness: f64,
    /// Two-proportion test of the group against the rest.
    pub repness_test: f64,
    /// Chosen as the statement the group agrees on most (always listed first).
    pub best_agree: bool,
}

impl RepStatement {
    /// Polis' ranking metric: `repness × repness_test × p_success × p_test`.
    pub fn metric(&self) -> f64 {
        self.repness * self.repness_test * self.p_success * self.p_test
    }
}

/// Statistics of every statement in every group, against the rest of the
/// clustered participants.
pub fn group_statement_stats(counts: &[Vec<Counts>]) -> Vec<Vec<GroupStatementStats>> {
    let n = counts.first().map_or(0, Vec::len);
    let mut total = vec![Counts::default(); n];
    for g in counts {
        for (t, c) in total.iter_mut().zip(g) {
            t.agree += c.agree;
            t.disagree += c.disagree;
            t.seen += c.seen;
        }
    }
    counts
        .iter()
        .map(|g| {
            g.iter()
                .zip(&total)
                .enumerate()
                .map(|(s, (&within, &all))| GroupStatementStats::new(s, within, all.minus(within)))
                .collect()
        })
        .collect()
}

fn beats_best_agree(this: &GroupStatementStats, best: Option<&GroupStatementStats>) -> bool {
    if this.within.agree == 0 && this.within.disagree == 0 {
        return false;
    }
    match best {
        Some(b) => {
            if b.r_agree > 1.0 {
                let m = |x: &GroupStatementStats| {
                    x.r_agree * x.r_agree_test * x.p_agree * x.p_agree_test
                };
                m(this) > m(b)
            } else {
                this.p_agree * this.p_agree_test > b.p_agree * b.p_agree_test
            }
        }
        None => this.p_agree_test > Z_90 || (this.r_agree > 1.0 && this.p_agree > 0.5),
    }
}

/// Polis' selection of representative statements for one group: the statement
/// the group agrees on most (if any), followed by the statistically significant
/// ones ranked by [`RepStatement::metric`]; at most [`PICK_MAX`], agrees first.
/// When nothing is significant and there is no agreed statement, the statement
/// with the largest repness test stands alone.
pub fn select_repness(stats: &[GroupStatementStats]) -> Vec<RepStatement> {
    let mut best_agree: Option<&GroupStatementStats> = None;
    for s in stats {
        if beats_best_agree(s, best_agree) {
            best_agree = Some(s);
        }
    }
    let mut sufficient: Vec<RepStatement> = stats
        .iter()
        .filter(|s| s.is_significant())
        .map(|s| s.selected(s.direction(), false))
        .collect();
    sufficient.sort_by(|a, b| b.metric().total_cmp(&a.metric()));
    let head = match best_agree {
        Some(b) => Some(b.selected(Direction::Agree, true)),
        None if sufficient.is_empty() => {
            let mut best: Option<&GroupStatementStats> = None;
            for s in stats {
                let t = s.r_agree_test.max(s.r_disagree_test);
                if best.is_none_or(|b| t > b.r_agree_test.max(b.r_disagree_test)) {
                    best = Some(s);
                }
            }
            best.map(|b| b.selected(b.direction(), false))
        }
        None => None,
    };
    let mut selected: Vec<RepStatement> = head.into_iter().collect();
    let head_statement = selected.first().map(|h| h.statement);
    selected.extend(
        sufficient
            .into_iter()
            .filter(|s| Some(s.statement) != head_statement),
    );
    selected.truncate(PICK_MAX);
    // Stable: agrees first, keeping the order within each direction.
    selected.sort_by_key(|s| s.direction == Direction::Disagree);
    selected
}

/// Polis' consensus statements over all participants: statements most people
/// agree with (smoothed probability above one half and significant one-proportion
/// test), ranked by `p × test`, at most [`PICK_MAX`]; then the same for disagree.
pub fn consensus(total: &[Counts]) -> (Vec<usize>, Vec<usize>) {
    let pick = |successes: fn(&Counts) -> u64| {
        let mut c: Vec<(usize, f64)> = total
            .iter()
            .enumerate()
            .filter_map(|(s, c)| {
                let p = smoothed(successes(c), c.seen);
                let t = one_prop_test(successes(c), c.seen);
                (p > 0.5 && t > Z_90).then_some((s, p * t))
            })
            .collect();
        c.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        c.truncate(PICK_MAX);
        c.into_iter().map(|(s, _)| s).collect::<Vec<_>>()
    };
    (pick(|c| c.agree), pick(|c| c.disagree))
}

/// Group-informed consensus of each statement: the product over groups of the
/// smoothed agree probability `(agree_g + 1) / (seen_g + 2)`, where `seen_g`
/// counts agree, disagree and pass votes (the definition that reproduces the
/// column Polis exports).
pub fn group_informed_consensus(counts: &[Vec<Counts>]) -> Vec<f64> {
    let n = counts.first().map_or(0, Vec::len);
    let mut out = vec![1.0; n];
    for g in counts {
        for (o, c) in out.iter_mut().zip(g) {
            *o *= smoothed(c.agree, c.seen);
        }
    }
    out
}

/// Divisive statements: some group agrees (smoothed agree probability above one
/// half, significant one-proportion test) while another disagrees in the same
/// way. Ranked by the spread of net agreement `p_agree - p_disagree` between the
/// most and the least agreeing group; at most [`PICK_MAX`].
pub fn divisive(stats: &[Vec<GroupStatementStats>]) -> Vec<usize> {
    let n = stats.first().map_or(0, Vec::len);
    let mut found: Vec<(usize, f64)> = Vec::new();
    for s in 0..n {
        let mut some_agree = false;
        let mut some_disagree = false;
        let mut hi = f64::NEG_INFINITY;
        let mut lo = f64::INFINITY;
        for g in stats {
            if let Some(x) = g.get(s) {
                some_agree |= x.p_agree > 0.5 && x.p_agree_test > Z_90;
                some_disagree |= x.p_disagree > 0.5 && x.p_disagree_test > Z_90;
                let net = x.p_agree - x.p_disagree;
                hi = hi.max(net);
                lo = lo.min(net);
            }
        }
        if some_agree && some_disagree {
            found.push((s, hi - lo));
        }
    }
    found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    found.truncate(PICK_MAX);
    found.into_iter().map(|(s, _)| s).collect()
}
