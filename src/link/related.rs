//! Related articles: for each article, up to five others that share its people, its topics and
//! its rarest weighty words, newest first among equals. There is no all-pairs pass: an inverted
//! index maps each person, topic and word to its articles, and each article only looks at a
//! bounded window of each list, around its own place in time, so the work grows linearly with
//! the archive. Articles with the same text as another are noticed and never listed.

use std::hash::{Hash, Hasher};
use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHasher;

use super::classifier::{SparseVector, Vocabulary};
use super::signature_store::{SignatureRange, Signatures};
use super::{keep_first, ArticleId, LinkedArticle};
use crate::diagnostics::Diagnostics;

/// How many related articles a page lists.
pub const RELATED_COUNT: usize = 5;
/// The words of an article that count: its highest-weighted ones.
const SIGNATURE_WORDS: usize = 50;
/// Neighbours looked at on each side in every inverted list.
const WINDOW: usize = 25;
/// Weight of one shared person, and of one shared topic, next to word similarity (0 to 1).
const PERSON_WEIGHT: f32 = 0.1;
const TOPIC_WEIGHT: f32 = 0.15;
/// Below this, an article is not related enough to list.
const MIN_SCORE: f32 = 0.1;

/// Related articles of every article, and groups of articles with identical text.
pub struct Related {
    pub related: Vec<Vec<ArticleId>>,
    /// Each group lists the ids of articles whose title and body are the same, newest first.
    pub duplicates: Vec<Vec<ArticleId>>,
}

/// Finds related articles by their signatures (see `signature`); `texts_hash` identifies
/// identical texts. An article whose signature cannot be read back from the temporary file is
/// related by its people and topics only, with a warning.
pub fn find_related(
    articles: &[LinkedArticle],
    signatures: &Signatures,
    text_hashes: &[u64],
    diagnostics: &Diagnostics,
) -> Related {
    let index = InvertedIndex::build(articles, signatures, diagnostics);
    // Each piece of work makes a score list as long as the archive, and reads its articles'
    // signatures at once: a few pieces per thread (a million articles in 256-article pieces
    // made 4,000 lists of 4 MB to zero), of at most `LARGEST_PIECE` articles (a million
    // articles in 16 pieces read 25 MB of signatures each).
    let piece = articles
        .len()
        .div_ceil(rayon::current_num_threads() * 8)
        .clamp(256, LARGEST_PIECE);
    let pieces: Vec<Range<ArticleId>> = (0..articles.len())
        .step_by(piece)
        .map(|first| first..(first + piece).min(articles.len()))
        .collect();
    let related: Vec<Vec<Vec<ArticleId>>> = pieces
        .into_par_iter()
        .map(|ids| {
            let read = read_signatures(signatures, ids.clone(), articles, diagnostics);
            let mut scores = Scores::new(articles.len());
            let mut places = Places::new(index.starts.len());
            let mut features = Vec::new();
            ids.map(|id| {
                let signature = read.as_ref().map_or(&[][..], |read| read.of(id));
                features.clear();
                features.extend(
                    index
                        .features(signature, &articles[id])
                        .map(|(feature, own_value, _)| (feature, own_value)),
                );
                places.read_ahead(&index, &features);
                for &(feature, own_value) in &features {
                    let (ids, weights) = index.articles(feature);
                    let place = places.find(feature, ids, id);
                    let near = window(ids.len(), place);
                    scores.reserve(near.len());
                    for (&other, &weight) in ids[near.clone()].iter().zip(&weights[near]) {
                        scores.add(other as ArticleId, own_value * unpack_weight(weight));
                    }
                }
                // The score first: most candidates fall short of it, and their text hashes,
                // spread over the archive, are then not read.
                let ranked = scores.drain(|other, score| {
                    score >= MIN_SCORE && other != id && text_hashes[other] != text_hashes[id]
                });
                best(ranked, RELATED_COUNT)
            })
            .collect()
        })
        .collect();
    Related {
        related: related.into_iter().flatten().collect(),
        duplicates: duplicate_groups(text_hashes),
    }
}

