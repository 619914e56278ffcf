//! Disaster drills: when a region goes out, every affected volume is restored in its DR region
//! from the newest copy available at that instant (a [`Snapshot`] the recovery observer takes
//! at the outage instant). Restore time comes from size and the
//! provider's restore throughput (lazy hydration, or a provisioned initialization rate); fast
//! restore makes a volume ready and hydrated at once; restores queue behind the DR region's
//! restore concurrency; a consistency group restores together from one common instant.

use std::collections::BTreeMap;

use crate::analysis::cost::FirstAvailable;
use crate::cost::ledger::FastRestore;
use crate::kernel::{SimDuration, SimTime};
use crate::model::{RegionId, VolumeId, World};
use crate::scenario::Scenario;

/// What every affected volume could be restored from when a region went out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// The outage instant.
    pub at: SimTime,
    /// The region that went out.
    pub failed: RegionId,
    /// Per affected volume (id order), per DR region (scenario order): `(source created_at, seq,
    /// full bytes)` of every copy available there, oldest first — each `created_at` `head_ms`
    /// later than it is, so that a warm copy's, before the start, is not below zero.
    pub volumes: Vec<(VolumeId, Vec<RegionCopies>)>,
    /// How much later than they are the `created_at`s read ([`crate::scenario::Scenario::warm_head_ms`]).
    pub head_ms: u64,
}

/// A DR region and the `(source created_at, seq, full bytes)` of every copy available there,
/// oldest first: a restore from it makes a volume of the size the volume had when its source
/// backup was taken (not its size at the outage, nor at the horizon).
pub type RegionCopies = (RegionId, Vec<(SimTime, u32, u64)>);

/// What a drill reads besides its snapshot: the world at the horizon (volume sizes, provider
/// parameters), each volume's consistency group, when fast restore became usable.
pub struct Context<'a> {
    /// The final world (live state only is read).
    pub world: &'a World,
    /// Fast restore settings.
    pub fast: &'a [FastRestore],
    /// Per volume, its consistency group.
    pub groups: &'a [Option<u32>],
    /// First usable backup per fast-restore volume and region.
    pub first: &'a FirstAvailable,
}

/// One volume's restore.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restore {
    /// Which drill (outage) it belongs to, 0-based.
    pub drill: usize,
    /// When the region went out.
    pub outage_at: SimTime,
    /// The region that went out.
    pub failed_region: RegionId,
    /// The volume.
    pub volume: VolumeId,
    /// Where it is restored (None: no DR copy existed).
    pub dr_region: Option<RegionId>,
    /// Restored from backup #seq.
    pub seq: Option<u32>,
    /// Its creation, in milliseconds from the start: before it (negative) for a warm copy,
    /// which stands for a run before the start (`backups.csv` reads the start for it), so that
    /// `data_loss` is the outage instant minus it in every row.
    pub backup_created_ms: Option<i64>,
    /// Data lost: the outage instant minus the restored backup's creation.
    pub data_loss: Option<SimDuration>,
    /// Fast restore was enabled there.
    pub fast_restore: bool,
    /// Its consistency group (instance index), restored together.
    pub group: Option<u32>,
    /// When its restore started (after the restore queue).
    pub started_at: Option<SimTime>,
    /// Usable.
    pub ready_at: Option<SimTime>,
    /// Fully hydrated.
    pub hydrated_at: Option<SimTime>,
}

/// Runs every drill of `snapshots`.
pub fn run(cx: &Context<'_>, snapshots: &[Snapshot]) -> Vec<Restore> {
    let mut out = Vec::new();
    for (drill, snap) in snapshots.iter().enumerate() {
        let plans = plan_restores(cx, snap);
        out.extend(schedule(cx, drill, snap, plans));
    }
    out
}

/// `(volume, (dr region, seq, created_at, full bytes), group)` for each affected volume.
type Plan = (VolumeId, Option<(RegionId, u32, SimTime, u64)>, Option<u32>);

type Sets = [RegionCopies];

