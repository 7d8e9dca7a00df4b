//! Helpers shared by the end-to-end tests in `tests/`: run the real `gazette` binary on sites,
//! read what it wrote, and check what every build must satisfy (internal links resolve, feeds
//! and sitemaps parse, the sitemap lists every page).

// Every test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use regex::Regex;

/// The Atom namespace, for finding feed elements with roxmltree.
pub const ATOM: &str = "http://www.w3.org/2005/Atom";
/// The sitemaps protocol namespace.
pub const SITEMAPS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// The crate's folder, which is also the sample site (site.yaml, content/, static/).
pub fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path in `../shared`, the corpora and seed articles CI keeps beside the clone. Panics when
/// it is missing, so a test that needs it fails instead of silently skipping.
pub fn shared_path(relative: &str) -> PathBuf {
    let path = repo_dir().join("../shared").join(relative);
    assert!(
        path.exists(),
        "{} is missing: CI keeps ../shared (corpora and seeds) beside the clone",
        path.display()
    );
    path.canonicalize()
        .unwrap_or_else(|error| panic!("cannot resolve {}: {error}", path.display()))
}

/// The topic folders of the BBC News corpus in `../shared/corpora/bbc`.
pub const BBC_TOPICS: [&str; 5] = ["business", "entertainment", "politics", "sport", "tech"];

/// Links `content/business`, `content/sport` ... to the BBC corpus's topic folders: tests read
/// the 2,225 articles in place and never copy them.
pub fn link_bbc_corpus(content: &Path) {
    for topic in BBC_TOPICS {
        link(
            &shared_path(&format!("corpora/bbc/{topic}")),
            &content.join(topic),
        );
    }
}

/// A symbolic link at `link` to `target`.
pub fn link(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap_or_else(|error| {
        panic!(
            "cannot link {} to {}: {error}",
            link.display(),
            target.display()
        )
    });
}

// ---------------------------------------------------------------------------------------------
// Running gazette

/// What one run of the `gazette` binary did.
#[derive(Debug)]
pub struct Run {
    /// The command line, for assertion messages.
    pub command: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

static SUMMARY_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^Built (\d+) articles").expect("valid regex"));

impl Run {
    pub fn succeeded(&self) -> bool {
        self.code == Some(0)
    }

    /// Panics with the run's output unless it exited with 0.
    pub fn assert_success(&self) {
        assert!(
            self.succeeded(),
            "`{}` should succeed but exited with {:?}\n{}",
            self.command,
            self.code,
            self.output()
        );
    }

    /// Panics with the run's output unless it exited with a non-zero code.
    pub fn assert_failure(&self) {
        assert!(
            matches!(self.code, Some(code) if code != 0),
            "`{}` should fail with a non-zero exit code but exited with {:?}\n{}",
            self.command,
            self.code,
            self.output()
        );
    }

    /// Both output streams, for assertion messages.
    pub fn output(&self) -> String {
        format!("--- stdout\n{}--- stderr\n{}", self.stdout, self.stderr)
    }

    /// The article count of the summary line, `Built 24 articles, ...`.
    pub fn articles_built(&self) -> usize {
        let captures = SUMMARY_LINE.captures(&self.stdout).unwrap_or_else(|| {
            panic!(
                "no `Built N articles` summary line from `{}`\n{}",
                self.command,
                self.output()
            )
        });
        captures[1]
            .parse()
            .expect("the article count of the summary line is a number")
    }

