//! Compares Convene's opinion groups with red-dwarf's on the real Polis exports:
//! on every conversation, Convene's agreement with the groups Polis assigned
//! (adjusted Rand index) must be at least red-dwarf's.
//!
//! The reference file is produced by `tests/reference/opinion_reddwarf.py`
//! (see its header for the command). Polis data: CC BY 4.0, The Computational
//! Democracy Project (see shared/data/polis/README.md).

use std::collections::BTreeMap;
use std::path::PathBuf;

use convene_analysis::opinion::{adjusted_rand_index, analyze, read_polis_folder};

const SEED: u64 = 42;

fn data_dir() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    [
        std::env::var_os("CONVENE_POLIS_DATA").map(PathBuf::from),
        Some(here.join("../../../shared/data/polis")),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_dir())
    .expect("Polis data not found: set CONVENE_POLIS_DATA")
}

#[test]
fn convene_agrees_with_polis_at_least_as_well_as_reddwarf() {
    let reference_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference/opinion_reddwarf.json");
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&reference_path).expect("reference file"))
            .expect("reference JSON");
    let conversations = reference["conversations"]
        .as_object()
        .expect("conversations");
    assert!(
        conversations.len() >= 6,
        "reference covers every conversation"
    );
    let data = data_dir();
    println!("conversation | Convene ARI vs Polis | red-dwarf ARI vs Polis | Convene vs red-dwarf ARI | groups (Convene/red-dwarf)");
    for (name, rd) in conversations {
        let export = read_polis_folder(&data.join(name)).expect("read export");
        let polis = export.polis_groups.as_ref().expect("group-id column");
        let result = analyze(&export.matrix, SEED);
        let rd_groups: BTreeMap<String, Option<u64>> = rd["participants"]
            .as_object()
            .expect("participants")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_u64()))
            .collect();
        let (mut ours, mut theirs, mut ours_rd, mut rd_labels) = (vec![], vec![], vec![], vec![]);
        for (id, g) in export
            .matrix
            .participants()
            .iter()
            .zip(&result.participant_groups)
        {
            if let (Some(g), Some(Some(p))) = (g, polis.get(id)) {
                ours.push(*g);
                theirs.push(*p);
            }
            if let (Some(g), Some(Some(r))) = (g, rd_groups.get(id)) {
                ours_rd.push(*g);
                rd_labels.push(*r);
            }
        }
        let ari = adjusted_rand_index(&ours, &theirs);
        let rd_ari = rd["ari_vs_polis"].as_f64().expect("ari_vs_polis");
        let vs_rd = adjusted_rand_index(&ours_rd, &rd_labels);
        println!(
            "{name} | {ari:.4} | {rd_ari:.4} | {vs_rd:.4} | {}/{}",
            result.groups, rd["groups"]
        );
        assert_eq!(
            ours.len() as u64,
            rd["compared"].as_u64().expect("compared"),
            "{name}: same participants compared"
        );
        assert!(
            ari >= rd_ari - 1e-9,
            "{name}: Convene ARI {ari} < red-dwarf ARI {rd_ari}"
        );
    }
}

/// Where Convene and red-dwarf find the same groups, the statistics computed from
/// them (Polis' formulas, implemented independently) must agree: representative
/// statements with their figures, consensus statements, group-aware consensus.
#[test]
fn statistics_equal_reddwarf_where_groups_coincide() {
    use convene_analysis::opinion::Direction;
    let reference_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference/opinion_reddwarf.json");
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&reference_path).expect("reference file"))
            .expect("reference JSON");
    let data = data_dir();
    let mut checked = 0;
    for (name, rd) in reference["conversations"]
        .as_object()
        .expect("conversations")
    {
        let export = read_polis_folder(&data.join(name)).expect("read export");
        let m = &export.matrix;
        let result = analyze(m, SEED);
        // Map red-dwarf's group numbers onto ours; skip unless the partitions are equal.
        let mut map: BTreeMap<u64, usize> = BTreeMap::new();
        let mut same = true;
        for (id, g) in m.participants().iter().zip(&result.participant_groups) {
            match (g, rd["participants"][id].as_u64()) {
                (Some(g), Some(r)) => {
                    if *map.entry(r).or_insert(*g) != *g {
                        same = false;
                    }
                }
                (None, None) => {}
                _ => same = false,
            }
        }
        if !same || map.len() != result.groups {
            println!("{name}: groups differ from red-dwarf's, statistics not compared");
            continue;
        }
        let id_of = |s: usize| m.statements()[s].clone();
        // Representative statements.
        for (rd_group, list) in rd["repness"].as_object().expect("repness") {
            let ours = &result.repness[map[&rd_group.parse::<u64>().unwrap()]];
            let theirs = list.as_array().unwrap();
            assert_eq!(ours.len(), theirs.len(), "{name} group {rd_group}");
            for (o, t) in ours.iter().zip(theirs) {
                assert_eq!(id_of(o.statement), t["tid"].to_string(), "{name}");
                let dir = match o.direction {
                    Direction::Agree => "agree",
                    Direction::Disagree => "disagree",
                };
                assert_eq!(dir, t["repful-for"], "{name} statement {}", t["tid"]);
                assert_eq!(o.n_success, t["n-success"].as_u64().unwrap());
                assert_eq!(o.n_trials, t["n-trials"].as_u64().unwrap());
                for (x, key) in [
                    (o.p_success, "p-success"),
                    (o.p_test, "p-test"),
                    (o.repness, "repness"),
                    (o.repness_test, "repness-test"),
                ] {
                    let y = t[key].as_f64().unwrap();
                    assert!(
                        (x - y).abs() <= 1e-9 * y.abs().max(1.0),
                        "{name} {key}: {x} vs {y}"
                    );
                }
                assert_eq!(o.best_agree, t["best-agree"].as_bool().unwrap_or(false));
            }
        }
        // Consensus statements.
        let ours_agree: Vec<String> = result.consensus_agree.iter().map(|&s| id_of(s)).collect();
        let ours_disagree: Vec<String> = result
            .consensus_disagree
            .iter()
            .map(|&s| id_of(s))
            .collect();
        let tids = |d: &str| -> Vec<String> {
            rd["consensus"][d]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["tid"].to_string())
                .collect()
        };
        assert_eq!(ours_agree, tids("agree"), "{name}");
        assert_eq!(ours_disagree, tids("disagree"), "{name}");
        // Group-aware consensus (red-dwarf multiplies over its groups in its order,
        // we in ours: equal up to rounding).
        for (s, v) in result.group_informed_consensus.iter().enumerate() {
            let theirs = rd["group_aware_consensus"][id_of(s)].as_f64().unwrap();
            assert!((v - theirs).abs() <= 1e-12, "{name} statement {}", id_of(s));
        }
        println!("{name}: repness, consensus and group-aware consensus equal red-dwarf's");
        checked += 1;
    }
    assert!(
        checked >= 4,
        "statistics compared on {checked} conversations"
    );
}
