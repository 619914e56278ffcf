//! The summary's counters, kept online from records: backups taken, copies by state, completed
//! copies by kind and reason (full ones by reason apart), copies by error, bytes moved, queue waits (an exact value → count map, so percentiles are
//! exact without keeping one number per copy), and per plan what is left at the horizon.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;

use crate::engine::Outcome;
use crate::kernel::SimTime;
use crate::model::{BackupKind, CopyKind, CopyState, Origin, Trigger};
use crate::record::{Observer, Record, facts};

/// Distinct values kept exactly; past this, values are grouped (see [`Counted`]).
const DISTINCT_MAX: usize = 1 << 16;

/// Buckets counted in a dense array, by index (`value / step`): the low values, where queue
/// waits and RPO samples mostly fall.
const DENSE: usize = 1 << 16;

/// Values with their multiplicity: exact nearest-rank percentiles while there are at most
/// 65,536 distinct values; past that, values are grouped into buckets of `step` (a power of
/// two, doubled as needed) and a percentile is its bucket's floor. Memory stays bounded however
/// long the run; the mean is always exact.
///
/// Counting is an array bump for the first [`DENSE`] buckets (neighbouring values share cache
/// lines, where a hash map scatters them: a fleet's queue waits, one per copy, missed the caches
/// on nearly every count) and a hash-map bump (Fx, deterministic) above them; the ordered view
/// percentiles read is built when first read and again if counted since.
#[derive(Clone, Debug)]
pub struct Counted {
    /// Counts of buckets `0 .. DENSE` by index (allocated at the first such value).
    dense: Vec<u64>,
    /// Buckets of `dense` counted at least once.
    dense_distinct: usize,
    /// Counts of the buckets above, by their floor value.
    counts: rustc_hash::FxHashMap<u64, u64>,
    n: u64,
    sum: u128,
    step: u64,
    sorted: OnceCell<Vec<(u64, u64)>>,
}

impl PartialEq for Counted {
    fn eq(&self, other: &Self) -> bool {
        (self.n, self.sum, self.step) == (other.n, other.sum, other.step) && self.ordered() == other.ordered()
    }
}

impl Eq for Counted {}

impl Default for Counted {
    fn default() -> Self {
        Self {
            dense: Vec::new(),
            dense_distinct: 0,
            counts: Default::default(),
            n: 0,
            sum: 0,
            step: 1,
            sorted: OnceCell::new(),
        }
    }
}

impl Counted {
    /// Adds one value.
    pub fn add(&mut self, x: u64) {
        if self.sorted.get().is_some() {
            self.sorted.take();
        }
        self.bump(x, 1);
        self.n += 1;
        self.sum += u128::from(x);
        if self.distinct() > DISTINCT_MAX {
            self.coarsen();
        }
    }

    /// Counts `c` more in `x`'s bucket.
    fn bump(&mut self, x: u64, c: u64) {
        // `step` is a power of two: the bucket's index is a shift, its floor a mask.
        let index = x >> self.step.trailing_zeros();
        if let Ok(i) = usize::try_from(index)
            && i < DENSE
        {
            if self.dense.is_empty() {
                self.dense = vec![0; DENSE];
            }
            self.dense_distinct += usize::from(self.dense[i] == 0);
            self.dense[i] += c;
        } else {
            *self.counts.entry(x & !(self.step - 1)).or_default() += c;
        }
    }

    /// Buckets counted at least once.
    fn distinct(&self) -> usize {
        self.dense_distinct + self.counts.len()
    }

    /// Doubles the bucket width until at most half the distinct limit is used.
    fn coarsen(&mut self) {
        while self.distinct() > DISTINCT_MAX / 2 {
            let buckets = self.buckets();
            self.step *= 2;
            self.dense.iter_mut().for_each(|c| *c = 0);
            self.dense_distinct = 0;
            self.counts.clear();
            for (x, c) in buckets {
                self.bump(x, c);
            }
        }
    }

