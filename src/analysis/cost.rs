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
            | Record::WarmBackup { backup, .. }
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
            | Record::WarmBackup { backup, .. }
            | Record::WarmCopy { backup, .. } => self.storage.appear(at, backup),
            Record::BackupClosed { backup } if backup.state == BackupState::Deleted => {
                self.storage.disappear(at, backup)
            }
            Record::BackupClosed { backup } => self.storage.kept(backup),
            Record::CopyClosed { copy, .. } if bills_transfer(&self.names, copy) => {
                self.ledger.add_transfer(&self.names, &self.book, copy, at)
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::prices::Item;
    use crate::cost::{MS_PER_DAY, usd};
    use crate::model::{CopyId, CopyKind, Partition, Reason, Trigger, VolumeKind};

    #[test]
    fn storage_and_transfer_worked_out_by_hand() {
        // One 100 GiB EBS volume, one full backup at t = 0, kept 30 days (the horizon):
        // 100 GiB × 720 h / 730 h GB-months × $0.05 = $4.9315068…, shown $4.931507. Its full copy to us-west-2,
        // finished at day 1: transfer 100 GiB × $0.02 = $2, then stored there 29 days.
        let mut w = crate::providers::registry::new_world();
        let ebs = crate::providers::registry::parse("aws_ebs").expect("a provider");
        let r = w.add_region("us-east-1", ebs, Partition::Commercial);
        let r2 = w.add_region("us-west-2", ebs, Partition::Commercial);
        let a = w.add_account("a");
        let v = w.add_volume("v", a, r, VolumeKind::Block, 100 << 30, 0);
        let horizon = SimTime(30 * MS_PER_DAY);
        let mut m = CostMeter::new(PriceBook::defaults(&w), vec![], w.clone(), horizon);
        let b = w.take_backup(v, SimTime(0));
        m.record(SimTime(0), &Record::BackupTaken { backup: w.backup(b) });
        let c = w.push_copy(Copy::request(CopyId(0), b, v, 1, a, r, r2, Trigger::Manual, SimTime(0)));
        w.start_copy(c, CopyKind::Full, Reason::FirstCopy, 100 << 30, SimTime(0));
        let day1 = SimTime(MS_PER_DAY);
        w.copies[c.index()].moved_bytes = 100 << 30;
        let dest = w.end_copy(c, day1, None, false, None).expect("written");
        m.record(day1, &Record::BackupWritten { backup: w.backup(dest), source_created_at: SimTime(0) });
        m.record(
            horizon,
            &Record::CopyClosed { copy: w.copy(c), state: "completed", schedule: None, deleted_by: None },
        );
        let l = m.finish();
        let t = l.totals();
        let east: u128 =
            l.lines.iter().filter(|((_, reg, i), _)| *reg == r && *i == Item::Storage).map(|(_, x)| x.nano_usd).sum();
        assert_eq!(usd(east), "4.931507");
        assert_eq!(usd(t[&Item::Transfer]), "2.000000");
        assert_eq!(l.storage.byte_ms.keys().filter(|(_, reg)| *reg == r2).count(), 29);
        assert_eq!(l.lines[&(0, r, Item::Storage)].quantity_micro(Item::Storage), 100_000_000, "100 GB-days a day");
        // Run-rate over the last 7 days, scaled to 730 h: 2 × 100 GiB × $0.05 = $10.
        assert!(l.monthly_run_rate(horizon).abs_diff(10_000_000_000) < 100, "{}", l.monthly_run_rate(horizon));
    }
}
