//! `warm_start = true`: the fleet starts already protected. Worked out by hand.

use crate::support::{krs, run_text};

/// One 100 GiB EBS volume changing 1 GiB an hour (24 % a day), backed up hourly and copied to
/// us-west-2, one day.
const HOURLY: &str = r#"name = "warm"
start = "2026-01-01T00:00:00Z"
horizon = "1d"
WARM
[cost]
[report]
rpo_resolution = "1h"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[links]]
from = "us-east-1"
to = "us-west-2"
bandwidth = "2000MiB/s"
copy_throughput_cap = "500MiB/s"
[[accounts]]
name = "a"
[[volumes]]
name = "v"
account = "a"
region = "us-east-1"
size = "100GiB"
daily_change = "24%"
[[schedules]]
name = "hourly"
volumes = ["v"]
every = "1h"
copy_to = [{ region = "us-west-2" }]
"#;

#[test]
fn a_warm_fleet_copies_incrementally_from_the_first_backup_and_starts_at_steady_rpo() {
    // Warm state: backup #1 (full, 100 GiB) and its copy in us-west-2, both there at t = 0.
    // The schedule's backup at 0 h (#2) stands one hour after #1: 1 GiB changed. It uploads in
    // 1 min + 1 GiB ÷ 200 MB/s = 65.368 s (ms, rounded down), its copy is incremental over the warm copy (the
    // previous copy exists, same key) and moves 1 GiB in 2.048 s: in us-west-2 at 67.416 s.
    // Backups at 0 h … 24 h; the 24 h one is not AVAILABLE by the horizon: 24 copies, all
    // incremental, 24 GiB moved, $0.02 per GB: $0.48.
    let r = run_text(&HOURLY.replace("WARM", "warm_start = true"));
    let s = &r.report.summary;
    assert_eq!(s.backups.taken, 25, "the warm backup is not counted as taken");
    assert_eq!(s.backups.full, 0);
    assert_eq!(s.copies.requested, 24);
    assert_eq!(s.copies.by_kind.get("incremental"), Some(&24));
    assert_eq!(s.copies.by_kind.get("full"), None);
    assert_eq!(s.copies.bytes_transferred, 24 << 30);
    assert_eq!(s.cost.as_ref().unwrap().transfer_nano_usd, 480_000_000);
    // RPO over time: the warm copy stands for the run at -1 h, so RPO is 1 h at t = 0, as in the
    // steady state just before a run, rising to 1 h 67.416 s when the copy of the backup taken at
    // 0 h lands at 67.416 s; then 67.416 s → 1 h 67.416 s every hour, and the last tooth (23 h's
    // copy) 67.416 s → 1 h at the horizon. Every value between 67.416 s and 1 h 67.416 s is held
    // one hour-long stretch in total over the day's 24 hours, once per hour (the first and
    // last partial teeth make one together): the steady sawtooth, uniform on that range, whose
    // median is 67.416 s + 30 min = 1,867.416 s; worst 1 h 67.416 s.
    let rpo = &s.rpo[0];
    assert_eq!((rpo.measured_ms, rpo.p50_ms, rpo.max_ms), (24 * 3_600_000, 1_867_416, 3_667_416));
    let first = r.copy("v", 2, "us-west-2");
    assert_eq!(krs(&first), ("incremental", "previous_copy_exists", "AVAILABLE"));
    assert_eq!(first["bytes_transferred"], (1u64 << 30).to_string());
    assert_eq!(first["finished_at"], "2026-01-01T00:01:07.416Z");
    // The warm copy is a row of its own, trigger `warm`, that moved nothing during the run.
    let warm = r.copy("v", 1, "us-west-2");
    assert_eq!((warm["trigger"].as_str(), warm["bytes_transferred"].as_str()), ("warm", "0"));
    // The summary counts the warm backup and copy apart, so it adds up with the rows: 26
    // backup rows in us-east-1 (25 taken + 1 warm), 25 copy rows (24 requested + 1 warm), all
    // AVAILABLE; the plan keeps all of them (no retention), warm ones included.
    assert_eq!((s.backups.warm, s.copies.warm), (1, 1));
    let rows = r.rows("copies.csv");
    let available = rows.iter().filter(|c| c["state"] == "AVAILABLE").count() as u64;
    assert_eq!(available, s.copies.by_state["AVAILABLE"] + s.copies.warm);
    let source_rows = r.rows("backups.csv").iter().filter(|b| b["region"] == "us-east-1").count() as u64;
    assert_eq!(source_rows, s.backups.taken + s.backups.warm);
    let p = &s.plans[0];
    assert_eq!((p.backups_kept, p.copies_kept), (26, 25));
    // Cold, the same fleet's first copy is full and the RPO starts far from steady.
    let cold = run_text(&HOURLY.replace("WARM", ""));
    assert_eq!(cold.report.summary.copies.by_kind.get("full"), Some(&1));
}

