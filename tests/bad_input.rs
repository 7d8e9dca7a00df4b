//! Bad input never crashes a build and never costs readers the previous site. Every bad file is
//! reported on stderr as `error: PATH:LINE: message` (all of them in one run), the exit code is
//! non-zero, and the old output stays byte for byte with no temp folder left beside it. What
//! gazette accepts with a warning (duplicate slugs, Latin-1 text) is built; markup in a title is
//! shown as text; and a rebuild leaves no page of a deleted article behind.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{
    assert_no_broken_links, build_into, escape_html, files_containing, markdown_article,
    page_title, pages_titled, read_feed, read_text, snapshot, BaseUrl, Run, TestSite,
};

/// The default base URL: the test sites have no site.yaml.
const DEFAULT_BASE_URL: &str = "http://127.0.0.1:1111/";

/// Where an error must point: `PATH:LINE: ` when the line is known, else `PATH: `.
fn location(path: &Path, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{}:{line}: ", path.display()),
        None => format!("{}: ", path.display()),
    }
}

/// The stderr line reporting an error in `path`; panics when there is none.
fn error_line<'a>(run: &'a Run, path: &Path) -> &'a str {
    run.lines_naming("error: ", path)
        .first()
        .copied()
        .unwrap_or_else(|| panic!("no error names {}\n{}", path.display(), run.output()))
}

/// A site holding only `bytes` at `content/FILE` fails to build, reports the file at `line`
/// with a message containing `words`, and writes no output.
fn assert_rejected(file: &str, bytes: &[u8], line: Option<usize>, words: &str) -> Run {
    let site = TestSite::empty();
    let path = site.write_article(file, bytes);
    let run = site.build(&[]);
    run.assert_failure();
    let reported = error_line(&run, &path);
    let expected = location(&path, line);
    assert!(
        reported.contains(&expected),
        "the error should point at `{expected}`: {reported}"
    );
    assert!(
        reported.to_lowercase().contains(&words.to_lowercase()),
        "the error should say {words:?}: {reported}"
    );
    assert!(!site.public().exists(), "a failed build wrote public/");
    run
}

#[test]
fn bad_yaml_is_reported_at_its_file_and_line() {
    // An unquoted title with a colon: the most common YAML mistake in front matter.
    let colon = "---\ndate: 2023-01-01\ntitle: Budget: a gamble\n---\nBody.\n";
    assert_rejected("colon.md", colon.as_bytes(), Some(3), "YAML");
    let indent =
        "---\ntitle: Fine\ndate: 2023-01-01\ntopics:\n  - Economy\n - Politics\n---\nBody.\n";
    assert_rejected("indent.md", indent.as_bytes(), Some(6), "YAML");
}

#[test]
fn a_bad_yaml_message_names_no_other_line_than_its_own() {
    let colon = "---\ndate: 2023-01-01\ntitle: Budget: a gamble\n---\nBody.\n";
    let site = TestSite::empty();
    let path = site.write_article("colon.md", colon);
    let run = site.build(&[]);
    run.assert_failure();
    let reported = error_line(&run, &path);
    let message = reported
        .split_once(&location(&path, Some(3)))
        .map_or(reported, |(_, message)| message);
    assert!(
        !message.contains("line ") || message.contains("line 3"),
        "the message must not point the reader at a line other than line 3 of the file \
         (the YAML parser counts lines from the first line inside the fences): {reported}"
    );
}

#[test]
fn a_date_that_does_not_parse_is_reported_on_its_line() {
    let text = "---\ntitle: Fine\nauthor: Jane Doe\ndate: last Tuesday\n---\nBody.\n";
    assert_rejected("date.md", text.as_bytes(), Some(4), "date");
}

#[test]
fn an_empty_file_is_an_error() {
    assert_rejected("empty.md", b"", None, "empty");
    assert_rejected("blank.txt", b"  \n\n\t\n", None, "empty");
}

#[test]
fn a_binary_file_named_md_is_an_error() {
    let png: &[u8] =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\
        \0\0\0\rIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82";
    assert_rejected("image.md", png, None, "binary");
}

#[test]
fn unterminated_front_matter_is_reported_on_its_opening_line() {
    let text = "---\ntitle: Fine\ndate: 2023-01-01\n\nThe body, but the fence never closes.\n";
    assert_rejected("open.md", text.as_bytes(), Some(1), "never closed");
}

#[test]
fn front_matter_that_is_a_list_is_an_error() {
    let text = "---\n- title\n- date\n---\nBody.\n";
    assert_rejected("list.md", text.as_bytes(), Some(2), "mapping");
}

