//! What each volume could be restored from, kept online: per volume and DR region, the copies
//! restorable there now (see [`crate::engine::restore`]). From it, RPO is sampled every `rpo_resolution` (lazily: a sample at `T`
//! is taken once every record at `T` is in), and a disaster drill takes its snapshot at the
//! outage instant.

use std::collections::BTreeMap;
use std::io::Write;

use super::catalog::Catalog;
use super::cost::FirstAvailable;
use super::ordered::OrderedCsv;
use super::sawtooth::Sawtooth;
use super::seqs::RunValues;
use crate::kernel::{SimDuration, SimTime};
use crate::model::{BackupState, RegionId, VolumeId};
use crate::record::{Observer, Record};
use crate::report::drill::Snapshot;
use crate::report::seconds;
use crate::scenario::Scenario;

struct Pair {
    volume: VolumeId,
    region: RegionId,
    /// Seqs with a copy available, with their source backup's creation and the volume's size
    /// then (what a restore from it hydrates).
    available: RunValues<(SimTime, u64)>,
    /// `available.last()`, kept beside it: a sample reads every pair's newest restore point,
    /// and reads it here, in the pairs' own array walked in order, rather than at the back of
    /// each pair's list, one cache miss per volume and sample.
    newest: Option<(u32, SimTime)>,
    /// The newest seq among them whose backup stays to the horizon (its row closed while it
    /// existed), when only the newest restore point is ever read (no consistency group): older
    /// ones can never be the newest again and are forgotten.
    newest_kept: Option<Option<u32>>,
    /// Since when `newest` has been the newest (the RPO's current tooth started).
    since: SimTime,
}

impl Pair {
    /// The newest restore point, without its size.
    fn newest_of(available: &RunValues<(SimTime, u64)>) -> Option<(u32, SimTime)> {
        available.last().map(|(seq, (created, _))| (seq, created))
    }

    /// A copy of `seq`, of a backup of `full_bytes`, became restorable.
    fn add(&mut self, seq: u32, created: SimTime, full_bytes: u64) {
        self.available.add(seq, (created, full_bytes));
        // A new newest is the one just added: set without reading the list back (its end was
        // written just now, but reading it again stalled on the line it was written into).
        match self.newest {
            Some((n, _)) if seq < n => {}
            Some((n, _)) if seq == n => self.newest = Self::newest_of(&self.available),
            _ => self.newest = Some((seq, created)),
        }
    }

    /// A restorable copy of `seq` left.
    fn take(&mut self, seq: u32) {
        self.available.take(seq);
        if self.newest.is_some_and(|(n, _)| n == seq) {
            self.newest = Self::newest_of(&self.available);
        }
    }
}

/// One row of `rpo.csv`.
#[derive(serde::Serialize, Default)]
struct VolumeRow<'a> {
    at: &'a str,
    volume_id: &'a str,
    dest_region: &'a str,
    rpo_s: String,
    recoverable_seq: String,
}

/// One row of `rpo_fleet.csv`.
#[derive(serde::Serialize, Default)]
struct FleetRow<'a> {
    at: String,
    dest_region: &'a str,
    volumes: u64,
    volumes_without_copy: u64,
    rpo_s_p50: String,
    rpo_s_p95: String,
    rpo_s_max: String,
}

