//! Topics learned from the archive itself. The BBC News corpus is built as a flat archive in
//! which only about 10% of the articles (those whose file number ends in a given digit) carry
//! their folder's topic in front matter; the others are plain text with no topic. The top
//! topic gazette suggests for those must match their folder at least 96.5% of the time, and
//! that must hold for different 10% splits, not just one.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

const REQUIRED_ACCURACY: f64 = 0.965;

/// A site in which the articles numbered `*D.txt` are Markdown with `topics: [folder]` (written
/// to the temp site, never to the repository) and every other article is a link to the text.
fn split_site(digit: char) -> common::TestSite {
    let site = common::TestSite::empty();
    for (topic, file) in common::bbc_files() {
        let stem = file
            .file_stem()
            .and_then(|stem| stem.to_str())
            .expect("BBC file names are ASCII")
            .to_string();
        if stem.ends_with(digit) {
            let text =
                String::from_utf8_lossy(&std::fs::read(&file).expect("read BBC file")).into_owned();
            let (title, body) = text.split_once('\n').unwrap_or((&text, ""));
            let front = format!(
                "---\ntitle: {}\ndate: 2005-01-01\ntopics: [{topic}]\n---\n",
                serde_json::to_string(title.trim()).expect("title")
            );
            site.write_article(&format!("{topic}/{stem}.md"), format!("{front}{body}"));
        } else {
            let folder = site.root().join("content").join(topic);
            std::fs::create_dir_all(&folder).expect("topic folder");
            common::link(&file, &folder.join(format!("{stem}.txt")));
        }
    }
    site
}

/// Accuracy of the top suggested topic on the articles without front matter topics.
fn accuracy(site: &Path) -> (f64, usize) {
    let (_, records) = common::metadata(site);
    let (mut right, mut total) = (0usize, 0usize);
    let mut confusion: BTreeMap<(String, String), usize> = BTreeMap::new();
    for record in &records {
        let path = record["path"].as_str().expect("path");
        if path.ends_with(".md") {
            continue;
        }
        let folder = path
            .split("/content/")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .expect("content/TOPIC/...")
            .to_string();
        let topics = record["topics"].as_array().expect("topics");
        assert!(
            topics.iter().all(|topic| topic["source"] == "learned"),
            "plain articles only get learned topics: {topics:?}"
        );
        let best = topics
            .iter()
            .max_by(|a, b| {
                a["score"]
                    .as_f64()
                    .unwrap_or(0.0)
                    .total_cmp(&b["score"].as_f64().unwrap_or(0.0))
            })
            .and_then(|topic| topic["name"].as_str())
            .unwrap_or("(none)")
            .to_lowercase();
        total += 1;
        if best == folder {
            right += 1;
        } else {
            *confusion.entry((folder, best)).or_default() += 1;
        }
    }
    println!("mistakes (folder, suggested): {confusion:?}");
    (right as f64 / total as f64, total)
}

fn assert_split(digit: char) {
    let site = split_site(digit);
    let (accuracy, total) = accuracy(site.root());
    println!("split *{digit}.txt labelled: top-topic accuracy {accuracy:.4} on {total} unlabelled articles");
    assert!(
        total > 1900,
        "about 90% of 2,225 articles are unlabelled, got {total}"
    );
    assert!(
        accuracy >= REQUIRED_ACCURACY,
        "accuracy {accuracy:.4} below {REQUIRED_ACCURACY}"
    );
}

#[test]
fn topics_are_learned_with_files_ending_in_0_labelled() {
    assert_split('0');
}

#[test]
fn topics_are_learned_with_files_ending_in_5_labelled() {
    assert_split('5');
}

/// The sample archive's two dozen labelled articles, spread over ten topics, cannot predict
/// one another's topics, so they teach nothing: the BBC articles beside them get no learned
/// topic rather than the sample's biggest topic on every one of them.
#[test]
fn a_few_labelled_articles_on_other_subjects_teach_no_topics() {
    let site = common::TestSite::empty();
    common::link(
        &common::repo_dir().join("content"),
        &site.root().join("content/sample"),
    );
    let bbc = site.root().join("content/bbc");
    std::fs::create_dir(&bbc).expect("content/bbc");
    common::link_bbc_corpus(&bbc);
    let (run, records) = common::metadata(site.root());
    run.assert_success();
    let learned = records
        .iter()
        .filter(|record| {
            record["topics"]
                .as_array()
                .is_some_and(|topics| topics.iter().any(|topic| topic["source"] == "learned"))
        })
        .count();
    assert!(records.len() > 2000, "only {} records", records.len());
    assert_eq!(learned, 0, "{learned} articles got learned topics");
}
