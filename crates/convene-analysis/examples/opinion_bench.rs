//! Times the opinion-mapping pipeline.
//!
//! Synthetic data (participants in a few latent opinion groups voting on random
//! statements):
//!
//!     cargo run --release -p convene-analysis --example opinion_bench -- \
//!         synthetic PARTICIPANTS STATEMENTS VOTES [SEED [LATENT_GROUPS]]
//!
//! (LATENT_GROUPS defaults to 3; 1 gives votes without any group structure,
//! the slowest case for the principal components.)
//!
//! Real Polis export folders (reading the CSV files included), each run REPEAT
//! times; prints one JSON line per folder:
//!
//!     cargo run --release -p convene-analysis --example opinion_bench -- \
//!         polis REPEAT FOLDER...

use std::time::Instant;

use convene_analysis::opinion::{
    analyze, analyze_polis_folder, clusterable_participants, group_participants, pca2, project,
    read_polis_folder, statistics_for_groups, ClusterOptions, IndexedVote, SplitMix64, Status,
    VoteMatrix,
};

/// Latent groups of the synthetic population (unless given on the command line).
const LATENT_GROUPS: u64 = 3;
/// Most latent groups supported.
const MAX_LATENT: usize = 8;

fn synthetic(
    n_participants: usize,
    n_statements: usize,
    n_votes: usize,
    seed: u64,
    latent_groups: u64,
) -> (Vec<String>, Vec<String>, Vec<IndexedVote>, Vec<u32>) {
    let mut rng = SplitMix64::new(seed);
    let latent_groups = latent_groups.clamp(1, MAX_LATENT as u64);
    // Each statement has a preferred direction per latent group.
    let stance: Vec<[f64; MAX_LATENT]> = (0..n_statements)
        .map(|_| {
            let mut s = [0.0; MAX_LATENT];
            for x in &mut s {
                *x = rng.next_f64() * 2.0 - 1.0;
            }
            s
        })
        .collect();
    let mut votes = Vec::with_capacity(n_votes);
    let per = n_votes / n_participants.max(1);
    let mut remainder = n_votes % n_participants.max(1);
    for p in 0..n_participants {
        let group = (rng.next_u64() % latent_groups) as usize;
        let mut count = per;
        if remainder > 0 {
            count += 1;
            remainder -= 1;
        }
        for t in 0..count {
            let s = (rng.next_u64() % n_statements as u64) as usize;
            let pref = stance[s][group];
            let u = rng.next_f64() * 2.0 - 1.0;
            let value = if u < pref - 0.3 {
                1
            } else if u > pref + 0.3 {
                -1
            } else {
                0
            };
            votes.push(IndexedVote {
                participant: p as u32,
                statement: s as u32,
                timestamp: t as i64,
                value,
            });
        }
    }
    let participants = (0..n_participants).map(|i| i.to_string()).collect();
    let statements = (0..n_statements).map(|i| i.to_string()).collect();
    // Moderate out one statement in fifty.
    let excluded = (0..n_statements as u32).filter(|s| s % 50 == 49).collect();
    (participants, statements, votes, excluded)
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn usage() -> ! {
    eprintln!(
        "usage: opinion_bench synthetic PARTICIPANTS STATEMENTS VOTES [SEED [LATENT_GROUPS]]\n       opinion_bench polis REPEAT FOLDER..."
    );
    std::process::exit(2)
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize) -> T {
    args.get(i)
        .and_then(|a| a.replace('_', "").parse().ok())
        .unwrap_or_else(|| usage())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("synthetic") => {
            let n_p: usize = arg(&args, 2);
            let n_s: usize = arg(&args, 3);
            let n_v: usize = arg(&args, 4);
            let seed: u64 = if args.len() > 5 { arg(&args, 5) } else { 1 };
            let latent: u64 = if args.len() > 6 {
                arg(&args, 6)
            } else {
                LATENT_GROUPS
            };
            let t0 = Instant::now();
            let (participants, statements, votes, excluded) =
                synthetic(n_p, n_s, n_v, seed, latent);
            let generate = t0.elapsed().as_secs_f64();
            let t1 = Instant::now();
            let matrix = match VoteMatrix::from_votes(participants, statements, &votes, &excluded) {
                Ok(m) => m,
                Err(e) => {
                    eprintln!("error: {e}");
                    std::process::exit(1)
                }
            };
            drop(votes);
            let build = t1.elapsed().as_secs_f64();
            let t2 = Instant::now();
            let result = analyze(&matrix, seed);
            let analysis = t2.elapsed().as_secs_f64();
            let t3 = Instant::now();
            let json = result.to_json(&matrix);
            let to_json = t3.elapsed().as_secs_f64();
            let grouped = result.participant_groups.iter().flatten().count();
            // Stage breakdown (the same steps as `analyze`, timed one by one).
            let ts = Instant::now();
            let rows = clusterable_participants(&matrix, true);
            let all: Vec<u32> = (0..matrix.n_participants() as u32).collect();
            let pca = pca2(&matrix, &all);
            let t_pca = ts.elapsed().as_secs_f64();
            let ts = Instant::now();
            let points = project(&matrix, &pca, &rows, true);
            let t_project = ts.elapsed().as_secs_f64();
            let ts = Instant::now();
            let grouping = group_participants(
                &points,
                &ClusterOptions {
                    seed,
                    ..ClusterOptions::default()
                },
            );
            let t_group = ts.elapsed().as_secs_f64();
            let ts = Instant::now();
            if let Some(g) = &grouping {
                let _ = statistics_for_groups(&matrix, &rows, &g.labels, g.k);
            }
            let t_stats = ts.elapsed().as_secs_f64();
            println!(
                "{}",
                serde_json::json!({
                    "participants": n_p,
                    "statements": n_s,
                    "votes_generated": n_v,
                    "latent_groups": latent,
                    "votes_in_matrix": matrix.n_votes(),
                    "groups": result.groups,
                    "grouped_participants": grouped,
                    "ok": result.status == Status::Grouped,
                    "pca_iterations": result.pca.as_ref().map_or(0, |p| p.iterations),
                    "seconds": {
                        "generate": generate,
                        "build_matrix": build,
                        "analyze": analysis,
                        "pipeline": build + analysis,
                        "to_json": to_json,
                        "stage_pca": t_pca,
                        "stage_project": t_project,
                        "stage_groups": t_group,
                        "stage_statistics": t_stats,
                    },
                    "json_keys": json.as_object().map_or(0, |o| o.len()),
                    "peak_rss_mib": peak_rss_mib(),
                })
            );
        }
        Some("polis") => {
            let repeat: usize = arg(&args, 2);
            for dir in args.iter().skip(3) {
                let path = std::path::Path::new(dir);
                let mut best = f64::INFINITY;
                let mut total = 0.0;
                let mut groups = 0;
                for _ in 0..repeat.max(1) {
                    let t = Instant::now();
                    match analyze_polis_folder(path, 42) {
                        Ok(v) => groups = v["groups"].as_u64().unwrap_or(0),
                        Err(e) => {
                            eprintln!("error: {e}");
                            std::process::exit(1)
                        }
                    }
                    let s = t.elapsed().as_secs_f64();
                    best = best.min(s);
                    total += s;
                }
                // One more run, timed stage by stage.
                let t = Instant::now();
                let Ok(export) = read_polis_folder(path) else {
                    std::process::exit(1)
                };
                let read = t.elapsed().as_secs_f64();
                let t = Instant::now();
                let result = analyze(&export.matrix, 42);
                let analysis = t.elapsed().as_secs_f64();
                let t = Instant::now();
                let _ = result.to_json(&export.matrix);
                let to_json = t.elapsed().as_secs_f64();
                println!(
                    "{}",
                    serde_json::json!({
                        "folder": path.file_name().map(|n| n.to_string_lossy().into_owned()),
                        "repeat": repeat.max(1),
                        "groups": groups,
                        "best_seconds": best,
                        "mean_seconds": total / repeat.max(1) as f64,
                        "stage_read_seconds": read,
                        "stage_analyze_seconds": analysis,
                        "stage_to_json_seconds": to_json,
                    })
                );
            }
        }
        _ => usage(),
    }
}
