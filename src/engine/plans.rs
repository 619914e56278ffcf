//! Schedule and plan runs: take the backups, apply retention to the backups and remote copies
//! a plan made (what to delete: [`super::keep`]), keep to the per-volume ceiling, and carry out
//! deletions, now or once allowed ([`super::deletions`]).

use super::{Engine, Event, deletions, keep};
use crate::kernel::Stamp;
use crate::kernel::{Scheduler, SimTime};
use crate::model::retention::{Retention, RetentionRule};
use crate::model::{BackupId, BackupState, CopyId, DeletedBy, Origin, Trigger, VolumeId};
use crate::providers::{backup_ceiling, rules};

/// Buffers retention fills and the engine reads, kept between runs so a run of an hourly
/// schedule allocates nothing per volume (taken while in use, so a nested use gets a fresh one).
#[derive(Debug, Default)]
pub(super) struct Scratch {
    /// Source backups to delete.
    backups: keep::Gone<BackupId>,
    /// Remote copies to delete.
    copies: keep::Gone<CopyId>,
    /// Remote lists to visit.
    keys: Vec<keep::RemoteKey>,
    /// Copies that became restore points when the copy they build on completed (after their
    /// own transfer): their remote lists' counts are checked once that copy's transfer is closed.
    late_points: Vec<CopyId>,
}

/// What one schedule or plan did over the run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanStats {
    /// Runs (ticks while enabled).
    pub runs: u64,
    /// Backups taken.
    pub backups_taken: u64,
    /// Backups not taken because the volume was at its backup ceiling.
    pub skipped_ceiling: u64,
    /// Backups not taken because the region was out.
    pub skipped_outage: u64,
    /// Backups deleted by age.
    pub deleted_age: u64,
    /// Backups deleted by count.
    pub deleted_count: u64,
    /// Remote copies deleted by age.
    pub copies_deleted_age: u64,
    /// Remote copies deleted by count.
    pub copies_deleted_count: u64,
    /// Deletions that had to wait (FSx: a backup being copied).
    pub deletions_waited: u64,
    /// Longest such wait, in ms.
    pub deletion_wait_ms_max: u64,
    /// Backups retention deleted while a copy of them was still queued or in flight.
    pub deleted_before_copied: u64,
}

impl PlanStats {
    /// The counts since `earlier` (taken from the same plan before); the longest deletion wait
    /// is this one's (the measurement window restarts it, see [`super::window`]).
    pub fn since(&self, earlier: &PlanStats) -> PlanStats {
        PlanStats {
            runs: self.runs - earlier.runs,
            backups_taken: self.backups_taken - earlier.backups_taken,
            skipped_ceiling: self.skipped_ceiling - earlier.skipped_ceiling,
            skipped_outage: self.skipped_outage - earlier.skipped_outage,
            deleted_age: self.deleted_age - earlier.deleted_age,
            deleted_count: self.deleted_count - earlier.deleted_count,
            copies_deleted_age: self.copies_deleted_age - earlier.copies_deleted_age,
            copies_deleted_count: self.copies_deleted_count - earlier.copies_deleted_count,
            deletions_waited: self.deletions_waited - earlier.deletions_waited,
            deletion_wait_ms_max: self.deletion_wait_ms_max,
            deleted_before_copied: self.deleted_before_copied - earlier.deleted_before_copied,
        }
    }
}

/// How many volumes ahead the hourly walks start loading what they will read.
const AHEAD: usize = 8;

