#!/usr/bin/env bash
# Inbound SMS webhook throughput: starts `convene serve` (release build, embedded
# SQLite) on loopback with a Kannel channel and an open poll, drives Kannel's get-url
# webhook with wrk (many connections, each request a new gateway message id), then
# counts the stored inbound rows. Every message runs through the poll conversation
# (keyword, then answers). Prints stored messages per second. Target: 2,000 or more.
#
#   bash bench/sms/webhooks.sh                 # 20 s, 64 connections
#   DURATION=30s CONNECTIONS=128 bash bench/sms/webhooks.sh
#
# Not a timed test: the figure depends on the machine and on what else runs on it.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-bench}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
PORT="${PORT:-18094}"
if ! command -v wrk >/dev/null; then
  apt-get install -y -q wrk >/dev/null || sudo apt-get install -y -q wrk >/dev/null
fi
cargo build --release -q -p convene --bin convene --example sms_bench
BIN="$CARGO_TARGET_DIR/release"

dir="$(mktemp -d)"
key="$("$BIN/examples/sms_bench" setup "$dir")"
"$BIN/convene" serve --data-dir "$dir" --bind "127.0.0.1:$PORT" >"$dir/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done

echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d)"
echo "# server: convene serve (SQLite), client: wrk -t$THREADS -c$CONNECTIONS -d$DURATION on the same machine"
out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s bench/sms/webhooks.lua \
  "http://127.0.0.1:$PORT" -- "/hooks/kannel/$key")"
echo "$out"
secs="$(echo "$out" | sed -n 's/.*requests in \([0-9.]*\)s.*/\1/p')"
read -r inbound respondents outbound < <("$BIN/examples/sms_bench" count "$dir")
non2xx="$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p')"
echo "stored inbound messages: $inbound (respondents $respondents, replies $outbound, non-2xx ${non2xx:-0})"
awk -v n="$inbound" -v s="$secs" 'BEGIN { printf "stored messages/s: %.0f\n", n / s }'
