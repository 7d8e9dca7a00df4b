//! Link: build the archive model once from all extracted articles. Articles get their unique
//! URLs; topics, people and authors become terms with their articles (newest first); years and
//! months group the timeline. Renderers only read this model.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Datelike;

pub mod classifier;
mod people;
pub mod related;
mod signature_store;
pub mod summaries;
pub mod topics;
pub mod word_store;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::extract::curated::CuratedPeople;
use crate::extract::Article;
use crate::load::Body;
use crate::memory;
use crate::slug::slugify;
use crate::timings::Timings;
use classifier::{SparseVector, Vocabulary, WordCounts};
use signature_store::{SignatureWriter, Signatures};
use summaries::Summaries;
use topics::{TopicGuess, TopicSource};
use word_store::{StoredCounts, WordReader, WordStore};

/// Index of an article in `Archive::articles`.
pub type ArticleId = usize;
/// Index of a term in its family's list.
pub type TermId = usize;

/// The whole site's content, linked.
#[derive(Debug)]
pub struct Archive {
    /// Newest first.
    pub articles: Vec<LinkedArticle>,
    pub topics: TermFamily,
    pub people: TermFamily,
    pub authors: TermFamily,
    /// Newest first.
    pub years: Vec<Year>,
    /// Where each article's summary is: in the article, or read back from a file.
    pub summaries: Summaries,
}

/// An article with its place in the site.
#[derive(Debug)]
pub struct LinkedArticle {
    /// Boxed, so that the list of articles moves 8 bytes an article, not 376, from reading to
    /// linking: a million articles' lists were copied whole twice on the way.
    pub article: Box<Article>,
    /// The page's path below the site root, ending in `/` (`2019/03/kim-summit/`).
    pub path: String,
    pub topics: Vec<TermId>,
    /// How the article came by each of its topics, in the order of `topics`.
    pub topic_marks: Vec<TopicMark>,
    /// Up to five related articles, most related first.
    pub related: Vec<ArticleId>,
    pub people: Vec<TermId>,
    pub authors: Vec<TermId>,
}

/// How an article came by one of its topics: by id, not by name, since every article keeps
/// these to the end of the build (a million articles' 2.5 million topic names each took a
/// string of their own).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TopicMark {
    pub topic: TermId,
    pub source: TopicSource,
    /// 1 for chosen topics; for suggested ones, a confidence between 0 and 1.
    pub score: f32,
}

/// A topic, a person or an author.
#[derive(Debug)]
pub struct Term {
    pub name: String,
    pub slug: String,
    /// Newest first.
    pub articles: Vec<ArticleId>,
    /// About this term: an author's biography (from the newest article that carries one), a
    /// person's description from `data/people.yaml`.
    pub bio: Option<String>,
    /// A person's picture from `data/people.yaml`.
    pub image: Option<String>,
    /// Terms of the same family most often on the same articles, with how often, most first.
    pub companions: Vec<(TermId, usize)>,
    /// For people and authors: the topics of their articles, most frequent first.
    pub topics_with: Vec<(TermId, usize)>,
    /// For topics: the people most mentioned in its articles, most frequent first.
    pub people_with: Vec<(TermId, usize)>,
}

/// All terms of one family, sorted by name, with the URL folder they live under.
#[derive(Debug)]
pub struct TermFamily {
    /// `topics`, `people` or `authors`: the folder of the index and term pages.
    pub folder: &'static str,
    pub terms: Vec<Term>,
    by_slug: HashMap<String, TermId>,
    /// Slugs of names that were merged into another term ("trump" → "donald-trump").
    aliases: HashMap<String, String>,
}

impl TermFamily {
    /// The term a name as written in an article ended up in.
    pub fn find(&self, name: &str) -> Option<TermId> {
        let slug = reserve_slug(slugify(name, ""));
        let slug = self.aliases.get(&slug).unwrap_or(&slug);
        self.by_slug.get(slug).copied()
    }

    /// The path of a term's page below the site root.
    pub fn term_path(&self, term: &Term) -> String {
        self.term_path_parts(term).concat()
    }

    /// `term_path` in pieces, for links that put the site's root before it in one allocation.
    pub fn term_path_parts<'a>(&'a self, term: &'a Term) -> [&'a str; 4] {
        [self.folder, "/", &term.slug, "/"]
    }

    /// Term ids, most articles first (ties by name).
    pub fn by_article_count(&self) -> Vec<TermId> {
        let mut ids: Vec<TermId> = (0..self.terms.len()).collect();
        ids.sort_by(|a, b| {
            self.terms[*b]
                .articles
                .len()
                .cmp(&self.terms[*a].articles.len())
                .then(a.cmp(b))
        });
        ids
    }
}

