//! Opinion mapping: vote matrices, opinion groups, representative and consensus statements.
//!
//! This follows the method of Polis (Small et al., 2021, "Polis: Scaling
//! deliberation by mapping high dimensional opinion spaces"); every formula is
//! written out, with its source, in `docs/opinion-math.md`.
//!
//! The entry point for the command line is [`analyze_polis_folder`].

mod analysis;
mod ari;
mod cluster;
mod error;
mod matrix;
mod pca;
mod polis;
pub mod polis_records;
mod stats;

use std::path::Path;

pub use analysis::{
    analyze, analyze_with, clusterable_participants, statistics_for_groups, OpinionAnalysis,
    Options, Status, MIN_PARTICIPANTS, MIN_STATEMENTS, MIN_VOTES,
};
pub use ari::adjusted_rand_index;
pub use cluster::{
    group_participants, kmeans, kmeans_from, silhouette, weighted_silhouette, ClusterOptions,
    Grouping, Init, KMeans, SplitMix64, BASE_CLUSTERS, MAX_GROUPS, MIN_GROUPS, MIN_GROUP_SIZE,
};
pub use error::OpinionError;
pub use matrix::{IndexedVote, VoteMatrix};
pub use pca::{
    column_means, pca2, pca2_subspace, project, Pca, LANCZOS_TOLERANCE, MAX_LANCZOS_STEPS,
};
pub use polis::{read_polis_folder, PolisExport, VoteSource};
pub use stats::{
    consensus, group_counts, group_informed_consensus, one_prop_test, smoothed, two_prop_test,
    Counts, Direction, RepStatement, PICK_MAX, Z_90,
};

/// Reads a Polis export folder and runs the whole analysis; the result is the
/// JSON described at [`OpinionAnalysis::to_json`]. Deterministic for a given seed.
pub fn analyze_polis_folder(dir: &Path, seed: u64) -> Result<serde_json::Value, OpinionError> {
    let export = read_polis_folder(dir)?;
    Ok(analyze(&export.matrix, seed).to_json(&export.matrix))
}
