//! Cost, storage, RPO and RTO on a scenario worked out by hand; charts and report.html exist,
//! are self-contained and byte-identical across runs; a missing price is a validation error.

use crate::support::run_text;

/// One 100 GiB EBS volume that never changes, backed up daily and copied to us-west-2, two days;
/// us-east-1 goes out at 1d 12h.
const HAND: &str = r#"name = "hand"
start = "2026-01-01T00:00:00Z"
horizon = "2d"
[cost]
[report]
rpo_resolution = "1h"
rpo_target = "2h"
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
daily_change = "0%"
[[schedules]]
name = "daily"
volumes = ["v"]
every = "1d"
copy_to = [{ region = "us-west-2" }]
[[events]]
at = "1d 12h"
action = "region_outage"
region = "us-east-1"
duration = "1h"
"#;

#[test]
fn cost_and_storage_worked_out_by_hand() {
    // Backup #1 (full, 100 GiB = 107,374,182,400 B) uploads in 1 min + 107,374,182,400 B ÷ 200 MB/s
    // = 60,000 + 536,870 ms → available at 596,870 ms. Its copy moves 100 GiB at 500 MiB/s =
    // 204,800 ms → in us-west-2 from 801,670 ms. Backup #2 (day 1) changed nothing: 0 B, and its
    // copy moves 0 B. Horizon 172,800,000 ms.
    //   storage us-east-1: 100 GiB × 48 h ÷ 730 h × $0.05                  = $0.328767
    //   storage us-west-2: 100 GiB × (172,800,000 − 801,670) ms ÷ 730 h × $0.05 = $0.327242
    //   transfer: 100 GiB × $0.02                                        = $2.000000
    let r = run_text(HAND);
    let c = r.report.summary.cost.as_ref().expect("[cost] present");
    assert_eq!(c.transfer_nano_usd, 2_000_000_000);
    let storage = c.storage_nano_usd as f64 / 1e9;
    assert!((storage - (0.328_767 + 0.327_242)).abs() < 0.000_003, "{storage}");
    assert_eq!(c.storage_bytes_at_end.get("us-east-1"), Some(&(100 << 30)));
    assert_eq!(c.storage_bytes_at_end.get("us-west-2"), Some(&(100 << 30)));
    let rows = r.rows("cost.csv");
    let day0_west =
        rows.iter().find(|x| x["day"] == "0" && x["region"] == "us-west-2" && x["category"] == "storage").unwrap();
    // 100 GiB for (86,400,000 − 801,670) ms = 99.072141 GB-days.
    assert_eq!(day0_west["quantity"], "99.072141");
}

#[test]
fn rpo_worked_out_by_hand() {
    // Over time, t = 0 … 48 h. Before copy #1 lands (13 min) nothing is recoverable: RPO = t
    // since the start. Then RPO = t − 0 until copy #2 (taken at 24 h) lands at 24 h 1 min; then
    // t − 24 h, from 1 min to 24 h at the horizon. Two teeth: 0 → 24 h 1 min and 1 min → 24 h.
    // Worst: 24 h 1 min, just before #2 lands. Time below x (x ≤ 24 h): x + (x − 1 min); the
    // median is 2x − 1 min = 24 h → 12 h 30 s, the p95 2x − 1 min = 45.6 h → 22.8 h + 30 s.
    // Above the 2 h target: (24 h 1 min − 2 h) + (24 h − 2 h) = 44 h 1 min of 48 h → 917,014 ppm.
    // (Sampled on the hour, as before, it read a worst of 24 h and 897,959 ppm.)
    let r = run_text(HAND);
    let s = &r.report.summary.rpo[0];
    assert_eq!((s.region.as_str(), s.measured_ms), ("us-west-2", 48 * 3_600_000));
    assert_eq!((s.p50_ms, s.p95_ms, s.max_ms), (43_230_000, 82_110_000, 86_460_000));
    assert_eq!(s.above_target_ppm, Some(917_014));
    let rpo = r.rows("rpo.csv");
    assert_eq!(rpo[24]["rpo_s"], "86400.000", "24 h: copy #2 is not there yet");
    assert_eq!(rpo[25]["rpo_s"], "3600.000");
    assert_eq!(rpo[25]["recoverable_seq"], "2");
}

