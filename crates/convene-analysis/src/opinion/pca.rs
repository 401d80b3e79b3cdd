//! Two principal components of the vote matrix, without densifying it.
//!
//! Polis fills a missing vote with the mean of its statement's column and then
//! centres every column. Filling with the column mean leaves the column mean
//! unchanged, so after centring every missing entry is exactly zero: the
//! centred, imputed matrix `Y` has the same sparsity as the vote matrix, with
//! `Y[i][j] = vote[i][j] - mean[j]` where a vote exists. The components are the
//! two leading eigenvectors of `Yᵀ Y`, found by subspace (block power)
//! iteration on a block of four vectors with a Rayleigh–Ritz step; each
//! iteration is one pass over the stored votes.

use super::matrix::VoteMatrix;

/// Result of [`pca2`].
#[derive(Debug, Clone, PartialEq)]
pub struct Pca {
    /// Column means over the rows used (0 for a column nobody voted on).
    pub mean: Vec<f64>,
    /// First principal component (unit length, one entry per statement).
    pub pc1: Vec<f64>,
    /// Second principal component (unit length, orthogonal to `pc1`).
    pub pc2: Vec<f64>,
    /// Eigenvalues of `Yᵀ Y` for the two components (sums of squares along them).
    pub eigenvalues: [f64; 2],
    /// Iterations used.
    pub iterations: usize,
}

const MAX_ITERATIONS: usize = 3000;
const TOLERANCE: f64 = 1e-11;
/// Largest Krylov space built by [`pca2`]. Real conversations converge in a few
/// dozen steps; votes without any structure (all leading eigenvalues nearly
/// equal) may not converge to [`LANCZOS_TOLERANCE`], and then the Ritz vectors of
/// this many steps are used (Polis itself stops its power iteration after 100
/// steps).
pub const MAX_LANCZOS_STEPS: usize = 160;
/// Relative residual at which both leading Ritz pairs count as converged.
pub const LANCZOS_TOLERANCE: f64 = 1e-10;
/// Convergence is checked every this many Lanczos steps.
const LANCZOS_CHECK_EVERY: usize = 4;
/// Fixed number of work chunks: results do not depend on the number of threads.
const CHUNKS: usize = 8;

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn unit_from_hash(x: u64) -> f64 {
    (splitmix(x) >> 11) as f64 / (1u64 << 53) as f64
}

/// Splits `rows` into at most [`CHUNKS`] runs with about the same number of votes.
fn chunk_rows(m: &VoteMatrix, rows: &[u32]) -> Vec<(usize, usize)> {
    let total: usize = rows.iter().map(|&r| m.row_len(r as usize)).sum();
    let target = total / CHUNKS + 1;
    let mut chunks = Vec::with_capacity(CHUNKS);
    let mut start = 0;
    let mut acc = 0;
    for (k, &r) in rows.iter().enumerate() {
        acc += m.row_len(r as usize);
        if acc >= target && chunks.len() + 1 < CHUNKS {
            chunks.push((start, k + 1));
            start = k + 1;
            acc = 0;
        }
    }
    if start < rows.len() || chunks.is_empty() {
        chunks.push((start, rows.len()));
    }
    chunks
}

/// Width of the block of vectors iterated together. More vectors than the two
/// wanted make the two leading ones converge at the rate `λ_{B+1} / λ_2`
/// instead of `λ_3 / λ_2`.
const B: usize = 4;
type Block = [f64; B];

/// `Yᵀ Y q` for `W` vectors at once, over some rows.
fn apply_chunk<const W: usize>(
    m: &VoteMatrix,
    rows: &[u32],
    mean: &[f64],
    q: &[[f64; W]],
    out: &mut [[f64; W]],
) {
    for &r in rows {
        let (cols, vals) = m.row_slices(r as usize);
        let mut u = [0.0; W];
        for (&c, &v) in cols.iter().zip(vals) {
            let c = c as usize;
            let y = f64::from(v) - mean[c];
            let qc = &q[c];
            for b in 0..W {
                u[b] += y * qc[b];
            }
        }
        for (&c, &v) in cols.iter().zip(vals) {
            let c = c as usize;
            let y = f64::from(v) - mean[c];
            let oc = &mut out[c];
            for b in 0..W {
                oc[b] += y * u[b];
            }
        }
    }
}

