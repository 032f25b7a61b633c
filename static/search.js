// Site search over the chunked index in search/ (see src/render/search/).
// It fetches the manifest on first use, then only the term chunks a query
// needs and the documents of the results it shows. Terms are made exactly
// as the build makes them (the manifest's pattern and stop list, the same plural rule), so
// "10%" finds "10 percent" and "tariff" finds "tariffs". Results are whole
// pages, ranked by where the words are (title, section heading, text) and
// how rare they are; each shows its best passages, which link to their
// sentence or section. Everything from the index is inserted as text nodes.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.getAttribute("data-index").replace(/index\.json$/, "");
  var input = document.getElementById("q");
  var form = input.form;
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var more = document.getElementById("search-more");
  var KIND = { topic: "Topic", page: "Page", event: "Timeline", found: "Unreviewed date", source: "Source" };
  var BOOST = { topic: 1.3, page: 1.1, event: 1.2, found: 0.7, source: 1 };
  var PATTERN = null;
  // Whether the query ends inside a word (see `run`).
  var ENDS_IN_WORD = /[\p{Alphabetic}\p{N}]$/u;
  var PAGE = 10;
  var manifest = null, loading = null, chunks = {}, docs = {}, stop = {};
  var current = null;

  function json(path) {
    return fetch(base + path).then(function (r) {
      if (!r.ok) throw new Error(path);
      return r.json();
    });
  }

  function load() {
    if (!loading) {
      loading = json("index.json").then(function (m) {
        manifest = m;
        PATTERN = new RegExp(m.pattern, "gu");
        m.stop.forEach(function (w) { stop[w] = true; });
        // A Unicode pattern is compiled on first use: not while the reader waits.
        tokens("Warm up 10%");
        ENDS_IN_WORD.test("Warm up");
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  // The build's plural rule (src/render/search/terms.rs).
  function singular(t) {
    if (t.length < 4 || t.charAt(t.length - 1) !== "s" || /[^\x00-\x7f]/.test(t)) return t;
    if (/ies$/.test(t)) return t.slice(0, -3) + "y";
    if (/(sses|xes|ches|shes)$/.test(t)) return t.slice(0, -2);
    if (/(ss|us|is)$/.test(t)) return t;
    return t.slice(0, -1);
  }

  function term(raw) {
    if (raw === "%") return "percent";
    var t = raw.toLowerCase();
    if (/^\p{N}/u.test(t)) t = t.replace(/,/g, "");
    else if (Array.from(t).length < 2) return null;
    if (stop[t]) return null;
    return singular(t);
  }

  // Each term of `text` with where its word is: [term, start, end].
  function tokens(text) {
    var out = [], m;
    PATTERN.lastIndex = 0;
    while ((m = PATTERN.exec(text))) {
      var t = term(m[0]);
      if (t) out.push([t, m.index, m.index + m[0].length]);
    }
    return out;
  }

  function chunkOf(t) {
    var c = manifest.chunks, lo = 0, hi = c.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (c[mid] <= t) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  function chunk(i) {
    if (!chunks[i]) chunks[i] = json("t/" + i + ".json");
    return chunks[i];
  }

  // Postings into `into`, a packed weight per document (0: not there);
  // returns how many documents were new to it. Typed arrays, not objects
  // keyed by number: a common word is in thousands of documents, and a
  // phone ranks them while the reader waits.
  function decode(p, into) {
    var doc = 0, added = 0;
    for (var i = 0; i < p.length; i += 2) {
      doc += p[i];
      if (!into[doc]) added++;
      if (p[i + 1] > into[doc]) into[doc] = p[i + 1];
    }
    return added;
  }

  // The postings of `t`; for the word being typed, of every term it begins.
  // Those run into the next chunk only when its first term begins with `t`
  // too: any later term that does not is past every term that does.
  function postings(t, prefix) {
    var i = chunkOf(t), wanted = [chunk(i)], next = manifest.chunks[i + 1];
    if (prefix && next !== undefined && next.lastIndexOf(t, 0) === 0) wanted.push(chunk(i + 1));
    return Promise.all(wanted).then(function (cs) {
      var hits = new Uint8Array(manifest.n), df = 0, forms = [];
      cs.forEach(function (c) {
        c.t.forEach(function (name, k) {
          if (name === t || (prefix && forms.length < 64 && name.lastIndexOf(t, 0) === 0)) {
            forms.push(name);
            df += decode(c.p[k], hits);
          }
        });
      });
      return { term: t, prefix: prefix, forms: forms, docs: hits, df: df };
    });
  }

  function kindOf(n) {
    var k = manifest.kinds;
    for (var i = 0; i < k.length; i++) {
      if (n < k[i][1]) return k[i][0];
      n -= k[i][1];
    }
    return "source";
  }

  function weight(w) {
    var body = w & 31;
    return (w & 64 ? 3 : 0) + (w & 32 ? 1 : 0) + body / (body + 1.5);
  }

  function better(a, b) { return b[0] - a[0] || a[1] - b[1]; }

  // Documents holding every term, [score, document], best first from
  // `sorted` on: a common word matches thousands, and the first page needs
  // only the best ten, picked without sorting the rest.
  function rank(found) {
    var n = manifest.n, scores = new Float64Array(n), out = [];
    found.forEach(function (f) {
      var idf = Math.log(1 + (n - f.df + 0.5) / (f.df + 0.5));
      for (var d = 0; d < n; d++) {
        // A document missing an earlier term is out (NaN) for good.
        scores[d] = f.docs[d] ? scores[d] + idf * weight(f.docs[d]) : NaN;
      }
    });
    for (var d = 0; d < n; d++) {
      if (scores[d] === scores[d] && found.length) out.push([scores[d] * BOOST[kindOf(d)], d]);
    }
    return { all: out, sorted: 0 };
  }

  // Make the best `k` of `ranked` from `at` on its next, in order.
  function pick(ranked, at, k) {
    var all = ranked.all;
    if (k <= 0) return;
    if (ranked.sorted >= at + k || ranked.sorted === all.length) return;
    if (at + k >= all.length / 4) {
      var rest = all.splice(ranked.sorted).sort(better);
      Array.prototype.push.apply(all, rest);
      ranked.sorted = all.length;
      return;
    }
    // One pass, keeping the best few in order: most entries are worse
    // than the worst kept, one comparison each.
    var need = at + k - ranked.sorted, top = [], rest = [];
    for (var j = ranked.sorted; j < all.length; j++) {
      var e = all[j];
      if (top.length === need && better(e, top[need - 1]) >= 0) { rest.push(e); continue; }
      var p = top.length;
      while (p > 0 && better(e, top[p - 1]) < 0) p--;
      top.splice(p, 0, e);
      if (top.length > need) rest.push(top.pop());
    }
    ranked.all = all.slice(0, ranked.sorted).concat(top, rest);
    ranked.sorted = at + k;
  }

  function matches(found, t) {
    return found.some(function (f) { return t === f.term || (f.prefix && t.lastIndexOf(f.term, 0) === 0); });
  }

  // Whether `text` may hold one of the words: a word whose term is a plain
  // ASCII word holds that term (less a final "y", see `singular`) as it
  // is, lower-cased. Tokenising every block of every shown page is most of
  // the work of showing results; most blocks hold none of the words.
  function mayHold(found, text) {
    var lower = null;
    return found.some(function (f) {
      if (!/^[a-z]+$/.test(f.term) || f.term === "percent") return true;
      lower = lower || text.toLowerCase();
      return lower.indexOf(f.term.replace(/y$/, "")) >= 0;
    });
  }

  // How well a block answers: the query's terms it holds, then how close together.
  function blockScore(found, text) {
    if (!mayHold(found, text)) return 0;
    var toks = tokens(text), seen = {}, first = -1, last = -1;
    toks.forEach(function (t, i) {
      if (matches(found, t[0])) {
        seen[t[0]] = true;
        if (first < 0) first = i;
        last = i;
      }
    });
    var distinct = Object.keys(seen).length;
    return distinct ? distinct * 10 - Math.min(9, (last - first) / 4) : 0;
  }

  function snippet(found, text) {
    var toks = tokens(text).filter(function (t) { return matches(found, t[0]); });
    var at = toks.length ? toks[0][1] : 0;
    var start = Math.max(0, at - 70);
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    var end = Math.min(text.length, start + 240);
    if (end < text.length) end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end;
    var frag = document.createDocumentFragment(), pos = start;
    if (start > 0) frag.appendChild(document.createTextNode("… "));
    toks.forEach(function (t) {
      if (t[1] < pos || t[2] > end) return;
      frag.appendChild(document.createTextNode(text.slice(pos, t[1])));
      var m = document.createElement("mark");
      m.textContent = text.slice(t[1], t[2]);
      frag.appendChild(m);
      pos = t[2];
    });
    frag.appendChild(document.createTextNode(text.slice(pos, end) + (end < text.length ? " …" : "")));
    return frag;
  }

  function doc(n) {
    if (!docs[n]) docs[n] = json("d/" + n + ".json");
    return docs[n];
  }

  function href(d, anchor) { return anchor ? d.u + "#" + anchor : d.u; }

  // `scores` are the blocks' blockScore, worked out once per document.
  function result(found, d, scores) {
    var best = d.b.map(function (b, i) { return [scores[i], i, b]; })
      .filter(function (s) { return s[0] > 0; })
      .sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; })
      .slice(0, d.k === "source" || d.k === "page" || d.k === "topic" ? 2 : 1);
    var li = document.createElement("li"), a = document.createElement("a"), kind = document.createElement("span");
    a.href = href(d, best.length ? best[0][2][0] : "");
    a.textContent = d.t;
    a.className = "search-title";
    kind.className = "badge";
    kind.textContent = KIND[d.k];
    li.appendChild(a);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(kind);
    best.forEach(function (s) {
      var b = s[2], p = document.createElement("p");
      p.className = "search-snippet";
      if (b[1]) {
        var h = document.createElement("a");
        h.className = "search-section";
        h.href = href(d, b[0]);
        h.textContent = "§ " + b[1];
        p.appendChild(h);
        p.appendChild(document.createTextNode(" "));
      }
      p.appendChild(snippet(found, b[2]));
      li.appendChild(p);
    });
    return li;
  }

  function show(state, count) {
    pick(state.ranked, state.shown, count);
    var slice = state.ranked.all.slice(state.shown, state.shown + count);
    state.shown += slice.length;
    return Promise.all(slice.map(function (r) { return doc(r[1]); })).then(function (ds) {
      if (state !== current) return;
      // Within what is shown, passages that hold the words close together go first.
      var rows = ds.map(function (d, i) {
        var scores = d.b.map(function (b) { return blockScore(state.found, b[2]); });
        var top = Math.max.apply(null, scores.concat(0));
        return [slice[i][0] * (1 + top / 100), d, scores];
      });
      if (state.shown === slice.length) rows.sort(function (a, b) { return b[0] - a[0]; });
      rows.forEach(function (r) { list.appendChild(result(state.found, r[1], r[2])); });
      var left = state.ranked.all.length - state.shown;
      more.hidden = left <= 0;
      more.textContent = left > PAGE * 2 ? "Show " + PAGE * 2 + " more of " + left : "Show all " + state.ranked.all.length;
    });
  }

  function run() {
    var q = input.value.trim();
    // The word being typed may be unfinished: it matches the terms it begins.
    var typing = document.activeElement === input && ENDS_IN_WORD.test(input.value);
    list.textContent = "";
    more.hidden = true;
    if (!q) { status.textContent = ""; current = null; return; }
    load().then(function () {
      var raw = tokens(q), seen = {};
      var wanted = raw.filter(function (t) { return !seen[t[0]] && (seen[t[0]] = true); })
        .map(function (t, i, all) { return postings(t[0], typing && i === all.length - 1 && t[0].length >= 3); });
      if (!wanted.length) { status.textContent = "Only very common words: add a more specific one."; return; }
      return Promise.all(wanted).then(function (found) {
        var state = { found: found, ranked: rank(found), shown: 0 };
        current = state;
        var n = state.ranked.all.length;
        status.textContent = n ? n + " page" + (n === 1 ? "" : "s") + " found for “" + q + "”" : "Nothing found for “" + q + "”.";
        return show(state, PAGE);
      });
    }).catch(function () { status.textContent = "The search index could not be loaded."; });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      history.replaceState(null, "", input.value ? "?q=" + encodeURIComponent(input.value) : location.pathname);
      run();
    }, 120);
  });
  // The manifest is small (about 1.5 KB at 10,000 articles): fetch it and
  // compile its pattern now, while the reader is still typing. Focus
  // retries a load that failed.
  load();
  input.addEventListener("focus", load);
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  more.addEventListener("click", function () {
    if (current) show(current, PAGE * 2);
  });
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
