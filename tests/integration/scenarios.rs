//! Every file in `scenarios/` runs, and its documented outcomes hold in `copies.csv`.

use crate::support::{krs, run_file, run_text, scenario_files};

/// Scenario files and the test that checks their outcomes; a new scenario must be added here.
/// (The policy scenarios are checked in policies.rs.)
const CHECKED: [&str; 11] = [
    "ebs-lineage-and-keys.toml",
    "fsx-quota-and-deletion.toml",
    "huawei-sharing.toml",
    "ibm-retention-daily-14d.toml",
    "ibm-retention-monthly-80d-count-10.toml",
    "ibm-retention-weekly-365d-count-8.toml",
    "ibm-stable-before-copy.toml",
    "mixed-fleet-90d.toml",
    "oci-out-of-order.toml",
    "oci-permissions.toml",
    "quickstart.toml",
];

#[test]
fn every_scenario_file_has_its_outcomes_checked() {
    assert_eq!(scenario_files(), CHECKED, "add the new scenario's outcome test to tests/integration/scenarios.rs");
}

#[test]
fn oci_doc_example_copy_3_then_1_are_both_full() {
    // "you copy volume backup #3 and then volume backup #1, the volume backups may be copied as full backups"
    let r = run_file("oci-out-of-order.toml");
    assert_eq!(krs(&r.copy("vol-a", 3, "eu-frankfurt-1")), ("full", "first_copy", "AVAILABLE"));
    assert_eq!(krs(&r.copy("vol-a", 1, "eu-frankfurt-1")), ("full", "out_of_order", "AVAILABLE"));
}

#[test]
fn oci_doc_example_resize_4_full_5_6_incremental_2_full_7_full() {
    // "backup #4, is copied as a full backup. Backups #5 and #6 are copied as incremental backups.
    // If you then copy a backup out of order, for example backup #2, it is copied as full backup.
    // The next backup in the order, #7, is also copied as a full backup."
    let r = run_file("oci-out-of-order.toml");
    let to = "eu-frankfurt-1";
    assert_eq!(krs(&r.copy("vol-b", 4, to)), ("full", "after_resize", "AVAILABLE"));
    assert_eq!(krs(&r.copy("vol-b", 5, to)).0, "incremental");
    assert_eq!(krs(&r.copy("vol-b", 6, to)).0, "incremental");
    let twos = r.copies_of("vol-b", 2, to);
    assert_eq!(twos.len(), 2);
    assert_eq!(krs(&twos[0]).0, "incremental", "#2 in order the first time");
    assert_eq!(krs(&twos[1]), ("full", "out_of_order", "AVAILABLE"));
    assert_eq!(krs(&r.copy("vol-b", 7, to)), ("full", "after_out_of_order_copy", "AVAILABLE"));
    // "Volume backups that were the result of a cross region copy, if they are then copied back to their source region."
    assert_eq!(krs(&r.copy("vol-b", 6, "uk-london-1")), ("full", "copy_back_to_source_region", "AVAILABLE"));
}

#[test]
fn oci_permissions_and_quota() {
    let r = run_file("oci-permissions.toml");
    let denied = r.copy("ledger", 1, "us-phoenix-1");
    assert_eq!(denied["state"], "REJECTED");
    assert!(denied["error"].contains("lacks VOLUME_BACKUP_COPY in region uk-london-1"), "{}", denied["error"]);
    assert_eq!(r.copy("app-0001", 1, "uk-london-1")["state"], "AVAILABLE", "Phoenix may copy anywhere");
    let to_fra = r.copies_of("ledger", 1, "eu-frankfurt-1");
    assert_eq!(to_fra[0]["dest_key"], "fra-vault-key");
    assert_eq!(to_fra[0]["state"], "AVAILABLE");
    assert!(to_fra[1]["error"].contains("not in the destination region"));
    assert!(to_fra[2]["error"].contains("group Interns lacks VOLUME_BACKUP_READ"));
    // "you can copy up to ten concurrent backups per tenancy at a time from a specific source region"
    let queued: Vec<_> =
        r.copies().into_iter().filter(|c| c["backup_seq"] == "1" && c["waited_behind"] == "quota").collect();
    assert_eq!(queued.len(), 2, "two of twelve wait behind the quota of ten");
}

