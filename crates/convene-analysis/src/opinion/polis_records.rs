//! The one reader of Polis export files: `comments.csv` with `votes.csv` (every
//! vote, the latest wins) or `participants-votes.csv` (the final matrix), read from
//! bytes into records that keep ids, texts, authors and times. Both the import into
//! Convene and the analysis of an export folder read through it; they differ only in
//! how strict they are ([`Strictness`]). Any malformed line is an error naming the
//! file and the line (1 is the header), and nothing is returned half-read.

use std::collections::{BTreeMap, HashSet};

/// Longest imported statement, in characters (Polis allows longer statements than
/// Convene's own form).
pub const MAX_IMPORTED_CHARS: usize = 2000;

/// How strict the reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// For an import: every statement has a text of 1 to [`MAX_IMPORTED_CHARS`]
    /// characters, every vote names a statement of `comments.csv`, and columns of
    /// `participants-votes.csv` that name no statement are left aside.
    Import,
    /// For an analysis: texts are not needed; votes may name statements that
    /// `comments.csv` lacks (they become columns of their own); `votes.csv` must
    /// carry timestamps and `participants-votes.csv` group ids, as Polis writes them.
    Analysis,
}

/// Which file the votes came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteSource {
    /// `votes.csv`: every vote with its timestamp; the latest wins.
    VotesCsv,
    /// `participants-votes.csv`: the final matrix.
    ParticipantsVotesCsv,
}

/// A statement as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct PolisStatement {
    pub id: String,
    /// Empty when the export has no `comment-body` column (analysis only).
    pub body: String,
    /// 1 accepted, 0 not moderated, −1 moderated out.
    pub moderated: i64,
    pub is_seed: bool,
    pub author: Option<String>,
    pub timestamp_ms: Option<i64>,
}

/// A vote as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct PolisVote {
    pub statement: String,
    pub voter: String,
    /// +1 agree, −1 disagree, 0 pass.
    pub vote: i8,
    /// The vote's time; for `participants-votes.csv`, the line.
    pub timestamp_ms: i64,
}

/// A whole export, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct PolisRecords {
    /// In the order of `comments.csv`.
    pub statements: Vec<PolisStatement>,
    /// In the order of the file they came from.
    pub votes: Vec<PolisVote>,
    pub source: VoteSource,
    /// Polis's group of each participant (`group-id` of `participants-votes.csv`,
    /// `None` where empty), when that file was given and read (analysis).
    pub groups: Option<BTreeMap<String, Option<u32>>>,
    /// The `group-informed-consensus` column of `comments.csv`, when present.
    pub group_informed_consensus: Option<BTreeMap<String, f64>>,
    /// The statement columns of `participants-votes.csv`, in order, when the votes
    /// came from it (a column may hold no vote).
    pub columns: Vec<String>,
}

/// What is wrong with a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required column is missing from the header (its name).
    MissingColumn(String),
    /// The CSV itself is malformed (unequal fields, bad quoting, not UTF-8).
    Syntax,
    /// A value is not a number where one is needed (the column).
    NotANumber(String),
    /// A vote is not −1, 0 or 1.
    BadVote,
    /// A vote names a statement that `comments.csv` does not have.
    UnknownStatement(String),
    /// The same statement id twice.
    DuplicateStatement(String),
    /// The same participant twice in `participants-votes.csv`.
    DuplicateParticipant(String),
    /// An empty statement, or one longer than [`MAX_IMPORTED_CHARS`].
    BadStatement,
    /// An id (statement, voter, participant) is empty (the column).
    EmptyId(String),
    /// A column of `participants-votes.csv` has no name.
    EmptyColumnName,
    /// `group-id` is neither empty nor a group number.
    BadGroup,
    /// Neither `votes.csv` nor `participants-votes.csv` was given.
    NoVotes,
}

