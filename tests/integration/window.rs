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
    // RPO over the window, 48 h … 96 h: at 48 h the newest copy there is #2 (taken 24 h): 24 h,
    // rising to 24 h 1 min when #3's copy lands at 48 h 1 min; then 1 min → 24 h 1 min until #4's
    // lands at 72 h 1 min, and 1 min → 24 h at 96 h. Time below x (1 min ≤ x ≤ 24 h): 2 (x − 1 min);
    // the median is 12 h 1 min, the worst 24 h 1 min.
    let rpo = &s.rpo[0];
    assert_eq!((rpo.measured_ms, rpo.p50_ms, rpo.max_ms), (48 * 3_600_000, 43_260_000, 86_460_000));
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

#[test]
fn plans_quotas_and_links_count_in_the_window_and_their_peaks_restart_at_its_opening() {
    // The same volume, measured from 10 minutes. Backup #1 (100 GiB, full) uploads at 200 MB/s
    // and is AVAILABLE at 0d 9m 56.87s; its copy, the run's only transfer with bytes, moves
    // 100 GiB at the default per-copy cap of 500 MiB/s, 204.8 s, and ends at 0d 13m 21.67s: it
    // is on the link when the window opens, so the link's peak restarts from it (one transfer at
    // 500 MiB/s) and its end and bytes count in the window. The copies of #2, #3 and #4 (1d 1m,
    // 2d 1m, 3d 1m) move 0 bytes: transfers too, that pass the link at once.
    let r = run_text(&DAILY.replace("WINDOW", "measure_from = \"10m\""));
    let s = &r.report.summary;
    let link = &s.links[0];
    assert_eq!(
        (link.transfers, link.bytes_carried, link.active_peak, link.rate_sum_peak_bytes_per_s),
        (4, 100 << 30, 1, 500 << 20)
    );
    // Runs at days 1, 2, 3, 4 (not day 0); the plan counts what it did in the window.
    let p = &s.plans[0];
    assert_eq!((p.runs, p.backups_taken), (4, s.backups.taken));
    assert_eq!(p.backups_taken, 4);
    // What a plan keeps is counted at the window's end (the horizon): backups #1 … #5, whenever taken.
    assert_eq!(p.backups_kept, 5);
    // The quota: one copy at a time (each zero-byte copy holds its slot for an instant), none waited.
    let q = &s.quotas[0];
    assert_eq!((q.in_flight_peak, q.waits, q.queue_peak), (1, 0, 0));

    // Measured from day 2: nothing is on the link when the window opens, and the two copies
    // after it (#3, #4) move zero bytes: two transfers of nothing, never active at a rate.
    let r = run_text(&DAILY.replace("WINDOW", "measure_from = \"2d\""));
    let link = &r.report.summary.links[0];
    assert_eq!((link.transfers, link.bytes_carried, link.active_peak, link.rate_sum_peak_bytes_per_s), (2, 0, 0, 0));
    assert_eq!((r.report.summary.plans[0].runs, r.report.summary.quotas[0].in_flight_peak), (3, 1));

    // From 10 minutes to day 1, both included: the day-1 run only. Kept at day 1: #1 and #2. The copy of #1 was requested before the window
    // and that of #2 after it (day 1, 1 minute): no copy is counted as requested, but the copy
    // of #1 is AVAILABLE at day 1 and counts as kept (whenever requested, like the backups).
    let r = run_text(&DAILY.replace("WINDOW", "measure_from = \"10m\"\nmeasure_to = \"1d\""));
    let p = &r.report.summary.plans[0];
    assert_eq!((p.runs, p.backups_taken, p.backups_kept, p.copies_requested, p.copies_kept), (1, 1, 2, 0, 1));
    assert_eq!(r.report.summary.links[0].transfers, 1, "the transfer in flight at 10 minutes ended in the window");
    // The whole run, for contrast: five runs, four transfers (#5's copy is past the horizon).
    let whole = run_text(&DAILY.replace("WINDOW", ""));
    let (p, link) = (&whole.report.summary.plans[0], &whole.report.summary.links[0]);
    assert_eq!((p.runs, p.backups_taken, link.transfers), (5, 5, 4));
}

