//! Online observers of the engine's records: the row files, the summary's counters, and the
//! fan-out that feeds them. None of them looks into the engine; they read records and the
//! scenario's [`Catalog`](catalog::Catalog) of names.

pub mod catalog;
pub mod ordered;
pub mod rows;
pub mod tally;

use crate::kernel::SimTime;
use crate::record::{Observer, Record};

/// Every observer of one run, fed in a fixed order.
pub struct Observers {
    /// The summary's counters (always).
    pub tally: tally::Tally,
    /// The row files (`--detail full`).
    pub rows: Option<rows::Rows>,
}

impl Observer for Observers {
    fn record(&mut self, at: SimTime, r: &Record<'_>) {
        self.tally.record(at, r);
        if let Some(rows) = &mut self.rows {
            rows.record(at, r);
        }
    }
}
