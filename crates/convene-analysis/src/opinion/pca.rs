//! Two principal components of the vote matrix, without densifying it.
//!
//! Polis fills a missing vote with the mean of its statement's column and then
//! centres every column. Filling with the column mean leaves the column mean
//! unchanged, so after centring every missing entry is exactly zero: the
//! centred, imputed matrix `Y` has the same sparsity as the vote matrix, with
//! `Y[i][j] = vote[i][j] - mean[j]` where a vote exists. The components are the
//! two leading eigenvectors of `Yᵀ Y`, found by subspace (block power)
//! iteration with a Rayleigh–Ritz step; each iteration is one pass over the
//! stored votes.

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

/// `Yᵀ Y q` for two vectors at once, over the rows `rows[a..b]`.
fn apply_chunk(m: &VoteMatrix, rows: &[u32], mean: &[f64], q: &[[f64; 2]], out: &mut [[f64; 2]]) {
    for &r in rows {
        let (cols, vals) = m.row_slices(r as usize);
        let mut u0 = 0.0;
        let mut u1 = 0.0;
        for (&c, &v) in cols.iter().zip(vals) {
            let c = c as usize;
            let y = f64::from(v) - mean[c];
            u0 += y * q[c][0];
            u1 += y * q[c][1];
        }
        for (&c, &v) in cols.iter().zip(vals) {
            let c = c as usize;
            let y = f64::from(v) - mean[c];
            out[c][0] += y * u0;
            out[c][1] += y * u1;
        }
    }
}

fn apply(
    m: &VoteMatrix,
    rows: &[u32],
    chunks: &[(usize, usize)],
    mean: &[f64],
    q: &[[f64; 2]],
    threads: usize,
) -> Vec<[f64; 2]> {
    let n = q.len();
    let mut partials: Vec<Vec<[f64; 2]>> = vec![Vec::new(); chunks.len()];
    if threads <= 1 || chunks.len() <= 1 {
        for (slot, &(a, b)) in partials.iter_mut().zip(chunks) {
            let mut out = vec![[0.0; 2]; n];
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
                        let mut out = vec![[0.0; 2]; n];
                        apply_chunk(m, rows.get(a..b).unwrap_or(&[]), mean, q, &mut out);
                        *slot = out;
                    }
                });
            }
        });
    }
    // Sum partial results in a fixed order, so the result is the same for any thread count.
    let mut out = vec![[0.0; 2]; n];
    for p in &partials {
        for (o, x) in out.iter_mut().zip(p) {
            o[0] += x[0];
            o[1] += x[1];
        }
    }
    out
}

fn dot(a: &[[f64; 2]], i: usize, b: &[[f64; 2]], j: usize) -> f64 {
    a.iter().zip(b).map(|(x, y)| x[i] * y[j]).sum()
}

/// Orthonormalises the two columns of `q` in place (Gram–Schmidt, twice for stability).
/// A column that vanishes is replaced by a fixed vector.
fn orthonormalise(q: &mut [[f64; 2]]) {
    for col in 0..2 {
        for _pass in 0..2 {
            for prev in 0..col {
                let d = dot(q, prev, q, col);
                for x in q.iter_mut() {
                    x[col] -= d * x[prev];
                }
            }
        }
        let norm = dot(q, col, q, col).sqrt();
        if norm > 1e-300 && norm.is_finite() {
            for x in q.iter_mut() {
                x[col] /= norm;
            }
        } else {
            for (j, x) in q.iter_mut().enumerate() {
                x[col] = unit_from_hash(j as u64 * 2 + col as u64 + 7) - 0.5;
            }
            for prev in 0..col {
                let d = dot(q, prev, q, col);
                for x in q.iter_mut() {
                    x[col] -= d * x[prev];
                }
            }
            let norm = dot(q, col, q, col).sqrt();
            if norm > 0.0 {
                for x in q.iter_mut() {
                    x[col] /= norm;
                }
            }
        }
    }
}