/// A site with three bad files among two good ones, and the paths of the bad ones.
fn site_with_three_bad_files() -> (TestSite, Vec<PathBuf>, Vec<PathBuf>) {
    let site = TestSite::empty();
    let bad = vec![
        site.write_article(
            "2023/01/bad-date.md",
            "---\ntitle: A\ndate: someday\n---\nB.\n",
        ),
        site.write_article("2023/02/empty.txt", ""),
        site.write_article("2023/03/bad-yaml.md", "---\ntitle: [unclosed\n---\nB.\n"),
    ];
    let good = vec![
        site.write_article("2023/01/good.md", markdown_article("Good", "2023-01-05")),
        site.write_article(
            "2023/02/fine.txt",
            "A fine title\n\nA fine paragraph of text.\n",
        ),
    ];
    (site, bad, good)
}

#[test]
fn every_bad_file_is_reported_in_one_run() {
    let (site, bad, good) = site_with_three_bad_files();
    let run = site.build(&[]);
    run.assert_failure();
    for path in &bad {
        error_line(&run, path);
    }
    for path in &good {
        assert!(
            run.lines_naming("error: ", path).is_empty(),
            "a good file is reported as an error\n{}",
            run.output()
        );
    }
    assert!(run.stderr.contains("3 file(s)"), "{}", run.output());
    assert!(!site.public().exists());
}

#[test]
fn each_error_line_starts_with_error_and_the_path() {
    let (site, bad, _) = site_with_three_bad_files();
    let run = site.build(&[]);
    run.assert_failure();
    for path in &bad {
        let expected = format!("error: {}:", path.display());
        assert!(
            run.stderr.lines().any(|line| line.starts_with(&expected)),
            "no stderr line starts with `{expected}` (a doubled `error: error:` prefix counts \
             as wrong)\n{}",
            run.stderr
        );
    }
}

#[test]
fn odd_inputs_never_panic_and_any_failure_names_the_file() {
    let cases: [(&str, &[u8]); 14] = [
        ("only-fences.md", b"---\n---\n"),
        ("just-a-fence.md", b"---"),
        ("list-title.md", b"---\ntitle: [a, b]\n---\nB.\n"),
        ("author-map.md", b"---\ntitle: X\nauthor: {a: 1}\n---\nB.\n"),
        ("draft-maybe.md", b"---\ntitle: X\ndraft: maybe\n---\nB.\n"),
        ("feb-30.md", b"---\ntitle: X\ndate: 2023-02-30\n---\nB.\n"),
        (
            "hour-25.md",
            b"---\ntitle: X\ndate: 2023-01-01T25:00:00Z\n---\nB.\n",
        ),
        ("no-key.md", b"---\n: x\n---\nB.\n"),
        (
            "crlf.md",
            b"---\r\ntitle: CRLF\r\ndate: 2023-01-02\r\n---\r\nBody.\r\n",
        ),
        (
            "escape.md",
            b"---\ntitle: X\nslug: \"../../../etc/passwd\"\ndate: 2023-01-01\n---\nB.\n",
        ),
        (
            "symbols.md",
            b"---\ntitle: \"\"\nslug: \"!!!\"\ndate: 2023-01-01\n---\n",
        ),
        ("nul.txt", b"Title\n\nA NUL \0 in the text.\n"),
        (
            "utf16.txt",
            b"\xff\xfeT\0i\0t\0l\0e\0\n\0\n\0B\0o\0d\0y\0.\0\n\0",
        ),
        (
            "cr-only.txt",
            b"Old Mac title\r\rOne paragraph.\rAnother one.\r",
        ),
    ];
    for (file, bytes) in cases {
        let site = TestSite::empty();
        let path = site.write_article(file, bytes);
        let run = site.build(&[]);
        if !run.succeeded() {
            error_line(&run, &path);
        }
    }
}

