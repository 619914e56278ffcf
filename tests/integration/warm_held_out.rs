//! Held-out planning scenarios with `warm_start` and a measurement window, worked out by hand
//! before copysim ran them (an outside check of the steady state; docs/model.md "Warm start",
//! docs/scenario.md "The measurement window"). Prices: the default price book unless set.

use crate::support::run_text;

const EBS_SIX_HOURLY: &str = r#"name = "s1-ebs"
seed = 7
start = "2026-03-02T00:00:00Z"
horizon = "10d"
warm_start = true

[cost]

[report]
rpo_resolution = "1h"
measure_from = "3d"
measure_to = "9d"

[[regions]]
name = "us-east-1"
provider = "aws_ebs"

[[regions]]
name = "us-west-2"
provider = "aws_ebs"

[[links]]
from = "us-east-1"
to = "us-west-2"
bandwidth = "100MiB/s"
copy_throughput_cap = "500MiB/s"

[[accounts]]
name = "prod"

[[volumes]]
name = "a"
account = "prod"
region = "us-east-1"
size = "500GiB"
daily_change = "4.8%"

[[volumes]]
name = "b"
account = "prod"
region = "us-east-1"
size = "500GiB"
daily_change = "4.8%"

[[schedules]]
name = "six"
volumes = ["a", "b"]
every = "6h"
retention_count = 8
copy_to = [{ region = "us-west-2", retention_days = 3 }]
"#;

#[test]
fn an_ebs_six_hourly_fleet_on_a_shared_link_measured_after_its_retention_is_at_its_steady_state() {
    // Two 500 GiB volumes changing 4.8 %/day, every 6 h: each backup 6 GiB (6,442,450,944 B).
    // Upload 60 s + 6 GiB / 200 MB/s = 92.212 s; both copies share the 100 MiB/s link (50 MiB/s
    // each): 6,144 MiB / 50 = 122.880 s, landing at run + 215.092 s.
    // Window [3 d, 9 d]: 25 runs (both ends included) -> 50 backups, 300 GiB; the copies of
    // the 24 runs before 9 d are requested in it -> 48, all incremental, 288 GiB, $0.02/GB: $5.76.
    // RPO: a sawtooth 215.092 s -> 6 h 215.092 s on both volumes: max 21,815.092 s, median
    // 3 h + 215.092 s, p95 0.95 x 6 h + 215.092 s; 12 volume-days measured.
    // Storage: us-east-1 keeps 8 (the full image + 7 x 6 GiB) = 542 GiB a volume, 1,084 GiB:
    // $0.05/GB-month x 24/730 a day, 6 days $10.691507. us-west-2 keeps copies under 3 days old
    // counted from their completion at each run: 12 copies after a run (the image + 11 changes),
    // 13 once the new one lands: 2 x (572 - 4 x 6 x 215.092 / 86,400) GiB a day, 6 days $11.282109.
    // Plan: each run deletes one backup and one copy per volume (25 runs: 50 and 50, the first
    // run of the window deleting the copy of the run 3 days and 6 h before, a warm one, as the
    // steady state would); at 9 d 8 backups and 12 copies a volume.
    // Run-rate: the 6 billed days' $27.733616 over 6 days, x 730/24: $140.59.
    let r = run_text(EBS_SIX_HOURLY);
    let s = &r.report.summary;
    assert_eq!((s.backups.taken, s.backups.full, s.backups.bytes), (50, 0, 50 * 6 * (1 << 30)));
    assert_eq!((s.copies.requested, s.copies.by_kind.get("incremental")), (48, Some(&48)));
    assert_eq!(s.copies.bytes_transferred, 48 * 6 * (1 << 30));
    let rpo = &s.rpo[0];
    assert_eq!(
        (rpo.measured_ms, rpo.p50_ms, rpo.p95_ms, rpo.max_ms),
        (12 * 86_400_000, 11_015_092, 20_735_092, 21_815_092)
    );
    let cost = s.cost.as_ref().expect("costs");
    assert_eq!(cost.transfer_nano_usd, 5_760_000_000);
    assert_eq!(cost.by_region["us-east-1"].storage_nano_usd, 10_691_506_848);
    assert_eq!(cost.by_region["us-west-2"].storage_nano_usd, 11_282_109_084);
    assert_eq!(cost.monthly_run_rate_nano_usd, 140_594_025_210);
    let p = &s.plans[0];
    assert_eq!(
        (p.runs, p.backups_deleted_count, p.copies_deleted_age, p.backups_kept, p.copies_kept),
        (25, 50, 50, 16, 24)
    );
}

