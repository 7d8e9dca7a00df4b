//! Extract: turn a loaded file into an `Article` with every field a page needs. Front matter
//! always wins; what it leaves out is read from the text, then the path, then the file system,
//! and the source of each date is recorded so `gazette check` can flag weak ones.

pub mod curated;
pub mod date;
pub mod frame;
pub mod people;
pub mod tokens;

use chrono::{DateTime, Datelike, FixedOffset};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostics;
use crate::load::plain_text::Paragraph;
use crate::load::{Body, Format, LoadedArticle, SourceFile};
use crate::slug::slugify;
use curated::CuratedPeople;
use date::{parse_date, ArticleDate, DateSource};
use frame::{read_frame, Block, Frame};
use people::PersonFound;

/// An author credit on one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credit {
    pub name: String,
    /// A short biography found with the article (a signature paragraph), if any.
    pub bio: Option<String>,
}

/// An article with all of its metadata, ready to be linked into the archive. Serialisable for
/// the extraction cache.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Article {
    pub source: SourceFile,
    pub format: Format,
    pub title: String,
    pub date: DateTime<FixedOffset>,
    pub has_time: bool,
    pub date_source: DateSource,
    pub updated: Option<DateTime<FixedOffset>>,
    pub authors: Vec<Credit>,
    pub topics: Vec<String>,
    /// People named in the article: from front matter, else found in the text.
    pub people: Vec<PersonFound>,
    pub summary: String,
    /// The slug the article asks for; `link` makes it unique, and empties this once the
    /// article has its path.
    pub slug: String,
    pub draft: bool,
    /// What few articles give; none when the front matter gives none of it.
    pub extras: Option<Box<Extras>>,
    pub body: Body,
}

/// Front matter that few articles carry, kept out of line: every article is held to the end
/// of the build, and these three fields made each 64 bytes larger (a million articles' 376
/// bytes each took mimalloc's 384-byte blocks; now 320).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extras {
    pub image: Option<String>,
    pub source_url: Option<String>,
    /// The front matter's fields gazette does not know, for templates.
    #[serde(with = "crate::cache::as_json_text")]
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

impl Extras {
    /// `None` when there is nothing to keep.
    fn boxed(self) -> Option<Box<Extras>> {
        (self != Extras::default()).then(|| Box::new(self))
    }
}

/// Compiles the frame patterns and reads the people model, which the first article read would
/// otherwise do while the other cores wait for them: call it beside other work before reading.
pub fn prepare() {
    frame::prepare();
    people::model();
}

/// Longest generated summary, in characters.
const SUMMARY_LENGTH: usize = 240;

/// Builds the article's metadata; `None` (with an error reported) when front matter is wrong.
pub fn extract_article(
    loaded: LoadedArticle,
    curated: &CuratedPeople,
    diagnostics: &Diagnostics,
) -> Option<Article> {
    let LoadedArticle {
        file,
        format,
        front,
        text_title,
        body,
    } = loaded;
    let blocks = body_blocks(&file.text, &body);
    let path_year = date::date_from_path(&file.relative).map(|date| date.instant.year());
    let frame = read_frame(&file.text, &blocks, path_year);
    let body = trim_body(body, &blocks, &frame);

    let (date, date_source) = article_date(&file, front.date.as_ref(), &frame, diagnostics).ok()?;
    let updated = match &front.updated {
        Some(updated) => match parse_date(&updated.value) {
            Some(parsed) => Some(parsed.instant),
            None => {
                diagnostics.error(
                    &file.path,
                    Some(updated.line),
                    bad_date_message("updated", &updated.value),
                );
                return None;
            }
        },
        None => frame.updated.map(|updated| updated.instant),
    };
    let title = front
        .title
        .clone()
        .filter(|title| !title.is_empty())
        .or_else(|| text_title.as_ref().map(|title| title.text.clone()))
        .unwrap_or_else(|| file_stem(&file.relative).to_string());
    let summary = front
        .summary
        .clone()
        .unwrap_or_else(|| summarise(&file.text, &body));
    let slug = match &front.slug {
        Some(slug) => slugify(&slug.value, "article"),
        None => default_slug(&file.relative, &title),
    };
    let authors = if front.authors.is_empty() {
        frame.authors
    } else {
        with_bios(credits(&front.authors), &frame.authors)
    };
    let people = match &front.people {
        Some(names) => clean_names(names)
            .into_iter()
            .map(|name| PersonFound {
                name,
                mentions: Vec::new(),
            })
            .collect(),
        None => {
            let mut segments: Vec<(usize, usize)> = text_title
                .iter()
                .map(|title| (title.start, title.end))
                .collect();
            segments.extend(
                frame
                    .body
                    .iter()
                    .map(|&index| (blocks[index].start, blocks[index].end)),
            );
            people::find_people(&file.text, &segments, curated)
        }
    };
    Some(Article {
        title: collapse_whitespace(&title),
        date: date.instant,
        has_time: date.has_time,
        date_source,
        updated,
        authors,
        topics: clean_names(&front.topics),
        people,
        summary,
        slug,
        draft: front.draft,
        extras: Extras {
            image: front.image,
            source_url: front.source_url,
            extra: front.extra,
        }
        .boxed(),
        format,
        body,
        source: file,
    })
}