/// The articles of one year, and its months.
#[derive(Debug)]
pub struct Year {
    pub year: i32,
    pub articles: Vec<ArticleId>,
    /// Newest first.
    pub months: Vec<Month>,
}

#[derive(Debug)]
pub struct Month {
    pub month: u32,
    pub articles: Vec<ArticleId>,
}

impl Year {
    pub fn path(&self) -> String {
        format!("{:04}/", self.year)
    }
}

impl Month {
    pub fn path(&self, year: i32) -> String {
        format!("{:04}/{:02}/", year, self.month)
    }
}

/// How many companions a term keeps (people mentioned with a person, ...).
const COMPANIONS_KEPT: usize = 12;

/// Top-level folders the site's own pages use; an article URL may not take them.
const RESERVED_FOLDERS: [&str; 8] = [
    "topics", "people", "authors", "archive", "page", "search", "static", "pagefind",
];

/// An article's words as linking needs them, counted right after extraction so that the
/// article's text can be freed before the rest of the archive is read.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct ArticleWords {
    counts: WordCounts,
    text_hash: u64,
}

impl ArticleWords {
    /// Counts an extracted article's words, and releases its Markdown text unless `kept` has
    /// room for it: after this only the rendering reads it, from the file again (and the topic
    /// rules, on an article without topics). A plain-text body is already held as its
    /// paragraphs.
    pub fn take(article: &mut Article, config: &SiteConfig, kept: &KeptTexts) -> ArticleWords {
        let text = topics::article_text(article);
        if may_release_text(article, config) && !kept.make_room(article.source.text.len()) {
            article.source.release_text();
        }
        ArticleWords {
            counts: WordCounts::of(&text),
            text_hash: related::text_hash(&text),
        }
    }

    /// Hands the counts to the archive's word store until linking.
    pub fn store(self, store: &WordStore) -> StoredWords {
        StoredWords {
            counts: store.keep(self.counts),
            text_hash: self.text_hash,
        }
    }
}

/// An article's words from reading until linking, the counts in the word store.
pub struct StoredWords {
    counts: StoredCounts,
    text_hash: u64,
}

/// Whether only the rendering still needs the article's text, which it can read back from
/// the file.
pub fn may_release_text(article: &Article, config: &SiteConfig) -> bool {
    let rules_read_it = article.topics.is_empty() && !config.topics.rules.is_empty();
    matches!(article.body, Body::Markdown { .. }) && !rules_read_it
}

/// Room for Markdown texts kept in memory from reading to rendering. Reading a file again
/// costs about as much as reading it the first time (on the ext4 disk we measure on, 45 µs
/// for a small file), so a small archive keeps its texts; a large one keeps this much and reads
/// the rest back, so memory does not grow with the archive's text.
pub struct KeptTexts {
    left: AtomicUsize,
}

impl KeptTexts {
    /// Bytes of text kept at most: all of an archive of 30,000 articles of 700 words.
    pub const BUDGET: usize = 128 << 20;

    pub fn new(bytes: usize) -> KeptTexts {
        KeptTexts {
            left: AtomicUsize::new(bytes),
        }
    }

    /// Takes `bytes` from the room left; `false`, taking nothing, when they do not fit.
    pub fn make_room(&self, bytes: usize) -> bool {
        self.left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes)
            })
            .is_ok()
    }
}

