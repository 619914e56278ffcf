//! Quota gates (FIFO queues per scope with a concurrency limit) and lineage gates (one pending copy per lineage and destination).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use crate::model::params::QuotaScope;
use crate::model::{AccountId, Copy, CopyId, Provider, RegionId, World};

/// Stages of [`World::prefetch_planning`].
const PLANNING_STAGES: u8 = 5;

/// A concurrency quota over one scope.
#[derive(Clone, Debug)]
pub struct QuotaGate {
    /// The provider whose quota it is.
    pub provider: Provider,
    /// The account it counts for.
    pub account: AccountId,
    /// The source (OCI) or destination (FSx, EBS) region it counts for.
    pub region: RegionId,
    /// What the region is.
    pub scope: QuotaScope,
    /// Concurrent copies allowed.
    pub limit: u32,
    /// Copies holding a slot now.
    pub in_flight: u32,
    /// Most slots ever held at once.
    pub in_flight_peak: u32,
    /// Copies that had to wait.
    pub wait_count: u64,
    /// Longest queue seen.
    pub queue_peak: usize,
    queue: RequestOrder,
}

impl QuotaGate {
    /// A readable name: `aws_ebs:acct/dest=us-west-2`.
    pub fn label(&self, world: &World) -> String {
        let side = match self.scope {
            QuotaScope::AccountSourceRegion => "source",
            _ => "dest",
        };
        format!(
            "{}:{}/{}={}",
            self.provider.name(),
            world.account(self.account).name,
            side,
            world.region(self.region).name
        )
    }
}

/// Copies waiting at a gate, served in request order (copy ids are request order), not in the
/// order they reached the gate: a copy that left a queue for an outage and comes back after it
/// goes before the copies requested after it, so the outage does not reorder a lineage's copies
/// (OCI: "scheduled volume backups are always copied in sequential order").
///
/// Copies nearly always reach a gate in request order, so those wait in a plain FIFO (`run`,
/// ascending); only one arriving behind a later-requested copy goes to a heap (`late`). The
/// earliest-requested copy is the smaller of the two fronts: the same order as one heap, at
/// the cost of a queue.
#[derive(Clone, Debug, Default)]
pub struct RequestOrder {
    run: VecDeque<CopyId>,
    late: BinaryHeap<Reverse<CopyId>>,
}

impl RequestOrder {
    /// Adds a waiting copy.
    pub fn push(&mut self, c: CopyId) {
        match self.run.back() {
            Some(&last) if last > c => self.late.push(Reverse(c)),
            _ => self.run.push_back(c),
        }
    }

    /// The earliest-requested waiting copy, removed.
    pub fn pop(&mut self) -> Option<CopyId> {
        match (self.run.front(), self.late.peek()) {
            (Some(&r), Some(&Reverse(l))) if l < r => self.late.pop().map(|Reverse(c)| c),
            (Some(_), _) => self.run.pop_front(),
            (None, _) => self.late.pop().map(|Reverse(c)| c),
        }
    }

    /// The copy `k` places behind the next in line (served in arrival order; one back from an
    /// outage may go before it).
    pub fn peek(&self, k: usize) -> Option<CopyId> {
        self.run.get(k).copied()
    }

    /// Copies waiting.
    pub fn len(&self) -> usize {
        self.run.len() + self.late.len()
    }

    /// Whether none waits.
    pub fn is_empty(&self) -> bool {
        self.run.is_empty() && self.late.is_empty()
    }
}

#[derive(Clone, Debug, Default)]
struct LineageGate {
    active: Option<CopyId>,
    queue: RequestOrder,
}

/// What a copy holds while it runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Hold {
    /// The quota gate slot it holds.
    pub gate: Option<u32>,
    /// The lineage gate it holds.
    pub lineage: Option<u32>,
}

impl Hold {
    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.gate.is_none() && self.lineage.is_none()
    }
}