#[test]
fn rto_worked_out_by_hand() {
    // us-east-1 out at 36 h: the newest copy in us-west-2 is #2, taken at 24 h → 12 h of data lost.
    // The volume is created in 2 min (ready: RTO 120 s) and hydrates lazily at 64 MiB/s:
    // 100 GiB ÷ 64 MiB/s = 1,600 s → fully hydrated at 1,720 s.
    let r = run_text(HAND);
    let d = &r.report.summary.drills[0];
    assert_eq!((d.failed_region.as_str(), d.restored, d.no_copy), ("us-east-1", 1, 0));
    assert_eq!((d.rto_ready_ms, d.rto_hydrated_ms), (Some(120_000), Some(1_720_000)));
    assert_eq!(d.data_loss_ms_max, Some(43_200_000));
    // A provisioned initialization rate of 200 MiB/s: 512 s of hydration.
    let fast = run_text(&HAND.replace(
        "[[regions]]\nname = \"us-east-1\"",
        "[providers.aws_ebs]\ninitialization_rate = \"200MiB/s\"\n[[regions]]\nname = \"us-east-1\"",
    ));
    assert_eq!(fast.report.summary.drills[0].rto_hydrated_ms, Some(632_000));
    // Fast Snapshot Restore: ready and hydrated at once, for $0.75 per DSU-hour.
    let fsr = run_text(&format!("{HAND}[[fast_restore]]\nvolumes = [\"v\"]\nregion = \"us-west-2\"\n"));
    let d = &fsr.report.summary.drills[0];
    assert_eq!((d.rto_ready_ms, d.rto_hydrated_ms), (Some(0), Some(0)));
    let c = fsr.report.summary.cost.as_ref().unwrap();
    // Enabled from the first copy (801,670 ms) to the horizon: 47.777314 h × $0.75 = $35.832985.
    assert_eq!(c.fast_restore_nano_usd / 1_000, 35_832_985, "$35.832985");
}

/// A drill before any copy exists restores nothing: the volume is lost, counted in `no_copy`,
/// and the drill has no RTO and no data-loss time — not "0 s of data lost, RTO 0 s", which read
/// as the best drill possible, nor "5 min lost" (the time since the start), which read as a
/// small loss when the whole volume is gone. Its `restore.csv` row still gives the RPO at the
/// outage (everything since the start).
#[test]
fn a_drill_with_nothing_to_restore_counts_the_volume_lost_and_has_no_rto_nor_loss_time() {
    // Out at 5 min: backup #1 (100 GiB at 200 MB/s) is still uploading, no copy has started.
    let r = run_text(&HAND.replace("at = \"1d 12h\"", "at = \"5m\""));
    let d = &r.report.summary.drills[0];
    assert_eq!((d.restored, d.no_copy), (0, 1));
    assert_eq!((d.rto_ready_ms, d.rto_hydrated_ms), (None, None));
    assert_eq!((d.data_loss_ms_max, d.data_loss_ms_p50), (None, None), "no restored volume");
    let row = &r.rows("restore.csv")[0];
    assert_eq!((row["status"].as_str(), row["data_loss_s"].as_str()), ("no_copy", "300.000"));
    let terminal = copysim::report::terminal::render(&serde_json::to_value(&r.report.summary).expect("json"), "out");
    assert!(
        terminal.contains("0 of 1 volumes restored, 1 lost (no copy), RTO — ready / — hydrated, data loss up to —"),
        "{terminal}"
    );
}

