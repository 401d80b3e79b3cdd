//! k-means of the projected participants into opinion groups.
//!
//! As in Polis, participants are first summarised by up to [`BASE_CLUSTERS`]
//! "base clusters" (k-means in the plane); the base-cluster centres, weighted by
//! their sizes, are then clustered into 2 to 5 groups, and the number of groups
//! with the best silhouette wins. Everything is deterministic for a given seed:
//! initial centres come from k-means++ driven by a seeded SplitMix64 generator.

/// Number of base clusters Polis uses.
pub const BASE_CLUSTERS: usize = 100;
/// Smallest and largest number of opinion groups considered.
pub const MIN_GROUPS: usize = 2;
/// See [`MIN_GROUPS`].
pub const MAX_GROUPS: usize = 5;
/// Fewest participants in a group: groupings with a smaller group are not considered.
pub const MIN_GROUP_SIZE: usize = 2;
/// Restarts of k-means (from different k-means++ seeds) for the group step.
const GROUP_RESTARTS: usize = 10;
const MAX_LLOYD_ITERATIONS: usize = 300;

/// A small, fast, seedable generator (SplitMix64); good enough for choosing
/// initial centres and fully reproducible.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn dist2(a: [f64; 2], b: [f64; 2]) -> f64 {
    let dx = a[0] - b[0];
    let dy = a[1] - b[1];
    dx * dx + dy * dy
}

/// Index of the centre nearest to `p` (the first on ties).
fn nearest(p: [f64; 2], centres: &[[f64; 2]]) -> usize {
    let mut best = 0;
    let mut best_d = f64::INFINITY;
    for (c, &centre) in centres.iter().enumerate() {
        let d = dist2(p, centre);
        if d < best_d {
            best_d = d;
            best = c;
        }
    }
    best
}

/// Picks an index with probability proportional to `weights` (which need not sum to 1).
fn pick_weighted(weights: &[f64], rng: &mut SplitMix64) -> usize {
    let total: f64 = weights.iter().sum();
    if total.is_nan() || total <= 0.0 {
        return 0;
    }
    let mut target = rng.next_f64() * total;
    let mut last_positive = 0;
    for (i, &w) in weights.iter().enumerate() {
        if w > 0.0 {
            last_positive = i;
            if target < w {
                return i;
            }
            target -= w;
        }
    }
    last_positive
}

/// k-means++ initial centres for weighted points.
pub fn kmeans_plus_plus(
    points: &[[f64; 2]],
    weights: &[f64],
    k: usize,
    rng: &mut SplitMix64,
) -> Vec<[f64; 2]> {
    let mut centres = Vec::with_capacity(k);
    if points.is_empty() || k == 0 {
        return centres;
    }
    let first = pick_weighted(weights, rng);
    centres.push(points[first]);
    let mut d: Vec<f64> = points.iter().map(|&p| dist2(p, points[first])).collect();
    let mut score: Vec<f64> = vec![0.0; points.len()];
    while centres.len() < k {
        for ((s, &di), &w) in score.iter_mut().zip(&d).zip(weights) {
            *s = di * w;
        }
        if score.iter().sum::<f64>() <= 0.0 {
            break; // fewer distinct points than k
        }
        let next = pick_weighted(&score, rng);
        let c = points[next];
        centres.push(c);
        for (di, &p) in d.iter_mut().zip(points) {
            let nd = dist2(p, c);
            if nd < *di {
                *di = nd;
            }
        }
    }
    centres
}

/// Result of one k-means run.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeans {
    /// Cluster of each point.
    pub labels: Vec<usize>,
    /// Cluster centres (a cluster that lost all its points keeps its last centre).
    pub centres: Vec<[f64; 2]>,
    /// Weighted sum of squared distances to the assigned centre.
    pub inertia: f64,
}

