//! What a line's neighbours say: the context half of the classifier.
//!
//! jusText's smoothing, on lines instead of HTML blocks: a line too short to
//! judge alone takes the side of the nearest judged lines around it, and the
//! start and end of the file count as chrome, so the short labels, names and
//! links that stack up before the first paragraph and after the last one go,
//! while a subhead between two paragraphs stays. Headings directly followed
//! by prose are promoted first, as jusText does, so they survive chrome
//! above them.

use super::features::Class;

/// A line's class after smoothing: `None` keeps it.
pub fn smooth(cf: &[Class], heading_like: &[bool]) -> Vec<Option<&'static str>> {
    let class = promote(cf, heading_like);
    let first_good = class.iter().position(|c| *c == Class::Good);
    let last_good = class.iter().rposition(|c| *c == Class::Good);
    let place = |i: usize| match (first_good, last_good) {
        (Some(f), _) if i < f => Place::Leading,
        (_, Some(l)) if i > l => Place::Trailing,
        (None, None) => Place::Leading,
        _ => Place::Inside,
    };
    let mut out: Vec<Option<&'static str>> = class
        .iter()
        .map(|c| match c {
            Class::Bad(r) => Some(*r),
            _ => None,
        })
        .collect();
    let mut revised = class.clone();
    for i in (0..class.len()).filter(|&i| class[i] == Class::Short) {
        if short_is_good(&class, i) {
            revised[i] = Class::Good;
        } else {
            let why = position_reason(place(i), "short line");
            revised[i] = Class::Bad(why);
            out[i] = Some(why);
        }
    }
    for i in (0..class.len()).filter(|&i| class[i] == Class::NearGood) {
        let (prev, next) = (
            neighbour(&revised, i, Dir::Back),
            neighbour(&revised, i, Dir::On),
        );
        if prev.bad() && next.bad() {
            out[i] = Some(position_reason(place(i), "prose-like line"));
        }
    }
    out
}

/// The classes smoothing starts from: in a text with no long paragraph its
/// near-good lines are its body, and a heading right above prose counts as
/// near-good (jusText's "good headings").
fn promote(cf: &[Class], heading_like: &[bool]) -> Vec<Class> {
    let any_good = cf.contains(&Class::Good);
    let mut class: Vec<Class> = cf
        .iter()
        .map(|&c| match c {
            Class::NearGood if !any_good => Class::Good,
            c => c,
        })
        .collect();
    for i in 0..class.len() {
        if class[i] == Class::Short && heading_like[i] && class.get(i + 1) == Some(&Class::Good) {
            class[i] = Class::NearGood;
        }
    }
    class
}

/// A short line takes the side of its judged neighbours; between prose and
/// chrome, prose wins only when a near-good line stands right beside the
/// chrome side.
fn short_is_good(class: &[Class], i: usize) -> bool {
    match (neighbour(class, i, Dir::Back), neighbour(class, i, Dir::On)) {
        (Side::Good, Side::Good) => true,
        (p, n) if p.bad() && n.bad() => false,
        (p, n) => (p.bad() && near(class, i, Dir::Back)) || (n.bad() && near(class, i, Dir::On)),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Edge,
    Bad,
    Good,
}

impl Side {
    fn bad(self) -> bool {
        self != Side::Good
    }
}

#[derive(Clone, Copy)]
enum Dir {
    Back,
    On,
}

fn step(i: usize, dir: Dir, n: usize) -> Option<usize> {
    match dir {
        Dir::Back => i.checked_sub(1),
        Dir::On => (i + 1 < n).then_some(i + 1),
    }
}

/// The nearest line that is neither short nor near-good, seen from `i`.
fn neighbour(class: &[Class], i: usize, dir: Dir) -> Side {
    let mut j = i;
    while let Some(k) = step(j, dir, class.len()) {
        match class[k] {
            Class::Good => return Side::Good,
            Class::Bad(_) => return Side::Bad,
            Class::Short | Class::NearGood => j = k,
        }
    }
    Side::Edge
}

/// Whether the nearest non-short line from `i` is near-good.
fn near(class: &[Class], i: usize, dir: Dir) -> bool {
    let mut j = i;
    while let Some(k) = step(j, dir, class.len()) {
        match class[k] {
            Class::Short => j = k,
            c => return c == Class::NearGood,
        }
    }
    false
}

/// Where a line stands relative to the article's good lines.
#[derive(Clone, Copy)]
enum Place {
    Leading,
    Inside,
    Trailing,
}

fn position_reason(place: Place, what: &str) -> &'static str {
    match (what, place) {
        ("short line", Place::Leading) => "short line in the leading chrome block",
        ("short line", Place::Trailing) => "short line in the trailing chrome block",
        ("short line", Place::Inside) => "short line beside chrome lines",
        (_, Place::Leading) => "prose-like line in the leading chrome block",
        (_, Place::Trailing) => "prose-like line in the trailing chrome block",
        (_, Place::Inside) => "prose-like line between chrome lines",
    }
}
