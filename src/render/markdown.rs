//! Article bodies to HTML. Markdown goes through pulldown-cmark; links with a script-running
//! scheme are neutralised, and raw HTML in an article is sanitised with ammonia (only when there
//! is some, since most news Markdown has none and sanitising costs a full HTML parse).

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use rustc_hash::FxHashSet;

use crate::config::RawHtml;
use crate::load::plain_text::Paragraph;

/// A link to put around a stretch of the article's text, by byte offsets into the file's text
/// (a person's name, linked to their page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineLink {
    pub start: usize,
    pub end: usize,
    pub url: String,
}

/// Renders a Markdown body that starts at byte `offset` of the file, with `links` (sorted by
/// position) put around the text they cover. Each URL is linked once, at its first mention in
/// linkable text: not inside an existing link, an image's alt text or a code block. Raw HTML
/// is sanitised unless the site trusts it.
pub fn markdown_to_html(
    markdown: &str,
    offset: usize,
    links: &[InlineLink],
    raw_html: RawHtml,
) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_STRIKETHROUGH;
    let mut has_raw_html = false;
    let mut unlinkable_depth = 0usize;
    let mut linked = HashSet::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match &event {
            Event::Html(_) | Event::InlineHtml(_) => has_raw_html = true,
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => {
                unlinkable_depth += 1
            }
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                unlinkable_depth = unlinkable_depth.saturating_sub(1)
            }
            Event::Text(text) if unlinkable_depth == 0 => {
                let (start, end) = (offset + range.start, offset + range.end);
                let inside: Vec<&InlineLink> = links
                    .iter()
                    .filter(|link| link.start >= start && link.end <= end)
                    .filter(|link| !linked.contains(link.url.as_str()))
                    .collect();
                if !inside.is_empty() {
                    events.extend(split_text_at_links(
                        text,
                        &markdown[range.clone()],
                        &inside,
                        start,
                        &mut linked,
                    ));
                    continue;
                }
            }
            _ => {}
        }
        events.push(event);
    }
    let events = events.into_iter().map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    if has_raw_html && raw_html == RawHtml::Sanitise {
        sanitiser().clean(&html).to_string()
    } else {
        html
    }
}

/// Splits a text event around the links inside it, recording each URL linked. When the event's
/// text is its source, offsets place each name exactly; when it differs (smart quotes), a name is
/// found by its source text as a whole word, searched in order.
fn split_text_at_links<'a>(
    text: &str,
    source: &str,
    links: &[&InlineLink],
    source_start: usize,
    linked: &mut HashSet<String>,
) -> Vec<Event<'a>> {
    let exact = text == source;
    let mut events = Vec::new();
    let mut position = 0;
    for link in links {
        let Some(name) = source.get(link.start - source_start..link.end - source_start) else {
            continue;
        };
        let found = if exact {
            Some(link.start - source_start).filter(|&start| start >= position)
        } else {
            find_word(text, position, name)
        };
        let Some(found) = found else {
            continue;
        };
        if linked.contains(&link.url) {
            continue;
        }
        if found > position {
            events.push(Event::Text(CowStr::from(text[position..found].to_string())));
        }
        events.push(Event::InlineHtml(CowStr::from(person_link(
            &link.url, name,
        ))));
        linked.insert(link.url.clone());
        position = found + name.len();
    }
    if position < text.len() {
        events.push(Event::Text(CowStr::from(text[position..].to_string())));
    }
    events
}

