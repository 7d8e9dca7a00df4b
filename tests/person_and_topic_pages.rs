//! What a reader finds on person, topic and index pages of the sample archive: how many
//! articles, first and last dates, a timeline of articles per year drawn without JavaScript,
//! the topics a person appears in, the people most mentioned in a topic, indexes sorted by
//! name (with A-Z jump links) and by number of articles, and learned topics marked as suggested.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

fn sample() -> &'static PathBuf {
    static OUTPUT: OnceLock<PathBuf> = OnceLock::new();
    OUTPUT.get_or_init(|| {
        let scratch = common::scratch_dir("person_and_topic_pages");
        common::shared_build(&scratch, &common::repo_dir(), &["-q"]).output
    })
}

fn page(path: &str) -> String {
    common::read_text(&sample().join(path))
}

#[test]
fn a_person_page_has_dates_a_timeline_and_topics() {
    let html = page("people/helena-varga/index.html");
    assert!(html.contains("13 articles"), "article count");
    assert!(
        html.contains("14 March 2022 to 17 February 2025"),
        "first and last mention"
    );
    assert_eq!(
        html.matches("<rect ").count(),
        4,
        "one bar per year, 2022-2025"
    );
    assert!(
        html.contains("role=\"img\" aria-label=\"Articles per year: 2022:"),
        "the chart has a text alternative"
    );
    assert!(html.contains("Often mentioned with"));
    assert!(html.contains("<h2 id=\"cross-heading\">Topics</h2>"));
    assert!(html.contains("href=\"/topics/politics/\""));
    assert!(!html.contains("<script"), "no JavaScript needed");
}

#[test]
fn a_topic_page_names_the_people_most_mentioned() {
    let html = page("topics/politics/index.html");
    assert!(html.contains("People most mentioned"));
    assert!(html.contains("href=\"/people/helena-varga/\""));
}

#[test]
fn indexes_sort_by_name_with_jump_links_and_by_count() {
    let by_name = page("people/index.html");
    assert!(
        by_name.contains("href=\"#letter-H\"") && by_name.contains("id=\"letter-H\""),
        "A-Z jump links (names as shown: Helena Varga under H)"
    );
    let by_count = page("people/by-articles/index.html");
    let first = by_count.find("Helena Varga").expect("Varga listed");
    let later = by_count.find("Marta Kowalczyk").expect("Kowalczyk listed");
    assert!(first < later, "the most mentioned person comes first");
    assert!(page("topics/by-articles/index.html").contains("Politics"));
}

#[test]
fn learned_topics_are_shown_as_suggested() {
    let html = page("2024/04/varga-and-park-sign-battery-pact-in-seoul/index.html");
    assert!(
        html.contains("class=\"suggested\""),
        "a plain-text article's topics are suggestions"
    );
    let chosen = page("2023/02/budget-a-gamble-says-opposition-and-unions/index.html");
    assert!(
        !chosen.contains("class=\"suggested\""),
        "front matter topics are not"
    );
}
