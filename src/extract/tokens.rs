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

/// The end of a word that starts at `start` and has been read up to `end`.
fn word_end(text: &str, start: usize, mut end: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        // Runs of ASCII letters and digits, most of every word, a byte at a time.
        end += bytes[end..]
            .iter()
            .position(|&byte| !ASCII_ALPHANUMERIC[usize::from(byte)])
            .unwrap_or(bytes.len() - end);
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

/// Splits tokens into sentences at `.`, `!` and `?`.
pub fn sentences<'t, 'a>(tokens: &'t [Token<'a>]) -> Vec<&'t [Token<'a>]> {
    let mut sentences = Vec::new();
    let mut first = 0;
    for (index, token) in tokens.iter().enumerate() {
        if ends_sentence(token) {
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
}
