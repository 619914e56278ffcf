//! Directed links between regions, and the transfers sharing them.
//!
//! Every transfer on a link has the same per-copy throughput cap, so max-min fair sharing
//! gives each of the `n` active transfers the same rate `min(cap, bandwidth / n)`. That
//! makes the link a processor-sharing server, simulated with *virtual time*: the link
//! keeps the work `V` each active transfer has received so far (in milli-bytes); a
//! transfer of `b` bytes starting when the counter reads `V0` finishes when it reaches
//! `V0 + 1000·b`. Starts and ends change the rate, but never any transfer's target, so
//! the link needs a single wake-up event for its next completion and never touches the
//! other transfers: O(log n) per start or end, all integer arithmetic.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use super::ids::{CopyId, LinkId, RegionId};
use crate::kernel::{SimDuration, SimTime};

/// A link's capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkParams {
    /// Total bandwidth shared by the link's transfers.
    pub bandwidth_bytes_per_s: u64,
    /// One-way latency added once at the end of each transfer.
    pub latency: SimDuration,
    /// Throughput cap of one copy.
    pub copy_cap_bytes_per_s: u64,
}

/// A directed link and its active transfers.
#[derive(Clone, Debug)]
pub struct Link {
    /// This link's id.
    pub id: LinkId,
    /// Source region.
    pub from: RegionId,
    /// Destination region.
    pub to: RegionId,
    /// Capacity.
    pub params: LinkParams,
    /// Whether the scenario declared it (false: the default link).
    pub declared: bool,
    active: u32,
    rate_bytes_per_s: u64,
    vtime_mbytes: u128,
    last_update: SimTime,
    flows: Flows,
    /// Generation of the pending wake-up event; older wake-ups are stale.
    pub wake_gen: u64,
    /// When the pending wake-up event fires, if one is pending.
    pub wake_at: Option<SimTime>,
    /// Its flows changed during the event being handled: its wake-up is settled at the event's end.
    pub wake_dirty: bool,
    /// Bytes carried by ended transfers (a failed one: what it moved before failing).
    pub bytes_carried: u64,
    /// Transfers finished.
    pub transfers_finished: u64,
    /// Most transfers active at once.
    pub active_peak: u32,
    /// Highest aggregate rate ever used (never above the bandwidth).
    pub rate_sum_peak_bytes_per_s: u64,
}

impl Link {
    /// An idle link.
    pub fn new(id: LinkId, from: RegionId, to: RegionId, params: LinkParams, declared: bool) -> Self {
        Self {
            id,
            from,
            to,
            params,
            declared,
            active: 0,
            rate_bytes_per_s: 0,
            vtime_mbytes: 0,
            last_update: SimTime::ZERO,
            flows: Flows::default(),
            wake_gen: 0,
            wake_at: None,
            wake_dirty: false,
            bytes_carried: 0,
            transfers_finished: 0,
            active_peak: 0,
            rate_sum_peak_bytes_per_s: 0,
        }
    }

    /// Transfers in progress.
    pub fn active(&self) -> u32 {
        self.active
    }

    /// The rate each active transfer gets now.
    pub fn rate_bytes_per_s(&self) -> u64 {
        self.rate_bytes_per_s
    }

    fn advance(&mut self, now: SimTime) {
        let dt = now.since(self.last_update).as_ms();
        self.vtime_mbytes += u128::from(self.rate_bytes_per_s) * u128::from(dt);
        self.last_update = now;
    }

    fn recompute_rate(&mut self) {
        self.rate_bytes_per_s = if self.active == 0 {
            0
        } else {
            let share = self.params.bandwidth_bytes_per_s / u64::from(self.active);
            share.min(self.params.copy_cap_bytes_per_s).max(1)
        };
        self.active_peak = self.active_peak.max(self.active);
        let sum = self.rate_bytes_per_s.saturating_mul(u64::from(self.active));
        self.rate_sum_peak_bytes_per_s = self.rate_sum_peak_bytes_per_s.max(sum);
    }

    /// Restarts the peaks from the levels standing now (a measurement window opens).
    pub fn restart_peaks(&mut self) {
        self.active_peak = self.active;
        self.rate_sum_peak_bytes_per_s = self.rate_bytes_per_s.saturating_mul(u64::from(self.active));
    }

    /// Starts moving `bytes` for `copy` at `now`.
    pub fn start(&mut self, now: SimTime, copy: CopyId, bytes: u64) {
        self.advance(now);
        let target = self.vtime_mbytes + u128::from(bytes) * 1_000;
        self.flows.push((target, copy));
        self.active += 1;
        self.recompute_rate();
    }

    /// Takes the next transfer whose data has all arrived by `now`, if any. The caller
    /// must then call [`Link::end`] if that transfer was still live (not cancelled).
    pub fn pop_due(&mut self, now: SimTime) -> Option<CopyId> {
        self.advance(now);
        match self.flows.peek() {
            Some((target, copy)) if target <= self.vtime_mbytes => {
                self.flows.pop();
                Some(copy)
            }
            _ => None,
        }
    }