    /// The stderr lines that start with `prefix` (`error: `, `warning: `) and name `path`.
    pub fn lines_naming(&self, prefix: &str, path: &Path) -> Vec<&str> {
        let path = path.display().to_string();
        self.stderr
            .lines()
            .filter(|line| line.starts_with(prefix) && line.contains(&path))
            .collect()
    }
}

/// Runs the `gazette` binary built by Cargo. Whatever the input, it must never panic.
pub fn gazette<S: AsRef<OsStr>>(args: &[S]) -> Run {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .output()
        .expect("cannot start the gazette binary");
    let command = std::iter::once(OsStr::new("gazette"))
        .chain(args.iter().map(AsRef::as_ref))
        .map(|arg| arg.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ");
    let run = Run {
        command,
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed: started.elapsed(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "`{}` panicked\n{}",
        run.command,
        run.output()
    );
    run
}

/// `gazette build --site SITE` with `extra` arguments.
pub fn build(site: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<OsString> = vec!["build".into(), "--site".into(), site.into()];
    args.extend(extra.iter().map(OsString::from));
    gazette(&args)
}

/// `gazette build --site SITE --output OUTPUT` with `extra` arguments.
pub fn build_into(site: &Path, output: &Path, extra: &[&str]) -> Run {
    let output = output
        .to_str()
        .expect("test output folders have UTF-8 paths");
    let mut args = vec!["--output", output];
    args.extend_from_slice(extra);
    build(site, &args)
}

// ---------------------------------------------------------------------------------------------
// Sites to build

/// A throw-away site folder with an empty `content/`, deleted when dropped.
pub struct TestSite {
    dir: tempfile::TempDir,
}

impl TestSite {
    pub fn empty() -> TestSite {
        let dir = tempfile::tempdir().expect("cannot create a temporary site folder");
        fs::create_dir(dir.path().join("content")).expect("cannot create content/");
        TestSite { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The default output folder, `SITE/public`.
    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// The names in the site folder, sorted: what a build left beside `content/`.
    pub fn entries(&self) -> Vec<String> {
        names_in(self.root())
    }

    /// Writes a file below `content/`, creating its folders; returns its path as gazette
    /// reports it (the site folder joined with `content/...`).
    pub fn write_article(&self, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root().join("content").join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .unwrap_or_else(|error| panic!("cannot create {}: {error}", parent.display()));
        }
        fs::write(&path, bytes)
            .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
        path
    }

    pub fn remove_article(&self, relative: &str) {
        let path = self.root().join("content").join(relative);
        fs::remove_file(&path)
            .unwrap_or_else(|error| panic!("cannot remove {}: {error}", path.display()));
    }

    /// Builds the site into its default `public/` folder.
    pub fn build(&self, extra: &[&str]) -> Run {
        build(self.root(), extra)
    }
}

/// A valid Markdown article; `title` must not contain a double quote.
pub fn markdown_article(title: &str, date: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: {date}\nauthor: Test Writer\n---\n\nThe story of {title}.\n")
}

/// A build shared by the tests of one file through a `static OnceLock`.
#[derive(Debug)]
pub struct SharedBuild {
    pub output: PathBuf,
    pub run: Run,
}

/// An empty folder named `name` in Cargo's temp folder for integration tests. Builds shared
/// through a `static` cannot live in a `TempDir` (statics are never dropped), so they live here,
/// inside `target/`, and the next run clears them instead of leaving them in /tmp.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if dir.exists() {
        fs::remove_dir_all(&dir)
            .unwrap_or_else(|error| panic!("cannot clear {}: {error}", dir.display()));
    }
    fs::create_dir_all(&dir)
        .unwrap_or_else(|error| panic!("cannot create {}: {error}", dir.display()));
    dir
}

/// Builds `site` into `scratch/public`. The caller checks success outside its `OnceLock`
/// initialiser (see `SharedBuild::succeeded`), so a failed build is reported by every test that
/// uses it rather than rerun by each.
pub fn shared_build(scratch: &Path, site: &Path, extra: &[&str]) -> SharedBuild {
    let output = scratch.join("public");
    let run = build_into(site, &output, extra);
    SharedBuild { output, run }
}

impl SharedBuild {
    /// The build, once checked to have succeeded.
    pub fn succeeded(&self) -> &SharedBuild {
        self.run.assert_success();
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the output

/// Every file below `root`, as sorted `/`-separated paths relative to it.
pub fn files_under(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    collect_files(root, "", &mut files);
    files.sort();
    files
}

fn collect_files(dir: &Path, prefix: &str, files: &mut Vec<String>) {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()));
    for entry in entries {
        let entry = entry.unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()));
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let is_dir = entry
            .file_type()
            .unwrap_or_else(|error| panic!("cannot stat {}: {error}", entry.path().display()))
            .is_dir();
        if is_dir {
            collect_files(&entry.path(), &relative, files);
        } else {
            files.push(relative);
        }
    }
}

