//! Grouping dated sentences into happenings, and telling which happenings
//! an authored event already covers. Words are compared as 64-bit hashes.

use crate::hash::{HashMap, HashSet};

use rayon::prelude::*;

use super::Event;
use super::extract::Candidate;
use super::words::{Vocabulary, WordSet, Words};
use std::sync::Arc;

use crate::cache::{Cache, KeyHasher};
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
    let vocabulary = Vocabulary::of(&words);
    cluster(&candidates, &words, &vocabulary, topics, &Cache::none())
        .each(topics)
        .map(|k| k.candidates.to_vec())
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
    let clusters = cluster(&candidates, &sentence_words, &vocabulary, topics, cache);
    let each: Vec<Cluster<'_>> = clusters.each(topics).collect();
    let judged: Vec<(Option<usize>, Cluster<'_>)> = each
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
                sorted.uncovered.push((candidates.to_vec(), topics));
            }
        }
    }
    sorted
}

/// One happening gathered from the sources, as one date group's clusters
/// hold it: its sentences, each with its word set, and the topics they
/// mention, in the order first mentioned (for the authored-event test, and
/// the event a cluster becomes).
struct Cluster<'g> {
    candidates: &'g [Candidate],
    words: &'g [WordSet],
    topics: Vec<&'g str>,
}

/// A gathered cluster, as a date group keeps it.
struct Gathered {
    /// Positions of its topics in the index: a handful, compared as numbers
    /// for every candidate of the same date.
    topics: Vec<usize>,
    candidates: Vec<Candidate>,
    candidate_words: Vec<WordSet>,
    /// The position of its first candidate in its date group.
    first: usize,
}

/// A cluster being gathered, plus the union of its words and the set of its
/// sentences, so joining it is a lookup, not a scan; only gathering needs
/// those two.
struct Gathering {
    words: WordSet,
    sentences: HashSet<SentenceRef>,
    kept: Gathered,
}

impl Gathering {
    fn new(words: WordSet, c: Candidate, topics: &[usize], first: usize) -> Self {
        Self {
            words: words.clone(),
            sentences: HashSet::from_iter([c.at]),
            kept: Gathered {
                topics: topics.to_vec(),
                candidates: vec![c],
                candidate_words: vec![words],
                first,
            },
        }
    }

    /// Does a candidate with these words and topics report this happening?
    /// Topics first: the cheaper test, and either one joins.
    fn takes(&self, words: &WordSet, topics: &[usize]) -> bool {
        topics.iter().any(|t| self.kept.topics.contains(t))
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
        let kept = &mut self.kept;
        for t in topics {
            if !kept.topics.contains(t) {
                kept.topics.push(*t);
            }
        }
        kept.candidates.push(c);
        kept.candidate_words.push(words);
    }
}

/// Every date group's clusters, and the order the clusters were first
/// found in: by the position of their first candidate among all.
struct Clusters {
    groups: Vec<Arc<Vec<Gathered>>>,
    /// `(group, cluster)` positions.
    order: Vec<(usize, usize)>,
}

impl Clusters {
    fn each<'g>(&'g self, topics: &'g TopicIndex) -> impl Iterator<Item = Cluster<'g>> {
        let slug = |t: &usize| topics.topics[*t].0.as_str();
        self.order.iter().map(move |&(g, k)| {
            let c = &self.groups[g][k];
            Cluster {
                topics: c.topics.iter().map(slug).collect(),
                candidates: &c.candidates,
                words: &c.candidate_words,
            }
        })
    }
}

/// Group candidates that report the same happening: same date and end, and
/// two content words or a topic in common with the group so far. Only
/// candidates of the same date and end can meet, so each such date group
/// is gathered on its own: the groups in parallel, and, in a process that
/// builds again, a group whose candidates and words are unchanged is the
/// last build's (a seed edit touches a few of some hundreds).
fn cluster(
    candidates: &[Candidate],
    words: &Words,
    vocabulary: &Vocabulary,
    topics: &TopicIndex,
    cache: &Cache,
) -> Clusters {
    let groups = date_groups(candidates);
    let gathered: Vec<Arc<Vec<Gathered>>> = groups
        .par_iter()
        .map(|group| {
            let gather = || gather(group, candidates, words, vocabulary, topics);
            if !cache.keeps_values() {
                return Arc::new(gather());
            }
            let mut key = KeyHasher::new("date group");
            key.u128(vocabulary.key).u128(topics.matched_key());
            for &i in group {
                let c = &candidates[i];
                key.hashed(c).u128(words.key_of(c.at.source()));
            }
            cache.value(key.finish(), gather)
        })
        .collect();
    let mut order: Vec<(usize, usize, usize)> = groups
        .iter()
        .zip(&gathered)
        .enumerate()
        .flat_map(|(g, (group, clusters))| {
            let first = move |(k, c): (usize, &Gathered)| (group[c.first], g, k);
            clusters.iter().enumerate().map(first)
        })
        .collect();
    order.sort_unstable();
    Clusters {
        groups: gathered,
        order: order.into_iter().map(|(_, g, k)| (g, k)).collect(),
    }
}

