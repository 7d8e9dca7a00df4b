//! Prints how the person tagger tags each token of a text, before any rule runs: a tool for
//! understanding a missed or wrong name.
//!
//! ```text
//! cargo run --release --example show_person_tags -- "Mr Kim met Donald Trump."
//! ```
//!
//! Output: one line per sentence, each token followed by `/O` (outside a name), `/B` (first
//! token of a name) or `/I` (later token).

use gazette::extract::people::{model, tagger};
use gazette::extract::tokens;

fn main() {
    let text: String = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let all_tokens = tokens::tokenize(&text);
    let sentences = tokens::sentences(&all_tokens);
    let headlines: Vec<bool> = sentences.iter().map(|s| tagger::is_headline(s)).collect();
    let context =
        tagger::DocumentContext::new(sentences.iter().copied().zip(headlines.iter().copied()));
    for (sentence, headline) in sentences.into_iter().zip(headlines) {
        let tags = model().tag(&tagger::sentence_features(sentence, headline, &context));
        let line: Vec<String> = sentence
            .iter()
            .zip(tags)
            .map(|(token, tag)| format!("{}/{}", token.text, ["O", "B", "I"][tag]))
            .collect();
        println!("{}", line.join(" "));
    }
}
