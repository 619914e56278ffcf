//! `copysim run [SCENARIO] [--out DIR] [--seed N]`: simulate and write the reports atomically.

use std::path::PathBuf;

use super::{CliError, out};
use crate::output::{Mode, OutputDir, RunIdentity};
use crate::{engine, report, scenario};

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
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Also draw the charts (PNG and SVG) and embed them in report.html.
    #[arg(long)]
    pub charts: bool,
    /// Override a scenario field, e.g. `--set fleets.web.count=400` (repeatable; see docs/sweeps.md).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

/// Runs the subcommand.
pub fn exec(args: Args) -> Result<(), CliError> {
    let overrides = super::parse_sets(&args.set)?;
    let scenario = scenario::overrides::load(args.scenario.as_deref(), args.seed, &overrides)?;
    let seed = scenario.seed;
    let dir = args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(&scenario.name));
    let output = OutputDir::prepare(&dir, args.out.is_none(), Mode::Replace)?;
    if !args.quiet {
        eprintln!(
            "copysim {}: scenario {} ({}), seed {seed}",
            env!("CARGO_PKG_VERSION"),
            scenario.name,
            scenario.source_label
        );
    }
    let result = engine::run(&scenario).map_err(|e| CliError::Input(format!("{}: {e}", scenario.source_label)))?;
    let mut rendered = report::render(&scenario, &result);
    if args.charts {
        let extra = super::chart::charts_and_page(&rendered.files)?;
        rendered.files.extend(extra);
    } else {
        let summary: serde_json::Value = serde_json::to_value(&rendered.summary).expect("the summary serializes");
        rendered.files.push(("report.html".to_string(), report::html::render(&summary, &[]).into_bytes()));
    }
    for (name, bytes) in &rendered.files {
        output.write_file(name, bytes)?;
    }
    output.commit(&identity(&scenario))?;
    if !args.quiet {
        out(&report::summary::terminal(&rendered.summary, &dir.display().to_string()));
    }
    if !rendered.summary.invariant_violations.is_empty() {
        return Err(CliError::Other(format!(
            "internal invariant violated (a copysim bug; please report it with the scenario): {}",
            rendered.summary.invariant_violations.join("; ")
        )));
    }
    Ok(())
}

/// Who wrote a run's folder, for its `.copysim-run` marker.
pub fn identity(scenario: &scenario::Scenario) -> RunIdentity {
    RunIdentity {
        kind: "run".to_string(),
        scenario: scenario.name.clone(),
        scenario_sha256: scenario.source_sha256.clone(),
        seed: scenario.seed,
    }
}
