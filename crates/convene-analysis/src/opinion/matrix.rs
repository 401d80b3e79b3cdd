//! The sparse participant × statement vote matrix.

use super::error::OpinionError;

/// One vote as given to [`VoteMatrix::from_votes`]: participant and statement are
/// indices into the id lists given alongside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexedVote {
    /// Row: index into the participant ids.
    pub participant: u32,
    /// Column: index into the statement ids.
    pub statement: u32,
    /// When the vote was cast. Among several votes of one participant on one
    /// statement the one with the greatest timestamp wins; on equal timestamps,
    /// the one given last wins.
    pub timestamp: i64,
    /// +1 agree, -1 disagree, 0 pass.
    pub value: i8,
}

/// Participant × statement matrix of votes (agree = +1, disagree = -1, pass = 0),
/// stored row by row (compressed sparse rows): a missing entry means "not voted".
///
/// Statements that were moderated out are simply not columns of the matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct VoteMatrix {
    participants: Vec<String>,
    statements: Vec<String>,
    row_start: Vec<usize>,
    columns: Vec<u32>,
    values: Vec<i8>,
    /// Per participant: how many of the excluded statements they voted on.
    excluded_votes: Vec<u32>,
    /// How many excluded statements received at least one vote.
    excluded_voted_statements: usize,
    /// How many columns received at least one vote.
    voted_statements: usize,
}

impl VoteMatrix {
    /// Builds the matrix from votes in any order.
    ///
    /// Duplicates (same participant, same statement) are resolved as "latest vote
    /// wins" (see [`IndexedVote::timestamp`]). Votes on statements listed in
    /// `excluded_statements` (moderated out) are ignored, and those statements
    /// are not columns of the result.
    pub fn from_votes(
        participants: Vec<String>,
        statements: Vec<String>,
        votes: &[IndexedVote],
        excluded_statements: &[u32],
    ) -> Result<Self, OpinionError> {
        let n_rows = participants.len();
        let n_cols = statements.len();
        if n_rows >= u32::MAX as usize {
            return Err(OpinionError::TooLarge {
                what: "participants",
                count: n_rows,
                max: u32::MAX as usize - 1,
            });
        }
        if n_cols >= u32::MAX as usize {
            return Err(OpinionError::TooLarge {
                what: "statements",
                count: n_cols,
                max: u32::MAX as usize - 1,
            });
        }
        if votes.len() >= u32::MAX as usize {
            return Err(OpinionError::TooLarge {
                what: "votes",
                count: votes.len(),
                max: u32::MAX as usize - 1,
            });
        }
        // Map old column index -> new column index (u32::MAX = excluded).
        let mut keep = vec![true; n_cols];
        for &s in excluded_statements {
            if let Some(k) = keep.get_mut(s as usize) {
                *k = false;
            }
        }
        let mut new_index = vec![u32::MAX; n_cols];
        let mut kept_statements = Vec::with_capacity(n_cols);
        for (i, (id, k)) in statements.into_iter().zip(keep.iter()).enumerate() {
            if *k {
                if let Some(slot) = new_index.get_mut(i) {
                    *slot = kept_statements.len() as u32;
                }
                kept_statements.push(id);
            }
        }

        // Validate and count votes per row (counting sort by participant keeps input order).
        let mut counts = vec![0usize; n_rows + 1];
        let mut excluded_seen = vec![false; n_cols];
        let mut excluded_pairs: Vec<(u32, u32)> = Vec::new();
        for (i, v) in votes.iter().enumerate() {
            if v.participant as usize >= n_rows {
                return Err(OpinionError::IndexOutOfRange {
                    index: i,
                    what: "participant",
                    value: v.participant,
                    len: n_rows,
                });
            }
            if v.statement as usize >= n_cols {
                return Err(OpinionError::IndexOutOfRange {
                    index: i,
                    what: "statement",
                    value: v.statement,
                    len: n_cols,
                });
            }
            if !(-1..=1).contains(&v.value) {
                return Err(OpinionError::InvalidVote {
                    index: i,
                    value: i64::from(v.value),
                });
            }
            if new_index[v.statement as usize] != u32::MAX {
                counts[v.participant as usize + 1] += 1;
            } else {
                excluded_seen[v.statement as usize] = true;
                excluded_pairs.push((v.participant, v.statement));
            }
        }
        excluded_pairs.sort_unstable();
        excluded_pairs.dedup();
        let mut excluded_votes = vec![0u32; n_rows];
        for &(p, _) in &excluded_pairs {
            excluded_votes[p as usize] += 1;
        }
        let excluded_voted_statements = excluded_seen.iter().filter(|&&x| x).count();
        for r in 0..n_rows {
            counts[r + 1] += counts[r];
        }
        let total = counts[n_rows];
        let mut order = vec![0u32; total];
        let mut fill = counts.clone();
        for (i, v) in votes.iter().enumerate() {
            if new_index[v.statement as usize] != u32::MAX {
                let slot = &mut fill[v.participant as usize];
                order[*slot] = i as u32;
                *slot += 1;
            }
        }

        let mut row_start = Vec::with_capacity(n_rows + 1);
        let mut columns = Vec::with_capacity(total);
        let mut values = Vec::with_capacity(total);
        row_start.push(0);
        let mut scratch: Vec<(u32, i64, u32)> = Vec::new();
        for r in 0..n_rows {
            scratch.clear();
            for &i in &order[counts[r]..counts[r + 1]] {
                let v = votes[i as usize];
                scratch.push((new_index[v.statement as usize], v.timestamp, i));
            }
            // (statement, timestamp, input position) is unique, so an unstable sort is exact.
            scratch.sort_unstable();
            let mut k = 0;
            while k < scratch.len() {
                let col = scratch[k].0;
                let mut last = k;
                while last + 1 < scratch.len() && scratch[last + 1].0 == col {
                    last += 1;
                }
                columns.push(col);
                values.push(votes[scratch[last].2 as usize].value);
                k = last + 1;
            }
            row_start.push(columns.len());
        }
        let mut column_voted = vec![false; kept_statements.len()];
        for &c in &columns {
            if let Some(v) = column_voted.get_mut(c as usize) {
                *v = true;
            }
        }
        let voted_statements = column_voted.iter().filter(|&&v| v).count();
        Ok(Self {
            voted_statements,
            participants,
            statements: kept_statements,
            row_start,
            columns,
            values,
            excluded_votes,
            excluded_voted_statements,
        })
    }