#[test]
fn markup_in_titles_is_shown_as_text() {
    let site = TestSite::empty();
    site.write_article(
        "2023/01/script.md",
        "---\ntitle: \"<script>alert(1)</script>\"\ndate: 2023-01-10\n\
         author: \"<script>alert(2)</script>\"\ntopics: [\"<script>alert(3)</script>\"]\n---\n\
         A paragraph of the body that is long enough to be a summary.\n",
    );
    site.write_article(
        "2023-02-01-script.txt",
        "<script>alert(4)</script>\n\nA paragraph of the body that is long enough to matter.\n",
    );
    site.build(&[]).assert_success();
    let public = site.public();
    let live = files_containing(&public, "<script>alert");
    assert!(live.is_empty(), "a live <script> in {live:?}");
    for number in [1, 4] {
        let title = format!("<script>alert({number})</script>");
        let pages = pages_titled(&public, &title);
        assert_eq!(pages.len(), 1, "one page titled {title}: {pages:?}");
        let heading = format!("<h1>{}</h1>", escape_html(&title));
        assert!(read_text(&public.join(&pages[0])).contains(&heading));
    }
    let titles: Vec<String> = read_feed(&public.join("atom.xml"))
        .into_iter()
        .map(|entry| entry.title)
        .collect();
    assert!(
        titles
            .iter()
            .any(|title| title == "<script>alert(1)</script>"),
        "the feed reads back the title as text: {titles:?}"
    );
}

/// A site with two good articles, built once.
fn built_site() -> TestSite {
    let site = TestSite::empty();
    site.write_article(
        "2023/01/first.md",
        markdown_article("First story", "2023-01-05"),
    );
    site.write_article(
        "2023/02/second.md",
        markdown_article("Second story", "2023-02-05"),
    );
    site.build(&[]).assert_success();
    site
}

#[test]
fn a_build_with_input_errors_leaves_the_previous_site_intact() {
    let site = built_site();
    let before = snapshot(&site.public());
    site.write_article(
        "2023/03/broken.md",
        "---\ntitle: Broken\ndate: never\n---\nB.\n",
    );
    site.build(&[]).assert_failure();
    assert!(
        before == snapshot(&site.public()),
        "public/ changed after a failed build"
    );
    assert_eq!(
        site.entries(),
        [".gazette", "content", "public"],
        "stray folders"
    );
}

#[test]
fn a_build_whose_template_fails_leaves_the_previous_site_intact() {
    let site = built_site();
    let before = snapshot(&site.public());
    let templates = site.root().join("templates");
    fs::create_dir(&templates).expect("cannot create templates/");
    fs::write(templates.join("article.html"), "{{ no_such_variable }}\n")
        .expect("cannot write a template");
    site.build(&[]).assert_failure();
    assert!(
        before == snapshot(&site.public()),
        "public/ changed after a failed build"
    );
    assert_eq!(
        site.entries(),
        [".gazette", "content", "public", "templates"],
        "stray folders"
    );
}

#[test]
fn a_deleted_article_loses_its_page_on_rebuild() {
    let site = built_site();
    let page = site.public().join("2023/01/first/index.html");
    assert!(page.is_file(), "the first build made {}", page.display());
    site.remove_article("2023/01/first.md");
    site.build(&[]).assert_success();
    assert!(!page.exists(), "{} survived its article", page.display());
    let public = site.public();
    assert!(public.join("2023/02/second/index.html").is_file());
    let mentions = files_containing(&public, "First story");
    assert!(mentions.is_empty(), "still listed in {mentions:?}");
    assert_no_broken_links(&public, &BaseUrl::new(DEFAULT_BASE_URL));
}

#[test]
fn duplicate_slugs_in_a_month_get_two_pages_and_a_warning() {
    let site = TestSite::empty();
    let article = |title: &str, day: u32| {
        format!(
            "---\ntitle: {title}\ndate: 2023-05-{day:02}\nslug: same\n---\nThe body of {title}.\n"
        )
    };
    site.write_article("2023/05/older.md", article("Older story", 1));
    let newer = site.write_article("2023/05/newer.md", article("Newer story", 2));
    let run = site.build(&[]);
    run.assert_success();
    let public = site.public();
    for (page, title) in [("same", "Older story"), ("same-2", "Newer story")] {
        let html = read_text(&public.join(format!("2023/05/{page}/index.html")));
        assert!(
            page_title(&html).is_some_and(|text| text.starts_with(title)),
            "2023/05/{page}/ should be {title:?}"
        );
    }
    let warnings = run.lines_naming("warning: ", &newer);
    assert!(
        warnings.iter().any(|line| line.contains("same-2")),
        "no warning says where {} went\n{}",
        newer.display(),
        run.output()
    );
}

