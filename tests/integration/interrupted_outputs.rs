//! Runs stopped by a signal or an error at a chosen point — where they write to a stderr pipe
//! nobody reads, so they wait there for as long as the test likes: what they leave is always
//! named for the next run to clean, and a result already in place counts as done (exit 0).

#![cfg(target_os = "linux")]

use std::io::Write as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::support::{root, scratch};

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

fn small() -> String {
    root().join("scenarios/oci-out-of-order.toml").display().to_string()
}

/// A pipe already full: a process writing to it waits until the test reads or it is ended.
fn full_pipe() -> (std::io::PipeReader, std::io::PipeWriter) {
    use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
    let (reader, mut writer) = std::io::pipe().expect("a pipe");
    let flags = fcntl_getfl(&writer).unwrap();
    fcntl_setfl(&writer, flags | OFlags::NONBLOCK).unwrap();
    let chunk = [b'.'; 4096];
    loop {
        match writer.write(&chunk) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
            Err(e) => panic!("filling the pipe: {e}"),
        }
    }
    // The child's writes must wait, not fail: the flag is on the pipe itself, shared with it.
    fcntl_setfl(&writer, flags).unwrap();
    (reader, writer)
}

/// Starts copysim in `cwd` with its stderr on a full pipe.
fn spawn_stuck_on_stderr(args: &[&str], cwd: &Path) -> (Child, std::io::PipeReader) {
    let (reader, writer) = full_pipe();
    let child = Command::new(env!("CARGO_BIN_EXE_copysim"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(writer)
        .spawn()
        .expect("copysim starts");
    (child, reader)
}

/// Waits (without a deadline: the process cannot get past what it waits on) until `done`.
fn wait_until(child: &mut Child, done: impl Fn() -> bool) {
    while !done() {
        assert!(child.try_wait().unwrap().is_none(), "copysim ended before the point the test waits for");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

fn term(child: &Child) {
    let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
}

/// Leftovers of two dead runs: 999998's staging folder holds a file its journal does not name (it
/// stays, with a warning), 999999's only a file its journal names.
fn two_dead_runs(d: &Path) {
    let journal = |files: &str| format!("{}{files}", copysim::output::JOURNAL_HEADER);
    std::fs::create_dir(d.join(".o.copysim-staging-999998")).unwrap();
    std::fs::write(d.join(".o.copysim-staging-999998/mine.txt"), "a user's").unwrap();
    std::fs::write(d.join(".o.copysim-staging-999998.files"), journal("")).unwrap();
    std::fs::create_dir(d.join(".o.copysim-staging-999999")).unwrap();
    std::fs::write(d.join(".o.copysim-staging-999999/copies.csv"), "half").unwrap();
    std::fs::write(d.join(".o.copysim-staging-999999.files"), journal("copies.csv\n")).unwrap();
    std::fs::write(d.join(".o.copysim-lock"), "999998\n999999\n").unwrap();
}

#[test]
fn a_run_interrupted_before_it_cleaned_after_dead_runs_leaves_the_lock_naming_them() {
    // SIGTERM landed while a run was cleaning after runs killed before it: the signal cleanup
    // removed the lock file, the one record of whose staging folders those were, so no later
    // run ever removed them. The run waits in the warning about 999998's folder, before it gets
    // to 999999's.
    let d = scratch("interrupted_outputs", "cleaning");
    two_dead_runs(&d);
    let (mut child, _stderr) = spawn_stuck_on_stderr(&["run", &small(), "--out", "o", "-q"], &d);
    // It has taken the lock over once the lock file names it first.
    let first = format!("{}\n", child.id());
    wait_until(&mut child, || std::fs::read_to_string(d.join(".o.copysim-lock")).is_ok_and(|t| t.starts_with(&first)));
    term(&child);
    assert_eq!(child.wait().unwrap().code(), Some(128 + 15));
    let lock = std::fs::read_to_string(d.join(".o.copysim-lock")).expect("the lock file stays");
    assert!(lock.lines().any(|l| l == "999999"), "it still names the run not cleaned after: {lock:?}");
    let o = Command::new(env!("CARGO_BIN_EXE_copysim"))
        .args(["run", &small(), "--out", "o", "-q"])
        .current_dir(&d)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(names(&d), [".o.copysim-staging-999998", "o"], "999999's folder is gone, the user's file stays");
    assert_eq!(names(&d.join(".o.copysim-staging-999998")), ["mine.txt"]);
}

#[test]
fn a_run_refused_after_taking_over_a_dead_runs_lock_leaves_it_naming_the_dead_run() {
    // A run refused for a user's file in its folder took the dead run's lock over and removed
    // it as it stopped: the dead run's staging folder stayed for good.
    let d = scratch("interrupted_outputs", "refused");
    two_dead_runs(&d);
    std::fs::create_dir(d.join("o")).unwrap();
    std::fs::write(d.join("o/notes.txt"), "mine").unwrap();
    let refused = Command::new(env!("CARGO_BIN_EXE_copysim"))
        .args(["run", &small(), "--out", "o", "-q"])
        .current_dir(&d)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stderr));
    assert_eq!(std::fs::read_to_string(d.join(".o.copysim-lock")).unwrap(), "999998\n999999\n", "as it was");
    std::fs::remove_file(d.join("o/notes.txt")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_copysim"))
        .args(["run", &small(), "--out", "o", "-q"])
        .current_dir(&d)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(names(&d), [".o.copysim-staging-999998", "o"]);
}

#[test]
fn an_import_interrupted_once_its_file_is_in_place_exits_0() {
    // A signal after the scenario was linked into place exited 130, as if nothing was written:
    // a script ran the import again and was told the file exists. It waits here in "wrote".
    let d = scratch("interrupted_outputs", "import");
    let volumes = root().join("tests/fixtures/import/aws-describe-volumes.json").display().to_string();
    let (mut child, _stderr) = spawn_stuck_on_stderr(&["import", "aws-ebs", &volumes, "--out", "s.toml"], &d);
    wait_until(&mut child, || d.join("s.toml").exists());
    term(&child);
    assert_eq!(child.wait().unwrap().code(), Some(0), "the scenario is in place");
    let text = std::fs::read_to_string(d.join("s.toml")).unwrap();
    assert!(text.starts_with("# Imported by `copysim import`"), "{text}");
    assert!(copysim::scenario::parse(&text, "s.toml").is_ok(), "whole");
    assert_eq!(names(&d), ["s.toml"], "no temporary file or lock left");
}

#[test]
fn a_file_size_limit_ends_the_run_on_an_error_that_cleans_up() {
    // `ulimit -f` reached: SIGXFSZ killed the run as SIGKILL would, leaving its staging folder,
    // journal and lock beside the output. Now the write fails and the run stops on that error.
    let d = scratch("interrupted_outputs", "fsize");
    let o = Command::new("bash")
        .args([
            "-c",
            "ulimit -f 8; exec \"$0\" \"$@\"",
            env!("CARGO_BIN_EXE_copysim"),
            "run",
            &small(),
            "--out",
            "o",
            "-q",
        ])
        .current_dir(&d)
        .output()
        .expect("bash runs");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{:?}: {stderr}", o.status);
    assert!(stderr.contains("File too large"), "{stderr}");
    assert_eq!(names(&d), Vec::<String>::new(), "nothing left");
}
