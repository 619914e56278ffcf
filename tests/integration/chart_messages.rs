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
