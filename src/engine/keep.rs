//! What retention keeps track of: per schedule and volume, the source backups it took, and per
//! schedule, copy target and volume, the remote copies it made — oldest first, with the instant
//! each counts from (one list across volumes where age alone decides) — and which of them a
//! [`Retention`] rule deletes now. A small owner: it
//! reads the world to skip what is already gone and answers what to delete; the engine deletes.

use std::collections::VecDeque;

use crate::kernel::{SimDuration, SimTime};
use crate::model::retention::{Retention, RetentionRule};
use crate::model::{BackupId, CopyId, VolumeId, World};

/// A schedule's source backups of one volume: `(schedule, volume)`.
pub type SourceKey = (u32, VolumeId);
/// A schedule's remote copies of one volume to one of its targets: `(schedule, target, volume)`.
pub type RemoteKey = (u32, u16, VolumeId);

/// A list of what retention may delete, oldest first, with the instant each counts from.
type Aging<T> = VecDeque<(T, SimTime)>;

/// A schedule's source backups of every volume, in the order they were taken: `(backup, the
/// volume's position in the schedule, the instant it counts from)`; and, during a run, the
/// prefix due and how far the run has walked it (see [`Kept::source_by_age_alone`]).
#[derive(Debug, Default)]
struct SourceFleet {
    list: VecDeque<(BackupId, u32, SimTime)>,
    due: usize,
    next: usize,
}

/// What a rule deletes: `(entry, rule)`, oldest first.
pub type Gone<T> = Vec<(T, RetentionRule)>;

/// Age-only retention over `list` (`(entry, born)`, oldest first): appends to `out` the entries
/// still `alive` that are old enough, oldest first — what [`Retention::select`] picks — without
/// looking at the young ones. The old enough leave the list (they are being deleted, or already gone).
fn aged<T: Copy>(
    list: &mut Aging<T>,
    alive: impl Fn(T) -> bool,
    now: SimTime,
    max_age: SimDuration,
    out: &mut Gone<T>,
) {
    while let Some(&(x, born)) = list.front() {
        if now.since(born) < max_age {
            break;
        }
        list.pop_front();
        if alive(x) {
            out.push((x, RetentionRule::Age));
        }
    }
}

/// `r` over `list`, appended to `out`: age alone walks only the old end; with a count, the gone
/// leave first and the count deletes the oldest by `point` (see [`Retention::select_by`]).
fn due<T: Copy, K: Ord>(
    list: &mut Aging<T>,
    alive: impl Fn(T) -> bool,
    r: Retention,
    incoming: u32,
    now: SimTime,
    point: impl Fn(T) -> K,
    out: &mut Gone<T>,
) {
    match (r.max_age, r.max_count) {
        (Some(age), None) => aged(list, alive, now, age, out),
        _ => {
            list.retain(|&(x, _)| alive(x));
            out.extend(r.select_by(now, list.make_contiguous(), incoming, point));
        }
    }
}

/// Whether the backup copy `c` wrote in its destination still exists (what remote retention
/// may still delete).
fn wrote_backup_still_there(world: &World, c: CopyId) -> bool {
    let dest = world.copies.get(c.index()).and_then(|copy| copy.dest_backup.get());
    dest.and_then(|b| world.backups.get(b.index())).is_some_and(|b| b.exists())
}

/// `v[i]`, growing `v` with defaults up to `i`.
fn at<T: Default>(v: &mut Vec<T>, i: usize) -> &mut T {
    if v.len() <= i {
        v.resize_with(i + 1, T::default);
    }
    &mut v[i]
}

/// The backups and copies retention may delete, in dense tables (schedule, then target, then
/// volume index) rather than maps: every run of an hourly schedule visits each of its volumes'
/// lists, and a direct index keeps that a sequential walk.
///
/// Ages are measured on a clock `head_ms` ahead of the simulation's, so that a warm start's
/// backup and copies, which stand for ones taken before the start, can count from then.
#[derive(Debug, Default)]
pub struct Kept {
    /// `[schedule][volume]`.
    source: Vec<Vec<Aging<BackupId>>>,
    /// `[schedule][target][volume]`.
    remote: Vec<Vec<Vec<Aging<CopyId>>>>,
    /// `[schedule][target]`, for the targets whose retention is by age alone (see
    /// [`Kept::by_age_alone`]): their copies of every volume in one list, in completion order.
    fleet: Vec<Vec<Option<Aging<CopyId>>>>,
    /// `[schedule]`, for the schedules whose source retention is by age alone (see
    /// [`Kept::source_by_age_alone`]): their backups of every volume in one list, in the order
    /// they were taken.
    source_fleet: Vec<Option<SourceFleet>>,
    /// How far retention's clock runs ahead of the simulation's (see [`Kept::with_head`]).
    head_ms: u64,
}

