//! Reading a Polis export (`comments.csv` with `votes.csv` or
//! `participants-votes.csv`) for import. Any malformed line is an error naming the
//! file and the line, and nothing is returned half-read.

use std::collections::HashSet;

use super::Vote;

/// Longest imported statement, in characters (Polis allows longer statements than
/// Convene's own form).
pub const MAX_IMPORTED_CHARS: usize = 2000;

#[derive(Debug, Clone, PartialEq)]
pub struct PolisStatement {
    pub id: String,
    pub body: String,
    /// 1 accepted, 0 not moderated, −1 moderated out.
    pub moderated: i64,
    pub is_seed: bool,
    pub author: Option<String>,
    pub timestamp_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PolisVote {
    pub statement: String,
    pub voter: String,
    pub vote: Vote,
    pub timestamp_ms: i64,
}

/// A whole export, checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PolisData {
    pub statements: Vec<PolisStatement>,
    pub votes: Vec<PolisVote>,
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
    /// An empty statement, or one longer than [`MAX_IMPORTED_CHARS`].
    BadStatement,
    /// Neither `votes.csv` nor `participants-votes.csv` was given.
    NoVotes,
}

impl Problem {
    /// The translation key of the message.
    pub fn key(&self) -> &'static str {
        match self {
            Problem::MissingColumn(_) => "opinion-import-missing-column",
            Problem::Syntax => "opinion-import-syntax",
            Problem::NotANumber(_) => "opinion-import-not-number",
            Problem::BadVote => "opinion-import-bad-vote",
            Problem::UnknownStatement(_) => "opinion-import-unknown-statement",
            Problem::DuplicateStatement(_) => "opinion-import-duplicate",
            Problem::BadStatement => "opinion-import-bad-statement",
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
            Problem::BadStatement => "the statement is empty or longer than 2000 characters".into(),
            Problem::NoVotes => "give votes.csv or participants-votes.csv".into(),
        }
    }

    /// The column or id the message names, if any.
    pub fn detail(&self) -> &str {
        match self {
            Problem::MissingColumn(s)
            | Problem::NotANumber(s)
            | Problem::UnknownStatement(s)
            | Problem::DuplicateStatement(s) => s,
            _ => "",
        }
    }
}

