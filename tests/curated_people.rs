//! `data/people.yaml` wins over extraction: aliases join the canonical person, listed
//! non-people never get a page, names the tagger would miss are found, and the description
//! shows on the person's page.

mod common;

const PEOPLE_FILE: &str = "people:
  - name: Kim Jong-un
    aliases: [Chairman Kim, Kim Jong Un]
    description: Supreme Leader of North Korea.
  - name: Zorblax Quibbleworth
not_people: [Cold War Museum Director]
";

const ARTICLE: &str = "Summit talks resume

Kim Jong Un arrived on Tuesday. Chairman Kim said talks would go on, and zorblax said little.
Zorblax Quibbleworth, an envoy, said the Cold War Museum Director would attend.
";

#[test]
fn the_curated_file_overrides_extraction() {
    let site = common::TestSite::empty();
    std::fs::create_dir(site.root().join("data")).expect("data/");
    std::fs::write(site.root().join("data/people.yaml"), PEOPLE_FILE).expect("people.yaml");
    site.write_article("2019/02/summit.txt", ARTICLE);
    site.build(&["-q"]).assert_success();

    let people: Vec<String> = std::fs::read_dir(site.public().join("people"))
        .expect("people/")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(people.contains(&"kim-jong-un".to_string()), "{people:?}");
    assert!(
        people.contains(&"zorblax-quibbleworth".to_string()),
        "{people:?}"
    );
    assert!(
        !people.iter().any(|slug| slug.contains("museum")),
        "{people:?}"
    );
    assert!(
        !people.contains(&"kim-jong-un-2".to_string())
            && !people.contains(&"chairman-kim".to_string()),
        "{people:?}"
    );

    let page = common::read_text(&site.public().join("people/kim-jong-un/index.html"));
    assert!(
        page.contains("Supreme Leader of North Korea."),
        "the description shows on the page"
    );
}

#[test]
fn a_bad_people_file_names_its_line() {
    let site = common::TestSite::empty();
    std::fs::create_dir(site.root().join("data")).expect("data/");
    std::fs::write(
        site.root().join("data/people.yaml"),
        "people:\n  - name: A\n    nickname: B\n",
    )
    .expect("people.yaml");
    site.write_article("2019/02/a.txt", ARTICLE);
    let run = site.build(&[]);
    run.assert_failure();
    assert!(run.stderr.contains("people.yaml:3"), "{}", run.output());
    assert!(run.stderr.contains("nickname"), "{}", run.output());
}
