//! Community detection by the Louvain method (Blondel et al. 2008), and
//! modularity (Newman 2006; Leicht & Newman 2008 for directed graphs).
//!
//! The method follows networkx `louvain_communities`: nodes are visited in a
//! random order (from a seeded generator, so results are reproducible), each
//! moves to the neighbouring community with the largest positive modularity
//! gain until no move helps; communities are then merged into single nodes and
//! the process repeats while modularity grows by more than `threshold`.

use super::graph::Graph;

/// Options for [`louvain_communities`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LouvainOptions {
    /// Seed of the random visiting order.
    pub seed: u64,
    /// Resolution `gamma`: above 1 favours smaller communities.
    pub resolution: f64,
    /// Stop when a level improves modularity by no more than this.
    pub threshold: f64,
    /// Use edge weights as tie strengths.
    pub weighted: bool,
}

impl Default for LouvainOptions {
    fn default() -> Self {
        LouvainOptions {
            seed: 0,
            resolution: 1.0,
            threshold: 1e-7,
            weighted: true,
        }
    }
}

/// Most passes of local moves in one level.
const MAX_PASSES: usize = 1000;

/// A small deterministic generator (SplitMix64), enough for shuffling.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (bound > 0), by rejection to avoid bias.
    fn below(&mut self, bound: u64) -> u64 {
        let zone = u64::MAX - (u64::MAX % bound);
        loop {
            let r = self.next();
            if r < zone {
                return r % bound;
            }
        }
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

/// A weighted graph at one level of the Louvain hierarchy, seen as directed
/// (an undirected tie of weight w is two arcs of weight w).
struct Level {
    out_strength: Vec<f64>,
    in_strength: Vec<f64>,
    /// For each node, its neighbours other than itself, with the summed
    /// weight of the arcs in both directions.
    nbrs: Vec<Vec<(usize, f64)>>,
    /// Weight of the arcs from a node to itself (merged internal ties).
    self_weight: Vec<f64>,
}

impl Level {
    fn from_graph(g: &Graph, weighted: bool) -> (Level, f64) {
        let n = g.node_count();
        let mut out_strength = vec![0.0; n];
        let mut in_strength = vec![0.0; n];
        let mut total = 0.0;
        for e in g.edges() {
            let w = if weighted { e.weight() } else { 1.0 };
            out_strength[e.source] += w;
            in_strength[e.target] += w;
            total += w;
            if !g.is_directed() {
                out_strength[e.target] += w;
                in_strength[e.source] += w;
                total += w;
            }
        }
        let factor = if g.is_directed() { 1.0 } else { 2.0 };
        let nbrs = g
            .undirected_neighbours(weighted)
            .into_iter()
            .map(|ns| ns.into_iter().map(|(v, _, w)| (v, w * factor)).collect())
            .collect();
        (
            Level {
                out_strength,
                in_strength,
                nbrs,
                self_weight: vec![0.0; n],
            },
            total,
        )
    }

    fn len(&self) -> usize {
        self.nbrs.len()
    }

    /// Modularity of a partition of this level's nodes (labels `0..k`).
    fn modularity(&self, labels: &[usize], k: usize, total: f64, resolution: f64) -> f64 {
        let mut inner = vec![0.0; k];
        let mut kout = vec![0.0; k];
        let mut kin = vec![0.0; k];
        for u in 0..self.len() {
            let c = labels[u];
            inner[c] += self.self_weight[u];
            kout[c] += self.out_strength[u];
            kin[c] += self.in_strength[u];
            for &(v, w) in &self.nbrs[u] {
                if labels[v] == c {
                    // Each pair is seen from both ends.
                    inner[c] += w / 2.0;
                }
            }
        }
        (0..k)
            .map(|c| inner[c] / total - resolution * kout[c] * kin[c] / (total * total))
            .sum()
    }

    /// One pass of local moves. Returns labels `0..k`, `k`, and whether any
    /// node moved.
    fn one_level(
        &self,
        total: f64,
        resolution: f64,
        rng: &mut SplitMix64,
    ) -> (Vec<usize>, usize, bool) {
        let n = self.len();
        let mut com: Vec<usize> = (0..n).collect();
        let mut tot_in = self.in_strength.clone();
        let mut tot_out = self.out_strength.clone();
        let mut order: Vec<usize> = (0..n).collect();
        rng.shuffle(&mut order);
        let mut weight_to = vec![0.0; n];
        let mut seen: Vec<usize> = Vec::new();
        let mut is_seen = vec![false; n];
        let m2 = total * total;
        let mut improved = false;
        let mut passes = 0;
        loop {
            let mut moves = 0;
            for &u in &order {
                for &(v, w) in &self.nbrs[u] {
                    let c = com[v];
                    if !is_seen[c] {
                        is_seen[c] = true;
                        seen.push(c);
                    }
                    weight_to[c] += w;
                }
                let own = com[u];
                let (kin, kout) = (self.in_strength[u], self.out_strength[u]);
                tot_in[own] -= kin;
                tot_out[own] -= kout;
                let remove_cost = -weight_to[own] / total
                    + resolution * (kout * tot_in[own] + kin * tot_out[own]) / m2;
                let mut best = own;
                let mut best_gain = 0.0;
                for &c in &seen {
                    let gain = remove_cost + weight_to[c] / total
                        - resolution * (kout * tot_in[c] + kin * tot_out[c]) / m2;
                    if gain > best_gain {
                        best_gain = gain;
                        best = c;
                    }
                }
                tot_in[best] += kin;
                tot_out[best] += kout;
                if best != own {
                    com[u] = best;
                    moves += 1;
                    improved = true;
                }
                for &c in &seen {
                    weight_to[c] = 0.0;
                    is_seen[c] = false;
                }
                seen.clear();
            }
            passes += 1;
            // Every move raises modularity, so passes end; the cap only guards
            // against rounding noise making two tiny gains alternate forever.
            if moves == 0 || passes >= MAX_PASSES {
                break;
            }
        }
        // Renumber communities 0..k in order of their smallest node.
        let mut relabel = vec![usize::MAX; n];
        let mut k = 0;
        let mut labels = vec![0; n];
        for u in 0..n {
            let c = com[u];
            if relabel[c] == usize::MAX {
                relabel[c] = k;
                k += 1;
            }
            labels[u] = relabel[c];
        }
        (labels, k, improved)
    }

    /// Merge each community into one node.
    fn aggregate(&self, labels: &[usize], k: usize) -> Level {
        let mut out_strength = vec![0.0; k];
        let mut in_strength = vec![0.0; k];
        let mut self_weight = vec![0.0; k];
        let mut nbrs: Vec<Vec<(usize, f64)>> = vec![Vec::new(); k];
        let mut slot: Vec<Vec<usize>> = vec![Vec::new(); k];
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
        for (u, &c) in labels.iter().enumerate() {
            members[c].push(u);
        }
        let mut pos = vec![usize::MAX; k];
        for c in 0..k {
            for &u in &members[c] {
                out_strength[c] += self.out_strength[u];
                in_strength[c] += self.in_strength[u];
                self_weight[c] += self.self_weight[u];
                for &(v, w) in &self.nbrs[u] {
                    let d = labels[v];
                    if d == c {
                        self_weight[c] += w / 2.0;
                    } else if pos[d] == usize::MAX {
                        pos[d] = nbrs[c].len();
                        slot[c].push(d);
                        nbrs[c].push((d, w));
                    } else {
                        nbrs[c][pos[d]].1 += w;
                    }
                }
            }
            for &d in &slot[c] {
                pos[d] = usize::MAX;
            }
        }
        Level {
            out_strength,
            in_strength,
            nbrs,
            self_weight,
        }
    }
}

/// Louvain communities: one community label per node (labels `0..k`,
/// numbered in order of each community's first node). The same graph and
/// options always give the same labels. A graph without ties puts every node
/// in its own community.
pub fn louvain_communities(g: &Graph, opts: LouvainOptions) -> Vec<usize> {
    let n = g.node_count();
    let (mut level, total) = Level::from_graph(g, opts.weighted);
    let mut node_label: Vec<usize> = (0..n).collect();
    if total <= 0.0 {
        return node_label;
    }
    let mut rng = SplitMix64(opts.seed);
    let identity: Vec<usize> = (0..n).collect();
    let mut modularity = level.modularity(&identity, n, total, opts.resolution);
    loop {
        let (labels, k, improved) = level.one_level(total, opts.resolution, &mut rng);
        if !improved {
            break;
        }
        for l in &mut node_label {
            *l = labels[*l];
        }
        let new_mod = level.modularity(&labels, k, total, opts.resolution);
        level = level.aggregate(&labels, k);
        if new_mod - modularity <= opts.threshold {
            break;
        }
        modularity = new_mod;
    }
    renumber(&node_label)
}

fn renumber(labels: &[usize]) -> Vec<usize> {
    let mut map = std::collections::HashMap::new();
    labels
        .iter()
        .map(|l| {
            let next = map.len();
            *map.entry(*l).or_insert(next)
        })
        .collect()
}

/// Modularity of a partition given as one label per node (any label values).
/// Undirected: `Q = sum_c [ L_c / m - gamma (d_c / 2m)^2 ]`; directed:
/// `Q = sum_c [ L_c / m - gamma d_c^out d_c^in / m^2 ]` (networkx `modularity`).
pub fn modularity(g: &Graph, labels: &[usize], weighted: bool, resolution: f64) -> f64 {
    let (level, total) = Level::from_graph(g, weighted);
    if total <= 0.0 || labels.len() != g.node_count() {
        return 0.0;
    }
    let dense = renumber(labels);
    let k = dense.iter().copied().max().map_or(0, |m| m + 1);
    level.modularity(&dense, k, total, resolution)
}
