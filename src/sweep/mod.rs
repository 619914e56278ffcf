//! Sweeps: many runs of one base scenario over a grid of overrides and replications, in
//! parallel with rayon, gathered in index order so the outputs are the same bytes whatever the
//! thread count, the shard split, or the machine.
//!
//! Run *i* (point `i / replications`, replication `r = i % replications`) is seeded with
//! [`run_seed`]`(sweep seed, r)`: the (r + 1)-th output of a SplitMix64 generator started at the
//! sweep seed. Every point's replication `r` draws the same fleet and the same faults (common
//! random numbers), so points differ by their axes only, not by their draws. A seed depends on
//! nothing else, so any subset of runs can go anywhere.

pub mod advise;
pub mod advise_bandwidth;
pub mod compare;
pub mod file;
pub mod grid;
pub mod metrics;
pub mod outputs;
pub mod page;
pub mod shard;
pub mod stats;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use file::{Sweep, SweepError, load};
pub use metrics::Metrics;

/// SplitMix64's golden-ratio increment.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The seed of run `index` of a sweep seeded `sweep_seed`: SplitMix64's (index + 1)-th output.
pub fn run_seed(sweep_seed: u64, index: u64) -> u64 {
    let mut z = sweep_seed.wrapping_add(index.wrapping_add(1).wrapping_mul(GOLDEN));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// What the outputs need to know about a sweep, written into every shard so a merge needs
/// nothing else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepMeta {
    /// Name.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// SHA-256 over the sweep file and its base scenario.
    pub sha256: String,
    /// The sweep seed.
    pub seed: u64,
    /// Replications per point.
    pub replications: u32,
    /// Axes: path and values.
    pub axes: Vec<AxisMeta>,
    /// Number of points.
    pub points: usize,
}

/// An axis as the outputs show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AxisMeta {
    /// Its column name (the axis's `name`, or its path).
    pub name: String,
    /// The override paths it sets: its `path`, then each `[[axes.with]]` path.
    pub paths: Vec<String>,
    /// The values (labels), in order.
    pub values: Vec<String>,
}

impl SweepMeta {
    /// The meta of a loaded sweep.
    pub fn of(s: &Sweep) -> SweepMeta {
        SweepMeta {
            name: s.name.clone(),
            description: s.description.clone(),
            sha256: s.sha256.clone(),
            seed: s.seed,
            replications: s.replications,
            axes: s
                .axes
                .iter()
                .map(|a| AxisMeta {
                    name: a.name.clone(),
                    paths: a.paths.iter().map(|p| p.path.clone()).collect(),
                    values: a.labels.clone(),
                })
                .collect(),
            points: s.points.len(),
        }
    }

    /// Total runs.
    pub fn runs(&self) -> usize {
        // Saturating: `merge` reads these from a shard.json that may have been edited.
        self.points.saturating_mul(self.replications as usize)
    }

    /// The value of each axis at `point`.
    pub fn labels(&self, point: usize) -> Vec<String> {
        let mut index = point;
        let mut out = vec![String::new(); self.axes.len()];
        for (slot, axis) in out.iter_mut().zip(&self.axes).rev() {
            let n = axis.values.len().max(1);
            *slot = axis.values.get(index % n).cloned().unwrap_or_default();
            index /= n;
        }
        out
    }
}

/// One finished run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    /// Run index.
    pub index: usize,
    /// Point index.
    pub point: usize,
    /// Replication within the point.
    pub replication: u32,
    /// Its seed.
    pub seed: u64,
    /// Its headline metrics.
    pub metrics: Metrics,
}

/// Runs run `index` of `sweep`.
pub fn run_index(sweep: &Sweep, index: usize) -> Result<RunRecord, String> {
    let reps = sweep.replications as usize;
    let point = &sweep.points[index / reps];
    // Common random numbers: replication r of every point draws alike.
    let seed = run_seed(sweep.seed, (index % reps) as u64);
    let scenario =
        crate::scenario::overrides::parse_with(&sweep.base_text, &sweep.base_label, Some(seed), &point.overrides)
            .map_err(|e| e.to_string())?;
    let summary = metrics::run_one(&scenario)?;
    if !summary.invariant_violations.is_empty() {
        return Err(format!(
            "internal invariant violated (a copysim bug; please report it): {}",
            summary.invariant_violations.join("; ")
        ));
    }
    Ok(RunRecord {
        index,
        point: point.index,
        replication: (index % reps) as u32,
        seed,
        metrics: metrics::of(&summary),
    })
}

/// Runs `indices` of `sweep` on rayon's pool; results come back in the order of `indices`.
/// `done` is called once per finished run (from any thread). The first failure in index order
/// is reported, naming the run and its point.
pub fn execute(sweep: &Sweep, indices: &[usize], done: &(dyn Fn() + Sync)) -> Result<Vec<RunRecord>, String> {
    let results: Vec<Result<RunRecord, String>> = indices
        .par_iter()
        .with_max_len(1) // one run per task: runs of a grid differ in length, so let idle threads steal single runs
        .map(|&i| {
            let r = run_index(sweep, i);
            done();
            r
        })
        .collect();
    let reps = sweep.replications as usize;
    results
        .into_iter()
        .zip(indices)
        .map(|(r, &i)| {
            r.map_err(|e| {
                let labels = &sweep.points[i / reps].labels;
                let at: Vec<String> = sweep.axes.iter().zip(labels).map(|(a, l)| format!("{} = {l}", a.name)).collect();
                format!("run {i} ({}, replication {}): {e}", at.join(", "), i % reps)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_seeds_are_splitmix64_outputs() {
        // SplitMix64 seeded with 0: its first outputs are well known.
        assert_eq!(run_seed(0, 0), 0xE220_A839_7B1D_CDAF);
        assert_eq!(run_seed(0, 1), 0x6E78_9E6A_A1B9_65F4);
        assert_ne!(run_seed(1, 0), run_seed(0, 0));
    }
}
