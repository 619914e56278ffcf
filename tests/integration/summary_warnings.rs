//! The summary's warnings: what a planner reading only `summary.json` must not miss.

use super::support::run_text;

/// Four IBM volumes copied every 6 hours, keeping one source snapshot: retention deletes the
/// preceding snapshot when the next is taken, so it is no "immediately preceding snapshot"
/// when the next copy is asked for ("If the immediately preceding snapshot does not exist or is
/// not stable, the new copy must be a full snapshot of the parent volume"; docs/model.md).
const KEEP_ONE: &str = r#"
name = "ibm-keep-one"
start = "2026-05-04T00:00:00Z"
horizon = "3d"
seed = 3
[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[regions]]
name = "us-east"
provider = "ibm_vpc"
[[accounts]]
name = "acct"
[[fleets]]
name = "vol"
count = 4
account = "acct"
region = "us-south"
size = "100GB"
daily_change = "2%"
[[schedules]]
name = "six-hourly"
volumes = ["vol"]
every = "6h"
KEEP
copy_to = [{ region = "us-east", retention_count = 7 }]
"#;

#[test]
fn full_copies_a_plan_could_avoid_are_named_with_their_remedy() {
    let r = run_text(&KEEP_ONE.replace("KEEP", "retention_count = 1"));
    let s = &r.report.summary;
    // 4 volumes × 12 runs: each volume's first copy is first_copy, the other 11 have no
    // preceding snapshot left.
    assert_eq!(s.copies.full_by_reason.get("predecessor_missing"), Some(&44), "{:?}", s.copies.full_by_reason);
    assert_eq!(s.copies.by_kind.get("incremental"), None, "{:?}", s.copies.by_kind);
    let w: Vec<&String> = s.warnings.iter().filter(|w| w.contains("reasons a plan can change")).collect();
    assert_eq!(w.len(), 1, "{:?}", s.warnings);
    assert!(w[0].starts_with("44 of the 48 completed copies were full"), "{}", w[0]);
    assert!(w[0].contains("(predecessor_missing: 44)") && w[0].contains("retention count of 1"), "{}", w[0]);
}

#[test]
fn keeping_two_source_snapshots_makes_the_copies_incremental_and_nothing_is_said() {
    let r = run_text(&KEEP_ONE.replace("KEEP", "retention_count = 2"));
    let s = &r.report.summary;
    assert_eq!(s.copies.by_kind.get("incremental"), Some(&44), "{:?}", s.copies.by_kind);
    assert!(s.warnings.iter().all(|w| !w.contains("reasons a plan can change")), "{:?}", s.warnings);
}

/// The warning is per DR region when the run's totals hide it: KEEP_ONE's IBM copies (every one
/// full but the first ones, for want of a preceding snapshot) beside an OCI fleet in the same run
/// whose hourly copies to Frankfurt are all incremental after the first.
#[test]
fn full_copies_of_one_dr_region_are_named_when_another_regions_incremental_copies_hide_them() {
    let oci = r#"
[[regions]]
name = "uk-london-1"
provider = "oci"
[[regions]]
name = "eu-frankfurt-1"
provider = "oci"
[[fleets]]
name = "ora"
count = 4
account = "acct"
region = "uk-london-1"
size = "100GB"
daily_change = "2%"
[[schedules]]
name = "hourly"
volumes = ["ora"]
every = "1h"
retention_count = 24
copy_to = [{ region = "eu-frankfurt-1", retention_count = 24 }]
"#;
    let r = run_text(&(KEEP_ONE.replace("KEEP", "retention_count = 1") + oci));
    let s = &r.report.summary;
    // IBM: 44 full for want of a predecessor, 4 first copies. OCI: 4 volumes × 72 runs copied
    // by the end (the 73rd, at the horizon, is still being taken), the 4 first full and 284
    // incremental.
    assert_eq!(s.copies.full_by_reason.get("predecessor_missing"), Some(&44), "{:?}", s.copies.full_by_reason);
    assert_eq!(s.copies.by_kind.get("incremental"), Some(&284), "{:?}", s.copies.by_kind);
    let w: Vec<&String> = s.warnings.iter().filter(|w| w.contains("reasons a plan can change")).collect();
    assert_eq!(w.len(), 1, "{:?}", s.warnings);
    assert!(w[0].starts_with("44 of the 48 completed copies into us-east were full"), "{}", w[0]);
    assert!(w[0].contains("(predecessor_missing: 44)") && w[0].contains("(52 of 336)"), "{}", w[0]);
    assert!(w[0].contains("retention count of 1"), "{}", w[0]);
    // Two source snapshots kept: IBM's copies are incremental too, and nothing is said.
    let r = run_text(&(KEEP_ONE.replace("KEEP", "retention_count = 2") + oci));
    assert!(
        r.report.summary.warnings.iter().all(|w| !w.contains("reasons a plan can change")),
        "{:?}",
        r.report.summary.warnings
    );
}

