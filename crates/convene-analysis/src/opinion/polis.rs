//! Reading a Polis export folder.
//!
//! A folder holds `comments.csv` and either `votes.csv` (every vote, with
//! re-votes) or only `participants-votes.csv` (the final vote matrix, one row
//! per participant, one column per statement). Statements with `moderated = -1`
//! are excluded. Any malformed line is an error naming the file and the line;
//! nothing is returned half-loaded.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::error::OpinionError;
use super::matrix::{IndexedVote, VoteMatrix};

/// Which file the votes came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteSource {
    /// `votes.csv`: every vote with its timestamp; the latest wins.
    VotesCsv,
    /// `participants-votes.csv`: the final matrix.
    ParticipantsVotesCsv,
}

/// Everything read from a Polis export folder.
#[derive(Debug, Clone, PartialEq)]
pub struct PolisExport {
    /// The vote matrix (moderated-out statements excluded).
    pub matrix: VoteMatrix,
    /// Ids of the statements that were moderated out.
    pub moderated_out: Vec<String>,
    /// Group Polis assigned to each participant (`group-id` of
    /// `participants-votes.csv`), when that file is present; `None` where empty.
    pub polis_groups: Option<BTreeMap<String, Option<u32>>>,
    /// The `group-informed-consensus` column of `comments.csv`, when present.
    pub exported_group_informed_consensus: Option<BTreeMap<String, f64>>,
    /// Where the votes came from.
    pub source: VoteSource,
}

/// Orders ids numerically when they are numbers, otherwise as text.
pub(crate) fn id_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

struct Table {
    path: PathBuf,
    headers: Vec<String>,
    reader: csv::Reader<std::fs::File>,
}

impl Table {
    fn open(path: PathBuf) -> Result<Self, OpinionError> {
        let file = std::fs::File::open(&path).map_err(|source| OpinionError::Io {
            path: path.clone(),
            source,
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(file);
        let headers = reader
            .headers()
            .map_err(|e| csv_error(&path, &e))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        Ok(Self {
            path,
            headers,
            reader,
        })
    }

    fn column(&self, name: &str) -> Result<usize, OpinionError> {
        self.optional_column(name)
            .ok_or_else(|| OpinionError::MissingColumn {
                path: self.path.clone(),
                column: name.to_string(),
            })
    }

    fn optional_column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Calls `f` on every record with its line number.
    fn for_each(
        &mut self,
        mut f: impl FnMut(&csv::StringRecord, u64) -> Result<(), String>,
    ) -> Result<(), OpinionError> {
        let mut record = csv::StringRecord::new();
        loop {
            match self.reader.read_record(&mut record) {
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line());
                    f(&record, line).map_err(|message| OpinionError::Malformed {
                        path: self.path.clone(),
                        line,
                        message,
                    })?;
                }
                Ok(false) => return Ok(()),
                Err(e) => return Err(csv_error(&self.path, &e)),
            }
        }
    }
}

fn csv_error(path: &Path, e: &csv::Error) -> OpinionError {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
        csv::ErrorKind::Io(io) => format!("read error: {io}"),
        _ => e.to_string(),
    };
    OpinionError::Malformed {
        path: path.to_path_buf(),
        line,
        message,
    }
}

fn field<'r>(record: &'r csv::StringRecord, index: usize, name: &str) -> Result<&'r str, String> {
    record
        .get(index)
        .map(str::trim)
        .ok_or_else(|| format!("missing field `{name}`"))
}

fn parse_id<'r>(
    record: &'r csv::StringRecord,
    index: usize,
    name: &str,
) -> Result<&'r str, String> {
    let v = field(record, index, name)?;
    if v.is_empty() {
        return Err(format!("empty `{name}`"));
    }
    Ok(v)
}

fn parse_vote(text: &str, name: &str) -> Result<i8, String> {
    match text {
        "1" | "1.0" | "+1" => Ok(1),
        "-1" | "-1.0" => Ok(-1),
        "0" | "0.0" | "-0" => Ok(0),
        other => Err(format!("`{name}` must be -1, 0 or 1, found `{other}`")),
    }
}

struct Comments {
    /// All statement ids in `comments.csv`, in file order.
    ids: Vec<String>,
    moderated_out: Vec<String>,
    gic: Option<BTreeMap<String, f64>>,
}

