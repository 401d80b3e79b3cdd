#!/usr/bin/env bash
# Soak test: `convene serve` on the demo data (embedded SQLite, loopback) under mixed
# traffic for SECONDS (default 240) at RATE requests/s (default 80): pages, opinion
# votes, poll answers and SMS through Kannel's webhook
# (crates/convene/examples/soak.rs). Passes when no request got a 5xx or failed and
# the server's resident memory stayed flat (the highest reading of the last third at
# most 20 % above the highest of the first third, after a 30 s warm-up).
#
#   bash bench/soak/run.sh                      # a release build, as measured in docs/benchmarks.md
#   PROFILE=dev SECONDS_=180 bash bench/soak/run.sh   # what .ci/run runs (the test build)
#
# Not a timed test: it checks for errors and growth, not for speed.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${SECONDS_:-240}"
RATE="${RATE:-80}"
PORT="${PORT:-18097}"
PROFILE="${PROFILE:-release}"
if [ "$PROFILE" = release ]; then
  cargo build --release -q -p convene --bin convene --example soak
  BIN="${CARGO_TARGET_DIR:-target}/release"
else
  cargo build -q -p convene --bin convene --example soak
  BIN="${CARGO_TARGET_DIR:-target}/debug"
fi
dir="$(mktemp -d)"
key="$("$BIN/examples/soak" setup "$dir/data")"
CONVENE_LOG=warn "$BIN/convene" serve --data-dir "$dir/data" --bind "127.0.0.1:$PORT" >"$dir/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%Y-%m-%d), profile $PROFILE"
status=0
"$BIN/examples/soak" load "http://127.0.0.1:$PORT" "$key" "$server" "$DURATION" "$RATE" || status=$?
if grep -q -E "ERROR|panicked" "$dir/server.log"; then
  echo "the server logged errors:"
  grep -E "ERROR|panicked" "$dir/server.log" | head -20
  status=1
fi
kill -0 "$server" 2>/dev/null || { echo "the server is gone"; status=1; }
exit "$status"
