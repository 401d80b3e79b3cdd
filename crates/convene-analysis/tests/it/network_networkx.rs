//! Compare the network metrics with networkx on reference graphs.
//!
//! The edge lists and expected values under `tests/reference/` are written by
//! `tests/reference/network_reference.py` (see its docstring to regenerate).

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::path::PathBuf;

use convene_analysis::network::{
    graph_from_csv, influencers, louvain_communities, metrics_from_csv, modularity,
    positive_betweenness, unbalanced_triangles_per_node, LouvainOptions,
};
use serde_json::Value;

const TOL: f64 = 1e-9;
const CASES: [&str; 4] = ["florentine", "kite", "lesmis", "signed_directed"];

fn reference(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("reference")
        .join(name)
}

fn load(case: &str) -> (Value, Value, convene_analysis::network::Graph) {
    let expected: Value = serde_json::from_reader(
        File::open(reference(&format!("network_{case}_expected.json"))).expect("open expected"),
    )
    .expect("parse expected");
    let directed = expected["directed"].as_bool().expect("directed flag");
    let edges = reference(&format!("network_{case}_edges.csv"));
    let got = metrics_from_csv(File::open(&edges).expect("open edges"), directed)
        .expect("metrics from csv");
    let graph = graph_from_csv(File::open(&edges).expect("open edges"), directed).expect("graph");
    (expected, got, graph)
}

fn num(v: &Value, what: &str) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("{what}: expected a number, got {v}"))
}

fn check_metric(case: &str, expected: &Value, got: &Value, metric: &str) {
    let nodes = expected["nodes"].as_array().expect("node list");
    let got_nodes = got["nodes"].as_object().expect("nodes object");
    assert_eq!(got_nodes.len(), nodes.len(), "{case}: node count");
    for node in nodes {
        let id = node.as_str().expect("node id");
        let want = num(
            &expected[metric][id],
            &format!("{case} {metric} {id} expected"),
        );
        let have = num(
            &got_nodes[id][metric],
            &format!("{case} {metric} {id} computed"),
        );
        assert!(
            (want - have).abs() <= TOL,
            "{case}: {metric} of {id}: networkx {want}, convene {have}"
        );
    }
}

#[test]
fn centralities_match_networkx() {
    for case in CASES {
        let (expected, got, _) = load(case);
        for metric in [
            "degree",
            "betweenness",
            "closeness",
            "eigenvector",
            "pagerank",
            "constraint",
        ] {
            check_metric(case, &expected, &got, metric);
        }
    }
}

#[test]
fn bridges_and_articulation_points_match_networkx() {
    for case in CASES {
        let (expected, got, _) = load(case);
        let pairs = |v: &Value| -> BTreeSet<BTreeSet<String>> {
            v.as_array()
                .expect("pairs")
                .iter()
                .map(|p| {
                    p.as_array()
                        .expect("pair")
                        .iter()
                        .map(|x| x.as_str().expect("id").to_string())
                        .collect()
                })
                .collect()
        };
        assert_eq!(
            pairs(&got["bridges"]),
            pairs(&expected["bridges"]),
            "{case}: bridges"
        );
        assert!(!pairs(&got["bridges"]).is_empty(), "{case}: has bridges");
        let ids = |v: &Value| -> BTreeSet<String> {
            v.as_array()
                .expect("ids")
                .iter()
                .map(|x| x.as_str().expect("id").to_string())
                .collect()
        };
        assert_eq!(
            ids(&got["articulation_points"]),
            ids(&expected["articulation_points"]),
            "{case}: articulation points"
        );
    }
}

#[test]
fn balance_matches_reference() {
    for case in CASES {
        let (expected, got, graph) = load(case);
        assert_eq!(
            got["balance"]["triangles"], expected["balance"]["triangles"],
            "{case}"
        );
        assert_eq!(
            got["balance"]["balanced"], expected["balance"]["balanced"],
            "{case}"
        );
        let want = num(&expected["balance"]["ratio"], "ratio");
        assert!((num(&got["balance"]["ratio"], "ratio") - want).abs() <= TOL);
        let per_node = unbalanced_triangles_per_node(&graph);
        for (i, id) in graph.node_ids().iter().enumerate() {
            assert_eq!(
                Some(per_node[i]),
                expected["unbalanced_per_node"][id].as_u64(),
                "{case}: unbalanced triangles of {id}"
            );
        }
    }
}