impl Problem {
    /// The translation key of the message.
    pub fn key(&self) -> &'static str {
        match self {
            Problem::MissingColumn(_) => "opinion-import-missing-column",
            Problem::Syntax => "opinion-import-syntax",
            Problem::NotANumber(_) | Problem::EmptyId(_) | Problem::BadGroup => {
                "opinion-import-not-number"
            }
            Problem::BadVote => "opinion-import-bad-vote",
            Problem::UnknownStatement(_) => "opinion-import-unknown-statement",
            Problem::DuplicateStatement(_) | Problem::DuplicateParticipant(_) => {
                "opinion-import-duplicate"
            }
            Problem::BadStatement => "opinion-import-bad-statement",
            Problem::EmptyColumnName => "opinion-import-syntax",
            Problem::NoVotes => "opinion-import-no-votes",
        }
    }

    /// The problem in English, for the command line.
    pub fn describe(&self) -> String {
        match self {
            Problem::MissingColumn(c) => format!("the column \"{c}\" is missing"),
            Problem::Syntax => {
                "not valid CSV (wrong number of fields, bad quoting or not UTF-8)".into()
            }
            Problem::NotANumber(c) => format!("\"{c}\" must be a number"),
            Problem::BadVote => "a vote must be -1, 0 or 1".into(),
            Problem::UnknownStatement(s) => format!("statement {s} is not in comments.csv"),
            Problem::DuplicateStatement(s) => format!("statement {s} appears twice"),
            Problem::DuplicateParticipant(p) => format!("participant {p} appears twice"),
            Problem::BadStatement => "the statement is empty or longer than 2000 characters".into(),
            Problem::EmptyId(c) => format!("\"{c}\" is empty"),
            Problem::EmptyColumnName => "a column has no name".into(),
            Problem::BadGroup => "\"group-id\" must be empty or a group number".into(),
            Problem::NoVotes => "give votes.csv or participants-votes.csv".into(),
        }
    }

    /// The column or id the message names, if any.
    pub fn detail(&self) -> &str {
        match self {
            Problem::MissingColumn(s)
            | Problem::NotANumber(s)
            | Problem::UnknownStatement(s)
            | Problem::DuplicateStatement(s)
            | Problem::DuplicateParticipant(s)
            | Problem::EmptyId(s) => s,
            _ => "",
        }
    }
}

/// A malformed file: which file, which line (1 is the header), what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, line {line}: {}", problem.describe())]
pub struct ImportError {
    pub file: &'static str,
    pub line: u64,
    pub problem: Problem,
}

struct Csv<'a> {
    file: &'static str,
    headers: Vec<String>,
    reader: csv::Reader<&'a [u8]>,
}

impl<'a> Csv<'a> {
    fn open(file: &'static str, data: &'a [u8]) -> Result<Self, ImportError> {
        let data = data
            .strip_prefix(b"\xEF\xBB\xBF".as_slice())
            .unwrap_or(data);
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(data);
        let headers = reader
            .headers()
            .map_err(|_| ImportError {
                file,
                line: 1,
                problem: Problem::Syntax,
            })?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        Ok(Csv {
            file,
            headers,
            reader,
        })
    }

    fn col(&self, name: &str) -> Result<usize, ImportError> {
        self.opt_col(name).ok_or_else(|| ImportError {
            file: self.file,
            line: 1,
            problem: Problem::MissingColumn(name.to_string()),
        })
    }

    fn opt_col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Calls `f` with each record and its line number.
    fn each(
        &mut self,
        mut f: impl FnMut(&csv::StringRecord, u64) -> Result<(), Problem>,
    ) -> Result<(), ImportError> {
        let file = self.file;
        let mut rec = csv::StringRecord::new();
        let mut line = 1u64;
        loop {
            match self.reader.read_record(&mut rec) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    line = rec.position().map(|p| p.line()).unwrap_or(line + 1);
                    f(&rec, line).map_err(|problem| ImportError {
                        file,
                        line,
                        problem,
                    })?;
                }
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(line + 1);
                    return Err(ImportError {
                        file,
                        line,
                        problem: Problem::Syntax,
                    });
                }
            }
        }
    }
}

fn get(rec: &csv::StringRecord, col: usize) -> &str {
    rec.get(col).unwrap_or("").trim()
}

fn id(rec: &csv::StringRecord, col: usize, name: &str) -> Result<String, Problem> {
    match get(rec, col) {
        "" => Err(Problem::EmptyId(name.to_string())),
        v => Ok(v.to_string()),
    }
}

fn number(v: &str, column: &str) -> Result<i64, Problem> {
    v.parse::<i64>()
        .or_else(|_| v.parse::<f64>().map(|f| f as i64).map_err(|_| ()))
        .map_err(|_| Problem::NotANumber(column.to_string()))
}

/// A vote as Polis writes it (`1`, `-1`, `0`, also `1.0`, `+1`, `-0`).
fn vote(v: &str) -> Result<i8, Problem> {
    match v {
        "1" | "1.0" | "+1" => Ok(1),
        "-1" | "-1.0" => Ok(-1),
        "0" | "0.0" | "-0" => Ok(0),
        _ => Err(Problem::BadVote),
    }
}