/// The recovery observer.
pub struct Recovery {
    cat: std::rc::Rc<Catalog>,
    pairs: Vec<Pair>,
    by_volume: BTreeMap<(VolumeId, RegionId), usize>,
    /// Volume `v`'s pairs are `pairs[first_pair[v] .. first_pair[v + 1]]` (`pairs` is in
    /// volume order): a volume's first pair is found without a list of its own to load.
    first_pair: Vec<usize>,
    step_ms: u64,
    next_ms: u64,
    horizon: SimTime,
    /// `rpo.csv` (`--detail full`), streamed sample by sample, and the rows written.
    rows: Option<(OrderedCsv, u64)>,
    /// Per region index, its RPO over the measured time (`None` until the first).
    per_region: Vec<Option<Sawtooth>>,
    fleet: Option<(OrderedCsv, u64)>,
    /// Per region index, one sample's RPO values and volumes without a copy (room kept).
    fleet_buf: Vec<(Vec<u64>, u64)>,
    window: crate::scenario::ReportSettings,
    outages: Vec<(SimTime, RegionId)>,
    /// How far before the start the warm state reaches ([`Scenario::warm_head_ms`]): every
    /// restore point's source time is kept this much later than it is, so that a warm copy's,
    /// standing for a run before the start, is not below zero and RPO starts at the steady
    /// state's. 0 without `warm_start`.
    head_ms: u64,
    /// Drill snapshots, in outage order.
    pub drills: Vec<Snapshot>,
    /// Per volume, the consistency group of its latest grouped backup.
    pub groups: Vec<Option<u32>>,
    /// First usable backup per fast-restore volume and region.
    pub first: FirstAvailable,
}

impl Recovery {
    /// Follows every volume's DR regions in `s`; streams per-volume samples to `rows` and fleet
    /// samples to `fleet` when given.
    pub fn new(
        s: &Scenario,
        cat: std::rc::Rc<Catalog>,
        rows: Option<Box<dyn Write>>,
        fleet: Option<Box<dyn Write>>,
    ) -> Self {
        let mut pairs = Vec::new();
        for (v, regions) in crate::report::rpo::dr_regions(s) {
            // A volume attached to an instance may be restored with its consistency group,
            // from any restore point its members share: those keep every restore point.
            let newest_kept = s.world.volume(v).instance.is_none().then_some(None);
            pairs.extend(regions.into_iter().map(|region| Pair {
                volume: v,
                region,
                available: RunValues::default(),
                newest: None,
                newest_kept,
                since: SimTime::ZERO,
            }));
        }
        let by_volume = pairs.iter().enumerate().map(|(i, p)| ((p.volume, p.region), i)).collect();
        debug_assert!(pairs.is_sorted_by_key(|p| p.volume), "dr_regions lists volumes in order");
        let mut first_pair = vec![0; s.world.volumes.len() + 1];
        for p in &pairs {
            first_pair[p.volume.index() + 1] += 1;
        }
        for v in 1..first_pair.len() {
            first_pair[v] += first_pair[v - 1];
        }
        Self {
            rows: rows.map(|w| (OrderedCsv::new::<VolumeRow>(w), 0)),
            cat,
            pairs,
            by_volume,
            first_pair,
            step_ms: s.report.rpo_resolution.as_ms().max(1),
            next_ms: 0,
            horizon: SimTime::ZERO + s.horizon,
            per_region: Vec::new(),
            fleet: fleet.map(|w| (OrderedCsv::new::<FleetRow>(w), 0)),
            fleet_buf: Vec::new(),
            window: s.report.clone(),
            outages: Vec::new(),
            head_ms: s.warm_head_ms(),
            drills: Vec::new(),
            groups: vec![None; s.world.volumes.len()],
            first: FirstAvailable::new(&s.fast_restore),
        }
    }

    /// Takes every sample and snapshot due strictly before `t` (all of `T`'s records are in).
    /// Every record asks: the answer is nearly always "nothing yet", given here without a call.
    #[inline(always)]
    fn catch_up(&mut self, t: SimTime, inclusive: bool) {
        let sample_due = if inclusive { self.next_ms <= t.as_ms() } else { self.next_ms < t.as_ms() };
        if sample_due || !self.outages.is_empty() {
            self.take_due(t, inclusive);
        }
    }