/// One 100 GiB EBS volume changing 1 GiB a day, backed up daily and copied to us-west-2 over
/// 150 KiB/s: the first (full) copy takes 100 GiB / 150 KiB/s = 699,051 s = 8 d 2 h 10 min, so
/// the fleet is seeded on day 8 (the daily incremental copies, 6.8 GiB at most behind it,
/// follow in under 14 h).
const SLOW_SEED: &str = r#"
name = "slow-seed"
start = "2026-01-01T00:00:00Z"
horizon = "HORIZON"
[cost]
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[links]]
from = "us-east-1"
to = "us-west-2"
bandwidth = "150KiB/s"
[[accounts]]
name = "a"
[[volumes]]
name = "v"
account = "a"
region = "us-east-1"
size = "100GiB"
daily_change = "1%"
[[schedules]]
name = "daily"
volumes = ["v"]
every = "1d"
copy_to = [{ region = "us-west-2" }]
"#;

#[test]
fn a_run_rate_over_days_when_first_copies_were_still_landing_is_flagged() {
    let seeding = |w: &String| w.contains("first copies into their DR regions were still landing");
    // 14 days: the run-rate bills days 7 to 13, and the first copy (100 GiB of transfer, billed
    // once) lands on day 8. Day 0 is not among them, so the day-0 warning says nothing.
    let r = run_text(&SLOW_SEED.replace("HORIZON", "14d"));
    let w: Vec<&String> = r.report.summary.warnings.iter().filter(|w| seeding(w)).collect();
    assert_eq!(w.len(), 1, "{:?}", r.report.summary.warnings);
    assert!(w[0].contains("(from day 7)") && w[0].contains("the last landed on day 8"), "{}", w[0]);
    // 7 days: the copy has not landed by the end.
    let r = run_text(&SLOW_SEED.replace("HORIZON", "8d"));
    assert!(
        r.report.summary.warnings.iter().any(|w| seeding(w) && w.contains("some had not landed by the end")),
        "{:?}",
        r.report.summary.warnings
    );
    // 21 days: the run-rate bills days 14 to 20, after the seeding: nothing to say.
    let r = run_text(&SLOW_SEED.replace("HORIZON", "21d"));
    assert!(!r.report.summary.warnings.iter().any(seeding), "{:?}", r.report.summary.warnings);
}

/// A warm IBM fleet with a daily plan kept 14 days and a weekly plan kept by count (8), the
/// weekly one disabled at the start and enabled on day 1 (start Monday 2026-01-05).
const WEEKLY_BY_COUNT: &str = r#"
name = "weekly-by-count"
start = "2026-01-05T00:00:00Z"
horizon = "30d"
warm_start = true
[cost]
prices = [{ provider = "ibm_vpc", storage_per_gb_month = 0.10, transfer_per_gb = 0.02 }]
[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[regions]]
name = "us-east"
provider = "ibm_vpc"
[[accounts]]
name = "acct"
[[volumes]]
name = "data-1"
account = "acct"
region = "us-south"
size = "100GiB"
daily_change = "1%"
tags = ["backup:gold"]
[[policies]]
name = "gold"
account = "acct"
region = "us-south"
tags = ["backup:gold"]
[[policies.plans]]
name = "daily"
cron = "0 1 * * *"
retention_days = 14
copy_to = [{ region = "us-east", retention_days = 14 }]
[[policies.plans]]
name = "weekly"
cron = "0 3 * * 0"
enabled = false
retention_count = 8
[[events]]
at = "1d"
action = "enable_plan"
policy = "gold"
plan = "weekly"
"#;

