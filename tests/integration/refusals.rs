//! A refused action says why in `actions.csv`, in words that match what happened: a backup not
//! taken yet is not one that was deleted.

use crate::support::{krs, run_text};

const SCENARIO: &str = r#"
name = "refusals"
seed = 1
start = "2026-01-01T00:00:00Z"
horizon = "5d"

[[regions]]
name = "us-east-1"
provider = "aws_ebs"

[[regions]]
name = "us-west-2"
provider = "aws_ebs"

[[accounts]]
name = "prod"

[[accounts]]
name = "audit"

[[volumes]]
name = "db"
account = "prod"
region = "us-east-1"
size = "10GB"
daily_change = "1%"

[[schedules]]
name = "daily"
volumes = ["db"]
every = "1d"
retention_days = 1
copy_to = [{ region = "us-west-2", retention_days = 1 }]

[[events]]
at = "3d12h"
action = "share"
volume = "db"
seq = 1
account = "audit"

[[events]]
at = "3d12h"
action = "share"
volume = "db"
seq = 9
account = "audit"

[[events]]
at = "3d12h"
action = "restore"
volume = "db"
seq = 1

[[events]]
at = "3d12h"
action = "delete_copy"
volume = "db"
seq = 9
region = "us-west-2"
"#;

#[test]
fn a_refusal_names_a_deleted_backup_deleted_and_a_future_one_not_taken_yet() {
    let r = run_text(SCENARIO);
    let details: Vec<(String, String, String)> = r
        .rows("actions.csv")
        .iter()
        .map(|a| (a["action"].clone(), a["outcome"].clone(), a["detail"].clone()))
        .collect();
    let expect = |action: &str, detail: &str| (action.to_string(), "rejected".to_string(), detail.to_string());
    assert_eq!(
        details,
        vec![
            // A share gets its provider's not-found code, like a copy of the same backup.
            expect("share", "InvalidSnapshot.NotFound: backup #1 was deleted"),
            expect("share", "InvalidSnapshot.NotFound: backup #9 does not exist yet"),
            expect("restore", "InvalidSnapshot.NotFound: backup #1 was deleted"),
            expect("delete_copy", "InvalidSnapshot.NotFound: backup #9 does not exist yet"),
        ]
    );
}

/// IBM: "Only one copy of the backup snapshot can exist in each region." A copy made from a
/// copy is the same snapshot: copying pv#1's us-east copy into eu-de, which holds pv#1 already,
/// or back to us-south, where pv#1 itself is, is refused like a second direct copy.
#[test]
fn ibm_one_copy_per_region_counts_copies_made_from_copies() {
    let text = r#"name = "ibm-one-per-region"
start = "2026-03-02T00:00:00Z"
horizon = "10h"
[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[regions]]
name = "us-east"
provider = "ibm_vpc"
[[regions]]
name = "eu-de"
provider = "ibm_vpc"
[[regions]]
name = "jp-tok"
provider = "ibm_vpc"
[[accounts]]
name = "acct"
[[volumes]]
name = "pv"
account = "acct"
region = "us-south"
size = "100GB"
[[schedules]]
name = "once"
volumes = ["pv"]
every = "1d"
copy_to = [{ region = "us-east" }, { region = "eu-de" }]
[[events]]
at = "5h"
action = "copy"
volume = "pv"
seq = 1
from = "us-east"
to = "eu-de"
[[events]]
at = "5h"
action = "copy"
volume = "pv"
seq = 1
from = "us-east"
to = "us-south"
[[events]]
at = "6h"
action = "copy"
volume = "pv"
seq = 1
from = "us-east"
to = "jp-tok"
"#;
    let r = crate::support::run_text(text);
    let rows = r.copies_of("pv", 1, "eu-de");
    let states: Vec<&str> = rows.iter().map(|c| c["state"].as_str()).collect();
    assert_eq!(states, ["AVAILABLE", "REJECTED"], "the scheduled copy, then the copy of the copy");
    assert!(rows[1]["error"].starts_with("snapshot_copy_exists"), "{}", rows[1]["error"]);
    let back = r.copy("pv", 1, "us-south");
    assert_eq!(back["state"], "REJECTED");
    assert!(back["error"].starts_with("snapshot_copy_exists"), "{}", back["error"]);
    assert_eq!(r.copy("pv", 1, "jp-tok")["state"], "AVAILABLE", "a region without the snapshot takes a copy of a copy");
}

