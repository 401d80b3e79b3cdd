#!/usr/bin/env python3
"""Reference values for Convene's survey statistics and coding agreement.

Writes survey_statsmodels.json next to this script: Wilson score intervals
(statsmodels' proportion_confint, method="wilson"), Newcombe's hybrid score
interval for a difference of proportions (statsmodels'
confint_proportions_2indep, method="newcomb"), a weighted proportion's Wilson
interval on Kish's effective sample size, and Cohen's kappa (scikit-learn's
cohen_kappa_score). Run from the repository root:

  python3 crates/convene-analysis/tests/reference/survey_statsmodels.py

Requires statsmodels==0.15.0 and scikit-learn==1.9.1 (with numpy==2.4.6,
scipy==1.17.1).
"""

import json
import os
import random

from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    out = {"wilson": [], "newcombe": [], "weighted": [], "kappa": []}
    for count, nobs in [(0, 10), (10, 10), (3, 17), (45, 120), (1, 1000), (7, 8), (212.5, 431.25)]:
        low, high = proportion_confint(count, nobs, alpha=0.05, method="wilson")
        out["wilson"].append({"count": count, "nobs": nobs, "low": low, "high": high})
    for c1, n1, c2, n2 in [(12, 40, 60, 300), (5, 9, 30, 31), (0, 15, 4, 85), (33, 50, 33, 50)]:
        low, high = confint_proportions_2indep(c1, n1, c2, n2, method="newcomb", compare="diff")
        out["newcombe"].append(
            {"count1": c1, "nobs1": n1, "count2": c2, "nobs2": n2, "low": low, "high": high}
        )
    rng = random.Random(11)
    for case in range(3):
        weights = [round(rng.uniform(0.2, 4.0), 6) for _ in range(60 + 40 * case)]
        answers = [rng.random() < 0.3 + 0.2 * case for _ in weights]
        total = sum(weights)
        p = sum(w for w, a in zip(weights, answers) if a) / total
        n_eff = total**2 / sum(w * w for w in weights)
        low, high = proportion_confint(p * n_eff, n_eff, alpha=0.05, method="wilson")
        out["weighted"].append(
            {"weights": weights, "answers": answers, "p": p, "n_eff": n_eff, "low": low, "high": high}
        )
    codes = ["water", "land", "security", "jobs", "other"]
    for agreement in [0.9, 0.6, 0.2]:
        a = [rng.choice(codes) for _ in range(80)]
        b = [x if rng.random() < agreement else rng.choice(codes) for x in a]
        out["kappa"].append({"a": a, "b": b, "kappa": cohen_kappa_score(a, b)})
    with open(os.path.join(HERE, "survey_statsmodels.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