#[test]
fn fsx_partitions_quota_deletion_and_full_copies() {
    let r = run_file("fsx-quota-and-deletion.toml");
    assert!(r.copy("lustre-0001", 1, "cn-north-1")["error"].starts_with("InvalidRegion"));
    assert!(r.copy("lustre-0001", 1, "af-south-1")["error"].contains("opt-in"));
    // "You can have up to five backup copy requests in progress to a single destination AWS Region per account."
    let firsts: Vec<_> = r
        .copies()
        .into_iter()
        .filter(|c| c["backup_seq"] == "1" && c["dest_region"] == "eu-west-1" && c["account"] == "primary")
        .collect();
    assert_eq!(firsts.iter().filter(|c| c["waited_behind"] == "quota").count(), 3);
    // "You cannot delete a source backup if it is being copied."
    let actions = r.rows("actions.csv");
    let deletes: Vec<_> = actions.iter().filter(|a| a["action"] == "delete_backup").collect();
    assert_eq!(deletes[0]["outcome"], "rejected");
    assert!(deletes[0]["detail"].starts_with("BackupBeingCopied"));
    assert_eq!(deletes[1]["outcome"], "ok");
    assert_eq!(krs(&r.copy("lustre-0003", 1, "us-east-1")).2, "AVAILABLE", "in-Region copies anywhere");
    // "provided that you haven't deleted all previously-copied backups in that Region and have been using the same AWS KMS key"
    assert_eq!(krs(&r.copy("lustre-0005", 3, "eu-west-1")), ("full", "all_previous_copies_deleted", "AVAILABLE"));
    assert_eq!(krs(&r.copy("lustre-0006", 3, "eu-west-1")), ("full", "key_changed", "AVAILABLE"));
    assert_eq!(krs(&r.copy("lustre-0007", 3, "eu-west-1")).0, "incremental");
    let fan: Vec<_> = r.copies_of("lustre-0004", 1, "eu-west-1");
    assert!(fan.iter().any(|c| c["account"] == "isolated" && c["state"] == "AVAILABLE"));
    assert!(fan.iter().any(|c| c["account"] == "outsider" && c["error"].starts_with("AccessDenied")));
}

#[test]
fn ibm_copies_wait_for_stable_and_12h_plans_of_3tb_stay_full() {
    let r = run_file("ibm-stable-before-copy.toml");
    let first = r.copy("big-3tb", 1, "us-east");
    assert_eq!(krs(&first).0, "full");
    // "creating a copy of a 3-TB storage volume in a remote region can take over 12.5 hours"
    let started = first["started_at"].parse::<jiff::Timestamp>().unwrap();
    let finished = first["finished_at"].parse::<jiff::Timestamp>().unwrap();
    assert!(finished.duration_since(started).as_secs() >= 12 * 3600 + 1800, "the calibration point: 12.5 h");
    // "when your schedule specifies the creation of a snapshot with a remote copy every 12 hours, the system initiates a full copy"
    for seq in 2..=5 {
        let scheduled =
            r.copies_of("big-3tb", seq, "us-east").into_iter().find(|c| c["trigger"] == "schedule").unwrap();
        assert_eq!(krs(&scheduled), ("full", "predecessor_not_stable", "AVAILABLE"), "#{seq}");
    }
    // "If the immediately preceding snapshot exists in the destination region, the copy can be incremental."
    assert_eq!(krs(&r.copy("small", 2, "us-east")), ("incremental", "predecessor_stable", "AVAILABLE"));
    // "The service start to create the copies after the source snapshot reached the _stable_ state."
    let backups = r.rows("backups.csv");
    let b1 = backups
        .iter()
        .find(|b| b["volume_id"] == "small" && b["backup_seq"] == "1" && b["origin"] == "source")
        .unwrap();
    assert!(r.copy("small", 1, "us-east")["started_at"] >= b1["stable_at"]);
    assert!(r.copy("small", 1, "ca-mon")["error"].starts_with("snapshot_copy_region_not_supported"));
    assert!(r.copy("small", 1, "us-south")["error"].starts_with("snapshot_copy_source_region"));
    assert!(r.copies_of("small", 1, "us-east")[1]["error"].starts_with("snapshot_copy_exists"));
    assert!(r.copy("share-1", 1, "us-east")["error"].starts_with("share_snapshot_copy_not_supported"));
    assert!(r.copies_of("big-3tb", 3, "us-east")[0]["error"].starts_with("snapshot_not_stable"));
}

