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

/// How many missing shards `merge` names before it counts the rest.
const MISSING_NAMED: usize = 5;

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

/// Refuses more shards than the sweep has runs (`runs`, of sweep `name`): such a shard would
/// run nothing, and `merge` would need as many shard folders. `from` says where the count came
/// from (`--shard 0/9`, `--shard auto (SLURM_ARRAY_TASK_COUNT=9)`).
pub fn fits(shard: Shard, runs: usize, name: &str, from: &str) -> Result<(), String> {
    if shard.count <= runs {
        return Ok(());
    }
    Err(format!(
        "{from}: {} shards, but sweep {name} has only {runs} run{}; give at most {runs} shard{} \
         (every shard runs at least one run)",
        shard.count,
        if runs == 1 { "" } else { "s" },
        if runs == 1 { "" } else { "s" },
    ))
}

/// `--shard auto`: the index from `SLURM_ARRAY_TASK_ID` or `JOB_COMPLETION_INDEX`; the count from
/// `--shards N` when given, else from the Slurm array (`SLURM_ARRAY_TASK_COUNT`, or
/// `SLURM_ARRAY_TASK_MAX` + 1), which must then start at 0. `env` reads a variable. Returns the
/// shard and where its count came from, for [`fits`].
pub fn auto(shards: Option<usize>, env: &dyn Fn(&str) -> Option<String>) -> Result<(Shard, String), String> {
    let read = |name: &str| -> Result<Option<usize>, String> {
        env(name)
            .map(|v| v.trim().parse::<usize>().map_err(|_| format!("--shard auto: {name}={v:?} is not a whole number")))
            .transpose()
    };
    let check = |index: usize, count: usize, from: &str, count_from: String| {
        if count == 0 || index >= count {
            Err(format!("--shard auto: {from} gives shard {index} of {count}; the index must be below the count"))
        } else {
            Ok((Shard { index, count }, format!("--shard auto ({count_from})")))
        }
    };
    if let Some(index) = read("SLURM_ARRAY_TASK_ID")? {
        if let Some(n) = shards {
            return check(index, n, "SLURM_ARRAY_TASK_ID with --shards", format!("--shards {n}"));
        }
        let min = read("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
        if min != 0 {
            return Err(format!(
                "--shard auto: the Slurm array starts at {min}, so its size is not the shard count; \
                 give --shards N (the array should run 0..N-1)"
            ));
        }
        let (count, count_from) = match (read("SLURM_ARRAY_TASK_COUNT")?, read("SLURM_ARRAY_TASK_MAX")?) {
            (Some(c), _) => (c, format!("SLURM_ARRAY_TASK_COUNT={c}")),
            (None, Some(max)) => {
                let Some(count) = max.checked_add(1) else {
                    return Err(format!(
                        "--shard auto: SLURM_ARRAY_TASK_MAX={max} is not the last index of an array that \
                         starts at 0 (its size would overflow); give --shards N"
                    ));
                };
                (count, format!("SLURM_ARRAY_TASK_MAX={max}"))
            }
            (None, None) => return Err("--shard auto: SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is; give --shards N".to_string()),
        };
        return check(index, count, "the Slurm array", count_from);
    }
    if let Some(index) = read("JOB_COMPLETION_INDEX")? {
        let Some(n) = shards else {
            return Err("--shard auto: JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job); give the job's completions as --shards N".to_string());
        };
        return check(index, n, "JOB_COMPLETION_INDEX with --shards", format!("--shards {n}"));
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
    if !path.exists() {
        return Err(format!(
            "{}: not a sweep shard folder (no {SHARD_FILE}); give folders written by `copysim sweep --shard`",
            dir.display()
        ));
    }
    let bytes = super::compare::read_bounded(&path)?;
    let doc: ShardJson = serde_json::from_slice(&bytes).map_err(|e| {
        format!("{}: unreadable shard file (line {}, column {}): {}", path.display(), e.line(), e.column(), plain(&e))
    })?;
    check_axes(&doc.sweep).map_err(|what| {
        format!(
            "{}: sweep {}: {what}; this file was not written by `copysim sweep --shard` (or was edited): run that shard again",
            path.display(),
            doc.sweep.name
        )
    })?;
    // `sweep` never writes more shards than runs (see `fits`); a count past that was edited, and
    // would have the merge look for that many folders.
    let runs = doc.sweep.runs();
    if doc.shards == 0 || doc.shard >= doc.shards || doc.shards > runs {
        return Err(format!(
            "{}: shard {}/{} of sweep {}, which has {runs} runs: a sweep splits into 1 to {runs} shards, \
             each index below the count; this file was not written by `copysim sweep --shard`",
            path.display(),
            doc.shard,
            doc.shards,
            doc.sweep.name
        ));
    }
    let shard = Shard { index: doc.shard, count: doc.shards };
    let mut runs = Vec::with_capacity(doc.runs.len());
    for r in &doc.runs {
        let bad = |what: String| {
            format!(
                "{}: run {}: {what}; this file was not written by `copysim sweep --shard` (or was edited): run that shard again",
                path.display(),
                r.index
            )
        };
        check_run(&doc.sweep, shard, r).map_err(bad)?;
        let mut metrics: Vec<(String, f64)> = Vec::with_capacity(r.metrics.len());
        for (n, v) in &r.metrics {
            let v = check_metric(n, v).map_err(bad)?;
            if metrics.iter().any(|(m, _)| m == n) {
                return Err(bad(format!("metric {n} is given twice")));
            }
            metrics.push((n.clone(), v));
        }
        runs.push(RunRecord { index: r.index, point: r.point, replication: r.replication, seed: r.seed, metrics });
    }
    Ok((doc, runs))
}

/// The sweep's axes agree with one another and with its point count, as `sweep` writes them:
/// each sets a path and has values, all different (its labels tell its points apart in
/// `points.csv`), and their product is `points` (1 without axes). An edited file with an axis
/// of three values over two points, or labels `["1", "1"]`, was merged into a `points.csv`
/// with mismatched or twice-given labels.
fn check_axes(meta: &SweepMeta) -> Result<(), String> {
    let mut product = Some(1usize);
    for a in &meta.axes {
        if a.paths.is_empty() {
            return Err(format!("axis `{}` sets no path", a.name));
        }
        if a.values.is_empty() {
            return Err(format!("axis `{}` has no values", a.name));
        }
        if let Some((i, v)) = a.values.iter().enumerate().find(|(i, v)| a.values[..*i].contains(v)) {
            let first = a.values.iter().position(|x| x == v).unwrap_or(0);
            return Err(format!(
                "axis `{}` lists the value {v:?} twice (values {first} and {i}), but an axis's values are all different",
                a.name
            ));
        }
        product = product.and_then(|p| p.checked_mul(a.values.len()));
    }
    let counts: Vec<String> = meta.axes.iter().map(|a| a.values.len().to_string()).collect();
    let made = match (product, counts.len()) {
        (Some(n), 0) => format!("no axes make {n} point"),
        (Some(n), 1) => format!("its axis makes {n} points"),
        (Some(n), _) => format!("its axes make {n} points ({})", counts.join(" × ")),
        (None, _) => format!("its axes make more points than can be counted ({})", counts.join(" × ")),
    };
    match product {
        Some(n) if n == meta.points => Ok(()),
        _ => Err(format!("{made}, but it says `points` = {}", meta.points)),
    }
}

/// A JSON reader's message in plain words: serde's "invalid length 0, expected struct RunJson
/// with 5 elements" or "expected usize" names copysim's internal types, not what the file needs.
fn plain(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let message = full.rsplit_once(" at line ").map_or(full.as_str(), |(m, _)| m);
    if !e.is_data() {
        return format!("not valid JSON: {message}");
    }
    let expected = |what: &str| -> String {
        let what = what.split_once(" with ").map_or(what, |(w, _)| w);
        match what {
            "usize" | "u64" | "u32" => "a whole number (0 or more)".to_string(),
            "struct ShardJson" => "an object with copysim_version, shard, shards, sweep and runs".to_string(),
            "struct SweepMeta" => {
                "an object with name, description, sha256, seed, replications, axes and points".to_string()
            }
            "struct AxisMeta" => "an object with name, paths and values".to_string(),
            "struct RunJson" => "a run, an object with index, point, replication, seed and metrics".to_string(),
            "a tuple of size 2" => "a [name, value] pair".to_string(),
            "a sequence" => "an array".to_string(),
            other if other.starts_with("struct ") => "an object".to_string(),
            other => other.to_string(),
        }
    };
    let found = |what: &str| -> String {
        match what {
            "sequence" => "an array".to_string(),
            "map" => "an object".to_string(),
            "unit value" | "null" => "null".to_string(),
            other => ["integer `", "floating point `", "boolean `"]
                .iter()
                .find_map(|p| other.strip_prefix(p).and_then(|v| v.strip_suffix('`')))
                .map_or_else(|| other.to_string(), str::to_string),
        }
    };
    let pair = ["invalid type: ", "invalid value: "]
        .iter()
        .find_map(|p| message.strip_prefix(p))
        .and_then(|rest| rest.rsplit_once(", expected "));
    if let Some((was, wanted)) = pair {
        return format!("expected {}, found {}", expected(wanted), found(was));
    }
    if let Some((n, wanted)) = message.strip_prefix("invalid length ").and_then(|r| r.split_once(", expected ")) {
        let items = if n == "1" { "item" } else { "items" };
        return format!("expected {}, found an array of {n} {items}", expected(wanted));
    }
    match message.strip_prefix("missing field ") {
        Some(field) => format!("the field {field} is missing"),
        None => message.to_string(),
    }
}

/// The largest value a metric can take: `bytes_copied` is a `u64` total (18.4 EB) and a time is
/// at most 10,000 years of seconds; anything larger did not come from a run (and would have the
/// sweep's charts look for axis ticks forever).
const METRIC_MAX: f64 = 2e19;

/// A run's place in the sweep agrees with its index and seed, and belongs to this shard.
fn check_run(meta: &SweepMeta, shard: Shard, r: &RunJson) -> Result<(), String> {
    let reps = meta.replications.max(1) as usize;
    let (point, replication) = (r.index / reps, r.index % reps);
    if r.index >= meta.runs() || r.point != point || r.replication as usize != replication {
        return Err(format!(
            "point {} replication {} does not match run index {} of a sweep of {} points × {} replications \
             (expected point {point} replication {replication})",
            r.point, r.replication, r.index, meta.points, meta.replications
        ));
    }
    if !shard.includes(r.index) {
        return Err(format!(
            "it is not a run of shard {}/{} (index mod {} = {})",
            shard.index,
            shard.count,
            shard.count,
            r.index % shard.count
        ));
    }
    let seed = super::run_seed(meta.seed, replication as u64);
    if r.seed != seed {
        return Err(format!(
            "seed {} is not the seed of replication {replication} of sweep seed {} ({seed})",
            r.seed, meta.seed
        ));
    }
    Ok(())
}

/// A metric's value, read exactly: a known metric, a number from 0 to [`METRIC_MAX`] (a share
/// at most 1).
fn check_metric(name: &str, text: &str) -> Result<f64, String> {
    let family = name.split('[').next().unwrap_or(name);
    let region_ok = match name.split_once('[') {
        None => true,
        Some((_, rest)) => rest.len() > 1 && rest.ends_with(']') && !rest[..rest.len() - 1].contains(['[', ']']),
    };
    if !super::metrics::FAMILIES.contains(&family) || !region_ok {
        let shown: String = name.chars().take(80).collect();
        return Err(format!("unknown metric {shown:?} (known: {})", super::metrics::FAMILIES.join(", ")));
    }
    let (max, shown_max) = if family.ends_with("_share") { (1.0, "1") } else { (METRIC_MAX, "2e19") };
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=max).contains(&v) => Ok(v),
        _ => {
            let shown: String = text.chars().take(40).collect();
            Err(format!("{name} = {shown:?} is not a number from 0 to {shown_max}"))
        }
    }
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
    // Every index seen is below the count (`read_shard`), and each was seen once.
    let missing = head.shards - seen.len();
    if missing > 0 {
        let named: Vec<String> = (0..head.shards)
            .filter(|k| !seen.contains_key(k))
            .take(MISSING_NAMED)
            .map(|k| format!("{k}/{}", head.shards))
            .collect();
        let more = if missing > named.len() { format!(" and {} more", missing - named.len()) } else { String::new() };
        return Err(format!(
            "shard{} {}{more} of sweep {} {} missing: run `copysim sweep SWEEP --shard K/N` for {}, then merge again",
            if missing == 1 { "" } else { "s" },
            named.join(", "),
            head.sweep.name,
            if missing == 1 { "is" } else { "are" },
            if missing == 1 { "it" } else { "each" }
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
    fn a_shard_file_too_large_or_not_a_file_is_refused_without_reading_it_all() {
        // A 3 GB shard.json took 3.16 GB to refuse; a link to /dev/zero read until memory ran out.
        let dir = tempfile::tempdir().unwrap();
        let huge = dir.path().join("huge");
        std::fs::create_dir(&huge).unwrap();
        std::fs::File::create(huge.join(SHARD_FILE)).unwrap().set_len(3 << 30).unwrap(); // sparse
        let e = read_shard(&huge).err().expect("refused");
        assert!(e.contains("more than the 256 MiB copysim ever writes there"), "{e}");
        #[cfg(unix)]
        {
            let zero = dir.path().join("zero");
            std::fs::create_dir(&zero).unwrap();
            std::os::unix::fs::symlink("/dev/zero", zero.join(SHARD_FILE)).unwrap();
            assert!(read_shard(&zero).err().expect("refused").contains("not a regular file"));
        }
    }

    /// A shard folder of a one-axis sweep of values `["1", "2"]`, one run per point, with no
    /// metrics, its `shard.json` edited by `edit`; what reading it says.
    fn read_edited(edit: impl Fn(&mut serde_json::Value)) -> Result<(), String> {
        let meta = SweepMeta {
            name: "x".into(),
            description: None,
            sha256: "0".repeat(64),
            seed: 1,
            replications: 1,
            axes: vec![super::super::AxisMeta {
                name: "fleets.app.count".into(),
                paths: vec!["fleets.app.count".into()],
                values: vec!["1".into(), "2".into()],
            }],
            points: 2,
        };
        let runs: Vec<RunRecord> = (0..2)
            .map(|i| RunRecord {
                index: i,
                point: i,
                replication: 0,
                seed: super::super::run_seed(1, 0),
                metrics: Vec::new(),
            })
            .collect();
        let mut doc: serde_json::Value =
            serde_json::from_slice(&to_json(&meta, Shard { index: 0, count: 1 }, &runs)).unwrap();
        edit(&mut doc);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SHARD_FILE), serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
        read_shard(dir.path()).map(|_| ())
    }

    #[test]
    fn a_shard_file_whose_axes_disagree_with_its_points_is_refused() {
        // Both shards edited alike were merged: more values than points, a label given twice,
        // no axes at all — and `points.csv` carried the mismatched or repeated labels.
        read_edited(|_| {}).expect("as written");
        let e = read_edited(|d| d["sweep"]["axes"][0]["values"].as_array_mut().unwrap().push("3".into())).unwrap_err();
        assert!(
            e.contains("sweep x: its axis makes 3 points, but it says `points` = 2; this file was not written"),
            "{e}"
        );
        let e = read_edited(|d| d["sweep"]["axes"][0]["values"] = serde_json::json!(["1", "1"])).unwrap_err();
        assert!(e.contains("axis `fleets.app.count` lists the value \"1\" twice (values 0 and 1)"), "{e}");
        let e = read_edited(|d| d["sweep"]["axes"] = serde_json::json!([])).unwrap_err();
        assert!(e.contains("no axes make 1 point, but it says `points` = 2"), "{e}");
        let e = read_edited(|d| d["sweep"]["axes"][0]["paths"] = serde_json::json!([])).unwrap_err();
        assert!(e.contains("axis `fleets.app.count` sets no path"), "{e}");
        let e = read_edited(|d| d["sweep"]["axes"][0]["values"] = serde_json::json!([])).unwrap_err();
        assert!(e.contains("axis `fleets.app.count` has no values"), "{e}");
    }

    #[test]
    fn an_unreadable_shard_file_is_described_in_plain_words() {
        // serde's words named copysim's types: "invalid length 0, expected struct RunJson with
        // 5 elements", "expected usize", "invalid type: sequence, expected a string".
        type Edit = fn(&mut serde_json::Value);
        let cases: [(Edit, &str); 6] = [
            (
                |d| d["runs"][0] = serde_json::json!([]),
                "expected a run, an object with index, point, replication, seed and metrics, found an array of 0 items",
            ),
            (|d| d["sweep"]["points"] = serde_json::json!(-1), "expected a whole number (0 or more), found -1"),
            (|d| d["sweep"]["name"] = serde_json::json!([1]), "expected a string, found an array"),
            (
                |d| d["runs"][0]["metrics"] = serde_json::json!([["a"]]),
                "expected a [name, value] pair, found an array of 1 item",
            ),
            (|d| d["sweep"]["axes"] = serde_json::json!({}), "expected an array, found an object"),
            (
                |d| {
                    d["sweep"].as_object_mut().unwrap().remove("name");
                },
                "the field `name` is missing",
            ),
        ];
        for (edit, said) in cases {
            let e = read_edited(edit).unwrap_err();
            assert!(e.contains("unreadable shard file (line ") && e.ends_with(said), "{e}");
            assert!(!e.contains("Json") && !e.contains("usize") && !e.contains("sequence"), "{e}");
        }
    }

    #[test]
    fn k_of_n_is_checked() {
        assert_eq!(parse("1/3"), Ok(Shard { index: 1, count: 3 }));
        assert!(parse("3/3").is_err() && parse("0/0").is_err() && parse("x").is_err());
    }

    #[test]
    fn slurm_arrays_give_index_and_count() {
        let e = env(&[("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_COUNT", "3"), ("SLURM_ARRAY_TASK_MIN", "0")]);
        assert_eq!(
            auto(None, &e),
            Ok((Shard { index: 2, count: 3 }, "--shard auto (SLURM_ARRAY_TASK_COUNT=3)".into()))
        );
        let e = env(&[("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_MAX", "3")]);
        assert_eq!(auto(None, &e), Ok((Shard { index: 1, count: 4 }, "--shard auto (SLURM_ARRAY_TASK_MAX=3)".into())));
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
        assert_eq!(auto(Some(3), &e).map(|a| a.0), Ok(Shard { index: 1, count: 3 }));
    }

    #[test]
    fn a_slurm_array_max_whose_size_overflows_is_an_error() {
        // `usize::MAX + 1` wrapped to "shard 1 of 0".
        let e = env(&[("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MAX", "18446744073709551615")]);
        let m = auto(None, &e).unwrap_err();
        assert!(m.contains("SLURM_ARRAY_TASK_MAX=18446744073709551615") && m.contains("give --shards N"), "{m}");
    }

    #[test]
    fn a_shard_count_above_the_run_count_is_refused() {
        let s = Shard { index: 0, count: 1_000_000_000 };
        let m = fits(s, 4, "s", "--shard 0/1000000000").unwrap_err();
        assert_eq!(
            m,
            "--shard 0/1000000000: 1000000000 shards, but sweep s has only 4 runs; give at most 4 shards \
             (every shard runs at least one run)"
        );
        assert!(fits(Shard { index: 3, count: 4 }, 4, "s", "--shard 3/4").is_ok());
    }

    #[test]
    fn kubernetes_needs_shards_and_nothing_set_is_an_error() {
        let e = env(&[("JOB_COMPLETION_INDEX", "4")]);
        assert!(auto(None, &e).unwrap_err().contains("--shards N"));
        assert_eq!(auto(Some(5), &e), Ok((Shard { index: 4, count: 5 }, "--shard auto (--shards 5)".into())));
        assert!(auto(Some(4), &e).is_err());
        assert!(auto(Some(2), &env(&[])).unwrap_err().contains("neither SLURM_ARRAY_TASK_ID"));
    }
}
