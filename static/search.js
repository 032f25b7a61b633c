// Site search: fetches search-index.json on first use, matches every query
// word, and shows results with snippets. Results are built as text nodes,
// so nothing from the index is ever parsed as HTML.
(function () {
  "use strict";
  var script = document.currentScript;
  var indexUrl = script.getAttribute("data-index");
  var input = document.getElementById("q");
  var form = input.form;
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var docs = null;
  var loading = null;
  var KIND = { topic: "Topic", page: "Page", event: "Timeline", source: "Source" };
  var WEIGHT = { topic: 4, page: 3, event: 2, source: 1 };

  function load() {
    if (!loading) {
      loading = fetch(indexUrl).then(function (r) { return r.json(); }).then(function (j) {
        docs = j.docs.map(function (d) { d.lt = d.t.toLowerCase(); d.lx = d.x.toLowerCase(); return d; });
      });
    }
    return loading;
  }

  function terms(q) { return q.toLowerCase().split(/\s+/).filter(Boolean); }

  function score(d, ts) {
    var s = 0;
    for (var i = 0; i < ts.length; i++) {
      var inTitle = d.lt.indexOf(ts[i]) >= 0, inText = d.lx.indexOf(ts[i]) >= 0;
      if (!inTitle && !inText) return 0;
      s += (inTitle ? 5 : 0) + (inText ? 1 : 0);
    }
    return s * WEIGHT[d.k];
  }

  function snippet(d, ts) {
    var at = -1;
    for (var i = 0; i < ts.length && at < 0; i++) at = d.lx.indexOf(ts[i]);
    var start = Math.max(0, at - 60), end = Math.min(d.x.length, Math.max(at, 0) + 140);
    var text = (start > 0 ? "…" : "") + d.x.slice(start, end) + (end < d.x.length ? "…" : "");
    var frag = document.createDocumentFragment(), lower = text.toLowerCase(), pos = 0;
    while (pos < text.length) {
      var next = -1, len = 0;
      ts.forEach(function (t) { var k = lower.indexOf(t, pos); if (k >= 0 && (next < 0 || k < next)) { next = k; len = t.length; } });
      if (next < 0) { frag.appendChild(document.createTextNode(text.slice(pos))); break; }
      frag.appendChild(document.createTextNode(text.slice(pos, next)));
      var m = document.createElement("mark"); m.textContent = text.slice(next, next + len); frag.appendChild(m);
      pos = next + len;
    }
    return frag;
  }

  function run() {
    var q = input.value.trim(), ts = terms(q);
    list.textContent = "";
    if (!ts.length) { status.textContent = ""; return; }
    load().then(function () {
      var hits = docs.map(function (d) { return [score(d, ts), d]; }).filter(function (h) { return h[0] > 0; });
      hits.sort(function (a, b) { return b[0] - a[0]; });
      status.textContent = hits.length ? hits.length + " result" + (hits.length === 1 ? "" : "s") + " for “" + q + "”" : "Nothing found for “" + q + "”.";
      hits.slice(0, 30).forEach(function (h) {
        var d = h[1], li = document.createElement("li"), a = document.createElement("a"), kind = document.createElement("span"), p = document.createElement("p");
        a.href = d.u; a.textContent = d.t; a.className = "search-title";
        kind.className = "badge"; kind.textContent = KIND[d.k];
        p.className = "search-snippet"; p.appendChild(snippet(d, ts));
        li.appendChild(a); li.appendChild(document.createTextNode(" ")); li.appendChild(kind); li.appendChild(p);
        list.appendChild(li);
      });
    }).catch(function () { status.textContent = "The search index could not be loaded."; });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      history.replaceState(null, "", input.value ? "?q=" + encodeURIComponent(input.value) : location.pathname);
      run();
    }, 80);
  });
  input.addEventListener("focus", load, { once: true });
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  document.addEventListener("keydown", function (e) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a.search-title"));
    var i = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && links.length) { e.preventDefault(); links[Math.min(i + 1, links.length - 1)].focus(); }
    else if (e.key === "ArrowUp" && i >= 0) { e.preventDefault(); if (i === 0) input.focus(); else links[i - 1].focus(); }
    else if (e.key === "Escape" && i >= 0) { input.focus(); }
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(); }
})();