#[test]
fn warm_storage_is_at_its_steady_state_from_the_start() {
    // Kept one day. Steady state in us-east-1: after each hourly run the last 24 backups are
    // there — the oldest holds the full image (100 GiB), each of the 23 others its hour's change
    // (1 GiB): 123 GiB all day. Warm, the 24 backups of the runs from -24 h to -1 h are there
    // at the start (the oldest full), and at each run the oldest goes and one more is taken:
    // day 0 is at the steady state too, and so are days 1 and 2.
    let text = HOURLY
        .replace("WARM", "warm_start = true")
        .replace("horizon = \"1d\"", "horizon = \"3d\"")
        .replace("rpo_resolution = \"1h\"", "rpo_resolution = \"1h\"\nmeasure_from = \"1d\"")
        .replace(
            "copy_to = [{ region = \"us-west-2\" }]",
            "retention_days = 1\ncopy_to = [{ region = \"us-west-2\" }]",
        );
    let r = run_text(&text);
    let east: Vec<(String, String)> = r
        .rows("cost.csv")
        .into_iter()
        .filter(|x| x["region"] == "us-east-1" && x["category"] == "storage")
        .map(|x| (x["day"].clone(), x["quantity"].clone()))
        .collect();
    assert_eq!(east[1], ("1".to_string(), "123.000000".to_string()));
    assert_eq!(east[2], ("2".to_string(), "123.000000".to_string()));
    assert_eq!(east[0], ("0".to_string(), "123.000000".to_string()));
    assert_eq!(r.report.summary.window.as_ref().map(|w| w.from.as_str()), Some("2026-01-02T00:00:00.000Z"));
}

/// A warm start lays down the steady state of each volume's first schedule: a run-rate is at the
/// steady state from the start. A second schedule of the same volume starts empty (the volume's
/// warm backups are the first's): its retention fills as the run goes, a run-rate taken before
/// it has is not a steady month's, and the summary says so, with the `measure_from` that
/// avoids it; measured from one retention period on, it does not.
#[test]
fn a_warm_run_rate_before_a_second_schedules_retention_has_filled_is_flagged() {
    let kept = |extra: &str| {
        HOURLY
            .replace("WARM", "warm_start = true")
            .replace("horizon = \"1d\"", "horizon = \"3d\"")
            .replace("rpo_resolution = \"1h\"", &format!("rpo_resolution = \"1h\"{extra}"))
            .replace(
                "copy_to = [{ region = \"us-west-2\" }]",
                "retention_days = 1\ncopy_to = [{ region = \"us-west-2\" }]\n[[schedules]]\nname = \"extra\"\nvolumes = [\"v\"]\nevery = \"1h\"\nretention_days = 1",
            )
    };
    let flagged =
        |r: &crate::support::Ran| r.report.summary.warnings.iter().any(|w| w.contains("fills until it has run once"));
    let one = run_text(
        &kept("")
            .replace("\n[[schedules]]\nname = \"extra\"\nvolumes = [\"v\"]\nevery = \"1h\"\nretention_days = 1", ""),
    );
    assert!(!flagged(&one), "a schedule laid down warm: {:?}", one.report.summary.warnings);
    let early = run_text(&kept(""));
    assert!(flagged(&early), "{:?}", early.report.summary.warnings);
    assert!(
        early
            .report
            .summary
            .warnings
            .iter()
            // Hourly from 0 h kept a day holds its steady state (the 24 runs of the day before a
            // run) from its 23 h run on.
            .any(|w| w.contains("retention of extra starts empty") && w.contains("measure_from = \"23h\""))
    );
    let steady = run_text(&kept("\nmeasure_from = \"1d\""));
    assert!(!flagged(&steady), "{:?}", steady.report.summary.warnings);
    // Nine days with no window: the run-rate bills days 2 to 8, after the fill (it once warned
    // whenever no `measure_from` was set, whatever the horizon).
    let long = run_text(&kept("").replace("horizon = \"3d\"", "horizon = \"9d\""));
    assert!(!flagged(&long), "{:?}", long.report.summary.warnings);
}