pub fn read_text(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {} as UTF-8 text: {error}", path.display()))
}

/// Every file below `root` whose text contains `needle`. Files are read as lossy UTF-8, so a
/// stray byte in one cannot hide a match.
pub fn files_containing(root: &Path, needle: &str) -> Vec<String> {
    files_under(root)
        .into_iter()
        .filter(|file| {
            let bytes = fs::read(root.join(file))
                .unwrap_or_else(|error| panic!("cannot read {file}: {error}"));
            String::from_utf8_lossy(&bytes).contains(needle)
        })
        .collect()
}

/// Every file of an output folder with its bytes, to compare builds.
pub fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    files_under(root)
        .into_iter()
        .map(|file| {
            let bytes = fs::read(root.join(&file))
                .unwrap_or_else(|error| panic!("cannot read {file}: {error}"));
            (file, bytes)
        })
        .collect()
}

/// Panics naming the files that differ between two output folders.
pub fn assert_same_files(expected: &Path, actual: &Path) {
    let expected_files = snapshot(expected);
    let actual_files = snapshot(actual);
    let names = |files: &BTreeMap<String, Vec<u8>>| files.keys().cloned().collect::<BTreeSet<_>>();
    let (expected_names, actual_names) = (names(&expected_files), names(&actual_files));
    assert_eq!(
        expected_names,
        actual_names,
        "{} and {} hold different files",
        expected.display(),
        actual.display()
    );
    let differing: Vec<&String> = expected_files
        .iter()
        .filter(|(name, bytes)| actual_files.get(*name) != Some(bytes))
        .map(|(name, _)| name)
        .collect();
    assert!(
        differing.is_empty(),
        "{} files differ between {} and {}: {differing:?}",
        differing.len(),
        expected.display(),
        actual.display()
    );
}

pub fn html_files(root: &Path) -> Vec<String> {
    files_under(root)
        .into_iter()
        .filter(|file| file.ends_with(".html"))
        .collect()
}

static ARTICLE_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}/\d{2}/[^/]+/index\.html$").expect("valid regex"));

/// The article pages of a site built with the default `article_url` (`/:year/:month/:slug/`).
pub fn article_pages(root: &Path) -> Vec<String> {
    files_under(root)
        .into_iter()
        .filter(|file| ARTICLE_PAGE.is_match(file))
        .collect()
}

/// The article pages whose `<title>` is `title` followed by ` · ` and the site's name.
pub fn pages_titled(root: &Path, title: &str) -> Vec<String> {
    let prefix = format!("{title} · ");
    article_pages(root)
        .into_iter()
        .filter(|file| {
            page_title(&read_text(&root.join(file))).is_some_and(|text| text.starts_with(&prefix))
        })
        .collect()
}

/// The URL path below the site root that serves a file: `a/b/index.html` gives `a/b/`.
pub fn url_path_of(file: &str) -> String {
    file.strip_suffix("index.html").unwrap_or(file).to_string()
}

/// The file, relative to the site root, that serves a URL path below it: a path ending in `/`
/// (or the root itself) is its folder's `index.html`.
pub fn file_of_url_path(url_path: &str) -> String {
    if url_path.is_empty() || url_path.ends_with('/') {
        format!("{url_path}index.html")
    } else {
        url_path.to_string()
    }
}

static TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<title>(.*?)</title>").expect("valid regex"));
static ENTITY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);").expect("valid regex"));

/// The text of a page's `<title>`, entities decoded.
pub fn page_title(html: &str) -> Option<String> {
    TITLE
        .captures(html)
        .map(|captures| decode_entities(&captures[1]))
}