/// A volume of the failed region that no plan copies to another region is lost with it: the
/// drill counts it (`unprotected`), the card is not "all restored", and the sweep metric of
/// volumes the drill could not restore includes it.
#[test]
fn a_drill_counts_the_volumes_of_the_region_with_no_dr_copy_configured() {
    let text = HAND.replace(
        "[[schedules]]",
        "[[volumes]]\nname = \"scratch\"\naccount = \"a\"\nregion = \"us-east-1\"\nsize = \"10GiB\"\n[[schedules]]",
    );
    let r = run_text(&text);
    let d = &r.report.summary.drills[0];
    assert_eq!((d.volumes, d.restored, d.no_copy, d.unprotected), (1, 1, 0, 1));
    let json = serde_json::to_value(&r.report.summary).expect("json");
    let terminal = copysim::report::terminal::render(&json, "out");
    assert!(terminal.contains("1 of 1 volumes restored, 1 more there had no DR copy configured"), "{terminal}");
    let metrics = copysim::sweep::metrics::of(&r.report.summary);
    assert!(metrics.contains(&("drill_unrestored_volumes[us-east-1]".to_string(), 1.0)), "{metrics:?}");
    // Out at 5 min, before any copy: both are gone, the copied one counted as no copy.
    let early = run_text(&text.replace("at = \"1d 12h\"", "at = \"5m\""));
    let d = &early.report.summary.drills[0];
    assert_eq!((d.volumes, d.restored, d.no_copy, d.unprotected), (1, 0, 1, 1));
    let metrics = copysim::sweep::metrics::of(&early.report.summary);
    assert!(metrics.contains(&("drill_unrestored_volumes[us-east-1]".to_string(), 2.0)), "{metrics:?}");
    assert!(!metrics.iter().any(|(n, _)| n.starts_with("drill_data_loss")), "no restored volume: no loss time");
}

/// "Every `region_outage` is also a drill" (docs/model.md): a region whose volumes all lack a DR
/// copy loses them all — the drill is there, with every volume unprotected, not missing (it
/// was left out of summary.json, the terminal and the sweep metrics, as if nothing was lost).
/// An outage of a region holding no volume is a drill with nothing to restore.
#[test]
fn a_drill_where_no_volume_has_a_dr_copy_is_reported_with_every_volume_lost() {
    let r = run_text(&HAND.replace("copy_to = [{ region = \"us-west-2\" }]\n", ""));
    let d = &r.report.summary.drills;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].drill, d[0].volumes, d[0].restored, d[0].no_copy, d[0].unprotected), (1, 0, 0, 0, 1));
    assert_eq!((d[0].rto_ready_ms, d[0].data_loss_ms_max), (None, None));
    let metrics = copysim::sweep::metrics::of(&r.report.summary);
    assert!(metrics.contains(&("drill_unrestored_volumes[us-east-1]".to_string(), 1.0)), "{metrics:?}");
    let json = serde_json::to_value(&r.report.summary).expect("json");
    let terminal = copysim::report::terminal::render(&json, "out");
    assert!(terminal.contains("0 of 0 volumes restored, 1 more there had no DR copy configured"), "{terminal}");
    // The DR region out instead: a drill, numbered, with no volume to restore.
    let dr = run_text(&HAND.replace("region = \"us-east-1\"\nduration", "region = \"us-west-2\"\nduration"));
    let d = &dr.report.summary.drills;
    assert_eq!((d.len(), d[0].failed_region.as_str(), d[0].volumes, d[0].unprotected), (1, "us-west-2", 0, 0));
    let json = serde_json::to_value(&dr.report.summary).expect("json");
    let terminal = copysim::report::terminal::render(&json, "out");
    assert!(terminal.contains("us-west-2 out at 2026-01-02T12:00:00.000Z: no volume there to restore"), "{terminal}");
}

/// A restore makes a volume of the size it had when its backup was taken: a resize after that
/// backup (here after it, but before the outage) does not make the restore hydrate more.
#[test]
fn a_restore_hydrates_the_size_of_the_backup_it_restores_not_the_resized_volume() {
    // Backup #2 (24 h) is 100 GiB and copied; the volume grows to 400 GiB at 30 h; the outage at
    // 36 h restores #2: 100 GiB ÷ 64 MiB/s = 1,600 s after the 2 min create, RTO 1,720 s —
    // not 400 GiB's 6,400 s (6,520 s).
    let r = run_text(&format!(
        "{HAND}[[events]]\nat = \"1d 6h\"\naction = \"resize\"\nvolume = \"v\"\nsize = \"400GiB\"\n"
    ));
    let d = &r.report.summary.drills[0];
    assert_eq!((d.restored, d.rto_hydrated_ms), (1, Some(1_720_000)));
    let restore = r.rows("restore.csv");
    assert_eq!(restore[0]["restored_seq"], "2");
}