/// Links the articles, with their counted words, into an archive.
pub fn link(
    mut articles: Vec<(Box<Article>, StoredWords)>,
    words_store: WordStore,
    config: &SiteConfig,
    curated: &CuratedPeople,
    diagnostics: &Diagnostics,
    timings: &Timings,
) -> Archive {
    // Oldest first while assigning URLs, so an older article keeps its slug when a newer one
    // collides with it; then newest first for everything a reader sees.
    // No two articles have the same file, so the order is total and an unstable sort, which
    // needs no scratch copy of the list, gives the one order.
    articles.sort_unstable_by(|(a, _), (b, _)| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.source.relative.cmp(&b.source.relative))
    });
    let (articles, mut words): (Vec<Box<Article>>, Vec<StoredWords>) = articles.into_iter().unzip();
    let paths = timings.time("paths", || assign_paths(&articles, config, diagnostics));
    let mut linked: Vec<LinkedArticle> = articles
        .into_iter()
        .zip(paths)
        .map(|(mut article, path)| {
            // The slug asked for has become the path; every article would keep it to the end.
            article.slug = String::new();
            LinkedArticle {
                article,
                path,
                topics: Vec::new(),
                topic_marks: Vec::new(),
                related: Vec::new(),
                people: Vec::new(),
                authors: Vec::new(),
            }
        })
        .collect();
    linked.reverse();
    words.reverse();
    let large = memory::is_large(linked.len());
    let summaries = if large {
        Summaries::move_out(&mut linked)
    } else {
        Summaries::in_articles()
    };
    let whole_vectors =
        topics::learns_from_vectors(linked.iter().map(|l| &*l.article), &config.topics);
    let vectors = timings.time("vocabulary", || {
        word_vectors(
            words,
            // A large archive's signatures all wait on disk: the related index made from them
            // is the peak of its build.
            if large { 0 } else { signature_store::BUDGET },
            &words_store.finish(),
            whole_vectors,
            &linked,
            diagnostics,
        )
    });
    let guesses = timings.time("topics", || {
        topics::assign_topics(
            &linked
                .iter()
                .map(|linked| &*linked.article)
                .collect::<Vec<_>>(),
            &vectors.whole,
            vectors.dimensions,
            &config.topics,
        )
    });
    let topic_slugs = slug_table(
        guesses
            .par_iter()
            .flatten()
            .map(|guess| guess.name.as_str()),
    );
    let (topics, topic_ids) = build_family("topics", &linked, |id, _, names| {
        names.extend(guesses[id].iter().map(|guess| {
            (
                topic_slugs[guess.name.as_str()].as_str(),
                guess.name.as_str(),
            )
        }));
    });
    drop(topic_slugs);
    set_ids(&mut linked, topic_ids, |l, ids| l.topics = ids);
    mark_topics(&mut linked, guesses, &topics);
    let name_counts = people_name_counts(&linked);
    let people_aliases = people::resolve_aliases(&name_counts);
    let canonical = canonical_people(&name_counts, &people_aliases);
    let confirmed = confirmed_people(&linked, &canonical);
    let (mut people, people_ids) = build_family("people", &linked, |_, linked, names| {
        names.extend(
            linked
                .article
                .people
                .iter()
                .filter_map(|person| canonical.get(person.name.as_str()))
                .filter(|canonical| confirmed.contains(canonical.slug.as_str()))
                .map(|canonical| (canonical.slug.as_str(), canonical.name.as_str())),
        );
    });
    set_ids(&mut linked, people_ids, |l, ids| l.people = ids);
    // One entry per name as written: freed before the rest of linking needs its room.
    drop(confirmed);
    drop(canonical);
    drop_people_without_mentions(&mut linked);
    people.aliases = people_aliases
        .iter()
        .map(|(slug, name)| (slug.clone(), slugify(name, "")))
        .collect();
    let author_slugs = slug_table(
        linked
            .par_iter()
            .flat_map_iter(|linked| &linked.article.authors)
            .map(|credit| credit.name.as_str()),
    );
    let (mut authors, author_ids) = build_family("authors", &linked, |_, linked, names| {
        names.extend(linked.article.authors.iter().map(|credit| {
            (
                author_slugs[credit.name.as_str()].as_str(),
                credit.name.as_str(),
            )
        }));
    });
    drop(author_slugs);
    set_ids(&mut linked, author_ids, |l, ids| l.authors = ids);
    attach_bios(&mut authors, &linked);
    let found = timings.time("related", || {
        related::find_related(
            &linked,
            &vectors.signatures,
            &vectors.text_hashes,
            diagnostics,
        )
    });
    report_duplicates(&linked, &found.duplicates, diagnostics);
    for (linked, related) in linked.iter_mut().zip(found.related) {
        linked.related = related;
    }
    attach_curated(&mut people, curated);
    let mut topics = topics;
    let people_topics = cross_counts(&linked, people.terms.len(), |l| &l.people, |l| &l.topics);
    let author_topics = cross_counts(&linked, authors.terms.len(), |l| &l.authors, |l| &l.topics);
    let topic_people = cross_counts(&linked, topics.terms.len(), |l| &l.topics, |l| &l.people);
    for (term, counted) in people.terms.iter_mut().zip(people_topics) {
        term.topics_with = counted;
    }
    for (term, counted) in authors.terms.iter_mut().zip(author_topics) {
        term.topics_with = counted;
    }
    for (term, counted) in topics.terms.iter_mut().zip(topic_people) {
        term.people_with = counted;
    }
    let years = build_years(&linked);
    Archive {
        articles: linked,
        topics,
        people,
        authors,
        years,
        summaries,
    }
}

