//! Reading a Polis export folder for analysis.
//!
//! A folder holds `comments.csv` and either `votes.csv` (every vote, with
//! re-votes) or only `participants-votes.csv` (the final vote matrix, one row
//! per participant, one column per statement). The files are read by the one Polis
//! reader ([`super::polis_records`]), which the import uses too; this module builds
//! the vote matrix from its records. Statements with `moderated = -1` are excluded.
//! Any malformed line is an error naming the file and the line; nothing is returned
//! half-loaded.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::error::OpinionError;
use super::matrix::{IndexedVote, VoteMatrix};
pub use super::polis_records::VoteSource;
use super::polis_records::{parse_export, ImportError, Problem, Strictness};

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

fn read(path: &Path) -> Result<Vec<u8>, OpinionError> {
    std::fs::read(path).map_err(|source| OpinionError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn folder_error(dir: &Path, e: ImportError) -> OpinionError {
    let path = dir.join(e.file);
    match e.problem {
        Problem::MissingColumn(column) => OpinionError::MissingColumn { path, column },
        p => OpinionError::Malformed {
            path,
            line: e.line,
            message: p.describe(),
        },
    }
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
    let comments = read(&comments_path)?;
    let votes = if has_votes {
        Some(read(&votes_path)?)
    } else {
        None
    };
    let pv = if has_pv { Some(read(&pv_path)?) } else { None };
    let rec = parse_export(
        &comments,
        votes.as_deref(),
        pv.as_deref(),
        Strictness::Analysis,
    )
    .map_err(|e| folder_error(dir, e))?;
    let internal = |message: String| OpinionError::Malformed {
        path: dir.to_path_buf(),
        line: 0,
        message,
    };
    // Statements: those of comments.csv, then the matrix's columns, then any that
    // only votes name; participants as they appear. Both are sorted below, so the
    // order of first appearance does not reach the matrix.
    let mut statements = Interner::default();
    for s in &rec.statements {
        statements.get(&s.id).map_err(internal)?;
    }
    let mut participants = Interner::default();
    if rec.source == VoteSource::ParticipantsVotesCsv {
        for c in &rec.columns {
            statements.get(c).map_err(internal)?;
        }
        for p in rec.groups.iter().flat_map(|g| g.keys()) {
            participants.get(p).map_err(internal)?;
        }
    }
    let mut votes = Vec::with_capacity(rec.votes.len());
    for v in &rec.votes {
        votes.push(IndexedVote {
            participant: participants.get(&v.voter).map_err(internal)?,
            statement: statements.get(&v.statement).map_err(internal)?,
            timestamp: v.timestamp_ms,
            value: v.vote,
        });
    }
    let mut moderated_out: Vec<String> = rec
        .statements
        .iter()
        .filter(|s| s.moderated == -1)
        .map(|s| s.id.clone())
        .collect();
    let moderated: Vec<u32> = moderated_out
        .iter()
        .filter_map(|id| statements.index.get(id).copied())
        .collect();
    let (participant_ids, p_remap) = participants.sorted();
    let (statement_ids, s_remap) = statements.sorted();
    for v in &mut votes {
        v.participant = p_remap[v.participant as usize];
        v.statement = s_remap[v.statement as usize];
    }
    let moderated: Vec<u32> = moderated.iter().map(|&s| s_remap[s as usize]).collect();
    let matrix = VoteMatrix::from_votes(participant_ids, statement_ids, &votes, &moderated)?;
    moderated_out.sort_by(|a, b| id_order(a, b));
    Ok(PolisExport {
        matrix,
        moderated_out,
        polis_groups: rec.groups,
        exported_group_informed_consensus: rec.group_informed_consensus,
        source: rec.source,
    })
}
