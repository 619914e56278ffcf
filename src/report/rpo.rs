//! RPO: for each volume and each of its DR regions, the age of the newest source backup whose
//! copy is available there, sampled over time (`rpo.csv`) and summarised per region.

use std::collections::BTreeMap;

use crate::kernel::{SimDuration, SimTime};
use crate::model::{CopyKind, RegionId, VolumeId, World};
use crate::scenario::Scenario;

/// One sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sample {
    /// When.
    pub at: SimTime,
    /// The volume.
    pub volume: VolumeId,
    /// The DR region.
    pub region: RegionId,
    /// Data at risk: now minus the newest recoverable backup's creation (since the start when none).
    pub rpo: SimDuration,
    /// The seq of the newest recoverable backup, if any.
    pub seq: Option<u32>,
}

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

/// `(available from, available until, source created_at, seq)` of every copy of `v` in `region`.
pub fn recoverable(w: &World, v: VolumeId, region: RegionId) -> Vec<(SimTime, SimTime, SimTime, u32)> {
    let Some(chain) = w.volume(v).dest(region, w.volume(v).account) else { return Vec::new() };
    chain
        .started
        .iter()
        .map(|&c| w.copy(c))
        .filter(|c| c.kind != Some(CopyKind::Share) && c.dest_backup.is_some())
        .map(|c| {
            let b = w.backup(c.dest_backup.expect("filtered"));
            let created = w.backup(w.source_of(c.source)).created_at;
            (b.available_at.unwrap_or(b.created_at), b.deleted_at.unwrap_or(SimTime::MAX), created, c.seq)
        })
        .collect()
}

/// The newest recoverable `(created_at, seq)` at `t` among `copies`.
pub fn newest_at(copies: &[(SimTime, SimTime, SimTime, u32)], t: SimTime) -> Option<(SimTime, u32)> {
    copies
        .iter()
        .filter(|(from, until, _, _)| *from <= t && t < *until)
        .map(|&(_, _, created, seq)| (created, seq))
        .max()
}

/// Samples every `resolution` from the start to the horizon, for every volume and DR region.
pub fn timeline(s: &Scenario, w: &World, resolution: SimDuration) -> Vec<Sample> {
    let mut out = Vec::new();
    let step = resolution.as_ms().max(1);
    for (v, regions) in dr_regions(s) {
        for r in regions {
            let copies = recoverable(w, v, r);
            let mut t = 0;
            while t <= s.horizon.as_ms() {
                let at = SimTime(t);
                let newest = newest_at(&copies, at);
                let rpo = newest.map_or(SimDuration(t), |(created, _)| at.since(created));
                out.push(Sample { at, volume: v, region: r, rpo, seq: newest.map(|(_, seq)| seq) });
                t += step;
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

/// Per-region statistics of `samples`.
pub fn summarise(w: &World, samples: &[Sample], target: Option<SimDuration>) -> Vec<RegionRpo> {
    let mut by: BTreeMap<RegionId, Vec<u64>> = BTreeMap::new();
    for s in samples {
        by.entry(s.region).or_default().push(s.rpo.as_ms());
    }
    by.into_iter()
        .map(|(r, mut v)| {
            v.sort_unstable();
            let above = target.map_or(0, |t| v.iter().filter(|&&x| x > t.as_ms()).count() as u64);
            RegionRpo {
                region: w.region(r).name.clone(),
                samples: v.len() as u64,
                p50_s: super::seconds(super::percentile(&v, 50)),
                p95_s: super::seconds(super::percentile(&v, 95)),
                max_s: super::seconds(*v.last().expect("non-empty")),
                target_s: target.map(|t| super::seconds(t.as_ms())).unwrap_or_default(),
                above_target_ppm: above * 1_000_000 / v.len() as u64,
            }
        })
        .collect()
}
