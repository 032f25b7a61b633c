//! The one-way rule: a module may use only lower layers (or its own).

const LAYERS: &[(&str, u8)] = &[
    ("diag", 0),
    ("background", 0),
    ("hash", 0),
    ("key", 0),
    ("cache", 0),
    ("urls", 0),
    ("dates", 0),
    ("refs", 0),
    ("config", 1),
    ("project", 1),
    ("seeds", 1),
    ("content", 1),
    ("topics", 2),
    ("cite", 2),
    ("highlight", 2),
    ("markdown", 2),
    ("article", 2),
    ("timeline", 2),
    ("documents", 3),
    ("site", 3),
    ("render", 4),
    ("summary", 4),
    ("review", 4),
    ("output", 5),
    ("check", 6),
    ("watch", 6),
    ("serve", 6),
    ("cli", 6),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// Every crate-level name a source file reaches through `crate::`: the
/// first segment of each `crate::x::…` path, and of each item in a
/// `crate::{…}` group (`use crate::{render, site::{Site, Page}};` names
/// `render` and `site`). Names of lib.rs items such as `BuildOptions` are
/// included; inner groups name submodules of their item, not of the crate.
fn crate_names(text: &str) -> Vec<String> {
    let path = regex::Regex::new(r"\bcrate\s*::").expect("regex");
    let mut names = Vec::new();
    for m in path.find_iter(text) {
        let rest = text[m.end()..].trim_start();
        match rest.strip_prefix('{') {
            Some(group) => names.extend(group_heads(group)),
            None => names.extend(ident(rest)),
        }
    }
    names
}

/// The first identifier of each top-level item of a `{…}` group whose
/// opening brace is already consumed; stops at the matching close.
fn group_heads(group: &str) -> Vec<String> {
    let (mut heads, mut depth, mut item_start) = (Vec::new(), 0usize, true);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            c if item_start && !c.is_whitespace() => {
                item_start = false;
                heads.extend(ident(&group[i..]).filter(|h| h != "self"));
            }
            _ => {}
        }
    }
    heads
}

fn ident(s: &str) -> Option<String> {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    (end > 0).then(|| s[..end].to_string())
}

/// Each name `text` (the file `rel` of `module`) reaches in a higher layer.
fn upward_uses(rel: &str, module: &str, own: u8, text: &str) -> Vec<String> {
    crate_names(text)
        .into_iter()
        // lib.rs items (`crate::generate`, `BuildOptions`) are the top driver layer.
        .map(|name| (layer(&name).unwrap_or(6), name))
        .filter(|(used, _)| *used > own)
        .map(|(used, name)| {
            format!("src/{rel}: {module} (layer {own}) uses crate::{name} (layer {used})")
        })
        .collect()
}

#[test]
fn crate_names_finds_paths_and_every_module_of_grouped_imports() {
    let text = "use crate::{render, site::Site};
use crate::{
    diag::{self, Diagnostic},
    output::{Target, guard::{self, MARKER}},
    BuildOptions,
};
use crate::seeds::Corpus;
fn f() { crate::serve::run(); let _ = crate :: urls::Urls::parse; }
pub(crate) fn g() {}
";
    assert_eq!(
        crate_names(text),
        [
            "render",
            "site",
            "diag",
            "output",
            "BuildOptions",
            "seeds",
            "serve",
            "urls"
        ]
    );
}

#[test]
fn a_grouped_upward_import_is_reported() {
    let text = "use crate::{diag::Diagnostic, render::Sink};\n";
    assert_eq!(
        upward_uses("seeds/mod.rs", "seeds", 1, text),
        ["src/seeds/mod.rs: seeds (layer 1) uses crate::render (layer 4)"]
    );
    assert_eq!(
        upward_uses("seeds/mod.rs", "seeds", 1, "use crate::{diag, urls};"),
        Vec::<String>::new()
    );
}

#[test]
fn calls_only_go_down() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).expect("prefix");
        let module = rel
            .iter()
            .next()
            .and_then(|c| c.to_str())
            .map(|c| c.trim_end_matches(".rs"))
            .unwrap_or("");
        let Some(own) = layer(module) else {
            assert!(
                ["lib", "main"].contains(&module),
                "module {module} has no layer in the architecture test"
            );
            continue;
        };
        checked += 1;
        let text = std::fs::read_to_string(path).expect("read");
        violations.extend(upward_uses(&rel.display().to_string(), module, own, &text));
    }
    assert!(checked > 20, "only {checked} files checked");
    assert_eq!(violations, Vec::<String>::new());
}
