//! The person tagger: a first-order structured perceptron (averaged) over hashed features, with
//! Viterbi decoding over three tags (outside, begin, inside a person name). Trained on the
//! CoNLL-2003 English training set by `cargo run --release --example train_people_model`; the
//! model ships in the binary, so nothing is downloaded at run time.
//!
//! Features are hashed with fixed functions (FNV-1a, then a multiply-xorshift mix), so a model
//! file stays valid across Rust versions and platforms.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashSet;

use super::super::tokens::Token;
use super::words;
use crate::shuffle::Shuffler;

/// Tags: outside a name, first token of a name, later token of a name.
pub const OUTSIDE: usize = 0;
pub const BEGIN: usize = 1;
pub const INSIDE: usize = 2;
const TAGS: usize = 3;
/// Transition rows: from the start of a sentence, then from each tag.
const FROM_START: usize = 3;

/// What the tagger knows about the document a sentence comes from. Names are consistent
/// within an article, while common words capitalised at the start of a sentence or in an
/// all-caps headline also appear in lower case elsewhere. Words are kept as their hashes (the
/// ones features use), so building the context copies no strings.
#[derive(Debug, Default)]
pub struct DocumentContext {
    lower_case_words: FxHashSet<u64>,
    title_case_words: FxHashSet<u64>,
}

impl DocumentContext {
    /// Builds the context from all sentences of a document, each with whether it is a
    /// headline (see `is_headline`, which the caller computes once for this and for tagging).
    pub fn new<'a>(
        sentences: impl IntoIterator<Item = (&'a [Token<'a>], bool)>,
    ) -> DocumentContext {
        // Room for a news article's distinct words from the start: growing the sets from
        // empty rehashed them seven times an article, 2% of extracting people.
        let mut context = DocumentContext {
            lower_case_words: FxHashSet::with_capacity_and_hasher(512, Default::default()),
            title_case_words: FxHashSet::with_capacity_and_hasher(128, Default::default()),
        };
        let mut lower = String::new();
        for (sentence, headline) in sentences {
            for (index, token) in sentence.iter().enumerate() {
                if token.text.is_ascii() {
                    context.add_ascii(token.text.as_bytes(), index > 0 && !headline);
                    continue;
                }
                let mut chars = token.text.chars();
                let Some(first) = chars.next() else { continue };
                if first.is_lowercase() && token.text.chars().all(|c| !c.is_uppercase()) {
                    context.lower_case_words.insert(fnv(token.text.as_bytes()));
                } else if first.is_uppercase()
                    && index > 0
                    && !headline
                    && chars.any(char::is_lowercase)
                {
                    lower_case_into(token.text, &mut lower);
                    context.title_case_words.insert(fnv(lower.as_bytes()));
                }
            }
        }
        context
    }

    /// `new`'s test for one ASCII token, without decoding: a lower-case word, or a title-case
    /// one that `may_be_title_case` (not at the start of its sentence, not in a headline).
    fn add_ascii(&mut self, word: &[u8], may_be_title_case: bool) {
        let Some((&first, rest)) = word.split_first() else {
            return;
        };
        if first.is_ascii_lowercase() {
            if !rest.iter().any(u8::is_ascii_uppercase) {
                self.lower_case_words.insert(fnv(word));
            }
        } else if first.is_ascii_uppercase()
            && may_be_title_case
            && rest.iter().any(u8::is_ascii_lowercase)
        {
            self.title_case_words
                .insert(ascii_token_values(word, false).word);
        }
    }
}

/// A sentence mostly in capitals (a CoNLL headline, a wire slug) hides the usual case cues.
pub fn is_headline(sentence: &[Token<'_>]) -> bool {
    let (mut upper, mut letters) = (0, 0);
    // Every sentence is asked, and most are prose: stop once even all the letters left being
    // capitals could not make four in five of them so.
    let mut unread: usize = sentence.iter().map(|token| token.text.len()).sum();
    for token in sentence {
        if (upper + unread) * 10 < (letters + unread) * 8 {
            return false;
        }
        unread -= token.text.len();
        if token.text.is_ascii() {
            for byte in token.text.bytes().filter(u8::is_ascii_alphabetic) {
                letters += 1;
                upper += usize::from(byte.is_ascii_uppercase());
            }
        } else {
            for c in token.text.chars().filter(|c| c.is_alphabetic()) {
                letters += 1;
                upper += usize::from(c.is_uppercase());
            }
        }
    }
    letters >= 6 && upper * 10 >= letters * 8
}

/// Word shape, runs collapsed: `Kim` → `Xx`, `U.S.` → `X.X.`, `1996-08-22` → `d-d-d`.
/// Written into `out`, a buffer reused from token to token.
fn shape_into(word: &str, out: &mut String) {
    out.clear();
    let mut last = None;
    for c in word.chars() {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else if c == '’' {
            '\''
        } else {
            c
        };
        if last != Some(class) {
            out.push(class);
            last = Some(class);
        }
    }
}

/// Lower case, into a reused buffer; most news words are ASCII and need no Unicode tables.
fn lower_case_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        out.push_str(&word.to_lowercase());
    }
}

/// Lower case with typographic apostrophes folded, as features see words.
fn normalise_into(word: &str, out: &mut String) {
    lower_case_into(word, out);
    if out.contains('’') {
        *out = out.replace('’', "'");
    }
}

