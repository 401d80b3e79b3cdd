//! The graph of actors and ties, and its compressed adjacency.

use std::collections::HashMap;

use super::error::NetworkError;

/// The sign of a tie: positive (alliance, trust, support) or negative
/// (enmity, distrust, opposition).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Sign {
    /// A positive tie (+1). Ties without a sign are positive.
    #[default]
    Positive,
    /// A negative tie (-1).
    Negative,
}

impl Sign {
    /// The sign as +1 or -1.
    pub fn value(self) -> i8 {
        match self {
            Sign::Positive => 1,
            Sign::Negative => -1,
        }
    }
}

/// Attributes of one tie.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tie {
    /// Sign of the tie; positive when not given.
    pub sign: Sign,
    /// Weight of the tie; `None` means 1. Must be positive and finite.
    pub weight: Option<f64>,
    /// Free-text kind of tie (e.g. "kinship", "funding").
    pub kind: Option<String>,
}

/// One tie between two actors, by node index.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Index of the source node.
    pub source: usize,
    /// Index of the target node.
    pub target: usize,
    /// Attributes of the tie.
    pub tie: Tie,
}

impl Edge {
    /// The weight of the tie, 1 when none was given.
    pub fn weight(&self) -> f64 {
        self.tie.weight.unwrap_or(1.0)
    }
}

/// A simple graph of actors (nodes with string ids) and ties (edges).
///
/// Nodes keep the order in which they were first added; every metric returns
/// one value per node in that order. Self-loops and repeated edges are refused
/// (in an undirected graph `a,b` and `b,a` are the same edge).
#[derive(Debug, Clone, Default)]
pub struct Graph {
    directed: bool,
    ids: Vec<String>,
    index: HashMap<String, usize>,
    edges: Vec<Edge>,
    pairs: HashMap<(usize, usize), usize>,
}

/// Compressed sparse row adjacency: the neighbours of node `v` are
/// `targets[offsets[v]..offsets[v + 1]]`, with matching `weights`.
#[derive(Debug, Clone)]
pub(crate) struct Csr {
    pub offsets: Vec<usize>,
    pub targets: Vec<u32>,
    pub weights: Vec<f64>,
}

impl Csr {
    pub fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn neighbours(&self, v: usize) -> &[u32] {
        &self.targets[self.offsets[v]..self.offsets[v + 1]]
    }

    pub fn weights_of(&self, v: usize) -> &[f64] {
        &self.weights[self.offsets[v]..self.offsets[v + 1]]
    }

    /// Sort each node's neighbours by index (better memory locality when
    /// scanning them), keeping weights aligned.
    pub fn sort_rows(&mut self) {
        let mut row: Vec<(u32, f64)> = Vec::new();
        for v in 0..self.node_count() {
            let (a, b) = (self.offsets[v], self.offsets[v + 1]);
            row.clear();
            row.extend(
                self.targets[a..b]
                    .iter()
                    .copied()
                    .zip(self.weights[a..b].iter().copied()),
            );
            row.sort_by_key(|x| x.0);
            for (i, (t, w)) in row.iter().enumerate() {
                self.targets[a + i] = *t;
                self.weights[a + i] = *w;
            }
        }
    }

    /// Build from arcs `(from, to, weight)`, keeping the arcs' order per node.
    pub fn from_arcs(n: usize, arcs: &[(usize, usize, f64)]) -> Csr {
        let mut offsets = vec![0usize; n + 1];
        for &(u, _, _) in arcs {
            offsets[u + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; arcs.len()];
        let mut weights = vec![0.0f64; arcs.len()];
        for &(u, v, w) in arcs {
            let at = fill[u];
            targets[at] = v as u32;
            weights[at] = w;
            fill[u] += 1;
        }
        Csr {
            offsets,
            targets,
            weights,
        }
    }
}

impl Graph {
    /// An empty graph.
    pub fn new(directed: bool) -> Self {
        Graph {
            directed,
            ..Graph::default()
        }
    }