/// One 100 GB volume changing 1 % a day (1 GB), from Monday 2026-01-05 00:00; `PLANS` below.
const TWO_PLANS: &str = r#"name = "warm-plans"
start = "2026-01-05T00:00:00Z"
horizon = "8d"
warm_start = true
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
name = "a"
[[volumes]]
name = "v"
account = "a"
region = "us-east-1"
size = "100GB"
daily_change = "1%"
PLANS"#;

#[test]
fn every_schedule_listing_a_volume_starts_with_a_warm_copy_in_its_targets() {
    // Daily at 00:30 to eu-west-1 and weekly at 06:00 to us-west-2: the volume's warm backup
    // (#1, the daily's) has a copy in both targets, the one in us-west-2 reported as the
    // weekly's. The weekly's first backup (day 0, 06:00) copies incrementally over it.
    let plans = r#"[[schedules]]
name = "daily"
volumes = ["v"]
every = "1d"
offset = "30m"
copy_to = [{ region = "eu-west-1" }]
[[schedules]]
name = "weekly"
volumes = ["v"]
every = "7d"
offset = "6h"
copy_to = [{ region = "us-west-2" }]
"#;
    let r = run_text(&TWO_PLANS.replace("PLANS", plans));
    let s = &r.report.summary;
    assert_eq!(s.copies.warm, 2, "one warm copy per target");
    assert_eq!(s.copies.by_kind.get("full"), None, "no first full copy in either target");
    let warm = r.copy("v", 1, "us-west-2");
    assert_eq!((warm["trigger"].as_str(), warm["state"].as_str()), ("warm", "AVAILABLE"));
    let weekly: Vec<_> = r.rows("copies.csv").into_iter().filter(|c| c["dest_region"] == "us-west-2").collect();
    assert_eq!(weekly.len(), 3, "the warm copy, day 0's and day 7's");
    assert_eq!(krs(&weekly[1]), ("incremental", "previous_copy_exists", "AVAILABLE"));
    // No retention: the weekly keeps its warm copy and its two own, the daily its 1 + 8.
    assert_eq!((s.plans[0].copies_kept, s.plans[1].copies_kept), (9, 3));
}

/// One 100 GB IBM volume changing 1 % a day (1 GB), from Monday 2026-01-05 00:00, on a plan
/// run by `CRON`.
const CRON_PLAN: &str = r#"name = "warm-cron"
start = "2026-01-05T00:00:00Z"
horizon = "8d"
warm_start = true
[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[regions]]
name = "us-east"
provider = "ibm_vpc"
[[accounts]]
name = "a"
[[volumes]]
name = "v"
account = "a"
region = "us-south"
size = "100GB"
daily_change = "1%"
tags = ["p"]
[[policies]]
name = "pol"
account = "a"
region = "us-south"
tags = ["p"]
[[policies.plans]]
name = "plan"
cron = "CRON"
copy_to = [{ region = "us-east" }]
"#;

#[test]
fn a_cron_plans_warm_backup_stands_for_its_last_run_before_the_start() {
    // `0 12 * * *` from Monday 00:00: the run before the first (noon) was Sunday noon, so the
    // first backup holds one day of change, 1 GB. `weekly` (Sundays 00:00): the run before was
    // Sunday the 4th, the first is Sunday the 11th, so it holds a week of change, 7 GB.
    for (cron, bytes) in [("0 12 * * *", 1_000_000_000u64), ("weekly", 7_000_000_000)] {
        let r = run_text(&CRON_PLAN.replace("CRON", cron));
        let rows = r.rows("backups.csv");
        let first = rows.iter().find(|b| b["backup_seq"] == "2").expect("a first scheduled backup");
        assert_eq!(first["delta_bytes"], bytes.to_string(), "{cron}");
    }
}