fn assign(points: &[[f64; 2]], centres: &[[f64; 2]], labels: &mut [usize]) -> bool {
    let threads = super::pca::worker_threads();
    let work = |pts: &[[f64; 2]], labs: &mut [usize]| -> bool {
        let mut changed = false;
        for (p, l) in pts.iter().zip(labs.iter_mut()) {
            let mut best = 0;
            let mut best_d = f64::INFINITY;
            for (c, &centre) in centres.iter().enumerate() {
                let d = dist2(*p, centre);
                if d < best_d {
                    best_d = d;
                    best = c;
                }
            }
            if *l != best {
                *l = best;
                changed = true;
            }
        }
        changed
    };
    if threads <= 1 || points.len() * centres.len() < 200_000 {
        return work(points, labels);
    }
    let per = points.len().div_ceil(threads);
    let mut changed = false;
    std::thread::scope(|scope| {
        let handles: Vec<_> = points
            .chunks(per)
            .zip(labels.chunks_mut(per))
            .map(|(p, l)| scope.spawn(move || work(p, l)))
            .collect();
        for h in handles {
            // A worker cannot panic (pure arithmetic); treat a failure as "changed".
            changed |= h.join().unwrap_or(true);
        }
    });
    changed
}

/// Relative tolerance on the centres' movement, as in common k-means
/// implementations: iterations stop when the summed squared shift of the
/// centres is at most this times the mean per-coordinate variance of the points.
pub const KMEANS_TOLERANCE: f64 = 1e-4;

fn mean_variance(points: &[[f64; 2]], weights: &[f64]) -> f64 {
    let w: f64 = weights.iter().sum();
    if w <= 0.0 {
        return 0.0;
    }
    let mut mean = [0.0; 2];
    for (p, &wi) in points.iter().zip(weights) {
        mean[0] += wi * p[0];
        mean[1] += wi * p[1];
    }
    mean = [mean[0] / w, mean[1] / w];
    let mut var = 0.0;
    for (p, &wi) in points.iter().zip(weights) {
        var += wi * dist2(*p, mean);
    }
    var / w / 2.0
}

/// Weighted Lloyd iterations from the given centres, until no label changes or
/// the centres move less than [`KMEANS_TOLERANCE`] allows.
pub fn kmeans_from(points: &[[f64; 2]], weights: &[f64], mut centres: Vec<[f64; 2]>) -> KMeans {
    let k = centres.len();
    let tolerance = KMEANS_TOLERANCE * mean_variance(points, weights);
    let mut labels = vec![usize::MAX; points.len()];
    for _ in 0..MAX_LLOYD_ITERATIONS {
        let changed = assign(points, &centres, &mut labels);
        if !changed {
            break;
        }
        let mut sum = vec![[0.0f64; 2]; k];
        let mut wsum = vec![0.0f64; k];
        for ((p, &l), &w) in points.iter().zip(&labels).zip(weights) {
            sum[l][0] += w * p[0];
            sum[l][1] += w * p[1];
            wsum[l] += w;
        }
        let mut shift = 0.0;
        for ((c, s), &w) in centres.iter_mut().zip(&sum).zip(&wsum) {
            if w > 0.0 {
                let next = [s[0] / w, s[1] / w];
                shift += dist2(*c, next);
                *c = next;
            }
        }
        if shift <= tolerance {
            // Final assignment to the moved centres.
            assign(points, &centres, &mut labels);
            break;
        }
    }
    let inertia = points
        .iter()
        .zip(&labels)
        .zip(weights)
        .map(|((p, &l), &w)| w * dist2(*p, centres[l]))
        .sum();
    KMeans {
        labels,
        centres,
        inertia,
    }
}