#[test]
fn a_warm_run_rate_before_a_weekly_plan_kept_by_count_has_filled_is_flagged() {
    // The weekly plan, enabled by an action on day 1, starts empty (a warm start lays down the
    // plans enabled at the start) and keeps 8 Sundays: the 8th after the start (Monday) is
    // 2026-03-01 03:00, day 55 3 h. A 30-day run bills days 23 to 29: before then. The daily
    // plan (14 d) is laid down at its steady state and needs no warning.
    let r = run_text(WEEKLY_BY_COUNT);
    let w: Vec<&String> =
        r.report.summary.warnings.iter().filter(|w| w.contains("fills until it has run once")).collect();
    assert_eq!(w.len(), 1, "{:?}", r.report.summary.warnings);
    assert!(w[0].contains("retention of gold/weekly starts empty") && w[0].contains("(55 d 3 h)"), "{}", w[0]);
}

#[test]
fn a_region_the_document_says_takes_no_cross_region_copy_warns_when_the_scenario_enables_it() {
    // IBM: "Cross-regional copies are not supported in Montreal (ca-mon) and Chennai (in-che)
    // MZRs." `cross_region_copy = true` overrides it (docs/scenario.md); the summary says so.
    let text = r#"
name = "ca-mon-override"
start = "2026-05-04T00:00:00Z"
horizon = "2h"
[[regions]]
name = "ca-mon"
provider = "ibm_vpc"
CROSS
[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[accounts]]
name = "acct"
[[volumes]]
name = "mon"
account = "acct"
region = "ca-mon"
size = "10GB"
[[schedules]]
name = "h"
volumes = ["mon"]
every = "1h"
copy_to = [{ region = "us-south" }]
"#;
    let r = run_text(&text.replace("CROSS", "cross_region_copy = true"));
    let s = &r.report.summary;
    assert_eq!(s.copies.by_state.get("AVAILABLE"), Some(&2), "the override lets the copies run");
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(
        s.warnings[0]
            .starts_with("region ca-mon is declared with cross_region_copy = true, but ibm_vpc's document says"),
        "{}",
        s.warnings[0]
    );
    // Without the override (and so without the copy target, which validation refuses) there
    // is nothing to warn about.
    let r = run_text(&text.replace("CROSS", "").replace("copy_to = [{ region = \"us-south\" }]", ""));
    assert!(r.report.summary.warnings.is_empty(), "{:?}", r.report.summary.warnings);
}

#[test]
fn rpo_and_queue_waits_measured_while_the_fleet_was_seeded_are_flagged() {
    // SLOW_SEED's first copy starts once backup #1 is available (1 min + 100 GiB at 200 MB/s =
    // 596.9 s) and moves 699,051 s: it lands at 699,648 s = 8 d 2 h 20 min 48 s, far past the
    // daily interval: every RPO figure of a cold run up to then is the seeding's, not the plan's.
    let seeding = |w: &String| w.starts_with("the RPO and queue-wait figures include the fleet's seeding");
    let r = run_text(&SLOW_SEED.replace("HORIZON", "14d"));
    let w: Vec<&String> = r.report.summary.warnings.iter().filter(|w| seeding(w)).collect();
    assert_eq!(w.len(), 1, "{:?}", r.report.summary.warnings);
    assert!(w[0].contains("longest schedule interval (1 d)"), "{}", w[0]);
    assert!(w[0].contains("the last landed 8 d 2 h 21 min into the measured time"), "{}", w[0]);
    assert!(w[0].contains("measure_from = \"195h\""), "{}", w[0]);
    // Measured from day 9, after the seeding: nothing to say.
    let late = SLOW_SEED.replace("HORIZON", "14d").replace("[cost]", "[cost]\n[report]\nmeasure_from = \"9d\"");
    let r = run_text(&late);
    assert!(!r.report.summary.warnings.iter().any(seeding), "{:?}", r.report.summary.warnings);
    // A warm start has no seeding.
    let warm = SLOW_SEED.replace("HORIZON", "14d").replace("[cost]", "warm_start = true\n[cost]");
    let r = run_text(&warm);
    assert!(!r.report.summary.warnings.iter().any(seeding), "{:?}", r.report.summary.warnings);
}

