//! Shared helpers: load a scenario from `scenarios/`, run it, read its CSV rows.

use std::collections::BTreeMap;
use std::path::PathBuf;

use copysim::engine::RunOutput;
use copysim::report::{self, Report};
use copysim::scenario::{self, Scenario};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every scenario file name in `scenarios/`, sorted.
pub fn scenario_files() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("scenarios"))
        .expect("scenarios/ exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    v.sort();
    v
}

/// Loads `scenarios/<file>` with a machine-independent label.
pub fn load(file: &str) -> Scenario {
    let text = std::fs::read_to_string(root().join("scenarios").join(file)).expect("readable");
    scenario::parse(&text, &format!("scenarios/{file}")).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[allow(dead_code)] // not every test reads every part
pub struct Ran {
    pub scenario: Scenario,
    pub out: RunOutput,
    pub report: Report,
}

/// Asserts `a` and `b` wrote the same files, byte for byte (`label`: the scenario; `when`: what
/// differs between the two runs).
pub fn assert_same_files(label: &str, when: &str, a: &Ran, b: &Ran) {
    assert_eq!(a.report.files.len(), b.report.files.len(), "{label}");
    for ((name, x), (_, y)) in a.report.files.iter().zip(&b.report.files) {
        assert!(x == y, "{label}: {name} differs {when}");
    }
}

pub fn run_scenario(s: Scenario) -> Ran {
    let (out, report) = report::in_memory(&s, report::Detail::Full).expect("runs");
    Ran { scenario: s, out, report }
}

pub fn run_file(file: &str) -> Ran {
    run_scenario(load(file))
}

pub type Row = BTreeMap<String, String>;

impl Ran {
    pub fn file(&self, name: &str) -> &[u8] {
        &self.report.files.iter().find(|(n, _)| n == name).expect("file rendered").1
    }

    pub fn rows(&self, name: &str) -> Vec<Row> {
        let mut r = csv::Reader::from_reader(self.file(name));
        let headers = r.headers().expect("header").clone();
        r.records()
            .map(|rec| {
                headers.iter().zip(rec.expect("row").iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()
            })
            .collect()
    }

    pub fn copies(&self) -> Vec<Row> {
        self.rows("copies.csv")
    }

    /// The copies of `volume`'s backup `seq` into `dest`, in request order.
    pub fn copies_of(&self, volume: &str, seq: u32, dest: &str) -> Vec<Row> {
        self.copies()
            .into_iter()
            .filter(|r| r["volume_id"] == volume && r["backup_seq"] == seq.to_string() && r["dest_region"] == dest)
            .collect()
    }

    /// The single copy of `volume`'s backup `seq` into `dest` by `account` (first if several).
    pub fn copy(&self, volume: &str, seq: u32, dest: &str) -> Row {
        self.copies_of(volume, seq, dest)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no copy of {volume}#{seq} into {dest}"))
    }
}

/// `(kind, reason, state)` of a row.
pub fn krs(r: &Row) -> (&str, &str, &str) {
    (r["kind"].as_str(), r["reason"].as_str(), r["state"].as_str())
}

/// Parses and runs scenario text (panics with the errors if it does not validate).
pub fn run_text(text: &str) -> Ran {
    let s = scenario::parse(text, "inline.toml").unwrap_or_else(|e| panic!("{e}\n{text}"));
    run_scenario(s)
}

/// Property-test cases: `default`, or `COPYSIM_PROPTEST_CASES` for a longer soak.
pub fn cases(default: u32) -> u32 {
    std::env::var("COPYSIM_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The property tests' configuration: `cases(default)` cases from a fixed seed, so that
/// `cargo test` explores the same cases on every machine and run (a red test is a change, never
/// luck). To explore new cases, set `PROPTEST_RNG_SEED`; a failure found that way is saved in
/// `tests/proptest-regressions/` and replayed first from then on.
pub fn proptest_config(default: u32) -> proptest::test_runner::Config {
    let mut c = proptest::test_runner::Config { cases: cases(default), ..Default::default() };
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = proptest::test_runner::RngSeed::Fixed(0x00c0_9751_u64);
    }
    c
}

/// Runs the copysim binary with `args` in `cwd`.
pub fn copysim(args: &[&str], cwd: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_copysim")).args(args).current_dir(cwd).output().expect("runs")
}

/// A fresh, empty scratch folder for test `name` of test file `file` (one per process).
pub fn scratch(file: &str, name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("copysim-{file}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("a scratch folder");
    d
}