#[test]
fn a_consistency_group_restores_together_from_one_instant() {
    let text = r#"name = "cg"
start = "2026-01-01T00:00:00Z"
horizon = "1d"
[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[regions]]
name = "us-east"
provider = "ibm_vpc"
[[accounts]]
name = "a"
[[instances]]
name = "vsi"
account = "a"
region = "us-south"
tags = ["cg"]
[[volumes]]
name = "small"
account = "a"
region = "us-south"
size = "10GB"
instance = "vsi"
[[volumes]]
name = "big"
account = "a"
region = "us-south"
size = "2TB"
instance = "vsi"
[[policies]]
name = "p"
account = "a"
region = "us-south"
tags = ["cg"]
target = "instances"
[[policies.plans]]
name = "four-hourly"
cron = "0 */4 * * *"
copy_to = [{ region = "us-east" }]
[[events]]
at = "22h"
action = "region_outage"
region = "us-south"
duration = "1h"
"#;
    let r = run_text(text);
    let rows = r.rows("restore.csv");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["backup_created_at"], rows[1]["backup_created_at"], "one common instant");
    assert_eq!(rows[0]["ready_at"], rows[1]["ready_at"], "usable together");
    assert_eq!(rows[0]["consistency_group"], "vsi");
}

#[test]
fn a_scenario_missing_a_price_it_needs_fails_validation() {
    let text = std::fs::read_to_string(crate::support::root().join("scenarios/oci-out-of-order.toml")).unwrap();
    let with_cost = text.replace("horizon = \"12h\"", "horizon = \"12h\"\n[cost]");
    let e = copysim::scenario::parse(&with_cost, "oci.toml").unwrap_err();
    let shown = e.to_string();
    assert!(shown.contains("no backup storage price for uk-london-1 (oci)"), "{shown}");
    assert!(shown.contains("no transfer price for uk-london-1 → eu-frankfurt-1 (oci)"), "{shown}");
    assert!(shown.starts_with("oci.toml:"), "{shown}");
    let priced = with_cost.replace(
        "[cost]",
        "[cost]\nprices = [{ provider = \"oci\", storage_per_gb_month = 0.0255, transfer_per_gb = 0.0085 }]",
    );
    let s = copysim::scenario::parse(&priced, "oci.toml").expect("priced");
    assert!(s.cost.is_some());
}

use crate::support::copysim;

