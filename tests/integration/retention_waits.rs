//! Retention that deletes snapshots before they are copied is counted and warned about; with
//! `retention_waits_for_copies` it waits for the copies instead.

use crate::support::run_text;

/// One EBS volume, hourly, kept one day, over a link far too slow for its first full copy
/// (10 GB at 10 kB/s: 11.6 days): every backup's copy queues behind the lineage's first.
const SLOW: &str = r#"
name = "slow-link"
seed = 1
start = "2026-01-01T00:00:00Z"
horizon = "3d"
WAITS
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[links]]
from = "us-east-1"
to = "us-west-2"
bandwidth = "10kB/s"
[[accounts]]
name = "prod"
[[volumes]]
name = "v"
account = "prod"
region = "us-east-1"
size = "10GB"
daily_change = "10%"
[[schedules]]
name = "hourly"
volumes = ["v"]
every = "1h"
retention_days = 1
copy_to = [{ region = "us-west-2" }]
"#;

#[test]
fn retention_deleting_queued_snapshots_is_counted_and_warned() {
    // Backups at 0 h … 72 h (73); from 24 h on, each run deletes the backup taken 24 h before:
    // 49 deletions (24 h … 72 h). The first, of #1, comes while #1's copy is on the link (it
    // completes: EBS lets a snapshot being copied go); the other 48 while their copies still
    // wait behind it — those copies are lost.
    let r = run_text(&SLOW.replace("WAITS", ""));
    let s = &r.report.summary;
    assert_eq!(s.plans[0].backups_deleted_age, 49);
    assert_eq!(s.plans[0].backups_deleted_before_copied, 48);
    assert_eq!(s.warnings.len(), 2, "{:?}", s.warnings);
    assert!(s.warnings[0].contains("deleted 48 backups before they were copied"), "{}", s.warnings[0]);
    // One volume, 72 copies still queued or moving: the link cannot keep up, and it says so.
    assert!(s.warnings[1].starts_with("72 copies were still queued or moving at the end"), "{}", s.warnings[1]);
    // The one moving is #1's first copy, full: the warning and the summary say so.
    assert!(s.warnings[1].contains("(1 moving, all full, 71 queued)"), "{}", s.warnings[1]);
    assert_eq!(s.copies.full_still_moving, 1);
    // Their copies still queue behind copy #1: when their turn comes, the source is gone. (72
    // copies: the 72 h backup is not AVAILABLE before the horizon; #1 is copying, 71 wait.)
    assert_eq!(s.copies.by_state.get("QUEUED"), Some(&71));
}

#[test]
fn with_retention_waiting_for_copies_nothing_is_deleted_before_it_is_copied() {
    let r = run_text(&SLOW.replace("WAITS", "[providers.aws_ebs]\nretention_waits_for_copies = true"));
    let s = &r.report.summary;
    assert_eq!(s.plans[0].backups_deleted_before_copied, 0);
    // Only the backlog is left to warn about (the copies still pile up behind the slow link).
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(s.warnings[0].contains("copies were still queued or moving at the end"), "{:?}", s.warnings);
    assert!(!s.copies.by_error.contains_key("InvalidSnapshot.NotFound"), "{:?}", s.copies.by_error);
    // Retention decided 49 deletions, but every one still waits at the horizon: all 73 backups
    // are still there, and a deletion counts once carried out (taken = kept + deleted).
    assert_eq!((s.plans[0].backups_deleted_age, s.plans[0].backups_kept), (0, 73));
}

/// Eight EBS volumes of 100–500 GB, hourly, kept two, behind a quota of 3 over a 100 MiB/s link:
/// retention deletes backups whose copies still queue (REJECTED `InvalidSnapshot.NotFound`) while other copies
/// of the same volumes are moving.
const QUEUED: &str = r#"
name = "queued-deletions"
start = "2026-03-01T00:00:00Z"
horizon = "4d"
seed = 11
[providers.aws_ebs]
copy_concurrency = 3
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[links]]
from = "us-east-1"
to = "us-west-2"
bandwidth = "100MiB/s"
[[accounts]]
name = "prod"
[[fleets]]
name = "db"
count = 8
account = "prod"
region = "us-east-1"
size = "100GB"
size_max = "500GB"
daily_change = "5%"
daily_change_max = "20%"
[[schedules]]
name = "hourly"
volumes = ["db"]
every = "1h"
retention_count = 2
copy_to = [{ region = "us-west-2", retention_count = 3 }]
"#;

