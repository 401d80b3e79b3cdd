#!/usr/bin/env bash
# Pledge sign-ups on the embedded SQLite database, as when a campaign is mentioned
# on television. Target: 2,000 sign-ups per second, each durable before it is
# answered.
#
# 1. Web: 256 concurrent callers sign a pledge for DURATION_S seconds through the
#    domain (each signature and its confirmation e-mail committed before the caller
#    is answered), then every confirmation link is followed: both rates, and whether
#    the pledge counts each confirmation exactly once
#    (crates/convene/examples/campaign_bench.rs).
# 2. SMS: `convene serve` (release) on loopback takes Kannel webhooks from wrk as
#    fast as it sends them, every phone texting "SIGN <district>" twice: stored
#    texts per second, and whether the signers stored equal the phones that texted.
#
#   bash bench/campaign/run.sh
#   DURATION_S=30 bash bench/campaign/run.sh
#
# Not a timed test: the figures depend on the machine and on what else runs on it.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-bench}"
DURATION_S="${DURATION_S:-20}"
PORT="${PORT:-18096}"
if ! command -v wrk >/dev/null; then
  apt-get install -y -q wrk >/dev/null || sudo apt-get install -y -q wrk >/dev/null
fi
cargo build --release -q -p convene --bin convene --example campaign_bench
BIN="$CARGO_TARGET_DIR/release"
echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d)"

web="$(mktemp -d)"
"$BIN/examples/campaign_bench" setup "$web" >/dev/null
"$BIN/examples/campaign_bench" web "$web" "$DURATION_S" 256
rm -rf "$web"

dir="$(mktemp -d)"
read -r key pledge < <("$BIN/examples/campaign_bench" setup "$dir")
"$BIN/convene" serve --data-dir "$dir" --bind "127.0.0.1:$PORT" >"$dir/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
out="$(wrk -t2 -c64 -d"${DURATION_S}s" -s bench/campaign/signups.lua \
  "http://127.0.0.1:$PORT" -- "/hooks/kannel/$key")"
echo "$out" | sed -n '/requests in/p;/Non-2xx/p'
secs="$(echo "$out" | sed -n 's/.*requests in \([0-9.]*\)s.*/\1/p')"
# Requests wrk gave up on at the end may still be committing: stop the server (it
# finishes what it acknowledged), then count in one snapshot.
kill "$server"; wait "$server" 2>/dev/null || true
read -r inbound phones signers counted < <("$BIN/examples/campaign_bench" count "$dir")
echo "SMS (pledge $pledge): stored texts: $inbound from $phones phones; signers stored: $signers; pledge count: $counted"
if [ "$phones" = "$signers" ] && [ "$signers" = "$counted" ]; then echo "none lost, none counted twice"; else echo "MISMATCH"; fi
awk -v n="$inbound" -v p="$phones" -v s="$secs" 'BEGIN { printf "stored SIGN texts/s: %.0f; sign-ups/s: %.0f\n", n / s, p / s }'
