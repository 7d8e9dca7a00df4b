//! A multi-label text classifier trained during the build: TF-IDF features (sublinear term
//! frequency, smoothed inverse document frequency, unit length) and one linear SVM per label
//! (L2-regularised squared hinge loss), trained by dual coordinate descent as in liblinear
//! (Hsieh et al., 2008). It learns the archive's own topics from the articles that carry them.

use std::hash::Hasher;

use rustc_hash::{FxHashMap, FxHasher};

use crate::shuffle::Shuffler;

use rayon::prelude::*;

/// A sparse feature vector: (feature id, value), sorted by id.
pub type SparseVector = Vec<(u32, f32)>;

/// Calls `each` with the hash (as `word_hash` makes it) of every word of a text as the
/// classifier sees it: a run of letters and digits, in any script, of at least two characters
/// and not all digits. One pass: a run of ASCII letters and digits is found by a tight byte
/// loop and lower-cased as a whole, and only words that run into other characters are decoded.
/// A split on a character predicate and then `word_hash` ran at half the speed of a byte-by-byte
/// scan (`cargo bench -- words`); counting 2,500 articles' words took 584 million instructions
/// with that scan, 520 million with this one.
fn for_each_word_hash(text: &str, mut each: impl FnMut(u64)) {
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        let ascii_end = index
            + bytes[index..]
                .iter()
                .take_while(|byte| byte.is_ascii_alphanumeric())
                .count();
        match bytes.get(ascii_end) {
            // The word, or the separator, goes on past ASCII: read character by character.
            Some(byte) if !byte.is_ascii() => {
                let end = alphanumeric_end(text, ascii_end);
                if end == index {
                    // A character that is no letter or digit ("’", "—") between words.
                    index += text[index..].chars().next().map_or(1, char::len_utf8);
                    continue;
                }
                let word = &text[index..end];
                if is_counted_word(word) {
                    each(word_hash(word));
                }
                index = end;
            }
            // An ASCII word, ended by ASCII or by the end of the text; then its separator.
            _ => {
                let word = &bytes[index..ascii_end];
                if word.len() >= 2 && !word.iter().all(u8::is_ascii_digit) {
                    each(match word.len() <= SHORT_WORD {
                        true => short_ascii_hash(word),
                        false => word_hash(&text[index..ascii_end]),
                    });
                }
                index = ascii_end + 1;
            }
        }
    }
}

/// The end of the run of letters and digits (any script) that starts at byte `start`.
fn alphanumeric_end(text: &str, start: usize) -> usize {
    text[start..]
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(text.len(), |(offset, _)| start + offset)
}

/// At least two characters, not all digits: "UK" and "G7" are words, "1" and "1996" are not.
fn is_counted_word(word: &str) -> bool {
    if word.is_ascii() {
        word.len() >= 2 && !word.bytes().all(|byte| byte.is_ascii_digit())
    } else {
        word.chars().nth(1).is_some() && !word.chars().all(char::is_numeric)
    }
}

/// Longest ASCII word hashed from a copy on the stack; longer words (rare, and mostly junk)
/// are hashed character by character.
const SHORT_WORD: usize = 32;

/// A word's hash, the same whatever its case. Words are hashed, never copied: the archive's
/// vocabulary is counted without an allocation per word.
fn word_hash(word: &str) -> u64 {
    if word.is_ascii() && word.len() <= SHORT_WORD {
        return short_ascii_hash(word.as_bytes());
    }
    let mut hasher = FxHasher::default();
    for c in word.chars().flat_map(char::to_lowercase) {
        hasher.write_u32(c as u32);
    }
    hasher.finish()
}

/// `word_hash` of an ASCII word of at most `SHORT_WORD` bytes: its lower case, copied whole.
fn short_ascii_hash(word: &[u8]) -> u64 {
    let mut lower = [0u8; SHORT_WORD];
    let lower = &mut lower[..word.len()];
    lower.copy_from_slice(word);
    lower.make_ascii_lowercase();
    let mut hasher = FxHasher::default();
    hasher.write(lower);
    hasher.finish()
}

