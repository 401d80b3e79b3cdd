//! Pure analysis for Convene.
//!
//! Nothing in this crate touches a database or the network: every function takes
//! plain data and returns plain data, so that it can be tested against reference
//! tools and benchmarked on its own, and used from the command line by analysts.
#![forbid(unsafe_code)]

pub mod agenda;
pub mod geo;
pub mod network;
pub mod opinion;
pub mod selection;
pub mod similarity;
pub mod survey;
