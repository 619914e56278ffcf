//! A warm start lays down a volume's first schedule only: the retention of a second schedule, or
//! of a plan enabled during the run, starts empty, and the summary warns while the run-rate's
//! days come before it holds its steady state (docs/model.md "Warm start"). When that is is
//! counted from the schedule's own first run, not from the start.

use crate::support::run_text;

/// One FSx file system under an hourly schedule (laid down warm) and a daily one at 00:30 kept
/// 7 days at the source and in us-west-2 (left empty). 1000 GiB changing 2.4 %/day: 1 GiB/h.
const DAILY_AT_HALF_PAST: &str = r#"name = "fill-offset"
start = "2026-06-01T00:00:00Z"
horizon = "12d"
warm_start = true
[cost]
prices = [{ provider = "aws_fsx", storage_per_gb_month = 0.05 }]
WINDOW
[[regions]]
name = "us-east-1"
provider = "aws_fsx"
[[regions]]
name = "us-west-2"
provider = "aws_fsx"
[[accounts]]
name = "hpc"
[[volumes]]
name = "lustre"
account = "hpc"
region = "us-east-1"
size = "1000GiB"
daily_change = "2.4%"
[[schedules]]
name = "hourly"
volumes = ["lustre"]
every = "1h"
retention_count = 24
copy_to = [{ region = "us-west-2", retention_count = 24 }]
[[schedules]]
name = "daily"
volumes = ["lustre"]
every = "1d"
offset = "30m"
retention_days = 7
copy_to = [{ region = "us-west-2", retention_days = 7 }]
"#;

fn fill_warning(window: &str) -> Option<String> {
    let r = run_text(&DAILY_AT_HALF_PAST.replace("WINDOW", window));
    r.report.summary.warnings.iter().find(|w| w.contains("fills until")).cloned()
}

#[test]
fn a_warm_fill_is_counted_from_the_schedules_first_run_and_its_copies_from_their_completion() {
    // Worked by hand (storage = the image + 1 GiB/h x the span from the oldest to the newest
    // backup or copy held): the daily runs at d 00:30; kept 7 days, its steady state after a
    // run holds the runs of (T - 7 d, T], 7 backups. The source holds them from the 6 d 00:30
    // run on (runs 0 to 6): us-east-1 bills 1155.010417 GiB-day on day 6 and 1155.510417 from
    // day 7. A copy ages from its completion (run + 68 s), so the target's steady state holds
    // one more, (T - 7 d, T] by completion: 8 copies, first after the 7 d 00:30 copy lands
    // (00:31:08): us-west-2 bills 1178.989369 GiB-day on day 7 and 1179.489369 from day 8.
    // The warning said "(7 d)" and `measure_from = "7d"`, which bills day 7 below the steady
    // state; the fill is now the 7 d 00:30 run's, taken to the next whole hour for its copies.
    let w = fill_warning("").expect("a run-rate over the first 12 days is taken before the fill");
    assert!(w.contains("retention of daily starts empty") && w.contains("(7 d 1 h)"), "{w}");
    assert!(w.contains("measure_from = \"169h\""), "{w}");
    // Measured from then, the run-rate's days (8 to 11) are all after it: no warning.
    assert_eq!(fill_warning("[report]\nmeasure_from = \"169h\""), None);
    // From 7 d the run-rate bills day 7, below the steady state in us-west-2: still warned.
    assert!(fill_warning("[report]\nmeasure_from = \"7d\"").is_some());
}

