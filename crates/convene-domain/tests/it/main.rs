//! The integration tests of `convene-domain`, one module per part, built as one test binary
//! (one link instead of one per file: faster builds, a fraction of the disk).

mod common;

mod actions;
mod activities;
mod actors;
mod agenda;
mod calls;
mod campaign;
mod confidentiality_matrix;
mod dialogues;
mod fuzz_regressions;
mod mail;
mod media;
mod opinion;
mod places;
mod pledges;
mod poll_results;
mod polls;
mod polls_builder;
mod representatives;
mod rotation;
mod sms;
mod sms_flows;
mod sms_polls;
mod storage;
mod xlsform;