/// All gates, and what each copy holds.
#[derive(Default)]
pub struct Gates {
    quotas: Vec<QuotaGate>,
    /// By (provider index, account, region); asked once per copy and never iterated, so a
    /// hash map (Fx, deterministic).
    quota_index: rustc_hash::FxHashMap<(u8, AccountId, RegionId), u32>,
    lineages: Vec<LineageGate>,
    /// Per volume, its lineage gates by destination: volumes have few destinations.
    lineage_index: Vec<smallvec::SmallVec<[(RegionId, AccountId, u32); 1]>>,
    /// What each copy in flight (or next in line) holds.
    holds: super::holds::Holds,
}

impl Gates {
    /// Every quota gate, in creation order.
    pub fn quotas(&self) -> &[QuotaGate] {
        &self.quotas
    }

    /// Restarts every quota gate's peaks from the levels standing now.
    pub fn restart_peaks(&mut self) {
        for g in &mut self.quotas {
            g.in_flight_peak = g.in_flight;
            g.queue_peak = g.queue.len();
        }
    }

    /// Takes and clears what `copy` holds.
    pub fn take_hold(&mut self, copy: CopyId) -> Hold {
        self.holds.take(copy)
    }

    /// Copies holding a gate now (live state, for tests).
    pub fn holders(&self) -> usize {
        self.holds.len()
    }

    /// Starts loading volume `v`'s lineage gates: at `ahead` 2 where their indexes are, at 1
    /// the gates (the indexes being in cache by then).
    pub fn prefetch_lineage(&self, v: crate::model::VolumeId, ahead: usize) {
        let Some(index) = self.lineage_index.get(v.index()) else { return };
        if ahead >= 2 {
            crate::kernel::prefetch(index);
        } else if let Some(&(_, _, l)) = index.first()
            && let Some(gate) = self.lineages.get(l as usize)
        {
            crate::kernel::prefetch(gate);
        }
    }

    /// Enters `copy`'s lineage gate: Ok when it may proceed, Err(active copy) when it must wait.
    pub fn lineage_enter(&mut self, copy: &Copy) -> Result<(), CopyId> {
        let v = copy.volume.index();
        if self.lineage_index.len() <= v {
            self.lineage_index.resize_with(v + 1, Default::default);
        }
        let l = match self.lineage_index[v].iter().find(|(r, a, _)| *r == copy.dest_region && *a == copy.account) {
            Some(&(_, _, l)) => l,
            None => {
                let l = self.lineages.len() as u32;
                self.lineages.push(LineageGate::default());
                self.lineage_index[v].push((copy.dest_region, copy.account, l));
                l
            }
        };
        let gate = &mut self.lineages[l as usize];
        match gate.active {
            Some(active) if active != copy.id => {
                gate.queue.push(copy.id);
                Err(active)
            }
            _ => {
                gate.active = Some(copy.id);
                self.holds.set_lineage(copy.id, l);
                Ok(())
            }
        }
    }

    /// Frees lineage gate `l`; returns the next copy, which now holds it.
    pub fn lineage_release(&mut self, l: u32) -> Option<CopyId> {
        let gate = &mut self.lineages[l as usize];
        gate.active = gate.queue.pop();
        let next = gate.active?;
        self.holds.set_lineage(next, l);
        Some(next)
    }

    fn quota_gate(&mut self, world: &World, copy: &Copy) -> Option<u32> {
        let provider = world.provider_of(copy);
        let params = world.params(provider);
        let region = match params.quota_scope {
            QuotaScope::None => return None,
            QuotaScope::AccountSourceRegion => copy.source_region,
            QuotaScope::AccountDestRegion => copy.dest_region,
        };
        let limit = world.account(copy.account).copy_concurrency.unwrap_or(params.copy_concurrency);
        if limit == 0 {
            return None;
        }
        let key = (provider.index() as u8, copy.account, region);
        let next = self.quotas.len() as u32;
        let g = *self.quota_index.entry(key).or_insert(next);
        if g == next {
            self.quotas.push(QuotaGate {
                provider,
                account: copy.account,
                region,
                scope: params.quota_scope,
                limit,
                in_flight: 0,
                in_flight_peak: 0,
                wait_count: 0,
                queue_peak: 0,
                queue: RequestOrder::default(),
            });
        }
        Some(g)
    }

