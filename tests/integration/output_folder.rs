//! Output folders as a user meets them: their files are never at risk, a result is replaced with
//! no gap, two runs never write one folder, and killed runs leave a complete result behind.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use copysim::output::{MARKER_FILE, Marker};

use crate::support::copysim;

fn tmp(name: &str) -> std::path::PathBuf {
    crate::support::scratch("outdir", name)
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

fn small() -> String {
    crate::support::root().join("scenarios/oci-out-of-order.toml").display().to_string()
}

/// The folder holds a whole result: a marker, every file it lists, and a summary that parses.
fn assert_complete(dir: &Path) {
    let marker = Marker::read(dir).unwrap_or_else(|| panic!("{}: no marker; holds {:?}", dir.display(), names(dir)));
    for f in marker.names() {
        assert!(dir.join(f).is_file(), "{} lists {f}, which is missing", MARKER_FILE);
    }
    let summary = std::fs::read(dir.join("summary.json")).unwrap();
    serde_json::from_slice::<serde_json::Value>(&summary).expect("summary.json is whole");
}

#[test]
fn run_out_dir_never_deletes_a_users_files() {
    let d = tmp("foreign");
    std::fs::create_dir_all(d.join("mine/2025")).unwrap();
    std::fs::write(d.join("mine/notes.txt"), "notes").unwrap();
    std::fs::write(d.join("mine/2025/q4.xlsx"), "sheet").unwrap();
    let o = copysim(&["run", &small(), "--out", "mine"], &d);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("mine: the folder holds files copysim did not write (2025/, notes.txt)"), "{stderr}");
    assert!(stderr.contains("--out"), "says how to choose another folder: {stderr}");
    assert!(!stderr.contains("seed"), "refused before the simulation started: {stderr}");
    assert_eq!(std::fs::read_to_string(d.join("mine/notes.txt")).unwrap(), "notes");
    assert_eq!(std::fs::read_to_string(d.join("mine/2025/q4.xlsx")).unwrap(), "sheet");
    assert_eq!(names(&d), vec!["mine"], "no lock or staging folder left");
}

#[test]
fn run_out_dot_in_a_project_folder_is_refused() {
    let d = tmp("dot");
    std::fs::write(d.join("Cargo.toml"), "[package]").unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    for out in [".", "./", "..", "sub/.."] {
        let o = copysim(&["run", &small(), "--out", out], &d);
        assert_eq!(o.status.code(), Some(2), "--out {out}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("current folder"), "--out {out}");
    }
    assert_eq!(names(&d), vec!["Cargo.toml", "sub"]);
}

#[test]
fn an_empty_folder_and_an_earlier_result_are_replaced() {
    let d = tmp("replace");
    std::fs::create_dir(d.join("o")).unwrap();
    assert!(copysim(&["run", &small(), "--out", "o", "-q"], &d).status.success());
    assert_complete(&d.join("o"));
    let o = copysim(&["run", &small(), "--out", "o", "-q", "--seed", "9"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(Marker::read(&d.join("o")).unwrap().seed, 9);
    assert_eq!(names(&d), vec!["o"]);
}

#[test]
fn a_rerun_replaces_the_result_with_no_moment_where_it_is_missing() {
    let d = tmp("gap");
    assert!(copysim(&["run", &small(), "--out", "o", "-q"], &d).status.success());
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (stop, summary) = (stop.clone(), d.join("o/summary.json"));
        std::thread::spawn(move || {
            let (mut polls, mut missing) = (0u64, 0u64);
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                polls += 1;
                missing += u64::from(!summary.is_file());
            }
            (polls, missing)
        })
    };
    for seed in ["1", "2", "3", "4"] {
        assert!(copysim(&["run", &small(), "--out", "o", "-q", "--seed", seed], &d).status.success());
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (polls, missing) = watcher.join().unwrap();
    assert!(polls > 1000, "the watcher ran ({polls} polls)");
    assert_eq!(missing, 0, "summary.json was missing in {missing} of {polls} polls");
    assert_eq!(names(&d), vec!["o"]);
}

#[test]
fn a_second_run_into_a_folder_being_written_is_refused_with_the_owner_pid() {
    let d = tmp("locked");
    let held = copysim::output::lock::FolderLock::acquire(&d.join(".o.copysim-lock")).unwrap();
    let o = copysim(&["run", &small(), "--out", "o"], &d);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains(&format!("another copysim run is writing o (pid {})", std::process::id())), "{stderr}");
    assert!(!d.join("o").exists());
    drop(held);
    assert!(copysim(&["run", &small(), "--out", "o", "-q"], &d).status.success());
    assert_eq!(names(&d), vec!["o"]);
}

#[test]
fn concurrent_runs_into_one_folder_leave_one_complete_result() {
    let d = tmp("concurrent");
    let children: Vec<_> = (0..4)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_copysim"))
                .args(["run", "--out", "o", "-q", "--seed", &i.to_string()])
                .current_dir(&d)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let o = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            o.status.success() || (o.status.code() == Some(2) && stderr.contains("another copysim run is writing o")),
            "{:?}: {stderr}",
            o.status
        );
    }
    assert_complete(&d.join("o"));
    assert_eq!(names(&d), vec!["o"]);
}

