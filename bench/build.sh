#!/usr/bin/env bash
# Times a release build of the real site: median of N runs (default 15).
# Usage: bench/build.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
cargo build --release --quiet
bin=target/release/dossier
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bin" build --output "$out/site" >/dev/null 2>&1   # warm the page cache
times=()
for _ in $(seq "$runs"); do
  s=$(date +%s%N)
  "$bin" build --output "$out/site" >/dev/null 2>&1
  e=$(date +%s%N)
  times+=($(( (e - s) / 1000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | awk -v n="$runs" 'NR == int((n + 1) / 2) { print }')
min=$(echo "$sorted" | head -1)
max=$(echo "$sorted" | tail -1)
printf 'real site, %d runs: median %.1f ms (min %.1f, max %.1f) wall\n' "$runs" "$(echo "$median/1000" | bc -l)" "$(echo "$min/1000" | bc -l)" "$(echo "$max/1000" | bc -l)"
echo "stage timings of one build:"
"$bin" build --timings --output "$out/site" 2>&1 | grep -E '^  ' || true