/// OCI: `change_key` with `to` names the key the volume's copies to that region will use; a
/// vault key of another region could never be used there, so the action is refused with the
/// provider's reason (it was logged "ok, key changed" and every later copy refused).
#[test]
fn a_key_for_copies_that_could_never_use_it_is_refused_at_once() {
    let text = r#"name = "oci-change-key"
start = "2026-01-01T00:00:00Z"
horizon = "3h"
[[regions]]
name = "uk-london-1"
provider = "oci"
[[regions]]
name = "eu-frankfurt-1"
provider = "oci"
[[accounts]]
name = "tenancy"
[[keys]]
name = "lhr-vault-key"
account = "tenancy"
region = "uk-london-1"
[[volumes]]
name = "v"
account = "tenancy"
region = "uk-london-1"
size = "10GB"
[[schedules]]
name = "hourly"
volumes = ["v"]
every = "1h"
copy_to = [{ region = "eu-frankfurt-1" }]
[[events]]
at = "30m"
action = "change_key"
volume = "v"
to = "eu-frankfurt-1"
key = "lhr-vault-key"
"#;
    let r = run_text(text);
    let a = &r.rows("actions.csv")[0];
    assert_eq!(a["outcome"], "rejected");
    assert!(a["detail"].contains("not in the destination region eu-frankfurt-1"), "{}", a["detail"]);
    let later = r.copy("v", 2, "eu-frankfurt-1");
    assert_eq!(later["state"], "AVAILABLE", "copies go on with the key they had");
}

/// A manual copy the provider refuses when it is requested is a failed action, not an `ok`
/// one: its `actions.csv` row says `rejected` with the error its REJECTED row in copies.csv
/// carries, and the summary counts it with the rejected actions. EBS: "You can't strip
/// encryption from an encrypted snapshot" is refused at once; a copy accepted and queued stays `ok`.
#[test]
fn a_copy_the_provider_refuses_at_once_is_a_rejected_action_with_its_error() {
    let text = r#"name = "copy-refused"
start = "2026-03-02T00:00:00Z"
horizon = "1d"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[accounts]]
name = "prod"
[[keys]]
name = "k"
account = "prod"
[[volumes]]
name = "db"
account = "prod"
region = "us-east-1"
size = "10GB"
key = "k"
[[schedules]]
name = "daily"
volumes = ["db"]
every = "1d"
[[events]]
at = "2h"
action = "copy"
volume = "db"
seq = 1
to = "us-west-2"
key = "none"
[[events]]
at = "3h"
action = "copy"
volume = "db"
seq = 1
to = "us-west-2"
"#;
    let r = run_text(text);
    let actions = r.rows("actions.csv");
    let copies = r.rows("copies.csv");
    let outcomes: Vec<(&str, &str)> = actions.iter().map(|a| (a["outcome"].as_str(), a["detail"].as_str())).collect();
    let refused = copies.iter().find(|c| c["state"] == "REJECTED").expect("the stripped copy is refused");
    assert_eq!(outcomes[0], ("rejected", format!("copy 1 refused: {}", refused["error"]).as_str()));
    assert_eq!(outcomes[1], ("ok", "copy 2 requested"));
    let summary: serde_json::Value = serde_json::from_slice(r.file("summary.json")).expect("json");
    assert_eq!((summary["actions"]["ok"].as_u64(), summary["actions"]["rejected"].as_u64()), (Some(1), Some(1)));
}

