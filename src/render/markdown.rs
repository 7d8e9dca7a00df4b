//! Article bodies to HTML. Markdown goes through pulldown-cmark; links with a script-running
//! scheme are neutralised, and raw HTML in an article is sanitised with ammonia (only when there
//! is some, since most news Markdown has none and sanitising costs a full HTML parse).

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

use crate::load::plain_text::Paragraph;

/// Renders a Markdown body.
pub fn markdown_to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_STRIKETHROUGH;
    let mut has_raw_html = false;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(_) | Event::InlineHtml(_) => {
            has_raw_html = true;
            event
        }
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
    if has_raw_html {
        ammonia::clean(&html)
    } else {
        html
    }
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

/// Renders the paragraphs of a plain-text article, escaped.
pub fn paragraphs_to_html(paragraphs: &[Paragraph]) -> String {
    let mut html = String::new();
    for paragraph in paragraphs {
        html.push_str("<p>");
        html.push_str(&escape_html(&paragraph.text));
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
        );
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert!(html.contains("href=\"/ok/\""));
        assert!(html.contains("href=\"https://e.org\""));
    }

    #[test]
    fn raw_html_is_sanitised() {
        let html =
            markdown_to_html("Hi <img src=x onerror=alert(1)>\n\n<script>alert(2)</script>\n");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }

    #[test]
    fn tables_footnotes_and_smart_quotes() {
        let html = markdown_to_html(
            "\"Hi\" said[^1].\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: Note.\n",
        );
        assert!(html.contains("“Hi”"));
        assert!(html.contains("<table>"));
        assert!(html.contains("footnote"));
    }

    #[test]
    fn plain_text_is_escaped() {
        let paragraph = Paragraph {
            text: "<script>alert(1)</script> & co".into(),
            start: 0,
            line: 1,
        };
        assert_eq!(
            paragraphs_to_html(&[paragraph]),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>\n"
        );
    }
}
