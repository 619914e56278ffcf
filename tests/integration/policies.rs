//! Backup policies and plans: cron plans, retention, tags, consistency groups, limits, and how
//! retention's deletions drive the next copy's kind on each provider.

use std::collections::BTreeMap;

use copysim::scenario::parse;

use crate::support::{Ran, Row, run_file, run_text};

/// A two-region scenario of one provider: volume `v` tagged `t`, policy `p` with one plan.
fn plan_scenario(provider: &str, volume: &str, plan: &str, horizon: &str) -> String {
    format!(
        r#"name = "inline"
start = "2026-01-01T00:00:00Z"
horizon = "{horizon}"
[[regions]]
name = "r0"
provider = "{provider}"
[[regions]]
name = "r1"
provider = "{provider}"
[[accounts]]
name = "a"
[[volumes]]
name = "v"
account = "a"
region = "r0"
tags = ["t"]
{volume}
[[policies]]
name = "p"
account = "a"
region = "r0"
tags = ["t"]
[[policies.plans]]
name = "plan"
{plan}
"#
    )
}

/// Source backups of `volume` that still exist at the horizon.
fn kept(r: &Ran, volume: &str) -> Vec<Row> {
    r.rows("backups.csv")
        .into_iter()
        .filter(|b| b["volume_id"] == volume && b["origin"] == "source" && b["state"] != "DELETED")
        .collect()
}

