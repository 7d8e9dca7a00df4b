//! People mentioned in an article: the tagger finds name spans, document rules clean and extend
//! them, and mentions are grouped under one canonical name per person ("Mr Kim" and "Kim" join
//! "Kim Jong-un"). Archive-wide merging happens later, in `link`.

pub mod conll;
pub mod tagger;
mod words;

use std::collections::HashSet;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::curated::CuratedPeople;
use super::frame::title_case_if_shouting;
use super::tokens::{self, Token};
use tagger::{is_headline, DocumentContext, Model, BEGIN, INSIDE};

/// The trained model, embedded at compile time (see `examples/train_people_model.rs`).
const MODEL_BYTES: &[u8] = include_bytes!("model.bin");

/// The embedded model, read once.
pub fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        Model::from_bytes(MODEL_BYTES).expect(
            "the embedded people model is corrupt: retrain it with examples/train_people_model.rs",
        )
    })
}

/// One place a person is named: byte offsets into the article's file text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Preceded by a title ("Mr", "President"), or a curated name: evidence of a person.
    pub titled: bool,
}

/// A person and every mention of them in one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFound {
    pub name: String,
    pub mentions: Vec<Mention>,
}

impl PersonFound {
    /// A full name or a title somewhere is evidence enough for a person page; a lone capitalised
    /// word ("Chelsea", "Nintendo") is not.
    pub fn is_confirmed(&self) -> bool {
        self.mentions.is_empty()
            || self.name.contains(char::is_whitespace)
            || self.mentions.iter().any(|mention| mention.titled)
    }
}

/// Finds the people named in the given byte ranges of `text` (title, paragraphs). Curated
/// names are found even where the tagger misses them, curated non-people are never found, and
/// a curated alias is shown under its canonical name.
pub fn find_people(
    text: &str,
    segments: &[(usize, usize)],
    curated: &CuratedPeople,
) -> Vec<PersonFound> {
    let mut mentions = find_mentions(text, segments, &curated.not_people);
    add_curated_mentions(text, segments, curated, &mut mentions);
    let mut people = group_mentions(mentions);
    for person in &mut people {
        let canonical = curated.find(&person.name).or_else(|| {
            person
                .mentions
                .iter()
                .find_map(|mention| curated.find(&mention.text))
        });
        if let Some(canonical) = canonical {
            person.name.clone_from(&canonical.name);
        }
    }
    merge_same_names(people)
}

