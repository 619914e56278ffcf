//! Honest restore points: a copy is a restore point in its region only once every copy it
//! builds on there is complete — `copies.csv`'s `restorable_at`, `rpo.csv` and drills agree.

use crate::support::{run_file, run_text};

/// OCI, one 500 GB volume backed up every 15 minutes with a copy to Frankfurt: the first
/// (full) copy takes 83 minutes, the small incremental copies after it a few seconds.
const OCI_SCHEDULED: &str = r#"name = "oci-seq"
start = "2026-01-05T00:00:00Z"
horizon = "150m"
[[regions]]
name = "uk-london-1"
provider = "oci"
[[regions]]
name = "eu-frankfurt-1"
provider = "oci"
[[accounts]]
name = "t"
[[volumes]]
name = "v"
account = "t"
region = "uk-london-1"
size = "500GB"
daily_change = "10%"
[[schedules]]
name = "s"
volumes = ["v"]
every = "15m"
copy_to = [{ region = "eu-frankfurt-1" }]
[report]
rpo_resolution = "5m"
"#;

#[test]
fn oci_scheduled_copies_start_in_sequential_order_without_waiting_for_the_previous_one() {
    // "This does not apply to volume backups created and copied using backup policies, as
    // scheduled volume backups are always copied in sequential order."
    // Our reading: the copies of a policy's backups are requested and started in backup order
    // (so a scheduled copy is never out of order, and stays incremental); the sentence does not
    // say that a copy waits for the previous one to complete, and the tenancy's ten concurrent
    // copies per source region would run side by side. A copy that completes before the one it
    // builds on is not a restore point until that one completes.
    let r = run_text(OCI_SCHEDULED);
    let copies = r.copies();
    let started: Vec<&str> = copies.iter().map(|c| c["started_at"].as_str()).collect();
    assert!(started.windows(2).all(|w| w[0] <= w[1]), "started in seq order: {started:?}");
    let seqs: Vec<&str> = copies.iter().map(|c| c["backup_seq"].as_str()).collect();
    assert_eq!(seqs[..4], ["1", "2", "3", "4"]);
    assert_eq!((copies[0]["kind"].as_str(), copies[0]["finished_at"].as_str()), ("full", "2026-01-05T02:06:00.000Z"));
    for c in &copies[1..] {
        assert_eq!(
            (c["kind"].as_str(), c["reason"].as_str()),
            ("incremental", "matches_source"),
            "#{}",
            c["backup_seq"]
        );
    }
    assert!(copies[1]["started_at"] < copies[0]["finished_at"], "#2 did not wait for #1 to complete");
}

#[test]
fn an_incremental_copy_that_finishes_before_its_base_is_restorable_only_with_it() {
    let r = run_text(OCI_SCHEDULED);
    let copies = r.copies();
    for c in &copies[1..9] {
        assert!(c["finished_at"] < copies[0]["finished_at"], "#{} finished first", c["backup_seq"]);
        assert_eq!(c["restorable_at"], "2026-01-05T02:06:00.000Z", "#{} waits for #1", c["backup_seq"]);
    }
    let last = &copies[9];
    assert_eq!((last["backup_seq"].as_str(), last["restorable_at"].as_str()), ("10", last["finished_at"].as_str()));
    // rpo.csv: nothing to restore from before #1 is complete, although #2..#8 had finished.
    let rpo = r.rows("rpo.csv");
    let at = |t: &str| rpo.iter().find(|row| row["at"] == t).map(|row| row["recoverable_seq"].clone());
    assert_eq!(at("2026-01-05T02:05:00.000Z").as_deref(), Some(""));
    assert_eq!(at("2026-01-05T02:10:00.000Z").as_deref(), Some("9"));
}

#[test]
fn oci_out_of_order_rows_are_restorable_once_their_base_is() {
    // vol-b #2 and #3 build on #1 (complete 06:46:40); #5 and #6 on the full #4 (06:55:00).
    let r = run_file("oci-out-of-order.toml");
    let to = "eu-frankfurt-1";
    for (seq, restorable) in
        [(2, "2026-03-02T06:46:40.000Z"), (3, "2026-03-02T06:46:40.000Z"), (5, "2026-03-02T06:55:00.000Z")]
    {
        let c = &r.copies_of("vol-b", seq, to)[0];
        assert!(c["finished_at"].as_str() < restorable, "#{seq} finished before its base");
        assert_eq!(c["restorable_at"], restorable, "#{seq}");
    }
    for c in r.copies() {
        if c["kind"] == "full" {
            assert_eq!(c["restorable_at"], c["finished_at"], "a full copy builds on nothing");
        }
    }
}

#[test]
fn a_drill_before_the_base_completes_has_nothing_to_restore_from() {
    // At 2 h, copies #2 … #8 have finished in Frankfurt but #1 (their base) completes only at
    // 2:06: London goes out, and the drill finds no restore point there.
    let text = format!(
        "{OCI_SCHEDULED}[[events]]\nat = \"2h\"\naction = \"region_outage\"\nregion = \"uk-london-1\"\nduration = \"10m\"\n"
    );
    let r = run_text(&text);
    let restores = r.rows("restore.csv");
    assert_eq!(restores.len(), 1, "{restores:?}");
    assert_eq!((restores[0]["restored_seq"].as_str(), restores[0]["status"].as_str()), ("", "no_copy"), "{restores:?}");
}