/// FNV-1a, a fixed function, so a model file stays valid across Rust versions and platforms.
const fn fnv(bytes: &[u8]) -> u64 {
    let mut hash = FNV_START;
    let mut index = 0;
    while index < bytes.len() {
        hash = fnv_add(hash, bytes[index]);
        index += 1;
    }
    hash
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// One more byte into an FNV-1a hash.
const fn fnv_add(hash: u64, byte: u8) -> u64 {
    (hash ^ byte as u64).wrapping_mul(0x0000_0100_0000_01b3)
}

/// The word and shape hashes of an ASCII token, as `token_values` makes them through its
/// buffers, computed on the fly: most news tokens are ASCII, and this is the tagger's most
/// frequent step.
fn ascii_token_values(text: &[u8], bare_initial: bool) -> TokenValues {
    let mut word = FNV_START;
    let mut shape = FNV_START;
    let mut last = None;
    for &byte in text {
        word = fnv_add(word, byte.to_ascii_lowercase());
        let class = match byte {
            b'A'..=b'Z' => b'X',
            b'a'..=b'z' => b'x',
            b'0'..=b'9' => b'd',
            other => other,
        };
        if last != Some(class) {
            shape = fnv_add(shape, class);
            last = Some(class);
        }
    }
    if bare_initial {
        word = fnv_add(word, b'.');
        shape = fnv(b"X.");
    }
    TokenValues { word, shape }
}

/// A feature: its template's hash mixed with its values' hashes, in order. Each value (a
/// word, a shape, an affix) is hashed once per token rather than once per feature that uses
/// it. The low bit is always set, since 0 marks an empty slot of the model's table.
fn feature(template: u64, values: &[u64]) -> u64 {
    let mut hash = template;
    for &value in values {
        hash = (hash ^ value).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        hash ^= hash >> 32;
    }
    hash | 1
}

/// Feature templates, by name.
mod template {
    use super::fnv;
    pub const BIAS: u64 = fnv(b"b");
    pub const WORD: u64 = fnv(b"w");
    pub const SHAPE: u64 = fnv(b"s");
    pub const PREFIX_2: u64 = fnv(b"p2");
    pub const PREFIX_3: u64 = fnv(b"p3");
    pub const SUFFIX_2: u64 = fnv(b"x2");
    pub const SUFFIX_3: u64 = fnv(b"x3");
    pub const SUFFIX_4: u64 = fnv(b"x4");
    pub const WORD_BEFORE: u64 = fnv(b"w-1");
    pub const WORD_AFTER: u64 = fnv(b"w+1");
    pub const WORD_2_BEFORE: u64 = fnv(b"w-2");
    pub const WORD_2_AFTER: u64 = fnv(b"w+2");
    pub const SHAPE_BEFORE: u64 = fnv(b"s-1");
    pub const SHAPE_AFTER: u64 = fnv(b"s+1");
    pub const SHAPES_BEFORE_AND_THIS: u64 = fnv(b"s-1s");
    pub const SHAPES_THIS_AND_AFTER: u64 = fnv(b"ss+1");
    pub const SHAPES_AROUND: u64 = fnv(b"s-1ss+1");
    pub const WORDS_BEFORE_AND_THIS: u64 = fnv(b"w-1w");
    pub const WORDS_THIS_AND_AFTER: u64 = fnv(b"ww+1");
    pub const WORD_BEFORE_SHAPE: u64 = fnv(b"w-1s");
    pub const SHAPE_WORD_AFTER: u64 = fnv(b"sw+1");
    pub const FIRST: u64 = fnv(b"first");
    pub const HEADLINE_WORD: u64 = fnv(b"hl-w");
    pub const HEADLINE_SHAPE: u64 = fnv(b"hl-s");
    pub const DOCUMENT: u64 = fnv(b"doc");
    pub const DOCUMENT_SHAPE: u64 = fnv(b"doc-s");
    /// Not a feature: the key under which a token's own features' scores are remembered.
    pub const OWN: u64 = fnv(b"own");
}

/// Values standing for the words and shapes before a sentence's start and after its end, and
/// for whether the document has a word in lower case or in title case elsewhere.
const SENTENCE_START: u64 = fnv(b"<s>");
const SENTENCE_END: u64 = fnv(b"</s>");
const SEEN_LOWER: u64 = fnv(b"l");
const SEEN_TITLE: u64 = fnv(b"t");
const NOT_SEEN: u64 = fnv(b"-");

fn prefix(word: &str, length: usize) -> &str {
    match word.char_indices().nth(length) {
        Some((index, _)) => &word[..index],
        None => word,
    }
}

fn suffix(word: &str, length: usize) -> &str {
    let count = word.chars().count();
    if count <= length {
        return word;
    }
    match word.char_indices().nth(count - length) {
        Some((index, _)) => &word[index..],
        None => word,
    }
}

/// The most features a token has: 21 always, and up to 5 by position, headline and case.
const MOST_FEATURES: usize = 26;
/// How many of them are the token's own: bias, word, shape and five affixes.
const OWN_FEATURES: usize = 8;

/// The hashed features of a sentence's tokens, kept in one flat list: a sentence costs one
/// allocation rather than one per token.
#[derive(Debug)]
pub struct SentenceFeatures {
    keys: Vec<u64>,
    /// Where each token's features end in `keys`.
    ends: Vec<usize>,
}

impl SentenceFeatures {
    /// How many tokens the sentence has.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The features of the token at `index`.
    fn token(&self, index: usize) -> &[u64] {
        let start = index.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.keys[start..self.ends[index]]
    }

    /// Each token's features, in order.
    pub fn tokens(&self) -> impl Iterator<Item = &[u64]> + '_ {
        (0..self.len()).map(|index| self.token(index))
    }
}

/// The hashes of a token's word (normalised) and shape, which its neighbours' features use too.
#[derive(Debug, Clone, Copy)]
struct TokenValues {
    word: u64,
    shape: u64,
}

impl TokenValues {
    /// What the token's own features depend on, as one key. (Mixed into a template of its
    /// own: word and shape alone would cancel out where they are equal, as for punctuation.)
    fn own_key(self) -> u64 {
        feature(template::OWN, &[self.word, self.shape])
    }
}

