#!/usr/bin/env bash
# Results-page benchmark: seeds a poll of RESPONDENTS (default 100,000) web
# respondents with six answers each (three demographic fields, so every question
# is split three ways) on embedded SQLite, times the computation directly, then
# serves the app on loopback and times the pages with repeated curl requests:
#
# - the first request of the public results page, which finds no cache and
#   computes the report on the request path;
# - REQUESTS (default 50) further requests of the public page and of the
#   organisers' page, served from the cache (release + render).
#
#   bash bench/polls/results.sh
#   RESPONDENTS=20000 REQUESTS=20 bash bench/polls/results.sh
#
# Not a timed test: the figures depend on the machine and on what else runs on it.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-bench}"
RESPONDENTS="${RESPONDENTS:-100000}"
REQUESTS="${REQUESTS:-50}"
PORT="${PORT:-18095}"
cargo build --release -q -p convene --example poll_results_bench
BIN="$CARGO_TARGET_DIR/release/examples/poll_results_bench"

dir="$(mktemp -d)"
"$BIN" "$RESPONDENTS" "$PORT" "$dir" >"$dir/out.log" 2>"$dir/err.log" &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
for _ in $(seq 1 1200); do
  grep -q '^ready' "$dir/out.log" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$dir/err.log" >&2; exit 1; }
  sleep 0.5
done
read -r _ slug id < <(grep '^ready' "$dir/out.log")
base="http://127.0.0.1:$PORT"

echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d)"
echo "# $RESPONDENTS respondents, 6 questions (3 demographic), SQLite; $(cat "$dir/err.log")"
grep '^recompute' "$dir/out.log"

ms() { curl -s -o /dev/null -w '%{time_total}\n' "$@" | awk '{ printf "%.1f\n", $1 * 1000 }'; }
stats() { sort -n | awk '{ a[NR] = $1 } END { printf "min %.1f ms, median %.1f ms, p95 %.1f ms, max %.1f ms (n = %d)\n", a[1], a[int((NR + 1) / 2)], a[int(NR * 0.95 + 0.5)], a[NR], NR }'; }

echo "public page, first request (no cache: computes on the request path): $(ms "$base/p/$slug/results") ms"
echo "public page, warm cache: $(for _ in $(seq 1 "$REQUESTS"); do ms "$base/p/$slug/results"; done | stats)"
echo "public page size: $(curl -s "$base/p/$slug/results" | wc -c) bytes"

jar="$dir/cookies"
token="$(curl -s -c "$jar" "$base/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')"
curl -s -b "$jar" -c "$jar" -o /dev/null -d "_csrf=$token" --data-urlencode "email=owner@bench.example" \
  --data-urlencode "password=a long enough password" "$base/login"
page="$base/s/bench/polls/$id/results"
code="$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "$page")"
[ "$code" = 200 ] || { echo "organiser page answered $code" >&2; exit 1; }
echo "organisers' page, warm cache: $(for _ in $(seq 1 "$REQUESTS"); do ms -b "$jar" "$page"; done | stats)"
echo "CSV export, warm cache: $(for _ in $(seq 1 10); do ms -b "$jar" "$base/s/bench/polls/$id/results.csv"; done | stats)"
