//! The copy planner: pure decision logic between the model and the provider rules.
//!
//! Facts go in — a copy was requested ([`Planner::submit`]), a copy ended
//! ([`Planner::release`]), a region came back ([`Planner::region_up`]) — and decisions come
//! out one at a time from [`Planner::poll`], each computed against the world as updated by
//! the previous one (two copies started in the same instant see each other). A request goes
//! through four stages: **admit** (provider route and request checks, outages), **quota** (FIFO
//! gate per scope), **lineage** (EBS: one pending copy per lineage and destination; a copy
//! waiting there holds its quota slot, as a pending copy request counts against the quota) and
//! **decide** (full or incremental, and why). The planner never touches the event queue.

pub mod gates;
pub mod holds;

use std::collections::VecDeque;

use crate::model::{Behind, CopyId, CopyKind, Reason, RegionId, World};
use crate::providers::{Route, rules};
use gates::{Gates, Hold};

/// What the planner tells the model to do with one copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Start the transfer now.
    Start {
        /// The copy.
        copy: CopyId,
        /// Full or incremental.
        kind: CopyKind,
        /// Which rule chose the kind.
        reason: Reason,
        /// Bytes to move.
        bytes: u64,
        /// The destination copy an incremental copy builds on.
        base: Option<CopyId>,
    },
    /// Queue it behind something; it comes back out of `poll` when that clears.
    Wait {
        /// The copy.
        copy: CopyId,
        /// What it waits behind.
        behind: Behind,
        /// The provider answered with a throttling error (EBS ResourceLimitExceeded) that the orchestrator will retry.
        throttled: bool,
    },
    /// The provider refuses the request.
    Reject {
        /// The copy.
        copy: CopyId,
        /// The provider's error.
        error: crate::providers::Rejection,
    },
    /// The copy starts and fails at once (EBS: an inaccessible key).
    Fail {
        /// The copy.
        copy: CopyId,
        /// Kind it would have had.
        kind: CopyKind,
        /// Why.
        reason: Reason,
        /// The provider's error (EBS: the state message).
        error: crate::providers::Rejection,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Admit,
    Quota,
    Lineage,
    Decide,
}

/// The planner's own bookkeeping: the inbox, the quota and lineage gates, outage waiters.
#[derive(Default)]
pub struct Planner {
    inbox: VecDeque<(CopyId, Stage)>,
    gates: Gates,
    outage_waiters: Vec<Vec<CopyId>>,
    /// A quota gate that just gave its slot to a waiting copy: the next [`Planner::poll`] starts
    /// loading what the copies behind it will read.
    prefetch_gate: Option<u32>,
}

impl Planner {
    /// An idle planner.
    pub fn new() -> Self {
        Self::default()
    }

    /// The quota gates, for reports.
    pub fn gates(&self) -> &Gates {
        &self.gates
    }

    /// Restarts the quota gates' peaks from the levels standing now (a measurement window opens).
    pub fn restart_peaks(&mut self) {
        self.gates.restart_peaks();
    }

    /// Starts loading what a copy of volume `v` will read in the lineage stage (see
    /// [`Gates::prefetch_lineage`]).
    pub fn prefetch_lineage(&self, v: crate::model::VolumeId, ahead: usize) {
        self.gates.prefetch_lineage(v, ahead);
    }

    /// Fact: `copy` was requested.
    pub fn submit(&mut self, copy: CopyId) {
        self.inbox.push_back((copy, Stage::Admit));
    }

    /// Fact: `copy`'s transfer ended (finished or failed); frees its quota slot and lineage.
    /// The copy next in its lineage already holds a quota slot of its own (it took one before
    /// it waited); the copy next at the quota gate still has its lineage to pass.
    pub fn release(&mut self, copy: CopyId) {
        let Hold { gate, lineage } = self.gates.take_hold(copy);
        if let Some(l) = lineage
            && let Some(next) = self.gates.lineage_release(l)
        {
            self.inbox.push_back((next, Stage::Decide));
        }
        if let Some(g) = gate
            && let Some(next) = self.gates.quota_release(g)
        {
            self.inbox.push_back((next, Stage::Lineage));
            self.prefetch_gate = Some(g);
        }
    }

    /// Fact: `region` is back; copies waiting on it are admitted again, in request order (not
    /// the order they began to wait: a copy that held a quota slot when it met the outage
    /// joined the waiters after copies requested later had met it at admission), so the outage
    /// does not reorder a lineage (OCI: "scheduled volume backups are always copied in
    /// sequential order").
    pub fn region_up(&mut self, region: RegionId) {
        if let Some(waiters) = self.outage_waiters.get_mut(region.index()) {
            waiters.sort_unstable();
            for c in waiters.drain(..) {
                self.inbox.push_back((c, Stage::Admit));
            }
        }
    }