/// Articles whose vectors are made at once, and whose signatures (50 words, 400 bytes) wait
/// together to be handed on.
const VECTOR_BLOCK: usize = 1 << 13;

/// What linking makes of the articles' words, in article order.
struct WordVectors {
    /// The TF-IDF vectors, when topics are learned from them (else none).
    whole: Vec<SparseVector>,
    /// The vectors' dimensions.
    dimensions: usize,
    /// Each article's signature: the words related articles are found by.
    signatures: Signatures,
    text_hashes: Vec<u64>,
}

/// Reads every article's counts back from the word store twice: once to count in how many
/// articles each word is, then to weigh each article's words by it. Counts that cannot be
/// read back count as no words, with a warning.
fn word_vectors(
    words: Vec<StoredWords>,
    signature_budget: usize,
    reader: &WordReader,
    whole: bool,
    linked: &[LinkedArticle],
    diagnostics: &Diagnostics,
) -> WordVectors {
    let vocabulary = Vocabulary::build(
        words
            .par_iter()
            .map(|words| reader.counts(&words.counts).unwrap_or_default()),
    );
    // Made a block of articles at a time, on every core, and handed to the signature store in
    // article order: the signatures of an archive never all wait in memory.
    let mut signatures = SignatureWriter::new(vocabulary.dimensions(), signature_budget);
    let mut vectors = Vec::new();
    let mut text_hashes = Vec::with_capacity(words.len());
    let mut words = words.into_iter();
    for first in (0..linked.len()).step_by(VECTOR_BLOCK) {
        let block: Vec<StoredWords> = words.by_ref().take(VECTOR_BLOCK).collect();
        let made: Vec<(SparseVector, SparseVector, u64)> = block
            .into_par_iter()
            .enumerate()
            .map(|(offset, words)| {
                let id = first + offset;
                let counts = reader.counts(&words.counts).unwrap_or_else(|error| {
                    diagnostics.warning(
                        &linked[id].article.source.path,
                        "word counts lost",
                        format!(
                            "cannot read its word counts back from the temporary file ({error}): \
                             it has no related articles by its words"
                        ),
                    );
                    Default::default()
                });
                let vector = vocabulary.vector(&counts);
                let kept = if whole { vector.clone() } else { Vec::new() };
                let signature = related::signature(vector, &vocabulary);
                (kept, signature, words.text_hash)
            })
            .collect();
        let mut block_signatures = Vec::with_capacity(made.len());
        for (kept, signature, text_hash) in made {
            vectors.push(kept);
            block_signatures.push(signature);
            text_hashes.push(text_hash);
        }
        signatures.push(block_signatures);
    }
    WordVectors {
        whole: vectors,
        dimensions: vocabulary.dimensions(),
        signatures: signatures.finish(),
        text_hashes,
    }
}

/// Fills the URL pattern for every article, suffixing `-2`, `-3` ... on collisions.
fn assign_paths(
    articles: &[Box<Article>],
    config: &SiteConfig,
    diagnostics: &Diagnostics,
) -> Vec<String> {
    // The patterns are filled on every core; only settling collisions needs the order.
    let mut paths: Vec<String> = articles
        .par_iter()
        .map(|article| fill_pattern(&config.article_url, article, &article.slug))
        .collect();
    // The paths taken so far borrow the wanted ones, which nearly every article keeps: a map
    // of copies took 120 MB more at a million articles. The few renamed are applied after.
    let mut renamed: Vec<(usize, String)> = Vec::new();
    {
        let mut taken: FxHashMap<&str, usize> =
            FxHashMap::with_capacity_and_hasher(paths.len(), Default::default());
        let mut taken_renamed: FxHashMap<String, usize> = FxHashMap::default();
        for (index, (article, wanted)) in articles.iter().zip(&paths).enumerate() {
            let owner = |path: &str| taken.get(path).or_else(|| taken_renamed.get(path)).copied();
            if owner(wanted).is_none() && !is_reserved(wanted) {
                taken.insert(wanted, index);
                continue;
            }
            let mut suffix = 2;
            let mut path = with_suffix(wanted, suffix);
            while owner(&path).is_some() || is_reserved(&path) {
                suffix += 1;
                path = with_suffix(wanted, suffix);
            }
            let reason = match owner(wanted) {
                Some(other) => format!(
                    "its URL /{wanted} is taken by {}",
                    articles[other].source.path.display()
                ),
                None => format!("its URL /{wanted} is reserved for the site's own pages"),
            };
            diagnostics.warning(
                &article.source.path,
                "duplicate slugs renamed",
                format!("{reason}; published at /{path} instead (set `slug:` to choose)"),
            );
            taken_renamed.insert(path.clone(), index);
            renamed.push((index, path));
        }
    }
    for (index, path) in renamed {
        paths[index] = path;
    }
    paths
}

