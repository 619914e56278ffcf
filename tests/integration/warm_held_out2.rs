//! A second set of held-out planning scenarios with `warm_start` and a measurement window, worked
//! out by hand from the documents (docs/model.md "Warm start", "Storage over time", "RPO",
//! "Outages and faults"; docs/scenario.md "The measurement window") before copysim ran them:
//! an IBM plan firing in business hours only, an OCI volume under a daily and an hourly schedule
//! copying to two DR regions, an EBS link too slow for the schedule, an FSx fleet whose source
//! region goes out inside the window (a drill), and Huawei backups shared with and restored by
//! another project. Each pins what the warm start held, storage per region and day, the
//! window's backups and copies, RPO, queue waits, cost and run-rate, and the plan's counters.
//!
//! Timing used throughout (docs/model.md defaults): a backup is AVAILABLE after 60 s plus its
//! changed bytes at 200 MB/s (to the millisecond below), IBM's STABLE 600 s later; a transfer
//! ends at the first millisecond its bytes are through (rates in whole bytes per second); no
//! link latency. A GiB is 2^30 bytes; a day's storage costs GiB-days × price × 24 / 730, rounded
//! to the nano-dollar per day and region; the run-rate is the billed days' cost over the time
//! they cover, scaled to 730 hours (to the nano-dollar below).

use std::collections::BTreeMap;

use crate::support::{Ran, run_text};

const GIB: u64 = 1 << 30;

/// Per region, what the warm start laid down and still held once t = 0's events were done:
/// `(source backups, full copies, incremental copies)`. A warm backup's row reads
/// `available_at` = the start; one deleted at the start (laid down for a target that keeps
/// more) is not counted.
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

/// `cost.csv`'s storage of `region` on each of `days`, in GiB-days as written (six decimals).
fn storage_gib_days(r: &Ran, region: &str, days: std::ops::Range<u64>) -> Vec<String> {
    let rows = r.rows("cost.csv");
    days.map(|d| {
        rows.iter()
            .find(|l| l["day"] == d.to_string() && l["region"] == region && l["category"] == "storage")
            .map_or_else(|| panic!("no storage of {region} on day {d}"), |l| l["quantity"].clone())
    })
    .collect()
}

fn by_region<T, const N: usize>(v: [(&str, T); N]) -> BTreeMap<String, T> {
    v.into_iter().map(|(k, x)| (k.to_string(), x)).collect()
}

/// A summary percentile against its hand value, in ms: within 0.1 % (docs/model.md "RPO").
fn assert_within_0_1_percent(what: &str, got_ms: u64, hand_ms: f64) {
    assert!((got_ms as f64 - hand_ms).abs() <= hand_ms / 1000.0, "{what}: {got_ms} ms, by hand {hand_ms} ms");
}

const IBM_BUSINESS_HOURS: &str = r#"name = "b1-ibm-business-hours"
seed = 21
start = "2026-03-02T00:00:00Z"
horizon = "22d"
warm_start = true

[cost]
prices = [{ provider = "ibm_vpc", storage_per_gb_month = 0.09, transfer_per_gb = 0.025 }]

[report]
rpo_target = "2h"
measure_from = "7d 12h"
measure_to = "21d 12h"

[[regions]]
name = "us-south"
provider = "ibm_vpc"

[[regions]]
name = "eu-de"
provider = "ibm_vpc"

[[accounts]]
name = "corp"

[[volumes]]
name = "erp"
account = "corp"
region = "us-south"
size = "400GiB"
daily_change = "3%"
tags = ["office-hours"]

[[policies]]
name = "office"
account = "corp"
region = "us-south"
tags = ["office-hours"]

[[policies.plans]]
name = "hours"
cron = "0 9-17 * * 1-5"
retention_count = 45
copy_to = [{ region = "eu-de", retention_days = 3 }]
"#;