    /// [`Self::catch_up`]'s work, when something may be due.
    #[inline(never)]
    fn take_due(&mut self, t: SimTime, inclusive: bool) {
        let due = |x: u64| if inclusive { x <= t.as_ms() } else { x < t.as_ms() };
        while due(self.next_ms) && self.next_ms <= self.horizon.as_ms() {
            self.sample(SimTime(self.next_ms));
            self.next_ms += self.step_ms;
        }
        while let Some(&(at, failed)) = self.outages.first() {
            if !due(at.as_ms()) {
                break;
            }
            self.outages.remove(0);
            self.drills.push(self.snapshot(at, failed));
        }
    }

    fn sample(&mut self, at: SimTime) {
        let mut fleet = std::mem::take(&mut self.fleet_buf);
        let at_text = if self.rows.is_some() { self.cat.ts(at) } else { String::new() };
        for p in &self.pairs {
            let newest = p.newest.map(|(seq, created)| (created, seq));
            let rpo = newest.map_or(at.as_ms(), |(created, _)| self.shifted(at).since(created).as_ms());
            if let Some((csv, n)) = &mut self.rows {
                let row = VolumeRow {
                    at: &at_text,
                    volume_id: self.cat.volume(p.volume),
                    dest_region: self.cat.region(p.region),
                    rpo_s: seconds(rpo),
                    recoverable_seq: newest.map_or(String::new(), |(_, s)| s.to_string()),
                };
                csv.row(*n, &row);
                *n += 1;
            }
            if self.fleet.is_some() {
                if fleet.len() <= p.region.index() {
                    fleet.resize_with(p.region.index() + 1, Default::default);
                }
                let e = &mut fleet[p.region.index()];
                e.0.push(rpo);
                e.1 += u64::from(newest.is_none());
            }
        }
        if let Some((csv, n)) = &mut self.fleet {
            write_fleet(&self.cat, csv, n, at, &mut fleet);
        }
        self.fleet_buf = fleet;
    }

    fn snapshot(&self, at: SimTime, failed: RegionId) -> Snapshot {
        let mut volumes: Vec<(VolumeId, Vec<crate::report::drill::RegionCopies>)> = Vec::new();
        for ((v, region), &i) in &self.by_volume {
            if self.cat.world().volume(*v).region != failed {
                continue;
            }
            let list =
                self.pairs[i].available.distinct().into_iter().map(|(seq, (created, bytes))| (created, seq, bytes));
            let list = list.collect();
            match volumes.last_mut() {
                Some((last, sets)) if last == v => sets.push((*region, list)),
                _ => volumes.push((*v, vec![(*region, list)])),
            }
        }
        // DR regions in the scenario's first-seen order, as `dr_regions` lists them.
        for (v, sets) in &mut volumes {
            sets.sort_by_key(|(r, _)| self.pairs.iter().position(|p| p.volume == *v && p.region == *r));
        }
        Snapshot { at, failed, volumes, head_ms: self.head_ms }
    }

    /// Takes the samples and snapshots left, up to and at the horizon.
    pub fn finish(&mut self) -> std::io::Result<()> {
        self.catch_up(self.horizon, true);
        for i in 0..self.pairs.len() {
            let p = &mut self.pairs[i];
            let since = std::mem::replace(&mut p.since, self.horizon);
            let (region, newest) = (p.region, p.newest);
            self.rise(region, newest, since, self.horizon);
        }
        for csv in [self.rows.take(), self.fleet.take()].into_iter().flatten() {
            csv.0.finish()?;
        }
        Ok(())
    }

    /// Pair `i`'s newest restore point may have changed at `at` from `before`: the tooth of
    /// `before` ends.
    fn changed(&mut self, i: usize, at: SimTime, before: Option<(u32, SimTime)>) {
        let p = &mut self.pairs[i];
        if p.newest != before {
            let since = std::mem::replace(&mut p.since, at);
            let region = p.region;
            self.rise(region, before, since, at);
        }
    }

