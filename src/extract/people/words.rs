//! The word lists the person rules use: honorifics and roles before names, particles inside
//! them, words that are never a name alone, the first and last words of places and
//! organisations, and given names. Three lists are learned from the CoNLL-2003 training text by
//! `examples/train_people_model.rs` (see docs/people.md); the others are written here.

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

/// Titles only people carry: after one of these, a single word is a person ("Mr Blunkett").
#[rustfmt::skip]
const HONORIFICS: [&str; 40] = [
    "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "president", "senator",
    "sen", "governor", "gov", "judge", "justice", "king", "queen", "prince", "princess", "pope",
    "professor", "prof", "rev", "reverend", "mayor", "baroness", "baron", "earl", "duke",
    "duchess", "archbishop", "bishop", "cardinal", "sheikh", "ayatollah", "rabbi", "imam",
    "minister",
];

/// Roles and parts of titles that precede a name but are not part of it ("Finance Minister",
/// "striker"). They are stripped from names but prove nothing ("market leader Nintendo").
#[rustfmt::skip]
const ROLES: [&str; 53] = [
    "prime", "chancellor", "general", "gen", "commissioner", "secretary", "chairman",
    "chairwoman", "chief", "executive", "director", "coach", "manager", "spokesman",
    "spokeswoman", "spokesperson", "leader", "ambassador", "captain", "capt", "colonel", "col",
    "lieutenant", "lt", "sergeant", "sgt", "inspector", "detective", "premier", "deputy",
    "speaker", "representative", "rep", "congressman", "congresswoman", "mp", "mep", "emir",
    "striker", "midfielder", "defender", "goalkeeper", "winger", "boss", "founder", "chairperson",
    "vice", "sen.", "attorney", "justices", "viscount", "countess", "dowager",
];

/// Single words the tagger may take for a name but never are one on their own.
#[rustfmt::skip]
const NEVER_ALONE: [&str; 28] = [
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "june", "july", "august", "september", "october", "november",
    "december", "share", "advertisement", "god", "allah", "christ", "jesus", "christmas",
    "easter", "ramadan", "halloween",
];

/// First words of places and organisations that look like names ("Port Marin", "Real Madrid").
#[rustfmt::skip]
const PLACE_PREFIXES: [&str; 16] = [
    "port", "mount", "mt", "lake", "fort", "cape", "sporting", "real", "fc", "ac", "club",
    "radio", "air", "bank", "hotel", "camp",
];

/// Last words of places, organisations and events ("Cathedral Hill", "Olympic Games").
#[rustfmt::skip]
const PLACE_SUFFIXES: [&str; 85] = [
    "hill", "hills", "street", "st", "square", "road", "avenue", "park", "bridge", "bay",
    "island", "islands", "valley", "river", "hall", "palace", "cathedral", "church", "house",
    "tower", "centre", "center", "airport", "station", "university", "college", "school",
    "hospital", "bank", "group", "party", "union", "council", "court", "ministry", "institute",
    "association", "foundation", "museum", "gallery", "theatre", "theater", "stadium", "arena",
    "live", "records", "music", "pictures", "studios", "entertainment", "motors", "airlines",
    "airways", "corp", "inc", "ltd", "plc", "company", "city", "united", "rovers", "athletic",
    "festival", "awards", "cup", "league", "award", "prize", "sisters", "brothers", "bros",
    "research", "messenger", "explorer", "lane", "utd", "arts", "online", "games", "olympics",
    "championship", "championships", "marathon", "tournament", "trophy",
];

/// Lower-case words inside names: "von der Leyen", "de la Fuente", "bin Salman".
#[rustfmt::skip]
const PARTICLES: [&str; 18] = [
    "von", "van", "der", "den", "de", "la", "le", "du", "da", "di", "del", "della", "dos", "das",
    "bin", "ibn", "al", "ter",
];

/// Given names common in today's news that the 1996 training text lacks.
#[rustfmt::skip]
const MORE_GIVEN_NAMES: [&str; 94] = [
    "theresa", "ursula", "angela", "emmanuel", "olaf", "rishi", "keir", "liz", "boris", "kamala",
    "joe", "barack", "hillary", "nancy", "mitch", "volodymyr", "vladimir", "recep", "narendra",
    "shinzo", "fumio", "justin", "jacinda", "scott", "anthony", "giorgia", "mario", "pedro",
    "mark", "jens", "christine", "janet", "jerome", "elon", "jeff", "sundar", "satya", "tim",
    "sam", "greta", "malala", "lionel", "cristiano", "serena", "novak", "rafael", "roger",
    "usain", "simone", "taylor", "beyonce", "rihanna", "adele", "priya", "aisha", "fatima",
    "mohammed", "muhammad", "ahmed", "ali", "omar", "yusuf", "hassan", "leila", "amara",
    "chidinma", "kwame", "ngozi", "wei", "li", "hiroshi", "yuki", "sofia", "maria", "ana",
    "lucia", "carmen", "elena", "olga", "natalia", "anna", "ingrid", "sven", "lars", "pieter",
    "jan", "pierre", "jean", "francois", "marie", "chloe", "helena", "tomas", "daniel",
];