    /// `(bucket floor, count)` of every bucket counted, ascending: the dense ones, then those
    /// above them (every one of which lies above the dense range).
    fn buckets(&self) -> Vec<(u64, u64)> {
        let shift = self.step.trailing_zeros();
        let mut v: Vec<(u64, u64)> = Vec::with_capacity(self.distinct());
        v.extend(self.dense.iter().enumerate().filter(|(_, c)| **c > 0).map(|(i, &c)| ((i as u64) << shift, c)));
        let mut above: Vec<(u64, u64)> = self.counts.iter().map(|(&x, &c)| (x, c)).collect();
        above.sort_unstable();
        v.extend(above);
        v
    }

    /// `(value, count)` ascending.
    fn ordered(&self) -> &[(u64, u64)] {
        self.sorted.get_or_init(|| self.buckets())
    }

    /// The bucket width: 1 while every value is kept exactly.
    pub fn step(&self) -> u64 {
        self.step
    }

    /// How many values.
    pub fn len(&self) -> u64 {
        self.n
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The nearest-rank `p`-th percentile (0 when empty), as [`crate::report::percentile`].
    pub fn percentile(&self, p: u64) -> u64 {
        if self.n == 0 {
            return 0;
        }
        let rank = (p * self.n).div_ceil(100).clamp(1, self.n);
        let mut seen = 0;
        for &(x, c) in self.ordered() {
            seen += c;
            if seen >= rank {
                return x;
            }
        }
        0
    }

    /// The largest value (0 when empty).
    pub fn max(&self) -> u64 {
        self.ordered().last().map_or(0, |&(x, _)| x)
    }

    /// The integer mean (0 when empty).
    pub fn mean(&self) -> u64 {
        if self.n == 0 { 0 } else { (self.sum / u128::from(self.n)) as u64 }
    }

    /// Values strictly above `t`.
    pub fn above(&self, t: u64) -> u64 {
        let sorted = self.ordered();
        sorted[sorted.partition_point(|&(x, _)| x <= t)..].iter().map(|(_, c)| c).sum()
    }

    /// Values above zero.
    pub fn positive(&self) -> u64 {
        self.above(0)
    }
}

/// Counts keyed by static names (copy states, kinds, reasons, error codes). The few distinct
/// names are counted in a short list, matched by address first and then by text, so counting a
/// record costs no map search; the summary reads them, through `Deref`, as the name-ordered map,
/// built when first read and rebuilt if counted again since.
#[derive(Clone, Default)]
pub struct NameCounts {
    seen: Vec<(&'static str, u64)>,
    sorted: OnceCell<BTreeMap<&'static str, u64>>,
}

impl NameCounts {
    /// Counts `name` once more.
    pub fn bump(&mut self, name: &'static str) {
        if self.sorted.get().is_some() {
            self.sorted.take();
        }
        // By address first (a name is nearly always the same static text each time), by text
        // only when no address matches.
        if let Some((_, n)) = self.seen.iter_mut().find(|(k, _)| std::ptr::eq(*k, name)) {
            *n += 1;
            return;
        }
        match self.seen.iter_mut().find(|(k, _)| *k == name) {
            Some((_, n)) => *n += 1,
            None => self.seen.push((name, 1)),
        }
    }
}

impl Deref for NameCounts {
    type Target = BTreeMap<&'static str, u64>;

