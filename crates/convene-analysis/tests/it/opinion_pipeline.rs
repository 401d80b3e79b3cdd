//! Behaviour of the opinion pipeline on small, hand-made data and on malformed files.

use std::path::{Path, PathBuf};

use convene_analysis::opinion::{
    analyze, analyze_polis_folder, clusterable_participants, pca2, pca2_subspace, project,
    read_polis_folder, IndexedVote, OpinionError, Status, VoteMatrix, VoteSource,
};

fn ids(n: usize, prefix: &str) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

fn vote(p: u32, s: u32, value: i8, timestamp: i64) -> IndexedVote {
    IndexedVote {
        participant: p,
        statement: s,
        timestamp,
        value,
    }
}

#[test]
fn latest_vote_wins_and_moderated_statements_are_dropped() {
    let votes = [
        vote(0, 0, 1, 10),
        vote(0, 0, -1, 30), // latest: wins
        vote(0, 0, 0, 20),
        vote(0, 1, 1, 5),
        vote(0, 1, -1, 5), // same timestamp: the later one in the input wins
        vote(1, 2, 1, 1),  // statement 2 is moderated out
        vote(1, 1, 0, 1),
    ];
    let m = VoteMatrix::from_votes(ids(2, "p"), ids(3, "s"), &votes, &[2]).unwrap();
    assert_eq!(m.statements(), ["s0", "s1"]);
    assert_eq!(m.get(0, 0), Some(-1));
    assert_eq!(m.get(0, 1), Some(-1));
    assert_eq!(m.get(1, 0), None);
    assert_eq!(m.get(1, 1), Some(0));
    assert_eq!(m.n_votes(), 3);
    assert_eq!(m.excluded_votes(1), 1);
    assert_eq!(m.excluded_voted_statements(), 1);
}

#[test]
fn builder_rejects_bad_input() {
    let err = VoteMatrix::from_votes(ids(1, "p"), ids(1, "s"), &[vote(0, 3, 1, 0)], &[]);
    assert!(matches!(
        err,
        Err(OpinionError::IndexOutOfRange {
            what: "statement",
            ..
        })
    ));
    let err = VoteMatrix::from_votes(ids(1, "p"), ids(1, "s"), &[vote(0, 0, 2, 0)], &[]);
    assert!(matches!(
        err,
        Err(OpinionError::InvalidVote { value: 2, .. })
    ));
}

#[test]
fn participant_filter_follows_polis() {
    // 10 statements: participant 0 has 7 votes (kept), participant 1 has 6 (dropped).
    let mut votes = Vec::new();
    for s in 0..7 {
        votes.push(vote(0, s, 1, 0));
    }
    for s in 0..6 {
        votes.push(vote(1, s, 1, 0));
    }
    let m = VoteMatrix::from_votes(ids(2, "p"), ids(10, "s"), &votes, &[]).unwrap();
    assert_eq!(clusterable_participants(&m, true), vec![0]);
    // 3 statements: whoever voted on all three is kept.
    let votes = [
        vote(0, 0, 1, 0),
        vote(0, 1, 1, 0),
        vote(0, 2, 1, 0),
        vote(1, 0, 1, 0),
    ];
    let m = VoteMatrix::from_votes(ids(2, "p"), ids(3, "s"), &votes, &[]).unwrap();
    assert_eq!(clusterable_participants(&m, true), vec![0]);
}

/// Two camps of 20 participants voting oppositely on 8 statements, each skipping one.
fn two_camps() -> VoteMatrix {
    let mut votes = Vec::new();
    for p in 0..40u32 {
        let camp: i8 = if p < 20 { 1 } else { -1 };
        for s in 0..8u32 {
            if s == p % 8 {
                continue;
            }
            let v = if s < 4 { camp } else { -camp };
            votes.push(vote(p, s, v, 0));
        }
    }
    VoteMatrix::from_votes(ids(40, "p"), ids(8, "s"), &votes, &[]).unwrap()
}