/// The body's paragraphs as blocks: plain-text paragraphs, or Markdown's blank-line blocks.
fn body_blocks(text: &str, body: &Body) -> Vec<Block> {
    match body {
        Body::Plain(paragraphs) => paragraphs
            .iter()
            .map(|paragraph| Block {
                start: paragraph.start,
                end: paragraph.end,
            })
            .collect(),
        Body::Markdown { start, end, .. } => {
            let mut blocks = Vec::new();
            let mut offset = *start;
            for piece in text[*start..*end].split_inclusive('\n') {
                let trimmed = piece.trim();
                if !trimmed.is_empty() {
                    let leading = piece.len() - piece.trim_start().len();
                    let block_start = offset + leading;
                    match blocks.last_mut() {
                        Some(Block { end, .. })
                            if text[*end..block_start].matches('\n').count() < 2 =>
                        {
                            *end = block_start + trimmed.len();
                        }
                        _ => blocks.push(Block {
                            start: block_start,
                            end: block_start + trimmed.len(),
                        }),
                    }
                }
                offset += piece.len();
            }
            blocks
        }
    }
}

/// Drops the frame's blocks from the body. Markdown is only trimmed at its ends, since cutting
/// blocks out of its middle could break the structure around them.
fn trim_body(body: Body, blocks: &[Block], frame: &Frame) -> Body {
    match body {
        Body::Plain(paragraphs) => {
            // The body's paragraphs are moved out, not copied: the frame lists each once.
            let mut paragraphs: Vec<Option<Paragraph>> = paragraphs.into_iter().map(Some).collect();
            Body::Plain(
                frame
                    .body
                    .iter()
                    .filter_map(|&index| paragraphs.get_mut(index)?.take())
                    .collect(),
            )
        }
        Body::Markdown { start, end, line } => match (frame.body.first(), frame.body.last()) {
            (Some(&first), Some(&last)) => Body::Markdown {
                start: blocks[first].start,
                end: blocks[last].end,
                line,
            },
            _ => Body::Markdown { start, end, line },
        },
    }
}

/// Front matter names authors; a signature may still carry their bio.
fn with_bios(mut authors: Vec<Credit>, found: &[Credit]) -> Vec<Credit> {
    for author in &mut authors {
        if let Some(credit) = found.iter().find(|credit| credit.name == author.name) {
            author.bio.clone_from(&credit.bio);
        }
    }
    authors
}

/// Front matter, else the text (a date line or dateline), else the path, else an "Updated" line
/// of the text, else the file's modification time (with a warning).
fn article_date(
    file: &SourceFile,
    front_date: Option<&crate::load::front_matter::Located<String>>,
    frame: &Frame,
    diagnostics: &Diagnostics,
) -> Result<(ArticleDate, DateSource), ()> {
    if let Some(front_date) = front_date {
        return match parse_date(&front_date.value) {
            Some(date) => Ok((date, DateSource::FrontMatter)),
            None => {
                diagnostics.error(
                    &file.path,
                    Some(front_date.line),
                    bad_date_message("date", &front_date.value),
                );
                Err(())
            }
        };
    }
    if let Some(found) = frame.date {
        return Ok(found);
    }
    if let Some(date) = date::date_from_path(&file.relative) {
        return Ok((date, DateSource::Path));
    }
    if let Some(updated) = frame.updated {
        return Ok((updated, DateSource::Text));
    }
    diagnostics.warning(
        &file.path,
        "dated by file modification time (no date in front matter, text or path)",
        "no date found; using the file's modification time",
    );
    let modified = file.modified.unwrap_or_default();
    Ok((
        ArticleDate {
            instant: modified.fixed_offset(),
            has_time: true,
        },
        DateSource::Mtime,
    ))
}

