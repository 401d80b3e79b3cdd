//! Raking (iterative proportional fitting) of respondent weights to population margins.
//!
//! Deming and Stephan (1940); the algorithm of R's `survey::rake` and of
//! weightipy. See `docs/polling-statistics.md`.

use std::collections::HashMap;

use super::error::SurveyError;

/// Respondents described by categorical variables, stored column by column as
/// codes into each variable's list of categories (levels).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Respondents {
    variables: Vec<String>,
    columns: Vec<Column>,
    len: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Column {
    levels: Vec<String>,
    index: HashMap<String, u32>,
    codes: Vec<u32>,
}

impl Column {
    fn code_of(&mut self, value: &str) -> u32 {
        if let Some(&c) = self.index.get(value) {
            return c;
        }
        let c = u32::try_from(self.levels.len()).unwrap_or(u32::MAX);
        self.levels.push(value.to_string());
        self.index.insert(value.to_string(), c);
        c
    }
}

impl Respondents {
    /// No respondents yet, with these variables (column names).
    pub fn new<S: Into<String>>(variables: impl IntoIterator<Item = S>) -> Self {
        let variables: Vec<String> = variables.into_iter().map(Into::into).collect();
        let columns = variables.iter().map(|_| Column::default()).collect();
        Self {
            variables,
            columns,
            len: 0,
        }
    }

    /// Respondents from rows of values, one value per variable.
    pub fn from_rows<S: AsRef<str>>(
        variables: &[&str],
        rows: &[Vec<S>],
    ) -> Result<Self, SurveyError> {
        let mut r = Self::new(variables.iter().copied());
        for row in rows {
            r.push(row)?;
        }
        Ok(r)
    }

    /// Add one respondent; `values` has one value per variable.
    pub fn push<S: AsRef<str>>(&mut self, values: &[S]) -> Result<(), SurveyError> {
        if values.len() != self.variables.len() {
            return Err(SurveyError::LengthMismatch(format!(
                "{} values for {} variables",
                values.len(),
                self.variables.len()
            )));
        }
        for (col, v) in self.columns.iter_mut().zip(values) {
            let code = col.code_of(v.as_ref());
            col.codes.push(code);
        }
        self.len += 1;
        Ok(())
    }

    /// Number of respondents.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no respondents.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The variable names, in column order.
    pub fn variables(&self) -> &[String] {
        &self.variables
    }

    /// The value of variable `var` (column index) for respondent `row`.
    pub fn value(&self, row: usize, var: usize) -> Option<&str> {
        let col = self.columns.get(var)?;
        let code = *col.codes.get(row)?;
        col.levels.get(code as usize).map(String::as_str)
    }
}

/// The population share of one category of one variable.
#[derive(Debug, Clone, PartialEq)]
pub struct Margin {
    /// The variable (a column of the respondents).
    pub variable: String,
    /// The category (a value of that column).
    pub category: String,
    /// Its share of the population, in (0, 1]; the shares of a variable sum to 1.
    pub share: f64,
}

impl Margin {
    /// A margin.
    pub fn new(variable: &str, category: &str, share: f64) -> Self {
        Self {
            variable: variable.to_string(),
            category: category.to_string(),
            share,
        }
    }
}

/// Bounds on the weights, relative to the mean weight (for example 0.3 and 3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trim {
    /// Lowest weight allowed, as a multiple of the mean (in (0, 1]).
    pub lower: f64,
    /// Highest weight allowed, as a multiple of the mean (at least 1).
    pub upper: f64,
}

/// Settings of [`rake`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RakeOptions {
    /// Stop when the largest absolute difference between a weighted share and its
    /// target is below this.
    pub tolerance: f64,
    /// Give up after this many iterations (full passes over the variables).
    pub max_iterations: usize,
    /// Optional trimming, applied after every pass (then raking continues).
    pub trim: Option<Trim>,
}

impl Default for RakeOptions {
    fn default() -> Self {
        Self {
            tolerance: 1e-6,
            max_iterations: 100,
            trim: None,
        }
    }
}

/// The result of [`rake`].
#[derive(Debug, Clone, PartialEq)]
pub struct Raked {
    /// One weight per respondent, scaled to mean 1.
    pub weights: Vec<f64>,
    /// The largest absolute margin error after each iteration.
    pub history: Vec<f64>,
    /// The largest absolute margin error of the starting weights.
    pub initial_error: f64,
    /// Whether the tolerance (and the trimming bounds) were met.
    pub converged: bool,
}

