//! Replays the fuzz targets' seeds and every input the fuzzers kept
//! (`fuzz/seeds/<target>/`, `fuzz/regressions/<target>/`) through the same entry points,
//! so that a crash found once fails this test until it is fixed.

use std::path::{Path, PathBuf};

use convene_domain::fuzz;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

#[test]
fn every_seed_and_kept_input_runs_through_its_target() {
    let def = convene_domain::polls::xlsform::read_xlsform(include_bytes!(
        "../fixtures/xlsform/consultation.xlsx"
    ))
    .expect("the consultation form reads");
    // Every target of the fuzz crate is replayed here, and nothing else.
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let mut declared: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .map(|l| l.trim_end_matches('"'))
        .filter(|n| *n != "convene-fuzz")
        .collect();
    declared.sort_unstable();
    let mut known = fuzz::TARGETS.to_vec();
    known.sort_unstable();
    assert_eq!(declared, known);

    let mut replayed = 0;
    for target in fuzz::TARGETS {
        let mut seeds = 0;
        for dir in ["seeds", "regressions"] {
            let Ok(entries) = std::fs::read_dir(root().join(dir).join(target)) else {
                continue;
            };
            for e in entries {
                let path = e.unwrap().path();
                if path.file_name().is_some_and(|n| n == "ATTRIBUTION.txt") {
                    continue;
                }
                let data = std::fs::read(&path).unwrap();
                assert!(fuzz::run(target, &def, &data), "{target}");
                replayed += 1;
                seeds += usize::from(dir == "seeds");
            }
        }
        assert!(seeds > 0, "the target {target} has no seeds");
    }
    assert!(replayed >= 2 * fuzz::TARGETS.len());
    assert!(!fuzz::run("no-such-target", &def, b""));
}

#[test]
fn the_spreadsheet_that_stopped_the_server_is_a_seed() {
    // Security fault 1: an .xlsx naming cell XFD1048576. It stays in the seeds so the
    // fuzzer starts from it, and it is refused without the grid being allocated.
    let data = std::fs::read(root().join("seeds/xlsform/far_xfd.xlsx")).unwrap();
    assert!(convene_domain::polls::xlsform::read_xlsform(&data).is_err());
}
