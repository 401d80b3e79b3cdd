//! Structural measures: bridges, articulation points, Burt's constraint.
//!
//! Bridges and articulation points are defined on undirected graphs; for a
//! directed graph they are computed on the underlying undirected graph (a tie
//! in either direction joins two actors).

use super::graph::Graph;

/// Depth-first search over the undirected view, yielding for every node its
/// discovery time and low-link, and the DFS parent of every node.
struct Dfs {
    disc: Vec<usize>,
    low: Vec<usize>,
    parent: Vec<Option<usize>>,
    /// DFS tree children count of each root (for articulation points).
    root_children: Vec<usize>,
    /// Tree edges `(parent, child)` in the order they were finished.
    finished: Vec<(usize, usize)>,
}

fn dfs(adj: &[Vec<usize>]) -> Dfs {
    let n = adj.len();
    let unvisited = usize::MAX;
    let mut d = Dfs {
        disc: vec![unvisited; n],
        low: vec![0; n],
        parent: vec![None; n],
        root_children: vec![0; n],
        finished: Vec::new(),
    };
    let mut time = 0;
    // Stack of (node, next neighbour position).
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if d.disc[root] != unvisited {
            continue;
        }
        d.disc[root] = time;
        d.low[root] = time;
        time += 1;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (v, pos) = *top;
            if pos < adj[v].len() {
                top.1 += 1;
                let w = adj[v][pos];
                if d.disc[w] == unvisited {
                    d.parent[w] = Some(v);
                    if v == root {
                        d.root_children[root] += 1;
                    }
                    d.disc[w] = time;
                    d.low[w] = time;
                    time += 1;
                    stack.push((w, 0));
                } else if d.parent[v] != Some(w) {
                    d.low[v] = d.low[v].min(d.disc[w]);
                }
            } else {
                stack.pop();
                if let Some(p) = d.parent[v] {
                    d.low[p] = d.low[p].min(d.low[v]);
                    d.finished.push((p, v));
                }
            }
        }
    }
    d
}

fn simple_adjacency(g: &Graph) -> Vec<Vec<usize>> {
    g.undirected_neighbours(false)
        .into_iter()
        .map(|ns| ns.into_iter().map(|(v, _, _)| v).collect())
        .collect()
}

/// Bridges: ties whose removal disconnects their two ends. Each bridge is
/// returned once as `(a, b)` with `a < b` (node indices), sorted.
pub fn bridges(g: &Graph) -> Vec<(usize, usize)> {
    let adj = simple_adjacency(g);
    let d = dfs(&adj);
    let mut out: Vec<(usize, usize)> = d
        .finished
        .iter()
        .filter(|&&(p, v)| d.low[v] > d.disc[p])
        .map(|&(p, v)| (p.min(v), p.max(v)))
        .collect();
    out.sort_unstable();
    out
}

/// Articulation points (cut vertices): nodes whose removal increases the
/// number of connected components. Returned as sorted node indices.
pub fn articulation_points(g: &Graph) -> Vec<usize> {
    let adj = simple_adjacency(g);
    let d = dfs(&adj);
    let n = adj.len();
    let mut is_cut = vec![false; n];
    for &(p, v) in &d.finished {
        if d.parent[p].is_some() && d.low[v] >= d.disc[p] {
            is_cut[p] = true;
        }
    }
    for (v, cut) in is_cut.iter_mut().enumerate() {
        if d.parent[v].is_none() && d.root_children[v] >= 2 {
            *cut = true;
        }
    }
    (0..n).filter(|&v| is_cut[v]).collect()
}

/// Burt's constraint (networkx `constraint`).
///
/// With `a_ij` the weight of the tie `i -> j` (1 without weights, 0 without
/// a tie), the mutual weight is `m_ij = a_ij + a_ji` and the proportional
/// strength `p_ij = m_ij / sum_k m_ik`. Then
/// `c_i = sum over neighbours j of (p_ij + sum_q p_iq p_qj)^2`.
/// Isolated nodes have no constraint (`None`; networkx gives NaN).
pub fn constraint(g: &Graph, weighted: bool) -> Vec<Option<f64>> {
    let adj = g.undirected_neighbours(weighted);
    let n = adj.len();
    // Proportional strengths, in the same layout as `adj`.
    let p: Vec<Vec<(usize, f64)>> = adj
        .iter()
        .map(|ns| {
            let total: f64 = ns.iter().map(|x| x.2).sum();
            ns.iter().map(|&(v, _, w)| (v, w / total)).collect()
        })
        .collect();
    let mut indirect = vec![0.0; n];
    let mut out = vec![None; n];
    for i in 0..n {
        if p[i].is_empty() {
            continue;
        }
        for &(q, p_iq) in &p[i] {
            for &(j, p_qj) in &p[q] {
                indirect[j] += p_iq * p_qj;
            }
        }
        let mut c = 0.0;
        for &(j, p_ij) in &p[i] {
            let local = p_ij + indirect[j];
            c += local * local;
        }
        for &(q, _) in &p[i] {
            for &(j, _) in &p[q] {
                indirect[j] = 0.0;
            }
        }
        out[i] = Some(c);
    }
    out
}
