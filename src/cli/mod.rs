//! The command line: one file per verb, each a thin layer over the library.

mod build;
mod check;
mod extract;
mod init;
mod json_lines;
mod metadata;
mod serve;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

/// A static-site generator for news archives.
#[derive(Debug, Parser)]
#[command(name = "gazette", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new site: site.yaml, content/, templates/, static/ and one example article.
    Init {
        /// Where to create the site (default: the current folder).
        dir: Option<PathBuf>,
    },
    /// Build the site from content/ into public/.
    Build(build::BuildArgs),
    /// Print the metadata read from article files (JSON lines), without a site.
    Extract(extract::ExtractArgs),
    /// Print every article's metadata after the archive is linked (JSON lines).
    Metadata(metadata::MetadataArgs),
    /// Build and report broken links, anchors, feed and sitemap entries, weak dates and noise.
    Check(check::CheckArgs),
    /// Build, serve on http://127.0.0.1:1111/, rebuild on change and reload open pages.
    Serve(serve::ServeArgs),
}

/// Parses the arguments and runs the command; the error, if any, is for `main` to print.
pub fn run() -> Result<()> {
    match Cli::parse().command {
        Command::Init { dir } => init::run(dir.unwrap_or_else(|| PathBuf::from("."))),
        Command::Build(args) => build::run(args),
        Command::Extract(args) => extract::run(args),
        Command::Metadata(args) => metadata::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Check(args) => check::run(args),
    }
}
