//! The whole opinion-mapping pipeline on a vote matrix.

use serde_json::{json, Map, Value};

use super::cluster::{group_participants, ClusterOptions, Grouping};
use super::matrix::VoteMatrix;
use super::pca::{pca2, project, Pca};
use super::stats::{
    consensus, divisive, group_counts, group_informed_consensus, group_statement_stats,
    select_repness, total_counts, RepStatement,
};

/// Polis' vote threshold: a participant is clustered with at least this many
/// votes (or with a vote on every statement, when there are fewer).
pub const MIN_VOTES: usize = 7;
/// Fewest clustered participants for which groups are computed at all.
pub const MIN_PARTICIPANTS: usize = 10;
/// Fewest statements for which groups are computed at all.
pub const MIN_STATEMENTS: usize = 2;

/// Choices of the pipeline; [`Options::default`] is what Convene uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Seed for k-means.
    pub seed: u64,
    /// Compute the components over all participants (Polis) rather than only
    /// the clustered ones.
    pub pca_on_all_participants: bool,
    /// Count moderated-out statements that received votes in the participant
    /// filter and in the projection scaling, as Polis does.
    pub count_moderated: bool,
    /// Grouping options (the seed there is overridden by `seed`).
    pub cluster: ClusterOptions,
}

impl Options {
    /// Convene's defaults with the given seed.
    pub fn with_seed(seed: u64) -> Self {
        Self {
            seed,
            ..Self::default()
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            seed: 0,
            pca_on_all_participants: true,
            count_moderated: true,
            cluster: ClusterOptions::default(),
        }
    }
}

/// Whether groups could be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Groups were found.
    Grouped,
    /// Too few voters or statements: no groups (every participant's group is `None`).
    NotEnoughVotes {
        /// Human-readable explanation.
        reason: String,
    },
}

/// Result of [`analyze`].
#[derive(Debug, Clone, PartialEq)]
pub struct OpinionAnalysis {
    /// Whether groups were found.
    pub status: Status,
    /// Number of opinion groups (0 when there are none).
    pub groups: usize,
    /// Group of each participant (matrix row); `None` if not clustered.
    pub participant_groups: Vec<Option<usize>>,
    /// Position of each clustered participant in the plane of the two components.
    pub projections: Vec<Option<[f64; 2]>>,
    /// Representative statements of each group.
    pub repness: Vec<Vec<RepStatement>>,
    /// Consensus statements (columns) most participants agree with.
    pub consensus_agree: Vec<usize>,
    /// Consensus statements (columns) most participants disagree with.
    pub consensus_disagree: Vec<usize>,
    /// Group-informed consensus of every statement (column); empty without groups.
    pub group_informed_consensus: Vec<f64>,
    /// Statements (columns) that divide the groups.
    pub divisive: Vec<usize>,
    /// The principal components, when computed.
    pub pca: Option<Pca>,
    /// Silhouette of the grouping (0 without groups).
    pub silhouette: f64,
}

/// Rows (participants) that Polis would cluster: at least [`MIN_VOTES`] votes,
/// or a vote on every statement when fewer statements than that have votes.
///
/// With `count_moderated`, votes on moderated-out statements count too (Polis
/// filters on the raw votes).
pub fn clusterable_participants(m: &VoteMatrix, count_moderated: bool) -> Vec<u32> {
    let extra = if count_moderated {
        m.excluded_voted_statements()
    } else {
        0
    };
    let threshold = MIN_VOTES.min(m.n_voted_statements() + extra).max(1);
    (0..m.n_participants())
        .filter(|&r| {
            m.row_len(r)
                + if count_moderated {
                    m.excluded_votes(r)
                } else {
                    0
                }
                >= threshold
        })
        .filter_map(|r| u32::try_from(r).ok())
        .collect()
}

fn not_enough(m: &VoteMatrix, reason: String) -> OpinionAnalysis {
    let total = total_counts(m);
    let (consensus_agree, consensus_disagree) = consensus(&total);
    OpinionAnalysis {
        status: Status::NotEnoughVotes { reason },
        groups: 0,
        participant_groups: vec![None; m.n_participants()],
        projections: vec![None; m.n_participants()],
        repness: Vec::new(),
        consensus_agree,
        consensus_disagree,
        group_informed_consensus: Vec::new(),
        divisive: Vec::new(),
        pca: None,
        silhouette: 0.0,
    }
}

/// Statistics for a given grouping of the given rows (used by [`analyze`], and
/// to recompute Polis' own figures from its group assignment).
pub fn statistics_for_groups(
    m: &VoteMatrix,
    rows: &[u32],
    labels: &[usize],
    k: usize,
) -> (Vec<Vec<RepStatement>>, Vec<f64>, Vec<usize>) {
    let counts = group_counts(m, rows, labels, k);
    let stats = group_statement_stats(&counts);
    let repness = stats.iter().map(|g| select_repness(g)).collect();
    (repness, group_informed_consensus(&counts), divisive(&stats))
}

/// Runs the whole pipeline: participant filter, two principal components,
/// projection, groups, representative / consensus / divisive statements.
/// Deterministic for a given `seed`.
pub fn analyze(m: &VoteMatrix, seed: u64) -> OpinionAnalysis {
    analyze_with(m, &Options::with_seed(seed))
}

