//! Inputs named on the command line that are not regular files — a FIFO with no writer, a
//! device, a socket — are refused at once with exit 2, never opened in a way that blocks: a FIFO
//! with no writer hung `validate` and `run` forever in `open()`.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn tmp(name: &str) -> PathBuf {
    crate::support::scratch("special-files", name)
}

/// A FIFO at `path`, which nothing ever writes to.
fn fifo(path: &Path) -> PathBuf {
    let ok = Command::new("mkfifo").arg(path).status().expect("mkfifo runs").success();
    assert!(ok, "mkfifo {}", path.display());
    path.to_path_buf()
}

/// Runs copysim with `args` in `cwd`; the test fails if it is still running after 20 s.
fn bounded(args: &[&str], cwd: &Path) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_copysim"))
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let t0 = Instant::now();
    loop {
        if child.try_wait().expect("waits").is_some() {
            let out = child.wait_with_output().expect("output");
            return (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned());
        }
        if t0.elapsed() > Duration::from_secs(20) {
            child.kill().expect("killed");
            let _ = child.wait();
            panic!("copysim {args:?} still blocked after 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The message names the input, says what it is, and that a regular file is wanted.
fn assert_refused((code, stderr): (i32, String), input: &str, what: &str) {
    assert_eq!(code, 2, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(input), "names {input}: {stderr}");
    assert!(stderr.contains(&format!("it is {what}, not a regular file")), "{stderr}");
}

#[test]
fn a_fifo_device_or_socket_given_as_a_scenario_is_refused_without_blocking() {
    let d = tmp("scenario");
    let f = fifo(&d.join("f.toml"));
    let f = f.to_str().unwrap();
    assert_refused(bounded(&["validate", f], &d), f, "a FIFO (named pipe)");
    assert_refused(bounded(&["run", f, "--out", "out"], &d), f, "a FIFO (named pipe)");
    assert_refused(bounded(&["run", f, "--out", "out", "--set", "seed=2"], &d), f, "a FIFO (named pipe)");
    assert!(!d.join("out").exists(), "nothing written");
    assert_refused(bounded(&["validate", "/dev/null"], &d), "/dev/null", "a character device");
    let socket = d.join("s.toml");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("a socket");
    let socket = socket.to_str().unwrap();
    assert_refused(bounded(&["validate", socket], &d), socket, "a socket");
    assert_refused(bounded(&["validate", "."], &d), "cannot read the scenario", "a folder");
}

#[test]
fn a_fifo_given_as_a_sweep_file_or_its_base_is_refused_without_blocking() {
    let d = tmp("sweep");
    let f = fifo(&d.join("f.sweep.toml"));
    let f = f.to_str().unwrap();
    let (code, stderr) = bounded(&["sweep", f, "--out", "out"], &d);
    // Named as what it is: it said "cannot read the scenario" of a sweep file.
    assert!(stderr.contains("cannot read the sweep file: it is a FIFO"), "{stderr}");
    assert_refused((code, stderr), f, "a FIFO (named pipe)");
    fifo(&d.join("base.toml"));
    std::fs::write(d.join("x.sweep.toml"), "base = \"base.toml\"\n[[axes]]\npath = \"horizon\"\nvalues = [\"1d\"]\n")
        .unwrap();
    let (code, stderr) = bounded(&["sweep", "x.sweep.toml", "--out", "out"], &d);
    assert_refused((code, stderr.clone()), "base.toml", "a FIFO (named pipe)");
    assert!(stderr.contains("x.sweep.toml:1:8: field `base`"), "placed at `base`: {stderr}");
    assert!(!d.join("out").exists(), "nothing written");
}

#[test]
fn a_fifo_given_to_import_or_as_a_shard_file_is_refused_without_blocking() {
    let d = tmp("import-merge");
    let f = fifo(&d.join("volumes.json"));
    let f = f.to_str().unwrap();
    assert_refused(bounded(&["import", "aws-ebs", f, "--out", "x.toml"], &d), f, "a FIFO (named pipe)");
    assert!(!d.join("x.toml").exists(), "nothing written");
    for shard in ["s0", "s1"] {
        std::fs::create_dir(d.join(shard)).unwrap();
        fifo(&d.join(shard).join("shard.json"));
    }
    let (code, stderr) = bounded(&["merge", "s0", "s1", "--out", "out"], &d);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("shard.json") && stderr.contains("it is a FIFO (named pipe), not a regular file"),
        "{stderr}"
    );
}
