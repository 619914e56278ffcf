//! A warm start respects IBM's per-volume backup ceiling: "You can take a total of 512 backups
//! per Gen 2 volumes. If you exceed the limit, no further backups are taken." A steady state
//! never holds more. Worked out by hand.

use crate::support::run_text;

/// One 10 GB generation-2 IBM volume, an hourly plan kept 30 days at home and 40 in `r1`.
const HOURLY_30_DAYS: &str = r#"name = "warm-ceiling"
start = "2026-01-01T00:00:00Z"
horizon = "2h"
warm_start = true
[[regions]]
name = "r0"
provider = "ibm_vpc"
[[regions]]
name = "r1"
provider = "ibm_vpc"
[[accounts]]
name = "a"
[[volumes]]
name = "v"
account = "a"
region = "r0"
tags = ["t"]
size = "10GB"
generation = 2
[[policies]]
name = "p"
account = "a"
region = "r0"
tags = ["t"]
[[policies.plans]]
name = "plan"
cron = "0 * * * *"
retention_days = 30
copy_to = [{ region = "r1", retention_days = 40 }]
"#;

#[test]
fn a_warm_volume_holds_no_more_backups_than_its_ceiling() {
    // Retention alone would keep 720 backups (30 days of hours) and 961 copies (40 days, and
    // the one a moment younger than 40 days): 961 backups were laid down, 719 still there after
    // the first run's deletions, far over 512, so every run of the two hours skipped the
    // volume. A volume holds at most 512: the newest 512 runs (-512 h … -1 h), each copied.
    // None is 30 days old before -720 h: the runs at 0, 1 and 2 h find 512 and skip (the
    // steady state's cycle: 512 taken, then none until the oldest ages out).
    let r = run_text(HOURLY_30_DAYS);
    let rows = r.rows("backups.csv");
    let source = rows.iter().filter(|b| b["origin"] == "source").count();
    let copies = rows.iter().filter(|b| b["origin"] == "copy").count();
    assert_eq!((source, copies), (512, 512));
    let s = &r.report.summary;
    assert_eq!(s.backups.warm, 512);
    let p = &s.plans[0];
    assert_eq!((p.backups_kept, p.backups_skipped_ceiling), (512, 3));
}

#[test]
fn a_warm_volume_within_its_ceiling_by_retention_lays_down_every_run_its_targets_keep() {
    // Kept 24 at home, the volume holds 24 backups in the steady state, far under 512: no run
    // is ever skipped for the ceiling, and each is copied to `r1`, which keeps 30 days (720
    // runs, and the one a moment younger than 30 days). The ceiling cut the fill to 512 runs all
    // the same, so `r1` started with 512 copies where it holds 721. Now 721 runs are laid down,
    // 697 deleted at the start by the count (24 left, within the ceiling), 721 copies in `r1`,
    // and no run of the two hours skipped.
    let text = HOURLY_30_DAYS
        .replace("retention_days = 30\n", "retention_count = 24\n")
        .replace("retention_days = 40 }", "retention_days = 30 }");
    let r = run_text(&text);
    let s = &r.report.summary;
    assert_eq!((s.backups.warm, s.copies.warm), (721, 721));
    let rows = r.rows("backups.csv");
    let home = rows.iter().filter(|b| b["origin"] == "source" && b["deleted_at"].is_empty()).count();
    assert_eq!(home, 24);
    let p = &s.plans[0];
    assert_eq!(p.backups_skipped_ceiling, 0);
}
