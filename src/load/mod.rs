//! Load: find the article files under `content/`, decode them, and split each into front matter,
//! title and body. Nothing here interprets the text; that is `extract`'s job.

pub mod decode;
pub mod front_matter;
pub mod plain_text;

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::diagnostics::Diagnostics;
use decode::DecodeError;
use front_matter::FrontMatter;
use plain_text::{Paragraph, PlainDocument};

/// An article file as read from disk.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceFile {
    /// The path as the user would type it (the site folder joined with `content/...`).
    pub path: PathBuf,
    /// The path below `content/`, with `/` separators: what dates and folders are read from.
    pub relative: String,
    /// The decoded text of the whole file; empty once released (see `release_text`). The
    /// extraction cache keeps everything else and decodes the text again from the file.
    #[serde(skip)]
    pub text: String,
    pub modified: Option<DateTime<Utc>>,
    /// Whether `text` was freed after extraction, to be read back from `path` when rendered.
    released: bool,
}

impl SourceFile {
    /// Frees the text once everything but the rendering has read it: the texts of a large
    /// archive would otherwise all stay in memory from loading to rendering (100,000 articles:
    /// 420 MB). `part` reads a released text back from the file.
    pub fn release_text(&mut self) {
        self.text = String::new();
        self.released = true;
    }

    /// Whether the text is held in memory (not released).
    pub fn holds_text(&self) -> bool {
        !self.released
    }

    /// `text[start..end]`, read back from the file when the text was released.
    pub fn part(&self, start: usize, end: usize) -> Result<Cow<'_, str>> {
        if !self.released {
            return self
                .text
                .get(start..end)
                .map(Cow::Borrowed)
                .ok_or_else(|| self.changed());
        }
        let bytes = std::fs::read(&self.path)
            .with_context(|| format!("cannot read {} again to render it", self.path.display()))?;
        let mut text = decode::decode(&bytes).map_err(|_| self.changed())?.text;
        if text.get(start..end).is_none() {
            return Err(self.changed());
        }
        text.truncate(end);
        text.drain(..start);
        Ok(Cow::Owned(text))
    }

    /// Makes a cached extraction of this file whole again for the file as it is now, whose
    /// bytes hash as the cached ones did: its path as this build names it, its file time, and
    /// its text unless that was released. `None` if the bytes no longer decode.
    pub fn reattach(&mut self, path: &Path, raw: &RawFile) -> Option<()> {
        self.path = path.to_path_buf();
        self.modified = raw.modified;
        if !self.released {
            self.text = decode::decode(&raw.bytes).ok()?.text;
        }
        Some(())
    }

    fn changed(&self) -> anyhow::Error {
        anyhow!(
            "{} changed while the site was being built; build again",
            self.path.display()
        )
    }
}

/// Which reader an article went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Markdown,
    PlainText,
}

/// The body of an article before rendering.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Body {
    /// Markdown source: `file.text[start..end]`, starting on `line`.
    Markdown {
        start: usize,
        end: usize,
        line: usize,
    },
    /// Paragraphs of a plain-text article, after its title.
    Plain(Vec<Paragraph>),
}

impl Body {
    /// Gives a body read back from the extraction cache the text it left out (see
    /// `Paragraph::text`), from the text of the article's file; `None` if it does not fit.
    pub fn restore_texts(&mut self, file_text: &str) -> Option<()> {
        match self {
            Body::Plain(paragraphs) => plain_text::restore_texts(paragraphs, file_text),
            Body::Markdown { .. } => Some(()),
        }
    }
}

/// One article file, split into its parts.
#[derive(Debug, Clone)]
pub struct LoadedArticle {
    pub file: SourceFile,
    pub format: Format,
    pub front: FrontMatter,
    /// The title the text itself gives (a plain-text first line, a Markdown `# heading`).
    pub text_title: Option<Paragraph>,
    pub body: Body,
}

/// File endings read as articles; everything else under `content/` is ignored.
const MARKDOWN_ENDINGS: [&str; 2] = ["md", "markdown"];
const PLAIN_TEXT_ENDINGS: [&str; 1] = ["txt"];

/// Lists the article files under `content_dir` in a stable order, skipping hidden entries.
pub fn find_articles(content_dir: &Path, diagnostics: &Diagnostics) -> Vec<PathBuf> {
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    let mut paths = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() && format_of(entry.path()).is_some() => {
                paths.push(entry.into_path())
            }
            Ok(_) => {}
            Err(error) => {
                let path = error.path().unwrap_or(content_dir).to_path_buf();
                let reason = if error.loop_ancestor().is_some() {
                    "skipped: a symbolic link here loops back to a folder above it".to_string()
                } else {
                    format!("skipped: {error}")
                };
                diagnostics.warning(&path, "unreadable paths skipped", reason);
            }
        }
    }
    paths
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|name| name.starts_with('.'))
}