#[test]
fn huawei_shares_limits_vaults_keys_and_cascade() {
    let r = run_file("huawei-sharing.toml");
    let shares = r.copies();
    let by = |acct: &str| shares.iter().find(|c| c["account"] == acct).unwrap().clone();
    // "A backup can be shared to a maximum of 10 projects."
    assert!(by("p11")["error"].starts_with("BackupService.ShareLimit"));
    // "Backups cannot be shared across regions."
    assert!(by("sg-project")["error"].starts_with("BackupService.CrossRegionShare"));
    // "the encryption key must be shared with the recipient": p01's accept before its grant is
    // refused, and the share stays pending ("A recipient can choose to accept or reject a
    // backup"): accepted after the grant, deleted with the backup.
    let actions = r.rows("actions.csv");
    let accepts: Vec<&str> = actions.iter().filter(|a| a["action"] == "accept").map(|a| a["detail"].as_str()).collect();
    assert!(accepts[0].starts_with("BackupService.KeyNotGranted") && accepts[0].ends_with("(the share stays pending)"));
    assert_eq!((by("p01")["reason"].as_str(), by("p01")["state"].as_str()), ("shared", "DELETED"));
    // "the vault's remaining space must be greater than the size of the backup to be accepted"
    assert!(accepts[1].starts_with("BackupService.VaultCapacityInsufficient"), "{accepts:?}");
    assert_eq!((by("p02")["reason"].as_str(), by("p02")["error"].as_str()), ("", ""), "never accepted");
    // p04 rejects its share: its choice, not a refusal — DECLINED, no error code, not among
    // the refused copies.
    assert_eq!((by("p04")["state"].as_str(), by("p04")["error"].as_str()), ("DECLINED", ""));
    // Still a share, never accepted (no reason), like one its sharer ended while pending; its
    // kind was once blanked as if it had been refused.
    assert_eq!((by("p04")["kind"].as_str(), by("p04")["reason"].as_str()), ("share", ""));
    assert_eq!(r.report.summary.copies.by_state.get("DECLINED"), Some(&1));
    assert!(!r.report.summary.copies.by_error.keys().any(|e| e.contains("Rejected")));
    // "When a sharer deletes a shared backup, the backup will also be deleted from the recipient's
    // account, but the disks or servers previously created using the backup will be retained."
    assert_eq!(by("p03")["state"], "DELETED");
    assert_eq!(by("p05")["state"], "DELETED");
    assert_eq!(r.report.summary.disks_restored, 1);
    assert!(shares.iter().all(|c| c["bytes_transferred"] == "0"));
    assert!(shares.last().unwrap()["error"].starts_with("BackupService.CopyNotSupported"));
}

#[test]
fn ebs_lineage_quota_keys_sharing() {
    let r = run_file("ebs-lineage-and-keys.toml");
    let to = "eu-west-1";
    assert_eq!(krs(&r.copy("orders", 1, to)), ("full", "first_copy", "AVAILABLE"));
    // "If a copy is still pending when you start a another copy, the second copy starts only after the first copy finishes."
    let c1 = r.copy("orders", 1, to);
    let c2 = r.copy("orders", 2, to);
    assert_eq!(c2["waited_behind"], "lineage");
    assert!(c2["started_at"] >= c1["finished_at"]);
    // "Each account can have up to twenty concurrent snapshot copy requests to a single destination Region."
    let throttled: u32 = r
        .copies()
        .iter()
        .filter(|c| c["volume_id"].starts_with("cache-"))
        .map(|c| c["throttled_count"].parse::<u32>().unwrap())
        .sum();
    assert!(throttled >= 5, "{throttled}");
    // "If you copy a snapshot and encrypt it to a new CMK, a complete (non-incremental) copy is always created"
    assert_eq!(krs(&r.copy("orders", 25, to)), ("full", "key_changed", "AVAILABLE"));
    // "If the most recent snapshot copy was deleted, the next copy is a full copy"
    assert_eq!(krs(&r.copy("orders", 37, to)).2, "DELETED");
    assert_eq!(krs(&r.copy("orders", 38, to)), ("full", "most_recent_copy_deleted", "AVAILABLE"));
    // "Snapshot copy operations within a single account and Region do not copy any actual data"
    let same = r.copies_of("orders", 5, "us-east-1");
    assert_eq!((same[0]["reason"].as_str(), same[0]["bytes_transferred"].as_str()), ("same_region_no_data", "0"));
    // "You cannot strip encryption from an encrypted snapshot."
    assert!(same[1]["error"].starts_with("InvalidParameterCombination"));
    let audit = r.copies_of("orders", 6, "us-east-1");
    assert!(audit[0]["error"].starts_with("InvalidSnapshot.NotFound"), "not shared yet");
    // "StateMessage": "Given key ID is not accessible"
    assert_eq!((audit[1]["state"].as_str(), audit[1]["error"].as_str()), ("FAULTY", "Given key ID is not accessible"));
    assert_eq!(krs(&audit[2]), ("full", "first_copy", "AVAILABLE"));
    // "User-defined tags are not copied from the source snapshot to the new snapshot."
    let backups = r.rows("backups.csv");
    assert!(
        backups
            .iter()
            .filter(|b| b["volume_id"] == "orders")
            .all(|b| (b["origin"] == "source") == (b["tags"] == "app:orders"))
    );
}

