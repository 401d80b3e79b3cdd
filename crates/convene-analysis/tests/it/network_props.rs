//! Property tests of the network metrics against brute-force definitions.

use convene_analysis::network::{
    articulation_points, balance, betweenness_centrality, betweenness_with_threads, bridges,
    closeness_centrality, eigenvector_centrality, graph_from_csv, louvain_communities,
    metrics_from_csv, modularity, pagerank, unbalanced_triangles_per_node, Graph, LouvainOptions,
    PowerOptions, Sign, Tie,
};
use proptest::prelude::*;

/// A random simple graph: `n` nodes, ties given as (a, b, negative, weight).
fn build(n: usize, ties: &[(usize, usize, bool, u8)], directed: bool, weights: bool) -> Graph {
    let mut g = Graph::new(directed);
    for v in 0..n {
        g.add_node(&format!("v{v}")).expect("node");
    }
    for &(a, b, negative, w) in ties {
        let (a, b) = (a % n, b % n);
        let tie = Tie {
            sign: if negative {
                Sign::Negative
            } else {
                Sign::Positive
            },
            weight: weights.then_some(f64::from(w % 4 + 1)),
            kind: None,
        };
        // Self-loops and repeats are refused; skipping them keeps the graph simple.
        let _ = g.add_edge(&format!("v{a}"), &format!("v{b}"), tie);
    }
    g
}

fn graph_strategy() -> impl Strategy<Value = (usize, Vec<(usize, usize, bool, u8)>)> {
    (1usize..11).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec((0..n, 0..n, any::<bool>(), any::<u8>()), 0..30),
        )
    })
}

/// All-pairs hop distances by Floyd–Warshall (`None`: unreachable).
fn hop_distances(g: &Graph) -> Vec<Vec<Option<u32>>> {
    let n = g.node_count();
    let mut d = vec![vec![None; n]; n];
    for (v, row) in d.iter_mut().enumerate() {
        row[v] = Some(0);
    }
    for e in g.edges() {
        d[e.source][e.target] = Some(1);
        if !g.is_directed() {
            d[e.target][e.source] = Some(1);
        }
    }
    for k in 0..n {
        for i in 0..n {
            for j in 0..n {
                if let (Some(a), Some(b)) = (d[i][k], d[k][j]) {
                    if d[i][j].is_none_or(|c| a + b < c) {
                        d[i][j] = Some(a + b);
                    }
                }
            }
        }
    }
    d
}

fn components_without(
    g: &Graph,
    skip_node: Option<usize>,
    skip_edge: Option<(usize, usize)>,
) -> usize {
    let n = g.node_count();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        p[x] = r;
        r
    }
    for e in g.edges() {
        let (a, b) = (e.source.min(e.target), e.source.max(e.target));
        if Some(a) == skip_node || Some(b) == skip_node || Some((a, b)) == skip_edge {
            continue;
        }
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent[ra] = rb;
    }
    (0..n)
        .filter(|&v| Some(v) != skip_node)
        .filter(|&v| find(&mut parent, v) == v)
        .count()
}

