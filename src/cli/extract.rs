//! `gazette extract FILE...`: the metadata gazette reads from each file on its own, as JSON
//! lines (format in docs/metadata.md).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;

use crate::diagnostics::{self, Diagnostics};
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
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for path in &args.files {
        let Some(loaded) = load_article(Path::new(""), path, &diagnostics) else {
            continue;
        };
        if let Some(article) = extract_article(loaded, &curated, &diagnostics) {
            serde_json::to_writer(&mut out, &article_record(&article))
                .context("cannot write JSON")?;
            writeln!(out).context("cannot write to standard output")?;
        }
    }
    out.flush().context("cannot write to standard output")?;
    let problems = diagnostics.into_sorted();
    eprint!("{}", diagnostics::report(&problems));
    if problems
        .iter()
        .any(|problem| problem.severity == diagnostics::Severity::Error)
    {
        anyhow::bail!("some files could not be read");
    }
    Ok(())
}
