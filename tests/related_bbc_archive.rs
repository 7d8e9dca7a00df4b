//! Related articles on a real archive: the BBC News corpus, with no topics and each article
//! given a scattered date (the files share one modification time, which would order them by
//! folder and flatter the result). At least 90% of related links must point to an article of
//! the same folder topic, no article lists itself, and no article lists a copy of itself (the
//! corpus has about a hundred byte-identical pairs).

mod common;

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime};

const REQUIRED_AGREEMENT: f64 = 0.90;

/// Copies the corpus into a temp site (never into the repository) with dates spread over
/// 2004-2005 by a fixed generator, so every run sees the same archive.
fn site_with_scattered_dates() -> (common::TestSite, HashMap<String, Vec<u8>>) {
    let site = common::TestSite::empty();
    let mut bytes_by_path = HashMap::new();
    let mut seed: u64 = 7;
    for (topic, file) in common::bbc_files() {
        let name = file
            .file_name()
            .and_then(|name| name.to_str())
            .expect("ASCII names")
            .to_string();
        let bytes = std::fs::read(&file).expect("read BBC file");
        let path = site.write_article(&format!("{topic}/{name}"), &bytes);
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let offset = Duration::from_secs((seed >> 33) % (2 * 365 * 86_400));
        let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_072_915_200) + offset;
        std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|handle| handle.set_modified(when))
            .expect("set mtime");
        bytes_by_path.insert(format!("{topic}/{name}"), bytes);
    }
    (site, bytes_by_path)
}

#[test]
fn related_articles_share_the_topic_and_are_never_the_same_text() {
    let (site, bytes_by_path) = site_with_scattered_dates();
    let (run, records) = common::metadata(site.root());
    let relative_of_url: BTreeMap<String, String> = records
        .iter()
        .map(|record| {
            let path = record["path"].as_str().expect("path");
            let relative = path
                .split("/content/")
                .nth(1)
                .expect("content/...")
                .to_string();
            (record["url"].as_str().expect("url").to_string(), relative)
        })
        .collect();
    let (mut same_topic, mut links) = (0usize, 0usize);
    for record in &records {
        let own_url = record["url"].as_str().expect("url");
        let own = &relative_of_url[own_url];
        let related = record["related"].as_array().expect("related");
        assert!(related.len() <= 5, "at most five related articles: {own}");
        for url in related {
            let url = url.as_str().expect("related URLs are strings");
            assert_ne!(url, own_url, "{own} lists itself");
            let other = &relative_of_url[url];
            assert_ne!(
                bytes_by_path[own], bytes_by_path[other],
                "{own} lists {other}, a copy of itself"
            );
            links += 1;
            if own.split('/').next() == other.split('/').next() {
                same_topic += 1;
            }
        }
    }
    let agreement = same_topic as f64 / links as f64;
    println!("{links} related links, {agreement:.4} to the same folder topic");
    assert!(
        links > 9000,
        "most articles have related articles, got {links} links"
    );
    assert!(
        agreement >= REQUIRED_AGREEMENT,
        "only {agreement:.4} of related links share the folder topic"
    );
    assert!(
        run.stderr.contains("same text as another"),
        "copies are reported: {}",
        run.stderr
    );
}