/// IBM, one volume and a weekday plan at 02:00 kept 14 days (us-east: 5 copies), disabled at
/// the start and enabled by an action at 3 d (Thursday 2026-01-08 00:00).
const ENABLED_LATER: &str = r#"name = "fill-enabled-later"
start = "2026-01-05T00:00:00Z"
horizon = "28d"
warm_start = true
[cost]
prices = [{ provider = "ibm_vpc", storage_per_gb_month = 0.1, transfer_per_gb = 0.03 }]
[report]
measure_from = "15d"
measure_to = "22d"
[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[regions]]
name = "us-east"
provider = "ibm_vpc"
[[accounts]]
name = "shop"
[[volumes]]
name = "ledger"
account = "shop"
region = "us-south"
size = "1000GiB"
daily_change = "1%"
tags = ["backup:weekday"]
[[policies]]
name = "weekday"
account = "shop"
region = "us-south"
tags = ["backup:weekday"]
[[policies.plans]]
name = "night"
cron = "0 2 * * 1-5"
retention_days = 14
copy_to = [{ region = "us-east", retention_count = 5 }]
enabled = false
[[events]]
at = "3d"
action = "enable_plan"
policy = "weekday"
plan = "night"
"#;

#[test]
fn a_plan_enabled_during_a_warm_run_fills_from_its_first_run_after_the_action() {
    // First run Thursday 2026-01-08 02:00 (3 d 2 h), the run before it Wednesday 01-07 02:00.
    // Kept 14 days: the source holds its steady state (the runs of (T - 14 d, T]: Thursday 8
    // to Wednesday 21, 10 weekdays) from the Wednesday 2026-01-21 02:00 run, 16 d 2 h; us-south
    // bills 1119.166667 and 1129.166667 GiB-day on days 15 and 16 (the steady state's
    // Wednesday and Thursday: 1128.333333 and 1130). The window [15 d, 22 d] bills days 15 to
    // 21 for the run-rate: before the fill. The warning counted 14 days from the start (14 d)
    // and said nothing.
    let r = run_text(ENABLED_LATER);
    let w: Vec<&String> = r.report.summary.warnings.iter().filter(|w| w.contains("fills until")).collect();
    assert_eq!(w.len(), 1, "{:?}", r.report.summary.warnings);
    assert!(w[0].contains("retention of weekday/night starts empty") && w[0].contains("(16 d 2 h)"), "{}", w[0]);
    assert!(w[0].contains("measure_from = \"386h\""), "{}", w[0]);
    // From the fill on, the run-rate's days are steady: no warning.
    let later = run_text(&ENABLED_LATER.replace("measure_from = \"15d\"", "measure_from = \"386h\""));
    assert!(!later.report.summary.warnings.iter().any(|w| w.contains("fills until")));
}

/// IBM, one generation-2 volume (at most 512 backups: "Second-generation volumes have a backup
/// snapshot limit of 512"), 500 GiB changing 2.4 %/day: an hourly plan kept by count 400 (laid
/// down warm) and a six-hourly plan at :30 kept SIX (left empty), both copied to us-east.
const CEILING: &str = r#"name = "fill-ceiling"
start = "2026-02-02T00:00:00Z"
horizon = "30d"
warm_start = true
[cost]
prices = [{ provider = "ibm_vpc", storage_per_gb_month = 0.08, transfer_per_gb = 0.02 }]
[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[regions]]
name = "us-east"
provider = "ibm_vpc"
[[accounts]]
name = "shop"
[[volumes]]
name = "sdp-db"
account = "shop"
region = "us-south"
size = "500GiB"
daily_change = "2.4%"
generation = 2
tags = ["hourly", "six"]
[[policies]]
name = "frequent"
account = "shop"
region = "us-south"
tags = ["hourly"]
[[policies.plans]]
name = "hourly"
cron = "0 * * * *"
retention_count = HOURLY
copy_to = [{ region = "us-east", retention_count = 24 }]
[[policies]]
name = "sixhour"
account = "shop"
region = "us-south"
tags = ["six"]
[[policies.plans]]
name = "six"
cron = "30 */6 * * *"
SIX
copy_to = [{ region = "us-east", retention_count = 40 }]
"#;

fn ceiling(hourly: u32, six: &str) -> crate::support::Ran {
    run_text(&CEILING.replace("HOURLY", &hourly.to_string()).replace("SIX", six))
}