/// The `count` best-scored candidates, best first, ties by id: the rest are only set apart,
/// not sorted (an article has hundreds to thousands of candidates, and sorting them all was
/// 2-3% of a build).
fn best(mut candidates: Vec<(ArticleId, f32)>, count: usize) -> Vec<ArticleId> {
    keep_first(&mut candidates, count, |a, b| {
        b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
    });
    // Collected from a borrow: `into_iter` would reuse the candidates' allocation, and each
    // article would keep room for its hundreds of candidates (70 MB more at 10,000 articles).
    candidates.iter().map(|&(id, _)| id).collect()
}

/// The signatures of the articles `ids`; if they cannot be read back, `None`, and a warning
/// for each of the articles.
fn read_signatures<'a>(
    signatures: &'a Signatures,
    ids: Range<ArticleId>,
    articles: &[LinkedArticle],
    diagnostics: &Diagnostics,
) -> Option<SignatureRange<'a>> {
    signatures
        .range(ids.clone())
        .inspect_err(|error| {
            for id in ids {
                diagnostics.warning(
                    &articles[id].article.source.path,
                    "signature lost",
                    format!(
                        "cannot read its signature back from the temporary file ({error}): \
                         it is related by its people and topics only"
                    ),
                );
            }
        })
        .ok()
}

/// Each person's, topic's and word's articles, ids ascending, with the feature's weight in
/// each: scoring a candidate is a multiply, not a search of the candidate's signature. All
/// lists are slices of two arrays, 6 bytes an entry: a million articles of 50 signature words
/// make 50 million entries, the largest thing a million-article build holds (a map of growing
/// lists of `usize` ids held them at two to three times the room, `(u32, f32)` pairs at 8
/// bytes).
struct InvertedIndex {
    /// Features are numbered words first (by word id), then people, then topics.
    people_from: usize,
    topics_from: usize,
    /// Where each feature's list starts in `ids` and `weights`, and one past the last.
    starts: Vec<usize>,
    ids: Vec<u32>,
    /// Each entry's weight as 16-bit fixed point (`pack_weight`).
    weights: Vec<u16>,
}

/// A weight between 0 and 1 (signature values are of unit vectors) in 16 bits, within 8e-6 of
/// it: a score moves by far less than the 0.1 an article needs to be listed, and only articles
/// of near-equal scores can trade places.
fn pack_weight(weight: f32) -> u16 {
    (weight.clamp(0.0, 1.0) * f32::from(u16::MAX)).round() as u16
}

fn unpack_weight(packed: u16) -> f32 {
    f32::from(packed) / f32::from(u16::MAX)
}

/// An entry of the index not filled, its article's signature not read back.
const UNFILLED: u32 = u32::MAX;

/// Articles whose signatures are read back at once to fill the index (6.5 MB of them).
const FILL_BLOCK: usize = 1 << 14;
/// Articles scored in one piece of work at most.
const LARGEST_PIECE: usize = 1 << 14;

impl InvertedIndex {
    fn build(
        articles: &[LinkedArticle],
        signatures: &Signatures,
        diagnostics: &Diagnostics,
    ) -> InvertedIndex {
        let after_last = |ids: &mut dyn Iterator<Item = usize>| ids.max().map_or(0, |id| id + 1);
        let word_articles = signatures.word_articles();
        let words = word_articles.len();
        let people = after_last(&mut articles.iter().flat_map(|a| a.people.iter().copied()));
        let topics = after_last(&mut articles.iter().flat_map(|a| a.topics.iter().copied()));
        let mut index = InvertedIndex {
            people_from: words,
            topics_from: words + people,
            starts: vec![0; words + people + topics + 1],
            ids: Vec::new(),
            weights: Vec::new(),
        };
        // The words' lists are as long as the store counted; people and topics are counted
        // here.
        index.starts[1..=words].copy_from_slice(word_articles);
        for linked in articles {
            for (feature, _, _) in index.features(&[], linked) {
                index.starts[feature + 1] += 1;
            }
        }
        for feature in 1..index.starts.len() {
            index.starts[feature] += index.starts[feature - 1];
        }
        let mut next = index.starts.clone();
        let entries = index.starts[index.starts.len() - 1];
        let (mut entry_ids, mut weights) = (vec![UNFILLED; entries], vec![0; entries]);
        let mut unfilled = false;
        for first in (0..articles.len()).step_by(FILL_BLOCK) {
            let ids = first..(first + FILL_BLOCK).min(articles.len());
            let read = read_signatures(signatures, ids.clone(), articles, diagnostics);
            unfilled |= read.is_none();
            for id in ids {
                let signature = read.as_ref().map_or(&[][..], |read| read.of(id));
                for (feature, _, weight) in index.features(signature, &articles[id]) {
                    entry_ids[next[feature]] = id as u32;
                    weights[next[feature]] = pack_weight(weight);
                    next[feature] += 1;
                }
            }
        }
        (index.ids, index.weights) = (entry_ids, weights);
        if unfilled {
            index.drop_unfilled();
        }
        index
    }

