//! Every point of a sweep has its own labels: an axis that labels two values alike (by
//! `labels`, or by listing a value twice without them) is refused at the repeat, before any run
//! (`points.csv` once held two points labelled `a`, which `compare` could not tell apart).

use crate::support::{copysim, scratch};

fn sweep(d: &std::path::Path, axis: &str) -> std::process::Output {
    let base = crate::support::root().join("benches/sweep/small.toml");
    let text = format!("base = {:?}\n[[axes]]\npath = \"fleets.web.count\"\n{axis}", base.display().to_string());
    std::fs::write(d.join("l.sweep.toml"), text).expect("written");
    copysim(&["sweep", "l.sweep.toml", "--out", "out", "-q"], d)
}

#[test]
fn duplicate_sweep_labels_are_refused_at_the_repeated_label() {
    let d = scratch("sweep_labels", "labels");
    let o = sweep(&d, "values = [4, 8]\nlabels = [\"a\", \"a\"]\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with(
            "error: l.sweep.toml:5:16: field `labels`: label `a` is given twice in axis `fleets.web.count` \
             (first at line 5, column 11)"
        ),
        "{err}"
    );
    assert!(!d.join("out").exists());

    let o = sweep(&d, "values = [4, 8, 4]\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("l.sweep.toml:4:17: field `values`: value `4` is given twice"), "{err}");
    assert!(err.contains("or give `labels`"), "{err}");

    // The same value twice, told apart by labels, is two points.
    let o = sweep(&d, "values = [4, 4]\nlabels = [\"four\", \"also-four\"]\n");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