/// How often each word of a text occurs, ascending by word hash: a text as the classifier
/// and related articles see it, counted in one pass. Each entry packs the word's hash (its top
/// 48 bits, FxHash's best mixed) and its count (the low 16, at most 65,535) into one `u64`:
/// every article's counts are kept until the vectors are made, and a `(u64, u32)` pair takes
/// twice the room (100,000 articles: 280 MB more).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct WordCounts(Vec<u64>);

/// Stored as little-endian bytes: a compact format's variable-length integers spend more
/// time and room than that on hashes, which use all their bits (the extraction cache holds
/// every article's counts).
impl serde::Serialize for WordCounts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut bytes = Vec::with_capacity(self.byte_len());
        self.write_le_bytes(&mut bytes);
        serializer.serialize_bytes(&bytes)
    }
}

impl<'de> serde::Deserialize<'de> for WordCounts {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LittleEndian;
        impl serde::de::Visitor<'_> for LittleEndian {
            type Value = WordCounts;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("word counts as little-endian 8-byte entries")
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<WordCounts, E> {
                WordCounts::from_le_bytes(bytes)
                    .ok_or_else(|| E::invalid_length(bytes.len(), &self))
            }
        }
        deserializer.deserialize_bytes(LittleEndian)
    }
}

const COUNT_MASK: u64 = 0xffff;

impl WordCounts {
    pub fn of(text: &str) -> WordCounts {
        let mut hashes: Vec<u64> = Vec::with_capacity(text.len() / 6);
        for_each_word_hash(text, |hash| hashes.push(hash & !COUNT_MASK));
        hashes.sort_unstable();
        let mut packed: Vec<u64> = Vec::new();
        for hash in hashes {
            match packed.last_mut() {
                Some(last) if *last & !COUNT_MASK == hash => {
                    if *last & COUNT_MASK < COUNT_MASK {
                        *last += 1;
                    }
                }
                _ => packed.push(hash | 1),
            }
        }
        packed.shrink_to_fit();
        WordCounts(packed)
    }

    /// Bytes the counts take as little-endian entries.
    pub fn byte_len(&self) -> usize {
        self.0.len() * 8
    }

    /// Appends the counts as little-endian entries: the format of the extraction cache and of
    /// the word store's file.
    pub fn write_le_bytes(&self, bytes: &mut Vec<u8>) {
        bytes.extend(self.0.iter().flat_map(|entry| entry.to_le_bytes()));
    }

    /// Counts written by `write_le_bytes`; `None` if the bytes are not whole entries.
    pub fn from_le_bytes(bytes: &[u8]) -> Option<WordCounts> {
        if !bytes.len().is_multiple_of(8) {
            return None;
        }
        let entries = bytes.chunks_exact(8).map(|chunk| {
            let mut entry = [0; 8];
            entry.copy_from_slice(chunk);
            u64::from_le_bytes(entry)
        });
        Some(WordCounts(entries.collect()))
    }

    /// (word hash, count) pairs, ascending by hash.
    fn iter(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.0
            .iter()
            .map(|&entry| (entry & !COUNT_MASK, (entry & COUNT_MASK) as u32))
    }
}

/// Term ids and document frequencies of an archive's vocabulary.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Word hash to term id.
    ids: FxHashMap<u64, u32>,
    document_frequency: Vec<u32>,
    /// Each word's inverse document frequency, by id: worked out once per word, not once per
    /// article that has it.
    idf: Vec<f32>,
}

