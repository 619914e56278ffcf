//! EBS copies within the source's Region: free and data-less within one account, a chained
//! lineage of real copies into another account.

use crate::support::{krs, run_text};

/// One 100 GiB EBS volume in us-east-1 (account `prod`, shared with `audit`), snapshotted at 0 h
/// and every hour after (`every`), with `extra` appended (copy targets are given per test).
fn scenario(every: &str, targets: &str, extra: &str) -> String {
    format!(
        r#"name = "ebs-same-region"
start = "2026-01-05T00:00:00Z"
horizon = "6h"
[cost]
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
[[keys]]
name = "cmk"
account = "prod"
region = "us-east-1"
[[volumes]]
name = "v"
account = "prod"
region = "us-east-1"
size = "100GiB"
daily_change = "2.4%"
[[schedules]]
name = "s"
volumes = ["v"]
every = "{every}"
share_with = ["audit"]
copy_to = [{targets}]
{extra}
"#
    )
}

const SAME_REGION_COPY: &str =
    "[[events]]\nat = \"1h\"\naction = \"copy\"\nvolume = \"v\"\nseq = 1\nto = \"us-east-1\"\n";

#[test]
fn a_same_region_ebs_copy_that_moves_no_data_is_cost_free() {
    // "Snapshot copy operations within a single account and Region do not copy any actual data
    // and therefore are cost-free as long as the encryption status of the snapshot copy does not
    // change." One snapshot (every 1 d over 6 h), copied within us-east-1 at 1 h: the run costs
    // exactly what the run without the copy costs — no transfer, no storage.
    let without = run_text(&scenario("1d", "", ""));
    let with = run_text(&scenario("1d", "", SAME_REGION_COPY));
    let copy = with.copy("v", 1, "us-east-1");
    assert_eq!(krs(&copy), ("no_data", "same_region_no_data", "AVAILABLE"));
    assert_eq!(copy["bytes_transferred"], "0");
    let (a, b) = (without.report.summary.cost.as_ref().unwrap(), with.report.summary.cost.as_ref().unwrap());
    assert!(a.storage_nano_usd > 0, "the snapshot itself is billed");
    assert_eq!((b.storage_nano_usd, b.transfer_nano_usd, b.total_nano_usd), (a.storage_nano_usd, 0, a.total_nano_usd));
    assert_eq!(b.storage_bytes_at_end, a.storage_bytes_at_end);
    // Encrypting it changes its encryption status: a full copy, 100 GiB stored from 1 h to 6 h.
    let encrypted = run_text(&scenario("1d", "", &format!("{SAME_REGION_COPY}key = \"cmk\"\n")));
    let copy = encrypted.copy("v", 1, "us-east-1");
    assert_eq!(krs(&copy), ("full", "encryption_changed", "AVAILABLE"));
    let c = encrypted.report.summary.cost.as_ref().unwrap();
    assert_eq!(c.transfer_nano_usd, 0, "same Region: no transfer");
    assert!(c.storage_nano_usd > a.storage_nano_usd, "{} vs {}", c.storage_nano_usd, a.storage_nano_usd);
    assert_eq!(c.storage_bytes_at_end["us-east-1"], a.storage_bytes_at_end["us-east-1"] + (100 << 30));
}

#[test]
fn a_cross_account_ebs_copy_in_the_source_region_moves_data_and_chains() {
    // "When you copy a snapshot across Regions or accounts, the copy is an incremental copy if
    // ... The snapshot was copied to the destination Region or account previously. The most
    // recent snapshot copy still exists in the destination Region or account." Into another
    // account within us-east-1 the copy is not the no-data one (that is "within a single account
    // and Region"): the first is full, the next incremental, and after the most recent copy is
    // deleted (#4's, at 3 h 30 min) the next is full again.
    // Hourly from 0 h to the 6 h horizon: the copies of #1 to #6 (#7, taken at 6 h, is not ready).
    let delete = "[[events]]\nat = \"3h 30m\"\naction = \"delete_copy\"\nvolume = \"v\"\nseq = 4\nregion = \"us-east-1\"\naccount = \"audit\"\n";
    let r = run_text(&scenario("1h", "{ region = \"us-east-1\", account = \"audit\" }", delete));
    let kinds: Vec<(String, String)> = r
        .copies()
        .iter()
        .map(|c| {
            assert_eq!((c["account"].as_str(), c["dest_region"].as_str()), ("audit", "us-east-1"));
            (c["kind"].clone(), c["reason"].clone())
        })
        .collect();
    let want = |k: &str, r: &str| (k.to_string(), r.to_string());
    assert_eq!(
        kinds,
        vec![
            want("full", "first_copy"),
            want("incremental", "previous_copy_exists"),
            want("incremental", "previous_copy_exists"),
            want("incremental", "previous_copy_exists"),
            want("full", "most_recent_copy_deleted"),
            want("incremental", "previous_copy_exists"),
        ]
    );
    assert_eq!(r.copy("v", 1, "us-east-1")["bytes_transferred"], (100u64 << 30).to_string());
    assert_eq!(
        r.copy("v", 2, "us-east-1")["bytes_transferred"],
        ((100u64 << 30) / 1000).to_string(),
        "1 h of 2.4 %/day"
    );
    assert_eq!(r.report.summary.cost.as_ref().unwrap().transfer_nano_usd, 0, "no inter-Region transfer");
}
