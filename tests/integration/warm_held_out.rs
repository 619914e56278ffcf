//! Held-out planning scenarios with `warm_start` and a measurement window, worked out by hand
//! before copysim ran them (an outside check of the steady state; docs/model.md "Warm start",
//! docs/scenario.md "The measurement window"). Prices: the default price book unless set.

use std::collections::BTreeMap;

use crate::support::{Ran, run_text};

/// Per region, what a warm start laid down and still held once t = 0's events were done:
/// `(backups, full copies, incremental copies)`. A warm backup's row reads `available_at` = the
/// start (a scheduled one uploads for a minute at least); those deleted at the start are not
/// counted: by the warm start (laid down for a target keeping more), or by a run at 0 h (a
/// count deletes the oldest as the run takes its own).
fn held_at_start(r: &Ran) -> BTreeMap<String, (usize, usize, usize)> {
    let start = r.report.summary.start.as_str();
    let mut held: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for b in r.rows("backups.csv") {
        if b["origin"] == "source" && b["available_at"] == start && b["deleted_at"] != start {
            held.entry(b["region"].clone()).or_default().0 += 1;
        }
    }
    for c in r.copies().into_iter().filter(|c| c["trigger"] == "warm") {
        let e = held.entry(c["dest_region"].clone()).or_default();
        match c["kind"].as_str() {
            "full" => e.1 += 1,
            "incremental" => e.2 += 1,
            k => panic!("a warm copy of kind {k:?}"),
        }
    }
    held
}

/// `cost.csv`'s storage on day `day` per region, in GiB-days as written (six decimals).
fn storage_gib_days(r: &Ran, day: u64) -> BTreeMap<String, String> {
    r.rows("cost.csv")
        .into_iter()
        .filter(|l| l["day"] == day.to_string() && l["category"] == "storage")
        .map(|l| (l["region"].clone(), l["quantity"].clone()))
        .collect()
}

/// `[(region, value)]` as a map, to compare with the helpers' results.
fn by_region<T, const N: usize>(v: [(&str, T); N]) -> BTreeMap<String, T> {
    v.into_iter().map(|(k, x)| (k.to_string(), x)).collect()
}

/// A summary percentile against its hand value, in ms: within 0.1 % (docs/model.md "RPO": "a
/// percentile is within 0.1 %").
fn assert_within_0_1_percent(what: &str, got_ms: u64, hand_ms: f64) {
    assert!((got_ms as f64 - hand_ms).abs() <= hand_ms / 1000.0, "{what}: {got_ms} ms, by hand {hand_ms} ms");
}

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

const EBS_CRON: &str = r#"name = "h1-ebs-cron"
seed = 11
start = "2026-04-01T00:00:00Z"
horizon = "30d"
warm_start = true

[cost]

[report]
measure_from = "10d"
measure_to = "24d"

[[regions]]
name = "us-east-1"
provider = "aws_ebs"

[[regions]]
name = "us-west-2"
provider = "aws_ebs"

[[regions]]
name = "eu-west-1"
provider = "aws_ebs"

[[accounts]]
name = "prod"

[[fleets]]
name = "db"
count = 3
account = "prod"
region = "us-east-1"
size = "1000GiB"
daily_change = "2%"
tags = ["dr:nightly"]

[[policies]]
name = "nightly"
account = "prod"
region = "us-east-1"
tags = ["dr:nightly"]

[[policies.plans]]
name = "2am"
cron = "0 2 * * *"
retention_count = 7
copy_to = [{ region = "us-west-2", retention_count = 14 }, { region = "eu-west-1", retention_days = 3 }]
"#;

