//! Archive-wide names for people. Articles name people in many ways; the archive gives each
//! person one name and one page:
//! - "George Bush" and "George W Bush" are one person (same first and last word, and no other
//!   middle name competing; the most used spelling wins), "Jane D. Crawford" and "Jane K.
//!   Crawford" two;
//! - "P O'Connell" in a line-up is "Paul O'Connell" when the archive has one such O'Connell;
//! - a bare "Trump" is "Donald Trump" when the archive has one Trump, or one that dominates.

use std::collections::{BTreeMap, HashMap};

use crate::slug::slugify;

/// How many times more articles than the runner-up the leading candidate must have for a bare
/// name ("Blair") to be read as that person ("Tony Blair").
const DOMINANCE: usize = 5;

/// A multi-word canonical name and how many article mentions its group has.
struct FullName {
    name: String,
    words: Vec<String>,
    articles: usize,
}

/// Maps the slug of each name as articles write it to its canonical name, for the names that
/// are not their own canonical name. `names` gives every (name, article count) pair.
pub fn resolve_aliases(names: &BTreeMap<String, usize>) -> HashMap<String, String> {
    let mut aliases = HashMap::new();
    let full_names = canonical_full_names(names, &mut aliases);
    let mut by_word: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, full) in full_names.iter().enumerate() {
        for word in [full.words.first(), full.words.last()]
            .into_iter()
            .flatten()
        {
            let entry = by_word.entry(word.as_str()).or_default();
            if entry.last() != Some(&index) {
                entry.push(index);
            }
        }
    }
    for full in &full_names {
        if let Some(target) = initialled_name(full, &full_names, &by_word) {
            aliases.insert(slugify(&full.name, ""), target.name.clone());
        }
    }
    for name in names
        .keys()
        .filter(|name| !name.contains(char::is_whitespace))
    {
        if let Some(target) = dominant_full_name(name, &full_names, &by_word) {
            aliases.insert(slugify(name, ""), target.name.clone());
        }
    }
    aliases
}

/// Groups multi-word names into people by first and last word and compatible middle names,
/// and records every other spelling of a person as an alias of its most used one.
fn canonical_full_names(
    names: &BTreeMap<String, usize>,
    aliases: &mut HashMap<String, String>,
) -> Vec<FullName> {
    let mut by_ends: BTreeMap<(String, String), Vec<(&str, usize)>> = BTreeMap::new();
    for (name, &count) in names {
        let words = lower_words(name);
        if let (true, Some(first), Some(last)) = (words.len() >= 2, words.first(), words.last()) {
            by_ends
                .entry((first.clone(), last.clone()))
                .or_default()
                .push((name, count));
        }
    }
    by_ends
        .into_values()
        .flat_map(split_by_middle_name)
        .map(|person| {
            let canonical = person
                .iter()
                .max_by_key(|(name, count)| {
                    (
                        *count,
                        name.split_whitespace().count(),
                        std::cmp::Reverse(*name),
                    )
                })
                .map(|(name, _)| name.to_string())
                .unwrap_or_default();
            for (name, _) in &person {
                if *name != canonical {
                    aliases.insert(slugify(name, ""), canonical.clone());
                }
            }
            FullName {
                words: lower_words(&canonical),
                name: canonical,
                articles: person.iter().map(|(_, count)| count).sum(),
            }
        })
        .collect()
}

/// Splits names that share a first and a last word into people: "Jane D. Crawford" and "Jane
/// K. Crawford" are two, "George W Bush" and "George Walker Bush" one (an initial matches the
/// name it starts). A name without a middle ("Jane Crawford") joins the only person with one,
/// or one with `DOMINANCE` times the articles of the next; otherwise it stays a person of its
/// own rather than be given to the wrong one.
fn split_by_middle_name(group: Vec<(&str, usize)>) -> Vec<Vec<(&str, usize)>> {
    let (mut bare, mut with_middle): (Vec<_>, Vec<_>) = group
        .into_iter()
        .partition(|(name, _)| middle_words(name).is_empty());
    with_middle.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut people: Vec<Vec<(&str, usize)>> = Vec::new();
    for (name, count) in with_middle {
        let middle = middle_words(name);
        match people
            .iter_mut()
            .find(|person| middles_match(&middle_words(person[0].0), &middle))
        {
            Some(person) => person.push((name, count)),
            None => people.push(vec![(name, count)]),
        }
    }
    let articles = |person: &Vec<(&str, usize)>| person.iter().map(|(_, count)| count).sum();
    let mut totals: Vec<(usize, usize)> = people
        .iter()
        .enumerate()
        .map(|(index, person)| (articles(person), index))
        .collect();
    totals.sort_unstable_by(|a, b| b.cmp(a));
    let home = match totals.as_slice() {
        [] => None,
        [(_, only)] => Some(*only),
        [(leader, index), (runner_up, _), ..] => {
            (*leader >= DOMINANCE * runner_up).then_some(*index)
        }
    };
    match home {
        Some(index) => people[index].append(&mut bare),
        None if !bare.is_empty() => people.push(bare),
        None => {}
    }
    people
}