    /// A live transfer ended (finished or cancelled) at `now`; `bytes` were carried.
    pub fn end(&mut self, now: SimTime, bytes: u64) {
        self.advance(now);
        self.active = self.active.saturating_sub(1);
        self.bytes_carried += bytes;
        self.transfers_finished += 1;
        self.recompute_rate();
    }

    /// A transfer with nothing to move passed at `now`: it ends as it starts (no flow, no
    /// change of rate) and counts as a transfer of 0 bytes.
    pub fn pass_empty(&mut self) {
        self.transfers_finished += 1;
    }

    /// Cancels `copy`'s live transfer of `bytes` at `now` (it failed): ends it and returns the
    /// bytes it had carried, or `None` when `copy` is not on the link (its last byte left). Its
    /// entry stays in the heap; the caller skips it when it pops (and never cancels it again).
    pub fn cancel(&mut self, now: SimTime, copy: CopyId, bytes: u64) -> Option<u64> {
        let moved = self.carried(now, copy, bytes)?;
        self.end(now, moved);
        Some(moved)
    }

    /// The bytes `copy`'s live transfer of `bytes` has carried by `now`, leaving it running, or
    /// `None` when `copy` is not on the link (its last byte left).
    pub fn carried(&mut self, now: SimTime, copy: CopyId, bytes: u64) -> Option<u64> {
        let target = self.flows.target_of(copy)?;
        self.advance(now);
        let started = target.saturating_sub(u128::from(bytes) * 1_000);
        Some(u64::try_from(self.vtime_mbytes.saturating_sub(started) / 1_000).unwrap_or(u64::MAX).min(bytes))
    }

    /// The transfer that finishes first at the current rate (or a cancelled one's leftover
    /// entry), if any: what its wake-up will end.
    pub fn next_to_finish(&self) -> Option<CopyId> {
        self.flows.peek().map(|(_, copy)| copy)
    }

    /// When the next transfer finishes at the current rate (the link's wake-up).
    pub fn next_completion(&self) -> Option<SimTime> {
        if self.active == 0 || self.rate_bytes_per_s == 0 {
            return None;
        }
        let (target, _) = self.flows.peek()?;
        let left = target.saturating_sub(self.vtime_mbytes);
        // In 64 bits whenever it fits (always, below 18 PB left): a 128-bit division is a
        // library call, on every start and end of a transfer.
        let dt_ms = match u64::try_from(left) {
            Ok(left) => left.div_ceil(self.rate_bytes_per_s),
            Err(_) => u64::try_from(left.div_ceil(u128::from(self.rate_bytes_per_s))).unwrap_or(u64::MAX),
        };
        Some(self.last_update + SimDuration(dt_ms))
    }
}

/// Flows at most this many stay in a sorted queue; more go to a binary heap.
const FEW_FLOWS: usize = 512;

/// A link's transfers as `(target, copy)`, the least first (ties cannot happen: one entry per
/// copy). A link carries about as many transfers as its quota slots, so they are kept in
/// order in a double-ended queue: the next to finish leaves from the front at no cost, and a
/// new one, which usually aims past the others (it started last), goes in near the back,
/// moving the few it passes — no sift through a heap, whose every level is a branch the
/// processor cannot predict. Past [`FEW_FLOWS`] (a scenario that lifts its quotas), an
/// insertion could move thousands: the flows move to a heap until the link empties.
#[derive(Clone, Debug)]
enum Flows {
    Few(VecDeque<(u128, CopyId)>),
    Many(BinaryHeap<Reverse<(u128, CopyId)>>),
}

impl Default for Flows {
    fn default() -> Self {
        Flows::Few(VecDeque::new())
    }
}

impl Flows {
    fn push(&mut self, flow: (u128, CopyId)) {
        match self {
            Flows::Few(q) if q.len() < FEW_FLOWS => {
                let at = q.partition_point(|x| *x < flow);
                q.insert(at, flow);
            }
            Flows::Few(q) => {
                let mut heap: BinaryHeap<_> = q.drain(..).map(Reverse).collect();
                heap.push(Reverse(flow));
                *self = Flows::Many(heap);
            }
            Flows::Many(h) => h.push(Reverse(flow)),
        }
    }

    fn peek(&self) -> Option<(u128, CopyId)> {
        match self {
            Flows::Few(q) => q.front().copied(),
            Flows::Many(h) => h.peek().map(|r| r.0),
        }
    }

    fn pop(&mut self) {
        match self {
            Flows::Few(q) => {
                q.pop_front();
            }
            Flows::Many(h) => {
                h.pop();
                if h.is_empty() {
                    *self = Flows::default();
                }
            }
        }
    }

