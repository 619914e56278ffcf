//! `copysim run [SCENARIO] [--out DIR] [--seed N]`: simulate, streaming the reports into a staging
//! folder that replaces the output folder atomically once complete.

use std::path::PathBuf;

use super::{CliError, out};
use crate::output::{Mode, OutputDir, RunIdentity};
use crate::{report, scenario};

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file (TOML); without one, the embedded quickstart runs.
    pub scenario: Option<PathBuf>,
    /// Output folder (default: `outputs/<scenario-name>`): missing, empty, or an earlier result.
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
    /// Override a scenario field, e.g. `--set fleets.web.count=400` (repeatable; see docs/sweeps.md).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// `full` writes every row; `summary` only fleet-level files (see docs/outputs.md).
    #[arg(long, value_enum, default_value_t = report::Detail::Full)]
    pub detail: report::Detail,
    /// What to print when the run ends: a human summary, or summary.json on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// What `run` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The summary in human units.
    Text,
    /// `summary.json`, as written.
    Json,
}

/// Runs the subcommand.
pub fn exec(args: Args) -> Result<(), CliError> {
    let overrides = super::parse_sets(&args.set)?;
    let rpo_csv = args.detail == report::Detail::Full;
    let scenario = scenario::overrides::load(args.scenario.as_deref(), args.seed, &overrides, rpo_csv)?;
    if args.charts && args.detail == report::Detail::Summary {
        return Err(CliError::Input(
            "--charts draws from copies.csv and rpo.csv, which --detail summary does not write; use --detail full"
                .into(),
        ));
    }
    let seed = scenario.seed;
    let dir = args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(&scenario.name));
    let mut output = OutputDir::prepare(&dir, args.out.is_none(), Mode::Replace)?;
    if !args.quiet {
        super::note(&format!(
            "copysim {}: scenario {} ({}), seed {seed}",
            env!("CARGO_PKG_VERSION"),
            scenario.name,
            scenario.source_label
        ));
    }
    let horizon = crate::kernel::SimTime::ZERO + scenario.horizon;
    let progress = super::progress::bar(scenario.start, horizon, args.quiet);
    let finished = report::run_with_progress(&scenario, args.detail, &mut output, progress).map_err(|e| match e {
        report::Error::Run(e) => CliError::Input(format!("{}: {e}", scenario.source_label)),
        e => CliError::Other(format!("cannot write {}: {e}", dir.display())),
    })?;
    let summary: serde_json::Value = serde_json::to_value(&finished.summary).expect("the summary serializes");
    extras(&output, &summary, args.charts, args.detail)?;
    output.commit(&identity(&scenario))?;
    match args.format {
        Format::Json => {
            // Serialized from the summary itself, as summary.json is (a `Value` would sort its keys).
            let mut json = serde_json::to_string_pretty(&finished.summary).expect("the summary serializes");
            json.push('\n');
            out(&json);
        }
        Format::Text if !args.quiet => out(&report::terminal::render(&summary, &dir.display().to_string())),
        Format::Text => {}
    }
    if !finished.summary.invariant_violations.is_empty() {
        return Err(CliError::Other(format!(
            "internal invariant violated (a copysim bug; please report it with the scenario): {}",
            finished.summary.invariant_violations.join("; ")
        )));
    }
    Ok(())
}

/// `report.html`, and with `--charts` the charts drawn from the files just written.
fn extras(
    output: &OutputDir,
    summary: &serde_json::Value,
    charts: bool,
    detail: report::Detail,
) -> Result<(), CliError> {
    let files = if detail == report::Detail::Summary {
        vec![("report.html".to_string(), report::html::render_summary_detail(summary).into_bytes())]
    } else if charts {
        let inputs =
            crate::chart::inputs::Inputs::from_dir(output.staging()).map_err(|e| CliError::Input(e.to_string()))?;
        super::chart::charts_and_page_from(&inputs)?
    } else {
        let actions = crate::chart::inputs::optional_rows(output.staging(), "actions.csv")
            .map_err(|e| CliError::Input(e.to_string()))?;
        vec![("report.html".to_string(), report::html::render(summary, &actions, &[]).into_bytes())]
    };
    for (name, bytes) in files {
        output.write_file(&name, &bytes)?;
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
