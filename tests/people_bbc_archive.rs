//! The person index of a real archive: the 2,225 BBC News articles of 2004-2005 (plain text,
//! no front matter), built with people extracted from the text. What a reader sees on every
//! page: no person page for phrases that are not people, and one page for each well-known
//! person however the articles name them ("Tony Blair", "Mr Blair", "Blair").

mod common;

use std::collections::BTreeSet;
use std::path::Path;

/// Capitalised phrases of news text that must never become a person page.
/// ("Scotland" is not here: the corpus names Baroness Scotland, a peer.)
const NOT_PEOPLE: [&str; 65] = [
    "Cold War",
    "North Korean",
    "White House",
    "Share",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "March",
    "April",
    "June",
    "July",
    "Downing Street",
    "Labour",
    "Conservative",
    "Tories",
    "Liberal Democrats",
    "European Union",
    "United States",
    "Prime Minister",
    "Chancellor",
    "Home Secretary",
    "Premiership",
    "Champions League",
    "World Cup",
    "Six Nations",
    "Oscar",
    "Oscars",
    "Grammy",
    "BBC",
    "BBC News",
    "Google",
    "Microsoft",
    "Apple",
    "Sony",
    "Nintendo",
    "Chelsea",
    "Arsenal",
    "Manchester United",
    "Liverpool",
    "England",
    "Wales",
    "Ireland",
    "France",
    "Christmas",
    "New Year",
    "Parliament",
    "House of Commons",
    "Commons",
    "Lords",
    "Treasury",
    "Bank of England",
    "Federal Reserve",
    "Wall Street",
    "Internet",
    "Xbox",
    "PlayStation",
    "Muslim",
    "British",
    "Iraq",
    "Yukos",
];

/// Well-known people of 2004-2005 as (first name, surname).
const WELL_KNOWN: [(&str, &str); 12] = [
    ("tony", "blair"),
    ("gordon", "brown"),
    ("michael", "howard"),
    ("george", "bush"),
    ("charles", "kennedy"),
    ("jack", "straw"),
    ("david", "blunkett"),
    ("alan", "milburn"),
    ("john", "prescott"),
    ("oliver", "letwin"),
    ("roger", "federer"),
    ("jose", "mourinho"),
];

/// The slugs of every person page of a BBC build.
fn person_slugs() -> BTreeSet<String> {
    let site = common::TestSite::empty();
    common::link_bbc_corpus(&site.root().join("content"));
    let output = site.root().join("out");
    let run = common::build_into(site.root(), &output, &["-q"]);
    run.assert_success();
    println!("{}", run.stdout.trim());
    slugs_under(&output.join("people"))
}

fn slugs_under(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("no people folder at {}: {error}", dir.display()))
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect()
}

fn slug(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[test]
fn the_person_index_has_real_people_once_and_no_phrases() {
    let slugs = person_slugs();
    assert!(
        slugs.len() > 1000,
        "a news archive of 2,225 articles names thousands of people, found {}",
        slugs.len()
    );

    let phrases: Vec<&str> = NOT_PEOPLE
        .iter()
        .copied()
        .filter(|phrase| slugs.contains(&slug(phrase)))
        .collect();
    assert!(
        phrases.is_empty(),
        "person pages for phrases that are not people: {phrases:?}"
    );

    for (first, last) in WELL_KNOWN {
        let pages: Vec<&String> = slugs
            .iter()
            .filter(|candidate| {
                let parts: Vec<&str> = candidate.split('-').collect();
                let same_surname = parts.last() == Some(&last);
                let same_first = parts
                    .first()
                    .is_some_and(|part| *part == first || *part == &first[..1]);
                same_surname && (same_first || parts.len() == 1)
            })
            .collect();
        assert_eq!(
            pages.len(),
            1,
            "{first} {last} should have exactly one page, found {pages:?}"
        );
    }
}
