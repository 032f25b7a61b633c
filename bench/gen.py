#!/usr/bin/env python3
"""Deterministic synthetic input for the scale benchmarks.

    bench/gen.py pages M OUT         M markdown pages, as three projects built
                                     from the same files: OUT/dossier,
                                     OUT/zola and OUT/hugo
    bench/gen.py corpus N M OUT      the real project plus N articles in the
                                     seeds' style and M pages citing them,
                                     as one dossier project in OUT

Pages have TOML `+++` front matter (title, date, description) and a body of
about 8 KB: headings, lists, a table, links, a footnote and one fenced code
block with a language, so highlighting runs. Articles look like the real
seeds: a headline, a dateline, boilerplate lines (share buttons, comment
widgets, "Advertisement"), sentences broken where a link was cut, dated
sentences ("on October 30", "last week", "on Monday") and topic words.

The same arguments always write the same bytes (random.Random seeded per file).
"""
import os
import random
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

WORDS = (
    "trade truce tariff soybean exports farmers harvest shipments rare earth magnets "
    "licences fentanyl precursors customs officials negotiators summit delegation "
    "ministry commerce agreement framework purchases markets futures prices buyers "
    "suppliers ports vessels cargo quota review deadline talks statement briefing "
    "analysts economists investors industry manufacturers chips controls minerals "
    "processing refinery output inventory demand supply orders contracts bushels"
).split()
PLACES = ["Busan", "Kuala Lumpur", "Beijing", "Washington", "Geneva", "Madrid", "Seoul", "Chicago"]
PEOPLE = ["Trump", "Xi Jinping", "Scott Bessent", "He Lifeng", "Jamieson Greer", "Brooke Rollins", "Li Chenggang"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
TOPIC_PHRASES = ["soybean purchases", "rare earth export controls", "fentanyl tariffs",
                 "a state visit", "farm products", "rare earths", "the fentanyl tariff"]
DATED = [
    "on {month} {day}", "last week", "on Monday", "on Thursday", "earlier this month",
    "in {month}", "on {month} {day}, {year}", "three weeks ago", "next month",
]
BOILERPLATE = ["Share this article", "Advertisement", "Comments", "Sign up for our newsletter",
               "Read more: markets", "Follow us on X", "3 Comments", "Add a comment"]
CODE = {
    "rust": ("rust", "fn {a}(rows: &[u32]) -> u32 {{\n    // {w1} {w2}\n    rows.iter().filter(|r| **r > {n}).sum()\n}}\n"),
    "python": ("python", "def {a}(rows):\n    \"\"\"{w1} {w2}\"\"\"\n    return sum(r for r in rows if r > {n})\n"),
    "js": ("js", "function {a}(rows) {{\n  // {w1} {w2}\n  return rows.filter((r) => r > {n}).length;\n}}\n"),
    "toml": ("toml", "[{a}]\nlabel = \"{w1} {w2}\"\nthreshold = {n}\nenabled = true\n"),
    "bash": ("bash", "for f in {a}/*.csv; do\n  # {w1} {w2}\n  grep -c '{n}' \"$f\"\ndone\n"),
}


def sentence(rng, dated=False, year=2025):
    words = rng.sample(WORDS, rng.randint(6, 12))
    who, where = rng.choice(PEOPLE), rng.choice(PLACES)
    text = f"{who} said in {where} that {' '.join(words)} would shape {rng.choice(TOPIC_PHRASES)}"
    if dated:
        when = rng.choice(DATED).format(month=rng.choice(MONTHS[8:]), day=rng.randint(1, 28), year=year)
        text += f" {when}"
    return text + "."


def article(i):
    """(file name, text, sentences safe to quote) for synthetic article i."""
    rng = random.Random(f"article-{i}")
    month, day = rng.choice(["Oct", "Nov"]), rng.randint(1, 28)
    lines = [f"{rng.choice(PEOPLE)} and {rng.choice(PEOPLE)} weigh {rng.choice(TOPIC_PHRASES)} ({i})",
             f"{rng.choice(PLACES).upper()}, {month} {day} (Wire) - {sentence(rng)}"]
    quotable = []
    for p in range(rng.randint(5, 9)):
        sents = [sentence(rng, dated=rng.random() < 0.3) for _ in range(rng.randint(2, 5))]
        quotable.extend(s for s in sents if " on " not in s)
        if rng.random() < 0.2:
            lines.append(rng.choice(BOILERPLATE))
        para = " ".join(sents)
        if rng.random() < 0.15:
            # A link cut out of the middle of a sentence leaves it broken across lines.
            cut = para.find(" ", len(para) // 2)
            lines.append(para[:cut])
            lines.append(para[cut + 1:])
        else:
            lines.append(para)
    lines.append(rng.choice(BOILERPLATE))
    return f"synth_{i:05}.txt", "\n".join(lines) + "\n", quotable


def page(i, total, cites=()):
    rng = random.Random(f"page-{i}")
    title = f"{rng.choice(PEOPLE)} on {rng.choice(TOPIC_PHRASES)}, note {i}"
    date = f"2025-{rng.randint(9, 11):02}-{rng.randint(1, 28):02}"
    out = [
        "+++",
        f'title = "{title}"',
        f'date = "{date}"',
        f'description = "Synthetic page {i}: {" ".join(rng.sample(WORDS, 6))}."',
        "+++",
        "",
    ]

    def para(n=5):
        return " ".join(sentence(rng) for _ in range(n))

    out += [para() + f" See [the next note](/notes/page-{(i + 1) % total:05}/) and [a source](https://example.org/{i}).", ""]
    for s in range(6):
        out += [f"## {' '.join(rng.sample(WORDS, 3)).capitalize()} {s}", "", para(6), ""]
        if s == 1:
            out += [f"- {sentence(rng)}" for _ in range(5)] + [""]
            out += [f"{k + 1}. {sentence(rng)}" for k in range(4)] + [""]
        if s == 2:
            out += ["| Measure | Value | Change |", "|---|---:|---:|"]
            out += [f"| {rng.choice(WORDS)} | {rng.randint(1, 900)} | {rng.randint(-40, 40)}% |" for _ in range(6)]
            out += [""]
        if s == 3:
            lang, body = CODE[rng.choice(sorted(CODE))]
            code = body.format(a=f"{rng.choice(WORDS)}_{i}", w1=rng.choice(WORDS), w2=rng.choice(WORDS), n=rng.randint(1, 99))
            out += [f"```{lang}", code.rstrip("\n"), "```", ""]
        if s == 4:
            out += [f"{sentence(rng)[:-1]}[^{i}].", "", f"[^{i}]: {sentence(rng)}", ""]
    for source_id, quote in cites:
        out += [f"{sentence(rng)[:-1]} [@{source_id}: \"{quote}\"].", ""]
    return "\n".join(out)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def pages_only(m, out):
    """The same M pages as a dossier, a Zola and a Hugo project."""
    shutil.rmtree(out, ignore_errors=True)
    home = '+++\ntitle = "Synthetic notes"\n+++\nThe notes.\n'
    for name in ["dossier", "zola", "hugo"]:
        for i in range(m):
            write(f"{out}/{name}/content/notes/page-{i:05}.md", page(i, m))
    # dossier: the project's own templates and static files, no seeds.
    shutil.copytree(f"{ROOT}/templates", f"{out}/dossier/templates")
    shutil.copytree(f"{ROOT}/static", f"{out}/dossier/static")
    write(f"{out}/dossier/dossier.toml", 'title = "Synthetic"\nbase_url = "https://example.org/"\n')
    write(f"{out}/dossier/content/_index.md", home)
    # Zola: a section for notes/, highlighting with CSS classes like dossier.
    write(f"{out}/zola/config.toml", 'base_url = "https://example.org"\n'
          "compile_sass = false\nbuild_search_index = false\n"
          "[markdown]\nbottom_footnotes = true\n"
          '[markdown.highlighting]\nstyle = "class"\nlight_theme = "github-light"\ndark_theme = "github-dark"\n')
    write(f"{out}/zola/content/_index.md", home)
    write(f"{out}/zola/content/notes/_index.md", '+++\ntitle = "Notes"\n+++\n')
    for t in ["index", "section", "page"]:
        write(f"{out}/zola/templates/{t}.html",
              "<!doctype html><html lang=en><title>{{ config.title | default(value='x') }}</title>"
              "<main>{% if page %}<h1>{{ page.title }}</h1>{{ page.content | safe }}"
              "{% elif section %}<h1>{{ section.title }}</h1>{% for p in section.pages %}"
              "<a href=\"{{ p.permalink }}\">{{ p.title }}</a>{% endfor %}{% endif %}</main>")
    # Hugo: the same three layouts, Chroma highlighting with classes.
    write(f"{out}/hugo/hugo.toml", 'baseURL = "https://example.org/"\ntitle = "Synthetic"\n'
          'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
          "[markup.highlight]\nnoClasses = false\n")
    write(f"{out}/hugo/content/_index.md", home)
    for t, body in [("single", "<h1>{{ .Title }}</h1>{{ .Content }}"),
                    ("list", "<h1>{{ .Title }}</h1>{{ range .Pages }}<a href=\"{{ .Permalink }}\">{{ .Title }}</a>{{ end }}")]:
        write(f"{out}/hugo/layouts/_default/{t}.html",
              "<!doctype html><html lang=en><title>{{ .Site.Title }}</title><main>" + body + "</main>")


def corpus(n, m, out):
    """The real project plus N synthetic articles and M pages citing them."""
    shutil.rmtree(out, ignore_errors=True)
    for d in ["templates", "static", "content", "seeds"]:
        shutil.copytree(f"{ROOT}/{d}", f"{out}/{d}")
    shutil.copy(f"{ROOT}/dossier.toml", out)
    quotes = []
    entries = []
    for i in range(n):
        name, text, quotable = article(i)
        write(f"{out}/seeds/{name}", text)
        rng = random.Random(f"meta-{i}")
        entries.append(
            f'\n[[source]]\nid = "synth-{i:05}"\nfile = "{name}"\ntitle = "Synthetic article {i}"\n'
            f'publisher = "Wire"\ndate = "2025-{rng.randint(10, 11)}-{rng.randint(1, 28):02}"\nurl = "unknown"\n')
        if quotable:
            words = quotable[0].rstrip(".").split()
            quotes.append((f"synth-{i:05}", " ".join(words[2:9])))
    with open(f"{out}/seeds/sources.toml", "a", encoding="utf-8") as f:
        f.write("".join(entries))
    for i in range(m):
        cites = [quotes[(i * 7 + k) % len(quotes)] for k in range(3)] if quotes else []
        write(f"{out}/content/notes/page-{i:05}.md", page(i, m, cites))


def main(argv):
    if len(argv) == 3 and argv[0] == "pages":
        pages_only(int(argv[1]), argv[2])
    elif len(argv) == 4 and argv[0] == "corpus":
        corpus(int(argv[1]), int(argv[2]), argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