#[test]
fn charts_and_the_html_report_are_self_contained_and_byte_identical() {
    let d = std::env::temp_dir().join(format!("copysim-charts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    for out in ["a", "b"] {
        let o = copysim(&["run", "--charts", "-q", "--out", out], &d);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let names = ["chart-copies-in-flight", "chart-rpo", "chart-cost", "chart-copy-reasons", "chart-restore"];
    for n in names {
        for ext in ["png", "svg"] {
            let f = format!("{n}.{ext}");
            let a = std::fs::read(d.join("a").join(&f)).unwrap();
            assert!(a.len() > 1_000, "{f} drawn");
            assert_eq!(a, std::fs::read(d.join("b").join(&f)).unwrap(), "{f} identical across runs");
        }
        let png = std::fs::read(d.join("a").join(format!("{n}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let svg = std::fs::read_to_string(d.join("a").join(format!("{n}.svg"))).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    }
    let html = std::fs::read_to_string(d.join("a/report.html")).unwrap();
    assert_eq!(html, std::fs::read_to_string(d.join("b/report.html")).unwrap());
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert_eq!(html.matches("<svg ").count(), 5, "every chart inline");
    assert!(html.contains("id=\"headline\""), "the answers first");
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("<script"), "no network");
    assert_eq!(html.matches("<table").count(), html.matches("</table>").count());
    // `copysim chart` redraws them from the report files alone: the same bytes.
    std::fs::remove_file(d.join("a/chart-rpo.png")).unwrap();
    std::fs::remove_file(d.join("a/report.html")).unwrap();
    let o = copysim(&["chart", "a"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(d.join("a/chart-rpo.png")).unwrap(), std::fs::read(d.join("b/chart-rpo.png")).unwrap());
    assert_eq!(std::fs::read_to_string(d.join("a/report.html")).unwrap(), html);
    let o = copysim(&["chart", "nowhere"], &d);
    assert_eq!(o.status.code(), Some(2));
}

/// Per region, the cost adds up to the whole: transfer is billed to the region copies leave,
/// storage where each backup is kept.
#[test]
fn cost_by_region_adds_up_to_the_totals() {
    let r = run_text(HAND);
    let c = r.report.summary.cost.as_ref().expect("[cost] present");
    let (east, west) = (&c.by_region["us-east-1"], &c.by_region["us-west-2"]);
    assert_eq!((east.transfer_nano_usd, west.transfer_nano_usd), (2_000_000_000, 0), "billed where the copy leaves");
    assert_eq!(east.storage_nano_usd + west.storage_nano_usd, c.storage_nano_usd);
    assert_eq!(east.total_nano_usd + west.total_nano_usd, c.total_nano_usd);
    let rate = east.monthly_run_rate_nano_usd + west.monthly_run_rate_nano_usd;
    assert!(rate.abs_diff(c.monthly_run_rate_nano_usd) <= 2, "{rate} vs {}", c.monthly_run_rate_nano_usd);
}

#[test]
fn a_copy_still_moving_at_the_horizon_counts_and_bills_what_it_moved() {
    // HAND cut at 700 s: backup #1 is available at 596,870 ms and its copy moves at 500 MiB/s
    // (524,288 B/ms), so by the horizon it moved 103,130 ms × 524,288 B/ms = 54,069,821,440 B
    // of its 107,374,182,400. They crossed during the run: the row, the total, the link and the
    // transfer bill ($0.02 per GiB: 54,069,821,440 ÷ 2^30 = 50.356445 GiB × $0.02 = $1.007129) all take
    // them.
    // (The totals once said 0 B moved and $0 of transfer.)
    let text = HAND.replace("horizon = \"2d\"", "horizon = \"700s\"");
    let text = &text[..text.find("[[events]]").expect("events")];
    let r = run_text(text);
    let moved: u64 = 103_130 * 524_288;
    let row = r.copy("v", 1, "us-west-2");
    assert_eq!((row["state"].as_str(), row["bytes_transferred"].parse::<u64>().unwrap()), ("COPYING", moved));
    let s = &r.report.summary;
    assert_eq!(s.copies.bytes_transferred, moved);
    assert_eq!(s.links[0].bytes_carried, moved);
    assert_eq!(s.links[0].transfers, 0, "no transfer ended");
    assert_eq!(s.copies.by_kind.get("full"), None, "a copy counts as full once it completed");
    let c = s.cost.as_ref().expect("[cost] present");
    assert_eq!(c.transfer_nano_usd, 1_007_128_906);
    // With a 1 h latency and the horizon at 900 s, every byte has crossed (at 801,670 ms) and the
    // copy waits out its latency: the link counted its bytes once, when they crossed, not again
    // at the horizon (it read 200 GiB carried for a 100 GiB copy).
    let text = text
        .replace("horizon = \"700s\"", "horizon = \"900s\"")
        .replace("copy_throughput_cap = \"500MiB/s\"", "copy_throughput_cap = \"500MiB/s\"\nlatency = \"1h\"");
    let r = run_text(&text);
    let s = &r.report.summary;
    let all: u64 = 107_374_182_400;
    assert_eq!(r.copy("v", 1, "us-west-2")["state"], "COPYING");
    assert_eq!((s.copies.bytes_transferred, s.links[0].bytes_carried, s.links[0].transfers), (all, all, 1));
}
