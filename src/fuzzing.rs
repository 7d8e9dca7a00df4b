//! Entry points for the fuzz targets in `fuzz/` (libFuzzer, `cargo fuzz`), kept in the library
//! so that `tests/fuzz_corpus.rs` replays the saved corpus through the very same code on every
//! `cargo test`. Each takes arbitrary bytes and must return without panicking.

use std::path::Path;

use crate::config::RawHtml;
use crate::diagnostics::Diagnostics;
use crate::extract::curated::CuratedPeople;
use crate::extract::extract_article;
use crate::extract::people::find_people;
use crate::load::{front_matter, load_article_bytes, plain_text, Body};
use crate::render::markdown::{markdown_to_html, paragraphs_to_html, InlineLink};
use crate::slug::slugify;

/// Splits front matter from the body and reads its keys.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(split) = front_matter::split(text) {
        if let Some(yaml) = split.yaml {
            let _ = front_matter::parse(yaml, 2);
        }
    }
}

/// A whole article file through loading, extraction (title, byline, signature, date, people)
/// and rendering of its body with the person links; `markdown` picks the reader.
pub fn article(data: &[u8], markdown: bool) {
    let path = Path::new(if markdown {
        "2019/03/fuzz.md"
    } else {
        "2019/03/fuzz.txt"
    });
    let diagnostics = Diagnostics::default();
    let Some(loaded) = load_article_bytes(path, data, &diagnostics) else {
        return;
    };
    let Some(article) = extract_article(loaded, &CuratedPeople::default(), &diagnostics) else {
        return;
    };
    let mut links: Vec<InlineLink> = article
        .people
        .iter()
        .flat_map(|person| &person.mentions)
        .map(|mention| InlineLink {
            start: mention.start,
            end: mention.end,
            url: "/people/x/".into(),
        })
        .collect();
    links.sort_by_key(|link| link.start);
    let _ = slugify(&article.title, "article");
    match &article.body {
        Body::Markdown { start, end, .. } => {
            let _ = markdown_to_html(
                &article.source.text[*start..*end],
                *start,
                &links,
                RawHtml::Sanitise,
            );
        }
        Body::Plain(paragraphs) => {
            let _ = paragraphs_to_html(paragraphs, &links);
        }
    }
}

/// People extraction over every paragraph of a text.
pub fn people(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(document) = plain_text::read(text) else {
        return;
    };
    let segments: Vec<(usize, usize)> = document
        .paragraphs
        .iter()
        .map(|paragraph| (paragraph.start, paragraph.end))
        .collect();
    let _ = find_people(text, &segments, &CuratedPeople::default());
}

/// Slugs of any text, which must be URL-safe and never empty.
pub fn slug(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let slug = slugify(&text, "fallback");
    assert!(!slug.is_empty());
    assert!(slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
}
