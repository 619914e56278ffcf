//! A backup taken when every earlier backup of its volume has been deleted holds the whole
//! volume: there is nothing left to capture changes since. IBM: "When the first backup snapshot
//! is taken, the entire contents of the volume are copied ... Subsequent backups of the same
//! volume capture the changes that occurred since the previous backup." A retention count of 1
//! deletes the previous backup before the next is taken (docs/model.md), so each is full.

use crate::support::{krs, run_text};

/// IBM, a 10 GB volume changing 2.4 % a day, backed up hourly by a plan keeping one backup and
/// copying each to us-east.
const IBM_COUNT_ONE: &str = r#"name = "i17-count1"
start = "2026-05-04T00:00:00Z"
horizon = "4h 30m"
[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[regions]]
name = "us-east"
provider = "ibm_vpc"
[[accounts]]
name = "acct"
[[volumes]]
name = "v"
account = "acct"
region = "us-south"
size = "10GB"
daily_change = "2.4%"
tags = ["t"]
[[policies]]
name = "pol"
account = "acct"
region = "us-south"
tags = ["t"]
[[policies.plans]]
name = "hourly"
cron = "0 * * * *"
retention_count = 1
copy_to = [{ region = "us-east" }]
"#;

#[test]
fn a_backup_taken_after_every_earlier_one_was_deleted_is_full() {
    let r = run_text(IBM_COUNT_ONE);
    let backups = r.rows("backups.csv");
    let source: Vec<_> = backups.iter().filter(|b| b["origin"] == "source").collect();
    assert_eq!(source.len(), 5, "00:00 … 04:00");
    for b in &source {
        // #n-1 is deleted at the instant #n is taken, before it: #n holds the whole 10 GB.
        assert_eq!((b["kind"].as_str(), b["delta_bytes"].as_str()), ("full", "10000000000"), "#{}", b["backup_seq"]);
    }
    assert_eq!(source[1]["available_at"], "2026-05-04T01:01:50.000Z", "a full upload, not a 10 MB one");
    let s = &r.report.summary;
    assert_eq!((s.backups.full, s.backups.incremental), (5, 0));
    // The copy rule agrees: "If the immediately preceding snapshot does not exist ..., the new
    // copy must be a full snapshot of the parent volume."
    assert_eq!(krs(&r.copy("v", 2, "us-east")), ("full", "predecessor_missing", "AVAILABLE"));
}

#[test]
fn oci_a_backup_after_its_only_predecessor_was_deleted_is_full_and_copied_full() {
    let text = IBM_COUNT_ONE
        .replace("ibm_vpc", "oci")
        .replace("us-south", "uk-london-1")
        .replace("us-east", "eu-frankfurt-1")
        .replace(
            "[[policies]]\nname = \"pol\"\naccount = \"acct\"\nregion = \"uk-london-1\"\ntags = [\"t\"]\n[[policies.plans]]\nname = \"hourly\"\ncron = \"0 * * * *\"",
            "[[schedules]]\nname = \"hourly\"\nvolumes = [\"v\"]\nevery = \"1h\"",
        );
    let r = run_text(&text);
    let s = &r.report.summary;
    assert_eq!((s.backups.full, s.backups.incremental), (5, 0), "{text}");
    // "the volume backup type in the destination region will always match the source"
    assert_eq!(krs(&r.copy("v", 2, "eu-frankfurt-1")), ("full", "source_is_full", "AVAILABLE"));
}