/// Best of `restarts` k-means++-initialised runs (lowest inertia; earliest on ties).
pub fn kmeans(
    points: &[[f64; 2]],
    weights: &[f64],
    k: usize,
    restarts: usize,
    rng: &mut SplitMix64,
) -> KMeans {
    let mut best: Option<KMeans> = None;
    for _ in 0..restarts.max(1) {
        let init = kmeans_plus_plus(points, weights, k, rng);
        let run = kmeans_from(points, weights, init);
        if best.as_ref().is_none_or(|b| run.inertia < b.inertia) {
            best = Some(run);
        }
    }
    best.unwrap_or(KMeans {
        labels: vec![0; points.len()],
        centres: Vec::new(),
        inertia: 0.0,
    })
}

/// Silhouette of a clustering of weighted points, where a point of weight `w`
/// stands for `w` participants at the same place (so the value equals the plain
/// silhouette of those participants). A participant alone in its group scores 0.
pub fn weighted_silhouette(
    points: &[[f64; 2]],
    weights: &[f64],
    labels: &[usize],
    k: usize,
) -> f64 {
    let n = points.len().min(weights.len()).min(labels.len());
    if n == 0 || k == 0 {
        return 0.0;
    }
    // Points sorted by group, so that distances to one group are a contiguous,
    // vectorisable sum.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| labels[i]);
    let xs: Vec<f64> = order.iter().map(|&i| points[i][0]).collect();
    let ys: Vec<f64> = order.iter().map(|&i| points[i][1]).collect();
    let ws: Vec<f64> = order.iter().map(|&i| weights[i]).collect();
    let mut ranges = vec![(0usize, 0usize); k];
    let mut group_weight = vec![0.0f64; k];
    let mut start = 0;
    for g in 0..k {
        let mut end = start;
        while end < n && labels[order[end]] == g {
            group_weight[g] += ws[end];
            end += 1;
        }
        ranges[g] = (start, end);
        start = end;
    }
    // Contribution w_i * s(i) of one point.
    let contribution = |i: usize| -> f64 {
        let (p, li, wi) = (points[i], labels[i], weights[i]);
        let own = group_weight[li] - 1.0;
        if wi <= 0.0 || own <= 0.0 {
            return 0.0; // alone in its group: silhouette 0
        }
        let mut a = 0.0;
        let mut b = f64::INFINITY;
        for (g, &(lo, hi)) in ranges.iter().enumerate() {
            if g != li && group_weight[g] <= 0.0 {
                continue;
            }
            let sum = weighted_distance_sum(p, &xs[lo..hi], &ys[lo..hi], &ws[lo..hi]);
            if g == li {
                a = sum / own;
            } else {
                b = b.min(sum / group_weight[g]);
            }
        }
        if !b.is_finite() {
            return 0.0;
        }
        let denom = a.max(b);
        if denom > 0.0 {
            wi * (b - a) / denom
        } else {
            0.0
        }
    };
    let threads = super::pca::worker_threads();
    let mut parts: Vec<f64> = vec![0.0; n];
    if threads <= 1 || n < 1000 {
        for (i, slot) in parts.iter_mut().enumerate() {
            *slot = contribution(i);
        }
    } else {
        let per = n.div_ceil(threads);
        std::thread::scope(|scope| {
            for (c, chunk) in parts.chunks_mut(per).enumerate() {
                let contribution = &contribution;
                scope.spawn(move || {
                    for (off, slot) in chunk.iter_mut().enumerate() {
                        *slot = contribution(c * per + off);
                    }
                });
            }
        });
    }
    // Summed in point order: the same result for any number of threads.
    let total: f64 = parts.iter().sum();
    let total_weight: f64 = weights.iter().take(n).filter(|&&w| w > 0.0).sum();
    if total_weight > 0.0 {
        total / total_weight
    } else {
        0.0
    }
}

