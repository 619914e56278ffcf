//! The measurement window (`[report] measure_from`, `measure_to`): the summary's statistics
//! cover the window, the CSV rows stay complete. Worked out by hand.

use crate::support::run_text;

/// One 100 GiB EBS volume that never changes, backed up daily and copied to us-west-2, four
/// days, measured from day 2.
const DAILY: &str = r#"name = "window"
start = "2026-01-01T00:00:00Z"
horizon = "4d"
[cost]
[report]
rpo_resolution = "1h"
WINDOW
[[regions]]
name = "us-east-1"
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
size = "100GiB"
daily_change = "0%"
[[schedules]]
name = "daily"
volumes = ["v"]
every = "1d"
copy_to = [{ region = "us-west-2" }]
"#;

#[test]
fn the_summary_covers_the_window_and_the_rows_stay_complete() {
    let whole = run_text(&DAILY.replace("WINDOW", ""));
    let r = run_text(&DAILY.replace("WINDOW", "measure_from = \"2d\""));
    let s = &r.report.summary;
    let w = s.window.as_ref().expect("the summary names its window");
    assert_eq!((w.from.as_str(), w.to.as_str()), ("2026-01-03T00:00:00.000Z", "2026-01-05T00:00:00.000Z"));
    // Backups at days 0 … 4 (five); taken in [2d, 4d]: days 2, 3, 4 — all incremental (only #1,
    // at day 0, is full).
    assert_eq!((s.backups.taken, s.backups.full, s.backups.incremental), (3, 0, 3));
    assert_eq!(whole.report.summary.backups.taken, 5);
    // A backup that changed nothing is AVAILABLE a minute after it is taken, and its copy
    // requested then: #3 at 2d 1m, #4 at 3d 1m (#5 at 4d 1m is past the horizon).
    assert_eq!(s.copies.requested, 2);
    assert_eq!(s.copies.by_kind.get("incremental"), Some(&2));
    // RPO, hourly at 48 h … 96 h (49 samples): at 48 h the newest copy there is #2 (taken 24 h):
    // 24 h; then #3's copy lands at 48 h 1 m: 1 h … 24 h at 49 h … 72 h, and again 1 h … 24 h
    // at 73 h … 96 h. Sorted: 1, 1, 2, 2, … 24, 24, 24; the median (25th) is 13 h.
    let rpo = &s.rpo[0];
    assert_eq!((rpo.samples, rpo.p50_ms, rpo.max_ms), (49, 46_800_000, 86_400_000));
    // Cost: days starting in the window are days 2 and 3; each stores 100 GiB in each region
    // (nothing changes): 4 × 100 GiB-days = 4 × 100 × 24 h / 730 h × $0.05 = $0.657534. No
    // bytes moved in the window. Run-rate: those two days scaled to 730 h: 200 GiB × $0.05 = $10.
    let c = s.cost.as_ref().expect("costs");
    let storage = c.storage_nano_usd as f64 / 1e9;
    assert!((storage - 0.657_534).abs() < 0.000_003, "{storage}");
    assert_eq!(c.transfer_nano_usd, 0);
    let rate = c.monthly_run_rate_nano_usd as f64 / 1e9;
    assert!((rate - 10.0).abs() < 0.000_01, "{rate}");
    // The rows are the whole run's.
    assert_eq!(r.file("backups.csv"), whole.file("backups.csv"));
    assert_eq!(r.file("copies.csv"), whole.file("copies.csv"));
    assert_eq!(r.file("rpo.csv"), whole.file("rpo.csv"));
    assert_eq!(r.file("cost.csv"), whole.file("cost.csv"));
}

#[test]
fn a_window_that_ends_before_it_starts_is_a_validation_error() {
    let text = DAILY.replace("WINDOW", "measure_from = \"3d\"\nmeasure_to = \"1d\"");
    let e = copysim::scenario::parse(&text, "w.toml").expect_err("invalid").to_string();
    assert!(e.contains("measure_from") && e.contains("must end after it starts"), "{e}");
}