#[test]
fn stale_staging_folders_of_killed_runs_are_cleaned_by_the_next_run() {
    let d = tmp("stale");
    std::fs::create_dir_all(d.join(".o.copysim-staging-999999")).unwrap();
    std::fs::write(d.join(".o.copysim-staging-999999/copies.csv"), "half").unwrap();
    let journal = format!("{}copies.csv\n", copysim::output::JOURNAL_HEADER);
    std::fs::write(d.join(".o.copysim-staging-999999.files"), journal).unwrap();
    std::fs::write(d.join(".o.copysim-lock"), "999999\n").unwrap();
    assert!(copysim(&["run", &small(), "--out", "o", "-q"], &d).status.success());
    assert_eq!(names(&d), vec!["o"]);
}

#[cfg(unix)]
#[test]
fn runs_killed_at_any_moment_leave_the_earlier_result_whole() {
    let d = tmp("killed");
    assert!(copysim(&["run", "--out", "o", "-q"], &d).status.success());
    let first = std::fs::read(d.join("o/summary.json")).unwrap();
    for (i, delay_ms) in [0u64, 3, 10, 25, 60, 120, 250, 400, 600, 900].into_iter().enumerate() {
        let mut child = Command::new(env!("CARGO_BIN_EXE_copysim"))
            .args(["run", "--out", "o", "-q", "--seed", if i % 2 == 0 { "42" } else { "7" }])
            .current_dir(&d)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        assert_complete(&d.join("o"));
    }
    let _ = first;
    assert!(copysim(&["run", "--out", "o", "-q"], &d).status.success());
    assert_eq!(std::fs::read(d.join("o/summary.json")).unwrap(), first);
    assert_eq!(names(&d), vec!["o"], "the next run cleaned what the killed ones left");
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_removes_its_staging_folder_and_lock() {
    let d = tmp("sigterm");
    let mut child = Command::new(env!("CARGO_BIN_EXE_copysim"))
        .args(["run", "--out", "o", "-q"])
        .current_dir(&d)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the run has made its staging folder (or finished), then interrupt it.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !names(&d).iter().any(|n| n.starts_with(".o.copysim-staging-")) && std::time::Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let pid = child.id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    let status = child.wait().unwrap();
    if status.success() {
        assert_complete(&d.join("o")); // it finished before the signal arrived
    } else {
        assert_eq!(status.code(), Some(128 + 15), "{status:?}");
        // Interrupted before the swap: nothing there; during it (the signal waits for the swap
        // to finish): the whole new result.
        if d.join("o").exists() {
            assert_complete(&d.join("o"));
        }
    }
    let leftovers: Vec<String> = names(&d).into_iter().filter(|n| n != "o").collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_unusable_output_location_is_refused_before_the_simulation() {
    let d = tmp("location");
    std::fs::write(d.join("file"), "x").unwrap();
    for (out, words) in [("file/o", "is not a folder"), ("missing/o", "does not exist")] {
        let o = copysim(&["run", &small(), "--out", out], &d);
        assert_eq!(o.status.code(), Some(2), "--out {out}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains(words) && !stderr.contains("seed"), "--out {out}: {stderr}");
    }
    assert_eq!(names(&d), vec!["file"]);
}

#[test]
fn chart_refuses_a_folder_copysim_did_not_write_and_updates_a_result_atomically() {
    let d = tmp("chart");
    std::fs::create_dir(d.join("mine")).unwrap();
    std::fs::write(d.join("mine/summary.json"), "{}").unwrap();
    let o = copysim(&["chart", "mine"], &d);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a copysim result"));
    assert_eq!(names(&d.join("mine")), vec!["summary.json"]);
    assert!(copysim(&["run", &small(), "--out", "o", "-q"], &d).status.success());
    let o = copysim(&["chart", "o"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_complete(&d.join("o"));
    assert!(Marker::read(&d.join("o")).unwrap().names().iter().any(|f| f.ends_with(".svg")));
    assert_eq!(names(&d), vec!["mine", "o"]);
}

#[test]
fn a_forged_marker_never_lets_copysim_delete_a_users_files() {
    // QA: a hand-written `.copysim-run` listing a sub-folder, or a file, used to let the run
    // delete them. A marker vouches only for regular files with its recorded size and SHA-256.
    let d = tmp("forged");
    std::fs::create_dir_all(d.join("mine/2025")).unwrap();
    std::fs::write(d.join("mine/2025/q4.xlsx"), "precious").unwrap();
    std::fs::write(d.join("mine/notes.txt"), "notes").unwrap();
    let forged = r#"{"written_by":"copysim","version":"0.1.0","kind":"run","scenario":"q","scenario_sha256":"x","seed":1,
        "files":[{"name":"notes.txt","bytes":5,"sha256":"0000"},{"name":"2025","bytes":0,"sha256":""}]}"#;
    std::fs::write(d.join("mine/.copysim-run"), forged).unwrap();
    let o = copysim(&["run", &small(), "--out", "mine"], &d);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_to_string(d.join("mine/2025/q4.xlsx")).unwrap(), "precious");
    assert_eq!(std::fs::read_to_string(d.join("mine/notes.txt")).unwrap(), "notes");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_at_the_lock_path_is_refused_and_its_target_untouched() {
    let d = tmp("locklink");
    std::fs::write(d.join("important.txt"), "IMPORTANT DATA").unwrap();
    std::os::unix::fs::symlink(d.join("important.txt"), d.join(".o.copysim-lock")).unwrap();
    let o = copysim(&["run", &small(), "--out", "o"], &d);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is a symbolic link where copysim keeps its lock"));
    assert_eq!(std::fs::read_to_string(d.join("important.txt")).unwrap(), "IMPORTANT DATA");
    assert!(!d.join("o").exists());
}

/// Makes `dir` a folder this process may not write in: read-only for a user, immutable for root
/// (who writes in read-only folders). False when neither holds here.
#[cfg(unix)]
fn unwritable(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let denied = || rustix::fs::access(dir, rustix::fs::Access::WRITE_OK).is_err();
    denied() || (Command::new("chattr").arg("+i").arg(dir).status().is_ok_and(|s| s.success()) && denied())
}

#[cfg(unix)]
fn writable_again(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = Command::new("chattr").arg("-i").arg(dir).stderr(Stdio::null()).status();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
#[test]
fn a_folder_copysim_cannot_write_in_is_refused_in_the_words_of_the_command() {
    // `chart` of such a result said "choose another folder with --out" (chart has none), and
    // `run --out` an empty one "could not remove the earlier result's files" (there were none).
    let d = tmp("unwritable");
    std::fs::create_dir(d.join("empty")).unwrap();
    let o = copysim(&["run", &small(), "-q", "--detail", "summary", "--out", "result"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = names(&d.join("result"));
    if !unwritable(&d.join("empty")) || !unwritable(&d.join("result")) {
        writable_again(&d.join("empty"));
        writable_again(&d.join("result"));
        eprintln!("skipped: no way to make a folder unwritable here");
        return;
    }
    let run = copysim(&["run", &small(), "-q", "--out", "empty"], &d);
    let chart = copysim(&["chart", "result"], &d);
    writable_again(&d.join("empty"));
    writable_again(&d.join("result"));
    let (run, chart) = (String::from_utf8_lossy(&run.stderr), String::from_utf8_lossy(&chart.stderr));
    assert!(run.contains("cannot write in this folder") && !run.contains("earlier result"), "{run}");
    assert!(chart.contains("cannot write in this result's folder") && !chart.contains("--out"), "{chart}");
    assert_eq!(names(&d.join("empty")), Vec::<String>::new());
    assert_eq!(names(&d.join("result")), before);
}
