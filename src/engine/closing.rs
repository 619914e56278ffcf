//! The engine's side of the recorder: it records transitions, closes copies and backups whose
//! rows are final, and lets what nothing refers to any more leave the world (memory follows
//! live state).

use super::{Engine, Event};
use crate::kernel::Scheduler;
use crate::kernel::SimTime;
use crate::kernel::Stamp;
use crate::model::ProviderError;
use crate::model::{BackupId, Copy, CopyId, CopyState};
use crate::providers::rules;
use crate::record::Record;

/// Stages of `World::prefetch_leaving`.
const LEAVING_STAGES: u8 = 4;

impl Engine<'_> {
    /// A copy's row is final (REJECTED, FAULTY, TERMINATED, or the horizon came).
    pub(super) fn close_copy(&mut self, c: CopyId) {
        let copy = &self.world.copies[c.index()];
        let schedule = match self.warm_owner.is_empty() {
            true => self.world.backup(copy.source).schedule.get(),
            false => self.warm_owner.remove(&c).or(self.world.backup(copy.source).schedule.get()),
        };
        // A FAULTY copy was not deleted (the backup it wrote before failing may have been).
        let deleted_by = match copy.state {
            CopyState::Faulty => None,
            _ => copy.dest_backup.get().and_then(|b| self.world.backup(b).deleted_by),
        };
        let state = rules(self.world.provider_of(copy)).state_name(copy.state);
        self.rec.record(self.world.now, &Record::CopyClosed { copy, state, schedule, deleted_by });
        self.to_free.push(c);
    }

    /// A backup's row is final (DELETED, settled, or the horizon came).
    pub(super) fn close_backup(&mut self, b: BackupId) {
        let backup = &self.world.backups[b.index()];
        self.rec.record(self.world.now, &Record::BackupClosed { backup });
        if !backup.exists() || backup.settled {
            self.backups_to_free.push(b);
        }
    }

    /// Copy `c`, superseded in its destination, settles: its row and its backup's are written
    /// as they will read at the horizon, and both may leave the world (see [`super::settle`]).
    fn settle_copy(&mut self, c: CopyId) {
        let copy = &mut self.world.copies[c.index()];
        copy.settled = true;
        let dest = copy.dest_backup.get();
        self.close_copy(c);
        if let Some(b) = dest.filter(|b| self.world.backups.get(b.index()).is_some_and(|x| x.exists())) {
            self.world.backups[b.index()].settled = true;
            self.close_backup(b);
        }
    }

    /// Starts loading what the copies popped after the next one from `to_free` will read (a
    /// stack: an hourly run closes thousands at once), each in its stage of
    /// `World::prefetch_leaving`, one every two pops.
    fn prefetch_leaving(&self) {
        for stage in 1..=LEAVING_STAGES {
            if let Some(&x) = self.to_free.len().checked_sub(2 * usize::from(stage)).map(|k| &self.to_free[k]) {
                self.world.prefetch_leaving(x, stage);
            }
        }
    }

    /// Lets closed copies and deleted backups nothing refers to leave the world, and with them
    /// whatever they alone kept (see `World::free_copy`, `World::free_backup`); settles what
    /// may settle on the way (see [`super::settle`]).
    pub(super) fn collect(&mut self) {
        let now = self.world.now;
        while let Some(c) = self.to_free.pop() {
            if self.world.hints {
                self.prefetch_leaving();
            }
            let Some(copy) = self.world.copies.get(c.index()) else { continue };
            let (volume, region, account, source, dest) =
                (copy.volume, copy.dest_region, copy.account, copy.source, copy.dest_backup);
            let settling = &self.settling;
            let leave = |x: &Copy, available: bool| settling.copy(x, available, now);
            let mut pruned = std::mem::take(&mut self.pruned);
            let stays = self.settling.never(volume);
            self.world.prune_started(volume, region, account, stays, &leave, &mut pruned);
            for &x in &pruned {
                if self.world.copies.get(x.index()).is_some_and(|x| x.state == CopyState::Available) {
                    self.settle_copy(x);
                } else {
                    self.to_free.push(x);
                }
            }
            pruned.clear();
            self.pruned = pruned;
            if self.world.free_copy(c) {
                self.backups_to_free.push(source);
                self.backups_to_free.extend(dest.get());
            }
        }
        while let Some(b) = self.backups_to_free.pop() {
            if self.deletions.is_waiting(b) {
                continue;
            }
            match self.world.backups.get(b.index()).map(|x| self.settling.source(x, now)) {
                Some(Ok(true)) => {
                    self.world.backups[b.index()].settled = true;
                    self.close_backup(b);
                }
                Some(Err(after)) => self.settle_later.push(std::cmp::Reverse((after, b))),
                _ => {}
            }
            self.world.free_backup(b);
        }
        while let Some(&std::cmp::Reverse((after, b))) = self.settle_later.peek() {
            if now <= after {
                break;
            }
            self.settle_later.pop();
            self.backups_to_free.push(b);
        }
    }

    /// Records a source backup taken (after its schedule and group are set).
    pub(super) fn record_taken(&mut self, b: BackupId) {
        self.rec.record(self.world.now, &Record::BackupTaken { backup: &self.world.backups[b.index()] });
    }

    pub(super) fn record_started(&mut self, c: CopyId) {
        let copy = &self.world.copies[c.index()];
        let source = &self.world.backups[copy.source.index()];
        self.rec.record(self.world.now, &Record::CopyStarted { copy, source });
    }

    /// Ends a copy's transfer in the world and records it: the backup it wrote, or its failure
    /// (which closes it). Whether it succeeded.
    pub(super) fn end_copy(&mut self, c: CopyId, now: SimTime, error: Option<ProviderError>, moved: u64) -> bool {
        // The key the backup it writes holds its data under (the provider's reading).
        let key = if error.is_none() { crate::providers::result_key(&self.world, self.world.copy(c)) } else { None };
        let copy = &mut self.world.copies[c.index()];
        copy.moved_bytes = moved;
        // The region's field, not `World::provider_of`: the copy is borrowed mutably.
        let keeps_tags = rules(self.world.regions[copy.source_region.index()].provider).copies_tags();
        let written = self.world.end_copy(c, now, error, keeps_tags, key);
        self.rec.record(now, &Record::CopyEnded { copy: &self.world.copies[c.index()] });
        match written {
            Some(b) => {
                self.to_free.push(c); // its destination may drop older copies now
                let backup = &self.world.backups[b.index()];
                let source_created_at = backup.lineage_created_at;
                self.rec.record(now, &Record::BackupWritten { backup, source_created_at });
                for r in self.restore.completed(c) {
                    self.restore_point(r, now);
                    if r != c {
                        self.restorable_late(r);
                    }
                }
                true
            }
            None => {
                self.restore.failed(c);
                self.close_copy(c);
                false
            }
        }
    }

    /// Fails the copies the restore tracker found building on a copy that failed (before the
    /// planner decides anything more in this event): none of them can ever be restored. OCI
    /// names such a copy's state: "the previous incremental backup copy is in the ... FAULTY
    /// state". One still moving fails now; one whose transfer completed first (it overtook its
    /// base) becomes FAULTY and the backup it wrote in its destination is deleted
    /// (`base_copy_failed`). Copies building on those fail with them, transitively.
    pub(super) fn fail_broken(&mut self, now: SimTime, sched: &mut Scheduler<Event>) {
        loop {
            let broken = self.restore.take_broken();
            if broken.is_empty() {
                return;
            }
            for x in broken {
                let Some(copy) = self.world.copies.get_mut(x.index()) else { continue };
                copy.broken = true;
                let state = copy.state;
                if !matches!(state, CopyState::Copying | CopyState::Available) {
                    continue; // already failed, or deleted before its base failed
                }
                let error = base_failed(&self.world, x);
                if state == CopyState::Copying {
                    let moved = self.transfers.cancel(&mut self.world, x, now);
                    self.end_copy(x, now, Some(error), moved);
                    self.planner.release(x);
                    self.after_copy_end(x, false, now, sched);
                } else {
                    if let Some(b) = self.world.fail_completed_copy(x, now, error) {
                        self.close_backup(b);
                    }
                    self.close_copy(x);
                }
            }
        }
    }

    /// Copy `c` (and every copy it builds on) is complete: its backup is a restore point from
    /// `now`, if the copy and its backup are still there.
    pub(super) fn restore_point(&mut self, c: CopyId, now: SimTime) {
        let Some(copy) = self.world.copies.get_mut(c.index()) else { return };
        copy.restorable_at = Stamp::from(now);
        let Some(backup) =
            copy.dest_backup.get().and_then(|b| self.world.backups.get_mut(b.index())).filter(|x| x.exists())
        else {
            return;
        };
        backup.set_restore_point();
        let backup = &*backup;
        self.rec.record(now, &Record::RestorePoint { backup, source_created_at: backup.lineage_created_at });
    }

    /// The horizon, before the window's last mark: what each copy still moving has moved so far
    /// crossed its link during the run (and is billed as it leaves the source region), so its
    /// row, the totals and the link's count take it.
    pub(super) fn count_in_flight(&mut self, horizon: SimTime) {
        let moving: Vec<CopyId> =
            self.world.copies.iter().filter(|c| c.state == CopyState::Copying && !c.settled).map(|c| c.id).collect();
        for c in moving {
            let (moved, on_link) = self.transfers.moved(&mut self.world, c, horizon);
            let copy = &mut self.world.copies[c.index()];
            copy.moved_bytes = moved;
            let (from, to) = (copy.source_region, copy.dest_region);
            if on_link {
                let link = self.world.link_between(from, to);
                self.world.links[link.index()].bytes_carried += moved;
            }
        }
    }

    /// The horizon: closes every copy and backup still open, in id order.
    pub(super) fn close_all(&mut self, horizon: SimTime) {
        self.world.now = horizon;
        self.rec.events_over(horizon);
        let final_state = |s: CopyState| {
            matches!(s, CopyState::Rejected | CopyState::Declined | CopyState::Faulty | CopyState::Terminated)
        };
        let open: Vec<CopyId> =
            self.world.copies.iter().filter(|c| !final_state(c.state) && !c.settled).map(|c| c.id).collect();
        for c in open {
            self.close_copy(c);
        }
        let open: Vec<BackupId> =
            self.world.backups.iter().filter(|b| b.exists() && !b.settled).map(|b| b.id).collect();
        for b in open {
            self.close_backup(b);
        }
    }
}

/// The error of a copy that builds on a copy that failed.
fn base_failed(world: &crate::model::World, x: CopyId) -> ProviderError {
    let base = world.copy(x).base.get().and_then(|b| world.copies.get(b.index()));
    let what = match base {
        Some(b) => format!("copy {} (backup #{})", b.id.0 + 1, b.seq),
        None => "the copy".to_string(),
    };
    ProviderError::new(
        "BaseCopyFailed",
        format!("{what}, which this incremental copy builds on, failed: it can never be restored"),
    )
}
