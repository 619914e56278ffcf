//! The summary's warnings: what a planner reading only `summary.json` must not miss.

use super::support::run_text;

/// Four IBM volumes copied every 6 hours, keeping one source snapshot: retention deletes the
/// preceding snapshot when the next is taken, so it is no "immediately preceding snapshot"
/// when the next copy is asked for ("If the immediately preceding snapshot does not exist or is
/// not stable, the new copy must be a full snapshot of the parent volume"; docs/model.md).
const KEEP_ONE: &str = r#"
name = "ibm-keep-one"
start = "2026-05-04T00:00:00Z"
horizon = "3d"
seed = 3
[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[regions]]
name = "us-east"
provider = "ibm_vpc"
[[accounts]]
name = "acct"
[[fleets]]
name = "vol"
count = 4
account = "acct"
region = "us-south"
size = "100GB"
daily_change = "2%"
[[schedules]]
name = "six-hourly"
volumes = ["vol"]
every = "6h"
KEEP
copy_to = [{ region = "us-east", retention_count = 7 }]
"#;

#[test]
fn full_copies_a_plan_could_avoid_are_named_with_their_remedy() {
    let r = run_text(&KEEP_ONE.replace("KEEP", "retention_count = 1"));
    let s = &r.report.summary;
    // 4 volumes × 12 runs: each volume's first copy is first_copy, the other 11 have no
    // preceding snapshot left.
    assert_eq!(s.copies.full_by_reason.get("predecessor_missing"), Some(&44), "{:?}", s.copies.full_by_reason);
    assert_eq!(s.copies.by_kind.get("incremental"), None, "{:?}", s.copies.by_kind);
    let w: Vec<&String> = s.warnings.iter().filter(|w| w.contains("reasons a plan can change")).collect();
    assert_eq!(w.len(), 1, "{:?}", s.warnings);
    assert!(w[0].starts_with("44 of the 48 completed copies were full"), "{}", w[0]);
    assert!(w[0].contains("(predecessor_missing: 44)") && w[0].contains("retention count of 1"), "{}", w[0]);
}

#[test]
fn keeping_two_source_snapshots_makes_the_copies_incremental_and_nothing_is_said() {
    let r = run_text(&KEEP_ONE.replace("KEEP", "retention_count = 2"));
    let s = &r.report.summary;
    assert_eq!(s.copies.by_kind.get("incremental"), Some(&44), "{:?}", s.copies.by_kind);
    assert!(s.warnings.iter().all(|w| !w.contains("reasons a plan can change")), "{:?}", s.warnings);
}
