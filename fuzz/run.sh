#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 30 s each), starting from the
# committed seeds and the regression inputs, and prints executions and coverage per
# target. An input that crashes a target is copied to regressions/<target>/ (replayed
# by the domain crate's tests from then on) and the run fails.
#
#   fuzz/run.sh [SECONDS] [TARGET…]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). The targets are built with the
# stable toolchain; RUSTC_BOOTSTRAP lets it take the instrumentation flags, and no
# sanitizer is used (`-s none`): Rust's safe code needs none to find panics, and
# the memory limits below catch runaway allocations.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-30}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^convene-fuzz$')
fi
export RUSTC_BOOTSTRAP=1
cargo fuzz build -s none -O >build.log 2>&1 || { cat build.log; exit 1; }
printf '%-14s %12s %16s %8s %8s\n' target executions 'cov (of edges)' features corpus
failed=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "regressions/$t" "artifacts/$t"
  log="artifacts/$t/log.txt"
  if ! cargo fuzz run -s none -O "$t" "corpus/$t" "seeds/$t" "regressions/$t" -- \
      -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
      -max_len=65536 -print_final_stats=1 >"$log" 2>&1; then
    failed=1
    for f in artifacts/"$t"/crash-* artifacts/"$t"/oom-* artifacts/"$t"/timeout-* artifacts/"$t"/slow-unit-*; do
      [ -e "$f" ] && cp "$f" "regressions/$t/" && echo "$t: kept $(basename "$f") in fuzz/regressions/$t/"
    done
    tail -n 40 "$log"
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
  total=$(sed -n 's/^INFO: Loaded 1 modules *(\([0-9]*\) inline.*/\1/p' "$log" | head -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$line")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$line")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$line")
  printf '%-14s %12s %16s %8s %8s\n' "$t" "${execs:-?}" "${cov:-?} (${total:-?})" "${ft:-?}" "${corp:-?}"
done
exit "$failed"
