//! Drills over several DR regions: each volume is restored from its newest copy, in whichever
//! DR region holds it, and a drill's figures are the worst over all of them; `summary.json`
//! `drills[].restored_into` (and the terminal's drill line) give each region's restores, so a
//! planner failing over to one of them reads its own RTO and data loss.

use crate::queue_wait_by_region::TWO_DR_REGIONS;
use crate::support::run_text;

/// A drill over two DR regions says where its volumes were restored and each region's figures:
/// us-east-1 out at 20 h, its 30 busy volumes restored in eu-west-1 and its quiet one in
/// us-west-2 (each from its newest copy, each held in one region only).
#[test]
fn a_drill_over_two_dr_regions_gives_each_regions_restores() {
    let outage = format!(
        "{TWO_DR_REGIONS}[[events]]\nat = \"20h\"\naction = \"region_outage\"\nregion = \"us-east-1\"\nduration = \"2h\"\n"
    );
    let r = run_text(&outage);
    let d = &r.report.summary.drills[0];
    let into: Vec<(&str, u64)> = d.restored_into.iter().map(|x| (x.region.as_str(), x.restored)).collect();
    assert_eq!(into, [("eu-west-1", 30), ("us-west-2", 1)]);
    assert_eq!(d.restored, 31);
    // The drill's figures are the worst of its regions'.
    let worst = |f: fn(&copysim::report::drill::DrillRegion) -> u64| d.restored_into.iter().map(f).max();
    assert_eq!(worst(|x| x.rto_ready_ms), d.rto_ready_ms);
    assert_eq!(worst(|x| x.rto_hydrated_ms), d.rto_hydrated_ms);
    assert_eq!(worst(|x| x.data_loss_ms_max), d.data_loss_ms_max);
    let json = serde_json::to_value(&r.report.summary).expect("json");
    let terminal = copysim::report::terminal::render(&json, "out");
    let line = terminal.lines().find(|l| l.starts_with("  drill 1 ")).unwrap_or_else(|| panic!("{terminal}"));
    assert!(line.contains("(30 in eu-west-1, RTO ") && line.contains("; 1 in us-west-2, RTO "), "{line}");
}
