//! Grouping dated sentences into happenings, and telling which happenings
//! an authored event already covers. Words are compared as 64-bit hashes.

use crate::hash::{HashMap, HashSet};

use rayon::prelude::*;

use super::Event;
use super::extract::Candidate;
use super::words::{Vocabulary, WordSet, Words};
use crate::cache::Cache;
use crate::dates::PartialDate;
use crate::refs::{Cited, SentenceRef};
use crate::seeds::Corpus;
use crate::topics::TopicIndex;

/// Candidates with the same dates that share a topic or enough words are one event.
pub fn merge(
    candidates: Vec<Candidate>,
    corpus: &Corpus,
    topics: &TopicIndex,
) -> Vec<Vec<Candidate>> {
    let words = Words::of(corpus, &Cache::none());
    cluster(candidates, &words, &Vocabulary::of(&words), topics)
        .into_iter()
        .map(|k| k.candidates)
        .collect()
}

/// The happenings the sources report (groups of candidates) that no
/// authored event covers, in the order they were first found.
/// What the sources report, sorted against the authored events.
pub(super) struct Sorted {
    /// Happenings no authored event tells, each a group of candidates
    /// with the topics they mention, in the order first mentioned.
    pub(super) uncovered: Vec<(Vec<Candidate>, Vec<String>)>,
    /// `(authored event position, sentences that report it)`: every source
    /// that confirms an authored event, so adding an article can only add
    /// citations to the timeline, never lose them.
    pub(super) confirming: Vec<(usize, Vec<SentenceRef>)>,
}

pub(super) fn sort_out(
    authored: &[Event],
    candidates: Vec<Candidate>,
    corpus: &Corpus,
    topics: &TopicIndex,
    cache: &Cache,
) -> Sorted {
    // A dated sentence an authored event already cites for its date is
    // that event's own source: neither a new entry nor a confirmation.
    let mut cited: HashMap<SentenceRef, Vec<PartialDate>> = HashMap::default();
    for e in authored {
        for r in e.citations.iter().filter_map(|c| c.sentence()) {
            cited.entry(r).or_default().push(e.date);
        }
    }
    let candidates: Vec<Candidate> = candidates
        .into_iter()
        .filter(|c| {
            !cited
                .get(&c.at)
                .is_some_and(|dates| dates.iter().any(|d| super::support::supports(c, *d)))
        })
        .collect();
    let sentence_words = Words::of(corpus, cache);
    let vocabulary = Vocabulary::kept(&sentence_words, cache);
    let words: Vec<WordSet> = authored
        .iter()
        .map(|e| authored_words(e, corpus, &vocabulary))
        .collect();
    let judged: Vec<(Option<usize>, Cluster<'_>)> =
        cluster(candidates, &sentence_words, &vocabulary, topics)
            .into_par_iter()
            .map(|c| (covered_by(authored, &words, &c), c))
            .collect();
    let mut sorted = Sorted {
        uncovered: Vec::new(),
        confirming: Vec::new(),
    };
    for (by, cluster) in judged {
        let candidates = cluster.candidates;
        match by {
            // Only a report of the same date confirms the entry. One that
            // dates the happening differently ("late October" beside an
            // authored October 30) is a claim of its own and stays an
            // entry, so that no article's dated sentence is lost.
            Some(i) if same_dates(&authored[i], &candidates[0]) => sorted
                .confirming
                .push((i, candidates.iter().map(|c| c.at).collect())),
            _ => {
                let topics = cluster.topics.iter().map(|t| t.to_string()).collect();
                sorted.uncovered.push((candidates, topics));
            }
        }
    }
    sorted
}

/// One happening gathered from the sources: its sentences, each with its
/// word set, and the topics they mention, in the order first mentioned
/// (for the authored-event test, and the event a cluster becomes).
struct Cluster<'t> {
    candidates: Vec<Candidate>,
    words: Vec<WordSet>,
    topics: Vec<&'t str>,
}

