//! Per-question statistics: counts, percentages, Wilson score intervals (on
//! Kish's effective sample size when weighted), and splits by a demographic field
//! with the gap between one group and the rest (Newcombe's hybrid score interval).

use std::collections::BTreeMap;

use super::error::SurveyError;

/// The 97.5th percentile of the standard normal distribution, for 95% intervals.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// Wilson's score interval for a proportion `p` observed on `n` (possibly an
/// effective, non-integer size) at normal quantile `z`. `None` when `n <= 0` or
/// the inputs are not finite.
pub fn wilson(p: f64, n: f64, z: f64) -> Option<Interval> {
    if !(n > 0.0 && n.is_finite() && p.is_finite() && z.is_finite() && (0.0..=1.0).contains(&p)) {
        return None;
    }
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

/// Kish's effective sample size (Σw)² / Σw²; the count itself when all weights are equal.
pub fn effective_sample_size(weights: &[f64]) -> f64 {
    let s: f64 = weights.iter().sum();
    let s2: f64 = weights.iter().map(|w| w * w).sum();
    if s2 > 0.0 {
        s * s / s2
    } else {
        0.0
    }
}

/// One answer category of one question.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CategoryStat {
    /// The category (choice).
    pub category: String,
    /// Respondents who gave it (unweighted).
    pub count: usize,
    /// Their total weight (the count when unweighted).
    pub weighted: f64,
    /// Weighted proportion among those who answered, in [0, 1].
    pub proportion: f64,
    /// 95% Wilson interval of the proportion.
    pub interval: Interval,
}

/// The statistics of one question.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QuestionStats {
    /// Respondents who answered.
    pub answered: usize,
    /// Their total weight.
    pub weighted_total: f64,
    /// Kish's effective sample size of those who answered (= `answered` unweighted).
    pub effective_n: f64,
    /// One entry per category, sorted by category.
    pub categories: Vec<CategoryStat>,
}

fn check_weights(n: usize, weights: Option<&[f64]>) -> Result<(), SurveyError> {
    if let Some(w) = weights {
        if w.len() != n {
            return Err(SurveyError::LengthMismatch(format!(
                "{} weights for {n} answers",
                w.len()
            )));
        }
        if w.iter().any(|x| !(x.is_finite() && *x >= 0.0)) {
            return Err(SurveyError::BadBaseWeights(
                "weights must be finite and not negative".into(),
            ));
        }
    }
    Ok(())
}

/// Tabulate a question where each respondent chose any number of categories
/// (`None`: did not answer; `Some(vec![])`: answered, chose nothing). Proportions
/// are among those who answered and need not sum to 1.
pub fn tabulate_multiple<S: AsRef<str>>(
    answers: &[Option<Vec<S>>],
    weights: Option<&[f64]>,
) -> Result<QuestionStats, SurveyError> {
    check_weights(answers.len(), weights)?;
    let w = |i: usize| weights.map_or(1.0, |w| w[i]);
    let mut per: BTreeMap<&str, (usize, f64)> = BTreeMap::new();
    let mut answered = 0;
    let mut total = 0.0;
    let mut used = Vec::new();
    for (i, a) in answers.iter().enumerate() {
        let Some(chosen) = a else { continue };
        answered += 1;
        total += w(i);
        used.push(w(i));
        let mut seen: Vec<&str> = Vec::new();
        for c in chosen {
            let c = c.as_ref();
            if seen.contains(&c) {
                continue;
            }
            seen.push(c);
            let e = per.entry(c).or_default();
            e.0 += 1;
            e.1 += w(i);
        }
    }
    let effective_n = if weights.is_some() {
        effective_sample_size(&used)
    } else {
        answered as f64
    };
    let categories = per
        .into_iter()
        .map(|(category, (count, weighted))| {
            let proportion = if total > 0.0 { weighted / total } else { 0.0 };
            CategoryStat {
                category: category.to_string(),
                count,
                weighted,
                proportion,
                interval: wilson(proportion, effective_n, Z95).unwrap_or(Interval {
                    low: 0.0,
                    high: 1.0,
                }),
            }
        })
        .collect();
    Ok(QuestionStats {
        answered,
        weighted_total: total,
        effective_n,
        categories,
    })
}

