//! Words and punctuation with their byte offsets, split the way CoNLL-2003 news text is
//! tokenised (`Kim` `'s`, `U.S.`, `Mr.`, `Jong-un`), so the person tagger sees at run time the
//! same kind of tokens it was trained on.

/// A token and where it is in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

impl Token<'_> {
    /// Whether the token starts with a capital: the first cue of a name.
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }
}

/// Words that keep their full stop: titles and abbreviations that do not end a sentence.
const ABBREVIATIONS: [&str; 40] = [
    "mr", "mrs", "ms", "dr", "prof", "st", "sen", "rep", "gov", "gen", "lt", "col", "capt", "sgt",
    "maj", "adm", "cmdr", "rev", "fr", "jr", "sr", "mt", "ft", "no", "vs", "inc", "corp", "co",
    "ltd", "jan", "feb", "aug", "sept", "sep", "oct", "nov", "dec", "messrs", "pres", "hon",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Splits text into tokens.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    tokenize_into(text, 0, &mut tokens);
    tokens
}

/// Splits text into tokens appended to `tokens`, their offsets moved by `offset`: the
/// segments of an article go into one list, with no list of their own to copy from.
pub fn tokenize_into<'a>(text: &'a str, offset: usize, tokens: &mut Vec<Token<'a>>) {
    let mut at = 0;
    while let Some(c) = char_at(text, at) {
        let start = at;
        at += c.len_utf8();
        if c.is_whitespace() {
            continue;
        }
        if is_word_char(c) {
            at = word_end(text, start, at);
        } else if is_apostrophe(c) {
            // A possessive or contraction tail: 's 'S n't.
            at = possessive_end(text, start).unwrap_or(at);
        }
        tokens.push(Token {
            text: &text[start..at],
            start: offset + start,
            end: offset + at,
        });
    }
}

/// The character at byte `at`; most news text is ASCII, which needs no decoding.
fn char_at(text: &str, at: usize) -> Option<char> {
    match text.as_bytes().get(at) {
        Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
        Some(_) => text[at..].chars().next(),
        None => None,
    }
}

/// Which bytes are ASCII letters and digits, as a table: a word's bytes are each tested, and a
/// lookup is one instruction where `is_ascii_alphanumeric` is three ranges.
static ASCII_ALPHANUMERIC: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).is_ascii_alphanumeric();
        byte += 1;
    }
    table
};