fn fill_pattern(pattern: &str, article: &Article, slug: &str) -> String {
    let date = article.date;
    let filled = pattern
        .replace(":year", &format!("{:04}", date.year()))
        .replace(":month", &format!("{:02}", date.month()))
        .replace(":day", &format!("{:02}", date.day()))
        .replace(":slug", slug);
    let segments: Vec<String> = filled
        .split('/')
        .filter(|segment| !segment.is_empty() && *segment != "." && *segment != "..")
        .map(|segment| slugify(segment, "-"))
        .collect();
    // Exactly as long as it is: every article keeps its path to the end of the build, and
    // `format!` left room for about twice the path.
    let mut path =
        String::with_capacity(segments.iter().map(|s| s.len() + 1).sum::<usize>().max(1));
    for segment in &segments {
        path.push_str(segment);
        path.push('/');
    }
    if segments.is_empty() {
        path.push('/');
    }
    path
}

/// `2019/03/summit/` with suffix 2 is `2019/03/summit-2/`. The suffix goes on
/// after slugging, because slugging truncates long slugs and would cut a suffix
/// added before it straight off again.
fn with_suffix(path: &str, suffix: usize) -> String {
    format!("{}-{suffix}/", path.trim_end_matches('/'))
}

/// True for paths the site's listings own: `topics/`, `2019/`, `2019/03/`.
fn is_reserved(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let numeric =
        |segment: &str| !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    match segments.as_slice() {
        [single] => RESERVED_FOLDERS.contains(single) || numeric(single),
        [first, second] => numeric(first) && numeric(second),
        _ => false,
    }
}

/// The slug of each name given, worked out once per name (articles repeat names, and slugging
/// is the costly part), a family's own page names already moved aside (`reserve_slug`).
fn slug_table<'a>(names: impl ParallelIterator<Item = &'a str>) -> FxHashMap<&'a str, String> {
    let mut distinct: Vec<&str> = names.collect();
    distinct.par_sort_unstable();
    distinct.dedup();
    distinct
        .into_par_iter()
        .map(|name| (name, reserve_slug(slugify(name, ""))))
        .collect()
}

/// Every article's (slug, name) pairs for one family, in one list, borrowed: as owned
/// strings in a list per article, a million articles' people took about 500 MB while their
/// terms were made, the peak of the build (2,068 MB; 1,854 MB borrowed).
struct Named<'a> {
    pairs: Vec<(&'a str, &'a str)>,
    /// Where each article's pairs start in `pairs`, and one past the last.
    starts: Vec<usize>,
}

/// Articles named a block at a time on each core.
const NAMING_BLOCK: usize = 4096;

impl<'a> Named<'a> {
    /// Collects `names_of` every article, on every core, dropping empty slugs and an article's
    /// repeated ones.
    fn collect(
        articles: &'a [LinkedArticle],
        names_of: impl Fn(ArticleId, &'a LinkedArticle, &mut Vec<(&'a str, &'a str)>) + Sync,
    ) -> Named<'a> {
        // Each block's pairs and each of its articles' count of them.
        type Block<'a> = (Vec<(&'a str, &'a str)>, Vec<usize>);
        let blocks: Vec<Block> = articles
            .par_chunks(NAMING_BLOCK)
            .enumerate()
            .map(|(block, chunk)| {
                let (mut pairs, mut lengths) = (Vec::new(), Vec::with_capacity(chunk.len()));
                for (offset, linked) in chunk.iter().enumerate() {
                    let first = pairs.len();
                    names_of(block * NAMING_BLOCK + offset, linked, &mut pairs);
                    let mut kept = first;
                    for place in first..pairs.len() {
                        let slug = pairs[place].0;
                        if !slug.is_empty() && pairs[first..kept].iter().all(|&(s, _)| s != slug) {
                            pairs[kept] = pairs[place];
                            kept += 1;
                        }
                    }
                    pairs.truncate(kept);
                    lengths.push(kept - first);
                }
                (pairs, lengths)
            })
            .collect();
        let total = blocks.iter().map(|(pairs, _)| pairs.len()).sum();
        let mut named = Named {
            pairs: Vec::with_capacity(total),
            starts: Vec::with_capacity(articles.len() + 1),
        };
        named.starts.push(0);
        for (pairs, lengths) in blocks {
            named.pairs.extend(pairs);
            for length in lengths {
                named
                    .starts
                    .push(named.starts[named.starts.len() - 1] + length);
            }
        }
        named
    }

