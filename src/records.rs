//! The JSON records `gazette extract` and `gazette metadata` print, one object per line. Other
//! tools and our tests read them, so the fields are stable and documented in
//! `docs/metadata.md`; new fields may be added, none renamed.

use serde::Serialize;

use crate::extract::Article;
use crate::link::topics::TopicSource;
use crate::link::{Archive, LinkedArticle};
use crate::load::Body;

/// An author credit.
#[derive(Debug, Serialize)]
pub struct AuthorRecord<'a> {
    pub name: &'a str,
    pub bio: Option<&'a str>,
}

/// A person in one article, with every mention (byte offsets into the decoded file text).
#[derive(Debug, Serialize)]
pub struct PersonRecord<'a> {
    pub name: &'a str,
    /// The slug of the person's page; only in `metadata`, after the archive is linked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    pub mentions: Vec<MentionRecord<'a>>,
}

/// One place a person is named: byte offsets into the decoded file text.
#[derive(Debug, Serialize)]
pub struct MentionRecord<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

/// What `gazette extract` prints for a file.
#[derive(Debug, Serialize)]
pub struct ArticleRecord<'a> {
    pub path: String,
    pub title: &'a str,
    pub authors: Vec<AuthorRecord<'a>>,
    pub date: String,
    pub date_source: &'static str,
    pub people: Vec<PersonRecord<'a>>,
    pub body_start: usize,
    pub body_end: usize,
}

/// What `gazette metadata` prints: the extract record plus the article's place in the site.
#[derive(Debug, Serialize)]
pub struct LinkedRecord<'a> {
    #[serde(flatten)]
    pub article: ArticleRecord<'a>,
    pub url: String,
    pub topics: Vec<TopicRecord<'a>>,
    /// URLs of the related articles, most related first.
    pub related: Vec<String>,
}

/// A topic of an article and where it came from.
#[derive(Debug, Serialize)]
pub struct TopicRecord<'a> {
    pub name: &'a str,
    pub id: &'a str,
    pub source: TopicSource,
    pub score: f32,
}

/// The record of an extracted article.
pub fn article_record(article: &Article) -> ArticleRecord<'_> {
    let (body_start, body_end) = body_range(article);
    ArticleRecord {
        path: article.source.path.display().to_string(),
        title: &article.title,
        authors: article
            .authors
            .iter()
            .map(|credit| AuthorRecord {
                name: &credit.name,
                bio: credit.bio.as_deref(),
            })
            .collect(),
        date: article.date.to_rfc3339(),
        date_source: article.date_source.as_str(),
        people: article
            .people
            .iter()
            .map(|person| PersonRecord {
                name: &person.name,
                id: None,
                mentions: person
                    .mentions
                    .iter()
                    .map(|mention| MentionRecord {
                        start: mention.start,
                        end: mention.end,
                        text: &mention.text,
                    })
                    .collect(),
            })
            .collect(),
        body_start,
        body_end,
    }
}

/// The record of a linked article: people under their archive-wide names and ids.
pub fn linked_record<'a>(
    archive: &'a Archive,
    linked: &'a LinkedArticle,
    base_url: &str,
) -> LinkedRecord<'a> {
    let mut record = article_record(&linked.article);
    for person in record.people.iter_mut() {
        if let Some(term) = archive.people.find(person.name) {
            let entry = &archive.people.terms[term];
            person.name = &entry.name;
            person.id = Some(&entry.slug);
        }
    }
    // Linking keeps only the people found with mentions; the others (front matter's) are the
    // article's remaining terms.
    for &term in &linked.people {
        let entry = &archive.people.terms[term];
        if record
            .people
            .iter()
            .all(|person| person.id != Some(&entry.slug))
        {
            record.people.push(PersonRecord {
                name: &entry.name,
                id: Some(&entry.slug),
                mentions: Vec::new(),
            });
        }
    }
    LinkedRecord {
        article: record,
        url: format!("{base_url}{}", linked.path),
        related: linked
            .related
            .iter()
            .map(|&other| format!("{base_url}{}", archive.articles[other].path))
            .collect(),
        topics: linked
            .topic_marks
            .iter()
            .map(|mark| {
                let entry = &archive.topics.terms[mark.topic];
                TopicRecord {
                    name: &entry.name,
                    id: &entry.slug,
                    source: mark.source,
                    score: mark.score,
                }
            })
            .collect(),
    }
}

fn body_range(article: &Article) -> (usize, usize) {
    match &article.body {
        Body::Markdown { start, end, .. } => (*start, *end),
        Body::Plain(paragraphs) => match (paragraphs.first(), paragraphs.last()) {
            (Some(first), Some(last)) => (first.start, last.end),
            _ => (article.source.text.len(), article.source.text.len()),
        },
    }
}
