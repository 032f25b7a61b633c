#!/usr/bin/env python3
"""Save-to-reload latency of `dossier serve`: the time from writing a file to
the reload event arriving on an open SSE connection. Medians of N edits.

Usage: bench/reload.py [runs] [--corpus DIR]   (builds the release binary first)
Cases: a one-word edit to a topic page and to a seed, on the real site and on
the real site plus 1,000 synthetic markdown pages; with --corpus, also on a
generated project (bench/gen.py corpus 10000 1000 DIR): one of its seeds and
one of its pages.
"""
import os, shutil, socket, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# DOSSIER_BIN names a binary to time instead of building target/release's.
BIN = os.environ.get("DOSSIER_BIN") or os.path.join(ROOT, "target", "release", "dossier")
RUNS = 15


def copy_project(dst):
    for d in ["seeds", "content", "templates", "static"]:
        shutil.copytree(os.path.join(ROOT, d), os.path.join(dst, d))
    shutil.copy(os.path.join(ROOT, "dossier.toml"), dst)


def synthetic_pages(dst, n):
    os.makedirs(os.path.join(dst, "content", "notes"), exist_ok=True)
    for i in range(n):
        with open(os.path.join(dst, "content", "notes", f"page-{i:04}.md"), "w") as f:
            f.write(f'+++\ntitle = "Note {i}"\ndescription = "Synthetic page {i}"\n+++\n')
            f.write(f"## Section {i}\n\nSoybean and tariff notes, paragraph {i}.\n\n| a | b |\n|---|---|\n| {i} | {i * 2} |\n")


def start(project):
    p = subprocess.Popen([BIN, "--root", project, "serve", "--port", "0"], stderr=subprocess.PIPE, text=True)
    for line in p.stderr:
        if "http://127.0.0.1:" in line:
            port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
            # Keep reading: a full pipe would block the server's next log line.
            threading.Thread(target=lambda: [None for _ in p.stderr], daemon=True).start()
            return p, port
    raise SystemExit("serve did not start")


def sse(port):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /__dossier/events HTTP/1.1\r\nHost: x\r\n\r\n")
    s.settimeout(10)
    buf = b""
    while b"text/event-stream" not in buf:
        buf += s.recv(4096)
    return s


def wait_reload(s):
    buf = b""
    while b"event: reload" not in buf:
        buf += s.recv(4096)


def measure(project, rel, old, new, runs=RUNS):
    proc, port = start(project)
    s = sse(port)
    path = os.path.join(project, rel)
    times = []
    try:
        for i in range(runs):
            text = open(path).read()
            a, b = (old, new) if i % 2 == 0 else (new, old)
            t0 = time.perf_counter()
            with open(path, "w") as f:
                f.write(text.replace(a, b, 1))
            wait_reload(s)
            times.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.6)  # let any trailing event of the last save settle
    finally:
        proc.terminate()
        proc.wait()
    return statistics.median(times), min(times), max(times)


def corpus_cases(corpus, runs):
    """A word swapped in a seed and in a page of a generated project."""
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "p")
        shutil.copytree(corpus, project, ignore=shutil.ignore_patterns(".dossier-cache", "public"))
        seed = sorted(f for f in os.listdir(os.path.join(project, "seeds")) if f.endswith(".txt"))[len(os.listdir(os.path.join(project, "seeds"))) // 2]
        seed_rel = os.path.join("seeds", seed)
        words = open(os.path.join(project, seed_rel)).read().split()
        old = next(w for w in words[20:] if w.isalpha() and len(w) > 5)
        page_rel = os.path.join("content", "notes", "page-00500.md")
        label = f"{os.path.basename(corpus.rstrip('/'))}"
        for case, rel, a in [("seed edit", seed_rel, old), ("page edit", page_rel, "would shape")]:
            med, lo, hi = measure(project, rel, a, a.upper(), runs)
            print(f"{label:26} {case:11} median {med:6.1f} ms  (min {lo:.1f}, max {hi:.1f}, {runs} edits)")


def main():
    args = sys.argv[1:]
    corpus = None
    if "--corpus" in args:
        i = args.index("--corpus")
        corpus = args[i + 1]
        del args[i : i + 2]
    runs = int(args[0]) if args else RUNS
    if not os.environ.get("DOSSIER_BIN"):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    if corpus:
        corpus_cases(corpus, runs)
        return
    for label, extra in [("real site", 0), ("real site + 1,000 pages", 1000)]:
        with tempfile.TemporaryDirectory() as tmp:
            copy_project(tmp)
            if extra:
                synthetic_pages(tmp, extra)
            for case, rel, old, new in [
                ("topic edit", "content/topics/soybeans.md", "clearest tests", "plainest tests"),
                ("seed edit", "seeds/004_096332168e515902.txt", "advisers have warned", "advisers have cautioned"),
            ]:
                med, lo, hi = measure(tmp, rel, old, new, runs)
                print(f"{label:26} {case:11} median {med:6.1f} ms  (min {lo:.1f}, max {hi:.1f}, {runs} edits)")


if __name__ == "__main__":
    main()