const FSX_HALF_DAY: &str = r#"name = "s3-fsx"
seed = 11
start = "2026-06-01T00:00:00Z"
horizon = "9d"
warm_start = true

[cost]
prices = [{ provider = "aws_fsx", storage_per_gb_month = 0.05 }]

[report]
measure_from = "3d"
measure_to = "8d"

[[regions]]
name = "us-east-1"
provider = "aws_fsx"

[[regions]]
name = "eu-west-1"
provider = "aws_fsx"

[[links]]
from = "us-east-1"
to = "eu-west-1"
bandwidth = "800Mbps"

[[accounts]]
name = "hpc"

[[fleets]]
name = "lustre"
count = 6
account = "hpc"
region = "us-east-1"
size = "1000GiB"
daily_change = "2%"

[[schedules]]
name = "half-day"
volumes = ["lustre"]
every = "12h"
retention_count = 3
copy_to = [{ region = "eu-west-1", retention_days = 2 }]
"#;

#[test]
fn an_fsx_fleet_through_its_copy_quota_measured_after_its_retention_is_at_its_steady_state() {
    // Six 1,000 GiB file systems changing 2 %/day, every 12 h: 10 GiB a backup, uploaded in
    // 60 s + 53.687 s. FSx: 5 copies in progress per destination region and account; five share
    // the 100 MB/s link (20 MB/s each, 536.871 s, landing at run + 650.558 s), the sixth waits
    // 536.871 s and moves alone (107.374 s, landing at run + 757.932 s).
    // Window [3 d, 8 d]: 11 runs -> 66 backups; 10 runs' copies -> 60, all incremental
    // ("previous_copy_exists"), 600 GiB, $12.00; 10 waited 536.871 s (p95 and max), median 0.
    // RPO: p50 6 h + 668.454 s (the mean landing), p95 0.95 x 12 h + 668.454 s, max 12 h +
    // 757.932 s (rounded to the ms: 43,957.933 s); 30 volume-days.
    // Storage ($0.05/GB-month): us-east-1 keeps 3 = 1,020 GiB a volume, 6,120 GiB;
    // eu-west-1 keeps copies under 2 days old from completion: 4 after a run, 5 once the new
    // one lands, 6 x 1,040 - 20 x (5 x 650.558 + 757.932) / 86,400 = 6,239.071592 GiB a day.
    // 5 billed days: $113.581410; run-rate $22.716282 a day x 730/24 = $690.95.
    let r = run_text(FSX_HALF_DAY);
    let s = &r.report.summary;
    assert_eq!((s.backups.taken, s.copies.requested, s.copies.by_kind.get("incremental")), (66, 60, Some(&60)));
    assert_eq!(s.copies.bytes_transferred, 600 << 30);
    let q = &s.queue_wait;
    assert_eq!((q.waited, q.p50_ms, q.p95_ms, q.max_ms), (10, 0, 536_871, 536_871));
    let rpo = &s.rpo[0];
    assert_eq!(
        (rpo.measured_ms, rpo.p50_ms, rpo.p95_ms, rpo.max_ms),
        (30 * 86_400_000, 22_268_454, 41_708_454, 43_957_933)
    );
    let cost = s.cost.as_ref().expect("costs");
    assert_eq!((cost.total_nano_usd, cost.transfer_nano_usd), (113_581_410_345, 12_000_000_000));
    assert_eq!(cost.monthly_run_rate_nano_usd, 690_953_579_598);
    let p = &s.plans[0];
    assert_eq!((p.runs, p.backups_kept, p.copies_kept, p.copies_deleted_age), (11, 18, 24, 66));
}