/// Lower-case words of English news, never part of a name in the training text: a capitalised
/// one at the start of a sentence is that word, not a name ("Strong", "Once").
const COMMON_WORDS: &str = include_str!("common_words.txt");
/// Words that in the training text only ever named organisations, places, nationalities or
/// events ("Muslim", "Ericsson"): a mention made only of them is not a person.
const ENTITY_WORDS: &str = include_str!("entity_words.txt");
/// First words of names in the training text that are never anything else ("theresa").
const GIVEN_NAMES: &str = include_str!("given_names.txt");

fn word_set(words: &'static str) -> FxHashSet<&'static [u8]> {
    words
        .lines()
        .map(str::trim)
        .filter(|word| !word.is_empty())
        .map(str::as_bytes)
        .collect()
}

/// A list of words as a set of their bytes, which `in_lower_case` looks up.
fn byte_set(words: impl IntoIterator<Item = &'static str>) -> FxHashSet<&'static [u8]> {
    words.into_iter().map(str::as_bytes).collect()
}

/// Answers `question` about the bytes of `word` in lower case. The word lists are asked about
/// every token, so the usual short ASCII word is lower-cased on the stack rather than into a
/// new String, and looked up as bytes, with no UTF-8 check of the copy.
fn in_lower_case<T>(word: &str, question: impl FnOnce(&[u8]) -> T) -> T {
    const SHORT: usize = 32;
    if word.is_ascii() && word.len() <= SHORT {
        let mut buffer = [0; SHORT];
        let lower = &mut buffer[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        question(lower)
    } else {
        question(word.to_lowercase().as_bytes())
    }
}

/// An honorific, capitalised as titles are: "Miss Ireland" is a title, "miss Ireland" a verb.
/// Asked of every token: the lists are sets, as a scan of them took a few hundred instructions
/// a capitalised word.
#[inline]
pub fn is_honorific(word: &str) -> bool {
    // A lower-case or punctuation token, most of them, is ruled out by its first byte.
    match word.as_bytes().first() {
        Some(byte) if byte.is_ascii_uppercase() || !byte.is_ascii() => {
            is_capitalised_honorific(word)
        }
        _ => false,
    }
}

fn is_capitalised_honorific(word: &str) -> bool {
    static WORDS: OnceLock<FxHashSet<&'static [u8]>> = OnceLock::new();
    let words = WORDS.get_or_init(|| byte_set(HONORIFICS));
    word.chars().next().is_some_and(char::is_uppercase)
        && in_lower_case(word.trim_end_matches('.'), |lower| words.contains(lower))
}

/// Any word of a title or role, in any case.
pub fn is_title_word(word: &str) -> bool {
    static WORDS: OnceLock<FxHashSet<&'static [u8]>> = OnceLock::new();
    let words = WORDS.get_or_init(|| byte_set(HONORIFICS.into_iter().chain(ROLES)));
    in_lower_case(word.trim_end_matches('.'), |lower| words.contains(lower))
}

pub fn is_particle(word: &str) -> bool {
    // Asked of most words of an article: the longer ones, most, need no comparison.
    word.len() <= LONGEST_PARTICLE && PARTICLES.contains(&word)
}

const LONGEST_PARTICLE: usize = {
    let (mut index, mut longest) = (0, 0);
    while index < PARTICLES.len() {
        if PARTICLES[index].len() > longest {
            longest = PARTICLES[index].len();
        }
        index += 1;
    }
    longest
};

pub fn is_never_alone(lower: &str) -> bool {
    NEVER_ALONE.contains(&lower)
}

pub fn is_place_prefix(lower: &str) -> bool {
    PLACE_PREFIXES.contains(&lower)
}

pub fn is_place_suffix(lower: &str) -> bool {
    PLACE_SUFFIXES.contains(&lower)
}

pub fn is_common_word(word: &str) -> bool {
    static WORDS: OnceLock<FxHashSet<&'static [u8]>> = OnceLock::new();
    let words = WORDS.get_or_init(|| word_set(COMMON_WORDS));
    in_lower_case(word, |lower| words.contains(lower))
}

pub fn is_entity_word(word: &str) -> bool {
    static WORDS: OnceLock<FxHashSet<&'static [u8]>> = OnceLock::new();
    let words = WORDS.get_or_init(|| word_set(ENTITY_WORDS));
    in_lower_case(word, |lower| words.contains(lower))
}

/// A word that names no one when it is the only capitalised word around: an organisation,
/// place or event word (a mention made only of them is dropped) or a day, month or holiday (a
/// one-word mention of one is dropped).
pub fn is_never_a_name_alone(word: &str) -> bool {
    static WORDS: OnceLock<FxHashSet<&'static [u8]>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        let mut words = word_set(ENTITY_WORDS);
        words.extend(byte_set(NEVER_ALONE));
        words
    });
    in_lower_case(word, |lower| words.contains(lower))
}

pub fn is_given_name(word: &str) -> bool {
    static WORDS: OnceLock<FxHashSet<&'static [u8]>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        let mut names = word_set(GIVEN_NAMES);
        names.extend(byte_set(MORE_GIVEN_NAMES));
        names
    });
    in_lower_case(word, |lower| words.contains(lower))
}