#[test]
fn a_latin1_text_file_is_built_with_a_warning() {
    let site = TestSite::empty();
    let path = site.write_article(
        "2023-03-01-cafe.txt",
        b"Caf\xe9 Nord reopens\n\nThe caf\xe9 on the square reopened on Monday, and a coffee now costs \xa35.\n",
    );
    let run = site.build(&[]);
    run.assert_success();
    let warnings = run.lines_naming("warning: ", &path);
    assert!(
        warnings.iter().any(|line| line.contains("UTF-8")),
        "no encoding warning names {}\n{}",
        path.display(),
        run.output()
    );
    let html = read_text(&site.public().join("2023/03/cafe/index.html"));
    assert!(page_title(&html).is_some_and(|title| title.starts_with("Café Nord reopens")));
    assert!(
        html.contains("The café on the square reopened on Monday, and a coffee now costs £5."),
        "the body is decoded as Latin-1"
    );
}

#[test]
fn long_titles_that_slug_alike_get_distinct_pages() {
    let site = TestSite::empty();
    let title = "A council meeting about the bypass ".repeat(4);
    for name in ["one", "two", "three"] {
        let article =
            format!("---\ntitle: {title}\ndate: 2023-05-01\n---\nThe body of article {name}.\n");
        site.write_article(&format!("2023/05/{name}/index.md"), article);
    }
    site.build(&[]).assert_success();
    let pages = pages_titled(&site.public(), title.trim());
    assert_eq!(pages.len(), 3, "three pages: {pages:?}");
}

/// A build refuses an output folder that would destroy what it replaces, and touches nothing.
fn assert_output_refused(site: &TestSite, output: &Path, words: &str) {
    let before = snapshot(site.root());
    let run = build_into(site.root(), output, &[]);
    run.assert_failure();
    assert!(
        run.output().contains(words),
        "the error should say {words:?}\n{}",
        run.output()
    );
    assert!(before == snapshot(site.root()), "the site folder changed");
}

#[test]
fn an_output_folder_holding_the_site_or_its_sources_is_refused() {
    let site = built_site();
    assert_output_refused(&site, site.root(), "holds the site itself");
    assert_output_refused(
        &site,
        &site.root().join("content"),
        "inside the site's content/",
    );
    assert_output_refused(
        &site,
        &site.root().join("content/2023"),
        "inside the site's content/",
    );
}

#[test]
fn an_output_folder_gazette_did_not_write_is_refused() {
    let site = built_site();
    let elsewhere = tempfile::tempdir().unwrap();
    fs::write(elsewhere.path().join("notes.txt"), "keep me").unwrap();
    let run = build_into(site.root(), elsewhere.path(), &[]);
    run.assert_failure();
    assert!(
        run.output().contains("no gazette build wrote it"),
        "{}",
        run.output()
    );
    assert_eq!(read_text(&elsewhere.path().join("notes.txt")), "keep me");
    let empty = tempfile::tempdir().unwrap();
    build_into(site.root(), empty.path(), &[]).assert_success();
    build_into(site.root(), empty.path(), &[]).assert_success();
    assert!(empty.path().join("index.html").is_file());
}

#[test]
fn a_symlinked_output_folder_stays_a_symlink_to_the_new_site() {
    let site = TestSite::empty();
    site.write_article(
        "2023/01/first.md",
        markdown_article("First story", "2023-01-05"),
    );
    let real = tempfile::tempdir().unwrap();
    let target = real.path().join("www");
    fs::create_dir(&target).unwrap();
    std::os::unix::fs::symlink(&target, site.public()).unwrap();
    site.build(&[]).assert_success();
    site.build(&[]).assert_success();
    let link = fs::symlink_metadata(site.public()).unwrap();
    assert!(link.file_type().is_symlink(), "public/ was replaced");
    assert!(target.join("2023/01/first/index.html").is_file());
}

#[test]
fn control_characters_in_articles_leave_feeds_and_sitemap_valid_xml() {
    let site = TestSite::empty();
    site.write_article(
        "2023/01/escape.md",
        "---\ntitle: \"Page\\x1a break\\x0b story\"\ndate: 2023-01-10\n---\n\
         A body with a form feed\x0c and an escape\x1b[0m byte, from an old CMS export.\n",
    );
    site.write_article(
        "2023-01-11-plain.txt",
        "Another\x1a story\n\nIts body has a stray\x1f unit separator in it.\n",
    );
    site.build(&[]).assert_success();
    let titles: Vec<String> = read_feed(&site.public().join("atom.xml"))
        .into_iter()
        .map(|entry| entry.title)
        .collect();
    assert!(
        titles.contains(&"Page break story".to_string())
            && titles.contains(&"Another story".to_string()),
        "{titles:?}"
    );
    common::sitemap_locs(&site.public());
}
