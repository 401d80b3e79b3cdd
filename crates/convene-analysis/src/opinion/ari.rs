//! Adjusted Rand index between two partitions.

use std::collections::HashMap;
use std::hash::Hash;

fn pairs(n: u64) -> f64 {
    (n as f64) * (n.saturating_sub(1) as f64) / 2.0
}

/// Adjusted Rand index (Hubert & Arabie, 1985) of two labelings of the same items:
/// 1 for identical partitions (up to renaming), about 0 for independent ones,
/// negative when they agree less than chance. Lies in [-1, 1].
///
/// `a[i]` and `b[i]` are the labels of item `i`; the slices should have the same
/// length (extra items of the longer one are ignored). When both partitions are
/// the same trivial partition (the index is undefined, 0/0), returns 1.
pub fn adjusted_rand_index<A: Eq + Hash, B: Eq + Hash>(a: &[A], b: &[B]) -> f64 {
    let n = a.len().min(b.len());
    let mut table: HashMap<(&A, &B), u64> = HashMap::new();
    let mut rows: HashMap<&A, u64> = HashMap::new();
    let mut cols: HashMap<&B, u64> = HashMap::new();
    for (x, y) in a.iter().zip(b).take(n) {
        *table.entry((x, y)).or_insert(0) += 1;
        *rows.entry(x).or_insert(0) += 1;
        *cols.entry(y).or_insert(0) += 1;
    }
    let index: f64 = table.values().map(|&c| pairs(c)).sum();
    let sum_a: f64 = rows.values().map(|&c| pairs(c)).sum();
    let sum_b: f64 = cols.values().map(|&c| pairs(c)).sum();
    let total = pairs(n as u64);
    if total == 0.0 {
        return 1.0;
    }
    let expected = sum_a * sum_b / total;
    let max_index = 0.5 * (sum_a + sum_b);
    let denom = max_index - expected;
    if denom == 0.0 {
        return 1.0;
    }
    ((index - expected) / denom).clamp(-1.0, 1.0)
}