#[test]
fn an_ibm_plan_in_business_hours_kept_by_count_with_copies_kept_by_age_matches_its_hand_worked_week() {
    // One 400 GiB volume changing 3 %/day = 0.5 GiB an hour, backed up Mon-Fri at 09:00..17:00
    // (nine runs a weekday; 2 Mar 2026 is a Monday). A backup holds the change since the run
    // before: 0.5 GiB at 10:00..17:00, 8 GiB at 09:00 Tue-Fri (16 h), 32 GiB at 09:00 Monday
    // (64 h). Landing in eu-de (upload 60 s + size / 200 MB/s, STABLE 600 s later, copied at the
    // 66,666,667 B/s cap): 0.5 GiB 60 + 2.684 + 600 + 8.054 = 670.738 s after its run, 8 GiB
    // 60 + 42.949 + 600 + 128.850 = 831.799 s, 32 GiB 60 + 171.798 + 600 + 515.397 = 1,347.195 s.
    // Each lands long before the next run: every copy is incremental (predecessor_stable).
    //
    // t = 0 (Mon 00:00): the last match is Fri 27 Feb 17:00. us-south keeps 45 by count: the
    // week Mon 23 09:00..Fri 27 17:00, 400 + 0.5 x 104 h = 452 GiB. eu-de keeps 3 days from
    // completion (1 ms after the run): at Fri 17:00 the copy of Tue 17:00 is 3 d - 1 ms old and
    // stays, Tue 16:00's goes: 28 copies (Tue 17:00 full, 27 incremental), 400 + 0.5 x 72 = 436.
    //
    // us-south: 45 backups are always exactly one week of runs; a run deletes the oldest (the
    // same slot a week ago) as it takes its own, so after run s the chain spans 168 h minus the
    // gap g after s: 400 + 0.5 (168 - g): 483.5 GiB after 09..16 (g = 1 h), 476 after 17:00
    // Mon-Thu (16 h), 452 after Fri 17:00 (64 h). A day: Mon (9 x 452 + 8 x 483.5 + 7 x 476) / 24
    // = 469.5; Tue-Thu (9 x 476 + ...) = 478.5; Fri (... + 7 x 452) = 471.5; Sat, Sun 452. A week
    // 3,280.5 GiB-days; at 22 d (Tue 00:00) 476 GiB.
    //
    // eu-de: at run t the age rule deletes the copies of runs before t - 3 d (their completion is
    // under an hour after them), so the oldest held is the first run at or after t - 3 d, and
    // the region stores 400 + 0.5 x (newest landed run - oldest held run):
    // - Mon: 436 (Tue 17 .. Fri 17) until 09:00, which jumps the oldest to Fri 09:00: 404 until
    //   Monday's copy lands (1,347.195 s), 436 after; each of 10..17 moves the oldest an hour
    //   on, 0.5 GiB less until its copy lands (670.738 s): 436 - (32 x 1,347.195 + 8 x 0.5 x
    //   670.738) / 86,400 = 435.469986.
    // - Tue: 436 until 09:00, which jumps the oldest to Mon 09:00 (t - 3 d is Sat 09:00): 404 for
    //   831.799 s, 412 until 10:11:10.738, then +0.5 an hour to 416 from 17:11: 36,516,262.656
    //   GiB-s = 422.641929. Wed: the oldest stays Mon 09:00 all day: 416 to 09:00, 424 from its
    //   landing, 428 from 17:11: also 422.641929 (the night 360 GiB-h lower, the 15 hours after
    //   9:00 each 24 GiB-h higher).
    // - Thu: 428 to 09:00, then the oldest walks with t - 3 d: 428 for 831.799 s, 436 less 0.5
    //   after each of 10..17: 433 - 8 x 831.799 / 86,400 - 4 x 670.738 / 86,400 = 432.891929.
    //   Fri: 436 to 09:00, 428 for 831.799 s, then as Thu: 435.891929. Sat, Sun 436.
    // At 22 d: oldest Fri 20 17:00, newest Mon 23 17:00: 436 GiB.
    //
    // Window [Mon 9 Mar 12:00, Mon 23 Mar 12:00], both ends included, two whole weeks: runs Mon
    // 12..17 (6), Tue-Fri (36), a week (45), Mon 23 09..12 (4) = 91 backups: 3 + 48 + 84 + 33.5
    // = 168.5 GiB. Copies requested in it: of 12:00 on the 9th to 11:00 on the 23rd (12:00's is
    // asked for at 12:11): 90, 168 GiB, x $0.025 = $4.20. Their state at the horizon (the
    // summary's "final states"): 4 AVAILABLE (Fri 20 17:00, Mon 23 09..11), 86 DELETED; at the
    // window's end 9 were AVAILABLE (Fri 20 12..17 and Mon 23 09..11): the plan's copies_kept.
    // Deleted in it: 91 backups by count (one a run) and 91 copies by age (the slot 3 days and an
    // hour before each run's, in weekday time).
    //
    // RPO in eu-de, a week's teeth (each from its landing to the next landing, slope 1):
    // Mon 09->10 [1,347.195, 4,270.738], 35 hourly [670.738, 4,270.738], Tue-Fri 09->10
    // [831.799, 4,270.738], four nights Mon-Thu 17->09 [670.738, 16 h + 831.799 = 58,431.799]
    // and the weekend Fri 17->Mon 09 [670.738, 64 h + 1,347.195 = 231,747.195]. Two whole weeks:
    // the same distribution. Below v (4,270.738 < v < 58,431.799): the 40 business-hour teeth,
    // 142,679.299 s, + 5 (v - 670.738) = 302,400 (half a week) -> p50 32,614.878 s. Above
    // 58,431.799 only the weekend: p95 = 231,747.195 - 0.05 x 604,800 = 201,507.195 s. Max
    // 231,747.195 s (Mon 09:22:27). Above 2 h: 4 x (58,431.799 - 7,200) + (231,747.195 -
    // 7,200) = 429,474.391 s a week: 710,110 ppm.
    //
    // Cost: the days that start in the window, 8..21 (Tue 10 to Mon 23, named beside the window
    // as window.cost_from/cost_to), two weeks ($0.09/GiB-month x 24/730 a GiB-day): us-south $19.413369862, eu-de $17.880880646; transfer by
    // landing day, 2 x 84 GiB = $4.20, to us-south. Run-rate, days 15..21 (one week):
    // $41.494250508 / 2 x 730/168 = $90.151199020.
    let r = run_text(IBM_BUSINESS_HOURS);
    let s = &r.report.summary;
    assert_eq!((s.backups.warm, s.copies.warm), (45, 28));
    assert_eq!(held_at_start(&r), by_region([("us-south", (45, 0, 0)), ("eu-de", (0, 1, 27))]));
    assert_eq!(storage_gib_days(&r, "us-south", 0..1), ["469.500000"]);
    assert_eq!(storage_gib_days(&r, "eu-de", 0..1), ["435.469986"]);
    assert_eq!(
        storage_gib_days(&r, "us-south", 15..22),
        ["478.500000", "478.500000", "478.500000", "471.500000", "452.000000", "452.000000", "469.500000"]
    );
    assert_eq!(
        storage_gib_days(&r, "eu-de", 15..22),
        ["422.641929", "422.641929", "432.891929", "435.891929", "436.000000", "436.000000", "435.469986"]
    );
    assert_eq!((s.backups.taken, s.backups.full, s.backups.bytes), (91, 0, 337 * (GIB / 2)));
    assert_eq!((s.copies.requested, s.copies.by_reason.get("predecessor_stable")), (90, Some(&90)));
    assert_eq!((s.copies.by_kind.get("incremental"), s.copies.bytes_transferred), (Some(&90), 168 * GIB));
    assert_eq!(s.copies.by_state, [("AVAILABLE".to_string(), 4), ("DELETED".to_string(), 86)].into());
    let rpo = &s.rpo[0];
    assert_eq!((rpo.measured_ms, rpo.max_ms, rpo.above_target_ppm), (14 * 86_400_000, 231_747_195, Some(710_110)));
    assert_within_0_1_percent("p50", rpo.p50_ms, 32_614_878.2);
    assert_within_0_1_percent("p95", rpo.p95_ms, 201_507_195.0);
    let w = s.window.as_ref().expect("a window");
    assert_eq!(
        (w.cost_from.as_deref(), w.cost_to.as_deref()),
        (Some("2026-03-10T00:00:00.000Z"), Some("2026-03-24T00:00:00.000Z"))
    );
    let cost = s.cost.as_ref().expect("costs");
    assert_eq!(cost.by_region["us-south"].storage_nano_usd, 19_413_369_862);
    assert_eq!(cost.by_region["eu-de"].storage_nano_usd, 17_880_880_646);
    assert_eq!((cost.transfer_nano_usd, cost.total_nano_usd), (4_200_000_000, 41_494_250_508));
    assert_eq!(cost.monthly_run_rate_nano_usd, 90_151_199_020);
    assert_eq!(cost.storage_bytes_at_end, by_region([("us-south", 476 * GIB), ("eu-de", 436 * GIB)]));
    let p = &s.plans[0];
    assert_eq!((p.runs, p.backups_taken, p.backups_deleted_count, p.backups_kept), (91, 91, 91, 45));
    assert_eq!((p.copies_requested, p.copies_deleted_age, p.copies_kept), (90, 91, 9));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

const OCI_DAILY_AND_HOURLY: &str = r#"name = "b2-oci-daily-and-hourly"
seed = 22
start = "2026-07-06T00:00:00Z"
horizon = "10d"
warm_start = true

[cost]
prices = [{ provider = "oci", storage_per_gb_month = 0.0255, transfer_per_gb = 0.0085 }]

[report]
measure_from = "2d"
measure_to = "9d"

[[regions]]
name = "us-phoenix-1"
code = "phx"
provider = "oci"

[[regions]]
name = "us-ashburn-1"
code = "iad"
provider = "oci"

[[regions]]
name = "eu-frankfurt-1"
code = "fra"
provider = "oci"

[[accounts]]
name = "tenancy"

[[volumes]]
name = "ledger"
account = "tenancy"
region = "us-phoenix-1"
size = "1200GiB"
daily_change = "2%"

[[schedules]]
name = "daily"
volumes = ["ledger"]
every = "1d"
offset = "2h 30m"
retention_days = 30
copy_to = [{ region = "us-ashburn-1", retention_days = 30 }]

[[schedules]]
name = "hourly"
volumes = ["ledger"]
every = "1h"
retention_days = 2
copy_to = [{ region = "eu-frankfurt-1", retention_count = 24 }]
"#;

#[test]
fn an_oci_volume_kept_30_days_daily_and_2_days_hourly_in_two_dr_regions_matches_its_hand_worked_steady_state() {
    // One 1,200 GiB volume changing 2 %/day = 1 GiB an hour: daily at 02:30 kept 30 days, its
    // copies in Ashburn 30 days; hourly at :00 kept 2 days, its copies in Frankfurt 24 by count.
    // The 02:30 backup holds 0.5 GiB (since 02:00), the 03:00 one 0.5 GiB, the others 1 GiB.
    // OCI copies an incremental over the previous copy started there, moving the changes since
    // its seq: Ashburn's daily copy moves the day, 24 GiB; Frankfurt's 03:00 copy 1 GiB (02:30
    // and 03:00). Landing (upload 60 s + size / 200 MB/s, then 100 MB/s a copy): hourly 65.368 +
    // 10.738 = 76.106 s, the 03:00 one 62.684 + 10.738 = 73.422 s, the daily 62.684 + 257.699 =
    // 320.383 s. All incremental (matches_source).
    //
    // t = 0: the warm start lays down the volume's first schedule, the daily: its run before the
    // start is 21.5 h before (every - offset). Phoenix keeps 30 days: 30 runs; Ashburn keeps 30
    // days from completion, 1 ms after the run: 31 copies (the oldest 30 d - 1 ms old), so 31
    // backups are laid down and the oldest deleted at the start. Frankfurt, the hourly's target,
    // holds a copy of the newest warm backup alone (full). The hourly starts empty.
    //
    // Phoenix stores 1,200 GiB + 1 GiB an hour from its oldest backup (the daily of 29 days
    // before the last 02:30) to its newest: 696 h + (newest - 02:30), the hourly backups adding
    // nothing between them: 717.5, 718.5, 0.5 h of 719.5, 0.5 h of 696, then 693.5 + h for h =
    // 3..23: 16,980.25 GiB-h / 24 = 1,907.510417 GiB-days every day, day 0 included (the warm
    // daily chain is already 29 d 21.5 h long at 0 h). At 10 d: 1,200 + 717.5 = 1,917.5 GiB.
    // Ashburn: 31 copies spanning 30 days, 29 from each 02:30 (the age rule takes the 31-day
    // copy) until the new one lands: 1,920 - 24 x 320.383 / 86,400 = 1,919.911005, day 0 too.
    // Frankfurt: the count keeps 24 copies spanning 23 h whenever one lands: 1,223 GiB. Day 0:
    // the warm copy (its image) of -21.5 h, + 21.5 GiB when the 0 h copy lands (406.282 s: 21.5
    // GiB uploaded in 175.427 s and copied in 230.855 s), + 1 per landing until the 23 h copy
    // lands and the count (24 of the hourly's copies, the warm one among them) deletes the warm
    // copy: 1,232.001776 GiB-days; 1,223 from day 1.
    //
    // Window [2 d, 9 d]: 169 hourly runs (both ends) and 7 daily: 176 backups, 169 GiB; 175
    // copies (216 h's is asked for after it): 168 x 1 + 7 x 24 = 336 GiB. The hourly deletes one
    // backup a run by age (169) and one copy a landing by count (168); the daily 7 and 7 by age.
    // At 9 d: hourly 48 backups, 24 copies; daily 30 backups, 31 copies.
    //
    // RPO, Ashburn: daily teeth [320.383, 86,400 + 320.383], 7 whole ones: p50 43,520.383 s, p95
    // 82,400.383 s, max 86,720.383 s. Frankfurt, a day's 24 teeth [76.106, 3,676.106], but
    // 02:00's ends at 3,673.422 and 03:00's starts at 73.422: p50 (43,200 + 23 x 76.106 + 73.422)
    // / 24 = 1,875.994 s, p95 (23 x 3,676.106 + 3,673.422 - 4,320) / 24 = 3,495.994 s, max
    // 3,676.106 s.
    //
    // Cost a day ($0.0255/GiB-month x 24/730): Phoenix $1.599173116, Ashburn $1.609569226,
    // Frankfurt $1.025309589; transfer 48 GiB x $0.0085 = $0.408. Days 2..8: $32.494363517;
    // run-rate x 730/168 = $141.195746234.
    let r = run_text(OCI_DAILY_AND_HOURLY);
    let s = &r.report.summary;
    assert_eq!((s.backups.warm, s.copies.warm), (31, 32));
    assert_eq!(
        held_at_start(&r),
        by_region([("us-phoenix-1", (30, 0, 0)), ("us-ashburn-1", (0, 1, 30)), ("eu-frankfurt-1", (0, 1, 0))])
    );
    assert_eq!(storage_gib_days(&r, "us-phoenix-1", 0..9), ["1907.510417"; 9]);
    assert_eq!(storage_gib_days(&r, "us-ashburn-1", 0..9), ["1919.911005"; 9]);
    assert_eq!(storage_gib_days(&r, "eu-frankfurt-1", 0..3), ["1232.001776", "1223.000000", "1223.000000"]);
    assert_eq!((s.backups.taken, s.backups.full, s.backups.bytes), (176, 0, 169 * GIB));
    assert_eq!((s.copies.requested, s.copies.by_reason.get("matches_source")), (175, Some(&175)));
    assert_eq!((s.copies.by_kind.get("incremental"), s.copies.bytes_transferred), (Some(&175), 336 * GIB));
    let (ash, fra) = (&s.rpo[0], &s.rpo[1]);
    assert_eq!((ash.region.as_str(), fra.region.as_str()), ("us-ashburn-1", "eu-frankfurt-1"));
    assert_eq!(
        (ash.measured_ms, ash.max_ms, fra.measured_ms, fra.max_ms),
        (7 * 86_400_000, 86_720_383, 7 * 86_400_000, 3_676_106)
    );
    assert_within_0_1_percent("Ashburn p50", ash.p50_ms, 43_520_383.0);
    assert_within_0_1_percent("Ashburn p95", ash.p95_ms, 82_400_383.0);
    assert_within_0_1_percent("Frankfurt p50", fra.p50_ms, 1_875_994.2);
    assert_within_0_1_percent("Frankfurt p95", fra.p95_ms, 3_495_994.2);
    let cost = s.cost.as_ref().expect("costs");
    assert_eq!(cost.by_region["us-phoenix-1"].storage_nano_usd, 7 * 1_599_173_116);
    assert_eq!(cost.by_region["us-ashburn-1"].storage_nano_usd, 7 * 1_609_569_226);
    assert_eq!(cost.by_region["eu-frankfurt-1"].storage_nano_usd, 7 * 1_025_309_589);
    assert_eq!((cost.transfer_nano_usd, cost.total_nano_usd), (2_856_000_000, 32_494_363_517));
    assert_eq!(cost.monthly_run_rate_nano_usd, 141_195_746_234);
    assert_eq!(
        cost.storage_bytes_at_end,
        by_region([
            ("us-phoenix-1", 3_835 * (GIB / 2)),
            ("us-ashburn-1", 1_920 * GIB),
            ("eu-frankfurt-1", 1_223 * GIB)
        ])
    );
    let (d, h) = (&s.plans[0], &s.plans[1]);
    assert_eq!(
        (d.runs, d.backups_deleted_age, d.backups_kept, d.copies_requested, d.copies_deleted_age, d.copies_kept),
        (7, 7, 30, 7, 7, 31)
    );
    assert_eq!(
        (h.runs, h.backups_deleted_age, h.backups_kept, h.copies_requested, h.copies_deleted_count, h.copies_kept),
        (169, 169, 48, 168, 168, 24)
    );
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

const EBS_SLOW_LINK: &str = r#"name = "b3-ebs-slow-link"
seed = 23
start = "2026-09-07T00:00:00Z"
horizon = "3d"
warm_start = true

[cost]

[report]
rpo_target = "8h"
measure_from = "1d"
measure_to = "3d"

[[regions]]
name = "us-east-1"
provider = "aws_ebs"

[[regions]]
name = "eu-west-1"
provider = "aws_ebs"

[[links]]
from = "us-east-1"
to = "eu-west-1"
bandwidth = "2MiB/s"

[[accounts]]
name = "shop"

[[fleets]]
name = "orders"
count = 2
account = "shop"
region = "us-east-1"
size = "2000GiB"
daily_change = "4.8%"

[[schedules]]
name = "hourly"
volumes = ["orders"]
every = "1h"
retention_days = 2
copy_to = [{ region = "eu-west-1", retention_count = 24 }]
"#;

#[test]
fn an_ebs_link_too_slow_for_the_schedule_grows_rpo_by_hand_and_the_summary_says_so() {
    // Two 2,000 GiB volumes changing 4.8 %/day = 4 GiB an hour, hourly, kept 2 days; copies to
    // eu-west-1 kept 24 by count over a 2 MiB/s link. Both volumes' copies move at once, 1 MiB/s
    // each: a 4 GiB copy takes 4,096 s, longer than the hour. EBS runs one copy of a lineage at a
    // time ("the second copy starts only after the first copy finishes"), each incremental over
    // the last completed one (the previous seq: 4 GiB). Copy k (of the run at (k - 1) h) is asked
    // for at (k - 1) h + 81.474 s (60 s + 4 GiB at 200 MB/s), starts when copy k - 1 ends and
    // ends at F_k = 81.474 + 4,096 k s: it waited 496 (k - 1) s behind its lineage.
    // The warm start lays down 48 backups a volume (-48 h..-1 h; the 0 h run deletes the oldest
    // as it takes its own: 47 held) and 24 copies as landed (1 ms after their runs): RPO is 1 h
    // at 0 and grows 496 s an hour from there; no steady state exists.
    //
    // Window [1 d, 3 d]: RPO(t) = t - (k - 1) h between F_k and F_k+1. At 1 d the newest restore
    // point is copy 21 (F_21 = 86,097.474): 14,400 s, rising to 18,193.474 at F_22; teeth 22..62
    // run [3,681.474 + 496 k, 7,777.474 + 496 k]; copy 63 lands at 2 d 23:42:09.474 (34,929.474
    // rising to 36,000 at 3 d). Max: the top of tooth 62, 38,529.474 s. Median: 16 teeth (22..37)
    // and the first piece are below it (69,329.474 s), and 8 cross it (38..45): 69,329.474 + 8 v
    // - 8 x 3,681.474 - 496 x 332 = 86,400 -> p50 26,399.290 s. p95: above v, teeth 57..62 and the
    // last piece: 6 x 7,777.474 + 496 x 357 + 36,000 - 7 v = 8,640 -> 35,870.978 s. Above 8 h
    // (28,800 s): teeth 43..50 in part (16,331.792 s), 51..62 whole (49,152), the last piece
    // (1,070.526): 66,554.318 of 172,800 s a volume: 385,152 ppm.
    //
    // Copies asked for in the window: k = 25..72 (k - 1 from 24 h to 71 h), 48 a volume, 96. By
    // 3 d copies up to 63 landed (78 of them incremental, previous_copy_exists), 64 moves (since
    // F_63: 1,070.526 s x 1,048,576 B/s = 1,122,527,870 B each), 65..72 queue (16). At the horizon
    // the count keeps 40..63: 48 AVAILABLE, 30 DELETED. Bytes: 78 x 4 GiB + 2 x 1,122,527,870.
    // Waits of the 80 started (k = 25..64, each value twice): p50 the 40th, 496 x 43 = 21,328 s;
    // p95 the 76th, 496 x 61 = 30,256 s; max 496 x 63 = 31,248 s; mean 496 x 43.5 = 21,576 s.
    // The quota gate (20) never queues: a lineage waits before it.
    //
    // Storage: us-east-1 keeps 48 hourly backups spanning 47 h: 2 x (2,000 + 188) = 4,376 GiB;
    // eu-west-1 24 copies spanning 23 h whenever one lands: 2 x 2,092 = 4,184 GiB, flat. Days 1
    // and 2 ($0.05/GiB-month): $7.193424658 and $6.877808219 a day; transfer $0.02/GiB by ending
    // day: day 1 copies 22..42 (21 a volume, 168 GiB, $3.36), day 2 copies 43..63 ($3.36) and,
    // the horizon's last day, the two moving copies' bytes ($0.020908544 each, $0.041817089):
    // $34.904283176; run-rate x 730/48 = $530.835973301. The link carried 84 ended transfers
    // (22..63) and the moving bytes: 336 GiB + 2,245,055,740.
    let r = run_text(EBS_SLOW_LINK);
    let s = &r.report.summary;
    assert_eq!((s.backups.warm, s.copies.warm), (96, 48));
    assert_eq!(held_at_start(&r), by_region([("us-east-1", (94, 0, 0)), ("eu-west-1", (0, 2, 46))]));
    assert_eq!((s.backups.taken, s.backups.bytes), (98, 98 * 4 * GIB));
    assert_eq!((s.copies.requested, s.copies.by_reason.get("previous_copy_exists")), (96, Some(&78)));
    let states: BTreeMap<String, u64> =
        [("AVAILABLE", 48), ("COPYING", 2), ("DELETED", 30), ("QUEUED", 16)].map(|(k, n)| (k.to_string(), n)).into();
    assert_eq!(s.copies.by_state, states);
    let moving_bytes = 2 * 1_122_527_870;
    assert_eq!(s.copies.bytes_transferred, 78 * 4 * GIB + moving_bytes);
    let q = &s.queue_wait;
    assert_eq!(
        (q.started, q.waited, q.p50_ms, q.p95_ms, q.max_ms, q.mean_ms),
        (80, 80, 21_328_000, 30_256_000, 31_248_000, 21_576_000)
    );
    // A copy pending behind its volume's earlier copy holds one of the account's twenty slots
    // into eu-west-1 ("up to twenty concurrent snapshot copy requests"): the two moving copies
    // and the queue behind them reach the twenty once, never more (no request throttled).
    assert_eq!((s.quotas[0].in_flight_peak, s.quotas[0].waits), (20, 0));
    let link = &s.links[0];
    assert_eq!((link.transfers, link.bytes_carried, link.active_peak), (84, 336 * GIB + moving_bytes, 2));
    let rpo = &s.rpo[0];
    assert_eq!((rpo.measured_ms, rpo.max_ms, rpo.above_target_ppm), (2 * 2 * 86_400_000, 38_529_474, Some(385_152)));
    assert_within_0_1_percent("p50", rpo.p50_ms, 26_399_289.8);
    assert_within_0_1_percent("p95", rpo.p95_ms, 35_870_977.7);
    assert_eq!(storage_gib_days(&r, "us-east-1", 0..3), ["4376.000000"; 3]);
    assert_eq!(storage_gib_days(&r, "eu-west-1", 0..3), ["4184.000000"; 3]);
    let cost = s.cost.as_ref().expect("costs");
    assert_eq!(cost.by_region["us-east-1"].storage_nano_usd, 2 * 7_193_424_658);
    assert_eq!(cost.by_region["eu-west-1"].storage_nano_usd, 2 * 6_877_808_219);
    assert_eq!((cost.transfer_nano_usd, cost.total_nano_usd), (6_761_817_422, 34_904_283_176));
    assert_eq!(cost.monthly_run_rate_nano_usd, 530_835_973_301);
    let p = &s.plans[0];
    assert_eq!((p.runs, p.backups_taken, p.backups_deleted_age, p.backups_kept), (49, 98, 98, 96));
    assert_eq!((p.copies_requested, p.copies_deleted_count, p.copies_kept), (96, 84, 48));
    assert_eq!(
        s.warnings,
        ["18 copies were still queued or moving at the end (2 moving, 16 queued), more than one per volume and DR \
          region (2): copies take longer than the schedules' intervals and pile up; the links (peak transfers, \
          bandwidth) or the copy quotas cannot keep up, and RPO grows with the run"]
    );
}

const FSX_OUTAGE: &str = r#"name = "b4-fsx-outage-drill"
seed = 24
start = "2026-10-05T00:00:00Z"
horizon = "9d"
warm_start = true

[cost]
prices = [{ provider = "aws_fsx", storage_per_gb_month = 0.05 }]

[report]
rpo_target = "8h"
measure_from = "3d"
measure_to = "8d"

[[regions]]
name = "us-east-1"
provider = "aws_fsx"

[[regions]]
name = "us-west-2"
provider = "aws_fsx"

[[accounts]]
name = "hpc"

[[fleets]]
name = "scratch"
count = 3
account = "hpc"
region = "us-east-1"
size = "1200GiB"
daily_change = "2%"

[[schedules]]
name = "six-hourly"
volumes = ["scratch"]
every = "6h"
retention_count = 8
copy_to = [{ region = "us-west-2", retention_days = 3 }]

[[events]]
at = "5d 6h 2m"
action = "region_outage"
region = "us-east-1"
duration = "7h"
"#;

#[test]
fn an_fsx_fleet_whose_source_region_goes_out_in_the_window_matches_its_hand_worked_drill_and_steady_state() {
    // Three 1,200 GiB file systems changing 2 %/day = 1 GiB an hour, every 6 h: 6 GiB a backup,
    // AVAILABLE after 60 + 32.212 s, copied at 100 MB/s each (the quota of 5 holds all three):
    // 64.425 s, landing at run + 156.637 s. Kept 8 by count; copies kept 3 days from completion.
    //
    // t = 0: the run before is -6 h. us-east-1 keeps -48 h..-6 h (8); us-west-2 the copies under
    // 3 days old at -6 h: -78 h..-6 h (13, the oldest full): 13 backups laid down a volume (39),
    // 5 deleted at the start, and the 0 h run deletes one more as it takes its own (21 held).
    // Steady state: us-east-1 1,200 + 42 = 1,242 GiB a volume; us-west-2, whose age rule deletes
    // at each run the copy of 78 h before, 1,272 less 6 GiB from each run to its landing:
    // 3 x (1,272 - 24 x 156.637 / 86,400) = 3,815.869469 GiB-days.
    //
    // The outage, 5 d 06:02 to 13:02: the 06:00 copies have moved 27.788 s x 100 MB/s =
    // 2,778,800,000 B each and fail (ServiceUnavailable). The 12:00 run is skipped (3); retention
    // still runs there, but a count keeps no room for the backup not taken: no deletion at the
    // source; us-west-2's age rule deletes on time. 18:00's backup holds 12 GiB (AVAILABLE at
    // 124.424 s) and its copy builds on 00:00's, the most recent neither deleted nor failed,
    // moving 6 + 12 = 18 GiB in 193.274 s: it lands at 18:05:17.698.
    // Drill at 06:02: each volume restored in us-west-2 from its 00:00 copy (seq 34: 13 warm +
    // the 21st run), losing 6 h 2 min = 21,720 s; ready 2 min later, hydrated after 1,200 GiB at
    // 64 MiB/s = 19,200 s more: RTO 120 s ready, 19,320 s hydrated.
    //
    // Storage on day 5: us-east-1 1,242 until 18:00, then the 8 backups span 3 d 18:00..5 d 18:00
    // (48 h, the skipped slot among them): 3 x (18 x 1,242 + 6 x 1,248) / 24 = 3,730.5; day 6
    // 3,744; day 7 1,248 until 7 d 12:00, when the gap leaves: 3,735. us-west-2 on day 5: spans
    // 66 h for 156.637 s, 72 h to 06:00, 66 h to 12:00 (no landing), 60 h to 18:00, 54 h until
    // the 18 GiB copy lands (317.698 s), 72 h after: 5,825,341.614 h x s / 86,400 = 67.422935:
    // 3 x 1,267.422935 = 3,802.268806.
    //
    // Window [3 d, 8 d]: 21 runs, 20 taken a volume (60, 3 skipped): 126 GiB a volume (the 18:00
    // backup 12), 378 GiB; copies asked for: runs 3 d..7 d 18:00 less the skipped, 19 a volume,
    // 57: 54 incremental (previous_copy_exists) and 3 FAULTY; bytes 3 x (17 x 6 + 18) GiB + 3 x
    // 2,778,800,000. At the horizon the age rule has taken all up to 5 d 18:00 (30 DELETED), 24
    // AVAILABLE. Deleted in it: 60 backups by count (one a run but at the skipped 12:00),
    // 63 copies by age (the copy of 78 h before every run, all made); kept at 8 d 24
    // backups and 30 copies (5 d 00:00, 5 d 18:00 and 6 d 00:00..7 d 18:00 a volume).
    //
    // RPO in us-west-2 a volume: 16 teeth [156.637, 21,756.637]; 00:00's on day 5 lasts until
    // 18:00's lands, [156.637, 65,117.698]; 18:00's [317.698, 21,756.637] (the window's ends
    // make one whole tooth). p50: 18 v - 17 x 156.637 - 317.698 = 216,000 -> 12,165.585 s; p95
    // the long tooth alone above 21,756.637: 65,117.698 - 21,600 = 43,517.698 s; max 65,117.698
    // s; above 8 h 36,317.698 of 432,000 s: 84,069 ppm.
    //
    // Cost ($0.05/GiB-month; FSx transfer $0.02, billed to us-east-1 as copies end, failed ones
    // for what they moved, $0.051759183 each): us-east-1 storage $30.676438356, us-west-2
    // $31.340953451, transfer 4 days x 72 GiB + day 5's 72 GiB and the failed bytes:
    // $7.355277549; total $69.372669356; 5 days' run-rate x 730/120 = $422.017071915.
    let r = run_text(FSX_OUTAGE);
    let s = &r.report.summary;
    assert_eq!((s.backups.warm, s.copies.warm), (39, 39));
    assert_eq!(held_at_start(&r), by_region([("us-east-1", (21, 0, 0)), ("us-west-2", (0, 3, 36))]));
    assert_eq!(
        storage_gib_days(&r, "us-east-1", 3..8),
        ["3726.000000", "3726.000000", "3730.500000", "3744.000000", "3735.000000"]
    );
    assert_eq!(
        storage_gib_days(&r, "us-west-2", 3..8),
        ["3815.869469", "3815.869469", "3802.268806", "3815.869469", "3815.869469"]
    );
    assert_eq!((s.backups.taken, s.backups.skipped_outage, s.backups.bytes), (60, 3, 378 * GIB));
    assert_eq!((s.copies.requested, s.copies.by_reason.get("previous_copy_exists")), (57, Some(&54)));
    assert_eq!(s.copies.by_error, [("ServiceUnavailable".to_string(), 3)].into());
    let states: BTreeMap<String, u64> =
        [("AVAILABLE", 24), ("DELETED", 30), ("FAULTY", 3)].map(|(k, n)| (k.to_string(), n)).into();
    assert_eq!(s.copies.by_state, states);
    assert_eq!(s.copies.bytes_transferred, 3 * 120 * GIB + 3 * 2_778_800_000);
    let d = &s.drills[0];
    assert_eq!((d.volumes, d.restored, d.no_copy, d.unprotected), (3, 3, 0, 0));
    assert_eq!(
        (d.rto_ready_ms, d.rto_hydrated_ms, d.data_loss_ms_max, d.data_loss_ms_p50),
        (Some(120_000), Some(19_320_000), Some(21_720_000), Some(21_720_000))
    );
    let restored: Vec<(String, String)> =
        r.rows("restore.csv").into_iter().map(|x| (x["restored_seq"].clone(), x["hydrated_at"].clone())).collect();
    assert_eq!(restored, vec![("34".to_string(), "2026-10-10T11:24:00.000Z".to_string()); 3]);
    let rpo = &s.rpo[0];
    assert_eq!((rpo.measured_ms, rpo.max_ms, rpo.above_target_ppm), (3 * 5 * 86_400_000, 65_117_698, Some(84_069)));
    assert_within_0_1_percent("p50", rpo.p50_ms, 12_165_584.8);
    assert_within_0_1_percent("p95", rpo.p95_ms, 43_517_698.0);
    let cost = s.cost.as_ref().expect("costs");
    assert_eq!(cost.by_region["us-east-1"].storage_nano_usd, 30_676_438_356);
    assert_eq!(cost.by_region["us-west-2"].storage_nano_usd, 31_340_953_451);
    assert_eq!((cost.transfer_nano_usd, cost.total_nano_usd), (7_355_277_549, 69_372_669_356));
    assert_eq!(cost.monthly_run_rate_nano_usd, 422_017_071_915);
    assert_eq!(cost.storage_bytes_at_end, by_region([("us-east-1", 3_726 * GIB), ("us-west-2", 3_798 * GIB)]));
    let p = &s.plans[0];
    assert_eq!(
        (p.runs, p.backups_taken, p.backups_skipped_outage, p.backups_deleted_count, p.backups_kept),
        (21, 60, 3, 60, 24)
    );
    assert_eq!((p.copies_requested, p.copies_deleted_age, p.copies_kept), (57, 63, 30));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

const HUAWEI_SHARED: &str = r#"name = "b5-huawei-shared-restore-point"
seed = 25
start = "2026-11-02T00:00:00Z"
horizon = "20d"
warm_start = true

[cost]
prices = [{ provider = "huawei_cbr", storage_per_gb_month = 0.024 }]

[report]
measure_from = "3d"
measure_to = "17d 12h"

[[regions]]
name = "cn-north-4"
provider = "huawei_cbr"

[[accounts]]
name = "owner"

[[accounts]]
name = "audit"
vaults = [{ name = "evidence", region = "cn-north-4", capacity = "1TB" }]

[[volumes]]
name = "disk-a"
account = "owner"
region = "cn-north-4"
size = "800GiB"
daily_change = "1.5%"

[[volumes]]
name = "disk-b"
account = "owner"
region = "cn-north-4"
size = "400GiB"
daily_change = "3%"

[[schedules]]
name = "nightly"
volumes = ["disk-a", "disk-b"]
every = "1d"
offset = "1h"
retention_count = 14

[[events]]
at = "3d 2h"
action = "share"
volume = "disk-a"
seq = 17
account = "audit"

[[events]]
at = "3d 5h"
action = "accept"
volume = "disk-a"
seq = 17
account = "audit"
vault = "evidence"

[[events]]
at = "3d 6h"
action = "restore"
volume = "disk-a"
seq = 17
account = "audit"

[[events]]
at = "9d 30m"
action = "region_outage"
region = "cn-north-4"
duration = "1h"
"#;

#[test]
fn huawei_backups_shared_with_an_audit_project_and_an_outage_match_their_hand_worked_counts_and_cost() {
    // Two disks, 800 GiB at 1.5 %/day and 400 GiB at 3 %/day: 12 GiB a day each, backed up at
    // 01:00 and kept 14 by count. Huawei copies nothing across regions: no DR region, no RPO.
    // t = 0: the run before is -23 h; 14 warm backups a disk (seqs 1..14), spanning 13 days:
    // 1,200 + 2 x 156 = 1,512 GiB. Run d takes seq 15 + d (until the skipped one).
    // 3 d 02:00: disk-a #17 (taken 2 d 01:00) is shared with audit, accepted at 05:00 into its
    // 1 TB vault (the backup's full 800 GiB = 858,993,459,200 B of room: less than 10^12), and
    // restored by audit at 06:00. A share stores nothing: the sharer alone is billed.
    // 9 d 00:30..01:30 the region is out: the 9 d run is skipped (2), and a count keeps no room
    // for the backup not taken, so it deletes nothing; 10 d's backups hold two days (24 GiB)
    // and, the count deleting one as it takes its own, 14 backups span 14 days from then on:
    // day 10 (1 h at 1,512, 23 h at 1,536) 1,535, from day 11 1,536 GiB. #17 is the oldest at
    // 17 d 01:00 and its deletion ends the share too (deleted_by sharer).
    // The drill of the outage finds no volume with a DR copy: 0 volumes, 2 unprotected, no RTO.
    //
    // Window [3 d, 17 d 12:00]: runs 3..17 (15), 14 taken a disk: 28, 2 x (13 x 12 + 24) = 360
    // GiB, 28 deleted by count (none at the skipped run), 28 kept at the window's end. The share
    // is the one copy request (0 bytes, a share: no queue wait measured), DELETED at the horizon.
    // Actions in it: share, accept, restore, outage (4). Cost ($0.024/GiB-month) of days 3..17:
    // 7 x $1.193030137 + $1.211178082 + 7 x $1.211967123 = $18.046158902; run-rate, days 11..17:
    // 7 x $1.211967123 x 730/168 = $36.863999991.
    let r = run_text(HUAWEI_SHARED);
    let s = &r.report.summary;
    assert_eq!((s.backups.warm, s.copies.warm), (28, 0));
    assert_eq!(held_at_start(&r), by_region([("cn-north-4", (28, 0, 0))]));
    assert_eq!(storage_gib_days(&r, "cn-north-4", 8..12), ["1512.000000", "1512.000000", "1535.000000", "1536.000000"]);
    assert_eq!((s.backups.taken, s.backups.skipped_outage, s.backups.bytes), (28, 2, 360 * GIB));
    assert_eq!((s.copies.requested, s.copies.by_kind.get("share"), s.copies.bytes_transferred), (1, Some(&1), 0));
    assert_eq!(s.copies.by_state, [("DELETED".to_string(), 1)].into());
    let share = &r.copies()[0];
    assert_eq!(
        (share["backup_seq"].as_str(), share["deleted_at"].as_str(), share["deleted_by"].as_str()),
        ("17", "2026-11-19T01:00:00.000Z", "sharer")
    );
    assert_eq!((s.queue_wait.started, s.actions.ok, s.actions.rejected, s.disks_restored), (0, 4, 0, 1));
    assert!(s.rpo.is_empty(), "{:?}", s.rpo);
    let d = &s.drills[0];
    assert_eq!((d.volumes, d.restored, d.unprotected, d.rto_ready_ms), (0, 0, 2, None));
    let cost = s.cost.as_ref().expect("costs");
    assert_eq!((cost.storage_nano_usd, cost.transfer_nano_usd), (18_046_158_902, 0));
    assert_eq!(cost.monthly_run_rate_nano_usd, 36_863_999_991);
    assert_eq!(cost.storage_bytes_at_end, by_region([("cn-north-4", 1_536 * GIB)]));
    let p = &s.plans[0];
    assert_eq!(
        (p.runs, p.backups_taken, p.backups_skipped_outage, p.backups_deleted_count, p.backups_kept),
        (15, 28, 2, 28, 28)
    );
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}