#[test]
fn quickstart_shows_queueing_a_deleted_copy_a_key_change_and_an_outage() {
    let r = run_file("quickstart.toml");
    let s = &r.report.summary;
    // 40 hourly and 200 six-hourly volumes for 7 days, minus the 12 hours us-east-1 is out.
    assert_eq!(s.backups.taken, 11_480);
    assert_eq!(s.backups.skipped_outage, 12_360 - 11_480);
    // Drill 1 is us-west-2's outage, a region holding no volume; drill 2 us-east-1's.
    assert_eq!((s.drills[0].failed_region.as_str(), s.drills[0].volumes), ("us-west-2", 0));
    let drill = &s.drills[1];
    assert_eq!((drill.failed_region.as_str(), drill.restored, drill.no_copy), ("us-east-1", 240, 0));
    let restores = r.rows("restore.csv");
    let fast: Vec<_> =
        restores.iter().filter(|x| x["fast_restore"] == "true").map(|x| x["volume_id"].as_str()).collect();
    assert_eq!(fast, vec!["db-0001", "db-0002"], "fast restore: ready and hydrated at once");
    assert!(
        restores
            .iter()
            .filter(|x| x["fast_restore"] == "true")
            .all(|x| x["ready_at"] == x["outage_at"] && x["hydrated_at"] == x["outage_at"])
    );
    assert!(s.cost.is_some());
    assert_eq!(s.copies.by_reason.get("most_recent_copy_deleted"), Some(&1));
    assert_eq!(s.copies.by_reason.get("encryption_changed"), Some(&1));
    assert!(s.copies.by_error.get("ServiceUnavailable").is_some_and(|&n| n > 0), "the outage fails copies in flight");
    assert!(s.copies.throttled_requests > 0);
    assert!(s.quotas.iter().all(|q| q.in_flight_peak <= q.limit));
    assert_eq!(krs(&r.copy("db-0001", 50, "us-west-2")), ("full", "most_recent_copy_deleted", "AVAILABLE"));
}

/// OCI: a copy to another region is encrypted with "the Oracle-provided encryption key or your
/// own Vault encryption key" from "the destination region": a London vault key does not follow
/// a copy to Frankfurt that names no key (the copy is Oracle-encrypted there), and one that
/// names a Frankfurt key holds it.
#[test]
fn an_oci_vault_key_stays_in_its_region() {
    let text = r#"name = "oci-vault-keys"
start = "2026-01-01T00:00:00Z"
horizon = "2h"
[[regions]]
name = "uk-london-1"
provider = "oci"
[[regions]]
name = "eu-frankfurt-1"
provider = "oci"
[[regions]]
name = "us-phoenix-1"
provider = "oci"
[[accounts]]
name = "tenancy"
[[keys]]
name = "lhr-vault-key"
account = "tenancy"
region = "uk-london-1"
[[keys]]
name = "phx-vault-key"
account = "tenancy"
region = "us-phoenix-1"
[[volumes]]
name = "v"
account = "tenancy"
region = "uk-london-1"
size = "10GB"
key = "lhr-vault-key"
[[schedules]]
name = "hourly"
volumes = ["v"]
every = "1h"
copy_to = [{ region = "eu-frankfurt-1" }, { region = "us-phoenix-1", key = "phx-vault-key" }]
"#;
    let r = crate::support::run_text(text);
    let key_in = |region: &str| {
        let rows = r.rows("backups.csv");
        let b = rows.iter().find(|b| b["region"] == region && b["backup_seq"] == "1").expect("backup #1 there");
        b["key"].clone()
    };
    assert_eq!(key_in("uk-london-1"), "lhr-vault-key");
    assert_eq!(key_in("eu-frankfurt-1"), "", "Oracle-provided key in Frankfurt");
    assert_eq!(key_in("us-phoenix-1"), "phx-vault-key");
}