fn storage_gib_days(r: &crate::support::Ran, region: &str) -> Vec<f64> {
    let rows = r.rows("cost.csv");
    let of = |l: &&std::collections::BTreeMap<String, String>| l["region"] == region && l["category"] == "storage";
    rows.iter().filter(of).map(|l| l["quantity"].parse().unwrap()).collect()
}

#[test]
fn a_plan_the_backup_ceiling_stops_before_its_retention_fills_is_said_never_to_fill() {
    // "You can take a total of 512 backups per Gen 2 volumes. If you exceed the limit, no
    // further backups are taken." The hourly plan holds 400; the six-hourly, kept by count 200,
    // has room for 112: it takes them at 0.5 h, 6.5 h, ..., 666.5 h (27 d 18 h 30 min) and then
    // skips. Its count is never reached, so it deletes none: the volume stays at 512 backups and
    // the six-hourly at 112, and its first backup holds the chain (docs/model.md "Storage over
    // time"): us-south grows 12 GiB a day on. The warning said it "fills" at its 200th run
    // (49 d 18 h 30 min) and suggested measure_from = "71670m", which no run reaches steady.
    let r = ceiling(400, "retention_count = 200");
    let s = &r.report.summary;
    let six = &s.plans[1];
    assert_eq!((six.backups_taken, six.backups_kept, s.plans[0].backups_kept), (112, 112, 400));
    assert!(six.backups_skipped_ceiling > 0);
    let south = storage_gib_days(&r, "us-south");
    assert!(south[29] - south[28] > 11.9 && south[28] - south[27] > 11.9, "{south:?}");
    assert!(s.warnings.iter().all(|w| !w.contains("fills until it has run once")), "{:?}", s.warnings);
    let w: Vec<&String> = s.warnings.iter().filter(|w| w.contains("never fills")).collect();
    assert_eq!(w.len(), 1, "{:?}", s.warnings);
    for words in [
        "the retention of sixhour/six starts empty, and it never fills: volume sdp-db takes at most 512 backups",
        "its other schedules keep 400, which leaves sixhour/six room for 112, not the 200 its retention keeps",
        "it stops after 112 backups, the last at 27 d 18 h 30 min, and its retention deletes none of them",
        "the volume stays at its ceiling and sixhour/six at 112 backups",
        "no measure_from gives the monthly run-rate",
        "keep sixhour/six within the room (112 backups",
    ] {
        assert!(w[0].contains(words), "{words}: {}", w[0]);
    }
    assert!(!w[0].contains("measure_from = \""), "no window to suggest: {}", w[0]);

    // Kept 60 days: it stops at the same 112th backup, and takes again only as they age out
    // (from 60 d 0 h 30 min), a cycle: no steady month either.
    let r = ceiling(400, "retention_days = 60");
    let w = r.report.summary.warnings.iter().find(|w| w.contains("never fills")).expect("warned");
    assert!(w.contains("not the 240 its retention keeps") && w.contains("then none until its oldest reach"), "{w}");
    assert!(!w.contains("measure_from = \""), "{w}");

    // The hourly plan keeping 512 leaves no room: the six-hourly takes nothing.
    let r = ceiling(512, "retention_count = 200");
    assert_eq!(r.report.summary.plans[1].backups_taken, 0);
    let w = r.report.summary.warnings.iter().find(|w| w.contains("never fills")).expect("warned");
    assert!(w.contains("its other schedules keep 512, the whole ceiling: sixhour/six takes no backup of it"), "{w}");

    // Kept by count 100 (within the room): it fills at its 100th run, 24 d 18 h 30 min, as said.
    let r = ceiling(400, "retention_count = 100");
    assert_eq!(r.report.summary.plans[1].backups_skipped_ceiling, 0);
    let w = &r.report.summary.warnings;
    assert!(w.iter().all(|w| !w.contains("never fills")), "{w:?}");
    assert!(w.iter().any(|w| w.contains("starts empty and fills until it has run once (24 d 18 h 30 min)")), "{w:?}");
}