    fn deref(&self) -> &Self::Target {
        self.sorted.get_or_init(|| self.seen.iter().copied().collect())
    }
}

impl fmt::Debug for NameCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// One destination region's copies: the completed full ones by reason and incremental ones, and
/// the queue waits of those started.
#[derive(Clone, Debug, Default)]
pub struct DestTally {
    /// Full copies by the reason they were full.
    pub full_by_reason: NameCounts,
    /// Incremental copies.
    pub incremental: u64,
    /// Queue waits of started transfers (shares excluded), ms.
    pub waits: Counted,
}

/// Per schedule or plan: what of it is left at the end of the measurement window (the horizon
/// without one).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanTally {
    /// Source backups still there.
    pub backups_kept: u64,
    /// Scheduled copies of its backups (requested in the window).
    pub copies_requested: u64,
    /// Its copies available at the end of the window, whenever requested (warm ones included).
    pub copies_kept: u64,
}

/// The counters.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Source backups taken.
    pub backups_taken: u64,
    /// Of which full.
    pub backups_full: u64,
    /// Changed data captured.
    pub backup_bytes: u64,
    /// Copies and shares.
    pub copies: u64,
    /// By final state.
    pub by_state: NameCounts,
    /// By kind, completed ones (accepted shares).
    pub by_kind: NameCounts,
    /// By reason, completed ones.
    pub by_reason: NameCounts,
    /// Completed full copies by the reason they were full.
    pub full_by_reason: NameCounts,
    /// Per destination region, completed copies by kind and started ones' queue waits: one DR
    /// region's full copies can hide behind another's incremental ones in the totals, and its
    /// waits behind its quota behind another's copies that never waited.
    pub by_dest: BTreeMap<crate::model::RegionId, DestTally>,
    /// By error code (typed: no string is parsed back).
    pub by_error: NameCounts,
    /// Bytes moved over links, by completed copies and by failed ones before they failed.
    pub bytes_transferred: u64,
    /// EBS throttling answers.
    pub throttled: u64,
    /// Copies still moving at the horizon that are full copies.
    pub full_still_moving: u64,
    /// Queue waits of started transfers (shares excluded), ms.
    pub waits: Counted,
    /// Per schedule or plan.
    pub plans: Vec<PlanTally>,
    /// Actions that took effect.
    pub actions_ok: u64,
    /// Actions refused.
    pub actions_rejected: u64,
    /// Warm-start backups and copies the run began with (never among those taken or
    /// requested), whatever the window: the state it started from.
    pub warm_backups: u64,
    /// See `warm_backups`.
    pub warm_copies: u64,
    /// The measurement window: backups count when taken in it, copies when requested in it,
    /// actions when carried out (or refused) in it; what a plan keeps is counted at its end.
    pub window: Option<(SimTime, SimTime)>,
    /// Seeding, whatever the window: per volume and DR region its copies were sent to (index
    /// `volume × regions + region`), when the first of them landed there.
    seeding: Vec<Seeding>,
    /// Regions in the world (the stride of `seeding`).
    regions: usize,
}

/// Where a volume's copies into one DR region stand: none sent, sent and none landed yet, or
/// the first landed at an instant (the end of that pair's seeding: its first full image).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Seeding {
    #[default]
    NotSent,
    Sent,
    Landed(SimTime),
}

impl Tally {
    /// Counters for `schedules` schedules and plans, in a world of `regions` regions (0: seeding
    /// is not followed — a warm start has none).
    pub fn new(schedules: usize, regions: usize, window: Option<(SimTime, SimTime)>) -> Self {
        Self { plans: vec![PlanTally::default(); schedules], window, regions, ..Self::default() }
    }

    /// When the fleet was seeded: the instant the last volume's first copy into a DR region
    /// landed, over every volume and region its copies were sent to across regions (the horizon
    /// when one of them never landed); `None` when no copy left its region. Until then a run's
    /// days carry full copies that a steady month does not.
    pub fn seeded_at(&self, horizon: SimTime) -> Option<SimTime> {
        self.seeding
            .iter()
            .try_fold(None, |last: Option<SimTime>, s| match *s {
                Seeding::NotSent => Some(last),
                Seeding::Sent => None,
                Seeding::Landed(t) => Some(Some(last.map_or(t, |l| l.max(t)))),
            })
            .unwrap_or(Some(horizon))
    }

