//! Convene's domain model and storage.
//!
//! The rest of Convene calls this crate's API; all SQL lives here. The
//! confidentiality rule is applied by one function (`access::visible`) that every
//! read of records goes through, given an [`access::Scope`] that only [`Db::scope`]
//! can make.
#![forbid(unsafe_code)]

pub mod access;
pub mod accounts;
pub mod actions;
pub mod activities;
pub mod actors;
pub mod agenda;
pub mod agreements;
pub mod audit;
pub mod backup;
pub mod campaign;
pub mod coalitions;
pub mod crypto;
pub mod demo;
pub mod dialogues;
pub mod error;
pub mod export;
pub mod fuzz;
pub mod i18n;
pub mod inbound;
pub mod invitations;
pub mod jobs;
pub mod mail;
pub mod media;
pub mod model;
pub mod opinion;
pub mod organisations;
pub mod places;
pub mod polls;
pub mod records;
pub mod rotation;
pub mod sms;
pub mod spaces;
pub mod storage;
#[doc(hidden)]
pub mod testing;
pub mod util;

pub use error::{Error, Result};
pub use storage::{Backend, Db};