fn format_of(path: &Path) -> Option<Format> {
    let ending = path.extension()?.to_str()?.to_ascii_lowercase();
    if MARKDOWN_ENDINGS.contains(&ending.as_str()) {
        Some(Format::Markdown)
    } else if PLAIN_TEXT_ENDINGS.contains(&ending.as_str()) {
        Some(Format::PlainText)
    } else {
        None
    }
}

/// Reads one article file; problems go to `diagnostics`.
pub fn load_article(
    content_dir: &Path,
    path: &Path,
    diagnostics: &Diagnostics,
) -> Option<LoadedArticle> {
    let raw = read_file(path, diagnostics)?;
    load_raw(content_dir, path, &raw, diagnostics)
}

/// An article file's bytes, not yet decoded.
#[derive(Debug)]
pub struct RawFile {
    pub bytes: Vec<u8>,
    pub modified: Option<DateTime<Utc>>,
}

/// Reads one article file found by `find_articles` from `content_dir`, already read into `raw`.
pub fn load_raw(
    content_dir: &Path,
    path: &Path,
    raw: &RawFile,
    diagnostics: &Diagnostics,
) -> Option<LoadedArticle> {
    let format = format_of(path)?;
    let file = source_from_bytes(content_dir, path, &raw.bytes, raw.modified, diagnostics)?;
    split_article(format, file, diagnostics)
}

/// The path of an article below `content_dir`, with `/` separators: the name the rest of
/// the pipeline knows a file by.
pub fn relative_path(content_dir: &Path, path: &Path) -> String {
    path.strip_prefix(content_dir)
        .unwrap_or(path)
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads one article from bytes already in memory, as if from the file `path`, whose ending
/// picks the reader. The fuzz targets feed articles through here.
pub fn load_article_bytes(
    path: &Path,
    bytes: &[u8],
    diagnostics: &Diagnostics,
) -> Option<LoadedArticle> {
    let format = format_of(path)?;
    let file = source_from_bytes(Path::new(""), path, bytes, None, diagnostics)?;
    split_article(format, file, diagnostics)
}

fn split_article(
    format: Format,
    file: SourceFile,
    diagnostics: &Diagnostics,
) -> Option<LoadedArticle> {
    match format {
        Format::Markdown => split_markdown(file, diagnostics),
        Format::PlainText => split_plain_text(file, diagnostics),
    }
}

/// The largest article file gazette reads. News articles are kilobytes; a file of many
/// megabytes is a database dump or a mis-saved binary, and reading it would hold the whole
/// build up for minutes.
pub const MAX_ARTICLE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads an article file's bytes, refusing one too large to be an article. One open, one
/// `fstat` and the reads: archives have many small files, and each path lookup costs.
pub fn read_file(path: &Path, diagnostics: &Diagnostics) -> Option<RawFile> {
    let cannot_read = |error: std::io::Error| {
        diagnostics.error(path, None, format!("cannot read the file: {error}"));
    };
    let file = std::fs::File::open(path).map_err(cannot_read).ok()?;
    let metadata = file.metadata().map_err(cannot_read).ok()?;
    if metadata.len() > MAX_ARTICLE_BYTES {
        too_large(path, metadata.len(), diagnostics);
        return None;
    }
    // The file may grow between the `fstat` and the reads: read one byte past the limit to
    // tell.
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(MAX_ARTICLE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)
        .ok()?;
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        too_large(path, bytes.len() as u64, diagnostics);
        return None;
    }
    let modified = metadata.modified().ok().map(DateTime::<Utc>::from);
    Some(RawFile { bytes, modified })
}

fn too_large(path: &Path, size: u64, diagnostics: &Diagnostics) {
    diagnostics.error(
        path,
        None,
        format!(
            "the file is {:.1} MB, more than the {} MB an article may have: split it, or move it to static/",
            size as f64 / 1e6,
            MAX_ARTICLE_BYTES / 1024 / 1024
        ),
    );
}

fn source_from_bytes(
    content_dir: &Path,
    path: &Path,
    bytes: &[u8],
    modified: Option<DateTime<Utc>>,
    diagnostics: &Diagnostics,
) -> Option<SourceFile> {
    let decoded = match decode::decode(bytes) {
        Ok(decoded) => decoded,
        Err(DecodeError::Empty) => {
            diagnostics.error(
                path,
                None,
                "the file is empty: write an article or delete it",
            );
            return None;
        }
        Err(DecodeError::Binary) => {
            diagnostics.error(
                path,
                None,
                "this is a binary file, not text: move it to static/ or delete it",
            );
            return None;
        }
    };
    if let Some(encoding) = decoded.fallback_encoding {
        diagnostics.warning(
            path,
            "not UTF-8, decoded as another encoding",
            format!("not valid UTF-8; decoded as {encoding}. Save it as UTF-8 to silence this"),
        );
    }
    Some(SourceFile {
        path: path.to_path_buf(),
        relative: relative_path(content_dir, path),
        text: decoded.text,
        modified,
        released: false,
    })
}

