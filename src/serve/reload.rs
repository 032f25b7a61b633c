//! Live reload: the script injected into pages in serve mode, and its events.
//!
//! Injected into the in-memory output only, never into what `build` writes.
//! The error overlay sets `textContent`, so diagnostic text (which can quote
//! user input) is never parsed as HTML.

use crate::render::OutputFile;

/// What the browser is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Reload,
    /// Stylesheets changed: re-fetch them without reloading.
    Css,
    /// The last build failed; JSON array of diagnostics.
    Error(String),
}

impl Message {
    pub fn event(&self) -> (&'static str, String) {
        match self {
            // Browsers drop SSE events without data, so these carry some.
            Message::Reload => ("reload", "reload".into()),
            Message::Css => ("css", "css".into()),
            Message::Error(json) => ("error", json.clone()),
        }
    }
}

/// JSON array of diagnostics for the overlay.
pub fn error_payload(diagnostics: &[crate::diag::Diagnostic]) -> String {
    serde_json::to_string(
        &diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
    )
    .unwrap_or_else(|_| "[]".into())
}

pub const SCRIPT: &str = r#"(function () {
  var base = document.currentScript.getAttribute("data-base");
  var key = "dossier-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) { sessionStorage.removeItem(key); window.scrollTo(0, parseFloat(saved)); }
  var overlay = null;
  function clear() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(lines) {
    clear();
    overlay = document.createElement("div");
    overlay.id = "dossier-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;background:#2b0b0b;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;z-index:99999;border-top:4px solid #e5484d;white-space:pre-wrap";
    var title = document.createElement("strong");
    title.textContent = "Build failed — still showing the last good site\n";
    overlay.appendChild(title);
    var body = document.createElement("div");
    body.textContent = lines.join("\n");
    overlay.appendChild(body);
    document.body.appendChild(overlay);
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  // A hidden tab lets go of its connection: browsers allow six per host,
  // so a seventh open tab would otherwise never load. Back in view, it
  // reconnects, and reloads if a build happened while it was away.
  var es = null, seen = null;
  function connect() {
    es = new EventSource(base + "__dossier/events");
    es.addEventListener("hello", function (e) {
      if (seen !== null && e.data !== seen) { reload(); }
      seen = e.data;
    });
    es.addEventListener("reload", reload);
    es.addEventListener("css", function () {
      clear();
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
        var u = new URL(l.href); u.searchParams.set("t", Date.now()); l.href = u.toString();
      });
    });
    es.addEventListener("error", function (e) { if (e.data) show(JSON.parse(e.data)); });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { if (es) { es.close(); es = null; } }
    else if (!es) { connect(); }
  });
  if (!document.hidden) { connect(); }
})();
"#;

/// Add the reload script to an HTML page; other files pass unchanged.
pub fn inject(f: &mut OutputFile, base: &str) {
    if !crate::render::edited(&f.path) {
        return;
    }
    let tag = format!(
        "<script src=\"{base}__dossier/reload.js\" data-base=\"{base}\"></script>\n</body>"
    );
    if let Ok(text) = std::str::from_utf8(&f.bytes)
        && let Some(at) = text.rfind("</body>")
    {
        let mut out = String::with_capacity(text.len() + tag.len());
        out.push_str(&text[..at]);
        out.push_str(&tag);
        out.push_str(&text[at + "</body>".len()..]);
        f.bytes = out.into_bytes();
    }
}