/// `Yᵀ Y q` over the rows, one pass over their votes, split in fixed chunks.
fn apply<const W: usize>(
    m: &VoteMatrix,
    rows: &[u32],
    chunks: &[(usize, usize)],
    mean: &[f64],
    q: &[[f64; W]],
    threads: usize,
) -> Vec<[f64; W]> {
    let n = q.len();
    let mut partials: Vec<Vec<[f64; W]>> = vec![Vec::new(); chunks.len()];
    if threads <= 1 || chunks.len() <= 1 {
        for (slot, &(a, b)) in partials.iter_mut().zip(chunks) {
            let mut out = vec![[0.0; W]; n];
            apply_chunk(m, rows.get(a..b).unwrap_or(&[]), mean, q, &mut out);
            *slot = out;
        }
    } else {
        let per_thread = chunks.len().div_ceil(threads);
        std::thread::scope(|scope| {
            for (slots, ranges) in partials
                .chunks_mut(per_thread)
                .zip(chunks.chunks(per_thread))
            {
                scope.spawn(move || {
                    for (slot, &(a, b)) in slots.iter_mut().zip(ranges) {
                        let mut out = vec![[0.0; W]; n];
                        apply_chunk(m, rows.get(a..b).unwrap_or(&[]), mean, q, &mut out);
                        *slot = out;
                    }
                });
            }
        });
    }
    // Sum partial results in a fixed order, so the result is the same for any thread count.
    let mut out = vec![[0.0; W]; n];
    for p in &partials {
        for (o, x) in out.iter_mut().zip(p) {
            for b in 0..W {
                o[b] += x[b];
            }
        }
    }
    out
}

fn dot(a: &[Block], i: usize, b: &[Block], j: usize) -> f64 {
    a.iter().zip(b).map(|(x, y)| x[i] * y[j]).sum()
}

/// Orthonormalises the columns of `q` in place (Gram–Schmidt, twice for
/// stability). A column that vanishes is replaced by a fixed vector, or by zero
/// when the space is exhausted (fewer statements than the block width).
fn orthonormalise(q: &mut [Block]) {
    for col in 0..B {
        for attempt in 0..2 {
            if attempt == 1 {
                for (j, x) in q.iter_mut().enumerate() {
                    x[col] = unit_from_hash((j * B + col) as u64 + 7) - 0.5;
                }
            }
            for _pass in 0..2 {
                for prev in 0..col {
                    let d = dot(q, prev, q, col);
                    for x in q.iter_mut() {
                        x[col] -= d * x[prev];
                    }
                }
            }
            let norm = dot(q, col, q, col).sqrt();
            if norm > 1e-200 && norm.is_finite() {
                for x in q.iter_mut() {
                    x[col] /= norm;
                }
                break;
            }
            if attempt == 1 {
                for x in q.iter_mut() {
                    x[col] = 0.0;
                }
            }
        }
    }
}

/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations:
/// eigenvalues in decreasing order, eigenvectors as the columns of the result.
#[allow(clippy::needless_range_loop)] // index arithmetic on a small dense matrix
fn jacobi(mut a: [[f64; B]; B]) -> ([f64; B], [[f64; B]; B]) {
    let mut v = [[0.0; B]; B];
    for (i, row) in v.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for _sweep in 0..100 {
        let mut off = 0.0;
        let mut diag = 0.0;
        for i in 0..B {
            diag += a[i][i] * a[i][i];
            for j in (i + 1)..B {
                off += a[i][j] * a[i][j];
            }
        }
        if off <= 1e-32 * diag || off == 0.0 {
            break;
        }
        for p in 0..B {
            for q in (p + 1)..B {
                if a[p][q] == 0.0 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = if theta == 0.0 {
                    1.0
                } else {
                    theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt())
                };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut() {
                    let (kp, kq) = (row[p], row[q]);
                    row[p] = c * kp - s * kq;
                    row[q] = s * kp + c * kq;
                }
                for k in 0..B {
                    let (pk, qk) = (a[p][k], a[q][k]);
                    a[p][k] = c * pk - s * qk;
                    a[q][k] = s * pk + c * qk;
                }
                for row in v.iter_mut() {
                    let (kp, kq) = (row[p], row[q]);
                    row[p] = c * kp - s * kq;
                    row[q] = s * kp + c * kq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..B).collect();
    order.sort_by(|&x, &y| a[y][y].total_cmp(&a[x][x]).then(x.cmp(&y)));
    let mut values = [0.0; B];
    let mut vectors = [[0.0; B]; B];
    for (new, &old) in order.iter().enumerate() {
        values[new] = a[old][old];
        for k in 0..B {
            vectors[k][new] = v[k][old];
        }
    }
    (values, vectors)
}

/// Number of worker threads to use: the available cores, at most one per chunk.
/// (Asked of the system once: the answer can cost file-system reads.)
pub(crate) fn worker_threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(CHUNKS)
    })
}

