//! When several `--set` or sweep mistakes are reported at once, each reads `error: …`, as a
//! file's mistakes do: only the first did, and the others read as if they were notes under it.
//! Source lines, carets and the base scenario's mistakes listed under a sweep value are not
//! prefixed. Exit 2, nothing written.

use crate::support::{copysim, root, scratch};

/// The lines of `stderr` that state a mistake: not a source line (`34 | …`, `   |`), not
/// indented under one.
fn mistake_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| !l.starts_with(' ') && l.split(" | ").next().is_none_or(|n| n.trim().parse::<u32>().is_err()))
        .collect()
}

#[test]
fn every_mistake_of_several_overrides_reads_error() {
    let d = scratch("every_mistake_reads_error", "set");
    std::fs::copy(root().join("scenarios/quickstart.toml"), d.join("q.toml")).expect("copied");
    let o = copysim(
        &["run", "q.toml", "--set", "horizon=6d", "--set", "fleets.web.size=0", "--set", "seed=1", "--out", "out"],
        &d,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let lines = mistake_lines(&err);
    // (One event after it: several would be one error at the horizon.)
    assert!(lines.len() >= 2, "an override's mistake and the event after the shortened horizon: {err}");
    assert!(lines.iter().all(|l| l.starts_with("error: ")), "{err}");
    assert!(lines[0].starts_with("error: --set fleets.web.size=0: field `size`"), "{err}");
    assert!(lines[1].starts_with("error: q.toml:"), "{err}");
    assert!(err.lines().any(|l| l.contains(" | at = ")), "the source lines stay: {err}");
    assert!(!err.contains("error: error:") && !err.contains("| error:"), "{err}");
    assert!(!d.join("out").exists());

    let o = copysim(&["validate", "q.toml", "--set", "seed=x", "--set", "count=3"], &d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().filter(|l| l.starts_with("error: --set ")).count(), 2, "{err}");
}

#[test]
fn every_mistake_of_a_sweep_reads_error() {
    let d = scratch("every_mistake_reads_error", "sweep");
    std::fs::copy(root().join("scenarios/quickstart.toml"), d.join("base.toml")).expect("copied");
    let sweep = "base = \"base.toml\"\n[[axes]]\npath = \"regions.us-west-2.provider\"\nvalues = [\"oci\"]\n\
                 [[axes]]\npath = \"fleets.web.count\"\nvalues = [\"lots\"]\n[[axes]]\npath = \"fleets.wbe.count\"\nvalues = [1]\n";
    std::fs::write(d.join("two.sweep.toml"), sweep).expect("written");
    let o = copysim(&["sweep", "two.sweep.toml", "--out", "out"], &d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let lines = mistake_lines(&err);
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines.iter().all(|l| l.starts_with("error: two.sweep.toml:")), "{err}");
    assert!(lines[0].ends_with("the base scenario with this value is invalid:"), "{err}");
    // The base scenario's mistakes under the value are listed, indented, not as errors of their own.
    assert!(err.lines().any(|l| l.starts_with("  base.toml:34:6: field `to`")), "{err}");
    assert!(!err.contains("  error:"), "{err}");
    assert!(!d.join("out").exists());
}

#[test]
fn every_mistake_of_advise_reads_error() {
    let d = scratch("every_mistake_reads_error", "advise");
    let o =
        copysim(&["advise", "interval", "--provider", "ibm_vpc", "--sizes", "0", "--change", "200%", "--out", "a"], &d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        [
            "error: --sizes 0: a volume needs a size above zero",
            "error: --change 200%: percentage \"200%\" must be between 0% and 100%"
        ],
        "{err}"
    );
    assert!(!d.join("a").exists());
}