/// London → Frankfurt → Phoenix, each backup copied on from its copy: the backup in Phoenix
/// is the volume's backup there like any other, for every timed action that names it.
const TWO_HOPS: &str = r#"name = "two-hops"
start = "2026-01-05T00:00:00Z"
horizon = "12h"
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
name = "t"
[[volumes]]
name = "v"
account = "t"
region = "uk-london-1"
size = "100GB"
daily_change = "24%"
[[events]]
at = "0h"
action = "backup"
volume = "v"
[[events]]
at = "1h"
action = "copy"
volume = "v"
seq = 1
to = "eu-frankfurt-1"
[[events]]
at = "4h"
action = "copy"
volume = "v"
seq = 1
from = "eu-frankfurt-1"
to = "us-phoenix-1"
[[events]]
at = "8h"
action = "copy"
volume = "v"
seq = 1
from = "us-phoenix-1"
to = "eu-frankfurt-1"
[[events]]
at = "11h"
action = "restore"
volume = "v"
seq = 1
region = "us-phoenix-1"
[[events]]
at = "11h 30m"
action = "delete_copy"
volume = "v"
seq = 1
region = "us-phoenix-1"
"#;

#[test]
fn a_copy_of_a_copy_is_found_in_its_region_by_the_actions_that_name_it() {
    // OCI: "You can copy a block volume backup to another region" — a backup copied to
    // Frankfurt is a Frankfurt backup, and can be copied on, restored and deleted there like
    // any other. Each hop here completes well within the hours between the actions.
    let r = run_text(TWO_HOPS);
    let actions = r.rows("actions.csv");
    let outcomes: Vec<(&str, &str, &str)> =
        actions.iter().map(|a| (a["action"].as_str(), a["outcome"].as_str(), a["detail"].as_str())).collect();
    assert_eq!(actions.len(), 6, "{outcomes:?}");
    for a in &actions {
        assert_eq!(a["outcome"], "ok", "{outcomes:?}");
    }
    let onward = r.copies_of("v", 1, "eu-frankfurt-1");
    assert_eq!(onward.len(), 2, "the first hop and the copy back from Phoenix");
    assert_eq!(onward[1]["source_region"], "us-phoenix-1");
    assert_eq!(onward[1]["state"], "AVAILABLE");
}

/// A copy into another account of the DR region is a restore point there: the isolated-vault
/// design ("Cross-account backup copies are valuable" — FSx; EBS: share, then copy) keeps the
/// data in the DR region as much as a copy in the volume's own account. EBS, every 6 h from
/// midnight, copies into `vault`; each 200 GB copy takes about 7 min (full, first) or moments:
/// at the outage (1 d 12 h) the newest restorable copy is of the 06:00 backup, 6 h of loss.
#[test]
fn a_copy_into_a_vault_account_counts_for_rpo_and_drills() {
    let text = r#"name = "vault-dr"
start = "2026-01-05T00:00:00Z"
horizon = "2d"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[accounts]]
name = "prod"
[[accounts]]
name = "vault"
[[volumes]]
name = "db"
account = "prod"
region = "us-east-1"
size = "200GB"
[[schedules]]
name = "h6"
volumes = ["db"]
every = "6h"
share_with = ["vault"]
copy_to = [{ region = "us-west-2", account = "vault" }]
[[events]]
at = "1d 12h"
action = "region_outage"
region = "us-east-1"
duration = "2h"
"#;
    let r = run_text(text);
    assert!(r.copies().iter().all(|c| c["account"] == "vault" && c["state"] == "AVAILABLE"));
    let restore = r.rows("restore.csv");
    assert_eq!(restore.len(), 1);
    let row = &restore[0];
    assert_eq!(
        (row["status"].as_str(), row["restored_seq"].as_str(), row["data_loss_s"].as_str()),
        ("restored", "6", "21600.000"),
        "the vault's copy of the 06:00 backup is restored"
    );
    // Every sample after the first copy lands reads a restore point in the vault account.
    let rpo = r.rows("rpo.csv");
    let late: Vec<_> = rpo.iter().filter(|s| s["at"].as_str() >= "2026-01-05T01:00:00.000Z").collect();
    assert!(!late.is_empty() && late.iter().all(|s| !s["recoverable_seq"].is_empty()), "{late:?}");
    let json = String::from_utf8(r.file("summary.json").to_vec()).expect("utf-8");
    assert!(!json.contains("warnings"), "no warnings key when there is nothing to say");
}

#[test]
fn remote_count_retention_counts_restore_points_not_copies_waiting_for_their_base() {
    // The full copy of #1 takes 83 minutes; #2..#8 land meanwhile and cannot be restored until
    // it does. A count of 3 used to count them: by 02:06 it had deleted #2..#5 for copies that
    // could not be restored. It counts restore points: nothing is deleted before #1 lands
    // (02:06), then the count keeps the newest three, and every copy kept is a restore point.
    let text = OCI_SCHEDULED.replace(
        r#"copy_to = [{ region = "eu-frankfurt-1" }]"#,
        r#"copy_to = [{ region = "eu-frankfurt-1", retention_count = 3 }]"#,
    );
    let r = run_text(&text);
    let copies = r.copies();
    let first = copies[0]["finished_at"].clone();
    assert_eq!(first, "2026-01-05T02:06:00.000Z");
    for c in &copies {
        if !c["deleted_at"].is_empty() {
            assert!(c["deleted_at"] >= first, "#{} deleted at {} before #1 landed", c["backup_seq"], c["deleted_at"]);
        }
    }
    let kept: Vec<&str> = copies
        .iter()
        .filter(|c| c["state"] == "AVAILABLE" && c["deleted_at"].is_empty())
        .map(|c| c["backup_seq"].as_str())
        .collect();
    assert_eq!(kept.len(), 3, "kept {kept:?}");
    for c in copies.iter().filter(|c| c["state"] == "AVAILABLE" && c["deleted_at"].is_empty()) {
        assert!(!c["restorable_at"].is_empty(), "#{} kept but not a restore point", c["backup_seq"]);
    }
}
