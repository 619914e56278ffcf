//! A shard count is at most the sweep's run count: `sweep` refuses more (from `--shard`,
//! `--shards` or a Slurm array), whatever its size, and `merge` refuses a `shard.json` that
//! claims more; a merge missing many shards names a few and counts the rest. (A 4-run sweep
//! once accepted `--shard 0/1000000000`, and `merge` then ran out of memory listing the
//! missing shards.)

use std::path::Path;
use std::process::{Command, Output};

use crate::support::scratch;

fn copysim(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_copysim"));
    c.args(args).current_dir(cwd);
    for var in ["SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX"] {
        c.env_remove(var);
    }
    c.env_remove("JOB_COMPLETION_INDEX").envs(env.iter().copied()).output().expect("runs")
}

/// A sweep of 2 points × 2 replications = 4 runs, in `d`.
fn four_runs(d: &Path) {
    let base = crate::support::root().join("benches/sweep/small.toml");
    let text = format!(
        "name = \"four\"\nbase = {:?}\nreplications = 2\n\n[[axes]]\npath = \"fleets.web.count\"\nvalues = [4, 8]\n",
        base.display().to_string()
    );
    std::fs::write(d.join("four.sweep.toml"), text).expect("written");
}

/// Runs shard `k_of_n` of the four-run sweep into `d/out`; its `shard.json`.
fn shard_json(d: &Path, k_of_n: &str, out: &str) -> String {
    let o = copysim(&["sweep", "four.sweep.toml", "--shard", k_of_n, "--out", out, "-q"], d, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(d.join(out).join("shard.json")).expect("a shard file")
}

fn refused(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{err}");
    err
}

#[test]
fn a_shard_count_above_the_run_count_is_refused_at_sweep_time() {
    let d = scratch("shard_counts", "sweep");
    four_runs(&d);
    let sweep = ["sweep", "four.sweep.toml", "--out", "out", "-q"];
    fn with<'a>(sweep: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        [sweep, extra].concat()
    }
    let err = refused(&copysim(&with(&sweep, &["--shard", "0/1000000000"]), &d, &[]));
    assert_eq!(
        err.trim(),
        "error: --shard 0/1000000000: 1000000000 shards, but sweep four has only 4 runs; give at most 4 shards \
         (every shard runs at least one run)"
    );
    let err =
        refused(&copysim(&with(&sweep, &["--shard", "auto", "--shards", "5"]), &d, &[("JOB_COMPLETION_INDEX", "0")]));
    assert!(err.contains("--shard auto (--shards 5): 5 shards, but sweep four has only 4 runs"), "{err}");
    let slurm = [("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "1000")];
    let err = refused(&copysim(&with(&sweep, &["--shard", "auto"]), &d, &slurm));
    assert!(err.contains("--shard auto (SLURM_ARRAY_TASK_COUNT=1000): 1000 shards"), "{err}");
    // Slurm's MAX + 1 overflowed to "shard 1 of 0".
    let slurm = [("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MAX", "18446744073709551615")];
    let err = refused(&copysim(&with(&sweep, &["--shard", "auto"]), &d, &slurm));
    assert!(err.contains("SLURM_ARRAY_TASK_MAX=18446744073709551615") && err.contains("give --shards N"), "{err}");
    assert!(!err.contains("of 0"), "{err}");
    assert!(!d.join("out").exists(), "nothing is written");
    // As many shards as runs is fine.
    assert!(copysim(&with(&sweep, &["--shard", "3/4"]), &d, &[]).status.success());
}

#[test]
fn merge_refuses_a_shard_count_above_the_run_count_and_names_few_missing_shards() {
    let d = scratch("shard_counts", "merge");
    four_runs(&d);
    let json = shard_json(&d, "1/4", "s1");
    assert!(json.contains("\"shards\": 4,") && json.contains("\"points\": 2"), "{json}");
    let edited = |name: &str, from: &str, to: &str| {
        std::fs::create_dir_all(d.join(name)).expect("a folder");
        std::fs::write(d.join(name).join("shard.json"), json.replace(from, to)).expect("written");
    };
    edited("huge", "\"shards\": 4,", "\"shards\": 9223372036854775808,");
    let err = refused(&copysim(&["merge", "huge", "--out", "m", "-q"], &d, &[]));
    assert!(err.contains("huge/shard.json: shard 1/9223372036854775808 of sweep four, which has 4 runs"), "{err}");
    edited("none", "\"shards\": 4,", "\"shards\": 0,");
    let err = refused(&copysim(&["merge", "none", "--out", "m", "-q"], &d, &[]));
    assert!(err.contains("shard 1/0 of sweep four"), "{err}");
    // A sweep edited to a trillion runs (twelve axes of ten values) may have a trillion shards;
    // the merge names five of the missing ones (it once listed every one).
    edited("many", "\"shards\": 4,", "\"shards\": 1000000000000,");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("many/shard.json")).expect("read")).expect("JSON");
    let axes: Vec<serde_json::Value> = (0..12)
        .map(|a| serde_json::json!({"name": format!("a{a}"), "paths": [format!("p{a}")], "values": (0..10).map(|v| v.to_string()).collect::<Vec<_>>()}))
        .collect();
    doc["sweep"]["axes"] = axes.into();
    doc["sweep"]["points"] = 1_000_000_000_000u64.into();
    std::fs::write(d.join("many/shard.json"), serde_json::to_vec_pretty(&doc).expect("JSON")).expect("written");
    let err = refused(&copysim(&["merge", "many", "--out", "m", "-q"], &d, &[]));
    assert_eq!(
        err.trim(),
        "error: shards 0/1000000000000, 2/1000000000000, 3/1000000000000, 4/1000000000000, 5/1000000000000 and \
         999999999994 more of sweep four are missing: run `copysim sweep SWEEP --shard K/N` for each, then merge again"
    );
    let err = refused(&copysim(&["merge", "s1", "--out", "m", "-q"], &d, &[]));
    assert!(err.contains("shards 0/4, 2/4, 3/4 of sweep four are missing"), "{err}");
    assert!(!d.join("m").exists(), "nothing is written");
}