/// Tolerance on the sum of a variable's shares.
pub const SHARE_SUM_TOLERANCE: f64 = 1e-6;

/// One raking variable: its column, and the target share of each level.
struct Target {
    column: usize,
    shares: Vec<f64>,
}

fn prepare(
    resp: &Respondents,
    margins: &[Margin],
    base: &[f64],
) -> Result<Vec<Target>, SurveyError> {
    if resp.is_empty() {
        return Err(SurveyError::Empty("there are no respondents".into()));
    }
    if margins.is_empty() {
        return Err(SurveyError::Empty("there are no margins".into()));
    }
    let mut order: Vec<&str> = Vec::new();
    let mut by_var: HashMap<&str, Vec<&Margin>> = HashMap::new();
    for m in margins {
        if !(m.share.is_finite() && m.share > 0.0 && m.share <= 1.0) {
            return Err(SurveyError::BadShare {
                variable: m.variable.clone(),
                category: m.category.clone(),
                share: m.share,
            });
        }
        let list = by_var.entry(m.variable.as_str()).or_default();
        if list.is_empty() {
            order.push(m.variable.as_str());
        }
        if list.iter().any(|o| o.category == m.category) {
            return Err(SurveyError::DuplicateMargin {
                variable: m.variable.clone(),
                category: m.category.clone(),
            });
        }
        list.push(m);
    }
    let mut targets = Vec::with_capacity(order.len());
    for var in order {
        let list = by_var.get(var).map(Vec::as_slice).unwrap_or_default();
        let sum: f64 = list.iter().map(|m| m.share).sum();
        if (sum - 1.0).abs() > SHARE_SUM_TOLERANCE {
            return Err(SurveyError::SharesDoNotSumToOne {
                variable: var.to_string(),
                sum,
            });
        }
        let column = resp
            .variables
            .iter()
            .position(|v| v == var)
            .ok_or_else(|| SurveyError::UnknownVariable(var.to_string()))?;
        let col = &resp.columns[column];
        let mut shares = vec![f64::NAN; col.levels.len()];
        for m in list {
            match col.index.get(&m.category) {
                Some(&code) => shares[code as usize] = m.share / sum,
                None => {
                    return Err(SurveyError::MarginWithoutRespondents {
                        variable: var.to_string(),
                        category: m.category.clone(),
                    })
                }
            }
        }
        if let Some(level) = shares.iter().position(|s| s.is_nan()) {
            return Err(SurveyError::CategoryWithoutMargin {
                variable: var.to_string(),
                category: col.levels[level].clone(),
            });
        }
        let mut mass = vec![0.0; col.levels.len()];
        for (&c, &w) in col.codes.iter().zip(base) {
            mass[c as usize] += w;
        }
        if let Some(level) = mass.iter().position(|&m| m <= 0.0) {
            return Err(SurveyError::MarginWithoutRespondents {
                variable: var.to_string(),
                category: col.levels[level].clone(),
            });
        }
        targets.push(Target { column, shares });
    }
    Ok(targets)
}

fn level_sums(codes: &[u32], weights: &[f64], sums: &mut [f64]) {
    sums.iter_mut().for_each(|s| *s = 0.0);
    for (&c, &w) in codes.iter().zip(weights) {
        sums[c as usize] += w;
    }
}

/// The largest absolute difference between a weighted share and its target.
fn margin_error(codes: &[&[u32]], shares: &[&[f64]], weights: &[f64]) -> f64 {
    let total: f64 = weights.iter().sum();
    let mut worst: f64 = 0.0;
    let mut sums = Vec::new();
    for (c, sh) in codes.iter().zip(shares) {
        sums.resize(sh.len(), 0.0);
        level_sums(c, weights, &mut sums);
        for (s, share) in sums.iter().zip(sh.iter()) {
            worst = worst.max((s / total - share).abs());
        }
    }
    worst
}

