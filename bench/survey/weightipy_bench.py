#!/usr/bin/env python3
"""Raking benchmark: the weightipy side.

  weightipy_bench.py generate N SEED RESPONDENTS.csv MARGINS.csv
  weightipy_bench.py time RESPONDENTS.csv MARGINS.csv CONVENE_OUT.csv

`time` reads the files with pandas, rakes with weightipy (convcrit 1e-12, that is
to the fixed point), writes the result, prints JSON with the time of each stage
and the largest difference from Convene's weights (both scaled to mean 1).
"""

import csv
import json
import os
import sys
import tempfile
import time

import numpy as np
import pandas as pd
import weightipy as wp

VARIABLES = {
    "sex": (["female", "male"], [0.35, 0.65], [0.51, 0.49]),
    "age": (["18-29", "30-44", "45-59", "60+"], [0.4, 0.3, 0.2, 0.1], [0.33, 0.3, 0.22, 0.15]),
    "region": (
        ["north", "south", "east", "west", "capital"],
        [0.1, 0.15, 0.2, 0.15, 0.4],
        [0.2, 0.25, 0.2, 0.15, 0.2],
    ),
    "group": (["majority", "minority", "displaced"], [0.8, 0.15, 0.05], [0.7, 0.2, 0.1]),
}


def generate(n, seed, resp_path, margins_path):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {name: rng.choice(cats, size=n, p=p) for name, (cats, p, _) in VARIABLES.items()}
    )
    df.to_csv(resp_path, index=False)
    with open(margins_path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["variable", "category", "share"])
        for name, (cats, _, target) in VARIABLES.items():
            for c, s in zip(cats, target):
                w.writerow([name, c, s])


def run(resp_path, margins_path, convene_out):
    t0 = time.perf_counter()
    df = pd.read_csv(resp_path, dtype=str)
    margins = pd.read_csv(margins_path, dtype={"variable": str, "category": str})
    scheme_dict = {}
    for row in margins.itertuples():
        scheme_dict.setdefault(row.variable, {})[row.category] = row.share * 100
    t1 = time.perf_counter()
    scheme = wp.scheme_from_dict(
        scheme_dict, name="bench", rim_params={"convcrit": 1e-12, "max_iterations": 1000}
    )
    weights = wp.weight(df, scheme)
    t2 = time.perf_counter()
    out = df.assign(weight=weights.to_numpy())
    with tempfile.TemporaryDirectory() as d:
        out.to_csv(os.path.join(d, "out.csv"), index=False)
    t3 = time.perf_counter()
    ours = pd.read_csv(convene_out, usecols=["weight"])["weight"].to_numpy()
    theirs = weights.to_numpy() / weights.to_numpy().mean()
    diff = float(np.max(np.abs(ours / ours.mean() - theirs)))
    print(json.dumps({"read": t1 - t0, "rake": t2 - t1, "write": t3 - t2, "diff": diff}))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5])
    else:
        run(sys.argv[2], sys.argv[3], sys.argv[4])