/// Many style guides drop the full stop after initials ("George W Bush"); the training text
/// always has it ("George W. Bush"), so a bare capital between two names is read as one.
fn is_bare_initial(sentence: &[Token<'_>], index: usize) -> bool {
    let capitalised = |other: usize| {
        sentence
            .get(other)
            .and_then(|token| token.text.chars().next())
            .is_some_and(char::is_uppercase)
    };
    let text = sentence[index].text;
    index > 0
        && index + 1 < sentence.len()
        && text.len() == 1
        && text.chars().all(|c| c.is_ascii_uppercase())
        && capitalised(index - 1)
        && capitalised(index + 1)
}

/// A token's word as features see it, into `word`: normalised, with a full stop after a bare
/// initial. Says whether the token was one.
fn feature_word(sentence: &[Token<'_>], index: usize, word: &mut String) -> bool {
    normalise_into(sentence[index].text, word);
    let bare_initial = is_bare_initial(sentence, index);
    if bare_initial {
        word.push('.');
    }
    bare_initial
}

/// Hashes the word and shape of each token in `read` once, into `values` (cleared first):
/// `values[k]` is the token at `read.start + k`.
fn token_values(sentence: &[Token<'_>], read: Range<usize>, values: &mut Vec<TokenValues>) {
    let (mut word, mut shape) = (String::new(), String::new());
    values.clear();
    values.extend(read.map(|index| {
        let text = sentence[index].text;
        if text.is_ascii() {
            ascii_token_values(text.as_bytes(), is_bare_initial(sentence, index))
        } else {
            buffered_token_values(sentence, index, &mut word, &mut shape)
        }
    }));
}

/// The word and shape hashes of any token, through two buffers reused from token to token.
fn buffered_token_values(
    sentence: &[Token<'_>],
    index: usize,
    word: &mut String,
    shape: &mut String,
) -> TokenValues {
    if feature_word(sentence, index, word) {
        shape.clear();
        shape.push_str("X.");
    } else {
        shape_into(sentence[index].text, shape);
    }
    TokenValues {
        word: fnv(word.as_bytes()),
        shape: fnv(shape.as_bytes()),
    }
}

/// The features of a token by itself: bias, word, shape, and its prefixes of 2 and 3
/// characters and suffixes of 2, 3 and 4. They come first among its features.
fn own_features(
    sentence: &[Token<'_>],
    index: usize,
    values: TokenValues,
    word: &mut String,
) -> [u64; OWN_FEATURES] {
    feature_word(sentence, index, word);
    let affix = |part: &str| fnv(part.as_bytes());
    [
        feature(template::BIAS, &[]),
        feature(template::WORD, &[values.word]),
        feature(template::SHAPE, &[values.shape]),
        feature(template::PREFIX_2, &[affix(prefix(word, 2))]),
        feature(template::PREFIX_3, &[affix(prefix(word, 3))]),
        feature(template::SUFFIX_2, &[affix(suffix(word, 2))]),
        feature(template::SUFFIX_3, &[affix(suffix(word, 3))]),
        feature(template::SUFFIX_4, &[affix(suffix(word, 4))]),
    ]
}

/// The features of the token at `position` that look beyond it, in their fixed order: its
/// neighbours, its place in the sentence, headline and the document's use of the word.
/// `values` holds the values of the sentence's tokens from the one at `first` on, at least
/// up to two tokens either side of `position`.
fn context_features(
    sentence: &[Token<'_>],
    position: usize,
    (values, first): (&[TokenValues], usize),
    headline: bool,
    document: &DocumentContext,
    keys: &mut FeatureKeys,
) {
    // The values two tokens either way, each read once.
    let around = |offset: isize| -> TokenValues {
        let index = position as isize + offset;
        let edge = |value| TokenValues {
            word: value,
            shape: value,
        };
        if index < 0 {
            edge(SENTENCE_START)
        } else if index as usize >= sentence.len() {
            edge(SENTENCE_END)
        } else {
            values[index as usize - first]
        }
    };
    let [two_before, before, this, after, two_after] = [-2, -1, 0, 1, 2].map(around);
    let (w, s) = (this.word, this.shape);
    keys.extend([
        feature(template::WORD_BEFORE, &[before.word]),
        feature(template::WORD_AFTER, &[after.word]),
        feature(template::WORD_2_BEFORE, &[two_before.word]),
        feature(template::WORD_2_AFTER, &[two_after.word]),
        feature(template::SHAPE_BEFORE, &[before.shape]),
        feature(template::SHAPE_AFTER, &[after.shape]),
        feature(template::SHAPES_BEFORE_AND_THIS, &[before.shape, s]),
        feature(template::SHAPES_THIS_AND_AFTER, &[s, after.shape]),
        feature(template::SHAPES_AROUND, &[before.shape, s, after.shape]),
        feature(template::WORDS_BEFORE_AND_THIS, &[before.word, w]),
        feature(template::WORDS_THIS_AND_AFTER, &[w, after.word]),
        feature(template::WORD_BEFORE_SHAPE, &[before.word, s]),
        feature(template::SHAPE_WORD_AFTER, &[s, after.word]),
    ]);
    if position == 0 {
        keys.push(feature(template::FIRST, &[s]));
    }
    if headline {
        keys.push(feature(template::HEADLINE_WORD, &[w]));
        keys.push(feature(template::HEADLINE_SHAPE, &[s]));
    }
    if sentence[position]
        .text
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
    {
        // The context holds words by the same hash as `w`, the normalised word.
        let seen_lower = if document.lower_case_words.contains(&w) {
            SEEN_LOWER
        } else {
            NOT_SEEN
        };
        let seen_title = if document.title_case_words.contains(&w) {
            SEEN_TITLE
        } else {
            NOT_SEEN
        };
        keys.push(feature(template::DOCUMENT, &[seen_lower, seen_title]));
        keys.push(feature(
            template::DOCUMENT_SHAPE,
            &[seen_lower, seen_title, s],
        ));
    }
}

/// The hashed features of every token of a sentence: its own, then its context's.
pub fn sentence_features(
    sentence: &[Token<'_>],
    headline: bool,
    document: &DocumentContext,
) -> SentenceFeatures {
    let mut values = Vec::new();
    token_values(sentence, 0..sentence.len(), &mut values);
    let mut word = String::new();
    let mut features = SentenceFeatures {
        keys: Vec::with_capacity(sentence.len() * MOST_FEATURES),
        ends: Vec::with_capacity(sentence.len()),
    };
    for (position, &token) in values.iter().enumerate() {
        features
            .keys
            .extend(own_features(sentence, position, token, &mut word));
        let mut context = FeatureKeys::default();
        context_features(
            sentence,
            position,
            (&values, 0),
            headline,
            document,
            &mut context,
        );
        features.keys.extend_from_slice(context.as_slice());
        features.ends.push(features.keys.len());
    }
    features
}

/// The keys of a token's context features, on the stack: tagging makes them for every token
/// it scores.
#[derive(Debug, Clone, Copy)]
struct FeatureKeys {
    keys: [u64; MOST_FEATURES - OWN_FEATURES],
    len: usize,
}

impl Default for FeatureKeys {
    fn default() -> FeatureKeys {
        FeatureKeys {
            keys: [0; MOST_FEATURES - OWN_FEATURES],
            len: 0,
        }
    }
}

impl FeatureKeys {
    fn push(&mut self, key: u64) {
        self.keys[self.len] = key;
        self.len += 1;
    }

    fn extend<const N: usize>(&mut self, keys: [u64; N]) {
        self.keys[self.len..self.len + N].copy_from_slice(&keys);
        self.len += N;
    }

    fn as_slice(&self) -> &[u64] {
        &self.keys[..self.len]
    }
}

/// Rows of tag scores by feature key, open addressing with linear probing: the model's weights,
/// and the scores a thread remembers by word (`RememberedScores`). Unlike a hash map's, a key's
/// slot is known before its lookup, so it can be fetched ahead (`prefetch`) while other work
/// goes on: the model is larger than the caches.
#[derive(Debug, Clone)]
struct ScoreTable {
    /// Keys by slot; 0 marks an empty slot (feature keys have their low bit set).
    keys: Vec<u64>,
    rows: Vec<[f32; TAGS]>,
}

impl ScoreTable {
    /// A table of `slots` empty slots, a power of two.
    fn with_slots(slots: usize) -> ScoreTable {
        debug_assert!(slots.is_power_of_two());
        ScoreTable {
            keys: vec![0; slots],
            rows: vec![[0.0; TAGS]; slots],
        }
    }

    fn slots(&self) -> usize {
        self.keys.len()
    }

    /// Where a key's probe starts: its hash's high bits, since the low bit of every feature is
    /// set (so its low bits would leave half the slots unused as starts).
    fn home_slot(&self, key: u64) -> usize {
        (key >> 32) as usize & (self.keys.len() - 1)
    }

    fn get(&self, key: u64) -> Option<&[f32; TAGS]> {
        let mask = self.keys.len() - 1;
        let mut slot = self.home_slot(key);
        loop {
            match self.keys[slot] {
                0 => return None,
                found if found == key => return Some(&self.rows[slot]),
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// Puts a key that is not in the table in the first free slot of its probe; the table
    /// must have one.
    fn put(&mut self, key: u64, row: [f32; TAGS]) {
        let mask = self.keys.len() - 1;
        let mut slot = self.home_slot(key);
        while self.keys[slot] != 0 {
            slot = (slot + 1) & mask;
        }
        self.keys[slot] = key;
        self.rows[slot] = row;
    }

    /// The keys and rows of the filled slots.
    fn entries(&self) -> impl Iterator<Item = (u64, &[f32; TAGS])> {
        self.keys
            .iter()
            .zip(&self.rows)
            .filter(|(key, _)| **key != 0)
            .map(|(key, row)| (*key, row))
    }

    /// Asks the CPU for a key's home slot ahead of its lookup.
    #[cfg(target_arch = "x86_64")]
    fn prefetch(&self, key: u64) {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let slot = self.home_slot(key);
        // SAFETY: `slot` is within both tables (it is masked by their length - 1), and a
        // prefetch only hints the cache; it never faults or changes memory.
        unsafe {
            _mm_prefetch::<_MM_HINT_T0>(self.keys.as_ptr().add(slot).cast());
            _mm_prefetch::<_MM_HINT_T0>(self.rows.as_ptr().add(slot).cast());
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn prefetch(&self, _key: u64) {}
}

/// Trained weights: one row of tag scores per feature, and tag-to-tag transitions.
#[derive(Debug, Clone)]
pub struct Model {
    table: ScoreTable,
    transitions: [[f32; TAGS]; TAGS + 1],
    /// Tells models apart, so that scores a thread remembers for one are never used with
    /// another (training makes one per epoch).
    id: u64,
}

/// The next model's id.
static MODEL_IDS: AtomicU64 = AtomicU64::new(0);

/// The most words a thread remembers scores for before it starts afresh: a table of about
/// 10 MB.
const REMEMBERED_WORDS: usize = 1 << 18;

/// What one thread keeps from sentence to sentence while tagging: the id of a model and, by
/// word and shape, the summed scores of a token's own features under it (words recur
/// throughout an archive, and these 8 of a token's 21-26 table lookups depend on nothing
/// else), and buffers reused from stretch to stretch.
#[derive(Default)]
struct Tagging {
    model: Option<u64>,
    own_scores: RememberedScores,
    values: Vec<TokenValues>,
    emissions: Vec<[f32; TAGS]>,
    decoding: Decoding,
    word: String,
}

thread_local! {
    static TAGGING: RefCell<Tagging> = RefCell::new(Tagging::default());
}

/// Tokens' summed own scores by `TokenValues::own_key`, in a table like the model's, so that
/// the next token's slot can be fetched while this token is scored (see `prefetch`): looked up
/// in a hash map, these missed the cache on 5% of extraction's time.
struct RememberedScores {
    table: ScoreTable,
    len: usize,
}

impl Default for RememberedScores {
    fn default() -> RememberedScores {
        RememberedScores {
            table: ScoreTable::with_slots(RememberedScores::FIRST_SLOTS),
            len: 0,
        }
    }
}

impl RememberedScores {
    /// Slots of a new table: it doubles when half full.
    const FIRST_SLOTS: usize = 1 << 12;

    fn len(&self) -> usize {
        self.len
    }

    fn clear(&mut self) {
        *self = RememberedScores::default();
    }

    fn get(&self, key: u64) -> Option<[f32; TAGS]> {
        self.table.get(key).copied()
    }

    /// Adds a key that is not in the table.
    fn insert(&mut self, key: u64, scores: [f32; TAGS]) {
        if (self.len + 1) * 2 > self.table.slots() {
            let larger = ScoreTable::with_slots(self.table.slots() * 2);
            let table = std::mem::replace(&mut self.table, larger);
            for (key, scores) in table.entries() {
                self.table.put(key, *scores);
            }
        }
        self.table.put(key, scores);
        self.len += 1;
    }

    /// Asks the CPU for a key's home slot ahead of its lookup.
    fn prefetch(&self, key: u64) {
        self.table.prefetch(key);
    }
}

const MAGIC: &[u8; 8] = b"GZPERS02";

impl Model {
    /// Reads a model written by `to_bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Option<Model> {
        let rest = bytes.strip_prefix(MAGIC)?;
        let mut floats = Vec::new();
        let (count_bytes, mut rest) = rest.split_at_checked(8)?;
        let count = usize::try_from(u64::from_le_bytes(count_bytes.try_into().ok()?)).ok()?;
        let mut transitions = [[0.0; TAGS]; TAGS + 1];
        for row in transitions.iter_mut() {
            for cell in row.iter_mut() {
                let (value, tail) = rest.split_at_checked(4)?;
                *cell = f32::from_le_bytes(value.try_into().ok()?);
                rest = tail;
            }
        }
        let mut entries = Vec::with_capacity(count);
        for _ in 0..count {
            let (key, tail) = rest.split_at_checked(8)?;
            rest = tail;
            floats.clear();
            for _ in 0..TAGS {
                let (value, tail) = rest.split_at_checked(4)?;
                floats.push(f32::from_le_bytes(value.try_into().ok()?));
                rest = tail;
            }
            entries.push((
                u64::from_le_bytes(key.try_into().ok()?),
                [floats[0], floats[1], floats[2]],
            ));
        }
        Some(Model::from_entries(entries, transitions))
    }

    fn from_entries(
        entries: Vec<(u64, [f32; TAGS])>,
        transitions: [[f32; TAGS]; TAGS + 1],
    ) -> Model {
        let mut table = ScoreTable::with_slots((entries.len() * 2).next_power_of_two().max(16));
        for (key, row) in entries {
            table.put(key, row);
        }
        Model {
            table,
            transitions,
            id: MODEL_IDS.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Writes the model; features whose weights are all near zero are left out.
    pub fn to_bytes(&self) -> Vec<u8> {
        let kept: Vec<(u64, [f32; TAGS])> = self
            .table
            .entries()
            .filter(|(_, row)| row.iter().any(|weight| weight.abs() >= 1e-3))
            .map(|(key, row)| (key, *row))
            .collect();
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&(kept.len() as u64).to_le_bytes());
        for row in &self.transitions {
            for cell in row {
                bytes.extend_from_slice(&cell.to_le_bytes());
            }
        }
        for (key, row) in kept {
            bytes.extend_from_slice(&key.to_le_bytes());
            for weight in row {
                bytes.extend_from_slice(&weight.to_le_bytes());
            }
        }
        bytes
    }

    /// Each token's scores: the sum of its features' rows.
    fn emissions(&self, features: &SentenceFeatures) -> Vec<[f32; TAGS]> {
        if !features.is_empty() {
            self.prefetch(features.token(0));
        }
        let mut all = vec![[0.0; TAGS]; features.len()];
        for (index, scores) in all.iter_mut().enumerate() {
            if index + 1 < features.len() {
                self.prefetch(features.token(index + 1));
            }
            self.add_rows(features.token(index), scores);
        }
        all
    }

    fn add_rows(&self, keys: &[u64], scores: &mut [f32; TAGS]) {
        for key in keys {
            if let Some(row) = self.table.get(*key) {
                for tag in 0..TAGS {
                    scores[tag] += row[tag];
                }
            }
        }
    }

    /// Asks the CPU for the table slots of a token's features ahead of their lookups, so
    /// their memory fetches overlap.
    fn prefetch(&self, features: &[u64]) {
        for &key in features {
            self.table.prefetch(key);
        }
    }

    /// The best tag sequence for a sentence's features.
    pub fn tag(&self, features: &SentenceFeatures) -> Vec<usize> {
        viterbi(&self.emissions(features), &self.transitions)
    }

    /// Tags a sentence of a document, as `tag(&sentence_features(..))` does, but scores only
    /// the tokens near a capitalised word (see `name_reach`) and takes each token's own scores
    /// from what this thread remembers of earlier words (the same sums, added in the same
    /// order). The tokens further away are outside a name, and each stretch between them is
    /// decoded on its own, from and to the outside tag.
    pub fn tag_sentence(
        &self,
        sentence: &[Token<'_>],
        headline: bool,
        document: &DocumentContext,
    ) -> Vec<usize> {
        let mut tags = vec![OUTSIDE; sentence.len()];
        let stretches = name_reach(sentence);
        if stretches.is_empty() {
            return tags;
        }
        TAGGING.with_borrow_mut(|tagging| {
            for stretch in stretches {
                self.remembered_emissions(sentence, stretch.clone(), headline, document, tagging);
                let from = if stretch.start == 0 {
                    FROM_START
                } else {
                    OUTSIDE
                };
                let then_outside = stretch.end < sentence.len();
                tagging.decoding.best_path(
                    &tagging.emissions,
                    &self.transitions,
                    (from, then_outside),
                    &mut tags[stretch],
                );
            }
        });
        tags
    }

    /// The emission scores of the tokens of a sentence in `scored`, into `tagging.emissions`.
    /// A token's context features are made while the previous token's are looked up, so the
    /// CPU fetches their table slots meanwhile (see `prefetch`).
    fn remembered_emissions(
        &self,
        sentence: &[Token<'_>],
        scored: Range<usize>,
        headline: bool,
        document: &DocumentContext,
        tagging: &mut Tagging,
    ) {
        if tagging.model != Some(self.id) || tagging.own_scores.len() >= REMEMBERED_WORDS {
            tagging.own_scores.clear();
            tagging.model = Some(self.id);
        }
        tagging.emissions.clear();
        if scored.is_empty() {
            return;
        }
        // Features look two tokens either way.
        let read = scored.start.saturating_sub(2)..(scored.end + 2).min(sentence.len());
        token_values(sentence, read.clone(), &mut tagging.values);
        let values = (tagging.values.as_slice(), read.start);
        let context = |position: usize, keys: &mut FeatureKeys| {
            keys.len = 0;
            context_features(sentence, position, values, headline, document, keys);
            self.prefetch(keys.as_slice());
        };
        // This token's context features, and the next one's.
        let mut keys = [FeatureKeys::default(); 2];
        context(scored.start, &mut keys[0]);
        for (step, position) in scored.clone().enumerate() {
            let [even, odd] = &mut keys;
            let (this, next) = if step % 2 == 0 {
                (even, odd)
            } else {
                (odd, even)
            };
            if position + 1 < scored.end {
                context(position + 1, next);
                let next_token = values.0[position + 1 - read.start];
                tagging.own_scores.prefetch(next_token.own_key());
            }
            let token = values.0[position - read.start];
            let key = token.own_key();
            let mut scores = match tagging.own_scores.get(key) {
                Some(scores) => scores,
                None => {
                    let mut scores = [0.0; TAGS];
                    let own = own_features(sentence, position, token, &mut tagging.word);
                    self.add_rows(&own, &mut scores);
                    tagging.own_scores.insert(key, scores);
                    scores
                }
            };
            self.add_rows(this.as_slice(), &mut scores);
            tagging.emissions.push(scores);
        }
    }
}

/// How far from a capitalised word a token of a name can be, in tokens, not counting the name
/// particles before it: "Osama bin Laden", "said van der Walt". News text capitalises names,
/// so a token further than this from every capitalised word is outside any name, and the
/// tagger need not score it. A reach of two scored a third more tokens than one, and found
/// no other name in the BBC corpus.
const NAME_REACH: usize = 1;

/// The stretches of a sentence within `NAME_REACH` tokens of a capitalised word, in order. A
/// common word capitalised because it opens the sentence ("The", "But") is not one: no name
/// in the training text holds a common word, and scoring around them was a tenth of the
/// tagger's work. Nor is a place, organisation, day or month ("London", "Monday"): alone, a
/// name found in one is dropped, and scoring around them was a sixth of the tagger's work.
fn name_reach(sentence: &[Token<'_>]) -> Vec<Range<usize>> {
    let mut stretches: Vec<Range<usize>> = Vec::new();
    let opening = sentence
        .iter()
        .position(|token| token.text.chars().any(char::is_alphanumeric));
    let capitalised = sentence
        .iter()
        .enumerate()
        .filter(|(_, token)| token.is_capitalised())
        .filter(|&(index, token)| Some(index) != opening || !words::is_common_word(token.text))
        .filter(|(_, token)| !words::is_never_a_name_alone(token.text));
    for (index, _) in capitalised {
        let mut start = index.saturating_sub(NAME_REACH);
        while start > 0 && words::is_particle(sentence[start].text) {
            start -= 1;
        }
        let near = start..(index + NAME_REACH + 1).min(sentence.len());
        match stretches.last_mut() {
            Some(last) if last.end >= near.start => last.end = near.end,
            _ => stretches.push(near),
        }
    }
    stretches
}

/// Best path for a whole sentence.
fn viterbi(emissions: &[[f32; TAGS]], transitions: &[[f32; TAGS]; TAGS + 1]) -> Vec<usize> {
    let mut path = vec![OUTSIDE; emissions.len()];
    Decoding::default().best_path(emissions, transitions, (FROM_START, false), &mut path);
    path
}

/// Viterbi decoding's tables, kept to be reused.
#[derive(Debug, Default)]
struct Decoding {
    scores: Vec<[f32; TAGS]>,
    back: Vec<[usize; TAGS]>,
}

impl Decoding {
    /// Writes into `path` the best tags for a stretch of tokens entered from `from` (the
    /// start of the sentence, or a tag) and, if `then_outside`, followed by a token outside a
    /// name. `INSIDE` may only follow `BEGIN` or `INSIDE`.
    fn best_path(
        &mut self,
        emissions: &[[f32; TAGS]],
        transitions: &[[f32; TAGS]; TAGS + 1],
        (from, then_outside): (usize, bool),
        path: &mut [usize],
    ) {
        if emissions.is_empty() {
            return;
        }
        let allowed = |from: usize, to: usize| to != INSIDE || from == BEGIN || from == INSIDE;
        let (scores, back) = (&mut self.scores, &mut self.back);
        scores.clear();
        scores.resize(emissions.len(), [f32::NEG_INFINITY; TAGS]);
        back.clear();
        back.resize(emissions.len(), [0; TAGS]);
        for tag in 0..TAGS {
            if tag != INSIDE {
                scores[0][tag] = transitions[from][tag] + emissions[0][tag];
            }
        }
        for position in 1..emissions.len() {
            for tag in 0..TAGS {
                for previous in 0..TAGS {
                    if !allowed(previous, tag) {
                        continue;
                    }
                    let score = scores[position - 1][previous]
                        + transitions[previous][tag]
                        + emissions[position][tag];
                    if score > scores[position][tag] {
                        scores[position][tag] = score;
                        back[position][tag] = previous;
                    }
                }
            }
        }
        let last = emissions.len() - 1;
        let exit = |tag: usize| {
            scores[last][tag]
                + if then_outside {
                    transitions[tag][OUTSIDE]
                } else {
                    0.0
                }
        };
        let mut tag = (0..TAGS)
            .max_by(|a, b| exit(*a).total_cmp(&exit(*b)))
            .unwrap_or(OUTSIDE);
        for position in (0..emissions.len()).rev() {
            path[position] = tag;
            tag = back[position][tag];
        }
    }
}

/// A sentence's features and its gold tags, for training.
pub struct Example {
    pub features: SentenceFeatures,
    pub tags: Vec<usize>,
}

/// Averaged structured perceptron training (Collins 2002), deterministic for given examples.
pub fn train(
    examples: &[Example],
    epochs: usize,
    mut on_epoch: impl FnMut(usize, &Model),
) -> Model {
    let mut weights: HashMap<u64, [f32; TAGS]> = HashMap::new();
    let mut totals: HashMap<u64, [f32; TAGS]> = HashMap::new();
    let mut transitions = [[0.0f32; TAGS]; TAGS + 1];
    let mut transition_totals = [[0.0f32; TAGS]; TAGS + 1];
    let mut step: f32 = 1.0;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut shuffler = Shuffler::new(0x9e37_79b9_7f4a_7c15);
    for epoch in 0..epochs {
        shuffler.shuffle(&mut order);
        for &example_index in &order {
            let example = &examples[example_index];
            let emissions: Vec<[f32; TAGS]> = example
                .features
                .tokens()
                .map(|token_features| {
                    let mut scores = [0.0; TAGS];
                    for key in token_features {
                        if let Some(row) = weights.get(key) {
                            for tag in 0..TAGS {
                                scores[tag] += row[tag];
                            }
                        }
                    }
                    scores
                })
                .collect();
            let predicted = viterbi(&emissions, &transitions);
            if predicted != example.tags {
                for (position, token_features) in example.features.tokens().enumerate() {
                    let (gold, guess) = (example.tags[position], predicted[position]);
                    if gold == guess {
                        continue;
                    }
                    for key in token_features {
                        let row = weights.entry(*key).or_insert([0.0; TAGS]);
                        row[gold] += 1.0;
                        row[guess] -= 1.0;
                        let total = totals.entry(*key).or_insert([0.0; TAGS]);
                        total[gold] += step;
                        total[guess] -= step;
                    }
                }
                for position in 0..example.tags.len() {
                    let from = |tags: &[usize]| {
                        if position == 0 {
                            FROM_START
                        } else {
                            tags[position - 1]
                        }
                    };
                    let (gold_from, gold_to) = (from(&example.tags), example.tags[position]);
                    let (guess_from, guess_to) = (from(&predicted), predicted[position]);
                    if (gold_from, gold_to) != (guess_from, guess_to) {
                        transitions[gold_from][gold_to] += 1.0;
                        transition_totals[gold_from][gold_to] += step;
                        transitions[guess_from][guess_to] -= 1.0;
                        transition_totals[guess_from][guess_to] -= step;
                    }
                }
            }
            step += 1.0;
        }
        on_epoch(
            epoch,
            &averaged(&weights, &totals, &transitions, &transition_totals, step),
        );
    }
    averaged(&weights, &totals, &transitions, &transition_totals, step)
}

/// Averaged weights: w - totals / step (the running-sum trick of Daumé III).
fn averaged(
    weights: &HashMap<u64, [f32; TAGS]>,
    totals: &HashMap<u64, [f32; TAGS]>,
    transitions: &[[f32; TAGS]; TAGS + 1],
    transition_totals: &[[f32; TAGS]; TAGS + 1],
    step: f32,
) -> Model {
    let mut entries: Vec<(u64, [f32; TAGS])> = weights
        .iter()
        .map(|(key, row)| {
            let total = totals.get(key).copied().unwrap_or([0.0; TAGS]);
            (
                *key,
                std::array::from_fn(|tag| row[tag] - total[tag] / step),
            )
        })
        .collect();
    entries.sort_by_key(|(key, _)| *key);
    let averaged_transitions = std::array::from_fn(|from| {
        std::array::from_fn(|to| transitions[from][to] - transition_totals[from][to] / step)
    });
    Model::from_entries(entries, averaged_transitions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_runs() {
        let shape = |word: &str| {
            let mut out = String::from("left over");
            shape_into(word, &mut out);
            out
        };
        assert_eq!(shape("Kim"), "Xx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("Jong-un"), "Xx-x");
        assert_eq!(shape("1996-08-22"), "d-d-d");
        assert_eq!(shape("Ελλάδα"), "Xx");
    }

    #[test]
    fn viterbi_never_starts_a_name_inside() {
        let emissions = [[0.0, 0.0, 5.0], [0.0, 0.0, 5.0]];
        let path = viterbi(&emissions, &[[0.0; TAGS]; TAGS + 1]);
        assert_ne!(path[0], INSIDE);
    }

    #[test]
    fn a_model_survives_its_byte_form() {
        let model = Model::from_entries(
            vec![(3, [1.0, -2.0, 0.5]), (7, [0.0, 0.25, 0.0])],
            [[0.5; TAGS]; TAGS + 1],
        );
        let copy = Model::from_bytes(&model.to_bytes()).unwrap();
        assert_eq!(copy.table.get(3), Some(&[1.0, -2.0, 0.5]));
        assert_eq!(copy.table.get(7), Some(&[0.0, 0.25, 0.0]));
        assert_eq!(copy.table.get(5), None);
        assert!(Model::from_bytes(b"nonsense").is_none());
    }

    /// Calls `check` with each sentence of the first 60 BBC articles of a section, whether it
    /// is a headline and its document's context; returns how many tokens they had.
    fn bbc_sentences(
        section: &str,
        mut check: impl FnMut(&[Token<'_>], bool, &DocumentContext, &std::path::Path),
    ) -> usize {
        let folder = format!(
            "{}/../shared/corpora/bbc/{section}",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut texts: Vec<_> = std::fs::read_dir(folder)
            .expect("the BBC corpus beside the repository")
            .map(|entry| entry.unwrap().path())
            .collect();
        texts.sort();
        let mut tokens = 0;
        for path in texts.iter().take(60) {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let all = crate::extract::tokens::tokenize(&text);
            let sentences = crate::extract::tokens::sentences(&all);
            let headlines: Vec<bool> = sentences.iter().map(|s| is_headline(s)).collect();
            let context =
                DocumentContext::new(sentences.iter().copied().zip(headlines.iter().copied()));
            for (sentence, headline) in sentences.into_iter().zip(headlines) {
                check(sentence, headline, &context, path);
                tokens += sentence.len();
            }
        }
        tokens
    }

    #[test]
    fn ascii_tokens_hash_as_through_the_buffers() {
        let (mut word, mut shape) = (String::new(), String::new());
        let mut ascii = 0;
        bbc_sentences("business", |sentence, _, _, _| {
            for (index, token) in sentence.iter().enumerate() {
                if token.text.is_ascii() {
                    let fast =
                        ascii_token_values(token.text.as_bytes(), is_bare_initial(sentence, index));
                    let slow = buffered_token_values(sentence, index, &mut word, &mut shape);
                    assert_eq!(
                        (fast.word, fast.shape),
                        (slow.word, slow.shape),
                        "{token:?}"
                    );
                    ascii += 1;
                }
            }
        });
        assert!(ascii > 10_000, "{ascii} ASCII tokens");
        let initial = crate::extract::tokens::tokenize("George W Bush");
        let fast = ascii_token_values(b"W", true);
        let slow = buffered_token_values(&initial, 1, &mut word, &mut shape);
        assert_eq!((fast.word, fast.shape), (slow.word, slow.shape));
    }

    /// Remembered scores must be exactly the features' sums: a wrong key (once, word and shape
    /// cancelling out on punctuation) gives tokens other words' scores.
    #[test]
    fn remembered_scores_are_the_features_scores() {
        let model = crate::extract::people::model();
        let tokens = bbc_sentences("sport", |sentence, headline, context, path| {
            let features = sentence_features(sentence, headline, context);
            let summed = model.emissions(&features);
            let all = 0..sentence.len();
            let remembered = TAGGING.with_borrow_mut(|tagging| {
                model.remembered_emissions(sentence, all, headline, context, tagging);
                tagging.emissions.clone()
            });
            assert_eq!(remembered, summed, "{}: {sentence:?}", path.display());
        });
        assert!(tokens > 10_000);
    }

    /// Decoding only the stretches near capitalised words must tag real news as decoding whole
    /// sentences does, while leaving a good share of the tokens unscored. The one difference
    /// allowed: a name that whole sentences find made only of words that name no one alone
    /// ("Madagascar", "July June"), which people extraction drops anyway.
    #[test]
    fn stretches_near_capitals_tag_as_whole_sentences_do() {
        let model = crate::extract::people::model();
        let (mut names, mut skipped, mut never_alone) = (0, 0, 0);
        let tokens = bbc_sentences("politics", |sentence, headline, context, path| {
            let mut whole = model.tag(&sentence_features(sentence, headline, context));
            for (first, end) in super::super::tag_spans(&whole) {
                if sentence[first..end]
                    .iter()
                    .all(|token| words::is_never_a_name_alone(token.text))
                {
                    whole[first..end].fill(OUTSIDE);
                    never_alone += 1;
                }
            }
            let stretched = model.tag_sentence(sentence, headline, context);
            assert_eq!(stretched, whole, "{}: {sentence:?}", path.display());
            names += whole.iter().filter(|&&tag| tag == BEGIN).count();
            let scored: usize = name_reach(sentence).iter().map(Range::len).sum();
            skipped += sentence.len() - scored;
        });
        assert!(names > 300, "{names} names");
        assert!(never_alone > 0, "no place or day alone tagged as a name");
        assert!(
            skipped * 3 > tokens,
            "{skipped} of {tokens} tokens left unscored"
        );
    }

    #[test]
    fn the_reach_of_names_spans_a_token_around_each_capital_and_the_particles_before_it() {
        let reach = |text: &str| -> Vec<Vec<String>> {
            let tokens = crate::extract::tokens::tokenize(text);
            name_reach(&tokens)
                .into_iter()
                .map(|stretch| tokens[stretch].iter().map(|t| t.text.to_string()).collect())
                .collect()
        };
        assert_eq!(
            reach("the talks in the city broke down before Ursula von der Leyen spoke to them"),
            [["before", "Ursula", "von", "der", "Leyen", "spoke"]]
        );
        // No capitalised first name: "van der" still reaches back from "Walt".
        assert_eq!(
            reach("the fly-half said van der Walt was fit"),
            [["said", "van", "der", "Walt", "was"]]
        );
        assert_eq!(
            reach("talks with Kim ended early and then Trump left"),
            [vec!["with", "Kim", "ended"], vec!["then", "Trump", "left"]]
        );
        assert!(name_reach(&crate::extract::tokens::tokenize("no names here at all")).is_empty());
        // A place or a day alone names no one; beside a name it is still read with it.
        assert!(reach("she flew to London on Monday").is_empty());
        assert_eq!(
            reach("she met Jack London on Monday"),
            [["met", "Jack", "London"]]
        );
    }
}