/// Iterative proportional fitting of `weights` (of units: respondents or cells),
/// in place. Returns the error history, the initial error and convergence.
fn ipf(
    codes: &[&[u32]],
    shares: &[&[f64]],
    weights: &mut [f64],
    opts: &RakeOptions,
) -> (Vec<f64>, f64, bool) {
    let total: f64 = weights.iter().sum();
    let initial_error = margin_error(codes, shares, weights);
    let mut history = Vec::new();
    let mut sums = Vec::new();
    let mut factors = Vec::new();
    for _ in 0..opts.max_iterations {
        for (c, sh) in codes.iter().zip(shares) {
            sums.resize(sh.len(), 0.0);
            level_sums(c, weights, &mut sums);
            factors.clear();
            factors.extend(
                sums.iter()
                    .zip(sh.iter())
                    .map(|(s, share)| share * total / s),
            );
            for (w, &k) in weights.iter_mut().zip(c.iter()) {
                *w *= factors[k as usize];
            }
        }
        let within = match opts.trim {
            Some(bounds) => trim(weights, bounds),
            None => true,
        };
        let error = margin_error(codes, shares, weights);
        history.push(error);
        if within && error < opts.tolerance {
            return (history, initial_error, true);
        }
    }
    (history, initial_error, false)
}

/// Largest number of cells (combinations of categories) raked as cells.
const MAX_CELLS: usize = 1 << 22;

/// Without trimming, every weight is its base weight times one factor per
/// variable and category, so raking the total base weight of each cell (each
/// combination of categories) gives the same factors with far less work.
fn rake_cells(
    resp: &Respondents,
    targets: &[Target],
    weights: &mut [f64],
    opts: &RakeOptions,
) -> Option<(Vec<f64>, f64, bool)> {
    let mut size: usize = 1;
    let mut strides = Vec::with_capacity(targets.len());
    for t in targets {
        strides.push(size);
        size = size.checked_mul(t.shares.len().max(1))?;
        if size > MAX_CELLS {
            return None;
        }
    }
    let mut key = vec![0usize; resp.len()];
    for (t, &stride) in targets.iter().zip(&strides) {
        for (k, &c) in key.iter_mut().zip(&resp.columns[t.column].codes) {
            *k += c as usize * stride;
        }
    }
    let mut slot = vec![u32::MAX; size];
    let mut mass: Vec<f64> = Vec::new();
    let mut cell_codes: Vec<Vec<u32>> = vec![Vec::new(); targets.len()];
    for (k, &w) in key.iter_mut().zip(weights.iter()) {
        if slot[*k] == u32::MAX {
            slot[*k] = u32::try_from(mass.len()).ok()?;
            mass.push(0.0);
            for ((codes, t), &stride) in cell_codes.iter_mut().zip(targets).zip(&strides) {
                let level = (*k / stride) % t.shares.len().max(1);
                codes.push(u32::try_from(level).ok()?);
            }
        }
        let s = slot[*k] as usize;
        mass[s] += w;
        *k = s;
    }
    let mut fitted = mass.clone();
    let codes: Vec<&[u32]> = cell_codes.iter().map(Vec::as_slice).collect();
    let shares: Vec<&[f64]> = targets.iter().map(|t| t.shares.as_slice()).collect();
    let result = ipf(&codes, &shares, &mut fitted, opts);
    let factor: Vec<f64> = fitted.iter().zip(&mass).map(|(f, m)| f / m).collect();
    for (w, &s) in weights.iter_mut().zip(&key) {
        *w *= factor[s];
    }
    Some(result)
}

fn scale_to_mean_one(weights: &mut [f64]) {
    let n = weights.len() as f64;
    let sum: f64 = weights.iter().sum();
    if sum > 0.0 {
        let f = n / sum;
        weights.iter_mut().for_each(|w| *w *= f);
    }
}

/// Clip the weights to the bounds (relative to the mean), rescaling to mean 1
/// and clipping again until they hold. Returns whether they hold.
fn trim(weights: &mut [f64], bounds: Trim) -> bool {
    const SLACK: f64 = 1e-12;
    for _ in 0..1000 {
        scale_to_mean_one(weights);
        let inside = weights
            .iter()
            .all(|&w| w >= bounds.lower - SLACK && w <= bounds.upper + SLACK);
        if inside {
            return true;
        }
        weights
            .iter_mut()
            .for_each(|w| *w = w.clamp(bounds.lower, bounds.upper));
    }
    false
}

