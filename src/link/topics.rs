//! Topics for every article. Front matter topics come first, normalised (case and spacing
//! folded, `topics.aliases` applied); `topics.from_folders` adds the top folder as a section;
//! articles without front matter topics get rule topics (`topics.rules`: words that signal a
//! topic) and learned ones (a classifier trained on the archive's own labelled articles),
//! each with its source and a score.

use rayon::prelude::*;
use serde::Serialize;

use super::classifier::{Classifier, SparseVector};
use crate::config::TopicSettings;
use crate::extract::Article;
use crate::load::Body;
use crate::slug::slugify;

/// Where an article's topic came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TopicSource {
    FrontMatter,
    Folder,
    Rule,
    Learned,
}

impl TopicSource {
    /// Topics a person chose, as opposed to ones gazette suggests.
    pub fn is_chosen(self) -> bool {
        matches!(self, TopicSource::FrontMatter | TopicSource::Folder)
    }
}

/// A topic of one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicGuess {
    pub name: String,
    pub source: TopicSource,
    /// 1 for chosen topics; for suggested ones, a confidence between 0 and 1.
    pub score: f32,
}

/// The fewest labelled articles worth learning from.
const MIN_LABELLED: usize = 10;

/// Topics of every article, in the order given.
pub fn assign_topics(
    articles: &[&Article],
    vectors: &[SparseVector],
    dimensions: usize,
    settings: &TopicSettings,
) -> Vec<Vec<TopicGuess>> {
    let mut guesses: Vec<Vec<TopicGuess>> = articles
        .par_iter()
        .map(|article| chosen_topics(article, settings))
        .collect();
    let unlabelled: Vec<usize> = (0..articles.len())
        .filter(|&index| articles[index].topics.is_empty())
        .collect();
    if unlabelled.is_empty() {
        return guesses;
    }
    if !settings.rules.is_empty() {
        add_rule_topics(articles, &unlabelled, settings, &mut guesses);
    }
    if settings.learn {
        for (index, found) in learned_topics(articles, vectors, dimensions, &unlabelled, settings) {
            add_new(&mut guesses[index], found);
        }
    }
    guesses
}

/// Topics from the site's signal-word rules for the articles with none of their own. Skipped
/// when there are no rules, since it copies and lowercases every article's text.
fn add_rule_topics(
    articles: &[&Article],
    unlabelled: &[usize],
    settings: &TopicSettings,
    guesses: &mut [Vec<TopicGuess>],
) {
    let rules: Vec<(String, Vec<String>)> = settings
        .rules
        .iter()
        .map(|(topic, phrases)| {
            (
                normalise(topic, settings),
                phrases.iter().map(|phrase| phrase.to_lowercase()).collect(),
            )
        })
        .collect();
    let suggested: Vec<Vec<TopicGuess>> = unlabelled
        .par_iter()
        .map(|&index| rule_topics(&article_text(articles[index]), &rules))
        .collect();
    for (&index, found) in unlabelled.iter().zip(suggested) {
        add_new(&mut guesses[index], found);
    }
}

/// Whether `assign_topics` may learn topics from the articles' word vectors: when learning is
/// on, some article has no topics of its own and enough others have.
pub fn learns_from_vectors<'a>(
    articles: impl Iterator<Item = &'a Article>,
    settings: &TopicSettings,
) -> bool {
    let (mut labelled, mut unlabelled) = (0, 0);
    for article in articles {
        match article.topics.is_empty() {
            true => unlabelled += 1,
            false => labelled += 1,
        }
    }
    settings.learn && unlabelled > 0 && labelled >= MIN_LABELLED
}

fn add_new(topics: &mut Vec<TopicGuess>, found: Vec<TopicGuess>) {
    for guess in found {
        if !topics
            .iter()
            .any(|known| slugify(&known.name, "") == slugify(&guess.name, ""))
        {
            topics.push(guess);
        }
    }
}

/// A topic name with spacing folded and its alias resolved.
pub fn normalise(name: &str, settings: &TopicSettings) -> String {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let slug = slugify(&name, "");
    settings
        .aliases
        .iter()
        .find(|(alias, _)| slugify(alias, "") == slug)
        .map_or(name, |(_, canonical)| canonical.clone())
}

