//! Copy data on links: starting and cancelling transfers, and the one wake-up each link needs
//! for its next completion. A small owner the engine asks; it never touches the event queue —
//! it answers which wake-up to schedule.
//!
//! Which copies are on a link is the link's own list of flows: a copy is on it from its start
//! until its last byte leaves (popped). A cancelled copy's flow stays there until popped (its
//! target still paces the link's wake-ups), so the few cancelled ones are remembered apart and
//! skipped when they pop: the common path, start to arrival, keeps no set of its own.

use crate::kernel::SimTime;
use crate::model::{CopyId, LinkId, World};

/// A link's next completion to schedule: at `at`, valid while the link's wake generation is `wake`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wake {
    /// The link.
    pub link: LinkId,
    /// When its next transfer completes.
    pub at: SimTime,
    /// The generation that makes older wake-ups stale.
    pub wake: u64,
}

/// Copy transfers on links (the links hold the flows).
#[derive(Debug, Default)]
pub struct Transfers {
    /// Cancelled copies whose flows are still on their links (rare: outages, injected failures).
    cancelled: rustc_hash::FxHashSet<CopyId>,
}

impl Transfers {
    /// Starts moving `bytes` for `copy` on its link at `now`; the wake-up to schedule, if it changed.
    pub fn start(&mut self, world: &mut World, copy: CopyId, bytes: u64, now: SimTime) -> Option<Wake> {
        let c = world.copy(copy);
        let link = world.link_between(c.source_region, c.dest_region);
        world.links[link.index()].start(now, copy, bytes);
        rewake(world, link)
    }

    /// Cancels `copy`'s transfer at `now` (it failed; the caller ends it): the bytes it had
    /// moved, and the wake-up to schedule. A copy no longer on its link (its data is out,
    /// arriving after the latency) moved all.
    pub fn cancel(&mut self, world: &mut World, copy: CopyId, now: SimTime) -> (u64, Option<Wake>) {
        let c = world.copy(copy);
        let (bytes, from, to) = (c.bytes, c.source_region, c.dest_region);
        if self.cancelled.contains(&copy) {
            return (bytes, None);
        }
        let link = world.link_between(from, to);
        match world.links[link.index()].cancel(now, copy, bytes) {
            Some(moved) => {
                self.cancelled.insert(copy);
                (moved, rewake(world, link))
            }
            None => (bytes, None),
        }
    }

    /// A link's wake-up fired: appends to `arrived` the copies whose last byte left at `now`
    /// (none when the wake-up is stale), and returns the link's next wake-up. The caller owns
    /// the buffer, so a wake-up allocates nothing.
    pub fn arrived(
        &mut self,
        world: &mut World,
        link: LinkId,
        wake: u64,
        now: SimTime,
        arrived: &mut Vec<CopyId>,
    ) -> Option<Wake> {
        if world.links[link.index()].wake_gen != wake {
            return None;
        }
        world.links[link.index()].wake_at = None;
        while let Some(c) = world.links[link.index()].pop_due(now) {
            if !self.cancelled.is_empty() && self.cancelled.remove(&c) {
                continue; // cancelled while on the link
            }
            let bytes = world.copy(c).bytes;
            world.links[link.index()].end(now, bytes);
            arrived.push(c);
        }
        rewake(world, link)
    }
}

/// Keeps exactly one live wake-up per link for its next completion: a new one when it moved.
fn rewake(world: &mut World, link: LinkId) -> Option<Wake> {
    let l = &mut world.links[link.index()];
    let next = l.next_completion();
    if next == l.wake_at {
        return None; // the pending wake-up is still right
    }
    l.wake_gen += 1;
    l.wake_at = next;
    next.map(|at| Wake { link, at, wake: l.wake_gen })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Copy, Partition, Trigger};
    use crate::providers::{AWS_EBS, new_world};

    /// Two regions on the default EBS link, one volume with one backup, and `n` copies of it.
    fn world(n: usize) -> (World, Vec<CopyId>) {
        let mut w = new_world();
        let a = w.add_region("a", AWS_EBS, Partition::Commercial);
        let b = w.add_region("b", AWS_EBS, Partition::Commercial);
        let acct = w.add_account("acct");
        let v = w.add_volume("v", acct, a, crate::model::VolumeKind::Block, 1 << 30, 0);
        let src = w.take_backup(v, SimTime(0));
        let copies = (0..n)
            .map(|_| w.push_copy(Copy::request(CopyId(0), src, v, 1, acct, a, b, Trigger::Manual, SimTime(0))))
            .collect();
        (w, copies)
    }

    /// Starts `copy`'s transfer of `bytes` as the engine does: planned in the world, then on the link.
    fn start(t: &mut Transfers, w: &mut World, copy: CopyId, bytes: u64) -> Option<Wake> {
        w.start_copy(copy, crate::model::CopyKind::Full, crate::model::Reason::FirstCopy, bytes, SimTime(0));
        t.start(w, copy, bytes, SimTime(0))
    }

    #[test]
    fn a_transfer_completes_at_its_wake_and_a_stale_wake_does_nothing() {
        let (mut w, c) = world(1);
        let mut t = Transfers::default();
        let cap = w.params(AWS_EBS).copy_cap_bytes_per_s;
        let first = start(&mut t, &mut w, c[0], cap).expect("a wake-up");
        assert_eq!(first.at, SimTime(1_000), "one second at the per-copy cap");
        let mut done = Vec::new();
        assert_eq!(t.arrived(&mut w, first.link, first.wake + 1, first.at, &mut done), None, "stale");
        assert!(done.is_empty(), "stale");
        let next = t.arrived(&mut w, first.link, first.wake, first.at, &mut done);
        assert_eq!((done, next), (vec![c[0]], None));
    }

    #[test]
    fn cancelling_returns_the_bytes_moved_and_leaves_the_survivors_wake() {
        let (mut w, c) = world(2);
        let mut t = Transfers::default();
        let cap = w.params(AWS_EBS).copy_cap_bytes_per_s;
        start(&mut t, &mut w, c[0], 4 * cap);
        start(&mut t, &mut w, c[1], 4 * cap);
        let (moved, wake) = t.cancel(&mut w, c[0], SimTime(1_000));
        assert_eq!(moved, cap, "one second at the cap before it failed");
        assert_eq!(wake, None, "the other copy's wake-up still holds: both ran at the cap");
        assert_eq!(t.cancel(&mut w, c[0], SimTime(2_000)).1, None, "already off the link");
    }
}
