//! The binary as a user runs it: exit codes, atomic outputs, the embedded quickstart, seeds.

use std::process::Command;

use crate::support::copysim;

fn tmp(name: &str) -> std::path::PathBuf {
    crate::support::scratch("cli", name)
}

fn scenario(f: &str) -> String {
    crate::support::root().join("scenarios").join(f).display().to_string()
}

#[test]
fn run_without_arguments_runs_the_embedded_quickstart_into_outputs() {
    let d = tmp("quick");
    let o = copysim(&["run"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = d.join("outputs/quickstart");
    for f in ["copies.csv", "backups.csv", "actions.csv", "summary.json"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("scenario quickstart") && stdout.contains("seed 42"), "{stdout}");
    let leftovers: Vec<_> = std::fs::read_dir(d.join("outputs")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no temporary folders left: {leftovers:?}");
}

#[test]
fn format_json_prints_summary_json_byte_for_byte() {
    let d = tmp("json");
    let o = copysim(&["run", "--format", "json", "--out", "j", "-q"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.stdout, std::fs::read(d.join("j/summary.json")).unwrap());
}

#[test]
fn bad_input_exits_2_with_a_position_and_writes_nothing() {
    let d = tmp("bad");
    std::fs::write(d.join("bad.toml"), "name = \"x\"\nstart = \"2026-01-01T00:00:00Z\"\nhorizon = \"1 fortnight\"\n[[regions]]\nname = \"r\"\nprovider = \"oci\"\n").unwrap();
    let o = copysim(&["run", "bad.toml", "--out", "out"], &d);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("bad.toml:3:11: field `horizon`"), "{stderr}");
    assert!(!d.join("out").exists(), "nothing written");
    let o = copysim(&["run", "missing.toml"], &d);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.toml"));
}

#[test]
fn validate_checks_every_file_and_fails_if_any_is_bad() {
    let d = tmp("validate");
    let all: Vec<String> = crate::support::scenario_files().iter().map(|f| scenario(f)).collect();
    let args: Vec<&str> = std::iter::once("validate").chain(all.iter().map(String::as_str)).collect();
    let o = copysim(&args, &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), all.len());
    std::fs::write(d.join("bad.toml"), "name = 3\n").unwrap();
    let o = copysim(&["validate", &all[0], "bad.toml"], &d);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn rerun_replaces_outputs_atomically_and_the_seed_flag_is_reported() {
    let d = tmp("rerun");
    let f = scenario("oci-out-of-order.toml");
    assert!(copysim(&["run", &f, "--out", "o", "-q"], &d).status.success());
    let first = std::fs::read(d.join("o/copies.csv")).unwrap();
    assert!(copysim(&["run", &f, "--out", "o", "-q"], &d).status.success());
    assert_eq!(std::fs::read(d.join("o/copies.csv")).unwrap(), first, "same seed, same bytes");
    assert!(copysim(&["run", &f, "--out", "o", "--seed", "7", "-q"], &d).status.success());
    let summary = std::fs::read_to_string(d.join("o/summary.json")).unwrap();
    assert!(summary.contains("\"seed\": 7"), "{summary}");
    let names: Vec<_> =
        std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, vec!["o".to_string()]);
}

#[test]
fn an_output_path_that_is_a_file_is_refused_and_left_alone() {
    let d = tmp("outfile");
    std::fs::write(d.join("notes.txt"), "mine").unwrap();
    let o = copysim(&["run", &scenario("oci-out-of-order.toml"), "--out", "notes.txt"], &d);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not a folder"));
    assert_eq!(std::fs::read_to_string(d.join("notes.txt")).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1, "nothing else written");
}

#[test]
fn the_max_events_guard_is_a_clear_error() {
    let d = tmp("guard");
    let text = std::fs::read_to_string(scenario("oci-out-of-order.toml"))
        .unwrap()
        .replace("horizon = \"12h\"", "horizon = \"12h\"\nmax_events = 10");
    std::fs::write(d.join("g.toml"), text).unwrap();
    let o = copysim(&["run", "g.toml", "--out", "o"], &d);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("max_events"));
    assert!(!d.join("o").exists());
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_on_stdout_is_an_error_not_a_silent_empty_file() {
    let d = tmp("devfull");
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_copysim")).args(["init"]).current_dir(&d).stdout(full).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot write to standard output"));
}

#[test]
fn detail_summary_writes_fleet_files_only_and_refuses_charts() {
    let d = tmp("detail");
    let o = copysim(&["run", "--detail", "summary", "--out", "s", "-q"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut files: Vec<String> = std::fs::read_dir(d.join("s"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != copysim::output::MARKER_FILE)
        .collect();
    files.sort();
    // The quickstart has costs and a region outage.
    assert_eq!(files, ["cost.csv", "report.html", "restore.csv", "rpo_fleet.csv", "summary.json"]);
    assert!(copysim(&["run", "--out", "f", "-q"], &d).status.success());
    assert_eq!(std::fs::read(d.join("s/summary.json")).unwrap(), std::fs::read(d.join("f/summary.json")).unwrap());
    let o = copysim(&["run", "--detail", "summary", "--charts", "--out", "c"], &d);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--detail full"));
    assert!(!d.join("c").exists());
}