/// Below this many votes a pass is not worth spreading over threads.
const PARALLEL_MIN_VOTES: usize = 200_000;

fn threads_for(m: &VoteMatrix, rows: &[u32]) -> usize {
    let votes: usize = rows.iter().map(|&r| m.row_len(r as usize)).sum();
    if votes < PARALLEL_MIN_VOTES {
        1
    } else {
        worker_threads()
    }
}

/// Column means of the votes of `rows` (0 where a column has no vote among them).
pub fn column_means(m: &VoteMatrix, rows: &[u32]) -> Vec<f64> {
    let n = m.n_statements();
    let mut sum = vec![0.0f64; n];
    let mut count = vec![0u64; n];
    for &r in rows {
        let (cols, vals) = m.row_slices(r as usize);
        for (&c, &v) in cols.iter().zip(vals) {
            sum[c as usize] += f64::from(v);
            count[c as usize] += 1;
        }
    }
    sum.iter()
        .zip(&count)
        .map(|(&s, &c)| if c > 0 { s / c as f64 } else { 0.0 })
        .collect()
}

/// The same components as [`pca2`], by plain subspace (block power) iteration on
/// four vectors with a Rayleigh–Ritz step. Slower to converge when the leading
/// eigenvalues are close; kept as an independent check of [`pca2`].
#[allow(clippy::needless_range_loop)] // index arithmetic on small dense blocks
pub fn pca2_subspace(m: &VoteMatrix, rows: &[u32]) -> Pca {
    let n = m.n_statements();
    let mean = column_means(m, rows);
    let chunks = chunk_rows(m, rows);
    let threads = threads_for(m, rows);
    let mut q: Vec<Block> = (0..n as u64)
        .map(|j| {
            let mut x = [0.0; B];
            for (b, xb) in x.iter_mut().enumerate() {
                let offset = if b == 0 { -1.0 } else { 0.5 };
                *xb = unit_from_hash(j * B as u64 + b as u64) - offset;
            }
            x
        })
        .collect();
    orthonormalise(&mut q);
    let mut eigenvalues = [0.0; 2];
    let mut iterations = 0;
    while n > 0 && iterations < MAX_ITERATIONS {
        iterations += 1;
        let w = apply(m, rows, &chunks, &mean, &q, threads);
        // Rayleigh–Ritz on span(q): H = qᵀ A q.
        let mut h = [[0.0; B]; B];
        for i in 0..B {
            for j in i..B {
                let x = 0.5 * (dot(&q, i, &w, j) + dot(&q, j, &w, i));
                h[i][j] = x;
                h[j][i] = x;
            }
        }
        let (lambda, u) = jacobi(h);
        eigenvalues = [lambda[0], lambda[1]];
        // Ritz vectors x = q u and their images A x = w u; residuals of the two leading.
        let scale = lambda[0].abs().max(1e-300);
        let mut residual: f64 = 0.0;
        let mut ritz: Vec<Block> = Vec::with_capacity(n);
        let mut image: Vec<Block> = Vec::with_capacity(n);
        for (qj, wj) in q.iter().zip(&w) {
            let mut x = [0.0; B];
            let mut ax = [0.0; B];
            for b in 0..B {
                for c in 0..B {
                    x[b] += qj[c] * u[c][b];
                    ax[b] += wj[c] * u[c][b];
                }
            }
            for b in 0..2 {
                residual = residual.max((ax[b] - lambda[b] * x[b]).abs());
            }
            ritz.push(x);
            image.push(ax);
        }
        if lambda[0].abs() <= 1e-300 || residual / scale < TOLERANCE {
            q = ritz;
            break;
        }
        q = image;
        orthonormalise(&mut q);
    }
    let mut pc1: Vec<f64> = q.iter().map(|x| x[0]).collect();
    let mut pc2: Vec<f64> = q.iter().map(|x| x[1]).collect();
    fix_sign(&mut pc1);
    fix_sign(&mut pc2);
    Pca {
        mean,
        pc1,
        pc2,
        eigenvalues,
        iterations,
    }
}

