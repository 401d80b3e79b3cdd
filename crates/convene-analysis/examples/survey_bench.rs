//! Raking benchmark: `survey_bench RESPONDENTS.csv MARGINS.csv OUT.csv`.
//!
//! Reads the files, rakes (tolerance 1e-12, at most 1,000 iterations), writes the
//! weighted respondents, and prints the time of each stage as JSON.

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::time::Instant;

use convene_analysis::survey::RakeOptions;
use convene_analysis::survey::{rake_csv, read_margins, read_respondents, write_weighted};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, resp, margins, out] = args.as_slice() else {
        return Err("usage: survey_bench RESPONDENTS.csv MARGINS.csv OUT.csv".into());
    };
    let t0 = Instant::now();
    let resp = read_respondents(BufReader::new(File::open(resp)?)).map_err(|e| e.to_string())?;
    let margins = read_margins(BufReader::new(File::open(margins)?)).map_err(|e| e.to_string())?;
    let t1 = Instant::now();
    let opts = RakeOptions {
        tolerance: 1e-12,
        max_iterations: 1000,
        trim: None,
    };
    let raked = rake_csv(&resp, &margins, None, &opts).map_err(|e| e.to_string())?;
    let t2 = Instant::now();
    write_weighted(
        &resp.respondents,
        &raked.weights,
        BufWriter::new(File::create(out)?),
    )?;
    let t3 = Instant::now();
    println!(
        "{{\"read\": {:.4}, \"rake\": {:.4}, \"write\": {:.4}, \"iterations\": {}, \"converged\": {}}}",
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        (t3 - t2).as_secs_f64(),
        raked.history.len(),
        raked.converged
    );
    Ok(())
}
