//! `copysim sweep SWEEP.toml [--shard K/N|auto] [--out DIR]`: run a grid of scenarios in parallel and write the sweep's folder (or one shard of it).

use std::io::IsTerminal as _;
use std::path::PathBuf;

use super::{CliError, out};
use crate::output::{Mode, OutputDir, RunIdentity};
use crate::sweep::{self, SweepMeta, shard};

/// Arguments of `sweep`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Sweep file (TOML); see docs/sweeps.md.
    pub sweep: PathBuf,
    /// Output folder (default: `outputs/<sweep-name>`, or `outputs/<sweep-name>-shard-K-of-N`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Run only the runs whose index ≡ K (mod N) into a shard folder for `copysim merge` (N at
    /// most the number of runs); `auto` reads K (and N) from a Slurm job array or a Kubernetes
    /// Indexed Job.
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<String>,
    /// With `--shard auto`: the number of shards (required for Kubernetes and for a
    /// re-submitted Slurm index; it wins over the array's own size).
    #[arg(long, value_name = "N")]
    pub shards: Option<usize>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The shard asked for, if any, and where its count came from.
fn pick_shard(args: &Args) -> Result<Option<(shard::Shard, String)>, CliError> {
    match (args.shard.as_deref(), args.shards) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(CliError::Input("--shards N goes with --shard auto".to_string())),
        (Some("auto"), n) => shard::auto(n, &|name| std::env::var(name).ok()).map(Some).map_err(CliError::Input),
        (Some(k_of_n), n) => {
            let s = shard::parse(k_of_n).map_err(CliError::Input)?;
            match n {
                Some(n) if n != s.count => Err(CliError::Input(format!("--shard {k_of_n} and --shards {n} disagree"))),
                _ => Ok(Some((s, format!("--shard {k_of_n}")))),
            }
        }
    }
}

/// Who wrote a sweep's folder (a merge writes the same, so the folders are identical).
pub fn identity(meta: &SweepMeta, kind: &str) -> RunIdentity {
    RunIdentity {
        kind: kind.to_string(),
        scenario: meta.name.clone(),
        scenario_sha256: meta.sha256.clone(),
        seed: meta.seed,
    }
}

fn progress(total: usize, quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{wide_bar} {pos}/{len} runs, {elapsed} elapsed, ETA {eta}")
    {
        bar.set_style(style);
    }
    bar
}

/// Runs the subcommand.
pub fn exec(args: Args) -> Result<(), CliError> {
    let loaded = sweep::load(&args.sweep).map_err(|e| CliError::Input(e.to_string()))?;
    let picked = pick_shard(&args)?;
    let meta = SweepMeta::of(&loaded);
    if let Some((s, from)) = &picked {
        shard::fits(*s, loaded.run_count(), &meta.name, from).map_err(CliError::Input)?;
    }
    let shard = picked.map(|(s, _)| s);
    let default = match shard {
        Some(s) => format!("{}-shard-{}-of-{}", meta.name, s.index, s.count),
        None => meta.name.clone(),
    };
    let dir = args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(default));
    let output = OutputDir::prepare(&dir, args.out.is_none(), Mode::Replace)?;
    let indices: Vec<usize> = (0..loaded.run_count()).filter(|&i| shard.is_none_or(|s| s.includes(i))).collect();
    if !args.quiet {
        let part = shard.map_or(String::new(), |s| format!(", shard {}/{}: {} runs", s.index, s.count, indices.len()));
        super::note(&format!(
            "copysim {}: sweep {}: {} points × {} replications = {} runs{part}, seed {}, {} threads",
            env!("CARGO_PKG_VERSION"),
            meta.name,
            meta.points,
            meta.replications,
            meta.runs(),
            meta.seed,
            rayon::current_num_threads()
        ));
    }
    let bar = progress(indices.len(), args.quiet);
    let records = sweep::execute(&loaded, &indices, &|| bar.inc(1)).map_err(CliError::Input)?;
    bar.finish_and_clear();
    let (files, kind) = match shard {
        Some(s) => (vec![(shard::SHARD_FILE.to_string(), shard::to_json(&meta, s, &records))], "sweep-shard"),
        None => (sweep::outputs::render(&meta, &records).map_err(CliError::Other)?, "sweep"),
    };
    for (name, bytes) in &files {
        output.write_file(name, bytes)?;
    }
    output.commit(&identity(&meta, kind))?;
    if !args.quiet {
        // Runs whose figures leave something out (a backlog, a cold start, retention outrunning
        // the copies): the one line a planner reads here says how many, not only the tables.
        let warned = records.iter().filter(|r| r.metrics.iter().any(|(m, v)| m == "warnings" && *v > 0.0)).count();
        let warned = match warned {
            0 => String::new(),
            n => format!(
                "; {n} of {} runs gave warnings (sweep.csv `warnings`; report.html marks their points: read those runs before comparing them)",
                records.len()
            ),
        };
        out(&format!("sweep {}: {} runs{warned}; wrote {}/\n", meta.name, records.len(), dir.display()));
    }
    Ok(())
}
