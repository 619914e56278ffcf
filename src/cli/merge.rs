//! `copysim merge SHARD_DIR... --out DIR`: join the shards of a sweep into the folder the unsharded sweep writes, byte for byte.

use std::path::PathBuf;

use super::{CliError, out};
use crate::output::{Mode, OutputDir};
use crate::sweep::{outputs, shard};

/// Arguments of `merge`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Shard folders written by `copysim sweep --shard` (all of one sweep, each once).
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// The merged sweep's folder.
    #[arg(long)]
    pub out: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the subcommand: every shard is checked before anything is written.
pub fn exec(args: Args) -> Result<(), CliError> {
    let (meta, runs) = shard::merge(&args.shards).map_err(CliError::Input)?;
    // The merged folder replaces what is at `--out`: never one of the shards it is made of.
    if let Ok(target) = std::fs::canonicalize(&args.out)
        && let Some(s) = args.shards.iter().find(|s| std::fs::canonicalize(s).is_ok_and(|s| s == target))
    {
        return Err(CliError::Input(format!(
            "--out {}: it is the shard {} being merged; choose another folder for the merged sweep",
            args.out.display(),
            s.display()
        )));
    }
    let output = OutputDir::prepare(&args.out, false, Mode::Replace)?;
    for (name, bytes) in outputs::render(&meta, &runs).map_err(CliError::Other)? {
        output.write_file(&name, &bytes)?;
    }
    output.commit(&super::sweep::identity(&meta, "sweep"))?;
    if !args.quiet {
        out(&format!(
            "merged {} shards of sweep {} ({} runs) into {}/\n",
            args.shards.len(),
            meta.name,
            runs.len(),
            args.out.display()
        ));
    }
    Ok(())
}
