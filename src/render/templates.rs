//! The default theme, embedded in the binary so `gazette` works from any folder, and the site's
//! own `templates/`, which override any default template of the same name.

use std::path::Path;

use anyhow::{Context, Result};
use tera::Tera;

/// The default theme's templates, by name.
const DEFAULT_TEMPLATES: [(&str, &str); 17] = [
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("card.html", include_str!("../../templates/card.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("list.html", include_str!("../../templates/list.html")),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    (
        "term_aside.html",
        include_str!("../../templates/term_aside.html"),
    ),
    ("terms.html", include_str!("../../templates/terms.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    (
        "feed_entry.xml",
        include_str!("../../templates/feed_entry.xml"),
    ),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    (
        "sitemap_index.xml",
        include_str!("../../templates/sitemap_index.xml"),
    ),
    ("robots.txt", include_str!("../../templates/robots.txt")),
];

/// The default theme's stylesheet and icon, each written to the output unless `static/` has its
/// own.
pub const DEFAULT_STATIC_FILES: [(&str, &str); 2] = [
    ("gazette.css", include_str!("../../static/gazette.css")),
    ("favicon.svg", include_str!("../../static/favicon.svg")),
];

/// Loads the default templates, then the site's overrides from `site_dir/templates/`.
pub fn load_templates(site_dir: &Path) -> Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's own escaper also turns `/` into `&#x2F;`, which bloats every URL; ours escapes the
    // five characters that matter in text and quoted attributes.
    tera.set_escape_fn(crate::render::markdown::escape_html);
    tera.register_filter("term_list", term_list);
    tera.add_raw_templates(DEFAULT_TEMPLATES)
        .map_err(|error| anyhow::anyhow!("{}", chain(&error)))
        .context("the default theme does not compile")?;
    let overrides = site_templates(&site_dir.join("templates"))?;
    if !overrides.is_empty() {
        tera.add_raw_templates(
            overrides
                .iter()
                .map(|(name, text)| (name.as_str(), text.as_str())),
        )
        .map_err(|error| anyhow::anyhow!("{}", chain(&error)))
        .with_context(|| format!("in {}", site_dir.join("templates").display()))?;
    }
    Ok(tera)
}

/// `{{ terms | term_list(label="Related") | safe }}`: linked terms with their article counts,
/// as a list. A filter rather than a loop in the theme: each name Tera looks up in a loop costs
/// over a thousand instructions, and the lists are on every home page, every term's sidebar
/// and the term indexes (a third of the time of the lists' pages). `terms` are the template
/// context's links (`name`, `url`, `count`).
fn term_list(
    terms: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    use crate::render::markdown::escape_html;
    let text = |value: Option<&tera::Value>| match value {
        Some(tera::Value::String(text)) => escape_html(text),
        Some(tera::Value::Number(number)) => number.to_string(),
        _ => String::new(),
    };
    let terms = terms
        .as_array()
        .ok_or_else(|| tera::Error::msg("term_list: the terms are not a list"))?;
    let mut html = format!(
        "\n<ul class=\"term-list\" aria-label=\"{}\">\n",
        text(args.get("label"))
    );
    for term in terms {
        html.push_str(&format!(
            "<li><a href=\"{}\">{}</a> <span class=\"count\">{}</span></li>\n",
            text(term.get("url")),
            text(term.get("name")),
            text(term.get("count"))
        ));
    }
    html.push_str("</ul>\n");
    Ok(tera::Value::String(html))
}

/// Every file below `dir`, named by its path relative to it.
fn site_templates(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut templates = Vec::new();
    if !dir.is_dir() {
        return Ok(templates);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(entry.path())
            .with_context(|| format!("cannot read template {}", entry.path().display()))?;
        templates.push((name, text));
    }
    Ok(templates)
}

/// Tera nests the useful part of an error (the line, the unknown variable) in its sources.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_lists_link_each_term_with_its_count_escaped() {
        let terms = serde_json::json!([
            {"name": "Kim Jong-un", "url": "/people/kim-jong-un/", "count": 12},
            {"name": "AT&T <Inc>", "url": "/topics/at-t/?a=1&b=\"2\"", "count": 3},
        ]);
        let args = std::collections::HashMap::from([(
            "label".to_string(),
            serde_json::json!("People \"most\" seen"),
        )]);
        let html = term_list(&terms, &args).unwrap();
        assert_eq!(
            html.as_str().unwrap(),
            "\n<ul class=\"term-list\" aria-label=\"People &quot;most&quot; seen\">\n\
             <li><a href=\"/people/kim-jong-un/\">Kim Jong-un</a> <span class=\"count\">12</span></li>\n\
             <li><a href=\"/topics/at-t/?a=1&amp;b=&quot;2&quot;\">AT&amp;T &lt;Inc&gt;</a> <span class=\"count\">3</span></li>\n\
             </ul>\n"
        );
        assert!(term_list(&serde_json::json!("not a list"), &args).is_err());
    }
}
