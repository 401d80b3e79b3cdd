//! Errors of the survey analysis.

/// Errors raised by raking, statistics, suppression and text coding.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SurveyError {
    /// There are no respondents, no variables or no margins.
    #[error("empty input: {0}")]
    Empty(String),
    /// The shares given for one variable do not sum to 1.
    #[error("the shares of variable {variable:?} sum to {sum}, not 1 (within 1e-6)")]
    SharesDoNotSumToOne {
        /// The variable.
        variable: String,
        /// The sum found.
        sum: f64,
    },
    /// A share is not a finite number in (0, 1].
    #[error("share {share} of {variable:?} = {category:?} is not a number in (0, 1]")]
    BadShare {
        /// The variable.
        variable: String,
        /// The category.
        category: String,
        /// The share given.
        share: f64,
    },
    /// The same category of a variable is given twice in the margins.
    #[error("margin {variable:?} = {category:?} is given twice")]
    DuplicateMargin {
        /// The variable.
        variable: String,
        /// The category.
        category: String,
    },
    /// A margin names a variable the respondents do not have.
    #[error("margin variable {0:?} is not a column of the respondents")]
    UnknownVariable(String),
    /// Respondents have a category the margins do not give a share for.
    #[error("category {category:?} of variable {variable:?} occurs in the data but has no margin")]
    CategoryWithoutMargin {
        /// The variable.
        variable: String,
        /// The category.
        category: String,
    },
    /// A margin category has no respondent (or only respondents of weight zero).
    #[error("margin {variable:?} = {category:?} has no respondents")]
    MarginWithoutRespondents {
        /// The variable.
        variable: String,
        /// The category.
        category: String,
    },
    /// Base weights are of the wrong length or not positive and finite.
    #[error("bad base weights: {0}")]
    BadBaseWeights(String),
    /// A parameter is out of its allowed range.
    #[error("invalid parameter: {0}")]
    InvalidParameter(String),
    /// Raking did not reach the tolerance within the iteration cap.
    #[error(
        "raking did not converge within {iterations} iterations (largest margin error {error:e})"
    )]
    NotConverged {
        /// Iterations run.
        iterations: usize,
        /// The largest absolute margin error at the end.
        error: f64,
    },
    /// Two inputs that must have the same length do not.
    #[error("length mismatch: {0}")]
    LengthMismatch(String),
    /// A regular expression of a codebook does not compile.
    #[error("bad pattern {pattern:?} for code {code:?}: {reason}")]
    BadPattern {
        /// The code.
        code: String,
        /// The pattern.
        pattern: String,
        /// Why it does not compile.
        reason: String,
    },
}
