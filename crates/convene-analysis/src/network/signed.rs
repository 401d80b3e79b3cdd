//! Signed networks: structural balance (Cartwright & Harary 1956).
//!
//! Triangles are counted on the undirected view of the graph: two actors are
//! joined when a tie exists in either direction, and the pair is negative if
//! any tie between them is negative. A triangle is balanced when the product
//! of its three signs is positive (+ + +, or one + and two -).

use super::centrality::betweenness_centrality;
use super::graph::{Graph, Sign};

/// Triangle counts of a signed graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Balance {
    /// Number of triangles.
    pub triangles: u64,
    /// Triangles whose sign product is positive.
    pub balanced: u64,
    /// Triangles whose sign product is negative.
    pub unbalanced: u64,
    /// `balanced / triangles`; `None` when there is no triangle.
    pub ratio: Option<f64>,
}

/// Visit every triangle once, with its nodes and whether it is balanced.
fn for_each_triangle(g: &Graph, mut f: impl FnMut([usize; 3], bool)) {
    let adj = g.undirected_neighbours(false);
    let n = adj.len();
    // mark[w] = sign of (u, w) + 2 while scanning u, 0 otherwise.
    let mut mark: Vec<i8> = vec![0; n];
    for u in 0..n {
        for &(w, s, _) in &adj[u] {
            if w > u {
                mark[w] = s.value() + 2;
            }
        }
        for &(v, s_uv, _) in &adj[u] {
            if v <= u {
                continue;
            }
            for &(w, s_vw, _) in &adj[v] {
                if w > v && mark[w] != 0 {
                    let s_uw = mark[w] - 2;
                    let product = s_uv.value() * s_vw.value() * s_uw;
                    f([u, v, w], product > 0);
                }
            }
        }
        for &(w, _, _) in &adj[u] {
            mark[w] = 0;
        }
    }
}

/// Structural balance of the whole graph. Ties without a sign are positive.
pub fn balance(g: &Graph) -> Balance {
    let (mut triangles, mut balanced) = (0u64, 0u64);
    for_each_triangle(g, |_, ok| {
        triangles += 1;
        if ok {
            balanced += 1;
        }
    });
    Balance {
        triangles,
        balanced,
        unbalanced: triangles - balanced,
        ratio: (triangles > 0).then(|| balanced as f64 / triangles as f64),
    }
}

/// For each node, the number of unbalanced triangles it belongs to.
pub fn unbalanced_triangles_per_node(g: &Graph) -> Vec<u64> {
    let mut count = vec![0u64; g.node_count()];
    for_each_triangle(g, |t, ok| {
        if !ok {
            for v in t {
                count[v] += 1;
            }
        }
    });
    count
}

/// Betweenness centrality over positive ties only: negative ties are removed
/// (all nodes kept, so the normalisation uses the full node count) and
/// [`betweenness_centrality`] is computed on what remains.
pub fn positive_betweenness(g: &Graph, weighted: bool) -> Vec<f64> {
    let positive = g.filter_edges(|e| e.tie.sign == Sign::Positive);
    betweenness_centrality(&positive, weighted)
}
