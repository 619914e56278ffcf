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
use std::collections::BinaryHeap;

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
    flows: BinaryHeap<Reverse<(u128, CopyId)>>,
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
            flows: BinaryHeap::new(),
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
        self.flows.push(Reverse((target, copy)));
        self.active += 1;
        self.recompute_rate();
    }

    /// Takes the next transfer whose data has all arrived by `now`, if any. The caller
    /// must then call [`Link::end`] if that transfer was still live (not cancelled).
    pub fn pop_due(&mut self, now: SimTime) -> Option<CopyId> {
        self.advance(now);
        match self.flows.peek() {
            Some(Reverse((target, copy))) if *target <= self.vtime_mbytes => {
                let copy = *copy;
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

    /// Cancels `copy`'s live transfer of `bytes` at `now` (it failed): ends it and returns the
    /// bytes it had carried, or `None` when `copy` is not on the link (its last byte left). Its
    /// entry stays in the heap; the caller skips it when it pops (and never cancels it again).
    pub fn cancel(&mut self, now: SimTime, copy: CopyId, bytes: u64) -> Option<u64> {
        let target = self.flows.iter().find(|Reverse((_, c))| *c == copy).map(|Reverse((t, _))| *t)?;
        self.advance(now);
        let started = target.saturating_sub(u128::from(bytes) * 1_000);
        let moved = u64::try_from(self.vtime_mbytes.saturating_sub(started) / 1_000).unwrap_or(u64::MAX).min(bytes);
        self.end(now, moved);
        Some(moved)
    }

    /// When the next transfer completes at the current rate, if any is active.
    pub fn next_completion(&self) -> Option<SimTime> {
        if self.active == 0 || self.rate_bytes_per_s == 0 {
            return None;
        }
        let Reverse((target, _)) = self.flows.peek()?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
