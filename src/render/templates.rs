//! The default theme, embedded in the binary so `gazette` works from any folder, and the site's
//! own `templates/`, which override any default template of the same name.

use std::path::Path;

use anyhow::{Context, Result};
use tera::{Kwargs, State, Tera, Value};

/// The default theme's templates, by name.
const DEFAULT_TEMPLATES: [(&str, &str); 17] = [
    ("base.html", include_str!("../../templates/base.html")),
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
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
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    // Ours escapes the same five characters as Tera's, but copies the runs between them whole.
    tera.set_escape_fn(crate::render::markdown::escape_into);
    tera.register_filter("json_encode", json_encode);
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
        .with_context(|| {
            format!(
                "in {} (templates are Tera 2, where macros are components)",
                site_dir.join("templates").display()
            )
        })?;
    }
    Ok(tera)
}

/// `json_encode`, as Tera 1 and Zola have it: a value as JSON, for the search page's script.
fn json_encode(value: Value, _: Kwargs, _: &State) -> tera::TeraResult<String> {
    serde_json::to_string(&value).map_err(|error| tera::Error::message(error.to_string()))
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
