//! Shards: `--shard K/N` runs the runs whose index ≡ K (mod N) into a shard folder holding
//! `shard.json` (the sweep's meta and each run's exact metrics); `merge` checks that the shards
//! are of one sweep, all there and none twice, and renders the very folder an unsharded sweep
//! writes. `--shard auto` takes K (and N) from a Slurm job array or a Kubernetes Indexed Job.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{RunRecord, SweepMeta};

/// The shard file's name inside a shard folder.
pub const SHARD_FILE: &str = "shard.json";

/// Which shard: runs with index ≡ `index` (mod `count`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// K, from 0.
    pub index: usize,
    /// N, at least 1.
    pub count: usize,
}

impl Shard {
    /// Whether run `run` belongs to this shard.
    pub fn includes(&self, run: usize) -> bool {
        run % self.count == self.index
    }
}

/// Parses `K/N` (0 ≤ K < N).
pub fn parse(text: &str) -> Result<Shard, String> {
    let bad = || format!("--shard {text}: expected K/N with 0 ≤ K < N (e.g. 0/3), or `auto`");
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (index, count): (usize, usize) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    if count == 0 || index >= count {
        return Err(bad());
    }
    Ok(Shard { index, count })
}

/// `--shard auto`: the index from `SLURM_ARRAY_TASK_ID` or `JOB_COMPLETION_INDEX`; the count from
/// `--shards N` when given, else from the Slurm array (`SLURM_ARRAY_TASK_COUNT`, or
/// `SLURM_ARRAY_TASK_MAX` + 1), which must then start at 0. `env` reads a variable.
pub fn auto(shards: Option<usize>, env: &dyn Fn(&str) -> Option<String>) -> Result<Shard, String> {
    let read = |name: &str| -> Result<Option<usize>, String> {
        env(name)
            .map(|v| v.trim().parse::<usize>().map_err(|_| format!("--shard auto: {name}={v:?} is not a whole number")))
            .transpose()
    };
    let check = |index: usize, count: usize, from: &str| {
        if count == 0 || index >= count {
            Err(format!("--shard auto: {from} gives shard {index} of {count}; the index must be below the count"))
        } else {
            Ok(Shard { index, count })
        }
    };
    if let Some(index) = read("SLURM_ARRAY_TASK_ID")? {
        if let Some(n) = shards {
            return check(index, n, "SLURM_ARRAY_TASK_ID with --shards");
        }
        let min = read("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
        if min != 0 {
            return Err(format!(
                "--shard auto: the Slurm array starts at {min}, so its size is not the shard count; \
                 give --shards N (the array should run 0..N-1)"
            ));
        }
        let count = match (read("SLURM_ARRAY_TASK_COUNT")?, read("SLURM_ARRAY_TASK_MAX")?) {
            (Some(c), _) => c,
            (None, Some(max)) => max + 1,
            (None, None) => return Err("--shard auto: SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is; give --shards N".to_string()),
        };
        return check(index, count, "the Slurm array");
    }
    if let Some(index) = read("JOB_COMPLETION_INDEX")? {
        let Some(n) = shards else {
            return Err("--shard auto: JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job); give the job's completions as --shards N".to_string());
        };
        return check(index, n, "JOB_COMPLETION_INDEX with --shards");
    }
    Err("--shard auto: neither SLURM_ARRAY_TASK_ID (a Slurm job array) nor JOB_COMPLETION_INDEX (a Kubernetes \
         Indexed Job) is set; outside a cluster, give the shard as --shard K/N"
        .to_string())
}

#[derive(Serialize, Deserialize)]
struct RunJson {
    index: usize,
    point: usize,
    replication: u32,
    seed: u64,
    /// `(name, value)`; values in Rust's shortest round-trip form, read back exactly.
    metrics: Vec<(String, String)>,
}

#[derive(Serialize, Deserialize)]
struct ShardJson {
    copysim_version: String,
    shard: usize,
    shards: usize,
    sweep: SweepMeta,
    runs: Vec<RunJson>,
}

/// `shard.json` for shard `shard` of the sweep `meta` with its `runs`.
pub fn to_json(meta: &SweepMeta, shard: Shard, runs: &[RunRecord]) -> Vec<u8> {
    let doc = ShardJson {
        copysim_version: env!("CARGO_PKG_VERSION").to_string(),
        shard: shard.index,
        shards: shard.count,
        sweep: meta.clone(),
        runs: runs
            .iter()
            .map(|r| RunJson {
                index: r.index,
                point: r.point,
                replication: r.replication,
                seed: r.seed,
                metrics: r.metrics.iter().map(|(n, v)| (n.clone(), format!("{v:?}"))).collect(),
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

fn read_shard(dir: &Path) -> Result<(ShardJson, Vec<RunRecord>), String> {
    let path = dir.join(SHARD_FILE);
    let bytes = std::fs::read(&path).map_err(|e| {
        format!(
            "{}: not a sweep shard folder ({SHARD_FILE}: {e}); give folders written by `copysim sweep --shard`",
            dir.display()
        )
    })?;
    let doc: ShardJson =
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: unreadable shard file: {e}", path.display()))?;
    let mut runs = Vec::with_capacity(doc.runs.len());
    for r in &doc.runs {
        let mut metrics = Vec::with_capacity(r.metrics.len());
        for (n, v) in &r.metrics {
            let v: f64 =
                v.parse().map_err(|_| format!("{}: run {}: bad value {v:?} for {n}", path.display(), r.index))?;
            metrics.push((n.clone(), v));
        }
        runs.push(RunRecord { index: r.index, point: r.point, replication: r.replication, seed: r.seed, metrics });
    }
    Ok((doc, runs))
}

/// Reads shard folders and joins them: every shard of one sweep, each exactly once, every run
/// present. Returns the sweep's meta and all runs in index order.
pub fn merge(dirs: &[PathBuf]) -> Result<(SweepMeta, Vec<RunRecord>), String> {
    let Some(first) = dirs.first() else { return Err("merge: give the shard folders to join".to_string()) };
    let (head, _) = read_shard(first)?;
    let mut seen: BTreeMap<usize, &PathBuf> = BTreeMap::new();
    let mut runs = Vec::new();
    for dir in dirs {
        let (doc, mut r) = read_shard(dir)?;
        if doc.sweep != head.sweep || doc.shards != head.shards {
            return Err(format!(
                "{} is shard {}/{} of sweep {} ({}…), but {} is shard {}/{} of sweep {} ({}…): they are not of one sweep",
                dir.display(),
                doc.shard,
                doc.shards,
                doc.sweep.name,
                &doc.sweep.sha256[..12.min(doc.sweep.sha256.len())],
                first.display(),
                head.shard,
                head.shards,
                head.sweep.name,
                &head.sweep.sha256[..12.min(head.sweep.sha256.len())]
            ));
        }
        if let Some(other) = seen.insert(doc.shard, dir) {
            return Err(format!(
                "shard {}/{} is given twice: {} and {}",
                doc.shard,
                doc.shards,
                other.display(),
                dir.display()
            ));
        }
        runs.append(&mut r);
    }
    let missing: Vec<String> =
        (0..head.shards).filter(|k| !seen.contains_key(k)).map(|k| format!("{k}/{}", head.shards)).collect();
    if !missing.is_empty() {
        return Err(format!(
            "shard{} {} of sweep {} {} missing: run `copysim sweep SWEEP --shard K/N` for {}, then merge again",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            head.sweep.name,
            if missing.len() == 1 { "is" } else { "are" },
            if missing.len() == 1 { "it" } else { "each" }
        ));
    }
    runs.sort_by_key(|r| r.index);
    let expected = head.sweep.runs();
    let complete = runs.len() == expected && runs.iter().enumerate().all(|(i, r)| r.index == i);
    if !complete {
        return Err(format!(
            "the shards hold {} runs of sweep {}, not runs 0..{expected} once each",
            runs.len(),
            head.sweep.name
        ));
    }
    Ok((head.sweep, runs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        move |n| vars.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone())
    }

    #[test]
    fn k_of_n_is_checked() {
        assert_eq!(parse("1/3"), Ok(Shard { index: 1, count: 3 }));
        assert!(parse("3/3").is_err() && parse("0/0").is_err() && parse("x").is_err());
    }

    #[test]
    fn slurm_arrays_give_index_and_count() {
        let e = env(&[("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_COUNT", "3"), ("SLURM_ARRAY_TASK_MIN", "0")]);
        assert_eq!(auto(None, &e), Ok(Shard { index: 2, count: 3 }));
        let e = env(&[("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_MAX", "3")]);
        assert_eq!(auto(None, &e), Ok(Shard { index: 1, count: 4 }));
    }

    #[test]
    fn a_resubmitted_index_needs_the_count() {
        // `sbatch --array=1 ...`: Slurm says MIN = MAX = 1, COUNT = 1.
        let e = env(&[
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "1"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_MAX", "1"),
        ]);
        assert!(auto(None, &e).unwrap_err().contains("give --shards N"));
        assert_eq!(auto(Some(3), &e), Ok(Shard { index: 1, count: 3 }));
    }

    #[test]
    fn kubernetes_needs_shards_and_nothing_set_is_an_error() {
        let e = env(&[("JOB_COMPLETION_INDEX", "4")]);
        assert!(auto(None, &e).unwrap_err().contains("--shards N"));
        assert_eq!(auto(Some(5), &e), Ok(Shard { index: 4, count: 5 }));
        assert!(auto(Some(4), &e).is_err());
        assert!(auto(Some(2), &env(&[])).unwrap_err().contains("neither SLURM_ARRAY_TASK_ID"));
    }
}
