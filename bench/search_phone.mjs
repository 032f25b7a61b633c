// A reader's first search on a phone: a 10,000-article site (bench/gen.py)
// served on 127.0.0.1, searched in Chromium with the CPU slowed 4x (the
// slowdown Lighthouse applies for its mobile profile) and, in a second
// pass, also a 4G-like network (40 ms round trip, 9 Mbit/s down). Each
// query runs on a fresh page, so every one is a first search: from the
// press of Enter in the box to the first result shown, index fetched on
// the way. Medians of the queries; bytes are what the search fetched.
// The page first settles (no request for 500 ms), as it has by the time
// a reader has typed a query; a last pass presses Enter at the load event
// instead, where the slowed renderer is still painting the page and
// decoding its icon: the worst case, not a reader's.
//
// Usage: cargo build --release
//        (cd tests/browser && npm ci)
//        node bench/search_phone.mjs [project made by bench/gen.py]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(ROOT, "tests", "browser", "package.json"));
const { chromium } = require("playwright-core");
const { serveSite } = await import(join(ROOT, "tests", "browser", "serve.mjs"));
const BIN = process.env.DOSSIER_BIN || join(ROOT, "target", "release", "dossier");
const BASE = "/big/";
const QUERIES = [
  "weigh fentanyl",
  "soybean purchases",
  "rare earth export controls",
  "Busan summit",
  "state visit",
  "tariff truce",
  "Bessent",
  "precursors quota",
  "Jamieson Greer harvest",
];

const work = mkdtempSync(join(tmpdir(), "dossier-phone-"));
let project = process.argv[2];
if (!project) {
  project = join(work, "project");
  const gen = spawnSync("python3", [join(ROOT, "bench", "gen.py"), "corpus", "10000", "1000", project], { encoding: "utf8" });
  if (gen.status !== 0) throw new Error(gen.stderr);
}
const site = join(work, "site");
const built = spawnSync(BIN, ["--root", project, "build", "--no-cache", "--output", site, "--base-url", `http://127.0.0.1${BASE}`], { encoding: "utf8", maxBuffer: 64 << 20 });
if (built.status !== 0) throw new Error(built.stderr.slice(-2000));
const { server, origin } = await serveSite(site, BASE);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});

async function firstSearch(q, network, settle) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  if (network) {
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 40,
      downloadThroughput: (9 * 1024 * 1024) / 8,
      uploadThroughput: (1.5 * 1024 * 1024) / 8,
    });
  }
  let bytes = 0;
  page.on("response", async (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith(`${BASE}search/`) && path !== `${BASE}search/`) bytes += (await r.body().catch(() => "")).length;
  });
  await page.goto(`${origin}${BASE}search/`, { waitUntil: settle ? "networkidle" : "load" });
  const ms = await page.evaluate(
    (q) =>
      new Promise((resolve) => {
        const input = document.querySelector("#q");
        const list = document.querySelector("#search-results");
        const status = document.querySelector("#search-status");
        const t0 = performance.now();
        // The first result shown, or the word that there is none.
        const seen = new MutationObserver(() => {
          if (list.querySelector("li") || /Nothing found/.test(status.textContent)) {
            seen.disconnect();
            resolve(performance.now() - t0);
          }
        });
        seen.observe(list, { childList: true, subtree: true });
        seen.observe(status, { childList: true, characterData: true, subtree: true });
        input.focus();
        input.value = q;
        input.form.requestSubmit();
      }),
    q,
  );
  await page.waitForLoadState("networkidle");
  await context.close();
  return [ms, bytes];
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  for (const [label, network, settle] of [
    ["CPU 4x slower", false, true],
    ["CPU 4x slower + 4G", true, true],
    ["CPU 4x, Enter at load", false, false],
  ]) {
    const runs = [];
    for (const q of QUERIES) {
      runs.push([q, ...(await firstSearch(q, network, settle))]);
      process.stderr.write(".");
    }
    for (const [q, ms, bytes] of runs) console.log(`${label.padEnd(22)} ${q.padEnd(28)} ${ms.toFixed(0).padStart(5)} ms ${(bytes / 1024).toFixed(0).padStart(5)} KB`);
    console.log(`${label.padEnd(22)} ${"median".padEnd(28)} ${median(runs.map((r) => r[1])).toFixed(0).padStart(5)} ms ${(median(runs.map((r) => r[2])) / 1024).toFixed(0).padStart(5)} KB (max ${Math.max(...runs.map((r) => r[1])).toFixed(0)} ms, ${(Math.max(...runs.map((r) => r[2])) / 1024).toFixed(0)} KB)\n`);
  }
} finally {
  await browser.close();
  server.close();
  rmSync(work, { recursive: true, force: true });
}