/// The first place at or after `from` where `word` stands in `text` with no letter or digit
/// touching it, so "May" is not found inside "Mayor".
fn find_word(text: &str, from: usize, word: &str) -> Option<usize> {
    let rest = text.get(from..)?;
    rest.match_indices(word)
        .map(|(index, _)| from + index)
        .find(|&start| {
            let before = text[..start].chars().next_back();
            let after = text[start + word.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
}

fn person_link(url: &str, name: &str) -> String {
    let mut html = String::with_capacity(url.len() + name.len() + 32);
    push_person_link(&mut html, url, name);
    html
}

/// `person_link`, written onto the end of `html`.
fn push_person_link(html: &mut String, url: &str, name: &str) {
    html.push_str("<a class=\"person\" href=\"");
    push_escaped(html, url, true);
    html.push_str("\">");
    push_escaped(html, name, true);
    html.push_str("</a>");
}

/// ammonia's defaults, plus the `class` of the person links gazette adds itself.
fn sanitiser() -> &'static ammonia::Builder<'static> {
    static SANITISER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    SANITISER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder.add_tag_attributes("a", ["class"]);
        builder
    })
}

/// Keeps web, mail and relative links; anything that could run script becomes `#`.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    if is_safe_url(&url) {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

/// True for URLs a reader can follow without running anything: http(s), mailto, tel and
/// relative references.
pub fn is_safe_url(url: &str) -> bool {
    let compact: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match compact.find(':') {
        None => true,
        Some(colon) => {
            let scheme = &compact[..colon];
            // A colon after the first slash, `?` or `#` belongs to the path, not a scheme.
            scheme.contains(['/', '?', '#'])
                || matches!(scheme, "http" | "https" | "mailto" | "tel")
        }
    }
}

/// Renders the paragraphs of a plain-text article, escaped, with `links` (sorted by position),
/// each URL linked once, at its first mention.
pub fn paragraphs_to_html(paragraphs: &[Paragraph], links: &[InlineLink]) -> String {
    // Written in place, escapes and links included, into room for the text and its tags.
    let length: usize = paragraphs
        .iter()
        .map(|paragraph| paragraph.text.len() + 8)
        .sum();
    let mut html = String::with_capacity(length + 64 * links.len());
    let mut linked = FxHashSet::default();
    for paragraph in paragraphs {
        html.push_str("<p>");
        let mut position = 0;
        for link in links
            .iter()
            .filter(|link| link.start >= paragraph.start && link.end <= paragraph.end)
        {
            let (start, end) = (link.start - paragraph.start, link.end - paragraph.start);
            let (Some(before), Some(name)) = (
                paragraph.text.get(position..start),
                paragraph.text.get(start..end),
            ) else {
                continue;
            };
            if !linked.insert(link.url.as_str()) {
                continue;
            }
            push_escaped(&mut html, before, true);
            push_person_link(&mut html, &link.url, name);
            position = end;
        }
        push_escaped(
            &mut html,
            paragraph.text.get(position..).unwrap_or_default(),
            true,
        );
        html.push_str("</p>\n");
    }
    html
}

/// Escapes text for HTML element content and quoted attributes.
pub fn escape_html(text: &str) -> String {
    escape(text, true)
}

/// Escapes text for HTML element content only, leaving quotes and apostrophes as they are
/// (a search index splits words on them, not on `&#39;`).
pub fn escape_text(text: &str) -> String {
    escape(text, false)
}

/// Templates' escaper: every value a template prints comes through here, so it writes the runs
/// between the characters to escape whole (Tera's own writes byte by byte; same five entities).
pub fn escape_into(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_pieces(text, true, |piece| out.write_all(piece.as_bytes()))
}

fn escape(text: &str, quotes: bool) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    push_escaped(&mut out, text, quotes);
    out
}

/// `escape`, written onto the end of `out`.
fn push_escaped(out: &mut String, text: &str, quotes: bool) {
    let written: Result<(), std::convert::Infallible> = escape_pieces(text, quotes, |piece| {
        out.push_str(piece);
        Ok(())
    });
    written.unwrap_or_else(|never| match never {});
}

