// The search at scale: a 10,000-article site (bench/gen.py) served on
// 127.0.0.1, searched in Chromium. The first search must download at most
// 300 KB of index and land on a sentence anchor.
// Run: cargo build --release && node --test tests/browser/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serveSite } from "./serve.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "target", "release", "dossier");
const BASE = "/big/";

let server, origin, browser, work;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "dossier-scale-"));
  const project = join(work, "project"), site = join(work, "site");
  const gen = spawnSync("python3", [join(ROOT, "bench", "gen.py"), "corpus", "10000", "1000", project], { encoding: "utf8" });
  assert.equal(gen.status, 0, gen.stderr);
  const built = spawnSync(BIN, ["--root", project, "build", "--output", site, "--base-url", `http://127.0.0.1${BASE}`], { encoding: "utf8", maxBuffer: 64 << 20 });
  assert.equal(built.status, 0, built.stderr.slice(-2000));
  ({ server, origin } = await serveSite(site, BASE));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("at 10,000 articles the first search downloads at most 300 KB and lands on a sentence", async () => {
  const page = await browser.newPage();
  const fetched = [];
  // Everything under search/ but the page itself, the manifest it fetches on load included.
  page.on("response", async (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith(`${BASE}search/`) && path !== `${BASE}search/`) fetched.push([r.url(), (await r.body()).length]);
  });
  await page.goto(`${origin}${BASE}search/`);
  // Source titles read "… weigh fentanyl tariffs"; page titles do not.
  await page.fill("#q", "weigh fentanyl");
  await page.waitForSelector("#search-results li");
  await page.waitForLoadState("networkidle");
  const total = fetched.reduce((a, f) => a + f[1], 0);
  assert.ok(total <= 300 * 1024, `first search fetched ${total} bytes:\n${fetched.map((f) => f.join(" ")).join("\n")}`);
  assert.match(await page.textContent("#search-status"), /[\d,]+ pages? found/);
  const source = page.locator('#search-results a.search-title[href*="/sources/"]').first();
  const href = await source.getAttribute("href");
  assert.match(href, /\/sources\/[\w-]+\/#p\d+-s\d+$/);
  await Promise.all([page.waitForURL(/#p\d+-s\d+$/), source.click()]);
  const id = new URL(page.url()).hash.slice(1);
  assert.match(await page.locator(`[id="${id}"]`).textContent(), /fentanyl/i);
  await page.close();
});