/// The words between the first and the last, lower case, without full stops ("D." is "d").
fn middle_words(name: &str) -> Vec<String> {
    let words = lower_words(name);
    words
        .get(1..words.len().saturating_sub(1))
        .unwrap_or_default()
        .iter()
        .map(|word| word.trim_end_matches('.').to_string())
        .collect()
}

/// Whether two middle names can be one person's: word by word equal, or an initial and a name
/// that starts with it.
fn middles_match(a: &[String], b: &[String]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(a, b)| {
            a == b
                || (a.chars().count() == 1 && b.starts_with(a.as_str()))
                || (b.chars().count() == 1 && a.starts_with(b.as_str()))
        })
}

/// For "P O'Connell", the one full name with that surname whose first name starts with P.
fn initialled_name<'a>(
    short: &FullName,
    full_names: &'a [FullName],
    by_word: &HashMap<&str, Vec<usize>>,
) -> Option<&'a FullName> {
    let first = short.words.first()?;
    if first.trim_end_matches('.').chars().count() != 1 {
        return None;
    }
    let initial = first.chars().next()?;
    let surname = short.words.last()?;
    let candidates: Vec<&FullName> = by_word
        .get(surname.as_str())?
        .iter()
        .map(|&index| &full_names[index])
        .filter(|full| {
            full.words.last() == Some(surname)
                && full.words[0].chars().count() > 1
                && full.words[0].starts_with(initial)
        })
        .collect();
    match candidates.as_slice() {
        [only] => Some(only),
        _ => None,
    }
}

/// For a bare "Blair", the full name whose first or last word it is, if there is one, or one
/// with `DOMINANCE` times the articles of the next.
fn dominant_full_name<'a>(
    name: &str,
    full_names: &'a [FullName],
    by_word: &HashMap<&str, Vec<usize>>,
) -> Option<&'a FullName> {
    let word = name.to_lowercase();
    let mut candidates: Vec<&FullName> = by_word
        .get(word.as_str())?
        .iter()
        .map(|&index| &full_names[index])
        .collect();
    candidates.sort_by(|a, b| {
        b.articles
            .cmp(&a.articles)
            .then_with(|| a.name.cmp(&b.name))
    });
    match candidates.as_slice() {
        [only] => Some(only),
        [leader, runner_up, ..]
            if leader.articles >= DOMINANCE * runner_up.articles && leader.articles >= 3 =>
        {
            Some(leader)
        }
        _ => None,
    }
}

fn lower_words(name: &str) -> Vec<String> {
    name.split_whitespace().map(str::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aliases_of(names: &[(&str, usize)]) -> HashMap<String, String> {
        resolve_aliases(
            &names
                .iter()
                .map(|(name, count)| (name.to_string(), *count))
                .collect(),
        )
    }

    #[test]
    fn spellings_initials_and_bare_surnames_join_the_full_name() {
        let aliases = aliases_of(&[
            ("George W Bush", 30),
            ("George Bush", 5),
            ("Paul O'Connell", 4),
            ("P O'Connell", 1),
            ("Bush", 9),
            ("Tony Blair", 100),
            ("Cherie Blair", 4),
            ("Blair", 20),
        ]);
        assert_eq!(aliases["george-bush"], "George W Bush");
        assert_eq!(aliases["p-o-connell"], "Paul O'Connell");
        assert_eq!(aliases["bush"], "George W Bush");
        assert_eq!(aliases["blair"], "Tony Blair");
    }

    #[test]
    fn different_middle_initials_are_different_people() {
        let aliases = aliases_of(&[
            ("Jane D. Crawford", 5),
            ("Jane K. Crawford", 4),
            ("Jane Crawford", 1),
            ("George W Bush", 30),
            ("George Walker Bush", 2),
        ]);
        assert!(!aliases.contains_key("jane-d-crawford"), "{aliases:?}");
        assert!(!aliases.contains_key("jane-k-crawford"), "{aliases:?}");
        assert!(
            !aliases.contains_key("jane-crawford"),
            "a bare name given to one of two people: {aliases:?}"
        );
        assert_eq!(aliases["george-walker-bush"], "George W Bush");
    }

    #[test]
    fn two_people_who_share_a_surname_stay_apart() {
        let aliases = aliases_of(&[("Daniel Brandt", 3), ("Greta Brandt", 3), ("Brandt", 2)]);
        assert!(aliases.is_empty(), "{aliases:?}");
    }
}