/// A manual copy of a backup that is not where it is asked from says why in the provider's
/// words: still being copied there (not ready yet), deleted, or not taken yet. EBS, 100 GB:
/// backup #1 is uploaded at 9 min 20 s, and its copy into us-west-2 moves until 12 min 31 s.
#[test]
fn a_copy_of_a_backup_not_there_says_whether_it_is_moving_deleted_or_not_taken_yet() {
    let text = r#"name = "not-there"
start = "2026-03-02T00:00:00Z"
horizon = "4h"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[regions]]
name = "eu-west-1"
provider = "aws_ebs"
[[accounts]]
name = "prod"
[[volumes]]
name = "db"
account = "prod"
region = "us-east-1"
size = "100GB"
[[schedules]]
name = "hourly"
volumes = ["db"]
every = "1h"
copy_to = [{ region = "us-west-2" }]
[[events]]
at = "11m"
action = "copy"
volume = "db"
seq = 1
from = "us-west-2"
to = "eu-west-1"
[[events]]
at = "2h 30m"
action = "delete_backup"
volume = "db"
seq = 3
[[events]]
at = "2h 31m"
action = "copy"
volume = "db"
seq = 3
to = "eu-west-1"
[[events]]
at = "2h 2m"
action = "copy"
volume = "db"
seq = 9
to = "eu-west-1"
"#;
    let r = run_text(text);
    let refused: Vec<String> = r
        .rows("actions.csv")
        .iter()
        .filter(|a| a["action"] == "copy")
        .map(|a| format!("{} {}", a["outcome"], a["detail"]))
        .collect();
    assert_eq!(
        refused,
        vec![
            "rejected IncorrectState: backup #1 of db is still being copied into us-west-2",
            "rejected InvalidSnapshot.NotFound: backup #9 of db does not exist yet",
            // Deleted, though still known (its copy refers to it): refused before any copy
            // exists, like a backup nothing refers to any more.
            "rejected InvalidSnapshot.NotFound: backup #3 of db was deleted",
        ]
    );
}

/// scenario.md: "An action the provider refuses when it happens ... is `rejected` in
/// `actions.csv` with the provider-style error". Every refusal of a restore, a copy of a
/// backup not taken yet, a deletion of a copy still moving or of a backup not there carries its
/// provider's code, in the style of its API (no document names one): Huawei's `BackupService.`
/// codes, EC2's, FSx's `BackupInProgress` for a backup still being written.
#[test]
fn every_refused_action_carries_its_providers_code() {
    let text = r#"name = "codes"
start = "2026-06-01T00:00:00Z"
horizon = "1d"
[[regions]]
name = "cn-north-4"
provider = "huawei_cbr"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "eu-west-1"
provider = "aws_ebs"
[[regions]]
name = "us-east-2"
provider = "aws_fsx"
[[regions]]
name = "us-west-2"
provider = "aws_fsx"
[[links]]
from = "us-east-1"
to = "eu-west-1"
bandwidth = "1MB/s"
[[accounts]]
name = "owner"
[[accounts]]
name = "p01"
vaults = [{ name = "v", region = "cn-north-4", capacity = "1TB" }]
[[keys]]
name = "ek"
account = "owner"
region = "us-east-1"
[[volumes]]
name = "d"
account = "owner"
region = "cn-north-4"
size = "200GB"
[[volumes]]
name = "e"
account = "owner"
region = "us-east-1"
size = "2400MB"
key = "ek"
[[volumes]]
name = "f"
account = "owner"
region = "us-east-2"
size = "600GB"
[[schedules]]
name = "daily"
volumes = ["d", "f"]
every = "1d"
[[schedules]]
name = "ebs-daily"
volumes = ["e"]
every = "1d"
share_with = ["p01"]
[[events]]
at = "1h"
action = "share"
volume = "d"
seq = 1
account = "p01"
[[events]]
at = "1h 1m"
action = "restore"
volume = "d"
seq = 1
account = "p01"
[[events]]
at = "1h 2m"
action = "accept"
volume = "d"
seq = 1
account = "p01"
vault = "v"
[[events]]
at = "1h 3m"
action = "delete_backup"
volume = "d"
seq = 1
[[events]]
at = "1h 4m"
action = "restore"
volume = "d"
seq = 1
account = "p01"
[[events]]
at = "1h 5m"
action = "copy"
volume = "e"
seq = 2
to = "eu-west-1"
[[events]]
at = "1h 6m"
action = "copy"
volume = "e"
seq = 1
to = "eu-west-1"
[[events]]
at = "1h 7m"
action = "restore"
volume = "e"
seq = 1
account = "p01"
[[events]]
at = "1h 10m"
action = "delete_copy"
volume = "e"
seq = 1
region = "eu-west-1"
[[events]]
at = "1h 11m"
action = "delete_backup"
volume = "e"
seq = 1
region = "eu-west-1"
[[events]]
at = "1h 12m"
action = "copy"
volume = "f"
seq = 1
to = "us-west-2"
[[events]]
at = "1h 13m"
action = "delete_copy"
volume = "f"
seq = 1
region = "us-west-2"
"#;
    let r = run_text(text);
    let refused: Vec<String> = r
        .rows("actions.csv")
        .iter()
        .filter(|a| a["outcome"] == "rejected")
        .map(|a| format!("{} {}", a["action"], a["detail"]))
        .collect();
    assert_eq!(
        refused,
        vec![
            "restore BackupService.InvalidState: the share of backup #1 with p01 is PENDING; it must be accepted before a restore",
            "restore BackupService.NotFound: backup #1 was deleted",
            "copy InvalidSnapshot.NotFound: backup #2 of e does not exist yet",
            "restore Given key ID is not accessible: the backup is encrypted with ek, which p01 cannot use",
            "delete_copy IncorrectState: copy 2 is COPYING; it cannot be deleted until it completes",
            "delete_backup InvalidSnapshot.NotFound: backup #1 does not exist in eu-west-1",
            "delete_copy BackupInProgress: copy 3 is COPYING; it cannot be deleted until it completes",
        ]
    );
}