/// Curated names and aliases found verbatim, at word boundaries, where no mention is yet.
fn add_curated_mentions(
    text: &str,
    segments: &[(usize, usize)],
    curated: &CuratedPeople,
    mentions: &mut Vec<Mention>,
) {
    let mut added = false;
    for name in curated.all_names().filter(|name| !name.is_empty()) {
        for &(segment_start, segment_end) in segments {
            let Some(segment) = text.get(segment_start..segment_end) else {
                continue;
            };
            for (offset, _) in segment.match_indices(name) {
                let (start, end) = (segment_start + offset, segment_start + offset + name.len());
                let boundary_before = text[..start]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let boundary_after = text[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                let free = !mentions
                    .iter()
                    .any(|mention| mention.start < end && start < mention.end);
                if boundary_before && boundary_after && free {
                    mentions.push(Mention {
                        start,
                        end,
                        text: name.to_string(),
                        titled: true,
                    });
                    added = true;
                }
            }
        }
    }
    if added {
        mentions.sort_by_key(|mention| mention.start);
    }
}

/// Two groups that ended up with the same canonical name are one person.
fn merge_same_names(people: Vec<PersonFound>) -> Vec<PersonFound> {
    let mut merged: Vec<PersonFound> = Vec::with_capacity(people.len());
    for person in people {
        match merged.iter_mut().find(|known| known.name == person.name) {
            Some(known) => {
                known.mentions.extend(person.mentions);
                known.mentions.sort_by_key(|mention| mention.start);
            }
            None => merged.push(person),
        }
    }
    merged
}

/// Every person mention, in text order.
pub fn find_mentions(
    text: &str,
    segments: &[(usize, usize)],
    not_people: &HashSet<String>,
) -> Vec<Mention> {
    find_mentions_with(model(), text, segments, not_people)
}

/// `find_mentions` with a given model (training measures models that are not embedded yet).
pub fn find_mentions_with(
    model: &Model,
    text: &str,
    segments: &[(usize, usize)],
    not_people: &HashSet<String>,
) -> Vec<Mention> {
    // All segments' tokens in one list, then their sentences as slices of it: a sentence is
    // never copied, and never runs from one segment into the next.
    let length: usize = segments
        .iter()
        .map(|(start, end)| end.saturating_sub(*start))
        .sum();
    let mut all: Vec<Token<'_>> = Vec::with_capacity(length / 5);
    let mut segment_tokens = Vec::with_capacity(segments.len());
    for &(start, end) in segments {
        let Some(segment) = text.get(start..end) else {
            continue;
        };
        let first = all.len();
        tokens::tokenize_into(segment, start, &mut all);
        segment_tokens.push(first..all.len());
    }
    let sentences: Vec<&[Token<'_>]> = segment_tokens
        .into_iter()
        .flat_map(|range| tokens::sentences(&all[range]))
        .collect();
    // Whether each sentence is a headline: the document context and the tagger both ask.
    let headlines: Vec<bool> = sentences
        .iter()
        .map(|sentence| is_headline(sentence))
        .collect();
    let context = DocumentContext::new(sentences.iter().copied().zip(headlines.iter().copied()));
    let mut mentions: Vec<Mention> = Vec::new();
    for (sentence, &headline) in sentences
        .iter()
        .zip(&headlines)
        .filter(|(sentence, _)| may_name_someone(sentence))
    {
        let tags = model.tag_sentence(sentence, headline, &context);
        let spans = tag_spans(&tags)
            .into_iter()
            .flat_map(|span| split_at_punctuation(sentence, span));
        for (first, end) in spans {
            mentions.extend(clean_span(text, sentence, first, end, not_people));
        }
    }
    add_names_after_honorifics(text, &sentences, &mut mentions, not_people);
    add_names_from_given_names(text, &sentences, &mut mentions, not_people);
    propagate_names(text, &sentences, &mut mentions, not_people);
    mentions.sort_by_key(|mention| mention.start);
    mentions.dedup_by_key(|mention| mention.start);
    mentions
}

/// Whether the tagger is worth running on a sentence: one whose only capitalised word, if any,
/// is a common word opening it ("The", "But") names nobody, and news text has many such.
fn may_name_someone(sentence: &[Token<'_>]) -> bool {
    match sentence.split_first() {
        None => false,
        Some((first, rest)) => {
            rest.iter().any(Token::is_capitalised)
                || (first.is_capitalised() && !words::is_common_word(first.text))
        }
    }
}

/// Runs of tokens tagged as a name, as (first, end) token indices.
fn tag_spans(tags: &[usize]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    for (index, &tag) in tags.iter().enumerate() {
        match tag {
            BEGIN => {
                spans.extend(current.take());
                current = Some((index, index + 1));
            }
            INSIDE => {
                if let Some(span) = current.as_mut() {
                    span.1 = index + 1;
                }
            }
            _ => spans.extend(current.take()),
        }
    }
    spans.extend(current);
    spans
}

/// A name never spans a comma, semicolon or bracket: "O'Leary; Brown" is two names.
fn split_at_punctuation(
    sentence: &[Token<'_>],
    (first, end): (usize, usize),
) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = first;
    for (index, token) in sentence.iter().enumerate().take(end).skip(first) {
        if !token.text.chars().any(char::is_alphanumeric) {
            if index > start {
                spans.push((start, index));
            }
            start = index + 1;
        }
    }
    if end > start {
        spans.push((start, end));
    }
    spans
}

/// True when a token starts its sentence (possibly after opening punctuation or a heading mark).
fn starts_sentence(sentence: &[Token<'_>], index: usize) -> bool {
    sentence[..index]
        .iter()
        .all(|token| !token.text.chars().any(char::is_alphanumeric))
}

/// A middle or first initial: one capital letter, with or without its full stop ("W.", "W");
/// without it, "A" and "I" are words ("Conjuring A Scene", "What'd I Say").
fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && match chars.as_str() {
            "." => true,
            "" => !matches!(word, "A" | "I"),
            _ => false,
        }
}

/// Whether the word at `index`, right before an initial, is the start of the name the tagger
/// left out ("set by Nathan A. Gallagher" tagged as "A. Gallagher"): a name never starts with a
/// middle initial after another capitalised word, unless that word is a title ("President
/// A. Gallagher") or a common word that is no given name ("But A. Gallagher"). A place word
/// is let through: before an initial it is a given name ("Victoria G. Bradley").
fn is_given_name_before(sentence: &[Token<'_>], index: usize) -> bool {
    let word = sentence[index].text;
    sentence[index].is_capitalised()
        && (is_initial(word)
            || word
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’')))
        && !words::is_title_word(word)
        && (words::is_given_name(word) || !words::is_common_word(word))
}

/// Whether the words `first..end`, after "Justice", name a department, a law or a court, not
/// a judge: "the Justice Department", "the Criminal Justice Act" (all of them organisation or
/// place words) against "Mr Justice Collins".
fn names_an_institution(sentence: &[Token<'_>], first: usize, end: usize) -> bool {
    first > 0
        && first < end
        && sentence[first - 1].text.eq_ignore_ascii_case("justice")
        && sentence[first..end]
            .iter()
            .all(|token| words::is_entity_word(token.text))
}

/// True when the word before a token is a title ("Mr Kim", "President Trump").
fn after_title(sentence: &[Token<'_>], index: usize) -> bool {
    index > 0 && words::is_honorific(sentence[index - 1].text)
}

/// Trims titles, sentence-initial common words and possessives from a span, and drops spans
/// that are not names.
fn clean_span(
    text: &str,
    sentence: &[Token<'_>],
    mut first: usize,
    mut end: usize,
    not_people: &HashSet<String>,
) -> Option<Mention> {
    // "European Climate Commissioner Jean-Luc Moreau": the name starts after the last title.
    if let Some(title) = (first..end)
        .rev()
        .find(|&index| words::is_title_word(sentence[index].text))
    {
        first = title + 1;
    }
    while first > 0
        && first < end
        && is_initial(sentence[first].text)
        && is_given_name_before(sentence, first - 1)
    {
        first -= 1;
    }
    if names_an_institution(sentence, first, end) {
        return None;
    }
    while first + 1 < end
        && starts_sentence(sentence, first)
        && words::is_common_word(sentence[first].text)
    {
        first += 1;
    }
    while end > first
        && matches!(
            sentence[end - 1].text,
            "'s" | "’s" | "'" | "’" | "," | "." | "-"
        )
    {
        end -= 1;
    }
    if first >= end {
        return None;
    }
    let words = &sentence[first..end];
    let single = words.len() == 1;
    if single && starts_sentence(sentence, first) && words::is_common_word(words[0].text) {
        return None;
    }
    let titled = after_title(sentence, first);
    let starts_with_common_word = words::is_common_word(words[0].text) && !titled;
    let is_acronym = |word: &str| word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
    // "Nintendo DS", "Xbox 360": a product or unit after a mixed-case word is no surname.
    let ends_in_acronym = !single
        && words[..words.len() - 1]
            .iter()
            .any(|word| word.text.chars().any(char::is_lowercase))
        && is_acronym(words[words.len() - 1].text);
    if !single
        && (words::is_place_prefix(&words[0].text.to_lowercase())
            || words::is_place_suffix(&words[words.len() - 1].text.to_lowercase())
            || starts_with_common_word
            || ends_in_acronym)
    {
        return None;
    }
    let is_entity_word = |token: &Token<'_>| words::is_entity_word(token.text);
    if words.iter().all(is_entity_word) {
        return None;
    }
    // "Blair Labour", "Blunkett Sheffield": a party or place run on after a surname.
    let words = match words.split_last() {
        Some((last, rest)) if !rest.is_empty() && is_entity_word(last) => rest,
        _ => words,
    };
    let (start, stop) = (words[0].start, words[words.len() - 1].end);
    let mention = Mention {
        start,
        end: stop,
        text: text[start..stop].to_string(),
        titled,
    };
    is_plausible_name(&mention.text, not_people).then_some(mention)
}

fn is_plausible_name(name: &str, not_people: &HashSet<String>) -> bool {
    let starts_with_particle = name
        .split_whitespace()
        .next()
        .is_some_and(words::is_particle);
    let has_capital = name.chars().next().is_some_and(char::is_uppercase) || starts_with_particle;
    let single = !name.contains(char::is_whitespace);
    // The lower-case copy only for the lists that need it: most sites curate no non-people.
    let listed = || {
        let lower = name.to_lowercase();
        not_people.contains(&lower) || (single && words::is_never_alone(&lower))
    };
    // "The Lord Of the Rings": a function word alone is no name, even after a title.
    has_capital
        && !(single && tokens::is_sentence_opener(name))
        && name.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && ((not_people.is_empty() && !single) || !listed())
}

/// Whether a name can continue from `index` (if not, `name_run_end` is `index`): a cheap test
/// that spares word look-ups.
fn may_continue_name(sentence: &[Token<'_>], index: usize) -> bool {
    sentence
        .get(index)
        .is_some_and(|token| token.is_capitalised() || words::is_particle(token.text))
}

/// The end (exclusive) of a name that continues from `index`: capitalised words, and particles
/// followed by a capitalised word ("von der Leyen"), up to four words.
fn name_run_end(sentence: &[Token<'_>], index: usize) -> usize {
    let capitalised = |position: usize| {
        sentence
            .get(position)
            .is_some_and(|token| token.is_capitalised() && !words::is_title_word(token.text))
    };
    let mut end = index;
    while end < sentence.len() && end < index + 4 {
        if capitalised(end) {
            end += 1;
            continue;
        }
        let mut after_particles = end;
        while sentence
            .get(after_particles)
            .is_some_and(|token| words::is_particle(token.text))
        {
            after_particles += 1;
        }
        if after_particles > end && capitalised(after_particles) {
            end = after_particles + 1;
            continue;
        }
        break;
    }
    end
}

/// A known given name before capitalised words starts a name ("Theresa May", "Ursula von der
/// Leyen"), even where the tagger hesitates because a part is an English word.
fn add_names_from_given_names(
    text: &str,
    sentences: &[&[Token<'_>]],
    mentions: &mut Vec<Mention>,
    not_people: &HashSet<String>,
) {
    for sentence in sentences {
        for index in 0..sentence.len() {
            let word = sentence[index].text;
            // The look-up last: most capitalised words are followed by no other.
            if !sentence[index].is_capitalised()
                || !may_continue_name(sentence, index + 1)
                || !words::is_given_name(word)
            {
                continue;
            }
            let end = name_run_end(sentence, index + 1);
            if end == index + 1 {
                continue;
            }
            let (start, stop) = (sentence[index].start, sentence[end - 1].end);
            let overlapping: Vec<usize> = (0..mentions.len())
                .filter(|&other| mentions[other].start < stop && start < mentions[other].end)
                .collect();
            // A longer reading replaces shorter mentions inside it ("May" inside "Theresa May").
            if overlapping
                .iter()
                .all(|&other| mentions[other].start >= start && mentions[other].end <= stop)
                && is_plausible_name(&text[start..stop], not_people)
            {
                for other in overlapping.into_iter().rev() {
                    mentions.remove(other);
                }
                mentions.push(Mention {
                    start,
                    end: stop,
                    text: text[start..stop].to_string(),
                    titled: after_title(sentence, index),
                });
            }
        }
    }
}

/// Capitalised words right after an honorific are a name, even where the tagger hesitates
/// because a part of it is also an English word ("President Park Min-jun", "Mr Brown").
fn add_names_after_honorifics(
    text: &str,
    sentences: &[&[Token<'_>]],
    mentions: &mut Vec<Mention>,
    not_people: &HashSet<String>,
) {
    for sentence in sentences {
        for index in 1..sentence.len() {
            // The look-up last: an honorific is capitalised, and most words cannot start a name.
            let previous = &sentence[index - 1];
            if !previous.is_capitalised()
                || !may_continue_name(sentence, index)
                || !words::is_honorific(previous.text)
            {
                continue;
            }
            let end = name_run_end(sentence, index);
            let first_is_particle = sentence
                .get(index)
                .is_some_and(|token| words::is_particle(token.text));
            let end = if end == index && first_is_particle {
                name_run_end(sentence, index + 1).max(index)
            } else {
                end
            };
            if end == index || names_an_institution(sentence, index, end) {
                continue;
            }
            let last = end - 1;
            let (start, end) = (sentence[index].start, sentence[last].end);
            let free = !mentions
                .iter()
                .any(|mention| mention.start < end && start < mention.end);
            if free && is_plausible_name(&text[start..end], not_people) {
                mentions.push(Mention {
                    start,
                    end,
                    text: text[start..end].to_string(),
                    titled: true,
                });
            }
        }
    }
}

/// A name found once is the same name elsewhere in the article: "Clinton" after "Bill Clinton",
/// or a name the tagger missed in a headline. Marks other capitalised occurrences of a found
/// full name or of its last part.
fn propagate_names(
    text: &str,
    sentences: &[&[Token<'_>]],
    mentions: &mut Vec<Mention>,
    not_people: &HashSet<String>,
) {
    let mut known: Vec<Vec<String>> = Vec::new();
    for mention in mentions.iter() {
        let words: Vec<String> = tokens::tokenize(&mention.text)
            .iter()
            .map(|token| token.text.to_lowercase())
            .collect();
        if words.len() >= 2 {
            if let Some(last) = words.last() {
                known.push(vec![last.clone()]);
            }
        }
        known.push(words);
    }
    // "May" the surname must not mark "in May": single words that are also common words
    // or months are only names where the tagger or a title says so.
    known.retain(|words| {
        words.len() > 1
            || !words.iter().all(|word| {
                words::is_common_word(word) || words::is_never_alone(word) || word == "may"
            })
    });
    known.sort();
    known.dedup();
    // Indexed by first word, longest names first, so each token is looked up once.
    let mut by_first_word: FxHashMap<String, Vec<Vec<String>>> = FxHashMap::default();
    for words in known {
        if let Some(first) = words.first() {
            by_first_word.entry(first.clone()).or_default().push(words);
        }
    }
    for candidates in by_first_word.values_mut() {
        candidates.sort_by_key(|words| std::cmp::Reverse(words.len()));
    }
    if by_first_word.is_empty() {
        return;
    }
    // A capitalised token that reads as `word` in lower case.
    let reads_as =
        |token: &Token<'_>, word: &str| token.is_capitalised() && lower_case_is(token.text, word);
    let mut lower = String::new();
    for sentence in sentences {
        for index in 0..sentence.len() {
            let token = &sentence[index];
            if !token.is_capitalised() {
                continue;
            }
            if token.text.is_ascii() {
                lower.clear();
                lower.push_str(token.text);
                lower.make_ascii_lowercase();
            } else {
                lower = token.text.to_lowercase();
            }
            let Some(candidates) = by_first_word.get(&lower) else {
                continue;
            };
            for words in candidates {
                let Some(window) = sentence.get(index..index + words.len()) else {
                    continue;
                };
                if !window
                    .iter()
                    .zip(words)
                    .all(|(token, word)| reads_as(token, word))
                {
                    continue;
                }
                let (start, end) = (sentence[index].start, sentence[index + words.len() - 1].end);
                let taken = mentions
                    .iter()
                    .any(|mention| mention.start < end && start < mention.end);
                if !taken && is_plausible_name(&text[start..end], not_people) {
                    mentions.push(Mention {
                        start,
                        end,
                        text: text[start..end].to_string(),
                        titled: after_title(sentence, index),
                    });
                }
                break;
            }
        }
    }
}

/// Whether `text` in lower case is `lower`, without making the lower-case copy for the usual
/// ASCII word.
fn lower_case_is(text: &str, lower: &str) -> bool {
    if text.is_ascii() {
        text.len() == lower.len()
            && text
                .bytes()
                .zip(lower.bytes())
                .all(|(a, b)| a.to_ascii_lowercase() == b)
    } else {
        text.to_lowercase() == lower
    }
}

/// The parts of a name, lower-cased, for matching "Kim" to "Kim Jong-un".
fn name_parts(name: &str) -> Vec<String> {
    name.split_whitespace()
        .map(|part| part.trim_end_matches('.').to_lowercase())
        .collect()
}

/// Groups mentions by person: a shorter name joins the one longer name in the article that
/// contains it; an ambiguous one joins the nearest preceding candidate.
pub fn group_mentions(mentions: Vec<Mention>) -> Vec<PersonFound> {
    let mut people: Vec<PersonFound> = Vec::new();
    let mut people_parts: Vec<Vec<String>> = Vec::new();
    let parts: Vec<Vec<String>> = mentions
        .iter()
        .map(|mention| name_parts(&mention.text))
        .collect();
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    // Longest names first, so every short form finds the full names it may belong to.
    order.sort_by_key(|&index| (std::cmp::Reverse(parts[index].len()), mentions[index].start));
    let mut owner: Vec<usize> = vec![usize::MAX; mentions.len()];
    for index in order {
        let mention = &mentions[index];
        let short = &parts[index];
        let candidates = || {
            people_parts
                .iter()
                .enumerate()
                .filter(|(_, full)| {
                    *full == short || (short.len() < full.len() && is_sub_name(short, full))
                })
                .map(|(id, _)| id)
        };
        // Most mentions have one candidate or none: the list of them is made only when there
        // are several.
        let (first, second) = {
            let mut found = candidates();
            (found.next(), found.next())
        };
        owner[index] = match (first, second) {
            (None, _) => {
                let name = display_name(&mention.text);
                people_parts.push(name_parts(&name));
                people.push(PersonFound {
                    name,
                    mentions: Vec::new(),
                });
                people.len() - 1
            }
            (Some(only), None) => only,
            (Some(first), Some(_)) => {
                let several: Vec<usize> = candidates().collect();
                nearest_before(&mentions, &owner, mention.start, &several).unwrap_or(first)
            }
        };
    }
    for (mention, person) in mentions.into_iter().zip(owner) {
        people[person].mentions.push(mention);
    }
    for person in &mut people {
        person.mentions.sort_by_key(|mention| mention.start);
    }
    people.sort_by_key(|person| person.mentions.first().map_or(0, |mention| mention.start));
    people
}

/// True when `short` is a contiguous run of `full`'s parts (first, last, or a run of them).
fn is_sub_name(short: &[String], full: &[String]) -> bool {
    full.windows(short.len()).any(|window| window == short)
}

fn nearest_before(
    mentions: &[Mention],
    owner: &[usize],
    position: usize,
    candidates: &[usize],
) -> Option<usize> {
    mentions
        .iter()
        .zip(owner)
        .filter(|(mention, person)| mention.start < position && candidates.contains(person))
        .max_by_key(|(mention, _)| mention.start)
        .map(|(_, person)| *person)
}

/// Names in all capitals (headlines) are shown in title case.
fn display_name(name: &str) -> String {
    title_case_if_shouting(&name.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sentences_with_a_capitalised_name_candidate_are_tagged() {
        let tagged = |text: &str| may_name_someone(&tokens::tokenize(text));
        assert!(!tagged("Rates were cut again."));
        assert!(!tagged("but nobody said so."));
        assert!(tagged("Blair said so."), "a name may open a sentence");
        assert!(tagged("But the minister, Helena Varga, said so."));
        assert!(tagged("the minister said so, Mr Kim added."));
    }

    fn mention(text: &str, start: usize) -> Mention {
        Mention {
            start,
            end: start + text.len(),
            text: text.to_string(),
            titled: false,
        }
    }

    #[test]
    fn short_forms_join_the_full_name() {
        let people = group_mentions(vec![
            mention("Kim Jong-un", 0),
            mention("Donald Trump", 20),
            mention("Kim", 40),
            mention("Trump", 60),
        ]);
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].name, "Kim Jong-un");
        assert_eq!(people[0].mentions.len(), 2);
        assert_eq!(people[1].name, "Donald Trump");
    }

    #[test]
    fn a_shared_surname_joins_the_nearest_full_name() {
        let people = group_mentions(vec![
            mention("Daniel Brandt", 0),
            mention("Greta Brandt", 30),
            mention("Brandt", 50),
        ]);
        assert_eq!(people.len(), 2);
        assert_eq!(people[1].mentions.len(), 2, "{people:?}");
    }

    /// The names `find_mentions` finds in one paragraph.
    fn names_in(text: &str) -> Vec<String> {
        find_mentions(text, &[(0, text.len())], &HashSet::new())
            .into_iter()
            .map(|mention| mention.text)
            .collect()
    }

    #[test]
    fn a_name_with_a_middle_initial_keeps_its_given_name() {
        for (text, name) in [
            (
                "The company was set by Nathan A. Gallagher, the shadow chancellor, this year.",
                "Nathan A. Gallagher",
            ),
            (
                "The trial was won by Victoria G. Bradley, chief executive, from April.",
                "Victoria G. Bradley",
            ),
            (
                "Nathan A. Gallagher, the shadow chancellor, said so.",
                "Nathan A. Gallagher",
            ),
        ] {
            assert_eq!(names_in(text), [name], "{text}");
        }
        // A title or a common word before the initial is not part of the name.
        for text in [
            "President A. Gallagher said so.",
            "But A. Gallagher said so.",
        ] {
            assert_eq!(names_in(text), ["A. Gallagher"], "{text}");
        }
    }

    #[test]
    fn justice_before_an_organisation_word_is_no_title() {
        assert!(names_in("He cited the Criminal Justice Act in court.").is_empty());
        assert!(names_in("The Justice Department would not say.").is_empty());
        assert_eq!(names_in("He met Mr Justice Collins in court."), ["Collins"]);
    }

    #[test]
    fn a_function_word_is_no_name_even_after_a_title() {
        assert!(names_in("It won an award for The Lord Of the Rings.").is_empty());
        assert!(names_in("I agree with Mr. However, others do not.").is_empty());
    }

    #[test]
    fn capitals_are_shown_in_title_case() {
        assert_eq!(display_name("KIM JONG-UN"), "Kim Jong-Un");
        assert_eq!(display_name("Ursula von der Leyen"), "Ursula von der Leyen");
    }
}
