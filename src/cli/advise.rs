//! `copysim advise interval --provider P --sizes 100GB,1TB [--change 1%]` and `copysim advise
//! bandwidth SCENARIO --rpo-p95 2h [--link FROM->TO]`: planning answers found by simulation.

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
    /// The least bandwidth of a scenario's link at which RPO p95 in its DR region meets a target.
    Bandwidth(BandwidthArgs),
}

/// Arguments of `advise bandwidth`.
#[derive(Debug, clap::Args)]
pub struct BandwidthArgs {
    /// Scenario file.
    pub scenario: PathBuf,
    /// The RPO p95 to meet in the DR region (`2h`, `90m`).
    #[arg(long = "rpo-p95", value_name = "DURATION")]
    pub rpo_p95: String,
    /// The declared link to size, `FROM->TO` (default: the scenario's only declared link).
    #[arg(long, value_name = "FROM->TO")]
    pub link: Option<String>,
    /// The DR region whose RPO is read: the link's destination (with several links and no
    /// `--link`, the only declared link into it is sized).
    #[arg(long)]
    pub region: Option<String>,
    /// Relative resolution of the answer (0.1% to 50%).
    #[arg(long, default_value = "1%")]
    pub resolution: String,
    /// Seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Override a scenario field first (e.g. `warm_start=true`, `report.measure_from=14d`).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Folder for `bandwidth.csv` (default: `outputs/advise-bandwidth-<scenario name>`).
    #[arg(long)]
    pub out: Option<PathBuf>,
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
    match args.question {
        Which::Interval(a) => interval(a),
        Which::Bandwidth(a) => bandwidth(a),
    }
}

/// `advise bandwidth`.
fn bandwidth(a: BandwidthArgs) -> Result<(), CliError> {
    use crate::sweep::advise_bandwidth as bw;
    let target_ms =
        crate::scenario::units::parse_duration_ms(&a.rpo_p95).ok().filter(|&ms| ms > 0).ok_or_else(|| {
            CliError::Input(format!("--rpo-p95 {}: expected a duration above zero, e.g. 2h or 90m", a.rpo_p95))
        })?;
    let resolution_ppm = crate::scenario::units::parse_percent_ppm(&a.resolution)
        .ok()
        .filter(|&ppm| (1_000..=500_000).contains(&ppm))
        .ok_or_else(|| {
            CliError::Input(format!("--resolution {}: expected a percentage from 0.1% to 50%, e.g. 1%", a.resolution))
        })?;
    let overrides = super::parse_sets(&a.set)?;
    let scenario = crate::scenario::overrides::load(Some(&a.scenario), a.seed, &overrides, false)?;
    let w = &scenario.world;
    let declared: Vec<usize> = (0..w.links.len()).filter(|&i| w.links[i].declared).collect();
    let name = |i: usize| format!("{}->{}", w.region(w.links[i].from).name, w.region(w.links[i].to).name);
    let known = || declared.iter().map(|&i| name(i)).collect::<Vec<_>>().join(", ");
    let region_arg = match &a.region {
        Some(r) => Some(
            *w.region_names
                .get(r)
                .ok_or_else(|| CliError::Input(format!("--region {r}: no such region in {}", a.scenario.display())))?,
        ),
        None => None,
    };
    let into = |r: crate::model::RegionId| declared.iter().copied().filter(|&i| w.links[i].to == r).collect::<Vec<_>>();
    let link = match &a.link {
        Some(l) => *declared.iter().find(|&&i| name(i) == l.replace(' ', "")).ok_or_else(|| {
            CliError::Input(format!(
                "--link {l}: no such link is declared in {} (declared: {})",
                a.scenario.display(),
                known()
            ))
        })?,
        None => match (declared.as_slice(), region_arg) {
            ([], _) => {
                return Err(CliError::Input(format!(
                    "{} declares no [[links]]: nothing to size",
                    a.scenario.display()
                )));
            }
            ([one], _) => *one,
            // Several links, and a DR region: the only declared link into it.
            (_, Some(r)) if into(r).len() == 1 => into(r)[0],
            _ => {
                return Err(CliError::Input(format!(
                    "--link: {} declares several links; name one of {}",
                    a.scenario.display(),
                    known()
                )));
            }
        },
    };
    // A link's bandwidth carries copies into its destination only: the RPO it sizes is there.
    let region = match region_arg {
        Some(r) if r != w.links[link].to => {
            let others = into(r).iter().map(|&i| name(i)).collect::<Vec<_>>();
            let (r_name, to_name) = (&w.region(r).name, &w.region(w.links[link].to).name);
            let instead = if others.is_empty() {
                format!("no declared link goes into {r_name}")
            } else {
                format!("for {r_name}, size --link {}", others.join(" or --link "))
            };
            return Err(CliError::Input(format!(
                "--region {r_name}: link {} carries copies into {to_name}, not {r_name}, so its bandwidth sizes \
                 the RPO in {to_name} (omit --region, or give --region {to_name}); {instead}",
                name(link)
            )));
        }
        Some(r) => r,
        None => w.links[link].to,
    };
    let dr = crate::report::rpo::dr_regions(&scenario);
    if !dr.values().any(|regions| regions.contains(&region)) {
        return Err(CliError::Input(format!(
            "--region {}: no schedule copies to it, so it has no RPO to size the link for",
            w.region(region).name
        )));
    }
    let q = bw::Question {
        link,
        region,
        target: crate::kernel::SimDuration(target_ms),
        resolution_ppm: resolution_ppm.into(),
    };
    // The folder is checked before the simulations: one copysim may not replace costs nothing.
    let dir =
        a.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(format!("advise-bandwidth-{}", scenario.name)));
    let output = OutputDir::prepare(&dir, a.out.is_none(), Mode::Replace)?;
    let answer = bw::answer(&scenario, &q).map_err(CliError::Other)?;
    output.write_file("bandwidth.csv", &bw::csv(&scenario, &q, &answer))?;
    let who = RunIdentity {
        kind: "advise".to_string(),
        scenario: scenario.name.clone(),
        scenario_sha256: scenario.source_sha256.clone(),
        seed: scenario.seed,
    };
    output.commit(&who)?;
    out(&bw::table(&scenario, &q, &answer));
    out(&format!("wrote {}/bandwidth.csv\n", dir.display()));
    Ok(())
}

