//! `copysim compare A B [--format text|json]`: two run folders or two sweep folders, every headline metric side by side.

use std::path::PathBuf;

use super::{CliError, out};
use crate::sweep::compare;

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table.
    Text,
    /// JSON.
    Json,
}

/// Arguments of `compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first folder (A).
    pub a: PathBuf,
    /// The second folder (B).
    pub b: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// Runs the subcommand; differences are not errors (exit 0).
pub fn exec(args: Args) -> Result<(), CliError> {
    let rows = compare::compare(&args.a, &args.b).map_err(CliError::Input)?;
    let (a, b) = (args.a.display().to_string(), args.b.display().to_string());
    match args.format {
        Format::Text => {
            let mut text = compare::text(&rows, &a, &b);
            if let Some(note) = compare::measured_note(&args.a, &args.b) {
                text.push_str(&note);
                text.push('\n');
            }
            out(&text);
        }
        Format::Json => out(&compare::json(&rows, &a, &b)),
    }
    Ok(())
}