#[test]
fn two_clear_camps_become_two_groups_with_representative_statements() {
    let m = two_camps();
    let r = analyze(&m, 7);
    assert_eq!(r.status, Status::Grouped);
    assert_eq!(r.groups, 2);
    let g: Vec<usize> = r.participant_groups.iter().map(|g| g.unwrap()).collect();
    assert!(g[..20].iter().all(|&x| x == g[0]));
    assert!(g[20..].iter().all(|&x| x == g[20]));
    assert_ne!(g[0], g[20]);
    // Each group's representative statements are ones it agrees with.
    for (group, reps) in r.repness.iter().enumerate() {
        assert!(!reps.is_empty());
        let member = g.iter().position(|&x| x == group).unwrap();
        for rep in reps {
            let want = if (member < 20) == (rep.statement < 4) {
                convene_analysis::opinion::Direction::Agree
            } else {
                convene_analysis::opinion::Direction::Disagree
            };
            assert_eq!(
                rep.direction, want,
                "group {group} statement {}",
                rep.statement
            );
        }
    }
    // Nothing is consensual, everything divides.
    assert!(r.consensus_agree.is_empty() && r.consensus_disagree.is_empty());
    assert_eq!(r.divisive.len(), 5);
    // Group-informed consensus: every statement is agreed with by one camp only,
    // so the product over the two groups is small.
    assert!(r.group_informed_consensus.iter().all(|&v| v < 0.1));
}