/// `Σ w_j · |p − (x_j, y_j)|`, in four independent lanes so that it vectorises.
fn weighted_distance_sum(p: [f64; 2], xs: &[f64], ys: &[f64], ws: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let mut xc = xs.chunks_exact(4);
    let mut yc = ys.chunks_exact(4);
    let mut wc = ws.chunks_exact(4);
    for ((x, y), w) in (&mut xc).zip(&mut yc).zip(&mut wc) {
        for l in 0..4 {
            let dx = x[l] - p[0];
            let dy = y[l] - p[1];
            acc[l] += w[l] * (dx * dx + dy * dy).sqrt();
        }
    }
    let mut tail = 0.0;
    for ((x, y), w) in xc
        .remainder()
        .iter()
        .zip(yc.remainder())
        .zip(wc.remainder())
    {
        let dx = x - p[0];
        let dy = y - p[1];
        tail += w * (dx * dx + dy * dy).sqrt();
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// How k-means chooses its initial centres.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Init {
    /// k-means++ from the seeded generator, best (lowest inertia) of several restarts.
    PlusPlus,
    /// The first k distinct points, in participant order (Polis without history).
    FirstDistinct,
    /// The k smallest distinct points in lexicographic order (red-dwarf's
    /// reading of Polis' initialisation).
    SortedDistinct,
    /// One run from [`Init::FirstDistinct`] and one from
    /// [`Init::SortedDistinct`]; the one with the higher silhouette competes
    /// (Convene's default: fully deterministic, and the closest to Polis' groups
    /// on the real conversations of the test suite).
    Distinct,
    /// One run from each of the three initialisations above; the one with the
    /// highest silhouette competes.
    BestSilhouette,
}

/// Options of [`group_participants`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClusterOptions {
    /// Seed of the generator (used by k-means++).
    pub seed: u64,
    /// Summarise participants by [`BASE_CLUSTERS`] base clusters first, as
    /// Polis does; the default clusters participants directly.
    pub base_clusters: bool,
    /// Initial centres.
    pub init: Init,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        Self {
            seed: 0,
            base_clusters: false,
            init: Init::Distinct,
        }
    }
}

fn distinct_init(points: &[[f64; 2]], k: usize, sorted: bool) -> Vec<[f64; 2]> {
    if sorted {
        let mut all = points.to_vec();
        all.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
        all.dedup();
        all.truncate(k);
        return all;
    }
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(k);
    let mut seen = std::collections::HashSet::new();
    for &p in points {
        if out.len() == k {
            break;
        }
        if seen.insert((p[0].to_bits(), p[1].to_bits())) {
            out.push(p);
        }
    }
    out
}

/// Candidate k-means runs for `k` groups under the given initialisation.
fn candidate_runs(
    points: &[[f64; 2]],
    weights: &[f64],
    k: usize,
    init: Init,
    rng: &mut SplitMix64,
) -> Vec<KMeans> {
    match init {
        Init::PlusPlus => vec![kmeans(points, weights, k, GROUP_RESTARTS, rng)],
        Init::FirstDistinct => vec![kmeans_from(
            points,
            weights,
            distinct_init(points, k, false),
        )],
        Init::SortedDistinct => vec![kmeans_from(points, weights, distinct_init(points, k, true))],
        Init::Distinct => vec![
            kmeans_from(points, weights, distinct_init(points, k, false)),
            kmeans_from(points, weights, distinct_init(points, k, true)),
        ],
        Init::BestSilhouette => vec![
            kmeans_from(points, weights, distinct_init(points, k, false)),
            kmeans_from(points, weights, distinct_init(points, k, true)),
            kmeans(points, weights, k, GROUP_RESTARTS, rng),
        ],
    }
}

/// Up to this many points, the silhouette is computed exactly.
pub const EXACT_SILHOUETTE_LIMIT: usize = 4000;
/// Beyond [`EXACT_SILHOUETTE_LIMIT`], points are summarised on a grid of this many
/// cells per side (one summary point per cell and group, at the members' mean).
const SILHOUETTE_GRID: usize = 40;

