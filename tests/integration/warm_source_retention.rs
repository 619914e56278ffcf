//! A warm start's source holds what its retention keeps from the first instant: the backups laid
//! down only for a copy target that keeps its copies longer were deleted before the start in the
//! steady state, so they are gone at the start whatever the first run's time, and FSx's "short
//! delay" after a copy ("There might be a short delay between when the destination backup
//! becomes available and when you are allowed to delete the source backup") does not hold a
//! deletion at the start for a copy that completed before it. Worked out by hand.

use crate::support::{Ran, run_text};

/// One 100 GiB volume changing 24 % a day (6 GiB in 6 h), every 6 h from 02:00, kept 3 at home,
/// copied to a second region where copies are kept 3 days.
fn scenario(provider: &str, regions: (&str, &str), offset: &str) -> String {
    let cost = if provider == "aws_fsx" {
        "[cost]\nprices = [{ provider = \"aws_fsx\", storage_per_gb_month = 0.05 }]\n"
    } else {
        "[cost]\n"
    };
    format!(
        r#"name = "warm-source"
start = "2026-01-07T00:00:00Z"
horizon = "1d"
warm_start = true
{cost}[[regions]]
name = "{a}"
provider = "{provider}"
[[regions]]
name = "{b}"
provider = "{provider}"
[[accounts]]
name = "t"
[[volumes]]
name = "v"
account = "t"
region = "{a}"
size = "100GiB"
daily_change = "24%"
[[schedules]]
name = "s"
volumes = ["v"]
every = "6h"
offset = "{offset}"
retention_count = 3
copy_to = [{{ region = "{b}", retention_days = 3 }}]
"#,
        a = regions.0,
        b = regions.1
    )
}

/// Source backups of `v` still there just after the instant `at` (its deletions done).
fn held_at(r: &Ran, at: &str) -> usize {
    r.rows("backups.csv")
        .iter()
        .filter(|b| b["volume_id"] == "v" && b["origin"] == "source")
        .filter(|b| b["created_at"].as_str() <= at && (b["deleted_at"].is_empty() || b["deleted_at"].as_str() > at))
        .count()
}

#[test]
fn a_warm_source_holds_its_retention_count_from_the_first_instant() {
    // Runs from 02:00 every 6 h: the run before the first is at -4 h, then -10 h, … The target
    // keeps copies under 3 days old from 1 ms after their runs: -4 h … -76 h, 13 runs (-76 h's
    // copy is 3 d less 1 ms younger than the newest). Backups #1 (-76 h) … #13 (-4 h) are laid
    // down for those copies, but the source keeps 3 (#11 … #13): #1 … #10 were deleted by the
    // count before the start. They were left until the first run at 02:00, 13 backups for two
    // hours against a count of 3; they are gone at the start, counted as the count's deletions.
    let r = run_text(&scenario("aws_ebs", ("us-east-1", "us-west-2"), "2h"));
    assert_eq!(held_at(&r, "2026-01-07T00:00:00.000Z"), 3);
    assert_eq!(held_at(&r, "2026-01-07T01:59:59.999Z"), 3);
    let gone: Vec<(String, String)> = r
        .rows("backups.csv")
        .iter()
        .filter(|b| b["origin"] == "source" && b["backup_seq"].parse::<u32>().unwrap() <= 10)
        .map(|b| (b["deleted_at"].clone(), b["deleted_by"].clone()))
        .collect();
    assert_eq!(gone, vec![("2026-01-07T00:00:00.000Z".to_string(), "retention:s:count".to_string()); 10]);
    // us-east-1 holds the full image (100 GiB, carried by the oldest kept) and the two later
    // changes (6 GiB each) all day long, as in the steady state: 112 GiB-days on day 0, where
    // the extra backups added 10 × 6 GiB for 2 h (5 GiB-days).
    let storage = r
        .rows("cost.csv")
        .into_iter()
        .find(|x| x["region"] == "us-east-1" && x["category"] == "storage" && x["day"] == "0")
        .map(|x| x["quantity"].clone());
    assert_eq!(storage.as_deref(), Some("112.000000"));
    // The copies stay: 13 restore points in us-west-2 until the first run (the oldest, 3 d
    // less 1 ms old at -4 h, is 3 d + 2 h less 1 ms old then, and goes).
    let until_first_run = |c: &&crate::support::Row| {
        c["trigger"] == "warm" && (c["deleted_at"].is_empty() || c["deleted_at"].as_str() >= "2026-01-07T02:00:00.000Z")
    };
    assert_eq!(r.copies().iter().filter(until_first_run).count(), 13);
}

#[test]
fn an_fsx_warm_source_deletes_at_the_first_run_without_the_short_delay() {
    // FSx, runs from midnight: laid down #1 (-78 h) … #13 (-6 h); the count of 3 keeps #11 …
    // #13 (#1 … #10 gone at the start). The run at 0 keeps room for its backup: #11 goes at
    // once. Its warm copy completed just after its run, 18 h before the start: FSx's short
    // delay (`source_delete_delay`, 5 min) is long past. It waited until 00:05 (4 backups
    // held, one over the count), as if its copy had completed at the start.
    let r = run_text(&scenario("aws_fsx", ("us-east-1", "eu-west-1"), "0s"));
    let b11 =
        r.rows("backups.csv").into_iter().find(|b| b["origin"] == "source" && b["backup_seq"] == "11").expect("#11");
    assert_eq!((b11["deleted_at"].as_str(), b11["deletion_wait_s"].as_str()), ("2026-01-07T00:00:00.000Z", "0.000"));
    assert_eq!(held_at(&r, "2026-01-07T00:00:00.000Z"), 3);
    let p = &r.report.summary.plans[0];
    assert_eq!((p.deletions_waited, p.deletion_wait_ms_max), (0, 0));
}
