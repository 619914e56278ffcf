//! Invariants checked online, as transitions happen, from records alone (independently of the
//! planner's own counters): quotas never exceeded, no copy before its source is ready, no
//! incremental copy without the predecessor its rule needs (the provider's
//! [`BaseRule`]), lineages that serialize one copy at a time, no restore point before its copy
//! completed.
//! Links within their bandwidth is checked at the horizon from the links' own peaks, and the
//! plans' retention by [`super::plan_checks`].

use std::collections::BTreeMap;

use super::catalog::Catalog;
use super::seqs::SeqRun;
use crate::kernel::SimTime;
use crate::model::params::QuotaScope;
use crate::model::{BackupState, Copy, CopyId, CopyKind, Origin, Provider, Reason, VolumeId, World};
use crate::providers::{BaseRule, rules};
use crate::record::{Observer, Record, facts};

/// Concurrent intervals, counted as the offline check sorted them: at one instant, the ends
/// before the starts.
#[derive(Clone, Copy, Debug, Default)]
struct Overlap {
    cur: i32,
    at: SimTime,
    ends: i32,
    starts: i32,
    max: i32,
}

impl Overlap {
    fn settle(&mut self) {
        self.cur += self.starts - self.ends;
        self.max = self.max.max(self.cur);
        (self.ends, self.starts) = (0, 0);
    }
    fn step(&mut self, at: SimTime, delta: i32) {
        if at != self.at {
            self.settle();
            self.at = at;
        }
        if delta > 0 { self.starts += 1 } else { self.ends += 1 }
    }
    fn peak(mut self) -> i32 {
        self.settle();
        self.max
    }
}

/// `(volume, destination region, account)`.
type Lineage = (u32, u16, u16);

/// What counts as a predecessor in one destination: copies completed and not deleted (`ok`),
/// copies started and neither failed nor deleted (`started`); seq → how many.
///
/// A copy closed AVAILABLE stays to the horizon, completed: it leaves both runs and only the
/// lowest such seq is kept (`lowest_kept`), since the checks read only the lowest seq and
/// whether there is any. Taking each kept copy out of the runs as it closes (they close in
/// seq order: superseded copies as they settle, the rest at the horizon) takes the runs'
/// oldest seq, which keeps them unbroken runs (two numbers, no buffer).
#[derive(Default)]
struct Dest {
    ok: SeqRun,
    started: SeqRun,
    /// The lowest seq whose copy stays to the horizon (in neither run).
    lowest_kept: Option<u32>,
}

impl Dest {
    /// The lowest seq started and neither failed nor deleted.
    fn first_started(&self) -> Option<u32> {
        min_of(self.started.first(), self.lowest_kept)
    }

    /// The lowest seq completed and not deleted.
    fn first_ok(&self) -> Option<u32> {
        min_of(self.ok.first(), self.lowest_kept)
    }
}

