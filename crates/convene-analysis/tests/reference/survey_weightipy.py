#!/usr/bin/env python3
"""Reference weights for Convene's raking, computed with weightipy.

Writes, next to this script:
  survey_respondents.csv        500 synthetic respondents on 4 variables
  survey_margins.csv            population margins (variable,category,share)
  survey_weightipy_expected.csv weightipy's raked weight of each respondent

The output is deterministic. Run from the repository root:

  python3 crates/convene-analysis/tests/reference/survey_weightipy.py

Requires weightipy==0.4.2 (with pandas==3.1.1, numpy==2.4.6, scipy==1.17.1).

weightipy stops when the sum of absolute weight changes of an iteration is no
longer smaller than (1 - convcrit) times that of the previous iteration; with
convcrit = 1e-12 it runs until the weights stop changing (to machine precision),
that is to the fixed point of raking. Convene, run with a margin tolerance of
1e-12, reaches the same fixed point; the test compares the two to 1e-6 after
scaling both to mean 1.
"""

import csv
import os
import random

import pandas as pd
import weightipy as wp

HERE = os.path.dirname(os.path.abspath(__file__))

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


def main():
    rng = random.Random(20261122)
    names = list(VARIABLES)
    rows = []
    for _ in range(500):
        rows.append([rng.choices(cats, weights=p)[0] for cats, p, _ in VARIABLES.values()])
    with open(os.path.join(HERE, "survey_respondents.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names)
        w.writerows(rows)
    with open(os.path.join(HERE, "survey_margins.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["variable", "category", "share"])
        for name, (cats, _, target) in VARIABLES.items():
            for c, s in zip(cats, target):
                w.writerow([name, c, s])

    df = pd.DataFrame(rows, columns=names)
    scheme = wp.scheme_from_dict(
        {name: {c: s * 100 for c, s in zip(cats, target)} for name, (cats, _, target) in VARIABLES.items()},
        name="reference",
        rim_params={"convcrit": 1e-12, "max_iterations": 10000},
    )
    weights = wp.weight(df, scheme).to_numpy()
    weights = weights / weights.mean()
    with open(os.path.join(HERE, "survey_weightipy_expected.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["weight"])
        for x in weights:
            w.writerow([f"{x:.10f}"])


if __name__ == "__main__":
    main()