fn split_markdown(file: SourceFile, diagnostics: &Diagnostics) -> Option<LoadedArticle> {
    let split = match front_matter::split(&file.text) {
        Ok(split) => split,
        Err(error) => {
            diagnostics.error(&file.path, Some(error.line), error.message);
            return None;
        }
    };
    let front = match split.yaml {
        Some(yaml) => match front_matter::parse(yaml, 2) {
            Ok(front) => front,
            Err(error) => {
                diagnostics.error(&file.path, Some(error.line), error.message);
                return None;
            }
        },
        None => FrontMatter::default(),
    };
    let (text_title, start, line) = markdown_heading(&file.text, split.body_start, split.body_line);
    Some(LoadedArticle {
        format: Format::Markdown,
        front,
        text_title,
        body: Body::Markdown {
            start,
            end: file.text.len(),
            line,
        },
        file,
    })
}

/// A leading `# Heading` of a Markdown body is its title; the body then starts after it.
fn markdown_heading(text: &str, start: usize, line: usize) -> (Option<Paragraph>, usize, usize) {
    let body = &text[start..];
    let skipped = body.len() - body.trim_start().len();
    let skipped_lines = body[..skipped].matches('\n').count();
    let rest = &body[skipped..];
    let Some(heading) = rest.strip_prefix("# ") else {
        return (None, start, line);
    };
    let heading_line_end = heading.find('\n').unwrap_or(heading.len());
    let title_text = heading[..heading_line_end].trim();
    if title_text.is_empty() {
        // An empty `# ` is no title; the front matter or the file name gives one instead.
        return (None, start, line);
    }
    let title_start = start + skipped + 2 + (heading.len() - heading.trim_start().len());
    let title = Paragraph {
        text: title_text.to_string(),
        start: title_start,
        end: title_start + title_text.len(),
        line: line + skipped_lines,
    };
    let body_start = (start + skipped + 2 + heading_line_end + 1).min(text.len());
    (Some(title), body_start, line + skipped_lines + 1)
}

fn split_plain_text(file: SourceFile, diagnostics: &Diagnostics) -> Option<LoadedArticle> {
    let Some(PlainDocument { title, paragraphs }) = plain_text::read(&file.text) else {
        diagnostics.error(&file.path, None, "the file has no text");
        return None;
    };
    Some(LoadedArticle {
        format: Format::PlainText,
        front: FrontMatter::default(),
        text_title: Some(title),
        body: Body::Plain(paragraphs),
        file,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_with_its_time_and_one_too_large_is_an_error() {
        let dir = std::env::temp_dir().join(format!("gazette-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (small, large) = (dir.join("small.txt"), dir.join("large.txt"));
        std::fs::write(&small, "Title\n\nBody.\n").unwrap();
        std::fs::write(&large, vec![b'a'; MAX_ARTICLE_BYTES as usize + 1]).unwrap();
        let diagnostics = Diagnostics::default();
        let raw = read_file(&small, &diagnostics).unwrap();
        assert_eq!(raw.bytes, b"Title\n\nBody.\n");
        assert!(raw.modified.is_some());
        assert!(read_file(&large, &diagnostics).is_none());
        assert!(read_file(&dir.join("missing.txt"), &diagnostics).is_none());
        let problems = diagnostics.into_sorted();
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(problems.len(), 2, "{messages:?}");
        assert!(
            messages.iter().any(|m| m.contains("more than the 16 MB")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("cannot read the file")),
            "{messages:?}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_released_text_is_read_back_and_a_changed_file_is_an_error() {
        let dir = std::env::temp_dir().join(format!("gazette-release-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("article.md");
        std::fs::write(&path, "---\ntitle: A\n---\nThe café opened.\n").unwrap();
        let diagnostics = Diagnostics::default();
        let mut source = load_article(&dir, &path, &diagnostics).unwrap().file;
        let (start, end) = (17, source.text.len());
        assert_eq!(source.part(start, end).unwrap(), "The café opened.\n");
        source.release_text();
        assert!(source.text.is_empty());
        assert_eq!(source.part(start, end).unwrap(), "The café opened.\n");
        std::fs::write(&path, "shorter").unwrap();
        let error = source.part(start, end).unwrap_err().to_string();
        assert!(
            error.contains("changed while the site was being built"),
            "{error}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_markdown_heading_becomes_the_title() {
        let text = "\n# The title\n\nBody.\n";
        let (title, start, line) = markdown_heading(text, 0, 1);
        let title = title.unwrap();
        assert_eq!(title.text, "The title");
        assert_eq!(&text[title.start..title.end], "The title");
        assert_eq!(title.line, 2);
        assert_eq!(&text[start..], "\nBody.\n");
        assert_eq!(line, 3);
    }

    #[test]
    fn an_empty_heading_is_no_title() {
        let (title, start, _) = markdown_heading("#  \nBody.\n", 0, 1);
        assert!(title.is_none());
        assert_eq!(start, 0);
    }
}
