//! Translations: the catalog lives in the domain crate, so that the texts the domain
//! sends (SMS and USSD replies) and the pages come from the same Fluent files.

pub use convene_domain::i18n::*;
