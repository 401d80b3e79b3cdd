//! Who can move whom: influence ranking, connectors, common ground across
//! negative ties, and the power x attitude grid.

use std::collections::{BTreeSet, HashSet};

use super::centrality::{pagerank, PowerOptions};
use super::error::NetworkError;
use super::graph::{Graph, Sign};

/// Damping factor of the influence ranking.
pub const INFLUENCE_ALPHA: f64 = 0.85;

/// One actor's influence on a chosen actor.
#[derive(Debug, Clone, PartialEq)]
pub struct Influencer {
    /// Node index of the influencing actor.
    pub node: usize,
    /// Personalised PageRank score (all scores, target included, sum to 1).
    pub score: f64,
}

/// Rank the actors who can influence `target`'s attitude.
///
/// Definition: take the positive ties only and reverse them, so that an arc
/// points from an actor to those who influence it (a directed tie `a -> b`
/// means "a influences b"; an undirected positive tie works both ways). Run
/// PageRank with damping [`INFLUENCE_ALPHA`] whose teleport (and dangling)
/// distribution is concentrated on `target`: a walker starts at the target,
/// steps to one of its influencers (in proportion to tie weight when
/// `weighted`), and returns to the target with probability 0.15 at each step.
/// An actor's score is the share of time the walker spends there, so direct,
/// strong and multiple indirect paths of positive influence all count.
///
/// Returns every actor other than the target with a positive score, highest
/// first (ties by node order).
pub fn influencers(
    g: &Graph,
    target: usize,
    weighted: bool,
) -> Result<Vec<Influencer>, NetworkError> {
    let n = g.node_count();
    if target >= n {
        return Err(NetworkError::UnknownNode(target));
    }
    let mut reversed = Graph::new(g.is_directed());
    for id in g.node_ids() {
        reversed.add_node(id)?;
    }
    for e in g.edges().iter().filter(|e| e.tie.sign == Sign::Positive) {
        let (s, t) = (
            g.node_ids()[e.target].as_str(),
            g.node_ids()[e.source].as_str(),
        );
        reversed.add_edge(s, t, e.tie.clone())?;
    }
    let mut p = vec![0.0; n];
    p[target] = 1.0;
    let scores = pagerank(
        &reversed,
        INFLUENCE_ALPHA,
        Some(&p),
        weighted,
        PowerOptions::default(),
    )?;
    let mut out: Vec<Influencer> = scores
        .into_iter()
        .enumerate()
        .filter(|&(v, s)| v != target && s > 0.0)
        .map(|(node, score)| Influencer { node, score })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.node.cmp(&b.node)));
    Ok(out)
}

/// An actor with positive ties into several communities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connector {
    /// Node index of the actor.
    pub node: usize,
    /// The distinct communities (labels) of its positive-tie neighbours, sorted.
    pub communities: Vec<usize>,
}

/// Actors whose positive ties (in either direction) reach neighbours in two
/// or more distinct communities of `labels` (one label per node, e.g. from
/// `louvain_communities`). The actor's own community counts when one of its
/// positive neighbours is in it. Sorted by number of communities (descending),
/// then node order.
pub fn connectors(g: &Graph, labels: &[usize]) -> Result<Vec<Connector>, NetworkError> {
    if labels.len() != g.node_count() {
        return Err(NetworkError::InvalidParameter(format!(
            "{} labels for {} nodes",
            labels.len(),
            g.node_count()
        )));
    }
    let mut out = Vec::new();
    for (v, ns) in g.undirected_neighbours(false).into_iter().enumerate() {
        let communities: BTreeSet<usize> = ns
            .iter()
            .filter(|x| x.1 == Sign::Positive)
            .map(|x| labels[x.0])
            .collect();
        if communities.len() >= 2 {
            out.push(Connector {
                node: v,
                communities: communities.into_iter().collect(),
            });
        }
    }
    out.sort_by(|a, b| {
        b.communities
            .len()
            .cmp(&a.communities.len())
            .then(a.node.cmp(&b.node))
    });
    Ok(out)
}

/// Two actors joined by a negative tie who nonetheless share values or interests.
#[derive(Debug, Clone, PartialEq)]
pub struct CommonGround {
    /// Node index of one actor (the smaller index).
    pub a: usize,
    /// Node index of the other actor.
    pub b: usize,
    /// Jaccard similarity `|A ∩ B| / |A ∪ B|` of their sets (0 when both are empty).
    pub jaccard: f64,
    /// The shared items, sorted.
    pub shared: Vec<String>,
}

