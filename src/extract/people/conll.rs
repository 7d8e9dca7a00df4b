//! Reading CoNLL-2003 files, for training the person tagger and measuring it. Documents are
//! turned into the same text `conll_to_text.py` writes (tokens joined by a space, a sentence a
//! line), so training sees what `gazette extract` sees when it is scored.

use std::path::Path;

use anyhow::{Context, Result};

use super::super::tokens::Token;
use super::tagger::{
    is_headline, sentence_features, DocumentContext, Example, BEGIN, INSIDE, OUTSIDE,
};

/// One document: its text and, per sentence, the tokens' byte ranges and person tags.
pub struct Document {
    pub text: String,
    pub sentences: Vec<Vec<(usize, usize, usize)>>,
    /// Per sentence, per token: the CoNLL entity type (`PER`, `ORG`, `LOC`, `MISC`) or "".
    pub entity_types: Vec<Vec<String>>,
}

impl Document {
    /// Tokens of each sentence, pointing into `text`.
    pub fn token_sentences(&self) -> Vec<Vec<Token<'_>>> {
        self.sentences
            .iter()
            .map(|sentence| {
                sentence
                    .iter()
                    .map(|&(start, end, _)| Token {
                        text: &self.text[start..end],
                        start,
                        end,
                    })
                    .collect()
            })
            .collect()
    }

    /// The distinct person names the gold tags mark, case-folded.
    pub fn gold_people(&self) -> std::collections::BTreeSet<String> {
        let mut names = std::collections::BTreeSet::new();
        for sentence in &self.sentences {
            let mut current: Option<(usize, usize)> = None;
            for &(start, end, tag) in sentence.iter().chain(std::iter::once(&(0, 0, OUTSIDE))) {
                match (tag, current) {
                    (INSIDE, Some((first, _))) => current = Some((first, end)),
                    (BEGIN | INSIDE, previous) => {
                        if let Some((first, last)) = previous {
                            names.insert(self.text[first..last].to_lowercase());
                        }
                        current = Some((start, end));
                    }
                    (_, Some((first, last))) => {
                        names.insert(self.text[first..last].to_lowercase());
                        current = None;
                    }
                    _ => {}
                }
            }
        }
        names
    }
}

/// Reads a CoNLL-2003 file into documents (IOB1 and IOB2 both decoded).
pub fn read(path: &Path) -> Result<Vec<Document>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut documents = Vec::new();
    let mut words: Vec<Vec<(String, String)>> = Vec::new();
    let mut sentence: Vec<(String, String)> = Vec::new();
    let mut flush_document = |words: &mut Vec<Vec<(String, String)>>| {
        if !words.is_empty() {
            documents.push(build(std::mem::take(words)));
        }
    };
    for line in text.lines() {
        let columns: Vec<&str> = line.split_whitespace().collect();
        if columns.is_empty() {
            if !sentence.is_empty() {
                words.push(std::mem::take(&mut sentence));
            }
            continue;
        }
        if columns[0] == "-DOCSTART-" {
            if !sentence.is_empty() {
                words.push(std::mem::take(&mut sentence));
            }
            flush_document(&mut words);
            continue;
        }
        let tag = columns.last().copied().unwrap_or("O");
        sentence.push((columns[0].to_string(), tag.to_string()));
    }
    if !sentence.is_empty() {
        words.push(sentence);
    }
    flush_document(&mut words);
    Ok(documents)
}

fn build(sentences: Vec<Vec<(String, String)>>) -> Document {
    let mut text = String::new();
    let mut tagged = Vec::new();
    let entity_types = sentences
        .iter()
        .map(|sentence| {
            sentence
                .iter()
                .map(|(_, tag)| {
                    tag.split_once('-')
                        .map_or(String::new(), |(_, kind)| kind.to_string())
                })
                .collect()
        })
        .collect();
    for sentence in sentences {
        let mut tokens = Vec::new();
        let mut previous_was_person = false;
        for (index, (word, tag)) in sentence.iter().enumerate() {
            if index > 0 {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(word);
            let person = tag.ends_with("-PER");
            let ours = match (person, previous_was_person, tag.starts_with("B-")) {
                (false, _, _) => OUTSIDE,
                (true, true, false) => INSIDE,
                _ => BEGIN,
            };
            previous_was_person = person;
            tokens.push((start, text.len(), ours));
        }
        text.push('\n');
        tagged.push(tokens);
    }
    Document {
        text,
        sentences: tagged,
        entity_types,
    }
}

/// Training examples from documents: one per sentence, with document context.
pub fn examples(documents: &[Document]) -> Vec<Example> {
    let mut examples = Vec::new();
    for document in documents {
        let sentences = document.token_sentences();
        let headlines: Vec<bool> = sentences.iter().map(|tokens| is_headline(tokens)).collect();
        let context = DocumentContext::new(
            sentences
                .iter()
                .map(Vec::as_slice)
                .zip(headlines.iter().copied()),
        );
        for ((tokens, tagged), headline) in sentences.iter().zip(&document.sentences).zip(headlines)
        {
            examples.push(Example {
                features: sentence_features(tokens, headline, &context),
                tags: tagged.iter().map(|&(_, _, tag)| tag).collect(),
            });
        }
    }
    examples
}
