//! Every article's signature (see `related::signature`), from the vocabulary pass until related
//! articles are found. A million articles' signatures take 400 MB, as much again as the
//! related index made from them, and each is read only twice after it is made: once to fill
//! the index, once to score the article. So, as the word store does with word counts, past a
//! budget they wait in a temporary file, one flat list in article order, and each piece of
//! work reads back its range of articles in one read. If the file cannot be created or
//! written, the signatures stay in memory: a build never fails for the want of it.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Write};
use std::ops::Range;
use std::os::unix::fs::FileExt;

use super::classifier::SparseVector;

/// Bytes of signatures held in memory at most: all of an archive of about 160,000 articles.
pub const BUDGET: usize = 64 << 20;

/// Bytes of one entry (word id, weight) in the file.
const ENTRY_BYTES: usize = 8;

/// Takes the signatures in article order.
pub struct SignatureWriter {
    /// Where each article's entries start in the whole list; one more than the articles.
    starts: Vec<usize>,
    /// In how many signatures each word is: the lengths of the index's word lists.
    word_articles: Vec<usize>,
    budget: usize,
    /// How many entries, from the first, are in the file.
    written: usize,
    /// The entries after those.
    held: Vec<(u32, f32)>,
    file: Spill,
}

enum Spill {
    NotYet,
    Open(File),
    /// A write failed: the file keeps what it took, and the rest stays in memory.
    Broken(File),
    /// The file could not be created: everything stays in memory.
    Failed,
}

impl SignatureWriter {
    /// A writer for signatures of words numbered below `words`, holding up to `budget` bytes
    /// of them in memory.
    pub fn new(words: usize, budget: usize) -> SignatureWriter {
        SignatureWriter {
            starts: vec![0],
            word_articles: vec![0; words],
            budget,
            written: 0,
            held: Vec::new(),
            file: Spill::NotYet,
        }
    }

    /// Adds the next articles' signatures.
    pub fn push(&mut self, signatures: impl IntoIterator<Item = SparseVector>) {
        for signature in signatures {
            for &(word, _) in &signature {
                self.word_articles[word as usize] += 1;
            }
            self.held.extend_from_slice(&signature);
            let end = self.starts[self.starts.len() - 1] + signature.len();
            self.starts.push(end);
        }
        if self.held.len() * ENTRY_BYTES > self.budget && matches!(self.file, Spill::NotYet) {
            self.file = tempfile::tempfile().map_or(Spill::Failed, Spill::Open);
        }
        if let Spill::Open(file) = &mut self.file {
            if write_entries(file, &self.held).is_ok() {
                self.written += self.held.len();
                self.held = Vec::new();
            } else {
                let Spill::Open(file) = std::mem::replace(&mut self.file, Spill::Failed) else {
                    unreachable!("the file was just written to");
                };
                self.file = Spill::Broken(file);
            }
        }
    }

    /// Ends the writing: what was pushed can be read back.
    pub fn finish(self) -> Signatures {
        let file = match self.file {
            Spill::Open(file) | Spill::Broken(file) => Some(file),
            Spill::NotYet | Spill::Failed => None,
        };
        Signatures {
            starts: self.starts,
            word_articles: self.word_articles,
            file,
            written: self.written,
            held: self.held,
        }
    }
}

/// Appends entries to the file, all in one write.
fn write_entries(file: &mut File, entries: &[(u32, f32)]) -> io::Result<()> {
    let mut bytes = Vec::with_capacity(entries.len() * ENTRY_BYTES);
    for &(word, weight) in entries {
        bytes.extend_from_slice(&word.to_le_bytes());
        bytes.extend_from_slice(&weight.to_le_bytes());
    }
    file.write_all(&bytes)
}

/// Every article's signature, readable from any thread.
pub struct Signatures {
    starts: Vec<usize>,
    word_articles: Vec<usize>,
    file: Option<File>,
    /// How many entries, from the first, are in the file; `held` has the rest.
    written: usize,
    held: Vec<(u32, f32)>,
}

impl Signatures {
    /// How many articles have a signature.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// In how many signatures each word is, by word id.
    pub fn word_articles(&self) -> &[usize] {
        &self.word_articles
    }

