//! Resolving a reference the way a browser does: against the page's own
//! URL, with `.` and `..` removed and percent-escapes decoded, then placed
//! inside the site's base path or found to leave it.

use percent_encoding::percent_decode_str;

/// Where a reference leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// Another origin (`https://…`, `//host/…`).
    Elsewhere,
    /// `mailto:`, `tel:`, `data:` and the like: nothing to check.
    NotALocation,
    /// `javascript:`.
    Script,
    /// A file of the site: its path inside the output folder (decoded,
    /// `""` for the root) and the fragment, if any.
    Site {
        path: String,
        fragment: Option<String>,
    },
    /// Above the base path: not part of the site a host will serve.
    LeavesSite(String),
}

/// Resolve `url` found on the page at `page` (its URL path, e.g.
/// `/base/topics/x/index.html`) of a site served under `base` (`/base/`).
pub(super) fn resolve(page: &str, url: &str, base: &str) -> Target {
    let url = url.trim();
    if url.starts_with("//") {
        return Target::Elsewhere;
    }
    if let Some(scheme) = scheme(url) {
        return match scheme.as_str() {
            "http" | "https" => Target::Elsewhere,
            "javascript" | "vbscript" => Target::Script,
            _ => Target::NotALocation,
        };
    }
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(f.to_string())),
        None => (url, None),
    };
    let path = rest.split('?').next().unwrap_or("");
    let joined = if path.is_empty() {
        page.to_string()
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}{path}", &page[..page.rfind('/').map_or(0, |i| i + 1)])
    };
    let absolute = remove_dot_segments(&joined);
    let decoded = percent_decode_str(&absolute)
        .decode_utf8_lossy()
        .into_owned();
    // `/x` for a site at `/x/`: hosts answer it with the site's root.
    let inside = if format!("{decoded}/") == base {
        Some("")
    } else {
        decoded.strip_prefix(base)
    };
    match inside {
        Some(p) => Target::Site {
            path: p.to_string(),
            fragment: fragment.map(|f| percent_decode_str(&f).decode_utf8_lossy().into_owned()),
        },
        None => Target::LeavesSite(decoded),
    }
}

/// The scheme of an absolute URL (`https`, `mailto`), lower-cased.
fn scheme(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let s = &url[..colon];
    let valid = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then(|| s.to_ascii_lowercase())
}

/// RFC 3986 §5.2.4: `/a/b/../c/./d` → `/a/c/d`. Like a browser, `..` at
/// the root stays at the root.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str, fragment: Option<&str>) -> Target {
        Target::Site {
            path: path.into(),
            fragment: fragment.map(Into::into),
        }
    }

    #[test]
    fn resolves_as_a_browser_does() {
        let page = "/b/topics/soy/index.html";
        assert_eq!(
            resolve(page, "../../sources/", "/b/"),
            site("sources/", None)
        );
        assert_eq!(
            resolve(page, "#top", "/b/"),
            site("topics/soy/index.html", Some("top"))
        );
        assert_eq!(
            resolve(page, "/b/a%20b.html?x=1#p1%2Ds1", "/b/"),
            site("a b.html", Some("p1-s1"))
        );
        assert_eq!(resolve(page, "/b", "/b/"), site("", None));
        assert_eq!(
            resolve(page, "../../../x.html", "/b/"),
            Target::LeavesSite("/x.html".into())
        );
        assert_eq!(
            resolve(page, "/other/", "/b/"),
            Target::LeavesSite("/other/".into())
        );
        assert_eq!(
            resolve(page, "HTTPS://cdn.example/x", "/b/"),
            Target::Elsewhere
        );
        assert_eq!(resolve(page, "//cdn.example/x", "/b/"), Target::Elsewhere);
        assert_eq!(resolve(page, "mailto:a@b.c", "/b/"), Target::NotALocation);
        assert_eq!(resolve(page, " JavaScript:alert(1)", "/b/"), Target::Script);
    }
}