#[test]
fn consensus_is_found_when_everyone_agrees() {
    let mut votes = Vec::new();
    for p in 0..30u32 {
        let camp: i8 = if p < 15 { 1 } else { -1 };
        for s in 0..6u32 {
            votes.push(vote(p, s, camp, 0));
        }
        votes.push(vote(p, 6, 1, 0)); // everybody agrees with statement 6
        votes.push(vote(p, 7, -1, 0)); // and rejects statement 7
    }
    let m = VoteMatrix::from_votes(ids(30, "p"), ids(8, "s"), &votes, &[]).unwrap();
    let r = analyze(&m, 1);
    assert_eq!(r.consensus_agree.first(), Some(&6));
    assert_eq!(r.consensus_disagree.first(), Some(&7));
    // 32/32 agree in both groups of 15: (15+1)/(15+2) squared.
    let want = (16.0f64 / 17.0).powi(2);
    assert!((r.group_informed_consensus[6] - want).abs() < 1e-12);
    let json = r.to_json(&m);
    let consensus: Vec<&str> = json["consensus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(consensus.first(), Some(&"s6"));
    assert!(consensus.contains(&"s7"));
}

#[test]
fn too_few_voters_is_reported_not_grouped() {
    let votes: Vec<IndexedVote> = (0..4u32)
        .flat_map(|p| (0..8u32).map(move |s| vote(p, s, if p % 2 == 0 { 1 } else { -1 }, 0)))
        .collect();
    let m = VoteMatrix::from_votes(ids(5, "p"), ids(8, "s"), &votes, &[]).unwrap();
    let r = analyze(&m, 0);
    assert!(matches!(r.status, Status::NotEnoughVotes { .. }));
    assert_eq!(r.groups, 0);
    assert!(r.participant_groups.iter().all(Option::is_none));
    let json = r.to_json(&m);
    assert_eq!(json["status"], "not_enough_votes");
    assert!(json["reason"]
        .as_str()
        .unwrap()
        .contains("not enough votes"));
    assert_eq!(json["groups"], 0);
    assert_eq!(json["participants"]["p0"], serde_json::Value::Null);
    assert_eq!(json["repness"], serde_json::json!({}));
}

/// Dense reference: eigenvectors of the covariance of the imputed, centred matrix
/// by Jacobi rotations.
#[allow(clippy::needless_range_loop)] // dense reference, written with indices
fn dense_top_two(m: &VoteMatrix, rows: &[u32]) -> ([f64; 2], Vec<f64>, Vec<f64>) {
    let n = m.n_statements();
    let mut sum = vec![0.0; n];
    let mut count = vec![0.0; n];
    for &r in rows {
        for (c, v) in m.row(r as usize) {
            sum[c] += f64::from(v);
            count[c] += 1.0;
        }
    }
    let mean: Vec<f64> = sum
        .iter()
        .zip(&count)
        .map(|(s, c)| if *c > 0.0 { s / c } else { 0.0 })
        .collect();
    let mut cov = vec![vec![0.0; n]; n];
    for &r in rows {
        let mut y = mean.clone(); // imputed with the mean
        for (c, v) in m.row(r as usize) {
            y[c] = f64::from(v);
        }
        for i in 0..n {
            for j in 0..n {
                cov[i][j] += (y[i] - mean[i]) * (y[j] - mean[j]);
            }
        }
    }
    let mut v = vec![vec![0.0; n]; n];
    for (i, row) in v.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for _ in 0..200 {
        for p in 0..n {
            for q in (p + 1)..n {
                if cov[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (cov[q][q] - cov[p][p]) / (2.0 * cov[p][q]);
                let t = if theta == 0.0 {
                    1.0
                } else {
                    theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt())
                };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in cov.iter_mut() {
                    let (a, b) = (row[p], row[q]);
                    row[p] = c * a - s * b;
                    row[q] = s * a + c * b;
                }
                for k in 0..n {
                    let (a, b) = (cov[p][k], cov[q][k]);
                    cov[p][k] = c * a - s * b;
                    cov[q][k] = s * a + c * b;
                }
                for row in v.iter_mut() {
                    let (a, b) = (row[p], row[q]);
                    row[p] = c * a - s * b;
                    row[q] = s * a + c * b;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cov[b][b].total_cmp(&cov[a][a]));
    let col = |k: usize| v.iter().map(|row| row[k]).collect::<Vec<f64>>();
    (
        [cov[order[0]][order[0]], cov[order[1]][order[1]]],
        col(order[0]),
        col(order[1]),
    )
}

fn abs_cosine(a: &[f64], b: &[f64]) -> f64 {
    let d: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f64 = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|x| x * x).sum::<f64>().sqrt();
    (d / (na * nb)).abs()
}

#[test]
fn sparse_components_equal_dense_pca_with_mean_imputation() {
    // Pseudo-random sparse votes with some structure.
    let mut votes = Vec::new();
    let mut x: u64 = 12345;
    for p in 0..60u32 {
        for s in 0..12u32 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let r = (x >> 33) % 100;
            if r < 30 {
                continue; // missing
            }
            let lean = if p % 3 == 0 { s < 6 } else { s % 2 == 0 };
            let v = if r < 45 {
                0
            } else if lean {
                1
            } else {
                -1
            };
            votes.push(vote(p, s, v, 0));
        }
    }
    let m = VoteMatrix::from_votes(ids(60, "p"), ids(12, "s"), &votes, &[]).unwrap();
    let rows: Vec<u32> = (0..60).collect();
    let (lambda, e1, e2) = dense_top_two(&m, &rows);
    for pca in [pca2(&m, &rows), pca2_subspace(&m, &rows)] {
        assert!((pca.eigenvalues[0] - lambda[0]).abs() < 1e-8 * lambda[0]);
        assert!((pca.eigenvalues[1] - lambda[1]).abs() < 1e-8 * lambda[0]);
        assert!(abs_cosine(&pca.pc1, &e1) > 1.0 - 1e-9);
        assert!(abs_cosine(&pca.pc2, &e2) > 1.0 - 1e-9);
        let unit: f64 = pca.pc1.iter().map(|x| x * x).sum();
        assert!((unit - 1.0).abs() < 1e-12);
        let ortho: f64 = pca.pc1.iter().zip(&pca.pc2).map(|(a, b)| a * b).sum();
        assert!(ortho.abs() < 1e-9);
    }
}

#[test]
fn projection_scales_by_sparsity() {
    let m = two_camps();
    let rows: Vec<u32> = (0..40).collect();
    let pca = pca2(&m, &rows);
    let p = project(&m, &pca, &rows, false);
    // Participant 0 voted on 7 of 8 statements: scale sqrt(8/7) of the raw dot product.
    let raw: f64 = m
        .row(0)
        .map(|(c, v)| (f64::from(v) - pca.mean[c]) * pca.pc1[c])
        .sum();
    assert!((p[0][0] - raw * (8.0f64 / 7.0).sqrt()).abs() < 1e-12);
}

fn data_dir() -> Option<PathBuf> {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    [
        std::env::var_os("CONVENE_POLIS_DATA").map(PathBuf::from),
        Some(here.join("../../../shared/data/polis")),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_dir())
}

#[test]
fn lanczos_and_subspace_iteration_agree_on_real_data() {
    let dir = data_dir().expect("Polis data").join("vtaiwan.uberx");
    let e = read_polis_folder(&dir).unwrap();
    let rows: Vec<u32> = (0..e.matrix.n_participants() as u32).collect();
    let a = pca2(&e.matrix, &rows);
    let b = pca2_subspace(&e.matrix, &rows);
    assert!(abs_cosine(&a.pc1, &b.pc1) > 1.0 - 1e-9);
    assert!(abs_cosine(&a.pc2, &b.pc2) > 1.0 - 1e-9);
    assert!((a.eigenvalues[0] - b.eigenvalues[0]).abs() < 1e-8 * a.eigenvalues[0]);
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("convene-opinion-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn copy(from: &Path, to: &Path, files: &[&str]) {
    for f in files {
        std::fs::copy(from.join(f), to.join(f)).unwrap();
    }
}

#[test]
fn participants_votes_alone_gives_the_same_matrix_as_votes_csv() {
    let data = data_dir().expect("Polis data");
    for name in ["brexit-consensus", "15-per-hour-seattle"] {
        let full = read_polis_folder(&data.join(name)).unwrap();
        assert_eq!(full.source, VoteSource::VotesCsv);
        let d = temp_dir(name);
        copy(
            &data.join(name),
            &d,
            &["comments.csv", "participants-votes.csv"],
        );
        let only = read_polis_folder(&d).unwrap();
        assert_eq!(only.source, VoteSource::ParticipantsVotesCsv);
        // Same votes for every participant present in both.
        let mut compared = 0;
        for (r, id) in only.matrix.participants().iter().enumerate() {
            let Some(r2) = full.matrix.participants().iter().position(|x| x == id) else {
                continue;
            };
            let a: Vec<(String, i8)> = only
                .matrix
                .row(r)
                .map(|(c, v)| (only.matrix.statements()[c].clone(), v))
                .collect();
            let b: Vec<(String, i8)> = full
                .matrix
                .row(r2)
                .map(|(c, v)| (full.matrix.statements()[c].clone(), v))
                .collect();
            assert_eq!(a, b, "{name}: participant {id}");
            compared += 1;
        }
        assert!(compared > 100);
        let _ = std::fs::remove_dir_all(&d);
    }
}

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join(file), text).unwrap();
}

const COMMENTS: &str = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,0,1,0,1,\"A, quoted\"\n2,x,1,0,1,0,-1,Hidden\n3,x,2,0,1,0,0,Third\n";

#[test]
fn malformed_files_name_the_file_and_line() {
    let d = temp_dir("malformed");
    write(&d, "comments.csv", COMMENTS);
    write(
        &d,
        "votes.csv",
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,7,1\n2,x,0,8,maybe\n",
    );
    let err = read_polis_folder(&d).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("votes.csv"), "{text}");
    assert!(text.contains("line 3"), "{text}");
    assert!(matches!(err, OpinionError::Malformed { line: 3, .. }));

    write(
        &d,
        "votes.csv",
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,7,1\n2,x,0\n",
    );
    let err = read_polis_folder(&d).unwrap_err();
    assert!(
        matches!(err, OpinionError::Malformed { line: 3, .. }),
        "{err}"
    );

    write(&d, "votes.csv", "timestamp,comment-id,vote\n1,0,1\n");
    let err = read_polis_folder(&d).unwrap_err();
    assert!(
        matches!(&err, OpinionError::MissingColumn { column, .. } if column == "voter-id"),
        "{err}"
    );

    write(&d, "comments.csv", "comment-id,moderated\n0,1\n0,1\n");
    let err = read_polis_folder(&d).unwrap_err();
    assert!(err.to_string().contains("comments.csv, line 3"), "{err}");

    std::fs::remove_file(d.join("votes.csv")).unwrap();
    write(&d, "comments.csv", COMMENTS);
    let err = read_polis_folder(&d).unwrap_err();
    assert!(matches!(err, OpinionError::MissingFile { .. }), "{err}");

    write(
        &d,
        "participants-votes.csv",
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n0,0,0,3,1,1,1,-1,\n1,x,0,3,1,1,1,-1,0\n",
    );
    let err = read_polis_folder(&d).unwrap_err();
    assert!(
        err.to_string().contains("participants-votes.csv, line 3"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&d);
    assert!(matches!(
        read_polis_folder(Path::new("/nonexistent/convene")),
        Err(OpinionError::MissingFile { .. })
    ));
}

#[test]
fn folder_entry_point_returns_the_documented_json() {
    let d = temp_dir("json");
    write(&d, "comments.csv", COMMENTS);
    // Too few voters: a clear "not enough votes" answer.
    write(
        &d,
        "votes.csv",
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,7,1\n2,x,1,7,-1\n3,x,2,7,1\n4,x,0,7,-1\n",
    );
    let v = analyze_polis_folder(&d, 3).unwrap();
    assert_eq!(v["groups"], 0);
    assert_eq!(v["status"], "not_enough_votes");
    assert_eq!(v["participants"]["7"], serde_json::Value::Null);
    let _ = std::fs::remove_dir_all(&d);

    let data = data_dir().expect("Polis data");
    let v = analyze_polis_folder(&data.join("canadian-electoral-reform"), 42).unwrap();
    assert_eq!(v["status"], "ok");
    let groups = v["groups"].as_u64().unwrap() as usize;
    assert!((2..=5).contains(&groups));
    let participants = v["participants"].as_object().unwrap();
    assert!(participants
        .values()
        .all(|g| g.is_null() || (g.as_u64().unwrap() as usize) < groups));
    let repness = v["repness"].as_object().unwrap();
    assert_eq!(repness.len(), groups);
    for list in repness.values() {
        let list = list.as_array().unwrap();
        assert!(!list.is_empty() && list.len() <= 5);
        for item in list {
            assert!(item["statement"].is_string());
            assert!(item["direction"] == "agree" || item["direction"] == "disagree");
            assert!(item["repness_test"].is_f64());
        }
    }
    assert!(v["consensus"].is_array());
    let gic = v["group_informed_consensus"].as_object().unwrap();
    assert!(!gic.is_empty());
    assert!(gic.values().all(|x| {
        let x = x.as_f64().unwrap();
        x > 0.0 && x < 1.0
    }));
    // Deterministic for a seed.
    assert_eq!(
        v,
        analyze_polis_folder(&data.join("canadian-electoral-reform"), 42).unwrap()
    );
}

#[test]
fn a_far_outlier_joins_a_group_instead_of_standing_alone() {
    use convene_analysis::opinion::{group_participants, ClusterOptions, Init};
    // Two tight groups and one participant very far away.
    let mut points = Vec::new();
    for i in 0..20 {
        points.push([-1.0 + 0.01 * i as f64, 0.0]);
        points.push([1.0 + 0.01 * i as f64, 0.1]);
    }
    points.push([-1000.0, 0.0]);
    for init in [
        Init::PlusPlus,
        Init::FirstDistinct,
        Init::SortedDistinct,
        Init::Distinct,
    ] {
        let g = group_participants(
            &points,
            &ClusterOptions {
                seed: 3,
                base_clusters: false,
                init,
            },
        )
        .expect("a grouping");
        let mut size = vec![0; g.k];
        for &l in &g.labels {
            size[l] += 1;
        }
        assert!(size.iter().all(|&s| s >= 2), "{init:?}: {size:?}");
        // The two tight groups stay apart.
        assert_ne!(g.labels[0], g.labels[1], "{init:?}");
    }
}

#[test]
fn statements_without_votes_do_not_count_in_the_scaling() {
    // The two camps again, with a ninth statement nobody voted on.
    let base = two_camps();
    let mut votes = Vec::new();
    for r in 0..base.n_participants() {
        for (c, v) in base.row(r) {
            votes.push(vote(r as u32, c as u32, v, 0));
        }
    }
    let m = VoteMatrix::from_votes(ids(40, "p"), ids(9, "s"), &votes, &[]).unwrap();
    assert_eq!(m.n_statements(), 9);
    assert_eq!(m.n_voted_statements(), 8);
    let rows: Vec<u32> = (0..40).collect();
    let pca = pca2(&m, &rows);
    let p = project(&m, &pca, &rows, false);
    let raw: f64 = m
        .row(0)
        .map(|(c, v)| (f64::from(v) - pca.mean[c]) * pca.pc1[c])
        .sum();
    assert!((p[0][0] - raw * (8.0f64 / 7.0).sqrt()).abs() < 1e-12);
}
