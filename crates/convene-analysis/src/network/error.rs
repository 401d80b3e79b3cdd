//! Errors of the network analysis.

use std::fmt;

/// One rejected row of an edge list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based line number in the input (the header is line 1).
    pub line: u64,
    /// Why the row was rejected.
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// Errors raised while building a graph or computing a metric.
#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    /// The header of an edge list is unusable (missing or unknown columns).
    #[error("bad header: {0}")]
    BadHeader(String),
    /// One or more rows of an edge list are invalid; every bad row is listed.
    #[error("{} bad row(s):\n{}", .0.len(), join_rows(.0))]
    BadRows(Vec<RowError>),
    /// The input could not be read at all.
    #[error("could not read edge list: {0}")]
    Read(String),
    /// An edge refers to a node index that does not exist.
    #[error("unknown node index {0}")]
    UnknownNode(usize),
    /// An edge from a node to itself was given.
    #[error("self-loop on node {0:?} is not allowed")]
    SelfLoop(String),
    /// The same edge was given twice.
    #[error("duplicate edge {0:?} -> {1:?}")]
    DuplicateEdge(String, String),
    /// A weight was not a positive finite number.
    #[error("weight {0} is not a positive finite number")]
    BadWeight(f64),
    /// The graph has no nodes, and the metric is undefined.
    #[error("the graph has no nodes")]
    EmptyGraph,
    /// A power iteration did not reach the requested tolerance.
    #[error("power iteration did not converge within {0} iterations")]
    NoConvergence(usize),
    /// A parameter is out of its allowed range.
    #[error("invalid parameter: {0}")]
    InvalidParameter(String),
}

fn join_rows(rows: &[RowError]) -> String {
    rows.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