/// Betweenness straight from its definition: for every ordered pair (s, t)
/// and inner node v, add sigma_sv * sigma_vt / sigma_st when v lies on a
/// shortest s-t path; then apply networkx's normalisation. Integer weights
/// keep every distance exact.
fn betweenness_by_definition(g: &Graph, weighted: bool) -> Vec<f64> {
    let n = g.node_count();
    let inf = u64::MAX;
    let mut w = vec![vec![inf; n]; n];
    for e in g.edges() {
        let len = if weighted { e.weight() as u64 } else { 1 };
        w[e.source][e.target] = len;
        if !g.is_directed() {
            w[e.target][e.source] = len;
        }
    }
    // Distances by Floyd–Warshall.
    let mut d = w.clone();
    for (v, row) in d.iter_mut().enumerate() {
        row[v] = 0;
    }
    for k in 0..n {
        for i in 0..n {
            for j in 0..n {
                if d[i][k] != inf && d[k][j] != inf && d[i][k] + d[k][j] < d[i][j] {
                    d[i][j] = d[i][k] + d[k][j];
                }
            }
        }
    }
    // Path counts: nodes by increasing distance from s, summing over last arcs.
    let mut sigma = vec![vec![0.0f64; n]; n];
    for s in 0..n {
        let mut by_dist: Vec<usize> = (0..n).filter(|&t| d[s][t] != inf).collect();
        by_dist.sort_by_key(|&t| d[s][t]);
        sigma[s][s] = 1.0;
        for &t in &by_dist {
            if t == s {
                continue;
            }
            sigma[s][t] = (0..n)
                .filter(|&u| w[u][t] != inf && d[s][u] != inf && d[s][u] + w[u][t] == d[s][t])
                .map(|u| sigma[s][u])
                .sum();
        }
    }
    let mut bc = vec![0.0; n];
    for s in 0..n {
        for t in 0..n {
            if s == t || d[s][t] == inf {
                continue;
            }
            for (v, b) in bc.iter_mut().enumerate() {
                if v != s
                    && v != t
                    && d[s][v] != inf
                    && d[v][t] != inf
                    && d[s][v] + d[v][t] == d[s][t]
                {
                    *b += sigma[s][v] * sigma[v][t] / sigma[s][t];
                }
            }
        }
    }
    if n > 2 {
        let scale = 1.0 / ((n as f64 - 1.0) * (n as f64 - 2.0));
        for b in &mut bc {
            *b *= scale;
        }
    }
    bc
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Summed over nodes, raw betweenness counts every inner node of every
    /// shortest path once: sum_v b(v) = sum over reachable ordered pairs of (d - 1).
    #[test]
    fn betweenness_sums_to_inner_path_lengths((n, ties) in graph_strategy(), directed in any::<bool>()) {
        let g = build(n, &ties, directed, false);
        let bc = betweenness_centrality(&g, false);
        let scale = if n > 2 { (n as f64 - 1.0) * (n as f64 - 2.0) } else { 1.0 };
        let raw: f64 = bc.iter().map(|b| b * scale).sum();
        let d = hop_distances(&g);
        let expected: f64 = d.iter().flatten().flatten().filter(|&&x| x > 0).map(|&x| f64::from(x - 1)).sum();
        prop_assert!((raw - expected).abs() < 1e-9 * (1.0 + expected), "{raw} vs {expected}");
        for b in &bc {
            prop_assert!((-1e-12..=1.0 + 1e-12).contains(b));
        }
    }

    /// Brandes' algorithm equals the definition, with and without weights.
    #[test]
    fn betweenness_matches_definition((n, ties) in graph_strategy(), directed in any::<bool>(), weighted in any::<bool>()) {
        let g = build(n, &ties, directed, weighted);
        let want = betweenness_by_definition(&g, weighted);
        let got = betweenness_centrality(&g, weighted);
        for v in 0..n {
            prop_assert!((got[v] - want[v]).abs() < 1e-12, "node {v}: {} vs {}", got[v], want[v]);
        }
    }

    /// On a connected undirected graph, eigenvector centrality is a positive
    /// unit eigenvector: (A x)_v = lambda x_v for one lambda.
    #[test]
    fn eigenvector_satisfies_eigen_equation((n, ties) in graph_strategy()) {
        let g = build(n, &ties, false, false);
        prop_assume!(n >= 2 && components_without(&g, None, None) == 1);
        let x = eigenvector_centrality(&g, false, PowerOptions::default()).expect("converges");
        let norm: f64 = x.iter().map(|v| v * v).sum::<f64>().sqrt();
        prop_assert!((norm - 1.0).abs() < 1e-12);
        let mut ax = vec![0.0; n];
        for e in g.edges() {
            ax[e.target] += x[e.source];
            ax[e.source] += x[e.target];
        }
        let lambda = ax[0] / x[0];
        for v in 0..n {
            prop_assert!(x[v] > 0.0);
            prop_assert!((ax[v] - lambda * x[v]).abs() < 1e-9, "node {v}");
        }
    }

    /// Threads, and unit weights through Dijkstra, change nothing.
    #[test]
    fn betweenness_independent_of_threads_and_unit_weights((n, ties) in graph_strategy(), directed in any::<bool>()) {
        let g = build(n, &ties, directed, false);
        let one = betweenness_with_threads(&g, false, Some(1));
        let three = betweenness_with_threads(&g, false, Some(3));
        let dijkstra = betweenness_with_threads(&g, true, Some(2));
        for i in 0..n {
            prop_assert!((one[i] - three[i]).abs() < 1e-12);
            prop_assert!((one[i] - dijkstra[i]).abs() < 1e-12);
        }
    }

    /// Closeness matches its definition computed from all-pairs distances.
    #[test]
    fn closeness_matches_definition((n, ties) in graph_strategy(), directed in any::<bool>()) {
        let g = build(n, &ties, directed, false);
        let c = closeness_centrality(&g, false);
        let d = hop_distances(&g);
        for u in 0..n {
            let incoming: Vec<u32> = (0..n).filter(|&v| v != u).filter_map(|v| d[v][u]).collect();
            let total: u32 = incoming.iter().sum();
            let r = incoming.len() as f64;
            let want = if total > 0 { r / f64::from(total) * r / (n as f64 - 1.0) } else { 0.0 };
            prop_assert!((c[u] - want).abs() < 1e-12, "node {u}: {} vs {want}", c[u]);
        }
    }

    /// Brute-force triangle counts agree, and per-node counts add up.
    #[test]
    fn balance_counts_match_brute_force((n, ties) in graph_strategy(), directed in any::<bool>()) {
        let g = build(n, &ties, directed, false);
        let mut sign = vec![vec![0i8; n]; n];
        for e in g.edges() {
            let s = e.tie.sign.value();
            for (a, b) in [(e.source, e.target), (e.target, e.source)] {
                sign[a][b] = if sign[a][b] == 0 { s } else { sign[a][b].min(s) };
            }
        }
        let (mut tri, mut bal) = (0u64, 0u64);
        for a in 0..n {
            for b in a + 1..n {
                for c in b + 1..n {
                    let p = i32::from(sign[a][b]) * i32::from(sign[b][c]) * i32::from(sign[a][c]);
                    if p != 0 {
                        tri += 1;
                        if p > 0 { bal += 1; }
                    }
                }
            }
        }
        let b = balance(&g);
        prop_assert_eq!(b.triangles, tri);
        prop_assert_eq!(b.balanced, bal);
        prop_assert_eq!(b.unbalanced, tri - bal);
        let per_node: u64 = unbalanced_triangles_per_node(&g).iter().sum();
        prop_assert_eq!(per_node, 3 * (tri - bal));
    }

    /// Bridges and articulation points are exactly the ties and nodes whose
    /// removal adds a connected component.
    #[test]
    fn bridges_and_cut_vertices_match_brute_force((n, ties) in graph_strategy()) {
        let g = build(n, &ties, false, false);
        let base = components_without(&g, None, None);
        let mut want_bridges: Vec<(usize, usize)> = g.edges().iter()
            .map(|e| (e.source.min(e.target), e.source.max(e.target)))
            .filter(|&e| components_without(&g, None, Some(e)) > base)
            .collect();
        want_bridges.sort_unstable();
        prop_assert_eq!(bridges(&g), want_bridges);
        let want_cut: Vec<usize> = (0..n)
            .filter(|&v| components_without(&g, Some(v), None) > base)
            .collect();
        prop_assert_eq!(articulation_points(&g), want_cut);
    }

    /// PageRank is a probability distribution.
    #[test]
    fn pagerank_sums_to_one((n, ties) in graph_strategy(), directed in any::<bool>(), weights in any::<bool>()) {
        let g = build(n, &ties, directed, weights);
        let pr = pagerank(&g, 0.85, None, weights, PowerOptions::default()).expect("converges");
        let total: f64 = pr.iter().sum();
        prop_assert!((total - 1.0).abs() < 1e-9);
        prop_assert!(pr.iter().all(|&p| p > 0.0));
    }

    /// Louvain is deterministic for a seed and never worse than singletons.
    #[test]
    fn louvain_deterministic_and_improving((n, ties) in graph_strategy(), directed in any::<bool>(), seed in any::<u64>()) {
        let g = build(n, &ties, directed, true);
        let opts = LouvainOptions { seed, ..LouvainOptions::default() };
        let labels = louvain_communities(&g, opts);
        prop_assert_eq!(&labels, &louvain_communities(&g, opts));
        let singletons: Vec<usize> = (0..n).collect();
        let q = modularity(&g, &labels, true, 1.0);
        prop_assert!(q >= modularity(&g, &singletons, true, 1.0) - 1e-12);
        prop_assert!(q <= 1.0);
        // Labels are 0..k in order of first appearance.
        let mut next = 0;
        for &l in &labels {
            prop_assert!(l <= next);
            if l == next { next += 1; }
        }
    }

    /// The CSV reader never panics, whatever the bytes.
    #[test]
    fn csv_reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200), directed in any::<bool>()) {
        let _ = metrics_from_csv(&bytes[..], directed);
    }

    /// Nor on text that looks like an edge list.
    #[test]
    fn csv_like_text_never_panics(
        header in prop::sample::select(vec!["source,target", "source,target,sign", "source,target,weight,sign,kind", "target,source,weight"]),
        rows in prop::collection::vec("[a-c]{0,2},[a-c]{0,2}(,[-+]?[0-9.eE]{0,4}){0,3}", 0..12),
        directed in any::<bool>(),
    ) {
        let text = format!("{header}\n{}\n", rows.join("\n"));
        match graph_from_csv(text.as_bytes(), directed) {
            Ok(g) => prop_assert!(g.node_count() > 0),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        let _ = metrics_from_csv(text.as_bytes(), directed);
    }
}
