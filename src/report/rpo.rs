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
    /// Median, seconds.
    pub p50_s: String,
    /// 95th percentile, seconds.
    pub p95_s: String,
    /// Worst, seconds.
    pub max_s: String,
    /// The scenario's target, seconds (empty: none set).
    pub target_s: String,
    /// Share of samples above the target, in parts per million.
    pub above_target_ppm: u64,
}

/// The statistics of one DR region's samples.
pub fn region_rpo(region: &str, v: &crate::analysis::tally::Counted, target: Option<SimDuration>) -> RegionRpo {
    let above = target.map_or(0, |t| v.above(t.as_ms()));
    RegionRpo {
        region: region.to_string(),
        samples: v.len(),
        p50_s: super::seconds(v.percentile(50)),
        p95_s: super::seconds(v.percentile(95)),
        max_s: super::seconds(v.max()),
        target_s: target.map(|t| super::seconds(t.as_ms())).unwrap_or_default(),
        above_target_ppm: above * 1_000_000 / v.len().max(1),
    }
}
