//! The CSV entry point: shape of the report and reporting of bad rows.

use convene_analysis::network::{graph_from_csv, metrics_from_csv, NetworkError, RowError};
use serde_json::Value;

fn rows(err: NetworkError) -> Vec<RowError> {
    match err {
        NetworkError::BadRows(rows) => rows,
        other => panic!("expected bad rows, got {other}"),
    }
}

#[test]
fn report_has_the_documented_shape() {
    let csv = "source,target\na,b\nb,c\nc,a\nc,d\n";
    let report = metrics_from_csv(csv.as_bytes(), false).expect("valid input");
    let obj = report.as_object().expect("object");
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["articulation_points", "balance", "bridges", "nodes"]);
    let nodes = report["nodes"].as_object().expect("nodes");
    assert_eq!(nodes.len(), 4);
    for node in nodes.values() {
        let mut fields: Vec<&str> = node
            .as_object()
            .expect("node")
            .keys()
            .map(String::as_str)
            .collect();
        fields.sort_unstable();
        assert_eq!(
            fields,
            [
                "betweenness",
                "closeness",
                "community",
                "constraint",
                "degree",
                "eigenvector",
                "pagerank"
            ]
        );
    }
    // Triangle a-b-c plus pendant d: c is the only cut vertex, c-d the only bridge.
    assert_eq!(report["bridges"], serde_json::json!([["c", "d"]]));
    assert_eq!(report["articulation_points"], serde_json::json!(["c"]));
    assert_eq!(report["balance"]["triangles"], 1);
    assert_eq!(report["balance"]["balanced"], 1);
    assert_eq!(report["balance"]["ratio"], 1.0);
    // c lies on the paths d-a and d-b: 2 of the 3 pairs not involving c.
    assert_eq!(report["nodes"]["c"]["betweenness"], 2.0 / 3.0);
    assert_eq!(report["nodes"]["c"]["degree"], 1.0);
}

#[test]
fn every_bad_row_is_reported_with_its_line() {
    let csv = "source,target,sign,weight\n\
               a,b,1,2\n\
               a,a,1,1\n\
               b,c,2,1\n\
               c,d,-1,-3\n\
               ,d,1,1\n\
               b,a,1,1\n\
               d,e,1\n\
               e,f,+1,abc\n\
               f,g,-1,0.5\n";
    let errs = rows(metrics_from_csv(csv.as_bytes(), false).expect_err("bad input"));
    let lines: Vec<u64> = errs.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 4, 5, 6, 7, 8, 9]);
    assert!(errs[0].reason.contains("self-loop"), "{}", errs[0].reason);
    assert!(errs[1].reason.contains("sign"), "{}", errs[1].reason);
    assert!(errs[2].reason.contains("weight"), "{}", errs[2].reason);
    assert!(
        errs[3].reason.contains("source is empty"),
        "{}",
        errs[3].reason
    );
    assert!(errs[4].reason.contains("line 2"), "{}", errs[4].reason);
    assert!(
        errs[5].reason.contains("expected 4 fields"),
        "{}",
        errs[5].reason
    );
    assert!(
        errs[6].reason.contains("not a number"),
        "{}",
        errs[6].reason
    );
    let message = NetworkError::BadRows(errs).to_string();
    assert!(message.starts_with("7 bad row(s)"), "{message}");
    assert!(
        message.contains("line 9: weight \"abc\" is not a number"),
        "{message}"
    );
}

#[test]
fn reversed_tie_is_a_repeat_only_when_undirected() {
    let csv = "source,target\na,b\nb,a\n";
    let errs = rows(graph_from_csv(csv.as_bytes(), false).expect_err("repeat"));
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, 3);
    let g = graph_from_csv(csv.as_bytes(), true).expect("directed is fine");
    assert_eq!(g.edge_count(), 2);
}

#[test]
fn header_problems_are_refused() {
    for (csv, needle) in [
        ("from,to\na,b\n", "missing column \"source\""),
        (
            "source,target,colour\na,b,red\n",
            "unknown column \"colour\"",
        ),
        ("source,target,source\na,b,c\n", "appears twice"),
        ("", "empty"),
    ] {
        match graph_from_csv(csv.as_bytes(), false) {
            Err(NetworkError::BadHeader(msg)) => assert!(msg.contains(needle), "{msg}"),
            other => panic!("{csv:?}: expected a header error, got {other:?}"),
        }
    }
}

#[test]
fn header_only_is_an_empty_graph() {
    assert!(matches!(
        graph_from_csv("source,target\n".as_bytes(), false),
        Err(NetworkError::EmptyGraph)
    ));
}

#[test]
fn columns_in_any_order_with_spaces_and_kinds() {
    let csv = "kind, weight ,target,source,sign\nkin, 2 ,b,a,-1\n,1.5,c,b,+1\n";
    let g = graph_from_csv(csv.as_bytes(), true).expect("valid");
    assert_eq!(g.node_ids(), ["a", "b", "c"]);
    let e = &g.edges()[0];
    assert_eq!((e.source, e.target), (0, 1));
    assert_eq!(e.tie.weight, Some(2.0));
    assert_eq!(e.tie.kind.as_deref(), Some("kin"));
    assert_eq!(e.tie.sign.value(), -1);
    assert_eq!(g.edges()[1].tie.kind, None);
}

#[test]
fn invalid_utf8_is_a_row_error() {
    let mut csv = b"source,target\na,b\n".to_vec();
    csv.extend_from_slice(b"c,\xff\xfe\n");
    let errs = rows(graph_from_csv(&csv[..], false).expect_err("bad bytes"));
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, 3);
    assert!(errs[0].reason.contains("UTF-8"));
}

#[test]
fn directed_chain_has_no_eigenvector_and_null_ratio() {
    // A directed path has no cycle: the power iteration cannot converge.
    let report = metrics_from_csv("source,target\na,b\nb,c\n".as_bytes(), true).expect("valid");
    assert_eq!(report["nodes"]["a"]["eigenvector"], Value::Null);
    assert_eq!(report["balance"]["ratio"], Value::Null);
    assert_eq!(report["balance"]["triangles"], 0);
    // In-closeness: c is reached from b (1) and a (2).
    let c = report["nodes"]["c"]["closeness"].as_f64().expect("number");
    assert!((c - (2.0 / 3.0) * 1.0).abs() < 1e-12, "{c}");
    // PageRank sums to one even with the dangling node c.
    let total: f64 = ["a", "b", "c"]
        .iter()
        .map(|id| report["nodes"][id]["pagerank"].as_f64().expect("number"))
        .sum();
    assert!((total - 1.0).abs() < 1e-12);
}

#[test]
fn byte_order_mark_and_crlf_are_accepted() {
    let csv = "\u{feff}source,target,weight\r\na,b,2\r\nb,c,1\r\n";
    let g = graph_from_csv(csv.as_bytes(), false).expect("spreadsheet export");
    assert_eq!(g.node_ids(), ["a", "b", "c"]);
    assert_eq!(g.edges()[0].tie.weight, Some(2.0));
}
