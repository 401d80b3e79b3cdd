//! Network analysis of actor maps.
//!
//! A [`Graph`] holds actors (nodes with string ids) and ties (edges, directed
//! or not, with an optional sign, weight and kind). The metrics follow the
//! definitions and default normalisations of networkx 3, and are checked
//! against it to 1e-9 (`tests/network_networkx.rs`); `docs/network-metrics.md`
//! gives every definition and its source.
//!
//! The command line reads an edge list with [`metrics_from_csv`].
//!
//! ```
//! use convene_analysis::network::{
//!     balance, betweenness_centrality, influencers, Graph, NetworkError, Sign, Tie,
//! };
//!
//! let mut g = Graph::new(false);
//! g.add_edge("elder", "chief", Tie::default())?;
//! g.add_edge("chief", "commander", Tie::default())?;
//! let rival = Tie { sign: Sign::Negative, ..Tie::default() };
//! g.add_edge("rival", "commander", rival)?;
//!
//! // One value per node, in order of first appearance.
//! let b = betweenness_centrality(&g, false);
//! assert_eq!(g.node_ids(), ["elder", "chief", "commander", "rival"]);
//! assert!(b[1] > 0.0 && b[0] == 0.0);
//!
//! // Who can move the commander? Only positive ties carry influence.
//! let commander = g.node_index("commander").ok_or(NetworkError::UnknownNode(2))?;
//! let ranked = influencers(&g, commander, false)?;
//! assert_eq!(g.node_id(ranked[0].node), Some("chief"));
//! assert!(ranked.iter().all(|r| g.node_id(r.node) != Some("rival")));
//! assert_eq!(balance(&g).triangles, 0);
//! # Ok::<(), NetworkError>(())
//! ```

mod centrality;
mod community;
mod csv_input;
mod error;
mod graph;
mod influence;
mod signed;
mod structure;

pub use centrality::{
    betweenness_centrality, betweenness_with_threads, closeness_centrality, degree_centrality,
    eigenvector_centrality, pagerank, PowerOptions,
};
pub use community::{louvain_communities, modularity, LouvainOptions};
pub use csv_input::{graph_from_csv, metrics_from_csv, metrics_json};
pub use error::{NetworkError, RowError};
pub use graph::{Edge, Graph, Sign, Tie};
pub use influence::{
    classify_power_attitude, common_ground_across_negative_ties, connectors, influencers, jaccard,
    power_attitude_grid, CommonGround, Connector, GridCategory, Influencer, PowerAttitudeGrid,
    HIGH_INFLUENCE, INFLUENCE_ALPHA, NEGATIVE_ATTITUDE, POSITIVE_ATTITUDE,
};
pub use signed::{balance, positive_betweenness, unbalanced_triangles_per_node, Balance};
pub use structure::{articulation_points, bridges, constraint};