/// The smaller of two seqs, either possibly absent.
fn min_of(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// One destination's predecessors and its EBS lineage's overlap, by `(region, account)`.
type Entry = ((u16, u16), Dest, Overlap);

/// Per volume, per `(destination region, account)`: its predecessors and its EBS lineage's
/// overlap. The first inline: most volumes have one destination, and the checks visit it on
/// every copy (no buffer to fetch).
type PerVolume = Vec<smallvec::SmallVec<[Entry; 1]>>;

/// The online transfer checker.
pub struct TransferChecks {
    cat: std::rc::Rc<Catalog>,
    /// Per quota scope `(provider, account, region)`: a few, searched in a short list.
    quotas: Vec<((Provider, u16, u16), Overlap)>,
    dests: PerVolume,
    /// Removals that count only after their instant: `(at, lineage, seq, from ok too)`.
    later: Vec<(SimTime, Lineage, u32, bool)>,
    /// Incremental copies without a predecessor, unless they turn out to fail at once.
    suspects: BTreeMap<CopyId, String>,
    violations: Vec<String>,
}

fn lineage(c: &Copy) -> Lineage {
    (c.volume.0, c.dest_region.0, c.account.0)
}

impl TransferChecks {
    /// Checks against the scenario's names and parameters.
    pub fn new(cat: std::rc::Rc<Catalog>) -> Self {
        Self {
            cat,
            quotas: Vec::new(),
            dests: Vec::new(),
            later: Vec::new(),
            suspects: BTreeMap::new(),
            violations: Vec::new(),
        }
    }

    fn w(&self) -> &World {
        self.cat.world()
    }

    fn dest(&mut self, (v, r, a): Lineage) -> &mut ((u16, u16), Dest, Overlap) {
        let v = v as usize;
        if self.dests.len() <= v {
            self.dests.resize_with(v + 1, Default::default);
        }
        let list = &mut self.dests[v];
        let i = match list.iter().position(|e| e.0 == (r, a)) {
            Some(i) => i,
            None => {
                list.push(((r, a), Dest::default(), Overlap::default()));
                list.len() - 1
            }
        };
        &mut list[i]
    }

    fn apply_later(&mut self, now: SimTime) {
        if self.later.first().is_none_or(|(t, ..)| *t >= now) {
            return;
        }
        let (due, keep): (Vec<_>, Vec<_>) = self.later.drain(..).partition(|(t, ..)| *t < now);
        self.later = keep;
        for (_, key, seq, ok_too) in due {
            let d = &mut self.dest(key).1;
            d.started.take(seq);
            if ok_too {
                d.ok.take(seq);
            }
        }
    }

    /// Steps the quota scope of copy `c` (of provider `p`) by `delta` at `at`.
    fn quota_step(&mut self, at: SimTime, c: &Copy, p: Provider, delta: i32) {
        let region = match self.w().params(p).quota_scope {
            QuotaScope::None => None,
            QuotaScope::AccountSourceRegion => Some(c.source_region),
            QuotaScope::AccountDestRegion => Some(c.dest_region),
        };
        if let Some(r) = region {
            let key = (p, c.account.0, r.0);
            let i = match self.quotas.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    self.quotas.push((key, Overlap::default()));
                    self.quotas.len() - 1
                }
            };
            self.quotas[i].1.step(at, delta);
        }
    }

    fn on_started(&mut self, at: SimTime, c: &Copy, source: &crate::model::Backup) {
        let p = self.w().provider_of(c);
        let rules = rules(p);
        let ready = match rules.source_ready_state() {
            BackupState::Stable => source.stable_at.get(),
            _ => source.available_at.get(),
        };
        if ready.is_none_or(|r| r > at) {
            self.violations.push(format!("copy {} started before its source backup was ready", c.id.0 + 1));
        }
        self.quota_step(at, c, p, 1);
        // One visit to the destination: its overlap, whether a predecessor is there (before
        // this copy counts as started), this copy's start.
        let (_, d, overlap) = self.dest(lineage(c));
        if rules.serializes_lineage() {
            overlap.step(at, 1);
        }
        let has_predecessor = match rules.base_rule() {
            BaseRule::EarlierStarted => d.first_started().is_some_and(|s| s < c.seq),
            BaseRule::EarlierCompleted => d.first_ok().is_some_and(|s| s < c.seq),
            BaseRule::AnyCompleted => d.first_ok().is_some(),
            BaseRule::AnyStarted => d.first_started().is_some(),
        };
        let first_but_ok = d.first_ok().filter(|_| c.reason == Reason::FirstCopy);
        d.started.add(c.seq);
        if let Some(s) = first_but_ok {
            let dest = self.cat.region(c.dest_region);
            self.violations.push(format!(
                "copy {} is a first copy into {dest} though the copy of backup #{s} completed there and is not deleted",
                c.id.0 + 1
            ));
        }
        if c.kind == Some(CopyKind::Incremental) && !has_predecessor {
            let dest = self.cat.region(c.dest_region);
            self.suspects.insert(c.id, format!("incremental copy {} has no predecessor copy in {dest}", c.id.0 + 1));
        }
    }

    /// A copy closed AVAILABLE stays to the horizon as a predecessor.
    fn kept(&mut self, c: &Copy) {
        let d = &mut self.dest(lineage(c)).1;
        d.lowest_kept = min_of(d.lowest_kept, Some(c.seq));
        d.ok.take(c.seq);
        d.started.take(c.seq);
    }

    /// A restore point is a completed copy, never one before its own transfer ended.
    fn on_closed(&mut self, c: &Copy) {
        if facts::is_transfer(c) && facts::transfer_completed(c) && c.is_available() {
            self.kept(c);
        }
        let Some(t) = c.restorable_at.get() else { return };
        if !facts::transfer_completed(c) || c.finished_at.get().is_none_or(|f| t < f) {
            self.violations.push(format!("copy {} is a restore point before it completed", c.id.0 + 1));
        }
    }

    fn on_ended(&mut self, at: SimTime, c: &Copy) {
        let p = self.w().provider_of(c);
        self.quota_step(at, c, p, -1);
        if let Some(v) = self.suspects.remove(&c.id)
            && !(c.error.is_some() && c.bytes == 0)
        {
            self.violations.push(v);
        }
        let completed = facts::transfer_completed(c);
        let serial = rules(p).serializes_lineage();
        if completed || serial {
            let (_, d, overlap) = self.dest(lineage(c));
            if serial {
                overlap.step(at, -1);
            }
            if completed {
                d.ok.add(c.seq);
            }
        }
        if !completed {
            self.later.push((at, lineage(c), c.seq, false));
        }
    }

    /// Every broken invariant, once the run is over.
    pub fn finish(mut self, links: &World) -> Vec<String> {
        let mut v = std::mem::take(&mut self.violations);
        v.extend(self.suspects.into_values());
        let mut quotas = std::mem::take(&mut self.quotas);
        quotas.sort_by_key(|(k, _)| *k);
        for ((p, a, r), o) in quotas {
            let w = self.cat.world();
            let limit = w.accounts[a as usize].copy_concurrency.unwrap_or(w.params(p).copy_concurrency);
            let max = o.peak();
            if limit > 0 && i64::from(max) > i64::from(limit) {
                let (an, rn) = (&w.accounts[a as usize].name, &w.regions[r as usize].name);
                v.push(format!("quota {}:{an}/{rn} exceeded: {max} > {limit}", p.name()));
            }
        }
        for (vol, list) in std::mem::take(&mut self.dests).into_iter().enumerate() {
            for ((r, _), _, o) in list {
                if o.peak() > 1 {
                    let w = self.cat.world();
                    let (vn, rn) = (&w.volumes[vol].name, &w.regions[r as usize].name);
                    v.push(format!("two copies of {vn} ran at once into {rn}"));
                }
            }
        }
        v.extend(crate::report::invariants::links(links));
        v
    }

    /// Starts loading `volume`'s destinations (stage 2: they are inline, one visit).
    pub fn prefetch(&self, volume: VolumeId, stage: u8) {
        if stage >= 2
            && let Some(list) = self.dests.get(volume.index())
        {
            crate::kernel::prefetch(list);
        }
    }

    /// Lineages and destinations followed (live state, for tests).
    pub fn live(&self) -> usize {
        let dests = self.dests.iter().flatten();
        dests.map(|(_, d, _)| d.ok.len() + d.started.len()).sum::<usize>() + self.later.len()
    }
}