    /// Takes a slot of `copy`'s quota: Ok when it got one (or no quota applies), Err(gate) when queued.
    pub fn quota_enter(&mut self, world: &World, copy: &Copy) -> Result<(), u32> {
        let Some(g) = self.quota_gate(world, copy) else { return Ok(()) };
        let gate = &mut self.quotas[g as usize];
        if gate.in_flight >= gate.limit {
            gate.queue.push(copy.id);
            // Copies that waited, not waits: an EBS copy throttled again counts once.
            gate.wait_count += u64::from(copy.waited & crate::model::copy::waited::QUOTA == 0);
            gate.queue_peak = gate.queue_peak.max(gate.queue.len());
            return Err(g);
        }
        gate.in_flight += 1;
        gate.in_flight_peak = gate.in_flight_peak.max(gate.in_flight);
        self.holds.set_gate(copy.id, g);
        Ok(())
    }

    /// Starts loading what the copies waiting next at gate `g` will read when they get a slot
    /// ([`World::prefetch_planning`]): the further back in line, the earlier the stage, so
    /// each copy goes through every stage, one every two slots freed.
    pub fn prefetch_queue(&self, g: u32, world: &World) {
        let Some(gate) = self.quotas.get(g as usize) else { return };
        for stage in 1..=PLANNING_STAGES {
            if let Some(c) = gate.queue.peek(2 * usize::from(stage) - 1) {
                world.prefetch_planning(c, stage);
            }
        }
    }

    /// Frees a slot of gate `g`; returns the next queued copy, which now holds the slot.
    pub fn quota_release(&mut self, g: u32) -> Option<CopyId> {
        let gate = &mut self.quotas[g as usize];
        gate.in_flight = gate.in_flight.saturating_sub(1);
        let next = gate.queue.pop()?;
        gate.in_flight += 1;
        gate.in_flight_peak = gate.in_flight_peak.max(gate.in_flight);
        self.holds.set_gate(next, g);
        Some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oci_sequential_order_a_copy_back_from_an_outage_goes_before_later_requests() {
        // OCI: "scheduled volume backups are always copied in sequential order". Copy 2 reached
        // the head of its queue while its destination was down and left to wait; copies 7 and 9,
        // requested later, queued meanwhile. When copy 2 comes back it is served first.
        let mut q = RequestOrder::default();
        q.push(CopyId(7));
        q.push(CopyId(9));
        q.push(CopyId(2));
        assert_eq!(q.len(), 3);
        assert_eq!([q.pop(), q.pop(), q.pop(), q.pop()], [Some(CopyId(2)), Some(CopyId(7)), Some(CopyId(9)), None]);
        assert!(q.is_empty());
    }

    #[test]
    fn request_order_matches_a_heap_whatever_the_arrival_order() {
        let mut q = RequestOrder::default();
        let mut reference = BinaryHeap::new();
        let mut seed: u32 = 11;
        for round in 0..5_000u32 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            // Mostly ascending arrivals, now and then an earlier id coming back.
            let c = if seed.is_multiple_of(7) { CopyId(round / 2) } else { CopyId(round * 3) };
            q.push(c);
            reference.push(Reverse(c));
            if seed.is_multiple_of(3) {
                assert_eq!(q.pop(), reference.pop().map(|Reverse(c)| c));
            }
            assert_eq!(q.len(), reference.len());
        }
        while let Some(Reverse(c)) = reference.pop() {
            assert_eq!(q.pop(), Some(c));
        }
        assert!(q.is_empty());
    }
}