impl Vocabulary {
    /// Counts, for every word, how many of the texts contain it. Ids follow the word hashes'
    /// order, so the same texts always give the same ids, and each text's vector comes out
    /// sorted by id.
    pub fn build<T: std::ops::Deref<Target = WordCounts>>(
        texts: impl IndexedParallelIterator<Item = T>,
    ) -> Vocabulary {
        let documents = texts.len() as u32;
        let counts: FxHashMap<u64, u32> = texts
            .fold(
                FxHashMap::default,
                |mut counts: FxHashMap<u64, u32>, text| {
                    for (hash, _) in text.iter() {
                        *counts.entry(hash).or_default() += 1;
                    }
                    counts
                },
            )
            .reduce(FxHashMap::default, |mut left, right| {
                for (hash, count) in right {
                    *left.entry(hash).or_default() += count;
                }
                left
            });
        let mut sorted: Vec<(u64, u32)> = counts.into_iter().collect();
        sorted.sort_unstable();
        let mut vocabulary = Vocabulary::default();
        vocabulary.ids.reserve(sorted.len());
        for (id, (hash, count)) in sorted.into_iter().enumerate() {
            vocabulary.ids.insert(hash, id as u32);
            vocabulary.document_frequency.push(count);
            vocabulary
                .idf
                .push(((1.0 + documents as f32) / (1.0 + count as f32)).ln() + 1.0);
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
    pub fn vector(&self, text: &WordCounts) -> SparseVector {
        let counts = text
            .iter()
            .filter_map(|(hash, count)| Some((*self.ids.get(&hash)?, count)));
        let mut vector: SparseVector = counts
            .map(|(id, count)| {
                // Most words are in a text once, and ln(1) is 0.
                let weight = if count == 1 {
                    1.0
                } else {
                    1.0 + (count as f32).ln()
                };
                (id, weight * self.idf[id as usize])
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
    fn counts_fold_case_and_stop_at_the_largest_count() {
        let counts: Vec<u32> = WordCounts::of("The cat saw the dog; THE end.")
            .iter()
            .map(|(_, count)| count)
            .collect();
        assert_eq!(counts.iter().sum::<u32>(), 7);
        assert_eq!(
            counts.iter().max(),
            Some(&3),
            "the, The and THE are one word"
        );
        let many = "news ".repeat(70_000);
        let counted: Vec<(u64, u32)> = WordCounts::of(&many).iter().collect();
        assert_eq!(counted.len(), 1);
        assert_eq!(counted[0].1, 65_535);
    }

    /// The one-pass scan counts what a split at every character that is not a letter or digit
    /// finds, hashed by `word_hash`: two characters or more, not all digits, any case and script.
    #[test]
    fn counts_are_those_of_the_words_split_at_other_characters() {
        let by_split = |text: &str| {
            let mut hashes: Vec<u64> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|word| word.chars().nth(1).is_some() && !word.chars().all(char::is_numeric))
                .map(|word| word_hash(word) & !COUNT_MASK)
                .collect();
            hashes.sort_unstable();
            hashes
        };
        for text in [
            "",
            "a I 1996 G7 UK 2,000",
            "The cat saw the dog; THE end.",
            "Zürich, São Paulo and Łódź: naïve café Ünïcödé",
            "٣٤ 四十二 ⅫⅫ mixed٣ 12ab",
            "averyveryveryverylongwordofmorethanthirtytwoletters and AVERYVERYVERYVERYLONGWORDOFMORETHANTHIRTYTWOLETTERS",
            "exactlythirtytwolettersinthiswor! andthirtythreelettersinthisonewords",
        ] {
            let counted: Vec<u64> = WordCounts::of(text)
                .iter()
                .flat_map(|(hash, count)| std::iter::repeat_n(hash, count as usize))
                .collect();
            assert_eq!(counted, by_split(text), "{text:?}");
        }
    }

    #[test]
    fn counts_survive_the_cache_format_and_a_damaged_entry_is_refused() {
        let counts = WordCounts::of("Ministers met the unions; the unions walked out.");
        let bytes = postcard::to_stdvec(&counts).unwrap();
        assert_eq!(postcard::from_bytes::<WordCounts>(&bytes).unwrap(), counts);
        // Postcard writes three bytes as it writes a list of three `u8`: not a whole entry.
        let damaged = postcard::to_stdvec(&vec![1u8, 2, 3]).unwrap();
        assert!(postcard::from_bytes::<WordCounts>(&damaged).is_err());
    }

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
        let counted: Vec<WordCounts> = texts.iter().map(|(text, _)| WordCounts::of(text)).collect();
        let vocabulary = Vocabulary::build(counted.par_iter());
        let examples: Vec<(SparseVector, Vec<String>)> = counted
            .iter()
            .zip(texts)
            .map(|(counts, (_, label))| (vocabulary.vector(counts), vec![label.to_string()]))
            .collect();
        let classifier = Classifier::train(&examples, vocabulary.dimensions());
        assert_eq!(
            classifier.decide(&vocabulary.vector(&WordCounts::of("A late goal won the MATCH")))[0]
                .0,
            "Sport"
        );
        assert_eq!(
            classifier.decide(&vocabulary.vector(&WordCounts::of("the bank cut rates")))[0].0,
            "Economy"
        );
    }
}