    /// The signatures of the articles `ids`. An error means the temporary file could not be
    /// read.
    pub fn range(&self, ids: Range<usize>) -> io::Result<SignatureRange<'_>> {
        let (from, to) = (self.starts[ids.start], self.starts[ids.end]);
        let in_memory = from.max(self.written) - self.written..to.max(self.written) - self.written;
        let entries = match &self.file {
            Some(file) if from < self.written => {
                let mut bytes = vec![0; (to.min(self.written) - from) * ENTRY_BYTES];
                file.read_exact_at(&mut bytes, (from * ENTRY_BYTES) as u64)?;
                let mut entries: Vec<(u32, f32)> =
                    bytes.chunks_exact(ENTRY_BYTES).map(entry).collect();
                entries.extend_from_slice(&self.held[in_memory]);
                Cow::Owned(entries)
            }
            _ => Cow::Borrowed(&self.held[in_memory]),
        };
        Ok(SignatureRange {
            first: ids.start,
            starts: &self.starts,
            entries,
        })
    }
}

fn entry(bytes: &[u8]) -> (u32, f32) {
    let word = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let weight = f32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    (word, weight)
}

/// The signatures of a range of articles.
pub struct SignatureRange<'a> {
    first: usize,
    starts: &'a [usize],
    entries: Cow<'a, [(u32, f32)]>,
}

impl SignatureRange<'_> {
    /// The signature of article `id`, which must be in the range.
    pub fn of(&self, id: usize) -> &[(u32, f32)] {
        let base = self.starts[self.first];
        &self.entries[self.starts[id] - base..self.starts[id + 1] - base]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signatures(count: u32) -> Vec<SparseVector> {
        (0..count)
            .map(|id| {
                (0..id % 60)
                    .map(|word| (word, (id + word) as f32 / 7.0))
                    .collect()
            })
            .collect()
    }

    fn assert_reads_back(store: &Signatures, made: &[SparseVector], range: Range<usize>) {
        let read = store.range(range.clone()).unwrap();
        for id in range {
            assert_eq!(read.of(id), made[id].as_slice(), "article {id}");
        }
    }

    /// Past the budget the signatures go to the file, and read back the same, whole and in
    /// ranges that do not start at the first article.
    #[test]
    fn signatures_past_the_budget_read_back_the_same() {
        let made = signatures(4_000);
        let mut writer = SignatureWriter::new(60, 100_000);
        for block in made.chunks(700) {
            writer.push(block.iter().cloned());
        }
        let store = writer.finish();
        assert!(store.file.is_some() && store.held.is_empty());
        assert_eq!(store.len(), made.len());
        for range in [0..4_000, 1_234..1_235, 3_900..4_000, 5..5] {
            assert_reads_back(&store, &made, range);
        }
        let expected = made.iter().filter(|words| words.len() > 3).count();
        assert_eq!(store.word_articles()[3], expected);
    }

    /// After a failed write the file keeps the first entries and memory the rest: a range
    /// across the two reads back whole.
    #[test]
    fn a_range_reads_across_the_file_and_memory() {
        let made = signatures(300);
        let entries: Vec<(u32, f32)> = made.iter().flatten().copied().collect();
        let mut starts = vec![0];
        for words in &made {
            starts.push(starts[starts.len() - 1] + words.len());
        }
        let written = starts[200];
        let mut file = tempfile::tempfile().unwrap();
        write_entries(&mut file, &entries[..written]).unwrap();
        let store = Signatures {
            starts,
            word_articles: Vec::new(),
            file: Some(file),
            written,
            held: entries[written..].to_vec(),
        };
        for range in [0..300, 150..250, 199..201, 200..300, 250..260] {
            assert_reads_back(&store, &made, range);
        }
    }

    #[test]
    fn a_small_archive_keeps_its_signatures_in_memory() {
        let made = signatures(100);
        let mut writer = SignatureWriter::new(60, BUDGET);
        writer.push(made.iter().cloned());
        let store = writer.finish();
        assert!(store.file.is_none());
        assert_reads_back(&store, &made, 40..60);
    }
}
