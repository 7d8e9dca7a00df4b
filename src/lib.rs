//! gazette: a static-site generator for news archives.
//!
//! The pipeline runs one way: `load` (files to text and front matter) → `extract` (metadata the
//! front matter does not give) → `link` (the archive model: URLs, topics, people, authors,
//! dates) → `render` (pages from templates) → `write` (an all-or-nothing output folder).
//! `site` runs the pipeline; `cli` is the command line.

pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod extract;
pub mod fingerprint;
pub mod fuzzing;
pub mod link;
pub mod load;
pub mod memory;
pub mod records;
pub mod render;
pub mod search;
pub mod serve;
pub mod shuffle;
pub mod site;
pub mod slug;
pub mod timings;
pub mod write;
