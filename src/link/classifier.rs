//! A multi-label text classifier trained during the build: TF-IDF features (sublinear term
//! frequency, smoothed inverse document frequency, unit length) and one linear SVM per label
//! (L2-regularised squared hinge loss), trained by dual coordinate descent as in liblinear
//! (Hsieh et al., 2008). It learns the archive's own topics from the articles that carry them.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::shuffle::Shuffler;

use rayon::prelude::*;

/// A sparse feature vector: (feature id, value), sorted by id.
pub type SparseVector = Vec<(u32, f32)>;

/// Words of at least two letters, lower-cased, as the classifier sees a text. Most words of
/// news text are lower case already and are borrowed, not copied.
pub fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| {
            word.len() >= 2
                && word.chars().nth(1).is_some()
                && !word.chars().all(|c| c.is_numeric())
        })
        .map(|word| {
            if word.chars().any(char::is_uppercase) {
                Cow::Owned(word.to_lowercase())
            } else {
                Cow::Borrowed(word)
            }
        })
}

/// Term ids and document frequencies of an archive's vocabulary.
#[derive(Debug, Default)]
pub struct Vocabulary {
    ids: FxHashMap<String, u32>,
    document_frequency: Vec<u32>,
    documents: u32,
}

impl Vocabulary {
    /// Counts, for every word, how many of `texts` contain it. Ids follow the words' sorted
    /// order, so the same texts always give the same ids.
    pub fn build(texts: &[String]) -> Vocabulary {
        let counts: FxHashMap<String, u32> = texts
            .par_iter()
            .fold(
                FxHashMap::default,
                |mut counts: FxHashMap<String, u32>, text| {
                    let mut seen: Vec<Cow<'_, str>> = words(text).collect();
                    seen.sort_unstable();
                    seen.dedup();
                    for word in seen {
                        match counts.get_mut(word.as_ref()) {
                            Some(count) => *count += 1,
                            None => {
                                counts.insert(word.into_owned(), 1);
                            }
                        }
                    }
                    counts
                },
            )
            .reduce(FxHashMap::default, |mut left, right| {
                for (word, count) in right {
                    *left.entry(word).or_default() += count;
                }
                left
            });
        let mut sorted: Vec<(String, u32)> = counts.into_iter().collect();
        sorted.sort_unstable();
        let mut vocabulary = Vocabulary {
            documents: texts.len() as u32,
            ..Vocabulary::default()
        };
        for (id, (word, count)) in sorted.into_iter().enumerate() {
            vocabulary.ids.insert(word, id as u32);
            vocabulary.document_frequency.push(count);
        }
        vocabulary
    }

    /// Number of features, including the constant bias feature.
    pub fn dimensions(&self) -> usize {
        self.document_frequency.len() + 1
    }

    /// How many documents contain the word with this id.
    pub fn document_frequency(&self, id: u32) -> u32 {
        self.document_frequency
            .get(id as usize)
            .copied()
            .unwrap_or(0)
    }

    /// The TF-IDF vector of a text, unit length, plus a bias feature of 1 (the last id).
    pub fn vector(&self, text: &str) -> SparseVector {
        let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
        for word in words(text) {
            if let Some(&id) = self.ids.get(word.as_ref()) {
                *counts.entry(id).or_default() += 1;
            }
        }
        let documents = self.documents as f32;
        let mut vector: SparseVector = counts
            .into_iter()
            .map(|(id, count)| {
                let idf =
                    ((1.0 + documents) / (1.0 + self.document_frequency(id) as f32)).ln() + 1.0;
                (id, (1.0 + (count as f32).ln()) * idf)
            })
            .collect();
        let norm = vector
            .iter()
            .map(|(_, value)| value * value)
            .sum::<f32>()
            .sqrt();
        if norm > 0.0 {
            for (_, value) in &mut vector {
                *value /= norm;
            }
        }
        vector.sort_unstable_by_key(|(id, _)| *id);
        vector.push((self.document_frequency.len() as u32, 1.0));
        vector
    }
}

/// One weight vector per label.
#[derive(Debug)]
pub struct Classifier {
    labels: Vec<String>,
    weights: Vec<Vec<f32>>,
}