impl Kept {
    /// An empty table whose entries may count their age from up to `head_ms` before the start.
    pub fn with_head(head_ms: u64) -> Self {
        Kept { head_ms, ..Kept::default() }
    }

    /// `t` on retention's clock.
    fn clock(&self, t: SimTime) -> SimTime {
        SimTime(t.0.saturating_add(self.head_ms))
    }

    /// `before_ms` before the start on retention's clock (the start if that is further back
    /// than the table's head).
    fn before_start(&self, before_ms: u64) -> SimTime {
        SimTime(self.head_ms.saturating_sub(before_ms))
    }

    fn source_list(&mut self, (s, v): SourceKey) -> &mut Aging<BackupId> {
        at(at(&mut self.source, s as usize), v.index())
    }

    fn remote_list(&mut self, (s, t, v): RemoteKey) -> &mut Aging<CopyId> {
        if let Some(Some(list)) = self.fleet.get_mut(s as usize).and_then(|f| f.get_mut(usize::from(t))) {
            return list;
        }
        at(at(at(&mut self.remote, s as usize), usize::from(t)), v.index())
    }

    /// Target `t` of schedule `s` keeps its copies by age alone: its copies of every volume go
    /// in one list, in the order they complete (the order ages fall due in, as every copy of
    /// the target ages by the same rule), rather than one list per volume. A run then deletes
    /// a prefix of that list, and its copies and the backups they wrote are read in about the
    /// order they were made, where a walk over the volumes read them scattered across memory.
    pub fn by_age_alone(&mut self, s: u32, t: u16) {
        *at(at(&mut self.fleet, s as usize), usize::from(t)) = Some(Aging::new());
    }

    /// Whether target `t` of schedule `s` keeps its copies in one list (see [`Self::by_age_alone`]).
    pub fn is_by_age_alone(&self, s: u32, t: u16) -> bool {
        self.fleet.get(s as usize).and_then(|f| f.get(usize::from(t))).is_some_and(Option::is_some)
    }

    /// Puts the one-list targets' entries in age order: a warm start lays down its copies
    /// volume by volume, each aged from its own instant before the start.
    pub fn sort_by_age(&mut self) {
        for list in self.fleet.iter_mut().flatten().flatten() {
            list.make_contiguous().sort_by_key(|&(_, born)| born);
        }
        for f in self.source_fleet.iter_mut().flatten() {
            f.list.make_contiguous().sort_by_key(|&(_, _, born)| born);
        }
    }

    /// Schedule `s` keeps its source backups by age alone: its backups of every volume go in
    /// one list, in the order they are taken (the order their ages fall due in), rather than one
    /// list per volume. A run deletes a prefix of it, volume by volume as it visits them
    /// ([`Self::source_run`], [`Self::source_run_due`]): the walk reads the list in order where
    /// the per-volume lists read two scattered ends per volume and run.
    pub fn source_by_age_alone(&mut self, s: u32) {
        *at(&mut self.source_fleet, s as usize) = Some(SourceFleet::default());
    }

    /// Whether schedule `s` keeps its source backups in one list (see [`Self::source_by_age_alone`]).
    pub fn is_source_by_age_alone(&self, s: u32) -> bool {
        self.source_fleet.get(s as usize).is_some_and(Option::is_some)
    }

