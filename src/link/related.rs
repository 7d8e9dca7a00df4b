//! Related articles: for each article, up to five others that share its people, its topics and
//! its rarest weighty words, newest first among equals. There is no all-pairs pass: an inverted
//! index maps each person, topic and word to its articles, and each article only looks at a
//! bounded window of each list, around its own place in time, so the work grows linearly with
//! the archive. Articles with the same text as another are noticed and never listed.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

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

/// Finds related articles; `texts_hash` identifies identical texts.
pub fn find_related(
    articles: &[LinkedArticle],
    vectors: &[SparseVector],
    vocabulary: &Vocabulary,
    text_hashes: &[u64],
) -> Related {
    let signatures: Vec<SparseVector> = vectors
        .par_iter()
        .map(|vector| signature(vector, vocabulary))
        .collect();
    let mut index: HashMap<Feature, Vec<ArticleId>> = HashMap::new();
    for (id, linked) in articles.iter().enumerate() {
        let features = signatures[id]
            .iter()
            .map(|&(word, _)| Feature::Word(word))
            .chain(linked.people.iter().map(|&person| Feature::Person(person)))
            .chain(linked.topics.iter().map(|&topic| Feature::Topic(topic)));
        for feature in features {
            index.entry(feature).or_default().push(id);
        }
    }
    let related = (0..articles.len())
        .into_par_iter()
        .map(|id| {
            // (candidate, contribution) pairs, summed per candidate after a sort: cheaper than
            // a hash map for the few thousand pairs an article gathers.
            let mut contributions: Vec<(ArticleId, f32)> = Vec::new();
            let mut add = |feature: Feature, weight: &dyn Fn(ArticleId) -> f32| {
                if let Some(list) = index.get(&feature) {
                    contributions
                        .extend(window(list, id).iter().map(|&other| (other, weight(other))));
                }
            };
            for &(word, value) in &signatures[id] {
                add(Feature::Word(word), &|other| {
                    value * weight_of(&signatures[other], word)
                });
            }
            for &person in &articles[id].people {
                add(Feature::Person(person), &|_| PERSON_WEIGHT);
            }
            for &topic in &articles[id].topics {
                add(Feature::Topic(topic), &|_| TOPIC_WEIGHT);
            }
            contributions.sort_unstable_by_key(|&(other, _)| other);
            let mut ranked: Vec<(ArticleId, f32)> = Vec::new();
            for (other, weight) in contributions {
                match ranked.last_mut() {
                    Some((last, total)) if *last == other => *total += weight,
                    _ => ranked.push((other, weight)),
                }
            }
            ranked.retain(|&(other, score)| {
                other != id && text_hashes[other] != text_hashes[id] && score >= MIN_SCORE
            });
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            // Not `into_iter`: collecting in place would keep the thousands of candidates'
            // allocation alive behind each five-entry list (about 280 MB at 10,000 articles).
            ranked
                .iter()
                .take(RELATED_COUNT)
                .map(|&(other, _)| other)
                .collect()
        })
        .collect();
    Related {
        related,
        duplicates: duplicate_groups(text_hashes),
    }
}

/// The part of an inverted list (ids ascending) within `WINDOW` places of `id`.
fn window(list: &[ArticleId], id: ArticleId) -> &[ArticleId] {
    let position = list.partition_point(|&other| other < id);
    &list[position.saturating_sub(WINDOW)..(position + WINDOW + 1).min(list.len())]
}

/// The highest-weighted words of an article that some other article also has, unit length.
fn signature(vector: &SparseVector, vocabulary: &Vocabulary) -> SparseVector {
    let mut words: SparseVector = vector
        .iter()
        .copied()
        .filter(|&(word, _)| vocabulary.document_frequency(word) >= 2)
        .collect();
    words.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    words.truncate(SIGNATURE_WORDS);
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

fn weight_of(signature: &SparseVector, word: u32) -> f32 {
    signature
        .binary_search_by_key(&word, |&(id, _)| id)
        .map_or(0.0, |position| signature[position].1)
}

/// A hash of an article's title and body with spacing folded: equal texts, equal hashes.
pub fn text_hash(text: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
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
        let list: Vec<ArticleId> = (0..1000).collect();
        let around = window(&list, 500);
        assert_eq!(around.len(), 2 * WINDOW + 1);
        assert!(around.contains(&500));
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
