//! `copysim validate SCENARIO...`: check scenario files without running them.

use std::path::PathBuf;

use super::{CliError, out};
use crate::scenario;

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files to check.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
}

/// Runs the subcommand: every file is checked; the exit code is 2 if any is invalid.
pub fn exec(args: Args) -> Result<(), CliError> {
    let mut failures = Vec::new();
    for path in &args.scenarios {
        match scenario::load(path, None) {
            Ok(s) => out(&format!(
                "ok: {} (scenario {}: {} regions, {} volumes, {} schedules, {} timed actions)\n",
                path.display(),
                s.name,
                s.world.regions.len(),
                s.world.volumes.len(),
                s.schedules.len(),
                s.actions.len()
            )),
            Err(e) => failures.push(e.to_string()),
        }
    }
    if failures.is_empty() { Ok(()) } else { Err(CliError::Input(failures.join("\n"))) }
}
