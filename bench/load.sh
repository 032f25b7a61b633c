#!/usr/bin/env bash
# Load-test `dossier serve` while the site is rebuilt every second, checking
# that no request fails and no page is ever served partly written.
#
# Usage: bench/load.sh [seconds] [connections]     (defaults 30 and 64)
# Env:   DOSSIER_BIN   binary to test (default target/release/dossier; this
#                      script does not build it)
#        WRK_THREADS   wrk threads (default 2)
# Needs wrk (apt-get install wrk) and curl. Exits non-zero on any request
# error or incomplete body, or if no rebuild happened during the run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_RUN=${1:-30}
CONNECTIONS=${2:-64}
THREADS=${WRK_THREADS:-2}
BIN=${DOSSIER_BIN:-$ROOT/target/release/dossier}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN") # serve runs from elsewhere

command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 2; }
[[ -x $BIN ]] || { echo "no dossier binary at $BIN" >&2; exit 2; }

work=$(mktemp -d)
project=$work/project
log=$work/serve.log
serve_pid= edit_pid=

cleanup() {
    [[ -n $edit_pid ]] && kill "$edit_pid" 2>/dev/null || true
    if [[ -n $serve_pid ]] && kill -0 "$serve_pid" 2>/dev/null; then
        # SIGINT is serve's graceful stop, which also removes its build dir.
        kill -INT "$serve_pid"
        for _ in $(seq 50); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$serve_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir "$project"
cp -r "$ROOT"/{seeds,content,templates,static,dossier.toml} "$project"/

# serve keeps its output under TMPDIR; pointing that into $work means the
# cleanup above removes it even if serve has to be killed.
TMPDIR=$work "$BIN" --root "$project" serve --port 0 >"$log" 2>&1 &
serve_pid=$!

# Same readiness signal as bench/reload.py: the line naming the served URL.
url=
for _ in $(seq 300); do
    url=$(grep -o -m1 'http://127\.0\.0\.1:[0-9]*/[^ ]*' "$log" || true)
    [[ -n $url ]] && break
    kill -0 "$serve_pid" 2>/dev/null || { echo "serve exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.1
done
[[ -n $url ]] || { echo "serve did not start within 30 s:" >&2; cat "$log" >&2; exit 1; }
origin=${url%"${url#http://*/}"}   # http://127.0.0.1:PORT/
origin=${origin%/}
base=/${url#"$origin"/}            # the site's base path, e.g. / or /docs/

# Fail fast on a wrong URL list rather than blaming serve for 404s later.
for p in "" topics/{soybeans,rare-earths,fentanyl-tariffs,visits}/ timeline/ sources/ \
    sources/{busan-outcomes,kl-talks,deal-prospects,progress-call,nov24-call}/ \
    style.css search-index.json; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$origin$base$p")
    [[ $code == 200 ]] || { echo "preflight: $base$p answered $code" >&2; exit 1; }
done

# One edit a second, so a rebuild is always near; every fourth is a seed edit,
# which goes through ingest and re-renders every page that cites the source.
# Files are replaced by rename, as editors do, so serve never reads a
# half-saved source; a half-written *output* is what this test looks for.
topic=$project/content/topics/soybeans.md
seed=$project/seeds/004_096332168e515902.txt # this phrase is not quoted by any page
cp "$topic" "$work/topic.orig"
edit_loop() {
    local i=0 tmp=$work/edit.tmp
    while :; do
        i=$((i + 1))
        if ((i % 4 == 0)); then
            if grep -q 'advisers have warned' "$seed"; then
                sed 's/advisers have warned/advisers have cautioned/' "$seed" >"$tmp"
            else
                sed 's/advisers have cautioned/advisers have warned/' "$seed" >"$tmp"
            fi
            mv "$tmp" "$seed"
        else
            { cat "$work/topic.orig"; printf '\nLoad-test edit %d.\n' "$i"; } >"$tmp"
            mv "$tmp" "$topic"
        fi
        echo "$i" >>"$work/edits"
        sleep 1
    done
}

echo "serving $url with $(basename "$BIN"); wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_RUN}s"
log_before=$(wc -l <"$log")
edit_loop &
edit_pid=$!
LOAD_RESULT=$work/result wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_RUN}s" \
    -s "$ROOT/bench/load.lua" "$origin$base" -- "$base"
kill "$edit_pid" 2>/dev/null || true
wait "$edit_pid" 2>/dev/null || true
edit_pid=

during=$(tail -n +"$((log_before + 1))" "$log")
count() { grep -c -E "$1" <<<"$during" || true; }
rebuilds=$(count '^rebuilt in ')
css_updates=$(count '^stylesheet updated in ')
failed=$(count '^build failed')
edits=$(wc -l <"$work/edits" 2>/dev/null || echo 0)
echo "rebuilds       $rebuilds during the run ($edits edits; $css_updates stylesheet-only updates; $failed failed builds)"
other=$(grep -v -E '^(rebuilt|stylesheet updated) in ' <<<"$during" || true)
if [[ -n $other ]]; then
    # Numbers stripped so repeated lines (timings, sizes) group together.
    echo "serve also printed (count, numbers as N):"
    sed -E 's/[0-9]+/N/g' <<<"$other" | sort | uniq -c | sort -rn | head -20
fi

# shellcheck disable=SC1091
source "$work/result"
status=0
((errors == 0)) || { echo "FAIL: $errors request errors"; status=1; }
((bad == 0)) || { echo "FAIL: $bad bad or partial bodies"; status=1; }
((rebuilds > 0)) || { echo "FAIL: no rebuild happened, so nothing was tested"; status=1; }
((failed == 0)) || echo "warning: $failed builds failed (the edits above should always build)"
((status == 0)) && echo "OK"
exit "$status"
