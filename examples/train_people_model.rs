//! Trains the person tagger that ships inside gazette.
//!
//! ```text
//! cargo run --release --example train_people_model -- \
//!     ../shared/corpora/conll2003/eng.train ../shared/corpora/conll2003/eng.testa \
//!     src/extract/people/model.bin
//! ```
//!
//! Reads CoNLL-2003 English training data (only PER tags are used), trains an averaged
//! structured perceptron for a fixed number of epochs (deterministic: the same input gives the
//! same bytes), prints the document-level people-set P/R/F1 on the development file after each
//! epoch, and writes the final model.

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use gazette::extract::people::{conll, find_mentions_with, tagger};

/// Epochs of training; measured on the development set, more stopped helping.
const EPOCHS: usize = 12;

fn main() -> Result<()> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [train_path, dev_path, out_path] = args.as_slice() else {
        bail!("usage: train_people_model TRAIN.conll DEV.conll OUT.bin (the word lists are written beside OUT.bin)");
    };
    let train = conll::read(train_path)?;
    let dev = conll::read(dev_path)?;
    for (name, words) in [
        ("common_words.txt", common_words(&train)),
        ("entity_words.txt", entity_words(&train)),
        ("given_names.txt", given_names(&train)),
    ] {
        let path = out_path.with_file_name(name);
        std::fs::write(&path, words).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let examples = conll::examples(&train);
    eprintln!(
        "{} training documents, {} sentences",
        train.len(),
        examples.len()
    );
    let model = tagger::train(&examples, EPOCHS, |epoch, model| {
        let (precision, recall, f1) = people_set_scores(model, &dev);
        eprintln!(
            "epoch {:2}: dev people-set P {precision:.3} R {recall:.3} F1 {f1:.3}",
            epoch + 1
        );
    });
    let bytes = model.to_bytes();
    std::fs::write(out_path, &bytes)
        .with_context(|| format!("cannot write {}", out_path.display()))?;
    eprintln!("wrote {} ({} bytes)", out_path.display(), bytes.len());
    Ok(())
}

/// Words seen in lower case at least twice in the training text and never as part of a name:
/// the lexicon that tells a capitalised sentence opener ("Once", "Strong") from a name.
fn common_words(documents: &[conll::Document]) -> String {
    let mut lower_counts: std::collections::BTreeMap<String, usize> = Default::default();
    let mut in_names: HashSet<String> = HashSet::new();
    for document in documents {
        for sentence in &document.sentences {
            for &(start, end, tag) in sentence {
                let word = &document.text[start..end];
                if tag != tagger::OUTSIDE {
                    in_names.insert(word.to_lowercase());
                } else if word.chars().all(|c| c.is_lowercase() || c == '-')
                    && word.chars().any(char::is_alphabetic)
                {
                    *lower_counts.entry(word.to_string()).or_default() += 1;
                }
            }
        }
    }
    let mut out = String::new();
    for (word, count) in lower_counts {
        if count >= 2 && !in_names.contains(&word) {
            out.push_str(&word);
            out.push('\n');
        }
    }
    out
}

/// Capitalised words tagged as an organisation, place or other name (nationalities, events) at
/// least twice and never as part of a person's name: "Pakistani", "Muslim", "Ericsson". A
/// mention made only of such words is not a person.
fn entity_words(documents: &[conll::Document]) -> String {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    let mut never: HashSet<String> = HashSet::new();
    for document in documents {
        for (sentence, types) in document.sentences.iter().zip(&document.entity_types) {
            for (position, (&(start, end, _), kind)) in sentence.iter().zip(types).enumerate() {
                let word = &document.text[start..end];
                let capitalised = word.chars().next().is_some_and(char::is_uppercase);
                match kind.as_str() {
                    // A capitalised word inside a sentence that is no entity ("Labour" is one,
                    // "labour market" says nothing) or any part of a person's name.
                    "PER" => {
                        never.insert(word.to_lowercase());
                    }
                    "" if capitalised && position > 0 => {
                        never.insert(word.to_lowercase());
                    }
                    "" => {}
                    _ => *counts.entry(word.to_lowercase()).or_default() += 1,
                }
            }
        }
    }
    let mut out = String::new();
    for (word, count) in counts {
        if count >= 2 && !never.contains(&word) && word.chars().any(char::is_alphabetic) {
            out.push_str(&word);
            out.push('\n');
        }
    }
    out
}

/// First words of names of two words or more, never seen in lower case nor as an entity of
/// another kind: given names ("Theresa", "Ursula"). A given name before capitalised words
/// starts a name even where the tagger hesitates.
fn given_names(documents: &[conll::Document]) -> String {
    let mut given: std::collections::BTreeSet<String> = Default::default();
    let mut excluded: HashSet<String> = HashSet::new();
    for document in documents {
        for (sentence, types) in document.sentences.iter().zip(&document.entity_types) {
            for (position, (&(start, end, tag), kind)) in sentence.iter().zip(types).enumerate() {
                let word = &document.text[start..end];
                let next_is_name = sentence
                    .get(position + 1)
                    .is_some_and(|&(_, _, next)| next == tagger::INSIDE);
                if tag == tagger::BEGIN
                    && next_is_name
                    && word.chars().count() > 1
                    && !word.ends_with('.')
                {
                    given.insert(word.to_lowercase());
                } else if kind != "PER" {
                    excluded.insert(word.to_lowercase());
                }
            }
        }
    }
    let mut out = String::new();
    for word in given.into_iter().filter(|word| !excluded.contains(word)) {
        out.push_str(&word);
        out.push('\n');
    }
    out
}

/// Micro-averaged precision, recall and F1 of the distinct names per document.
fn people_set_scores(model: &tagger::Model, documents: &[conll::Document]) -> (f64, f64, f64) {
    let (mut true_positives, mut predicted, mut gold) = (0usize, 0usize, 0usize);
    let none = HashSet::new();
    for document in documents {
        let mut segments = Vec::new();
        let mut start = 0;
        for line in document.text.split_inclusive('\n') {
            segments.push((start, start + line.trim_end().len()));
            start += line.len();
        }
        let found: BTreeSet<String> = find_mentions_with(model, &document.text, &segments, &none)
            .into_iter()
            .map(|mention| mention.text.to_lowercase())
            .collect();
        let expected = document.gold_people();
        true_positives += found.intersection(&expected).count();
        predicted += found.len();
        gold += expected.len();
    }
    let precision = true_positives as f64 / predicted.max(1) as f64;
    let recall = true_positives as f64 / gold.max(1) as f64;
    (
        precision,
        recall,
        2.0 * precision * recall / (precision + recall).max(f64::EPSILON),
    )
}
