#!/usr/bin/env bash
# Betweenness benchmark: Convene against python-igraph on the same random graph.
#
#   bash bench/network/run.sh [NODES] [EDGES] [SEED]     (default 10000 100000 1)
#
# Needs python-igraph (pip install igraph). Both tools read the same edge list;
# each is timed as the best of three runs, and the script checks that they
# agree before printing the ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-10000}
M=${2:-100000}
SEED=${3:-1}
python3 -c 'import igraph' 2>/dev/null || {
    echo "python-igraph is missing: pip install igraph" >&2
    exit 1
}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 bench/network/igraph_bench.py generate "$N" "$M" "$SEED" "$WORK/edges.csv"
cargo build --quiet --release -p convene-analysis --example network_bench
BIN="${CARGO_TARGET_DIR:-target}/release/examples/network_bench"

T1=$("$BIN" "$WORK/edges.csv" "$WORK/convene1.txt" 1)
TN=$("$BIN" "$WORK/edges.csv" "$WORK/convene.txt")
read -r TI DIFF < <(python3 bench/network/igraph_bench.py time "$WORK/edges.csv" "$WORK/convene.txt")

echo "graph: G(n=$N, m=$M) seed $SEED, undirected, unweighted; $(nproc) cores"
echo "python-igraph $(python3 -c 'import igraph; print(igraph.__version__)'): ${TI} s"
echo "convene, 1 thread:        ${T1} s (igraph/convene = $(python3 -c "print(f'{$TI/$T1:.2f}')"))"
echo "convene, all cores:       ${TN} s (igraph/convene = $(python3 -c "print(f'{$TI/$TN:.2f}')"))"
echo "largest relative difference from igraph: ${DIFF}"