fn read_comments(path: PathBuf) -> Result<Comments, OpinionError> {
    let mut t = Table::open(path)?;
    let id_col = t.column("comment-id")?;
    let mod_col = t.column("moderated")?;
    let gic_col = t.optional_column("group-informed-consensus");
    let mut ids = Vec::new();
    let mut seen = HashMap::new();
    let mut moderated_out = Vec::new();
    let mut gic = gic_col.map(|_| BTreeMap::new());
    t.for_each(|r, line| {
        let id = parse_id(r, id_col, "comment-id")?.to_string();
        if let Some(first) = seen.insert(id.clone(), line) {
            return Err(format!("comment-id {id} already appears on line {first}"));
        }
        let m = field(r, mod_col, "moderated")?;
        let moderated: i64 = m
            .parse()
            .map_err(|_| format!("`moderated` must be -1, 0 or 1, found `{m}`"))?;
        if !(-1..=1).contains(&moderated) {
            return Err(format!("`moderated` must be -1, 0 or 1, found `{m}`"));
        }
        if moderated == -1 {
            moderated_out.push(id.clone());
        }
        if let (Some(col), Some(map)) = (gic_col, gic.as_mut()) {
            let g = field(r, col, "group-informed-consensus")?;
            if !g.is_empty() {
                let value: f64 = g.parse().map_err(|_| {
                    format!("`group-informed-consensus` must be a number, found `{g}`")
                })?;
                map.insert(id.clone(), value);
            }
        }
        ids.push(id);
        Ok(())
    })?;
    Ok(Comments {
        ids,
        moderated_out,
        gic,
    })
}

/// Collects ids, assigning indices in order of first appearance.
#[derive(Default)]
struct Interner {
    index: HashMap<String, u32>,
    ids: Vec<String>,
}

impl Interner {
    fn get(&mut self, id: &str) -> Result<u32, String> {
        if let Some(&i) = self.index.get(id) {
            return Ok(i);
        }
        let i = u32::try_from(self.ids.len()).map_err(|_| "too many distinct ids".to_string())?;
        self.index.insert(id.to_string(), i);
        self.ids.push(id.to_string());
        Ok(i)
    }

    /// Sorted ids and the map from old to new index.
    fn sorted(self) -> (Vec<String>, Vec<u32>) {
        let mut order: Vec<usize> = (0..self.ids.len()).collect();
        order.sort_by(|&a, &b| id_order(&self.ids[a], &self.ids[b]));
        let mut remap = vec![0u32; self.ids.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old] = new as u32;
        }
        let mut ids = self.ids;
        let sorted = order.iter().map(|&o| std::mem::take(&mut ids[o])).collect();
        (sorted, remap)
    }
}

fn statements_interner(comments: &Comments) -> Result<Interner, String> {
    let mut s = Interner::default();
    for id in &comments.ids {
        s.get(id)?;
    }
    Ok(s)
}

fn read_votes_csv(
    path: PathBuf,
    statements: &mut Interner,
) -> Result<(Interner, Vec<IndexedVote>), OpinionError> {
    let mut t = Table::open(path)?;
    let ts_col = t.column("timestamp")?;
    let c_col = t.column("comment-id")?;
    let p_col = t.column("voter-id")?;
    let v_col = t.column("vote")?;
    let mut participants = Interner::default();
    let mut votes = Vec::new();
    t.for_each(|r, _line| {
        let ts = field(r, ts_col, "timestamp")?;
        let timestamp: i64 = ts
            .parse()
            .map_err(|_| format!("`timestamp` must be an integer, found `{ts}`"))?;
        let statement = statements.get(parse_id(r, c_col, "comment-id")?)?;
        let participant = participants.get(parse_id(r, p_col, "voter-id")?)?;
        let value = parse_vote(field(r, v_col, "vote")?, "vote")?;
        votes.push(IndexedVote {
            participant,
            statement,
            timestamp,
            value,
        });
        Ok(())
    })?;
    Ok((participants, votes))
}

const META_COLUMNS: [&str; 7] = [
    "participant",
    "xid",
    "group-id",
    "n-comments",
    "n-votes",
    "n-agree",
    "n-disagree",
];

type ParticipantsVotes = (Interner, Vec<IndexedVote>, BTreeMap<String, Option<u32>>);

