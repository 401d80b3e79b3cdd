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
        Some(PathBuf::from("/work/shared/data/polis")),
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
