//! `gazette metadata`: every article's metadata after the whole archive is linked, as JSON
//! lines (format in docs/metadata.md).

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::json_lines;
use crate::diagnostics::Diagnostics;
use crate::extract::curated::CuratedPeople;
use crate::records::linked_record;
use crate::site::{load_and_link, load_config, BuildOptions};
use crate::timings::Timings;

#[derive(Debug, Args)]
pub struct MetadataArgs {
    /// The site folder.
    #[arg(long, default_value = ".")]
    site: PathBuf,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

pub fn run(args: MetadataArgs) -> Result<()> {
    let options = BuildOptions::reading(args.site, args.drafts);
    let config = load_config(&options)?;
    let curated = CuratedPeople::load(&options.site_dir)?;
    let diagnostics = Diagnostics::default();
    let (archive, _) = load_and_link(
        &options.site_dir.join("content"),
        &config,
        &curated,
        &options,
        &diagnostics,
        &Timings::default(),
    );
    // Oldest first, like an archive read from the beginning.
    json_lines::write_records(
        archive
            .articles
            .iter()
            .rev()
            .map(|linked| linked_record(&archive, linked, &config.base_url)),
    )?;
    json_lines::finish(diagnostics)
}
