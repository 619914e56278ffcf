//! Deletions that must wait: retention decided to delete a backup its provider will not let go
//! yet (FSx: while it is being copied, and shortly after), or whose copies are still pending
//! when the provider's `retention_waits_for_copies` says to wait. A small owner: it keeps the
//! waiting backups and answers, from the world alone, whether a deletion must wait and when to
//! try again; the engine schedules the retry and deletes.

use std::collections::BTreeMap;

use crate::kernel::SimTime;
use crate::model::{BackupId, CopyKind, CopyState, DeletedBy, World};
use crate::providers::rules;

/// Whether a copy of `b` is still queued or in flight (shares aside).
pub fn copies_pending(world: &World, b: BackupId) -> bool {
    world.copies_from(b).any(|c| c.kind != Some(CopyKind::Share) && !c.state.is_final_transfer_state())
}

/// Whether a copy of `b` is still queued, not yet moving (shares aside): deleting `b` now
/// loses it (it is refused `NotFound` when its turn comes).
pub fn copies_queued(world: &World, b: BackupId) -> bool {
    world
        .copies_from(b)
        .any(|c| c.kind != Some(CopyKind::Share) && matches!(c.state, CopyState::Pending | CopyState::Queued))
}

/// Whether deleting `b` at `now` must wait: its provider refuses the deletion now, or it waits
/// for pending copies by its parameters — those queued or in flight, and those its schedule is
/// still to request (`due`: `b` is not yet in the state its provider copies from).
pub fn blocked(world: &World, b: BackupId, now: SimTime, due: bool) -> bool {
    let backup = world.backup(b);
    let provider = world.region(backup.region).provider;
    if rules(provider).check_delete(world, backup, now).is_err() {
        return true;
    }
    world.params(provider).retention_waits_for_copies && (due || copies_pending(world, b))
}

/// The backups whose deletion waits, and who asked.
#[derive(Debug, Default)]
pub struct Deletions {
    waiting: BTreeMap<BackupId, DeletedBy>,
}

impl Deletions {
    /// `b`'s deletion by `by` waits.
    pub fn wait(&mut self, b: BackupId, by: DeletedBy) {
        self.waiting.insert(b, by);
    }

    /// Whether `b` waits for deletion (it must stay in the world until deleted).
    pub fn is_waiting(&self, b: BackupId) -> bool {
        self.waiting.contains_key(&b)
    }

    /// Whether any deletion waits (the engine skips the retry checks otherwise).
    pub fn any(&self) -> bool {
        !self.waiting.is_empty()
    }

    /// When to try `b`'s deletion again: once nothing copies it any more, after the provider's
    /// `source_delete_delay` since its last copy ended. `None` when it does not wait or a copy runs.
    pub fn retry_at(&self, world: &World, b: BackupId, now: SimTime) -> Option<SimTime> {
        if !self.is_waiting(b) || world.backup(b).copies_in_progress > 0 {
            return None;
        }
        let backup = world.backup(b);
        let delay = world.params(world.region(backup.region).provider).source_delete_delay;
        Some(backup.last_copy_completed_at.get().map_or(now, |t| t + delay).max(now))
    }

    /// A retry at `now`: who asked, if `b` waits and may go now (it then no longer waits).
    /// `due`: its schedule is still to request its copies.
    pub fn release(&mut self, world: &World, b: BackupId, now: SimTime, due: bool) -> Option<DeletedBy> {
        let &by = self.waiting.get(&b)?;
        if blocked(world, b, now, due) {
            return None; // a copy started meanwhile, or one is still queued: its end retries again
        }
        self.waiting.remove(&b);
        Some(by)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::retention::RetentionRule;
    use crate::providers::testkit::Kit;
    use crate::providers::{AWS_EBS, AWS_FSX};

    const BY: DeletedBy = DeletedBy::Retention { schedule: 0, rule: RetentionRule::Age };

    #[test]
    fn fsx_waits_while_copied_and_for_the_short_delay_after() {
        // "You cannot delete a source backup if it is being copied. There might be a short delay
        // between when the destination backup becomes available and when you are allowed to
        // delete the source backup."
        let mut k = Kit::new(AWS_FSX);
        let b = k.backup();
        let dst = k.dst;
        let c = k.request(b, dst, crate::model::Trigger::Manual);
        k.start(c);
        let mut d = Deletions::default();
        assert!(blocked(&k.w, b, SimTime(k.now), false), "being copied");
        d.wait(b, BY);
        assert_eq!(d.retry_at(&k.w, b, SimTime(k.now)), None, "a copy runs: its end retries");
        k.finish(c);
        let ended = k.w.backup(b).last_copy_completed_at.get().expect("ended");
        let delay = k.w.params(AWS_FSX).source_delete_delay;
        assert_eq!(d.retry_at(&k.w, b, ended), Some(ended + delay));
        assert_eq!(d.release(&k.w, b, ended, false), None, "within the short delay");
        assert_eq!(d.release(&k.w, b, ended + delay, false), Some(BY));
        assert!(!d.any());
    }

    #[test]
    fn ebs_deletes_at_once() {
        let mut k = Kit::new(AWS_EBS);
        let b = k.backup();
        let dst = k.dst;
        let c = k.request(b, dst, crate::model::Trigger::Manual);
        k.start(c);
        assert!(!blocked(&k.w, b, SimTime(k.now), false), "EBS lets a snapshot being copied go");
        assert!(!blocked(&k.w, b, SimTime(k.now), true), "nor one whose copies are still due");
    }

    #[test]
    fn a_backup_whose_copies_are_still_due_waits_where_retention_waits_for_copies() {
        let mut k = Kit::new(AWS_FSX);
        let b = k.backup();
        assert!(!blocked(&k.w, b, SimTime(k.now), false), "nothing to copy");
        assert!(blocked(&k.w, b, SimTime(k.now), true), "its schedule's copies are still to be requested");
    }
}