/// Hands `emit` the text in pieces: the runs between the characters to escape, copied whole as
/// most values have none, and the entities that replace those characters.
fn escape_pieces<E>(
    text: &str,
    quotes: bool,
    mut emit: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let mut copied = 0;
    for (index, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if quotes => "&quot;",
            b'\'' if quotes => "&#39;",
            _ => continue,
        };
        // The five are ASCII, so `index` is a character boundary.
        emit(&text[copied..index])?;
        emit(entity)?;
        copied = index + 1;
    }
    emit(&text[copied..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_links_are_neutralised() {
        let html = markdown_to_html(
            "[a](javascript:alert(1)) [b](JaVa\tScRiPt:x) [c](/ok/) [d](https://e.org)",
            0,
            &[],
            RawHtml::Sanitise,
        );
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert!(html.contains("href=\"/ok/\""));
        assert!(html.contains("href=\"https://e.org\""));
    }

    #[test]
    fn raw_html_is_sanitised() {
        let html = markdown_to_html(
            "Hi <img src=x onerror=alert(1)>\n\n<script>alert(2)</script>\n",
            0,
            &[],
            RawHtml::Sanitise,
        );
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }

    #[test]
    fn trusted_raw_html_is_kept() {
        let html = markdown_to_html(
            "<iframe src=\"https://e.org/v\"></iframe>\n",
            0,
            &[],
            RawHtml::Keep,
        );
        assert!(html.contains("<iframe"), "{html}");
    }

    #[test]
    fn tables_footnotes_and_smart_quotes() {
        let html = markdown_to_html(
            "\"Hi\" said[^1].\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: Note.\n",
            0,
            &[],
            RawHtml::Sanitise,
        );
        assert!(html.contains("“Hi”"));
        assert!(html.contains("<table>"));
        assert!(html.contains("footnote"));
    }

    #[test]
    fn names_link_to_their_pages_but_not_inside_links() {
        let markdown = "Mr “Kim” met [Kim](https://x.org) and Kim.";
        let start = markdown.rfind("Kim").unwrap();
        let links = [
            InlineLink {
                start: 100 + 6,
                end: 100 + 9,
                url: "/people/kim/".into(),
            },
            InlineLink {
                start: 100 + start,
                end: 100 + start + 3,
                url: "/people/kim-2/".into(),
            },
        ];
        let html = markdown_to_html(markdown, 100, &links, RawHtml::Sanitise);
        assert_eq!(html.matches("class=\"person\"").count(), 2, "{html}");
        assert!(html.contains("<a href=\"https://x.org\">Kim</a>"), "{html}");
    }

    /// Links for every mention of one person, in order.
    fn mentions_of(markdown: &str, name: &str, url: &str) -> Vec<InlineLink> {
        markdown
            .match_indices(name)
            .map(|(start, _)| InlineLink {
                start,
                end: start + name.len(),
                url: url.into(),
            })
            .collect()
    }

    #[test]
    fn a_person_is_linked_once_at_the_first_mention_outside_images_and_code() {
        let markdown =
            "![Kim at the summit](kim.jpg)\n\n    Kim in code\n\nThen Kim spoke. Kim left.\n";
        let links = mentions_of(markdown, "Kim", "/people/kim/");
        let html = markdown_to_html(markdown, 0, &links, RawHtml::Sanitise);
        assert!(html.contains("alt=\"Kim at the summit\""), "{html}");
        assert!(html.contains("<code>Kim in code"), "{html}");
        assert!(
            html.contains(
                "Then <a class=\"person\" href=\"/people/kim/\">Kim</a> spoke. Kim left."
            ),
            "{html}"
        );
    }

    #[test]
    fn the_linked_word_is_the_mention_not_an_earlier_lookalike() {
        // Smart quotes make the event text differ from its source, so the name is searched.
        let markdown = "In May, \"Mrs May\" met Mayor Kim.";
        let start = markdown.rfind("May\"").unwrap();
        let links = [InlineLink {
            start,
            end: start + 3,
            url: "/people/theresa-may/".into(),
        }];
        let html = markdown_to_html(markdown, 0, &links, RawHtml::Sanitise);
        assert!(html.starts_with("<p>In May, “Mrs <a"), "{html}");
        let plain = "In May, Mrs May met Mayor Kim.";
        let links = [InlineLink {
            start: 12,
            end: 15,
            url: "/people/theresa-may/".into(),
        }];
        let html = markdown_to_html(plain, 0, &links, RawHtml::Sanitise);
        assert!(html.starts_with("<p>In May, Mrs <a"), "{html}");
    }

    #[test]
    fn plain_text_links_are_escaped_around() {
        let paragraph = Paragraph {
            text: "<b> Kim & co".into(),
            start: 10,
            end: 22,
            line: 1,
        };
        let links = [InlineLink {
            start: 14,
            end: 17,
            url: "/people/kim/".into(),
        }];
        assert_eq!(
            paragraphs_to_html(&[paragraph], &links),
            "<p>&lt;b&gt; <a class=\"person\" href=\"/people/kim/\">Kim</a> &amp; co</p>\n"
        );
    }

    #[test]
    fn escaping_replaces_the_five_and_keeps_other_characters_whole() {
        let text = "Ünïcødé <b>Kim & \"Trump\"</b> 'met' — €5 ➜ 会谈<";
        assert_eq!(
            escape_html(text),
            "Ünïcødé &lt;b&gt;Kim &amp; &quot;Trump&quot;&lt;/b&gt; &#39;met&#39; — €5 ➜ 会谈&lt;"
        );
        assert_eq!(
            escape_text(text),
            "Ünïcødé &lt;b&gt;Kim &amp; \"Trump\"&lt;/b&gt; 'met' — €5 ➜ 会谈&lt;"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("&"), "&amp;");
    }

    #[test]
    fn plain_text_is_escaped() {
        let paragraph = Paragraph {
            text: "<script>alert(1)</script> & co".into(),
            start: 0,
            end: 30,
            line: 1,
        };
        assert_eq!(
            paragraphs_to_html(&[paragraph], &[]),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>\n"
        );
    }
}