    /// Takes out the entries left for articles whose signatures were not read back.
    fn drop_unfilled(&mut self) {
        let mut kept = 0;
        for feature in 0..self.starts.len() - 1 {
            let (from, to) = (self.starts[feature], self.starts[feature + 1]);
            self.starts[feature] = kept;
            for place in from..to {
                if self.ids[place] != UNFILLED {
                    self.ids[kept] = self.ids[place];
                    self.weights[kept] = self.weights[place];
                    kept += 1;
                }
            }
        }
        let last = self.starts.len() - 1;
        self.starts[last] = kept;
        self.ids.truncate(kept);
        self.weights.truncate(kept);
    }

    /// An article's features: (feature, its value in the article as the one compared, its
    /// weight in the article as a candidate).
    fn features<'a>(
        &self,
        signature: &'a [(u32, f32)],
        linked: &'a LinkedArticle,
    ) -> impl Iterator<Item = (usize, f32, f32)> + 'a {
        let (people_from, topics_from) = (self.people_from, self.topics_from);
        let words = signature
            .iter()
            .map(|&(word, value)| (word as usize, value, value));
        let people = linked
            .people
            .iter()
            .map(move |&person| (people_from + person, 1.0, PERSON_WEIGHT));
        let topics = linked
            .topics
            .iter()
            .map(move |&topic| (topics_from + topic, 1.0, TOPIC_WEIGHT));
        words.chain(people).chain(topics)
    }

    /// The articles that have a feature, ids ascending, and its packed weight in each.
    fn articles(&self, feature: usize) -> (&[u32], &[u16]) {
        let entries = self.starts[feature]..self.starts[feature + 1];
        (&self.ids[entries.clone()], &self.weights[entries])
    }
}

/// The places of an inverted list of `length` entries within `WINDOW` of `place`, where an
/// article stands.
fn window(length: usize, place: usize) -> Range<usize> {
    place.saturating_sub(WINDOW)..(place + WINDOW + 1).min(length)
}

/// Where the last article scored stood in each inverted list. A piece of work scores articles
/// in ascending order, so an article's place in a list is at or after the last one's, and is
/// found by galloping from there. A binary search of the whole list, whose probes in lists of
/// up to a million entries each missed the cache, made a million articles' related articles
/// take six times as long per article as 10,000's.
struct Places {
    /// By feature (every word, person and topic); 4 bytes, as article ids are.
    last: Vec<u32>,
}

impl Places {
    fn new(features: usize) -> Places {
        Places {
            last: vec![0; features],
        }
    }

    /// Reads, for each of an article's features, its list's entry where the last article
    /// stood and the two ends of that entry's window, all before any list is searched: a loop
    /// with no branch on what it loads, so the processor fetches the lists' memory at once
    /// instead of one miss after the other. At a million articles the index is 300 MB, and
    /// each feature's first read missed the cache; the related phase at 100,000 articles
    /// took a quarter less time with this.
    fn read_ahead(&self, index: &InvertedIndex, features: &[(usize, f32)]) {
        let mut seen = 0u32;
        for &(feature, _) in features {
            let (ids, weights) = index.articles(feature);
            let place = self.last[feature] as usize;
            for entry in [place.saturating_sub(WINDOW), place, place + WINDOW] {
                seen ^= ids.get(entry).copied().unwrap_or(0)
                    ^ u32::from(weights.get(entry).copied().unwrap_or(0));
            }
        }
        std::hint::black_box(seen);
    }

