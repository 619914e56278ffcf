//! Online observers of the engine's records — the row files, the summary's counters, the cost
//! ledger, RPO samples and drill snapshots, the invariant checks — and the fan-out that feeds
//! them. None of them looks into the engine; they read records and the
//! scenario's [`Catalog`](catalog::Catalog) of names.

pub mod catalog;
pub mod cost;
pub mod invariants;
pub mod ordered;
pub mod plan_checks;
pub mod recovery;
pub mod rows;
pub mod sawtooth;
pub mod seqs;
pub mod tally;

use crate::kernel::SimTime;
use crate::model::VolumeId;
use crate::record::{Observer, Record};

/// Every observer of one run, fed in a fixed order.
pub struct Observers {
    /// The summary's counters (always).
    pub tally: tally::Tally,
    /// The row files (`--detail full`).
    pub rows: Option<rows::Rows>,
    /// The cost ledger (scenarios with `[cost]`).
    pub cost: Option<cost::CostMeter>,
    /// RPO samples and drill snapshots.
    pub recovery: recovery::Recovery,
    /// Transfer invariants.
    pub transfers: invariants::TransferChecks,
    /// Plan invariants.
    pub plans: plan_checks::PlanChecks,
    /// Told the simulated time now and then (a progress bar).
    pub progress: Option<Box<dyn FnMut(SimTime, u64)>>,
}

impl Observer for Observers {
    fn record(&mut self, at: SimTime, r: &Record<'_>) {
        self.tally.record(at, r);
        if let Some(rows) = &mut self.rows {
            rows.record(at, r);
        }
        if let Some(cost) = &mut self.cost {
            cost.record(at, r);
        }
        self.recovery.record(at, r);
        self.transfers.record(at, r);
        self.plans.record(at, r);
    }

    fn tick(&mut self, now: SimTime, events: u64) {
        if let Some(p) = &mut self.progress {
            p(now, events);
        }
    }

    fn events_over(&mut self, horizon: SimTime) {
        self.transfers.events_over(horizon);
    }

    fn prefetch(&self, volume: VolumeId, stage: u8) {
        self.recovery.prefetch(volume, stage);
        self.transfers.prefetch(volume, stage);
        self.plans.prefetch(volume, stage);
    }
}