/// Rake the weights of `resp` to `margins`.
///
/// Starts from `base` weights (all 1 if `None`), then repeatedly multiplies, for
/// each margin variable in turn (in the order of first appearance in `margins`),
/// the weights of every category by target / current weighted share; optionally
/// trims the weights after every pass. Stops when the largest absolute margin
/// error is below `opts.tolerance` (and the weights are within the trimming
/// bounds), or after `opts.max_iterations` passes; `converged` says which.
/// Columns without margins are ignored.
pub fn rake(
    resp: &Respondents,
    margins: &[Margin],
    base: Option<&[f64]>,
    opts: &RakeOptions,
) -> Result<Raked, SurveyError> {
    if !(opts.tolerance.is_finite() && opts.tolerance > 0.0) {
        return Err(SurveyError::InvalidParameter(format!(
            "tolerance {} is not a positive number",
            opts.tolerance
        )));
    }
    if opts.max_iterations == 0 {
        return Err(SurveyError::InvalidParameter(
            "the iteration cap must be at least 1".into(),
        ));
    }
    if let Some(t) = opts.trim {
        if !(t.lower.is_finite() && t.upper.is_finite() && t.lower > 0.0 && t.lower <= 1.0)
            || t.upper < 1.0
        {
            return Err(SurveyError::InvalidParameter(format!(
                "trimming bounds {} and {} must satisfy 0 < lower <= 1 <= upper",
                t.lower, t.upper
            )));
        }
    }
    let mut weights = match base {
        Some(b) => {
            if b.len() != resp.len() {
                return Err(SurveyError::BadBaseWeights(format!(
                    "{} weights for {} respondents",
                    b.len(),
                    resp.len()
                )));
            }
            if let Some(i) = b.iter().position(|w| !(w.is_finite() && *w > 0.0)) {
                return Err(SurveyError::BadBaseWeights(format!(
                    "weight {} of respondent {} is not a positive number",
                    b[i],
                    i + 1
                )));
            }
            b.to_vec()
        }
        None => vec![1.0; resp.len()],
    };
    let targets = prepare(resp, margins, &weights)?;
    scale_to_mean_one(&mut weights);
    let cells = if opts.trim.is_none() {
        rake_cells(resp, &targets, &mut weights, opts)
    } else {
        None
    };
    let (history, initial_error, converged) = match cells {
        Some(r) => r,
        None => {
            let codes: Vec<&[u32]> = targets
                .iter()
                .map(|t| resp.columns[t.column].codes.as_slice())
                .collect();
            let shares: Vec<&[f64]> = targets.iter().map(|t| t.shares.as_slice()).collect();
            ipf(&codes, &shares, &mut weights, opts)
        }
    };
    scale_to_mean_one(&mut weights);
    Ok(Raked {
        weights,
        history,
        initial_error,
        converged,
    })
}

impl Respondents {
    /// Add one respondent from raw CSV fields (UTF-8 is checked only for values
    /// not seen before).
    pub(crate) fn push_bytes<'a>(
        &mut self,
        values: impl ExactSizeIterator<Item = &'a [u8]>,
    ) -> Result<(), SurveyError> {
        if values.len() != self.variables.len() {
            return Err(SurveyError::LengthMismatch(format!(
                "expected {} fields, found {}",
                self.variables.len(),
                values.len()
            )));
        }
        let mut codes = [0u32; 16];
        let mut many = Vec::new();
        for (i, (col, v)) in self.columns.iter_mut().zip(values).enumerate() {
            let found = if col.levels.len() <= 16 {
                col.levels.iter().position(|l| l.as_bytes() == v)
            } else {
                std::str::from_utf8(v)
                    .ok()
                    .and_then(|s| col.index.get(s))
                    .map(|&c| c as usize)
            };
            let code = match found {
                Some(c) => u32::try_from(c).unwrap_or(u32::MAX),
                None => {
                    let s = std::str::from_utf8(v).map_err(|_| {
                        SurveyError::InvalidParameter(format!("field {} is not valid UTF-8", i + 1))
                    })?;
                    col.code_of(s)
                }
            };
            match codes.get_mut(i) {
                Some(slot) => *slot = code,
                None => many.push(code),
            }
        }
        for (i, col) in self.columns.iter_mut().enumerate() {
            let code = if i < 16 { codes[i] } else { many[i - 16] };
            col.codes.push(code);
        }
        self.len += 1;
        Ok(())
    }

    /// The categories of column `var`, in order of first appearance.
    pub fn levels(&self, var: usize) -> &[String] {
        self.columns.get(var).map_or(&[], |c| c.levels.as_slice())
    }

    /// The category code (index into [`Respondents::levels`]) of a respondent.
    pub fn code(&self, row: usize, var: usize) -> Option<u32> {
        self.columns.get(var)?.codes.get(row).copied()
    }

    /// Number of distinct categories seen so far in column `var`.
    pub fn level_count(&self, var: usize) -> usize {
        self.columns.get(var).map_or(0, |c| c.levels.len())
    }
}
