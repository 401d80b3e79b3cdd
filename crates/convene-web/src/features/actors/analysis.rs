//! The analysis module applied to the network as of a date. The graph is built
//! from a snapshot the viewer may see, so metrics never reflect hidden actors or ties.

use std::collections::BTreeMap;

use convene_analysis::network::{
    articulation_points, balance, betweenness_centrality, closeness_centrality,
    common_ground_across_negative_ties, connectors, constraint, degree_centrality, influencers,
    louvain_communities, pagerank, power_attitude_grid, Balance, Graph, GridCategory,
    LouvainOptions, PowerOptions,
};
use convene_domain::actors::Snapshot;

/// Metrics of one actor in the network as of a date.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Metrics {
    pub degree: f64,
    pub betweenness: f64,
    pub closeness: f64,
    pub pagerank: f64,
    pub community: usize,
    pub constraint: Option<f64>,
    /// Its removal would split the network (a broker between parts).
    pub cut_point: bool,
    /// Positive ties into two or more communities.
    pub connector: bool,
}

/// The analysed network.
pub struct Analysed {
    pub graph: Graph,
    /// Actor ids in graph node order.
    pub ids: Vec<i64>,
    pub metrics: BTreeMap<i64, Metrics>,
    pub balance: Balance,
    pub connectors: Vec<(i64, Vec<usize>)>,
}

pub fn analyse(snap: &Snapshot) -> Analysed {
    let (g, ids) = snap.graph();
    let n = ids.len();
    let degree = degree_centrality(&g);
    let betweenness = betweenness_centrality(&g, false);
    let closeness = closeness_centrality(&g, false);
    let pr = pagerank(&g, 0.85, None, true, PowerOptions::default()).unwrap_or(vec![0.0; n]);
    let labels = if n > 0 {
        louvain_communities(&g, LouvainOptions::default())
    } else {
        vec![]
    };
    let cons = constraint(&g, true);
    let cuts = articulation_points(&g);
    let conns = connectors(&g, &labels).unwrap_or_default();
    let mut metrics = BTreeMap::new();
    for (i, id) in ids.iter().enumerate() {
        metrics.insert(
            *id,
            Metrics {
                degree: degree.get(i).copied().unwrap_or(0.0),
                betweenness: betweenness.get(i).copied().unwrap_or(0.0),
                closeness: closeness.get(i).copied().unwrap_or(0.0),
                pagerank: pr.get(i).copied().unwrap_or(0.0),
                community: labels.get(i).copied().unwrap_or(0),
                constraint: cons.get(i).copied().flatten(),
                cut_point: cuts.contains(&i),
                connector: conns.iter().any(|c| c.node == i),
            },
        );
    }
    Analysed {
        balance: balance(&g),
        connectors: conns
            .iter()
            .filter_map(|c| ids.get(c.node).map(|id| (*id, c.communities.clone())))
            .collect(),
        metrics,
        graph: g,
        ids,
    }
}

impl Analysed {
    /// Who can influence `target` (positive ties only), strongest first.
    pub fn influencers_of(&self, target: i64) -> Vec<(i64, f64)> {
        let Some(i) = self.ids.iter().position(|x| *x == target) else {
            return vec![];
        };
        influencers(&self.graph, i, true)
            .map(|v| {
                v.into_iter()
                    .filter_map(|r| self.ids.get(r.node).map(|id| (*id, r.score)))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Pairs joined by a negative tie who share values or positions on agenda issues
/// (each position counted as "issue: stance"): (a, b, Jaccard, shared items).
pub fn common_ground(an: &Analysed, snap: &Snapshot) -> Vec<(i64, i64, f64, Vec<String>)> {
    let sets: Vec<std::collections::HashSet<String>> = an
        .ids
        .iter()
        .map(|id| {
            snap.actors
                .get(id)
                .map(|s| {
                    s.values
                        .iter()
                        .map(|v| v.to_lowercase())
                        .chain(s.positions.iter().map(|(i, st)| format!("{i}: {st}")))
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    common_ground_across_negative_ties(&an.graph, &sets, 0.0)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| Some((*an.ids.get(c.a)?, *an.ids.get(c.b)?, c.jaccard, c.shared)))
        .collect()
}

/// The power × attitude grid of the actors with both values, and each actor's
/// category key.
pub fn grid(snap: &Snapshot) -> (Vec<Vec<Vec<i64>>>, BTreeMap<i64, &'static str>) {
    // cells[influence 5..=0][attitude -3..=3] -> actor ids
    let mut cells = vec![vec![Vec::new(); 7]; 6];
    let mut cats = BTreeMap::new();
    let mut pairs = Vec::new();
    let mut who = Vec::new();
    for (id, s) in &snap.actors {
        if let (Some(a), Some(i)) = (s.attitude, s.influence) {
            if (-3..=3).contains(&a) && i <= 5 {
                pairs.push((i, a));
                who.push(*id);
                let row = usize::from(5 - i);
                let col = usize::try_from(i16::from(a) + 3).unwrap_or(0);
                cells[row][col].push(*id);
            }
        }
    }
    if let Ok(g) = power_attitude_grid(&pairs) {
        for (id, c) in who.iter().zip(g.categories) {
            cats.insert(*id, category_key(c));
        }
    }
    (cells, cats)
}

pub fn category_key(c: GridCategory) -> &'static str {
    match c {
        GridCategory::SpoilerRisk => "actors-cat-spoiler",
        GridCategory::InfluentialUndecided => "actors-cat-influential-undecided",
        GridCategory::InfluentialSupporter => "actors-cat-influential-supporter",
        GridCategory::Opponent => "actors-cat-opponent",
        GridCategory::Undecided => "actors-cat-undecided",
        GridCategory::Supporter => "actors-cat-supporter",
    }
}
