//! Edge lists in CSV, and the metrics report used by the command line.

use std::collections::HashMap;
use std::io::Read;

use serde_json::{json, Map, Value};

use super::centrality::{
    betweenness_centrality, closeness_centrality, degree_centrality, eigenvector_centrality,
    pagerank, PowerOptions,
};
use super::community::{louvain_communities, LouvainOptions};
use super::error::{NetworkError, RowError};
use super::graph::{Graph, Sign, Tie};
use super::signed::balance;
use super::structure::{articulation_points, bridges, constraint};

const COLUMNS: [&str; 5] = ["source", "target", "sign", "weight", "kind"];

/// Column positions found in the header.
struct Columns {
    source: usize,
    target: usize,
    sign: Option<usize>,
    weight: Option<usize>,
    kind: Option<usize>,
    count: usize,
}

fn parse_header(header: &csv::ByteRecord) -> Result<Columns, NetworkError> {
    let mut found: HashMap<&str, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (i, raw) in header.iter().enumerate() {
        let Ok(name) = std::str::from_utf8(raw) else {
            problems.push(format!("column {} is not valid UTF-8", i + 1));
            continue;
        };
        match COLUMNS.iter().find(|c| **c == name) {
            Some(c) => {
                if found.insert(c, i).is_some() {
                    problems.push(format!("column {name:?} appears twice"));
                }
            }
            None => problems.push(format!(
                "unknown column {name:?} (allowed: source, target, sign, weight, kind)"
            )),
        }
    }
    for required in ["source", "target"] {
        if !found.contains_key(required) {
            problems.push(format!("missing column {required:?}"));
        }
    }
    match (found.get("source"), found.get("target")) {
        (Some(&source), Some(&target)) if problems.is_empty() => Ok(Columns {
            source,
            target,
            sign: found.get("sign").copied(),
            weight: found.get("weight").copied(),
            kind: found.get("kind").copied(),
            count: header.len(),
        }),
        _ => Err(NetworkError::BadHeader(problems.join("; "))),
    }
}

fn parse_sign(text: &str) -> Result<Sign, String> {
    match text {
        "1" | "+1" => Ok(Sign::Positive),
        "-1" => Ok(Sign::Negative),
        _ => Err(format!("sign {text:?} is not 1, +1 or -1")),
    }
}

fn parse_weight(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(w) if w.is_finite() && w > 0.0 => Ok(w),
        Ok(_) => Err(format!("weight {text:?} is not a positive finite number")),
        Err(_) => Err(format!("weight {text:?} is not a number")),
    }
}