/// A cluster being gathered, plus the union of its words and the set of its
/// sentences, so joining it is a lookup, not a scan.
struct Gathering {
    words: WordSet,
    sentences: HashSet<SentenceRef>,
    /// Positions of its topics in the index: a handful, compared as numbers
    /// for every candidate of the same date.
    topics: Vec<usize>,
    candidates: Vec<Candidate>,
    candidate_words: Vec<WordSet>,
}

impl Gathering {
    fn new(words: WordSet, c: Candidate, topics: &[usize]) -> Self {
        Self {
            words: words.clone(),
            sentences: HashSet::from_iter([c.at]),
            topics: topics.to_vec(),
            candidates: vec![c],
            candidate_words: vec![words],
        }
    }

    /// Does a candidate with these words and topics report this happening?
    /// Topics first: the cheaper test, and either one joins.
    fn takes(&self, words: &WordSet, topics: &[usize]) -> bool {
        topics.iter().any(|t| self.topics.contains(t))
            || words
                .iter()
                .filter(|w| self.words.contains(w))
                .take(2)
                .count()
                >= 2
    }

    fn join(&mut self, words: WordSet, c: Candidate, topics: &[usize]) {
        if !self.sentences.insert(c.at) {
            return;
        }
        self.words.extend(&words);
        for t in topics {
            if !self.topics.contains(t) {
                self.topics.push(*t);
            }
        }
        self.candidates.push(c);
        self.candidate_words.push(words);
    }
}

/// Group candidates that report the same happening: same date and end, and
/// two content words or a topic in common with the group so far.
fn cluster<'t>(
    candidates: Vec<Candidate>,
    words: &Words,
    vocabulary: &Vocabulary,
    topics: &'t TopicIndex,
) -> Vec<Cluster<'t>> {
    cluster_in(candidates, words, vocabulary, topics, STRETCH)
}

/// [`cluster`], preparing `stretch` candidates at a time.
fn cluster_in<'t>(
    candidates: Vec<Candidate>,
    words: &Words,
    vocabulary: &Vocabulary,
    topics: &'t TopicIndex,
    stretch: usize,
) -> Vec<Cluster<'t>> {
    let mut gathering: Vec<Gathering> = Vec::new();
    // Only clusters of the same date and end can take a candidate.
    let mut by_date: HashMap<(PartialDate, Option<PartialDate>), Vec<usize>> = HashMap::default();
    // Word sets and topics are per candidate, found in parallel. Gathering
    // goes one candidate after another, so it takes one core: the next
    // stretch of candidates is prepared on the other meanwhile.
    let prepare = |stretch: Vec<Candidate>| -> Vec<(WordSet, &'t [usize], Candidate)> {
        stretch
            .into_par_iter()
            .map(|c| {
                let c_topics = topics.topic_ids_of_sentence(c.at);
                (vocabulary.telling(words.of_sentence(c.at)), c_topics, c)
            })
            .collect()
    };
    let mut rest = candidates.into_iter();
    let mut next = || -> Vec<Candidate> { rest.by_ref().take(stretch).collect() };
    let mut ready = prepare(next());
    while !ready.is_empty() {
        let stretch = next();
        let gather = || {
            for (words, c_topics, c) in ready {
                let same_date = by_date.entry((c.date, c.end)).or_default();
                match same_date
                    .iter()
                    .find(|&&i| gathering[i].takes(&words, c_topics))
                {
                    Some(&i) => gathering[i].join(words, c, c_topics),
                    None => {
                        same_date.push(gathering.len());
                        gathering.push(Gathering::new(words, c, c_topics));
                    }
                }
            }
        };
        ready = rayon::join(|| prepare(stretch), gather).0;
    }
    let slug = |t: &usize| topics.topics[*t].0.as_str();
    gathering
        .into_iter()
        .map(|k| Cluster {
            topics: k.topics.iter().map(slug).collect(),
            candidates: k.candidates,
            words: k.candidate_words,
        })
        .collect()
}

/// How many candidates are prepared while the ones before are gathered.
const STRETCH: usize = 4096;

/// Content words of an authored event: its title and the text it cites.
fn authored_words(a: &Event, corpus: &Corpus, vocabulary: &Vocabulary) -> WordSet {
    let mut words = vocabulary.word_set(&a.title);
    for c in &a.citations {
        words.extend(vocabulary.word_set(&crate::article::cited_text(corpus, *c)));
    }
    words
}

