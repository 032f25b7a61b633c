//! Files a real host wants: sitemap, robots, Atom feed, `.nojekyll`, `CNAME`.
//!
//! All absolute URLs come from `Urls::absolute`, so they follow `base_url`.
//! XML is written by hand with every text node and attribute escaped.

use super::OutputFile;
use crate::markdown::escape;
use crate::site::Site;
use crate::timeline::Event;
use crate::urls::Route;

/// Which pages [`entries`] lists.
#[derive(Clone, Copy)]
enum Listed {
    Everything,
    /// Not the source pages: raw material, not news (the feed).
    NotSources,
}

/// Pages for the sitemap and feed: (site path, title, summary, date).
fn entries(site: &Site, listed: Listed) -> Vec<(String, String, String, Option<String>)> {
    let mut out = vec![(
        String::new(),
        site.home.meta.title.clone(),
        site.home.meta.description.clone(),
        None,
    )];
    for t in &site.topics {
        out.push((
            Route::Topic(&t.meta.slug).rel(),
            t.meta.title.clone(),
            t.meta.summary.clone(),
            None,
        ));
    }
    out.push((
        Route::Timeline.rel(),
        "Timeline".into(),
        "Every dated event in the sources, in order.".into(),
        None,
    ));
    if !site.commitments.is_empty() {
        out.push((
            Route::Tracker.rel(),
            "Promises tracker".into(),
            "What each side promised, by when, and how far it has got.".into(),
            None,
        ));
    }
    out.push((
        Route::Sources.rel(),
        "Sources".into(),
        "Every article this explainer rests on.".into(),
        None,
    ));
    let sources = match listed {
        Listed::Everything => site.corpus.sources.as_slice(),
        Listed::NotSources => &[],
    };
    for s in sources {
        out.push((
            Route::Source(&s.meta.id).rel(),
            s.display_title(),
            String::new(),
            s.meta.date.map(|d| d.to_string()),
        ));
    }
    for p in &site.pages {
        out.push((
            Route::Page(&p.meta.url_path).rel(),
            p.meta.title.clone(),
            p.meta.description.clone(),
            p.meta.date.map(|d| d.first_day().to_string()),
        ));
    }
    out
}

pub fn files(site: &Site) -> Vec<OutputFile> {
    let u = &site.config.urls;
    let mut out = vec![
        OutputFile {
            path: Route::Sitemap.file(),
            bytes: sitemap(site).into_bytes(),
        },
        OutputFile {
            path: Route::Robots.file(),
            bytes: format!(
                "User-agent: *\nAllow: /\nSitemap: {}\n",
                u.absolute_of(Route::Sitemap)
            )
            .into_bytes(),
        },
        OutputFile {
            path: Route::Feed.file(),
            bytes: atom(site).into_bytes(),
        },
        // GitHub Pages would otherwise run Jekyll and hide files starting with `_`.
        OutputFile {
            path: Route::NoJekyll.file(),
            bytes: Vec::new(),
        },
    ];
    if let Some(cname) = &site.config.cname {
        out.push(OutputFile {
            path: Route::Cname.file(),
            bytes: format!("{}\n", cname.trim()).into_bytes(),
        });
    }
    out
}

fn sitemap(site: &Site) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, _, _, date) in entries(site, Listed::Everything) {
        xml.push_str(&format!(
            "  <url><loc>{}</loc>",
            escape(&site.config.urls.absolute(&path))
        ));
        if let Some(d) = date {
            xml.push_str(&format!("<lastmod>{}</lastmod>", escape(&d)));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// When an entry was published or last changed: the newest report it rests
/// on, never the event's own date (a planned visit is not news from the
/// future). Deterministic, so a rebuild does not change the feed.
fn stamp(site: &Site, e: &Event) -> String {
    let reported = e
        .citations
        .iter()
        .chain(&e.also)
        .filter_map(|c| {
            let m = &site.corpus.sources[c.source()].meta;
            m.date.or(m.reference_date)
        })
        .max();
    let as_of = site.as_of;
    let day = match (reported, as_of) {
        (Some(r), Some(a)) => Some(r.min(a)),
        (r, a) => r.or(a),
    };
    day.map_or_else(
        || "2000-01-01T00:00:00Z".into(),
        |d| format!("{d}T00:00:00Z"),
    )
}

fn atom(site: &Site) -> String {
    let u = &site.config.urls;
    // Deterministic: the feed is as new as its newest entry, not the build.
    let shown: Vec<&Event> = site.timeline.shown(site.config.extracted).collect();
    // Once per event: one can rest on 10,000 reports.
    let stamps: Vec<String> = shown.iter().map(|e| stamp(site, e)).collect();
    let updated = stamps
        .iter()
        .max()
        .cloned()
        .unwrap_or_else(|| "2000-01-01T00:00:00Z".into());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <id>{}</id>\n  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}\"/>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n",
        escape(&site.config.language),
        escape(&site.config.title),
        escape(&site.config.description),
        escape(&u.absolute_of(Route::Home)),
        escape(&u.absolute_of(Route::Home)),
        escape(&u.absolute_of(Route::Feed)),
        escape(&site.config.title),
    );
    for (e, when) in shown.into_iter().zip(&stamps).rev() {
        let link = format!("{}#{}", u.absolute_of(Route::Timeline), e.id);
        xml.push_str(&entry(&e.title, &link, when, &e.summary(&site.corpus)));
    }
    // Nor the list of sources.
    let sources = Route::Sources.rel();
    for (path, title, summary, date) in entries(site, Listed::NotSources)
        .into_iter()
        .filter(|(p, ..)| !p.starts_with(&sources))
    {
        let when = date.map_or_else(|| updated.clone(), |d| format!("{d}T00:00:00Z"));
        xml.push_str(&entry(&title, &u.absolute(&path), &when, &summary));
    }
    xml.push_str("</feed>\n");
    xml
}

fn entry(title: &str, link: &str, updated: &str, summary: &str) -> String {
    format!(
        "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{updated}</updated>\n    <summary>{}</summary>\n  </entry>\n",
        escape(title),
        escape(link),
        escape(link),
        escape(summary)
    )
}