impl Observer for TransferChecks {
    /// No copy starts after the horizon's closes: the removals due at the horizon itself count
    /// now. A copy closed there AVAILABLE then leaves its destination's runs from their oldest
    /// end (the copies of backups deleted at the horizon's instant are out already), keeping
    /// them unbroken runs instead of spilling each destination's into a list at the end.
    fn events_over(&mut self, horizon: SimTime) {
        self.apply_later(SimTime(horizon.as_ms().saturating_add(1)));
    }

    fn record(&mut self, at: SimTime, r: &Record<'_>) {
        self.apply_later(at);
        match *r {
            Record::CopyStarted { copy, source } if facts::is_transfer(copy) => self.on_started(at, copy, source),
            Record::CopyEnded { copy } if facts::is_transfer(copy) => self.on_ended(at, copy),
            Record::WarmCopy { copy, .. } => {
                let d = &mut self.dest(lineage(copy)).1;
                d.started.add(copy.seq);
                d.ok.add(copy.seq);
            }
            Record::CopyClosed { copy, .. } => self.on_closed(copy),
            Record::BackupClosed { backup: b } if b.state == BackupState::Deleted => {
                if let Origin::Copy(_) = b.origin() {
                    self.later.push((at, (b.volume.0, b.region.0, b.account.0), b.seq, true));
                }
            }
            _ => {}
        }
    }
}