/// scenario.md: a `copy` of a backup that is not in `from` — "not taken yet, gone, or its copy
/// there still moving" — is refused before any copy exists, "`actions.csv` alone says so"; and
/// `#seq` in a region is "the volume's own backup there, or the backup a copy of it wrote
/// there". EBS, hourly 2.4 GB snapshots copied to eu-west-1: #3 is copied back into us-east-1
/// and in-region, then deleted: `#3 from us-east-1` is one of its copies there and is copied.
/// #1, deleted with a copy of it left in eu-west-1 only, is gone from us-east-1: refused in
/// actions.csv alone, no REJECTED row, nothing counted, like a deleted backup nothing refers to.
#[test]
fn a_copy_of_a_deleted_backup_is_refused_in_actions_alone_or_made_from_a_live_copy_there() {
    let text = r#"name = "seq-resolution"
start = "2026-01-05T00:00:00Z"
horizon = "4h"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "eu-west-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[accounts]]
name = "prod"
[[volumes]]
name = "v"
account = "prod"
region = "us-east-1"
size = "2400MB"
daily_change = "24%"
[[schedules]]
name = "hourly"
volumes = ["v"]
every = "1h"
copy_to = [{ region = "eu-west-1" }]
[[events]]
at = "2h 30m"
action = "copy"
volume = "v"
seq = 3
from = "eu-west-1"
to = "us-east-1"
[[events]]
at = "2h 31m"
action = "copy"
volume = "v"
seq = 3
to = "us-east-1"
[[events]]
at = "2h 32m"
action = "delete_backup"
volume = "v"
seq = 3
[[events]]
at = "2h 33m"
action = "copy"
volume = "v"
seq = 3
from = "us-east-1"
to = "us-west-2"
[[events]]
at = "2h 34m"
action = "delete_backup"
volume = "v"
seq = 1
[[events]]
at = "2h 35m"
action = "copy"
volume = "v"
seq = 1
to = "us-west-2"
"#;
    let r = run_text(text);
    let copies: Vec<String> = r
        .rows("actions.csv")
        .iter()
        .filter(|a| a["action"] == "copy")
        .map(|a| format!("{} {}", a["outcome"], a["detail"]))
        .collect();
    assert_eq!(
        copies,
        vec![
            "ok copy 4 requested",
            "ok copy 5 requested",
            "ok copy 6 requested",
            "rejected InvalidSnapshot.NotFound: backup #1 of v was deleted",
        ]
    );
    let made = r.copy("v", 3, "us-west-2");
    assert_eq!(krs(&made), ("full", "first_copy", "AVAILABLE"));
    let backups = r.rows("backups.csv");
    let from = backups.iter().find(|b| b["backup_id"] == made["backup_id"]).expect("its source backup");
    assert_eq!((from["region"].as_str(), from["origin"].as_str()), ("us-east-1", "copy"), "a live copy of #3");
    assert!(r.copies().iter().all(|c| c["state"] != "REJECTED"), "no REJECTED row");
    assert_eq!(r.report.summary.copies.requested, r.copies().len() as u64);
}