    /// The first place in `list` (ids ascending) whose id is not below `id`.
    fn find(&mut self, feature: usize, list: &[u32], id: ArticleId) -> usize {
        let below = |place: usize| (list[place] as ArticleId) < id;
        let from = (self.last[feature] as usize).min(list.len());
        let place = if from == 0 || below(from - 1) {
            // Steps of 1, 2, 4... while every entry passed is below `id`, then a binary
            // search of the last step.
            let (mut low, mut step) = (from, 1);
            while low + step <= list.len() && below(low + step - 1) {
                low += step;
                step *= 2;
            }
            let high = (low + step).min(list.len());
            low + list[low..high].partition_point(|&other| (other as ArticleId) < id)
        } else {
            list.partition_point(|&other| (other as ArticleId) < id)
        };
        self.last[feature] = u32::try_from(place).unwrap_or(u32::MAX);
        place
    }
}

/// One article's candidates and their summed scores: a dense score per article, and the list
/// of those touched, so gathering costs the candidates, not the archive. Reused from article
/// to article.
struct Scores {
    score: Vec<f32>,
    /// The candidates touched are `touched[..count]`; the rest is room (see `add`).
    touched: Vec<ArticleId>,
    count: usize,
}

impl Scores {
    fn new(articles: usize) -> Scores {
        Scores {
            score: vec![0.0; articles],
            touched: Vec::new(),
            count: 0,
        }
    }

    /// Makes room for `adds` more candidates.
    fn reserve(&mut self, adds: usize) {
        if self.touched.len() < self.count + adds {
            self.touched.resize(self.count + adds, 0);
        }
    }

    /// Adds to a candidate's score; room for it must have been reserved. The candidate is
    /// written to the list every time and counted only the first time, with no branch on its
    /// score: that score is often a cache miss, and a branch on it stalled the loop until it
    /// came.
    fn add(&mut self, article: ArticleId, value: f32) {
        let first = self.score[article] == 0.0;
        self.touched[self.count] = article;
        self.count += usize::from(first);
        self.score[article] += value;
    }

    /// The candidates that `keep` accepts with their scores; leaves every score at zero.
    fn drain(&mut self, keep: impl Fn(ArticleId, f32) -> bool) -> Vec<(ArticleId, f32)> {
        let mut kept = Vec::new();
        for &article in &self.touched[..self.count] {
            let score = std::mem::take(&mut self.score[article]);
            if keep(article, score) {
                kept.push((article, score));
            }
        }
        self.count = 0;
        kept
    }
}

/// The highest-weighted words of an article that some other article also has, unit length.
pub fn signature(mut words: SparseVector, vocabulary: &Vocabulary) -> SparseVector {
    words.retain(|&(word, _)| vocabulary.document_frequency(word) >= 2);
    // Heaviest first, ties by word id: a total order, so the words kept are the same as after
    // sorting the whole vector, for a fraction of the comparisons.
    let heavier = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if words.len() > SIGNATURE_WORDS {
        words.select_nth_unstable_by(SIGNATURE_WORDS, heavier);
        words.truncate(SIGNATURE_WORDS);
    }
    // The norm sums the squares heaviest first: a sum of floats depends on its order, and
    // this one is the same whichever order the selection left.
    words.sort_unstable_by(heavier);
    let norm = words
        .iter()
        .map(|(_, value)| value * value)
        .sum::<f32>()
        .sqrt();
    if norm > 0.0 {
        for (_, value) in &mut words {
            *value /= norm;
        }
    }
    words.sort_by_key(|&(word, _)| word);
    // Without the room of the whole vector (4-5 kB an article): signatures are made a block
    // of thousands at a time.
    words.shrink_to_fit();
    words
}