    /// Region `region`'s RPO rose from `since` to `until` over the restore point `newest` (from
    /// the start: none), counted within the measurement window.
    fn rise(&mut self, region: RegionId, newest: Option<(u32, SimTime)>, since: SimTime, until: SimTime) {
        let (from, to) = self.window.window.unwrap_or((SimTime::ZERO, self.horizon));
        let (t0, t1) = (since.max(from), until.min(to));
        if t1 <= t0 {
            return;
        }
        let base = newest.map_or(self.shifted(SimTime::ZERO), |(_, created)| created);
        let r = region.index();
        if self.per_region.len() <= r {
            self.per_region.resize_with(r + 1, || None);
        }
        let target = self.window.rpo_target.map(|t| t.as_ms());
        let (from_ms, to_ms) = (self.shifted(t0).since(base).as_ms(), self.shifted(t1).since(base).as_ms());
        let teeth = self.per_region[r].get_or_insert_with(Sawtooth::default);
        teeth.rise(from_ms, to_ms, target);
    }

    /// Instant `t` as the restore points' source times are kept ([`Self::head_ms`] later).
    fn shifted(&self, t: SimTime) -> SimTime {
        SimTime(t.as_ms() + self.head_ms)
    }

    /// Backup `b` became a restore point at `at`, recovering the data of `source` (shifted).
    fn restorable(&mut self, at: SimTime, b: &crate::model::Backup, source: SimTime) {
        if let Some(i) = self.pair(b.volume, b.region) {
            let before = self.pairs[i].newest;
            self.pairs[i].add(b.seq, source, b.full_bytes);
            self.changed(i, at, before);
        }
    }

    /// Per-region RPO statistics.
    pub fn summary(&self, target: Option<SimDuration>) -> Vec<crate::report::rpo::RegionRpo> {
        let measured = self.per_region.iter().enumerate().filter_map(|(r, c)| Some((RegionId(r as u16), c.as_ref()?)));
        measured.map(|(r, c)| crate::report::rpo::region_rpo(self.cat.region(r), c, target)).collect()
    }

    /// Volume `v`'s pairs.
    fn pairs_of(&self, v: VolumeId) -> &[Pair] {
        match (self.first_pair.get(v.index()), self.first_pair.get(v.index() + 1)) {
            (Some(&a), Some(&b)) => &self.pairs[a..b],
            _ => &[],
        }
    }

    /// Starts loading `volume`'s restorable copies: at stage 2 its pairs, at 1 the ends of their
    /// lists (what a restore point, or a deleted one, updates).
    pub fn prefetch(&self, volume: VolumeId, stage: u8) {
        for p in self.pairs_of(volume) {
            if stage >= 2 {
                crate::kernel::prefetch(p);
            } else {
                p.available.prefetch_ends();
            }
        }
    }

    fn pair(&self, v: VolumeId, r: RegionId) -> Option<usize> {
        let at = self.pairs_of(v).iter().position(|p| p.region == r)?;
        Some(self.first_pair[v.index()] + at)
    }

    /// Copies available, over every volume and DR region (live state, for tests).
    pub fn live(&self) -> usize {
        self.pairs.iter().map(|p| p.available.len()).sum()
    }
}

/// Writes one fleet row per region with samples in `fleet` (by region index), and empties it.
fn write_fleet(cat: &Catalog, csv: &mut OrderedCsv, n: &mut u64, at: SimTime, fleet: &mut [(Vec<u64>, u64)]) {
    for (region, (v, none)) in fleet.iter_mut().enumerate() {
        if v.is_empty() {
            continue;
        }
        let [p50, p95, max] = ranked(v, [50, 95]);
        let row = FleetRow {
            at: cat.ts(at),
            dest_region: cat.region(RegionId(region as u16)),
            volumes: v.len() as u64,
            volumes_without_copy: *none,
            rpo_s_p50: seconds(p50),
            rpo_s_p95: seconds(p95),
            rpo_s_max: seconds(max),
        };
        csv.row(*n, &row);
        *n += 1;
        v.clear();
        *none = 0;
    }
}

