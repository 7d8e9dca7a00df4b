//! Article bodies to HTML. Markdown goes through pulldown-cmark; links with a script-running
//! scheme are neutralised, and raw HTML in an article is sanitised with ammonia (only when there
//! is some, since most news Markdown has none and sanitising costs a full HTML parse).

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

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
/// position) put around the text they cover, except inside existing links. Raw HTML is
/// sanitised unless the site trusts it.
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
    let mut link_depth = 0usize;
    let mut events: Vec<Event<'_>> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match &event {
            Event::Html(_) | Event::InlineHtml(_) => has_raw_html = true,
            Event::Start(Tag::Link { .. }) => link_depth += 1,
            Event::End(TagEnd::Link) => link_depth = link_depth.saturating_sub(1),
            Event::Text(text) if link_depth == 0 => {
                let (start, end) = (offset + range.start, offset + range.end);
                let inside: Vec<&InlineLink> = links
                    .iter()
                    .filter(|link| link.start >= start && link.end <= end)
                    .collect();
                if !inside.is_empty() {
                    events.extend(split_text_at_links(
                        text,
                        &markdown[range.clone()],
                        &inside,
                        start,
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

/// Splits a text event around the links inside it. The event's text can differ from its source
/// (smart quotes), so each name is found by its source text, searched in order.
fn split_text_at_links<'a>(
    text: &str,
    source: &str,
    links: &[&InlineLink],
    source_start: usize,
) -> Vec<Event<'a>> {
    let mut events = Vec::new();
    let mut rest = text;
    for link in links {
        let Some(name) = source.get(link.start - source_start..link.end - source_start) else {
            continue;
        };
        let Some(found) = rest.find(name) else {
            continue;
        };
        if found > 0 {
            events.push(Event::Text(CowStr::from(rest[..found].to_string())));
        }
        events.push(Event::InlineHtml(CowStr::from(format!(
            "<a class=\"person\" href=\"{}\">{}</a>",
            escape_html(&link.url),
            escape_html(name)
        ))));
        rest = &rest[found + name.len()..];
    }
    if !rest.is_empty() {
        events.push(Event::Text(CowStr::from(rest.to_string())));
    }
    events
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

/// Renders the paragraphs of a plain-text article, escaped, with `links` (sorted by position).
pub fn paragraphs_to_html(paragraphs: &[Paragraph], links: &[InlineLink]) -> String {
    let mut html = String::new();
    for paragraph in paragraphs {
        html.push_str("<p>");
        let mut position = 0;
        for link in links
            .iter()
            .filter(|link| link.start >= paragraph.start && link.end <= paragraph.end())
        {
            let (start, end) = (link.start - paragraph.start, link.end - paragraph.start);
            let (Some(before), Some(name)) = (
                paragraph.text.get(position..start),
                paragraph.text.get(start..end),
            ) else {
                continue;
            };
            html.push_str(&escape_html(before));
            html.push_str(&format!(
                "<a class=\"person\" href=\"{}\">{}</a>",
                escape_html(&link.url),
                escape_html(name)
            ));
            position = end;
        }
        html.push_str(&escape_html(
            paragraph.text.get(position..).unwrap_or_default(),
        ));
        html.push_str("</p>\n");
    }
    html
}

/// Escapes text for HTML element content and quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
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
                url: "/people/kim/".into(),
            },
        ];
        let html = markdown_to_html(markdown, 100, &links, RawHtml::Sanitise);
        assert_eq!(html.matches("class=\"person\"").count(), 2, "{html}");
        assert!(html.contains("<a href=\"https://x.org\">Kim</a>"), "{html}");
    }

    #[test]
    fn plain_text_links_are_escaped_around() {
        let paragraph = Paragraph {
            text: "<b> Kim & co".into(),
            start: 10,
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
    fn plain_text_is_escaped() {
        let paragraph = Paragraph {
            text: "<script>alert(1)</script> & co".into(),
            start: 0,
            line: 1,
        };
        assert_eq!(
            paragraphs_to_html(&[paragraph], &[]),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>\n"
        );
    }
}