    /// A run of schedule `s` (kept in one list) begins at `now`: the backups at least `max_age`
    /// old are due, each deleted when the run visits its volume (in the order of the schedule's
    /// volumes, each volume's oldest first, as its own list would give them).
    pub fn source_run(&mut self, s: u32, max_age: SimDuration, now: SimTime) {
        let now = self.clock(now);
        let Some(Some(f)) = self.source_fleet.get_mut(s as usize) else { return };
        f.due = f.list.partition_point(|&(_, _, born)| now.since(born) >= max_age);
        f.next = 0;
        // One run due (the usual case) is in volume order already; several (the schedule was
        // disabled, or runs are closer than the age) are put in volume order, each volume's
        // oldest first (a stable sort: the list is in age order).
        let prefix = &mut f.list.make_contiguous()[..f.due];
        if !prefix.is_sorted_by_key(|&(_, pos, _)| pos) {
            prefix.sort_by_key(|&(_, pos, _)| pos);
        }
    }

    /// The due backups of the volume at position `pos` of schedule `s`'s run that still exist
    /// and are not being deleted, oldest first, appended to `out` (see [`Self::source_run`]).
    /// They leave the list at the end of the run ([`Self::source_run_end`]).
    pub fn source_run_due(&mut self, world: &World, s: u32, pos: usize, out: &mut Gone<BackupId>) {
        let Some(Some(f)) = self.source_fleet.get_mut(s as usize) else { return };
        while f.next < f.due && f.list[f.next].1 as usize <= pos {
            let b = f.list[f.next].0;
            f.next += 1;
            if world.backups.get(b.index()).is_some_and(|bk| bk.exists() && bk.deletion_requested_at.is_none()) {
                out.push((b, RetentionRule::Age));
            }
        }
    }

    /// Schedule `s`'s run (kept in one list) ended: its due backups leave the list.
    pub fn source_run_end(&mut self, s: u32) {
        if let Some(Some(f)) = self.source_fleet.get_mut(s as usize) {
            f.list.drain(..f.due);
            (f.due, f.next) = (0, 0);
        }
    }

    /// Starts loading, for schedule `s`'s run (kept in one list), the backup `ahead` entries past
    /// the walk, and the first copy of the one `ahead / 2` past it (whether copies are pending).
    pub fn prefetch_source_run(&self, world: &World, s: u32, ahead: usize) {
        let Some(Some(f)) = self.source_fleet.get(s as usize) else { return };
        if let Some(&(b, ..)) = f.list.get(f.next + ahead).filter(|_| f.next + ahead < f.due) {
            world.backups.prefetch(b.index());
        }
        if let Some(c) = f
            .list
            .get(f.next + ahead / 2)
            .filter(|_| f.next + ahead / 2 < f.due)
            .and_then(|&(b, ..)| world.backups.get(b.index()))
            .and_then(|b| b.first_copy.get())
        {
            world.copies.prefetch(c.index());
        }
    }

    /// Age retention over the one list of target `key.1` of schedule `key.0` (see
    /// [`Self::by_age_alone`]): the copies still there that are `max_age` old, oldest first,
    /// appended to `out`. Loads the copies and the backups they wrote a few entries ahead.
    pub fn fleet_due(
        &mut self,
        world: &World,
        key: (u32, u16),
        max_age: SimDuration,
        now: SimTime,
        out: &mut Gone<CopyId>,
    ) {
        let now = self.clock(now);
        let Some(Some(list)) = self.fleet.get_mut(key.0 as usize).and_then(|f| f.get_mut(usize::from(key.1))) else {
            return;
        };
        let due = list.partition_point(|&(_, born)| now.since(born) >= max_age);
        const AHEAD: usize = 8;
        for i in 0..due {
            if world.hints {
                if let Some(&(c, _)) = list.get(i + 2 * AHEAD).filter(|_| i + 2 * AHEAD < due) {
                    world.copies.prefetch(c.index());
                }
                if let Some(copy) =
                    list.get(i + AHEAD).filter(|_| i + AHEAD < due).and_then(|&(c, _)| world.copies.get(c.index()))
                {
                    world.backups.prefetch(copy.source.index());
                    if let Some(b) = copy.dest_backup.get() {
                        world.backups.prefetch(b.index());
                    }
                }
            }
            let c = list[i].0;
            if wrote_backup_still_there(world, c) {
                out.push((c, RetentionRule::Age));
            }
        }
        list.drain(..due);
    }

