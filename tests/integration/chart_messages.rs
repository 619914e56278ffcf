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