/// Eigenvalues (in `d`, unsorted) of the symmetric tridiagonal matrix with
/// diagonal `d` and off-diagonal `e` (`e[i]` joins `i` and `i + 1`; the last entry
/// is ignored), by the implicit QL method with Wilkinson shifts. The rotations
/// are applied to the rows of `z` (each row a vector of length `d.len()`): with
/// `z` the identity, its columns become the eigenvectors; with `z` a single row,
/// that row of the eigenvector matrix is tracked at a fraction of the cost.
fn tridiagonal_ql(d: &mut [f64], e: &mut [f64], z: &mut [Vec<f64>]) {
    let n = d.len();
    if n == 0 || e.len() < n {
        return;
    }
    e[n - 1] = 0.0;
    for l in 0..n {
        let mut iterations = 0;
        loop {
            let mut m = l;
            while m + 1 < n {
                let dd = d[m].abs() + d[m + 1].abs();
                if e[m].abs() <= f64::EPSILON * dd {
                    break;
                }
                m += 1;
            }
            if m == l || iterations >= 60 {
                break;
            }
            iterations += 1;
            let mut g = (d[l + 1] - d[l]) / (2.0 * e[l]);
            let mut r = g.hypot(1.0);
            g = d[m] - d[l] + e[l] / (g + r.copysign(g));
            let (mut s, mut c, mut p) = (1.0f64, 1.0f64, 0.0f64);
            let mut underflow = false;
            let mut i = m;
            while i > l {
                i -= 1;
                let f = s * e[i];
                let b = c * e[i];
                r = f.hypot(g);
                e[i + 1] = r;
                if r == 0.0 {
                    d[i + 1] -= p;
                    e[m] = 0.0;
                    underflow = true;
                    break;
                }
                s = f / r;
                c = g / r;
                g = d[i + 1] - p;
                r = (d[i] - g) * s + 2.0 * c * b;
                p = s * r;
                d[i + 1] = g + p;
                g = c * r - b;
                for row in z.iter_mut() {
                    let f = row[i + 1];
                    row[i + 1] = s * row[i] + c * f;
                    row[i] = c * row[i] - s * f;
                }
            }
            if underflow {
                continue;
            }
            d[l] -= p;
            e[l] = g;
            e[m] = 0.0;
        }
    }
}

/// Indices of the two largest values, largest first.
fn top_two(values: &[f64]) -> [usize; 2] {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    [
        order.first().copied().unwrap_or(0),
        order.get(1).copied().unwrap_or(0),
    ]
}

/// Two leading principal components of the rows `rows` of `m`, missing votes
/// imputed with the column mean (see the module documentation).
///
/// Method: Lanczos iteration on `Yᵀ Y` (a Krylov-space refinement of power
/// iteration: the same sparse products `Yᵀ (Y v)`, one pass over the votes per
/// step, but all the vectors produced are kept and combined), with full
/// re-orthogonalisation, stopped when the residuals of both leading Ritz pairs
/// fall below [`LANCZOS_TOLERANCE`] times the largest eigenvalue, or after
/// [`MAX_LANCZOS_STEPS`] steps.
///
/// Deterministic: the start vector is fixed and the arithmetic does not depend
/// on the number of threads. Each component's sign is fixed so that its entry of
/// largest magnitude is positive.
pub fn pca2(m: &VoteMatrix, rows: &[u32]) -> Pca {
    let n = m.n_statements();
    let mean = column_means(m, rows);
    let chunks = chunk_rows(m, rows);
    let threads = threads_for(m, rows);
    let max_steps = MAX_LANCZOS_STEPS.min(n);
    let mut basis: Vec<Vec<f64>> = Vec::new();
    let mut alpha: Vec<f64> = Vec::new();
    let mut beta: Vec<f64> = Vec::new();
    let normalise = |v: &mut Vec<f64>| -> f64 {
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|x| *x /= norm);
        }
        norm
    };
    let orthogonalise = |v: &mut Vec<f64>, basis: &[Vec<f64>]| {
        for _pass in 0..2 {
            for b in basis {
                let d: f64 = b.iter().zip(v.iter()).map(|(x, y)| x * y).sum();
                v.iter_mut().zip(b).for_each(|(x, y)| *x -= d * y);
            }
        }
    };
    let mut v: Vec<f64> = (0..n as u64).map(|j| 1.0 + unit_from_hash(j)).collect();
    normalise(&mut v);
    let mut iterations = 0;
    let mut fresh_starts = 0u64;
    let mut next_check = 2usize;
    while basis.len() < max_steps {
        iterations += 1;
        let q: Vec<[f64; 1]> = v.iter().map(|&x| [x]).collect();
        let mut w: Vec<f64> = apply(m, rows, &chunks, &mean, &q, threads)
            .into_iter()
            .map(|x| x[0])
            .collect();
        let a: f64 = v.iter().zip(&w).map(|(x, y)| x * y).sum();
        basis.push(std::mem::take(&mut v));
        alpha.push(a);
        orthogonalise(&mut w, &basis);
        let mut b = normalise(&mut w);
        let scale = alpha.iter().fold(0.0f64, |acc, x| acc.max(x.abs()));
        if b <= 1e-12 * scale.max(1e-300) {
            // Invariant subspace: the Krylov space holds exact eigenvectors.
            // Continue from a fresh vector orthogonal to it (coupling zero).
            b = 0.0;
            loop {
                fresh_starts += 1;
                w = (0..n as u64)
                    .map(|j| unit_from_hash(j ^ (fresh_starts << 40)) - 0.5)
                    .collect();
                orthogonalise(&mut w, &basis);
                if normalise(&mut w) > 1e-8 || fresh_starts > 8 {
                    break;
                }
            }
        }
        beta.push(b);
        v = w;
        let steps = basis.len();
        if steps >= next_check || steps == max_steps {
            next_check = steps + LANCZOS_CHECK_EVERY;
            let mut d = alpha.clone();
            let mut e = beta.clone();
            let mut last = vec![vec![0.0; steps]];
            last[0][steps - 1] = 1.0;
            tridiagonal_ql(&mut d, &mut e, &mut last);
            let [i1, i2] = top_two(&d);
            let theta = d[i1].abs().max(1e-300);
            let r1 = (b * last[0][i1]).abs();
            let r2 = (b * last[0][i2]).abs();
            if r1.max(r2) <= LANCZOS_TOLERANCE * theta {
                break;
            }
        }
    }
    // Ritz vectors of the two leading Ritz values.
    let steps = basis.len();
    let mut d = alpha;
    let mut e = beta;
    let mut z: Vec<Vec<f64>> = (0..steps)
        .map(|i| {
            let mut row = vec![0.0; steps];
            row[i] = 1.0;
            row
        })
        .collect();
    tridiagonal_ql(&mut d, &mut e, &mut z);
    let [i1, i2] = top_two(&d);
    let ritz = |col: usize| -> Vec<f64> {
        let mut x = vec![0.0; n];
        for (b, zrow) in basis.iter().zip(&z) {
            let c = zrow[col];
            x.iter_mut().zip(b).for_each(|(xi, bi)| *xi += c * bi);
        }
        x
    };
    let mut pc1 = ritz(i1);
    let mut pc2 = if steps >= 2 { ritz(i2) } else { vec![0.0; n] };
    normalise(&mut pc1);
    normalise(&mut pc2);
    fix_sign(&mut pc1);
    fix_sign(&mut pc2);
    let eigenvalues = [
        d.get(i1).copied().unwrap_or(0.0),
        if steps >= 2 {
            d.get(i2).copied().unwrap_or(0.0)
        } else {
            0.0
        },
    ];
    Pca {
        mean,
        pc1,
        pc2,
        eigenvalues,
        iterations,
    }
}