#[test]
fn warm_backups_age_from_the_runs_they_stand_for_and_their_copies_from_just_after() {
    // Daily at noon (`every = "1d"`, `offset = "12h"`) from midnight, kept 2 days at home and in
    // us-west-2. The runs before the first (12 h) were at -12 h, -36 h, -60 h... Steady state
    // just after the run at -12 h: at home that run's backup and the one of -36 h (24 h old,
    // under 2 days; -60 h's was exactly 2 days old and went); in us-west-2 the copies of -12 h,
    // -36 h and -60 h (a copy ages from its completion, just after its run: -60 h's was 2 days
    // less a moment old). Warm: #1 (-60 h, full), #2 (-36 h), #3 (-12 h), copies of all three;
    // #1 is there for its copy alone (the source's retention deleted it at -12 h): it is gone at
    // the start, where it used to stay until the first run at 12 h.
    // The run at 12 h deletes #2 (exactly 48 h old) and the copy of #1; the
    // copy of #2 (48 h less a moment) goes at 36 h, with #3; #3's copy at 60 h, with #4 (12 h).
    // Home then holds 2 backups after every run and us-west-2 3 copies, from the start.
    let text = HOURLY
        .replace("WARM", "warm_start = true")
        .replace("horizon = \"1d\"", "horizon = \"4d\"")
        .replace("every = \"1h\"", "every = \"1d\"\noffset = \"12h\"")
        .replace(
            "copy_to = [{ region = \"us-west-2\" }]",
            "retention_days = 2\ncopy_to = [{ region = \"us-west-2\", retention_days = 2 }]",
        );
    let r = run_text(&text);
    let rows = r.rows("backups.csv");
    let row = |region: &str, seq: &str| {
        let b = rows.iter().find(|b| b["backup_seq"] == seq && b["region"] == region);
        b.unwrap_or_else(|| panic!("no backup #{seq} in {region}")).clone()
    };
    let warm = row("us-east-1", "1");
    assert_eq!((warm["created_at"].as_str(), warm["kind"].as_str()), ("2026-01-01T00:00:00.000Z", "full"));
    assert_eq!(
        (warm["deleted_at"].as_str(), warm["deleted_by"].as_str()),
        ("2026-01-01T00:00:00.000Z", "retention:hourly:age")
    );
    assert_eq!(row("us-east-1", "2")["deleted_at"], "2026-01-01T12:00:00.000Z");
    assert_eq!(row("us-east-1", "3")["deleted_at"], "2026-01-02T12:00:00.000Z");
    // #2 and #3 hold a day's change each (24 % of 100 GiB); so does #4, the first taken, a
    // day after #3's run.
    for seq in ["2", "3", "4"] {
        assert_eq!(row("us-east-1", seq)["delta_bytes"], (24u64 * (1 << 30)).to_string(), "#{seq}");
    }
    for (seq, gone) in
        [("1", "2026-01-01T12:00:00.000Z"), ("2", "2026-01-02T12:00:00.000Z"), ("3", "2026-01-03T12:00:00.000Z")]
    {
        assert_eq!(r.copy("v", seq.parse().unwrap(), "us-west-2")["trigger"], "warm");
        assert_eq!(row("us-west-2", seq)["deleted_at"], gone, "copy of #{seq}");
    }
    // The first copy builds on the warm one of #3; each warm copy after the first on the one before.
    assert_eq!(krs(&r.copy("v", 2, "us-west-2")), ("incremental", "previous_copy_exists", "DELETED"));
    assert_eq!(krs(&r.copy("v", 4, "us-west-2")), ("incremental", "previous_copy_exists", "DELETED"));
    // Runs at 12 h, 36 h, 60 h, 84 h delete #1 and #2, then #3, #4, #5: 5 by age.
    let p = &r.report.summary.plans[0];
    assert_eq!((p.runs, p.backups_deleted_age), (4, 5));
}