/// The first authored event that already tells the happening `cluster` reports.
fn covered_by(
    authored: &[Event],
    authored_words: &[WordSet],
    cluster: &Cluster<'_>,
) -> Option<usize> {
    authored
        .iter()
        .zip(authored_words)
        .position(|(a, aw)| covers(a, aw, cluster))
}

/// Does authored event `a` tell the happening `cluster` reports? Yes when
/// it cites one of its sentences, or overlaps it in time and shares a topic
/// (same date) or enough words with one of its sentences.
fn same_dates(a: &Event, c: &Candidate) -> bool {
    a.date == c.date && a.end == c.end
}

fn covers(a: &Event, aw: &WordSet, cluster: &Cluster<'_>) -> bool {
    let (members, cluster_topics) = (&cluster.words, &cluster.topics);
    let cluster = &cluster.candidates;
    let cites = |c: &Candidate| a.citations.contains(&Cited::Sentence(c.at));
    if cluster.iter().any(cites) {
        return true;
    }
    let same_date = same_dates(a, &cluster[0]);
    let shared_topic = a
        .topics
        .iter()
        .any(|t| cluster_topics.contains(&t.as_str()));
    if same_date && shared_topic {
        return true;
    }
    let (a0, a1) = span(a.date, a.end);
    let (c0, c1) = span(cluster[0].date, cluster[0].end);
    if a1 < c0 || c1 < a0 {
        return false;
    }
    let needed = if same_date { 2 } else { 3 };
    members
        .iter()
        .any(|w| w.iter().filter(|x| aw.contains(x)).take(needed).count() >= needed)
}

fn span(date: PartialDate, end: Option<PartialDate>) -> (jiff::civil::Date, jiff::civil::Date) {
    (date.first_day(), end.unwrap_or(date).last_day())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gathering while the next stretch is prepared comes out as gathering
    /// all at once, wherever the stretches end: the same clusters of the
    /// same sentences, in the same order.
    #[test]
    fn clusters_do_not_depend_on_where_the_stretches_end() {
        let texts = [
            "On October 30, 2025, Trump and Xi met in Busan and agreed a trade truce.",
            "Trump and Xi met in Busan on October 30, 2025, and agreed to cut tariffs.",
            "China will buy American soybeans from November 10, 2025, officials said.",
            "On November 10, 2025, the soybean purchases resumed at scale, traders said.",
            "Rare earth export controls were paused on November 10, 2025, Beijing said.",
        ];
        let sources = texts.iter().enumerate().map(|(i, t)| {
            let (rel, name) = (format!("seeds/{i}.txt"), format!("{i}.txt"));
            // A headline, then the sentence as the body's paragraph.
            let text =
                format!("Trade report {i}\n\n{t}\n\nMore talks are planned, officials said.\n");
            let made =
                crate::seeds::ingest_file(std::path::Path::new(&rel), &name, text.as_bytes(), None);
            std::sync::Arc::new(made.unwrap().0.unwrap())
        });
        let corpus = Corpus::new(sources.collect());
        let topics = crate::topics::index(&corpus, &[]);
        let once = super::super::extract::extract(&corpus).dated;
        assert!(once.len() >= 5, "{} candidates", once.len());
        // Enough candidates for three stretches of the size a build uses.
        let many: Vec<Candidate> = (0..2 * STRETCH / once.len() + 1)
            .flat_map(|_| once.iter().cloned())
            .collect();
        let words = Words::of(&corpus, &Cache::none());
        let vocabulary = Vocabulary::of(&words);
        let sentences = |stretch| -> Vec<Vec<SentenceRef>> {
            cluster_in(many.clone(), &words, &vocabulary, &topics, stretch)
                .iter()
                .map(|c| c.candidates.iter().map(|c| c.at).collect())
                .collect()
        };
        let whole = sentences(usize::MAX);
        assert!(whole.len() >= 2, "{} clusters", whole.len());
        for stretch in [1, 7, STRETCH] {
            assert_eq!(sentences(stretch), whole, "stretches of {stretch}");
        }
    }
}
