//! Every article's word counts, from reading until linking has made its vectors. Linking needs
//! all of them at once (a word's weight depends on how many articles have it), and they are the
//! largest thing read from an article that is kept: about 2 kB each, 2 GB at a million
//! articles. So, as `sort` does with its runs, the counts past a budget go to a temporary file
//! and are read back one article at a time when the vectors are made.
//!
//! The file lives in the system's temporary folder (`TMPDIR`) and has no name from the moment
//! it is created: it goes away with the build, however the build ends. If it cannot be
//! created or written, the counts stay in memory: a build never fails for the want of it.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::classifier::WordCounts;

/// Bytes of counts held in memory at most: all of an archive of about 60,000 articles.
pub const BUDGET: usize = 128 << 20;

/// Bytes gathered before each write to the file: writes cost per call.
const WRITE_BUFFER: usize = 4 << 20;

/// Where one article's counts are.
#[derive(Debug)]
pub enum StoredCounts {
    Held(WordCounts),
    /// `length` bytes at `offset` in the file.
    Written {
        offset: u64,
        length: usize,
    },
}

/// Takes the counts of an archive's articles as they are read.
pub struct WordStore {
    /// Bytes of counts that may still be held in memory.
    room: AtomicUsize,
    file: Mutex<Spill>,
}

enum Spill {
    NotYet,
    Open(SpillFile),
    /// The file could not be created: everything stays in memory.
    Failed,
}

struct SpillFile {
    file: File,
    /// Bytes not yet written: those at `written..`.
    buffer: Vec<u8>,
    written: u64,
    /// A write failed: the buffer keeps what it holds, and nothing more is added.
    broken: bool,
}

impl WordStore {
    /// A store that holds up to `budget` bytes of counts in memory.
    pub fn new(budget: usize) -> WordStore {
        WordStore {
            room: AtomicUsize::new(budget),
            file: Mutex::new(Spill::NotYet),
        }
    }

    /// Keeps an article's counts: in memory while there is room, else in the file.
    pub fn keep(&self, counts: WordCounts) -> StoredCounts {
        let length = counts.byte_len();
        let fits = self
            .room
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |room| {
                room.checked_sub(length)
            })
            .is_ok();
        if fits {
            return StoredCounts::Held(counts);
        }
        let mut spill = self
            .file
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if matches!(*spill, Spill::NotYet) {
            *spill = match tempfile::tempfile() {
                Ok(file) => Spill::Open(SpillFile {
                    file,
                    buffer: Vec::with_capacity(WRITE_BUFFER),
                    written: 0,
                    broken: false,
                }),
                Err(_) => Spill::Failed,
            };
        }
        match &mut *spill {
            Spill::Open(spill) if !spill.broken => {
                let offset = spill.written + spill.buffer.len() as u64;
                counts.write_le_bytes(&mut spill.buffer);
                if spill.buffer.len() >= WRITE_BUFFER {
                    spill.flush();
                }
                StoredCounts::Written { offset, length }
            }
            _ => StoredCounts::Held(counts),
        }
    }

    /// Ends the writing: what was stored can be read back.
    pub fn finish(self) -> WordReader {
        let spill = self
            .file
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match spill {
            Spill::Open(mut spill) => {
                if !spill.broken {
                    spill.flush();
                }
                WordReader {
                    file: Some(spill.file),
                    written: spill.written,
                    unwritten: spill.buffer,
                }
            }
            Spill::NotYet | Spill::Failed => WordReader {
                file: None,
                written: 0,
                unwritten: Vec::new(),
            },
        }
    }
}

impl SpillFile {
    /// Writes the buffer out; if that fails, keeps it, so no counts are lost.
    fn flush(&mut self) {
        if self.file.write_all(&self.buffer).is_err() {
            self.broken = true;
            return;
        }
        self.written += self.buffer.len() as u64;
        self.buffer.clear();
    }
}

/// Reads counts back, from any thread.
pub struct WordReader {
    file: Option<File>,
    /// Bytes in the file; stored bytes past this are in `unwritten`.
    written: u64,
    unwritten: Vec<u8>,
}

impl WordReader {
    /// The counts of one article. An error means the temporary file could not be read.
    pub fn counts<'a>(&self, stored: &'a StoredCounts) -> io::Result<Cow<'a, WordCounts>> {
        let (offset, length) = match stored {
            StoredCounts::Held(counts) => return Ok(Cow::Borrowed(counts)),
            StoredCounts::Written { offset, length } => (*offset, *length),
        };
        let mut bytes = vec![0; length];
        if offset >= self.written {
            let start = (offset - self.written) as usize;
            let kept = self.unwritten.get(start..start + length);
            bytes.copy_from_slice(kept.ok_or_else(|| io::Error::other("no such counts"))?);
        } else {
            let file = self
                .file
                .as_ref()
                .ok_or_else(|| io::Error::other("no file"))?;
            file.read_exact_at(&mut bytes, offset)?;
        }
        WordCounts::from_le_bytes(&bytes)
            .map(Cow::Owned)
            .ok_or_else(|| io::Error::other("damaged word counts"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_past_the_budget_are_written_and_read_back_the_same() {
        let texts = [
            "The minister resigned on Tuesday.",
            "Shares fell as the bank raised interest rates again.",
            "The striker scored twice; the keeper saved a penalty.",
        ];
        let counts: Vec<WordCounts> = texts.iter().map(|text| WordCounts::of(text)).collect();
        // Room for the first article only.
        let store = WordStore::new(counts[0].byte_len());
        let stored: Vec<StoredCounts> = counts.iter().cloned().map(|c| store.keep(c)).collect();
        assert!(matches!(stored[0], StoredCounts::Held(_)));
        assert!(matches!(stored[1], StoredCounts::Written { .. }));
        assert!(matches!(stored[2], StoredCounts::Written { .. }));
        let reader = store.finish();
        for (stored, counts) in stored.iter().zip(&counts) {
            assert_eq!(reader.counts(stored).unwrap().as_ref(), counts);
        }
    }
}
