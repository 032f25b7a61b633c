#!/usr/bin/env -S python3 -u
"""Adversarial inputs: each must build in time linear in its size.

    bench/adversarial.py [--runs 3] [--scales 1,2,4] [--kinds "50 MB seed,..."]

For each input kind, a copy of the real project gets one hostile file at
size s × base (a long run-on sentence full of dates, a seed of lines cut
mid-sentence, a page of identical headings, a 50 MB seed), and the release
binary builds it `runs` times. Printed per kind and scale: the median wall
time and peak RSS, and the ratio to the smallest scale. Linear work doubles
when the size doubles; quadratic work quadruples. `--kinds` runs only the
named kinds (the 50 MB seed is 200 MB at scale 4). The README's release
build comes first: `cargo build --release`.
"""
import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("DOSSIER_BIN", os.path.join(ROOT, "target", "release", "dossier"))


def dated_sentence(scale):
    """One run-on sentence of ~214 KB × scale, a date every few words."""
    months = ["January", "February", "March", "April", "May", "June", "July",
              "August", "September", "October", "November", "December"]
    parts, size, i = [], 0, 0
    while size < 214_000 * scale:
        p = f"on {months[i % 12]} {i % 28 + 1}, {2000 + i % 30} and {i % 9 + 1} weeks ago and in April"
        parts.append(p)
        size += len(p) + 2
        i += 1
    return "seeds/runon.txt", "Run-on\nThe talks happened " + ", ".join(parts) + ".\n"


def cut_lines(scale):
    """~1.5 MB × scale of lines that each continue the previous one."""
    lines, size, i = ["Cut lines"], 0, 0
    while size < 1_500_000 * scale:
        line = f"soybean shipments resumed after the talks number {i} and"
        lines.append(line)
        size += len(line) + 1
        i += 1
    return "seeds/cut.txt", "\n".join(lines) + " ended.\n"


def headings(scale):
    """20,000 × scale identical headings on one page."""
    body = "".join("## Same heading\n\nText.\n\n" for _ in range(20_000 * scale))
    return "content/notes/headings.md", "+++\ntitle = \"Headings\"\n+++\n" + body


def huge_seed(scale):
    """50 MB × scale of one real article, repeated: far over the 5 MB warning
    threshold (the test suite covers the warning at 6 MB; this is the size
    that is too slow for a debug-build test)."""
    with open(os.path.join(ROOT, "seeds", "002_c994469ea647c904.txt")) as f:
        article = f.read()
    parts, size, n = [], 0, 0
    while size < 50_000_000 * scale:
        # Numbered, so the repeated-paragraph rule does not fold it away.
        part = article.replace("soybean", f"soybean{n}")
        parts.append(part)
        size += len(part.encode())
        n += 1
    return "seeds/huge.txt", "".join(parts)


def huge_seed_is_whole(work, text):
    """The last copy reached the page, and the page was written to its end."""
    last = re.match(r"soybean\d+", text[text.rindex("soybean"):]).group(0)
    with open(os.path.join(work, "out", "sources", "huge", "index.html")) as f:
        page = f.read()
    if last not in page or not page.rstrip().endswith("</html>"):
        sys.exit(f"the 50 MB seed's page is incomplete in {work}")


KINDS = {"long dated sentence": dated_sentence, "cut-line seed": cut_lines,
         "identical headings": headings, "50 MB seed": huge_seed}
# What each kind must have produced, beyond a build that exits 0.
CHECKS = {"50 MB seed": huge_seed_is_whole}


def project(work):
    for d in ["seeds", "content", "templates", "static"]:
        shutil.copytree(os.path.join(ROOT, d), os.path.join(work, d))
    shutil.copy(os.path.join(ROOT, "dossier.toml"), work)


def run(work):
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.execv(BIN, [BIN, "--root", work, "build", "--output", os.path.join(work, "out")])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"build failed in {work}")
    return wall, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scales", default="1,2,4")
    ap.add_argument("--kinds", default=",".join(KINDS))
    a = ap.parse_args()
    scales = [int(s) for s in a.scales.split(",")]
    kinds = a.kinds.split(",")
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        sys.exit(f"unknown kinds {unknown}; known: {list(KINDS)}")
    print(f"{'input':<22} {'scale':>5} {'size':>9} {'median s':>9} {'RSS MB':>7} {'× smallest':>10}")
    for name in kinds:
        make = KINDS[name]
        first = None
        for scale in scales:
            with tempfile.TemporaryDirectory() as work:
                project(work)
                rel, text = make(scale)
                path = os.path.join(work, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as f:
                    f.write(text)
                results = [run(work) for _ in range(a.runs)]
                if name in CHECKS:
                    CHECKS[name](work, text)
                wall = statistics.median(r[0] for r in results)
                rss = max(r[1] for r in results)
                first = first or wall
                print(f"{name:<22} {scale:>5} {len(text.encode()) / 1e6:>7.2f}MB {wall:>9.3f} {rss:>7.0f} {wall / first:>10.2f}")


if __name__ == "__main__":
    main()
