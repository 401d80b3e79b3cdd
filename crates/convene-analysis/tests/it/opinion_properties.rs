//! Property tests of the opinion-mapping code.

use std::collections::HashMap;

use convene_analysis::opinion::{
    adjusted_rand_index, analyze, clusterable_participants, read_polis_folder, IndexedVote, Status,
    VoteMatrix, MAX_GROUPS, MIN_GROUP_SIZE,
};
use proptest::prelude::*;

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| i.to_string()).collect()
}

fn votes_strategy(
    max_p: u32,
    max_s: u32,
    max_votes: usize,
) -> impl Strategy<Value = (u32, u32, Vec<IndexedVote>)> {
    (1..=max_p, 1..=max_s).prop_flat_map(move |(np, ns)| {
        let vote = (0..np, 0..ns, 0i64..20, -1i8..=1).prop_map(|(p, s, t, v)| IndexedVote {
            participant: p,
            statement: s,
            timestamp: t,
            value: v,
        });
        (
            Just(np),
            Just(ns),
            proptest::collection::vec(vote, 0..max_votes),
        )
    })
}

proptest! {
    #[test]
    fn ari_is_bounded_symmetric_and_one_on_identical_partitions(
        a in proptest::collection::vec(0u8..5, 0..60),
        b_seed in proptest::collection::vec(0u8..5, 60),
        renaming in Just([3u8, 0, 4, 1, 2]),
    ) {
        let b: Vec<u8> = b_seed.iter().take(a.len()).copied().collect();
        let x = adjusted_rand_index(&a, &b);
        prop_assert!((-1.0..=1.0).contains(&x), "{x}");
        let y = adjusted_rand_index(&b, &a);
        prop_assert!((x - y).abs() < 1e-12);
        prop_assert_eq!(adjusted_rand_index(&a, &a), 1.0);
        // Renaming the labels does not change the partition.
        let renamed: Vec<u8> = a.iter().map(|&l| renaming[l as usize]).collect();
        prop_assert!((adjusted_rand_index(&a, &renamed) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn latest_vote_wins((np, ns, votes) in votes_strategy(6, 6, 80)) {
        let m = VoteMatrix::from_votes(ids(np as usize), ids(ns as usize), &votes, &[]).unwrap();
        let mut want: HashMap<(u32, u32), (i64, usize, i8)> = HashMap::new();
        for (i, v) in votes.iter().enumerate() {
            let e = want.entry((v.participant, v.statement)).or_insert((v.timestamp, i, v.value));
            if (v.timestamp, i) >= (e.0, e.1) {
                *e = (v.timestamp, i, v.value);
            }
        }
        prop_assert_eq!(m.n_votes(), want.len());
        for ((p, s), (_, _, v)) in want {
            prop_assert_eq!(m.get(p as usize, s as usize), Some(v));
        }
    }

    #[test]
    fn moderated_statements_never_count((np, ns, votes) in votes_strategy(6, 6, 80), excluded in 0u32..6) {
        let m = VoteMatrix::from_votes(ids(np as usize), ids(ns as usize), &votes, &[excluded]).unwrap();
        let excluded_id = excluded.to_string();
        prop_assert!(!m.statements().contains(&excluded_id));
        let kept = votes.iter().filter(|v| v.statement != excluded)
            .map(|v| (v.participant, v.statement)).collect::<std::collections::HashSet<_>>();
        prop_assert_eq!(m.n_votes(), kept.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn analysis_is_deterministic_and_consistent(
        (np, ns, votes) in votes_strategy(40, 12, 400),
        seed in any::<u64>(),
    ) {
        let m = VoteMatrix::from_votes(ids(np as usize), ids(ns as usize), &votes, &[]).unwrap();
        let a = analyze(&m, seed);
        let b = analyze(&m, seed);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.to_json(&m), b.to_json(&m));
        let clustered = clusterable_participants(&m, true);
        match a.status {
            Status::Grouped => {
                prop_assert!((2..=MAX_GROUPS).contains(&a.groups));
                for (r, g) in a.participant_groups.iter().enumerate() {
                    match g {
                        Some(g) => {
                            prop_assert!(*g < a.groups);
                            prop_assert!(clustered.contains(&(r as u32)));
                        }
                        None => prop_assert!(!clustered.contains(&(r as u32))),
                    }
                }
                // Every group has at least two members: no groups of one.
                for g in 0..a.groups {
                    let members = a.participant_groups.iter().filter(|x| **x == Some(g)).count();
                    prop_assert!(members >= MIN_GROUP_SIZE, "group {} has {} member(s)", g, members);
                }
                prop_assert_eq!(a.repness.len(), a.groups);
                for v in &a.group_informed_consensus {
                    prop_assert!(*v > 0.0 && *v < 1.0);
                }
            }
            Status::NotEnoughVotes { .. } => {
                prop_assert_eq!(a.groups, 0);
                prop_assert!(a.participant_groups.iter().all(Option::is_none));
            }
        }
    }

    #[test]
    fn folder_reader_never_panics(
        comments in proptest::collection::vec(any::<u8>(), 0..300),
        votes in proptest::collection::vec(any::<u8>(), 0..300),
        pv in proptest::collection::vec(any::<u8>(), 0..300),
        with_header in any::<bool>(),
        case in any::<u64>(),
    ) {
        let dir = std::env::temp_dir().join(format!("convene-opinion-fuzz-{}-{case}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut c = Vec::new();
        let mut v = Vec::new();
        let mut p = Vec::new();
        if with_header {
            c.extend_from_slice(b"comment-id,moderated\n0,1\n");
            v.extend_from_slice(b"timestamp,comment-id,voter-id,vote\n1,0,0,1\n");
            p.extend_from_slice(b"participant,group-id,0\n0,,1\n");
        }
        c.extend_from_slice(&comments);
        v.extend_from_slice(&votes);
        p.extend_from_slice(&pv);
        std::fs::write(dir.join("comments.csv"), &c).unwrap();
        std::fs::write(dir.join("votes.csv"), &v).unwrap();
        std::fs::write(dir.join("participants-votes.csv"), &p).unwrap();
        let first = read_polis_folder(&dir).map(|e| e.matrix.n_votes()).map_err(|e| e.to_string());
        std::fs::remove_file(dir.join("votes.csv")).unwrap();
        let second = read_polis_folder(&dir).map(|e| e.matrix.n_votes()).map_err(|e| e.to_string());
        let _ = std::fs::remove_dir_all(&dir);
        // Errors always name a file.
        for r in [first, second] {
            if let Err(e) = r {
                prop_assert!(e.contains(".csv") || e.contains("convene-opinion-fuzz"), "{}", e);
            }
        }
    }
}

/// Silhouette straight from its definition, for comparison.
fn naive_silhouette(points: &[[f64; 2]], labels: &[usize], k: usize) -> f64 {
    let n = points.len();
    let d = |a: [f64; 2], b: [f64; 2]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
    let mut total = 0.0;
    for i in 0..n {
        let mut sums = vec![0.0; k];
        let mut counts = vec![0usize; k];
        for j in 0..n {
            counts[labels[j]] += 1;
            if i != j {
                sums[labels[j]] += d(points[i], points[j]);
            }
        }
        let own = counts[labels[i]];
        if own <= 1 {
            continue;
        }
        let a = sums[labels[i]] / (own - 1) as f64;
        let b = (0..k)
            .filter(|&g| g != labels[i] && counts[g] > 0)
            .map(|g| sums[g] / counts[g] as f64)
            .fold(f64::INFINITY, f64::min);
        if b.is_finite() && a.max(b) > 0.0 {
            total += (b - a) / a.max(b);
        }
    }
    total / n as f64
}

proptest! {
    #[test]
    fn silhouette_matches_its_definition(
        raw in proptest::collection::vec((-50i32..50, -50i32..50, 0usize..4), 2..120),
    ) {
        use convene_analysis::opinion::weighted_silhouette;
        let points: Vec<[f64; 2]> = raw.iter().map(|&(x, y, _)| [f64::from(x) / 7.0, f64::from(y) / 3.0]).collect();
        let labels: Vec<usize> = raw.iter().map(|&(_, _, l)| l).collect();
        let ones = vec![1.0; points.len()];
        let fast = weighted_silhouette(&points, &ones, &labels, 4);
        let slow = naive_silhouette(&points, &labels, 4);
        prop_assert!((fast - slow).abs() < 1e-9, "{} vs {}", fast, slow);
        prop_assert!((-1.0..=1.0).contains(&fast));
    }
}
