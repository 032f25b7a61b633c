//! The one-way rule: a module may use only lower layers (or its own).

const LAYERS: &[(&str, u8)] = &[
    ("diag", 0),
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
    ("output", 5),
    ("check", 6),
    ("watch", 6),
    ("serve", 6),
    ("cli", 6),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

#[test]
fn calls_only_go_down() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let re = regex::Regex::new(r"crate::([a-z_]+)").expect("regex");
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
        for c in re.captures_iter(&text) {
            // `crate::generate`/`BuildOptions` live in lib.rs, the top driver layer.
            let used = layer(&c[1]).unwrap_or(6);
            if used > own {
                violations.push(format!(
                    "src/{}: {module} (layer {own}) uses crate::{} (layer {used})",
                    rel.display(),
                    &c[1]
                ));
            }
        }
    }
    assert!(checked > 20, "only {checked} files checked");
    assert_eq!(violations, Vec::<String>::new());
}