/// Read an edge list: a header naming the columns `source` and `target`
/// (required) and optionally `sign` (1, +1 or -1), `weight` (positive number)
/// and `kind` (free text), in any order; then one tie per row. Surrounding
/// spaces are trimmed. Self-loops, repeated ties (in an undirected graph,
/// `a,b` and `b,a` repeat each other), empty ids and bad values are refused:
/// every bad row is reported with its line number, and nothing is guessed.
pub fn graph_from_csv<R: Read>(reader: R, directed: bool) -> Result<Graph, NetworkError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let header = rdr
        .byte_headers()
        .map_err(|e| NetworkError::Read(e.to_string()))?
        .clone();
    if header.is_empty() {
        return Err(NetworkError::BadHeader("the input is empty".to_string()));
    }
    let cols = parse_header(&header)?;
    let mut graph = Graph::new(directed);
    let mut first_line: HashMap<(String, String), u64> = HashMap::new();
    let mut errors = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        let line_before = rdr.position().line();
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line_before, csv::Position::line);
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(NetworkError::Read(e.to_string()));
                }
                errors.push(RowError {
                    line,
                    reason: e.to_string(),
                });
                continue;
            }
        }
        let line = record.position().map_or(line_before, csv::Position::line);
        match parse_row(&record, &cols) {
            Ok((source, target, tie)) => {
                let key = if directed || source <= target {
                    (source.clone(), target.clone())
                } else {
                    (target.clone(), source.clone())
                };
                if let Some(first) = first_line.get(&key) {
                    errors.push(RowError {
                        line,
                        reason: format!(
                            "tie {source:?} - {target:?} repeats the tie on line {first}"
                        ),
                    });
                    continue;
                }
                match graph.add_edge(&source, &target, tie) {
                    Ok(()) => {
                        first_line.insert(key, line);
                    }
                    Err(e) => errors.push(RowError {
                        line,
                        reason: e.to_string(),
                    }),
                }
            }
            Err(reasons) => errors.push(RowError {
                line,
                reason: reasons.join("; "),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(NetworkError::BadRows(errors));
    }
    if graph.node_count() == 0 {
        return Err(NetworkError::EmptyGraph);
    }
    Ok(graph)
}

fn parse_row(
    record: &csv::ByteRecord,
    cols: &Columns,
) -> Result<(String, String, Tie), Vec<String>> {
    if record.len() != cols.count {
        return Err(vec![format!(
            "expected {} fields, found {}",
            cols.count,
            record.len()
        )]);
    }
    let mut reasons = Vec::new();
    let mut field = |i: usize, name: &str| -> Option<String> {
        match record.get(i).map(std::str::from_utf8) {
            Some(Ok(s)) => Some(s.to_string()),
            _ => {
                reasons.push(format!("{name} is not valid UTF-8"));
                None
            }
        }
    };
    let source = field(cols.source, "source");
    let target = field(cols.target, "target");
    let sign = cols.sign.map(|i| field(i, "sign"));
    let weight = cols.weight.map(|i| field(i, "weight"));
    let kind = cols.kind.map(|i| field(i, "kind"));
    let mut tie = Tie::default();
    for (name, value) in [("source", &source), ("target", &target)] {
        if value.as_deref() == Some("") {
            reasons.push(format!("{name} is empty"));
        }
    }
    if let (Some(s), Some(t)) = (&source, &target) {
        if !s.is_empty() && s == t {
            reasons.push(format!("self-loop on {s:?} is not allowed"));
        }
    }
    if let Some(Some(text)) = &sign {
        match parse_sign(text) {
            Ok(s) => tie.sign = s,
            Err(r) => reasons.push(r),
        }
    }
    if let Some(Some(text)) = &weight {
        match parse_weight(text) {
            Ok(w) => tie.weight = Some(w),
            Err(r) => reasons.push(r),
        }
    }
    if let Some(Some(text)) = kind {
        if !text.is_empty() {
            tie.kind = Some(text);
        }
    }
    match (source, target) {
        (Some(s), Some(t)) if reasons.is_empty() => Ok((s, t, tie)),
        _ => Err(reasons),
    }
}

fn number(x: f64) -> Value {
    // NaN and infinities have no JSON form; they become null.
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// The metrics report of a graph, as JSON:
///
/// `{"nodes": {"<id>": {"degree", "betweenness", "closeness", "eigenvector",
/// "pagerank", "community", "constraint"}}, "balance": {"triangles",
/// "balanced", "ratio"}, "bridges": [[a, b], ...], "articulation_points": [...]}`.
///
/// When any tie has a weight, weights are lengths for betweenness and
/// closeness and strengths for eigenvector, PageRank, communities and
/// constraint. `eigenvector` is null for every node when the power iteration
/// does not converge (e.g. a directed graph without cycles); `ratio` is null
/// when there is no triangle.
pub fn metrics_json(g: &Graph) -> Result<Value, NetworkError> {
    let weighted = g.has_weights();
    let degree = degree_centrality(g);
    let betweenness = betweenness_centrality(g, weighted);
    let closeness = closeness_centrality(g, weighted);
    let eigen = match eigenvector_centrality(g, weighted, PowerOptions::default()) {
        Ok(v) => Some(v),
        Err(NetworkError::NoConvergence(_)) => None,
        Err(e) => return Err(e),
    };
    let pr = pagerank(g, 0.85, None, weighted, PowerOptions::default())?;
    let community = louvain_communities(
        g,
        LouvainOptions {
            weighted,
            ..LouvainOptions::default()
        },
    );
    let cons = constraint(g, weighted);
    let mut nodes = Map::new();
    for (i, id) in g.node_ids().iter().enumerate() {
        nodes.insert(
            id.clone(),
            json!({
                "degree": number(degree[i]),
                "betweenness": number(betweenness[i]),
                "closeness": number(closeness[i]),
                "eigenvector": eigen.as_ref().map_or(Value::Null, |e| number(e[i])),
                "pagerank": number(pr[i]),
                "community": community[i],
                "constraint": cons[i].map_or(Value::Null, number),
            }),
        );
    }
    let b = balance(g);
    let ids = g.node_ids();
    let bridge_list: Vec<Value> = bridges(g)
        .into_iter()
        .map(|(a, b)| json!([ids[a], ids[b]]))
        .collect();
    let cut: Vec<Value> = articulation_points(g)
        .into_iter()
        .map(|v| json!(ids[v]))
        .collect();
    Ok(json!({
        "nodes": nodes,
        "balance": {
            "triangles": b.triangles,
            "balanced": b.balanced,
            "ratio": b.ratio.map_or(Value::Null, number),
        },
        "bridges": bridge_list,
        "articulation_points": cut,
    }))
}

/// Read an edge list (see [`graph_from_csv`]) and compute [`metrics_json`].
/// This is the entry point of `convene network metrics EDGES.csv [--directed]`.
pub fn metrics_from_csv<R: Read>(reader: R, directed: bool) -> Result<Value, NetworkError> {
    let g = graph_from_csv(reader, directed)?;
    metrics_json(&g)
}