/// An EBS volume in Mumbai copied to N. Virginia every 6 hours, with EBS's default prices.
const MUMBAI: &str = r#"
name = "mumbai"
start = "2026-05-04T00:00:00Z"
horizon = "1d"
[cost]
PRICES
[[regions]]
name = "ap-south-1"
provider = "aws_ebs"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "eu-west-1"
provider = "aws_ebs"
[[accounts]]
name = "acct"
[[volumes]]
name = "v"
account = "acct"
region = "ap-south-1"
size = "100GB"
daily_change = "2%"
[[volumes]]
name = "w"
account = "acct"
region = "eu-west-1"
size = "100GB"
daily_change = "2%"
[[schedules]]
name = "s"
volumes = ["v"]
every = "6h"
copy_to = [{ region = "us-east-1" }]
[[schedules]]
name = "t"
volumes = ["w"]
every = "6h"
copy_to = [{ region = "us-east-1" }]
"#;

#[test]
fn a_transfer_billed_at_the_default_over_a_pair_priced_only_roughly_is_flagged() {
    // The sources' AWS transfer: "mostly $0.02 per GB (us-east-1↔us-east-2 $0.01; some Asia and
    // Middle East pairs about $0.08)". Mumbai → N. Virginia billed at the default $0.02 may be
    // one of those pairs: the summary says so and how to price it; Ireland → N. Virginia is not.
    let r = run_text(&MUMBAI.replace("PRICES", ""));
    let flagged: Vec<&String> = r.report.summary.warnings.iter().filter(|w| w.starts_with("transfer from")).collect();
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert!(flagged[0].contains("from ap-south-1 to us-east-1") && flagged[0].contains("$0.02"), "{}", flagged[0]);
    assert!(flagged[0].contains("about $0.08"), "{}", flagged[0]);
    // Priced by the scenario (the pair, or the source region): nothing to flag.
    for prices in [
        r#"transfer = [{ from = "ap-south-1", to = "us-east-1", per_gb = 0.09 }]"#,
        r#"prices = [{ provider = "aws_ebs", region = "ap-south-1", transfer_per_gb = 0.08 }]"#,
        // The default price itself, chosen by the planner for the provider: priced, not guessed.
        r#"prices = [{ provider = "aws_ebs", transfer_per_gb = 0.02 }]"#,
    ] {
        let r = run_text(&MUMBAI.replace("PRICES", prices));
        assert!(!r.report.summary.warnings.iter().any(|w| w.starts_with("transfer from")), "{prices}");
    }
}

/// Two EBS volumes backed up daily and copied to us-west-2, warm, priced: RETENTION.
const KEPT: &str = r#"
name = "kept"
start = "2026-05-04T00:00:00Z"
horizon = "21d"
warm_start = true
[cost]
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[accounts]]
name = "a"
[[fleets]]
name = "vol"
count = 2
account = "a"
region = "us-east-1"
size = "100GiB"
daily_change = "2%"
[[schedules]]
name = "daily"
volumes = ["vol"]
every = "1d"
RETENTION
"#;

