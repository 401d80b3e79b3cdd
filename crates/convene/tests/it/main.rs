//! The integration tests of `convene`, one module per part, built as one test binary
//! (one link instead of one per file: faster builds, a fraction of the disk).

mod browser;
mod cli;
mod mail;
mod opinion_cli;
mod rake;
mod sms;
