//! Schedule and plan runs: take the backups, apply retention to the backups and remote copies
//! a plan made, keep to the per-volume ceiling, and carry out deletions that must wait (FSx).

use super::{Engine, Event};
use crate::kernel::{Scheduler, SimTime};
use crate::model::retention::{Retention, RetentionRule};
use crate::model::{BackupId, CopyId, DeletedBy, Origin, VolumeId};
use crate::providers::{backup_ceiling, rules};

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

/// Age-only retention over `list` (`(entry, born)`, oldest first): the entries still `alive`
/// that are old enough, oldest first — what [`Retention::select`] picks — without looking at
/// the young ones. The old enough leave the list (they are being deleted, or already gone).
fn aged<T: Copy>(
    list: &mut std::collections::VecDeque<(T, SimTime)>,
    alive: impl Fn(T) -> bool,
    now: SimTime,
    max_age: crate::kernel::SimDuration,
) -> Vec<(T, RetentionRule)> {
    let n = list.iter().take_while(|&&(_, born)| now.since(born) >= max_age).count();
    list.drain(..n).filter(|&(x, _)| alive(x)).map(|(x, _)| (x, RetentionRule::Age)).collect()
}

impl Engine<'_> {
    pub(super) fn on_tick(&mut self, i: u32, sched: &mut Scheduler<Event>) {
        let s = i as usize;
        if !self.active[s] {
            self.tick_pending[s] = false;
            return;
        }
        let now = sched.now();
        self.plan_stats[s].runs += 1;
        let retention = self.schedules[s].retention;
        for pos in 0..self.schedules[s].volumes.len() {
            let v = self.schedules[s].volumes[pos];
            let region_up = !self.world.region_down[self.world.volume(v).region.index()];
            if let Some(r) = retention {
                self.apply_source_retention(i, v, r, u32::from(region_up), now, sched);
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
            backup.schedule = Some(i);
            backup.consistency_group = self.schedules[s].groups.get(pos).copied().flatten();
            for &a in &self.schedules[s].share_with {
                backup.share(Some(a), false);
            }
            self.plan_stats[s].backups_taken += 1;
            self.record_taken(b);
            if retention.is_some() {
                self.live_src.entry((i, v)).or_default().push_back((b, now));
            }
        }
        self.apply_remote_age(i, now, sched);
        self.rec.record(now, &crate::record::Record::PlanRan { schedule: i });
        self.schedule_next(i, now, sched);
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

    fn apply_source_retention(
        &mut self,
        i: u32,
        v: VolumeId,
        r: Retention,
        incoming: u32,
        now: SimTime,
        sched: &mut Scheduler<Event>,
    ) {
        let world = &self.world;
        let list = self.live_src.entry((i, v)).or_default();
        let alive = |b: BackupId| {
            world.backups.get(b.index()).is_some_and(|bk| bk.exists() && bk.deletion_requested_at.is_none())
        };
        let gone = match (r.max_age, r.max_count) {
            (Some(age), None) => aged(list, alive, now, age),
            _ => {
                list.retain(|&(b, _)| alive(b));
                r.select(now, list.make_contiguous(), incoming)
            }
        };
        for (b, rule) in gone {
            self.retire(b, DeletedBy::Retention { schedule: i, rule }, now, sched);
        }
    }

    /// Remote-copy age retention, at each run.
    fn apply_remote_age(&mut self, i: u32, now: SimTime, sched: &mut Scheduler<Event>) {
        let keys: Vec<(u32, u16, VolumeId)> =
            self.live_remote.range((i, 0, VolumeId(0))..=(i, u16::MAX, VolumeId(u32::MAX))).map(|(k, _)| *k).collect();
        for key in keys {
            let Some(r) = self.schedules[i as usize].targets[key.1 as usize].retention else { continue };
            if r.max_age.is_none() {
                continue;
            }
            let age_only = Retention { max_age: r.max_age, max_count: None };
            self.trim_remote(key, age_only, now, sched);
        }
    }

    /// A scheduled copy completed: remember it for its target's retention, and trim over the count.
    pub(super) fn on_remote_copy_done(&mut self, copy: CopyId, now: SimTime, sched: &mut Scheduler<Event>) {
        let c = self.world.copy(copy);
        let Some(s) = self.world.backup(c.source).schedule else { return };
        let targets = &self.schedules[s as usize].targets;
        let Some(t) =
            targets.iter().position(|t| t.region == c.dest_region && t.account.is_none_or(|a| a == c.account))
        else {
            return;
        };
        let Some(r) = targets[t].retention else { return };
        let key = (s, t as u16, c.volume);
        self.live_remote.entry(key).or_default().push_back((copy, now));
        if r.max_count.is_some() {
            self.trim_remote(key, Retention { max_age: None, max_count: r.max_count }, now, sched);
        }
    }

    fn trim_remote(&mut self, key: (u32, u16, VolumeId), r: Retention, now: SimTime, sched: &mut Scheduler<Event>) {
        let world = &self.world;
        let list = self.live_remote.entry(key).or_default();
        let alive = |c: CopyId| {
            let dest = world.copies.get(c.index()).and_then(|copy| copy.dest_backup);
            dest.and_then(|b| world.backups.get(b.index())).is_some_and(|b| b.exists())
        };
        let gone = match (r.max_age, r.max_count) {
            (Some(age), None) => aged(list, alive, now, age),
            _ => {
                list.retain(|&(c, _)| alive(c));
                r.select(now, list.make_contiguous(), 0)
            }
        };
        for (c, rule) in gone {
            let b = self.world.copy(c).dest_backup.expect("kept only finished copies");
            let stats = &mut self.plan_stats[key.0 as usize];
            match rule {
                RetentionRule::Age => stats.copies_deleted_age += 1,
                RetentionRule::Count => stats.copies_deleted_count += 1,
            }
            self.delete_now(b, DeletedBy::RemoteRetention { schedule: key.0, rule }, now, sched);
        }
    }

    /// Retention decided to delete `b`: do it now, or — FSx, while it is being copied — as soon as allowed.
    fn retire(&mut self, b: BackupId, by: DeletedBy, now: SimTime, sched: &mut Scheduler<Event>) {
        if let DeletedBy::Retention { schedule, rule } = by {
            let stats = &mut self.plan_stats[schedule as usize];
            match rule {
                RetentionRule::Age => stats.deleted_age += 1,
                RetentionRule::Count => stats.deleted_count += 1,
            }
        }
        let pending = self.copies_pending(b);
        if self.retention_blocked(b, now) {
            self.world.backups[b.index()].deletion_requested_at = Some(now);
            self.rec.record(now, &crate::record::Record::DeletionDecided { backup: &self.world.backups[b.index()] });
            self.waiting_delete.insert(b, by);
            self.maybe_retry_delete(b, now, sched);
            return;
        }
        if pending && let DeletedBy::Retention { schedule, .. } = by {
            self.plan_stats[schedule as usize].deleted_before_copied += 1;
        }
        self.delete_now(b, by, now, sched);
    }

    /// Whether a copy of `b` is still queued or in flight (shares aside).
    fn copies_pending(&self, b: BackupId) -> bool {
        self.world
            .copies_from(b)
            .any(|c| c.kind != Some(crate::model::CopyKind::Share) && !c.state.is_final_transfer_state())
    }

    /// Whether retention must wait to delete `b`: its provider refuses the deletion now (FSx,
    /// while it is copied and shortly after), or `retention_waits_for_copies` is set and a copy
    /// is pending.
    fn retention_blocked(&self, b: BackupId, now: SimTime) -> bool {
        let backup = self.world.backup(b);
        let provider = self.world.region(backup.region).provider;
        if rules(provider).check_delete(&self.world, backup, now).is_err() {
            return true;
        }
        self.world.params(provider).retention_waits_for_copies && self.copies_pending(b)
    }

    /// If `b` waits for deletion and nothing copies it any more, retry once the provider allows.
    pub(super) fn maybe_retry_delete(&mut self, b: BackupId, now: SimTime, sched: &mut Scheduler<Event>) {
        if !self.waiting_delete.contains_key(&b) || self.world.backup(b).copies_in_progress > 0 {
            return;
        }
        let provider = self.world.region(self.world.backup(b).region).provider;
        let delay = self.world.params(provider).source_delete_delay;
        let after = self.world.backup(b).last_copy_ended_at.map_or(now, |t| t + delay);
        sched.at(after.max(now), Event::RetryDelete(b));
    }

    pub(super) fn on_retry_delete(&mut self, b: BackupId, now: SimTime, sched: &mut Scheduler<Event>) {
        let Some(&by) = self.waiting_delete.get(&b) else { return };
        if self.retention_blocked(b, now) {
            return; // a copy started meanwhile, or one is still queued: its end retries again
        }
        self.waiting_delete.remove(&b);
        let requested = self.world.backup(b).deletion_requested_at.unwrap_or(now);
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
        let backup = self.world.backup(b);
        let provider = self.world.region(backup.region).provider;
        if backup.origin == Origin::Source {
            let v = backup.volume.index();
            self.live_source[v] = self.live_source[v].saturating_sub(1);
        }
        let shares: Vec<CopyId> = crate::providers::active_shares(&self.world, b).map(|c| c.id).collect();
        for &s in &shares {
            let c = &mut self.world.copies[s.index()];
            c.state = crate::model::CopyState::Terminated;
            c.deleted_at = Some(now);
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