impl Engine<'_> {
    pub(super) fn on_tick(&mut self, i: u32, sched: &mut Scheduler<Event>) {
        let s = i as usize;
        if !self.active[s] {
            self.tick_pending[s] = false;
            return;
        }
        let now = sched.now();
        self.world.hints = self.hints.unwrap_or_else(|| crate::kernel::pays(self.world.live_bytes()));
        self.plan_stats[s].runs += 1;
        let retention = self.schedules[s].retention;
        let one_list = self.kept.is_source_by_age_alone(i);
        if let (true, Some(max_age)) = (one_list, retention.and_then(|r| r.max_age)) {
            self.kept.source_run(i, max_age, now);
        }
        for pos in 0..self.schedules[s].volumes.len() {
            self.prefetch_tick(i, pos, one_list);
            let v = self.schedules[s].volumes[pos];
            let region_up = !self.world.region_down[self.world.volume(v).region.index()];
            if let Some(r) = retention {
                self.apply_source_retention(i, (v, pos), r, u32::from(region_up), now, sched);
            }
            if !region_up {
                self.plan_stats[s].skipped_outage += 1;
                continue;
            }
            if self.ceilinged[s] && backup_ceiling(&self.world, v).is_some_and(|c| self.live_source[v.index()] >= c) {
                self.plan_stats[s].skipped_ceiling += 1;
                continue;
            }
            let b = self.take_backup(v, now, sched);
            let backup = &mut self.world.backups[b.index()];
            backup.schedule = (Some(i)).into();
            backup.consistency_group = (self.schedules[s].groups.get(pos).copied().flatten()).into();
            if let Some(list) = &self.share_lists[s] {
                self.world.share_list(b, list);
            }
            self.plan_stats[s].backups_taken += 1;
            self.record_taken(b);
            if retention.is_some() {
                self.kept.taken((i, v), pos, b, now);
            }
        }
        if one_list {
            self.kept.source_run_end(i);
        }
        self.apply_remote_age(i, now, sched);
        self.rec.record(now, &crate::record::Record::PlanRan { schedule: i });
        self.schedule_next(i, now, sched);
    }

    /// Starts loading what the run will read for the volumes a few places ahead of `pos` in
    /// schedule `i`: the oldest entry of each one's retention list, then the backup it names,
    /// then that backup's first copy; and the observers' entries for it, in two stages. A
    /// schedule whose backups are kept in `one_list` ([`keep::Kept::source_by_age_alone`])
    /// loads the backups its walk of that list will reach.
    fn prefetch_tick(&self, i: u32, pos: usize, one_list: bool) {
        if !self.world.hints {
            return;
        }
        let volumes = &self.schedules[i as usize].volumes;
        if let Some(&v) = volumes.get(pos + 2 * AHEAD) {
            if !one_list {
                self.kept.prefetch_source((i, v));
            }
            crate::kernel::prefetch(self.world.volume(v));
            self.rec.prefetch(v, 2);
        }
        if let Some(&v) = volumes.get(pos + AHEAD) {
            self.rec.prefetch(v, 1);
            // Where the backup about to be taken goes in its chain.
            self.world.volume(v).chain.prefetch_newest();
            if !one_list {
                self.kept.prefetch_source_newest((i, v));
                if let Some(b) = self.kept.oldest_source((i, v)) {
                    self.world.backups.prefetch(b.index());
                }
            }
        }
        if one_list {
            self.kept.prefetch_source_run(&self.world, i, AHEAD);
            return;
        }
        // Whether it still has copies pending reads its first copy.
        if let Some(&v) = volumes.get(pos + AHEAD / 2)
            && let Some(b) = self.kept.oldest_source((i, v))
            && let Some(c) = self.world.backups.get(b.index()).and_then(|b| b.first_copy.get())
        {
            self.world.copies.prefetch(c.index());
        }
    }

    /// Likewise for remote age retention at `keys[k]`: the oldest copy, then the backups it links.
    fn prefetch_remote_age(&self, keys: &[keep::RemoteKey], k: usize) {
        if !self.world.hints {
            return;
        }
        if let Some(&key) = keys.get(k + 3 * AHEAD) {
            self.kept.prefetch_remote(key);
        }
        if let Some(&key) = keys.get(k + 2 * AHEAD)
            && let Some(c) = self.kept.oldest_remote(key)
        {
            self.world.copies.prefetch(c.index());
        }
        if let Some(&key) = keys.get(k + AHEAD)
            && let Some(c) = self.kept.oldest_remote(key)
            && let Some(copy) = self.world.copies.get(c.index())
        {
            self.world.backups.prefetch(copy.source.index());
            if let Some(b) = copy.dest_backup.get() {
                self.world.backups.prefetch(b.index());
            }
        }
    }

    pub(super) fn schedule_next(&mut self, i: u32, now: SimTime, sched: &mut Scheduler<Event>) {
        match self.schedules[i as usize].timing.next_after(self.start, now) {
            Some(t) => {
                sched.at(t, Event::ScheduleTick(i));
                self.tick_pending[i as usize] = true;
            }
            None => self.tick_pending[i as usize] = false,
        }
    }

    /// Source retention of schedule `i` for volume `v`, at position `pos` of its volumes.
    fn apply_source_retention(
        &mut self,
        i: u32,
        (v, pos): (VolumeId, usize),
        r: Retention,
        incoming: u32,
        now: SimTime,
        sched: &mut Scheduler<Event>,
    ) {
        let mut gone = std::mem::take(&mut self.scratch.backups);
        if self.kept.is_source_by_age_alone(i) {
            self.kept.source_run_due(&self.world, i, pos, &mut gone);
        } else {
            self.kept.source_due(&self.world, (i, v), r, incoming, now, &mut gone);
        }
        for &(b, rule) in &gone {
            self.retire(b, DeletedBy::Retention { schedule: i, rule }, now, sched);
        }
        gone.clear();
        self.scratch.backups = gone;
    }

    /// Remote-copy age retention, at each run, target by target: a target kept by age alone
    /// deletes a prefix of its one list ([`keep::Kept::by_age_alone`]), the others walk their
    /// volumes' lists.
    fn apply_remote_age(&mut self, i: u32, now: SimTime, sched: &mut Scheduler<Event>) {
        let mut keys = std::mem::take(&mut self.scratch.keys);
        self.kept.remote_keys(i, &mut keys);
        let mut k = 0;
        for t in 0..self.schedules[i as usize].targets.len() as u16 {
            let Some(r) = self.schedules[i as usize].targets[usize::from(t)].retention else {
                // Nothing is listed for a target without retention; were it, skip its lists.
                while keys.get(k).is_some_and(|key| key.1 == t) {
                    k += 1;
                }
                continue;
            };
            if self.kept.is_by_age_alone(i, t) {
                let Some(max_age) = r.max_age else { continue };
                let mut gone = std::mem::take(&mut self.scratch.copies);
                self.kept.fleet_due(&self.world, (i, t), max_age, now, &mut gone);
                self.delete_remote(i, &mut gone, now, sched);
                self.scratch.copies = gone;
                continue;
            }
            while let Some(&key) = keys.get(k).filter(|key| key.1 == t) {
                self.prefetch_remote_age(&keys, k);
                k += 1;
                if r.max_age.is_none() {
                    continue;
                }
                let age_only = Retention { max_age: r.max_age, max_count: None };
                self.trim_remote(key, age_only, now, sched);
            }
        }
        keys.clear();
        self.scratch.keys = keys;
    }

    /// A scheduled copy completed: remember it for its target's retention, and trim over the count.
    pub(super) fn on_remote_copy_done(&mut self, copy: CopyId, now: SimTime, sched: &mut Scheduler<Event>) {
        let Some((key, r)) = self.remote_key(copy) else { return };
        self.kept.copied(key, copy, now);
        self.trim_count(key, r, now, sched);
    }

    /// Copy `c` became a restore point after its own transfer completed (the copy it builds on
    /// completed later): its target's count, which counts restore points, is checked by
    /// [`Self::trim_late_points`].
    pub(super) fn restorable_late(&mut self, c: CopyId) {
        if self.any_remote_retention {
            self.scratch.late_points.push(c);
        }
    }

    /// The counts of the copies that became restore points late (see [`Self::restorable_late`]).
    pub(super) fn trim_late_points(&mut self, now: SimTime, sched: &mut Scheduler<Event>) {
        if self.scratch.late_points.is_empty() {
            return;
        }
        let points = std::mem::take(&mut self.scratch.late_points);
        for &c in &points {
            if let Some((key, r)) = self.remote_key(c) {
                self.trim_count(key, r, now, sched);
            }
        }
        self.scratch.late_points = points;
        self.scratch.late_points.clear();
    }

    /// The remote list and retention of copy `copy`'s target, if it is a scheduled copy and its
    /// target has retention.
    fn remote_key(&self, copy: CopyId) -> Option<(keep::RemoteKey, Retention)> {
        let c = self.world.copies.get(copy.index()).filter(|c| c.trigger == Trigger::Schedule)?;
        let s = self.world.backup(c.source).schedule.get()?;
        let targets = &self.schedules[s as usize].targets;
        let t = targets.iter().position(|t| t.region == c.dest_region && t.account.is_none_or(|a| a == c.account))?;
        Some(((s, t as u16, c.volume), targets[t].retention?))
    }

    /// Deletes the copies over `r`'s count in `key`'s list, if it has one. A disabled or deleted
    /// plan deletes nothing; enabled again, it trims at its next copy.
    fn trim_count(&mut self, key: keep::RemoteKey, r: Retention, now: SimTime, sched: &mut Scheduler<Event>) {
        if r.max_count.is_some() && self.active[key.0 as usize] {
            self.trim_remote(key, Retention { max_age: None, max_count: r.max_count }, now, sched);
        }
    }

    fn trim_remote(&mut self, key: (u32, u16, VolumeId), r: Retention, now: SimTime, sched: &mut Scheduler<Event>) {
        let mut gone = std::mem::take(&mut self.scratch.copies);
        self.kept.remote_due(&self.world, key, r, now, &mut gone);
        self.delete_remote(key.0, &mut gone, now, sched);
        self.scratch.copies = gone;
    }

    /// Deletes the backups the copies in `gone` wrote, as schedule `schedule`'s remote
    /// retention, and empties `gone`.
    fn delete_remote(
        &mut self,
        schedule: u32,
        gone: &mut keep::Gone<CopyId>,
        now: SimTime,
        sched: &mut Scheduler<Event>,
    ) {
        for &(c, rule) in gone.iter() {
            let b = self.world.copy(c).dest_backup.get().expect("kept only finished copies");
            let stats = &mut self.plan_stats[schedule as usize];
            match rule {
                RetentionRule::Age => stats.copies_deleted_age += 1,
                RetentionRule::Count => stats.copies_deleted_count += 1,
            }
            self.delete_now(b, DeletedBy::RemoteRetention { schedule, rule }, now, sched);
        }
        gone.clear();
    }

    /// Whether `b`'s schedule is still to request copies of it: it has copy targets, runs (not
    /// disabled or deleted), and `b` has not reached the state its provider copies from (still
    /// uploading; IBM: not yet stable).
    fn copies_due(&self, b: BackupId) -> bool {
        let backup = self.world.backup(b);
        let Some(s) = backup.schedule.get() else { return false };
        if self.schedules[s as usize].targets.is_empty() || !self.active[s as usize] {
            return false;
        }
        let ready = rules(self.world.region(backup.region).provider).source_ready_state();
        match backup.state {
            BackupState::Creating => true,
            BackupState::Available => ready == BackupState::Stable,
            BackupState::Stable | BackupState::Deleted => false,
        }
    }

    /// Retention decided to delete `b`: do it now, or — FSx, while it is being copied — as soon as allowed.
    fn retire(&mut self, b: BackupId, by: DeletedBy, now: SimTime, sched: &mut Scheduler<Event>) {
        // A copy still queued fails when its turn comes (the source is gone), and one the
        // schedule is still to request (the backup is not ready yet) is never made; one already
        // moving completes: only the first two are copies lost to retention.
        let due = self.copies_due(b);
        let lost = due || deletions::copies_queued(&self.world, b);
        if deletions::blocked(&self.world, b, now, due) {
            self.world.backups[b.index()].deletion_requested_at = Stamp::from(now);
            self.rec.record(now, &crate::record::Record::DeletionDecided { backup: &self.world.backups[b.index()] });
            self.deletions.wait(b, by);
            self.maybe_retry_delete(b, now, sched);
            return;
        }
        if lost && let DeletedBy::Retention { schedule, .. } = by {
            self.plan_stats[schedule as usize].deleted_before_copied += 1;
        }
        self.delete_now(b, by, now, sched);
    }

    /// If `b` waits for deletion and nothing copies it any more, retry once the provider allows.
    pub(super) fn maybe_retry_delete(&mut self, b: BackupId, now: SimTime, sched: &mut Scheduler<Event>) {
        if let Some(at) = self.deletions.retry_at(&self.world, b, now) {
            sched.at(at, Event::RetryDelete(b));
        }
    }

    pub(super) fn on_retry_delete(&mut self, b: BackupId, now: SimTime, sched: &mut Scheduler<Event>) {
        let due = self.copies_due(b);
        let Some(by) = self.deletions.release(&self.world, b, now, due) else { return };
        let requested = self.world.backup(b).deletion_requested_at.get().unwrap_or(now);
        if let DeletedBy::Retention { schedule, .. } = by {
            let stats = &mut self.plan_stats[schedule as usize];
            stats.deletions_waited += 1;
            stats.deletion_wait_ms_max = stats.deletion_wait_ms_max.max(now.since(requested).as_ms());
        }
        self.delete_now(b, by, now, sched);
    }

    /// Deletes `b` now: terminates its copy record, cascades shares, keeps the live count.
    pub(super) fn delete_now(
        &mut self,
        b: BackupId,
        by: DeletedBy,
        now: SimTime,
        sched: &mut Scheduler<Event>,
    ) -> usize {
        // Counted when carried out (a deletion that waits counts when it happens, not when
        // decided): taken = kept + deleted, at the horizon as in the rows.
        if let DeletedBy::Retention { schedule, rule } = by {
            let stats = &mut self.plan_stats[schedule as usize];
            match rule {
                RetentionRule::Age => stats.deleted_age += 1,
                RetentionRule::Count => stats.deleted_count += 1,
            }
        }
        let backup = self.world.backup(b);
        let provider = self.world.region(backup.region).provider;
        if backup.origin() == Origin::Source {
            let v = backup.volume.index();
            self.live_source[v] = self.live_source[v].saturating_sub(1);
        }
        let shares: Vec<CopyId> = crate::providers::active_shares(&self.world, b).map(|c| c.id).collect();
        for &s in &shares {
            self.world.end_share(s, now);
            self.close_copy(s);
        }
        let copy = self.world.delete_backup(b, now, by);
        self.close_backup(b);
        match copy.map(|c| (c, self.world.copy(c).state)) {
            Some((c, crate::model::CopyState::Terminating)) => {
                sched.after(self.world.params(provider).terminate_delay, Event::CopyTerminated(c));
            }
            Some((c, crate::model::CopyState::Terminated)) => self.close_copy(c),
            _ => {}
        }
        shares.len()
    }
}
