//! Runs the opinion pipeline on the real Polis exports in `shared/data/polis`
//! (CC BY 4.0, The Computational Democracy Project; see that folder's README)
//! and compares with what Polis computed.

use std::collections::BTreeMap;
use std::path::PathBuf;

use convene_analysis::opinion::{
    adjusted_rand_index, analyze, clusterable_participants, read_polis_folder,
    statistics_for_groups, OpinionAnalysis, Status, VoteMatrix,
};

const SEED: u64 = 42;

fn data_dir() -> Option<PathBuf> {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("CONVENE_POLIS_DATA").map(PathBuf::from),
        Some(here.join("../../../shared/data/polis")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_dir())
}

fn conversations() -> Vec<(String, PathBuf)> {
    let Some(dir) = data_dir() else {
        panic!("Polis data not found: set CONVENE_POLIS_DATA or put shared/ beside the repo");
    };
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("read data dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("comments.csv").is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no conversations in {}", dir.display());
    out
}

/// ARI between our groups and Polis' `group-id`, over participants both clustered.
pub fn ari_vs_polis(
    m: &VoteMatrix,
    result: &OpinionAnalysis,
    polis: &BTreeMap<String, Option<u32>>,
) -> (f64, usize) {
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for (id, g) in m.participants().iter().zip(&result.participant_groups) {
        if let (Some(g), Some(Some(p))) = (g, polis.get(id)) {
            ours.push(*g);
            theirs.push(*p);
        }
    }
    (adjusted_rand_index(&ours, &theirs), ours.len())
}

#[test]
fn groups_match_polis_on_real_conversations() {
    for (name, dir) in conversations() {
        let export = read_polis_folder(&dir).expect("read export");
        let polis = export
            .polis_groups
            .as_ref()
            .expect("participants-votes.csv");
        let result = analyze(&export.matrix, SEED);
        assert_eq!(result.status, Status::Grouped, "{name}");
        let (ari, n) = ari_vs_polis(&export.matrix, &result, polis);
        let polis_k = polis
            .values()
            .flatten()
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        println!(
            "{name}: participants={} statements={} votes={} clustered={} groups={} (polis {polis_k}) compared={n} ARI={ari:.4} silhouette={:.3} pca_iterations={}",
            export.matrix.n_participants(),
            export.matrix.n_statements(),
            export.matrix.n_votes(),
            clusterable_participants(&export.matrix, true).len(),
            result.groups,
            result.silhouette,
            result.pca.as_ref().map_or(0, |p| p.iterations),
        );
        assert!(n > 0, "{name}: nobody compared");
        // Every conversation: clearly the same groups as Polis (lowest: brexit-consensus,
        // where Polis shows two groups and three fit better without its history).
        assert!(ari > 0.6, "{name}: ARI {ari}");
    }
}

#[test]
fn group_informed_consensus_equals_polis_export() {
    let dir = conversations()
        .into_iter()
        .find(|(n, _)| n == "bg2050-volunteers")
        .expect("bg2050-volunteers")
        .1;
    let export = read_polis_folder(&dir).expect("read export");
    let m = &export.matrix;
    let polis = export.polis_groups.as_ref().expect("groups");
    let exported = export
        .exported_group_informed_consensus
        .as_ref()
        .expect("group-informed-consensus column");
    // Polis' own groups, applied to our matrix.
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    for (r, id) in m.participants().iter().enumerate() {
        if let Some(Some(g)) = polis.get(id) {
            rows.push(r as u32);
            labels.push(*g as usize);
        }
    }
    let k = labels.iter().max().unwrap() + 1;
    let (_, gic, _) = statistics_for_groups(m, &rows, &labels, k);
    let mut compared = 0;
    for (s, id) in m.statements().iter().enumerate() {
        let want = exported[id];
        assert!(
            (gic[s] - want).abs() <= 1e-12,
            "statement {id}: ours {} Polis {want}",
            gic[s]
        );
        compared += 1;
    }
    // Every active statement of the conversation was compared.
    assert_eq!(compared, exported.len() - export.moderated_out.len());
    assert!(compared > 300);
}
