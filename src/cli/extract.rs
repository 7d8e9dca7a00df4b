//! `gazette extract FILE...`: the metadata gazette reads from each file on its own, as JSON
//! lines (format in docs/metadata.md).

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;

use super::json_lines;
use crate::diagnostics::Diagnostics;
use crate::extract::curated::CuratedPeople;
use crate::extract::extract_article;
use crate::load::load_article;
use crate::records::article_record;

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Article files (.md, .markdown or .txt).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// A site folder whose data/people.yaml to use (default: none).
    #[arg(long)]
    site: Option<PathBuf>,
}

pub fn run(args: ExtractArgs) -> Result<()> {
    let curated = match &args.site {
        Some(site) => CuratedPeople::load(site)?,
        None => CuratedPeople::default(),
    };
    let diagnostics = Diagnostics::default();
    let articles: Vec<_> = args
        .files
        .iter()
        .filter_map(|path| load_article(Path::new(""), path, &diagnostics))
        .filter_map(|loaded| extract_article(loaded, &curated, &diagnostics))
        .collect();
    json_lines::write_records(articles.iter().map(article_record))?;
    json_lines::finish(diagnostics)
}
