//! Errors of the domain and storage layer.
//!
//! Messages here are for logs; they never contain personal data. The web layer maps
//! each variant to one response and shows users a translated, generic message.

/// A validation failure: which field, and a message key in the translation files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub key: &'static str,
}

/// One problem in an import file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    /// Which file or sheet (`actors`, `records`, `elements`, `connections`, `json`,
    /// `gazetteer`, `boundaries`…): a message key suffix.
    pub sheet: &'static str,
    /// 1-based line in the file (the header is line 1); 0 for the whole file.
    pub line: u64,
    /// The column, when one is at fault.
    pub column: String,
    /// A message key in the translation files.
    pub key: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The record does not exist, or the viewer may not know that it exists.
    #[error("not found")]
    NotFound,
    /// The viewer is known to the space but lacks the permission.
    #[error("forbidden")]
    Forbidden,
    /// Input that failed validation; nothing was written.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<Invalid>),
    /// A uniqueness rule would be broken (e.g. an e-mail already registered).
    #[error("conflict on {0}")]
    Conflict(&'static str),
    /// Too many attempts; try again later.
    #[error("rate limited")]
    RateLimited,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("cryptography error: {0}")]
    Crypto(&'static str),
    #[error("key file error: {0}")]
    KeyFile(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: &'static str, key: &'static str) -> Self {
        Error::Invalid(vec![Invalid { field, key }])
    }
}

pub type Result<T> = std::result::Result<T, Error>;