    fn target_of(&self, copy: CopyId) -> Option<u128> {
        match self {
            Flows::Few(q) => q.iter().find(|(_, c)| *c == copy).map(|(t, _)| *t),
            Flows::Many(h) => h.iter().find(|Reverse((_, c))| *c == copy).map(|Reverse((t, _))| *t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flows_leave_least_target_first_in_the_queue_and_in_the_heap() {
        // A reference heap against the flows through the switch to a heap and back.
        let mut flows = Flows::default();
        let mut reference = BinaryHeap::new();
        let mut x: u64 = 7;
        for round in 0..3 {
            let n = if round == 1 { FEW_FLOWS * 2 } else { FEW_FLOWS / 2 };
            for i in 0..n {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                let flow = (u128::from(x >> 50), CopyId((round * 10_000 + i) as u32));
                flows.push(flow);
                reference.push(Reverse(flow));
                if x.is_multiple_of(3) {
                    assert_eq!(flows.peek(), reference.pop().map(|r| r.0));
                    flows.pop();
                }
            }
            assert!(matches!(flows, Flows::Many(_)) == (round == 1));
            let probe = reference.peek().map(|r| r.0.1).unwrap();
            assert_eq!(flows.target_of(probe), reference.peek().map(|r| r.0.0));
            while let Some(Reverse(flow)) = reference.pop() {
                assert_eq!(flows.peek(), Some(flow));
                flows.pop();
            }
            assert_eq!(flows.peek(), None);
            assert!(matches!(flows, Flows::Few(_)), "an emptied link goes back to the queue");
        }
    }

    fn link(bw: u64, cap: u64) -> Link {
        let p = LinkParams { bandwidth_bytes_per_s: bw, latency: SimDuration::ZERO, copy_cap_bytes_per_s: cap };
        Link::new(LinkId(0), RegionId(0), RegionId(1), p, true)
    }

    #[test]
    fn single_transfer_runs_at_the_cap() {
        let mut l = link(1_000, 100);
        l.start(SimTime(0), CopyId(1), 1_000);
        assert_eq!(l.rate_bytes_per_s(), 100);
        assert_eq!(l.next_completion(), Some(SimTime(10_000)));
    }

    #[test]
    fn two_transfers_share_the_bandwidth_and_the_survivor_speeds_up() {
        // 100 B/s link, no cap. A: 1000 B at t=0; B: 500 B at t=0.
        // Both at 50 B/s: B ends at t=10s (500 B), A has 500 B left, then 100 B/s: ends t=15s.
        let mut l = link(100, 1_000);
        l.start(SimTime(0), CopyId(1), 1_000);
        l.start(SimTime(0), CopyId(2), 500);
        assert_eq!(l.next_completion(), Some(SimTime(10_000)));
        assert_eq!(l.pop_due(SimTime(10_000)), Some(CopyId(2)));
        l.end(SimTime(10_000), 500);
        assert_eq!(l.next_completion(), Some(SimTime(15_000)));
        assert_eq!(l.pop_due(SimTime(15_000)), Some(CopyId(1)));
        l.end(SimTime(15_000), 1_000);
        assert_eq!(l.next_completion(), None);
        assert_eq!(l.rate_sum_peak_bytes_per_s, 100);
        assert_eq!(l.bytes_carried, 1_500);
    }

    #[test]
    fn late_joiner_slows_the_first() {
        // 100 B/s, A 1000 B at 0; B 200 B at 5s. A alone 500 B by 5s; then 50 B/s each:
        // B done at 9s (200 B); A has 300 B left at 9s, alone again: done at 12s.
        let mut l = link(100, 1_000);
        l.start(SimTime(0), CopyId(1), 1_000);
        l.start(SimTime(5_000), CopyId(2), 200);
        assert_eq!(l.next_completion(), Some(SimTime(9_000)));
        assert_eq!(l.pop_due(SimTime(9_000)), Some(CopyId(2)));
        l.end(SimTime(9_000), 200);
        assert_eq!(l.next_completion(), Some(SimTime(12_000)));
    }

    #[test]
    fn a_cancelled_transfer_counts_the_bytes_it_moved() {
        // 100 B/s; A 1000 B and B 500 B at 0 (50 B/s each); A fails at 4 s having moved 200 B,
        // and B speeds up: 300 B left at 100 B/s, done at 7 s.
        let mut l = link(100, 1_000);
        l.start(SimTime(0), CopyId(1), 1_000);
        l.start(SimTime(0), CopyId(2), 500);
        assert_eq!(l.cancel(SimTime(4_000), CopyId(1), 1_000), Some(200));
        assert_eq!(l.cancel(SimTime(4_000), CopyId(9), 1_000), None, "not on the link");
        assert_eq!((l.active(), l.bytes_carried), (1, 200));
        assert_eq!(l.next_completion(), Some(SimTime(7_000)));
    }

    #[test]
    fn aggregate_never_exceeds_bandwidth() {
        let mut l = link(1_000, 400);
        for i in 0..7 {
            l.start(SimTime(i), CopyId(i as u32), 10_000);
            assert!(l.rate_bytes_per_s() * u64::from(l.active()) <= 1_000);
        }
        assert!(l.rate_sum_peak_bytes_per_s <= 1_000);
    }
}
