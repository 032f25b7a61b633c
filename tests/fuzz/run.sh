#!/usr/bin/env bash
# Runs every fuzz target for N seconds each (default 600), one after the
# other, starting from the real seeds and content as corpora, with a
# dictionary per target (tests/fuzz/dict/) of the tokens its parser
# branches on: date words and huge numbers, widget labels and encodings,
# front matter keys, citation and markdown syntax. Crashes land in
# tests/fuzz/artifacts/<target>/ and make this script exit non-zero.
# Usage: tests/fuzz/run.sh [seconds]     (needs: cargo install cargo-fuzz)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-600}
export RUSTC_BOOTSTRAP=1   # cargo-fuzz's sanitizer flags on a stable toolchain
for target in ingest dates front_matter citations; do
  corpus=tests/fuzz/corpus/$target
  mkdir -p "$corpus"
  case $target in
    ingest|dates) cp seeds/*.txt "$corpus/" ;;
    *) find content -name '*.md' -exec cp {} "$corpus/" \; ;;
  esac
  echo "== $target, ${secs}s"
  cargo fuzz run --fuzz-dir tests/fuzz "$target" "$corpus" -- \
    -dict="tests/fuzz/dict/$target.dict" -max_total_time="$secs" -print_final_stats=1 2>&1 |
    grep -E '^(stat::|#[0-9]+ +DONE|Done|==[0-9]+==|SUMMARY|.*panicked)' || true
  if [ -n "$(ls -A "tests/fuzz/artifacts/$target" 2>/dev/null)" ]; then
    echo "crash in $target: tests/fuzz/artifacts/$target" >&2
    exit 1
  fi
done