#[test]
fn merge_refuses_a_shard_whose_runs_or_metrics_were_edited() {
    // A metric of "inf" (or 1e155) once had `merge` look for chart ticks forever; a run's point
    // of 1000000000 was accepted and labelled with no axis value.
    let d = scratch("shard_counts", "edited-runs");
    four_runs(&d);
    let json = shard_json(&d, "0/1", "s0");
    let first_value = |family: &str| {
        let at = json.find(&format!("\"{family}")).expect("the metric");
        let rest = &json[at..];
        let start = rest.find(",\n").expect("a value") + 2;
        rest[start..].lines().next().expect("a line").trim().to_string()
    };
    let bytes = first_value("bytes_copied");
    let share = first_value("full_copy_share");
    for (name, from, to, says) in [
        ("inf", bytes.as_str(), "\"inf\"", "run 0: bytes_copied = \"inf\" is not a number from 0 to 2e19"),
        ("huge", bytes.as_str(), "\"1e155\"", "bytes_copied = \"1e155\" is not a number from 0 to 2e19"),
        ("negative", bytes.as_str(), "\"-1.0\"", "bytes_copied = \"-1.0\" is not a number"),
        ("share", share.as_str(), "\"1.5\"", "full_copy_share = \"1.5\" is not a number from 0 to 1;"),
        (
            "point",
            "\"point\": 0,",
            "\"point\": 1000000000,",
            "run 0: point 1000000000 replication 0 does not match run index 0",
        ),
        ("seed", "\"seed\": ", "\"seed\": 7, \"was\": ", "is not the seed of replication 0 of sweep seed"),
        ("name", "\"bytes_copied\"", "\"bytes_copied[\"", "unknown metric \"bytes_copied[\""),
    ] {
        std::fs::create_dir_all(d.join(name)).expect("a folder");
        let runs_at = json.find("\"runs\"").expect("runs");
        let edited = format!("{}{}", &json[..runs_at], json[runs_at..].replacen(from, to, 1));
        assert_ne!(edited, json, "{name}: the edit applies");
        std::fs::write(d.join(name).join("shard.json"), edited).expect("written");
        let err = refused(&copysim(&["merge", name, "--out", "m", "-q"], &d, &[]));
        assert!(err.contains(says), "{name}: {err}");
        assert!(
            err.contains("was not written by `copysim sweep --shard` (or was edited): run that shard again"),
            "{err}"
        );
        assert!(!d.join("m").exists(), "nothing is written");
    }
    // Unedited, it merges.
    assert!(copysim(&["merge", "s0", "--out", "m", "-q"], &d, &[]).status.success());
}

#[test]
fn a_merged_metric_as_large_as_merge_accepts_is_shown_without_a_panic() {
    // Metrics are accepted up to 2e19 (bytes may come near 2^64); an RPO of 1.9e19 s panicked
    // `merge` ("attempt to add with overflow" drawing it in hours and minutes).
    let d = scratch("shard_counts", "largest");
    four_runs(&d);
    let json = shard_json(&d, "0/1", "s0");
    let at = json.find("\"rpo_max_s[").expect("an RPO metric");
    let start = at + json[at..].find(",\n").expect("a value") + 2;
    let end = start + json[start..].find('\n').expect("a line");
    let edited = format!("{}\"19000000000000000000\"{}", &json[..start], &json[end..]);
    std::fs::create_dir_all(d.join("big")).expect("a folder");
    std::fs::write(d.join("big").join("shard.json"), edited).expect("written");
    let o = copysim(&["merge", "big", "--out", "m", "-q"], &d, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