fn plan_restores(cx: &Context<'_>, snap: &Snapshot) -> Vec<Plan> {
    let mut plans: Vec<Plan> = Vec::new();
    let mut groups: BTreeMap<u32, Vec<(VolumeId, &Sets)>> = BTreeMap::new();
    for (v, sets) in &snap.volumes {
        match cx.groups[v.index()] {
            Some(g) => groups.entry(g).or_default().push((*v, sets)),
            None => plans.push((*v, best(sets), None)),
        }
    }
    for (g, members) in groups {
        // The newest instant every member has a copy of, in one DR region.
        let regions: Vec<RegionId> = members[0].1.iter().map(|(r, _)| *r).collect();
        let set_in = |sets: &Sets, r: RegionId| -> Vec<(SimTime, u32, u64)> {
            sets.iter().find(|(x, _)| *x == r).map(|(_, l)| l.clone()).unwrap_or_default()
        };
        let common = regions.iter().find_map(|&r| {
            let sets: Vec<Vec<(SimTime, u32, u64)>> = members.iter().map(|(_, s)| set_in(s, r)).collect();
            let mut instants: Vec<SimTime> = sets[0].iter().map(|(c, ..)| *c).collect();
            instants.sort_unstable();
            instants
                .into_iter()
                .rev()
                .find(|t| sets.iter().all(|set| set.iter().any(|(c, ..)| c == t)))
                .map(|t| (r, t, sets))
        });
        for (i, &(v, sets)) in members.iter().enumerate() {
            let choice = match &common {
                Some((r, t, sets)) => sets[i].iter().find(|(c, ..)| c == t).map(|&(c, q, b)| (*r, q, c, b)),
                None => best(sets),
            };
            plans.push((v, choice, Some(g)));
        }
    }
    plans.sort_by_key(|p| (p.2, p.0));
    plans
}

/// The DR region holding the newest copy.
fn best(sets: &Sets) -> Option<(RegionId, u32, SimTime, u64)> {
    sets.iter()
        .filter_map(|(r, l)| l.iter().max().map(|&(created, seq, bytes)| (created, *r, seq, bytes)))
        .max_by_key(|&(created, r, ..)| (created, std::cmp::Reverse(r)))
        .map(|(created, r, seq, bytes)| (r, seq, created, bytes))
}

fn schedule(cx: &Context<'_>, drill: usize, snap: &Snapshot, plans: Vec<Plan>) -> Vec<Restore> {
    let (at, failed) = (snap.at, snap.failed);
    // The restore point's source time as it is (a warm copy's stands for a run before the start:
    // negative, where backups.csv reads the start), and the data lost since it.
    let real =
        |created: SimTime| i64::try_from(created.as_ms()).unwrap_or(i64::MAX).saturating_sub_unsigned(snap.head_ms);
    let lost = |created: SimTime| SimTime(at.as_ms() + snap.head_ms).since(created);
    let mut slots: BTreeMap<RegionId, Vec<SimTime>> = BTreeMap::new();
    let mut out = Vec::new();
    for (v, choice, group) in plans {
        let mut r = Restore {
            drill,
            outage_at: at,
            failed_region: failed,
            volume: v,
            dr_region: None,
            seq: None,
            backup_created_ms: None,
            // Nothing to restore from: everything since the start is lost (as RPO counts a
            // volume with no restore point yet); a restore below sets its own.
            data_loss: Some(at.since(SimTime::ZERO)),
            fast_restore: false,
            group,
            started_at: None,
            ready_at: None,
            hydrated_at: None,
        };
        if let Some((region, seq, created, size)) = choice {
            let w = cx.world;
            let p = *w.params(w.region(region).provider);
            let limit = p.restore_concurrency as usize;
            let queue = slots.entry(region).or_default();
            let start = if limit > 0 && queue.len() >= limit {
                queue.sort_unstable();
                queue.remove(0).max(at)
            } else {
                at
            };
            let warm = cx.fast.iter().any(|f| f.region == region && f.volumes.contains(&v))
                && cx.first.get(v, region).is_some_and(|t| t <= at)
                && (group.is_none() || crate::providers::rules(w.region(region).provider).fast_restore_for_groups());
            let (ready, hydrated) = if warm {
                (start, start)
            } else {
                let rate = p.initialization_bytes_per_s.unwrap_or(p.hydration_bytes_per_s).max(1);
                let ready = start + p.restore_base_duration;
                let ms = u128::from(size) * 1_000 / u128::from(rate);
                (ready, ready + SimDuration(u64::try_from(ms).unwrap_or(u64::MAX)))
            };
            if limit > 0 {
                queue.push(ready);
            }
            r = Restore {
                dr_region: Some(region),
                seq: Some(seq),
                backup_created_ms: Some(real(created)),
                data_loss: Some(lost(created)),
                fast_restore: warm,
                started_at: Some(start),
                ready_at: Some(ready),
                hydrated_at: Some(hydrated),
                ..r
            };
        }
        out.push(r);
    }
    // A consistency group is usable when all its members are.
    let mut group_ready: BTreeMap<u32, SimTime> = BTreeMap::new();
    for r in &out {
        if let (Some(g), Some(t)) = (r.group, r.ready_at) {
            let e = group_ready.entry(g).or_insert(t);
            *e = (*e).max(t);
        }
    }
    for r in &mut out {
        if let (Some(g), Some(_)) = (r.group, r.ready_at) {
            r.ready_at = Some(group_ready[&g]);
            r.hydrated_at = r.hydrated_at.map(|h| h.max(group_ready[&g]));
        }
    }
    out
}

