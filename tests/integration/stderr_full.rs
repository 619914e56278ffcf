//! A full disk behind stderr (`copysim run … 2> log`) or a closed one never turns a finished
//! command into a panic: `run`, `sweep` and `import` printed their progress notes and "wrote
//! FILE" with `eprintln!`, which panicked (exit 101, "failed printing to stderr") after the
//! result was in place. The documented exit code once the result is in place is 0.

#![cfg(target_os = "linux")]

use std::process::{Command, Stdio};

use crate::support::{root, scratch};

fn with_stderr_full(args: &[&str], cwd: &std::path::Path) -> std::process::Output {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    Command::new(env!("CARGO_BIN_EXE_copysim"))
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(full)
        .output()
        .expect("runs")
}

#[test]
fn a_command_whose_stderr_is_on_a_full_disk_finishes_with_its_exit_code() {
    let d = scratch("stderr_full", "all");
    let small = root().join("scenarios/oci-out-of-order.toml").display().to_string();
    let volumes = root().join("tests/fixtures/import/aws-describe-volumes.json").display().to_string();
    let base = root().join("benches/sweep/small.toml").display().to_string();
    std::fs::write(
        d.join("two.sweep.toml"),
        format!("base = {base:?}\nreplications = 1\n[[axes]]\npath = \"fleets.web.count\"\nvalues = [1, 2]\n"),
    )
    .unwrap();
    let runs: [(&[&str], &str); 3] = [
        (&["run", &small, "--detail", "summary", "--out", "r"], "r/summary.json"),
        (&["import", "aws-ebs", &volumes, "--out", "i.toml"], "i.toml"),
        (&["sweep", "two.sweep.toml", "--out", "s"], "s/points.csv"),
    ];
    for (args, made) in runs {
        let o = with_stderr_full(args, &d);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(d.join(made).is_file(), "{args:?}: {made}");
    }
    // A second run over the first prints the same notes and replaces it.
    let o = with_stderr_full(&["run", &small, "--detail", "summary", "--seed", "2", "--out", "r"], &d);
    assert_eq!(o.status.code(), Some(0));
}
