//! `copysim chart OUTDIR`: redraws the charts and `report.html` of an earlier run from its report files alone.

use std::path::PathBuf;

use super::{CliError, out};
use crate::chart::{Inputs, render_all};
use crate::output::{Marker, Mode, OutputDir, RunIdentity};
use crate::report::html;

/// Arguments of `chart`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// An output folder written by `copysim run`.
    pub out_dir: PathBuf,
}

/// Charts and the HTML page for the report files in `files`.
pub fn charts_and_page(files: &[(String, Vec<u8>)]) -> Result<Vec<(String, Vec<u8>)>, CliError> {
    let inputs = Inputs::from_files(files).map_err(|e| CliError::Input(e.to_string()))?;
    charts_and_page_from(&inputs)
}

/// The charts and `report.html` from report files already read.
pub fn charts_and_page_from(inputs: &Inputs) -> Result<Vec<(String, Vec<u8>)>, CliError> {
    let mut charts = render_all(inputs).map_err(|e| CliError::Other(e.to_string()))?;
    let page = html::render(&inputs.summary, &inputs.actions, &charts);
    charts.push(("report.html".to_string(), page.into_bytes()));
    Ok(charts)
}

/// Runs the subcommand: the folder must be a copysim result; the charts and page are added to a
/// staging copy of it, which then replaces it atomically.
pub fn exec(args: Args) -> Result<(), CliError> {
    let output = OutputDir::prepare(&args.out_dir, false, Mode::Update)?;
    // Its errors name the folder already.
    let inputs = Inputs::from_dir(&args.out_dir).map_err(|e| CliError::Input(e.to_string()))?;
    let mut charts = render_all(&inputs).map_err(|e| CliError::Other(e.to_string()))?;
    charts.push(("report.html".to_string(), html::render(&inputs.summary, &inputs.actions, &charts).into_bytes()));
    for (name, bytes) in &charts {
        output.write_file(name, bytes)?;
    }
    let marker = Marker::read(&args.out_dir).ok_or_else(|| {
        CliError::Input(format!("{}: its `.copysim-run` marker went missing", args.out_dir.display()))
    })?;
    let who = RunIdentity {
        kind: marker.kind,
        scenario: marker.scenario,
        scenario_sha256: marker.scenario_sha256,
        seed: marker.seed,
    };
    output.commit(&who)?;
    out(&format!("drew {} charts and report.html in {}\n", charts.len() - 1, args.out_dir.display()));
    Ok(())
}