/// [`analyze`] with explicit [`Options`].
pub fn analyze_with(m: &VoteMatrix, options: &Options) -> OpinionAnalysis {
    let rows = clusterable_participants(m, options.count_moderated);
    if m.n_voted_statements() < MIN_STATEMENTS {
        return not_enough(
            m,
            format!(
                "not enough votes yet: {} statement(s) with votes, at least {MIN_STATEMENTS} needed",
                m.n_voted_statements()
            ),
        );
    }
    if rows.len() < MIN_PARTICIPANTS {
        return not_enough(
            m,
            format!(
                "not enough votes yet: {} participant(s) with at least {} votes, at least {MIN_PARTICIPANTS} needed",
                rows.len(),
                MIN_VOTES.min(m.n_voted_statements())
            ),
        );
    }
    let pca = if options.pca_on_all_participants {
        let all: Vec<u32> = (0..m.n_participants())
            .filter_map(|r| u32::try_from(r).ok())
            .collect();
        pca2(m, &all)
    } else {
        pca2(m, &rows)
    };
    let points = project(m, &pca, &rows, options.count_moderated);
    let cluster_options = ClusterOptions {
        seed: options.seed,
        ..options.cluster
    };
    let Some(Grouping {
        labels,
        k,
        silhouette,
    }) = group_participants(&points, &cluster_options)
    else {
        return not_enough(
            m,
            "not enough votes yet: no grouping into 2 to 5 groups of at least 2 participants each"
                .to_string(),
        );
    };
    let mut participant_groups = vec![None; m.n_participants()];
    let mut projections = vec![None; m.n_participants()];
    for ((&r, &g), &p) in rows.iter().zip(&labels).zip(&points) {
        if let Some(slot) = participant_groups.get_mut(r as usize) {
            *slot = Some(g);
        }
        if let Some(slot) = projections.get_mut(r as usize) {
            *slot = Some(p);
        }
    }
    let (repness, gic, divisive) = statistics_for_groups(m, &rows, &labels, k);
    let total = total_counts(m);
    let (consensus_agree, consensus_disagree) = consensus(&total);
    OpinionAnalysis {
        status: Status::Grouped,
        groups: k,
        participant_groups,
        projections,
        repness,
        consensus_agree,
        consensus_disagree,
        group_informed_consensus: gic,
        divisive,
        pca: Some(pca),
        silhouette,
    }
}

fn rep_json(m: &VoteMatrix, r: &RepStatement) -> Value {
    let id = m.statements().get(r.statement).cloned().unwrap_or_default();
    let mut o = json!({
        "statement": id,
        "direction": r.direction,
        "n_success": r.n_success,
        "n_trials": r.n_trials,
        "p_success": r.p_success,
        "p_test": r.p_test,
        "repness": r.repness,
        "repness_test": r.repness_test,
    });
    if r.best_agree {
        if let Some(map) = o.as_object_mut() {
            map.insert("best_agree".to_string(), Value::Bool(true));
        }
    }
    o
}

impl OpinionAnalysis {
    /// The result as JSON:
    /// `{"status", "groups", "participants": {id: group or null},
    ///   "repness": {"group": [{"statement", "direction", …}]},
    ///   "consensus": [ids…], "group_informed_consensus": {id: value},
    ///   "divisive": [ids…]}` (plus `"reason"` when there are no groups).
    pub fn to_json(&self, m: &VoteMatrix) -> Value {
        let statement =
            |s: usize| Value::String(m.statements().get(s).cloned().unwrap_or_default());
        let mut participants = Map::new();
        for (id, g) in m.participants().iter().zip(&self.participant_groups) {
            participants.insert(id.clone(), g.map_or(Value::Null, |g| json!(g)));
        }
        let mut repness = Map::new();
        for (g, list) in self.repness.iter().enumerate() {
            repness.insert(
                g.to_string(),
                Value::Array(list.iter().map(|r| rep_json(m, r)).collect()),
            );
        }
        let mut gic = Map::new();
        for (s, &v) in self.group_informed_consensus.iter().enumerate() {
            if let Some(id) = m.statements().get(s) {
                gic.insert(id.clone(), json!(v));
            }
        }
        let consensus: Vec<Value> = self
            .consensus_agree
            .iter()
            .chain(&self.consensus_disagree)
            .map(|&s| statement(s))
            .collect();
        let mut out = Map::new();
        match &self.status {
            Status::Grouped => {
                out.insert("status".into(), json!("ok"));
            }
            Status::NotEnoughVotes { reason } => {
                out.insert("status".into(), json!("not_enough_votes"));
                out.insert("reason".into(), json!(reason));
            }
        }
        out.insert("groups".into(), json!(self.groups));
        out.insert("participants".into(), Value::Object(participants));
        out.insert("repness".into(), Value::Object(repness));
        out.insert("consensus".into(), Value::Array(consensus));
        out.insert("group_informed_consensus".into(), Value::Object(gic));
        out.insert(
            "divisive".into(),
            Value::Array(self.divisive.iter().map(|&s| statement(s)).collect()),
        );
        Value::Object(out)
    }
}
