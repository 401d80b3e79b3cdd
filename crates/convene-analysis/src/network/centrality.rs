//! Centrality measures: degree, betweenness, closeness, eigenvector, PageRank.
//!
//! Every function returns one value per node, in node order, and follows the
//! definitions and default normalisations of networkx 3 (see
//! `docs/network-metrics.md`).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::error::NetworkError;
use super::graph::{Csr, Graph};

/// Degree centrality: the number of ties of a node divided by `n - 1`
/// (in-degree plus out-degree when directed). A graph of one node gives 1.
pub fn degree_centrality(g: &Graph) -> Vec<f64> {
    let n = g.node_count();
    if n <= 1 {
        return vec![1.0; n];
    }
    let mut deg = vec![0usize; n];
    for e in g.edges() {
        deg[e.source] += 1;
        deg[e.target] += 1;
    }
    let scale = 1.0 / (n as f64 - 1.0);
    deg.into_iter().map(|d| d as f64 * scale).collect()
}

/// Min-heap entry for Dijkstra, ordered by distance then by insertion count
/// (so that ties are settled in a fixed order).
#[derive(Debug, Clone, Copy)]
struct HeapItem {
    dist: f64,
    count: u64,
    node: u32,
}

impl PartialEq for HeapItem {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for HeapItem {}
impl PartialOrd for HeapItem {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for HeapItem {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap.
        other
            .dist
            .total_cmp(&self.dist)
            .then_with(|| other.count.cmp(&self.count))
    }
}

/// Per-thread scratch space for single-source shortest paths.
struct Sssp {
    /// Hop distance (unweighted), -1 when not reached.
    hops: Vec<i32>,
    /// Weighted distance, infinite when not reached.
    dist: Vec<f64>,
    settled: Vec<bool>,
    sigma: Vec<f64>,
    delta: Vec<f64>,
    /// Nodes in the order they were settled.
    order: Vec<u32>,
    heap: BinaryHeap<HeapItem>,
}

impl Sssp {
    fn new(n: usize) -> Self {
        Sssp {
            hops: vec![-1; n],
            dist: vec![f64::INFINITY; n],
            settled: vec![false; n],
            sigma: vec![0.0; n],
            delta: vec![0.0; n],
            order: Vec::with_capacity(n),
            heap: BinaryHeap::new(),
        }
    }

    fn reset(&mut self) {
        for &v in &self.order {
            let v = v as usize;
            self.hops[v] = -1;
            self.dist[v] = f64::INFINITY;
            self.settled[v] = false;
            self.sigma[v] = 0.0;
            self.delta[v] = 0.0;
        }
        self.order.clear();
        self.heap.clear();
    }