#[test]
fn a_rejected_copy_never_makes_a_later_one_a_first_copy_while_an_earlier_one_moves() {
    // EBS: "Whether a snapshot copy is incremental is determined by the most recently completed
    // snapshot copy." A rejected copy closing used to drop the copies still moving from the
    // destination's list, so the next copy, after one of them had completed, was full
    // `first_copy` again (33 first copies for 30 volumes; 2 h of 321 GB instead of an increment).
    let r = run_text(QUEUED);
    let rows = r.copies();
    assert!(
        rows.iter().any(|c| c["error"].starts_with("InvalidSnapshot.NotFound")),
        "the scenario rejects queued copies"
    );
    let first = rows.iter().filter(|c| c["reason"] == "first_copy").count();
    assert_eq!(first, 8, "one first copy per volume");
    assert!(r.report.summary.invariant_violations.is_empty(), "{:?}", r.report.summary.invariant_violations);
}

/// One 1 TB FSx file system, hourly, retention keeping one backup: its first (full) backup
/// uploads for about 1 h 24 min, so the 1 h run's count retention reaches it still CREATING,
/// before its copy is even requested (FSx copies only AVAILABLE backups).
const CREATING: &str = r#"
name = "retention-reaches-a-creating-backup"
seed = 1
start = "2026-04-06T00:00:00Z"
horizon = "1d"
WAITS
[[regions]]
name = "us-east-1"
provider = "aws_fsx"
[[regions]]
name = "eu-west-1"
provider = "aws_fsx"
[[accounts]]
name = "p"
[[volumes]]
name = "r"
account = "p"
region = "us-east-1"
size = "1TB"
daily_change = "10%"
[[schedules]]
name = "ret"
volumes = ["r"]
every = "1h"
retention_count = 1
copy_to = [{ region = "eu-west-1" }]
"#;

#[test]
fn a_backup_retention_reaches_before_it_is_ready_waits_for_its_copy_on_fsx() {
    // 25 backups (0 h … 24 h). FSx waits: #1 is kept until it is AVAILABLE and its copy has
    // ended, then deleted. A backup taken once every earlier one is deleted is full and uploads
    // for 1 h 24 min (#6, #8, …): #24 (23 h) is one, and #25 waits for it in the chain, so both
    // are still uploading at the horizon: 23 copies are due, and none is lost.
    let r = run_text(&CREATING.replace("WAITS", ""));
    let s = &r.report.summary;
    assert_eq!(s.plans[0].backups_deleted_before_copied, 0);
    assert!(s.plans[0].deletions_waited >= 1, "#1's deletion waited");
    assert_eq!(s.plans[0].copies_requested, 23);
    let first = r.copies().into_iter().find(|c| c["backup_seq"] == "1").expect("backup #1 is copied");
    assert_eq!(first["reason"], "first_copy");
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn a_backup_deleted_before_it_is_ready_loses_its_copy_and_is_counted() {
    // Not waiting: #1 is deleted while CREATING, its copy is never requested, and the plan
    // counts it as deleted before it was copied. So is every later one: taken with no earlier
    // backup left, each is full, uploads for 1 h 24 min and is deleted by the next run.
    let r = run_text(&CREATING.replace("WAITS", "[providers.aws_fsx]\nretention_waits_for_copies = false"));
    let s = &r.report.summary;
    assert_eq!(s.plans[0].backups_deleted_before_copied, 24);
    assert_eq!((s.plans[0].copies_requested, s.backups.full), (0, 25));
    assert!(r.copies().is_empty());
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(s.warnings[0].contains("deleted 24 backups before they were copied"), "{}", s.warnings[0]);
}