    fn source_ref(&self, (s, v): SourceKey) -> Option<&Aging<BackupId>> {
        self.source.get(s as usize)?.get(v.index())
    }

    fn remote_ref(&self, (s, t, v): RemoteKey) -> Option<&Aging<CopyId>> {
        self.remote.get(s as usize)?.get(usize::from(t))?.get(v.index())
    }

    /// Starts loading the oldest entry of `key`'s source list (what retention reads first).
    pub fn prefetch_source(&self, key: SourceKey) {
        if let Some(front) = self.source_ref(key).and_then(VecDeque::front) {
            crate::kernel::prefetch(front);
        }
    }

    /// Starts loading the newest entry of `key`'s source list (where the next backup goes).
    pub fn prefetch_source_newest(&self, key: SourceKey) {
        if let Some(back) = self.source_ref(key).and_then(VecDeque::back) {
            crate::kernel::prefetch(back);
        }
    }

    /// The oldest entry of `key`'s source list.
    pub fn oldest_source(&self, key: SourceKey) -> Option<BackupId> {
        self.source_ref(key)?.front().map(|&(b, _)| b)
    }

    /// Starts loading the oldest entry of `key`'s remote list.
    pub fn prefetch_remote(&self, key: RemoteKey) {
        if let Some(front) = self.remote_ref(key).and_then(VecDeque::front) {
            crate::kernel::prefetch(front);
        }
    }

    /// The oldest entry of `key`'s remote list.
    pub fn oldest_remote(&self, key: RemoteKey) -> Option<CopyId> {
        self.remote_ref(key)?.front().map(|&(c, _)| c)
    }

    /// Schedule `key.0` took backup `b` of volume `key.1`, at position `pos` of its volumes
    /// (counting from `born`).
    pub fn taken(&mut self, key: SourceKey, pos: usize, b: BackupId, born: SimTime) {
        let born = self.clock(born);
        self.push_source(key, pos, b, born);
    }

    fn push_source(&mut self, key: SourceKey, pos: usize, b: BackupId, born: SimTime) {
        match self.source_fleet.get_mut(key.0 as usize) {
            Some(Some(f)) => f.list.push_back((b, pos as u32, born)),
            _ => self.source_list(key).push_back((b, born)),
        }
    }

    /// Schedule `key.0` made copy `c` for target `key.1` (counting from `born`, its completion).
    pub fn copied(&mut self, key: RemoteKey, c: CopyId, born: SimTime) {
        let born = self.clock(born);
        self.remote_list(key).push_back((c, born));
    }

    /// As [`taken`](Self::taken), for a backup that counts its age from `before_ms` before the
    /// start (a warm start's backup).
    pub fn taken_before_start(&mut self, key: SourceKey, pos: usize, b: BackupId, before_ms: u64) {
        let born = self.before_start(before_ms);
        self.push_source(key, pos, b, born);
    }

    /// As [`copied`](Self::copied), for a copy that counts its age from `before_ms` before the
    /// start (a warm start's copy).
    pub fn copied_before_start(&mut self, key: RemoteKey, c: CopyId, before_ms: u64) {
        let born = self.before_start(before_ms);
        self.remote_list(key).push_back((c, born));
    }

    /// The source backups `r` deletes now, keeping room for `incoming` about to be taken,
    /// appended to `out` (a buffer the caller keeps: a run of an hourly schedule asks once per
    /// volume).
    pub fn source_due(
        &mut self,
        world: &World,
        key: SourceKey,
        r: Retention,
        incoming: u32,
        now: SimTime,
        out: &mut Gone<BackupId>,
    ) {
        let alive = |b: BackupId| {
            world.backups.get(b.index()).is_some_and(|bk| bk.exists() && bk.deletion_requested_at.is_none())
        };
        // Taken in seq order: the list's order is their point in time.
        let now = self.clock(now);
        due(self.source_list(key), alive, r, incoming, now, |_| (), out);
    }

