#!/usr/bin/env bash
# The photo pipeline and the weight of an update page with photos.
#
# 1. A 12-megapixel phone photo (4032 × 3024, with GPS in its EXIF and turned by
#    its orientation) processed into its four widths: target under 1 s
#    (crates/convene/examples/photo_bench.rs).
# 2. `convene demo` (release) on loopback: the demo's update with photos, as the
#    public reads it, with and without the low-bandwidth mode: HTML and CSS
#    (target under 60 KB) and with every image the page loads (target under 150 KB
#    in low-bandwidth mode), as sent compressed to a browser that asks for gzip.
#
#   bash bench/media/run.sh
#
# Not a timed test: the figures depend on the machine and on what else runs on it.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-bench}"
PORT="${PORT:-18097}"
cargo build --release -q -p convene --bin convene --example photo_bench
BIN="$CARGO_TARGET_DIR/release"
echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d)"
"$BIN/examples/photo_bench" 9

dir="$(mktemp -d)"
"$BIN/convene" demo --data-dir "$dir" --bind "127.0.0.1:$PORT" >"$dir/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
for _ in $(seq 1 300); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
base="http://127.0.0.1:$PORT"
campaign="$base/s/serran-valley/campaign"
# The update with the most photos and videos.
page="$(curl -fsS "$campaign" | grep -o '/s/serran-valley/campaign/updates/[0-9]*' | sort -u | while read -r u; do
  echo "$(curl -fsS "$base$u" | grep -o '<figure class="photo">' | wc -l) $u"
done | sort -rn | head -1 | cut -d' ' -f2)"
[ -n "$page" ] || { echo "no update with photos in the demo" >&2; exit 1; }
weigh() { # cookie-header url -> compressed bytes
  curl -sS -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' ${1:+-H "Cookie: $1"} "$2"
}
for mode in normal light; do
  cookie=""; [ "$mode" = light ] && cookie="convene_light=1"
  html_file="$dir/page-$mode.html"
  curl -fsS ${cookie:+-H "Cookie: $cookie"} "$base$page" >"$html_file"
  html=$(weigh "$cookie" "$base$page")
  css=$(weigh "$cookie" "$base/assets/app.css")
  js=$(weigh "$cookie" "$base/assets/app.js")
  imgs=0; n=0
  # The images a browser loads: each <img>'s src (a browser with a wide screen picks
  # from srcset a width of about 800 px, the src).
  # A video's poster is loaded too; the video itself only when played (preload="none").
  for src in $(grep -o '<img [^>]*src="[^"]*"\|poster="[^"]*"' "$html_file" | sed 's/.*\(src\|poster\)="\([^"]*\)".*/\2/'); do
    imgs=$((imgs + $(weigh "$cookie" "$base$src"))); n=$((n + 1))
  done
  media=$(grep -o '<figure class="photo">' "$html_file" | wc -l)
  echo "update page with $media photos and videos ($mode): HTML $html B + CSS $css B + JS $js B = $((html + css)) B without script; with its $n images $((html + css + js + imgs)) B"
done
