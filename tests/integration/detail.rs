//! `--detail summary` writes fleet-level files only, and the same `summary.json` as `full`.

use copysim::report::{self, Detail};

use crate::support::{load, scenario_files};

#[test]
fn summary_detail_gives_the_same_summary_json_as_full() {
    for f in scenario_files() {
        let s = load(&f);
        let (_, full) = report::in_memory(&s, Detail::Full).expect("runs");
        let (_, brief) = report::in_memory(&s, Detail::Summary).expect("runs");
        let get = |r: &report::Report, n: &str| r.files.iter().find(|(name, _)| name == n).map(|(_, b)| b.clone());
        assert_eq!(get(&full, "summary.json"), get(&brief, "summary.json"), "{f}");
        assert_eq!(get(&full, "cost.csv"), get(&brief, "cost.csv"), "{f}");
        for per_row in ["copies.csv", "backups.csv", "actions.csv", "rpo.csv"] {
            assert!(get(&brief, per_row).is_none(), "{f}: {per_row} written with --detail summary");
        }
        assert!(get(&brief, "rpo_fleet.csv").is_some(), "{f}");
        let outage = s.actions.iter().any(|a| a.name == "region_outage");
        assert_eq!(get(&brief, "restore.csv").is_some(), outage, "{f}: restore.csv only when a region goes out");
        let (_, again) = report::in_memory(&s, Detail::Summary).expect("runs");
        assert_eq!(brief.files, again.files, "{f}: same scenario and seed, same bytes");
    }
}