    /// Counts copy `c` toward seeding: sent across regions by the run (not a warm copy), and
    /// when it landed.
    fn seed(&mut self, c: &crate::model::Copy) {
        if self.regions == 0 {
            return;
        }
        // A refused copy never sent anything (its pair may have no copy at all); a failed one
        // was sent, and the pair waits for the next to land.
        let refused = c.started_at.is_none() && matches!(c.state, CopyState::Rejected | CopyState::Terminated);
        if c.trigger == Trigger::Warm || c.source_region == c.dest_region || !facts::is_transfer(c) || refused {
            return;
        }
        let i = c.volume.index() * self.regions + c.dest_region.index();
        if i >= self.seeding.len() {
            self.seeding.resize(i + 1, Seeding::NotSent);
        }
        let landed = c.finished_at.get().filter(|_| facts::counts_by_kind(c));
        self.seeding[i] = match (self.seeding[i], landed) {
            (Seeding::Landed(a), Some(b)) => Seeding::Landed(a.min(b)),
            (Seeding::Landed(a), None) => Seeding::Landed(a),
            (_, Some(b)) => Seeding::Landed(b),
            (_, None) => Seeding::Sent,
        };
    }

    /// Whether closed copy `c` is AVAILABLE at the window's end (the horizon without one).
    fn kept(&self, c: &crate::model::Copy) -> bool {
        match self.window {
            None => c.is_available(),
            Some((_, to)) => available_at(c, to),
        }
    }

    fn measures(&self, t: SimTime) -> bool {
        self.window.is_none_or(|(from, to)| from <= t && t <= to)
    }
}

impl Observer for Tally {
    fn record(&mut self, _at: SimTime, r: &Record<'_>) {
        if let Record::CopyClosed { copy, .. } = *r {
            self.seed(copy);
        }
        match *r {
            Record::BackupTaken { backup: b } if self.measures(b.created_at) => {
                self.backups_taken += 1;
                self.backups_full += u64::from(b.kind == BackupKind::Full);
                self.backup_bytes += b.delta_bytes;
            }
            Record::WarmBackup { .. } => self.warm_backups += 1,
            Record::WarmCopy { .. } => self.warm_copies += 1,
            // What a plan keeps counts at the window's end, whenever the copy was requested (like
            // `backups_kept`): a warm copy (no request) and one requested outside the window count
            // only there; the arm below counts the rest with the copies requested in the window.
            Record::CopyClosed { copy: c, schedule: Some(s), .. }
                if c.trigger == Trigger::Warm || (c.trigger == Trigger::Schedule && !self.measures(c.requested_at)) =>
            {
                self.plans[s as usize].copies_kept += u64::from(self.kept(c));
            }
            Record::CopyClosed { copy: c, state, schedule, .. }
                if self.measures(c.requested_at) && c.trigger != Trigger::Warm =>
            {
                self.copies += 1;
                self.by_state.bump(state);
                if c.state == crate::model::CopyState::Copying && c.kind == Some(CopyKind::Full) {
                    self.full_still_moving += 1;
                }
                if let Some(e) = &c.error {
                    self.by_error.bump(e.code);
                }
                self.throttled += u64::from(c.throttled_count);
                let kind = c.kind.filter(|_| facts::counts_by_kind(c));
                let wait = facts::queue_wait_ms(c).filter(|_| facts::is_transfer(c));
                if kind.is_some() || wait.is_some() {
                    let dest = self.by_dest.entry(c.dest_region).or_default();
                    if let Some(k) = kind {
                        self.by_kind.bump(k.name());
                        self.by_reason.bump(c.reason.name());
                        if k == CopyKind::Full {
                            self.full_by_reason.bump(c.reason.name());
                            dest.full_by_reason.bump(c.reason.name());
                        } else if k == CopyKind::Incremental {
                            dest.incremental += 1;
                        }
                    }
                    if let Some(wait) = wait {
                        self.waits.add(wait);
                        dest.waits.add(wait);
                    }
                }
                self.bytes_transferred += facts::bytes_moved(c);
                if let (Trigger::Schedule, Some(s)) = (c.trigger, schedule) {
                    let kept = self.kept(c);
                    let p = &mut self.plans[s as usize];
                    p.copies_requested += 1;
                    p.copies_kept += u64::from(kept);
                }
            }
            Record::BackupClosed { backup: b } => {
                let kept = match self.window {
                    None => b.exists(),
                    Some((_, to)) => b.created_at <= to && b.deleted_at.get().is_none_or(|d| d > to),
                };
                if let (Origin::Source, Some(s), true) = (b.origin(), b.schedule.get(), kept) {
                    self.plans[s as usize].backups_kept += 1;
                }
            }
            Record::Action { action } if self.measures(action.at) => match action.outcome {
                Outcome::Ok => self.actions_ok += 1,
                Outcome::Rejected => self.actions_rejected += 1,
            },
            _ => {}
        }
    }
}