    /// The remote copies `r` deletes now (their backups still exist), appended to `out`. The
    /// list is in completion order (age counts from completion); the count deletes the oldest
    /// points in time — the lowest seqs — as IBM's "the oldest backups are deleted": a full copy
    /// that lands after later incrementals is the oldest, not the newest.
    ///
    /// The count counts restore points: a copy whose transfer completed while the copy it builds
    /// on is still moving (it overtook its base) is neither counted nor deleted by the count
    /// until it becomes one. Counting it would delete restorable copies for copies that cannot
    /// be restored yet, down to none (30 OCI volumes, a 2 TB full copy still moving: six
    /// incrementals landed, the count of 6 deleted every restore point). Age still applies to it.
    pub fn remote_due(&mut self, world: &World, key: RemoteKey, r: Retention, now: SimTime, out: &mut Gone<CopyId>) {
        let alive = |c: CopyId| wrote_backup_still_there(world, c);
        let seq = |c: CopyId| world.copies.get(c.index()).map_or(0, |copy| copy.seq);
        let point = |c: CopyId| world.copies.get(c.index()).is_some_and(|copy| copy.restorable_at.is_some());
        let now = self.clock(now);
        let list = self.remote_list(key);
        if r.max_count.is_none() || list.iter().all(|&(c, _)| point(c)) {
            return due(list, alive, r, 0, now, seq, out);
        }
        list.retain(|&(c, _)| alive(c));
        let (counted, waiting): (Vec<_>, Vec<_>) = list.iter().partition(|&&(c, _)| point(c));
        let from = out.len();
        out.extend(r.select_by(now, &counted, 0, seq));
        let age_only = Retention { max_age: r.max_age, max_count: None };
        out.extend(age_only.select_by(now, &waiting, 0, seq));
        out[from..].sort_by_key(|&(c, _)| seq(c)); // oldest first, as `Gone` says
    }

