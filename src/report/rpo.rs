//! RPO: for each volume and each of its DR regions, the age of the newest source backup whose
//! copy is available there — sampled online by [`crate::analysis::recovery`] (`rpo.csv`,
//! `rpo_fleet.csv`) and summarised per region here.

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

/// RPO statistics of one DR region.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RegionRpo {
    /// The DR region.
    pub region: String,
    /// Samples (volumes × times).
    pub samples: u64,
    /// Median, ms.
    pub p50_ms: u64,
    /// 95th percentile, ms.
    pub p95_ms: u64,
    /// Worst, ms.
    pub max_ms: u64,
    /// The scenario's target, ms (null: none set).
    pub target_ms: Option<u64>,
    /// Share of samples above the target, in parts per million.
    pub above_target_ppm: u64,
}

/// The statistics of one DR region's samples.
pub fn region_rpo(region: &str, v: &crate::analysis::tally::Counted, target: Option<SimDuration>) -> RegionRpo {
    let above = target.map_or(0, |t| v.above(t.as_ms()));
    RegionRpo {
        region: region.to_string(),
        samples: v.len(),
        p50_ms: v.percentile(50),
        p95_ms: v.percentile(95),
        max_ms: v.max(),
        target_ms: target.map(|t| t.as_ms()),
        above_target_ppm: above * 1_000_000 / v.len().max(1),
    }
}