/// A held-out planning scenario, worked out by hand before copysim ran it (an outside check):
/// IBM VPC, a policy's daily plan at 02:00 kept 7 days, copied to us-east keeping 3, warm, the
/// window opening exactly one retention period in (`docs/model.md`, "Warm start").
const IBM_NIGHTLY: &str = r#"name = "s3-ibm-daily"
start = "2026-01-05T00:00:00Z"
horizon = "14d"
warm_start = true

[providers.ibm_vpc]
backup_upload_rate = "100MiB/s"

[cost]
prices = [{ provider = "ibm_vpc", storage_per_gb_month = 0.10, transfer_per_gb = 0.02 }]

[report]
rpo_resolution = "1h"
measure_from = "7d"
measure_to = "12d"

[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[regions]]
name = "us-east"
provider = "ibm_vpc"

[[links]]
from = "us-south"
to = "us-east"
bandwidth = "10Gbps"
copy_throughput_cap = "100MiB/s"

[[accounts]]
name = "acct"

[[volumes]]
name = "data-1"
account = "acct"
region = "us-south"
size = "1000GiB"
daily_change = "10%"
tags = ["backup:gold"]

[[policies]]
name = "gold"
account = "acct"
region = "us-south"
tags = ["backup:gold"]

[[policies.plans]]
name = "nightly"
cron = "0 2 * * *"
retention_days = 7
copy_to = [{ region = "us-east", retention_count = 3 }]
"#;

#[test]
fn an_ibm_nightly_plan_measured_from_one_retention_period_is_at_its_steady_state() {
    // IBM VPC, policy with a daily plan at 02:00 UTC, source retention 7 days, remote copy to
    // us-east keeping 3. Window [7d, 12d] = exactly the retention period as measure_from (what
    // docs/model.md "Warm start" recommends), measure_to before the horizon (14d).
    // Volume 1000 GiB, 10%/day -> each daily backup 100 GiB (warm backup stands for 02:00 the day
    // before the start, so the first backup also holds 24 h = 100 GiB).
    // Upload 100 MiB/s: AVAILABLE +60+1024 s = 02:18:04, STABLE +10 min = 02:28:04, copy at
    // 100 MiB/s (link cap) 1024 s -> done 02:45:08.
    // Hand figures (window):
    //   backups 5 (days 7..11), 500 GiB; copies requested 5, incremental predecessor_stable, 500 GiB
    //   RPO over the window: 22 h at 7d 00:00 rising to 24 h 45 min 8 s when day 7's copy lands at
    //   02:45:08, then teeth 45 min 8 s -> 24 h 45 min 8 s, the last ending at 22 h at 12d 00:00:
    //   5 days measured, max 24 h 45 min 8 s, median 12 h 45 min 8 s (symmetric teeth)
    //   steady storage: source 7 backups = 1000+6*100 = 1600 GiB; DR 3 copies = 1200 GiB
    //   price: storage $0.10/GB-month, transfer $0.02/GB
    //   per day: storage 2800*0.1*24/730 = 9.205479, transfer 100*0.02 = 2.00
    //   billed days 7..11: storage 46.027397, transfer 10.00, total 56.027397; run-rate $340.83
    //   plan: runs 5, backups_deleted_age 5, backups_kept 7, copies_kept 3, copies_deleted_count 5
    //   storage at end (14d): source 1600 GiB, DR 1200 GiB
    // Before the warm backup aged from the run it stands for (02:00 the day before), it lived
    // 22 h longer: $56.054795, a $341.00 run-rate and one deletion too many in the window.
    let r = run_text(IBM_NIGHTLY);
    let s = &r.report.summary;
    let cost = s.cost.as_ref().expect("costs");
    assert_eq!(cost.total_nano_usd, 56_027_397_260, "46.027397 storage + 10.00 transfer");
    assert_eq!(cost.monthly_run_rate_nano_usd, 340_833_333_331, "$340.83 a month");
    let p = &s.plans[0];
    assert_eq!((p.runs, p.backups_deleted_age, p.backups_kept, p.copies_kept), (5, 5, 7, 3));
    assert_eq!((s.copies.requested, s.copies.bytes_transferred), (5, 500 << 30));
    let rpo = &s.rpo[0];
    assert_eq!((rpo.measured_ms, rpo.p50_ms, rpo.max_ms), (5 * 86_400_000, 45_908_000, 89_108_000));
}