/// Jaccard similarity of two sets; 0 when both are empty.
pub fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Pairs of actors across a negative tie whose value/interest sets
/// (`sets[node]`) have a Jaccard similarity of at least `min_jaccard` and
/// share at least one item. Sorted by similarity (descending), then by pair.
pub fn common_ground_across_negative_ties(
    g: &Graph,
    sets: &[HashSet<String>],
    min_jaccard: f64,
) -> Result<Vec<CommonGround>, NetworkError> {
    if sets.len() != g.node_count() {
        return Err(NetworkError::InvalidParameter(format!(
            "{} sets for {} nodes",
            sets.len(),
            g.node_count()
        )));
    }
    let mut out = Vec::new();
    for (a, ns) in g.undirected_neighbours(false).into_iter().enumerate() {
        for (b, sign, _) in ns {
            if b <= a || sign != Sign::Negative {
                continue;
            }
            let j = jaccard(&sets[a], &sets[b]);
            if j > 0.0 && j >= min_jaccard {
                let mut shared: Vec<String> = sets[a].intersection(&sets[b]).cloned().collect();
                shared.sort();
                out.push(CommonGround {
                    a,
                    b,
                    jaccard: j,
                    shared,
                });
            }
        }
    }
    out.sort_by(|x, y| {
        y.jaccard
            .total_cmp(&x.jaccard)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    Ok(out)
}

/// Influence at or above which an actor counts as highly influential.
pub const HIGH_INFLUENCE: u8 = 4;
/// Attitude at or below which an actor counts as opposed.
pub const NEGATIVE_ATTITUDE: i8 = -1;
/// Attitude at or above which an actor counts as supportive.
pub const POSITIVE_ATTITUDE: i8 = 1;

/// Where an actor stands on the power x attitude grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GridCategory {
    /// Influence >= 4 and attitude <= -1: can block the process.
    SpoilerRisk,
    /// Influence >= 4 and attitude 0: worth engaging first.
    InfluentialUndecided,
    /// Influence >= 4 and attitude >= 1.
    InfluentialSupporter,
    /// Influence <= 3 and attitude <= -1.
    Opponent,
    /// Influence <= 3 and attitude 0.
    Undecided,
    /// Influence <= 3 and attitude >= 1.
    Supporter,
}

/// Classify an actor by influence (0 to 5) and attitude (-3 to +3).
pub fn classify_power_attitude(influence: u8, attitude: i8) -> Result<GridCategory, NetworkError> {
    if influence > 5 {
        return Err(NetworkError::InvalidParameter(format!(
            "influence {influence} is not in 0..=5"
        )));
    }
    if !(-3..=3).contains(&attitude) {
        return Err(NetworkError::InvalidParameter(format!(
            "attitude {attitude} is not in -3..=3"
        )));
    }
    let high = influence >= HIGH_INFLUENCE;
    Ok(match (high, attitude) {
        (true, a) if a <= NEGATIVE_ATTITUDE => GridCategory::SpoilerRisk,
        (true, a) if a >= POSITIVE_ATTITUDE => GridCategory::InfluentialSupporter,
        (true, _) => GridCategory::InfluentialUndecided,
        (false, a) if a <= NEGATIVE_ATTITUDE => GridCategory::Opponent,
        (false, a) if a >= POSITIVE_ATTITUDE => GridCategory::Supporter,
        (false, _) => GridCategory::Undecided,
    })
}

/// The full grid: `cells[influence][attitude + 3]` counts actors in each cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PowerAttitudeGrid {
    /// Counts per (influence 0..=5, attitude -3..=3) cell.
    pub cells: [[usize; 7]; 6],
    /// Category of each actor, in input order.
    pub categories: Vec<GridCategory>,
}

/// Place actors, given as `(influence, attitude)`, on the grid.
pub fn power_attitude_grid(actors: &[(u8, i8)]) -> Result<PowerAttitudeGrid, NetworkError> {
    let mut cells = [[0usize; 7]; 6];
    let mut categories = Vec::with_capacity(actors.len());
    for &(influence, attitude) in actors {
        categories.push(classify_power_attitude(influence, attitude)?);
        let column = usize::try_from(i16::from(attitude) + 3)
            .map_err(|_| NetworkError::InvalidParameter("attitude".to_string()))?;
        cells[usize::from(influence)][column] += 1;
    }
    Ok(PowerAttitudeGrid { cells, categories })
}
