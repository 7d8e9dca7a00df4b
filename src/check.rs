//! `gazette check`: what would be wrong with the site if it were deployed now. Broken internal
//! links and anchors, feed and sitemap entries that point nowhere (errors, which fail the check
//! so it can gate a deploy), and what deserves a look: renamed duplicate slugs, articles dated
//! only by their file's modification time, and people or topics with a single article that look
//! like extraction noise (warnings).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result};
use rayon::prelude::*;
use regex::Regex;

use crate::diagnostics::{Problem, Severity};
use crate::link::Archive;

/// One thing `check` found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub severity: Severity,
    /// The output file or source file it concerns.
    pub place: String,
    pub message: String,
}

fn attribute_links() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| Regex::new(r#"(?:href|src)="([^"]*)""#).expect("valid pattern"))
}

fn xml_links() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r#"<loc>([^<]*)</loc>|<link[^>]*href="([^"]*)""#).expect("valid pattern")
    })
}

fn ids() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| Regex::new(r#"\sid="([^"]*)""#).expect("valid pattern"))
}

/// Checks every internal link, anchor, feed entry and sitemap entry of a built site.
pub fn check_output(root: &Path, base_url: &str, base_path: &str) -> Result<Vec<Finding>> {
    let files = output_files(root)?;
    let present: BTreeSet<String> = files.iter().cloned().collect();
    let anchors: HashMap<String, BTreeSet<String>> = files
        .par_iter()
        .filter(|file| file.ends_with(".html"))
        .filter_map(|file| {
            let html = std::fs::read_to_string(root.join(file)).ok()?;
            Some((
                file.clone(),
                ids()
                    .captures_iter(&html)
                    .map(|capture| capture[1].to_string())
                    .collect(),
            ))
        })
        .collect();
    let findings: Vec<Vec<Finding>> = files
        .par_iter()
        .filter(|file| file.ends_with(".html") || file.ends_with(".xml"))
        .map(|file| {
            let Ok(text) = std::fs::read_to_string(root.join(file)) else {
                return vec![error(file, "cannot be read as UTF-8 text".to_string())];
            };
            let links: Vec<String> = if file.ends_with(".html") {
                attribute_links()
                    .captures_iter(&text)
                    .map(|capture| decode_entities(&capture[1]))
                    .collect()
            } else {
                xml_links()
                    .captures_iter(&text)
                    .filter_map(|capture| {
                        capture
                            .get(1)
                            .or(capture.get(2))
                            .map(|found| decode_entities(found.as_str()))
                    })
                    .collect()
            };
            links
                .iter()
                .filter_map(|link| {
                    broken(link, file, base_url, base_path, &present, &anchors)
                        .map(|why| error(file, why))
                })
                .collect()
        })
        .collect();
    let mut findings: Vec<Finding> = findings.into_iter().flatten().collect();
    findings.sort();
    findings.dedup();
    Ok(findings)
}

fn error(place: &str, message: String) -> Finding {
    Finding {
        severity: Severity::Error,
        place: place.to_string(),
        message,
    }
}

/// Why an internal link is broken, or `None` when it resolves (or is external).
fn broken(
    link: &str,
    from: &str,
    base_url: &str,
    base_path: &str,
    present: &BTreeSet<String>,
    anchors: &HashMap<String, BTreeSet<String>>,
) -> Option<String> {
    let (target, fragment) = link
        .split_once('#')
        .map_or((link, None), |(target, fragment)| (target, Some(fragment)));
    let path = if let Some(rest) = target.strip_prefix(base_url) {
        rest.to_string()
    } else if target.contains("://")
        || target.starts_with("mailto:")
        || target.starts_with("tel:")
        || target.starts_with("//")
    {
        return None;
    } else if target.is_empty() {
        from.to_string()
    } else if let Some(rest) = target.strip_prefix(base_path) {
        rest.to_string()
    } else if target.starts_with('/') {
        return Some(format!(
            "links to {link}, outside the site's base path {base_path}"
        ));
    } else {
        let folder = from.rsplit_once('/').map_or("", |(folder, _)| folder);
        match normalise(&format!("{folder}/{target}")) {
            Some(path) => path,
            None => {
                return Some(format!(
                    "links to {link}, which climbs above the site's root"
                ))
            }
        }
    };
    let path = path.split('?').next().unwrap_or_default();
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    let file = percent_encoding::percent_decode_str(&file)
        .decode_utf8_lossy()
        .into_owned();
    if !present.contains(&file) {
        return Some(format!("links to {link}, which does not exist"));
    }
    match fragment {
        Some(fragment) if !fragment.is_empty() && file.ends_with(".html") => {
            let known = anchors.get(&file).is_some_and(|ids| ids.contains(fragment));
            (!known).then(|| {
                format!("links to {link}, but {file} has no element with id \"{fragment}\"")
            })
        }
        _ => None,
    }
}