/// Every `href` and `src` value of a page, entities decoded. A plain scan rather than a regex:
/// the BBC test reads some 10,000 pages in a debug build.
pub fn links_in(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut searched = 0;
        while let Some(found) = html[searched..].find(attribute) {
            let start = searched + found + attribute.len();
            let before = html[..searched + found].chars().next_back();
            let length = html[start..].find('"').unwrap_or(html.len() - start);
            if before.is_some_and(char::is_whitespace) {
                links.push(decode_entities(&html[start..start + length]));
            }
            searched = start + length;
        }
    }
    links
}

/// Decodes character references (`&amp;`, `&#39;`, `&#x2F;` ...); unknown names stay as they are.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    ENTITY
        .replace_all(text, |captures: &regex::Captures<'_>| {
            let name = &captures[1];
            let decoded = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                    .and_then(char::from_u32),
            };
            decoded.map_or_else(|| captures[0].to_string(), String::from)
        })
        .into_owned()
}

/// Escapes text the way gazette's pages do, to find a known text in HTML or XML output.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

// ---------------------------------------------------------------------------------------------
// Links

/// A site's `base_url` split the way links use it.
#[derive(Debug, Clone)]
pub struct BaseUrl {
    /// `https://example.org/archive/`, always ending in `/`.
    absolute: String,
    /// `/archive/`: the prefix of every root-relative link.
    path: String,
}

impl BaseUrl {
    pub fn new(url: &str) -> BaseUrl {
        let absolute = format!("{}/", url.trim().trim_end_matches('/'));
        let (_, after_scheme) = absolute
            .split_once("://")
            .unwrap_or_else(|| panic!("base_url {absolute:?} has no scheme"));
        let path = after_scheme.find('/').map_or_else(
            || "/".to_string(),
            |index| after_scheme[index..].to_string(),
        );
        BaseUrl { absolute, path }
    }

    /// The `base_url` of a site folder's `site.yaml`.
    pub fn of_site(site: &Path) -> BaseUrl {
        let config = read_text(&site.join("site.yaml"));
        let url = yaml_scalar(&config, "base_url")
            .unwrap_or_else(|| panic!("no base_url in {}/site.yaml", site.display()));
        BaseUrl::new(&url)
    }

    pub fn absolute(&self) -> &str {
        &self.absolute
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// The absolute URL of a path below the site root.
    pub fn permalink(&self, url_path: &str) -> String {
        format!("{}{url_path}", self.absolute)
    }
}

/// The value of a top-level `key: value` line of simple YAML (quotes removed).
pub fn yaml_scalar(yaml: &str, key: &str) -> Option<String> {
    yaml.lines().find_map(|line| {
        let value = line
            .strip_prefix(key)?
            .trim_start()
            .strip_prefix(':')?
            .trim();
        let unquoted = [('"', '"'), ('\'', '\'')]
            .iter()
            .find_map(|(open, close)| value.strip_prefix(*open)?.strip_suffix(*close))
            .unwrap_or(value);
        Some(unquoted.to_string())
    })
}

/// Where a link found in a page points.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// A file of the site, as a URL path below its root (`2023/04/slug/`, `gazette.css`).
    Internal(String),
    /// Another site, an e-mail address or a fragment of the same page: not checked.
    Ignored,
    /// A link that is neither external nor below the base path (a relative link, or a
    /// root-relative one that forgot the base path): it breaks when the site moves.
    Stray,
}

/// Classifies a link of a page of the site at `base`.
pub fn classify_link(link: &str, base: &BaseUrl) -> LinkTarget {
    if link.starts_with('#') {
        return LinkTarget::Ignored;
    }
    let target = link.split(['#', '?']).next().unwrap_or_default();
    if let Some(rest) = target.strip_prefix(base.absolute()) {
        return LinkTarget::Internal(rest.to_string());
    }
    let external = ["http://", "https://", "mailto:", "tel:", "//"];
    if external.iter().any(|scheme| link.starts_with(scheme)) {
        return LinkTarget::Ignored;
    }
    match target.strip_prefix(base.path()) {
        Some(rest) => LinkTarget::Internal(rest.to_string()),
        None => LinkTarget::Stray,
    }
}

