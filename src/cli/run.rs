//! `copysim run [SCENARIO] [--out DIR] [--seed N]`: simulate and write the reports atomically.

use std::path::PathBuf;

use super::{CliError, out};
use crate::{report, scenario};

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file (TOML); without one, the embedded quickstart runs.
    pub scenario: Option<PathBuf>,
    /// Output folder (default: `outputs/<scenario-name>`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed, overriding the scenario's.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Print nothing but errors (no progress bar either).
    #[arg(long, short)]
    pub quiet: bool,
    /// Also draw the charts (PNG and SVG) and embed them in report.html.
    #[arg(long)]
    pub charts: bool,
    /// `full` writes every row; `summary` only fleet-level files (see docs/outputs.md).
    #[arg(long, value_enum, default_value_t = report::Detail::Full)]
    pub detail: report::Detail,
}

/// Runs the subcommand.
pub fn exec(args: Args) -> Result<(), CliError> {
    let scenario = match &args.scenario {
        Some(path) => scenario::load(path, args.seed)?,
        None => scenario::quickstart(args.seed),
    };
    if args.charts && args.detail == report::Detail::Summary {
        return Err(CliError::Input(
            "--charts draws from copies.csv and rpo.csv, which --detail summary does not write; use --detail full"
                .into(),
        ));
    }
    let seed = scenario.seed;
    let dir = args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(&scenario.name));
    if dir.exists() && !dir.is_dir() {
        return Err(CliError::Input(format!(
            "--out {}: it exists and is not a folder; nothing was written",
            dir.display()
        )));
    }
    if !args.quiet {
        eprintln!(
            "copysim {}: scenario {} ({}), seed {seed}",
            env!("CARGO_PKG_VERSION"),
            scenario.name,
            scenario.source_label
        );
    }
    // The run streams its files into a temporary folder that replaces `dir` once complete.
    let cannot_write = |e: std::io::Error| CliError::Other(format!("cannot write {}: {e}", dir.display()));
    let summary = report::write::into_folder_atomically(&dir, cannot_write, |tmp| {
        let horizon = crate::kernel::SimTime::ZERO + scenario.horizon;
        let progress = super::progress::bar(scenario.start, horizon, args.quiet);
        let mut sink = report::Folder::new(tmp);
        let finished = report::run_with_progress(&scenario, args.detail, &mut sink, progress).map_err(|e| match e {
            report::Error::Run(e) => CliError::Input(format!("{}: {e}", scenario.source_label)),
            e => CliError::Other(format!("cannot write {}: {e}", dir.display())),
        })?;
        extras(tmp, &finished.summary, args.charts)?;
        Ok::<_, CliError>(finished.summary)
    })?;
    if !args.quiet {
        out(&report::summary::terminal(&summary, &dir.display().to_string()));
    }
    if !summary.invariant_violations.is_empty() {
        return Err(CliError::Other(format!(
            "internal invariant violated (a copysim bug; please report it with the scenario): {}",
            summary.invariant_violations.join("; ")
        )));
    }
    Ok(())
}

/// `report.html`, and with `--charts` the charts drawn from the files just written.
fn extras(tmp: &std::path::Path, summary: &report::summary::Summary, charts: bool) -> Result<(), CliError> {
    let files = if charts {
        let inputs = crate::chart::inputs::Inputs::from_dir(tmp).map_err(|e| CliError::Input(e.to_string()))?;
        super::chart::charts_and_page_from(&inputs)?
    } else {
        let summary: serde_json::Value = serde_json::to_value(summary).expect("the summary serializes");
        vec![("report.html".to_string(), report::html::render(&summary, &[]).into_bytes())]
    };
    for (name, bytes) in files {
        std::fs::write(tmp.join(&name), bytes).map_err(|e| CliError::Other(format!("cannot write {name}: {e}")))?;
    }
    Ok(())
}