/// Positions of the candidates of each date and end, in their order.
fn date_groups(candidates: &[Candidate]) -> Vec<Vec<usize>> {
    let mut at: HashMap<(PartialDate, Option<PartialDate>), usize> = HashMap::default();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let g = *at.entry((c.date, c.end)).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    groups
}

/// The clusters of one date group (`group`: positions in `candidates`),
/// one candidate after another, each joining the first cluster that takes it.
fn gather(
    group: &[usize],
    candidates: &[Candidate],
    words: &Words,
    vocabulary: &Vocabulary,
    topics: &TopicIndex,
) -> Vec<Gathered> {
    // Each candidate's words and topics are its own, found in parallel:
    // one date can hold a tenth of all candidates.
    let prepared: Vec<(WordSet, &[usize])> = group
        .par_iter()
        .map(|&i| {
            let at = candidates[i].at;
            let telling = vocabulary.telling(words.of_sentence(at));
            (telling, topics.topic_ids_of_sentence(at))
        })
        .collect();
    let mut gathering: Vec<Gathering> = Vec::new();
    for (n, (&i, (c_words, c_topics))) in group.iter().zip(prepared).enumerate() {
        let c = candidates[i].clone();
        match gathering.iter_mut().find(|g| g.takes(&c_words, c_topics)) {
            Some(g) => g.join(c_words, c, c_topics),
            None => gathering.push(Gathering::new(c_words, c, c_topics, n)),
        }
    }
    gathering.into_iter().map(|g| g.kept).collect()
}

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

    /// A corpus of one short article per text, each sentence its body.
    fn corpus(texts: &[&str]) -> Corpus {
        let sources = texts.iter().enumerate().map(|(i, t)| {
            let (rel, name) = (format!("seeds/{i}.txt"), format!("{i}.txt"));
            // A headline, then the sentence as the body's paragraph.
            let text =
                format!("Trade report {i}\n\n{t}\n\nMore talks are planned, officials said.\n");
            let made =
                crate::seeds::ingest_file(std::path::Path::new(&rel), &name, text.as_bytes(), None);
            std::sync::Arc::new(made.unwrap().0.unwrap())
        });
        Corpus::new(sources.collect())
    }

    /// The sentences of each cluster, in the order the clusters come.
    fn clustered(corpus: &Corpus, cache: &Cache) -> Vec<Vec<SentenceRef>> {
        let topics = crate::topics::index(corpus, &[]);
        let candidates = super::super::extract::extract(corpus).dated;
        let words = Words::of(corpus, cache);
        let vocabulary = Vocabulary::of(&words);
        let clusters = cluster(&candidates, &words, &vocabulary, &topics, cache);
        let sentences = clusters
            .each(&topics)
            .map(|c| c.candidates.iter().map(|c| c.at).collect())
            .collect();
        // Every cluster is of one date, and they come in the order of
        // their first candidate among all.
        let at = |r: &SentenceRef| candidates.iter().position(|c| c.at == *r).unwrap();
        let firsts: Vec<usize> = clusters
            .each(&topics)
            .map(|c| at(&c.candidates[0].at))
            .collect();
        assert!(firsts.is_sorted(), "clusters out of order: {firsts:?}");
        for c in clusters.each(&topics) {
            assert!(c.candidates.iter().all(|x| x.date == c.candidates[0].date));
        }
        sentences
    }

    /// A process that builds again keeps each date group's clusters: after
    /// one article changes, they are the clusters of gathering anew.
    #[test]
    fn clustering_again_after_an_edit_equals_clustering_anew() {
        let mut texts = [
            "On October 30, 2025, Trump and Xi met in Busan and agreed a trade truce.",
            "China will buy American soybeans from November 10, 2025, officials said.",
            "Trump and Xi met in Busan on October 30, 2025, and agreed to cut tariffs.",
            "On November 10, 2025, the soybean purchases resumed at scale, traders said.",
            "Rare earth export controls were paused on November 10, 2025, Beijing said.",
        ];
        let mut cache = Cache::none();
        cache.remember_files();
        let before = clustered(&corpus(&texts), &cache);
        assert_eq!(before, clustered(&corpus(&texts), &Cache::none()));
        assert!(before.len() >= 2, "{before:?}");
        cache.save().unwrap();
        // One report moves to a date of its own: one group changes, one is new.
        texts[1] = "China will buy American soybeans from December 1, 2025, officials said.";
        let again = clustered(&corpus(&texts), &cache);
        let anew = clustered(&corpus(&texts), &Cache::none());
        assert_eq!(again, anew);
        assert_ne!(again, before, "the edit should change the clusters");
    }
}