    fn of(&self, id: ArticleId) -> &[(&'a str, &'a str)] {
        &self.pairs[self.starts[id]..self.starts[id + 1]]
    }
}

/// Groups the names each article gives for one family into terms, keyed by slug; returns the
/// family and each article's term ids. The display name is the most used spelling.
/// `names_of` adds an article's (slug, name) pairs, borrowed from the article or from a
/// table the family made once (`slug_table`).
fn build_family<'a>(
    folder: &'static str,
    articles: &'a [LinkedArticle],
    names_of: impl Fn(ArticleId, &'a LinkedArticle, &mut Vec<(&'a str, &'a str)>) + Sync,
) -> (TermFamily, Vec<Vec<TermId>>) {
    let named = Named::collect(articles, names_of);
    // One term per slug, named by its most used spelling (the first in order among equals):
    // the pairs' places sorted by (slug, name) on every core, then read run by run, rather
    // than counted one by one into a map of maps on one core.
    let mut order: Vec<u32> = (0..named.pairs.len() as u32).collect();
    order.par_sort_unstable_by_key(|&place| named.pairs[place as usize]);
    let mut terms: Vec<Term> = order
        .chunk_by(|&a, &b| named.pairs[a as usize].0 == named.pairs[b as usize].0)
        .map(|same_slug| Term {
            name: most_used(same_slug.iter().map(|&place| named.pairs[place as usize].1))
                .to_string(),
            slug: named.pairs[same_slug[0] as usize].0.to_string(),
            articles: Vec::new(),
            bio: None,
            image: None,
            companions: Vec::new(),
            topics_with: Vec::new(),
            people_with: Vec::new(),
        })
        .collect();
    drop(order);
    // Each name is lowercased once, not once per comparison: a plain-text archive has thousands
    // of people.
    terms.sort_by_cached_key(|term| (term.name.to_lowercase(), term.slug.clone()));
    let id_of: FxHashMap<&str, TermId> = terms
        .iter()
        .enumerate()
        .map(|(id, term)| (term.slug.as_str(), id))
        .collect();
    let ids_per_article: Vec<Vec<TermId>> = (0..articles.len())
        .into_par_iter()
        .map(|id| {
            // Made at its length: kept to the end of the build.
            let mut ids = Vec::with_capacity(named.of(id).len());
            ids.extend(
                named
                    .of(id)
                    .iter()
                    .filter_map(|(slug, _)| id_of.get(slug).copied()),
            );
            ids
        })
        .collect();
    drop(id_of);
    drop(named);
    // Each term's list made as long as it will be: lists grown by pushing kept a third more
    // room than entries.
    let mut lengths = vec![0; terms.len()];
    for &id in ids_per_article.iter().flatten() {
        lengths[id] += 1;
    }
    for (term, length) in terms.iter_mut().zip(lengths) {
        term.articles.reserve_exact(length);
    }
    for (article_id, ids) in ids_per_article.iter().enumerate() {
        for &id in ids {
            terms[id].articles.push(article_id);
        }
    }
    attach_companions(&mut terms, &ids_per_article);
    let by_slug = terms
        .iter()
        .enumerate()
        .map(|(id, term)| (term.slug.clone(), id))
        .collect();
    let family = TermFamily {
        folder,
        terms,
        by_slug,
        aliases: HashMap::new(),
    };
    (family, ids_per_article)
}

/// Gives each article its term ids of one family.
fn set_ids(
    articles: &mut [LinkedArticle],
    ids_per_article: Vec<Vec<TermId>>,
    set: impl Fn(&mut LinkedArticle, Vec<TermId>),
) {
    for (linked, ids) in articles.iter_mut().zip(ids_per_article) {
        set(linked, ids);
    }
}

/// Records how each article came by its topics, by the topics' ids, and frees the names the
/// articles gave them: after this the archive's topics are the terms.
fn mark_topics(linked: &mut [LinkedArticle], guesses: Vec<Vec<TopicGuess>>, topics: &TermFamily) {
    for (linked, guesses) in linked.iter_mut().zip(guesses) {
        for guess in guesses {
            let Some(topic) = topics.find(&guess.name) else {
                continue;
            };
            if linked.topic_marks.iter().all(|mark| mark.topic != topic) {
                linked.topic_marks.push(TopicMark {
                    topic,
                    source: guess.source,
                    score: guess.score,
                });
            }
        }
        // Kept to the end of the build: without the room pushing left.
        linked.topic_marks.shrink_to_fit();
        linked.article.topics = Vec::new();
    }
}