/// Whether copy `c` (closed) was AVAILABLE at `t`: its transfer completed by then (a failed
/// one never did) and it was not deleted by then.
fn available_at(c: &crate::model::Copy, t: SimTime) -> bool {
    facts::counts_by_kind(c) && c.finished_at.get().is_some_and(|f| f <= t) && c.deleted_at.get().is_none_or(|d| d > t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_percentiles_match_the_sorted_list() {
        let xs = [5u64, 0, 0, 9, 3, 3, 3, 12, 7, 0, 1];
        let mut c = Counted::default();
        xs.iter().for_each(|&x| c.add(x));
        let mut sorted = xs.to_vec();
        sorted.sort_unstable();
        for p in [1, 25, 50, 95, 100] {
            assert_eq!(c.percentile(p), crate::report::percentile(&sorted, p), "p{p}");
        }
        assert_eq!((c.max(), c.positive(), c.above(5), c.mean()), (12, 8, 3, 43 / 11));
    }

    #[test]
    fn dense_low_buckets_answer_as_one_map_of_every_bucket_would() {
        // The reference: one map of bucket floor → count, coarsened by the same rule.
        let mut reference: BTreeMap<u64, u64> = BTreeMap::new();
        let mut step = 1u64;
        let mut c = Counted::default();
        let mut x: u64 = 7;
        for i in 0..400_000u64 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            // Mostly small (the dense range), some far above it, the odd huge one.
            let v = match i % 10 {
                0..=6 => (x >> 40) % 20_000,
                7 | 8 => (x >> 20) % 50_000_000,
                _ => x >> 3,
            };
            c.add(v);
            *reference.entry(v & !(step - 1)).or_default() += 1;
            if reference.len() > DISTINCT_MAX {
                while reference.len() > DISTINCT_MAX / 2 {
                    step *= 2;
                    let mut merged = BTreeMap::new();
                    for (&k, &n) in &reference {
                        *merged.entry(k & !(step - 1)).or_default() += n;
                    }
                    reference = merged;
                }
            }
        }
        assert_eq!(c.step(), step);
        assert!(step > 1, "the run coarsened");
        let want: Vec<(u64, u64)> = reference.into_iter().collect();
        assert_eq!(c.ordered(), &want[..]);
    }

    #[test]
    fn past_the_distinct_limit_values_are_bucketed_and_memory_stays_bounded() {
        let mut c = Counted::default();
        for x in 0..3 * DISTINCT_MAX as u64 {
            c.add(x);
        }
        assert!(c.step() >= 4 && c.distinct() <= DISTINCT_MAX, "{} {}", c.step(), c.distinct());
        let exact = 3 * DISTINCT_MAX as u64 / 2 - 1; // the median of 0 .. 3N
        assert!(c.percentile(50).abs_diff(exact) < c.step(), "{} vs {exact}", c.percentile(50));
        assert_eq!(c.mean(), (3 * DISTINCT_MAX as u64 - 1) / 2);
    }
}
