//! Reading a Polis export (`comments.csv` with `votes.csv` or
//! `participants-votes.csv`) for import, through the one Polis reader of the
//! analysis crate (`convene_analysis::opinion::polis_records`) at its import
//! strictness: every statement has a text, every vote names a statement. Any
//! malformed line is an error naming the file and the line, and nothing is returned
//! half-read.

use convene_analysis::opinion::polis_records::{parse_export, Strictness};
pub use convene_analysis::opinion::polis_records::{
    ImportError, PolisStatement, Problem, MAX_IMPORTED_CHARS,
};

use super::Vote;

/// A vote to import.
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

/// Reads an export from the bytes of its files. `votes` (every vote, latest wins)
/// is used when given, otherwise `participants_votes` (the final matrix).
pub fn parse(
    comments: &[u8],
    votes: Option<&[u8]>,
    participants_votes: Option<&[u8]>,
) -> Result<PolisData, ImportError> {
    let rec = parse_export(comments, votes, participants_votes, Strictness::Import)?;
    let votes = rec
        .votes
        .into_iter()
        .filter_map(|v| {
            Vote::from_i64(i64::from(v.vote)).map(|vote| PolisVote {
                statement: v.statement,
                voter: v.voter,
                vote,
                timestamp_ms: v.timestamp_ms,
            })
        })
        .collect();
    Ok(PolisData {
        statements: rec.statements,
        votes,
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
