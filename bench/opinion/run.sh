#!/usr/bin/env bash
# Times Convene's opinion-mapping pipeline on synthetic data.
#
#   bash bench/opinion/run.sh            # the two sizes of the issue
#   bash bench/opinion/run.sh quick      # the small size only
#
# Each line of output is the JSON printed by the opinion_bench example: seconds
# per stage ("pipeline" = building the sparse matrix from the votes + the whole
# analysis), peak memory, and the groups found. Votes are generated in memory
# (participants in 3 latent opinion groups; LATENT_GROUPS=1 gives votes without
# structure, the slowest case for the principal components).
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-opinion}"
cargo build --release -q -p convene-analysis --example opinion_bench
BIN="$CARGO_TARGET_DIR/release/examples/opinion_bench"
SEED="${SEED:-1}"
LATENT="${LATENT_GROUPS:-3}"

echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%Y-%m-%d)"
echo "# 33,000 participants x 800 statements x 2,000,000 votes (target: pipeline < 1 s)"
"$BIN" synthetic 33000 800 2000000 "$SEED" "$LATENT"
if [ "${1:-}" != "quick" ]; then
  echo "# 1,000,000 participants x 10,000 statements x 50,000,000 votes (target: < 60 s, < 8 GB)"
  "$BIN" synthetic 1000000 10000 50000000 "$SEED" "$LATENT"
fi