/// Frees the people an article names without mentions (those its front matter gives): once
/// linked, their terms in `LinkedArticle::people` name them, and only mentions are read again
/// (to link names in the body). Some 170 bytes of heap a front-matter article (massif); the
/// resident size falls by less, as the freed blocks lie among live ones.
fn drop_people_without_mentions(linked: &mut [LinkedArticle]) {
    for linked in linked {
        let people = &mut linked.article.people;
        if people.iter().any(|person| person.mentions.is_empty()) {
            people.retain(|person| !person.mentions.is_empty());
            people.shrink_to_fit();
        }
    }
}

/// The people who get a page: a full name, or a name that somewhere in the archive follows a
/// title ("Mr Blunkett"), comes from front matter or from the curated file. A lone capitalised
/// word that is never more ("Chelsea", "Nintendo") is left out of the index.
fn confirmed_people<'a>(
    articles: &[LinkedArticle],
    canonical: &'a FxHashMap<&str, CanonicalPerson>,
) -> FxHashSet<&'a str> {
    articles
        .par_iter()
        .flat_map_iter(|linked| {
            linked.article.people.iter().filter_map(|person| {
                let canonical = canonical.get(person.name.as_str())?;
                (person.is_confirmed() || canonical.name.contains(char::is_whitespace))
                    .then_some(canonical.slug.as_str())
            })
        })
        .collect()
}

/// The person a name as written stands for: the canonical name and its slug.
struct CanonicalPerson {
    name: String,
    slug: String,
}

/// Every name as articles write it, with the person it stands for: worked out once per name,
/// since articles repeat names and slugging is the costly part.
fn canonical_people<'a>(
    name_counts: &'a BTreeMap<String, usize>,
    aliases: &HashMap<String, String>,
) -> FxHashMap<&'a str, CanonicalPerson> {
    name_counts
        .par_iter()
        .map(|(name, _)| {
            let canonical = aliases
                .get(&slugify(name, ""))
                .cloned()
                .unwrap_or_else(|| name.clone());
            // As `build_family` keys terms: the family's own page names moved aside.
            let slug = reserve_slug(slugify(&canonical, ""));
            (
                name.as_str(),
                CanonicalPerson {
                    name: canonical,
                    slug,
                },
            )
        })
        .collect()
}

/// Counts the articles that name each person, by the name as written.
fn people_name_counts(articles: &[LinkedArticle]) -> BTreeMap<String, usize> {
    // Sorted, then counted run by run: a name is copied once, not once per article.
    let mut names: Vec<&str> = articles
        .par_iter()
        .flat_map_iter(|linked| {
            linked
                .article
                .people
                .iter()
                .map(|person| person.name.as_str())
        })
        .collect();
    names.par_sort_unstable();
    names
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0].to_string(), run.len()))
        .collect()
}

/// A term may not take the slug of its family's own pages (`by-articles`, `page`).
fn reserve_slug(slug: String) -> String {
    if slug == crate::render::BY_COUNT || slug == "page" {
        format!("{slug}-1")
    } else {
        slug
    }
}

/// The name most often given to one slug, the first in order among equally used ones, from
/// the names of its pairs sorted by (slug, name).
fn most_used<'a>(sorted_names: impl Iterator<Item = &'a str>) -> &'a str {
    let (mut best, mut best_count) = ("", 0);
    let (mut current, mut count) = ("", 0);
    for name in sorted_names {
        if name == current && count > 0 {
            count += 1;
        } else {
            (current, count) = (name, 1);
        }
        if count > best_count {
            (best, best_count) = (current, count);
        }
    }
    best
}

/// Counts, for each term, the other terms that appear on the same articles.
fn attach_companions(terms: &mut [Term], ids_per_article: &[Vec<TermId>]) {
    let companions = most_frequent_with(
        terms.len(),
        |term| &terms[term].articles,
        |article| &ids_per_article[article],
        Companions::OthersOnly,
    );
    for (term, companions) in terms.iter_mut().zip(companions) {
        term.companions = companions;
    }
}

/// For every term of one family (`from`), the terms of another (`to`) on the same articles,
/// with how many, most first, the first `COMPANIONS_KEPT`.
fn cross_counts(
    articles: &[LinkedArticle],
    terms: usize,
    from: impl Fn(&LinkedArticle) -> &[TermId],
    to: impl Fn(&LinkedArticle) -> &[TermId] + Sync,
) -> Vec<Vec<(TermId, usize)>> {
    let mut articles_of: Vec<Vec<ArticleId>> = vec![Vec::new(); terms];
    for (id, linked) in articles.iter().enumerate() {
        for &term in from(linked) {
            articles_of[term].push(id);
        }
    }
    most_frequent_with(
        terms,
        |term| &articles_of[term],
        |article| to(&articles[article]),
        Companions::All,
    )
}

