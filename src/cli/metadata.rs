//! `gazette metadata`: every article's metadata after the whole archive is linked, as JSON
//! lines (format in docs/metadata.md).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;

use crate::diagnostics::{self, Diagnostics};
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
    let archive = load_and_link(
        &options.site_dir.join("content"),
        &config,
        &curated,
        &options,
        &diagnostics,
        &Timings::default(),
    );
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Oldest first, like an archive read from the beginning.
    for linked in archive.articles.iter().rev() {
        serde_json::to_writer(&mut out, &linked_record(&archive, linked, &config.base_url))
            .context("cannot write JSON")?;
        writeln!(out).context("cannot write to standard output")?;
    }
    out.flush().context("cannot write to standard output")?;
    let problems = diagnostics.into_sorted();
    eprint!("{}", diagnostics::report(&problems));
    if problems
        .iter()
        .any(|problem| problem.severity == diagnostics::Severity::Error)
    {
        bail!("some articles could not be read");
    }
    Ok(())
}
