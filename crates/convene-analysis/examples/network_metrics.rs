//! Print the metrics report of an edge list as JSON (what
//! `convene network metrics` prints), with the time taken on stderr.
//!
//! Usage: `network_metrics EDGES.csv [--directed]`

use std::fs::File;
use std::time::Instant;

use convene_analysis::network::metrics_from_csv;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let directed = args.iter().any(|a| a == "--directed");
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        return Err("usage: network_metrics EDGES.csv [--directed]".into());
    };
    let start = Instant::now();
    let report = metrics_from_csv(File::open(path)?, directed)?;
    eprintln!("computed in {:.3} s", start.elapsed().as_secs_f64());
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
