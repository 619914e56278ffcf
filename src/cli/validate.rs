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
    /// Override a scenario field in every file, e.g. `--set horizon=30d` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Check for a run with this `--detail`: `full` (the default, as `run`'s) also holds
    /// `rpo.csv`'s rows to their budget.
    #[arg(long, value_enum, default_value_t = crate::report::Detail::Full)]
    pub detail: crate::report::Detail,
}

fn count(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}

/// Runs the subcommand: every file is checked; the exit code is 2 if any is invalid.
pub fn exec(args: Args) -> Result<(), CliError> {
    let overrides = super::parse_sets(&args.set)?;
    let mut failures = Vec::new();
    for path in &args.scenarios {
        match scenario::overrides::load(Some(path), None, &overrides, args.detail == crate::report::Detail::Full) {
            Ok(s) => out(&format!(
                "ok: {} (scenario {}: {}, {}, {}, {}, {})\n",
                path.display(),
                s.name,
                count(s.world.regions.len(), "region"),
                count(s.world.volumes.len(), "volume"),
                count(s.schedules.iter().filter(|x| x.policy.is_none()).count(), "schedule"),
                count(s.schedules.iter().filter(|x| x.policy.is_some()).count(), "plan"),
                count(s.actions.len(), "timed action"),
            )),
            Err(e) => failures.push(e.render()),
        }
    }
    if failures.is_empty() { Ok(()) } else { Err(CliError::Input(failures.join("\nerror: "))) }
}
