//! Errors of the opinion-mapping code.

use std::path::PathBuf;

/// Everything that can go wrong while reading votes or analysing them.
///
/// Errors about files always name the file, and the line where one is known
/// (1-based, counting the header as line 1).
#[derive(Debug, thiserror::Error)]
pub enum OpinionError {
    /// The folder or a required file in it could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A Polis export folder lacks a file the analysis needs.
    #[error("{path}: missing file ({what})")]
    MissingFile {
        /// The file that was expected.
        path: PathBuf,
        /// Why it is needed.
        what: &'static str,
    },
    /// A CSV file lacks a column the analysis needs.
    #[error("{path}, line 1: missing column `{column}`")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column that was expected in the header.
        column: String,
    },
    /// A CSV file is malformed at a given line.
    #[error("{path}, line {line}: {message}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line number (the header is line 1).
        line: u64,
        /// What is wrong there.
        message: String,
    },
    /// Votes given to the matrix builder refer to rows or columns that do not exist.
    #[error("vote {index} refers to {what} {value}, but there are only {len}")]
    IndexOutOfRange {
        /// Position of the vote in the input.
        index: usize,
        /// "participant" or "statement".
        what: &'static str,
        /// The index given.
        value: u32,
        /// How many there are.
        len: usize,
    },
    /// A vote value other than -1, 0 or 1.
    #[error("vote {index} has value {value}; expected -1, 0 or 1")]
    InvalidVote {
        /// Position of the vote in the input.
        index: usize,
        /// The value given.
        value: i64,
    },
    /// More participants or statements than the sparse matrix can index.
    #[error("too many {what}: {count} (at most {max})")]
    TooLarge {
        /// "participants", "statements" or "votes".
        what: &'static str,
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
}