/// Silhouette of a labelling: exact for up to [`EXACT_SILHOUETTE_LIMIT`] points,
/// otherwise computed on a grid summary of the points (each cell's members of
/// one group replaced by their mean, weighted by their number), which keeps the
/// cost independent of the number of participants.
pub fn silhouette(points: &[[f64; 2]], weights: &[f64], labels: &[usize], k: usize) -> f64 {
    if points.len() <= EXACT_SILHOUETTE_LIMIT {
        return weighted_silhouette(points, weights, labels, k);
    }
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in points {
        for d in 0..2 {
            lo[d] = lo[d].min(p[d]);
            hi[d] = hi[d].max(p[d]);
        }
    }
    let cell = |x: f64, d: usize| -> usize {
        let span = hi[d] - lo[d];
        if span <= 0.0 || !span.is_finite() {
            return 0;
        }
        (((x - lo[d]) / span * SILHOUETTE_GRID as f64) as usize).min(SILHOUETTE_GRID - 1)
    };
    let mut acc: std::collections::BTreeMap<(usize, usize, usize), [f64; 3]> =
        std::collections::BTreeMap::new();
    for ((p, &l), &w) in points.iter().zip(labels).zip(weights) {
        let e = acc
            .entry((cell(p[0], 0), cell(p[1], 1), l))
            .or_insert([0.0; 3]);
        e[0] += w * p[0];
        e[1] += w * p[1];
        e[2] += w;
    }
    let mut sp = Vec::with_capacity(acc.len());
    let mut sw = Vec::with_capacity(acc.len());
    let mut sl = Vec::with_capacity(acc.len());
    for ((_, _, l), [x, y, w]) in acc {
        if w > 0.0 {
            sp.push([x / w, y / w]);
            sw.push(w);
            sl.push(l);
        }
    }
    weighted_silhouette(&sp, &sw, &sl, k)
}

/// Opinion groups of projected participants.
#[derive(Debug, Clone, PartialEq)]
pub struct Grouping {
    /// Group of each participant (0-based; groups are numbered by decreasing size).
    pub labels: Vec<usize>,
    /// Number of groups.
    pub k: usize,
    /// Silhouette of the chosen grouping.
    pub silhouette: f64,
}