/// A hash of an article's title and body with spacing folded: equal texts, equal hashes. The
/// same hash as of `split_whitespace`'s words, at two to three times its speed (`cargo bench
/// -- words`): every article's whole text goes through here. Eight bytes at a time are checked
/// for a byte that might be spacing (a control character, a space, or part of a non-ASCII
/// character); the others are inside a word.
pub fn text_hash(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let mut hasher = FxHasher::default();
    let mut word_start = 0;
    let mut index = 0;
    while index < bytes.len() {
        index += plain_bytes(&bytes[index..]);
        let Some(&byte) = bytes.get(index) else {
            break;
        };
        let (is_space, width) = if byte.is_ascii() {
            (matches!(byte, b' ' | b'\t'..=b'\r'), 1)
        } else {
            match text[index..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => break,
            }
        };
        if is_space {
            if word_start < index {
                text[word_start..index].hash(&mut hasher);
            }
            word_start = index + width;
        }
        index += width;
    }
    if word_start < bytes.len() {
        text[word_start..].hash(&mut hasher);
    }
    hasher.finish()
}

/// How many bytes at the start of `bytes` are printable ASCII other than a space: none of them
/// can be spacing. Whole 8-byte words are tested at once.
fn plain_bytes(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut count = 0;
    for chunk in bytes.chunks_exact(8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        // A byte of 0x21 or more, below 0x80, has its high bit clear after subtracting 0x21
        // and had it clear before: any other byte sets a high bit of `special`. A borrow only
        // carries out of such a byte, so the lowest bit set is the first such byte's.
        let special = (word.wrapping_sub(ONES * 0x21) | word) & HIGHS;
        if special != 0 {
            return count + (special.trailing_zeros() / 8) as usize;
        }
        count += 8;
    }
    count
        + bytes[count..]
            .iter()
            .take_while(|&&byte| (0x21..0x80).contains(&byte))
            .count()
}

