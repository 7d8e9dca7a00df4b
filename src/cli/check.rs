//! `gazette check`: builds the site into `.gazette/check` and reports what would be wrong if it
//! were deployed; exits non-zero on errors, so it can gate a deploy.

use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Args;

use crate::check::{build_findings, check_output, noise_findings};
use crate::diagnostics::Severity;
use crate::site::{build_site, load_config, BuildOptions};

/// Where `check` builds, inside the site (safe to delete).
const CHECK_OUTPUT: &str = ".gazette/check";

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder.
    #[arg(long, default_value = ".")]
    site: PathBuf,
    /// Check the site as built for this base URL.
    #[arg(long)]
    base_url: Option<String>,
}

pub fn run(args: CheckArgs) -> Result<()> {
    let options = BuildOptions {
        site_dir: args.site.clone(),
        output_dir: Some(args.site.join(CHECK_OUTPUT)),
        base_url: args.base_url,
        drafts: false,
        progress: false,
    };
    let config = load_config(&options)?;
    let summary = build_site(&options)?;
    let mut findings = check_output(
        &args.site.join(CHECK_OUTPUT),
        &config.base_url,
        &config.base_path(),
    )?;
    findings.extend(build_findings(&summary.problems));
    findings.extend(noise_findings(&summary.archive));
    findings.sort();
    let errors = findings
        .iter()
        .filter(|finding| finding.severity == Severity::Error)
        .count();
    for finding in &findings {
        let label = if finding.severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        println!("{label}: {}: {}", finding.place, finding.message);
    }
    println!(
        "Checked {} articles: {errors} error(s), {} warning(s)",
        summary.articles,
        findings.len() - errors
    );
    if errors > 0 {
        bail!("{errors} error(s): fix them before deploying");
    }
    Ok(())
}
