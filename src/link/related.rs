//! Related articles: for each article, up to five others that share its people, its topics and
//! its rarest weighty words, newest first among equals. There is no all-pairs pass: an inverted
//! index maps each person, topic and word to its articles, and each article only looks at a
//! bounded window of each list, around its own place in time, so the work grows linearly with
//! the archive. Articles with the same text as another are noticed and never listed.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};

use super::classifier::{SparseVector, Vocabulary};
use super::{ArticleId, LinkedArticle};

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

/// What an article is compared by.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Feature {
    Word(u32),
    Person(usize),
    Topic(usize),
}

/// Related articles of every article, and groups of articles with identical text.
pub struct Related {
    pub related: Vec<Vec<ArticleId>>,
    /// Each group lists the ids of articles whose title and body are the same, newest first.
    pub duplicates: Vec<Vec<ArticleId>>,
}

/// Finds related articles by their signatures (see `signature`); `texts_hash` identifies
/// identical texts.
pub fn find_related(
    articles: &[LinkedArticle],
    signatures: Vec<SparseVector>,
    text_hashes: &[u64],
) -> Related {
    // Each posting carries the feature's weight in that article, so scoring a candidate is a
    // multiply, not a search of the candidate's signature.
    let mut index: FxHashMap<Feature, Vec<(ArticleId, f32)>> = FxHashMap::default();
    for (id, linked) in articles.iter().enumerate() {
        let features = signatures[id]
            .iter()
            .map(|&(word, value)| (Feature::Word(word), value))
            .chain(
                linked
                    .people
                    .iter()
                    .map(|&person| (Feature::Person(person), PERSON_WEIGHT)),
            )
            .chain(
                linked
                    .topics
                    .iter()
                    .map(|&topic| (Feature::Topic(topic), TOPIC_WEIGHT)),
            );
        for (feature, weight) in features {
            index.entry(feature).or_default().push((id, weight));
        }
    }
    let related = (0..articles.len())
        .into_par_iter()
        .with_min_len(256)
        .map_init(
            || Scores::new(articles.len()),
            |scores, id| {
                let own = signatures[id]
                    .iter()
                    .map(|&(word, value)| (Feature::Word(word), value))
                    .chain(
                        articles[id]
                            .people
                            .iter()
                            .map(|&p| (Feature::Person(p), 1.0)),
                    )
                    .chain(
                        articles[id]
                            .topics
                            .iter()
                            .map(|&t| (Feature::Topic(t), 1.0)),
                    );
                for (feature, value) in own {
                    if let Some(list) = index.get(&feature) {
                        for &(other, weight) in window(list, id) {
                            scores.add(other, value * weight);
                        }
                    }
                }
                let mut ranked = scores.drain(|other, score| {
                    other != id && text_hashes[other] != text_hashes[id] && score >= MIN_SCORE
                });
                ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                ranked
                    .iter()
                    .take(RELATED_COUNT)
                    .map(|&(other, _)| other)
                    .collect()
            },
        )
        .collect();
    Related {
        related,
        duplicates: duplicate_groups(text_hashes),
    }
}

/// The part of an inverted list (ids ascending) within `WINDOW` places of `id`.
fn window(list: &[(ArticleId, f32)], id: ArticleId) -> &[(ArticleId, f32)] {
    let position = list.partition_point(|&(other, _)| other < id);
    &list[position.saturating_sub(WINDOW)..(position + WINDOW + 1).min(list.len())]
}

/// One article's candidates and their summed scores: a dense score per article, and the list
/// of those touched, so gathering costs the candidates, not the archive. Reused from article
/// to article.
struct Scores {
    score: Vec<f32>,
    touched: Vec<ArticleId>,
}

impl Scores {
    fn new(articles: usize) -> Scores {
        Scores {
            score: vec![0.0; articles],
            touched: Vec::new(),
        }
    }

    fn add(&mut self, article: ArticleId, value: f32) {
        if self.score[article] == 0.0 {
            self.touched.push(article);
        }
        self.score[article] += value;
    }

    /// The candidates that `keep` accepts with their scores; leaves every score at zero.
    fn drain(&mut self, keep: impl Fn(ArticleId, f32) -> bool) -> Vec<(ArticleId, f32)> {
        let mut kept = Vec::new();
        for article in self.touched.drain(..) {
            let score = std::mem::take(&mut self.score[article]);
            if keep(article, score) {
                kept.push((article, score));
            }
        }
        kept
    }
}

/// The highest-weighted words of an article that some other article also has, unit length.
pub fn signature(mut words: SparseVector, vocabulary: &Vocabulary) -> SparseVector {
    words.retain(|&(word, _)| vocabulary.document_frequency(word) >= 2);
    words.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    words.truncate(SIGNATURE_WORDS);
    // Every article's signature is kept while related articles are found: no spare capacity.
    words.shrink_to_fit();
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
    words
}

/// A hash of an article's title and body with spacing folded: equal texts, equal hashes.
pub fn text_hash(text: &str) -> u64 {
    let mut hasher = FxHasher::default();
    for word in text.split_whitespace() {
        word.hash(&mut hasher);
    }
    hasher.finish()
}

fn duplicate_groups(text_hashes: &[u64]) -> Vec<Vec<ArticleId>> {
    let mut groups: HashMap<u64, Vec<ArticleId>> = HashMap::new();
    for (id, &hash) in text_hashes.iter().enumerate() {
        groups.entry(hash).or_default().push(id);
    }
    let mut duplicates: Vec<Vec<ArticleId>> = groups
        .into_values()
        .filter(|group| group.len() > 1)
        .collect();
    duplicates.sort();
    duplicates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_bounded_around_the_article() {
        let list: Vec<(ArticleId, f32)> = (0..1000).map(|id| (id, 1.0)).collect();
        let around = window(&list, 500);
        assert_eq!(around.len(), 2 * WINDOW + 1);
        assert!(around.contains(&(500, 1.0)));
        assert_eq!(window(&list, 0).len(), WINDOW + 1);
    }

    #[test]
    fn identical_texts_hash_alike_whatever_the_spacing() {
        assert_eq!(
            text_hash("A  title\nbody text"),
            text_hash("A title body\ttext")
        );
        assert_ne!(text_hash("A title"), text_hash("A titles"));
    }
}