/// Every internal `href` and `src` of every HTML page that does not lead to a file of the
/// output, as `page: "link": why`.
pub fn broken_links(root: &Path, base: &BaseUrl) -> Vec<String> {
    let files: HashSet<String> = files_under(root).into_iter().collect();
    let mut broken = Vec::new();
    for page in files.iter().filter(|file| file.ends_with(".html")) {
        let html = read_text(&root.join(page));
        for link in links_in(&html) {
            let problem = match classify_link(&link, base) {
                LinkTarget::Ignored => None,
                LinkTarget::Stray => Some("not below the base path"),
                LinkTarget::Internal(path) => (!files.contains(&file_of_url_path(&path)))
                    .then_some("no such file in the output"),
            };
            if let Some(problem) = problem {
                broken.push(format!("{page}: {link:?}: {problem}"));
            }
        }
    }
    broken.sort();
    broken
}

pub fn assert_no_broken_links(root: &Path, base: &BaseUrl) {
    let broken = broken_links(root, base);
    assert!(
        broken.is_empty(),
        "{} internal links lead nowhere; the first ones:\n{}",
        broken.len(),
        first_lines(&broken)
    );
}

/// The first 20 items, one per line, for assertion messages.
pub fn first_lines<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .take(20)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------------------------
// Feeds and sitemaps

/// Parses XML, panicking with the file and the parser's message.
pub fn parse_xml<'a>(text: &'a str, path: &Path) -> roxmltree::Document<'a> {
    roxmltree::Document::parse(text)
        .unwrap_or_else(|error| panic!("{} is not well-formed XML: {error}", path.display()))
}

/// Every Atom feed of an output folder: the site's and one per topic, person and author.
pub fn feed_files(root: &Path) -> Vec<String> {
    files_under(root)
        .into_iter()
        .filter(|file| file == "atom.xml" || file.ends_with("/atom.xml"))
        .collect()
}

/// One `<entry>` of an Atom feed.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub title: String,
    pub link: String,
    pub published: String,
}

/// Reads an Atom feed; panics unless it is well-formed XML with a `<feed>` root.
pub fn read_feed(path: &Path) -> Vec<FeedEntry> {
    let text = read_text(path);
    let document = parse_xml(&text, path);
    let feed = document.root_element();
    assert!(
        feed.has_tag_name((ATOM, "feed")),
        "{} is not an Atom feed: its root is <{}>",
        path.display(),
        feed.tag_name().name()
    );
    feed.children()
        .filter(|node| node.has_tag_name((ATOM, "entry")))
        .map(|entry| FeedEntry {
            title: child_text(entry, "title", path),
            link: entry
                .children()
                .find(|node| node.has_tag_name((ATOM, "link")))
                .and_then(|link| link.attribute("href"))
                .unwrap_or_else(|| panic!("an entry of {} has no link", path.display()))
                .to_string(),
            published: child_text(entry, "published", path),
        })
        .collect()
}

fn child_text(entry: roxmltree::Node<'_, '_>, name: &str, path: &Path) -> String {
    entry
        .children()
        .find(|node| node.has_tag_name((ATOM, name)))
        .and_then(|node| node.text())
        .unwrap_or_else(|| panic!("an entry of {} has no <{name}>", path.display()))
        .to_string()
}

/// The `<loc>` URLs of `sitemap.xml`; panics unless it is a well-formed `<urlset>`.
pub fn sitemap_locs(root: &Path) -> Vec<String> {
    let path = root.join("sitemap.xml");
    let text = read_text(&path);
    let document = parse_xml(&text, &path);
    let urlset = document.root_element();
    assert!(
        urlset.has_tag_name((SITEMAPS, "urlset")),
        "{} should be a <urlset>, not <{}>",
        path.display(),
        urlset.tag_name().name()
    );
    urlset
        .descendants()
        .filter(|node| node.has_tag_name((SITEMAPS, "loc")))
        .map(|loc| loc.text().unwrap_or_default().trim().to_string())
        .collect()
}

static LATER_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(^|/)page/\d+/index\.html$").expect("valid regex"));

