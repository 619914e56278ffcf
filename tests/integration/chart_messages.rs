//! `chart` names the folder it cannot draw once (it read `SM: SM: a --detail summary run …`:
//! the folder was named by the reader and again by the command).

use crate::support::{copysim, scratch};

#[test]
fn chart_errors_name_the_folder_once() {
    let d = scratch("chart_messages", "once");
    let o = copysim(&["run", "--detail", "summary", "--out", "SM", "-q"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = copysim(&["chart", "SM"], &d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: SM: a `--detail summary` run, without the per-copy rows"), "{err}");
    assert_eq!(err.matches("SM:").count(), 1, "{err}");

    let o = copysim(&["run", "--out", "R", "-q"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::remove_file(d.join("R/rpo.csv")).expect("removed");
    let o = copysim(&["chart", "R"], &d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.trim(), "error: R: rpo.csv is missing: is this a copysim output folder?");
}

/// A file of the result edited by hand is named as changed, not as a folder without a marker
/// (the marker is there and lists it; its digest no longer matches).
#[test]
fn chart_names_a_result_file_changed_by_hand() {
    let d = scratch("chart_messages", "edited");
    let o = copysim(&["run", "--out", "R", "-q"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary = d.join("R/summary.json");
    let mut text = std::fs::read_to_string(&summary).unwrap();
    text.push('\n');
    std::fs::write(&summary, text).unwrap();
    let o = copysim(&["chart", "R"], &d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("summary.json changed since copysim wrote it"), "{err}");
}

/// `chart` takes the result folder itself and has no `--out`: a file or a folder inside a
/// result is answered with the result folder to give, not "Choose a folder outside it with
/// --out" (the `run --out` advice, which `chart` does not take), and the result is untouched.
#[test]
fn chart_given_a_path_inside_a_result_names_the_result_folder() {
    let d = scratch("chart_messages", "inside");
    let o = copysim(&["run", "--detail", "summary", "--out", "R", "-q"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = std::fs::read(d.join("R/summary.json")).unwrap();
    let real = std::fs::canonicalize(d.join("R")).unwrap();
    let o = copysim(&["chart", "R/summary.json"], &d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(
        err.trim(),
        format!(
            "error: R/summary.json: a file inside {0}, a copysim result; give the result folder itself: copysim chart {0}",
            real.display()
        )
    );
    assert!(!err.contains("--out"), "{err}");
    assert_eq!(std::fs::read(d.join("R/summary.json")).unwrap(), before);
    // `run --out` into a result keeps its own advice.
    let o = copysim(&["run", "--out", "R/x", "-q"], &d);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Choose a folder outside it with --out"));
    assert!(!d.join("R/x").exists());
}