    /// Whether no decision is waiting (then [`Planner::poll`] answers `None`).
    #[inline]
    pub fn idle(&self) -> bool {
        self.inbox.is_empty()
    }

    /// The next decision, computed against `world` as it is now.
    pub fn poll(&mut self, world: &World) -> Option<Decision> {
        if let Some(g) = self.prefetch_gate.take()
            && world.hints
        {
            self.gates.prefetch_queue(g, world);
        }
        while let Some((copy, stage)) = self.inbox.pop_front() {
            if let Some(d) = self.advance(world, copy, stage) {
                return Some(d);
            }
        }
        None
    }

    fn down_region(world: &World, copy: CopyId) -> Option<RegionId> {
        let c = world.copy(copy);
        [c.source_region, c.dest_region].into_iter().find(|r| world.region_down[r.index()])
    }

    fn wait_outage(&mut self, copy: CopyId, region: RegionId) -> Decision {
        if self.outage_waiters.len() <= region.index() {
            self.outage_waiters.resize_with(region.index() + 1, Vec::new);
        }
        self.outage_waiters[region.index()].push(copy);
        Decision::Wait { copy, behind: Behind::Outage(region), throttled: false }
    }

    fn advance(&mut self, world: &World, copy: CopyId, mut stage: Stage) -> Option<Decision> {
        let c = world.copy(copy);
        let rules = rules(world.provider_of(c));
        // Admitted in this call: the world has not changed since (the planner reads it only),
        // so the request checks and the outage need no second look at the decide stage.
        let admitted_now = stage == Stage::Admit;
        loop {
            match stage {
                Stage::Admit => {
                    if let Err(e) = admission(world, c) {
                        return Some(Decision::Reject { copy, error: e });
                    }
                    if let Some(r) = Self::down_region(world, copy) {
                        return Some(self.wait_outage(copy, r));
                    }
                    stage = Stage::Quota;
                }
                Stage::Quota => {
                    if let Err(g) = self.gates.quota_enter(world, c) {
                        return Some(Decision::Wait {
                            copy,
                            behind: Behind::Quota(g),
                            throttled: rules.throttles_at_quota(),
                        });
                    }
                    stage = Stage::Lineage;
                }
                Stage::Lineage => {
                    // EBS: "If a copy is still pending when you start a another copy, the second
                    // copy starts only after the first copy finishes" — and, pending, it is one
                    // of the account's "concurrent snapshot copy requests": it keeps its slot.
                    if rules.serializes_lineage()
                        && let Err(active) = self.gates.lineage_enter(c)
                    {
                        return Some(Decision::Wait { copy, behind: Behind::Lineage(active), throttled: false });
                    }
                    stage = Stage::Decide;
                }
                Stage::Decide => return Some(self.decide(world, copy, admitted_now)),
            }
        }
    }

    /// Full or incremental, or why not; `admitted`: the request checks passed against this
    /// same world (else a copy that waited is checked again: its source may be gone).
    fn decide(&mut self, world: &World, copy: CopyId, admitted: bool) -> Decision {
        let c = world.copy(copy);
        let rules = rules(world.provider_of(c));
        if !admitted {
            if let Err(e) = rules.check_request(world, c) {
                self.release(copy);
                return Decision::Reject { copy, error: e };
            }
            if let Some(r) = Self::down_region(world, copy) {
                self.release(copy);
                return self.wait_outage(copy, r);
            }
        }
        let d = rules.decide_kind(world, c);
        if let Some(error) = rules.start_failure(world, c) {
            self.release(copy);
            return Decision::Fail { copy, kind: d.kind, reason: d.reason, error };
        }
        Decision::Start { copy, kind: d.kind, reason: d.reason, bytes: d.bytes, base: d.base }
    }
}

/// The provider's answer to copy request `c` when it is made: its route, the scenario's own
/// region rule, then the request itself. An error refuses the copy at once (REJECTED); the
/// planner admits with it, and a timed `copy` action asks it to say so in its own row.
pub fn admission(world: &World, c: &crate::model::Copy) -> Result<(), crate::providers::Rejection> {
    let rules = rules(world.provider_of(c));
    let route = Route::of_copy(world, c);
    rules
        .check_route(world, &route)
        .and_then(|()| crate::providers::check_regions(world, &route))
        .and_then(|()| rules.check_request(world, c))
}

#[cfg(test)]
mod tests;