/// Eigen-decomposition of a symmetric 2×2 matrix [[a, b], [b, d]]:
/// eigenvalues in decreasing order and the matching unit eigenvectors.
fn eig2(a: f64, b: f64, d: f64) -> ([f64; 2], [[f64; 2]; 2]) {
    let half_trace = 0.5 * (a + d);
    let diff = 0.5 * (a - d);
    let r = (diff * diff + b * b).sqrt();
    let l1 = half_trace + r;
    let l2 = half_trace - r;
    if b.abs() <= 1e-300 {
        if a >= d {
            return ([a, d], [[1.0, 0.0], [0.0, 1.0]]);
        }
        return ([d, a], [[0.0, 1.0], [1.0, 0.0]]);
    }
    // (A - l1 I) v = 0  =>  v = (b, l1 - a) or (l1 - d, b), pick the better conditioned.
    let v1 = if (l1 - a).abs() > (l1 - d).abs() {
        [b, l1 - a]
    } else {
        [l1 - d, b]
    };
    let n1 = (v1[0] * v1[0] + v1[1] * v1[1]).sqrt();
    let v1 = [v1[0] / n1, v1[1] / n1];
    let v2 = [-v1[1], v1[0]];
    ([l1, l2], [v1, v2])
}

/// Number of worker threads to use (at most 2 per default, since the work is memory-bound).
pub(crate) fn worker_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(CHUNKS)
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

/// Two leading principal components of the rows `rows` of `m`, missing votes
/// imputed with the column mean (see the module documentation).
///
/// Deterministic: the start vectors are fixed and the arithmetic does not depend
/// on the number of threads. Each component's sign is fixed so that its entry of
/// largest magnitude is positive.
pub fn pca2(m: &VoteMatrix, rows: &[u32]) -> Pca {
    let n = m.n_statements();
    let mean = column_means(m, rows);
    let chunks = chunk_rows(m, rows);
    let threads = worker_threads();
    let mut q: Vec<[f64; 2]> = (0..n as u64)
        .map(|j| [1.0 + unit_from_hash(2 * j), unit_from_hash(2 * j + 1) - 0.5])
        .collect();
    orthonormalise(&mut q);
    let mut eigenvalues = [0.0; 2];
    let mut iterations = 0;
    if n == 0 {
        return Pca {
            mean,
            pc1: Vec::new(),
            pc2: Vec::new(),
            eigenvalues,
            iterations,
        };
    }
    while iterations < MAX_ITERATIONS {
        iterations += 1;
        let w = apply(m, rows, &chunks, &mean, &q, threads);
        // Rayleigh–Ritz on span(q): H = qᵀ A q.
        let h00 = dot(&q, 0, &w, 0);
        let h11 = dot(&q, 1, &w, 1);
        let h01 = 0.5 * (dot(&q, 0, &w, 1) + dot(&q, 1, &w, 0));
        let (lambda, u) = eig2(h00, h01, h11);
        eigenvalues = lambda;
        // Ritz vectors x_k = q u_k and their images A x_k = w u_k.
        let mut residual: f64 = 0.0;
        let scale = lambda[0].abs().max(1e-300);
        let mut next: Vec<[f64; 2]> = Vec::with_capacity(n);
        for (qj, wj) in q.iter().zip(&w) {
            let x0 = qj[0] * u[0][0] + qj[1] * u[0][1];
            let x1 = qj[0] * u[1][0] + qj[1] * u[1][1];
            let a0 = wj[0] * u[0][0] + wj[1] * u[0][1];
            let a1 = wj[0] * u[1][0] + wj[1] * u[1][1];
            residual = residual
                .max((a0 - lambda[0] * x0).abs())
                .max((a1 - lambda[1] * x1).abs());
            next.push([a0, a1]);
        }
        if lambda[0].abs() <= 1e-300 {
            break;
        }
        if residual / scale < TOLERANCE {
            // Converged: keep the Ritz vectors themselves.
            for (qj, nj) in q.iter_mut().zip(next.iter_mut()) {
                *nj = [
                    qj[0] * u[0][0] + qj[1] * u[0][1],
                    qj[0] * u[1][0] + qj[1] * u[1][1],
                ];
            }
            q = next;
            orthonormalise(&mut q);
            break;
        }
        q = next;
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
/// With `count_moderated`, moderated-out statements that received votes count
/// as Polis counts them (their columns are set to zero for everyone, so they
/// add to both the number of statements and every participant's votes).
pub fn project(m: &VoteMatrix, pca: &Pca, rows: &[u32], count_moderated: bool) -> Vec<[f64; 2]> {
    let extra = if count_moderated {
        m.excluded_voted_statements()
    } else {
        0
    };
    let n_statements = (m.n_statements() + extra) as f64;
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
