//! RPO: for each volume and each of its DR regions, the age of the newest source backup whose
//! copy is available there — followed online by [`crate::analysis::recovery`], sampled for
//! `rpo.csv` and `rpo_fleet.csv`, and summarised per region here over time.

use std::collections::BTreeMap;

use crate::kernel::SimDuration;
use crate::model::{RegionId, VolumeId};
use crate::scenario::Scenario;

/// The DR regions of each volume: its copy targets other than its own region, in first-seen order.
pub fn dr_regions(s: &Scenario) -> BTreeMap<VolumeId, Vec<RegionId>> {
    let mut out: BTreeMap<VolumeId, Vec<RegionId>> = BTreeMap::new();
    for sch in &s.schedules {
        for &v in &sch.volumes {
            for t in &sch.targets {
                let list = out.entry(v).or_default();
                if t.region != s.world.volume(v).region && !list.contains(&t.region) {
                    list.push(t.region);
                }
            }
        }
    }
    out
}

/// RPO statistics of one DR region, over every volume's measured time (exact: a volume's RPO
/// rises one second per second between restore points, see [`crate::analysis::sawtooth`]).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RegionRpo {
    /// The DR region.
    pub region: String,
    /// Time measured, summed over the volumes copied there, ms.
    pub measured_ms: u64,
    /// Median over that time, ms (within 0.1 %).
    pub p50_ms: u64,
    /// 95th percentile over that time, ms (within 0.1 %).
    pub p95_ms: u64,
    /// Worst, ms (exact: the RPO just before a restore point arrived, or at the window's end).
    pub max_ms: u64,
    /// The scenario's target, ms (null: none set).
    pub target_ms: Option<u64>,
    /// Share of that time above the target, in parts per million (rounded to the nearest; null
    /// without a target: no time is above a target that does not exist, nor below it).
    pub above_target_ppm: Option<u64>,
}

/// The statistics of one DR region's RPO over time.
pub fn region_rpo(region: &str, v: &crate::analysis::sawtooth::Sawtooth, target: Option<SimDuration>) -> RegionRpo {
    RegionRpo {
        region: region.to_string(),
        measured_ms: u64::try_from(v.total_ms()).unwrap_or(u64::MAX),
        p50_ms: v.percentile(50),
        p95_ms: v.percentile(95),
        max_ms: v.max_ms(),
        target_ms: target.map(|t| t.as_ms()),
        above_target_ppm: target.map(|_| v.above_ppm()),
    }
}
