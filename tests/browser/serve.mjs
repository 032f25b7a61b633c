// A static server for a built site under a base path, on 127.0.0.1, as
// GitHub Pages serves a project site: folders answer with their
// index.html, and a missing file with the site's 404.html when it has one.
import { createServer } from "node:http";
import { readFileSync, existsSync, statSync } from "node:fs";
import { join, extname, normalize } from "node:path";

const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml" };

/** Serve `site` under `base`; resolves to the server and its origin. */
export async function serveSite(site, base) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = path.startsWith(base) ? normalize(join(site, path.slice(base.length))) : null;
    if (file && !file.startsWith(site)) file = null;
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!file || !existsSync(file)) {
      const missing = join(site, "404.html");
      res.writeHead(404, { "content-type": TYPES[".html"] });
      return res.end(existsSync(missing) ? readFileSync(missing) : "");
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}
