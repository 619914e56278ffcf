//! Sweeps as a user runs them: `--set`, determinism across thread counts, shards merged byte for
//! byte (as separate processes with Slurm's and Kubernetes' variables), intervals by hand.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn copysim(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_copysim"));
    c.args(args).current_dir(cwd);
    for var in [
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_COUNT",
        "SLURM_ARRAY_TASK_MIN",
        "SLURM_ARRAY_TASK_MAX",
        "JOB_COMPLETION_INDEX",
    ] {
        c.env_remove(var);
    }
    c.envs(env.iter().copied()).output().expect("runs")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("copysim-sweeps-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A small sweep over the benchmark's small EBS scenario: 2 points × 3 replications.
fn tiny(d: &Path) -> String {
    let base = crate::support::root().join("benches/sweep/small.toml");
    let text = format!(
        "name = \"tiny\"\nbase = {:?}\nreplications = 3\nseed = 11\n\n[[axes]]\npath = \"fleets.web.count\"\nvalues = [4, 8]\n\n\
         [[axes.with]]\npath = \"schedules.hourly.every\"\nvalues = [\"1h\", \"2h\"]\n",
        base.display().to_string()
    );
    std::fs::write(d.join("tiny.sweep.toml"), text).unwrap();
    "tiny.sweep.toml".to_string()
}

/// Every file of a folder (the marker included), by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

fn assert_same(a: &Path, b: &Path) {
    let (fa, fb) = (files(a), files(b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{name} differs between {} and {}", a.display(), b.display());
    }
}

#[test]
fn set_overrides_every_kind_of_path_on_run_and_validate() {
    let d = tmp("set");
    let o = copysim(
        &[
            "validate",
            &crate::support::root().join("scenarios/quickstart.toml").display().to_string(),
            "--set",
            "horizon=8d",
            "--set",
            "seed=9",
            "--set",
            "fleets.web.count=10",
            "--set",
            "fleets.web.size=100GB",
            "--set",
            "schedules.db-hourly.every=2h",
            "--set",
            "providers.aws_ebs.copy_concurrency=5",
            "--set",
            "links.us-east-1->us-west-2.bandwidth=1Gbps",
            "--set",
            "regions.us-west-2.provider=aws_ebs",
            "--set",
            "schedules.web-6h.copy_to.us-west-2.retention_days=3",
        ],
        &d,
        &[],
    );
    assert!(ok(&o).contains("50 volumes"));
    let o = copysim(&["run", "--set", "fleets.web.count=8", "--set", "fleets.db.count=2", "--out", "o", "-q"], &d, &[]);
    ok(&o);
    let summary = std::fs::read_to_string(d.join("o/summary.json")).unwrap();
    assert!(summary.contains("\"scenario\": \"quickstart\""));
    let o = copysim(&["run", "--set", "fleets.web.count=many", "--out", "bad"], &d, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--set fleets.web.count=many: field `count`"), "{err}");
    assert!(!d.join("bad").exists());
    let o = copysim(&["run", "--set", "fleets.nope.count=1"], &d, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no item named `nope` in `fleets`"));
}

#[test]
fn a_sweep_is_byte_identical_at_one_and_two_threads() {
    let d = tmp("threads");
    let f = tiny(&d);
    ok(&copysim(&["sweep", &f, "--out", "one", "-q"], &d, &[("RAYON_NUM_THREADS", "1")]));
    ok(&copysim(&["sweep", &f, "--out", "two", "-q"], &d, &[("RAYON_NUM_THREADS", "2")]));
    assert_same(&d.join("one"), &d.join("two"));
    for name in ["sweep.csv", "points.csv", "report.html", "chart-bytes_copied.png", "chart-bytes_copied.svg"] {
        assert!(d.join("one").join(name).is_file(), "{name}");
    }
    // sweep.json names every path an axis sets: its own and the one set with it.
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("one/sweep.json")).unwrap()).unwrap();
    let axis = &meta["axes"][0];
    assert_eq!(axis["name"], "fleets.web.count");
    assert_eq!(axis["paths"], serde_json::json!(["fleets.web.count", "schedules.hourly.every"]));
    assert_eq!(axis["values"], serde_json::json!(["4", "8"]));
}

#[test]
fn slurm_and_kubernetes_shards_merge_into_the_unsharded_sweep() {
    let d = tmp("shards");
    let f = tiny(&d);
    ok(&copysim(&["sweep", &f, "--out", "whole", "-q"], &d, &[]));
    std::fs::create_dir_all(d.join("slurm")).unwrap();
    std::fs::create_dir_all(d.join("k8s")).unwrap();
    for k in ["0", "1", "2"] {
        let env = [
            ("SLURM_ARRAY_TASK_ID", k),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_MAX", "2"),
        ];
        ok(&copysim(&["sweep", &f, "--shard", "auto", "--out", &format!("slurm/shard-{k}"), "-q"], &d, &env));
    }
    ok(&copysim(&["merge", "slurm/shard-0", "slurm/shard-1", "slurm/shard-2", "--out", "merged", "-q"], &d, &[]));
    assert_same(&d.join("whole"), &d.join("merged"));
    for k in ["0", "1", "2", "3"] {
        let env = [("JOB_COMPLETION_INDEX", k)];
        ok(&copysim(
            &["sweep", &f, "--shard", "auto", "--shards", "4", "--out", &format!("k8s/shard-{k}"), "-q"],
            &d,
            &env,
        ));
    }
    let k8s: Vec<String> = (0..4).map(|k| format!("k8s/shard-{k}")).collect();
    let mut args = vec!["merge"];
    args.extend(k8s.iter().map(String::as_str));
    args.extend(["--out", "merged-k8s", "-q"]);
    ok(&copysim(&args, &d, &[]));
    assert_same(&d.join("whole"), &d.join("merged-k8s"));
}

#[test]
fn a_missing_or_doubled_shard_is_named() {
    let d = tmp("missing");
    let f = tiny(&d);
    for k in 0..3 {
        ok(&copysim(&["sweep", &f, "--shard", &format!("{k}/3"), "--out", &format!("s{k}"), "-q"], &d, &[]));
    }
    let o = copysim(&["merge", "s0", "s2", "--out", "m"], &d, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("shard 1/3 of sweep tiny is missing"));
    let o = copysim(&["merge", "s0", "s1", "s1", "s2", "--out", "m"], &d, &[]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("shard 1/3 is given twice: s1 and s1"));
    assert!(!d.join("m").exists());
    let o = copysim(&["sweep", &f, "--shard", "auto"], &d, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("neither SLURM_ARRAY_TASK_ID"));
}

#[test]
fn points_csv_intervals_match_a_hand_computation() {
    let d = tmp("ci");
    let f = tiny(&d);
    ok(&copysim(&["sweep", &f, "--out", "o", "-q"], &d, &[]));
    let read = |name: &str| -> Vec<BTreeMap<String, String>> {
        let mut r = csv::Reader::from_path(d.join("o").join(name)).unwrap();
        let h = r.headers().unwrap().clone();
        r.records().map(|x| h.iter().zip(x.unwrap().iter()).map(|(a, b)| (a.into(), b.into())).collect()).collect()
    };
    let runs = read("sweep.csv");
    let points = read("points.csv");
    assert_eq!(runs.len(), 6);
    let metric = "bytes_copied";
    let x: Vec<f64> = runs.iter().filter(|r| r["point"] == "1").map(|r| r[metric].parse().unwrap()).collect();
    assert_eq!(x.len(), 3);
    // Mean, sample variance (n − 1), and t(0.975, 2) = 4.3027 from the printed table.
    let mean = (x[0] + x[1] + x[2]) / 3.0;
    let var = ((x[0] - mean).powi(2) + (x[1] - mean).powi(2) + (x[2] - mean).powi(2)) / 2.0;
    let half = 4.3027 * var.sqrt() / 3f64.sqrt();
    let row = points.iter().find(|r| r["point"] == "1" && r["metric"] == metric).unwrap();
    assert_eq!(row["fleets.web.count"], "8");
    assert_eq!(row["n"], "3");
    for (col, want) in [("mean", mean), ("ci95_low", mean - half), ("ci95_high", mean + half)] {
        let got: f64 = row[col].parse().unwrap();
        assert!((got - want).abs() <= 1.0, "{col}: {got} vs {want}");
    }
    let seeds: Vec<&str> = runs.iter().map(|r| r["seed"].as_str()).collect();
    let expected: Vec<String> = (0..6).map(|i| copysim::sweep::run_seed(11, i % 3).to_string()).collect();
    assert_eq!(seeds, expected, "replication r of each point shares its seed");
}

/// Common random numbers: replication r of every point draws the same fleet, so an axis that
/// cannot change what is copied (the copy quota) leaves the bytes copied equal, run for run,
/// while replications differ.
#[test]
fn points_share_their_replications_draws() {
    let d = tmp("crn");
    let base = crate::support::root().join("benches/sweep/small.toml");
    let text = format!(
        "name = \"crn\"\nbase = {:?}\nreplications = 2\nseed = 5\n\n[[axes]]\npath = \"providers.aws_ebs.copy_concurrency\"\nvalues = [1, 50]\n",
        base.display().to_string()
    );
    std::fs::write(d.join("crn.sweep.toml"), text).unwrap();
    ok(&copysim(&["sweep", "crn.sweep.toml", "--out", "o", "-q"], &d, &[]));
    let mut r = csv::Reader::from_path(d.join("o/sweep.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = h.iter().position(|x| x == "bytes_copied").unwrap();
    let bytes: Vec<String> = r.records().map(|x| x.unwrap()[col].to_string()).collect();
    assert_eq!(bytes.len(), 4);
    assert_eq!((&bytes[0], &bytes[1]), (&bytes[2], &bytes[3]), "point 0 and point 1, replication by replication");
    assert_ne!(bytes[0], bytes[1], "replications draw different fleets");
}

#[test]
fn a_bad_axis_fails_before_any_run_with_its_position() {
    let d = tmp("badaxis");
    let base = crate::support::root().join("scenarios/quickstart.toml");
    let text = format!(
        "base = {:?}\n[[axes]]\npath = \"fleets.web.count\"\nvalues = [4, \"lots\"]\n",
        base.display().to_string()
    );
    std::fs::write(d.join("bad.sweep.toml"), text).unwrap();
    let o = copysim(&["sweep", "bad.sweep.toml"], &d, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.sweep.toml:4:14: axis `fleets.web.count` = \"lots\": field `count`"), "{err}");
    assert!(
        err.contains("4 | values = [4, \"lots\"]\n  |              ^^^^^^"),
        "the value is drawn under its line: {err}"
    );
    assert!(!d.join("outputs").exists());
}

#[test]
fn a_value_that_breaks_the_base_elsewhere_is_named_before_the_base_mistake() {
    // quickstart.toml lists volume db-0002 in a schedule: a db fleet of one has no such volume.
    let d = tmp("pointerr");
    let base = crate::support::root().join("scenarios/quickstart.toml");
    let text =
        format!("base = {:?}\n[[axes]]\npath = \"fleets.db.count\"\nvalues = [40, 1]\n", base.display().to_string());
    std::fs::write(d.join("p.sweep.toml"), text).unwrap();
    let o = copysim(&["sweep", "p.sweep.toml"], &d, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "p.sweep.toml:4:15: axis `fleets.db.count` = \"1\": the base scenario with this value is invalid:"
        ),
        "{err}"
    );
    assert!(err.contains("db-0002"), "{err}");
    assert!(!d.join("outputs").exists());
}

#[test]
fn a_sweep_too_large_to_run_is_refused_at_the_axis_or_the_replications_that_make_it_so() {
    let d = tmp("huge");
    let base = crate::support::root().join("benches/sweep/small.toml");
    let base = format!("base = {:?}\n", base.display().to_string());
    let axis = |path: &str| format!("[[axes]]\npath = \"{path}\"\nfrom = 1\nto = 10000\nstep = 1\n");
    let grid = format!(
        "{base}{}{}{}",
        axis("fleets.web.count"),
        axis("providers.aws_ebs.copy_concurrency"),
        axis("accounts.prod.copy_concurrency")
    );
    std::fs::write(d.join("grid.sweep.toml"), grid).unwrap();
    let o = copysim(&["sweep", "grid.sweep.toml"], &d, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("grid.sweep.toml:9:8: field `axes`: the grid has 10000 × 10000 × 10000 points"), "{err}");
    let reps = format!("{base}replications = 4294967295\n{}", axis("fleets.web.count"));
    std::fs::write(d.join("reps.sweep.toml"), reps).unwrap();
    let o = copysim(&["sweep", "reps.sweep.toml"], &d, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("reps.sweep.toml:2:16: field `replications`: 10000 points × 4294967295 replications"),
        "{err}"
    );
    let twice = format!("{base}{}{}", axis("fleets.web.count"), axis("fleets.web.count"));
    std::fs::write(d.join("twice.sweep.toml"), twice).unwrap();
    let err = String::from_utf8_lossy(&copysim(&["sweep", "twice.sweep.toml"], &d, &[]).stderr).into_owned();
    assert!(err.contains("`fleets.web.count` is set by an earlier axis too"), "{err}");
    assert!(!d.join("outputs").exists());
}

#[test]
fn merge_never_replaces_one_of_its_shards() {
    let d = tmp("mergeself");
    let sweep = tiny(&d);
    for k in 0..2 {
        ok(&copysim(&["sweep", "-q", &sweep, "--shard", &format!("{k}/2"), "--out", &format!("sh{k}")], &d, &[]));
    }
    let before = files(&d.join("sh0"));
    let o = copysim(&["merge", "sh0", "sh1", "--out", "sh0"], &d, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("it is the shard sh0 being merged"));
    assert_eq!(files(&d.join("sh0")), before);
}

#[test]
fn compare_refuses_a_json_that_is_not_a_copysim_summary() {
    let d = tmp("notsummary");
    ok(&copysim(&["run", "-q", "--out", "a", "--set", "fleets.web.count=4", "--set", "fleets.db.count=2"], &d, &[]));
    std::fs::create_dir_all(d.join("b")).unwrap();
    std::fs::write(d.join("b/summary.json"), "{}").unwrap();
    let o = copysim(&["compare", "a", "b"], &d, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a copysim summary"));
}

#[test]
fn compare_says_a_path_that_is_not_a_folder_is_not_one() {
    // `compare /dev/null …` read "neither a run (summary.json) nor a sweep (points.csv) folder".
    let d = tmp("notfolder");
    std::fs::write(d.join("f.toml"), "x").unwrap();
    for (path, says) in [
        ("/dev/null", "/dev/null: not a folder, it is a character device; compare takes two run folders"),
        ("f.toml", "f.toml: not a folder, it is a file; compare takes"),
        ("missing", "missing: no such folder; compare takes"),
    ] {
        let o = copysim(&["compare", path, path], &d, &[]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.starts_with(&format!("error: {says}")), "{err}");
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// A `points.csv` of 3 GB (a sparse file: no disk used) is not one copysim wrote: refused by its
/// size, exit 2, instead of read until memory runs out.
#[test]
fn compare_refuses_a_points_file_far_larger_than_a_sweep_writes() {
    let d = tmp("hugepoints");
    ok(&copysim(&["run", "-q", "--out", "a", "--set", "fleets.web.count=4", "--set", "fleets.db.count=2"], &d, &[]));
    std::fs::create_dir_all(d.join("b")).unwrap();
    std::fs::File::create(d.join("b/points.csv")).unwrap().set_len(3 << 30).unwrap();
    let o = copysim(&["compare", "a", "b"], &d, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("not a copysim file"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn compare_puts_two_runs_side_by_side_figure_by_figure() {
    let d = tmp("compare");
    ok(&copysim(&["run", "-q", "--out", "a", "--set", "fleets.web.count=4", "--set", "fleets.db.count=2"], &d, &[]));
    ok(&copysim(&["run", "-q", "--out", "b", "--set", "fleets.web.count=8", "--set", "fleets.db.count=2"], &d, &[]));
    let o = ok(&copysim(&["compare", "a", "b", "--format", "json"], &d, &[]));
    let doc: serde_json::Value = serde_json::from_str(&o).unwrap();
    let summary = |f: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(d.join(f).join("summary.json")).unwrap()).unwrap()
    };
    let (sa, sb) = (summary("a"), summary("b"));
    let rows = doc["rows"].as_array().unwrap();
    let bytes = rows.iter().find(|r| r["metric"] == "bytes_copied").unwrap();
    let (a, b) =
        (sa["copies"]["bytes_transferred"].as_f64().unwrap(), sb["copies"]["bytes_transferred"].as_f64().unwrap());
    assert_eq!(bytes["a"].as_f64(), Some(a));
    assert_eq!(bytes["b"].as_f64(), Some(b));
    assert_eq!(bytes["difference"].as_f64(), Some(b - a));
    assert_eq!(bytes["ratio"].as_f64(), Some(b / a));
    let p95 = rows.iter().find(|r| r["metric"] == "rpo_p95_s[us-west-2]").unwrap();
    let want = sb["rpo"][0]["p95_ms"].as_f64().unwrap() / 1000.0;
    assert_eq!(p95["b"].as_f64(), Some(want));
    let text = ok(&copysim(&["compare", "a", "b"], &d, &[]));
    assert!(text.lines().any(|l| l.starts_with("bytes_copied")), "{text}");
}

#[test]
fn the_shipped_sweeps_load_and_every_point_validates() {
    let dir = crate::support::root().join("scenarios/sweeps");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sweep.toml"))
        .collect();
    names.sort();
    assert_eq!(names, ["double-the-fleet.sweep.toml", "five-providers.sweep.toml"]);
    for n in &names {
        let s = copysim::sweep::load(&dir.join(n)).unwrap_or_else(|e| panic!("{n}: {e}"));
        assert!(s.run_count() >= 9, "{n}");
    }
}

#[test]
fn advise_interval_prints_a_table_and_writes_csv() {
    let d = tmp("advise");
    let o = ok(&copysim(&["advise", "interval", "--provider", "ibm_vpc", "--sizes", "100GB", "--out", "adv"], &d, &[]));
    // 100 GB at the calibrated 66,666,667 B/s (3 TB in 12.5 h): 1,500 s = 25 min exactly; every
    // steady-state snapshot is stable the same time after it is taken, so 25 min is enough.
    assert!(o.lines().any(|l| l.starts_with("100GB") && l.matches("25m").count() == 2), "{o}");
    let csv = std::fs::read_to_string(d.join("adv/interval.csv")).unwrap();
    assert!(csv.lines().nth(1).unwrap().starts_with("ibm_vpc,1%,100GB,100000000000,1500,false,1500.000,300,"), "{csv}");
    let bad = copysim(&["advise", "interval", "--provider", "gcp", "--sizes", "1TB"], &d, &[]);
    assert_eq!(bad.status.code(), Some(2));
    // A step coarser than an hour could not tell short intervals apart; the search's own fields
    // are its own.
    for args in [["--resolution", "1d"], ["--set", "horizon=1h"], ["--set", "schedules.every.every=1h"]] {
        let mut all = vec!["advise", "interval", "--provider", "ibm_vpc", "--sizes", "1TB", "--out", "adv2"];
        all.extend(args);
        let o = copysim(&all, &d, &[]);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("from 1m to 1h") || err.contains("the search sets"), "{args:?}: {err}");
    }
    // Each refusal gives its own reason (30 s was once refused as "a coarser step").
    for (step, why) in [
        ("30s", "a finer step only adds simulations"),
        ("2h", "a coarser step could not tell"),
        ("61.5s", "a step is whole seconds"),
    ] {
        let o =
            copysim(&["advise", "interval", "--provider", "ibm_vpc", "--sizes", "1TB", "--resolution", step], &d, &[]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.code() == Some(2) && err.contains(why), "{step}: {err}");
    }
    assert!(!d.join("adv2").exists());
}

/// The two batch scripts of docs/cluster.md, with their paths filled in for `d`.
fn documented_slurm_scripts(d: &Path) -> (String, String) {
    let doc = std::fs::read_to_string(crate::support::root().join("docs/cluster.md")).unwrap();
    let scripts: Vec<&str> = doc
        .split("```bash\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .filter(|b| b.starts_with("#!/bin/bash"))
        .collect();
    assert_eq!(scripts.len(), 2, "docs/cluster.md has a sweep and a merge batch script");
    let fill = |s: &str| {
        s.replace("/shared/bin/copysim", env!("CARGO_BIN_EXE_copysim"))
            .replace("/shared/sweeps/five-providers.sweep.toml", &d.join("tiny.sweep.toml").display().to_string())
            .replace("/shared/copysim/five-providers", &d.join("out").display().to_string())
    };
    (fill(scripts[0]), fill(scripts[1]))
}

#[test]
fn the_documented_slurm_scripts_shard_fail_resubmit_and_merge() {
    let d = tmp("slurm-doc");
    let f = tiny(&d);
    let (sweep, merge) = documented_slurm_scripts(&d);
    std::fs::write(d.join("copysim-sweep.sbatch"), sweep).unwrap();
    std::fs::write(d.join("copysim-merge.sbatch"), merge).unwrap();
    let task = |id: &str, count: &str, min: &str, max: &str| {
        let env = [
            ("SLURM_ARRAY_TASK_ID", id),
            ("SLURM_ARRAY_TASK_COUNT", count),
            ("SLURM_ARRAY_TASK_MIN", min),
            ("SLURM_ARRAY_TASK_MAX", max),
        ];
        let mut c = Command::new("bash");
        c.arg("copysim-sweep.sbatch").current_dir(&d).envs(env).env("SLURM_CPUS_PER_TASK", "1");
        c.output().unwrap()
    };
    let merge = || Command::new("bash").arg("copysim-merge.sbatch").current_dir(&d).output().unwrap();
    // The array 0-2 with task 1 cancelled: the merge names the missing shard.
    for k in ["0", "2"] {
        ok(&task(k, "3", "0", "2"));
    }
    let o = merge();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("shard 1/3 of sweep tiny is missing"));
    // `sbatch --array=1`: Slurm reports an array of one task starting at 1.
    ok(&task("1", "1", "1", "1"));
    ok(&merge());
    ok(&copysim(&["sweep", &f, "--out", "whole", "-q"], &d, &[]));
    assert_same(&d.join("whole"), &d.join("out/merged"));
}
