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
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if !is_word_char(c) {
            // A possessive or contraction tail: 's 'S n't.
            if is_apostrophe(c) {
                if let Some(end) = possessive_end(text, start) {
                    while chars.peek().is_some_and(|(index, _)| *index < end) {
                        chars.next();
                    }
                    tokens.push(Token {
                        text: &text[start..end],
                        start,
                        end,
                    });
                    continue;
                }
            }
            let end = start + c.len_utf8();
            tokens.push(Token {
                text: &text[start..end],
                start,
                end,
            });
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(index, next)) = chars.peek() {
            if is_word_char(next) {
                end = index + next.len_utf8();
                chars.next();
                continue;
            }
            // Joiners stay inside a word when a letter or digit follows: Jong-un, U.S, O'Brien, AT&T.
            let joins = matches!(next, '-' | '.' | '&' | '\u{2010}' | '\u{2011}')
                || (is_apostrophe(next) && possessive_end(text, index).is_none());
            let followed_by_word = text[index + next.len_utf8()..]
                .chars()
                .next()
                .is_some_and(is_word_char);
            if joins && followed_by_word {
                end = index + next.len_utf8();
                chars.next();
                continue;
            }
            break;
        }
        // A trailing full stop stays on initials (W.), abbreviations (Mr.) and dotted forms (U.S.).
        if text[end..].starts_with('.') {
            let word = &text[start..end];
            let lower = word.to_lowercase();
            let is_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            if is_initial || word.contains('.') || ABBREVIATIONS.contains(&lower.as_str()) {
                end += 1;
                chars.next();
            }
        }
        tokens.push(Token {
            text: &text[start..end],
            start,
            end,
        });
    }
    tokens
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