    /// Schedule `schedule`'s remote lists that hold anything, in (target, volume) order,
    /// appended to `keys`.
    pub fn remote_keys(&self, schedule: u32, keys: &mut Vec<RemoteKey>) {
        let Some(targets) = self.remote.get(schedule as usize) else { return };
        for (t, volumes) in targets.iter().enumerate() {
            for (v, list) in volumes.iter().enumerate() {
                if !list.is_empty() {
                    keys.push((schedule, t as u16, VolumeId(v as u32)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::testkit::Kit;

    const H: u64 = 3_600_000;

    /// A kit with `n` backups of its volume, taken hourly by schedule 0 and kept.
    fn hourly(n: u32) -> (Kit, Kept, Vec<BackupId>) {
        let mut k = Kit::new(crate::providers::AWS_EBS);
        let mut kept = Kept::default();
        let mut ids = Vec::new();
        for i in 0..n {
            let b = k.backup();
            kept.taken((0, k.vol), 0, b, SimTime(u64::from(i) * H));
            ids.push(b);
        }
        (k, kept, ids)
    }

    #[test]
    fn age_deletes_the_old_end_only() {
        let (k, mut kept, ids) = hourly(5);
        let r = Retention { max_age: Some(SimDuration(2 * H)), max_count: None };
        let mut gone = Vec::new();
        kept.source_due(&k.w, (0, k.vol), r, 0, SimTime(4 * H), &mut gone);
        assert_eq!(
            gone,
            vec![(ids[0], RetentionRule::Age), (ids[1], RetentionRule::Age), (ids[2], RetentionRule::Age)]
        );
        gone.clear();
        kept.source_due(&k.w, (0, k.vol), r, 0, SimTime(4 * H), &mut gone);
        assert!(gone.is_empty(), "they left the list");
    }

    /// Marks copy `c` a restore point (its transfer and its base's completed).
    fn point(k: &mut Kit, c: CopyId) {
        k.w.copies[c.index()].restorable_at = crate::kernel::Stamp::from(SimTime(k.now));
    }

    #[test]
    fn remote_count_deletes_the_oldest_points_in_time_not_the_first_copies_to_land() {
        // IBM: "When the maximum number is exceeded, the oldest backups are deleted." The full
        // copy of #1 lands after the incrementals of #3 and #4: with a count of 2, #1 is the
        // oldest restore point and goes (then #3 when #5 lands), not the copies that landed first.
        let mut k = Kit::new(crate::providers::OCI);
        let (dst, mut kept) = (k.dst, Kept::default());
        let ids = k.backups(5);
        let copies: Vec<CopyId> = ids.iter().map(|&b| k.request(b, dst, crate::model::Trigger::Schedule)).collect();
        let r = Retention { max_age: None, max_count: Some(2) };
        let key = (0, 0, k.vol);
        let mut gone = Vec::new();
        for i in [2, 3, 0, 4] {
            k.start(copies[i]);
            k.finish(copies[i]);
            point(&mut k, copies[i]);
            kept.copied(key, copies[i], SimTime(k.now));
            let before = gone.len();
            kept.remote_due(&k.w, key, r, SimTime(k.now), &mut gone);
            for &(c, _) in &gone[before..] {
                k.delete_copy(c);
            }
        }
        assert_eq!(gone, vec![(copies[0], RetentionRule::Count), (copies[2], RetentionRule::Count)]);
    }

    #[test]
    fn remote_count_counts_restore_points_not_copies_waiting_for_their_base() {
        // OCI starts the next copy of a lineage while the previous one runs: incrementals may
        // land while the full copy they build on still moves, and cannot be restored until it
        // lands. Counting them deleted the restore points the region still had: with a count
        // of 2, the two restorable copies of #1 and #2 must stay while #4, #5 and #6 (building
        // on #3, still moving) land; once #3 lands all four later ones are restore points and
        // the count keeps the newest two (#5, #6).
        let mut k = Kit::new(crate::providers::OCI);
        let (dst, mut kept) = (k.dst, Kept::default());
        let ids = k.backups(6);
        let copies: Vec<CopyId> = ids.iter().map(|&b| k.request(b, dst, crate::model::Trigger::Schedule)).collect();
        let r = Retention { max_age: None, max_count: Some(2) };
        let key = (0, 0, k.vol);
        let mut gone = Vec::new();
        let land = |k: &mut Kit, kept: &mut Kept, i: usize, restorable: bool, gone: &mut Gone<CopyId>| {
            k.start(copies[i]);
            k.finish(copies[i]);
            if restorable {
                point(k, copies[i]);
            }
            kept.copied(key, copies[i], SimTime(k.now));
            kept.remote_due(&k.w, key, r, SimTime(k.now), gone);
        };
        land(&mut k, &mut kept, 0, true, &mut gone);
        land(&mut k, &mut kept, 1, true, &mut gone);
        k.start(copies[2]); // #3's copy keeps moving
        for i in [3, 4, 5] {
            land(&mut k, &mut kept, i, false, &mut gone);
        }
        assert!(gone.is_empty(), "the two restore points stay: {gone:?}");
        k.finish(copies[2]);
        for i in [2, 3, 4, 5] {
            point(&mut k, copies[i]);
        }
        kept.copied(key, copies[2], SimTime(k.now));
        kept.remote_due(&k.w, key, r, SimTime(k.now), &mut gone);
        let gone: Vec<CopyId> = gone.into_iter().map(|(c, _)| c).collect();
        assert_eq!(gone, vec![copies[0], copies[1], copies[2], copies[3]]);
    }

    #[test]
    fn a_target_kept_by_age_alone_deletes_the_old_prefix_of_its_one_list() {
        // Copies of one volume stand for several volumes' here: the one list holds them in
        // completion order, and a run deletes every copy at least max_age old, oldest first,
        // skipping one already gone — what the per-volume lists delete, in completion order.
        let mut k = Kit::new(crate::providers::OCI);
        let (dst, mut kept) = (k.dst, Kept::default());
        kept.by_age_alone(0, 0);
        assert!(kept.is_by_age_alone(0, 0) && !kept.is_by_age_alone(0, 1) && !kept.is_by_age_alone(1, 0));
        let ids = k.backups(4);
        let copies: Vec<CopyId> = ids.iter().map(|&b| k.request(b, dst, crate::model::Trigger::Schedule)).collect();
        for (i, &c) in copies.iter().enumerate() {
            k.start(c);
            k.finish(c);
            kept.copied((0, 0, VolumeId(i as u32 % 2)), c, SimTime(i as u64 * H));
        }
        k.delete_copy(copies[1]);
        let mut gone = Vec::new();
        kept.fleet_due(&k.w, (0, 0), SimDuration(2 * H), SimTime(3 * H), &mut gone);
        assert_eq!(gone, vec![(copies[0], RetentionRule::Age)], "#2 is gone already, #3 and #4 are young");
        gone.clear();
        kept.fleet_due(&k.w, (0, 0), SimDuration(2 * H), SimTime(5 * H), &mut gone);
        assert_eq!(gone, vec![(copies[2], RetentionRule::Age), (copies[3], RetentionRule::Age)]);
        let mut keys = Vec::new();
        kept.remote_keys(0, &mut keys);
        assert!(keys.is_empty(), "no per-volume list was made: {keys:?}");
    }

    #[test]
    fn a_schedule_kept_by_age_alone_deletes_each_volume_s_due_backups_as_its_run_visits_it() {
        // Backups of one volume stand for three volumes' (positions 0, 1, 2) here, taken by
        // three runs an hour apart. Kept 2 h, a run at 3 h finds the first run's backups due
        // (in volume order); a run at 6 h after none in between finds the second and third
        // runs' due, and gives each volume's oldest first as the per-volume lists did — the
        // second run's #1 then the third run's #1 at position 0, not the runs' order; one
        // already deleted is skipped.
        let mut k = Kit::new(crate::providers::AWS_EBS);
        let mut kept = Kept::default();
        kept.source_by_age_alone(0);
        assert!(kept.is_source_by_age_alone(0) && !kept.is_source_by_age_alone(1));
        let mut ids = Vec::new();
        for run in 0..3u64 {
            for pos in 0..3 {
                let b = k.backup();
                kept.taken((0, k.vol), pos, b, SimTime(run * H));
                ids.push(b);
            }
        }
        let age = SimDuration(2 * H);
        let walk = |kept: &mut Kept, w: &World, now: u64| {
            kept.source_run(0, age, SimTime(now));
            let mut per_pos = Vec::new();
            for pos in 0..3 {
                let mut gone = Vec::new();
                kept.source_run_due(w, 0, pos, &mut gone);
                per_pos.push(gone.into_iter().map(|(b, _)| b).collect::<Vec<_>>());
            }
            kept.source_run_end(0);
            per_pos
        };
        assert_eq!(walk(&mut kept, &k.w, 2 * H), vec![vec![ids[0]], vec![ids[1]], vec![ids[2]]]);
        k.w.backups[ids[4].index()].deletion_requested_at = crate::kernel::Stamp::from(SimTime(3 * H));
        assert_eq!(
            walk(&mut kept, &k.w, 6 * H),
            vec![vec![ids[3], ids[6]], vec![ids[7]], vec![ids[5], ids[8]]],
            "each volume's oldest first; #5, being deleted, skipped"
        );
        assert_eq!(walk(&mut kept, &k.w, 9 * H), vec![vec![], vec![], vec![]], "they left the list");
    }

    #[test]
    fn a_warm_start_s_copies_in_one_list_are_put_in_age_order() {
        // A warm start lays copies down volume by volume, each aged from its own instant
        // before the start; the one list must be in age order for its prefix to be the due ones.
        let mut kept = Kept::with_head(10 * H);
        kept.by_age_alone(0, 0);
        kept.copied_before_start((0, 0, VolumeId(0)), CopyId(0), 2 * H);
        kept.copied_before_start((0, 0, VolumeId(1)), CopyId(1), 5 * H);
        kept.copied_before_start((0, 0, VolumeId(2)), CopyId(2), 3 * H);
        kept.sort_by_age();
        let list = kept.fleet[0][0].as_ref().expect("one list");
        let order: Vec<CopyId> = list.iter().map(|&(c, _)| c).collect();
        assert_eq!(order, vec![CopyId(1), CopyId(2), CopyId(0)]);
    }

    #[test]
    fn count_keeps_room_for_the_backup_about_to_be_taken() {
        // IBM: "When the maximum number is exceeded, the oldest backups are deleted."
        let (k, mut kept, ids) = hourly(3);
        let r = Retention { max_age: None, max_count: Some(3) };
        let mut gone = Vec::new();
        kept.source_due(&k.w, (0, k.vol), r, 1, SimTime(3 * H), &mut gone);
        assert_eq!(gone, vec![(ids[0], RetentionRule::Count)]);
    }
}
