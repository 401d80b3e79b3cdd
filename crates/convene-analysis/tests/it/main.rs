//! The integration tests of `convene-analysis`, one module per part, built as one test binary
//! (one link instead of one per file: faster builds, a fraction of the disk).

mod agenda_props;
mod geo_props;
mod network_actor_map;
mod network_csv;
mod network_networkx;
mod network_props;
mod opinion_pipeline;
mod opinion_polis;
mod opinion_properties;
mod opinion_reddwarf;
mod survey_coding;
mod survey_rake;
mod survey_report;
mod survey_stats;
mod survey_suppress;
mod survey_weightipy;