/// `advise interval`.
fn interval(a: IntervalArgs) -> Result<(), CliError> {
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
    let sizes = sizes_arg(&a.sizes)?;
    let dir = a.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(format!("advise-interval-{}", a.provider)));
    // Mistakes first, then the folder, then the simulations: nothing is written on a mistake,
    // and a folder copysim may not replace is refused before any simulation runs.
    advise::check(&q, &sizes).map_err(CliError::Input)?;
    let output = OutputDir::prepare(&dir, a.out.is_none(), Mode::Replace)?;
    let answers = advise::answers(&q, &sizes).map_err(CliError::Input)?;
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

/// The sizes of `--sizes`, each trimmed (`100GB, 1TB` is two sizes), every one a size once: an
/// empty one (`--sizes 100GB,` read "--sizes : expected a size …, found \"\"") and one listed
/// twice, in any unit (`1TB,1000GB`: two rows of one answer), are refused.
fn sizes_arg(sizes: &[String]) -> Result<Vec<String>, CliError> {
    let all = sizes.join(",");
    let mut out: Vec<(String, u64)> = Vec::new();
    for size in sizes.iter().map(|s| s.trim()) {
        if size.is_empty() {
            return Err(CliError::Input(format!(
                "--sizes {all}: an empty size between commas (or a comma at the start or end); expected sizes \
                 separated by commas, e.g. 100GB,1TB"
            )));
        }
        let bytes =
            crate::scenario::units::parse_size(size).map_err(|m| CliError::Input(format!("--sizes {size}: {m}")))?;
        if let Some((first, _)) = out.iter().find(|(_, b)| *b == bytes) {
            let twice = if first == size {
                format!("{size} is listed twice")
            } else {
                format!("{size} is the same size as {first} ({bytes} bytes)")
            };
            return Err(CliError::Input(format!("--sizes {all}: {twice}; list each size once")));
        }
        out.push((size.to_string(), bytes));
    }
    Ok(out.into_iter().map(|(s, _)| s).collect())
}
