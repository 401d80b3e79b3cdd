//! Actor-map analyses: influence ranking, connectors, common ground, grid.

use std::collections::HashSet;

use convene_analysis::network::{
    classify_power_attitude, common_ground_across_negative_ties, connectors, graph_from_csv,
    influencers, jaccard, louvain_communities, power_attitude_grid, Graph, GridCategory,
    LouvainOptions, NetworkError,
};

fn graph(csv: &str, directed: bool) -> Graph {
    graph_from_csv(csv.as_bytes(), directed).expect("valid edge list")
}

fn set(items: &[&str]) -> HashSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn influencers_follow_positive_ties_towards_the_target() {
    // elder -> chief -> commander: the elder influences the commander through
    // the chief; the rival is tied negatively and the journalist is influenced
    // by the commander, not the other way round.
    let g = graph(
        "source,target,sign\n\
         elder,chief,1\n\
         chief,commander,1\n\
         rival,commander,-1\n\
         commander,journalist,1\n",
        true,
    );
    let commander = g.node_index("commander").expect("node");
    let ranked = influencers(&g, commander, false).expect("ranking");
    let names: Vec<&str> = ranked
        .iter()
        .map(|r| g.node_id(r.node).expect("id"))
        .collect();
    assert_eq!(names, ["chief", "elder"]);
    // Walk: from commander to chief with prob 0.85, then to elder with 0.85.
    // Stationary shares: commander x, chief 0.85 x, elder 0.85^2 x; elder is
    // dangling, so its mass returns to the commander.
    let x = 1.0 / (1.0 + 0.85 + 0.85 * 0.85);
    assert!((ranked[0].score - 0.85 * x).abs() < 1e-12);
    assert!((ranked[1].score - 0.85 * 0.85 * x).abs() < 1e-12);
}

#[test]
fn influencers_reject_unknown_target() {
    let g = graph("source,target\na,b\n", false);
    assert!(matches!(
        influencers(&g, 7, false),
        Err(NetworkError::UnknownNode(7))
    ));
}

#[test]
fn connectors_reach_two_communities() {
    // Two triangles joined through "broker"; the broker's negative tie to
    // "outsider" does not make a connection.
    let g = graph(
        "source,target,sign\n\
         a1,a2,1\na2,a3,1\na1,a3,1\n\
         b1,b2,1\nb2,b3,1\nb1,b3,1\n\
         broker,a1,1\nbroker,b1,1\nbroker,outsider,-1\n",
        false,
    );
    let labels = louvain_communities(&g, LouvainOptions::default());
    let a = labels[g.node_index("a2").expect("a2")];
    let b = labels[g.node_index("b2").expect("b2")];
    assert_ne!(a, b, "the two triangles are separate communities");
    let found = connectors(&g, &labels).expect("labels fit");
    let broker = g.node_index("broker").expect("broker");
    let entry = found
        .iter()
        .find(|c| c.node == broker)
        .expect("broker found");
    let mut expected = vec![a, b];
    expected.sort_unstable();
    assert_eq!(entry.communities, expected);
    // Nobody inside a triangle connects two communities except via the broker.
    let a2 = g.node_index("a2").expect("a2");
    assert!(found.iter().all(|c| c.node != a2));
    assert!(connectors(&g, &labels[1..]).is_err());
}

#[test]
fn common_ground_across_negative_ties_uses_jaccard() {
    let g = graph(
        "source,target,sign\n\
         farmers,herders,-1\n\
         farmers,traders,-1\n\
         herders,traders,1\n",
        false,
    );
    let mut sets = vec![HashSet::new(); g.node_count()];
    sets[g.node_index("farmers").expect("f")] = set(&["water", "land", "schools"]);
    sets[g.node_index("herders").expect("h")] = set(&["water", "grazing"]);
    sets[g.node_index("traders").expect("t")] = set(&["roads"]);
    let found = common_ground_across_negative_ties(&g, &sets, 0.0).expect("sets fit");
    assert_eq!(
        found.len(),
        1,
        "farmers-traders share nothing; herders-traders is positive"
    );
    assert_eq!(g.node_id(found[0].a), Some("farmers"));
    assert_eq!(g.node_id(found[0].b), Some("herders"));
    assert!((found[0].jaccard - 0.25).abs() < 1e-15);
    assert_eq!(found[0].shared, ["water"]);
    assert!(common_ground_across_negative_ties(&g, &sets, 0.3)
        .expect("sets fit")
        .is_empty());
    assert_eq!(jaccard(&HashSet::new(), &HashSet::new()), 0.0);
}

#[test]
fn power_attitude_thresholds() {
    use GridCategory::*;
    assert_eq!(classify_power_attitude(4, -1).ok(), Some(SpoilerRisk));
    assert_eq!(classify_power_attitude(5, -3).ok(), Some(SpoilerRisk));
    assert_eq!(classify_power_attitude(3, -3).ok(), Some(Opponent));
    assert_eq!(
        classify_power_attitude(4, 0).ok(),
        Some(InfluentialUndecided)
    );
    assert_eq!(
        classify_power_attitude(4, 1).ok(),
        Some(InfluentialSupporter)
    );
    assert_eq!(classify_power_attitude(0, 0).ok(), Some(Undecided));
    assert_eq!(classify_power_attitude(2, 3).ok(), Some(Supporter));
    assert!(classify_power_attitude(6, 0).is_err());
    assert!(classify_power_attitude(3, 4).is_err());
    assert!(classify_power_attitude(3, -4).is_err());
    let grid = power_attitude_grid(&[(5, -2), (5, -2), (0, 3)]).expect("valid");
    assert_eq!(grid.cells[5][1], 2);
    assert_eq!(grid.cells[0][6], 1);
    assert_eq!(grid.categories, [SpoilerRisk, SpoilerRisk, Supporter]);
    assert!(power_attitude_grid(&[(1, 1), (9, 0)]).is_err());
}