/// Whether a term counts itself among the terms on its articles.
#[derive(Clone, Copy, PartialEq)]
enum Companions {
    All,
    OthersOnly,
}

/// For each of `terms` terms, the terms on its articles (`terms_on` each of `articles_of` it)
/// with how often, most first, the first `COMPANIONS_KEPT`. Each term walks its own articles
/// with a dense tally per thread: a hash map per term cost more in growth than in counting.
fn most_frequent_with<'a>(
    terms: usize,
    articles_of: impl Fn(TermId) -> &'a [ArticleId] + Sync,
    terms_on: impl Fn(ArticleId) -> &'a [TermId] + Sync,
    companions: Companions,
) -> Vec<Vec<(TermId, usize)>> {
    (0..terms)
        .into_par_iter()
        .map_init(
            || (Vec::<usize>::new(), Vec::<TermId>::new()),
            |(tally, touched), term| {
                for &article in articles_of(term) {
                    for &other in terms_on(article) {
                        if companions == Companions::OthersOnly && other == term {
                            continue;
                        }
                        if other >= tally.len() {
                            tally.resize(other + 1, 0);
                        }
                        if tally[other] == 0 {
                            touched.push(other);
                        }
                        tally[other] += 1;
                    }
                }
                let mut counted: Vec<(TermId, usize)> = touched
                    .drain(..)
                    .map(|other| (other, std::mem::take(&mut tally[other])))
                    .collect();
                // Most first, then by id.
                keep_first(&mut counted, COMPANIONS_KEPT, |a, b| {
                    b.1.cmp(&a.1).then(a.0.cmp(&b.0))
                });
                counted.shrink_to_fit();
                counted
            },
        )
        .collect()
}

/// Keeps the first `count` of `items` in `order`, sorted. The order must be total (ties
/// broken, by id say): then the rest are only set apart, never sorted, and the kept ones are
/// the same as a full sort's first.
fn keep_first<T>(
    items: &mut Vec<T>,
    count: usize,
    mut order: impl FnMut(&T, &T) -> std::cmp::Ordering,
) {
    if items.len() > count {
        items.select_nth_unstable_by(count, &mut order);
        items.truncate(count);
    }
    items.sort_unstable_by(order);
}

/// Articles with the same text are reported once per copy (summarised with other warnings).
fn report_duplicates(
    articles: &[LinkedArticle],
    groups: &[Vec<ArticleId>],
    diagnostics: &Diagnostics,
) {
    for group in groups {
        let (first, copies) = group
            .split_last()
            .expect("duplicate groups have two or more articles");
        for &copy in copies {
            diagnostics.warning(
                &articles[copy].article.source.path,
                "articles with the same text as another",
                format!(
                    "same title and text as {}",
                    articles[*first].article.source.path.display()
                ),
            );
        }
    }
}

/// A curated person's description and image go to their page.
fn attach_curated(people: &mut TermFamily, curated: &CuratedPeople) {
    for term in &mut people.terms {
        if let Some(person) = curated.find(&term.name) {
            term.bio.clone_from(&person.description);
            term.image.clone_from(&person.image);
        }
    }
}

/// An author's bio is the one on their newest article that has one.
fn attach_bios(authors: &mut TermFamily, articles: &[LinkedArticle]) {
    for term in &mut authors.terms {
        term.bio = term.articles.iter().find_map(|&id| {
            articles[id]
                .article
                .authors
                .iter()
                .find(|credit| slugify(&credit.name, "") == term.slug)
                .and_then(|credit| credit.bio.clone())
        });
    }
}

fn build_years(articles: &[LinkedArticle]) -> Vec<Year> {
    let mut years: BTreeMap<i32, BTreeMap<u32, Vec<ArticleId>>> = BTreeMap::new();
    for (id, linked) in articles.iter().enumerate() {
        let date = linked.article.date;
        years
            .entry(date.year())
            .or_default()
            .entry(date.month())
            .or_default()
            .push(id);
    }
    years
        .into_iter()
        .rev()
        .map(|(year, months)| {
            let months: Vec<Month> = months
                .into_iter()
                .rev()
                .map(|(month, articles)| Month { month, articles })
                .collect();
            Year {
                year,
                articles: months
                    .iter()
                    .flat_map(|month| month.articles.iter().copied())
                    .collect(),
                months,
            }
        })
        .collect()
}