/// Resolves `.` and `..` in a relative path; `None` if it climbs above the site.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let trailing = if path.ends_with('/') { "/" } else { "" };
    Some(format!("{}{trailing}", parts.join("/")))
}

fn decode_entities(text: &str) -> String {
    text.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Every file below `root`, as `/`-separated relative paths.
fn output_files(root: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot list {}", root.display()))?;
        if entry.file_type().is_file() {
            let relative: PathBuf = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .to_path_buf();
            files.push(
                relative
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
    Ok(files)
}

/// What the build itself noticed that `check` reports: renamed duplicate slugs and weak dates.
pub fn build_findings(problems: &[Problem]) -> Vec<Finding> {
    problems
        .iter()
        .filter(|problem| {
            problem.kind.starts_with("duplicate slugs")
                || problem.kind.starts_with("dated by file modification time")
        })
        .map(|problem| Finding {
            severity: Severity::Warning,
            place: problem.path.display().to_string(),
            message: problem.message.clone(),
        })
        .collect()
}

/// People found with one article and one mention, named by a single word, and suggested
/// topics with a single article: likely extraction noise. People that front matter gives are
/// no one's noise (and linking keeps no mentions of them to look at).
pub fn noise_findings(archive: &Archive) -> Vec<Finding> {
    let mut findings = Vec::new();
    for term in archive
        .people
        .terms
        .iter()
        .filter(|term| term.articles.len() == 1)
    {
        let article = &archive.articles[term.articles[0]].article;
        let single_mention = article
            .people
            .iter()
            .find(|person| person.name == term.name)
            .is_some_and(|person| person.mentions.len() <= 1);
        if single_mention && !term.name.contains(char::is_whitespace) {
            findings.push(warning(
                &article.source.path,
                format!("person \"{}\" is named once in this article only; if it is not a person, list it under not_people in data/people.yaml", term.name),
            ));
        }
    }
    for (id, term) in archive
        .topics
        .terms
        .iter()
        .enumerate()
        .filter(|(_, term)| term.articles.len() == 1)
    {
        let linked = &archive.articles[term.articles[0]];
        let suggested = linked
            .topic_marks
            .iter()
            .any(|mark| mark.topic == id && !mark.source.is_chosen());
        if suggested {
            findings.push(warning(
                &linked.article.source.path,
                format!("topic \"{}\" was suggested for this article only; check topics.rules in site.yaml", term.name),
            ));
        }
    }
    findings
}

fn warning(path: &Path, message: String) -> Finding {
    Finding {
        severity: Severity::Warning,
        place: path.display().to_string(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_against_files_and_anchors() {
        let present: BTreeSet<String> = ["index.html", "a/index.html", "style.css"]
            .into_iter()
            .map(String::from)
            .collect();
        let anchors: HashMap<String, BTreeSet<String>> =
            [("a/index.html".to_string(), ["top".to_string()].into())].into();
        let check = |link: &str| {
            broken(
                link,
                "index.html",
                "https://e.org/x/",
                "/x/",
                &present,
                &anchors,
            )
        };
        assert_eq!(check("/x/a/"), None);
        assert_eq!(check("/x/a/#top"), None);
        assert!(check("/x/a/#nope").unwrap().contains("no element with id"));
        assert!(check("/x/b/").unwrap().contains("does not exist"));
        assert_eq!(check("https://e.org/x/style.css"), None);
        assert_eq!(check("https://elsewhere.org/"), None);
        assert_eq!(check("a/"), None);
        assert!(check("/elsewhere/").unwrap().contains("outside"));
        assert!(check("../a/").unwrap().contains("climbs above"));
    }

    #[test]
    fn relative_paths_cannot_climb_out() {
        assert_eq!(normalise("a/b/../c/").as_deref(), Some("a/c/"));
        assert_eq!(normalise("../x"), None);
    }
}