/// The fleet's figures for one drill.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DrillSummary {
    /// The drill's number, as in `restore.csv`: the n-th `region_outage` of the scenario (from 1).
    pub drill: u64,
    /// The region that went out.
    pub failed_region: String,
    /// When.
    pub outage_at: String,
    /// Volumes there with DR copies configured.
    pub volumes: u64,
    /// Restored.
    pub restored: u64,
    /// No copy was available: lost.
    pub no_copy: u64,
    /// Volumes there with no DR copy configured (no copy target in another region): lost with
    /// the region, and not among `volumes`.
    pub unprotected: u64,
    /// Until every restored volume is usable, ms (null: none could be restored).
    pub rto_ready_ms: Option<u64>,
    /// Until every restored volume is fully hydrated, ms (null: none could be restored).
    pub rto_hydrated_ms: Option<u64>,
    /// Worst data loss of a restored volume, ms (null: none could be restored; a volume with no
    /// copy loses everything, counted in `no_copy`, not as a time).
    pub data_loss_ms_max: Option<u64>,
    /// Median data loss of the restored volumes, ms (null: none could be restored).
    pub data_loss_ms_p50: Option<u64>,
    /// Where the restored volumes were restored (each from its newest copy, in whichever DR
    /// region holds it), per region in region order: a planner failing over to one of several DR
    /// regions reads its own figures here.
    pub restored_into: Vec<DrillRegion>,
}

/// The restored volumes of one drill in one DR region.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DrillRegion {
    /// The DR region.
    pub region: String,
    /// Volumes restored there.
    pub restored: u64,
    /// Until every one of them is usable, ms.
    pub rto_ready_ms: u64,
    /// Until every one of them is fully hydrated, ms.
    pub rto_hydrated_ms: u64,
    /// Worst data loss among them, ms.
    pub data_loss_ms_max: u64,
}

/// [`DrillRegion`]s of the restored volumes `restored` of a drill that began at `at`.
fn restored_into(w: &World, at: SimTime, restored: &[&Restore]) -> Vec<DrillRegion> {
    let mut by: BTreeMap<RegionId, DrillRegion> = BTreeMap::new();
    for r in restored {
        let (Some(region), Some(ready)) = (r.dr_region, r.ready_at) else { continue };
        let e = by.entry(region).or_insert_with(|| DrillRegion {
            region: w.region(region).name.clone(),
            restored: 0,
            rto_ready_ms: 0,
            rto_hydrated_ms: 0,
            data_loss_ms_max: 0,
        });
        e.restored += 1;
        e.rto_ready_ms = e.rto_ready_ms.max(ready.since(at).as_ms());
        e.rto_hydrated_ms = e.rto_hydrated_ms.max(r.hydrated_at.unwrap_or(ready).since(at).as_ms());
        e.data_loss_ms_max = e.data_loss_ms_max.max(r.data_loss.map_or(0, |d| d.as_ms()));
    }
    by.into_values().collect()
}

/// Summaries per drill: one per region outage (`outages`, `(instant, failed region)` in the
/// order they happened), whether or not any of its volumes could be restored — a region whose
/// volumes all lack a DR copy is a drill that lost them all, not no drill.
pub fn summarise(s: &Scenario, w: &World, outages: &[(SimTime, RegionId)], restores: &[Restore]) -> Vec<DrillSummary> {
    let protected = crate::report::rpo::dr_regions(s);
    let mut by: BTreeMap<usize, Vec<&Restore>> = BTreeMap::new();
    for r in restores {
        by.entry(r.drill).or_default().push(r);
    }
    outages
        .iter()
        .enumerate()
        .map(|(drill, &(at, failed))| {
            let rs = by.remove(&drill).unwrap_or_default();
            let ready = rs.iter().filter_map(|r| r.ready_at).max().map(|t| t.since(at).as_ms());
            let hydrated = rs.iter().filter_map(|r| r.hydrated_at).max().map(|t| t.since(at).as_ms());
            let restored: Vec<&Restore> = rs.iter().copied().filter(|r| r.ready_at.is_some()).collect();
            let mut loss: Vec<u64> = restored.iter().filter_map(|r| r.data_loss).map(|d| d.as_ms()).collect();
            loss.sort_unstable();
            let p50 = (!loss.is_empty()).then(|| super::percentile(&loss, 50));
            let unprotected = w
                .volumes
                .iter()
                .filter(|v| v.region == failed && protected.get(&v.id).is_none_or(Vec::is_empty))
                .count();
            DrillSummary {
                drill: drill as u64 + 1,
                failed_region: w.region(failed).name.clone(),
                outage_at: super::timestamp(s.start, at),
                volumes: rs.len() as u64,
                restored: restored.len() as u64,
                no_copy: (rs.len() - restored.len()) as u64,
                unprotected: unprotected as u64,
                rto_ready_ms: ready,
                rto_hydrated_ms: hydrated,
                data_loss_ms_max: loss.last().copied(),
                data_loss_ms_p50: p50,
                restored_into: restored_into(w, at, &restored),
            }
        })
        .collect()
}
