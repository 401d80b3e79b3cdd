//! Suggested themes for answers no code matched: TF-IDF over Unicode words and
//! seeded k-means (k-means++ start), with the top terms of each theme.

use std::collections::{BTreeMap, HashMap};

use super::coding::words;
use super::error::SurveyError;
use crate::opinion::SplitMix64;

/// One suggested theme.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Theme {
    /// Indices of the answers in the theme, ascending.
    pub answers: Vec<usize>,
    /// The terms with the largest weight in the theme's centre, largest first.
    pub terms: Vec<(String, f64)>,
}

/// Settings of [`suggest_themes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemeOptions {
    /// Number of themes (lowered to the number of distinct non-empty answers).
    pub themes: usize,
    /// Terms reported per theme.
    pub top_terms: usize,
    /// Seed of the k-means++ start.
    pub seed: u64,
    /// Iteration cap of k-means.
    pub max_iterations: usize,
}

impl Default for ThemeOptions {
    fn default() -> Self {
        Self {
            themes: 5,
            top_terms: 5,
            seed: 42,
            max_iterations: 100,
        }
    }
}

type Sparse = Vec<(usize, f64)>;

/// TF-IDF vectors (term frequency times smoothed inverse document frequency
/// ln((1+N)/(1+df)) + 1, normalised to length 1) over lower-cased Unicode words
/// of at least two characters that are not only digits. Returns the vocabulary
/// (sorted) and one sparse vector per text.
pub fn tf_idf<S: AsRef<str>>(texts: &[S]) -> (Vec<String>, Vec<Sparse>) {
    let docs: Vec<Vec<String>> = texts
        .iter()
        .map(|t| {
            words(t.as_ref())
                .into_iter()
                .filter(|w| w.chars().count() >= 2 && !w.chars().all(char::is_numeric))
                .collect()
        })
        .collect();
    let mut df: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &docs {
        let mut seen: Vec<&str> = d.iter().map(String::as_str).collect();
        seen.sort_unstable();
        seen.dedup();
        for w in seen {
            *df.entry(w).or_default() += 1;
        }
    }
    let vocab: Vec<String> = df.keys().map(|s| s.to_string()).collect();
    let index: HashMap<&str, usize> = vocab
        .iter()
        .enumerate()
        .map(|(i, w)| (w.as_str(), i))
        .collect();
    let n = docs.len() as f64;
    let idf: Vec<f64> = df
        .values()
        .map(|&d| ((1.0 + n) / (1.0 + d as f64)).ln() + 1.0)
        .collect();
    let vectors = docs
        .iter()
        .map(|d| {
            let mut tf: BTreeMap<usize, f64> = BTreeMap::new();
            for w in d {
                if let Some(&i) = index.get(w.as_str()) {
                    *tf.entry(i).or_default() += 1.0;
                }
            }
            let mut v: Sparse = tf.into_iter().map(|(i, c)| (i, c * idf[i])).collect();
            let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|(_, x)| *x /= norm);
            }
            v
        })
        .collect();
    (vocab, vectors)
}

fn dist2(v: &Sparse, centre: &[f64], centre_norm2: f64) -> f64 {
    // |v - c|² = |v|² - 2 v·c + |c|², with |v|² = 1 for non-empty v.
    let dot: f64 = v.iter().map(|&(i, x)| x * centre[i]).sum();
    let vn: f64 = v.iter().map(|(_, x)| x * x).sum();
    (vn - 2.0 * dot + centre_norm2).max(0.0)
}

/// Group answers into themes. Answers without any usable word are left out of
/// every theme. Deterministic for a given seed.
pub fn suggest_themes<S: AsRef<str>>(
    texts: &[S],
    opts: &ThemeOptions,
) -> Result<Vec<Theme>, SurveyError> {
    if opts.themes == 0 {
        return Err(SurveyError::InvalidParameter(
            "at least one theme is needed".into(),
        ));
    }
    let (vocab, vectors) = tf_idf(texts);
    let used: Vec<usize> = (0..vectors.len())
        .filter(|&i| !vectors[i].is_empty())
        .collect();
    if used.is_empty() {
        return Ok(Vec::new());
    }
    let mut distinct: Vec<&Sparse> = used.iter().map(|&i| &vectors[i]).collect();
    distinct.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    distinct.dedup();
    let k = opts.themes.min(distinct.len());
    let dim = vocab.len();
    let dense = |v: &Sparse| {
        let mut d = vec![0.0; dim];
        for &(i, x) in v {
            d[i] = x;
        }
        d
    };
    // k-means++ start.
    let mut rng = SplitMix64::new(opts.seed);
    let first = used[(rng.next_u64() % used.len() as u64) as usize];
    let mut centres: Vec<Vec<f64>> = vec![dense(&vectors[first])];
    while centres.len() < k {
        let norms: Vec<f64> = centres
            .iter()
            .map(|c| c.iter().map(|x| x * x).sum())
            .collect();
        let d: Vec<f64> = used
            .iter()
            .map(|&i| {
                centres
                    .iter()
                    .zip(&norms)
                    .map(|(c, &n2)| dist2(&vectors[i], c, n2))
                    .fold(f64::INFINITY, f64::min)
            })
            .collect();
        let total: f64 = d.iter().sum();
        if total <= 0.0 {
            break;
        }
        let mut target = rng.next_f64() * total;
        let mut chosen = used[used.len() - 1];
        for (&i, &di) in used.iter().zip(&d) {
            if target < di {
                chosen = i;
                break;
            }
            target -= di;
        }
        centres.push(dense(&vectors[chosen]));
    }
    let mut assign = vec![usize::MAX; used.len()];
    for _ in 0..opts.max_iterations.max(1) {
        let norms: Vec<f64> = centres
            .iter()
            .map(|c| c.iter().map(|x| x * x).sum())
            .collect();
        let mut changed = false;
        for (slot, &i) in assign.iter_mut().zip(&used) {
            let mut best = (f64::INFINITY, 0);
            for (j, (c, &n2)) in centres.iter().zip(&norms).enumerate() {
                let d = dist2(&vectors[i], c, n2);
                if d < best.0 {
                    best = (d, j);
                }
            }
            if *slot != best.1 {
                *slot = best.1;
                changed = true;
            }
        }
        let mut sums = vec![vec![0.0; dim]; centres.len()];
        let mut counts = vec![0usize; centres.len()];
        for (&a, &i) in assign.iter().zip(&used) {
            counts[a] += 1;
            for &(t, x) in &vectors[i] {
                sums[a][t] += x;
            }
        }
        for (j, s) in sums.into_iter().enumerate() {
            if counts[j] > 0 {
                centres[j] = s.into_iter().map(|x| x / counts[j] as f64).collect();
            }
        }
        if !changed {
            break;
        }
    }
    let mut themes = Vec::new();
    for (j, c) in centres.iter().enumerate() {
        let answers: Vec<usize> = assign
            .iter()
            .zip(&used)
            .filter(|(&a, _)| a == j)
            .map(|(_, &i)| i)
            .collect();
        if answers.is_empty() {
            continue;
        }
        let mut terms: Vec<(String, f64)> = c
            .iter()
            .enumerate()
            .filter(|(_, &x)| x > 0.0)
            .map(|(t, &x)| (vocab[t].clone(), x))
            .collect();
        terms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        terms.truncate(opts.top_terms);
        themes.push(Theme { answers, terms });
    }
    themes.sort_by_key(|t| std::cmp::Reverse(t.answers.len()));
    Ok(themes)
}