fn chosen_topics(article: &Article, settings: &TopicSettings) -> Vec<TopicGuess> {
    let mut topics: Vec<TopicGuess> = Vec::new();
    let chosen = |name: String, source| TopicGuess {
        name,
        source,
        score: 1.0,
    };
    let front = article
        .topics
        .iter()
        .map(|topic| chosen(normalise(topic, settings), TopicSource::FrontMatter));
    add_new(&mut topics, front.collect());
    if settings.from_folders {
        if let Some(folder) = section_of(&article.source.relative) {
            add_new(
                &mut topics,
                vec![chosen(normalise(&folder, settings), TopicSource::Folder)],
            );
        }
    }
    topics
}

/// The top folder below `content/` as a section name ("us-politics" → "Us politics"), after any
/// date folders (`2019/sport/a.md` is in Sport); none for files with no other folder.
fn section_of(relative: &str) -> Option<String> {
    let (folders, _) = relative.rsplit_once('/')?;
    let folder = folders
        .split('/')
        .find(|folder| !folder.chars().all(|c| c.is_ascii_digit()))?;
    let spaced = folder.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// The title and body of an article, the text topics and related articles are read from.
pub fn article_text(article: &Article) -> String {
    let body = match &article.body {
        Body::Markdown { start, end, .. } => article
            .source
            .text
            .get(*start..*end)
            .unwrap_or_default()
            .to_string(),
        Body::Plain(paragraphs) => paragraphs
            .iter()
            .map(|paragraph| paragraph.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    };
    format!("{}\n{}", article.title, body)
}

/// Topics whose signal words appear in the text (whole words, any case).
fn rule_topics(text: &str, rules: &[(String, Vec<String>)]) -> Vec<TopicGuess> {
    let lower = text.to_lowercase();
    rules
        .iter()
        .filter_map(|(topic, phrases)| {
            let hits: usize = phrases
                .iter()
                .map(|phrase| count_whole(&lower, phrase))
                .sum();
            (hits > 0).then(|| TopicGuess {
                name: topic.clone(),
                source: TopicSource::Rule,
                score: (hits as f32 / 3.0).min(1.0),
            })
        })
        .collect()
}

fn count_whole(text: &str, phrase: &str) -> usize {
    if phrase.is_empty() {
        return 0;
    }
    text.match_indices(phrase)
        .filter(|(start, _)| {
            let before = text[..*start].chars().next_back();
            let after = text[start + phrase.len()..].chars().next();
            before.is_none_or(|c| !c.is_alphanumeric())
                && after.is_none_or(|c| !c.is_alphanumeric())
        })
        .count()
}

/// Trains on the articles with front matter topics and labels the others: every topic the
/// classifier accepts, or else its best one if confident enough; nothing below the threshold.
fn learned_topics(
    articles: &[&Article],
    vectors: &[SparseVector],
    dimensions: usize,
    unlabelled: &[usize],
    settings: &TopicSettings,
) -> Vec<(usize, Vec<TopicGuess>)> {
    let labelled: Vec<usize> = (0..articles.len())
        .filter(|&index| !articles[index].topics.is_empty())
        .collect();
    if labelled.len() < MIN_LABELLED {
        return Vec::new();
    }
    let examples: Vec<(SparseVector, Vec<String>)> = labelled
        .iter()
        .map(|&index| {
            let topics = articles[index]
                .topics
                .iter()
                .map(|topic| normalise(topic, settings))
                .collect();
            (vectors[index].clone(), topics)
        })
        .collect();
    if cross_validated_accuracy(&examples, dimensions) < MIN_HELD_OUT_ACCURACY {
        // Too few or too mixed labelled articles to learn from: a classifier that cannot find
        // the topics of the archive's own labelled articles would only spread its biggest topic
        // over every other article.
        return Vec::new();
    }
    let classifier = self_trained(examples, vectors, unlabelled, dimensions);
    unlabelled
        .par_iter()
        .map(|&index| {
            let decisions = classifier.decide(&vectors[index]);
            let mut found: Vec<TopicGuess> = decisions
                .iter()
                .filter(|(_, decision)| *decision > 0.0)
                .map(|(name, decision)| learned(name, *decision))
                .collect();
            if found.is_empty() {
                if let Some((name, decision)) = decisions.first() {
                    if confidence(*decision) >= settings.threshold {
                        found.push(learned(name, *decision));
                    }
                }
            }
            (index, found)
        })
        .collect()
}

/// How often the top topic a classifier trained without an article must be one of that article's
/// own, over the labelled articles, before gazette suggests learned topics at all. On BBC News
/// with 10% labelled it is about 0.95; a couple of dozen labelled articles on unrelated subjects
/// score well below.
const MIN_HELD_OUT_ACCURACY: f32 = 0.7;
const FOLDS: usize = 5;

/// Top-topic accuracy on the labelled articles, each predicted by a classifier trained on the
/// other folds.
fn cross_validated_accuracy(examples: &[(SparseVector, Vec<String>)], dimensions: usize) -> f32 {
    let correct: usize = (0..FOLDS)
        .into_par_iter()
        .map(|fold| {
            let training: Vec<(SparseVector, Vec<String>)> = examples
                .iter()
                .enumerate()
                .filter(|(index, _)| index % FOLDS != fold)
                .map(|(_, example)| example.clone())
                .collect();
            let classifier = Classifier::train(&training, dimensions);
            examples
                .iter()
                .enumerate()
                .filter(|(index, _)| index % FOLDS == fold)
                .filter(|(_, (vector, topics))| {
                    classifier
                        .decide(vector)
                        .first()
                        .is_some_and(|(best, _)| topics.iter().any(|topic| topic == best))
                })
                .count()
        })
        .sum();
    correct as f32 / examples.len() as f32
}

/// Rounds of self-training: the classifier is retrained with the unlabelled articles it labels
/// confidently, which teaches it the archive's own vocabulary (on BBC News with 10% labelled,
/// top-topic accuracy rises from about 0.96 to 0.97).
const SELF_TRAINING_ROUNDS: usize = 5;
/// How far the best topic's decision must lead the second's for an article to be learned from.
const SELF_TRAINING_MARGIN: f32 = 0.1;
/// At most this many self-labelled articles per round (the most confident), so training stays a
/// small part of a large build.
const SELF_TRAINING_LIMIT: usize = 20_000;

fn self_trained(
    labelled: Vec<(SparseVector, Vec<String>)>,
    vectors: &[SparseVector],
    unlabelled: &[usize],
    dimensions: usize,
) -> Classifier {
    let mut classifier = Classifier::train(&labelled, dimensions);
    for _ in 0..SELF_TRAINING_ROUNDS {
        let mut confident: Vec<(f32, usize, String)> = unlabelled
            .par_iter()
            .filter_map(|&index| {
                let decisions = classifier.decide(&vectors[index]);
                let (best, second) = (
                    decisions.first()?,
                    decisions.get(1).map_or(-1.0, |second| second.1),
                );
                (best.1 > 0.0 && best.1 - second > SELF_TRAINING_MARGIN)
                    .then(|| (best.1 - second, index, best.0.to_string()))
            })
            .collect();
        confident.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        confident.truncate(SELF_TRAINING_LIMIT);
        let mut examples = labelled.clone();
        examples.extend(
            confident
                .into_iter()
                .map(|(_, index, label)| (vectors[index].clone(), vec![label])),
        );
        classifier = Classifier::train(&examples, dimensions);
    }
    classifier
}

fn learned(name: &str, decision: f32) -> TopicGuess {
    TopicGuess {
        name: name.to_string(),
        source: TopicSource::Learned,
        score: confidence(decision),
    }
}

/// A decision value mapped to 0..1: 0.5 at the margin's centre.
fn confidence(decision: f32) -> f32 {
    1.0 / (1.0 + (-2.0 * decision).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_become_sections() {
        assert_eq!(section_of("sport/001.txt").as_deref(), Some("Sport"));
        assert_eq!(
            section_of("us-politics/2019/a.md").as_deref(),
            Some("Us politics")
        );
        assert_eq!(section_of("2019/03/a.md"), None);
        assert_eq!(section_of("2019/sport/a.md").as_deref(), Some("Sport"));
        assert_eq!(section_of("a.md"), None);
    }

    #[test]
    fn aliases_and_spacing_fold() {
        let settings = TopicSettings {
            aliases: [("US politics".to_string(), "U.S. politics".to_string())].into(),
            ..TopicSettings::default()
        };
        assert_eq!(normalise("us  politics", &settings), "U.S. politics");
        assert_eq!(normalise("Climate", &settings), "Climate");
    }

    #[test]
    fn rules_match_whole_words() {
        let rules = vec![(
            "Climate".to_string(),
            vec!["emissions".to_string(), "heat wave".to_string()],
        )];
        assert_eq!(
            rule_topics("A Heat Wave and emissions.", &rules)[0].score,
            2.0 / 3.0
        );
        assert!(rule_topics("Reemissions", &rules).is_empty());
    }
}