#[test]
fn the_terminal_summary_says_which_window_its_figures_cover() {
    let d = crate::support::scratch("window", "terminal");
    std::fs::write(d.join("w.toml"), DAILY.replace("WINDOW", "measure_from = \"2d\"")).unwrap();
    let o = crate::support::copysim(&["run", "w.toml", "--out", "out"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains(
            "window    2026-01-03T00:00:00.000Z → 2026-01-05T00:00:00.000Z: the statistics below cover this \
             window; drills, storage and copy states at the end, and the CSV rows, the whole run; cost, the days \
             2026-01-03T00:00:00.000Z → 2026-01-05T00:00:00.000Z"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("backups   3 taken"), "{stdout}");
}

#[test]
fn the_summary_names_the_days_its_cost_bills_and_warns_when_the_window_holds_none() {
    // Cost bills the days that start in the window, each whole (docs/scenario.md). From 2 d 12 h
    // to 3 d 12 h that is day 3 alone, 2026-01-04 (the window's last half day and none of its
    // first): 100 GiB-days in each region, $0.164383562 each (rounded per day and region),
    // $0.328767124 over 24 h: a $10.000000021 month. The summary names those days beside the
    // window, which they do not match.
    // (DAILY keeps everything: the no-retention warning is not this test's.)
    let unbilled = |r: &crate::support::Ran| -> Vec<String> {
        r.report.summary.warnings.iter().filter(|w| w.contains("no day's start")).cloned().collect()
    };
    let r = run_text(&DAILY.replace("WINDOW", "measure_from = \"2d 12h\"\nmeasure_to = \"3d 12h\""));
    let s = &r.report.summary;
    let w = s.window.as_ref().expect("a window");
    assert_eq!(
        (w.from.as_str(), w.to.as_str(), w.cost_from.as_deref(), w.cost_to.as_deref()),
        (
            "2026-01-03T12:00:00.000Z",
            "2026-01-04T12:00:00.000Z",
            Some("2026-01-04T00:00:00.000Z"),
            Some("2026-01-05T00:00:00.000Z")
        )
    );
    let c = s.cost.as_ref().expect("costs");
    assert_eq!((c.storage_nano_usd, c.monthly_run_rate_nano_usd), (328_767_124, 10_000_000_021));
    // report.html's cost card names them too.
    let page = |r: &crate::support::Ran| {
        let summary = serde_json::to_value(&r.report.summary).expect("a summary");
        copysim::report::html::render(&summary, &[], &[])
    };
    assert!(page(&r).contains("over the days 2026-01-04T00:00:00.000Z → 2026-01-05T00:00:00.000Z"), "report.html");
    assert!(unbilled(&r).is_empty(), "{:?}", s.warnings);
    // From 2 d 06:00 to 18:00 no day starts: nothing is billed, and $0.00 a month is no free
    // month. The window names no billed day, and a warning says why the cost is 0 and which
    // measure_from bills the day the window is in.
    let r = run_text(&DAILY.replace("WINDOW", "measure_from = \"2d 6h\"\nmeasure_to = \"2d 18h\""));
    let s = &r.report.summary;
    let w = s.window.as_ref().expect("a window");
    assert_eq!((w.cost_from.as_deref(), w.cost_to.as_deref()), (None, None));
    let c = s.cost.as_ref().expect("costs");
    assert_eq!((c.total_nano_usd, c.monthly_run_rate_nano_usd), (0, 0));
    assert!(page(&r).contains("over no day (none starts in the window)"), "report.html");
    assert_eq!(
        s.warnings,
        [
            "the measurement window holds no day's start, and cost bills the days that start in it, each whole: its cost \
          and monthly run-rate are 0 for want of a billed day, not because the window costs nothing; to price it, let \
          the window hold a day's start, e.g. [report] measure_from = \"2d\" (day 2, billed whole)"
        ]
    );
    // Measured from "2d" as advised: day 2 is billed, and the warning is gone.
    let r = run_text(&DAILY.replace("WINDOW", "measure_from = \"2d\"\nmeasure_to = \"2d 18h\""));
    let w = r.report.summary.window.as_ref().expect("a window");
    assert_eq!(w.cost_from.as_deref(), Some("2026-01-03T00:00:00.000Z"));
    assert!(unbilled(&r).is_empty(), "{:?}", r.report.summary.warnings);
    // Without [cost] there is nothing billed to name, and nothing to warn about.
    let r =
        run_text(&DAILY.replace("WINDOW", "measure_from = \"2d 6h\"\nmeasure_to = \"2d 18h\"").replace("[cost]\n", ""));
    let w = r.report.summary.window.as_ref().expect("a window");
    assert_eq!((w.cost_from.as_deref(), unbilled(&r).len()), (None, 0));
}

#[test]
fn a_quota_first_used_after_the_window_is_listed_with_nothing_in_it() {
    // Measured over the first five minutes: the first copy is requested at 0d 9m 56.87s, after
    // the window, so its quota gate is made after the window closed; it is listed, with zeros.
    let r = run_text(&DAILY.replace("WINDOW", "measure_to = \"5m\""));
    let s = &r.report.summary;
    assert_eq!(s.quotas.len(), 1, "{:?}", s.quotas);
    let q = &s.quotas[0];
    assert_eq!((q.scope.as_str(), q.in_flight_peak, q.waits, q.queue_peak), ("aws_ebs:a/dest=us-west-2", 0, 0, 0));
    let link = &s.links[0];
    assert_eq!((link.transfers, link.bytes_carried, link.active_peak), (0, 0, 0));
    assert_eq!((s.plans[0].runs, s.plans[0].backups_taken, s.backups.taken), (1, 1, 1));
}

#[test]
fn a_run_rate_over_the_first_days_of_a_cold_start_is_flagged() {
    // Four days, no window: the run-rate's days are 0..4, which hold the volume's first (full)
    // backup and copy, scaled to a month as if they recurred. From day 2 the rate's days are 2..4,
    // past them; warm_start begins with the chain already there. Neither is flagged.
    let warned =
        |r: &crate::support::Ran| r.report.summary.warnings.iter().any(|w| w.contains("overstates a steady month"));
    assert!(warned(&run_text(&DAILY.replace("WINDOW", ""))));
    assert!(!warned(&run_text(&DAILY.replace("WINDOW", "measure_from = \"2d\""))));
    assert!(!warned(&run_text(
        &DAILY.replace("WINDOW", "").replace("horizon = \"4d\"", "horizon = \"4d\"\nwarm_start = true")
    )));
}
