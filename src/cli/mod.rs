//! The command line: glue only — one file per subcommand; errors become exit codes here
//! (2: bad input, 1: anything else, 0: success).

pub mod advise;
pub mod chart;
pub mod compare;
pub mod completions;
pub mod import;
pub mod init;
pub mod merge;
pub mod progress;
pub mod run;
pub mod sweep;
pub mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// copysim: a deterministic simulator of cross-region backup copies under each cloud's documented rules.
#[derive(Debug, Parser)]
#[command(name = "copysim", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Examples, exit codes and where the documentation lives, after `--help`.
const AFTER_HELP: &str = "\
Examples:
  copysim run                                  run the embedded quickstart into outputs/quickstart/
  copysim init --provider ibm_vpc > my.toml    start a scenario of your own
  copysim validate my.toml                     check it without running it
  copysim run my.toml --charts                 run it; charts and report.html in outputs/<name>/
  copysim run my.toml --seed 7 --out /tmp/s7   another seed, another folder

Exit codes:
  0  success
  2  bad input: a scenario mistake (file:line:column and field), a missing file, an output
     folder that is not copysim's or is being written by another run; nothing is written
  1  anything else: a failure to write once the run is under way, or a copysim bug
  128+N  interrupted by signal N; the temporary folder is removed (0 once the result is in place)

Documentation: README.md, docs/scenario.md (the file format), docs/outputs.md (every column),
docs/model.md (the model and its assumptions); `copysim man` prints the man page.";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario (the embedded quickstart when none is given) and write its reports.
    Run(run::Args),
    /// Check scenario files without running them.
    Validate(validate::Args),
    /// Redraw the charts and report.html of an earlier run from its output folder.
    Chart(chart::Args),
    /// Print a commented starter scenario that validates (`copysim init > my.toml`).
    Init(init::Args),
    /// Write a scenario from a cloud inventory (`aws ec2 describe-volumes`, `oci bv volume list` JSON).
    Import(import::Args),
    /// Print a shell completion script (`copysim completions bash > /etc/bash_completion.d/copysim`).
    Completions(completions::Args),
    /// Print the man page in roff (`copysim man > copysim.1`).
    Man,
    /// Run a sweep: a base scenario over a grid of overrides, replicated, on all cores.
    Sweep(sweep::Args),
    /// Join the shard folders of a sweep into the folder the unsharded sweep writes.
    Merge(merge::Args),
    /// Compare two run folders or two sweep folders, metric by metric.
    Compare(compare::Args),
    /// Planning answers found by simulation (`advise interval`, `advise bandwidth`).
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
        CliError::Input(e.render())
    }
}

impl From<crate::scenario::overrides::OverrideError> for CliError {
    fn from(e: crate::scenario::overrides::OverrideError) -> Self {
        CliError::Input(e.render())
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
        Command::Init(args) => init::exec(args),
        Command::Import(args) => import::exec(args),
        Command::Completions(args) => completions::exec(args),
        Command::Man => completions::man(),
        Command::Sweep(args) => sweep::exec(args),
        Command::Merge(args) => merge::exec(args),
        Command::Compare(args) => compare::exec(args),
        Command::Advise(args) => advise::exec(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Input(m)) => {
            err(&m);
            ExitCode::from(2)
        }
        Err(CliError::Other(m)) => {
            err(&m);
            ExitCode::from(1)
        }
    }
}

/// Prints an error to stderr, ignoring a closed pipe (`eprintln!` would panic with exit 101
/// when stderr is piped into `head`).
fn err(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "error: {}", terminal_safe(message, true));
}

/// Prints a line to stderr (progress notes, "wrote FILE"), control characters escaped, ignoring
/// any write error: `eprintln!` panicked with exit 101 after the result was in place when
/// stderr was a closed pipe or a file on a full disk (`2> log`).
pub fn note(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{}", terminal_safe(message, true));
}

/// `text` with the characters a terminal would act on instead of showing written as escapes
/// (`\u{1b}`): control characters but line breaks and tabs — a name holding ESC sequences
/// cleared the screen when an error echoed it — and, in messages (`invisible`), the invisible
/// and bidirectional formatting characters that hide or reorder the text around them.
pub fn terminal_safe(text: &str, invisible: bool) -> std::borrow::Cow<'_, str> {
    let acts = |c: char| {
        (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
            || (invisible
                && matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}'))
    };
    if !text.chars().any(acts) {
        return text.into();
    }
    text.chars().map(|c| if acts(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect()
}

/// Prints to stdout, ignoring a closed pipe (`copysim ... | head` is not an error), control
/// characters escaped ([`terminal_safe`]).
/// Any other write error (a full disk behind `copysim init > my.toml`) ends the process with
/// exit 1 and a message: a silently empty file is worse than an error.
pub fn out(text: &str) {
    use std::io::Write;
    // Control characters only: a scenario `init` or `import` prints may hold any other text.
    let text = terminal_safe(text, false);
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: cannot write to standard output: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_and_invisible_characters_in_messages_are_escaped() {
        // A volume named "\u{1b}[2J…" cleared the screen when an error echoed it.
        let m = super::terminal_safe("known: \u{1b}[2J\u{1b}[31mred, \u{202e}x\u{200b}, ebs1\n\tnext", true);
        assert_eq!(m, "known: \\u{1b}[2J\\u{1b}[31mred, \\u{202e}x\\u{200b}, ebs1\n\tnext");
        // Standard output keeps every printable character (a scenario may be written there).
        assert_eq!(super::terminal_safe("n = \"\u{202e}\"\u{7}\n", false), "n = \"\u{202e}\"\\u{7}\n");
        assert!(matches!(super::terminal_safe("plain é\n", true), std::borrow::Cow::Borrowed(_)));
    }
}