/// The columns of `participants-votes.csv` that are not statements.
const META_COLUMNS: [&str; 7] = [
    "participant",
    "xid",
    "group-id",
    "n-comments",
    "n-votes",
    "n-agree",
    "n-disagree",
];

type Comments = (Vec<PolisStatement>, Option<BTreeMap<String, f64>>);

fn read_comments(data: &[u8], strict: Strictness) -> Result<Comments, ImportError> {
    let mut c = Csv::open("comments.csv", data)?;
    let id_col = c.col("comment-id")?;
    let body_col = match strict {
        Strictness::Import => Some(c.col("comment-body")?),
        Strictness::Analysis => c.opt_col("comment-body"),
    };
    let mod_col = c.opt_col("moderated");
    let seed_col = c.opt_col("is-seed");
    let author_col = c.opt_col("author-id");
    let ts_col = c.opt_col("timestamp");
    let gic_col = c.opt_col("group-informed-consensus");
    let mut statements = Vec::new();
    let mut ids = HashSet::new();
    let mut gic = gic_col.map(|_| BTreeMap::new());
    c.each(|r, _| {
        let sid = id(r, id_col, "comment-id")?;
        if !ids.insert(sid.clone()) {
            return Err(Problem::DuplicateStatement(sid));
        }
        let body = body_col.map(|b| get(r, b).to_string()).unwrap_or_default();
        let n = body.chars().count();
        if strict == Strictness::Import && (n == 0 || n > MAX_IMPORTED_CHARS) {
            return Err(Problem::BadStatement);
        }
        let moderated = match mod_col.map(|m| get(r, m)) {
            None | Some("") => 1,
            Some(v) => match v.parse::<i64>() {
                Ok(m) if (-1..=1).contains(&m) => m,
                _ => return Err(Problem::NotANumber("moderated".into())),
            },
        };
        let timestamp_ms = match ts_col.map(|t| get(r, t)) {
            None | Some("") => None,
            Some(v) => Some(number(v, "timestamp")?),
        };
        if let (Some(col), Some(map)) = (gic_col, gic.as_mut()) {
            let g = get(r, col);
            if !g.is_empty() {
                let value: f64 = g
                    .parse()
                    .map_err(|_| Problem::NotANumber("group-informed-consensus".into()))?;
                map.insert(sid.clone(), value);
            }
        }
        statements.push(PolisStatement {
            id: sid,
            body,
            moderated,
            is_seed: seed_col.is_some_and(|s| get(r, s).eq_ignore_ascii_case("true")),
            author: author_col
                .map(|a| get(r, a).to_string())
                .filter(|a| !a.is_empty()),
            timestamp_ms,
        });
        Ok(())
    })?;
    Ok((statements, gic))
}

fn read_votes(
    data: &[u8],
    strict: Strictness,
    known: &HashSet<String>,
) -> Result<Vec<PolisVote>, ImportError> {
    let mut c = Csv::open("votes.csv", data)?;
    let tc = match strict {
        Strictness::Analysis => Some(c.col("timestamp")?),
        Strictness::Import => c.opt_col("timestamp"),
    };
    let sc = c.col("comment-id")?;
    let vc = c.col("voter-id")?;
    let votec = c.col("vote")?;
    let mut out = Vec::new();
    c.each(|r, line| {
        let timestamp_ms = match tc.map(|t| get(r, t)) {
            None => line as i64,
            Some("") if strict == Strictness::Import => line as i64,
            Some(t) => number(t, "timestamp")?,
        };
        let statement = id(r, sc, "comment-id")?;
        if strict == Strictness::Import && !known.contains(&statement) {
            return Err(Problem::UnknownStatement(statement));
        }
        let voter = id(r, vc, "voter-id")?;
        out.push(PolisVote {
            statement,
            voter,
            vote: vote(get(r, votec))?,
            timestamp_ms,
        });
        Ok(())
    })?;
    Ok(out)
}

type Matrix = (Vec<PolisVote>, BTreeMap<String, Option<u32>>, Vec<String>);

