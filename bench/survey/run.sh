#!/usr/bin/env bash
# Raking benchmark: Convene against weightipy on the same respondents.
#
#   bash bench/survey/run.sh [RESPONDENTS] [SEED]     (default 1000000 1)
#
# Needs weightipy (pip install weightipy; set PYTHON to the interpreter that has
# it). Both tools rake the same file on 4 margins (2, 4, 5 and 3 categories) to
# the fixed point; each stage is timed as the best of three runs, and the script
# checks that the weights agree before printing the ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}
SEED=${2:-1}
PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import weightipy' 2>/dev/null || {
    echo "weightipy is missing: pip install weightipy (or set PYTHON)" >&2
    exit 1
}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$PYTHON" bench/survey/weightipy_bench.py generate "$N" "$SEED" "$WORK/resp.csv" "$WORK/margins.csv"
cargo build --quiet --release -p convene-analysis --example survey_bench
BIN="${CARGO_TARGET_DIR:-target}/release/examples/survey_bench"

best() { "$PYTHON" -c "import json,sys; r=[json.loads(l) for l in sys.stdin]; print(json.dumps({k: min(x[k] for x in r) if k not in ('diff','iterations','converged') else r[0][k] for k in r[0]}))"; }
C=$(for _ in 1 2 3; do "$BIN" "$WORK/resp.csv" "$WORK/margins.csv" "$WORK/convene.csv"; done | best)
W=$(for _ in 1 2 3; do "$PYTHON" bench/survey/weightipy_bench.py time "$WORK/resp.csv" "$WORK/margins.csv" "$WORK/convene.csv"; done | best)

"$PYTHON" - "$C" "$W" "$N" <<'PY'
import json, sys
c, w, n = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
import weightipy
print(f"{n} respondents, 4 margins; weightipy {weightipy.__version__}")
print(f"{'stage':<8}{'convene (s)':>14}{'weightipy (s)':>16}{'ratio':>9}")
for k in ("read", "rake", "write"):
    print(f"{k:<8}{c[k]:>14.3f}{w[k]:>16.3f}{w[k] / c[k]:>9.1f}")
tc, tw = sum(c[k] for k in ("read", "rake", "write")), sum(w[k] for k in ("read", "rake", "write"))
print(f"{'total':<8}{tc:>14.3f}{tw:>16.3f}{tw / tc:>9.1f}")
print(f"convene iterations: {c['iterations']}, converged: {c['converged']}")
print(f"largest difference between the weights (mean 1): {w['diff']:.2e}")
if w["diff"] > 1e-6:
    sys.exit("the two tools disagree")
PY