    /// Dijkstra from `s` with the arc weights as lengths, counting shortest paths.
    fn dijkstra(&mut self, adj: &Csr, s: usize) {
        self.reset();
        let mut count = 0u64;
        self.dist[s] = 0.0;
        self.sigma[s] = 1.0;
        self.heap.push(HeapItem {
            dist: 0.0,
            count,
            node: s as u32,
        });
        // Every node touched is eventually settled, so `order` (the settle
        // order) is also the list of nodes that `reset` must clear.
        while let Some(HeapItem { dist, node, .. }) = self.heap.pop() {
            let v = node as usize;
            if self.settled[v] {
                continue;
            }
            self.settled[v] = true;
            self.order.push(node);
            let sv = self.sigma[v];
            for (&w, &len) in adj.neighbours(v).iter().zip(adj.weights_of(v)) {
                let wi = w as usize;
                if self.settled[wi] {
                    continue;
                }
                let nd = dist + len;
                if nd < self.dist[wi] {
                    self.dist[wi] = nd;
                    self.sigma[wi] = sv;
                    count += 1;
                    self.heap.push(HeapItem {
                        dist: nd,
                        count,
                        node: w,
                    });
                } else if nd == self.dist[wi] {
                    self.sigma[wi] += sv;
                }
            }
        }
    }
}

/// Dependency accumulation of Brandes' algorithm after a weighted search from
/// `s`, using successors (`w` is a successor of `v` when a shortest path to
/// `w` ends with the arc `v -> w`):
/// `delta(v) = sigma(v) * sum over successors w of (1 + delta(w)) / sigma(w)`.
/// The quotient is kept per node (in `delta`, once `w` is finished) so that
/// the inner loop only adds.
fn accumulate_weighted(st: &mut Sssp, adj: &Csr, s: usize, bc: &mut [f64]) {
    for i in (0..st.order.len()).rev() {
        let v = st.order[i] as usize;
        let mut acc = 0.0;
        let dv = st.dist[v];
        for (&w, &len) in adj.neighbours(v).iter().zip(adj.weights_of(v)) {
            let w = w as usize;
            if st.dist[w] == dv + len {
                acc += st.delta[w];
            }
        }
        let sv = st.sigma[v];
        let dependency = sv * acc;
        if v != s {
            bc[v] += dependency;
        }
        // From here on, `delta[v]` holds (1 + delta(v)) / sigma(v).
        st.delta[v] = (1.0 + dependency) / sv;
    }
}

/// State of one node in the unweighted Brandes search. `value` holds the
/// number of shortest paths from the source while searching, then, once the
/// node's dependency is known, `(1 + delta) / sigma`. Keeping both fields in
/// one slot means one cache line per neighbour visited.
#[derive(Debug, Clone, Copy)]
struct Slot {
    hops: i32,
    value: f64,
}

/// Unweighted Brandes from one source, adding dependencies into `bc`.
///
/// `reach`, when known (undirected graphs), is the number of nodes reachable
/// from `s`. Nodes on the deepest level have no successors, so they need no
/// scan: not in the search once every reachable node has been found, and not
/// in the accumulation.
fn brandes_bfs(
    adj: &Csr,
    s: usize,
    reach: Option<usize>,
    slots: &mut [Slot],
    order: &mut Vec<u32>,
    bc: &mut [f64],
) {
    for &v in order.iter() {
        slots[v as usize] = Slot {
            hops: -1,
            value: 0.0,
        };
    }
    order.clear();
    slots[s] = Slot {
        hops: 0,
        value: 1.0,
    };
    order.push(s as u32);
    let mut head = 0;
    while head < order.len() {
        let v = order[head] as usize;
        head += 1;
        let Slot { hops, value } = slots[v];
        if reach == Some(order.len()) {
            if let Some(&last) = order.last() {
                if slots[last as usize].hops == hops {
                    // Everything is found and `v` is on the deepest level.
                    break;
                }
            }
        }
        let next = hops + 1;
        for &w in adj.neighbours(v) {
            let slot = &mut slots[w as usize];
            if slot.hops < 0 {
                slot.hops = next;
                order.push(w);
            }
            if slot.hops == next {
                slot.value += value;
            }
        }
    }
    let deepest = order.last().map_or(0, |&v| slots[v as usize].hops);
    for i in (1..order.len()).rev() {
        let v = order[i] as usize;
        let Slot { hops, value: sigma } = slots[v];
        let dependency = if hops == deepest {
            0.0
        } else {
            let next = hops + 1;
            let mut acc = 0.0;
            for &w in adj.neighbours(v) {
                let slot = slots[w as usize];
                if slot.hops == next {
                    acc += slot.value;
                }
            }
            sigma * acc
        };
        bc[v] += dependency;
        slots[v].value = (1.0 + dependency) / sigma;
    }
}

/// Size of the connected component of every node (arcs taken both ways).
fn component_sizes(adj: &Csr) -> Vec<usize> {
    let n = adj.node_count();
    let mut comp = vec![usize::MAX; n];
    let mut sizes = Vec::new();
    let mut stack = Vec::new();
    for root in 0..n {
        if comp[root] != usize::MAX {
            continue;
        }
        let id = sizes.len();
        comp[root] = id;
        stack.push(root);
        let mut size = 0;
        while let Some(v) = stack.pop() {
            size += 1;
            for &w in adj.neighbours(v) {
                let w = w as usize;
                if comp[w] == usize::MAX {
                    comp[w] = id;
                    stack.push(w);
                }
            }
        }
        sizes.push(size);
    }
    comp.into_iter().map(|c| sizes[c]).collect()
}

fn brandes_range(
    adj: &Csr,
    weighted: bool,
    reach: Option<&[usize]>,
    sources: impl Iterator<Item = usize>,
) -> Vec<f64> {
    let n = adj.node_count();
    let mut bc = vec![0.0; n];
    if weighted {
        let mut st = Sssp::new(n);
        for s in sources {
            st.dijkstra(adj, s);
            accumulate_weighted(&mut st, adj, s, &mut bc);
        }
    } else {
        let mut slots = vec![
            Slot {
                hops: -1,
                value: 0.0
            };
            n
        ];
        let mut order = Vec::with_capacity(n);
        for s in sources {
            brandes_bfs(adj, s, reach.map(|r| r[s]), &mut slots, &mut order, &mut bc);
        }
    }
    bc
}

/// Number of worker threads for the all-sources searches.
fn worker_count(n: usize, arcs: usize) -> usize {
    // Below this much work, starting threads costs more than it saves.
    if (n as u64).saturating_mul(arcs as u64 + n as u64) < 2_000_000 {
        return 1;
    }
    std::thread::available_parallelism()
        .map(|p| p.get())
        .unwrap_or(1)
        .clamp(1, 64)
        .min(n.max(1))
}

/// Unnormalised Brandes betweenness over ordered pairs, using `threads` workers.
/// `symmetric`: every arc has its reverse (an undirected graph), so that the
/// nodes reachable from a source are its connected component.
pub(crate) fn brandes(adj: &Csr, weighted: bool, symmetric: bool, threads: usize) -> Vec<f64> {
    let n = adj.node_count();
    let sizes = (symmetric && !weighted).then(|| component_sizes(adj));
    let reach = sizes.as_deref();
    let partials = on_threads(n, threads, |sources| {
        brandes_range(adj, weighted, reach, sources)
    });
    let mut bc = vec![0.0; n];
    for part in partials {
        for (b, p) in bc.iter_mut().zip(part) {
            *b += p;
        }
    }
    bc
}

/// Betweenness centrality (Brandes 2001), normalised as networkx does by
/// default: divided by `(n - 1)(n - 2)` pair counts (ordered pairs when
/// directed, unordered when undirected), endpoints excluded.
///
/// When `weighted` is true, edge weights are path lengths (distances).
pub fn betweenness_centrality(g: &Graph, weighted: bool) -> Vec<f64> {
    betweenness_with_threads(g, weighted, None)
}

/// As [`betweenness_centrality`], with an explicit number of threads
/// (`None`: one per available core for large graphs).
pub fn betweenness_with_threads(g: &Graph, weighted: bool, threads: Option<usize>) -> Vec<f64> {
    let mut adj = g.out_csr(weighted);
    adj.sort_rows();
    let n = adj.node_count();
    let threads = threads
        .unwrap_or_else(|| worker_count(n, adj.targets.len()))
        .max(1);
    let mut bc = brandes(&adj, weighted, !g.is_directed(), threads);
    // Raw values count ordered (s, t) pairs; networkx divides by (n-1)(n-2),
    // which for undirected graphs also halves the double counting.
    if n > 2 {
        let scale = 1.0 / ((n as f64 - 1.0) * (n as f64 - 2.0));
        for b in &mut bc {
            *b *= scale;
        }
    }
    bc
}

/// Closeness centrality with the Wasserman–Faust correction for graphs that
/// are not connected (networkx `closeness_centrality`, `wf_improved=True`).
///
/// For node `u`, with `r` the number of other nodes that can reach `u`, and
/// `d` the sum of their shortest-path distances to `u`:
/// `C(u) = (r / (n - 1)) * (r / d)`, and 0 when `d = 0`. In a directed graph
/// the distances are *to* `u` (incoming). With `weighted`, weights are lengths.
pub fn closeness_centrality(g: &Graph, weighted: bool) -> Vec<f64> {
    let adj = g.in_csr(weighted);
    let n = adj.node_count();
    let threads = worker_count(n, adj.targets.len());
    let mut out = vec![0.0; n];
    let parts = on_threads(n, threads, |sources| {
        let mut st = Sssp::new(n);
        let mut values = Vec::new();
        for u in sources {
            let (found, total) = if weighted {
                st.dijkstra(&adj, u);
                let total: f64 = st.order.iter().map(|&v| st.dist[v as usize]).sum();
                (st.order.len(), total)
            } else {
                bfs_distance_sum(&adj, u, &mut st.hops, &mut st.order)
            };
            let reached = found as f64 - 1.0;
            let c = if total > 0.0 && n > 1 {
                reached / total * (reached / (n as f64 - 1.0))
            } else {
                0.0
            };
            values.push((u, c));
        }
        values
    });
    for (u, c) in parts.into_iter().flatten() {
        out[u] = c;
    }
    out
}

/// Breadth-first search from `s` that only measures: returns the number of
/// nodes reached (`s` included) and the sum of their hop distances.
/// `hops` must be all -1 on entry and is left so; `order` is scratch space.
fn bfs_distance_sum(adj: &Csr, s: usize, hops: &mut [i32], order: &mut Vec<u32>) -> (usize, f64) {
    order.clear();
    hops[s] = 0;
    order.push(s as u32);
    let mut total = 0u64;
    let mut head = 0;
    while head < order.len() {
        let v = order[head] as usize;
        head += 1;
        let next = hops[v] + 1;
        for &w in adj.neighbours(v) {
            let h = &mut hops[w as usize];
            if *h < 0 {
                *h = next;
                total += next as u64;
                order.push(w);
            }
        }
    }
    for &v in order.iter() {
        hops[v as usize] = -1;
    }
    let found = order.len();
    order.clear();
    (found, total as f64)
}

/// Run `work` over the sources `0..n`, split into `threads` interleaved
/// parts (`t, t + threads, ...`), each on its own scoped thread; the parts
/// come back in order, so results do not depend on scheduling.
fn on_threads<T, F>(n: usize, threads: usize, work: F) -> Vec<T>
where
    T: Send,
    F: Fn(std::iter::StepBy<std::ops::Range<usize>>) -> T + Sync,
{
    let threads = threads.max(1);
    if threads == 1 {
        return vec![work((0..n).step_by(1))];
    }
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| scope.spawn(move || work((t..n).step_by(threads))))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Options for the power iterations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PowerOptions {
    /// Stop when the sum of absolute changes is below `node_count * tolerance`.
    pub tolerance: f64,
    /// Give up after this many iterations.
    pub max_iterations: usize,
}

impl Default for PowerOptions {
    /// Much tighter than networkx's defaults (1e-6, 100/1000 iterations), so
    /// that results agree with an exact eigenvector to about 1e-12.
    fn default() -> Self {
        PowerOptions {
            tolerance: 1e-14,
            max_iterations: 10_000,
        }
    }
}

/// Eigenvector centrality (networkx `eigenvector_centrality`): power
/// iteration on `A + I` from the uniform vector, normalised to unit Euclidean
/// length after every step. In a directed graph a node's score sums the
/// scores of the nodes with ties *into* it. With `weighted`, weights scale ties.
pub fn eigenvector_centrality(
    g: &Graph,
    weighted: bool,
    opts: PowerOptions,
) -> Result<Vec<f64>, NetworkError> {
    let n = g.node_count();
    if n == 0 {
        return Err(NetworkError::EmptyGraph);
    }
    let adj = g.in_csr(weighted);
    let mut x = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..opts.max_iterations {
        for (v, nv) in next.iter_mut().enumerate() {
            let mut s = x[v];
            for (&u, &w) in adj.neighbours(v).iter().zip(adj.weights_of(v)) {
                s += x[u as usize] * w;
            }
            *nv = s;
        }
        let norm = next.iter().map(|v| v * v).sum::<f64>().sqrt();
        let norm = if norm == 0.0 { 1.0 } else { norm };
        let mut change = 0.0;
        for (nv, xv) in next.iter_mut().zip(&x) {
            *nv /= norm;
            change += (*nv - xv).abs();
        }
        std::mem::swap(&mut x, &mut next);
        if change < n as f64 * opts.tolerance {
            return Ok(x);
        }
    }
    Err(NetworkError::NoConvergence(opts.max_iterations))
}

/// PageRank (networkx `pagerank`): damping `alpha`, teleport distribution
/// `personalization` (uniform when `None`), and the rank of dangling nodes
/// (no out-ties) spread like the teleport distribution. Undirected ties count
/// in both directions; with `weighted`, a node's out-ties share its rank in
/// proportion to their weights.
pub fn pagerank(
    g: &Graph,
    alpha: f64,
    personalization: Option<&[f64]>,
    weighted: bool,
    opts: PowerOptions,
) -> Result<Vec<f64>, NetworkError> {
    let n = g.node_count();
    if n == 0 {
        return Ok(Vec::new());
    }
    if !(0.0..=1.0).contains(&alpha) {
        return Err(NetworkError::InvalidParameter(format!(
            "alpha {alpha} is not in [0, 1]"
        )));
    }
    let p: Vec<f64> = match personalization {
        None => vec![1.0 / n as f64; n],
        Some(p) => {
            if p.len() != n {
                return Err(NetworkError::InvalidParameter(format!(
                    "personalization has {} values for {} nodes",
                    p.len(),
                    n
                )));
            }
            if p.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
                return Err(NetworkError::InvalidParameter(
                    "personalization values must be finite and non-negative".to_string(),
                ));
            }
            let total: f64 = p.iter().sum();
            if total <= 0.0 {
                return Err(NetworkError::InvalidParameter(
                    "personalization values sum to zero".to_string(),
                ));
            }
            p.iter().map(|v| v / total).collect()
        }
    };
    let out = g.out_csr(weighted);
    let inc = g.in_csr(weighted);
    let strength: Vec<f64> = (0..n).map(|v| out.weights_of(v).iter().sum()).collect();
    let dangling: Vec<usize> = (0..n).filter(|&v| strength[v] == 0.0).collect();
    let mut x = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..opts.max_iterations {
        let dangling_sum: f64 = dangling.iter().map(|&v| x[v]).sum();
        let mut change = 0.0;
        for v in 0..n {
            let mut s = 0.0;
            for (&u, &w) in inc.neighbours(v).iter().zip(inc.weights_of(v)) {
                let u = u as usize;
                s += x[u] * (w / strength[u]);
            }
            let nv = alpha * (s + dangling_sum * p[v]) + (1.0 - alpha) * p[v];
            change += (nv - x[v]).abs();
            next[v] = nv;
        }
        std::mem::swap(&mut x, &mut next);
        if change < n as f64 * opts.tolerance {
            return Ok(x);
        }
    }
    Err(NetworkError::NoConvergence(opts.max_iterations))
}