#[test]
fn a_drill_before_the_first_copy_lands_restores_the_warm_copy_and_loses_since_its_run() {
    // us-east-1 goes out at 30 s, before the copy of the backup taken at 0 h lands (67.416 s):
    // the drill restores the warm copy (#1), which stands for the run at -1 h: 1 h 30 s of data
    // lost, as in the steady state (RPO read then: 1 h 30 s too). Its row shows the backup's
    // time as that run's, an hour before the start (backups.csv reads the start for the warm
    // backup), so that its data loss is its outage minus that time as in every row.
    let text = HOURLY.replace("WARM", "warm_start = true")
        + "[[events]]\nat = \"30s\"\naction = \"region_outage\"\nregion = \"us-east-1\"\nduration = \"1h\"\n";
    let r = run_text(&text);
    let rows = r.rows("restore.csv");
    let v = rows.iter().find(|x| x["volume_id"] == "v").expect("a restore row for v");
    assert_eq!((v["restored_seq"].as_str(), v["data_loss_s"].as_str()), ("1", "3630.000"));
    assert_eq!(v["backup_created_at"], "2025-12-31T23:00:00.000Z");
}

/// `data_loss_s` is `outage_at − backup_created_at` in every `restore.csv` row (docs/outputs.md),
/// a warm copy's too: its row read the start as the backup's time (as backups.csv does) beside a
/// loss counted from the run before it, so a planner working the loss out from the row read
/// 30 s where 1 h 30 s were lost.
#[test]
fn a_restore_rows_data_loss_is_its_outage_minus_its_backups_time_warm_copies_included() {
    let outage = |at: &str| {
        format!("[[events]]\nat = \"{at}\"\naction = \"region_outage\"\nregion = \"us-east-1\"\nduration = \"1h\"\n")
    };
    // Warm, out at 30 s for an hour (the warm copy, of the run at -1 h; the run at 1 h is
    // skipped) and at 5 h 30 min (the copy of #6, taken at 5 h).
    let text = HOURLY.replace("WARM", "warm_start = true") + &outage("30s") + &outage("5h 30m");
    let r = run_text(&text);
    let parse = |t: &str| t.parse::<jiff::Timestamp>().expect("an RFC 3339 instant").as_millisecond();
    let rows = r.rows("restore.csv");
    assert_eq!(rows.len(), 2, "{rows:?}");
    for row in &rows {
        let loss_ms = parse(&row["outage_at"]) - parse(&row["backup_created_at"]);
        assert_eq!(format!("{}.{:03}", loss_ms / 1000, loss_ms % 1000), row["data_loss_s"], "{row:?}");
    }
    assert_eq!(
        rows.iter().map(|x| (x["restored_seq"].as_str(), x["data_loss_s"].as_str())).collect::<Vec<_>>(),
        [("1", "3630.000"), ("6", "1800.000")]
    );
}

#[test]
fn a_warm_volume_holds_no_more_backups_than_its_provider_allows() {
    // IBM: "You can also set the total number of backups to retain up to 750 per
    // first-generation volume." An hourly plan kept 365 days would hold 8,760 backups in the
    // steady state its retention alone reads; the volume holds 750 at most: the newest 750
    // runs, the oldest of them full, each a copy in us-east (its target kept as long).
    let hourly = CRON_PLAN.replace("CRON", "0 * * * *").replace("horizon = \"8d\"", "horizon = \"2h\"").replace(
        "copy_to = [{ region = \"us-east\" }]",
        "retention_days = 365\ncopy_to = [{ region = \"us-east\", retention_days = 365 }]",
    );
    let r = run_text(&hourly);
    let s = &r.report.summary;
    assert_eq!((s.backups.warm, s.copies.warm), (750, 750));
    let rows = r.rows("backups.csv");
    let seq1 = rows.iter().find(|b| b["backup_seq"] == "1" && b["region"] == "us-south").expect("#1");
    assert_eq!(seq1["kind"], "full");
    assert!(rows.iter().filter(|b| b["region"] == "us-south" && b["backup_seq"] != "1").all(|b| b["kind"] != "full"));
}
