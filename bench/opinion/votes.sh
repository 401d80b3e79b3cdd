#!/usr/bin/env bash
# Vote-rate benchmark: starts Convene (`convene demo`, embedded SQLite) on loopback and
# drives many anonymous participants voting over HTTP/1.1 keep-alive connections, each
# as a browser without JavaScript does (fetch the conversation page for the CSRF token,
# then one form POST per vote). Prints votes per second. Target: 5,000 or more.
#
#   bash bench/opinion/votes.sh                      # 2,000 participants, 64 connections
#   PARTICIPANTS=5000 CONNECTIONS=128 bash bench/opinion/votes.sh
#
# Not a timed test: the figure depends on the machine and on what else runs on it.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-bench}"
PARTICIPANTS="${PARTICIPANTS:-2000}"
CONNECTIONS="${CONNECTIONS:-64}"
PORT="${PORT:-18093}"
cargo build --release -q -p convene --bin convene --example vote_bench
BIN="$CARGO_TARGET_DIR/release"

dir="$(mktemp -d)"
"$BIN/convene" demo --data-dir "$dir" --bind "127.0.0.1:$PORT" >"$dir/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
path="$(curl -fs "http://127.0.0.1:$PORT/s/serran-valley/opinion" \
  | grep -o '/s/serran-valley/opinion/[0-9]*">What should the next round' | head -1 | cut -d'"' -f1)"
[ -n "$path" ] || { echo "demo conversation not found" >&2; exit 1; }

echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d)"
echo "# server: convene demo (SQLite), client: vote_bench on the same machine"
"$BIN/examples/vote_bench" "http://127.0.0.1:$PORT" "$path" "$PARTICIPANTS" "$CONNECTIONS" "$server"
