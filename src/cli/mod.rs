//! The command line: glue only — one file per subcommand; errors become exit codes here
//! (2: bad input, 1: anything else, 0: success).

pub mod advise;
pub mod chart;
pub mod compare;
pub mod merge;
pub mod run;
pub mod sweep;
pub mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// copysim: a deterministic simulator of cross-region backup copies under each cloud's documented rules.
#[derive(Debug, Parser)]
#[command(name = "copysim", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario (the embedded quickstart when none is given) and write its reports.
    Run(run::Args),
    /// Check scenario files without running them.
    Validate(validate::Args),
    /// Redraw the charts and report.html of an earlier run from its output folder.
    Chart(chart::Args),
    /// Run a sweep: a base scenario over a grid of overrides, replicated, on all cores.
    Sweep(sweep::Args),
    /// Join the shard folders of a sweep into the folder the unsharded sweep writes.
    Merge(merge::Args),
    /// Compare two run folders or two sweep folders, metric by metric.
    Compare(compare::Args),
    /// Planning answers found by simulation (`advise interval`).
    Advise(advise::Args),
}

/// An error at the edge, with the exit code it maps to.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The user's input is wrong (exit 2).
    #[error("{0}")]
    Input(String),
    /// Something else went wrong (exit 1).
    #[error("{0}")]
    Other(String),
}

impl From<crate::output::OutputError> for CliError {
    fn from(e: crate::output::OutputError) -> Self {
        if e.is_input() { CliError::Input(e.to_string()) } else { CliError::Other(e.to_string()) }
    }
}

impl From<crate::scenario::ScenarioError> for CliError {
    fn from(e: crate::scenario::ScenarioError) -> Self {
        CliError::Input(e.to_string())
    }
}

impl From<crate::scenario::overrides::OverrideError> for CliError {
    fn from(e: crate::scenario::overrides::OverrideError) -> Self {
        CliError::Input(e.to_string())
    }
}

/// Parses the `--set PATH=VALUE` arguments of a subcommand.
pub fn parse_sets(args: &[String]) -> Result<Vec<crate::scenario::overrides::Override>, CliError> {
    args.iter().map(|a| crate::scenario::overrides::parse_arg(a).map_err(CliError::from)).collect()
}

/// Entry point used by `main`.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    crate::output::cleanup::install_signal_cleanup();
    let result = match cli.command {
        Command::Run(args) => run::exec(args),
        Command::Validate(args) => validate::exec(args),
        Command::Chart(args) => chart::exec(args),
        Command::Sweep(args) => sweep::exec(args),
        Command::Merge(args) => merge::exec(args),
        Command::Compare(args) => compare::exec(args),
        Command::Advise(args) => advise::exec(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Input(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(2)
        }
        Err(CliError::Other(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(1)
        }
    }
}

/// Prints to stdout, ignoring a closed pipe (`copysim ... | head` is not an error).
pub fn out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().write_all(text.as_bytes());
}