#[test]
fn a_run_rate_without_retention_is_no_steady_month_and_is_flagged() {
    // docs/scenario.md: "no retention when neither is set": every backup and copy is kept, so
    // storage, and the run-rate of the last seven days, grow with the run. A 21-day run bills
    // more per month than a 14-day one; with retention both read the same steady month.
    let rate = |text: &str| {
        let r = run_text(text);
        let s = r.report.summary;
        (s.cost.as_ref().unwrap().monthly_run_rate_nano_usd, s.warnings)
    };
    let none = KEPT.replace("RETENTION", "copy_to = [{ region = \"us-west-2\" }]");
    let (long, warnings) = rate(&none);
    let (short, _) = rate(&none.replace("horizon = \"21d\"", "horizon = \"14d\""));
    assert!(long > short, "{long} vs {short}: storage kept forever grows");
    let w: Vec<&String> = warnings.iter().filter(|w| w.starts_with("no retention on")).collect();
    assert_eq!(w.len(), 1, "{warnings:?}");
    assert!(w[0].starts_with("no retention on daily (its backups and copies in us-west-2): "), "{}", w[0]);
    assert!(w[0].contains("there is no steady month"), "{}", w[0]);
    // Only the copies kept forever: the copies are named, not the backups.
    let (_, warnings) = rate(&KEPT.replace("RETENTION", "retention_days = 7\ncopy_to = [{ region = \"us-west-2\" }]"));
    // ... and the words say what is kept: the copies, not "every backup and copy".
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("no retention on daily (its copies in us-west-2): all of them are kept, ")),
        "{warnings:?}"
    );
    assert!(warnings.iter().all(|w| !w.contains("every backup and copy is kept")), "{warnings:?}");
    // Retention at home and in the DR region: a steady month, the same from 14 or 21 days, unflagged.
    let kept =
        KEPT.replace("RETENTION", "retention_days = 7\ncopy_to = [{ region = \"us-west-2\", retention_days = 7 }]");
    let (long, warnings) = rate(&kept);
    let (short, _) = rate(&kept.replace("horizon = \"21d\"", "horizon = \"14d\""));
    assert_eq!(long, short);
    assert!(warnings.iter().all(|w| !w.starts_with("no retention")), "{warnings:?}");
}

#[test]
fn a_schedule_without_retention_that_takes_nothing_in_the_window_is_not_flagged() {
    // A schedule disabled before its first run adds nothing to storage: no growth, nothing to
    // warn about. Once enabled again (here at 10 d), it keeps everything and is flagged.
    let none = KEPT.replace("RETENTION", "offset = \"1h\"\ncopy_to = [{ region = \"us-west-2\" }]");
    let off = format!("{none}\n[[events]]\nat = \"0s\"\naction = \"disable_plan\"\npolicy = \"daily\"\n");
    let r = run_text(&off);
    assert_eq!(r.report.summary.plans[0].runs, 0);
    let w = &r.report.summary.warnings;
    assert!(w.iter().all(|w| !w.starts_with("no retention")), "{w:?}");
    let on = format!("{off}\n[[events]]\nat = \"10d\"\naction = \"enable_plan\"\npolicy = \"daily\"\n");
    let w = run_text(&on).report.summary.warnings;
    assert!(w.iter().any(|w| w.starts_with("no retention on daily (its backups and copies in us-west-2)")), "{w:?}");
}

/// One generation-2 IBM volume backed up hourly and kept 30 days: 720 backups would be kept,
/// over its ceiling of 512 ("You can take a total of 512 backups per Gen 2 volumes. If you
/// exceed the limit, no further backups are taken").
fn hourly_kept_30_days(horizon: &str) -> String {
    format!(
        r#"name = "ceiling-cold"
start = "2026-01-01T00:00:00Z"
horizon = "{horizon}"
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
copy_to = [{{ region = "r1", retention_days = 30 }}]
"#
    )
}

#[test]
fn a_plan_that_skips_backups_at_a_volumes_ceiling_is_warned_about() {
    // Runs at 0 h, 1 h, … 528 h (22 days, the horizon's run included): the first 512 are
    // taken (none is 30 days old yet), the 17 runs from 512 h find the volume at its ceiling.
    let r = run_text(&hourly_kept_30_days("22d"));
    let s = &r.report.summary;
    assert_eq!((s.plans[0].backups_kept, s.plans[0].backups_skipped_ceiling), (512, 17));
    let w: Vec<&String> = s.warnings.iter().filter(|w| w.contains("backup ceiling")).collect();
    assert_eq!(w.len(), 1, "{:?}", s.warnings);
    assert!(
        w[0].starts_with(&format!("{} skipped 17 backups because the volume held its backup ceiling", s.plans[0].name)),
        "{}",
        w[0]
    );
    // Within the ceiling (481 runs in 20 days), nothing is skipped and nothing said.
    let r = run_text(&hourly_kept_30_days("20d"));
    let s = &r.report.summary;
    assert_eq!(s.plans[0].backups_skipped_ceiling, 0);
    assert!(!s.warnings.iter().any(|w| w.contains("backup ceiling")), "{:?}", s.warnings);
}
