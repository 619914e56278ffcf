//! Copy data on links: starting and cancelling transfers, and the one wake-up each link needs
//! for its next completion. A small owner the engine asks; it never touches the event queue —
//! it answers which wake-up to schedule.
//!
//! A link's wake-up is settled once per event, not at each start or end: one event often ends
//! a copy and starts the next one queued on the same link, and a wake-up scheduled between the
//! two would be stale at once (each costs a push and a pop). Starts, ends and cancellations
//! mark the link; [`Transfers::wakes`] gives the wake-ups that moved when the event is done.
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
    /// Links whose flows changed during this event, in the order they first changed.
    moved: Vec<LinkId>,
}

impl Transfers {
    /// Starts moving `bytes` for `copy` on its link at `now` (its wake-up is settled by [`Transfers::wakes`]).
    pub fn start(&mut self, world: &mut World, copy: CopyId, bytes: u64, now: SimTime) {
        let c = world.copy(copy);
        let link = world.link_between(c.source_region, c.dest_region);
        world.links[link.index()].start(now, copy, bytes);
        self.touch(world, link);
    }

    /// `copy` has no byte to move: it passes its link at once (a transfer of 0 bytes) and
    /// arrives after the link's latency, returned.
    pub fn pass_empty(&mut self, world: &mut World, copy: CopyId) -> crate::kernel::SimDuration {
        let c = world.copy(copy);
        let link = world.link_between(c.source_region, c.dest_region);
        let l = &mut world.links[link.index()];
        l.pass_empty();
        l.params.latency
    }

    /// Marks `link`'s wake-up to be settled at the end of the event.
    fn touch(&mut self, world: &mut World, link: LinkId) {
        let l = &mut world.links[link.index()];
        if !l.wake_dirty {
            l.wake_dirty = true;
            self.moved.push(link);
        }
    }

    /// The wake-ups to schedule for the links whose flows changed during this event, each the
    /// link's next completion if it moved (the one pending otherwise still holds), in the
    /// order the links first changed.
    pub fn wakes(&mut self, world: &mut World, mut schedule: impl FnMut(Wake)) {
        for link in self.moved.drain(..) {
            world.links[link.index()].wake_dirty = false;
            if let Some(w) = rewake(world, link) {
                schedule(w);
            }
        }
    }

    /// The bytes `copy` (still copying) has moved by `now`, its transfer left running: the
    /// horizon counts them; and whether it is still on its link. A copy no longer on it (its
    /// data is out, arriving after the latency) moved all, and the link counted them then.
    pub fn moved(&self, world: &mut World, copy: CopyId, now: SimTime) -> (u64, bool) {
        let c = world.copy(copy);
        let (bytes, from, to) = (c.bytes, c.source_region, c.dest_region);
        let link = world.link_between(from, to);
        match world.links[link.index()].carried(now, copy, bytes) {
            Some(moved) => (moved, true),
            None => (bytes, false),
        }
    }

    /// Cancels `copy`'s transfer at `now` (it failed; the caller ends it): the bytes it had
    /// moved. A copy no longer on its link (its data is out, arriving after the latency) moved all.
    pub fn cancel(&mut self, world: &mut World, copy: CopyId, now: SimTime) -> u64 {
        let c = world.copy(copy);
        let (bytes, from, to) = (c.bytes, c.source_region, c.dest_region);
        if self.cancelled.contains(&copy) {
            return bytes;
        }
        let link = world.link_between(from, to);
        match world.links[link.index()].cancel(now, copy, bytes) {
            Some(moved) => {
                self.cancelled.insert(copy);
                self.touch(world, link);
                moved
            }
            None => bytes,
        }
    }

    /// A link's wake-up fired: appends to `arrived` the copies whose last byte left at `now`
    /// (none when the wake-up is stale); the link's next wake-up is settled by
    /// [`Transfers::wakes`]. The caller owns the buffer, so a wake-up allocates nothing.
    pub fn arrived(&mut self, world: &mut World, link: LinkId, wake: u64, now: SimTime, arrived: &mut Vec<CopyId>) {
        if world.links[link.index()].wake_gen != wake {
            return;
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
        self.touch(world, link);
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

    /// The wake-ups an event's end schedules.
    fn wakes(t: &mut Transfers, w: &mut World) -> Vec<Wake> {
        let mut v = Vec::new();
        t.wakes(w, |x| v.push(x));
        v
    }

    /// Starts `copy`'s transfer of `bytes` as the engine does: planned in the world, then on the link.
    fn start(t: &mut Transfers, w: &mut World, copy: CopyId, bytes: u64) {
        w.start_copy(copy, crate::model::CopyKind::Full, crate::model::Reason::FirstCopy, bytes, SimTime(0));
        t.start(w, copy, bytes, SimTime(0))
    }

    #[test]
    fn a_transfer_completes_at_its_wake_and_a_stale_wake_does_nothing() {
        let (mut w, c) = world(1);
        let mut t = Transfers::default();
        let cap = w.params(AWS_EBS).copy_cap_bytes_per_s;
        start(&mut t, &mut w, c[0], cap);
        let [first] = wakes(&mut t, &mut w)[..] else { panic!("one wake-up") };
        assert_eq!(first.at, SimTime(1_000), "one second at the per-copy cap");
        let mut done = Vec::new();
        t.arrived(&mut w, first.link, first.wake + 1, first.at, &mut done);
        assert!(done.is_empty(), "stale");
        assert_eq!(wakes(&mut t, &mut w), vec![], "a stale wake-up changes nothing");
        t.arrived(&mut w, first.link, first.wake, first.at, &mut done);
        assert_eq!((done, wakes(&mut t, &mut w)), (vec![c[0]], vec![]));
    }

    #[test]
    fn an_event_that_ends_a_copy_and_starts_the_next_schedules_one_wake_up() {
        let (mut w, c) = world(2);
        let mut t = Transfers::default();
        let cap = w.params(AWS_EBS).copy_cap_bytes_per_s;
        start(&mut t, &mut w, c[0], cap);
        let [first] = wakes(&mut t, &mut w)[..] else { panic!("one wake-up") };
        let mut done = Vec::new();
        t.arrived(&mut w, first.link, first.wake, first.at, &mut done);
        w.start_copy(c[1], crate::model::CopyKind::Full, crate::model::Reason::FirstCopy, cap, first.at);
        t.start(&mut w, c[1], cap, first.at);
        let [next] = wakes(&mut t, &mut w)[..] else { panic!("one wake-up, for the copy that started") };
        assert_eq!((done, next.at, next.wake), (vec![c[0]], SimTime(2_000), first.wake + 1));
    }

    #[test]
    fn cancelling_returns_the_bytes_moved_and_leaves_the_survivors_wake() {
        let (mut w, c) = world(2);
        let mut t = Transfers::default();
        let cap = w.params(AWS_EBS).copy_cap_bytes_per_s;
        start(&mut t, &mut w, c[0], 4 * cap);
        start(&mut t, &mut w, c[1], 4 * cap);
        assert_eq!(wakes(&mut t, &mut w).len(), 1, "one link, one wake-up for both starts");
        let moved = t.cancel(&mut w, c[0], SimTime(1_000));
        assert_eq!(moved, cap, "one second at the cap before it failed");
        assert_eq!(wakes(&mut t, &mut w), vec![], "the other copy's wake-up still holds: both ran at the cap");
        assert_eq!(t.cancel(&mut w, c[0], SimTime(2_000)), 4 * cap, "already off the link: counted as all moved");
    }
}