    /// Participant ids, one per row.
    pub fn participants(&self) -> &[String] {
        &self.participants
    }

    /// Statement ids, one per column (moderated-out statements excluded).
    pub fn statements(&self) -> &[String] {
        &self.statements
    }

    /// Number of rows.
    pub fn n_participants(&self) -> usize {
        self.participants.len()
    }

    /// Number of columns.
    pub fn n_statements(&self) -> usize {
        self.statements.len()
    }

    /// Number of columns (statements) that received at least one vote.
    pub fn n_voted_statements(&self) -> usize {
        self.voted_statements
    }

    /// Number of stored votes.
    pub fn n_votes(&self) -> usize {
        self.values.len()
    }

    /// The votes of one participant: (column, value) pairs in increasing column order.
    pub fn row(&self, participant: usize) -> impl Iterator<Item = (usize, i8)> + '_ {
        let (cols, vals) = self.row_slices(participant);
        cols.iter().zip(vals).map(|(&c, &v)| (c as usize, v))
    }

    /// Number of votes cast by one participant.
    pub fn row_len(&self, participant: usize) -> usize {
        match (
            self.row_start.get(participant),
            self.row_start.get(participant + 1),
        ) {
            (Some(a), Some(b)) => b - a,
            _ => 0,
        }
    }

    /// How many moderated-out (excluded) statements this participant voted on.
    pub fn excluded_votes(&self, participant: usize) -> usize {
        self.excluded_votes
            .get(participant)
            .map_or(0, |&n| n as usize)
    }

    /// How many moderated-out (excluded) statements received at least one vote.
    pub fn excluded_voted_statements(&self) -> usize {
        self.excluded_voted_statements
    }

    /// The vote of `participant` on `statement`, if any.
    pub fn get(&self, participant: usize, statement: usize) -> Option<i8> {
        let (cols, vals) = self.row_slices(participant);
        let s = u32::try_from(statement).ok()?;
        cols.binary_search(&s)
            .ok()
            .and_then(|i| vals.get(i).copied())
    }

    pub(crate) fn row_slices(&self, participant: usize) -> (&[u32], &[i8]) {
        match (
            self.row_start.get(participant),
            self.row_start.get(participant + 1),
        ) {
            (Some(&a), Some(&b)) => (
                self.columns.get(a..b).unwrap_or(&[]),
                self.values.get(a..b).unwrap_or(&[]),
            ),
            _ => (&[], &[]),
        }
    }
}
