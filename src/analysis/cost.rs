//! The cost ledger, kept online: storage integrates as backups appear and go, each completed
//! cross-region copy bills its transfer, fast restore bills from the first backup or copy kept
//! warm. Priced at the horizon with the scenario's price book.

use std::collections::BTreeMap;

use crate::cost::ledger::{FastRestore, Ledger};
use crate::cost::prices::PriceBook;
use crate::cost::storage::StorageMeter;
use crate::kernel::SimTime;
use crate::model::{BackupState, Copy, RegionId, VolumeId, World};
use crate::record::{Observer, Record, facts};

/// When each watched `(volume, region)` first held a usable backup or copy (fast restore starts
/// costing then, and a drill restores fast from then on).
#[derive(Clone, Debug, Default)]
pub struct FirstAvailable {
    first: BTreeMap<(VolumeId, RegionId), Option<SimTime>>,
}

impl FirstAvailable {
    /// Watches the volumes and regions of `fast`.
    pub fn new(fast: &[FastRestore]) -> Self {
        let first = fast.iter().flat_map(|f| f.volumes.iter().map(|&v| ((v, f.region), None))).collect();
        Self { first }
    }

    /// Notes a backup of `volume` usable in `region` at `t`.
    pub fn seen(&mut self, volume: VolumeId, region: RegionId, t: SimTime) {
        if let Some(e) = self.first.get_mut(&(volume, region)) {
            e.get_or_insert(t);
        }
    }

    /// Follows the records that make a backup usable.
    pub fn record(&mut self, at: SimTime, r: &Record<'_>) {
        match *r {
            Record::BackupReady { backup }
            | Record::RestorePoint { backup, .. }
            | Record::WarmBackup { backup }
            | Record::WarmCopy { backup, .. } => self.seen(backup.volume, backup.region, at),
            _ => {}
        }
    }

    /// The first instant, if any.
    pub fn get(&self, volume: VolumeId, region: RegionId) -> Option<SimTime> {
        self.first.get(&(volume, region)).copied().flatten()
    }
}

/// Whether a closed copy bills transfer: it moved data across regions (a failed copy, for
/// what it moved before failing, when its provider bills that).
fn bills_transfer(w: &World, c: &Copy) -> bool {
    let billed = facts::transfer_completed(c) || crate::providers::rules(w.provider_of(c)).bills_failed_transfer();
    billed && facts::is_transfer(c) && c.source_region != c.dest_region && facts::bytes_moved(c) > 0
}

/// The ledger under construction.
pub struct CostMeter {
    book: PriceBook,
    fast: Vec<FastRestore>,
    horizon: SimTime,
    storage: StorageMeter,
    first: FirstAvailable,
    ledger: Ledger,
    names: World,
}

impl CostMeter {
    /// Prices with `book` against the scenario's initial world `names`, up to `horizon`.
    pub fn new(book: PriceBook, fast: Vec<FastRestore>, names: World, horizon: SimTime) -> Self {
        let first = FirstAvailable::new(&fast);
        Self { book, fast, horizon, storage: StorageMeter::new(horizon), first, ledger: Ledger::default(), names }
    }

    /// Storage members kept (live state).
    pub fn live_members(&self) -> usize {
        self.storage.members()
    }

    /// The finished ledger.
    pub fn finish(self) -> Ledger {
        let mut ledger = self.ledger;
        ledger.add_storage(&self.names, &self.book, self.storage.finish());
        for f in &self.fast {
            for &v in &f.volumes {
                if let Some(from) = self.first.get(v, f.region) {
                    ledger.add_fast_restore(&self.names, &self.book, f, from, self.horizon);
                }
            }
        }
        ledger
    }
}

impl Observer for CostMeter {
    fn record(&mut self, at: SimTime, r: &Record<'_>) {
        self.first.record(at, r);
        match *r {
            Record::BackupTaken { backup }
            | Record::BackupWritten { backup, .. }
            | Record::WarmBackup { backup }
            | Record::WarmCopy { backup, .. } => self.storage.appear(at, backup),
            Record::BackupClosed { backup } if backup.state == BackupState::Deleted => {
                self.storage.disappear(at, backup)
            }
            Record::CopyClosed { copy, .. } if bills_transfer(&self.names, copy) => {
                self.ledger.add_transfer(&self.names, &self.book, copy)
            }
            _ => {}
        }
    }
}
