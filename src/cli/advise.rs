//! `copysim advise interval --provider P --sizes 100GB,1TB [--change 1%]`: planning answers found by simulation.

use std::path::PathBuf;

use super::{CliError, out};
use crate::output::{Mode, OutputDir, RunIdentity};
use crate::sweep::advise::{self, Question};

/// Arguments of `advise`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The question.
    #[command(subcommand)]
    pub question: Which,
}

/// The questions `advise` answers.
#[derive(Debug, clap::Subcommand)]
pub enum Which {
    /// The shortest backup interval at which cross-region copies stay incremental, per volume size.
    Interval(IntervalArgs),
}

/// Arguments of `advise interval`.
#[derive(Debug, clap::Args)]
pub struct IntervalArgs {
    /// Provider: oci, aws_fsx, ibm_vpc, huawei_cbr or aws_ebs.
    #[arg(long)]
    pub provider: String,
    /// Volume sizes, comma-separated (`100GB,500GB,1TB,2TB,3TB`).
    #[arg(long, value_delimiter = ',', required = true)]
    pub sizes: Vec<String>,
    /// Daily change of each volume.
    #[arg(long, default_value = "1%")]
    pub change: String,
    /// Search resolution (1m to 1h).
    #[arg(long, default_value = "5m")]
    pub resolution: String,
    /// Override a field of the generated scenario (e.g. `providers.ibm_vpc.copy_throughput_cap=100MB/s`).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Folder for `interval.csv` (default: `outputs/advise-interval-<provider>`).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Top-level fields of the generated scenario that the search itself sets.
const SEARCHED: [&str; 2] = ["horizon", "schedules"];

/// Runs the subcommand.
pub fn exec(args: Args) -> Result<(), CliError> {
    let Which::Interval(a) = args.question;
    let resolution_ms = crate::scenario::units::parse_duration_ms(&a.resolution)
        .ok()
        .filter(|&ms| (60_000..=3_600_000).contains(&ms) && ms % 1000 == 0)
        .ok_or_else(|| {
            let why = match crate::scenario::units::parse_duration_ms(&a.resolution) {
                Ok(ms) if ms < 60_000 => "schedules are planned in minutes: a finer step only adds simulations".into(),
                Ok(ms) if ms > 3_600_000 => "a coarser step could not tell intervals shorter than it apart".into(),
                Ok(_) => "a step is whole seconds".into(),
                Err(m) => m,
            };
            CliError::Input(format!(
                "--resolution {}: expected whole seconds from 1m to 1h, e.g. 5m ({why})",
                a.resolution
            ))
        })?;
    let overrides = super::parse_sets(&a.set)?;
    if let Some(o) = overrides.iter().find(|o| SEARCHED.contains(&o.path.first().map_or("", String::as_str))) {
        return Err(CliError::Input(format!(
            "{}: the search sets `{}` itself (each simulation's interval and length); set the provider's \
             parameters, the links or the volume instead",
            o.origin,
            o.path.join(".")
        )));
    }
    let q = Question { provider: a.provider.clone(), change: a.change.clone(), resolution_ms, overrides };
    for size in &a.sizes {
        crate::scenario::units::parse_size(size).map_err(|m| CliError::Input(format!("--sizes {size}: {m}")))?;
    }
    let dir = a.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(format!("advise-interval-{}", a.provider)));
    let answers = advise::answers(&q, &a.sizes).map_err(CliError::Input)?;
    let output = OutputDir::prepare(&dir, a.out.is_none(), Mode::Replace)?;
    output.write_file("interval.csv", &advise::csv(&q, &answers))?;
    let who = RunIdentity {
        kind: "advise".to_string(),
        scenario: format!("advise-interval-{}", a.provider),
        scenario_sha256: String::new(),
        seed: 1,
    };
    output.commit(&who)?;
    out(&advise::table(&q, &answers));
    out(&format!("wrote {}/interval.csv\n", dir.display()));
    Ok(())
}
