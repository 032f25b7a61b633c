// Regenerates docs/screenshots/: home, a topic, the timeline, a source page, the tracker and a search
// at 390 px and 1280 px, light and dark. Run after `cargo run --release -- build`:
//   node tests/browser/screenshots.mjs
import { createServer } from "node:http";
import { readFileSync, existsSync, statSync, mkdirSync } from "node:fs";
import { join, dirname, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SITE = join(ROOT, "public");
const OUT = join(ROOT, "docs", "screenshots");
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml" };
mkdirSync(OUT, { recursive: true });
const server = createServer((req, res) => {
  let file = join(SITE, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!file.startsWith(SITE) || !existsSync(file)) { res.writeHead(404); return res.end(); }
  res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const pages = { home: "/", topic: "/topics/soybeans/", timeline: "/timeline/", source: "/sources/nov24-call/", tracker: "/tracker/", search: "/search/?q=April" };
for (const [name, path] of Object.entries(pages)) {
  for (const width of [390, 1280]) {
    for (const colorScheme of ["light", "dark"]) {
      const ctx = await browser.newContext({ viewport: { width, height: width === 390 ? 844 : 900 }, colorScheme, deviceScaleFactor: 1 });
      const page = await ctx.newPage();
      await page.goto(origin + path, { waitUntil: "networkidle" });
      await page.screenshot({ path: join(OUT, `${name}-${width}-${colorScheme}.png`) });
      await ctx.close();
    }
  }
}
await browser.close();
server.close();
console.log(`wrote ${Object.keys(pages).length * 4} screenshots to ${OUT}`);