/// A malformed file: which file, which line (1 is the header), what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, line {line}: {problem:?}")]
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
            .map(|h| h.trim().to_string())
            .collect();
        Ok(Csv {
            file,
            headers,
            reader,
        })
    }

    fn col(&self, name: &str) -> Result<usize, ImportError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| self.err(1, Problem::MissingColumn(name.to_string())))
    }

    fn opt_col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    fn err(&self, line: u64, problem: Problem) -> ImportError {
        ImportError {
            file: self.file,
            line,
            problem,
        }
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

fn number(v: &str, column: &str) -> Result<i64, Problem> {
    v.parse::<i64>()
        .or_else(|_| v.parse::<f64>().map(|f| f as i64).map_err(|_| ()))
        .map_err(|_| Problem::NotANumber(column.to_string()))
}

fn vote(v: &str) -> Result<Vote, Problem> {
    v.parse::<i64>()
        .ok()
        .and_then(Vote::from_i64)
        .ok_or(Problem::BadVote)
}

/// Reads an export from the bytes of its files. `votes` (every vote, latest wins)
/// is used when given, otherwise `participants_votes` (the final matrix).
pub fn parse(
    comments: &[u8],
    votes: Option<&[u8]>,
    participants_votes: Option<&[u8]>,
) -> Result<PolisData, ImportError> {
    let mut c = Csv::open("comments.csv", comments)?;
    let id_col = c.col("comment-id")?;
    let body_col = c.col("comment-body")?;
    let mod_col = c.opt_col("moderated");
    let seed_col = c.opt_col("is-seed");
    let author_col = c.opt_col("author-id");
    let ts_col = c.opt_col("timestamp");
    let mut statements = Vec::new();
    let mut ids = HashSet::new();
    c.each(|r, _| {
        let id = get(r, id_col).to_string();
        if id.is_empty() {
            return Err(Problem::NotANumber("comment-id".into()));
        }
        if !ids.insert(id.clone()) {
            return Err(Problem::DuplicateStatement(id));
        }
        let body = get(r, body_col).to_string();
        let n = body.chars().count();
        if n == 0 || n > MAX_IMPORTED_CHARS {
            return Err(Problem::BadStatement);
        }
        let moderated = match mod_col.map(|m| get(r, m)) {
            None | Some("") => 1,
            Some(v) => number(v, "moderated")?.clamp(-1, 1),
        };
        let timestamp_ms = match ts_col.map(|t| get(r, t)) {
            None | Some("") => None,
            Some(v) => Some(number(v, "timestamp")?),
        };
        statements.push(PolisStatement {
            id,
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
    let mut out = Vec::new();
    if let Some(v) = votes {
        let mut c = Csv::open("votes.csv", v)?;
        let sc = c.col("comment-id")?;
        let vc = c.col("voter-id")?;
        let votec = c.col("vote")?;
        let tc = c.opt_col("timestamp");
        c.each(|r, line| {
            let statement = get(r, sc).to_string();
            if !ids.contains(&statement) {
                return Err(Problem::UnknownStatement(statement));
            }
            let voter = get(r, vc).to_string();
            if voter.is_empty() {
                return Err(Problem::NotANumber("voter-id".into()));
            }
            let timestamp_ms = match tc.map(|t| get(r, t)) {
                None | Some("") => line as i64,
                Some(t) => number(t, "timestamp")?,
            };
            out.push(PolisVote {
                statement,
                voter,
                vote: vote(get(r, votec))?,
                timestamp_ms,
            });
            Ok(())
        })?;
    } else if let Some(pv) = participants_votes {
        let mut c = Csv::open("participants-votes.csv", pv)?;
        let pc = c.col("participant")?;
        let cols: Vec<(usize, String)> = c
            .headers
            .iter()
            .enumerate()
            .filter(|(_, h)| ids.contains(*h))
            .map(|(i, h)| (i, h.clone()))
            .collect();
        c.each(|r, line| {
            let voter = get(r, pc).to_string();
            if voter.is_empty() {
                return Err(Problem::NotANumber("participant".into()));
            }
            for (i, id) in &cols {
                let v = get(r, *i);
                if !v.is_empty() {
                    out.push(PolisVote {
                        statement: id.clone(),
                        voter: voter.clone(),
                        vote: vote(v)?,
                        timestamp_ms: line as i64,
                    });
                }
            }
            Ok(())
        })?;
    } else {
        return Err(ImportError {
            file: "votes.csv",
            line: 0,
            problem: Problem::NoVotes,
        });
    }
    Ok(PolisData {
        statements,
        votes: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const COMMENTS: &str =
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n\
        1000,x,0,5,1,0,1,Open the crossing\n\
        2000,x,1,6,0,1,-1,\"Quoted, with comma\"\n";

    #[test]
    fn reads_votes_and_matrix() {
        let votes =
            "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,5,1\n2,x,1,6,-1\n3,x,0,5,0\n";
        let d = parse(COMMENTS.as_bytes(), Some(votes.as_bytes()), None).unwrap();
        assert_eq!(d.statements.len(), 2);
        assert_eq!(d.statements[1].body, "Quoted, with comma");
        assert_eq!(d.statements[1].moderated, -1);
        assert_eq!(d.votes.len(), 3);
        assert_eq!(d.votes[2].vote, Vote::Pass);
        let pv = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n5,0,1,1,1,0,1,\n6,1,1,1,0,1,,-1\n";
        let d = parse(COMMENTS.as_bytes(), None, Some(pv.as_bytes())).unwrap();
        assert_eq!(d.votes.len(), 2);
        assert_eq!(d.votes[1].statement, "1");
        assert_eq!(d.votes[1].vote, Vote::Disagree);
    }

    #[test]
    fn errors_name_file_and_line() {
        let votes = "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,5,1\n2,x,0,6,2\n";
        let e = parse(COMMENTS.as_bytes(), Some(votes.as_bytes()), None).unwrap_err();
        assert_eq!(
            (e.file, e.line, e.problem),
            ("votes.csv", 3, Problem::BadVote)
        );
        let votes = "timestamp,datetime,comment-id,voter-id,vote\n1,x,9,5,1\n";
        let e = parse(COMMENTS.as_bytes(), Some(votes.as_bytes()), None).unwrap_err();
        assert_eq!(e.problem, Problem::UnknownStatement("9".into()));
        let e = parse(b"comment-id,text\n1,a\n", Some(b"x"), None).unwrap_err();
        assert_eq!(
            (e.file, e.line, e.problem),
            (
                "comments.csv",
                1,
                Problem::MissingColumn("comment-body".into())
            )
        );
        let bad = "comment-id,comment-body\n1,a\n2,b,extra\n";
        let e = parse(bad.as_bytes(), Some(b"comment-id,voter-id,vote\n"), None).unwrap_err();
        assert_eq!(
            (e.file, e.line, e.problem),
            ("comments.csv", 3, Problem::Syntax)
        );
        let dup = "comment-id,comment-body\n1,a\n1,b\n";
        let e = parse(dup.as_bytes(), Some(b"comment-id,voter-id,vote\n"), None).unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(
            parse(COMMENTS.as_bytes(), None, None).unwrap_err().problem,
            Problem::NoVotes
        );
    }

    proptest! {
        #[test]
        fn never_panics(a in proptest::collection::vec(any::<u8>(), 0..300), b in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = parse(&a, Some(&b), None);
            let _ = parse(&a, None, Some(&b));
        }

        #[test]
        fn round_trips_written_votes(votes in proptest::collection::vec((0u8..3, 0u8..20, -1i64..=1), 0..60)) {
            let mut v = String::from("timestamp,datetime,comment-id,voter-id,vote\n");
            for (i, (s, p, x)) in votes.iter().enumerate() {
                v.push_str(&format!("{i},d,{s},{p},{x}\n"));
            }
            let c = "comment-id,comment-body,moderated\n0,a,1\n1,\"b, \"\"c\"\"\",0\n2,d,-1\n";
            let d = parse(c.as_bytes(), Some(v.as_bytes()), None).unwrap();
            prop_assert_eq!(d.statements[1].body.as_str(), "b, \"c\"");
            prop_assert_eq!(d.votes.len(), votes.len());
            for (got, (s, p, x)) in d.votes.iter().zip(&votes) {
                prop_assert_eq!(&got.statement, &s.to_string());
                prop_assert_eq!(&got.voter, &p.to_string());
                prop_assert_eq!(got.vote.as_i64(), *x);
            }
        }
    }
}