/// Where the run of ASCII letters and digits from `at` ends. Eight bytes are tested at once:
/// a byte at a time, the end of every word was a mispredicted branch, and most words end
/// within their first eight bytes.
fn alphanumeric_run_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(chunk) = bytes.get(at..at + 8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let others = !alphanumeric_bytes(u64::from_le_bytes(chunk)) & HIGH_BITS;
        if others != 0 {
            return at + (others.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + bytes[at..]
        .iter()
        .position(|&byte| !ASCII_ALPHANUMERIC[usize::from(byte)])
        .unwrap_or(bytes.len() - at)
}

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that is an ASCII letter or digit, found for all eight
/// at once: every byte kept below 0x80 takes a bias that carries into its high bit exactly
/// when it is at least the bound, and no sum reaches the next byte.
fn alphanumeric_bytes(word: u64) -> u64 {
    let ascii = !word & HIGH_BITS;
    let low = word & !HIGH_BITS;
    let at_least = |bytes: u64, bound: u8| (bytes + LOW_BITS * u64::from(0x80 - bound)) & HIGH_BITS;
    let digits = at_least(low, b'0') & !at_least(low, b'9' + 1);
    // Upper-case letters folded onto lower-case ones; no other byte lands on a-z.
    let folded = low | (LOW_BITS * 0x20);
    let letters = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
    (digits | letters) & ascii
}

/// The end of a word that starts at `start` and has been read up to `end`.
fn word_end(text: &str, start: usize, mut end: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        end = alphanumeric_run_end(bytes, end);
        let Some(next) = char_at(text, end) else {
            break;
        };
        // After the run, an ASCII character other than a joiner (mostly a space) ends the word
        // without looking further.
        if next.is_ascii() && !matches!(next, '-' | '.' | '&' | '\'') {
            break;
        }
        let after = end + next.len_utf8();
        // Joiners stay inside a word when a letter or digit follows: Jong-un, U.S, O'Brien, AT&T.
        let joins = || {
            matches!(next, '-' | '.' | '&' | '\u{2010}' | '\u{2011}')
                || (is_apostrophe(next) && possessive_end(text, end).is_none())
        };
        if is_word_char(next) || (char_at(text, after).is_some_and(is_word_char) && joins()) {
            end = after;
        } else {
            break;
        }
    }
    // A trailing full stop stays on initials (W.), abbreviations (Mr.) and dotted forms (U.S.).
    if bytes.get(end) == Some(&b'.') {
        let word = &text[start..end];
        let mut chars = word.chars();
        let is_initial = chars.next().is_some_and(char::is_uppercase) && chars.next().is_none();
        if is_initial || word.contains('.') || is_abbreviation(word) {
            end += 1;
        }
    }
    end
}

fn is_abbreviation(word: &str) -> bool {
    if word.is_ascii() {
        ABBREVIATIONS
            .iter()
            .any(|abbreviation| abbreviation.eq_ignore_ascii_case(word))
    } else {
        ABBREVIATIONS.contains(&word.to_lowercase().as_str())
    }
}

/// If an apostrophe at `index` starts `'s` (or `’s`) followed by a non-letter, its end.
fn possessive_end(text: &str, index: usize) -> Option<usize> {
    let apostrophe = text[index..].chars().next()?;
    let after = index + apostrophe.len_utf8();
    let mut rest = text[after..].chars();
    let s = rest.next()?;
    if s != 's' && s != 'S' {
        return None;
    }
    match rest.next() {
        Some(next) if is_word_char(next) => None,
        _ => Some(after + 1),
    }
}

/// True for a token that ends a sentence.
pub fn ends_sentence(token: &Token<'_>) -> bool {
    matches!(token.text, "." | "!" | "?")
}

/// Capitalised words that open a sentence and never continue or make a name: after a word that
/// keeps its full stop ("in the U.S. The", "presenter Mr P. In the final") they show the stop
/// ended the sentence too. Function words and a few sentence adverbs only: "Ulysses S. Grant",
/// "Mr. May" and "James Last" are names made of words that are common in lower case.
#[rustfmt::skip]
const SENTENCE_OPENERS: [&str; 60] = [
    "The", "A", "An", "In", "On", "At", "For", "With", "From", "By", "To", "Of", "He", "She", "It",
    "We", "They", "I", "You", "His", "Her", "Its", "Their", "Our", "This", "That", "These",
    "Those", "There", "But", "And", "Or", "If", "When", "While", "After", "However", "Why",
    "What", "Who", "Where", "How", "Both", "Many", "Some", "Nobody", "Nothing", "Everyone",
    "Meanwhile", "Although", "Though", "Because", "Since", "Not", "Is", "Was", "Are", "Were",
    "Has", "Had",
];

/// Whether a word is one of `SENTENCE_OPENERS`: capitalised, it still names no one.
pub fn is_sentence_opener(word: &str) -> bool {
    SENTENCE_OPENERS.contains(&word)
}

/// True when a sentence ends at a word that keeps its full stop (an initial, an abbreviation,
/// a dotted form), because the next word opens a sentence.
fn ends_at_dotted_word(token: &Token<'_>, next: Option<&Token<'_>>) -> bool {
    token.text.len() > 1
        && token.text.ends_with('.')
        && next.is_some_and(|next| is_sentence_opener(next.text))
}

/// Splits tokens into sentences at `.`, `!` and `?`, and after a word that keeps its full stop
/// when the next word opens a sentence (see `SENTENCE_OPENERS`).
pub fn sentences<'t, 'a>(tokens: &'t [Token<'a>]) -> Vec<&'t [Token<'a>]> {
    let mut sentences = Vec::new();
    let mut first = 0;
    for (index, token) in tokens.iter().enumerate() {
        if ends_sentence(token) || ends_at_dotted_word(token, tokens.get(index + 1)) {
            // Keep a closing quote with its sentence.
            sentences.push(&tokens[first..=index]);
            first = index + 1;
        }
    }
    if first < tokens.len() {
        sentences.push(&tokens[first..]);
    }
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        tokenize(text).into_iter().map(|token| token.text).collect()
    }

    #[test]
    fn news_tokens() {
        assert_eq!(
            texts("Mr Kim’s pledge, said Mr. Trump (U.S.)."),
            ["Mr", "Kim", "’s", "pledge", ",", "said", "Mr.", "Trump", "(", "U.S.", ")", "."]
        );
        assert_eq!(
            texts("Kim Jong-un met George W. Bush."),
            ["Kim", "Jong-un", "met", "George", "W.", "Bush", "."]
        );
        assert_eq!(
            texts("O'Brien's AT&T \"deal\""),
            ["O'Brien", "'s", "AT&T", "\"", "deal", "\""]
        );
    }

    #[test]
    fn eight_bytes_at_once_are_tested_as_one_at_a_time() {
        let text: Vec<u8> = (0..=255u8)
            .chain(b"Jong-un 1996 U.S. caf\xc3\xa9".iter().copied())
            .collect();
        for start in 0..text.len() {
            let one_at_a_time = start
                + text[start..]
                    .iter()
                    .position(|&byte| !byte.is_ascii_alphanumeric())
                    .unwrap_or(text.len() - start);
            assert_eq!(
                alphanumeric_run_end(&text, start),
                one_at_a_time,
                "from {start}"
            );
        }
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "Zoë Müller’s “plan”";
        for token in tokenize(text) {
            assert_eq!(&text[token.start..token.end], token.text);
        }
    }

    #[test]
    fn sentences_split_at_full_stops() {
        let tokens = tokenize("Mr. Smith left. He went home! Why?");
        assert_eq!(sentences(&tokens).len(), 3);
    }

    #[test]
    fn a_kept_full_stop_ends_a_sentence_before_a_sentence_opener() {
        let count = |text: &str| sentences(&tokenize(text)).len();
        assert_eq!(count("Sales rose in the U.S. The company said so."), 2);
        assert_eq!(
            count("Praise went to the presenter Mr P. In the final, he won."),
            2
        );
        assert_eq!(
            count("Ulysses S. Grant met George W. Bush and Mr. Smith."),
            1
        );
    }
}