    /// Whether ties have a direction.
    pub fn is_directed(&self) -> bool {
        self.directed
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// The id of node `index`, if it exists.
    pub fn node_id(&self, index: usize) -> Option<&str> {
        self.ids.get(index).map(String::as_str)
    }

    /// All node ids, in node order.
    pub fn node_ids(&self) -> &[String] {
        &self.ids
    }

    /// The index of the node with this id.
    pub fn node_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// All edges, in the order they were added.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// Whether any edge carries an explicit weight.
    pub fn has_weights(&self) -> bool {
        self.edges.iter().any(|e| e.tie.weight.is_some())
    }

    /// The edge between two nodes (in either direction when undirected).
    pub fn edge_between(&self, source: usize, target: usize) -> Option<&Edge> {
        self.pairs
            .get(&self.pair_key(source, target))
            .and_then(|&i| self.edges.get(i))
    }

    fn pair_key(&self, a: usize, b: usize) -> (usize, usize) {
        if self.directed || a <= b {
            (a, b)
        } else {
            (b, a)
        }
    }

    /// Add a node (no-op if it exists) and return its index.
    pub fn add_node(&mut self, id: &str) -> Result<usize, NetworkError> {
        if let Some(&i) = self.index.get(id) {
            return Ok(i);
        }
        if self.ids.len() >= u32::MAX as usize {
            return Err(NetworkError::InvalidParameter(
                "too many nodes (at most 2^32 - 1)".to_string(),
            ));
        }
        let i = self.ids.len();
        self.ids.push(id.to_string());
        self.index.insert(id.to_string(), i);
        Ok(i)
    }

    /// Add a tie between two actors, adding the actors if needed.
    pub fn add_edge(&mut self, source: &str, target: &str, tie: Tie) -> Result<(), NetworkError> {
        if source == target {
            return Err(NetworkError::SelfLoop(source.to_string()));
        }
        if let Some(w) = tie.weight {
            if !(w.is_finite() && w > 0.0) {
                return Err(NetworkError::BadWeight(w));
            }
        }
        let (s, t) = (
            self.index.get(source).copied(),
            self.index.get(target).copied(),
        );
        if let (Some(s), Some(t)) = (s, t) {
            if self.pairs.contains_key(&self.pair_key(s, t)) {
                return Err(NetworkError::DuplicateEdge(
                    source.to_string(),
                    target.to_string(),
                ));
            }
        }
        let s = self.add_node(source)?;
        let t = self.add_node(target)?;
        let key = self.pair_key(s, t);
        self.pairs.insert(key, self.edges.len());
        self.edges.push(Edge {
            source: s,
            target: t,
            tie,
        });
        Ok(())
    }

    /// A graph with the same nodes (same order) and only the edges kept by `keep`.
    pub fn filter_edges(&self, keep: impl Fn(&Edge) -> bool) -> Graph {
        let mut g = Graph {
            directed: self.directed,
            ids: self.ids.clone(),
            index: self.index.clone(),
            edges: Vec::new(),
            pairs: HashMap::new(),
        };
        for e in self.edges.iter().filter(|e| keep(e)) {
            let key = g.pair_key(e.source, e.target);
            g.pairs.insert(key, g.edges.len());
            g.edges.push(e.clone());
        }
        g
    }

    fn weight_of(e: &Edge, weighted: bool) -> f64 {
        if weighted {
            e.weight()
        } else {
            1.0
        }
    }

    /// Out-neighbours (all neighbours when undirected).
    pub(crate) fn out_csr(&self, weighted: bool) -> Csr {
        let mut arcs = Vec::with_capacity(self.edges.len() * 2);
        for e in &self.edges {
            let w = Self::weight_of(e, weighted);
            arcs.push((e.source, e.target, w));
            if !self.directed {
                arcs.push((e.target, e.source, w));
            }
        }
        Csr::from_arcs(self.node_count(), &arcs)
    }

    /// In-neighbours (all neighbours when undirected).
    pub(crate) fn in_csr(&self, weighted: bool) -> Csr {
        let mut arcs = Vec::with_capacity(self.edges.len() * 2);
        for e in &self.edges {
            let w = Self::weight_of(e, weighted);
            arcs.push((e.target, e.source, w));
            if !self.directed {
                arcs.push((e.source, e.target, w));
            }
        }
        Csr::from_arcs(self.node_count(), &arcs)
    }

    /// Neighbours ignoring direction, each neighbour once, with the sign of the
    /// tie (negative if any tie between the two is negative) and the summed weight.
    pub(crate) fn undirected_neighbours(&self, weighted: bool) -> Vec<Vec<(usize, Sign, f64)>> {
        let n = self.node_count();
        let mut adj: Vec<Vec<(usize, Sign, f64)>> = vec![Vec::new(); n];
        for (i, e) in self.edges.iter().enumerate() {
            let w = Self::weight_of(e, weighted);
            // Only a directed graph can hold both a->b and b->a; merge those.
            let reciprocal_seen = self.directed
                && self
                    .pairs
                    .get(&(e.target, e.source))
                    .is_some_and(|&j| j < i);
            for (a, b) in [(e.source, e.target), (e.target, e.source)] {
                let slot = if reciprocal_seen {
                    adj[a].iter_mut().find(|x| x.0 == b)
                } else {
                    None
                };
                if let Some(slot) = slot {
                    if e.tie.sign == Sign::Negative {
                        slot.1 = Sign::Negative;
                    }
                    slot.2 += w;
                } else {
                    adj[a].push((b, e.tie.sign, w));
                }
            }
        }
        adj
    }
}
