#!/usr/bin/env python3
"""Runs red-dwarf and Convene on the same real Polis conversations, in one run,
and prints the time of each and the ratio.

    python3 -m venv /tmp/reddwarf-venv && /tmp/reddwarf-venv/bin/pip install red-dwarf==0.4.0
    /tmp/reddwarf-venv/bin/python bench/opinion/compare_reddwarf.py [REPEAT]

Both sides are timed end to end from the export folder to the result, reading the
CSV files included, best of REPEAT runs (default 5): red-dwarf = reading the
votes with pandas + `run_pipeline`; Convene = `analyze_polis_folder` (the
opinion_bench example, release build). Data: ../shared/data/polis or
$CONVENE_POLIS_DATA (Polis open data, CC BY 4.0, The Computational Democracy
Project; see that folder's README).
"""

import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("CONVENE_POLIS_DATA", REPO.parent / "shared" / "data" / "polis"))
sys.path.insert(0, str(REPO / "crates" / "convene-analysis" / "tests" / "reference"))

from opinion_reddwarf import load_votes  # noqa: E402  (same loading as the reference)

import pandas as pd  # noqa: E402
from reddwarf.implementations.polis import run_pipeline  # noqa: E402


def reddwarf_once(folder: Path) -> float:
    start = time.perf_counter()
    comments = pd.read_csv(folder / "comments.csv")
    mod_out = [int(c) for c in comments.loc[comments["moderated"] == -1, "comment-id"]]
    votes = load_votes(folder)
    run_pipeline(votes=votes, mod_out_statement_ids=mod_out, random_state=42)
    return time.perf_counter() - start


def main():
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    target = os.environ.get("CARGO_TARGET_DIR", str(REPO / "target-opinion"))
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "convene-analysis", "--example", "opinion_bench"],
        cwd=REPO,
        check=True,
        env={**os.environ, "CARGO_TARGET_DIR": target},
    )
    binary = Path(target) / "release" / "examples" / "opinion_bench"
    folders = sorted(p for p in DATA.iterdir() if (p / "comments.csv").is_file())
    out = subprocess.run(
        [str(binary), "polis", str(repeat), *map(str, folders)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    convene = {r["folder"]: r["best_seconds"] for r in map(json.loads, out.splitlines())}
    print(f"{'conversation':28} {'red-dwarf s':>12} {'Convene s':>12} {'ratio':>8}")
    total_rd = total_cv = 0.0
    for folder in folders:
        rd = min(reddwarf_once(folder) for _ in range(repeat))
        cv = convene[folder.name]
        total_rd += rd
        total_cv += cv
        print(f"{folder.name:28} {rd:12.4f} {cv:12.5f} {rd / cv:8.0f}x")
    print(f"{'all':28} {total_rd:12.4f} {total_cv:12.5f} {total_rd / total_cv:8.0f}x")


if __name__ == "__main__":
    main()