/// The most source backups of `volume` held at once (counted at each creation).
fn max_held(r: &Ran, volume: &str) -> usize {
    let rows: Vec<Row> =
        r.rows("backups.csv").into_iter().filter(|b| b["volume_id"] == volume && b["origin"] == "source").collect();
    rows.iter()
        .map(|t| {
            rows.iter()
                .filter(|b| {
                    b["created_at"] <= t["created_at"]
                        && (b["deleted_at"].is_empty() || b["deleted_at"] > t["created_at"])
                })
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[test]
fn retention_example_1_daily_14_days_keeps_14() {
    // "You create a daily plan with a retention period of 14 days ... You're going to keep 14 backups"
    let r = run_file("ibm-retention-daily-14d.toml");
    assert_eq!(kept(&r, "data-1").len(), 14);
    assert_eq!(max_held(&r, "data-1"), 14);
    assert!(
        r.rows("backups.csv")
            .iter()
            .filter(|b| b["state"] == "DELETED")
            .all(|b| b["deleted_by"] == "retention:gold/daily:age")
    );
}

#[test]
fn retention_example_2_weekly_365_days_count_8_keeps_8() {
    // "a weekly plan that has a retention period of 365 days, and a maximum count of 8 ... a maximum of 8 snapshots"
    let r = run_file("ibm-retention-weekly-365d-count-8.toml");
    assert_eq!(kept(&r, "data-1").len(), 8);
    assert_eq!(max_held(&r, "data-1"), 8);
    assert_eq!(r.report.summary.plans[0].backups_deleted_count, r.report.summary.plans[0].backups_taken - 8);
}

#[test]
fn retention_example_3_monthly_80_days_count_10_keeps_3() {
    // "In practice, you keep a maximum of 3 snapshots always. By the time when your 4th backup is
    // taken, the first one meets the 80-day mark, and gets deleted."
    let r = run_file("ibm-retention-monthly-80d-count-10.toml");
    assert_eq!(max_held(&r, "data-1"), 3);
    let rows = r.rows("backups.csv");
    assert_eq!(rows[0]["deleted_at"], rows[3]["created_at"], "the first goes when the 4th is taken");
    assert_eq!(rows[0]["deleted_by"], "retention:gold/monthly:age");
}

fn first_error(text: &str) -> copysim::scenario::InputError {
    parse(text, "p.toml").err().and_then(|e| e.errors().first().cloned()).unwrap_or_else(|| panic!("accepted:\n{text}"))
}

#[test]
fn policy_and_plan_limits_are_validation_errors() {
    // "You can create up to 10 backup policies per account in a region." / "You can create up to four plans per policy"
    let mut text = plan_scenario("ibm_vpc", "size = \"10GB\"", "cron = \"daily\"", "2d");
    for i in 0..10 {
        text += &format!("[[policies]]\nname = \"extra{i}\"\naccount = \"a\"\nregion = \"r0\"\ntags = [\"t\"]\n");
    }
    let e = first_error(&text);
    assert!(e.message.contains("10 backup policies"), "{e}");
    assert_eq!(e.field, "name");
    let mut text = plan_scenario("ibm_vpc", "size = \"10GB\"", "cron = \"daily\"", "2d");
    for i in 0..4 {
        text += &format!("[[policies.plans]]\nname = \"more{i}\"\ncron = \"weekly\"\n");
    }
    let e = first_error(&text);
    assert!(e.message.contains("four plans"), "{e}");
    // "you can set the retention period value anywhere between 1 and 1000 days"
    for days in [0, 1001] {
        let e = first_error(&plan_scenario(
            "ibm_vpc",
            "size = \"10GB\"",
            &format!("cron = \"daily\"\nretention_days = {days}"),
            "2d",
        ));
        assert_eq!(e.field, "retention_days", "{e}");
    }
    let e = first_error(&plan_scenario("ibm_vpc", "size = \"10GB\"", "cron = \"daily\"\nretention_count = 751", "2d"));
    assert!(e.message.contains("between 1 and 750"), "{e}");
    let e = first_error(&plan_scenario(
        "ibm_vpc",
        "size = \"10GB\"\ngeneration = 2",
        "cron = \"daily\"\nretention_count = 513",
        "2d",
    ));
    assert!(e.message.contains("between 1 and 512"), "{e}");
    let e = first_error(&plan_scenario("ibm_vpc", "size = \"10GB\"", "cron = \"every day at noon\"", "2d"));
    assert!(e.field == "cron" && e.message.contains("5-field"), "{e}");
}

#[test]
fn the_backup_ceiling_reading() {
    // "When the maximum number is exceeded, the oldest backups are deleted": a plan counting up to
    // the ceiling deletes its oldest to make room. "If you exceed the limit, no further backups
    // are taken": backups of other plans that fill the ceiling stop new ones.
    let one = run_text(&plan_scenario(
        "ibm_vpc",
        "size = \"10GB\"\ngeneration = 2",
        "cron = \"hourly\"\nretention_count = 512",
        "25d",
    ));
    assert_eq!(kept(&one, "v").len(), 512);
    assert_eq!(one.report.summary.plans[0].backups_skipped_ceiling, 0);
    let mut two =
        plan_scenario("ibm_vpc", "size = \"10GB\"\ngeneration = 2", "cron = \"hourly\"\nretention_count = 300", "20d");
    two += "[[policies]]\nname = \"q\"\naccount = \"a\"\nregion = \"r0\"\ntags = [\"t\"]\n[[policies.plans]]\nname = \"also-hourly\"\ncron = \"30 * * * *\"\nretention_count = 300\n";
    let r = run_text(&two);
    let skipped: u64 = r.report.summary.plans.iter().map(|p| p.backups_skipped_ceiling).sum();
    assert!(skipped > 0, "600 wanted, 512 allowed");
    assert!(max_held(&r, "v") <= 512);
}

#[test]
fn a_regional_file_share_holds_at_most_30_backups() {
    // "You can take a total of 750 backups per zonal file share, and 30 backups for regional file
    // shares." Hourly from hour 0 to the 40 h horizon (41 runs), no count: the default 30 days
    // deletes nothing, so a regional share stops at 30 backups (11 runs skipped) while a zonal one
    // takes all 41.
    let regional = run_text(&plan_scenario(
        "ibm_vpc",
        "size = \"10GB\"\nkind = \"file\"\nregional = true",
        "cron = \"hourly\"",
        "40h",
    ));
    assert_eq!(kept(&regional, "v").len(), 30);
    assert_eq!(regional.report.summary.plans[0].backups_skipped_ceiling, 11);
    let zonal = run_text(&plan_scenario("ibm_vpc", "size = \"10GB\"\nkind = \"file\"", "cron = \"hourly\"", "40h"));
    assert_eq!(kept(&zonal, "v").len(), 41);
    assert_eq!(zonal.report.summary.plans[0].backups_skipped_ceiling, 0);
    // A count above the ceiling is a file error, as for a second-generation volume's 512.
    let over = plan_scenario(
        "ibm_vpc",
        "size = \"10GB\"\nkind = \"file\"\nregional = true",
        "cron = \"hourly\"\nretention_count = 31",
        "40h",
    );
    let err = copysim::scenario::parse(&over, "t.toml").expect_err("31 > 30");
    assert!(err.to_string().contains("expected a count between 1 and 30"), "{err}");
}

#[test]
fn only_a_file_share_is_regional() {
    let text = plan_scenario("ibm_vpc", "size = \"10GB\"\nregional = true", "cron = \"hourly\"", "2h");
    let err = copysim::scenario::parse(&text, "t.toml").expect_err("a block volume is zonal");
    assert!(err.to_string().contains("only a file share"), "{err}");
}

#[test]
fn a_volume_matching_several_tags_is_backed_up_once_per_run() {
    // "If multiple tags match backup policy tags, only one backup is created at the scheduled interval."
    let text = plan_scenario("ibm_vpc", "size = \"10GB\"", "cron = \"daily\"", "3d")
        .replace("tags = [\"t\"]\n[[policies]]", "tags = [\"t\", \"u\"]\n[[policies]]")
        .replace(
            "region = \"r0\"\ntags = [\"t\"]\n[[policies.plans]]",
            "region = \"r0\"\ntags = [\"t\", \"u\"]\n[[policies.plans]]",
        );
    let r = run_text(&text);
    assert_eq!(r.report.summary.plans[0].backups_taken, r.report.summary.plans[0].runs);
    assert!(r.report.summary.invariant_violations.is_empty());
}

#[test]
fn disabling_or_deleting_a_plan_stops_it_but_its_backups_stay() {
    // "When you delete or disable a backup plan, it can no longer initiate any backup jobs. It does
    // not create or delete any backup snapshot anymore. The existing backups remain intact"
    for action in ["disable_plan", "delete_plan"] {
        let mut text = plan_scenario("ibm_vpc", "size = \"10GB\"", "cron = \"daily\"\nretention_days = 3", "20d");
        text += &format!("[[events]]\nat = \"5d 12h\"\naction = \"{action}\"\npolicy = \"p\"\nplan = \"plan\"\n");
        let r = run_text(&text);
        let p = &r.report.summary.plans[0];
        assert_eq!(p.runs, 6, "{action}: runs on days 0..=5 only");
        assert_eq!(kept(&r, "v").len(), 3, "{action}: nothing deleted after the stop");
    }
    let mut text = plan_scenario("ibm_vpc", "size = \"10GB\"", "cron = \"daily\"", "20d");
    text += "[[events]]\nat = \"2d 1h\"\naction = \"disable_plan\"\npolicy = \"p\"\n[[events]]\nat = \"10d 1h\"\naction = \"enable_plan\"\npolicy = \"p\"\n";
    let r = run_text(&text);
    assert_eq!(r.report.summary.plans[0].runs, 3 + 10);
}

#[test]
fn a_disabled_or_deleted_plan_neither_copies_nor_deletes_copies() {
    // "When you delete or disable a backup plan, it can no longer initiate any backup jobs. It does
    // not create or delete any backup snapshot anymore." A remote copy is a snapshot in another
    // region, and its target's retention deletes snapshots: both stop with the plan. Hourly, the
    // plan stopped at 5h05: #6 (taken at 5h00) is stable only at about 5h11, after the stop, so it
    // is never copied; the copies of #4 and #5 stay although #6's would have pushed #4's out.
    for action in ["disable_plan", "delete_plan"] {
        let mut text = plan_scenario(
            "ibm_vpc",
            "size = \"10GB\"\ndaily_change = \"2.4%\"",
            "cron = \"0 * * * *\"\nretention_count = 3\ncopy_to = [{ region = \"r1\", retention_count = 2 }]",
            "8h",
        );
        text += &format!("[[events]]\nat = \"5h 5m\"\naction = \"{action}\"\npolicy = \"p\"\nplan = \"plan\"\n");
        let r = run_text(&text);
        let stop = "2026-01-01T05:05:00.000Z";
        let copies = r.rows("copies.csv");
        let seqs: Vec<&str> = copies.iter().map(|c| c["backup_seq"].as_str()).collect();
        assert_eq!(seqs, ["1", "2", "3", "4", "5"], "{action}: #6 is stable after the stop, never copied");
        assert!(copies.iter().all(|c| c["requested_at"].as_str() < stop), "{action}");
        let deleted: Vec<&str> =
            copies.iter().filter(|c| c["state"] == "DELETED").map(|c| c["backup_seq"].as_str()).collect();
        assert_eq!(deleted, ["1", "2", "3"], "{action}: trimmed to 2 while it ran, then nothing");
        assert!(copies.iter().all(|c| c["deleted_at"].as_str() < stop), "{action}");
        assert_eq!(r.report.summary.plans[0].copies_deleted_count, 3, "{action}");
        assert!(r.report.summary.invariant_violations.is_empty());
    }
}

#[test]
fn consistency_groups_share_one_instant_and_leave_out_boot_or_gen2_on_request() {
    // "the system generates snapshots of all the selected Block Storage volumes that are attached
    // to the virtual server instance at the same time" / "you can include the boot volume or
    // exclude it" / "only the first-generation volumes are included in the backup snapshots"
    let base = r#"name = "cg"
start = "2026-01-01T00:00:00Z"
horizon = "1d"
[[regions]]
name = "r0"
provider = "ibm_vpc"
[[accounts]]
name = "a"
[[instances]]
name = "vsi"
account = "a"
region = "r0"
tags = ["cg"]
[[volumes]]
name = "boot"
account = "a"
region = "r0"
size = "10GB"
instance = "vsi"
boot = true
[[volumes]]
name = "data"
account = "a"
region = "r0"
size = "100GB"
instance = "vsi"
[[volumes]]
name = "sdp"
account = "a"
region = "r0"
size = "100GB"
instance = "vsi"
generation = 2
[[policies]]
name = "cg"
account = "a"
region = "r0"
tags = ["cg"]
target = "instances"
INCLUDE
[[policies.plans]]
name = "six"
cron = "0 */6 * * *"
"#;
    let r = run_text(&base.replace("INCLUDE", "include_boot = true"));
    let rows = r.rows("backups.csv");
    let vols: std::collections::BTreeSet<&str> = rows.iter().map(|b| b["volume_id"].as_str()).collect();
    assert_eq!(vols.into_iter().collect::<Vec<_>>(), vec!["boot", "data"]);
    let mut by_group: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for b in &rows {
        by_group.entry(b["consistency_group"].as_str()).or_default().push(b["created_at"].as_str());
    }
    assert_eq!(by_group.len(), 5, "runs at 0, 6, 12, 18, 24 h");
    assert!(by_group.values().all(|t| t.len() == 2 && t[0] == t[1]), "{by_group:?}");
    assert_eq!(r.report.summary.policies[0].skipped_gen2_volumes, vec!["sdp".to_string()]);
    let r = run_text(&base.replace("INCLUDE", "include_boot = false"));
    assert!(r.rows("backups.csv").iter().all(|b| b["volume_id"] == "data"));
}

#[test]
fn scheduled_oci_copies_go_in_chain_order() {
    // "scheduled volume backups are always copied in sequential order"
    let r = run_text(&plan_scenario(
        "oci",
        "size = \"100GB\"\ndaily_change = \"5%\"",
        "cron = \"hourly\"\ncopy_to = [{ region = \"r1\" }]",
        "2d",
    ));
    let copies = r.copies();
    assert!(copies.len() > 40);
    assert!(copies.iter().all(|c| c["reason"] != "out_of_order" && c["reason"] != "after_out_of_order_copy"));
    assert!(copies.windows(2).all(|w| w[0]["started_at"] <= w[1]["started_at"]
        && w[0]["backup_seq"].parse::<u32>().unwrap() < w[1]["backup_seq"].parse::<u32>().unwrap()));
}

#[test]
fn an_ibm_plan_firing_before_the_previous_copy_is_stable_makes_a_full_copy() {
    // "If your backup plan calls for the creation of a remote copy before the previous backup copy
    // becomes stable, the Backup service initiates a full copy, not an incremental one."
    let r = run_text(&plan_scenario(
        "ibm_vpc",
        "size = \"3TB\"",
        "cron = \"0 */12 * * *\"\ncopy_to = [{ region = \"r1\" }]",
        "3d",
    ));
    let reasons: Vec<String> =
        r.copies().iter().filter(|c| !c["started_at"].is_empty()).map(|c| c["reason"].clone()).collect();
    assert_eq!(reasons[0], "first_copy");
    assert!(reasons[1..].iter().all(|x| x == "predecessor_not_stable"), "{reasons:?}");
}

#[test]
fn fsx_retention_waits_while_a_backup_is_copied_and_records_the_wait() {
    // "You cannot delete a source backup if it is being copied." Hourly, keep 1, copies take ~3 h.
    let r = run_text(&plan_scenario(
        "aws_fsx",
        "size = \"1TB\"\ndaily_change = \"1%\"",
        "cron = \"hourly\"\nretention_count = 1\ncopy_to = [{ region = \"r1\" }]",
        "12h",
    ));
    let p = &r.report.summary.plans[0];
    assert!(p.deletions_waited > 0, "{p:?}");
    assert_ne!(p.deletion_wait_ms_max, 0);
    let backups = r.rows("backups.csv");
    let waited: Vec<&Row> =
        backups.iter().filter(|b| !b["deletion_wait_s"].is_empty() && b["deletion_wait_s"] != "0.000").collect();
    assert!(!waited.is_empty());
    // Never deleted while a copy of it was in progress.
    for b in waited {
        for c in r.copies().iter().filter(|c| c["backup_id"] == b["backup_id"]) {
            assert!(c["finished_at"].is_empty() || c["finished_at"] <= b["deleted_at"], "{c:?} vs {b:?}");
        }
    }
}

fn reasons(r: &Ran) -> Vec<String> {
    r.copies().iter().filter(|c| !c["started_at"].is_empty()).map(|c| c["reason"].clone()).collect()
}

/// Every other day, remote copies kept one day: each run finds the only copy there past its age.
const EVERY_OTHER_DAY_KEEP_ONE_DAY: &str =
    "cron = \"0 0 */2 * *\"\ncopy_to = [{ region = \"r1\", retention_days = 1 }]";

#[test]
fn ebs_deleting_the_most_recent_copy_makes_the_next_full_fsx_needs_all_deleted() {
    // EBS: "If the most recent snapshot copy was deleted, the next copy is a full copy".
    let r = run_text(&plan_scenario("aws_ebs", "size = \"100GB\"", EVERY_OTHER_DAY_KEEP_ONE_DAY, "9d"));
    let rs = reasons(&r);
    assert_eq!(rs[0], "first_copy");
    assert!(rs.len() >= 4 && rs[1..].iter().all(|x| x == "most_recent_copy_deleted"), "{rs:?}");
    // FSx: "provided that you haven't deleted all previously-copied backups in that Region"
    let r = run_text(&plan_scenario("aws_fsx", "size = \"100GB\"", EVERY_OTHER_DAY_KEEP_ONE_DAY, "9d"));
    let rs = reasons(&r);
    assert!(rs.len() >= 4 && rs[1..].iter().all(|x| x == "all_previous_copies_deleted"), "{rs:?}");
    // FSx with a count of 2 always keeps a base: incremental.
    let r = run_text(&plan_scenario(
        "aws_fsx",
        "size = \"100GB\"",
        "cron = \"daily\"\ncopy_to = [{ region = \"r1\", retention_count = 2 }]",
        "5d",
    ));
    let rs = reasons(&r);
    assert!(rs[1..].iter().all(|x| x == "previous_copy_exists"), "count 2 keeps a base: {rs:?}");
    assert!(r.report.summary.plans[0].copies_deleted_count > 0);
    // EBS with a count keeps the most recent copy, so copies stay incremental.
    let r = run_text(&plan_scenario(
        "aws_ebs",
        "size = \"100GB\"",
        "cron = \"daily\"\ncopy_to = [{ region = \"r1\", retention_count = 1 }]",
        "5d",
    ));
    assert!(reasons(&r)[1..].iter().all(|x| x == "previous_copy_exists"));
    assert!(r.report.summary.plans[0].copies_deleted_count > 0);
}

#[test]
fn oci_a_copy_whose_previous_copy_retention_terminated_is_full() {
    // "the previous incremental backup copy is in the TERMINATING, TERMINATED, or FAULTY state"
    let r = run_text(&plan_scenario("oci", "size = \"100GB\"", EVERY_OTHER_DAY_KEEP_ONE_DAY, "9d"));
    let rs = reasons(&r);
    assert!(rs.len() >= 4 && rs[1..].iter().all(|x| x == "previous_copy_terminated_or_faulty"), "{rs:?}");
    let copies = r.copies();
    assert!(copies.iter().any(|c| c["deleted_by"] == "remote_retention:p/plan:age"));
}

#[test]
fn the_mixed_fleet_keeps_every_plan_invariant() {
    let r = run_file("mixed-fleet-90d.toml");
    let s = &r.report.summary;
    assert!(s.invariant_violations.is_empty(), "{:?}", s.invariant_violations);
    let daily = s.plans.iter().find(|p| p.name == "daily-dr/nightly").unwrap();
    assert_eq!(daily.backups_kept, 18 * 14, "18 tagged volumes, 14 days");
    assert_eq!(daily.copies_kept, 18 * 7, "7 remote copies each");
    let weekly = s.plans.iter().find(|p| p.name == "weekly-archive/sunday").unwrap();
    assert_eq!(weekly.runs, 6, "Sundays before day 45: Jan 11, 18, 25, Feb 1, 8, 15");
    assert_eq!(weekly.backups_kept, weekly.backups_taken);
    // A volume in both policies: every weekly snapshot breaks the daily chain's copies — the
    // immediately preceding snapshot (the weekly one) has no copy in us-east, so the next is full.
    assert!(s.copies.by_reason.get("predecessor_missing").is_some_and(|&n| n > 0));
}

#[test]
fn an_ebs_schedule_copying_to_another_account_shares_each_backup_first() {
    // "If you would like another account to be able to copy your snapshot, you must either modify
    // the snapshot permissions to allow access to that account or make the snapshot public"
    let base = r#"name = "xacct"
start = "2026-01-01T00:00:00Z"
horizon = "3d"
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
name = "v"
account = "prod"
region = "us-east-1"
size = "50GB"
[[schedules]]
name = "daily"
volumes = ["v"]
every = "1d"
copy_to = [{ region = "us-west-2", account = "vault" }]
"#;
    let e = first_error(base);
    assert_eq!(e.field, "copy_to.region", "{e}");
    assert!(e.message.contains("share_with = [\"vault\"]"), "{e}");
    let r = run_text(&base.replace("every = \"1d\"", "every = \"1d\"\nshare_with = [\"vault\"]"));
    let rs = reasons(&r);
    assert_eq!(
        rs,
        vec!["first_copy", "previous_copy_exists", "previous_copy_exists"],
        "day 3's backup is still uploading at the horizon"
    );
    assert!(r.copies().iter().all(|c| c["account"] == "vault" && c["state"] == "AVAILABLE"));
}

/// IBM: "The fast restore feature is supported only for individual volume backups, not for
/// consistency group backups." Fast restore for a volume backed up only with its instance's
/// group would be billed and never used: a file error at its `volumes`.
#[test]
fn fast_restore_for_a_volume_backed_up_only_in_a_consistency_group_is_refused() {
    let text = r#"name = "cg-fast-restore"
start = "2026-03-02T00:00:00Z"
horizon = "2d"
[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[regions]]
name = "us-east"
provider = "ibm_vpc"
[[accounts]]
name = "acct"
[[instances]]
name = "vsi"
account = "acct"
region = "us-south"
tags = ["cg"]
[[volumes]]
name = "data"
account = "acct"
region = "us-south"
size = "10GB"
instance = "vsi"
[[policies]]
name = "cg"
account = "acct"
region = "us-south"
tags = ["cg"]
target = "instances"
[[policies.plans]]
name = "daily"
cron = "daily"
copy_to = [{ region = "us-east" }]
[[fast_restore]]
volumes = ["data"]
region = "us-east"
"#;
    let e = first_error(text);
    assert_eq!((e.line, e.field.as_str()), (34, "volumes"), "{}", e.message);
    assert!(e.message.contains("not for consistency group backups"), "{}", e.message);
}

/// IBM: "The fast restore feature is not supported for file share backups." Fast restore for a
/// file share would be billed per zone-hour and never used: a file error at its `volumes`; the
/// same file with the share made a block volume runs.
#[test]
fn fast_restore_for_an_ibm_file_share_is_refused() {
    let text = |kind: &str| {
        format!(
            "name = \"share-fast-restore\"\nstart = \"2026-03-02T00:00:00Z\"\nhorizon = \"2d\"\n\
             [[regions]]\nname = \"us-south\"\nprovider = \"ibm_vpc\"\n[[accounts]]\nname = \"acct\"\n\
             [[volumes]]\nname = \"share\"\naccount = \"acct\"\nregion = \"us-south\"\nsize = \"100GB\"\nkind = \"{kind}\"\n\
             [[schedules]]\nname = \"daily\"\nvolumes = [\"share\"]\nevery = \"1d\"\n\
             [[fast_restore]]\nvolumes = [\"share\"]\nregion = \"us-south\"\n"
        )
    };
    let e = first_error(&text("file"));
    assert_eq!((e.line, e.field.as_str()), (20, "volumes"), "{}", e.message);
    assert!(e.message.contains("not supported for file share backups"), "{}", e.message);
    run_text(&text("block"));
}

/// IBM: "Backup snapshots over 10 TB are not supported for Generation 1 (custom and tiered)
/// block volume profiles." A first-generation volume over 10 TB, declared or resized, is a file
/// error at its size; a second-generation one is backed up.
#[test]
fn a_first_generation_ibm_volume_over_10_tb_is_refused_at_its_size() {
    let text = |size: &str, generation: u8, resize: &str| {
        format!(
            "name = \"gen1\"\nstart = \"2026-03-02T00:00:00Z\"\nhorizon = \"2d\"\n[[regions]]\nname = \"us-south\"\nprovider = \"ibm_vpc\"\n\
             [[accounts]]\nname = \"acct\"\n[[volumes]]\nname = \"huge\"\naccount = \"acct\"\nregion = \"us-south\"\nsize = \"{size}\"\n\
             generation = {generation}\n[[schedules]]\nname = \"s\"\nvolumes = [\"huge\"]\nevery = \"1d\"\n\
             [[events]]\nat = \"1h\"\naction = \"resize\"\nvolume = \"huge\"\nsize = \"{resize}\"\n"
        )
    };
    let e = first_error(&text("12TB", 1, "1TB"));
    assert_eq!((e.line, e.field.as_str()), (13, "size"), "{}", e.message);
    assert!(e.message.contains("not supported for Generation 1"), "{}", e.message);
    let e = first_error(&text("10TB", 1, "11TB"));
    assert_eq!((e.line, e.field.as_str()), (23, "size"), "{}", e.message);
    assert!(e.message.starts_with("after this resize huge would be 11000000000000 bytes"), "{}", e.message);
    assert!(copysim::scenario::parse(&text("12TB", 2, "20TB"), "gen2.toml").is_ok(), "second generation");
}

/// "a disabled plan runs again from its next occurrence" (docs/scenario.md): a plain schedule
/// every 12 h from 1 h, disabled at 5 h and enabled at 1 d 11 h, runs next at 1 d 13 h — its
/// grid — not 1 d 23 h (12 h after it was enabled, every later run shifted 10 h).
#[test]
fn an_interval_plan_enabled_again_resumes_at_its_next_occurrence() {
    let text = r#"name = "resume"
start = "2026-01-05T00:00:00Z"
horizon = "3d"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[accounts]]
name = "a"
[[volumes]]
name = "v"
account = "a"
region = "us-east-1"
size = "10GiB"
daily_change = "1%"
[[schedules]]
name = "s"
volumes = ["v"]
every = "12h"
offset = "1h"
[[events]]
at = "5h"
action = "disable_plan"
policy = "s"
[[events]]
at = "1d 11h"
action = "enable_plan"
policy = "s"
"#;
    let r = run_text(text);
    let taken: Vec<String> = r.rows("backups.csv").iter().map(|b| b["created_at"].clone()).collect();
    assert_eq!(
        taken,
        [
            "2026-01-05T01:00:00.000Z",
            "2026-01-06T13:00:00.000Z",
            "2026-01-07T01:00:00.000Z",
            "2026-01-07T13:00:00.000Z",
        ],
    );
}

#[test]
fn a_plan_whose_cron_first_fires_after_the_horizon_is_refused_as_a_schedule_would_be() {
    // A schedule whose offset is after the horizon is refused ("would never run"); a plan of
    // "0 0 29 2 *" over two days from 1 January ran nothing, silently (RPO of the whole run).
    let never = plan_scenario("ibm_vpc", "size = \"10GB\"", "cron = \"0 0 29 2 *\"", "2d");
    let e = first_error(&never);
    let line = never.lines().position(|l| l.starts_with("cron = ")).expect("the cron line") + 1;
    assert_eq!((e.line, e.field.as_str()), (line, "cron"), "{e}");
    assert!(e.message.contains("first fires after the horizon (2028-02-29T00:00:00Z)"), "{e}");
    assert!(e.message.contains("the plan would never run"), "{e}");
    // Firing at the horizon's very end, as an offset equal to it, is accepted.
    parse(&plan_scenario("ibm_vpc", "size = \"10GB\"", "cron = \"0 0 3 1 *\"", "2d"), "p.toml").expect("fires at 2d");
    parse(&plan_scenario("ibm_vpc", "size = \"10GB\"", "cron = \"monthly\"", "31d"), "p.toml").expect("fires at 31d");
}

#[test]
fn a_plan_that_gives_no_retention_keeps_its_backups_30_days() {
    // "The default retention period is 30 days". A daily plan with neither retention_days nor
    // retention_count, over 40 days: the run on day 30 deletes day 0's backup (exactly 30 days
    // old) before taking its own, so the volume holds 30 at the horizon (days 11 to 40), the
    // oldest 29 days old; nothing is deleted before day 30.
    let r = run_text(&plan_scenario("ibm_vpc", "size = \"10GB\"", "cron = \"daily\"", "40d"));
    let held = kept(&r, "v");
    assert_eq!(held.len(), 30);
    assert_eq!(held[0]["created_at"], "2026-01-12T00:00:00.000Z", "day 11");
    let deleted: Vec<Row> = r.rows("backups.csv").into_iter().filter(|b| b["state"] == "DELETED").collect();
    assert_eq!(deleted.len(), 11, "days 0 to 10");
    assert_eq!(deleted[0]["deleted_at"], "2026-01-31T00:00:00.000Z", "day 0's, at day 30");
    assert_eq!(max_held(&r, "v"), 30);
}

#[test]
fn deleting_a_policy_deletes_every_plan_and_keeps_their_backups() {
    // "When you delete a backup policy, you also delete all the plans that are associated with
    // it. ... The existing backups remain intact". Two hourly plans (at :00 and :30, kept 2 each);
    // `delete_plan` naming the policy alone at 3 h 15 min stops both: the one at :00 ran at 0,
    // 1, 2 and 3 h, the one at :30 at 0:30, 1:30 and 2:30; each kept its newest 2, and nothing
    // is taken or deleted after the stop.
    let mut text = plan_scenario("ibm_vpc", "size = \"10GB\"", "cron = \"0 * * * *\"\nretention_count = 2", "10h");
    text += "[[policies.plans]]\nname = \"half\"\ncron = \"30 * * * *\"\nretention_count = 2\n";
    text += "[[events]]\nat = \"3h 15m\"\naction = \"delete_plan\"\npolicy = \"p\"\n";
    let r = run_text(&text);
    let runs: BTreeMap<String, u64> = r.report.summary.plans.iter().map(|p| (p.name.clone(), p.runs)).collect();
    assert_eq!(runs, BTreeMap::from([("p/half".to_string(), 3), ("p/plan".to_string(), 4)]));
    assert_eq!(kept(&r, "v").len(), 4, "2 of each plan remain");
    let backups = r.rows("backups.csv");
    assert!(backups.iter().all(|b| b["created_at"].as_str() < "2026-01-01T03:15:00.000Z"));
    assert!(
        backups.iter().all(|b| b["deleted_at"].is_empty() || b["deleted_at"].as_str() < "2026-01-01T03:15:00.000Z")
    );
}