fn read_participants_votes(
    path: PathBuf,
    statements: &mut Interner,
    want_votes: bool,
) -> Result<ParticipantsVotes, OpinionError> {
    let mut t = Table::open(path)?;
    let p_col = t.column("participant")?;
    let g_col = t.column("group-id")?;
    let mut vote_cols = Vec::new();
    for (i, h) in t.headers.iter().enumerate() {
        if !META_COLUMNS.contains(&h.as_str()) {
            if h.is_empty() {
                return Err(OpinionError::Malformed {
                    path: t.path.clone(),
                    line: 1,
                    message: format!("column {} has an empty name", i + 1),
                });
            }
            if want_votes {
                let s = statements
                    .get(h)
                    .map_err(|message| OpinionError::Malformed {
                        path: t.path.clone(),
                        line: 1,
                        message,
                    })?;
                vote_cols.push((i, s, h.clone()));
            }
        }
    }
    let mut participants = Interner::default();
    let mut votes = Vec::new();
    let mut groups = BTreeMap::new();
    t.for_each(|r, line| {
        let id = parse_id(r, p_col, "participant")?.to_string();
        if groups.contains_key(&id) {
            return Err(format!("participant {id} appears twice"));
        }
        let g = field(r, g_col, "group-id")?;
        let group =
            if g.is_empty() {
                None
            } else {
                Some(g.parse::<u32>().map_err(|_| {
                    format!("`group-id` must be empty or a group number, found `{g}`")
                })?)
            };
        groups.insert(id.clone(), group);
        let participant = participants.get(&id)?;
        if want_votes {
            for (col, statement, name) in &vote_cols {
                let v = field(r, *col, name)?;
                if !v.is_empty() {
                    votes.push(IndexedVote {
                        participant,
                        statement: *statement,
                        timestamp: i64::try_from(line).unwrap_or(i64::MAX),
                        value: parse_vote(v, name)?,
                    });
                }
            }
        }
        Ok(())
    })?;
    Ok((participants, votes, groups))
}

/// Reads a Polis export folder (see the module documentation).
pub fn read_polis_folder(dir: &Path) -> Result<PolisExport, OpinionError> {
    if !dir.is_dir() {
        return Err(OpinionError::MissingFile {
            path: dir.to_path_buf(),
            what: "a Polis export folder",
        });
    }
    let comments_path = dir.join("comments.csv");
    if !comments_path.is_file() {
        return Err(OpinionError::MissingFile {
            path: comments_path,
            what: "the statements of the conversation",
        });
    }
    let comments = read_comments(comments_path.clone())?;
    let mut statements =
        statements_interner(&comments).map_err(|message| OpinionError::Malformed {
            path: comments_path,
            line: 0,
            message,
        })?;
    let votes_path = dir.join("votes.csv");
    let pv_path = dir.join("participants-votes.csv");
    let has_votes = votes_path.is_file();
    let has_pv = pv_path.is_file();
    if !has_votes && !has_pv {
        return Err(OpinionError::MissingFile {
            path: votes_path,
            what: "votes.csv or participants-votes.csv",
        });
    }
    let (participants, votes, polis_groups, source) = if has_votes {
        let (participants, votes) = read_votes_csv(votes_path, &mut statements)?;
        let groups = if has_pv {
            Some(read_participants_votes(pv_path, &mut statements, false)?.2)
        } else {
            None
        };
        (participants, votes, groups, VoteSource::VotesCsv)
    } else {
        let (p, v, g) = read_participants_votes(pv_path, &mut statements, true)?;
        (p, v, Some(g), VoteSource::ParticipantsVotesCsv)
    };
    let (participant_ids, p_remap) = participants.sorted();
    let moderated: Vec<u32> = comments
        .moderated_out
        .iter()
        .filter_map(|id| statements.index.get(id).copied())
        .collect();
    let (statement_ids, s_remap) = statements.sorted();
    let mut votes = votes;
    for v in &mut votes {
        v.participant = p_remap[v.participant as usize];
        v.statement = s_remap[v.statement as usize];
    }
    let moderated: Vec<u32> = moderated.iter().map(|&s| s_remap[s as usize]).collect();
    let matrix = VoteMatrix::from_votes(participant_ids, statement_ids, &votes, &moderated)?;
    let mut moderated_out = comments.moderated_out;
    moderated_out.sort_by(|a, b| id_order(a, b));
    Ok(PolisExport {
        matrix,
        moderated_out,
        polis_groups,
        exported_group_informed_consensus: comments.gic,
        source,
    })
}