fn fix_sign(v: &mut [f64]) {
    let mut best = 0.0f64;
    let mut sign = 1.0;
    for &x in v.iter() {
        if x.abs() > best.abs() + 1e-12 {
            best = x;
            sign = if x < 0.0 { -1.0 } else { 1.0 };
        }
    }
    if sign < 0.0 {
        for x in v.iter_mut() {
            *x = -*x;
        }
    }
}

/// Polis' sparsity-aware projection of participants onto the two components:
/// the centred votes of a participant (missing votes count as the column mean,
/// i.e. contribute zero) dotted with each component, scaled by
/// `sqrt(n_statements / max(n_votes, 1))` so that participants who voted on few
/// statements are not all pulled towards the centre.
///
/// The number of statements counts those that received at least one vote (the
/// columns of Polis' matrix). With `count_moderated`, moderated-out statements
/// that received votes count as Polis counts them (their columns are set to zero for everyone, so they
/// add to both the number of statements and every participant's votes).
pub fn project(m: &VoteMatrix, pca: &Pca, rows: &[u32], count_moderated: bool) -> Vec<[f64; 2]> {
    let extra = if count_moderated {
        m.excluded_voted_statements()
    } else {
        0
    };
    let n_statements = (m.n_voted_statements() + extra) as f64;
    rows.iter()
        .map(|&r| {
            let (cols, vals) = m.row_slices(r as usize);
            let mut p = [0.0, 0.0];
            for (&c, &v) in cols.iter().zip(vals) {
                let c = c as usize;
                let y = f64::from(v) - pca.mean.get(c).copied().unwrap_or(0.0);
                p[0] += y * pca.pc1.get(c).copied().unwrap_or(0.0);
                p[1] += y * pca.pc2.get(c).copied().unwrap_or(0.0);
            }
            let scale = (n_statements / ((cols.len() + extra).max(1) as f64)).sqrt();
            [p[0] * scale, p[1] * scale]
        })
        .collect()
}