/// Tabulate a single-choice question (`None`: did not answer).
pub fn tabulate<S: AsRef<str>>(
    answers: &[Option<S>],
    weights: Option<&[f64]>,
) -> Result<QuestionStats, SurveyError> {
    let multi: Vec<Option<Vec<&str>>> = answers
        .iter()
        .map(|a| a.as_ref().map(|s| vec![s.as_ref()]))
        .collect();
    tabulate_multiple(&multi, weights)
}

/// The gap in one category between the focus group and everyone else.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Gap {
    /// The answer category.
    pub category: String,
    /// Its proportion in the focus group.
    pub group: f64,
    /// Its proportion among everyone else who answered.
    pub rest: f64,
    /// `group - rest`.
    pub difference: f64,
    /// 95% interval of the difference (Newcombe's hybrid score interval).
    pub interval: Interval,
}

/// A question split by a demographic field.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Split {
    /// The statistics within each value of the field, sorted by value
    /// (respondents without a value are left out).
    pub groups: Vec<(String, QuestionStats)>,
    /// Per answer category, the gap between the focus group and the rest (empty
    /// when no focus group was asked for, or when it or the rest is empty).
    pub gaps: Vec<Gap>,
}

/// Newcombe's hybrid score interval (his method 10) for the difference of two
/// independent proportions, from each one's Wilson interval.
pub fn newcombe(p1: f64, i1: Interval, p2: f64, i2: Interval) -> Interval {
    let d = p1 - p2;
    Interval {
        low: d - ((p1 - i1.low).powi(2) + (i2.high - p2).powi(2)).sqrt(),
        high: d + ((i1.high - p1).powi(2) + (p2 - i2.low).powi(2)).sqrt(),
    }
}

/// Split a single-choice question by `field` (one value per respondent, `None` when
/// unknown); with `focus`, compare that group with all the others.
pub fn split<S: AsRef<str>, G: AsRef<str>>(
    answers: &[Option<S>],
    field: &[Option<G>],
    weights: Option<&[f64]>,
    focus: Option<&str>,
) -> Result<Split, SurveyError> {
    if field.len() != answers.len() {
        return Err(SurveyError::LengthMismatch(format!(
            "{} field values for {} answers",
            field.len(),
            answers.len()
        )));
    }
    check_weights(answers.len(), weights)?;
    let mut by_group: BTreeMap<&str, (Vec<Option<&str>>, Vec<f64>)> = BTreeMap::new();
    let mut rest: (Vec<Option<&str>>, Vec<f64>) = (Vec::new(), Vec::new());
    for (i, (a, g)) in answers.iter().zip(field).enumerate() {
        let Some(g) = g else { continue };
        let g = g.as_ref();
        let w = weights.map_or(1.0, |w| w[i]);
        let a = a.as_ref().map(AsRef::as_ref);
        let e = by_group.entry(g).or_default();
        e.0.push(a);
        e.1.push(w);
        if Some(g) != focus {
            rest.0.push(a);
            rest.1.push(w);
        }
    }
    let stats = |(a, w): &(Vec<Option<&str>>, Vec<f64>)| tabulate(a, weights.map(|_| w.as_slice()));
    let mut groups = Vec::new();
    for (g, data) in &by_group {
        groups.push((g.to_string(), stats(data)?));
    }
    let mut gaps = Vec::new();
    if let Some(f) = focus {
        if let Some(data) = by_group.get(f) {
            let fs = stats(data)?;
            let rs = stats(&rest)?;
            if fs.answered > 0 && rs.answered > 0 {
                let mut cats: Vec<&str> = fs
                    .categories
                    .iter()
                    .chain(&rs.categories)
                    .map(|c| c.category.as_str())
                    .collect();
                cats.sort_unstable();
                cats.dedup();
                for c in cats {
                    let p = |s: &QuestionStats| {
                        s.categories
                            .iter()
                            .find(|x| x.category == c)
                            .map_or(0.0, |x| x.proportion)
                    };
                    let (p1, p2) = (p(&fs), p(&rs));
                    let full = Interval {
                        low: 0.0,
                        high: 1.0,
                    };
                    let i1 = wilson(p1, fs.effective_n, Z95).unwrap_or(full);
                    let i2 = wilson(p2, rs.effective_n, Z95).unwrap_or(full);
                    gaps.push(Gap {
                        category: c.to_string(),
                        group: p1,
                        rest: p2,
                        difference: p1 - p2,
                        interval: newcombe(p1, i1, p2, i2),
                    });
                }
            }
        }
    }
    Ok(Split { groups, gaps })
}