/// OCI: "the previous incremental backup copy is in the TERMINATING, TERMINATED, or FAULTY
/// state" makes the next copy full — and says so even when the FAULTY copy was the lineage's
/// only one there: #2 is not a "first copy", #1's copy was made and failed.
#[test]
fn oci_a_copy_after_the_only_previous_copy_failed_says_it_failed() {
    let text = r#"name = "oci-after-faulty"
start = "2026-03-02T00:00:00Z"
horizon = "3h"
[[regions]]
name = "uk-london-1"
provider = "oci"
[[regions]]
name = "eu-frankfurt-1"
provider = "oci"
[[accounts]]
name = "tenancy"
[[volumes]]
name = "v"
account = "tenancy"
region = "uk-london-1"
size = "100GB"
daily_change = "2%"
[[schedules]]
name = "hourly"
volumes = ["v"]
every = "1h"
copy_to = [{ region = "eu-frankfurt-1" }]
[[events]]
at = "15m"
action = "fail_copy"
volume = "v"
to = "eu-frankfurt-1"
"#;
    let r = run_text(text);
    assert_eq!(krs(&r.copy("v", 1, "eu-frankfurt-1")), ("full", "source_is_full", "FAULTY"));
    assert_eq!(krs(&r.copy("v", 2, "eu-frankfurt-1")), ("full", "previous_copy_terminated_or_faulty", "AVAILABLE"));
    assert_eq!(krs(&r.copy("v", 3, "eu-frankfurt-1")), ("incremental", "matches_source", "AVAILABLE"));
}

/// Volumes only grow: a resize to the same size or smaller is refused, and is no resize for
/// OCI's "first volume backup taken after a volume has been resized" — the next copy stays
/// incremental; a real resize makes it full.
#[test]
fn a_resize_that_does_not_grow_the_volume_is_refused_and_changes_no_copy() {
    let text = r#"name = "oci-resize"
start = "2026-03-02T00:00:00Z"
horizon = "4h"
[[regions]]
name = "uk-london-1"
provider = "oci"
[[regions]]
name = "eu-frankfurt-1"
provider = "oci"
[[accounts]]
name = "tenancy"
[[volumes]]
name = "v"
account = "tenancy"
region = "uk-london-1"
size = "100GB"
daily_change = "2%"
[[schedules]]
name = "hourly"
volumes = ["v"]
every = "1h"
copy_to = [{ region = "eu-frankfurt-1" }]
[[events]]
at = "1h 30m"
action = "resize"
volume = "v"
size = "100GB"
[[events]]
at = "1h 40m"
action = "resize"
volume = "v"
size = "50GB"
[[events]]
at = "2h 30m"
action = "resize"
volume = "v"
size = "200GB"
"#;
    let r = run_text(text);
    let outcomes: Vec<String> =
        r.rows("actions.csv").iter().map(|a| format!("{} {}", a["outcome"], a["detail"])).collect();
    assert_eq!(
        outcomes,
        vec![
            "rejected a volume can only grow: it is 100000000000 bytes, asked 100000000000 bytes",
            "rejected a volume can only grow: it is 100000000000 bytes, asked 50000000000 bytes",
            "ok resized to 200000000000 bytes",
        ]
    );
    assert_eq!(krs(&r.copy("v", 3, "eu-frankfurt-1")), ("incremental", "matches_source", "AVAILABLE"));
    assert_eq!(krs(&r.copy("v", 4, "eu-frankfurt-1")), ("full", "after_resize", "AVAILABLE"));
}
