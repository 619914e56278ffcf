//! An incremental copy that builds on a copy that fails can never be restored: it fails with
//! its base (FAULTY, `BaseCopyFailed`), whether it was still moving or had already finished
//! (then the backup it wrote in its destination is deleted, `base_copy_failed`). OCI: "When the
//! volume backup is being copied to a destination region where the previous incremental backup
//! copy is in the TERMINATING, TERMINATED, or FAULTY state" it is copied full — nothing builds
//! on a FAULTY copy.

use crate::support::{krs, run_text};

/// OCI, a 1 TB volume backed up hourly and copied to Frankfurt; the copies in flight fail at
/// 2 h. #1's full copy starts at 01:24:20 and would take 2 h 47 min; #2's 10 GB incremental
/// copy starts with it (over #1) and finishes at 01:26:00, long before its base.
const OCI_FAULTY_BASE: &str = r#"name = "o09-faultybase"
start = "2026-03-02T00:00:00Z"
horizon = "6h"
[[regions]]
name = "uk-london-1"
code = "lhr"
provider = "oci"
[[regions]]
name = "eu-frankfurt-1"
code = "fra"
provider = "oci"
[[accounts]]
name = "t1"
[[volumes]]
name = "v"
account = "t1"
region = "uk-london-1"
size = "1TB"
daily_change = "24%"
[[schedules]]
name = "hourly"
volumes = ["v"]
every = "1h"
copy_to = [{ region = "eu-frankfurt-1" }]
[[events]]
at = "2h"
action = "fail_copy"
volume = "v"
to = "eu-frankfurt-1"
"#;

#[test]
fn an_incremental_copy_that_finished_before_its_base_fails_when_the_base_fails() {
    let r = run_text(OCI_FAULTY_BASE);
    let to = "eu-frankfurt-1";
    let (c1, c2) = (r.copy("v", 1, to), r.copy("v", 2, to));
    assert_eq!(krs(&c1), ("full", "source_is_full", "FAULTY"));
    assert_eq!(krs(&c2), ("incremental", "matches_source", "FAULTY"), "{c2:?}");
    assert!(c2["error"].starts_with("BaseCopyFailed: copy 1 (backup #1)"), "{c2:?}");
    assert_eq!((c2["finished_at"].as_str(), c2["restorable_at"].as_str()), ("2026-03-02T02:00:00.000Z", ""));
    assert_eq!(
        (c2["bytes_transferred"].as_str(), c2["deleted_by"].as_str()),
        ("10000000000", ""),
        "its bytes did cross"
    );
    // The backup it wrote in Frankfurt at 01:26 is gone with it.
    let backups = r.rows("backups.csv");
    let b2 = backups.iter().find(|b| b["region"] == to && b["backup_seq"] == "2").expect("its backup's row");
    assert_eq!(
        (b2["state"].as_str(), b2["deleted_at"].as_str(), b2["deleted_by"].as_str()),
        ("DELETED", "2026-03-02T02:00:00.000Z", "base_copy_failed")
    );
    // The next copy reads a FAULTY previous copy: full, and the lineage is restorable again.
    let c3 = r.copy("v", 3, to);
    assert_eq!(krs(&c3), ("full", "previous_copy_terminated_or_faulty", "AVAILABLE"));
    // The figures: neither failed copy counts as completed nor kept.
    let s = &r.report.summary;
    assert_eq!(s.copies.by_state.get("FAULTY"), Some(&2));
    assert_eq!(s.copies.by_error.get("BaseCopyFailed"), Some(&1));
    assert_eq!((s.copies.by_kind.get("incremental"), s.copies.by_kind.get("full")), (Some(&3), Some(&1)));
    assert_eq!((s.plans[0].copies_requested, s.plans[0].copies_kept), (6, 4));
    assert!(s.invariant_violations.is_empty(), "{:?}", s.invariant_violations);
}

/// OCI, two manual copies of a 100 GB volume that changes entirely each day: #1 (full) at
/// 1 d 2 h, #2 (incremental over #1, 100 GB too) 10 seconds later. Every copy fails as it
/// completes (`copy_failure_probability = "100%"`): #1 at 1 d 2 h 16 min 40 s, while #2 still moves.
const OCI_MOVING_CHILD: &str = r#"name = "moving-child"
start = "2026-03-02T00:00:00Z"
horizon = "1d 3h"
[faults]
copy_failure_probability = "100%"
[[regions]]
name = "uk-london-1"
provider = "oci"
[[regions]]
name = "eu-frankfurt-1"
provider = "oci"
[[accounts]]
name = "t1"
[[volumes]]
name = "v"
account = "t1"
region = "uk-london-1"
size = "100GB"
daily_change = "100%"
[[schedules]]
name = "daily"
volumes = ["v"]
every = "1d"
[[events]]
at = "1d 2h"
action = "copy"
volume = "v"
seq = 1
to = "eu-frankfurt-1"
[[events]]
at = "1d 2h 0m 10s"
action = "copy"
volume = "v"
seq = 2
to = "eu-frankfurt-1"
"#;

#[test]
fn an_incremental_copy_still_moving_when_its_base_fails_fails_at_once() {
    let r = run_text(OCI_MOVING_CHILD);
    let to = "eu-frankfurt-1";
    let (c1, c2) = (r.copy("v", 1, to), r.copy("v", 2, to));
    assert_eq!(
        (krs(&c1), c1["finished_at"].as_str()),
        (("full", "source_is_full", "FAULTY"), "2026-03-03T02:16:40.000Z")
    );
    assert!(c1["error"].starts_with("InternalError"), "{c1:?}");
    assert_eq!(krs(&c2), ("incremental", "matches_source", "FAULTY"));
    assert!(c2["error"].starts_with("BaseCopyFailed: copy 1 (backup #1)"), "{c2:?}");
    // It stops with its base, having moved what it moved by then: 990 s at 100 MB/s, of 100 GB.
    assert_eq!(
        (c2["finished_at"].as_str(), c2["bytes_transferred"].as_str()),
        ("2026-03-03T02:16:40.000Z", "99000000000")
    );
}