/// Groups of articles with the same text hash, each group's ids ascending, the groups in order
/// of their ids. Sorted pairs, not a map of lists: nearly every hash is an article's own.
fn duplicate_groups(text_hashes: &[u64]) -> Vec<Vec<ArticleId>> {
    let mut pairs: Vec<(u64, ArticleId)> = text_hashes
        .iter()
        .enumerate()
        .map(|(id, &hash)| (hash, id))
        .collect();
    pairs.par_sort_unstable();
    let mut duplicates: Vec<Vec<ArticleId>> = pairs
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|group| group.len() > 1)
        .map(|group| group.iter().map(|&(_, id)| id).collect())
        .collect();
    duplicates.sort();
    duplicates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_bounded_around_the_article() {
        let list: Vec<u32> = (0..1000).collect();
        let mut places = Places::new(1);
        let around = window(list.len(), places.find(0, &list, 500));
        assert_eq!(around.len(), 2 * WINDOW + 1);
        assert!(list[around].contains(&500));
        assert_eq!(
            window(list.len(), places.find(0, &list, 0)).len(),
            WINDOW + 1
        );
    }

    /// Galloping from the last place finds what a binary search finds, for articles in
    /// ascending order and, from a stale place, out of it.
    #[test]
    fn places_are_found_from_the_last_one_as_by_a_binary_search() {
        let list: Vec<u32> = (0..3000).filter(|id| id % 7 < 3).collect();
        let searched = |id: ArticleId| list.partition_point(|&other| (other as ArticleId) < id);
        let mut places = Places::new(1);
        let ascending = (0..3100).step_by(13);
        let then_back = [2999, 0, 1500, 1499, 3100, 5];
        for id in ascending.chain(then_back) {
            assert_eq!(places.find(0, &list, id), searched(id), "article {id}");
        }
        assert_eq!(Places::new(1).find(0, &[], 10), 0);
    }

    /// Each candidate comes out once, with its scores summed, in the order first touched;
    /// draining leaves the scores ready for the next article.
    #[test]
    fn candidates_come_out_once_with_their_summed_scores() {
        let mut scores = Scores::new(10);
        for (article, value) in [(7, 0.25), (2, 0.5), (7, 0.5), (2, 0.25), (4, 0.125)] {
            scores.reserve(1);
            scores.add(article, value);
        }
        assert_eq!(
            scores.drain(|_, _| true),
            vec![(7, 0.75), (2, 0.75), (4, 0.125)]
        );
        assert_eq!(scores.drain(|_, _| true), vec![]);
        scores.reserve(2);
        scores.add(9, 0.5);
        scores.add(4, 0.5);
        assert_eq!(
            scores.drain(|_, score| score > 0.1),
            vec![(9, 0.5), (4, 0.5)]
        );
        assert!(scores.score.iter().all(|&score| score == 0.0));
    }

    /// The best candidates are those a full sort puts first: by score, then by id, whether
    /// there are fewer candidates than asked for, as many, or more.
    #[test]
    fn the_best_candidates_are_the_first_of_a_full_sort() {
        let candidates: Vec<(ArticleId, f32)> = (0..40)
            .map(|id| (id, ((id * 7) % 11) as f32 / 10.0))
            .collect();
        for length in [0, 3, 5, 6, 40] {
            let mut sorted = candidates[..length].to_vec();
            sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let expected: Vec<ArticleId> = sorted.iter().take(5).map(|&(id, _)| id).collect();
            assert_eq!(best(candidates[..length].to_vec(), 5), expected, "{length}");
        }
        assert_eq!(best(candidates.clone(), 3), vec![3, 14, 25]);
        // Every article keeps its list to the end of the build: no room for its candidates.
        assert!(best(candidates, 5).capacity() <= 5);
    }

    /// Entries left for articles whose signatures were lost go; every list keeps the rest,
    /// in order, empty lists included.
    #[test]
    fn unfilled_entries_are_taken_out_of_the_index() {
        let mut index = InvertedIndex {
            people_from: 3,
            topics_from: 3,
            starts: vec![0, 3, 3, 5, 6],
            ids: vec![1, UNFILLED, 4, UNFILLED, 7, UNFILLED],
            weights: vec![10, 0, 20, 0, 30, 0],
        };
        index.drop_unfilled();
        assert_eq!(index.articles(0), (&[1, 4][..], &[10, 20][..]));
        assert_eq!(index.articles(1), (&[][..], &[][..]));
        assert_eq!(index.articles(2), (&[7][..], &[30][..]));
        assert_eq!(index.articles(3), (&[][..], &[][..]));
        assert_eq!((index.ids.len(), index.weights.len()), (3, 3));
    }

    /// Packed weights come back within half a step of 1/65535, the ends exactly; the person
    /// and topic weights too.
    #[test]
    fn weights_pack_into_sixteen_bits_closely() {
        for weight in [0.0, 1.0, PERSON_WEIGHT, TOPIC_WEIGHT, 0.3, 1e-6, 0.999_99] {
            let back = unpack_weight(pack_weight(weight));
            assert!(
                (back - weight).abs() <= 0.5 / 65535.0 + 1e-7,
                "{weight} -> {back}"
            );
        }
        assert_eq!(unpack_weight(pack_weight(1.0)), 1.0);
        assert_eq!(unpack_weight(pack_weight(0.0)), 0.0);
        assert_eq!(pack_weight(1.5), u16::MAX);
    }

    #[test]
    fn identical_texts_hash_alike_whatever_the_spacing() {
        assert_eq!(
            text_hash("A  title\nbody text"),
            text_hash("A title body\ttext")
        );
        assert_ne!(text_hash("A title"), text_hash("A titles"));
    }

    /// The byte-wise scan finds the words `split_whitespace` finds, whatever the spacing and
    /// script: non-ASCII spaces fold, control characters that are not spacing stay in words.
    #[test]
    fn the_text_hash_is_the_hash_of_the_whitespace_split_words() {
        let by_split = |text: &str| {
            let mut hasher = FxHasher::default();
            text.split_whitespace()
                .for_each(|word| word.hash(&mut hasher));
            hasher.finish()
        };
        for text in [
            "",
            "   ",
            "Kim Jong-un met Donald Trump in Singapore.",
            "  leading and trailing\t\r\n",
            "non\u{a0}breaking\u{2009}thin\u{3000}ideographic\u{85}next-line",
            "Zürich, São Paulo and Łódź: naïve café",
            "bell\u{7}inside a word, form\u{c}feed, vertical\u{b}tab",
            "exactly8 bytes12 3456789012345678 long-words-spanning-several-chunks",
            "ünïcödé at the start and the énd",
        ] {
            assert_eq!(text_hash(text), by_split(text), "{text:?}");
        }
    }
}