/// The pages a sitemap must list, as URL paths: every `index.html` of the output except the
/// later pages of paginated listings (`.../page/N/`).
pub fn pages_for_sitemap(root: &Path) -> BTreeSet<String> {
    files_under(root)
        .into_iter()
        .filter(|file| file == "index.html" || file.ends_with("/index.html"))
        .filter(|file| !LATER_PAGE.is_match(file))
        .map(|file| url_path_of(&file))
        .collect()
}

/// The sitemap lists every page once (see `pages_for_sitemap`), by its absolute URL, and
/// nothing else.
pub fn assert_sitemap_lists_every_page(root: &Path, base: &BaseUrl) {
    let locs = sitemap_locs(root);
    let listed: BTreeSet<String> = locs.iter().cloned().collect();
    assert_eq!(
        listed.len(),
        locs.len(),
        "the sitemap lists some URLs twice"
    );
    let expected: BTreeSet<String> = pages_for_sitemap(root)
        .iter()
        .map(|path| base.permalink(path))
        .collect();
    let missing: Vec<&String> = expected.difference(&listed).collect();
    let unexpected: Vec<&String> = listed.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "the sitemap should list exactly the site's pages\nmissing ({}):\n{}\nnot pages of the output ({}):\n{}",
        missing.len(),
        first_lines(&missing),
        unexpected.len(),
        first_lines(&unexpected)
    );
}

static RFC3339: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|([+-])(\d{2}):(\d{2}))$",
    )
    .expect("valid regex")
});

/// Seconds since 1970 of an RFC 3339 time such as `2023-04-12T09:30:00+02:00`, to order feed
/// entries that carry different offsets.
pub fn unix_seconds(time: &str) -> i64 {
    let captures = RFC3339
        .captures(time)
        .unwrap_or_else(|| panic!("{time:?} is not an RFC 3339 time"));
    let number = |index: usize| -> i64 {
        captures
            .get(index)
            .map_or(0, |found| found.as_str().parse().unwrap_or_default())
    };
    let days = days_from_civil(number(1), number(2), number(3));
    let offset = (number(8) * 60 + number(9)) * 60;
    let offset = if captures.get(7).is_some_and(|sign| sign.as_str() == "-") {
        -offset
    } else {
        offset
    };
    days * 86_400 + number(4) * 3_600 + number(5) * 60 + number(6) - offset
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

// ---------------------------------------------------------------------------------------------
// Archive-wide views

/// Every BBC article as (topic folder, file), sorted.
pub fn bbc_files() -> Vec<(&'static str, PathBuf)> {
    let mut files = Vec::new();
    for topic in BBC_TOPICS {
        let folder = shared_path(&format!("corpora/bbc/{topic}"));
        let mut paths: Vec<PathBuf> = fs::read_dir(&folder)
            .unwrap_or_else(|error| panic!("cannot list {}: {error}", folder.display()))
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .collect();
        paths.sort();
        files.extend(paths.into_iter().map(|path| (topic, path)));
    }
    files
}

/// `gazette metadata --site SITE`, which must succeed, and its records.
pub fn metadata(site: &Path) -> (Run, Vec<serde_json::Value>) {
    let run = gazette(&[
        OsStr::new("metadata"),
        OsStr::new("--site"),
        site.as_os_str(),
    ]);
    run.assert_success();
    let records = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("metadata prints one JSON object per line"))
        .collect();
    (run, records)
}

// ---------------------------------------------------------------------------------------------
// Serving

/// A running `gazette serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `gazette serve` on a free loopback port and waits for its first build.
pub fn start_server(site: &Path) -> Server {
    start_server_with(site, |_| {})
}

/// `start_server`, with more arguments or environment set by `configure`.
pub fn start_server_with(site: &Path, configure: impl FnOnce(&mut Command)) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command.args(["serve", "--port", "0", "--site"]).arg(site);
    configure(&mut command);
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start gazette serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("serve printed its address")
            .expect("read stdout");
        if let Some(rest) = line.split("at http://").nth(1) {
            break rest.split('/').next().expect("host:port").to_string();
        }
    };
    // Keep reading stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, address }
}

/// The names of the entries of a folder, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
        .map(|entry| {
            entry
                .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}
