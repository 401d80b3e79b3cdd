#!/usr/bin/env bash
# The coordination site at scale, on the embedded SQLite database: 100,000
# activities over a gazetteer of 5,000 districts (crates/convene/examples/
# coordination_bench.rs prepares them), served by `convene serve` (release) on
# loopback.
#
# 1. The public district page and the 3W matrix, each at a fixed 500 requests/s
#    (hey: 50 workers of 10 requests/s each) for DURATION: latency percentiles.
#    Target: p99 under 50 ms.
# 2. SMS JOINs through Kannel's webhook as fast as wrk sends them, every phone
#    texting its JOIN twice: stored JOINs per second, and whether the joins stored
#    equal the phones that texted (none lost, none counted twice). Target: 1,000/s.
#
#   bash bench/coordination/run.sh
#   DURATION=30s bash bench/coordination/run.sh
#
# Not a timed test: the figures depend on the machine and on what else runs on it.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-bench}"
DURATION="${DURATION:-20s}"
PORT="${PORT:-18095}"
for tool in wrk hey; do
  if ! command -v "$tool" >/dev/null; then
    apt-get install -y -q "$tool" >/dev/null || sudo apt-get install -y -q "$tool" >/dev/null
  fi
done
cargo build --release -q -p convene --bin convene --example coordination_bench
BIN="$CARGO_TARGET_DIR/release"

dir="$(mktemp -d)"
[ -z "${KEEP:-}" ] || echo "# data directory kept: $dir"
started=$(date +%s)
read -r key district region < <("$BIN/examples/coordination_bench" setup "$dir")
echo "# data: 100,000 activities, 5,000 districts, prepared in $(( $(date +%s) - started )) s"
"$BIN/convene" serve --data-dir "$dir" --bind "127.0.0.1:$PORT" >"$dir/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$dir"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done

echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d)"
for path in "/s/bench/places/$district" "/s/bench/activities/3w" "/s/bench/activities/3w?region=$region"; do
  curl -fs -o /dev/null -w "# $path: %{http_code}, %{size_download} bytes\n" -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$path"
  out="$(hey -z "$DURATION" -c 50 -q 10 -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$path")"
  rps="$(echo "$out" | sed -n 's/^[[:space:]]*Requests\/sec:[[:space:]]*\([0-9.]*\).*/\1/p')"
  p50="$(echo "$out" | sed -n 's/^[[:space:]]*50% in \([0-9.]*\) secs.*/\1/p')"
  p99="$(echo "$out" | sed -n 's/^[[:space:]]*99% in \([0-9.]*\) secs.*/\1/p')"
  codes="$(echo "$out" | sed -n '/Status code distribution/,/^$/p' | tr -s ' ' | tr '\n' ' ')"
  awk -v p="$path" -v r="$rps" -v a="$p50" -v b="$p99" -v c="$codes" \
    'BEGIN { printf "%s: %.0f requests/s, p50 %.1f ms, p99 %.1f ms (%s)\n", p, r, a * 1000, b * 1000, c }'
done

out="$(wrk -t2 -c64 -d"$DURATION" -s bench/coordination/joins.lua \
  "http://127.0.0.1:$PORT" -- "/hooks/kannel/$key" "$dir/codes.txt")"
echo "$out" | sed -n '/requests in/p;/Non-2xx/p'
secs="$(echo "$out" | sed -n 's/.*requests in \([0-9.]*\)s.*/\1/p')"
# Requests wrk gave up on at the end may still be committing: stop the server
# (it finishes what it acknowledged), then count in one snapshot.
kill "$server"; wait "$server" 2>/dev/null || true
read -r inbound phones joins doubled < <("$BIN/examples/coordination_bench" count "$dir")
echo "stored inbound JOIN texts: $inbound from $phones phones; joins stored: $joins (a phone joined twice: $doubled)"
if [ "$phones" = "$joins" ]; then echo "none lost, none counted twice"; else echo "MISMATCH: joins != phones"; fi
awk -v n="$inbound" -v s="$secs" 'BEGIN { printf "stored JOIN texts/s: %.0f\n", n / s }'