/// Groups participants into [`MIN_GROUPS`]..=[`MAX_GROUPS`] groups: for each
/// number of groups, k-means runs from the initialisations of `options.init`;
/// the run with the highest silhouette wins (ties: fewer groups, earlier run).
/// Groupings with a group of fewer than [`MIN_GROUP_SIZE`] participants are
/// skipped. Returns `None` when no grouping qualifies (e.g. fewer than two
/// distinct positions).
pub fn group_participants(points: &[[f64; 2]], options: &ClusterOptions) -> Option<Grouping> {
    let mut rng = SplitMix64::new(options.seed);
    let ones = vec![1.0; points.len()];
    // Optional base clusters (Polis): participants are replaced by up to
    // BASE_CLUSTERS weighted centres.
    let (base_points, base_weights, member_of) =
        if options.base_clusters && points.len() > BASE_CLUSTERS {
            let base = kmeans(points, &ones, BASE_CLUSTERS, 1, &mut rng);
            let mut weight = vec![0.0f64; base.centres.len()];
            for &l in &base.labels {
                weight[l] += 1.0;
            }
            let mut renumber = vec![usize::MAX; weight.len()];
            let mut bp = Vec::new();
            let mut bw = Vec::new();
            for (c, (&centre, &w)) in base.centres.iter().zip(&weight).enumerate() {
                if w > 0.0 {
                    renumber[c] = bp.len();
                    bp.push(centre);
                    bw.push(w);
                }
            }
            let member: Vec<usize> = base.labels.iter().map(|&l| renumber[l]).collect();
            (bp, bw, member)
        } else {
            (points.to_vec(), ones, (0..points.len()).collect())
        };
    let mut distinct = base_points.clone();
    distinct.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    distinct.dedup();
    let max_k = MAX_GROUPS.min(distinct.len());
    let mut best: Option<(f64, usize, Vec<usize>)> = None;
    // Different initialisations often converge to the same grouping: score each once.
    let mut scored: Vec<(usize, Vec<usize>)> = Vec::new();
    for k in MIN_GROUPS..=max_k {
        for run in candidate_runs(&base_points, &base_weights, k, options.init, &mut rng) {
            // No group of one: every group must hold at least MIN_GROUP_SIZE participants.
            let mut size = vec![0.0f64; k];
            for (&l, &w) in run.labels.iter().zip(&base_weights) {
                size[l] += w;
            }
            if size.iter().any(|&w| w < MIN_GROUP_SIZE as f64) {
                continue;
            }
            if scored.iter().any(|(sk, l)| *sk == k && *l == run.labels) {
                continue;
            }
            let s = silhouette(&base_points, &base_weights, &run.labels, k);
            scored.push((k, run.labels.clone()));
            if best.as_ref().is_none_or(|b| s > b.0) {
                best = Some((s, k, run.labels));
            }
        }
    }
    if best.is_none() {
        // Fallback for far outliers: every run above left someone alone. Group
        // the others, then attach each left-alone participant to the nearest
        // group, and keep the best such grouping.
        for k in MIN_GROUPS..=max_k {
            for run in candidate_runs(&base_points, &base_weights, k, options.init, &mut rng) {
                let mut size = vec![0.0f64; k];
                for (&l, &w) in run.labels.iter().zip(&base_weights) {
                    size[l] += w;
                }
                let keep: Vec<bool> = run
                    .labels
                    .iter()
                    .map(|&l| size[l] >= MIN_GROUP_SIZE as f64)
                    .collect();
                let (kept_points, kept_weights): (Vec<[f64; 2]>, Vec<f64>) = base_points
                    .iter()
                    .zip(&base_weights)
                    .zip(&keep)
                    .filter(|(_, &k)| k)
                    .map(|((&p, &w), _)| (p, w))
                    .unzip();
                let mut distinct_kept = kept_points.clone();
                distinct_kept.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
                distinct_kept.dedup();
                if distinct_kept.len() < k {
                    continue;
                }
                for inner in candidate_runs(&kept_points, &kept_weights, k, options.init, &mut rng)
                {
                    let mut labels = Vec::with_capacity(base_points.len());
                    let mut kept_labels = inner.labels.iter();
                    for (&p, &kept) in base_points.iter().zip(&keep) {
                        let l = if kept {
                            kept_labels.next().copied().unwrap_or(0)
                        } else {
                            nearest(p, &inner.centres)
                        };
                        labels.push(l);
                    }
                    let mut size = vec![0.0f64; k];
                    for (&l, &w) in labels.iter().zip(&base_weights) {
                        size[l] += w;
                    }
                    if size.iter().any(|&w| w < MIN_GROUP_SIZE as f64) {
                        continue;
                    }
                    let s = silhouette(&base_points, &base_weights, &labels, k);
                    if best.as_ref().is_none_or(|b| s > b.0) {
                        best = Some((s, k, labels));
                    }
                }
            }
        }
    }
    let (silhouette, k, base_labels) = best?;
    let raw: Vec<usize> = member_of.iter().map(|&b| base_labels[b]).collect();
    // Renumber groups by decreasing size, ties by first appearance.
    let mut size = vec![0usize; k];
    let mut first = vec![usize::MAX; k];
    for (i, &g) in raw.iter().enumerate() {
        size[g] += 1;
        if first[g] == usize::MAX {
            first[g] = i;
        }
    }
    let mut order: Vec<usize> = (0..k).filter(|&g| size[g] > 0).collect();
    order.sort_by(|&a, &b| size[b].cmp(&size[a]).then(first[a].cmp(&first[b])));
    let mut rename = vec![0usize; k];
    for (new, &old) in order.iter().enumerate() {
        rename[old] = new;
    }
    Some(Grouping {
        labels: raw.iter().map(|&g| rename[g]).collect(),
        k: order.len(),
        silhouette,
    })
}