#[test]
fn signed_metrics_match_networkx() {
    for case in CASES {
        let (expected, _, graph) = load(case);
        let weighted = expected["weighted"].as_bool().expect("weighted flag");
        let pb = positive_betweenness(&graph, weighted);
        for (i, id) in graph.node_ids().iter().enumerate() {
            let want = num(
                &expected["positive_betweenness"][id],
                "positive betweenness",
            );
            assert!(
                (pb[i] - want).abs() <= TOL,
                "{case}: positive betweenness of {id}: {want} vs {}",
                pb[i]
            );
        }
        let target_id = expected["influence_target"].as_str().expect("target");
        let target = graph.node_index(target_id).expect("target index");
        let ranked = influencers(&graph, target, weighted).expect("influencers");
        let scores: HashMap<usize, f64> = ranked.iter().map(|r| (r.node, r.score)).collect();
        for (i, id) in graph.node_ids().iter().enumerate() {
            if i == target {
                continue;
            }
            let want = num(&expected["influence"][id], "influence");
            let have = scores.get(&i).copied().unwrap_or(0.0);
            assert!(
                (have - want).abs() <= TOL,
                "{case}: influence of {id} on {target_id}: {want} vs {have}"
            );
        }
        assert!(
            ranked.windows(2).all(|w| w[0].score >= w[1].score),
            "{case}: ranking is sorted"
        );
    }
}

#[test]
fn modularity_matches_networkx_on_its_partition() {
    for case in CASES {
        let (expected, _, graph) = load(case);
        let weighted = expected["weighted"].as_bool().expect("weighted flag");
        let mut labels = vec![usize::MAX; graph.node_count()];
        for (c, part) in expected["louvain_partition_seed0"]
            .as_array()
            .expect("partition")
            .iter()
            .enumerate()
        {
            for id in part.as_array().expect("community") {
                let v = graph
                    .node_index(id.as_str().expect("id"))
                    .expect("known node");
                labels[v] = c;
            }
        }
        let q = modularity(&graph, &labels, weighted, 1.0);
        let want = num(&expected["louvain_modularity"][0], "modularity");
        assert!((q - want).abs() <= TOL, "{case}: modularity {want} vs {q}");
    }
}

#[test]
fn louvain_is_as_good_as_networkx_and_deterministic() {
    for case in CASES {
        let (expected, got, graph) = load(case);
        let weighted = expected["weighted"].as_bool().expect("weighted flag");
        let labels: Vec<usize> = graph
            .node_ids()
            .iter()
            .map(|id| {
                got["nodes"][id]["community"]
                    .as_u64()
                    .and_then(|c| usize::try_from(c).ok())
                    .expect("community label")
            })
            .collect();
        let q = modularity(&graph, &labels, weighted, 1.0);
        let nx: Vec<f64> = expected["louvain_modularity"]
            .as_array()
            .expect("modularities")
            .iter()
            .map(|v| num(v, "modularity"))
            .collect();
        let worst = nx.iter().copied().fold(f64::INFINITY, f64::min);
        let best = nx.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        eprintln!("{case}: convene {q}, networkx seeds 0-9 from {worst} to {best}");
        assert!(
            q >= worst - 1e-9,
            "{case}: modularity {q} below networkx's worst seed {worst}"
        );
        let opts = LouvainOptions {
            weighted,
            ..LouvainOptions::default()
        };
        let again = louvain_communities(&graph, opts);
        assert_eq!(again, labels, "{case}: same seed, same labels");
        assert_eq!(
            louvain_communities(&graph, opts),
            again,
            "{case}: repeatable"
        );
    }
}