fn bad_date_message(key: &str, value: &str) -> String {
    format!(
        "`{key}: {value}` is not a date gazette can read; write 2019-03-03, 2019-03-03T14:30:00Z or 2019-03-03T14:30:00+01:00"
    )
}

/// The file name without its ending or a leading `2019-03-03-` date.
fn file_stem(relative: &str) -> &str {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    match stem.get(..11) {
        // `ends_with` first: it makes byte 10 a character boundary, so slicing there is safe
        // for names like `la-elección`.
        Some(prefix) if prefix.ends_with('-') && date::date_from_path(&prefix[..10]).is_some() => {
            &stem[11..]
        }
        _ => stem,
    }
}

/// A meaningful file name is a stable slug (editing a title does not move the page); names like
/// `001.txt` or `index.md` are not, so those articles take their slug from the title.
fn default_slug(relative: &str, title: &str) -> String {
    let stem = file_stem(relative);
    let letters = stem.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 3 && !matches!(stem, "index" | "article" | "story") {
        slugify(stem, "article")
    } else {
        slugify(title, "article")
    }
}

fn credits(names: &[String]) -> Vec<Credit> {
    clean_names(names)
        .into_iter()
        .map(|name| Credit { name, bio: None })
        .collect()
}

/// Trims, collapses spaces and drops empty and repeated names, keeping the first spelling.
fn clean_names(names: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names
        .iter()
        .map(|name| collapse_whitespace(name))
        .filter(|name| !name.is_empty() && seen.insert(slugify(name, "")))
        .collect()
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first paragraph, cut at a word boundary.
fn summarise(text: &str, body: &Body) -> String {
    let first = match body {
        Body::Plain(paragraphs) => paragraphs
            .iter()
            .find(|paragraph| paragraph.text.split_whitespace().count() >= 8)
            .or(paragraphs.first())
            .map(|paragraph| paragraph.text.clone())
            .unwrap_or_default(),
        Body::Markdown { start, end, .. } => first_markdown_paragraph(&text[*start..*end]),
    };
    truncate_words(&collapse_whitespace(&first), SUMMARY_LENGTH)
}

fn first_markdown_paragraph(markdown: &str) -> String {
    let mut inside = false;
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Paragraph) => inside = true,
            Event::End(TagEnd::Paragraph) if !text.trim().is_empty() => break,
            Event::End(TagEnd::Paragraph) => inside = false,
            Event::Text(piece) | Event::Code(piece) if inside => text.push_str(&piece),
            Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
            _ => {}
        }
    }
    text
}

fn truncate_words(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let cut: String = text.chars().take(limit).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_meaningful_file_names_else_titles() {
        assert_eq!(default_slug("2019/01/kim-summit.md", "T"), "kim-summit");
        assert_eq!(default_slug("2019-01-05-kim-summit.md", "T"), "kim-summit");
        assert_eq!(
            default_slug("business/001.txt", "Ad sales boost Time Warner profit"),
            "ad-sales-boost-time-warner-profit"
        );
    }

    #[test]
    fn file_names_with_accents_near_the_date_prefix_are_slugs_too() {
        assert_eq!(default_slug("la-elección.md", "T"), "la-eleccion");
        assert_eq!(default_slug("2019-01-05-élan.md", "T"), "elan");
    }

    #[test]
    fn summaries_are_cut_at_a_word() {
        let long = "word ".repeat(100);
        let summary = truncate_words(long.trim(), 20);
        assert_eq!(summary, "word word word word…");
    }

    #[test]
    fn markdown_summary_is_the_first_paragraph_text() {
        assert_eq!(
            first_markdown_paragraph("## Heading\n\nThe *first* paragraph\nwraps.\n\nSecond."),
            "The first paragraph wraps."
        );
    }
}