/// Regularisation: liblinear's and scikit-learn's default C.
const COST: f32 = 1.0;
/// Passes of coordinate descent at most; training stops earlier when the projected gradient is
/// below the tolerance (a loose tolerance stops far from the optimum and costs accuracy).
const MAX_PASSES: usize = 1000;
const TOLERANCE: f32 = 0.01;

impl Classifier {
    /// Trains one-vs-rest on `examples`: a vector and the labels it carries.
    pub fn train(examples: &[(SparseVector, Vec<String>)], dimensions: usize) -> Classifier {
        let mut labels: Vec<String> = examples
            .iter()
            .flat_map(|(_, labels)| labels.iter().cloned())
            .collect();
        labels.sort();
        labels.dedup();
        let weights = labels
            .par_iter()
            .map(|label| {
                let targets: Vec<f32> = examples
                    .iter()
                    .map(|(_, carried)| if carried.contains(label) { 1.0 } else { -1.0 })
                    .collect();
                train_binary(examples, &targets, dimensions)
            })
            .collect();
        Classifier { labels, weights }
    }

    /// Every label with its decision value, best first.
    pub fn decide(&self, vector: &SparseVector) -> Vec<(&str, f32)> {
        let mut decisions: Vec<(&str, f32)> = self
            .labels
            .iter()
            .zip(&self.weights)
            .map(|(label, weights)| (label.as_str(), dot(weights, vector)))
            .collect();
        decisions.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        decisions
    }
}

fn dot(weights: &[f32], vector: &SparseVector) -> f32 {
    vector
        .iter()
        .map(|&(id, value)| weights.get(id as usize).copied().unwrap_or(0.0) * value)
        .sum()
}

/// Dual coordinate descent for the L2-loss SVM; deterministic (examples in a fixed order).
fn train_binary(
    examples: &[(SparseVector, Vec<String>)],
    targets: &[f32],
    dimensions: usize,
) -> Vec<f32> {
    let diagonal = 0.5 / COST;
    let mut weights = vec![0.0f32; dimensions];
    let mut alphas = vec![0.0f32; examples.len()];
    let squared_norms: Vec<f32> = examples
        .iter()
        .map(|(vector, _)| vector.iter().map(|(_, value)| value * value).sum::<f32>() + diagonal)
        .collect();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut shuffler = Shuffler::new(0x2545_f491_4f6c_dd1d);
    for _ in 0..MAX_PASSES {
        // A fresh order every pass, as liblinear does: coordinate descent in a fixed order
        // (here, examples grouped by label) converges far more slowly.
        shuffler.shuffle(&mut order);
        let mut largest_step = 0.0f32;
        for &index in &order {
            let vector = &examples[index].0;
            let target = targets[index];
            let gradient = target * dot(&weights, vector) - 1.0 + diagonal * alphas[index];
            let projected = if alphas[index] > 0.0 {
                gradient
            } else {
                gradient.min(0.0)
            };
            if projected.abs() < 1e-12 {
                continue;
            }
            largest_step = largest_step.max(projected.abs());
            let previous = alphas[index];
            alphas[index] = (previous - gradient / squared_norms[index]).max(0.0);
            let change = (alphas[index] - previous) * target;
            for &(id, value) in vector {
                weights[id as usize] += change * value;
            }
        }
        if largest_step < TOLERANCE {
            break;
        }
    }
    weights
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_topics_from_words() {
        let texts = [
            ("the striker scored a goal in the match", "Sport"),
            ("the keeper saved a penalty in the cup match", "Sport"),
            ("shares fell as the bank raised interest rates", "Economy"),
            (
                "inflation and interest rates worry the central bank",
                "Economy",
            ),
        ];
        let owned: Vec<String> = texts.iter().map(|(text, _)| text.to_string()).collect();
        let vocabulary = Vocabulary::build(&owned);
        let examples: Vec<(SparseVector, Vec<String>)> = texts
            .iter()
            .map(|(text, label)| (vocabulary.vector(text), vec![label.to_string()]))
            .collect();
        let classifier = Classifier::train(&examples, vocabulary.dimensions());
        assert_eq!(
            classifier.decide(&vocabulary.vector("a late goal won the match"))[0].0,
            "Sport"
        );
        assert_eq!(
            classifier.decide(&vocabulary.vector("the bank cut rates"))[0].0,
            "Economy"
        );
    }
}