#[test]
fn an_ebs_cron_fleet_kept_by_count_starts_at_its_hand_worked_steady_state() {
    // Three 1,000 GiB volumes changing 2 %/day, cron 02:00: each backup 20 GiB (21,474,836,480
    // B). Upload 60 s + 21,474,836,480 B / 200 MB/s = 167.374 s; three copies on each default
    // link (2,000 MiB/s, 500 MiB/s a copy): 20,480 MiB / 500 MiB/s = 40.960 s: landing at run +
    // 208.334 s.
    // t = 0: the last match is 31 Mar 02:00 (-22 h). us-east-1 keeps 7 by count; us-west-2 keeps
    // 14 (longer): 14 runs laid down a volume (42 warm backups), the 7 oldest deleted at the
    // start: 21 held. us-west-2 holds 14 copies a volume (the oldest full), eu-west-1 (3 days
    // from completion, 1 ms after the run: the copy of -3 d 22 h is 3 d - 1 ms old at -22 h) 4:
    // 3 x (14 + 4) = 54 warm copies.
    // Storage a volume: us-east-1 1,000 + 6 x 20 = 1,120 GiB, flat (the count deletes as the
    // run takes its backup); us-west-2 1,000 + 13 x 20 = 1,260, flat (deletes as a copy lands);
    // eu-west-1 1,060, but 1,040 from the run (the 4-day-old copy goes) to the landing:
    // 1,060 - 20 x 208.334 / 86,400 = 1,059.951775 GiB-day. Fleet, from day 0 on: 3,360,
    // 3,780, 3,179.855324; at 30 d (before its run) 3 x 1,120, 1,260, 1,060 GiB.
    // Window [10 d, 24 d]: 14 runs (days 10 to 23) -> 42 backups, 840 GiB; 84 copies, all
    // incremental (previous_copy_exists), 1,680 GiB. Deleted: 42 backups by count, 42 copies
    // by count (us-west-2), 42 by age (eu-west-1); kept at 24 d 21 backups and 54 copies.
    // RPO, both regions: teeth from 208.334 s to 1 d 208.334 s; the window opens and closes
    // 22 h into one: 14 whole teeth a volume, measured 3 x 14 d. p50 208.334 + 43,200 =
    // 43,408.334 s, p95 208.334 + 0.95 x 86,400 = 82,288.334 s, max 86,608.334 s.
    // Cost ($0.05/GiB-month x 24/730 a day, each day and region rounded to the nano-dollar):
    // us-east-1 $5.523287671 a day, 14 days $77.326027394; us-west-2 $6.213698630, $86.991780820;
    // eu-west-1 $5.227159436, $73.180232104; transfer 6 x 20 GiB x $0.02 = $2.40 a day, $33.60,
    // billed to us-east-1. Run-rate (days 17-23, all alike): $19.364145737 a day x 730/24 =
    // $588.992766167; us-east-1's ($7.923287671 a day) $240.999999992.
    let r = run_text(EBS_CRON);
    let s = &r.report.summary;
    assert_eq!((s.backups.warm, s.copies.warm), (42, 54));
    assert_eq!(
        held_at_start(&r),
        by_region([("us-east-1", (21, 0, 0)), ("us-west-2", (0, 3, 39)), ("eu-west-1", (0, 3, 9))])
    );
    let storage = [("us-east-1", "3360.000000"), ("us-west-2", "3780.000000"), ("eu-west-1", "3179.855324")];
    assert_eq!(storage_gib_days(&r, 0), by_region(storage.map(|(k, v)| (k, v.to_string()))));
    let gib = 1u64 << 30;
    assert_eq!((s.backups.taken, s.backups.full, s.backups.bytes), (42, 0, 42 * 20 * gib));
    assert_eq!((s.copies.requested, s.copies.by_kind.get("incremental")), (84, Some(&84)));
    assert_eq!(
        (s.copies.by_reason.get("previous_copy_exists"), s.copies.bytes_transferred),
        (Some(&84), 84 * 20 * gib)
    );
    for rpo in &s.rpo {
        assert_eq!((rpo.measured_ms, rpo.max_ms), (3 * 14 * 86_400_000, 86_608_334), "{}", rpo.region);
        assert_within_0_1_percent(&format!("{} p50", rpo.region), rpo.p50_ms, 43_408_334.0);
        assert_within_0_1_percent(&format!("{} p95", rpo.region), rpo.p95_ms, 82_288_334.0);
    }
    let cost = s.cost.as_ref().expect("costs");
    assert_eq!(cost.by_region["us-east-1"].storage_nano_usd, 77_326_027_394);
    assert_eq!(cost.by_region["us-west-2"].storage_nano_usd, 86_991_780_820);
    assert_eq!(cost.by_region["eu-west-1"].storage_nano_usd, 73_180_232_104);
    assert_eq!(cost.transfer_nano_usd, 33_600_000_000);
    assert_eq!(cost.monthly_run_rate_nano_usd, 588_992_766_167);
    assert_eq!(cost.by_region["us-east-1"].monthly_run_rate_nano_usd, 240_999_999_992);
    assert_eq!(
        cost.storage_bytes_at_end,
        by_region([("us-east-1", 3 * 1_120 * gib), ("us-west-2", 3 * 1_260 * gib), ("eu-west-1", 3 * 1_060 * gib)])
    );
    let p = &s.plans[0];
    assert_eq!(
        (p.runs, p.backups_deleted_count, p.copies_deleted_count, p.copies_deleted_age, p.backups_kept, p.copies_kept),
        (14, 42, 42, 42, 21, 54)
    );
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

const IBM_WEEKDAYS: &str = r#"name = "h2-ibm-weekdays"
seed = 12
start = "2026-01-05T00:00:00Z"
horizon = "28d"
warm_start = true

[cost]
prices = [{ provider = "ibm_vpc", storage_per_gb_month = 0.1, transfer_per_gb = 0.03 }]

[report]
rpo_target = "26h"
measure_from = "14d"

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
"#;

#[test]
fn an_ibm_weekday_plan_kept_by_age_starts_at_its_hand_worked_steady_state_and_its_weekend_is_above_target() {
    // One 1,000 GiB volume changing 1 %/day, backed up Mon-Fri at 02:00: Tue-Fri 10 GiB, Monday
    // 30 GiB (three days). Upload 60 s + size / 200 MB/s, stable 600 s later, then copied at the
    // 66,666,667 B/s cap: 10 GiB lands at run + 60 + 53.687 + 600 + 161.062 = 874.749 s, 30 GiB
    // at run + 60 + 161.061 + 600 + 483.184 = 1,304.245 s.
    // t = 0 (Mon 5 Jan): the last match is Fri 2 Jan 02:00 (-70 h). us-south keeps 14 days: the
    // 10 weekdays of (19 Dec, 2 Jan], 22 Dec to 2 Jan, 11 days of change: 1,110 GiB; us-east
    // keeps 5 (shorter): 29 Dec to 2 Jan, 1,040 GiB; the oldest copy full. RPO at 0: 70 h.
    // A week at us-south: 1,110 from Friday's run to Monday's; Monday's deletes the Monday two
    // weeks back only (Tue..Mon: 13 days, 1,130) to Friday's: 3 x 1,110 + 4 x 1,130 = 7,850
    // GiB-days. Day 0, a Monday: (2 x 1,110 + 22 x 1,130) / 24 = 1,128.333333.
    // At us-east the count deletes as a copy lands: 1,040 from Friday's landing to Monday's,
    // 1,060 else: a week 7 x 1,060 - 20 x (3 d + 1,304.245 - 874.749 s) / 1 d = 7,359.900580;
    // day 0: 1,060 - 20 x (7,200 + 1,304.245) / 86,400 = 1,058.031425. At 28 d (a Monday, before
    // its run): 1,110 and 1,040 GiB.
    // Window [14 d, 28 d], two whole weeks: 10 runs, 10 backups of 8 x 10 + 2 x 30 = 140 GiB;
    // 10 copies, incremental (predecessor_stable), 140 GiB x $0.03 = $4.20. Deleted: 10 backups
    // by age, 10 copies by count; kept 10 and 5.
    // RPO, teeth a week: Mon->Tue from 1,304.245 s to 1 d 874.749 s = 87,274.749 s, three from
    // 874.749 s to 87,274.749 s, Fri->Mon from 874.749 s to 3 d 1,304.245 s = 260,504.245 s; the
    // window opens and closes 70 h into the weekend tooth. All five are below 87,274.749 s:
    // 5v - 4 x 874.749 - 1,304.245 = 302,400 (half of 604,800 s) -> p50 61,440.648 s; above it
    // the weekend tooth alone: p95 260,504.245 - 0.05 x 604,800 = 230,264.245 s; max 260,504.245
    // s; above 26 h (93,600 s): 166,904.245 / 604,800 = 275,966 ppm.
    // Cost ($0.10/GiB-month x 24/730 a day, rounded per day and region): us-south 2 x 7,850 ->
    // $51.616438354, us-east 2 x 7,359.900580 -> $48.393866826, storage $100.010305180. Run-rate
    // (days 21-27, one week): ($25.808219177 + $24.196933413 + $2.10) x 730/168 = $226.409293992.
    let r = run_text(IBM_WEEKDAYS);
    let s = &r.report.summary;
    assert_eq!((s.backups.warm, s.copies.warm), (10, 5));
    assert_eq!(held_at_start(&r), by_region([("us-south", (10, 0, 0)), ("us-east", (0, 1, 4))]));
    assert_eq!(
        storage_gib_days(&r, 0),
        by_region([("us-south", "1128.333333".to_string()), ("us-east", "1058.031425".to_string())])
    );
    let gib = 1u64 << 30;
    assert_eq!((s.backups.taken, s.backups.full, s.backups.bytes), (10, 0, 140 * gib));
    assert_eq!((s.copies.requested, s.copies.by_reason.get("predecessor_stable")), (10, Some(&10)));
    assert_eq!((s.copies.by_kind.get("incremental"), s.copies.bytes_transferred), (Some(&10), 140 * gib));
    let rpo = &s.rpo[0];
    assert_eq!((rpo.measured_ms, rpo.max_ms, rpo.above_target_ppm), (14 * 86_400_000, 260_504_245, Some(275_966)));
    assert_within_0_1_percent("p50", rpo.p50_ms, 61_440_648.2);
    assert_within_0_1_percent("p95", rpo.p95_ms, 230_264_245.0);
    let cost = s.cost.as_ref().expect("costs");
    assert_eq!(cost.by_region["us-south"].storage_nano_usd, 51_616_438_354);
    assert_eq!(cost.by_region["us-east"].storage_nano_usd, 48_393_866_826);
    assert_eq!(cost.transfer_nano_usd, 4_200_000_000);
    assert_eq!(cost.monthly_run_rate_nano_usd, 226_409_293_992);
    assert_eq!(cost.storage_bytes_at_end, by_region([("us-south", 1_110 * gib), ("us-east", 1_040 * gib)]));
    let p = &s.plans[0];
    assert_eq!(
        (p.runs, p.backups_deleted_age, p.copies_deleted_count, p.backups_kept, p.copies_kept),
        (10, 10, 10, 10, 5)
    );
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

const IBM_CEILING_TWO_PLANS: &str = r#"name = "h3-ibm-ceiling"
seed = 13
start = "2026-02-02T00:00:00Z"
horizon = "30d"
warm_start = true

[cost]
prices = [{ provider = "ibm_vpc", storage_per_gb_month = 0.08, transfer_per_gb = 0.02 }]

[report]
measure_from = "25d"
measure_to = "29d"

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
retention_count = 400
copy_to = [{ region = "us-east", retention_count = 24 }]

[[policies]]
name = "sixhour"
account = "shop"
region = "us-south"
tags = ["six"]

[[policies.plans]]
name = "six"
cron = "30 */6 * * *"
retention_count = 200
copy_to = [{ region = "us-east", retention_count = 40 }]
"#;

#[test]
fn an_ibm_generation_2_volume_overfilled_by_two_plans_stops_the_second_at_its_ceiling_as_worked_by_hand() {
    // One generation-2 volume (a ceiling of 512 backups), 500 GiB changing 2.4 %/day = 0.5 GiB/h.
    // Hourly at :00 kept 400, its copies 24; six-hourly at :30 kept 200, its copies 40. The warm
    // start lays down the first plan's steady state: 400 hourly backups (-400 h..-1 h; the 0 h
    // run deletes the oldest as it takes its own: 399 left) and 24 copies in us-east (-24 h..
    // -1 h, the oldest full); the six-hourly starts empty.
    // With 400 hourly backups always there, the six-hourly takes while 400 + k < 512: k = 0..111,
    // 0.5 h to 666.5 h, then the ceiling skips it. Its count (200) is never reached, so its 0.5 h
    // backup is the chain's oldest from 399.5 h on.
    // A backup holds the change since the one before: 0.25 GiB at :30 and at the :00 after one,
    // 0.5 GiB else. Landing (upload 60 s + size / 200 MB/s, stable 600 s later, copied at the
    // 66,666,667 B/s cap): 0.5 GiB at run + 60 + 2.684 + 600 + 8.054 = 670.738 s (lh), 0.25 GiB
    // at run + 60 + 1.342 + 600 + 4.027 = 665.369 s (l6): before the next run, so every copy is
    // incremental (predecessor_stable).
    // Day 0: us-south 500 + 0.5 x 399 h = 699.5 GiB (each hourly run deletes the oldest), 0.25
    // more for the half hour after each of the four :30 backups: 699.5 + 4 x 0.25 x 0.5 / 24 =
    // 699.520833 GiB-days; us-east (24 hourly copies) 500 + 0.5 x 23 = 511.5, 0.25 more from
    // each :30 landing to the next (half an hour): 511.520833.
    // Window [600 h, 696 h]: 97 hourly runs (both ends); 16 six-hourly, 600.5..666.5 h taken (12),
    // 4 skipped. 109 backups: 12 x 0.25 (:30) + 12 x 0.25 (the :00 after one) + 85 x 0.5 = 48.5
    // GiB; 108 copies (696 h's is asked for after 29 d), 48 GiB x $0.02 = $0.96. Kept at 29 d:
    // 400 hourly + 112 six-hourly backups, 24 + 40 copies; deleted by count 97 hourly backups,
    // 96 hourly and 12 six-hourly copies.
    // us-south on day d, hour h = 24d..24d + 23: 500 + 0.5 x (h - 0.5) on average, plus 0.25 GiB
    // for half an hour after each :30 taken: 505.5 + 12d + 4/192 = 805.520833, 817.520833,
    // 829.520833 (days 25-27), then 505.5 + 12 x 28 = 841.5 (day 28, no :30 taken).
    // us-east: 500 + 0.5 x (newest landed run - the oldest of the 40 six-hourly copies kept).
    // From the landing of a :30 run x to the next: oldest x - 234 h; newest x for 0.5 h, x + 0.5
    // for 1 h + dl (dl = lh - l6 = 5.369 s), x + 1.5..x + 4.5 an hour each, x + 5.5 for 0.5 h -
    // dl: 0.5 x 234 + (1 + dl) x 234.5 + 235.5 + 236.5 + 237.5 + 238.5 + (0.5 - dl) x 239.5 =
    // 1,419.25 - 5 dl h^2 in 6 h: 500 + 0.5 x 236.540424 = 618.270212 GiB-days (days 25-27).
    // Day 28 (oldest 432.5 h for good): newest 683.5 h - lh on average, 500 + 0.5 x
    // (251 - 0.186316) = 625.406842. At 30 d: us-south 500 + 0.5 x (720 - 0.5) = 859.75 GiB,
    // us-east 500 + 0.5 x (719 - 432.5) = 643.25 GiB.
    // Cost ($0.08/GiB-month x 24/730 a day, rounded per day and region): us-south $8.663835617,
    // us-east $6.523311722; run-rate (4 days) ($15.187147339 + $0.96) x 730/96 = $122.785599556.
    // RPO: of the 96 hour slots, 72 are whole hourly teeth [lh, 1 h + lh] (the window's two ends
    // make one); each :30 taken turns two into [lh, 0.5 h + l6], [l6, 0.5 h + l6], [l6, 1 h + lh].
    // Below 0.5 h + l6: 108v - 84 lh - 24 l6 = 172,800 s (half) -> p50 2,269.545 s; above it 84
    // teeth end at 1 h + lh: p95 4,270.738 - 17,280 / 84 = 4,065.024 s; max 4,270.738 s.
    let r = run_text(IBM_CEILING_TWO_PLANS);
    let s = &r.report.summary;
    assert_eq!((s.backups.warm, s.copies.warm), (400, 24));
    assert_eq!(held_at_start(&r), by_region([("us-south", (399, 0, 0)), ("us-east", (0, 1, 23))]));
    assert_eq!(
        storage_gib_days(&r, 0),
        by_region([("us-south", "699.520833".to_string()), ("us-east", "511.520833".to_string())])
    );
    let half_gib = 1u64 << 29;
    assert_eq!((s.backups.taken, s.backups.full, s.backups.bytes), (109, 0, 97 * half_gib));
    assert_eq!((s.copies.requested, s.copies.by_reason.get("predecessor_stable")), (108, Some(&108)));
    assert_eq!((s.copies.by_kind.get("incremental"), s.copies.bytes_transferred), (Some(&108), 96 * half_gib));
    let rpo = &s.rpo[0];
    assert_eq!((rpo.measured_ms, rpo.max_ms), (96 * 3_600_000, 4_270_738));
    assert_within_0_1_percent("p50", rpo.p50_ms, 2_269_544.9);
    assert_within_0_1_percent("p95", rpo.p95_ms, 4_065_023.7);
    let days = [25, 26, 27, 28].map(|d| storage_gib_days(&r, d));
    assert_eq!(
        days.each_ref().map(|d| d["us-south"].as_str()),
        ["805.520833", "817.520833", "829.520833", "841.500000"]
    );
    assert_eq!(
        days.each_ref().map(|d| d["us-east"].as_str()),
        ["618.270212", "618.270212", "618.270212", "625.406842"]
    );
    let cost = s.cost.as_ref().expect("costs");
    assert_eq!(cost.by_region["us-south"].storage_nano_usd, 8_663_835_617);
    assert_eq!(cost.by_region["us-east"].storage_nano_usd, 6_523_311_722);
    assert_eq!(cost.transfer_nano_usd, 960_000_000);
    assert_eq!(cost.monthly_run_rate_nano_usd, 122_785_599_556);
    assert_eq!(
        cost.storage_bytes_at_end,
        by_region([("us-south", 3_439 * (half_gib / 2)), ("us-east", 2_573 * (half_gib / 2))])
    );
    let (h, six) = (&s.plans[0], &s.plans[1]);
    assert_eq!(
        (h.runs, h.backups_taken, h.backups_deleted_count, h.backups_kept, h.copies_deleted_count, h.copies_kept),
        (97, 97, 97, 400, 96, 24)
    );
    assert_eq!(
        (six.runs, six.backups_taken, six.backups_skipped_ceiling, six.backups_deleted_count, six.backups_kept),
        (16, 12, 4, 0, 112)
    );
    assert_eq!((six.copies_requested, six.copies_deleted_count, six.copies_kept), (12, 12, 40));
}

const OCI_QUEUE: &str = r#"name = "h4-oci-queue"
seed = 14
start = "2026-05-04T00:00:00Z"
horizon = "7d"
warm_start = true

[cost]
prices = [{ provider = "oci", storage_per_gb_month = 0.0255, transfer_per_gb = 0.0085 }]

[report]
measure_from = "3d"
measure_to = "6d"

[[regions]]
name = "uk-london-1"
code = "lhr"
provider = "oci"

[[regions]]
name = "eu-frankfurt-1"
code = "fra"
provider = "oci"

[[regions]]
name = "us-ashburn-1"
code = "iad"
provider = "oci"

[[links]]
from = "uk-london-1"
to = "eu-frankfurt-1"
bandwidth = "5MiB/s"

[[links]]
from = "uk-london-1"
to = "us-ashburn-1"
bandwidth = "5MiB/s"

[[accounts]]
name = "tenancy"

[[fleets]]
name = "web"
count = 10
account = "tenancy"
region = "uk-london-1"
size = "100GiB"
daily_change = "6%"

[[fleets]]
name = "db"
count = 5
account = "tenancy"
region = "uk-london-1"
size = "200GiB"
daily_change = "6%"

[[schedules]]
name = "four-hourly"
volumes = ["web", "db"]
every = "4h"
retention_count = 3
copy_to = [{ region = "eu-frankfurt-1", retention_count = 6 }, { region = "us-ashburn-1", retention_days = 2 }]
"#;

#[test]
fn an_oci_fleet_queued_behind_its_tenancy_quota_starts_at_its_hand_worked_steady_state_and_waits() {
    // 10 web volumes of 100 GiB and 5 db of 200 GiB changing 6 %/day, every 4 h: backups of 1 and
    // 2 GiB, uploaded in 60 + 5.368 = 65.368 s and 60 + 10.737 = 70.737 s. A run asks for 30
    // copies (15 volumes x 2 regions) in volume order; the tenancy moves 10 at a time, 5 on each
    // 5 MiB/s link at 1 MiB/s: web-1..5 from 65.368 s for 1,024 s, landing at 1,089.368 s;
    // web-6..10 wait 1,024 s, land at 2,113.368 s; db (asked for at 70.737 s: 20 queued) wait
    // 2,113.368 - 70.737 = 2,042.631 s and move 2 GiB in 2,048 s, landing at 4,161.368 s.
    // t = 0: the run before is -4 h. uk-london-1 keeps 3 by count; eu-frankfurt-1 6 by count;
    // us-ashburn-1 2 days from completion: the 13 runs -52 h..-4 h (-52 h's copy is 2 d - 1 ms
    // old at -4 h). 13 x 15 = 195 warm backups, 10 x 15 deleted at the start, 45 held (the 0 h
    // run deletes one more a volume as it takes its own: 30 left); (6 + 13) x 15 = 285 warm
    // copies, each volume's oldest in each region full.
    // Storage: London 10 x 102 + 5 x 204 = 2,040 GiB, flat; Frankfurt (deletes as a copy lands)
    // 10 x 105 + 5 x 210 = 2,100, flat; Ashburn 13 copies, 10 x 112 + 5 x 224 = 2,240, less the
    // newest (1 GiB a web, 2 a db) from each run (which deletes the 2-day-old copy) to its landing:
    // 2,240 - 6 x (5 x 1,089.368 + 5 x 2,113.368 + 5 x 2 x 4,161.368) / 86,400 = 2,235.998100
    // GiB-days, from day 0 on. At 7 d (its run taken, no copy landed): 2,040, 2,100, 2,220 GiB.
    // Window [3 d, 6 d]: 19 runs (72 h..144 h) -> 285 backups of 20 GiB a run, 380 GiB; copies of
    // 18 runs (144 h's are asked for after 6 d): 540, 720 GiB, incremental (matches_source),
    // x $0.0085 = $6.12. Waits: 180 each of 0, 1,024 and 2,042.631 s: 360 waited, p50 (the
    // 270th) 1,024 s, p95 (the 513th) = max 2,042.631 s, mean 1,022.210 s; the gate's peaks 10
    // in flight, 20 queued.
    // RPO, both regions: a volume's teeth run from its landing offset d to 4 h + d (d = 1,089.368,
    // 2,113.368 and 4,161.368 s, 5 volumes each); 18 whole teeth a volume (the window's ends make
    // one): measured 15 x 3 d. p50 where the three overlap: 7,200 + mean d = 9,654.701 s; p95:
    // above 16,513.368 s only db's teeth (4.7 % of the time), so (18,561.368 - v) + (16,513.368
    // - v) = 0.05 x 3 x 14,400 -> v = 16,457.368 s; max 18,561.368 s.
    // Cost ($0.0255/GiB-month x 24/730 a day, rounded per day and region): London $1.710246575,
    // Frankfurt $1.760547945, Ashburn $1.874562791 a day; 3 days $16.036071933 + $6.12 =
    // $22.156071933; run-rate x 730/72 = $224.637951542.
    // Plan: 285 backups deleted by count, 45 kept; 19 x 15 copies deleted by age (Ashburn, at
    // each run), 18 x 15 by count (Frankfurt, at each landing); kept at 6 d 6 x 15 + 12 x 15.
    let r = run_text(OCI_QUEUE);
    let s = &r.report.summary;
    assert_eq!((s.backups.warm, s.copies.warm), (195, 285));
    assert_eq!(
        held_at_start(&r),
        by_region([("uk-london-1", (30, 0, 0)), ("eu-frankfurt-1", (0, 15, 75)), ("us-ashburn-1", (0, 15, 180))])
    );
    let storage = [("uk-london-1", "2040.000000"), ("eu-frankfurt-1", "2100.000000"), ("us-ashburn-1", "2235.998100")];
    assert_eq!(storage_gib_days(&r, 0), by_region(storage.map(|(k, v)| (k, v.to_string()))));
    let gib = 1u64 << 30;
    assert_eq!((s.backups.taken, s.backups.full, s.backups.bytes), (285, 0, 380 * gib));
    assert_eq!((s.copies.requested, s.copies.by_reason.get("matches_source")), (540, Some(&540)));
    assert_eq!((s.copies.by_kind.get("incremental"), s.copies.bytes_transferred), (Some(&540), 720 * gib));
    let q = &s.queue_wait;
    assert_eq!(
        (q.started, q.waited, q.p50_ms, q.p95_ms, q.max_ms, q.mean_ms),
        (540, 360, 1_024_000, 2_042_631, 2_042_631, 1_022_210)
    );
    let gate = &s.quotas[0];
    assert_eq!((gate.limit, gate.in_flight_peak, gate.waits, gate.queue_peak), (10, 10, 360, 20));
    for rpo in &s.rpo {
        assert_eq!((rpo.measured_ms, rpo.max_ms), (15 * 3 * 86_400_000, 18_561_368), "{}", rpo.region);
        assert_within_0_1_percent(&format!("{} p50", rpo.region), rpo.p50_ms, 9_654_701.3);
        assert_within_0_1_percent(&format!("{} p95", rpo.region), rpo.p95_ms, 16_457_368.0);
    }
    let cost = s.cost.as_ref().expect("costs");
    assert_eq!(cost.by_region["uk-london-1"].storage_nano_usd, 3 * 1_710_246_575);
    assert_eq!(cost.by_region["eu-frankfurt-1"].storage_nano_usd, 3 * 1_760_547_945);
    assert_eq!(cost.by_region["us-ashburn-1"].storage_nano_usd, 3 * 1_874_562_791);
    assert_eq!((cost.transfer_nano_usd, cost.total_nano_usd), (6_120_000_000, 22_156_071_933));
    assert_eq!(cost.monthly_run_rate_nano_usd, 224_637_951_542);
    assert_eq!(
        cost.storage_bytes_at_end,
        by_region([("uk-london-1", 2_040 * gib), ("eu-frankfurt-1", 2_100 * gib), ("us-ashburn-1", 2_220 * gib)])
    );
    let p = &s.plans[0];
    assert_eq!((p.runs, p.backups_taken, p.backups_deleted_count, p.backups_kept), (19, 285, 285, 45));
    assert_eq!((p.copies_requested, p.copies_deleted_age, p.copies_deleted_count, p.copies_kept), (540, 285, 270, 270));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

const FSX_TWO_SCHEDULES: &str = r#"name = "h5-fsx-two-schedules"
seed = 15
start = "2026-06-01T00:00:00Z"
horizon = "12d"
warm_start = true

[cost]
prices = [{ provider = "aws_fsx", storage_per_gb_month = 0.05 }]

[report]
measure_from = "9d"

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

#[test]
fn an_fsx_second_schedule_fills_its_target_at_7_d_1_h_and_a_window_after_it_is_at_the_hand_worked_steady_state() {
    // One 1,000 GiB file system changing 2.4 %/day = 1 GiB/h under two schedules copying to
    // us-west-2: hourly at :00 kept 24 by count at both ends, daily at 00:30 kept 7 days at both.
    // A backup holds the change since the one before: 0.5 GiB at 00:30 and at the 01:00 after
    // it, 1 GiB else. Landing (upload 60 s + size / 200 MB/s, then 100 MB/s): 1 GiB at run +
    // 65.368 + 10.738 = 76.106 s (lh), 0.5 GiB at run + 62.684 + 5.369 = 68.053 s (ld).
    // t = 0: the warm start lays down the volume's first schedule: the 24 hourly runs
    // -24 h..-1 h at us-east-1 (the 0 h run deletes the oldest as it takes its own: 23 left) and
    // their copies at us-west-2 (the oldest full; the daily, copying to the same place, lays down
    // none); 1,023 GiB at each. Day 0: + 0.5 GiB for the half hour from 00:30
    // (at us-west-2, from its landing to the 01:00 copy's, as long): 1,023.010417 at both.
    // The daily starts empty: r1 = 00:30, r0 = -23.5 h. Its source holds 7 days from the first
    // run at or after r0 + 7 d = 6 d 00:30; its target, whose copies age from completion, from
    // the first run after it, 7 d 00:30, taken to the next whole hour: 7 d 1 h (169 h).
    // us-east-1 from day 7: before 00:30 the chain runs from (d - 7) 00:30 to d 00:00, 167.5 h;
    // the 00:30 run deletes that one: 144 h, then 143.5 + h from each hour h:
    // (0.5 x 167.5 + 0.5 x 144 + sum(h = 1..23) (143.5 + h)) / 24 = 155.510417: 1,155.510417.
    // us-west-2: the d 00:30 run keeps the (d - 7) copy (7 d - 68.053 s old), so the chain starts
    // a day earlier: 179.510417, less the newest copy's landing lag, (23 lh + ld) / 86,400 s =
    // 0.021047: 1,179.489369 from day 8. Day 7's first half hour still starts at the 0 d 00:30
    // copy: 0.5 GiB-day less, 1,178.989369 (a run-rate over day 7 understates).
    // Window [9 d, 12 d]: 73 hourly runs (both ends) and 3 daily: 76 backups, 70 x 1 + 6 x 0.5 =
    // 73 GiB; 75 copies (12 d's after it), 72 GiB, incremental (previous_copy_exists), x $0.02
    // = $1.44. Kept at 12 d: 24 hourly backups and copies; daily 7 backups (5 d..11 d) and 8
    // copies (4 d..11 d). Deleted: 73 hourly backups and 72 copies by count, 3 and 3 daily by age.
    // RPO: of the 72 hour slots, 66 are whole teeth [lh, 1 h + lh] (the ends make one); each
    // daily turns two into [lh, 0.5 h + ld], [ld, 0.5 h + ld], [ld, 1 h + lh]. Below 0.5 h + ld:
    // 75v - 69 lh - 6 ld = 129,600 s -> p50 1,803.462 s; above it 69 teeth end at 1 h + lh: p95
    // 3,676.106 - 12,960 / 69 = 3,488.280 s; max 3,676.106 s.
    // Cost ($0.05/GiB-month x 24/730 a day, rounded per day and region): us-east-1 $1.899469178,
    // us-west-2 $1.938886634 a day; 3 days + $1.44 = $12.955067436; run-rate x 730/72 =
    // $131.349989281. At 12 d (its hourly run taken, the daily not): us-east-1 from 5 d 00:30 to
    // 12 d 00:00, 1,167.5 GiB; us-west-2 from 4 d 00:30 to 11 d 23:00, 1,190.5 GiB.
    let r = run_text(FSX_TWO_SCHEDULES);
    let s = &r.report.summary;
    assert_eq!((s.backups.warm, s.copies.warm), (24, 24));
    assert_eq!(held_at_start(&r), by_region([("us-east-1", (23, 0, 0)), ("us-west-2", (0, 1, 23))]));
    for (day, east, west) in
        [(0, "1023.010417", "1023.010417"), (7, "1155.510417", "1178.989369"), (8, "1155.510417", "1179.489369")]
    {
        let want = by_region([("us-east-1", east.to_string()), ("us-west-2", west.to_string())]);
        assert_eq!(storage_gib_days(&r, day), want, "day {day}");
    }
    let gib = 1u64 << 30;
    assert_eq!((s.backups.taken, s.backups.full, s.backups.bytes), (76, 0, 73 * gib));
    assert_eq!((s.copies.requested, s.copies.by_reason.get("previous_copy_exists")), (75, Some(&75)));
    assert_eq!((s.copies.by_kind.get("incremental"), s.copies.bytes_transferred), (Some(&75), 72 * gib));
    let rpo = &s.rpo[0];
    assert_eq!((rpo.measured_ms, rpo.max_ms), (3 * 86_400_000, 3_676_106));
    assert_within_0_1_percent("p50", rpo.p50_ms, 1_803_461.8);
    assert_within_0_1_percent("p95", rpo.p95_ms, 3_488_279.9);
    let cost = s.cost.as_ref().expect("costs");
    assert_eq!(cost.by_region["us-east-1"].storage_nano_usd, 3 * 1_899_469_178);
    assert_eq!(cost.by_region["us-west-2"].storage_nano_usd, 3 * 1_938_886_634);
    assert_eq!((cost.transfer_nano_usd, cost.total_nano_usd), (1_440_000_000, 12_955_067_436));
    assert_eq!(cost.monthly_run_rate_nano_usd, 131_349_989_281);
    let at_end = by_region([("us-east-1", 2_335 * (gib / 2)), ("us-west-2", 2_381 * (gib / 2))]);
    assert_eq!(cost.storage_bytes_at_end, at_end);
    let (h, d) = (&s.plans[0], &s.plans[1]);
    assert_eq!(
        (h.runs, h.backups_deleted_count, h.backups_kept, h.copies_requested, h.copies_deleted_count, h.copies_kept),
        (73, 73, 24, 72, 72, 24)
    );
    assert_eq!(
        (d.runs, d.backups_deleted_age, d.backups_kept, d.copies_requested, d.copies_deleted_age, d.copies_kept),
        (3, 3, 7, 3, 3, 8)
    );
    // The window's run-rate bills days 9-11, after the fill: no warning. One from 7 d bills day 7
    // (below the steady state at us-west-2, above): the warning gives 7 d 1 h; from 8 d, none.
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let from_7d = run_text(&FSX_TWO_SCHEDULES.replace(r#"measure_from = "9d""#, r#"measure_from = "7d""#));
    assert_eq!(
        from_7d.report.summary.warnings,
        ["with warm_start a volume's backups and copies are its first schedule's steady state, and the retention of \
          daily starts empty and fills until it has run once (7 d 1 h), so storage and the monthly run-rate over days \
          before then are not a steady month's: lower or higher by region; run longer with [report] measure_from = \"169h\" \
          or later"]
    );
    let from_8d = run_text(&FSX_TWO_SCHEDULES.replace(r#"measure_from = "9d""#, r#"measure_from = "8d""#));
    assert!(from_8d.report.summary.warnings.is_empty(), "{:?}", from_8d.report.summary.warnings);
}
