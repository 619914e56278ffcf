//! Honest counts: `by_kind` counts completed copies only, bytes a failed copy moved are counted
//! (and billed), no-data copies have their own kind, refused shares and accepts look like any
//! other refused request, and each provider names deleted copies in its own words.

use crate::support::{krs, run_file, run_text};

#[test]
fn by_kind_counts_completed_copies_and_full_by_reason_explains_the_full_ones() {
    let r = run_file("quickstart.toml");
    let c = &r.report.summary.copies;
    let completed = r.copies().iter().filter(|c| matches!(c["state"].as_str(), "AVAILABLE" | "DELETED")).count();
    assert_eq!(c.by_kind.values().sum::<u64>(), completed as u64, "{:?}", c.by_kind);
    assert_eq!(c.by_state.get("FAULTY"), Some(&20), "failed copies are counted by state, apart");
    assert_eq!(c.full_by_reason.values().sum::<u64>(), c.by_kind["full"]);
    assert_eq!(c.full_by_reason.get("first_copy"), Some(&240));
}

#[test]
fn bytes_a_failed_copy_moved_count_on_the_link_and_in_the_total() {
    // The us-west-2 outage fails copies in flight: what they had moved crossed the link.
    let r = run_file("quickstart.toml");
    let copies = r.copies();
    let failed: u64 =
        copies.iter().filter(|c| c["state"] == "FAULTY").map(|c| c["bytes_transferred"].parse::<u64>().unwrap()).sum();
    assert!(failed > 0, "failed copies moved some bytes before failing");
    let total: u64 = copies.iter().map(|c| c["bytes_transferred"].parse::<u64>().unwrap()).sum();
    let s = &r.report.summary;
    assert_eq!(s.copies.bytes_transferred, total);
    assert_eq!(s.links.iter().map(|l| l.bytes_carried).sum::<u64>(), total, "links carry the failed copies' bytes too");
}

#[test]
fn ebs_same_region_copies_move_no_data_and_deleted_copies_are_deleted_not_terminated() {
    // "Snapshot copy operations within a single account and Region do not copy any actual data"
    let r = run_file("ebs-lineage-and-keys.toml");
    let same = &r.copies_of("orders", 5, "us-east-1")[0];
    assert_eq!(krs(same), ("no_data", "same_region_no_data", "AVAILABLE"));
    assert_eq!(r.report.summary.copies.by_kind.get("no_data"), Some(&1));
    assert!(r.copies().iter().all(|c| !c["state"].starts_with("TERMINAT")), "TERMINATED is OCI's word");
    assert_eq!(r.report.summary.copies.by_state.get("DELETED"), Some(&1));
}

#[test]
fn oci_deleted_copies_keep_ocis_words() {
    // "the previous incremental backup copy is in the TERMINATING, TERMINATED, or FAULTY state"
    let text = r#"name = "oci-delete"
start = "2026-01-05T00:00:00Z"
horizon = "3h"
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
size = "10GB"
[[schedules]]
name = "s"
volumes = ["v"]
every = "1h"
copy_to = [{ region = "eu-frankfurt-1" }]
[[events]]
at = "50m"
action = "delete_copy"
volume = "v"
seq = 1
region = "eu-frankfurt-1"
"#;
    let r = run_text(text);
    assert_eq!(r.copy("v", 1, "eu-frankfurt-1")["state"], "TERMINATED");
}

#[test]
fn huawei_refused_shares_and_accepts_carry_no_start_finish_kind_or_reason() {
    let r = run_file("huawei-sharing.toml");
    for c in r.copies().iter().filter(|c| c["state"] == "REJECTED") {
        let who = &c["account"];
        assert_eq!((c["started_at"].as_str(), c["finished_at"].as_str()), ("", ""), "{who}");
        assert_eq!((c["kind"].as_str(), c["reason"].as_str(), c["queue_wait_s"].as_str()), ("", "", ""), "{who}");
    }
    // p03 and (after its key grant) p01 accepted their shares: two shares counted, not every
    // share asked for.
    let s = &r.report.summary.copies;
    assert_eq!((s.by_kind.get("share"), s.by_reason.get("shared")), (Some(&2), Some(&2)));
    let p03 = r.copies().into_iter().find(|c| c["account"] == "p03").unwrap();
    assert_eq!((p03["kind"].as_str(), p03["reason"].as_str()), ("share", "shared"));
}

/// outputs.md: a Huawei share is `kind = share` whatever came of it — pending (a refused
/// acceptance leaves it so), accepted, declined, ended by its sharer — and empty only when the
/// share itself was refused; `by_kind` counts the accepted ones, the rows with reason `shared`.
#[test]
fn huawei_a_share_not_refused_is_kind_share_and_by_kind_counts_the_accepted_ones() {
    let r = run_file("huawei-sharing.toml");
    let copies = r.copies();
    let shares: Vec<_> = copies.iter().filter(|c| c["provider"] == "huawei_cbr").collect();
    for c in &shares {
        let kind = if c["state"] == "REJECTED" { "" } else { "share" };
        assert_eq!(c["kind"], kind, "{} {}", c["account"], c["state"]);
    }
    let states: Vec<&str> = shares.iter().filter(|c| c["reason"].is_empty()).map(|c| c["state"].as_str()).collect();
    assert!(states.contains(&"DECLINED") && states.contains(&"DELETED"), "never accepted: {states:?}");
    let accepted = shares.iter().filter(|c| c["reason"] == "shared").count() as u64;
    assert_eq!(r.report.summary.copies.by_kind.get("share").copied(), Some(accepted));
}

/// Twenty IBM volumes in one policy, every 6 h, copied to one region over a slow link.
const IBM_QUOTA: &str = r#"
name = "ibm-quota"
start = "2026-02-01T00:00:00Z"
horizon = "2d"
[providers.ibm_vpc]
copy_concurrency = 4
[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[regions]]
name = "us-east"
provider = "ibm_vpc"
[[links]]
from = "us-south"
to = "us-east"
bandwidth = "100MB/s"
[[accounts]]
name = "shop"
[[fleets]]
name = "app"
count = 20
account = "shop"
region = "us-south"
size = "100GB"
tags = ["backup:daily"]
[[policies]]
name = "dr"
account = "shop"
region = "us-south"
tags = ["backup:daily"]
[[policies.plans]]
name = "six"
cron = "0 */6 * * *"
retention_days = 2
copy_to = [{ region = "us-east" }]
"#;

#[test]
fn an_ibm_copy_concurrency_set_in_the_scenario_holds_copies_per_account_and_destination() {
    // IBM documents no copy quota (unlimited by default); a scenario that sets one must get it.
    let r = run_text(IBM_QUOTA);
    let q = &r.report.summary.quotas;
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!((q[0].limit, q[0].in_flight_peak), (4, 4));
    assert!(q[0].waits > 0, "twenty first copies wait for four slots");
    assert!(r.report.summary.invariant_violations.is_empty(), "{:?}", r.report.summary.invariant_violations);
    let unlimited = run_text(&IBM_QUOTA.replace("copy_concurrency = 4\n", ""));
    assert!(unlimited.report.summary.quotas.is_empty(), "unlimited by default");
}
