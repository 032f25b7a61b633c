//! The floor for the scale benchmark: the least work that turns the same
//! markdown pages into HTML files. Single-threaded: read each `content/**.md`,
//! skip its `+++` front matter, render the body with pulldown-cmark (the
//! options dossier uses, no highlighting, no template) and write it to
//! `OUT/<path>/index.html`, overwriting in place.
//!
//! Usage: cargo run --release --example floor -- CONTENT_DIR OUT_DIR

use std::fs;
use std::path::Path;

use pulldown_cmark::{Options, Parser, html};
use walkdir::WalkDir;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [content, out] = args.as_slice() else {
        eprintln!("usage: floor CONTENT_DIR OUT_DIR");
        std::process::exit(2);
    };
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut pages = 0;
    for entry in WalkDir::new(content).sort_by_file_name() {
        let entry = entry?;
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = fs::read_to_string(path)?;
        let body = text
            .strip_prefix("+++\n")
            .and_then(|rest| rest.split_once("\n+++\n"))
            .map_or(text.as_str(), |(_, body)| body);
        let mut html_out = String::with_capacity(body.len() * 3 / 2);
        html::push_html(&mut html_out, Parser::new_ext(body, options));
        let rel = path
            .strip_prefix(content)
            .unwrap_or(path)
            .with_extension("");
        let dir = Path::new(out).join(rel);
        fs::create_dir_all(&dir)?;
        fs::write(dir.join("index.html"), html_out)?;
        pages += 1;
    }
    eprintln!("floor: {pages} pages");
    Ok(())
}