fn read_participants_votes(
    data: &[u8],
    strict: Strictness,
    known: &HashSet<String>,
    want_votes: bool,
) -> Result<Matrix, ImportError> {
    let mut c = Csv::open("participants-votes.csv", data)?;
    let pc = c.col("participant")?;
    let gc = match strict {
        Strictness::Analysis => Some(c.col("group-id")?),
        Strictness::Import => c.opt_col("group-id"),
    };
    let mut cols: Vec<(usize, String)> = Vec::new();
    for (i, h) in c.headers.iter().enumerate() {
        if META_COLUMNS.contains(&h.as_str()) {
            continue;
        }
        match strict {
            Strictness::Analysis if h.is_empty() => {
                return Err(ImportError {
                    file: c.file,
                    line: 1,
                    problem: Problem::EmptyColumnName,
                })
            }
            Strictness::Analysis => cols.push((i, h.clone())),
            Strictness::Import if known.contains(h) => cols.push((i, h.clone())),
            Strictness::Import => {}
        }
    }
    let mut votes = Vec::new();
    let mut groups = BTreeMap::new();
    c.each(|r, line| {
        let voter = id(r, pc, "participant")?;
        if groups.contains_key(&voter) {
            return Err(Problem::DuplicateParticipant(voter));
        }
        let group = match gc.map(|g| get(r, g)) {
            None | Some("") => None,
            Some(g) => Some(g.parse::<u32>().map_err(|_| Problem::BadGroup)?),
        };
        groups.insert(voter.clone(), group);
        if want_votes {
            for (i, sid) in &cols {
                let v = get(r, *i);
                if !v.is_empty() {
                    votes.push(PolisVote {
                        statement: sid.clone(),
                        voter: voter.clone(),
                        vote: vote(v)?,
                        timestamp_ms: line as i64,
                    });
                }
            }
        }
        Ok(())
    })?;
    Ok((votes, groups, cols.into_iter().map(|(_, h)| h).collect()))
}

/// Reads an export from the bytes of its files (see the module documentation).
/// `votes` is used when given, otherwise `participants_votes`; for an analysis,
/// `participants_votes` given beside `votes` still gives Polis's groups.
pub fn parse_export(
    comments: &[u8],
    votes: Option<&[u8]>,
    participants_votes: Option<&[u8]>,
    strict: Strictness,
) -> Result<PolisRecords, ImportError> {
    let (statements, group_informed_consensus) = read_comments(comments, strict)?;
    let known: HashSet<String> = statements.iter().map(|s| s.id.clone()).collect();
    let with_groups = strict == Strictness::Analysis;
    let (votes, groups, source, columns) = match (votes, participants_votes) {
        (Some(v), pv) => {
            let votes = read_votes(v, strict, &known)?;
            let groups = match pv {
                Some(pv) if with_groups => {
                    Some(read_participants_votes(pv, strict, &known, false)?.1)
                }
                _ => None,
            };
            (votes, groups, VoteSource::VotesCsv, Vec::new())
        }
        (None, Some(pv)) => {
            let (votes, groups, columns) = read_participants_votes(pv, strict, &known, true)?;
            (
                votes,
                with_groups.then_some(groups),
                VoteSource::ParticipantsVotesCsv,
                columns,
            )
        }
        (None, None) => {
            return Err(ImportError {
                file: "votes.csv",
                line: 0,
                problem: Problem::NoVotes,
            })
        }
    };
    Ok(PolisRecords {
        statements,
        votes,
        source,
        groups,
        group_informed_consensus,
        columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_two_strictnesses_differ_only_where_documented() {
        let comments = "comment-id,moderated\n0,1\n1,-1\n";
        let votes = "timestamp,comment-id,voter-id,vote\n1,0,a,1\n2,7,a,-1.0\n";
        let r = parse_export(
            comments.as_bytes(),
            Some(votes.as_bytes()),
            None,
            Strictness::Analysis,
        )
        .unwrap();
        assert_eq!(
            r.votes.len(),
            2,
            "a vote on a statement comments.csv lacks is kept"
        );
        assert_eq!(r.votes[1].vote, -1);
        let e = parse_export(
            comments.as_bytes(),
            Some(votes.as_bytes()),
            None,
            Strictness::Import,
        )
        .unwrap_err();
        assert_eq!(e.problem, Problem::MissingColumn("comment-body".into()));
        let comments = "comment-id,comment-body\n0,Open the crossing\n";
        let e = parse_export(
            comments.as_bytes(),
            Some(votes.as_bytes()),
            None,
            Strictness::Import,
        )
        .unwrap_err();
        assert_eq!(
            (e.line, e.problem),
            (3, Problem::UnknownStatement("7".into()))
        );
    }

    proptest! {
        #[test]
        fn never_panics(a in proptest::collection::vec(any::<u8>(), 0..300), b in proptest::collection::vec(any::<u8>(), 0..300)) {
            for strict in [Strictness::Import, Strictness::Analysis] {
                let _ = parse_export(&a, Some(&b), None, strict);
                let _ = parse_export(&a, None, Some(&b), strict);
            }
        }
    }
}
