//! Time betweenness centrality on an edge list (used by `bench/network/run.sh`).
//!
//! Usage: `network_bench EDGES.csv OUT.txt [THREADS] [RUNS]` — prints the wall
//! time in seconds of the best of RUNS runs (default 3) and writes one value per node (node order
//! of first appearance) to OUT.txt, unnormalised (sum over unordered pairs,
//! the igraph convention) so the two can be compared.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::Instant;

use convene_analysis::network::{betweenness_with_threads, graph_from_csv};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(edges), Some(out)) = (args.get(1), args.get(2)) else {
        return Err("usage: network_bench EDGES.csv OUT.txt [THREADS] [RUNS]".into());
    };
    let threads = args.get(3).map(|t| t.parse::<usize>()).transpose()?;
    let runs = args
        .get(4)
        .map(|t| t.parse::<usize>())
        .transpose()?
        .unwrap_or(3);
    let g = graph_from_csv(File::open(edges)?, false)?;
    let mut best = f64::INFINITY;
    let mut values = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        values = betweenness_with_threads(&g, false, threads);
        best = best.min(start.elapsed().as_secs_f64());
    }
    let n = g.node_count() as f64;
    let scale = (n - 1.0) * (n - 2.0) / 2.0;
    let mut w = BufWriter::new(File::create(out)?);
    for (id, v) in g.node_ids().iter().zip(&values) {
        writeln!(w, "{id} {}", v * scale)?;
    }
    w.flush()?;
    println!("{best:.4}");
    Ok(())
}
