// End-to-end tests of the real site in Debian's headless Chromium, served on
// 127.0.0.1 under the GitHub Pages project path /trade-explainer/.
// Run: cargo build --release && (cd tests/browser && npm ci) && node --test tests/browser/
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
const BASE = "/trade-explainer/";

let server, origin, browser, work;
const outside = [];
const consoleErrors = [];

before(async () => {
  work = mkdtempSync(join(tmpdir(), "dossier-browser-"));
  const site = join(work, "site");
  const built = spawnSync(BIN, ["--root", ROOT, "build", "--output", site, "--base-url", `http://127.0.0.1${BASE}`], { encoding: "utf8" });
  assert.equal(built.status, 0, built.stderr);
  ({ server, origin } = await serveSite(site, BASE));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function newPage(options = {}) {
  const context = await browser.newContext(options);
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname !== "127.0.0.1") {
      outside.push(url.href);
      return route.abort();
    }
    return route.continue();
  });
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(`${page.url()}: ${m.text()}`); });
  page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

test("search finds soybeans and the result opens the right page", async () => {
  const page = await newPage();
  const requested = [];
  page.on("request", (r) => requested.push(r.url()));
  await page.goto(`${origin}${BASE}search/`);
  await page.waitForLoadState("networkidle");
  // The search page fetches the small manifest ahead; the index's chunks
  // and documents come only with a query.
  const index = requested.filter((u) => u.includes("/search/") && !u.endsWith("/search/"));
  assert.deepEqual(index.map((u) => new URL(u).pathname), [`${BASE}search/index.json`], "only the manifest before a query");
  await page.fill("#q", "soybeans");
  await page.waitForSelector("#search-results li");
  assert.match(await page.textContent("#search-status"), /pages? found for “soybeans”/);
  assert.ok(await page.locator("#search-results mark").count() > 0, "snippets mark the match");
  // Keyboard: ↓ from the box focuses the first result, Enter opens it.
  await page.focus("#q");
  await page.keyboard.press("ArrowDown");
  const first = await page.evaluate(() => document.activeElement.textContent);
  assert.equal(first, "Soybeans", "the topic ranks first");
  await Promise.all([page.waitForURL(/\/topics\/soybeans\/(#[\w-]+)?$/), page.keyboard.press("Enter")]);
  assert.equal(await page.textContent("main h1"), "Soybeans");
  await page.context().close();
});

test("search ranks by where the words are, knows numbers, and lands on sentences", async () => {
  const page = await newPage();
  const fetched = [];
  page.on("response", async (r) => { if (r.url().includes("/search/")) fetched.push((await r.body()).length); });
  const results = async (q) => {
    await page.goto(`${origin}${BASE}search/?q=${encodeURIComponent(q)}`);
    await page.waitForSelector("#search-results li");
    return page.$$eval("#search-results > li", (lis) => lis.map((li) => ({
      title: li.querySelector("a.search-title").textContent,
      href: li.querySelector("a.search-title").getAttribute("href"),
      snippet: Array.from(li.querySelectorAll(".search-snippet")).map((p) => p.textContent).join(" "),
      marks: li.querySelectorAll("mark").length,
    })));
  };
  const april = await results("April");
  assert.match(april[0].title, /^April 2026 — Trump due to visit Beijing/, april.map((r) => r.title).join("\n"));
  assert.ok(april.every((r) => r.marks > 0 && /april/i.test(r.snippet)), "every snippet holds the word");
  const source = april.find((r) => r.href.includes("/sources/"));
  assert.match(source.href, /\/sources\/[\w-]+\/#p\d+-s\d+$/, "a source result links to its sentence");
  await Promise.all([page.waitForURL(/#p\d+-s\d+$/), page.click(`a.search-title[href="${source.href}"]`)]);
  const id = new URL(page.url()).hash.slice(1);
  assert.match(await page.locator(`[id="${id}"]`).textContent(), /April/);
  const percent = await results("10%");
  assert.ok(percent.some((r) => /10 percent/.test(r.snippet)), "“10%” finds “10 percent”");
  const total = fetched.reduce((a, n) => a + n, 0);
  assert.ok(total < 300 * 1024, `two searches fetched ${total} bytes of index`);
  await page.context().close();
});

test("a timeline citation lands on the highlighted source sentence", async () => {
  const page = await newPage();
  await page.goto(`${origin}${BASE}timeline/`);
  const cite = page.locator("#event-2025-11-24-phone-call sup.cite a").first();
  const href = await cite.getAttribute("href");
  assert.match(href, /\/sources\/nov24-call\/#p\d+-s\d+$/);
  const sentence = await cite.getAttribute("title");
  await Promise.all([page.waitForURL(/#p\d+-s\d+$/), cite.click()]);
  const id = new URL(page.url()).hash.slice(1);
  const target = page.locator(`[id="${id}"]`);
  const background = await target.evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(background, "rgb(255, 241, 168)", "targeted sentence is highlighted");
  assert.ok(await target.isVisible());
  // The quoted words stand out within it, with room above the sentence.
  const quoted = target.locator("mark.quoted").first();
  assert.equal(await quoted.evaluate((el) => getComputedStyle(el).backgroundColor), "rgb(255, 216, 77)");
  assert.ok(sentence.includes(await quoted.textContent()), "the marked words are the cited sentence's");
  const top = await target.evaluate((el) => el.getBoundingClientRect().top);
  assert.ok(top > 100, `the sentence sits ${top}px from the top, under room to read into it`);
  // It lists the pages citing it; "← Timeline" goes back to where the reader was.
  const back = target.locator('.cited-by a.back:text-is("← Timeline")');
  assert.ok(await back.isVisible());
  await Promise.all([page.waitForURL(/\/timeline\/$/), back.click()]);
  assert.ok(await page.locator("#event-2025-11-24-phone-call").isVisible(), "back at the citing event");
  await page.context().close();
});

for (const javaScriptEnabled of [true, false]) {
  test(`the topic filter works with JavaScript ${javaScriptEnabled ? "on" : "off"}`, async () => {
    const page = await newPage({ javaScriptEnabled });
    await page.goto(`${origin}${BASE}timeline/`);
    const all = await page.locator("li.event").count();
    await Promise.all([page.waitForURL(/\/timeline\/soybeans\/$/), page.click('nav.filters a:text-is("Soybeans")')]);
    const events = page.locator("li.event");
    const n = await events.count();
    assert.ok(n > 0 && n < all, `filtered ${n} of ${all}`);
    for (let i = 0; i < n; i++) {
      const labels = await events.nth(i).locator(".labels a").allTextContents();
      assert.ok(labels.includes("Soybeans"), `event ${i} lacks the Soybeans label: ${labels}`);
    }
    assert.equal(await page.getAttribute('nav.filters a[aria-current="page"]', "href"), `${BASE}timeline/soybeans/`);
    await page.context().close();
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`at 390 px the timeline opens with an authored event; the unreviewed list is collapsed and opens with JavaScript ${javaScriptEnabled ? "on" : "off"}`, async () => {
    const page = await newPage({ viewport: { width: 390, height: 844 }, javaScriptEnabled });
    await page.goto(`${origin}${BASE}timeline/`);
    // The first entry of the timeline is an edited event, not a found sentence.
    const first = page.locator("ol.timeline > li").first();
    assert.match(await first.getAttribute("class"), /\bevent\b/);
    assert.doesNotMatch(await first.getAttribute("class"), /extracted/);
    assert.ok(await first.locator(".event-title").isVisible());
    // Where the record ends and the planned begins, visible to a reader.
    const asOf = page.locator(".timeline .as-of");
    await asOf.scrollIntoViewIfNeeded();
    assert.ok(await asOf.isVisible(), "the as-of line is visible");
    assert.match(await asOf.textContent(), /Announced or planned/);
    // Found dates wait below, collapsed, and a native <details> opens them.
    const details = page.locator("details.unreviewed");
    assert.equal(await details.getAttribute("open"), null, "collapsed at first");
    const candidate = details.locator("li.candidate").first();
    assert.ok(!(await candidate.isVisible()), "candidates hidden while collapsed");
    await details.locator("summary").click();
    assert.ok(await candidate.isVisible(), "opened by its summary");
    // Nothing sideways at 390 px.
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `page is ${wide} px wide`);
    await page.screenshot({ path: join(work, `timeline-390-${javaScriptEnabled ? "js" : "nojs"}.png`), fullPage: false });
    await page.context().close();
  });
}

test("citation markers leave the line height alone and never start a line", async () => {
  const page = await newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${origin}${BASE}topics/soybeans/`);
  const result = await page.evaluate(() => {
    const paras = [...document.querySelectorAll("article p")].filter((p) => p.querySelector("sup.cite"));
    const ratios = paras.map((p) => p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
    // A marker wrapped alone would start its line: nothing of the paragraph to its left.
    const alone = [...document.querySelectorAll("article p sup.cite")].filter((sup) => {
      const top = sup.getBoundingClientRect().top;
      const prev = document.createRange();
      prev.setStart(sup.parentNode, 0);
      prev.setEndBefore(sup);
      const rects = [...prev.getClientRects()].filter((r) => r.width > 0);
      const last = rects[rects.length - 1];
      return last && last.bottom < top;
    }).length;
    // …and hug the text before them: no gap between the last glyph and the marker.
    const gaps = [...document.querySelectorAll("article p sup.cite")].map((sup) => {
      const prev = sup.previousSibling;
      if (!prev || prev.nodeType !== Node.TEXT_NODE || prev.length === 0) return 0;
      const r = document.createRange();
      r.setStart(prev, prev.length - 1);
      r.setEnd(prev, prev.length);
      const rects = [...r.getClientRects()];
      const last = rects[rects.length - 1];
      const box = sup.getBoundingClientRect();
      return Math.abs(last.top - box.top) < 30 ? box.left - last.right : 0;
    });
    return { n: paras.length, ratios, alone, gaps };
  });
  assert.ok(result.n > 3, "paragraphs with markers");
  for (const r of result.ratios) assert.ok(Math.abs(r - Math.round(r)) < 0.05, `paragraph is ${r} lines tall: a marker stretched a line`);
  assert.equal(result.alone, 0, "no marker wraps alone");
  for (const g of result.gaps) assert.ok(g < 1.5, `a marker stands ${g} px from its word`);
  await page.context().close();
});

for (const javaScriptEnabled of [true, false]) {
  test(`one grid for header and text; a one-row navigation whose topics open without script (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
    const wide = await newPage({ viewport: { width: 1280, height: 800 }, javaScriptEnabled });
    await wide.goto(`${origin}${BASE}`);
    const [title, h1] = await Promise.all([".site-title", "main h1"].map((s) => wide.locator(s).boundingBox()));
    assert.equal(Math.round(title.x), Math.round(h1.x), "the site title starts where the text does");
    await wide.context().close();
    const phone = await newPage({ viewport: { width: 390, height: 844 }, javaScriptEnabled });
    await phone.goto(`${origin}${BASE}`);
    const nav = await phone.locator("header nav").boundingBox();
    assert.ok(nav.height <= 48, `navigation is ${nav.height} px tall`);
    const soy = phone.locator('header nav a:text-is("Soybeans")');
    assert.ok(!(await soy.isVisible()), "topics folded");
    await phone.click(".nav-topics summary");
    await Promise.all([phone.waitForURL(/\/topics\/soybeans\/$/), soy.click()]);
    await phone.context().close();
  });
}

test("print hides the filter chips, prints where each citation points, and drops dark colours", async () => {
  const page = await newPage({ viewport: { width: 1280, height: 800 } });
  await page.emulateMedia({ media: "print", colorScheme: "dark" });
  await page.goto(`${origin}${BASE}timeline/`);
  assert.ok(!(await page.locator("nav.filters").isVisible()), "filter chips hidden in print");
  const after = await page.locator("sup.cite a").first().evaluate((a) => getComputedStyle(a, "::after").content);
  assert.match(after, /¶\d+\.\d+/, `citation prints its place: ${after}`);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, "rgb(255, 255, 255)");
  await page.context().close();
});

test("the home page is light: at most 4 requests, under 60 KB, no search index", async () => {
  const page = await newPage();
  const sizes = [];
  page.on("response", async (r) => sizes.push([r.url(), (await r.body()).length]));
  await page.goto(`${origin}${BASE}`, { waitUntil: "networkidle" });
  assert.ok(sizes.length <= 4, `requests: ${sizes.map((s) => s[0]).join(", ")}`);
  const total = sizes.reduce((a, s) => a + s[1], 0);
  assert.ok(total < 60 * 1024, `home transfers ${total} bytes`);
  assert.ok(!sizes.some(([u]) => u.includes("/search/")));
  await page.context().close();
});

test("no page logged a console error or asked another origin for anything", async () => {
  const page = await newPage();
  for (const path of ["", "topics/rare-earths/", "sources/kl-talks/", "about/", "timeline/visits/", "search/?q=rare+earth", "no-such-page/"]) {
    await page.goto(`${origin}${BASE}${path}`, { waitUntil: "networkidle" });
  }
  await page.context().close();
  assert.deepEqual(consoleErrors.filter((e) => !e.includes("404 (Not Found)")), []);
  assert.deepEqual(outside, []);
});

test("no page scrolls sideways at 320 px; the tracker and the figures fit", async () => {
  const page = await newPage({ viewport: { width: 320, height: 800 } });
  for (const path of ["", "topics/fentanyl-tariffs/", "topics/soybeans/", "tracker/", "timeline/", "sources/kl-talks/"]) {
    await page.goto(`${origin}${BASE}${path}`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 320, `${path || "home"} is ${wide}px wide`);
  }
  await page.goto(`${origin}${BASE}tracker/`);
  assert.equal(await page.locator(".tracker-table tbody tr").count(), 4);
  const dots = page.locator("svg.tracker-chart a");
  assert.ok(await dots.count() >= 6);
  const href = await dots.first().getAttribute("href");
  assert.match(href, /\/sources\/[\w-]+\/#p\d+-s\d+$/, "each dot links to its sentence");
  await page.context().close();
});
