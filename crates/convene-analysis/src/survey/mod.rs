//! Survey analysis for polls: raking of weights, statistics with confidence
//! intervals, small-cell suppression and free-text coding.
//!
//! Every formula and its source is in `docs/polling-statistics.md`.
//!
//! ```
//! use convene_analysis::survey::{rake, Margin, RakeOptions, Respondents};
//!
//! let rows = vec![vec!["f", "rural"], vec!["m", "urban"], vec!["m", "rural"]];
//! let resp = Respondents::from_rows(&["sex", "area"], &rows)?;
//! let margins = [
//!     Margin::new("sex", "f", 0.5),
//!     Margin::new("sex", "m", 0.5),
//!     Margin::new("area", "rural", 0.6),
//!     Margin::new("area", "urban", 0.4),
//! ];
//! let raked = rake(&resp, &margins, None, &RakeOptions::default())?;
//! assert!(raked.converged);
//! let women: f64 = raked.weights[0] / 3.0;
//! assert!((women - 0.5).abs() < 1e-6);
//! # Ok::<(), convene_analysis::survey::SurveyError>(())
//! ```

mod coding;
mod csv_input;
mod error;
mod rake;
mod report;
mod stats;
mod suppress;
mod themes;

pub use coding::{cohen_kappa, words, Agreement, Codebook, Matcher, Rule};
pub use csv_input::{
    base_weights, rake_csv, read_margins, read_respondents, write_weighted, Input, InputProblem,
    MarginsCsv, RespondentsCsv,
};
pub use error::SurveyError;
pub use rake::{rake, Margin, RakeOptions, Raked, Respondents, Trim, SHARE_SUM_TOLERANCE};
pub use report::{
    compute, release, Bounds, Cell, GapStat, Group, QuestionReport, QuestionSpec, Released,
    ReleasedCell, ReleasedGroup, ReleasedQuestion, ReleasedSplit, ReleasedTally, Report, Row,
    Shown, SpecKind, SplitReport, Tally, Weighting,
};
pub use stats::{
    effective_sample_size, newcombe, split, tabulate, tabulate_multiple, wilson, CategoryStat, Gap,
    Interval, QuestionStats, Split, Z95,
};
pub use suppress::{
    suppress_one_way, suppress_two_way, Published, Suppressed, Why, DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
};
pub use themes::{suggest_themes, tf_idf, Theme, ThemeOptions};