/// The nearest-rank percentiles `p` (ascending) and the largest of `v` (not empty), as
/// [`crate::report::percentile`] reads them from `v` sorted, without sorting it: each is
/// selected in the part left below the one above (linear, where a sort of ten thousand
/// volumes per sample is not). `v` is left reordered.
fn ranked(v: &mut [u64], p: [u64; 2]) -> [u64; 3] {
    let rank = |p: u64| (p * v.len() as u64).div_ceil(100).max(1) as usize - 1;
    let (r50, r95) = (rank(p[0]), rank(p[1]));
    let max = v.iter().copied().max().unwrap_or(0);
    let (below, &mut hi, _) = v.select_nth_unstable(r95);
    let lo = if r50 < r95 { *below.select_nth_unstable(r50).1 } else { hi };
    [lo, hi, max]
}

impl Observer for Recovery {
    fn record(&mut self, at: SimTime, r: &Record<'_>) {
        self.catch_up(at, false);
        self.first.record(at, r);
        match *r {
            Record::RestorePoint { backup: b, source_created_at } => {
                self.restorable(at, b, self.shifted(source_created_at))
            }
            // It stands for a run before the start: what it recovers is that old at the start.
            Record::WarmCopy { backup: b, stands_for_ms_before_start, .. } => {
                let source = SimTime(self.head_ms.saturating_sub(stands_for_ms_before_start));
                self.restorable(at, b, source)
            }
            // A restore point counted above (the engine marks the backup) leaves or stays.
            Record::BackupClosed { backup: b } if b.restore_point() => {
                let Some(i) = self.pair(b.volume, b.region) else { return };
                let p = &mut self.pairs[i];
                let before = p.newest;
                if b.state == BackupState::Deleted {
                    p.take(b.seq);
                } else if b.exists()
                    && let Some(newest) = p.newest_kept
                {
                    // One of the two is older than a restore point that stays: never the newest again.
                    match newest {
                        Some(n) if n >= b.seq => p.take(b.seq),
                        Some(n) => {
                            p.take(n);
                            p.newest_kept = Some(Some(b.seq));
                        }
                        None => p.newest_kept = Some(Some(b.seq)),
                    }
                }
                self.changed(i, at, before);
            }
            Record::BackupTaken { backup: b } if b.consistency_group.is_some() => {
                self.groups[b.volume.index()] = b.consistency_group.get();
            }
            Record::RegionOutage { region } => self.outages.push((at, region)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The newest restore point a sample reads is the list's own newest, whatever the order in
    /// which copies arrive and leave (in order, the newest leaving, repeats, gaps).
    #[test]
    fn a_pairs_newest_is_always_its_lists_last() {
        let mut p = Pair {
            volume: VolumeId(0),
            region: RegionId(1),
            available: RunValues::default(),
            newest: None,
            newest_kept: Some(None),
            since: SimTime::ZERO,
        };
        let (mut x, mut next) = (7u64, 1u32);
        for step in 0..20_000u64 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let pick = (x >> 33) % 10;
            let oldest = p.available.distinct().first().map(|&(s, _)| s);
            match pick {
                0..=4 => {
                    p.add(next, SimTime(step), 1);
                    next += 1 + u32::from(pick == 4);
                }
                5 => p.add(next.saturating_sub(2), SimTime(step), 1),
                6..=7 => p.take(oldest.unwrap_or(next)),
                8 => p.take(p.available.last().map_or(0, |(s, _)| s)),
                _ => p.take(next.saturating_sub(3)),
            }
            assert_eq!(p.newest, Pair::newest_of(&p.available), "after step {step}");
        }
    }

    #[test]
    fn ranked_reads_as_the_sorted_percentiles() {
        let mut x: u64 = 3;
        for n in 1..200usize {
            let mut v: Vec<u64> = (0..n)
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    (x >> 33) % 50
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort_unstable();
            let want = [crate::report::percentile(&sorted, 50), crate::report::percentile(&sorted, 95), sorted[n - 1]];
            assert_eq!(ranked(&mut v, [50, 95]), want, "{n} values");
        }
    }
}
